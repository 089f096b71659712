"""Examples are tests: valid ones validate; each invalid one gives exactly its expected issues."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance.issue_codes import is_documented
from compliance.validation import validate_submission
from tests.conftest import EXAMPLES, INVALID, VALID


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example(path: Path) -> None:
    report = validate_submission(path.read_bytes(), name=path.name, full=True)
    assert report.ok, [i.to_dict() for i in report.issues]
    assert report.issues == ()
    assert report.submission is not None


def test_there_are_three_realistic_valid_examples() -> None:
    kinds = set()
    for path in VALID:
        report = validate_submission(path.read_bytes(), name=path.name)
        assert report.submission is not None
        battery = report.submission.battery
        kinds.add((battery.category.value, battery.chemistry.value, str(battery.vehicle_class)))
    assert kinds == {("ev", "NMC811", "M1"), ("ev", "LFP", "M3"), ("lmt", "NMC622", "None")}


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example(path: Path) -> None:
    expected = json.loads((EXAMPLES / "expected" / f"{path.stem}.json").read_text("utf-8"))
    assert expected["file"] == path.name
    report = validate_submission(path.read_bytes(), name=path.name)
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
    expectations = {p.stem for p in (EXAMPLES / "expected").glob("*.json")}
    assert expectations == {p.stem for p in INVALID}
