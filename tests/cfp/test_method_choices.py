"""Method choices as user data (issue 13): user rulesets and datasets with their digests, named
choices overridden one at a time, residual-mix datasets, end of life of the whole battery.

Worked cases on the minimal submission (conftest): one 100 kg line at 10 kg CO2e/kg = 1000 kg
CO2e; M1, 75 kWh usable, 8-year warranty, battery 400 kg, plant in DE.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from compliance.cfp import (
    FactorLibrary,
    RulesetError,
    compute_cfp,
    load_ruleset,
    parse_dataset,
    parse_ruleset,
)
from compliance.cfp.rulesets import ChoiceError, compose_ruleset
from compliance.resources import read_resource_bytes
from compliance.validation import validate_submission
from tests.cfp.conftest import AS_OF, codes, compute, factor, stage_values

DA = "rules/cfp/rulesets/eu-da-2024-draft.yaml"


def _run(document: dict[str, Any], ruleset: Any, *datasets: Any) -> Any:
    report = validate_submission(document)
    assert report.ok, [i.to_dict() for i in report.issues]
    assert report.submission is not None
    return compute_cfp(
        report.submission, ruleset, library=FactorLibrary.bundled(datasets), as_of=AS_OF
    )


# -- 1. a user's ruleset file and factor datasets ---------------------------------------------


def _user_ruleset() -> bytes:
    text = read_resource_bytes(DA).decode("utf-8")
    text = text.replace("id: eu-da-2024-draft", "id: my-method", 1)
    text = text.replace("id: lifetime-energy-da-2024", "id: lifetime-energy-50-cycles", 1)
    return text.replace("{M1: 60,", "{M1: 50,", 1).encode("utf-8")


def test_a_user_ruleset_file_is_used_and_stamped(doc: dict[str, Any]) -> None:
    """50 cycles a year instead of 60: FU = 75 x 50 x 8 = 30 000 kWh; 1000 / 30 000 kg/kWh."""
    data = _user_ruleset()
    ruleset = parse_ruleset(data, "my-method.yaml")
    result = _run(doc, ruleset).result
    assert result.functional_unit.energy.value == 30_000
    assert result.total_per_unit.value == pytest.approx(1000 / 30_000)
    assert result.ruleset.id == "my-method"
    assert result.ruleset.origin == "file my-method.yaml"
    assert result.ruleset.sha256 == hashlib.sha256(data).hexdigest()
    fu = next(c for c in result.ruleset.choices if c.axis == "functional-unit")
    assert (fu.id, fu.origin) == ("lifetime-energy-50-cycles", "ruleset my-method")


def test_bundled_rulesets_carry_their_digest() -> None:
    ruleset = load_ruleset("eu-da-2024-draft")
    assert ruleset.provenance.origin == f"bundled {DA}"
    assert ruleset.provenance.sha256 == hashlib.sha256(read_resource_bytes(DA)).hexdigest()


def test_a_broken_user_ruleset_is_located_against_the_schema() -> None:
    data = _user_ruleset().replace(b"  strategy: lifetime-energy\n", b"  strategy: per-pack\n", 1)
    with pytest.raises(RulesetError) as info:
        parse_ruleset(data, "my-method.yaml")
    issue = info.value.issues[0]
    assert issue.pointer == "/functional_unit/strategy"
    assert issue.code.startswith("schema.")
    assert issue.line == data.decode().splitlines().index("  strategy: per-pack") + 1


def test_a_user_dataset_is_used_with_its_digest(doc: dict[str, Any]) -> None:
    """The BOM line refers to a user's factor: 100 kg x 12.5 = 1250 kg CO2e."""
    data = (
        b"id: my-factors\nversion: '2026.1'\ntitle: Own factors\nlicence: proprietary\n"
        b"gwpSet: ipcc-ar6-gwp100\nfactors:\n"
        b"  - {id: aluminium, value: 12.5 kg CO2e/kg, source: supplier EPD (synthetic)}\n"
    )
    dataset = parse_dataset(data, "my-factors.yaml")
    doc["billOfMaterials"][0]["emissionFactor"] = {"dataset": "my-factors", "factorId": "aluminium"}
    result = _run(doc, load_ruleset("eu-da-2024-draft"), dataset).result
    assert stage_values_of(result)["raw-material"] == pytest.approx(1250)
    ref = next(d for d in result.datasets if d.id == "my-factors")
    assert ref.origin == "file my-factors.yaml"
    assert ref.sha256 == hashlib.sha256(data).hexdigest()


