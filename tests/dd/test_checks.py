"""Questionnaire checks against the catalogue: each finding located, nothing accepted silently."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from compliance.dd import (
    load_catalogue,
    read_catalogue,
    score_questionnaire,
    validate_questionnaire,
)
from compliance.dd.engine.checks import catalogue_check
from compliance.dd.rules.loader import bundled_reader
from tests.dd.conftest import AS_OF, example


def _doc(**extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schemaVersion": "1.0.0",
        "header": {
            "supplier": {"name": "Example GmbH"},
            "roles": ["processor"],
            "effectiveDate": "2025-09-30",
            "authorizer": {"name": "Alex Example"},
        },
        "materials": [
            {"material": "cobalt", "present": "yes"},
            {"material": "lithium", "present": "no"},
        ],
    }
    document.update(extra)
    return document


def _found(document: dict[str, Any], **kwargs: Any) -> list[tuple[str, str, str]]:
    report = validate_questionnaire(document, as_of=kwargs.pop("as_of", AS_OF), **kwargs)
    return [(i.code, i.severity.value, i.pointer) for i in report.issues]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"answers": [{"question": "M1-09", "value": 0.85}]},
            [("dd.percent-fraction", "warning", "/answers/0/value")],
        ),
        (
            {"answers": [{"question": "M2-12", "material": "cobalt", "value": "not-applicable"}]},
            [("dd.justification-missing", "error", "/answers/0/comment")],
        ),
        (
            {"answers": [{"question": "M2-01", "material": "lithium", "value": 50}]},
            [("dd.material-not-in-scope", "error", "/answers/0/material")],
        ),
        (
            {
                "materials": [
                    {"material": "cobalt", "present": "yes"},
                    {"material": "cobalt", "present": "no"},
                ]
            },
            [("dd.duplicate-material", "error", "/materials/1/material")],
        ),
        (
            {
                "processors": [{"id": "p1", "material": "cobalt", "name": "P"}],
                "mines": [{"material": "cobalt", "name": "M", "processor": "p2"}],
            },
            [("dd.unknown-processor", "error", "/mines/0/processor")],
        ),
        (
            {
                "processors": [
                    {"id": "p1", "material": "cobalt", "name": "P"},
                    {"id": "p1", "material": "cobalt", "name": "Q"},
                ]
            },
            [("dd.duplicate-id", "error", "/processors/1/id")],
        ),
        (
            {"evidence": [{"id": "e", "type": "policy"}, {"id": "e", "type": "report"}]},
            [("dd.duplicate-id", "error", "/evidence/1/id")],
        ),
        (
            {
                "answers": [
                    {"question": "M1-01", "value": "Yes"},
                    {"question": "M2-16", "value": "NOT_ASSESSED"},
                ]
            },
            [],
        ),
    ],
)
def test_findings(extra: dict[str, Any], expected: list[tuple[str, str, str]]) -> None:
    assert _found(_doc(**extra)) == expected


def test_period_order_and_future_end() -> None:
    header = {
        "supplier": {"name": "Example GmbH"},
        "roles": ["processor"],
        "effectiveDate": "2025-09-30",
        "authorizer": {"name": "Alex Example"},
        "reportingPeriod": {"start": "2026-12-31", "end": "2026-01-31"},
    }
    assert _found(_doc(header=header)) == [
        ("dd.period-order", "error", "/header/reportingPeriod"),
        ("dd.date-in-future", "error", "/header/reportingPeriod/end"),
    ]


def test_a_question_not_yet_in_force_is_ignored_with_a_warning() -> None:
    """A catalogue where M5-04 only applies from 2027: answering it in 2026 is a warning."""

    def reader(relative: str) -> str:
        text = bundled_reader(relative)
        if relative == "steps/5-reporting.yaml":
            text = text.replace(
                "  - id: M5-04\n", '  - id: M5-04\n    effective_from: "2027-01-01"\n'
            )
        return text

    catalogue = read_catalogue(reader)
    document = _doc(answers=[{"question": "M5-04", "value": "yes"}])
    assert _found(document, catalogue=catalogue) == [
        ("dd.question-not-in-force", "warning", "/answers/0/question")
    ]
    assert _found(document, catalogue=catalogue, as_of=date(2027, 2, 1)) == []


def test_text_input_gets_line_and_column() -> None:
    text = (
        b'{"schemaVersion": "1.0.0", "header": {"supplier": {"name": "X"}, "roles": ["mine"],\n'
        b'"effectiveDate": "2025-01-01", "authorizer": {"name": "A"}},\n'
        b'"answers": [{"question": "M1-01", "value": "perhaps"}]}'
    )
    report = validate_questionnaire(text, as_of=AS_OF, name="q.json")
    # line 3: '"answers": [{' is columns 1-13, '"question": "M1-01", ' 14-34: the key at 35
    (issue,) = report.issues
    assert (issue.code, issue.pointer, issue.line, issue.column) == (
        "dd.unknown-option",
        "/answers/0/value",
        3,
        35,
    )


def test_scorer_reuses_the_checks_validation_ran_and_only_those() -> None:
    """``report.checked`` gives the same result as checking again; stale checks are not used."""
    report = validate_questionnaire(example("strong-supplier"), as_of=AS_OF)
    assert report.questionnaire is not None
    assert report.checked is not None
    assert report.checked.applies_to(report.questionnaire, load_catalogue(), AS_OF)
    fresh = score_questionnaire(report.questionnaire, as_of=AS_OF)
    reused = score_questionnaire(report.questionnaire, as_of=AS_OF, checked=report.checked)
    assert reused.to_dict() == fresh.to_dict()
    # checks of another questionnaire, catalogue or date are ignored, never applied
    other = validate_questionnaire(_doc(), as_of=AS_OF)
    assert other.checked is not None
    assert other.questionnaire is not None
    assert not other.checked.applies_to(report.questionnaire, load_catalogue(), AS_OF)
    mixed = score_questionnaire(report.questionnaire, as_of=AS_OF, checked=other.checked)
    assert mixed.to_dict() == fresh.to_dict()
    later = date(2026, 6, 1)
    stale = catalogue_check(report.questionnaire, load_catalogue(), AS_OF)
    assert not stale.applies_to(report.questionnaire, load_catalogue(), later)
    assert (
        score_questionnaire(report.questionnaire, as_of=later, checked=stale).to_dict()
        == score_questionnaire(report.questionnaire, as_of=later).to_dict()
    )
    assert not report.checked.applies_to(report.questionnaire, read_catalogue(), AS_OF)
