"""The questionnaire examples are tests: valid ones score as derived by hand, invalid ones give
exactly their expected issues (mirrors tests/acceptance/test_examples.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from compliance.dd import score_questionnaire, validate_questionnaire
from compliance.issue_codes import is_documented
from tests.dd.conftest import AS_OF, QUESTIONNAIRES

VALID = sorted((QUESTIONNAIRES / "valid").iterdir())
INVALID = sorted((QUESTIONNAIRES / "invalid").iterdir())


def _score(path: Path):
    report = validate_questionnaire(path.read_bytes(), as_of=AS_OF, name=path.name, full=True)
    assert report.ok, [i.to_dict() for i in report.issues]
    assert report.questionnaire is not None
    return score_questionnaire(report.questionnaire, as_of=AS_OF)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_has_no_issue(path: Path) -> None:
    report = validate_questionnaire(path.read_bytes(), as_of=AS_OF, name=path.name, full=True)
    assert report.issues == ()


def test_strong_supplier() -> None:
    """Every question answered at the top with third-party evidence covering the material.

    Maturity 100 for cobalt, nickel and lithium -> level 5 (all gates met).
    Inherent risk = max(material, origin and processing countries): cobalt max(55, FI 10) = 55,
    nickel max(40, FI 10) = 40, lithium max(35, AU 10) = 35. Residual = IR x (1 - 0.6 x 100/100):
    cobalt 22.0, nickel 16.0, lithium 14.0 -> the highest, 22.0, is below 25: low. No red flag,
    no contradiction, confidence A, complete.
    """
    result = _score(QUESTIONNAIRES / "valid" / "strong-supplier.json")
    assert result.maturity.score == pytest.approx(100.0)
    assert (result.maturity.level, result.maturity.gates_failed) == (5, ())
    residual = {m: r.residual_risk for m, r in result.materials.items()}
    assert residual == pytest.approx({"cobalt": 22.0, "nickel": 16.0, "lithium": 14.0})
    assert (result.risk.level, result.risk.residual_risk, result.risk.driven_by) == (
        "low",
        pytest.approx(22.0),
        "cobalt",
    )
    assert result.red_flags == ()
    assert result.contradictions == ()
    assert (result.confidence, result.status, result.completeness_pct) == ("A", "complete", 100.0)
    assert result.battery_pass == {
        "supplyChainDueDiligenceReport": "https://nordic-cathode.example/dd-report-2024.pdf",
        "thirdPartyAussurances": "https://assurance.example/ncm-2025.pdf",
        "supplyChainIndicies": pytest.approx(100.0),
    }


def test_weak_supplier_answering_yes_to_everything_without_evidence() -> None:
    """All favourable answers, no evidence: every credit x 0.5 (self-declared), and the rules
    re-read the claims the lists contradict.

    CX-05: M1-02 'yes' without a URL -> 'no'. CX-16: M2-02 = 100 without any mine -> 0, so the
    origin is unknown and cobalt's inherent risk is 100; then CX-12a/b/c re-read the unevidenced
    'no significant risk' for child labour, forced labour and communities as 'not assessed'.
    S1 = 100 x 0.5 x (25 - 1.5) / 25 = 47.
    S2 = 100 x 11.75 / 30 = 39.1667: half of every weight except M2-02 (3.5), M2-16, M2-17,
    M2-20 (1 each): 0.5 x (30 - 3.5 - 3) = 11.75.
    S3 = S4 = S5 = 50 (M3-03 applies again once child labour counts as not assessed).
    M = (25 x 47 + 30 x 39.1667 + 20 x 50 + 15 x 50 + 10 x 50) / 100 = 46.0 -> level 3 at most.
    Residual = 100 x (1 - 0.6 x 0.46) = 72.4 -> high.
    Unevidenced claims: 30 company answers less M1-02 (now 'no') = 29; cobalt M2-01, M2-04,
    M2-05, M4-01, M4-03 = 5 (M2-02 is now 0); 12 risk results less the 3 re-read = 9; M3-03 = 1
    (M3-07 does not apply: no actual impact). 29 + 5 + 9 + 1 = 44.
    """
    result = _score(QUESTIONNAIRES / "valid" / "weak-yes-to-everything.json")
    assert result.maturity.steps == pytest.approx(
        {"S1": 47.0, "S2": 39.166667, "S3": 50.0, "S4": 50.0, "S5": 50.0}
    )
    assert result.maturity.score == pytest.approx(46.0)
    assert result.maturity.level == 3
    assert result.risk.residual_risk == pytest.approx(72.4)
    assert result.risk.level == "high"
    assert {c.id for c in result.contradictions} == {"CX-05", "CX-16", "CX-12a", "CX-12b", "CX-12c"}
    assert result.confidence == "C"
    assert len(result.unevidenced_claims) == 44


def test_honest_supplier_disclosing_child_labour_with_annex_ii_response() -> None:
    """A DRC refiner discloses child labour at an artisanal site, disengaged, remediates.

    S2 = 100 x (30 - 0.1) / 30 = 99.6667 (M2-16 'actual impact remediating' earns 0.9; admitting
    CAHRA and ASM sourcing earns full credit without evidence). S3 = 100 (M3-03 disengage, M3-07
    L4). S4 = 100 x (15 - 5 - 1) / 15 = 60 (own plant not in an assurance programme: M4-01 = 0;
    verification L3). M = (2500 + 30 x 99.6667 + 2000 + 15 x 60 + 1000) / 100 = 93.9; uncapped 5,
    G5-VERIFIED fails -> level 4. Inherent risk 100 (CD); residual 100 x (1 - 0.6 x 0.939) =
    43.66 -> medium, raised to high by the addressed critical flag (not critical).
    """
    result = _score(QUESTIONNAIRES / "valid" / "honest-red-flag.json")
    assert result.maturity.score == pytest.approx(93.9)
    assert (result.maturity.level, result.maturity.gates_failed) == (4, ("G5-VERIFIED",))
    assert result.risk.residual_risk == pytest.approx(43.66)
    assert (result.risk.base_level, result.risk.level) == ("medium", "high")
    flags = {(f.id, f.status) for f in result.red_flags}
    assert flags == {("RF-M2-16-SERIOUS-ABUSE", "addressed"), ("RF-M4-01-LOW", "open")}
    assert result.confidence == "A"


def test_disclosure_scores_better_than_not_assessed() -> None:
    """The honest example with child labour 'not assessed' instead (and no response answers).

    M3-03 still applies (not assessing cannot remove it) and is blank: S3 = 100 x 14.5 / 17.5 =
    82.857; S2 = 100 x 29 / 30 = 96.667; M = (2500 + 2900 + 1657.14 + 900 + 1000) / 100 = 89.571
    < 93.9, and the flag is now an open high 'not assessed' flag.
    """
    data = json.loads((QUESTIONNAIRES / "valid" / "honest-red-flag.json").read_text("utf-8"))
    for answer in data["answers"]:
        if answer["question"] == "M2-16":
            answer["value"] = "not-assessed"
    data["answers"] = [a for a in data["answers"] if a["question"] not in ("M3-03", "M3-07")]
    report = validate_questionnaire(data, as_of=AS_OF)
    assert report.questionnaire is not None
    result = score_questionnaire(report.questionnaire, as_of=AS_OF)
    assert result.maturity.score == pytest.approx(89.571429)
    assert result.maturity.score < 93.9
    assert "RF-M2-16-NOT-ASSESSED-EXPOSED" in result.flag_ids()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example(path: Path) -> None:
    expected = json.loads((QUESTIONNAIRES / "expected" / f"{path.stem}.json").read_text("utf-8"))
    assert expected["file"] == path.name
    report = validate_questionnaire(
        path.read_bytes(), as_of=date.fromisoformat(expected["asOf"]), name=path.name
    )
    assert not report.ok
    got = []
    for issue in report.issues:
        row: dict[str, object] = {
            "code": issue.code,
            "severity": issue.severity.value,
            "pointer": issue.pointer,
        }
        if issue.line is not None:
            row |= {"line": issue.line, "column": issue.column}
        got.append(row)
        assert is_documented(issue.code), issue.code
    assert got == expected["issues"]


def test_every_invalid_example_has_an_expectation_and_vice_versa() -> None:
    expectations = {p.stem for p in (QUESTIONNAIRES / "expected").glob("*.json")}
    assert expectations == {p.stem for p in INVALID}
