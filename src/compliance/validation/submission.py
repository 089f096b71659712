"""Validate a supplier submission through every layer and report all problems at once.

Layers: parse -> JSON Schema -> pydantic model -> semantic checks.

Fast path: the models are at least as strict as the published schema (the schema is generated
from them, and ``tests/property/test_differential.py`` checks on generated documents that the
models never accept what the schema rejects). So a document is first validated by the models;
only when they reject it does the (slower) ``jsonschema`` run, to produce the detailed,
authoritative listing. ``full=True`` always runs the schema layer as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.errors import Issue, Layer, Severity
from compliance.models import SUBMISSION_SCHEMA_ID, SupplierSubmission
from compliance.validation.kinds import DocumentKind, detect_data_kind, wrong_kind_issue
from compliance.validation.layered import order_issues, validate_structure
from compliance.validation.locating import locate_issues
from compliance.validation.parsing import (
    DEFAULT_LIMITS,
    DocumentFormat,
    ParseLimits,
    parse_document,
)
from compliance.validation.report import ValidationReport
from compliance.validation.schema_layer import submission_validator
from compliance.validation.semantic import DEFAULT_LIMITS as DEFAULT_SEMANTIC_LIMITS
from compliance.validation.semantic import SemanticLimits, semantic_issues

__all__ = [
    "DOCUMENT_KIND",
    "other_kind_report",
    "validate_submission",
    "validate_submission_data",
]

DOCUMENT_KIND = "supplier-submission"

_SKIPPED = Issue(
    "validation.semantic-skipped",
    "",
    "cross-field checks run once the structural errors above are fixed",
    Severity.INFO,
    Layer.SEMANTIC,
)


_STRUCTURAL = (Layer.SCHEMA, Layer.MODEL)


def validate_submission_data(
    data: Any,
    *,
    full: bool = False,
    semantic_limits: SemanticLimits = DEFAULT_SEMANTIC_LIMITS,
) -> tuple[list[Issue], SupplierSubmission | None]:
    """Validate already-parsed data (a JSON-compatible mapping). Returns issues and the model."""
    issues, submission = validate_structure(
        data, SupplierSubmission, submission_validator(), full=full
    )
    if submission is None:
        return issues, None
    return semantic_issues(submission, semantic_limits), submission


def validate_submission(
    source: bytes | str | Mapping[str, Any],
    *,
    name: str | None = None,
    format: DocumentFormat | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
    semantic_limits: SemanticLimits = DEFAULT_SEMANTIC_LIMITS,
    full: bool = False,
) -> ValidationReport:
    """Validate a supplier submission given as bytes, text or parsed data.

    Never raises on bad input: every problem is an :class:`~compliance.errors.Issue` in the
    returned report, with a JSON Pointer and, for text input, a line and column.

    Args:
        source: The document: raw bytes or text (JSON or YAML), or an already parsed mapping.
        name: A file name or label; its extension selects JSON or YAML.
        format: Force JSON or YAML.
        limits: Parser limits (size, depth).
        semantic_limits: Tolerances of the semantic checks.
        full: Also run the JSON Schema layer on documents the models accept.
    """
    if isinstance(source, Mapping):
        issues, submission = validate_submission_data(
            source, full=full, semantic_limits=semantic_limits
        )
        other = _other_kind(source) if submission is None else None
        if other is not None:
            return other_kind_report(other, name)
        return _report(issues, submission, name, source)
    raw = source.encode("utf-8") if isinstance(source, str) else source
    parsed = parse_document(raw, name=name, format=format, limits=limits)
    if not parsed.ok:
        issues = locate_issues(parsed.issues, parsed.text, parsed.format)
        return ValidationReport(tuple(issues), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, None, name)
    issues, submission = validate_submission_data(
        parsed.data, full=full, semantic_limits=semantic_limits
    )
    if submission is None:
        other = _other_kind(parsed.data)
        if other is not None:
            return other_kind_report(other, name)
    located = locate_issues(issues, parsed.text, parsed.format) if issues else []
    return _report(located, submission, name, parsed.data)


def _other_kind(data: Any) -> DocumentKind | None:
    """The kind of a rejected document when it is recognisably another kind."""
    kind = detect_data_kind(data)
    return None if kind in (DocumentKind.SUBMISSION, DocumentKind.UNKNOWN) else kind


def other_kind_report(kind: DocumentKind, name: str | None) -> ValidationReport:
    """The report of a document of another kind: one ``document.wrong-kind`` issue."""
    issue = wrong_kind_issue(kind, DocumentKind.SUBMISSION)
    return ValidationReport((issue,), kind.value, None, None, name)


def _report(
    issues: list[Issue], submission: SupplierSubmission | None, name: str | None, data: Any
) -> ValidationReport:
    """Order issues as they appear in the document; note skipped semantic checks last."""
    ordered = order_issues(issues, data)
    if submission is None and any(i.layer in _STRUCTURAL for i in ordered):
        ordered.append(_SKIPPED)
    return ValidationReport(tuple(ordered), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, submission, name)
