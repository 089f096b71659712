"""Factor datasets and rulesets as data: references, versions, licences, broken files."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from compliance.cfp import (
    DatasetError,
    RulesetError,
    UnknownRulesetError,
    available_rulesets,
    load_ruleset,
    parse_dataset,
    parse_ruleset,
)
from compliance.cfp.datasets import bundled_datasets, load_bundled_dataset
from compliance.cfp.gwp import UnknownGwpSetError, available_gwp_sets, load_gwp_set
from compliance.resources import read_resource_bytes, read_resource_text
from compliance.validation import parse_document
from tests.cfp.conftest import codes, compute, stage_values

USER = b"""
id: my-factors
version: "2025.2"
title: Supplier factors
licence: proprietary
gwpSet: ipcc-ar6-gwp100
factors:
  - {id: alu.secondary, value: 2.1 kg CO2e/kg, source: "Smelter EPD 2025"}
  - {id: road.euro6, value: 62 g CO2e/tkm, source: "Carrier data 2025"}
  - {id: grid.DE, value: 0.3 kg CO2e/kWh, source: "test override"}
"""


def test_bundled_rulesets_and_sets() -> None:
    assert available_rulesets() == ["eu-da-2024-draft", "jrc-cfb-ev-2023", "meti-v1.0"]
    assert available_gwp_sets() == ["ipcc-ar5-gwp100", "ipcc-ar6-gwp100"]
    for ruleset_id in available_rulesets():
        ruleset = load_ruleset(ruleset_id)
        assert ruleset.id == ruleset_id
        assert ruleset.references, "every ruleset cites its sources"
        load_gwp_set(ruleset.gwp.set)


@pytest.mark.parametrize("ruleset_id", ["eu-da-2024-draft", "jrc-cfb-ev-2023", "meti-v1.0"])
def test_ruleset_files_follow_the_published_schema(ruleset_id: str) -> None:
    schema = json.loads(read_resource_text("schemas/cfp-ruleset/1.0.0/schema.json"))
    data = parse_document(
        read_resource_bytes(f"rules/cfp/rulesets/{ruleset_id}.yaml"), name="r.yaml"
    ).data
    assert list(Draft202012Validator(schema).iter_errors(data)) == []


@pytest.mark.parametrize("name", ["ember-grid-intensity.json", "ipcc-2006-fuels.yaml"])
def test_dataset_files_follow_the_published_schema(name: str) -> None:
    schema = json.loads(read_resource_text("schemas/factor-dataset/1.0.0/schema.json"))
    data = parse_document(read_resource_bytes(f"rules/cfp/datasets/{name}"), name=name).data
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    assert name in bundled_datasets()


def test_ember_values_and_licence() -> None:
    ember = load_bundled_dataset("ember-grid-intensity.json")
    assert ember.licence == "CC-BY-4.0"
    assert ember.index["grid.DE"].value.magnitude == pytest.approx(0.38095)
    assert ember.index["grid.FR"].value.magnitude == pytest.approx(0.056039)
    assert ember.index["grid.CN"].value.magnitude == pytest.approx(0.582317)
    assert len(ember.factors) == 213


def test_unknown_ruleset_and_gwp_set() -> None:
    with pytest.raises(UnknownRulesetError, match="available: eu-da-2024-draft"):
        load_ruleset("eu-2030")
    with pytest.raises(UnknownGwpSetError):
        load_gwp_set("ipcc-ar7")


def test_broken_ruleset_is_located() -> None:
    text = read_resource_text("rules/cfp/rulesets/eu-da-2024-draft.yaml")
    broken = text.replace("strategy: lifetime-energy", "strategy: lifetime-energie")
    with pytest.raises(RulesetError) as info:
        parse_ruleset(broken.encode(), "broken.yaml")
    (issue,) = info.value.issues
    assert issue.pointer == "/functional_unit/strategy"
    assert issue.line is not None


def test_user_dataset_references_and_overrides(doc: dict[str, Any]) -> None:
    dataset = parse_dataset(USER, "my-factors.yaml")
    doc["billOfMaterials"][0]["emissionFactor"] = {
        "dataset": "my-factors",
        "factorId": "alu.secondary",
    }
    doc["transport"] = [
        {
            "id": "t",
            "mode": "road",
            "mass": "1 t",
            "distance": "100 km",
            "emissionFactor": {
                "dataset": "my-factors",
                "factorId": "road.euro6",
                "version": "2025.2",
            },
        }
    ]
    outcome = compute(doc, datasets=(dataset,))
    stages = stage_values(outcome)
    assert stages["raw-material"] == pytest.approx(210, rel=1e-12)  # 100 kg x 2.1
    assert stages["distribution"] == pytest.approx(6.2, rel=1e-12)  # 100 tkm x 0.062
    assert outcome.result is not None
    used = [(d.id, d.version, d.licence) for d in outcome.result.datasets]
    assert used == [("my-factors", "2025.2", "proprietary")]


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ({"dataset": "nope", "factorId": "x"}, "cfp.dataset-unknown"),
        ({"dataset": "my-factors", "factorId": "nope"}, "cfp.factor-missing"),
        (
            {"dataset": "my-factors", "factorId": "alu.secondary", "version": "2024.1"},
            "cfp.dataset-version",
        ),
        ({"dataset": "my-factors", "factorId": "road.euro6"}, "units.dimensionality"),
    ],
)
def test_bad_references_are_located(
    doc: dict[str, Any], reference: dict[str, str], code: str
) -> None:
    dataset = parse_dataset(USER, "my-factors.yaml")
    doc["billOfMaterials"][0]["emissionFactor"] = reference
    outcome = compute(doc, datasets=(dataset,))
    assert outcome.result is None
    assert (code, "/billOfMaterials/0/emissionFactor", "error") in codes(outcome)


def test_dataset_on_another_gwp_basis(doc: dict[str, Any]) -> None:
    dataset = parse_dataset(USER.replace(b"ipcc-ar6-gwp100", b"ipcc-ar4-gwp100"), "old.yaml")
    doc["billOfMaterials"][0]["emissionFactor"] = {
        "dataset": "my-factors",
        "factorId": "alu.secondary",
    }
    outcome = compute(doc, datasets=(dataset,))
    assert ("cfp.gwp-mixed", "/billOfMaterials/0/emissionFactor", "error") in codes(outcome)


def test_user_dataset_can_replace_a_bundled_one(doc: dict[str, Any]) -> None:
    replacement = parse_dataset(USER.replace(b"my-factors", b"ember-grid-intensity"), "e.yaml")
    doc["energyUse"] = [{"id": "e", "carrier": "electricity", "amount": "10 kWh", "source": "grid"}]
    assert stage_values(compute(doc, datasets=(replacement,)))["main-production"] == pytest.approx(
        3.0, rel=1e-12
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (USER.replace(b"2.1 kg CO2e/kg", b"2.1 kg"), "units.dimensionality"),
        (USER.replace(b"road.euro6", b"alu.secondary"), "cfp.dataset-duplicate-id"),
        (USER.replace(b"licence: proprietary\n", b""), "schema.required"),
        (b"id: x\nid: y\n", "parse.duplicate-key"),
    ],
)
def test_broken_datasets_are_located(text: bytes, code: str) -> None:
    with pytest.raises(DatasetError) as info:
        parse_dataset(text, "d.yaml")
    assert info.value.issues[0].code == code


def test_ruleset_effective_dates(doc: dict[str, Any]) -> None:
    outcome = compute(doc, as_of=date(2024, 1, 1))
    assert ("cfp.ruleset-not-effective", "", "warning") in codes(outcome)
