"""Layered validation: parse, JSON Schema, models, semantic checks; never raises on bad input."""

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