def stage_values_of(result: Any) -> dict[str, float]:
    return {s.stage.value: s.absolute.value for s in result.stages}


# -- 2. each method choice on its own ----------------------------------------------------------


def test_the_jrc_electricity_rule_with_the_draft_da_functional_unit(doc: dict[str, Any]) -> None:
    """JRC alone needs vehicle consumption x distance; with the DA's functional unit chosen
    instead, FU = 75 x 60 x 8 = 36 000 kWh, and the electricity rule stays JRC's."""
    jrc = load_ruleset("jrc-cfb-ev-2023")
    assert ("cfp.fu-input-missing", "/functionalUnit/vehicleConsumption", "error") in codes(
        _run(doc, jrc)
    )
    composed = compose_ruleset(jrc, {"functional-unit": "lifetime-energy-da-2024"})
    outcome = _run(doc, composed)
    result = outcome.result
    assert result.functional_unit.energy.value == 36_000
    assert result.total_per_unit.value == pytest.approx(1000 / 36_000)
    assert result.declared_unit.startswith("kg CO2e per kWh of total energy provided")
    choices = {c.axis: (c.id, c.origin) for c in result.ruleset.choices}
    assert choices["functional-unit"] == (
        "lifetime-energy-da-2024",
        "override from ruleset eu-da-2024-draft",
    )
    assert choices["electricity"] == ("residual-mix-jrc-2023", "ruleset jrc-cfb-ev-2023")
    assert ("cfp.choice-override", "", "warning") in codes(outcome)


def test_unknown_choices_are_refused() -> None:
    base = load_ruleset("eu-da-2024-draft")
    with pytest.raises(ChoiceError, match="unknown electricity choice 'green'; available: "):
        compose_ruleset(base, {"electricity": "green"})
    with pytest.raises(ChoiceError, match="unknown method choice 'units'"):
        compose_ruleset(base, {"units": "si"})


def test_choice_ids_name_one_block_across_the_bundled_rulesets() -> None:
    from compliance.cfp import available_rulesets
    from compliance.cfp.rulesets import CHOICE_AXES

    seen: dict[tuple[str, str], Any] = {}
    for name in available_rulesets():
        ruleset = load_ruleset(name)
        for axis in CHOICE_AXES:
            block = ruleset.choice(axis)
            assert seen.setdefault((axis, block.id), block) == block, (axis, block.id)


# -- 3. residual mix ---------------------------------------------------------------------------

RESIDUAL = (
    b"id: residual-mix\nversion: '2025'\ntitle: Residual mixes (synthetic)\n"
    b"licence: proprietary\ngwpSet: ipcc-ar6-gwp100\nfactors:\n"
    b"  - {id: residual.DE, value: 600 g CO2e/kWh, source: synthetic residual mix}\n"
)


def test_the_residual_mix_is_used_where_the_rule_calls_for_it(doc: dict[str, Any]) -> None:
    """JRC 2023: grid electricity not covered by instruments at the residual mix:
    1000 kWh x 0.6 = 600 kg CO2e (the draft DA keeps the national mix: 380.95 kg)."""
    doc["energyUse"] = [
        {"id": "e", "carrier": "electricity", "amount": "1000 kWh", "source": "grid"}
    ]
    residual = parse_dataset(RESIDUAL, "residual.yaml")
    jrc = compose_ruleset(
        load_ruleset("jrc-cfb-ev-2023"), {"functional-unit": "lifetime-energy-da-2024"}
    )
    outcome = _run(doc, jrc, residual)
    assert stage_values(outcome)["main-production"] == pytest.approx(600)
    assert "cfp.residual-mix-unavailable" not in {c for c, _, _ in codes(outcome)}
    trace = [t for t in outcome.result.trace if t.kind == "electricity"]
    assert trace[0].factor_key == "residual-mix@2025#residual.DE"
    without = _run(doc, jrc)
    assert stage_values(without)["main-production"] == pytest.approx(380.95)
    assert ("cfp.residual-mix-unavailable", "", "warning") in codes(without)
    da = _run(doc, load_ruleset("eu-da-2024-draft"), residual)
    assert stage_values(da)["main-production"] == pytest.approx(380.95)


