"""Electricity rules on the same plant data, and GWP characterisation (AR6 vs AR5).

Plant in DE; Ember 2023 grid intensity DE = 380.95 g CO2e/kWh. Lines (kWh, own factor):
grid 1000; on-site 200 at 0.05; PPA 300 at 0.02 (PEF criteria met); GO 100 at 0 (not met);
supplier-specific 400 at 0.25 (met); direct line 50 at 0.03.

eu-da-2024-draft (on-site, direct line kept; instruments ignored -> grid):
  1000 x .38095 + 200 x .05 + 300 x .38095 + 100 x .38095 + 400 x .38095 + 50 x .03 = 697.21
jrc-cfb-ev-2023 (instruments meeting the criteria kept; rest at residual -> grid, reported):
  380.95 + 10 + 300 x .02 + 38.095 + 400 x .25 + 1.5 = 536.545
meti-v1.0 (on-site, direct line and supplier menus kept; PPA/GO ignored):
  380.95 + 10 + 114.285 + 38.095 + 100 + 1.5 = 644.83
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cfp.conftest import codes, compute, factor, stage_values

GRID_DE = 0.38095


@pytest.fixture
def plant(doc: dict[str, Any]) -> dict[str, Any]:
    def line(i: int, source: str, kwh: float, value: str | None, met: bool | None = None):
        entry: dict[str, Any] = {
            "id": f"e{i}",
            "carrier": "electricity",
            "amount": f"{kwh} kWh",
            "source": source,
        }
        if value is not None:
            entry["emissionFactor"] = factor(value)
        if met is not None:
            entry["qualityCriteriaMet"] = met
        return entry

    doc["energyUse"] = [
        line(1, "grid", 1000, None),
        line(2, "on-site", 200, "0.05 kg CO2e/kWh"),
        line(3, "ppa", 300, "0.02 kg CO2e/kWh", True),
        line(4, "guarantee-of-origin", 100, "0 kg CO2e/kWh", False),
        line(5, "supplier-specific", 400, "0.25 kg CO2e/kWh", True),
        line(6, "direct-line", 50, "0.03 kg CO2e/kWh"),
    ]
    return doc


@pytest.mark.parametrize(
    ("ruleset", "expected"),
    [
        (
            "eu-da-2024-draft",
            1000 * GRID_DE + 10 + 300 * GRID_DE + 100 * GRID_DE + 400 * GRID_DE + 1.5,
        ),
        ("jrc-cfb-ev-2023", 1000 * GRID_DE + 10 + 6 + 100 * GRID_DE + 100 + 1.5),
        ("meti-v1.0", 1000 * GRID_DE + 10 + 300 * GRID_DE + 100 * GRID_DE + 100 + 1.5),
    ],
)
def test_electricity_rule_per_ruleset(plant: dict[str, Any], ruleset: str, expected: float) -> None:
    plant["functionalUnit"] = {"vehicleConsumption": "0.17 kWh/km", "lifetimeDistance": "1 km"}
    outcome = compute(plant, ruleset)
    assert stage_values(outcome)["main-production"] == pytest.approx(expected, rel=1e-12)


def test_draft_da_reports_ignored_instruments(plant: dict[str, Any]) -> None:
    found = codes(compute(plant))
    # the instruments' own factors are named as not used, and their quality-criteria flags
    assert ("cfp.instrument-ignored", "/energyUse/2/emissionFactor", "info") in found
    assert ("cfp.instrument-ignored", "/energyUse/4/emissionFactor", "info") in found
    assert ("cfp.input-not-used", "/energyUse/2/qualityCriteriaMet", "info") in found
    assert ("cfp.gwp-basis-tolerated", "", "warning") in found


def test_a_grid_lines_own_factor_is_reported_not_dropped(plant: dict[str, Any]) -> None:
    """Issue 13: a grid line's own factor was ignored without a word (~10 % change).

    1000 kWh grid DE with its own 0.42 kg/kWh: the draft DA counts the national mix
    (1000 x 0.38095 = 380.95 kg), and says that the line's factor is not used.
    """
    plant["energyUse"] = [plant["energyUse"][0]]
    plant["energyUse"][0]["emissionFactor"] = factor("0.42 kg CO2e/kWh")
    outcome = compute(plant)
    assert stage_values(outcome)["main-production"] == pytest.approx(1000 * GRID_DE)
    assert ("cfp.input-not-used", "/energyUse/0/emissionFactor", "warning") in codes(outcome)


def test_jrc_reports_the_missing_residual_mix(plant: dict[str, Any]) -> None:
    plant["functionalUnit"] = {"vehicleConsumption": "0.17 kWh/km", "lifetimeDistance": "1 km"}
    assert ("cfp.residual-mix-unavailable", "", "warning") in codes(
        compute(plant, "jrc-cfb-ev-2023")
    )


def test_grid_country_of_the_line_overrides_the_plant(plant: dict[str, Any]) -> None:
    plant["energyUse"] = [
        {"id": "e", "carrier": "electricity", "amount": "1 MWh", "source": "grid", "country": "FR"}
    ]
    # FR 56.039 g/kWh x 1000 kWh
    assert stage_values(compute(plant))["main-production"] == pytest.approx(56.039, rel=1e-12)


def test_on_site_without_factor_falls_back_to_the_grid(plant: dict[str, Any]) -> None:
    plant["energyUse"] = [
        {"id": "e", "carrier": "electricity", "amount": "100 kWh", "source": "on-site"}
    ]
    outcome = compute(plant)
    assert stage_values(outcome)["main-production"] == pytest.approx(100 * GRID_DE, rel=1e-12)
    assert ("cfp.specific-factor-missing", "/energyUse/0/emissionFactor", "warning") in codes(
        outcome
    )


def test_unknown_grid_country(plant: dict[str, Any]) -> None:
    plant["energyUse"] = [
        {"id": "e", "carrier": "electricity", "amount": "1 kWh", "source": "grid", "country": "XK"}
    ]
    outcome = compute(plant)
    assert outcome.result is None
    assert ("cfp.factor-missing", "/energyUse/0", "error") in codes(outcome)


GASES = [
    {"id": "g1", "gas": "SF6", "mass": "1 g"},
    {"id": "g2", "gas": "CH4-fossil", "mass": "100 g"},
    {"id": "g3", "gas": "N2O", "mass": "10 g"},
    {"id": "g4", "gas": "HFC-134a", "mass": "0.05 kg"},
]


def test_gwp_ar6_vs_ar5(doc: dict[str, Any]) -> None:
    # AR6: .001 x 25200 + .1 x 29.8 + .01 x 273 + .05 x 1530 = 107.41
    # AR5: .001 x 23500 + .1 x 30   + .01 x 265 + .05 x 1300 = 94.15
    doc["processEmissions"] = GASES
    ar6 = compute(doc)
    ar5 = compute(doc, gwp="ipcc-ar5-gwp100")
    assert stage_values(ar6)["main-production"] == pytest.approx(107.41, rel=1e-12)
    assert stage_values(ar5)["main-production"] == pytest.approx(94.15, rel=1e-12)
    assert ar5.result is not None
    assert ar5.result.gwp_set.id == "ipcc-ar5-gwp100"
    assert ("cfp.gwp-override", "", "warning") in codes(ar5)


def test_mixed_gwp_sets_are_errors(doc: dict[str, Any]) -> None:
    doc["billOfMaterials"][0]["emissionFactor"]["gwpSet"] = "ipcc-ar5-gwp100"
    outcome = compute(doc)
    assert outcome.result is None
    assert codes(outcome) == [
        ("cfp.gwp-mixed", "/billOfMaterials/0/emissionFactor/gwpSet", "error")
    ]
    doc["billOfMaterials"][0]["emissionFactor"]["gwpSet"] = "ipcc-ar6-gwp100"
    assert compute(doc).result is not None


def test_ar5_study_needs_no_tolerance_for_ar5_grid_data(doc: dict[str, Any]) -> None:
    # Ember data are AR5-based: consistent with an AR5 study, no tolerance needed
    doc["energyUse"] = [{"id": "e", "carrier": "electricity", "amount": "1 kWh", "source": "grid"}]
    assert "cfp.gwp-basis-tolerated" not in [
        c for c, _, _ in codes(compute(doc, gwp="ipcc-ar5-gwp100"))
    ]
