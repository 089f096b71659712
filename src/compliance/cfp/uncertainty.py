"""Uncertainty (Monte Carlo) and one-at-a-time sensitivity of the declared value.

The footprint is linear in every factor and activity amount (a sum of ``amount x factor``
terms), so the Monte Carlo draws one multiplier per factor (shared by every term using it, e.g.
one grid factor for all grid lines) and one per input line (its activity amount), and sums
``amount x factor x m_factor x m_line`` per sample. Spreads come from the declared distributions;
a factor without one gets a lognormal spread from its DQR through the ruleset's table (an [U]
engine assumption, named in the result); otherwise it is held fixed. The functional unit is held
fixed. Seeded with NumPy's PCG64 generator: the same seed gives the same percentiles.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from compliance.cfp.result import Measure, SensitivityEntry, UncertaintyResult
from compliance.cfp.rulesets import CfpRuleset
from compliance.models.uncertainty import (
    LognormalUncertainty,
    NormalUncertainty,
    TriangularUncertainty,
    UniformUncertainty,
)

if TYPE_CHECKING:
    from compliance.cfp.inventory import Inventory
    from compliance.models import Uncertainty

__all__ = ["PERCENTILES", "monte_carlo_analysis", "sensitivity_analysis"]

PERCENTILES = (2.5, 5.0, 50.0, 95.0, 97.5)
SENSITIVITY_STEP = 0.10
"""One-at-a-time step: each input is raised by 10 %."""

Samples = npt.NDArray[np.float64]


def _draw(spread: Uncertainty, rng: np.random.Generator, n: int) -> Samples:
    if isinstance(spread, LognormalUncertainty):
        return np.exp(rng.normal(0.0, math.log(spread.geometric_sd), n))
    if isinstance(spread, NormalUncertainty):
        return np.clip(rng.normal(1.0, spread.relative_sd, n), 0.0, None)
    if isinstance(spread, UniformUncertainty):
        return rng.uniform(spread.low, spread.high, n)
    assert isinstance(spread, TriangularUncertainty)
    if spread.low == spread.high:
        return np.full(n, spread.low)
    return rng.triangular(spread.low, spread.mode, spread.high, n)


def _gsd_for(dqr: float | None, ruleset: CfpRuleset) -> float | None:
    table = ruleset.data_quality.uncertainty_gsd
    if dqr is None or table is None:
        return None
    return next((level.gsd for level in table.levels if dqr <= level.max), None)


def monte_carlo_analysis(
    inventory: Inventory, ruleset: CfpRuleset, fu_kwh: float, *, samples: int, seed: int
) -> UncertaintyResult:
    """Percentiles of the declared value (kg CO2e per FU) over ``samples`` draws."""
    rng = np.random.default_rng(seed)
    factor_draws: dict[str, Samples | None] = {}
    line_draws: dict[int, Samples | None] = {}
    declared = derived = 0
    total = np.zeros(samples)
    for term in inventory.terms:
        key = term.factor.key
        if key not in factor_draws:
            spread = term.factor.uncertainty
            if spread is not None:
                declared += 1
                factor_draws[key] = _draw(spread, rng, samples)
            else:
                gsd = _gsd_for(term.factor.dqr, ruleset)
                derived += gsd is not None
                factor_draws[key] = np.exp(rng.normal(0.0, math.log(gsd), samples)) if gsd else None
        if term.line not in line_draws:
            spread = inventory.lines[term.line].uncertainty
            line_draws[term.line] = _draw(spread, rng, samples) if spread is not None else None
        contribution = np.full(samples, term.amount * term.factor.value)
        for draw in (factor_draws[key], line_draws[term.line]):
            if draw is not None:
                contribution *= draw
        total += contribution
    per_unit = total / fu_kwh
    values = np.percentile(per_unit, PERCENTILES)
    lines = sum(d is not None for d in line_draws.values())
    return UncertaintyResult(
        method="monte-carlo",
        samples=samples,
        seed=seed,
        unit="kg CO2e/kWh",
        mean=float(per_unit.mean()),
        sd=float(per_unit.std(ddof=1)) if samples > 1 else 0.0,
        percentiles={f"p{p:g}": float(v) for p, v in zip(PERCENTILES, values, strict=True)},
        varied=(
            f"{declared} factors with declared spreads, {derived} factors with DQR-derived "
            f"lognormal spreads ({ruleset.id} table), {lines} activity amounts with declared "
            "spreads; other inputs and the functional unit fixed"
        ),
    )


def sensitivity_analysis(
    inventory: Inventory, fu_kwh: float, total: float, top: int = 15
) -> tuple[SensitivityEntry, ...]:
    """Rank lines and factors by the change of the declared value when each rises 10 %.

    For a sum of ``amount x factor`` terms, raising one input by 10 % changes the total by 10 %
    of the contributions that depend on it; computed per line (activity) and per factor (shared
    factors such as a grid mix act on several lines).
    """
    by_line: dict[int, float] = {}
    by_factor: dict[str, tuple[float, str]] = {}
    for term in inventory.terms:
        contribution = term.amount * term.factor.value
        by_line[term.line] = by_line.get(term.line, 0.0) + contribution
        previous = by_factor.get(term.factor.key, (0.0, term.factor.source))[0]
        by_factor[term.factor.key] = (previous + contribution, term.factor.source)
    entries = [
        (
            abs(value),
            "line",
            inventory.lines[index].pointer,
            f"{inventory.lines[index].line_id}: {inventory.lines[index].label}",
            value,
        )
        for index, value in by_line.items()
    ] + [(abs(value), "factor", key, source, value) for key, (value, source) in by_factor.items()]
    entries.sort(key=lambda e: (-e[0], e[1], e[2]))
    return tuple(
        SensitivityEntry(
            target=target,
            label=label,
            kind=kind,
            delta_per_unit=Measure(value=value * SENSITIVITY_STEP / fu_kwh, unit="kg CO2e/kWh"),
            share_of_total=value * SENSITIVITY_STEP / total if total else 0.0,
        )
        for _, kind, target, label, value in entries[:top]
    )
