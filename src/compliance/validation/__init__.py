"""Layered validation: parse, JSON Schema, models, semantic checks; never raises on bad input.

The public names are imported on first use (PEP 562), as in :mod:`compliance`: importing
``compliance.validation.parsing`` (the CLI's flags need its ``DocumentFormat``) does not load the
JSON Schema validator, the models and pint.
"""

import typing as _typing

from compliance._lazy import lazy_exports as _lazy_exports

if _typing.TYPE_CHECKING:
    from compliance.validation.parsing import (
        DEFAULT_LIMITS,
        DocumentFormat,
        ParseLimits,
        ParseResult,
        parse_document,
    )
    from compliance.validation.report import ValidationReport
    from compliance.validation.schema_layer import schema_issues, submission_validator
    from compliance.validation.semantic import CHECKS, SemanticLimits, semantic_issues
    from compliance.validation.submission import validate_submission, validate_submission_data

_LAZY: dict[str, str] = {
    "DEFAULT_LIMITS": "compliance.validation.parsing",
    "DocumentFormat": "compliance.validation.parsing",
    "ParseLimits": "compliance.validation.parsing",
    "ParseResult": "compliance.validation.parsing",
    "parse_document": "compliance.validation.parsing",
    "ValidationReport": "compliance.validation.report",
    "schema_issues": "compliance.validation.schema_layer",
    "submission_validator": "compliance.validation.schema_layer",
    "CHECKS": "compliance.validation.semantic",
    "SemanticLimits": "compliance.validation.semantic",
    "semantic_issues": "compliance.validation.semantic",
    "validate_submission": "compliance.validation.submission",
    "validate_submission_data": "compliance.validation.submission",
}


__all__ = [
    "CHECKS",
    "DEFAULT_LIMITS",
    "DocumentFormat",
    "ParseLimits",
    "ParseResult",
    "SemanticLimits",
    "ValidationReport",
    "parse_document",
    "schema_issues",
    "semantic_issues",
    "submission_validator",
    "validate_submission",
    "validate_submission_data",
]

__getattr__, __dir__ = _lazy_exports(globals(), _LAZY)
