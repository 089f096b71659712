"""Result assembly: classes and thresholds from a table, trace, Monte Carlo, sensitivity."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.cfp.rulesets import ClassBound, MaxThreshold, PerformanceClasses, Plausibility
from compliance.units import Dimension, make_quantity
from compliance.validation import validate_submission
from tests.cfp.conftest import AS_OF, codes, compute


def per_kwh(value: float) -> Any:
    return make_quantity(value, "kg CO2e/kWh", (Dimension.EMISSION_PER_ENERGY,))


def with_classes(ruleset_id: str = "eu-da-2024-draft") -> Any:
    """The draft-DA ruleset with a synthetic class table (none is published)."""
    base = load_ruleset(ruleset_id)
    table = PerformanceClasses(
        status="published",
        source="synthetic test table",
        table=(
            ClassBound(label="A", upper_bound=per_kwh(0.02), effective_from=date(2026, 1, 1)),
            ClassBound(label="B", upper_bound=per_kwh(0.03), effective_from=date(2026, 1, 1)),
            ClassBound(label="C", upper_bound=per_kwh(0.05), effective_from=date(2026, 1, 1)),
            ClassBound(label="A", upper_bound=per_kwh(0.01), effective_from=date(2027, 1, 1)),
            ClassBound(label="B", upper_bound=per_kwh(0.02), effective_from=date(2027, 1, 1)),
        ),
        max_threshold=MaxThreshold(
            limit=per_kwh(0.04), effective_from=date(2026, 6, 1), source="synthetic"
        ),
    )
    return base.model_copy(update={"performance_classes": table, "version": "test"})


def run(doc: dict[str, Any], ruleset: Any, **options: Any) -> Any:
    report = validate_submission(doc)
    assert report.submission is not None
    return compute_cfp(
        report.submission,
        ruleset,
        library=FactorLibrary.bundled(),
        as_of=options.pop("as_of", AS_OF),
        **options,
    )


def test_no_class_table_is_published(doc: dict[str, Any]) -> None:
    outcome = compute(doc)
    assert outcome.result is not None
    assert outcome.result.performance_class.status == "not-published"
    assert outcome.result.performance_class.label is None
    assert outcome.result.max_threshold.status == "not-published"


@pytest.mark.parametrize(
    ("kg", "as_of", "label", "compliant"),
    [
        # declared value = kg / 36 000 kWh
        (700, date(2026, 11, 29), "A", True),  # 0.0194 <= 0.02
        (720, date(2026, 11, 29), "A", True),  # exactly 0.02: bounds are inclusive
        (1000, date(2026, 11, 29), "B", True),  # 0.0278
        (1500, date(2026, 11, 29), "C", False),  # 0.0417 > 0.04 threshold
        (700, date(2027, 6, 1), "B", True),  # the 2027 table is stricter
        (1000, date(2027, 6, 1), None, True),  # above every class of the 2027 table
    ],
)
def test_class_and_threshold_from_a_table(
    doc: dict[str, Any], kg: float, as_of: date, label: str | None, compliant: bool
) -> None:
    doc["billOfMaterials"][0]["mass"] = f"{kg / 10} kg"
    outcome = run(doc, with_classes(), as_of=as_of)
    result = outcome.result
    assert result is not None
    assert result.performance_class.label == label
    assert result.performance_class.status == ("assigned" if label else "above-all-classes")
    assert result.max_threshold.compliant is compliant


def test_threshold_not_yet_in_force(doc: dict[str, Any]) -> None:
    outcome = run(doc, with_classes(), as_of=date(2026, 3, 1))
    assert outcome.result is not None
    assert outcome.result.max_threshold.status == "not-yet-in-force"
    assert outcome.result.max_threshold.compliant is None


def test_plausibility_envelope(doc: dict[str, Any]) -> None:
    ruleset = load_ruleset("eu-da-2024-draft").model_copy(
        update={"plausibility": Plausibility(per_unit_range=(0.03, 1.0), source="cfp-methodology")}
    )
    outcome = run(doc, ruleset)  # 0.0278 kg CO2e/kWh
    assert ("cfp.outside-envelope", "", "warning") in codes(outcome)


def test_trace_is_optional_and_changes_no_number(doc: dict[str, Any]) -> None:
    doc["processEmissions"] = [{"id": "g", "gas": "SF6", "mass": "1 g"}]
    with_trace = compute(doc, trace=True).result
    without = compute(doc, trace=False).result
    assert with_trace is not None
    assert without is not None
    assert without.trace is None
    assert with_trace.trace is not None
    assert len(with_trace.trace) == 2
    assert with_trace.model_dump(exclude={"trace"}) == without.model_dump(exclude={"trace"})


def test_monte_carlo_is_seeded_and_centred(doc: dict[str, Any]) -> None:
    # one term, factor lognormal GSD 1.2 (median 1): the median of the declared value is
    # 1000 / 36 000 and p97.5 / p50 = 1.2 ** 1.96 (within sampling error)
    doc["billOfMaterials"][0]["emissionFactor"]["uncertainty"] = {
        "distribution": "lognormal",
        "geometricSd": 1.2,
    }
    first = compute(doc, monte_carlo=20_000, seed=7).result
    again = compute(doc, monte_carlo=20_000, seed=7).result
    other = compute(doc, monte_carlo=20_000, seed=8).result
    assert first is not None
    assert again is not None
    assert other is not None
    assert first.uncertainty == again.uncertainty
    assert first.uncertainty is not None
    assert other.uncertainty is not None
    assert first.uncertainty.percentiles != other.uncertainty.percentiles
    p = first.uncertainty.percentiles
    assert p["p50"] == pytest.approx(1000 / 36000, rel=0.01)
    assert p["p97.5"] / p["p50"] == pytest.approx(1.2**1.959964, rel=0.02)
    assert p["p2.5"] < p["p5"] < p["p50"] < p["p95"] < p["p97.5"]


def test_monte_carlo_activity_and_dqr_spreads(doc: dict[str, Any]) -> None:
    doc["billOfMaterials"][0]["uncertainty"] = {"distribution": "uniform", "low": 0.9, "high": 1.1}
    doc["purchasedComponents"] = [
        {
            "id": "c",
            "name": "c",
            "supplier": {"name": "S"},
            "process": "electronics",
            "amount": "1 piece",
            "footprint": {
                "value": "100 kg CO2e/piece",
                "source": "s",
                "dataQuality": {"ter": 3, "ger": 3, "tir": 3},
            },
        }
    ]
    result = compute(doc, monte_carlo=5000, seed=1).result
    assert result is not None
    assert result.uncertainty is not None
    assert "1 factors with DQR-derived" in result.uncertainty.varied
    assert "1 activity amounts with declared spreads" in result.uncertainty.varied
    p = result.uncertainty.percentiles
    # uniform +-10 % on 1000 kg: the 1000 kg term alone spans 900..1100
    assert 900 / 36000 < p["p2.5"] < p["p97.5"] < 1100 / 36000 + 100 * 1.2**2 / 36000


def test_sensitivity_ranks_by_contribution(doc: dict[str, Any]) -> None:
    doc["energyUse"] = [
        {"id": "a", "carrier": "electricity", "amount": "100 kWh", "source": "grid"},
        {"id": "b", "carrier": "electricity", "amount": "200 kWh", "source": "grid"},
    ]
    result = compute(doc, sensitivity=True).result
    assert result is not None
    assert result.sensitivity is not None
    top = result.sensitivity[0]
    # the BOM line (1000 kg) drives most; +10 % of it is 100 kg / 36 000 kWh
    assert top.target in ("/billOfMaterials/0", "/billOfMaterials/0/emissionFactor")
    assert top.delta_per_unit.value == pytest.approx(100 / 36000, rel=1e-12)
    grid = next(e for e in result.sensitivity if e.kind == "factor" and "grid.DE" in e.target)
    # the shared grid factor acts on both lines: 10 % of 300 kWh x 0.38095
    assert grid.delta_per_unit.value == pytest.approx(0.1 * 300 * 0.38095 / 36000, rel=1e-12)
    assert math.isclose(sum(s.share for s in result.stages if s.share is not None), 1.0)
