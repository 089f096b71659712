"""Load any JSON/YAML data document (rulesets, factor datasets ...) into a model, with issues.

The same safe parser and issue vocabulary as submissions: a broken rule or data file is reported
with its file name, JSON Pointer, line and column, never a traceback.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeVar

from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from compliance.errors import Issue
from compliance.resources import load_json_resource
from compliance.validation.layered import validate_structure
from compliance.validation.locating import locate_issues
from compliance.validation.model_layer import model_issues
from compliance.validation.parsing import DEFAULT_LIMITS, ParseLimits, parse_document

__all__ = ["load_document"]

M = TypeVar("M", bound=BaseModel)


@lru_cache(maxsize=8)
def schema_validator(schema_path: str) -> Draft202012Validator:
    """The validator of a published schema (``schemas/<kind>/<version>/schema.json``), cached."""
    schema = load_json_resource(schema_path)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def load_document(
    data: bytes,
    *,
    name: str,
    model: type[M],
    limits: ParseLimits = DEFAULT_LIMITS,
    schema: str | None = None,
) -> tuple[M | None, list[Issue]]:
    """Parse and validate ``data`` as ``model``; returns the model or the located issues.

    ``schema`` names the published JSON Schema of the document kind: the document is then
    checked against it as well (the same layers and messages as a submission), so a user's file
    gets the verdict their own schema tooling gives.
    """
    parsed = parse_document(data, name=name, limits=limits)
    if not parsed.ok:
        return None, locate_issues(parsed.issues, parsed.text, parsed.format)
    if schema is not None:
        issues, document = validate_structure(
            parsed.data, model, schema_validator(schema), full=True
        )
        if document is None:
            return None, locate_issues(issues, parsed.text, parsed.format)
        return document, []
    try:
        document = model.model_validate(parsed.data, by_alias=True, by_name=False)
    except ValidationError as exc:
        issues = model_issues(exc, parsed.data)
        return None, locate_issues(issues, parsed.text, parsed.format)
    return document, []
