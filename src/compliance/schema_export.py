"""Generate the published JSON Schemas (draft 2020-12) from the pydantic models.

The models are the single source of truth; ``schemas/<name>/<version>/schema.json`` is generated
from them by ``scripts/generate_schemas.py`` and committed. ``tests/contract/test_schemas_fresh.py``
fails when the committed file drifts from what this module produces.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, TypeAdapter

from compliance.cfp.datasets import FactorDataset
from compliance.cfp.rulesets import CfpRuleset
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
    "build_cfp_ruleset_schema",
    "build_factor_dataset_schema",
    "build_questionnaire_schema",
    "build_ruleset_schema",
    "build_schema",
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
        self.defs: dict[str, Any] = {}

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


def _without_discriminators(node: Any) -> Any:
    """Drop pydantic's OpenAPI ``discriminator`` hints (not JSON Schema; ``oneOf`` stays)."""
    if isinstance(node, list):
        return [_without_discriminators(item) for item in node]
    if isinstance(node, dict):
        return {k: _without_discriminators(v) for k, v in node.items() if k != "discriminator"}
    return node


def build_schema(
    model: type[BaseModel] | Any, schema_id: str, version: str, title: str, description: str
) -> dict[str, Any]:
    """The published JSON Schema of ``model`` (a model class or a type) with its header."""
    tidier = _Tidier(_country_schema())
    if isinstance(model, type) and issubclass(model, BaseModel):
        generated = model.model_json_schema(by_alias=True, mode="validation")
    else:
        generated = TypeAdapter(model).json_schema(by_alias=True, mode="validation")
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


def build_submission_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`~compliance.models.SupplierSubmission`."""
    return build_schema(
        SupplierSubmission,
        SUBMISSION_SCHEMA_ID,
        SUBMISSION_SCHEMA_VERSION,
        "Battery supplier submission",
        "Data of one battery model from one manufacturing plant for the carbon footprint "
        "declaration (Regulation (EU) 2023/1542 Art. 7, Annex II) and the battery passport. "
        "Quantities are strings like '23 400 g' or objects {value, unit}; 'x-dimension' and "
        "'x-canonical-unit' state what each field expects. Amounts are per one battery.",
    )


def build_factor_dataset_schema() -> dict[str, Any]:
    """The JSON Schema of factor datasets (bundled and user-supplied)."""
    return build_schema(
        FactorDataset,
        "urn:compliance:schema:factor-dataset:1.0.0",
        "1.0.0",
        "Emission-factor dataset",
        "A versioned, licensed collection of emission factors (kg CO2e per kg, kWh, m3, piece "
        "or t.km) with sources and validity, referenced from submissions as "
        "{dataset, factorId}.",
    )


def build_cfp_ruleset_schema() -> dict[str, Any]:
    """The JSON Schema of CFP ruleset files (``rules/cfp/rulesets``)."""
    return build_schema(
        CfpRuleset,
        "urn:compliance:schema:cfp-ruleset:1.0.0",
        "1.0.0",
        "Carbon footprint ruleset",
        "A CFP calculation method as data: references, effective dates, functional-unit "
        "strategy, electricity rule, CFF variant and defaults, GWP set, component stage mapping, "
        "performance classes and data-quality levels.",
    )


def build_passport_schema() -> dict[str, Any]:
    """The JSON Schema of a battery passport (any access-level view)."""
    from compliance.passport.model import PASSPORT_SCHEMA_ID, Passport

    return build_schema(
        Passport,
        PASSPORT_SCHEMA_ID,
        "1.0.0",
        "Battery passport",
        "One version of the passport of one battery (Regulation (EU) 2023/1542 Art. 77-78, "
        "Annex XIII): sections per access group (public point 1, legitimateInterest point 2, "
        "authorities point 3, individual point 4), the compliance extensions and the "
        "provenance. A view for an access level leaves out the sections it may not see.",
    )


def build_passport_document_schema() -> dict[str, Any]:
    """The JSON Schema of a sealed passport version (digest, signature)."""
    from compliance.passport.integrity import PassportDocument

    return build_schema(
        PassportDocument,
        "urn:compliance:schema:passport-document:1.0.0",
        "1.0.0",
        "Sealed battery passport version",
        "An immutable passport version: the passport, its version number, the digest of the "
        "previous version, the SHA-256 digest of the RFC 8785 canonical JSON of these, and an "
        "optional Ed25519 signature of the digest. Stored in canonical form.",
    )


def build_questionnaire_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`~compliance.models.DdQuestionnaire`."""
    return build_schema(
        DdQuestionnaire,
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
    return build_schema(
        RuleFile,
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
    "schemas/factor-dataset/1.0.0/schema.json": build_factor_dataset_schema,
    "schemas/cfp-ruleset/1.0.0/schema.json": build_cfp_ruleset_schema,
    f"schemas/dd-questionnaire/{QUESTIONNAIRE_SCHEMA_VERSION}/schema.json": (
        build_questionnaire_schema
    ),
    f"schemas/ruleset/{RULESET_SCHEMA_VERSION}/schema.json": build_ruleset_schema,
    "schemas/passport/1.0.0/schema.json": build_passport_schema,
    "schemas/passport-document/1.0.0/schema.json": build_passport_document_schema,
}
"""Relative path of each published schema and the function generating it."""
