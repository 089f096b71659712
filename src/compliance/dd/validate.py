"""Validate a DD questionnaire through every layer; never raises on bad input.

Layers: parse (JSON or YAML, safe) -> JSON Schema -> models -> catalogue checks
(``compliance.dd.engine.checks``). Every problem is a located issue; text input also gets line and
column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from compliance.dd.engine.checks import CatalogueCheck, catalogue_check
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.compiler import load_catalogue
from compliance.errors import Issue, Layer, Severity
from compliance.models.questionnaire import QUESTIONNAIRE_SCHEMA_ID, DdQuestionnaire
from compliance.validation.kinds import DocumentKind, detect_data_kind, wrong_kind_issue
from compliance.validation.layered import order_issues
from compliance.validation.locating import locate_issues
from compliance.validation.parsing import (
    DEFAULT_LIMITS,
    DocumentFormat,
    ParseLimits,
    parse_document,
)
from compliance.validation.questionnaire import questionnaire_structure_issues
from compliance.validation.report import IssueSummary

__all__ = [
    "DOCUMENT_KIND",
    "QuestionnaireReport",
    "other_kind_report",
    "validate_questionnaire",
]

DOCUMENT_KIND = "dd-questionnaire"

_SKIPPED = Issue(
    "validation.semantic-skipped",
    "",
    "catalogue checks run once the structural errors above are fixed",
    Severity.INFO,
    Layer.SEMANTIC,
)


@dataclass(frozen=True, slots=True)
class QuestionnaireReport(IssueSummary):
    """Every issue found in one questionnaire, and the model when its structure is valid.

    Attributes:
        issues: All findings, in document order.
        questionnaire: The model (also when catalogue checks found errors: it is structurally
            valid); ``None`` when parsing or the structure failed.
        source: File name or label.
        checked: The catalogue checks as they ran (``None`` when the structure failed); pass
            them to ``score_questionnaire(..., checked=...)`` so they are not run again.
    """

    issues: tuple[Issue, ...]
    questionnaire: DdQuestionnaire | None = None
    source: str | None = None
    checked: CatalogueCheck | None = None
    document_kind: str = DOCUMENT_KIND
    schema_id: str = QUESTIONNAIRE_SCHEMA_ID


def _validate_data(
    data: Any, catalogue: Catalogue, as_of: date, full: bool
) -> tuple[list[Issue], CatalogueCheck | None]:
    issues, questionnaire = questionnaire_structure_issues(data, full=full)
    if questionnaire is None:
        return issues, None
    checked = catalogue_check(questionnaire, catalogue, as_of)
    return list(checked.issues), checked


def validate_questionnaire(
    source: bytes | str | Mapping[str, Any],
    *,
    as_of: date,
    catalogue: Catalogue | None = None,
    name: str | None = None,
    format: DocumentFormat | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
    full: bool = False,
) -> QuestionnaireReport:
    """Validate a questionnaire given as bytes, text or parsed data.

    Args:
        source: Raw bytes or text (JSON or YAML), or an already parsed mapping.
        as_of: The scoring date: effective dates and evidence issue dates after it are errors.
        catalogue: The rule catalogue (default: the bundled one).
        name: File name or label; its extension selects JSON or YAML.
        format: Force JSON or YAML.
        limits: Parser limits.
        full: Also run the JSON Schema layer on documents the models accept.
    """
    catalogue = catalogue or load_catalogue()
    if isinstance(source, Mapping):
        issues, checked = _validate_data(source, catalogue, as_of, full)
        other = _other_kind(source) if checked is None else None
        if other is not None:
            return other_kind_report(other, name)
        return _report(issues, checked, name, source)
    raw = source.encode("utf-8") if isinstance(source, str) else source
    parsed = parse_document(raw, name=name, format=format, limits=limits)
    if not parsed.ok:
        located = locate_issues(parsed.issues, parsed.text, parsed.format)
        return QuestionnaireReport(tuple(located), None, name)
    issues, checked = _validate_data(parsed.data, catalogue, as_of, full)
    other = _other_kind(parsed.data) if checked is None else None
    if other is not None:
        return other_kind_report(other, name)
    located = locate_issues(issues, parsed.text, parsed.format) if issues else []
    return _report(located, checked, name, parsed.data)


def _other_kind(data: Any) -> DocumentKind | None:
    """The kind of a rejected document when it is recognisably another kind."""
    kind = detect_data_kind(data)
    return None if kind in (DocumentKind.QUESTIONNAIRE, DocumentKind.UNKNOWN) else kind


def other_kind_report(kind: DocumentKind, name: str | None) -> QuestionnaireReport:
    """The report of a document of another kind: one ``document.wrong-kind`` issue."""
    issue = wrong_kind_issue(kind, DocumentKind.QUESTIONNAIRE)
    return QuestionnaireReport((issue,), None, name, None, kind.value)


def _report(
    issues: list[Issue], checked: CatalogueCheck | None, name: str | None, data: Any
) -> QuestionnaireReport:
    ordered = order_issues(issues, data)
    if checked is None and any(i.layer in (Layer.SCHEMA, Layer.MODEL) for i in ordered):
        ordered.append(_SKIPPED)
    questionnaire = checked.questionnaire if checked else None
    return QuestionnaireReport(tuple(ordered), questionnaire, name, checked)
