"""Each exported attribute traced from the submission, with the reference field's description as
the oracle.

A case names the export field, the phrase of the reference schema's own description that says
what the field holds and in which unit (read from ../shared/reference at test time: the test
skips when the reference models are absent), and the value computed by hand from the EV example
submission (its strings parsed here, not by the engine). Tests fail when the description no longer
says so (the reference moved) or when the export holds another value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from compliance.passport.access import view
from compliance.passport.exports import export_batterypass, export_catenax
from compliance.passport.exports.batterypass import ASPECTS
from compliance.passport.exports.catenax import ASPECT, SCHEMA_PATH
from compliance.passport.model import AccessLevel, Passport
from tests.passport.conftest import EV, load_reference

Doc = dict[str, Any]


def _resolve(schema: Doc, node: Doc) -> Doc:
    """A schema node with its ``$ref`` and ``allOf`` (as the generated schemas use them) merged."""
    components = schema.get("components", {}).get("schemas", {})
    while True:
        if "$ref" in node:
            target = components[node["$ref"].rsplit("/", 1)[1]]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        elif "allOf" in node and "properties" not in node:
            merged: Doc = {k: v for k, v in node.items() if k != "allOf"}
            for part in node["allOf"]:
                part = _resolve(schema, part)
                merged.setdefault("properties", {}).update(part.get("properties", {}))
                for key, value in part.items():
                    merged.setdefault(key, value)
            node = merged
        else:
            return node


def reference_description(schema: Doc, pointer: str) -> str:
    """The descriptions along ``pointer``, the field's own first, then its ancestors' (a
    document's ``content`` is described by its list, e.g. ``rulebook``). Array indexes are
    skipped; a property the schema does not define (an extension such as schema.org's
    ``addressLocality``) is described by the object holding it."""
    node = schema
    found = [schema.get("description", "")]
    for token in pointer.split("/")[1:]:
        node = _resolve(schema, node)
        if "items" in node:
            node = _resolve(schema, node["items"])
            if token.isdigit():
                continue
        field = node.get("properties", {}).get(token)
        if field is None:
            break
        node = _resolve(schema, field)
        found.append(" ".join(filter(None, (field.get("description"), node.get("description")))))
    return " | ".join(text for text in reversed(found) if text)


def _get(document: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


_UNITS = {"kg": 1.0, "Ah": 1.0, "V": 1.0, "kWh": 1.0, "Wh": 1e-3, "kW": 1e3, "year": 1.0}


def number(text: str | Doc, unit: str = "") -> float:
    """A quantity string of the submission ("3 600 kWh", "250 kW") or {value, unit}, scaled by
    the factor of its unit (kW -> W, Wh -> kWh)."""
    if isinstance(text, dict):
        return float(text["value"]) * _UNITS[text["unit"]]
    *digits, given = text.split()
    return float("".join(digits)) * _UNITS[given]


@dataclass(frozen=True)
class Case:
    """One exported attribute: where, what the reference says it is, what it must hold."""

    aspect: str
    pointer: str
    says: str
    """A phrase of the reference description (lower case) that fixes meaning and unit."""
    expected: Callable[[Doc], Any]
    """The value, computed from the submission document."""
    level: AccessLevel = AccessLevel.FULL


def _p(doc: Doc) -> Doc:
    passport: Doc = doc["passport"]
    return passport


def _item(doc: Doc) -> Doc:
    item: Doc = doc["passport"]["item"]
    return item


def _cond(doc: Doc) -> Doc:
    condition: Doc = doc["passport"]["item"]["condition"]
    return condition


def _perf(doc: Doc) -> Doc:
    performance: Doc = doc["passport"]["performance"]
    return performance


# The CFP of the EV example: 4 244.43774 kg CO2e over 36 000 kWh (tests/cfp worked case);
# 10 significant digits (passport.exports.common.SIGNIFICANT_DIGITS).
CFP_TOTAL = 4244.43774
CFP_PER_KWH = 0.1179010483  # 4244.43774 / 36000 = 0.11790104833... -> 10 significant digits
METHOD = "EU draft delegated act on the carbon footprint of EV batteries (April 2024)"

CATENAX = [
    Case(
        ASPECT,
        "/identification/idDmc",
        "unique identifier of the product",
        lambda d: f"(01)0{_item(d)['gtin']}(21){_item(d)['serialNumber']}",
    ),
    Case(
        ASPECT,
        "/identification/identification/serial/0/value",
        "value of an identifier",
        lambda d: _item(d)["serialNumber"],
    ),
    Case(ASPECT, "/identification/category", "electric vehicle battery (ev)", lambda d: "EV"),
    Case(
        ASPECT,
        "/operation/manufacturer/manufacturingDate",
        "(yyyy-mm-dd)",
        lambda d: f"{_item(d)['manufacturingDate']}-01",
    ),
    Case(
        ASPECT, "/operation/intoServiceDate", "yyyy-mm-dd", lambda d: _item(d)["puttingIntoService"]
    ),
    Case(
        ASPECT,
        "/characteristics/physicalDimension/weight/value",
        "quantity value",
        lambda d: number(d["battery"]["mass"]),
    ),
    Case(
        ASPECT,
        "/characteristics/physicalDimension/weight/unit",
        "unit of a mass",
        lambda d: "unit:kilogram",
    ),
    Case(
        ASPECT,
        "/sustainability/status",
        "(original, repurposed, re-used, remanufactured or waste)",
        lambda d: _item(d)["status"],
    ),
    Case(
        ASPECT,
        "/sustainability/carbonFootprint/0/value",
        "value of the footprint",
        lambda d: CFP_PER_KWH,
    ),
    Case(
        ASPECT,
        "/sustainability/carbonFootprint/0/unit",
        "unit of measurement",
        lambda d: "kg CO2e/kWh",
    ),
    Case(
        ASPECT,
        "/sustainability/carbonFootprint/0/rulebook/0/content",
        "applied rulebook",
        lambda d: f"{METHOD} (eu-da-2024-draft@1.0.0)",
    ),
    Case(
        ASPECT,
        "/sustainability/carbonFootprint/0/declaration/0/content",
        "declaration",
        lambda d: d["cfpDeclaration"]["studyUrl"],
    ),
    Case(
        ASPECT,
        "/sustainability/documents/separateCollection/0/content",
        "separate collection",
        lambda d: _p(d)["wasteInformation"]["separateCollectionUrl"],
    ),
    Case(
        ASPECT,
        "/sustainability/documents/separateCollection/1/content",
        "collect",
        lambda d: _p(d)["wasteInformation"]["collectionInformationUrl"],
    ),
    Case(
        ASPECT,
        "/materials/active/cobalt/recycled",
        "recovered recycled content",
        lambda d: round(
            (
                _p(d)["recycledContent"]["cobalt"]["preConsumer"]
                + _p(d)["recycledContent"]["cobalt"]["postConsumer"]
            )
            * 100,
            10,
        ),
    ),
    Case(
        ASPECT,
        "/materials/active/nickel/location",
        "location of the substances",
        lambda d: _p(d)["criticalRawMaterials"][0]["location"],
    ),
    # critical raw materials (Annex VI Part A(10)): public, in the composition list at every level
    *(
        Case(
            ASPECT,
            f"/materials/composition/{at}/concentration",
            "concentration of the material",
            lambda d: round(_p(d)["criticalRawMaterials"][0]["concentration"] * 100, 10),
            level,
        )
        for level, at in ((AccessLevel.PUBLIC, 0), (AccessLevel.FULL, 5))
    ),
    Case(
        ASPECT,
        "/materials/composition/0/critical",
        "critical raw material",
        lambda d: True,
        AccessLevel.PUBLIC,
    ),
    Case(
        ASPECT,
        "/materials/composition/0/id/0/id",
        "substance identification",
        lambda d: _p(d)["criticalRawMaterials"][0]["casNumber"],
        AccessLevel.PUBLIC,
    ),
    Case(
        ASPECT,
        "/materials/hazardous/other/0/concentration",
        "concentration of the material",
        lambda d: round(_p(d)["hazardousSubstances"][0]["concentration"] * 100, 10),
    ),
    Case(
        ASPECT,
        "/performance/rated/power/at80SoC",
        "80% soc",
        lambda d: number(_perf(d)["originalPowerCapability"]),
    ),  # W, like power/value
    Case(
        ASPECT,
        "/performance/rated/capacity/value",
        "expressed in ampere-hours",
        lambda d: number(d["battery"]["ratedCapacity"]),
    ),
    Case(
        ASPECT,
        "/performance/rated/energy/value",
        "expressed in kilowatt-hours",
        lambda d: number(d["battery"]["usableEnergyBol"]),
    ),
    Case(
        ASPECT,
        "/performance/rated/voltage/min",
        "minimum voltage",
        lambda d: number(_perf(d)["minimumVoltage"]),
    ),
    Case(
        ASPECT,
        "/performance/rated/roundTripEfficiency/initial",
        "round trip",
        lambda d: _perf(d)["roundTripEfficiency"] * 100,
    ),
    Case(
        ASPECT,
        "/performance/dynamic/power/remaining/value",
        "expressed in watt",
        lambda d: (
            _cond(d)["remainingPowerCapability"] * number(_perf(d)["originalPowerCapability"])
        ),
    ),
    Case(
        ASPECT,
        "/performance/dynamic/power/fade/value",
        "percentage",
        lambda d: round((1 - _cond(d)["remainingPowerCapability"]) * 100, 10),
    ),
    Case(
        ASPECT,
        "/performance/dynamic/roundTripEfficiency/remaining/value",
        "percentage",
        lambda d: round(
            _cond(d)["remainingRoundTripEfficiency"] * _perf(d)["roundTripEfficiency"] * 100, 10
        ),
    ),
    # fade "in reference to the initial value": from the battery's own remaining efficiency
    # (relative, see the submission model), at its measurement time; not the model's 3 %
    Case(
        ASPECT,
        "/performance/dynamic/roundTripEfficiency/fade",
        "in reference to the initial value",
        lambda d: {
            "value": round((1 - _cond(d)["remainingRoundTripEfficiency"]) * 100, 10),
            "time": _cond(d)["measuredAt"],
        },
    ),
    Case(
        ASPECT,
        "/performance/dynamic/capacity/capacity/value",
        "expressed in ampere-hours",
        lambda d: round(_cond(d)["remainingCapacity"] * number(d["battery"]["ratedCapacity"]), 10),
    ),
    Case(
        ASPECT,
        "/performance/dynamic/capacity/throughput/value",
        "expressed in ampere-hours",
        lambda d: float(_cond(d)["capacityThroughput"].replace(" Ah", "").replace(" ", "")),
    ),
    Case(
        ASPECT,
        "/performance/dynamic/energy/remaining/value",
        "expressed in kilowatt-hours",
        lambda d: number(_cond(d)["remainingEnergy"]),
    ),
    Case(
        ASPECT,
        "/performance/dynamic/energy/throughput/value",
        "expressed in kilowatt-hours",
        lambda d: number(_cond(d)["energyThroughput"]),
    ),
    Case(
        ASPECT,
        "/performance/dynamic/fullCycles/value",
        "full equivalent",
        lambda d: _cond(d)["fullCycles"],
    ),
    Case(
        ASPECT,
        "/safety/usableExtinguishAgent/1/fireClass",
        "possible values are a, b and c",
        lambda d: _p(d)["extinguishingAgents"][1]["fireClass"],
    ),
    Case(
        ASPECT,
        "/safety/usableExtinguishAgent/1/media",
        "agent used to extinguish",
        lambda d: _p(d)["extinguishingAgents"][1]["media"],
    ),
    Case(
        ASPECT,
        "/conformity/declarationOfConformityId",
        "identification number",
        lambda d: _p(d)["declarationOfConformity"]["identifier"],
    ),
]

BATTERYPASS = [
    Case(
        "generalProductInformation",
        "/batteryMass",
        "mass of the entire battery in kilograms",
        lambda d: number(d["battery"]["mass"]),
    ),
    Case("generalProductInformation", "/batteryStatus", "'original'", lambda d: "Original"),
    Case(
        "generalProductInformation",
        "/manufacturingPlace/addressLocality",
        "country, city",
        lambda d: d["plant"]["address"]["city"],
    ),
    Case(
        "generalProductInformation",
        "/manufacturerInformation/postalAddress/addressLocality",
        "identification of the manufacturer",
        lambda d: d["manufacturer"]["address"]["city"],
    ),
    Case(
        "generalProductInformation",
        "/puttingIntoService",
        "putting the battery into service",
        lambda d: f"{_item(d)['puttingIntoService']}T00:00:00Z",
    ),
    Case(
        "carbonFootprint",
        "/batteryCarbonFootprint",
        "kg of carbon dioxide equivalent per one kwh",
        lambda d: CFP_PER_KWH,
    ),
    Case(
        "carbonFootprint",
        "/absoluteCarbonFootprint",
        "kilograms of carbon dioxide equivalent",
        lambda d: CFP_TOTAL,
    ),
    Case(
        "carbonFootprint",
        "/carbonFootprintStudy",
        "web link",
        lambda d: d["cfpDeclaration"]["studyUrl"],
    ),
    Case(
        "circularity",
        "/safetyMeasures/extinguishingAgent",
        "referring to classes of extinguishers".replace("referring", "refering"),
        lambda d: [
            f"{a['media']} (fire class {a['fireClass']})" for a in _p(d)["extinguishingAgents"]
        ],
    ),
    Case(
        "circularity",
        "/endOfLifeInformation/informationOnCollection",
        "the collection points",
        lambda d: _p(d)["wasteInformation"]["collectionInformationUrl"],
    ),
    Case(
        "circularity",
        "/recycledContent/0/preConsumerShare",
        "pre-consumer waste",
        lambda d: _p(d)["recycledContent"]["cobalt"]["preConsumer"] * 100,
    ),
    Case(
        "circularity",
        "/renewableContent",
        "renewable material",
        lambda d: _p(d)["renewableContent"] * 100,
    ),
    Case(
        "materialComposition",
        "/batteryMaterials/0/batteryMaterialMass",
        "weight of component",
        lambda d: number(_p(d)["materials"][0]["mass"]) * 1000,
    ),  # g (SAMM unit gram)
    # public form: the critical raw materials of Annex VI Part A(10), mass = share x battery mass
    Case(
        "materialComposition",
        "/batteryMaterials/0/isCriticalRawMaterial",
        "critical raw materials present in the battery",
        lambda d: True,
        AccessLevel.PUBLIC,
    ),
    Case(
        "materialComposition",
        "/batteryMaterials/0/batteryMaterialMass",
        "weight of component",
        lambda d: (
            _p(d)["criticalRawMaterials"][0]["concentration"] * number(d["battery"]["mass"]) * 1000
        ),
        AccessLevel.PUBLIC,
    ),
    Case(
        "materialComposition",
        "/batteryMaterials/0/batteryMaterialName",
        "clear name",
        lambda d: _p(d)["criticalRawMaterials"][0]["name"],
        AccessLevel.PUBLIC,
    ),
    Case(
        "performanceAndDurability",
        "/batteryTechicalProperties/ratedCapacity",
        "ampere-hours (ah)",
        lambda d: number(d["battery"]["ratedCapacity"]),
    ),
    Case(
        "performanceAndDurability",
        "/batteryTechicalProperties/ratedEnergy",
        "usable battery energy",
        lambda d: number(d["battery"]["usableEnergyBol"]),
    ),
    Case(
        "performanceAndDurability",
        "/batteryTechicalProperties/expectedLifetime",
        "calendar years",
        lambda d: 10,
    ),
    Case(
        "performanceAndDurability",
        "/batteryTechicalProperties/nominalVoltage",
        "nominal voltage",
        lambda d: number(d["battery"]["nominalVoltage"]),
    ),
    Case(
        "performanceAndDurability",
        "/batteryCondition/remainingRoundTripEnergyEfficiency/remainingRoundTripEnergyEfficiencyValue",
        "remaining round trip energy efficiency",
        lambda d: round(
            _cond(d)["remainingRoundTripEfficiency"] * _perf(d)["roundTripEfficiency"] * 100, 10
        ),
    ),
    Case(
        "performanceAndDurability",
        "/batteryCondition/remainingCapacity/remainingCapacityValue",
        "corresponding with the definition of rated capacity",  # Ah (BattReg Annex IV(1))
        lambda d: round(_cond(d)["remainingCapacity"] * number(d["battery"]["ratedCapacity"]), 10),
    ),
]


def _case_id(case: Case) -> str:
    return f"{case.aspect}{case.pointer}@{case.level.value}"


@pytest.fixture(scope="module")
def ev_document() -> Doc:
    import json

    document: Doc = json.loads(EV.read_text("utf-8"))
    return document


def _payload(passport: Passport, case: Case) -> Any:
    shown = view(passport, case.level)
    if case.aspect == ASPECT:
        result, issues = export_catenax(shown)
        assert issues == []
        assert result is not None
        return result.payloads[ASPECT]
    return export_batterypass(shown).payloads[case.aspect]


def _schema(aspect: str) -> Doc:
    if aspect == ASPECT:
        return load_reference(f"catenax-battery-pass/{SCHEMA_PATH}")
    return load_reference(f"batterypass-data-model/BatteryPass/{ASPECTS[aspect][1]}")


@pytest.mark.parametrize("case", CATENAX + BATTERYPASS, ids=_case_id)
def test_exported_attribute_traces_to_the_submission(
    case: Case, ev_document: Doc, example_passports: dict[str, Passport]
) -> None:
    description = re.sub(r"\s+", " ", reference_description(_schema(case.aspect), case.pointer))
    assert case.says in description.lower(), description
    payload = _payload(example_passports["nmc811-m1-ev"], case)
    expected = case.expected(ev_document)
    got = _get(payload, case.pointer)
    if isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
    else:
        assert got == expected


def test_no_carbon_footprint_number_carries_binary_noise(
    example_passports: dict[str, Passport],
) -> None:
    p = example_passports["nmc811-m1-ev"]
    cx, _ = export_catenax(p)
    assert cx is not None
    numbers = [e["value"] for e in cx.payloads[ASPECT]["sustainability"]["carbonFootprint"]]
    bp = export_batterypass(p).payloads["carbonFootprint"]
    numbers += [bp["batteryCarbonFootprint"], bp["absoluteCarbonFootprint"]]
    numbers += [s["carbonFootprint"] for s in bp["carbonFootprintPerLifecycleStage"]]
    for value in numbers:
        digits = repr(abs(value)).replace(".", "").lstrip("0").split("e")[0]
        assert len(digits) <= 10, value