# -- 5. end of life of the whole battery -------------------------------------------------------


def test_end_of_life_treatment_of_the_whole_battery(doc: dict[str, Any]) -> None:
    """Hydrometallurgical treatment at 0.5 kg CO2e/kg of the 400 kg battery: 200 kg CO2e in
    end of life, no "BOM mass exceeds battery mass"; with 300 kg treated: 150 kg."""
    doc["endOfLife"] = [
        {
            "id": "eol",
            "process": "hydrometallurgical",
            "emissionFactor": factor("0.5 kg CO2e/kg"),
        }
    ]
    outcome = compute(doc)
    assert stage_values(outcome)["end-of-life"] == pytest.approx(200)
    assert stage_values(outcome)["raw-material"] == pytest.approx(1000)
    assert "semantic.bom-mass-exceeds-battery" not in {c for c, _, _ in codes(outcome)}
    doc["endOfLife"][0]["mass"] = "300 kg"
    assert stage_values(compute(doc))["end-of-life"] == pytest.approx(150)


def test_a_recyclers_result_is_entered_as_such(doc: dict[str, Any]) -> None:
    """A recycler's result of -40 kg CO2e per battery (credits included): end of life -40;
    per FU (36 000 kWh): (1000 - 40) / 36 000. A cut-off ruleset refuses the credits."""
    doc["endOfLife"] = [
        {
            "id": "recycler",
            "process": "whole-chain",
            "supplierResult": factor("-40 kg CO2e/piece", includesCredits=True),
        }
    ]
    outcome = compute(doc)
    assert stage_values(outcome)["end-of-life"] == pytest.approx(-40)
    assert outcome.result is not None
    assert outcome.result.total_per_unit.value == pytest.approx(960 / 36_000)
    meti = compute(doc, "meti-v1.0")
    assert meti.result is None
    assert (
        "cfp.eol-credits-not-allowed",
        "/endOfLife/0/supplierResult/includesCredits",
        "error",
    ) in codes(meti)
    doc["endOfLife"][0]["supplierResult"] = factor("25 kg CO2e/piece", includesCredits=False)
    assert stage_values(compute(doc, "meti-v1.0"))["end-of-life"] == pytest.approx(25)


# -- 6. a split supplier PCF in the trace ------------------------------------------------------


def test_the_trace_of_a_split_pcf_shows_each_part_as_given(doc: dict[str, Any]) -> None:
    doc["purchasedComponents"] = [
        {
            "id": "bms",
            "name": "BMS",
            "supplier": {"name": "S"},
            "process": "electronics",
            "amount": "2 piece",
            "footprint": {
                "value": "240 kg CO2e/piece",
                "stageSplit": {
                    "rawMaterial": "210 kg CO2e/piece",
                    "mainProduction": "30 kg CO2e/piece",
                },
                "source": "synthetic",
            },
        }
    ]
    result = compute(doc).result
    assert result is not None
    assert result.trace is not None
    trace = [t for t in result.trace if t.kind == "component"]
    assert [
        (t.factor_as_given and t.factor_as_given.value, t.contribution.value) for t in trace
    ] == [
        (210, 420),
        (30, 60),
    ]


def test_an_inline_factors_validity_is_shown_and_checked(doc: dict[str, Any]) -> None:
    line = doc["billOfMaterials"][0]
    line["emissionFactor"] = factor("10 kg CO2e/kg", validFrom="2027-01-01")
    outcome = compute(doc)
    assert (
        "cfp.factor-not-yet-valid",
        "/billOfMaterials/0/emissionFactor/validFrom",
        "warning",
    ) in (codes(outcome))
    assert outcome.result is not None
    assert outcome.result.trace is not None
    assert outcome.result.trace[0].factor_source == "synthetic test value (valid 2027-01-01 to ...)"
