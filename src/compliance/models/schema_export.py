"""Generate the published JSON Schemas (draft 2020-12) from the pydantic models.

The models are the single source of truth; ``schemas/<name>/<version>/schema.json`` is generated
from them by ``scripts/generate_schemas.py`` and committed. ``tests/contract/test_schemas_fresh.py``
fails when the committed file drifts from what this module produces.
"""

from __future__ import annotations

import json
from typing import Any

from compliance.models.common import CountryCode
from compliance.models.dd_tables import RuleFile
from compliance.models.questionnaire import (
    QUESTIONNAIRE_SCHEMA_ID,
    QUESTIONNAIRE_SCHEMA_VERSION,
    DdQuestionnaire,
)
from compliance.models.submission import (
    SUBMISSION_SCHEMA_ID,
    SUBMISSION_SCHEMA_VERSION,
    SupplierSubmission,
)
from compliance.units import Dimension

__all__ = [
    "PUBLISHED_SCHEMAS",
    "RULESET_SCHEMA_ID",
    "RULESET_SCHEMA_VERSION",
    "build_questionnaire_schema",
    "build_ruleset_schema",
    "build_submission_schema",
    "render_schema",
]

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def _country_schema() -> dict[str, Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(CountryCode).json_schema()


_ANNOTATIONS = ("description", "title", "default")


def _quantity_def_name(node: dict[str, Any]) -> str:
    dims = node["x-dimension"]
    names = [
        next(d.name for d in Dimension if d.value[0] == dim)
        for dim in (dims if isinstance(dims, list) else [dims])
    ]
    words = "Or".join(n.title().replace("_", "") for n in names)
    signed = "minimum" not in node["properties"]["value"]
    return f"{'Signed' if signed else ''}{words}Quantity"


class _Tidier:
    """Share repeated sub-schemas through ``$defs``; drop pydantic's auto field titles."""

    def __init__(self, country: dict[str, Any]) -> None:
        self.country = country
        self.defs: dict[str, Any] = {"CountryCode": country}

    def _share(self, name: str, node: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
        self.defs.setdefault(name, shared)
        extra = {k: v for k, v in node.items() if k in _ANNOTATIONS and shared.get(k) != v}
        return {"$ref": f"#/$defs/{name}", **extra}

    def walk(self, node: Any, *, in_properties: bool = False) -> Any:
        if isinstance(node, list):
            return [self.walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if in_properties:
            node = {k: v for k, v in node.items() if k != "title"}
        if node.get("enum") == self.country["enum"]:
            return self._share("CountryCode", node, self.country)
        if "x-dimension" in node:
            core = {k: v for k, v in node.items() if k not in _ANNOTATIONS}
            return self._share(_quantity_def_name(node), node, core)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                out[key] = {name: self.walk(sub, in_properties=True) for name, sub in value.items()}
            else:
                out[key] = self.walk(value)
        return out


def build_submission_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`~compliance.models.SupplierSubmission`."""
    tidier = _Tidier(_country_schema())
    generated = SupplierSubmission.model_json_schema(by_alias=True, mode="validation")
    body = tidier.walk(generated)
    defs = {**body.pop("$defs", {}), **tidier.defs}
    header = {
        "$schema": DRAFT_2020_12,
        "$id": SUBMISSION_SCHEMA_ID,
        "title": "Battery supplier submission",
        "description": (
            "Data of one battery model from one manufacturing plant for the carbon footprint "
            "declaration (Regulation (EU) 2023/1542 Art. 7, Annex II) and the battery passport. "
            "Quantities are strings like '23 400 g' or objects {value, unit}; 'x-dimension' and "
            "'x-canonical-unit' state what each field expects. Amounts are per one battery."
        ),
        "x-schema-version": SUBMISSION_SCHEMA_VERSION,
    }
    body.pop("title", None)
    body.pop("description", None)
    return {**header, **body, "$defs": dict(sorted(defs.items()))}


def _without_discriminators(node: Any) -> Any:
    """Drop pydantic's OpenAPI ``discriminator`` hints (not JSON Schema; ``oneOf`` stays)."""
    if isinstance(node, list):
        return [_without_discriminators(item) for item in node]
    if isinstance(node, dict):
        return {k: _without_discriminators(v) for k, v in node.items() if k != "discriminator"}
    return node


def _publish(
    generated: dict[str, Any], schema_id: str, version: str, title: str, description: str
) -> dict[str, Any]:
    tidier = _Tidier(_country_schema())
    body = _without_discriminators(tidier.walk(generated))
    defs = {**body.pop("$defs", {}), **tidier.defs}
    header = {
        "$schema": DRAFT_2020_12,
        "$id": schema_id,
        "title": title,
        "description": description,
        "x-schema-version": version,
    }
    body.pop("title", None)
    body.pop("description", None)
    return {**header, **body, "$defs": dict(sorted(defs.items()))}


def build_questionnaire_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`~compliance.models.DdQuestionnaire`."""
    return _publish(
        DdQuestionnaire.model_json_schema(by_alias=True, mode="validation"),
        QUESTIONNAIRE_SCHEMA_ID,
        QUESTIONNAIRE_SCHEMA_VERSION,
        "Battery raw-material due-diligence questionnaire",
        "A supplier's answers on due diligence for the Annex X raw materials (cobalt, natural "
        "graphite, lithium, nickel; optionally copper and mica) under Regulation (EU) 2023/1542 "
        "Art. 47-52: header, scope, materials, answers to the catalogue questions in rules/dd "
        "with evidence references, processor and mine lists, and an evidence register. Question "
        "ids, answer types and evidence references are checked against the catalogue.",
    )


RULESET_SCHEMA_VERSION = "1.0.0"
RULESET_SCHEMA_ID = f"urn:compliance:schema:ruleset:{RULESET_SCHEMA_VERSION}"


def build_ruleset_schema() -> dict[str, Any]:
    """The JSON Schema of the rule files under ``rules/dd`` (any ``kind``)."""
    from pydantic import TypeAdapter

    return _publish(
        TypeAdapter(RuleFile).json_schema(mode="validation"),
        RULESET_SCHEMA_ID,
        RULESET_SCHEMA_VERSION,
        "Due-diligence rule file",
        "A file of the due-diligence rule catalogue (rules/dd): the catalogue header, answer "
        "types, the questions of one OECD step, contradiction rules, a reference table or a "
        "translation. 'kind' says which; conditions use a closed operator vocabulary.",
    )


def render_schema(schema: dict[str, Any]) -> str:
    """Canonical text of a published schema file (UTF-8, 2-space indent, trailing newline)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


PUBLISHED_SCHEMAS = {
    f"schemas/supplier-submission/{SUBMISSION_SCHEMA_VERSION}/schema.json": build_submission_schema,
    f"schemas/dd-questionnaire/{QUESTIONNAIRE_SCHEMA_VERSION}/schema.json": (
        build_questionnaire_schema
    ),
    f"schemas/ruleset/{RULESET_SCHEMA_VERSION}/schema.json": build_ruleset_schema,
}
"""Relative path of each published schema and the function generating it."""
