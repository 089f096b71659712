"""An auditor recomputes every aggregate of a CFP result from its JSON alone.

The checks read nothing but the serialised result: stage totals, total, per functional unit and
shares from the trace; coverage, primary-data share, the most relevant processes, the DQR and
its level from the trace terms' criteria and the stated definitions; the one-at-a-time
sensitivity from the contributions; the variance decomposition from the terms' spreads (whose
moments are recomputed here from the distribution parameters).
"""

from __future__ import annotations

import copy
import json
import math
from collections import defaultdict
from fractions import Fraction
from typing import Any

import pytest

from compliance.cfp import CfpResult, FactorLibrary, compute_cfp, load_ruleset
from compliance.validation import validate_submission
from tests.cfp.conftest import AS_OF, BASE, compute, factor
from tests.conftest import VALID


def _moments(spread: dict[str, Any]) -> tuple[float, float]:
    """Mean and variance of a multiplier from its distribution parameters (closed forms)."""
    kind = spread["distribution"]
    if kind == "lognormal":
        s2 = math.log(spread["geometricSd"]) ** 2
        return math.exp(s2 / 2), (math.exp(s2) - 1) * math.exp(s2)
    if kind == "normal":
        s = spread["relativeSd"]
        if s == 0:
            return 1.0, 0.0
        b = 1 / s
        lam = math.exp(-b * b / 2) / math.sqrt(2 * math.pi) / (0.5 * (1 + math.erf(b / 2**0.5)))
        return 1 + s * lam, s * s * (1 - b * lam - lam * lam)
    if kind == "uniform":
        return (spread["low"] + spread["high"]) / 2, (spread["high"] - spread["low"]) ** 2 / 12
    a, c, h = spread["low"], spread["mode"], spread["high"]
    return (a + c + h) / 3, (a * a + c * c + h * h - a * c - a * h - c * h) / 18


def _dqr(criteria: dict[str, float | None]) -> Fraction:
    given = [Fraction(repr(v)) for v in criteria.values() if v is not None]
    return sum(given, Fraction(0)) / len(given)


