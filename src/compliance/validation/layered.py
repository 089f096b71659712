"""The structural layers shared by every document kind: JSON Schema and pydantic models.

Fast path: the models are generated into the published schema and are at least as strict as it
(``tests/property/test_differential.py``), so a document is validated by the models first; only
when they reject it does ``jsonschema`` run, near the rejected locations, to produce the detailed,
authoritative listing. ``full=True`` always runs the schema layer too.
"""

from __future__ import annotations

from typing import Any, TypeVar

from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from compliance.errors import Issue, split_pointer
from compliance.validation.model_layer import MIRRORED_BY_SCHEMA, model_issues
from compliance.validation.schema_layer import schema_issues

__all__ = ["merge_structural", "order_issues", "validate_structure"]

M = TypeVar("M", bound=BaseModel)


def merge_structural(schema: list[Issue], model: list[Issue]) -> list[Issue]:
    """Schema issues first; model issues the schema cannot express (units ...) added once."""
    if not schema:
        return model
    covered = {i.pointer for i in schema}
    extra = [
        i for i in model if not i.code.startswith(MIRRORED_BY_SCHEMA) and i.pointer not in covered
    ]
    return schema + extra


def validate_structure(
    data: Any, model: type[M], validator: Draft202012Validator, *, full: bool = False
) -> tuple[list[Issue], M | None]:
    """Validate parsed data against a model and its published schema (fast path)."""
    try:
        document = model.model_validate(data, by_alias=True, by_name=False)
    except ValidationError as exc:
        found = model_issues(exc, data)
        near = None if full else [i.pointer for i in found]
        return merge_structural(schema_issues(data, validator, near=near), found), None
    issues = schema_issues(data, validator) if full else []
    if issues:  # pragma: no cover - the differential tests guard this
        return issues, None
    return [], document


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


def order_issues(issues: list[Issue], data: Any) -> list[Issue]:
    """Issues in document order: by line and column when known, else by pointer position."""
    return sorted(
        issues,
        key=lambda i: (i.line is None, i.line or 0, i.column or 0, _document_order(data, i)),
    )
