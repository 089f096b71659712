"""Layer 4: one test pair per semantic check (fires / does not fire), hand-computed values."""

from __future__ import annotations

from typing import Any

import pytest

from compliance.errors import Severity
from compliance.validation import SemanticLimits, validate_submission
from compliance.validation.semantic import CHECKS


def findings(doc: dict[str, Any], **kwargs: Any) -> list[tuple[str, str, str]]:
    report = validate_submission(doc, **kwargs)
    return [(i.code, i.pointer, i.severity.value) for i in report.issues]


def test_examples_have_no_semantic_findings(ev_document: dict[str, Any]) -> None:
    assert findings(ev_document) == []


def test_every_check_is_exercised_below() -> None:
    assert len(CHECKS) == 20


def test_zero_ratings(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["mass"] = "0 kg"
    ev_document["battery"]["nominalVoltage"] = {"value": 0, "unit": "V"}
    result = findings(ev_document)
    assert ("semantic.zero-quantity", "/battery/mass", "error") in result
    assert ("semantic.zero-quantity", "/battery/nominalVoltage", "error") in result


def test_usable_energy_against_declared_nominal(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["usableEnergyBol"] = "80.1 kWh"  # nominal 80 kWh declared
    assert findings(ev_document) == [
        ("semantic.usable-energy-exceeds-nominal", "/battery/usableEnergyBol", "error")
    ]
    ev_document["battery"]["usableEnergyBol"] = "80 000 Wh"  # equal is allowed
    assert findings(ev_document) == []


def test_usable_energy_against_capacity_times_voltage(ev_document: dict[str, Any]) -> None:
    # no declared nominal: 200 Ah x 400 V = 80 000 Wh = 80 kWh
    del ev_document["battery"]["nominalEnergy"]
    ev_document["battery"]["usableEnergyBol"] = "288 MJ"  # = 80 kWh exactly
    assert findings(ev_document) == []
    ev_document["battery"]["usableEnergyBol"] = "288.5 MJ"  # = 80.14 kWh
    assert findings(ev_document) == [
        ("semantic.usable-energy-exceeds-nominal", "/battery/usableEnergyBol", "error")
    ]


def test_nominal_energy_mismatch_is_a_warning(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["nominalEnergy"] = "84.1 kWh"  # 5.1 % above 200 Ah x 400 V
    assert findings(ev_document) == [
        ("semantic.nominal-energy-mismatch", "/battery/nominalEnergy", "warning")
    ]
    ev_document["battery"]["nominalEnergy"] = "83.9 kWh"  # 4.9 %: within rounding
    assert findings(ev_document) == []


def test_specific_energy_catches_unit_slips(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["usableEnergyBol"] = "75 Wh"  # 75 Wh / 480 kg = 0.156 Wh/kg
    assert findings(ev_document) == [
        ("semantic.implausible-specific-energy", "/battery/usableEnergyBol", "warning")
    ]
    limits = SemanticLimits(specific_energy_wh_per_kg=(0.1, 400))
    assert findings(ev_document, semantic_limits=limits) == []


def test_vehicle_class(ev_document: dict[str, Any], lmt_document: dict[str, Any]) -> None:
    del ev_document["battery"]["vehicleClass"]
    assert findings(ev_document) == [
        ("semantic.vehicle-class-missing", "/battery/vehicleClass", "error")
    ]
    lmt_document["battery"]["vehicleClass"] = "L"
    assert findings(lmt_document) == [
        ("semantic.vehicle-class-not-applicable", "/battery/vehicleClass", "warning")
    ]


def test_category_details(lmt_document: dict[str, Any]) -> None:
    lmt_document["battery"]["chemistry"] = "other"
    lmt_document["battery"]["externalStorageOnly"] = True
    assert findings(lmt_document) == [
        ("semantic.external-storage-not-applicable", "/battery/externalStorageOnly", "warning"),
        ("semantic.chemistry-description-missing", "/battery/chemistryDescription", "error"),
    ]
    lmt_document["battery"]["chemistryDescription"] = "Lithium-sulfur"
    lmt_document["battery"]["category"] = "industrial"
    assert findings(lmt_document) == []


def test_warranty(ev_document: dict[str, Any], lmt_document: dict[str, Any]) -> None:
    del ev_document["warranty"]
    assert findings(ev_document) == [("semantic.warranty-missing", "/warranty", "error")]
    lmt_document["warranty"] = {}
    assert findings(lmt_document) == [("semantic.warranty-missing", "/warranty", "warning")]
    lmt_document["warranty"] = {"distance": "0 km"}
    assert findings(lmt_document) == [("semantic.zero-quantity", "/warranty/distance", "error")]


def test_period_order(ev_document: dict[str, Any]) -> None:
    ev_document["reportingPeriod"] = {"start": "2025-01-01", "end": "2024-12-31"}
    factor = ev_document["billOfMaterials"][0]["emissionFactor"]
    factor["validFrom"], factor["validUntil"] = "2025-06-01", "2025-05-31"
    assert findings(ev_document) == [
        ("semantic.period-order", "/reportingPeriod/end", "error"),
        ("semantic.period-order", "/billOfMaterials/0/emissionFactor/validUntil", "error"),
    ]


def test_unique_ids_across_sections(ev_document: dict[str, Any]) -> None:
    ev_document["transport"][0]["id"] = "cam"  # also a BOM line id
    assert findings(ev_document) == [("semantic.duplicate-id", "/transport/0/id", "error")]


def test_inventory(ev_document: dict[str, Any]) -> None:
    ev_document["billOfMaterials"][0]["mass"] = "116 kg"  # BOM 472.5 kg + 8 kg = 480.5 > 480
    assert findings(ev_document) == [
        ("semantic.bom-mass-exceeds-battery", "/billOfMaterials", "warning")
    ]
    ev_document["billOfMaterials"] = []
    ev_document["purchasedComponents"] = []
    assert findings(ev_document) == [("semantic.empty-inventory", "/billOfMaterials", "error")]


def test_circularity(ev_document: dict[str, Any]) -> None:
    plastics = ev_document["billOfMaterials"][13]["circularity"]  # R2 0.1, R3 0.6
    plastics["recyclingOutputRate"] = 0.4  # 0.4 + 0.6 = 1.0 is fine
    assert findings(ev_document) == []
    plastics["recyclingOutputRate"] = 0.41
    plastics["allocationFactor"] = 0.9
    base = "/billOfMaterials/13/circularity"
    assert findings(ev_document) == [  # in document order
        ("semantic.cff-allocation-outside-range", f"{base}/allocationFactor", "warning"),
        ("semantic.cff-rates-exceed-one", f"{base}/energyRecoveryRate", "error"),
    ]


def test_fuel_factor_must_match_amount(ev_document: dict[str, Any]) -> None:
    gas = ev_document["energyUse"][2]
    gas["amount"] = "84 Nm3"  # a volume, factor still per GJ
    assert findings(ev_document) == [
        ("units.dimensionality", "/energyUse/2/emissionFactor/value", "error")
    ]
    gas["emissionFactor"]["value"] = "2.0 kg CO2e/Nm3"
    assert findings(ev_document) == []


def test_component_pcf_must_match_amount(ev_document: dict[str, Any]) -> None:
    bms = ev_document["purchasedComponents"][0]
    bms["amount"] = "4 kg"  # PCF is per piece
    assert findings(ev_document) == [
        ("units.dimensionality", "/purchasedComponents/0/footprint/value", "error")
    ]


def test_stage_split(ev_document: dict[str, Any]) -> None:
    split = ev_document["purchasedComponents"][0]["footprint"]["stageSplit"]
    split["endOfLife"] = "-5 kg CO2e/piece"  # 210 + 30 - 5 = 235 != 240
    assert findings(ev_document) == [
        ("semantic.stage-split-sum", "/purchasedComponents/0/footprint/stageSplit", "error")
    ]
    split["rawMaterial"] = "215 kg CO2e/piece"  # 215 + 30 - 5 = 240
    assert findings(ev_document) == []
    split["mainProduction"] = "-30 kg CO2e/piece"
    split["rawMaterial"] = "275 kg CO2e/piece"
    base = "/purchasedComponents/0/footprint/stageSplit"
    assert findings(ev_document) == [("semantic.negative-stage", f"{base}/mainProduction", "error")]
    split["mainProduction"] = "30 kg CO2e/kWh"
    assert findings(ev_document)[0] == ("units.dimensionality", f"{base}/mainProduction", "error")


def test_stage_split_tolerance(ev_document: dict[str, Any]) -> None:
    split = ev_document["purchasedComponents"][0]["footprint"]["stageSplit"]
    split["rawMaterial"] = "210.2 kg CO2e/piece"  # 0.083 % off: rounding, accepted
    assert findings(ev_document) == []
    limits = SemanticLimits(stage_split_tolerance=1e-6)
    assert findings(ev_document, semantic_limits=limits)[0][0] == "semantic.stage-split-sum"


def test_specific_electricity_without_factor(ev_document: dict[str, Any]) -> None:
    del ev_document["energyUse"][1]["emissionFactor"]
    assert findings(ev_document) == [
        ("semantic.electricity-factor-missing", "/energyUse/1/emissionFactor", "warning")
    ]


@pytest.mark.parametrize("severity", list(Severity))
def test_fails_at(ev_document: dict[str, Any], severity: Severity) -> None:
    ev_document["battery"]["nominalEnergy"] = "90 kWh"  # warning only
    report = validate_submission(ev_document)
    assert report.ok
    assert report.fails_at(severity) is (severity is not Severity.ERROR)


def test_functional_unit_overrides_need_justification(ev_document: dict[str, Any]) -> None:
    ev_document["functionalUnit"] = {"energyBasis": "nominal", "cyclesPerYear": 80}
    assert findings(ev_document) == [
        ("semantic.override-unjustified", "/functionalUnit/justification", "error")
    ]
    ev_document["functionalUnit"]["justification"] = "Taxi fleet duty cycle, see study s. 3.2"
    assert findings(ev_document) == []


def test_uncertainty_bounds(ev_document: dict[str, Any]) -> None:
    ev_document["billOfMaterials"][0]["uncertainty"] = {
        "distribution": "triangular",
        "low": 0.9,
        "mode": 1.2,
        "high": 1.1,
    }
    ev_document["billOfMaterials"][1]["emissionFactor"]["uncertainty"] = {
        "distribution": "uniform",
        "low": 0.8,
        "high": 1.25,
    }
    assert findings(ev_document) == [
        ("semantic.uncertainty-bounds", "/billOfMaterials/0/uncertainty", "error")
    ]


def test_declaration_of_conformity_ids_agree(ev_document: dict[str, Any]) -> None:
    ev_document["cfpDeclaration"]["declarationOfConformityId"] = "DBS-DoC-2019-OLD"
    assert findings(ev_document) == [
        ("semantic.conformity-id-mismatch", "/cfpDeclaration/declarationOfConformityId", "error")
    ]
    del ev_document["passport"]["declarationOfConformity"]
    assert findings(ev_document) == []


def test_end_of_life_treatment_needs_exactly_one_factor(ev_document: dict[str, Any]) -> None:
    treatment: dict[str, Any] = {"id": "eol", "process": "hydrometallurgical"}
    ev_document["endOfLife"] = [treatment]
    assert ("semantic.eol-factor-missing", "/endOfLife/0/emissionFactor", "error") in findings(
        ev_document
    )
    treatment["emissionFactor"] = {"value": "0.5 kg CO2e/kg", "source": "synthetic"}
    treatment["supplierResult"] = {
        "value": "150 kg CO2e/piece",
        "includesCredits": False,
        "source": "synthetic",
    }
    assert ("semantic.eol-factor-and-result", "/endOfLife/0/supplierResult", "error") in findings(
        ev_document
    )
    del treatment["supplierResult"]
    # the example's CAM line models its own recycling (R2 = 0.9): possible double count
    found = [f for f in findings(ev_document) if f[0].startswith("semantic.eol")]
    assert ("semantic.eol-double-count", "/billOfMaterials/0/circularity", "warning") in found
    assert {f[2] for f in found} == {"warning"}
    del ev_document["endOfLife"]
    assert findings(ev_document) == []


def test_schema_hint_names_the_submission_schema(ev_document: dict[str, Any]) -> None:
    ev_document["$schema"] = "urn:compliance:schema:supplier-submission:1.0.0"
    assert findings(ev_document) == []
    ev_document["$schema"] = "https://example.org/schemas/supplier-submission/0.9.0/schema.json"
    assert findings(ev_document) == [("semantic.schema-hint", "/$schema", "warning")]


def test_rated_internal_resistance_above_zero(ev_document: dict[str, Any]) -> None:
    resistance = ev_document["passport"]["performance"]["internalResistance"]
    resistance["module"] = "0 mΩ"
    assert findings(ev_document) == [
        (
            "semantic.zero-quantity",
            "/passport/performance/internalResistance/module",
            "error",
        )
    ]
    resistance["module"] = "0.001 mΩ"  # small but a real resistance
    assert findings(ev_document) == []
