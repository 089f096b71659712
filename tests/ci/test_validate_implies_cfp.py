"""``validate`` never passes a submission that ``cfp`` then rejects (issue 17).

``validate`` runs the very CFP calculation ``cfp`` runs (same pipeline, ruleset and datasets) and
reports its errors, so on any input: validate exits 0  =>  cfp exits 0 (same ruleset, same date).
Checked on every bundled example under every bundled ruleset, and on documents Hypothesis
mutates from the valid examples (edge magnitudes that mostly stay valid, and hostile damage).
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from compliance.cli.cfp_cmd import CfpOptions, run_cfp
from compliance.cli.choices import CfpChoices
from compliance.cli.validate_cmd import ValidateOptions, run_validate
from compliance.validation import parse_document
from tests.conftest import ROOT, VALID
from tests.fuzz.strategies import HOSTILE, STRESS, encoded

AS_OF = date(2026, 6, 1)
RULESETS = ("eu-da-2024-draft", "jrc-cfb-ev-2023", "meti-v1.0")
EXAMPLES = sorted(
    p
    for directory in ("examples/submissions", "examples/valid", "examples/invalid")
    for p in (ROOT / directory).rglob("*")
    if p.suffix in (".json", ".yaml", ".yml") and "expected" not in p.parts
)
DOCUMENTS = [parse_document(p.read_bytes(), name=p.name).data for p in VALID]


def _verdicts(data: bytes, ruleset: str = "eu-da-2024-draft") -> tuple[int, int, str]:
    """(validate's exit code, cfp's exit code, cfp's report) on one document from stdin."""
    choices = CfpChoices(ruleset)
    validate = ValidateOptions(cfp=choices, as_of=AS_OF, progress=False)
    out = io.StringIO()
    code_validate = run_validate(
        ["-"], validate, stdin=io.BytesIO(data), stdout=out, stderr=io.StringIO()
    )
    cfp_out = io.StringIO()
    code_cfp = run_cfp(
        ["-"],
        CfpOptions(choices=choices, as_of=AS_OF),
        stdin=io.BytesIO(data),
        stdout=cfp_out,
        stderr=io.StringIO(),
    )
    return code_validate, code_cfp, cfp_out.getvalue()


def test_the_corpus_is_the_examples() -> None:
    assert len(EXAMPLES) >= 40


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_examples(path: Path, ruleset: str) -> None:
    code_validate, code_cfp, report = _verdicts(path.read_bytes(), ruleset)
    if code_validate == 0:
        assert code_cfp == 0, report
    else:  # and what validate refuses, cfp does not compute either
        assert code_cfp != 0, report


def test_a_submission_only_the_calculation_refuses_is_refused_by_validate() -> None:
    """A factor reference to a dataset that is not loaded: schema- and model-valid, but the
    calculation stops on it; validate reports the calculation's error (no false green)."""
    document = json.loads((ROOT / "examples/submissions/valid/nmc811-m1-ev.json").read_text())
    document["billOfMaterials"][0]["emissionFactor"] = {
        "dataset": "no-such-dataset",
        "factorId": "nmc811-cam",
    }
    data = json.dumps(document).encode()
    structure_only = ValidateOptions(cfp=None, as_of=AS_OF, progress=False)
    out = io.StringIO()
    code = run_validate(["-"], structure_only, stdin=io.BytesIO(data), stdout=out, stderr=out)
    assert code == 0, out.getvalue()  # the document itself is valid
    code_validate, code_cfp, report = _verdicts(data)
    assert (code_validate, code_cfp) == (1, 1)
    assert "error [cfp.dataset-unknown] /billOfMaterials/0/emissionFactor" in report


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encoded(DOCUMENTS, STRESS, most=3))
def test_mostly_valid_mutations(case: tuple[bytes, str]) -> None:
    code_validate, code_cfp, report = _verdicts(case[0])
    if code_validate == 0:
        assert code_cfp == 0, report


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encoded(DOCUMENTS, HOSTILE, most=2))
def test_hostile_mutations(case: tuple[bytes, str]) -> None:
    code_validate, code_cfp, report = _verdicts(case[0])
    if code_validate == 0:
        assert code_cfp == 0, report
