"""The core called from several threads and processes at once gives the single-threaded results."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, date, datetime

from compliance.pipeline import PassportRequest, run_questionnaire, run_submission
from compliance.service.state import load_setup
from tests.service.conftest import EXAMPLES

SUBMISSIONS = sorted((EXAMPLES / "submissions" / "valid").iterdir()) + sorted(
    (EXAMPLES / "submissions" / "invalid").iterdir()
)
QUESTIONNAIRES = sorted((EXAMPLES / "questionnaires" / "valid").iterdir())
AS_OF = date(2027, 9, 1)
GENERATED = datetime(2027, 9, 1, 12, tzinfo=UTC)


def _submission(name: str) -> str:
    path = next(p for p in SUBMISSIONS if p.name == name)
    setup = load_setup("eu-da-2024-draft", None, ())
    run = run_submission(
        path.read_bytes(),
        name=path.name,
        setup=setup,
        as_of=AS_OF,
        passport=PassportRequest(GENERATED, "https://passport.example.org"),
    )
    out = {
        "issues": [i.to_dict() for i in run.issues],
        "cfp": None
        if run.cfp is None or run.cfp.result is None
        else run.cfp.result.model_dump(mode="json"),
        "passport": None if run.passport is None else run.passport.model_dump(mode="json"),
    }
    return json.dumps(out, sort_keys=True)


def _questionnaire(name: str) -> str:
    path = next(p for p in QUESTIONNAIRES if p.name == name)
    run = run_questionnaire(path.read_bytes(), name=path.name, as_of=date(2026, 1, 15))
    out = {
        "issues": [i.to_dict() for i in run.issues],
        "dd": None if run.dd is None else run.dd.to_dict(),
    }
    return json.dumps(out, sort_keys=True, default=str)


def _work() -> list[tuple[str, str]]:
    jobs = [("s", p.name) for p in SUBMISSIONS] + [("q", p.name) for p in QUESTIONNAIRES]
    return jobs * 3


def _run(job: tuple[str, str]) -> str:
    kind, name = job
    return _submission(name) if kind == "s" else _questionnaire(name)


def test_threads_and_processes_equal_single_threaded() -> None:
    jobs = _work()
    single = [_run(job) for job in jobs]
    assert any('"cfp": null' not in r for r in single)  # some results are real computations
    with ThreadPoolExecutor(max_workers=6) as pool:
        threaded = list(pool.map(_run, jobs))
    assert threaded == single
    with ProcessPoolExecutor(max_workers=2) as pool:
        processed = list(pool.map(_run, jobs, chunksize=2))
    assert processed == single