def recompute(doc: dict[str, Any]) -> None:
    trace = doc["trace"]
    fu = doc["functionalUnit"]["energy"]["value"]
    c = [t["contribution"]["value"] for t in trace]

    # stages, total, per functional unit, shares
    by_stage: dict[str, list[float]] = defaultdict(list)
    for t, value in zip(trace, c, strict=True):
        by_stage[t["stage"]].append(value)
    total = math.fsum(c)
    assert doc["total"]["value"] == pytest.approx(total, rel=1e-12, abs=1e-9)
    assert doc["totalPerUnit"]["value"] == pytest.approx(total / fu, rel=1e-12, abs=1e-12)
    for stage in doc["stages"]:
        absolute = math.fsum(by_stage.get(stage["stage"], []))
        assert stage["absolute"]["value"] == pytest.approx(absolute, rel=1e-12, abs=1e-9)
        assert stage["perUnit"]["value"] == pytest.approx(absolute / fu, rel=1e-12, abs=1e-12)
        if total > 0:
            assert stage["share"] == pytest.approx(absolute / total, rel=1e-12, abs=1e-12)

    # every term: its DQR is the mean of its criteria, its class follows its primary share
    for t in trace:
        if t["dataQuality"] is None:
            assert t["dqr"] is None
        else:
            assert t["dqr"] == float(_dqr(t["dataQuality"]))
        share = t["primaryShare"]
        expected = "primary" if share >= 1 else "secondary" if share <= 0 else "partly primary"
        assert t["dataType"] == expected

    # coverage and primary-data share over the gross emissions
    quality = doc["dataQuality"]
    gross = math.fsum(abs(v) for v in c)
    rated = math.fsum(abs(v) for t, v in zip(trace, c, strict=True) if t["dataQuality"])
    primary = math.fsum(abs(v) * t["primaryShare"] for t, v in zip(trace, c, strict=True))
    assert quality["coverage"] == pytest.approx(rated / gross, rel=1e-12)
    assert quality["primaryDataShare"] == pytest.approx(primary / gross, rel=1e-12)

    # the most relevant processes and the aggregate DQR, exactly
    weight: dict[str, Fraction] = defaultdict(Fraction)
    criteria: dict[str, dict[str, float | None] | None] = {}
    tie: dict[str, tuple[str, str]] = {}
    for t, v in zip(trace, c, strict=True):
        weight[t["process"]] += Fraction(abs(v))
        criteria[t["process"]] = t["dataQuality"]
        tie[t["process"]] = (t["factorKey"], t["stage"])
    ranked = sorted(weight, key=lambda p: (-weight[p], tie[p]))
    target = Fraction(repr(quality["mostRelevantShare"])) * sum(weight.values())
    chosen: list[str] = []
    for process in ranked:
        if chosen and sum(weight[p] for p in chosen) >= target:
            break
        chosen.append(process)
    assert list(quality["mostRelevant"]) == chosen
    rated_chosen = [p for p in chosen if criteria[p] is not None]
    rated_weight = sum((weight[p] for p in rated_chosen), Fraction(0))
    if rated_weight:
        dqr = sum(weight[p] * _dqr(criteria[p] or {}) for p in rated_chosen) / rated_weight
        assert quality["dqr"] == float(dqr)
        level = next(b["level"] for b in quality["levels"] if dqr <= Fraction(repr(b["max"])))
        assert quality["level"] == level
        for name in ("ter", "ger", "tir", "p"):
            rated_by = [
                (weight[p], Fraction(repr(r)))
                for p in rated_chosen
                if (r := (criteria[p] or {})[name]) is not None
            ]
            if rated_by:
                average = sum(w * r for w, r in rated_by) / sum(w for w, _ in rated_by)
                assert quality["criteria"][name] == float(average)
    else:
        assert quality["dqr"] is None
    for name in ("process", "dqr", "level", "coverage", "primaryDataShare"):
        assert quality["definitions"][name]

    # one-at-a-time sensitivity: step x the contributions depending on the input
    for entry in doc["sensitivity"]:
        field = "pointer" if entry["kind"] == "line" else "factorQuantity"
        base = math.fsum(v for t, v in zip(trace, c, strict=True) if t[field] == entry["target"])
        assert entry["method"] == "one-at-a-time"
        assert entry["deltaPerUnit"]["value"] == pytest.approx(
            entry["step"] * base / fu, rel=1e-12, abs=1e-15
        )

    # variance decomposition from the terms' spreads
    pairs: dict[tuple[str, str], float] = defaultdict(float)
    spread_of: dict[tuple[str, str], tuple[float, float]] = {}
    for t, v in zip(trace, c, strict=True):
        pairs[t["factorQuantity"], t["pointer"]] += v
        for kind, key, spread in (
            ("factor", t["factorQuantity"], t["factorSpread"]),
            ("line", t["pointer"], t["activitySpread"]),
        ):
            moments = _moments(spread["distribution"]) if spread else (1.0, 0.0)
            if spread:
                assert (spread["mean"], spread["variance"]) == pytest.approx(moments, rel=1e-12)
            spread_of[kind, key] = moments
    slope: dict[tuple[str, str], float] = defaultdict(float)
    interaction: dict[tuple[str, str], float] = defaultdict(float)
    mean = inter_total = 0.0
    for (f, line), nominal in pairs.items():
        (mu_f, v_f), (mu_l, v_l) = spread_of["factor", f], spread_of["line", line]
        mean += nominal * mu_f * mu_l
        slope["factor", f] += nominal * mu_l
        slope["line", line] += nominal * mu_f
        part = v_f * v_l * nominal**2
        interaction["factor", f] += part
        interaction["line", line] += part
        inter_total += part
    first = {k: spread_of[k][1] * s**2 for k, s in slope.items()}
    var_y = sum(first.values()) + inter_total
    variance = doc["varianceSensitivity"]
    assert variance["mean"]["value"] == pytest.approx(mean / fu, rel=1e-9)
    assert variance["sd"]["value"] == pytest.approx(math.sqrt(var_y) / fu, rel=1e-9)
    for entry in variance["entries"]:
        quantity = (entry["kind"], entry["target"])
        assert entry["firstOrderIndex"] == pytest.approx(first[quantity] / var_y, rel=1e-9)
        assert entry["totalEffectIndex"] == pytest.approx(
            (first[quantity] + interaction[quantity]) / var_y, rel=1e-9
        )
    uncertain = sorted((k for k in first if first[k] > 0), key=lambda k: -first[k] - interaction[k])
    assert [(e["kind"], e["target"]) for e in variance["entries"]] == uncertain[:15]

    # the Monte Carlo samples the same model: its mean agrees with the closed form
    mc = doc["uncertainty"]
    tolerance = 4 * math.sqrt(var_y) / fu / math.sqrt(mc["samples"])
    assert mc["mean"] == pytest.approx(mean / fu, abs=tolerance)


