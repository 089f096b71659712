"""Structural validation of a DD questionnaire: parse, JSON Schema, models.

The cross-references that need the rule catalogue (question ids, answer types, evidence ids,
materials in scope, dates against the scoring date) are checked by ``compliance.dd.engine.checks``;
``compliance.dd.validate_questionnaire`` runs both.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from compliance.errors import Issue
from compliance.models.questionnaire import QUESTIONNAIRE_SCHEMA_VERSION, DdQuestionnaire
from compliance.resources import load_json_resource
from compliance.validation.layered import validate_structure

__all__ = [
    "QUESTIONNAIRE_SCHEMA_PATH",
    "questionnaire_structure_issues",
    "questionnaire_validator",
]

QUESTIONNAIRE_SCHEMA_PATH = f"schemas/dd-questionnaire/{QUESTIONNAIRE_SCHEMA_VERSION}/schema.json"


@lru_cache(maxsize=1)
def questionnaire_validator() -> Draft202012Validator:
    """The validator of the published dd-questionnaire schema (built once)."""
    schema = load_json_resource(QUESTIONNAIRE_SCHEMA_PATH)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def questionnaire_structure_issues(
    data: Any, *, full: bool = False
) -> tuple[list[Issue], DdQuestionnaire | None]:
    """Schema and model issues of parsed questionnaire data, and the model when valid."""
    return validate_structure(data, DdQuestionnaire, questionnaire_validator(), full=full)
