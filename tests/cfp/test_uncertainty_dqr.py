"""Monte Carlo, variance-based sensitivity and DQR checked against closed forms computed here.

Every expected value below is derived in this file (closed forms with ``math.erf``, exact
fractions), never read back from the engine. The minimal submission of ``conftest`` has a
functional unit of 75 kWh x 60 cycles x 8 years = 36 000 kWh.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.cfp.rulesets import DqrAggregation
from compliance.validation import validate_submission
from tests.cfp.conftest import AS_OF, compute, factor

FU = 36_000.0


def _cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _pdf(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def lognormal(gsd: float) -> tuple[float, float]:
    """Mean and variance of a median-1 lognormal with geometric sd ``gsd``."""
    s2 = math.log(gsd) ** 2
    return math.exp(s2 / 2), (math.exp(s2) - 1) * math.exp(s2)


def truncated_normal(sd: float) -> tuple[float, float]:
    """Mean and variance of N(1, sd) truncated to [0, inf) (closed form via the Mills ratio)."""
    alpha = -1 / sd
    lam = _pdf(alpha) / (1 - _cdf(alpha))
    return 1 + sd * lam, sd * sd * (1 + alpha * lam - lam * lam)


def truncated_normal_quantile(sd: float, q: float) -> float:
    """Quantile of N(1, sd) truncated at 0, by bisection on its CDF."""
    low_mass = _cdf(-1 / sd)
    lo, hi = 0.0, 1 + 10 * sd
    for _ in range(200):
        mid = (lo + hi) / 2
        if (_cdf((mid - 1) / sd) - low_mass) / (1 - low_mass) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def pcf(value: str, **footprint: Any) -> dict[str, Any]:
    """A one-piece supplier component with the given footprint fields."""
    return {
        "id": "pack",
        "name": "pack",
        "supplier": {"name": "S"},
        "process": "module-assembly",
        "amount": "1 piece",
        "footprint": {"value": value, "source": "synthetic PCF", **footprint},
    }


def bom(line_id: str, kg: float, per_kg: float, **extra: Any) -> dict[str, Any]:
    """A BOM line ``kg`` x ``per_kg``; ``factor_extra`` goes to its factor, the rest to the line."""
    factor_extra = extra.pop("factor_extra", {})
    return {
        "id": line_id,
        "material": line_id,
        "mass": f"{kg!r} kg",
        "emissionFactor": factor(f"{per_kg!r} kg CO2e/kg", **factor_extra),
        **extra,
    }


# --- a split supplier footprint is one uncertain quantity ----------------------------------


def test_split_footprint_is_one_draw(doc: dict[str, Any]) -> None:
    # 1 piece at 100 kg CO2e split 60 RM + 40 MP, lognormal GSD 1.5 on the whole footprint; the
    # BOM line (1000 kg CO2e) is fixed. One draw for the footprint: sd = 100 x sd(multiplier).
    # One draw per part would give sqrt(60^2 + 40^2) = 72.1 % of it (the defect, ~28 % narrow).
    doc["purchasedComponents"] = [
        pcf(
            "100 kg CO2e/piece",
            stageSplit={"rawMaterial": "60 kg CO2e/piece", "mainProduction": "40 kg CO2e/piece"},
            uncertainty={"distribution": "lognormal", "geometricSd": 1.5},
        )
    ]
    result = compute(doc, monte_carlo=40_000, seed=11, sensitivity=True).result
    assert result is not None
    assert result.uncertainty is not None
    mean, var = lognormal(1.5)
    whole = 100 * math.sqrt(var) / FU
    assert result.uncertainty.sd == pytest.approx(whole, rel=0.03)
    assert result.uncertainty.sd > 1.3 * math.hypot(60, 40) * math.sqrt(var) / FU
    assert result.uncertainty.mean == pytest.approx((1000 + 100 * mean) / FU, rel=0.005)
    # the closed-form decomposition sees one quantity carrying all the variance
    variance = result.variance_sensitivity
    assert variance is not None
    assert variance.sd.value == pytest.approx(whole, rel=1e-12)
    assert [e.target for e in variance.entries] == ["/purchasedComponents/0/footprint"]
    assert variance.entries[0].first_order_index == pytest.approx(1.0, rel=1e-12)
    # one-at-a-time: the footprint is listed once, +10 % of the whole 100 kg CO2e
    assert result.sensitivity is not None
    factors = [e for e in result.sensitivity if e.kind == "factor" and "purchased" in e.target]
    assert [e.target for e in factors] == ["/purchasedComponents/0/footprint"]
    assert factors[0].delta_per_unit.value == pytest.approx(10 / FU, rel=1e-12)
    assert all(e.method == "one-at-a-time" and e.step == 0.1 for e in result.sensitivity)
    assert result.trace is not None
    parts = [t for t in result.trace if t.pointer == "/purchasedComponents/0"]
    assert {t.factor_quantity for t in parts} == {"/purchasedComponents/0/footprint"}
    assert len(parts) == 2


# --- a truncated normal is truncated, not clipped ------------------------------------------


def test_normal_is_truncated_not_clipped(doc: dict[str, Any]) -> None:
    # 1000 kg CO2e with a normal factor spread, relative sd 0.6: 4.8 % of N(1, 0.6) is below 0.
    # Clipping put those draws at 0 (p2.5 = 0); the truncated normal has no mass at 0.
    assert _cdf(-1 / 0.6) == pytest.approx(0.0478, abs=5e-4)
    doc["billOfMaterials"][0]["emissionFactor"]["uncertainty"] = {
        "distribution": "normal",
        "relativeSd": 0.6,
    }
    result = compute(doc, monte_carlo=200_000, seed=5, sensitivity=True).result
    assert result is not None
    assert result.uncertainty is not None
    mean, var = truncated_normal(0.6)
    assert mean == pytest.approx(1.0627, abs=1e-4)  # above 1: the lower tail is cut
    u = result.uncertainty
    assert u.mean == pytest.approx(1000 * mean / FU, rel=0.005)
    assert u.sd == pytest.approx(1000 * math.sqrt(var) / FU, rel=0.01)
    assert u.percentiles["p2.5"] > 0
    for p in (2.5, 50.0, 97.5):
        expected = 1000 * truncated_normal_quantile(0.6, p / 100) / FU
        assert u.percentiles[f"p{p:g}"] == pytest.approx(expected, rel=0.02)
    variance = result.variance_sensitivity
    assert variance is not None
    assert variance.mean.value == pytest.approx(1000 * mean / FU, rel=1e-12)
    assert variance.sd.value == pytest.approx(1000 * math.sqrt(var) / FU, rel=1e-12)


# --- variance of a sum of independent uncertain terms --------------------------------------


def test_variance_of_a_sum_against_closed_form(doc: dict[str, Any]) -> None:
    # Y = 1000 F1 L1 + 200 F2: F1 lognormal GSD 1.3, L1 (the activity) triangular (0.9, 1, 1.2),
    # F2 uniform (0.8, 1.2). Independent, so
    # Var Y = 1000^2 (E[F1^2] E[L1^2] - mu1^2 muL^2) + 200^2 v2, with the parts
    # V_F1 = 1000^2 muL^2 v1, V_L1 = 1000^2 mu1^2 vL, V_F1L1 = 1000^2 v1 vL, V_F2 = 200^2 v2.
    doc["billOfMaterials"] = [
        bom(
            "a",
            100,
            10,
            factor_extra={"uncertainty": {"distribution": "lognormal", "geometricSd": 1.3}},
            uncertainty={"distribution": "triangular", "low": 0.9, "mode": 1.0, "high": 1.2},
        ),
        bom(
            "b",
            50,
            4,
            factor_extra={"uncertainty": {"distribution": "uniform", "low": 0.8, "high": 1.2}},
        ),
    ]
    mu1, v1 = lognormal(1.3)
    mu_l = (0.9 + 1.0 + 1.2) / 3
    v_l = (0.81 + 1.0 + 1.44 - 0.9 - 1.08 - 1.2) / 18
    v2 = 0.4**2 / 12
    parts = {
        "F1": 1000**2 * mu_l**2 * v1,
        "L1": 1000**2 * mu1**2 * v_l,
        "F2": 200**2 * v2,
    }
    interaction = 1000**2 * v1 * v_l
    var_y = 1000**2 * ((v1 + mu1**2) * (v_l + mu_l**2) - mu1**2 * mu_l**2) + 200**2 * v2
    assert sum(parts.values()) + interaction == pytest.approx(var_y, rel=1e-12)
    mean_y = 1000 * mu1 * mu_l + 200

    result = compute(doc, monte_carlo=100_000, seed=2, sensitivity=True).result
    assert result is not None
    assert result.uncertainty is not None
    assert result.uncertainty.mean == pytest.approx(mean_y / FU, rel=0.005)
    assert result.uncertainty.sd == pytest.approx(math.sqrt(var_y) / FU, rel=0.02)
    variance = result.variance_sensitivity
    assert variance is not None
    assert variance.mean.value == pytest.approx(mean_y / FU, rel=1e-12)
    assert variance.sd.value == pytest.approx(math.sqrt(var_y) / FU, rel=1e-12)
    assert variance.interactions == pytest.approx(interaction / var_y, rel=1e-9)
    found = {e.target: e for e in variance.entries}
    targets = {
        "F1": "/billOfMaterials/0/emissionFactor",
        "L1": "/billOfMaterials/0",
        "F2": "/billOfMaterials/1/emissionFactor",
    }
    for name, target in targets.items():
        assert found[target].first_order_index == pytest.approx(parts[name] / var_y, rel=1e-9)
        assert found[target].first_order_variance == pytest.approx(parts[name] / FU**2, rel=1e-9)
    assert found[targets["F1"]].total_effect_index == pytest.approx(
        (parts["F1"] + interaction) / var_y, rel=1e-9
    )
    assert found[targets["F2"]].total_effect_index == pytest.approx(parts["F2"] / var_y, rel=1e-9)
    assert [e.target for e in variance.entries] == [targets["F1"], targets["L1"], targets["F2"]]
    assert "variance-decomposition" in variance.method


def test_monte_carlo_is_reproducible_from_the_seed(doc: dict[str, Any]) -> None:
    doc["billOfMaterials"][0]["emissionFactor"]["uncertainty"] = {
        "distribution": "normal",
        "relativeSd": 0.6,
    }
    first = compute(doc, monte_carlo=3000, seed=42).result
    again = compute(doc, monte_carlo=3000, seed=42).result
    other = compute(doc, monte_carlo=3000, seed=43).result
    assert first is not None
    assert again is not None
    assert other is not None
    assert first.uncertainty == again.uncertainty
    assert first.uncertainty != other.uncertainty


# --- DQR: exact levels and the PEF aggregate -----------------------------------------------


def test_dqr_of_exactly_two_is_very_good(doc: dict[str, Any]) -> None:
    # (1.1 + 3.2 + 1.7) / 3 is 2 exactly, but 2.0000000000000004 in binary floating point
    assert (1.1 + 3.2 + 1.7) / 3 > 2
    doc["purchasedComponents"] = [
        pcf("4000 kg CO2e/piece", dataQuality={"ter": 1.1, "ger": 3.2, "tir": 1.7})
    ]
    result = compute(doc, monte_carlo=10, seed=0).result
    assert result is not None
    quality = result.data_quality
    assert quality.dqr == 2.0
    assert quality.level == "very good"  # PEF band 1.5 < DQR <= 2.0
    assert result.trace is not None
    term = next(t for t in result.trace if t.pointer == "/purchasedComponents/0")
    assert term.dqr == 2.0
    assert term.factor_spread is not None
    # the DQR-derived spread is read from the same exact band: GSD 1.10 up to 2.0 (ruleset)
    assert term.factor_spread.distribution.model_dump() == {
        "distribution": "lognormal",
        "geometricSd": 1.10,
    }
    assert term.data_type == "secondary"


def _quality_doc(doc: dict[str, Any], rows: list[tuple[str, float, float | None]]) -> None:
    """BOM lines of ``kg`` x 1 kg CO2e/kg, rated with all four criteria equal to ``dqr``."""
    doc["billOfMaterials"] = [
        bom(
            line_id,
            kg,
            1,
            factor_extra=(
                {"dataQuality": {"ter": dqr, "ger": dqr, "tir": dqr, "p": dqr}} if dqr else {}
            ),
        )
        for line_id, kg, dqr in rows
    ]
    doc["battery"]["mass"] = "2000 kg"


def test_pef_aggregate_over_the_most_relevant_processes(doc: dict[str, Any]) -> None:
    # processes 500 (DQR 1.5), 300 (3.0), 150 (unrated), 50 (4.0): gross 1000; the first two
    # reach 80 % exactly, so they are the most relevant ones:
    # DQR = (500 x 1.5 + 300 x 3) / 800 = 2.0625 ("good"); coverage (500 + 300 + 50) / 1000.
    _quality_doc(doc, [("a", 500, 1.5), ("b", 300, 3.0), ("c", 150, None), ("d", 50, 4.0)])
    result = compute(doc).result
    assert result is not None
    quality = result.data_quality
    assert quality.dqr == 2.0625
    assert quality.level == "good"
    assert quality.criteria is not None
    assert quality.criteria.ter == quality.criteria.p == 2.0625
    assert quality.most_relevant == (
        "/billOfMaterials/0/emissionFactor @ raw-material",
        "/billOfMaterials/1/emissionFactor @ raw-material",
    )
    assert quality.coverage == 0.85
    assert quality.rated_share_of_most_relevant == 1.0
    assert quality.deviations == ()
    assert quality.method == "pef-most-relevant"


def test_unrated_most_relevant_process_is_a_labelled_deviation(doc: dict[str, Any]) -> None:
    # 500 (DQR 2), 300 unrated, 200 (DQR 4): the first two reach 80 %; the DQR rests on the
    # rated one only (2.0) and the result says that 300 / 800 of the emissions are unrated
    _quality_doc(doc, [("a", 500, 2.0), ("b", 300, None), ("c", 200, 4.0)])
    result = compute(doc).result
    assert result is not None
    quality = result.data_quality
    assert quality.dqr == 2.0
    assert quality.rated_share_of_most_relevant == 500 / 800
    assert len(quality.deviations) == 1
    assert (
        "1 of the 2 processes aggregated carry no data quality rating (37.5%"
        in (quality.deviations[0])
    )


def test_all_rated_processes_aggregation_is_labelled(doc: dict[str, Any]) -> None:
    # same processes as the PEF case, aggregated over every rated one:
    # (500 x 1.5 + 300 x 3 + 50 x 4) / 850 = 1850 / 850
    _quality_doc(doc, [("a", 500, 1.5), ("b", 300, 3.0), ("c", 150, None), ("d", 50, 4.0)])
    ruleset = load_ruleset("eu-da-2024-draft")
    rule = ruleset.data_quality.model_copy(
        update={"aggregation": DqrAggregation(method="all-rated-processes", source="test ruleset")}
    )
    changed = ruleset.model_copy(update={"data_quality": rule})
    submission = validate_submission(doc).submission
    assert submission is not None
    result = compute_cfp(submission, changed, library=FactorLibrary.bundled(), as_of=AS_OF).result
    assert result is not None
    assert result.data_quality.dqr == float(Fraction(1850, 850))
    assert result.data_quality.level == "good"
    assert result.data_quality.most_relevant_share is None
    assert any("every rated process" in d for d in result.data_quality.deviations)


def test_ouranos_ratings_without_precision_are_labelled(doc: dict[str, Any]) -> None:
    # one process rates TeR, GeR, TiR only: its DQR is their mean, (1 + 2 + 3) / 3 = 2
    doc["purchasedComponents"] = [
        pcf("4000 kg CO2e/piece", dataQuality={"ter": 1, "ger": 2, "tir": 3})
    ]
    result = compute(doc).result
    assert result is not None
    quality = result.data_quality
    assert quality.dqr == 2.0
    assert quality.criteria is not None
    assert quality.criteria.p is None
    assert any("precision (P)" in d for d in quality.deviations)