def _rich_submission() -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(BASE)
    doc["battery"]["mass"] = "5000 kg"
    rated = {"ter": 1.2, "ger": 2.0, "tir": 1.6, "p": 2.4}
    doc["billOfMaterials"] = [
        {
            "id": "cam",
            "material": "cathode active material",
            "mass": "108 kg",
            "emissionFactor": factor(
                "20 kg CO2e/kg",
                dataQuality=rated,
                uncertainty={"distribution": "lognormal", "geometricSd": 1.25},
            ),
            "uncertainty": {"distribution": "normal", "relativeSd": 0.05},
            "circularity": {
                "recycledContent": 0.1,
                "allocationFactor": 0.2,
                "recyclingOutputRate": 0.9,
                "qualityRatioInput": 1.0,
                "qualityRatioOutput": 0.9,
                "recycledInputFactor": factor("6 kg CO2e/kg", dataQuality=rated),
                "recyclingEolFactor": factor("4 kg CO2e/kg"),
            },
        },
        {
            "id": "housing",
            "material": "aluminium",
            "mass": "60 kg",
            "emissionFactor": factor(
                "15.1 kg CO2e/kg",
                primaryData=True,
                dataQuality={"ter": 2, "ger": 3, "tir": 2},
                uncertainty={"distribution": "triangular", "low": 0.9, "mode": 1, "high": 1.3},
            ),
        },
    ]
    doc["energyUse"] = [
        {"id": "e1", "carrier": "electricity", "amount": "2000 kWh", "source": "grid"},
        {
            "id": "e2",
            "carrier": "electricity",
            "amount": "1000 kWh",
            "source": "grid",
            "uncertainty": {"distribution": "uniform", "low": 0.9, "high": 1.1},
        },
    ]
    doc["processEmissions"] = [{"id": "g", "gas": "SF6", "mass": "2 g"}]
    doc["purchasedComponents"] = [
        {
            "id": "bms",
            "name": "BMS",
            "supplier": {"name": "S"},
            "process": "electronics",
            "amount": "1 piece",
            "footprint": {
                "value": "300 kg CO2e/piece",
                "stageSplit": {
                    "rawMaterial": "200 kg CO2e/piece",
                    "mainProduction": "100 kg CO2e/piece",
                },
                "source": "synthetic PCF",
                "dataQuality": {"ter": 1.1, "ger": 3.2, "tir": 1.7},
                "primaryDataShare": 0.4,
            },
        }
    ]
    return doc


def _as_json(result: CfpResult) -> dict[str, Any]:
    """The result as its JSON document (what the CLI writes)."""
    document: dict[str, Any] = json.loads(result.model_dump_json())
    return document


def test_recompute_a_rich_result_from_its_json() -> None:
    result = compute(_rich_submission(), trace=True, sensitivity=True, monte_carlo=4000).result
    assert result is not None
    doc = _as_json(result)
    assert doc["dataQuality"]["dqr"] is not None
    assert doc["varianceSensitivity"]["interactions"] > 0  # CAM factor x CAM mass
    assert any(t["totalEffectIndex"] for t in doc["varianceSensitivity"]["entries"])
    assert min(t["contribution"]["value"] for t in doc["trace"]) < 0  # an end-of-life credit
    recompute(doc)


@pytest.mark.parametrize("ruleset", ["eu-da-2024-draft", "meti-v1.0"])
def test_recompute_the_ev_example_from_its_json(ruleset: str) -> None:
    path = next(p for p in VALID if p.name == "nmc811-m1-ev.json")
    submission = validate_submission(path.read_bytes(), name=path.name).submission
    assert submission is not None
    result = compute_cfp(
        submission,
        load_ruleset(ruleset),
        library=FactorLibrary.bundled(),
        as_of=AS_OF,
        trace=True,
        sensitivity=True,
        monte_carlo=2000,
        seed=3,
    ).result
    assert result is not None
    recompute(_as_json(result))
