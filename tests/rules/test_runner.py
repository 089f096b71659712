"""Meta-tests: the case runner fails on failing cases (OpenFisca's failing_test_*.yaml idea),
the plugin collects rule cases with readable failures, and every rule has covering cases."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compliance.dd.rules.cases import iter_case_refs, parse_cases, run_case
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted((ROOT / "rules" / "dd" / "cases").glob("*.yaml"))


def test_wrong_expectations_are_reported(catalogue, tables) -> None:
    """M1-01 'yes' without evidence earns 3 x 1 x 0.5 = 1.5, not 3, and raises no flag."""
    cases, problems = parse_cases((FIXTURES / "failing_points.yaml").read_text("utf-8"), "f")
    assert problems == []
    first, second = (run_case(case, catalogue, tables) for case in cases)
    assert [str(m) for m in first] == ["questions.M1-01.points: expected 3, got 1.5"]
    assert len(second) == 1
    assert second[0].path == "red_flags"
    assert second[0].expected == "RF-M1-01-NO"


def test_malformed_case_files_are_issues() -> None:
    cases, problems = parse_cases((FIXTURES / "failing_malformed.yaml").read_text("utf-8"), "f")
    assert cases == []
    assert [(p.code, p.pointer) for p in problems] == [
        ("rules.case-invalid", "/0/as_of"),
        ("rules.case-invalid", "/1"),
    ]


def test_an_invalid_input_questionnaire_fails_the_case(catalogue, tables) -> None:
    cases, _ = parse_cases((FIXTURES / "failing_invalid_input.yaml").read_text("utf-8"), "f")
    (mismatch,) = run_case(cases[0], catalogue, tables)
    assert mismatch.path == "input"
    assert "dd.unknown-question /answers/0/question" in mismatch.actual[0]


@pytest.mark.slow
def test_pytest_collects_rule_cases_and_fails_failing_ones(tmp_path: Path) -> None:
    """Run pytest in a fresh process on a rule pack whose cases include the failing fixtures."""
    pack = tmp_path / "rules" / "dd"
    shutil.copytree(ROOT / "rules" / "dd", pack, ignore=shutil.ignore_patterns("cases"))
    (pack / "cases").mkdir()
    shutil.copy(FIXTURES / "failing_points.yaml", pack / "cases" / "failing.yaml")
    shutil.copy(ROOT / "rules" / "dd" / "cases" / "5-reporting.yaml", pack / "cases")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "rules")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "2 failed, 3 passed" in proc.stdout
    assert "failing.yaml -> Wrong points for a published policy" in proc.stdout
    assert "questions.M1-01.points: expected 3, got 1.5" in proc.stdout


def _coverage(catalogue):
    full: set[str] = set()
    partial: set[str] = set()
    fired: set[str] = set()
    absent: set[str] = set()
    flags: set[str] = set()
    for path in CASES:
        cases, problems = parse_cases(path.read_text("utf-8"), path.name)
        assert problems == []
        for case in cases:
            for kind, ref, expected in iter_case_refs(case):
                if kind == "question" and isinstance(expected, dict) and "points" in expected:
                    weight = catalogue.questions[ref].weight_on(case.as_of)
                    (full if expected["points"] == pytest.approx(weight) else partial).add(ref)
                elif kind == "contradictions":
                    (fired if expected else absent).add(ref)
                elif kind == "red_flags" and expected:
                    flags.add(ref)
    return full, partial, fired, absent, flags


def test_every_scored_question_has_a_full_and_a_partial_case(catalogue) -> None:
    full, partial, *_ = _coverage(catalogue)
    scored = {q for q, rule in catalogue.questions.items() if rule.scored}
    assert scored - full == set()
    assert scored - partial == set()


def test_every_contradiction_fires_in_a_case_and_is_absent_in_another(catalogue) -> None:
    _, _, fired, absent, _ = _coverage(catalogue)
    ids = {rule.id for rule in catalogue.contradictions}
    assert ids - fired == set()
    assert ids - absent == set()


def test_every_red_flag_fires_in_a_case(catalogue) -> None:
    *_, flags = _coverage(catalogue)
    declared = {f.id for q in catalogue.questions.values() for f in q.flags}
    declared |= {e.flag.id for r in catalogue.contradictions for e in r.effects if e.flag}
    assert declared - flags == set()
