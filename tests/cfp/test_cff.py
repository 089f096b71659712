"""Circular Footprint Formula on one material line, hand-computed (PEF, Rec. 2021/2279 Annex I).

Line: 10 kg of PP, Ev 2.0; R1 0.2, A 0.5, Qsin/Qp 0.9, Erec 0.8; R2 0.3, ErecEoL 0.5, E*v 1.8,
Qsout/Qp 0.7; R3 0.5, B 0, EER 2.6, LHV 40 MJ/kg, XER,heat 0.3, ESE,heat 0.072 kg/MJ,
XER,elec 0.15, ESE,elec 0.4 kg/kWh; ED 0.1 (all kg CO2e per kg unless stated).

input side per kg:  0.8 x 2.0 + 0.2 x (0.5 x 0.8 + 0.5 x 2.0 x 0.9)          = 1.86
recycling per kg:   (1 - 0.5) x 0.3 x (0.5 - 1.8 x 0.7)                      = -0.114
energy rec. per kg: 0.5 x (2.6 - 40 x 0.3 x 0.072 - (40 / 3.6) x 0.15 x 0.4)  = 0.534666...
disposal per kg:    (1 - 0.3 - 0.5) x 0.1                                      = 0.02
x 10 kg: raw material 18.6; end of life -1.14 + 5.346666... + 0.2 = 4.406666...
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.cfp.conftest import codes, compute, factor, stage_values

FULL: dict[str, Any] = {
    "recycledContent": 0.2,
    "allocationFactor": 0.5,
    "qualityRatioInput": 0.9,
    "recycledInputFactor": factor("0.8 kg CO2e/kg"),
    "recyclingOutputRate": 0.3,
    "recyclingEolFactor": factor("500 g CO2e/kg"),
    "substitutedVirginFactor": factor("1.8 t CO2e/t"),
    "qualityRatioOutput": 0.7,
    "energyRecoveryRate": 0.5,
    "energyRecoveryAllocationFactor": 0,
    "energyRecoveryFactor": factor("2.6 kg CO2e/kg"),
    "lowerHeatingValue": "40 MJ/kg",
    "heatRecoveryEfficiency": 0.3,
    "substitutedHeatFactor": factor("0.072 kg CO2e/MJ"),
    "electricityRecoveryEfficiency": 0.15,
    "substitutedElectricityFactor": factor("400 g CO2e/kWh"),
    "disposalFactor": factor("0.1 kg CO2e/kg"),
}


@pytest.fixture
def pp_line(doc: dict[str, Any]) -> dict[str, Any]:
    doc["billOfMaterials"] = [
        {
            "id": "pp",
            "material": "PP housing",
            "mass": "10 kg",
            "emissionFactor": factor("2.0 kg CO2e/kg"),
            "circularity": dict(FULL),
        }
    ]
    return doc


def test_full_cff_line_with_energy_recovery(pp_line: dict[str, Any]) -> None:
    stages = stage_values(compute(pp_line))
    assert stages["raw-material"] == pytest.approx(18.6, rel=1e-12)
    assert stages["end-of-life"] == pytest.approx(-1.14 + 5.3466666666666667 + 0.2, rel=1e-12)
    assert stages["main-production"] == 0
    assert stages["distribution"] == 0


def test_cff_terms_in_the_trace(pp_line: dict[str, Any]) -> None:
    outcome = compute(pp_line)
    assert outcome.result is not None
    assert outcome.result.trace is not None
    by_kind = {e.kind: e.contribution.value for e in outcome.result.trace}
    assert by_kind == pytest.approx(
        {
            "cff.virgin-input": 10 * 0.8 * 2.0,
            "cff.recycled-input": 10 * 0.2 * 0.5 * 0.8,
            "cff.recycled-input-virgin-share": 10 * 0.2 * 0.5 * 0.9 * 2.0,
            "cff.recycling": 10 * 0.5 * 0.3 * 0.5,
            "cff.recycling-credit": -10 * 0.5 * 0.3 * 0.7 * 1.8,
            "cff.energy-recovery": 10 * 0.5 * 2.6,
            "cff.heat-credit": -10 * 0.5 * 40 * 0.3 * 0.072,
            "cff.electricity-credit": -10 * 0.5 * (40 / 3.6) * 0.15 * 0.4,
            "cff.disposal": 10 * 0.2 * 0.1,
        },
        rel=1e-12,
    )
    heat = next(e for e in outcome.result.trace if e.kind == "cff.heat-credit")
    # conversions are visible: 40 MJ/kg x 0.3 = 3.333 kWh/kg; 0.072 kg/MJ = 0.2592 kg/kWh
    assert heat.amount.unit == "kWh"
    assert heat.amount.value == pytest.approx(-10 * 0.5 * 40 / 3.6 * 0.3, rel=1e-12)
    assert heat.factor.value == pytest.approx(0.2592, rel=1e-12)
    assert heat.factor_as_given is not None
    assert heat.factor_as_given.unit == "kg CO2e/MJ"


def test_cut_off_variant_forces_a_to_one(pp_line: dict[str, Any]) -> None:
    # meti-v1.0 is cut-off: input 0.8 x 2 + 0.2 x 0.8 = 1.76/kg; no recycling term or credit;
    # energy recovery and disposal unchanged: EoL = 5.346666... + 0.2
    stages = stage_values(compute(pp_line, "meti-v1.0"))
    assert stages["raw-material"] == pytest.approx(17.6, rel=1e-12)
    assert stages["end-of-life"] == pytest.approx(5.5466666666666667, rel=1e-12)


def test_a_equal_one_is_cut_off_within_pef(pp_line: dict[str, Any]) -> None:
    pp_line["billOfMaterials"][0]["circularity"]["allocationFactor"] = 1
    stages = stage_values(compute(pp_line))
    assert stages["raw-material"] == pytest.approx(17.6, rel=1e-12)
    assert stages["end-of-life"] == pytest.approx(5.5466666666666667, rel=1e-12)


def test_substituted_virgin_defaults_to_ev(pp_line: dict[str, Any]) -> None:
    # without E*v: recycling = 0.15 x (0.5 - 2.0 x 0.7) = -0.135/kg -> -1.35
    del pp_line["billOfMaterials"][0]["circularity"]["substitutedVirginFactor"]
    outcome = compute(pp_line)
    assert stage_values(outcome)["end-of-life"] == pytest.approx(
        -1.35 + 5.3466666666666667 + 0.2, rel=1e-12
    )
    assert outcome.result is not None
    assert outcome.result.trace is not None
    credit = next(e for e in outcome.result.trace if e.kind == "cff.recycling-credit")
    assert credit.rule == "E*v = Ev (substituted virgin material)"


def test_ruleset_defaults_apply_to_missing_parameters(doc: dict[str, Any]) -> None:
    # only R1 and Erec given: A = 0.5 and Qsin/Qp = 1 from the ruleset; no EoL modelled
    doc["billOfMaterials"][0]["circularity"] = {
        "recycledContent": 0.5,
        "recycledInputFactor": factor("2 kg CO2e/kg"),
    }
    # per kg: 0.5 x 10 + 0.5 x (0.5 x 2 + 0.5 x 10 x 1) = 5 + 3 = 8; x 100 kg = 800
    outcome = compute(doc)
    assert stage_values(outcome)["raw-material"] == pytest.approx(800, rel=1e-12)
    assert ("cfp.eol-not-modelled", "/billOfMaterials", "warning") in codes(outcome)


@pytest.mark.parametrize(
    ("remove", "pointer"),
    [
        ("recycledInputFactor", "/billOfMaterials/0/circularity/recycledInputFactor"),
        ("recyclingEolFactor", "/billOfMaterials/0/circularity/recyclingEolFactor"),
        ("energyRecoveryFactor", "/billOfMaterials/0/circularity/energyRecoveryFactor"),
        ("lowerHeatingValue", "/billOfMaterials/0/circularity/lowerHeatingValue"),
        ("substitutedHeatFactor", "/billOfMaterials/0/circularity/substitutedHeatFactor"),
    ],
)
def test_a_share_without_its_factor_is_an_error(
    pp_line: dict[str, Any], remove: str, pointer: str
) -> None:
    del pp_line["billOfMaterials"][0]["circularity"][remove]
    outcome = compute(pp_line)
    assert outcome.result is None
    assert ("cfp.factor-missing", pointer, "error") in codes(outcome)


def test_zero_shares_need_no_factors(doc: dict[str, Any]) -> None:
    doc["billOfMaterials"][0]["circularity"] = {
        "recycledContent": 0,
        "recyclingOutputRate": 0,
        "energyRecoveryRate": 0,
    }
    assert stage_values(compute(doc))["raw-material"] == pytest.approx(1000, rel=1e-12)


def test_wrong_dimension_cff_factor(pp_line: dict[str, Any]) -> None:
    pp_line["billOfMaterials"][0]["circularity"]["recyclingEolFactor"] = factor("0.5 kg CO2e/kWh")
    from compliance.validation import validate_submission

    report = validate_submission(pp_line)
    assert next((i.code, i.pointer) for i in report.issues) == (
        "units.dimensionality",
        "/billOfMaterials/0/circularity/recyclingEolFactor/value",
    )
