"""CFP invariants on generated submissions: linearity, stage sum, order and unit invariance,
exact DQR levels, and one Monte Carlo draw for a split supplier footprint."""

from __future__ import annotations

import copy
import math
import random
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.cfp import load_ruleset
from tests.cfp.conftest import BASE, compute, factor

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

positive = st.floats(min_value=0.01, max_value=1000, allow_nan=False)
share = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def material(draw: st.DrawFn, index: int) -> dict[str, Any]:
    r2 = draw(share)
    r3 = draw(st.floats(min_value=0, max_value=1 - r2)) if r2 < 1 else 0.0
    return {
        "id": f"m{index}",
        "material": f"material {index}",
        "mass": f"{draw(positive)!r} kg",
        "emissionFactor": factor(f"{draw(positive)!r} kg CO2e/kg"),
        "circularity": {
            "recycledContent": draw(share),
            "allocationFactor": draw(st.floats(min_value=0.2, max_value=0.8)),
            "recyclingOutputRate": r2,
            "energyRecoveryRate": r3,
            "qualityRatioInput": draw(share),
            "qualityRatioOutput": draw(share),
            "recycledInputFactor": factor(f"{draw(positive)!r} kg CO2e/kg"),
            "recyclingEolFactor": factor(f"{draw(positive)!r} kg CO2e/kg"),
            "energyRecoveryFactor": factor(f"{draw(positive)!r} kg CO2e/kg"),
            "lowerHeatingValue": f"{draw(positive)!r} MJ/kg",
            "heatRecoveryEfficiency": draw(share),
            "substitutedHeatFactor": factor(f"{draw(positive)!r} g CO2e/MJ"),
            "electricityRecoveryEfficiency": draw(share),
            "substitutedElectricityFactor": factor(f"{draw(positive)!r} g CO2e/kWh"),
            "disposalFactor": factor(f"{draw(positive)!r} kg CO2e/kg"),
        },
    }


