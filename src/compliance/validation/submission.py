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

from pydantic import ValidationError

from compliance.errors import Issue, Layer, Severity, split_pointer
from compliance.models import SUBMISSION_SCHEMA_ID, SupplierSubmission
from compliance.validation.locating import locate_issues
from compliance.validation.model_layer import MIRRORED_BY_SCHEMA, model_issues
from compliance.validation.parsing import (
    DEFAULT_LIMITS,
    DocumentFormat,
    ParseLimits,
    parse_document,
)
from compliance.validation.report import ValidationReport
from compliance.validation.schema_layer import schema_issues
from compliance.validation.semantic import DEFAULT_LIMITS as DEFAULT_SEMANTIC_LIMITS
from compliance.validation.semantic import SemanticLimits, semantic_issues

__all__ = ["DOCUMENT_KIND", "validate_submission", "validate_submission_data"]

DOCUMENT_KIND = "supplier-submission"

_SKIPPED = Issue(
    "validation.semantic-skipped",
    "",
    "cross-field checks run once the structural errors above are fixed",
    Severity.INFO,
    Layer.SEMANTIC,
)


_STRUCTURAL = (Layer.SCHEMA, Layer.MODEL)


def _merge(schema: list[Issue], model: list[Issue]) -> list[Issue]:
    """Schema issues first; model issues the schema cannot express (units ...) added once."""
    if not schema:
        return model
    covered = {i.pointer for i in schema}
    extra = [
        i for i in model if not i.code.startswith(MIRRORED_BY_SCHEMA) and i.pointer not in covered
    ]
    return schema + extra


def validate_submission_data(
    data: Any,
    *,
    full: bool = False,
    semantic_limits: SemanticLimits = DEFAULT_SEMANTIC_LIMITS,
) -> tuple[list[Issue], SupplierSubmission | None]:
    """Validate already-parsed data (a JSON-compatible mapping). Returns issues and the model."""
    try:
        submission = SupplierSubmission.model_validate(data, by_alias=True, by_name=False)
    except ValidationError as exc:
        found = model_issues(exc, data)
        near = None if full else [i.pointer for i in found]
        issues = _merge(schema_issues(data, near=near), found)
        return issues, None
    issues = schema_issues(data) if full else []
    if issues:  # pragma: no cover - the differential test guards this
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
        return _report(issues, submission, name, source)
    raw = source.encode("utf-8") if isinstance(source, str) else source
    parsed = parse_document(raw, name=name, format=format, limits=limits)
    if not parsed.ok:
        issues = locate_issues(parsed.issues, parsed.text, parsed.format)
        return ValidationReport(tuple(issues), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, None, name)
    issues, submission = validate_submission_data(
        parsed.data, full=full, semantic_limits=semantic_limits
    )
    located = locate_issues(issues, parsed.text, parsed.format) if issues else []
    return _report(located, submission, name, parsed.data)


def _document_order(data: Any, issue: Issue) -> tuple[int, ...]:
    """Position of the pointer's target in the document (missing members sort last)."""
    order: list[int] = []
    node = data
    for token in split_pointer(issue.pointer):
        if isinstance(node, dict):
            keys = list(node)
            order.append(keys.index(token) if token in node else len(keys))
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            order.append(int(token))
            node = node[int(token)]
        else:
            order.append(1 << 30)
            node = None
    return tuple(order)


def _report(
    issues: list[Issue], submission: SupplierSubmission | None, name: str | None, data: Any
) -> ValidationReport:
    """Order issues as they appear in the document; note skipped semantic checks last."""
    ordered = sorted(
        issues,
        key=lambda i: (i.line is None, i.line or 0, i.column or 0, _document_order(data, i)),
    )
    if submission is None and any(i.layer in _STRUCTURAL for i in ordered):
        ordered.append(_SKIPPED)
    return ValidationReport(tuple(ordered), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, submission, name)
