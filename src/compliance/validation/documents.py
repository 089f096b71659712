"""Load any JSON/YAML data document (rulesets, factor datasets ...) into a model, with issues.

The same safe parser and issue vocabulary as submissions: a broken rule or data file is reported
with its file name, JSON Pointer, line and column, never a traceback.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from compliance.errors import Issue
from compliance.validation.locating import locate_issues
from compliance.validation.model_layer import model_issues
from compliance.validation.parsing import DEFAULT_LIMITS, ParseLimits, parse_document

__all__ = ["load_document"]

M = TypeVar("M", bound=BaseModel)


def load_document(
    data: bytes, *, name: str, model: type[M], limits: ParseLimits = DEFAULT_LIMITS
) -> tuple[M | None, list[Issue]]:
    """Parse and validate ``data`` as ``model``; returns the model or the located issues."""
    parsed = parse_document(data, name=name, limits=limits)
    if not parsed.ok:
        return None, locate_issues(parsed.issues, parsed.text, parsed.format)
    try:
        document = model.model_validate(parsed.data, by_alias=True, by_name=False)
    except ValidationError as exc:
        issues = model_issues(exc, parsed.data)
        return None, locate_issues(issues, parsed.text, parsed.format)
    return document, []
