"""Ouranos CFP import: the tutorial sample, hand-computed CFP, located errors, no half-import."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from compliance.intake.ouranos import merge_components, read_ouranos
from compliance.models import LifecycleStage
from tests.cfp.conftest import BASE, compute

BUNDLE = Path(__file__).parent / "data" / "ouranos-tutorial-bundle.json"
TRACE = "40b77952-2c89-49be-8ce9-7c64a15e0ae7"


def bundle() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BUNDLE.read_text("utf-8"))
    return data


def read(doc: dict[str, Any], **kw: Any) -> Any:
    return read_ouranos(json.dumps(doc, ensure_ascii=False).encode(), "bundle.json", **kw)


def issues(result: Any) -> list[tuple[str, str, str]]:
    return [(i.code, i.pointer, i.severity.value) for i in result.issues]


def test_tutorial_sample_becomes_a_purchased_component() -> None:
    result = read_ouranos(BUNDLE.read_bytes(), BUNDLE.name)
    assert result.ok, issues(result)
    assert result.issues == ()
    (component,) = result.components
    assert component["id"] == f"ouranos-{TRACE}"
    assert component["name"] == "部品A1 (modelA-1)"
    assert component["amount"] == "5.0 kg"
    assert component["process"] == "other"
    assert component["supplier"]["name"] == "B社"
    assert {"scheme": "ouranos-open-operator-id", "value": "1234567890124"} in component[
        "supplier"
    ]["identifiers"]
    footprint = component["footprint"]
    # 1.5 + 10 + 0 + 0 kgCO2e/kilogram; pre-processing 1.5 + 0, main production 10 + 0
    assert footprint["value"] == "11.5 kg CO2e/kg"
    assert footprint["stageSplit"] == {
        "rawMaterial": "1.5 kg CO2e/kg",
        "mainProduction": "10.0 kg CO2e/kg",
    }
    # emission-weighted: TeR (1.5 x 1 + 10 x 2) / 11.5 = 1.869565...
    assert footprint["dataQuality"] == {
        "ter": pytest.approx(21.5 / 11.5, abs=1e-6),
        "ger": pytest.approx(33 / 11.5, abs=1e-6),
        "tir": pytest.approx(44.5 / 11.5, abs=1e-6),
    }
    assert footprint["reference"] == "urn:uuid:6191188d-6e67-4449-8bd3-e121b8f23a65"


def test_imported_component_in_a_cfp_hand_computed() -> None:
    doc = copy.deepcopy(BASE)
    merged, problems = merge_components(doc, read_ouranos(BUNDLE.read_bytes(), BUNDLE.name))
    assert merged is not None, problems
    assert "purchasedComponents" not in doc  # the input document is not changed
    result = compute(merged).result
    assert result is not None
    # BOM 100 kg x 10 = 1000; component 5 kg x 1.5 = 7.5 (raw material), 5 kg x 10 = 50 (main)
    assert result.stage(LifecycleStage.RAW_MATERIAL).absolute.value == pytest.approx(1007.5)
    assert result.stage(LifecycleStage.MAIN_PRODUCTION).absolute.value == pytest.approx(50.0)
    assert result.total.value == pytest.approx(1057.5)


def test_response_values_are_read_as_stage_totals_with_a_warning() -> None:
    doc = bundle()
    doc["cfp"] = [
        {
            "cfpId": None,
            "traceId": TRACE,
            "ghgEmission": 1.5,
            "ghgDeclaredUnit": "kgCO2e/kilogram",
            "cfpType": "preProductionResponse",
            "dqrType": "preProcessingResponse",
            "dqrValue": {"TeR": 2.1, "GeR": 0, "TiR": None},
        },
        {
            "cfpId": None,
            "traceId": TRACE,
            "ghgEmission": 10,
            "ghgDeclaredUnit": "kgCO2e/kilogram",
            "cfpType": "mainProductionResponse",
            "dqrType": "mainProcessingResponse",
            "dqrValue": {"TeR": 2.1, "GeR": 0, "TiR": None},
        },
    ]
    result = read(doc)
    assert result.ok
    assert issues(result) == [
        ("ouranos.response-values", "/cfp/0", "warning"),
        ("ouranos.dqr-scale", "/cfp/0/dqrValue/GeR", "warning"),  # GeR 0: not a PEF rating
    ]
    (component,) = result.components
    assert component["footprint"]["value"] == "11.5 kg CO2e/kg"
    assert "dataQuality" not in component["footprint"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["cfp"][1].__setitem__("ghgEmission", "ten"),
            ("ouranos.emission", "/cfp/1/ghgEmission"),
        ),
        (
            lambda d: d["cfp"][1].__setitem__("ghgEmission", -1),
            ("ouranos.emission", "/cfp/1/ghgEmission"),
        ),
        (
            lambda d: d["cfp"][2].__setitem__("ghgDeclaredUnit", "kgCO2e/furlong"),
            ("ouranos.unit", "/cfp/2/ghgDeclaredUnit"),
        ),
        (
            lambda d: d["cfp"][2].__setitem__("ghgDeclaredUnit", "kgCO2e/square-meter"),
            ("ouranos.unit", "/cfp/2/ghgDeclaredUnit"),
        ),
        (
            lambda d: d["cfp"][3].__setitem__("cfpType", "preProduction"),
            ("ouranos.duplicate", "/cfp/3/cfpType"),
        ),
        (
            lambda d: d["cfp"][3].__setitem__("cfpType", "sideProduction"),
            ("ouranos.cfp-type", "/cfp/3/cfpType"),
        ),
        (
            lambda d: d["cfp"][0].__setitem__("dqrValue", {"TeR": "high", "GeR": 2, "TiR": 3}),
            ("ouranos.dqr", "/cfp/0/dqrValue/TeR"),
        ),
        (
            lambda d: d["partsStructure"]["childrenPartsModel"][0].__setitem__(
                "amountRequired", None
            ),
            ("ouranos.amount", "/partsStructure/childrenPartsModel/0/amountRequired"),
        ),
        (
            lambda d: d["partsStructure"]["childrenPartsModel"][0].__setitem__(
                "amountRequiredUnit", "unit"
            ),
            ("ouranos.amount", "/partsStructure/childrenPartsModel/0/amountRequiredUnit"),
        ),
        (
            lambda d: d.__setitem__("tradeRequests", []),
            ("ouranos.no-supplier", "/partsStructure/childrenPartsModel/0/traceId"),
        ),
        (
            lambda d: d["partsStructure"].__setitem__("childrenPartsModel", []),
            ("ouranos.structure", "/partsStructure/childrenPartsModel"),
        ),
    ],
)
def test_bad_input_is_located_and_nothing_is_imported(
    change: Any, expected: tuple[str, str]
) -> None:
    doc = bundle()
    change(doc)
    result = read(doc)
    assert not result.ok
    assert result.components == ()
    assert expected in [(i.code, i.pointer) for i in result.issues if i.severity.value == "error"]


def test_a_missing_cfp_part_is_incomplete() -> None:
    doc = bundle()
    del doc["cfp"][3]
    result = read(doc)
    assert issues(result) == [
        ("ouranos.cfp-incomplete", "/partsStructure/childrenPartsModel/0/traceId", "error")
    ]
    assert "mainComponent" in result.issues[0].message


def test_one_bad_part_stops_every_part() -> None:
    doc = bundle()
    second = copy.deepcopy(doc["partsStructure"]["childrenPartsModel"][0])
    second["traceId"] = "11111111-2222-4333-8444-555555555555"
    doc["partsStructure"]["childrenPartsModel"].append(second)  # no trade for it
    result = read(doc)
    assert result.components == ()
    assert issues(result) == [
        ("ouranos.no-supplier", "/partsStructure/childrenPartsModel/1/traceId", "error")
    ]


def test_not_json() -> None:
    result = read_ouranos(b'{"partsStructure": ', "x.json")
    assert [(i.code, i.line) for i in result.issues] == [("parse.invalid-json", 1)]
    deep = read_ouranos(b"[" * 100_000 + b"]" * 100_000, "deep.json")
    assert [i.code for i in deep.issues] == ["parse.too-deep"]
    listed = read_ouranos(b"[]", "list.json")
    assert [i.code for i in listed.issues] == ["ouranos.structure"]


def test_merge_refuses_an_existing_component_id() -> None:
    imported = read_ouranos(BUNDLE.read_bytes(), BUNDLE.name)
    doc = copy.deepcopy(BASE)
    doc["purchasedComponents"] = [copy.deepcopy(imported.components[0])]
    merged, problems = merge_components(doc, imported)
    assert merged is None
    assert [(i.code, i.pointer) for i in problems] == [
        ("ouranos.duplicate", "/purchasedComponents/0/id")
    ]


def test_known_process_is_used() -> None:
    result = read_ouranos(BUNDLE.read_bytes(), "b.json", processes={TRACE: "cell-manufacture"})
    assert result.components[0]["process"] == "cell-manufacture"
