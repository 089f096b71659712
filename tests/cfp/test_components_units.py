"""Purchased components (stage mapping by process and split, DQR, primary data) and unit traps."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cfp.conftest import codes, compute, factor, stage_values


def component(cid: str, process: str, amount: str, value: str, **footprint: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "name": cid,
        "supplier": {"name": "S"},
        "process": process,
        "amount": amount,
        "footprint": {"value": value, "source": "synthetic PCF", **footprint},
    }


def test_stage_mapping_by_process_and_split(doc: dict[str, Any]) -> None:
    # cells 96 x 20 = 1920 -> main production (cell manufacture, Annex II(4)(b));
    # CAM 50 kg x 15 = 750 -> raw material; module 2 x (70 RM + 25 MP + 5 DI) with the supplier's
    # distribution mapped to raw material (upstream transport) under the draft DA ruleset.
    doc["purchasedComponents"] = [
        component("cells", "cell-manufacture", "96 piece", "20 kg CO2e/piece"),
        component("cam", "cathode-active-material", "50 kg", "15 kg CO2e/kg"),
        component(
            "module",
            "module-assembly",
            "2 pcs",
            "100 kg CO2e/piece",
            stageSplit={
                "rawMaterial": "70 kg CO2e/piece",
                "mainProduction": "25 kg CO2e/piece",
                "distribution": "5 kg CO2e/piece",
            },
        ),
    ]
    outcome = compute(doc)
    stages = stage_values(outcome)
    assert stages["raw-material"] == pytest.approx(1000 + 750 + 140 + 10, rel=1e-12)
    assert stages["main-production"] == pytest.approx(1920 + 50, rel=1e-12)
    assert stages["distribution"] == 0
    assert (
        "cfp.component-split-missing",
        "/purchasedComponents/0/footprint/stageSplit",
        "warning",
    ) in codes(outcome)
    # METI maps the supplier's distribution part to distribution
    meti = stage_values(compute(doc, "meti-v1.0"))
    assert meti["distribution"] == pytest.approx(10, rel=1e-12)


def test_per_kwh_pcf(doc: dict[str, Any]) -> None:
    # 75 kWh of cells x 50 kg CO2e/kWh = 3750 kg, main production
    doc["purchasedComponents"] = [
        component("cells", "cell-manufacture", "75 000 Wh", "50 g CO2e/Wh")
    ]
    assert stage_values(compute(doc))["main-production"] == pytest.approx(3750, rel=1e-12)


def test_data_quality_and_primary_share(doc: dict[str, Any]) -> None:
    # cells DQR (1 + 2 + 3) / 3 = 2.0 on 1920 kg; CAM (2 + 2 + 2 + 4) / 4 = 2.5 on 750 kg;
    # BOM 1000 kg without DQR. DQR = (1920 x 2 + 750 x 2.5) / 2670 = 2.14045...;
    # coverage 2670 / 3670; primary = (1920 x .5 + 750 x .2) / 3670
    doc["purchasedComponents"] = [
        component(
            "cells",
            "cell-manufacture",
            "96 piece",
            "20 kg CO2e/piece",
            dataQuality={"ter": 1, "ger": 2, "tir": 3},
            primaryDataShare=0.5,
        ),
        component(
            "cam",
            "cathode-active-material",
            "50 kg",
            "15 kg CO2e/kg",
            dataQuality={"ter": 2, "ger": 2, "tir": 2, "p": 4},
            primaryDataShare=0.2,
        ),
    ]
    outcome = compute(doc)
    assert outcome.result is not None
    quality = outcome.result.data_quality
    assert quality.dqr == pytest.approx((1920 * 2 + 750 * 2.5) / 2670, rel=1e-12)
    assert quality.level == "good"  # PEF levels: 2.0 < DQR <= 3.0 is "good"
    assert quality.coverage == pytest.approx(2670 / 3670, rel=1e-12)
    assert quality.primary_data_share == pytest.approx((960 + 150) / 3670, rel=1e-12)


def test_level_boundaries(doc: dict[str, Any]) -> None:
    doc["purchasedComponents"] = [
        component(
            "c",
            "electronics",
            "1 piece",
            "4000 kg CO2e/piece",  # 80 % of the emissions: the one most relevant process
            dataQuality={"ter": 3, "ger": 3, "tir": 3},
        ),
    ]
    outcome = compute(doc)
    assert outcome.result is not None
    assert outcome.result.data_quality.level == "good"  # 3.0 is the upper edge of "good"


@pytest.mark.parametrize(
    ("mass", "value"),
    [
        ("100 kg", "10 kg CO2e/kg"),
        ("100 000 g", "10 kg CO2e/kg"),
        ("0.1 t", "10 t CO2e/t"),
        ("100 kg", "10 000 kg CO2e/t"),  # a per-tonne factor on a kg amount
        ("100 kg", "10 000 g CO2e/kg"),
        ({"value": 220.46226218487757, "unit": "lb"}, "10 kg CO2e/kg"),
    ],
)
def test_mass_unit_traps(doc: dict[str, Any], mass: Any, value: str) -> None:
    doc["billOfMaterials"][0]["mass"] = mass
    doc["billOfMaterials"][0]["emissionFactor"]["value"] = value
    assert stage_values(compute(doc))["raw-material"] == pytest.approx(1000, rel=1e-12)


@pytest.mark.parametrize(
    ("amount", "value"),
    [
        ("1 MWh", "0.4 kg CO2e/kWh"),
        ("1 000 000 Wh", "400 g CO2e/kWh"),
        ("3600 MJ", "0.4 kg CO2e/kWh"),
        ("3.6 GJ", "0.11111111111111112 kg CO2e/MJ"),
        ("1000 kWh", "400 kg CO2e/MWh"),
    ],
)
def test_energy_unit_traps(doc: dict[str, Any], amount: str, value: str) -> None:
    doc["energyUse"] = [
        {
            "id": "e",
            "carrier": "electricity",
            "amount": amount,
            "source": "on-site",
            "emissionFactor": factor(value),
        }
    ]
    assert stage_values(compute(doc))["main-production"] == pytest.approx(400, rel=1e-12)


def test_transport_tonne_kilometres(doc: dict[str, Any]) -> None:
    # (480 kg + 20 kg) = 0.5 t x 1200 km = 600 tkm x 0.1 kg/tkm = 60; second leg
    # 500 000 g x 100 mi (160.9344 km) x 10 g/tkm = 80.4672 tkm x 0.01 = 0.804672
    doc["transport"] = [
        {
            "id": "t1",
            "mode": "road",
            "mass": "480 kg",
            "packagingMass": "20 kg",
            "distance": "1200 km",
            "emissionFactor": factor("0.1 kg CO2e/tkm"),
        },
        {
            "id": "t2",
            "mode": "rail",
            "mass": "500 000 g",
            "distance": "100 mi",
            "emissionFactor": factor("10 g CO2e/(t*km)"),
        },
    ]
    assert stage_values(compute(doc))["distribution"] == pytest.approx(60.804672, rel=1e-12)


def test_fuel_with_default_combustion_factor(doc: dict[str, Any]) -> None:
    # 3240 MJ = 0.00324 TJ x 56 100 kg CO2/TJ (IPCC 2006) = 181.764 kg
    doc["energyUse"] = [
        {"id": "gas", "carrier": "fuel", "fuel": "natural-gas", "amount": "3 240 MJ"}
    ]
    outcome = compute(doc)
    assert stage_values(outcome)["main-production"] == pytest.approx(181.764, rel=1e-12)
    assert ("cfp.default-factor", "/energyUse/0/emissionFactor", "warning") in codes(outcome)


def test_fuel_volume_needs_a_volume_factor(doc: dict[str, Any]) -> None:
    doc["energyUse"] = [{"id": "gas", "carrier": "fuel", "fuel": "natural-gas", "amount": "84 Nm3"}]
    outcome = compute(doc)
    assert outcome.result is None
    errors = [c for c in codes(outcome) if c[2] == "error"]
    assert errors == [("units.dimensionality", "/energyUse/0/emissionFactor", "error")]
    doc["energyUse"][0]["emissionFactor"] = factor("2.0 kg CO2e/Nm3")
    assert stage_values(compute(doc))["main-production"] == pytest.approx(168, rel=1e-12)


def test_missing_transport_and_heat_factors(doc: dict[str, Any]) -> None:
    doc["transport"] = [{"id": "t", "mode": "sea", "mass": "1 t", "distance": "100 km"}]
    doc["energyUse"] = [{"id": "h", "carrier": "heat", "amount": "10 kWh"}]
    outcome = compute(doc)
    assert outcome.result is None
    assert [(c, p) for c, p, _ in codes(outcome) if c == "cfp.factor-missing"] == [
        ("cfp.factor-missing", "/energyUse/0/emissionFactor"),
        ("cfp.factor-missing", "/transport/0/emissionFactor"),
    ]
