"""compliance.pipeline: the one path from a document to validation, CFP, DD and passport results.

Differential: every stage gives exactly what the layer it calls gives on its own; bytes and the
parsed document give the same results; bad input is issues, never an exception.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.dd import score_questionnaire, validate_questionnaire
from compliance.pipeline import (
    CalculationOptions,
    CfpSetup,
    PassportRequest,
    Source,
    run_questionnaire,
    run_submission,
)
from compliance.validation import validate_submission

ROOT = Path(__file__).resolve().parents[2]
LMT = ROOT / "examples" / "submissions" / "valid" / "lmt-ebike.json"
STRONG = ROOT / "examples" / "questionnaires" / "valid" / "strong-supplier.json"
AS_OF = date(2027, 9, 1)
DD_AS_OF = date(2026, 1, 15)
GENERATED = datetime(2027, 9, 1, 8, tzinfo=UTC)
BASE_URL = "https://passport.example.org"


@pytest.fixture(scope="module")
def setup() -> CfpSetup:
    return CfpSetup(load_ruleset("eu-da-2024-draft"), FactorLibrary.bundled([]))


def test_validation_only_without_a_setup() -> None:
    data = LMT.read_bytes()
    run = run_submission(data, name=LMT.name)
    assert run.ok
    assert run.cfp is None
    assert run.passport is None
    assert run.source == Source(LMT.name, hashlib.sha256(data).hexdigest())
    assert run.issues == validate_submission(data, name=LMT.name).issues


def test_the_cfp_stage_is_the_calculation_itself(setup: CfpSetup) -> None:
    data = LMT.read_bytes()
    run = run_submission(data, name=LMT.name, setup=setup, as_of=AS_OF)
    report = validate_submission(data, name=LMT.name)
    assert report.submission is not None
    direct = compute_cfp(
        report.submission, setup.ruleset, library=setup.library, as_of=AS_OF, trace=False,
        input_sha256=hashlib.sha256(data).hexdigest(),
    )  # fmt: skip
    assert run.cfp is not None
    assert run.cfp.result is not None
    assert direct.result is not None
    assert run.cfp.result.total == direct.result.total
    assert run.cfp.result.total_per_unit == direct.result.total_per_unit
    assert run.issues == (*report.issues, *direct.issues)
    assert run.cfp.result.trace is None  # trace off by default: the fast path
    traced = run_submission(
        data, name=LMT.name, setup=setup, as_of=AS_OF, calculation=CalculationOptions(trace=True)
    )
    assert traced.cfp is not None
    assert traced.cfp.result is not None
    assert traced.cfp.result.trace  # every term recorded on request


def test_bytes_and_the_parsed_document_give_the_same_results(setup: CfpSetup) -> None:
    data = LMT.read_bytes()
    from_bytes = run_submission(data, name=LMT.name, setup=setup, as_of=AS_OF)
    from_mapping = run_submission(json.loads(data), name=LMT.name, setup=setup, as_of=AS_OF)
    assert from_mapping.source.sha256 is None
    assert from_mapping.source.digest is None
    assert from_bytes.cfp is not None
    assert from_mapping.cfp is not None
    assert from_bytes.cfp.result is not None
    assert from_mapping.cfp.result is not None
    assert from_bytes.cfp.result.total == from_mapping.cfp.result.total


def test_invalid_input_stops_at_validation_with_located_issues(setup: CfpSetup) -> None:
    request = PassportRequest(GENERATED, BASE_URL)
    data = b'{"schemaVersion": "1.0.0",\n "battery": 1}'
    run = run_submission(data, name="s.json", setup=setup, as_of=AS_OF, passport=request)
    assert not run.ok
    assert run.cfp is None
    assert run.passport is None
    battery = [i for i in run.issues if i.pointer == "/battery"]
    assert battery
    assert battery[0].line == 2
    for garbage in (b"", b"\xff\xfe", b"[", b"- a\n- b\n", b"{" * 10_000):
        assert not run_submission(garbage, name="g.json", setup=setup, as_of=AS_OF).ok


def test_the_passport_stage_carries_the_cfp_and_the_digest(setup: CfpSetup) -> None:
    data = LMT.read_bytes()
    request = PassportRequest(GENERATED, BASE_URL)
    run = run_submission(data, name=LMT.name, setup=setup, as_of=AS_OF, passport=request)
    assert run.ok
    assert run.passport is not None
    assert run.cfp is not None
    provenance = run.passport.provenance
    assert provenance.submission_digest == "sha256:" + hashlib.sha256(data).hexdigest()
    assert provenance.generated_at == "2027-09-01T08:00:00Z"


def test_a_scored_questionnaire_goes_to_the_passport(setup: CfpSetup) -> None:
    dd = run_questionnaire(STRONG.read_bytes(), name=STRONG.name, as_of=DD_AS_OF)
    assert dd.ok
    assert dd.dd is not None
    request = PassportRequest(GENERATED, BASE_URL, dd)
    run = run_submission(LMT.read_bytes(), name=LMT.name, setup=setup, as_of=AS_OF,
                         passport=request)  # fmt: skip
    assert run.passport is not None
    assert run.passport.provenance.questionnaire_digest == dd.source.digest


def test_the_dd_stage_is_the_scorer_itself() -> None:
    data = STRONG.read_bytes()
    run = run_questionnaire(data, name=STRONG.name, as_of=DD_AS_OF)
    report = validate_questionnaire(data, as_of=DD_AS_OF, name=STRONG.name)
    assert report.questionnaire is not None
    direct = score_questionnaire(report.questionnaire, as_of=DD_AS_OF, checked=report.checked)
    assert run.dd is not None
    assert run.dd.to_dict() == direct.to_dict()
    assert run.issues == report.issues


def test_an_invalid_questionnaire_is_not_scored() -> None:
    run = run_questionnaire(b'{"header": 1}', name="q.json", as_of=DD_AS_OF)
    assert not run.ok
    assert run.dd is None
    assert run.issues


def test_runs_are_frozen_and_misuse_is_refused(setup: CfpSetup) -> None:
    run = run_submission(LMT.read_bytes(), name=LMT.name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.cfp = None  # type: ignore[misc]
    with pytest.raises(ValueError, match="as_of"):
        run_submission(b"{}", name="s.json", setup=setup)
    with pytest.raises(ValueError, match="CFP setup"):
        run_submission(b"{}", name="s.json", passport=PassportRequest(GENERATED, BASE_URL))
    with pytest.raises(ValueError, match="bytes"):
        run_submission({}, name="s.json", setup=setup, as_of=AS_OF,
                       passport=PassportRequest(GENERATED, BASE_URL))  # fmt: skip
    unscored = run_questionnaire(b"{}", name="q.json", as_of=DD_AS_OF)
    with pytest.raises(ValueError, match="scored"):
        PassportRequest(GENERATED, BASE_URL, unscored)
