"""The bundled PACT JSON Schemas (v2.3 for every 2.x footprint, v3.0) and what they imply.

The schemas are ``rules/interop/pact/`` (derived from the WBCSD PACT OpenAPI files, MIT; see the
LICENSE-NOTE there). They check the structure; the sign rules of decimals are only comments in
them (``x-comment: '>= 0'``), read here by :func:`sign_rules` so that the rules come from one place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from compliance.errors import Issue, Layer, Severity, pointer_from_path
from compliance.exchange.pact.values import Sign, sign_of_comment
from compliance.resources import load_json_resource

__all__ = ["Generation", "PactSchema", "pact_schema", "schema_issues"]


class Generation(StrEnum):
    """The two PACT data-model generations (interop.md section 0, item 1)."""

    V2 = "2"
    V3 = "3"


@dataclass(frozen=True, slots=True)
class PactSchema:
    """One bundled schema: its validator and the sign rules of the CarbonFootprint decimals."""

    generation: Generation
    resource: str
    validator: Draft202012Validator
    signs: Mapping[str, Sign]
    """``pcf`` property -> sign rule (from the schema's ``x-comment``)."""
    defs: Mapping[str, Any]


_RESOURCES = {
    Generation.V2: "rules/interop/pact/pact-productfootprint-v2.3.schema.json",
    Generation.V3: "rules/interop/pact/pact-productfootprint-v3.0.schema.json",
}


@lru_cache(maxsize=2)
def pact_schema(generation: Generation) -> PactSchema:
    """The bundled schema of a generation (v2.3 stands for 2.0-2.3)."""
    resource = _RESOURCES[generation]
    schema = load_json_resource(resource)
    defs = schema["$defs"]
    signs = {
        name: sign
        for name, prop in defs["CarbonFootprint"]["properties"].items()
        if (sign := sign_of_comment(prop.get("x-comment"))) is not None
    }
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return PactSchema(generation, resource, validator, signs, defs)


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The most specific error.

    A failed ``oneOf``/``anyOf`` speaks through its best branch when that failed deeper inside.
    """
    if error.validator in ("oneOf", "anyOf") and error.context:
        best = best_match(error.context)
        if len(best.absolute_path) > len(error.absolute_path):
            yield from _leaves(best)
            return
    yield error


def _message(error: ValidationError) -> tuple[str, str]:
    """(pointer, message) of one schema error; ``required`` points at the missing field."""
    pointer = pointer_from_path(list(error.absolute_path))
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else ""
        return f"{pointer}/{missing}", f"required field {missing!r} is missing"
    if error.validator == "oneOf" and error.validator_value and pointer.endswith("/pcf"):
        return (
            pointer,
            "give at most one of geographyRegionOrSubregion, geographyCountry, "
            "geographyCountrySubdivision",
        )
    return pointer, error.message


def schema_issues(
    data: Any, schema: PactSchema, *, base: str = "", skip_required: frozenset[str] = frozenset()
) -> list[Issue]:
    """Schema findings of one footprint, located under ``base``.

    Args:
        data: The footprint.
        schema: The schema of its generation.
        base: The footprint's pointer inside the file (``/data/3``).
        skip_required: Fields whose ``required`` error is not an error for this footprint's
            version (the documented leniency for genuine 2.0/2.1 data).
    """
    issues: list[Issue] = []
    seen: set[tuple[str, str]] = set()
    for error in schema.validator.iter_errors(data):
        for leaf in _leaves(error):
            pointer, message = _message(leaf)
            if leaf.validator == "required" and pointer.rsplit("/", 1)[-1] in skip_required:
                continue
            key = (pointer, str(leaf.validator))
            if key in seen:
                continue
            seen.add(key)
            issues.append(
                Issue(
                    "pact.schema",
                    base + pointer,
                    message,
                    Severity.ERROR,
                    Layer.SCHEMA,
                    context={"keyword": str(leaf.validator), "schema": schema.resource},
                )
            )
    return issues
