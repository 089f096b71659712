"""Functional unit: hand-computed E_total per strategy (draft DA 2024, JRC 2023, METI v1.0).

Base case: usable BoL energy 75 kWh, 100 kg at 10 kg CO2e/kg = 1000 kg CO2e in total.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cfp.conftest import codes, compute


def fu_kwh(document: dict[str, Any], ruleset: str = "eu-da-2024-draft") -> float:
    outcome = compute(document, ruleset)
    assert outcome.result is not None, codes(outcome)
    return outcome.result.functional_unit.energy.value


@pytest.mark.parametrize(
    ("vehicle", "cycles"),
    [("M1", 60), ("N1", 60), ("L", 20), ("M2", 250), ("M3", 250), ("N2", 250), ("N3", 250)],
)
def test_cycles_per_year_by_vehicle_class(doc: dict[str, Any], vehicle: str, cycles: int) -> None:
    # E_total = 75 kWh x cycles x 8 years
    doc["battery"]["vehicleClass"] = vehicle
    outcome = compute(doc)
    assert outcome.result is not None
    assert outcome.result.functional_unit.energy.value == pytest.approx(75 * cycles * 8, rel=1e-12)
    assert outcome.result.total_per_unit.value == pytest.approx(1000 / (75 * cycles * 8), rel=1e-12)


def test_declared_value_for_m1(doc: dict[str, Any]) -> None:
    # 1000 kg CO2e / (75 kWh x 60 x 8 = 36 000 kWh) = 0.027777... kg CO2e/kWh
    outcome = compute(doc)
    assert outcome.result is not None
    assert outcome.result.total_per_unit.value == pytest.approx(1000 / 36000, rel=1e-12)
    assert outcome.result.total_per_unit.unit == "kg CO2e/kWh"
    assert "75 kWh usable BoL energy x 60" in outcome.result.functional_unit.derivation


@pytest.mark.parametrize(
    ("warranty", "years"),
    [
        ({"period": "10 year", "distance": "160 000 km"}, 8.0),  # 160 000 / 20 000 = 8 < 10
        ({"period": "6 year", "distance": "160 000 km"}, 6.0),  # 6 < 8
        ({"distance": "100 000 mi"}, 100_000 * 1.609344 / 20_000),  # 8.04672 years
        ({"period": "2922 d"}, 8.0),  # 8 Julian years of 365.25 days
        ({"period": "96 week", "distance": "1 000 000 km"}, 96 * 7 / 365.25),
    ],
)
def test_service_life_is_the_shorter_warranty(
    doc: dict[str, Any], warranty: dict[str, str], years: float
) -> None:
    doc["warranty"] = warranty
    outcome = compute(doc)
    assert outcome.result is not None
    assert outcome.result.functional_unit.service_life is not None
    assert outcome.result.functional_unit.service_life.value == pytest.approx(years, rel=1e-12)
    assert fu_kwh(doc) == pytest.approx(75 * 60 * years, rel=1e-12)


def test_heavy_vehicle_km_conversion(doc: dict[str, Any]) -> None:
    # N3: 500 000 km / 100 000 km per year = 5 years; 75 x 250 x 5 = 93 750 kWh
    doc["battery"]["vehicleClass"] = "N3"
    doc["warranty"] = {"distance": "500 000 km"}
    assert fu_kwh(doc) == pytest.approx(93_750, rel=1e-12)


def test_nominal_energy_only_as_reported_override(doc: dict[str, Any]) -> None:
    # nominal = 200 Ah x 400 V = 80 kWh; 80 x 60 x 8 = 38 400 kWh
    doc["functionalUnit"] = {"energyBasis": "nominal", "justification": "Study section 2.1"}
    outcome = compute(doc)
    assert outcome.result is not None
    assert outcome.result.functional_unit.energy.value == pytest.approx(38_400, rel=1e-12)
    assert outcome.result.functional_unit.energy_basis == "nominal"
    assert ("cfp.fu-override", "/functionalUnit", "warning") in codes(outcome)
    assert "nominal instead of usable energy" in outcome.result.functional_unit.overrides[0]


def test_nominal_energy_without_justification_is_refused(doc: dict[str, Any]) -> None:
    from compliance.validation import validate_submission

    doc["functionalUnit"] = {"energyBasis": "nominal"}
    report = validate_submission(doc)
    assert [i.code for i in report.issues] == ["semantic.override-unjustified"]


def test_cycles_and_service_life_overrides(doc: dict[str, Any]) -> None:
    doc["functionalUnit"] = {
        "cyclesPerYear": 100,
        "serviceLife": "10 year",
        "justification": "fleet duty cycle",
    }
    assert fu_kwh(doc) == pytest.approx(75 * 100 * 10, rel=1e-12)


def test_category_outside_the_ruleset(doc: dict[str, Any]) -> None:
    doc["battery"]["category"] = "lmt"
    del doc["battery"]["vehicleClass"]
    outcome = compute(doc)
    assert outcome.result is None
    assert codes(outcome)[:2] == [
        ("cfp.category-not-covered", "/battery/category", "error"),
        ("cfp.fu-cycles-missing", "/battery/vehicleClass", "error"),
    ]
    doc["functionalUnit"] = {"cyclesPerYear": 75, "justification": "no LMT method published"}
    outcome = compute(doc)
    assert outcome.result is not None
    assert ("cfp.category-not-covered", "/battery/category", "warning") in codes(outcome)
    assert outcome.result.functional_unit.energy.value == pytest.approx(75 * 75 * 8)


def test_missing_service_life(doc: dict[str, Any]) -> None:
    doc["battery"]["category"] = "industrial"
    del doc["battery"]["vehicleClass"]
    del doc["warranty"]
    doc["functionalUnit"] = {"cyclesPerYear": 300, "justification": "daily cycling"}
    outcome = compute(doc)
    assert outcome.result is None
    assert ("cfp.fu-service-life-missing", "/warranty", "error") in codes(outcome)


def test_km_warranty_needs_a_vehicle_class(doc: dict[str, Any]) -> None:
    doc["battery"]["category"] = "industrial"
    del doc["battery"]["vehicleClass"]
    doc["warranty"] = {"distance": "100 000 km"}
    doc["functionalUnit"] = {"cyclesPerYear": 300, "justification": "daily cycling"}
    assert ("cfp.fu-conversion-missing", "/warranty/distance", "error") in codes(compute(doc))


def test_vehicle_consumption_strategy(doc: dict[str, Any]) -> None:
    # JRC 2023 [U] formula: 0.17 kWh/km x 160 000 km = 27 200 kWh
    doc["functionalUnit"] = {"vehicleConsumption": "17 kWh/(100 km)"}
    doc["warranty"] = {"period": "8 year", "distance": "160 000 km"}
    assert fu_kwh(doc, "jrc-cfb-ev-2023") == pytest.approx(27_200, rel=1e-12)
    doc["functionalUnit"]["lifetimeDistance"] = "250 000 km"
    assert fu_kwh(doc, "jrc-cfb-ev-2023") == pytest.approx(0.17 * 250_000, rel=1e-12)


def test_vehicle_consumption_is_required(doc: dict[str, Any]) -> None:
    outcome = compute(doc, "jrc-cfb-ev-2023")
    assert outcome.result is None
    assert ("cfp.fu-input-missing", "/functionalUnit/vehicleConsumption", "error") in codes(outcome)


def test_rated_capacity_strategy(doc: dict[str, Any]) -> None:
    # METI v1.0 [U]: per kWh of rated capacity, 200 Ah x 400 V = 80 kWh; 1000 / 80 = 12.5
    outcome = compute(doc, "meti-v1.0")
    assert outcome.result is not None
    assert outcome.result.functional_unit.energy.value == pytest.approx(80, rel=1e-12)
    assert outcome.result.total_per_unit.value == pytest.approx(12.5, rel=1e-12)
    assert outcome.result.functional_unit.unit_label == "kWh of rated energy capacity"