@st.composite
def submissions(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    doc["battery"]["mass"] = "100 000 kg"  # no BOM-mass warning whatever is drawn
    doc["billOfMaterials"] = [draw(material(i)) for i in range(draw(st.integers(1, 5)))]
    doc["energyUse"] = [
        {
            "id": f"e{i}",
            "carrier": "electricity",
            "amount": f"{draw(positive)!r} kWh",
            "source": "on-site",
            "emissionFactor": factor(f"{draw(positive)!r} g CO2e/kWh"),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    doc["transport"] = [
        {
            "id": f"t{i}",
            "mode": "road",
            "mass": f"{draw(positive)!r} kg",
            "distance": f"{draw(positive)!r} km",
            "emissionFactor": factor(f"{draw(positive)!r} g CO2e/tkm"),
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    doc["purchasedComponents"] = [
        {
            "id": f"c{i}",
            "name": f"c{i}",
            "supplier": {"name": "S"},
            "process": "electronics",
            "amount": f"{draw(positive)!r} piece",
            "footprint": {"value": f"{draw(positive)!r} kg CO2e/piece", "source": "s"},
        }
        for i in range(draw(st.integers(0, 2)))
    ]
    return doc


def stages(doc: dict[str, Any]) -> dict[str, float]:
    outcome = compute(doc, trace=False)
    assert outcome.result is not None, [i.to_dict() for i in outcome.issues]
    return {s.stage.value: s.absolute.value for s in outcome.result.stages}


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9 * (abs(a) + abs(b) + 1e-12))


def _scale_factors(node: Any, k: float) -> None:
    """Multiply every emission factor and PCF value of a document by k (in place)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and "CO2e" in value:
                number, unit = value.split(" ", 1)
                node[key] = f"{float(number) * k!r} {unit}"
            else:
                _scale_factors(value, k)
    elif isinstance(node, list):
        for item in node:
            _scale_factors(item, k)


@SETTINGS
@given(doc=submissions(), k=st.floats(min_value=0.1, max_value=10))
def test_linear_in_factors(doc: dict[str, Any], k: float) -> None:
    before = stages(doc)
    scaled = copy.deepcopy(doc)
    _scale_factors(scaled, k)
    after = stages(scaled)
    for stage, value in before.items():
        assert close(after[stage], value * k, 1e-9), stage


@SETTINGS
@given(doc=submissions())
def test_stage_sum_equals_total(doc: dict[str, Any]) -> None:
    outcome = compute(doc, trace=True)
    result = outcome.result
    assert result is not None
    assert close(sum(s.absolute.value for s in result.stages), result.total.value, 1e-12)
    assert close(sum(s.per_unit.value for s in result.stages), result.total_per_unit.value, 1e-12)
    assert result.trace is not None
    assert close(sum(e.contribution.value for e in result.trace), result.total.value, 1e-12)


@SETTINGS
@given(doc=submissions(), seed=st.integers(0, 2**32 - 1))
def test_order_invariant(doc: dict[str, Any], seed: int) -> None:
    before = stages(doc)
    shuffled = copy.deepcopy(doc)
    rng = random.Random(seed)
    for section in ("billOfMaterials", "energyUse", "transport", "purchasedComponents"):
        rng.shuffle(shuffled[section])
    after = stages(shuffled)
    for stage, value in before.items():
        assert close(after[stage], value, 1e-9), stage


MASS = {"kg": 1.0, "g": 1e-3, "t": 1e3}
ENERGY = {"kWh": 1.0, "Wh": 1e-3, "MWh": 1e3, "MJ": 1 / 3.6}


@SETTINGS
@given(
    doc=submissions(),
    mass_unit=st.sampled_from(sorted(MASS)),
    energy_unit=st.sampled_from(sorted(ENERGY)),
)
def test_unit_invariant(doc: dict[str, Any], mass_unit: str, energy_unit: str) -> None:
    before = stages(doc)
    other = copy.deepcopy(doc)
    for line in other["billOfMaterials"] + other["transport"]:
        value = float(line["mass"].split()[0])
        line["mass"] = {"value": value / MASS[mass_unit], "unit": mass_unit}
    for line in other["energyUse"]:
        value = float(line["amount"].split()[0])
        line["amount"] = f"{value / ENERGY[energy_unit]!r} {energy_unit}"
    after = stages(other)
    for stage, value in before.items():
        assert close(after[stage], value, 1e-9), stage


rating = st.integers(10, 50).map(lambda tenths: tenths / 10)


@settings(max_examples=40, deadline=None)
@given(ter=rating, ger=rating, tir=rating, p=st.none() | rating)
def test_dqr_level_is_read_exactly(ter: float, ger: float, tir: float, p: float | None) -> None:
    # one component carrying 80 % of the emissions is the one most relevant process: the DQR
    # is the exact mean of its ratings as written, and the level the first band not exceeded
    doc = copy.deepcopy(BASE)
    quality = {"ter": ter, "ger": ger, "tir": tir} | ({"p": p} if p is not None else {})
    doc["purchasedComponents"] = [
        {
            "id": "c",
            "name": "c",
            "supplier": {"name": "S"},
            "process": "electronics",
            "amount": "1 piece",
            "footprint": {"value": "4000 kg CO2e/piece", "source": "s", "dataQuality": quality},
        }
    ]
    result = compute(doc, trace=False).result
    assert result is not None
    ratings = [Fraction(repr(r)) for r in quality.values()]
    exact = sum(ratings, Fraction(0)) / len(ratings)
    bands = load_ruleset("eu-da-2024-draft").data_quality.levels
    level = next(b.level for b in bands if exact <= Fraction(repr(b.max)))
    assert result.data_quality.dqr == float(exact)
    assert result.data_quality.level == level


@settings(max_examples=25, deadline=None)
@given(
    parts=st.lists(st.integers(1, 10_000), min_size=2, max_size=4),
    gsd=st.floats(min_value=1.01, max_value=3.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_split_footprint_varies_as_the_whole(parts: list[int], gsd: float, seed: int) -> None:
    # a footprint split into stage parts is one uncertain quantity: with the same seed, its
    # Monte Carlo spread is that of the same footprint unsplit (one draw scales every part)
    names = ("rawMaterial", "mainProduction", "distribution", "endOfLife")
    whole = sum(parts)
    doc = copy.deepcopy(BASE)
    component: dict[str, Any] = {
        "id": "c",
        "name": "c",
        "supplier": {"name": "S"},
        "process": "module-assembly",
        "amount": "1 piece",
        "footprint": {
            "value": f"{whole} kg CO2e/piece",
            "source": "s",
            "uncertainty": {"distribution": "lognormal", "geometricSd": gsd},
        },
    }
    doc["purchasedComponents"] = [component]
    unsplit = compute(doc, monte_carlo=500, seed=seed).result
    component["footprint"]["stageSplit"] = {
        name: f"{part} kg CO2e/piece" for name, part in zip(names, parts, strict=False)
    }
    split = compute(doc, monte_carlo=500, seed=seed).result
    assert unsplit is not None
    assert split is not None
    assert unsplit.uncertainty is not None
    assert split.uncertainty is not None
    for key, value in unsplit.uncertainty.percentiles.items():
        assert close(split.uncertainty.percentiles[key], value, 1e-12), key
    assert close(split.uncertainty.sd, unsplit.uncertainty.sd, 1e-9)
