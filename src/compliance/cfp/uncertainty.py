"""Uncertainty (Monte Carlo), variance-based and one-at-a-time sensitivity of the declared value.

The footprint is a sum of ``amount x factor`` terms. Its uncertain inputs are multipliers of
median or mean about 1 (:mod:`compliance.models.uncertainty`): one per **uncertain quantity** of
factor (:attr:`FactorUse.spread_key`: shared by every term using it, e.g. one grid factor for all
grid lines, or the stage parts of one split supplier PCF, which are one footprint) and one per
input line (its activity amount). Grouping the terms by (quantity, line) pair ``p`` with nominal
sum ``C_p``, the footprint is

    Y = sum_p C_p F_f(p) L_l(p)          (F, L independent multipliers; 1 where fixed)

Spreads come from the declared distributions; a factor without one gets a lognormal spread from
its DQR through the ruleset's table (an [U] engine assumption, named in the result); otherwise it
is held fixed. The functional unit is held fixed.

* **Monte Carlo**: ``samples`` draws of every multiplier (NumPy PCG64, seeded by the caller, so
  the same seed gives the same figures). A normal multiplier is truncated at zero by redrawing
  the negative draws (rejection: exactly the truncated normal), never clipped.
* **Variance-based sensitivity** (closed form, exact for this model): with ``mu``/``v`` the mean
  and variance of each multiplier, the variance decomposes (Sobol/ANOVA) into first-order parts
  ``V_f = v_f (sum_{p in f} C_p mu_l)^2``, ``V_l = v_l (sum_{p in l} C_p mu_f)^2`` and the
  interactions ``V_fl = v_f v_l C_p^2``; ``Var Y`` is their sum. Each quantity's first-order
  index is ``V_i / Var Y``, its total-effect index adds the interactions it takes part in
  (Saltelli et al., *Global Sensitivity Analysis: The Primer*, 2008, ch. 4).
* **One-at-a-time**: the change of the declared value when one input rises by 10 %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from compliance.cfp.data_quality import band_of, dqr_of
from compliance.cfp.result import (
    Measure,
    SensitivityEntry,
    SpreadResult,
    UncertaintyResult,
    VarianceEntry,
    VarianceSensitivity,
)
from compliance.cfp.rulesets import CfpRuleset
from compliance.models.uncertainty import (
    LognormalUncertainty,
    NormalUncertainty,
    UniformUncertainty,
)

if TYPE_CHECKING:
    from compliance.cfp.inventory import Inventory
    from compliance.cfp.terms import FactorUse, LineRef
    from compliance.models import Uncertainty

__all__ = [
    "PERCENTILES",
    "SENSITIVITY_STEP",
    "factor_spread",
    "line_spread",
    "moments",
    "monte_carlo_analysis",
    "sensitivity_analysis",
    "variance_analysis",
]

PERCENTILES = (2.5, 5.0, 50.0, 95.0, 97.5)
SENSITIVITY_STEP = 0.10
"""One-at-a-time step: each input is raised by 10 %."""
OAT_METHOD = "one-at-a-time"
VARIANCE_METHOD = "variance-decomposition (first-order and total-effect indices, closed form)"
PER_KWH = "kg CO2e/kWh"

Samples = npt.NDArray[np.float64]


def _phi(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def moments(spread: Uncertainty) -> tuple[float, float]:
    """Mean and variance of a multiplier.

    Lognormal (median 1, ``s = ln GSD``): ``exp(s^2/2)``, ``(exp(s^2) - 1) exp(s^2)``.
    Normal (mean 1, sd ``s``) truncated at 0, with ``b = 1/s`` and ``lam = phi(b) / Phi(b)``:
    ``1 + s lam``, ``s^2 (1 - b lam - lam^2)`` (Johnson, Kotz & Balakrishnan, *Continuous
    Univariate Distributions* vol. 1, 2nd ed., section 10.1).
    Uniform ``(a, b)``: ``(a + b) / 2``, ``(b - a)^2 / 12``. Triangular ``(a, c, b)``:
    ``(a + b + c) / 3``, ``(a^2 + b^2 + c^2 - ab - ac - bc) / 18``.
    """
    if isinstance(spread, LognormalUncertainty):
        s2 = math.log(spread.geometric_sd) ** 2
        return math.exp(s2 / 2), math.expm1(s2) * math.exp(s2)
    if isinstance(spread, NormalUncertainty):
        s = spread.relative_sd
        if s == 0:
            return 1.0, 0.0
        b = 1 / s
        lam = _phi(b) / _cdf(b)
        return 1 + s * lam, s * s * (1 - b * lam - lam * lam)
    if isinstance(spread, UniformUncertainty):
        return (spread.low + spread.high) / 2, (spread.high - spread.low) ** 2 / 12
    a, c, b = spread.low, spread.mode, spread.high
    return (a + b + c) / 3, (a * a + b * b + c * c - a * b - a * c - b * c) / 18


def _draw(spread: Uncertainty, rng: np.random.Generator, n: int) -> Samples:
    if isinstance(spread, LognormalUncertainty):
        return np.exp(rng.normal(0.0, math.log(spread.geometric_sd), n))
    if isinstance(spread, NormalUncertainty):
        draws = rng.normal(1.0, spread.relative_sd, n)
        negative = draws < 0
        while negative.any():  # truncation by rejection: redraw until every draw is >= 0
            draws[negative] = rng.normal(1.0, spread.relative_sd, int(negative.sum()))
            negative = draws < 0
        return draws
    if isinstance(spread, UniformUncertainty):
        return rng.uniform(spread.low, spread.high, n)
    if spread.low == spread.high:
        return np.full(n, spread.low)
    return rng.triangular(spread.low, spread.mode, spread.high, n)


@dataclass(frozen=True)
class Spread:
    """The distribution of one uncertain multiplier and where it comes from."""

    distribution: Uncertainty
    basis: str
    mean: float
    variance: float

    def result(self) -> SpreadResult:
        """As shown in the trace."""
        return SpreadResult(
            distribution=self.distribution,
            basis=self.basis,
            mean=self.mean,
            variance=self.variance,
        )


def _spread(distribution: Uncertainty, basis: str) -> Spread:
    mean, variance = moments(distribution)
    return Spread(distribution, basis, mean, variance)


def factor_spread(factor: FactorUse, ruleset: CfpRuleset) -> Spread | None:
    """The declared spread of a factor, else the lognormal of its DQR band, else ``None``."""
    if factor.uncertainty is not None:
        return _spread(factor.uncertainty, "declared")
    table = ruleset.data_quality.uncertainty_gsd
    dqr = dqr_of(factor.quality)
    if dqr is None or table is None:
        return None
    band = band_of(dqr, table.levels, lambda level: level.max)
    if band is None:
        return None
    return _spread(
        LognormalUncertainty(distribution="lognormal", geometric_sd=band.gsd),
        f"derived from DQR {float(dqr):g} (ruleset {ruleset.id} uncertainty_gsd: {table.source})",
    )


def line_spread(line: LineRef) -> Spread | None:
    """The declared spread of a line's activity amount."""
    return _spread(line.uncertainty, "declared") if line.uncertainty is not None else None


@dataclass(frozen=True)
class _Model:
    """The footprint as ``sum_p C_p F_f L_l`` over (quantity, line) pairs."""

    pairs: dict[tuple[str, int], float]
    factors: dict[str, Spread | None]
    lines: dict[int, Spread | None]
    labels: dict[str, str]


def _factor_label(factor: FactorUse, line: LineRef) -> str:
    if factor.draw_key is None:
        return factor.source
    return f"{line.line_id}: {line.label} (whole footprint, all its stage parts)"


def _model(inventory: Inventory, ruleset: CfpRuleset) -> _Model:
    pairs: dict[tuple[str, int], float] = {}
    factors: dict[str, Spread | None] = {}
    lines: dict[int, Spread | None] = {}
    labels: dict[str, str] = {}
    for term in inventory.terms:
        key = term.factor.spread_key
        if key not in factors:
            factors[key] = factor_spread(term.factor, ruleset)
            labels[key] = _factor_label(term.factor, inventory.lines[term.line])
        if term.line not in lines:
            lines[term.line] = line_spread(inventory.lines[term.line])
        pairs[key, term.line] = pairs.get((key, term.line), 0.0) + term.contribution
    return _Model(pairs, factors, lines, labels)


def monte_carlo_analysis(
    inventory: Inventory, ruleset: CfpRuleset, fu_kwh: float, *, samples: int, seed: int
) -> UncertaintyResult:
    """Percentiles of the declared value (kg CO2e per FU) over ``samples`` draws."""
    model = _model(inventory, ruleset)
    rng = np.random.default_rng(seed)
    factor_draws = {
        k: _draw(s.distribution, rng, samples) for k, s in model.factors.items() if s is not None
    }
    line_draws = {
        i: _draw(s.distribution, rng, samples) for i, s in model.lines.items() if s is not None
    }
    total = np.zeros(samples)
    for (key, line), nominal in model.pairs.items():
        contribution = np.full(samples, nominal)
        for draw in (factor_draws.get(key), line_draws.get(line)):
            if draw is not None:
                contribution *= draw
        total += contribution
    per_unit = total / fu_kwh
    values = np.percentile(per_unit, PERCENTILES)
    declared = sum(s is not None and s.basis == "declared" for s in model.factors.values())
    return UncertaintyResult(
        method="monte-carlo",
        samples=samples,
        seed=seed,
        unit=PER_KWH,
        mean=float(per_unit.mean()),
        sd=float(per_unit.std(ddof=1)) if samples > 1 else 0.0,
        percentiles={f"p{p:g}": float(v) for p, v in zip(PERCENTILES, values, strict=True)},
        varied=(
            f"{declared} factors with declared spreads, {len(factor_draws) - declared} factors "
            f"with DQR-derived lognormal spreads ({ruleset.id} table), {len(line_draws)} "
            "activity amounts with declared spreads (the stage parts of a split supplier "
            "footprint share one draw; normal spreads truncated at 0 by redrawing); other "
            "inputs and the functional unit fixed"
        ),
    )


def variance_analysis(
    inventory: Inventory, ruleset: CfpRuleset, fu_kwh: float, top: int = 15
) -> VarianceSensitivity:
    """Contribution of each uncertain quantity to the variance of the declared value."""
    model = _model(inventory, ruleset)

    def mv(spread: Spread | None) -> tuple[float, float]:
        return (spread.mean, spread.variance) if spread is not None else (1.0, 0.0)

    slope_f: dict[str, float] = {}
    slope_l: dict[int, float] = {}
    interaction: dict[tuple[str, int], float] = {}
    mean = 0.0
    for (key, line), nominal in model.pairs.items():
        mu_f, v_f = mv(model.factors[key])
        mu_l, v_l = mv(model.lines[line])
        mean += nominal * mu_f * mu_l
        slope_f[key] = slope_f.get(key, 0.0) + nominal * mu_l
        slope_l[line] = slope_l.get(line, 0.0) + nominal * mu_f
        if v_f and v_l:
            interaction[key, line] = v_f * v_l * nominal * nominal
    first: dict[tuple[str, str], float] = {}
    total_effect: dict[tuple[str, str], float] = {}
    for key, slope in slope_f.items():
        if (v := mv(model.factors[key])[1]) > 0:
            first["factor", key] = total_effect["factor", key] = v * slope * slope
    pointers = {i: inventory.lines[i].pointer for i in model.lines}
    for line, slope in slope_l.items():
        if (v := mv(model.lines[line])[1]) > 0:
            first["line", pointers[line]] = total_effect["line", pointers[line]] = v * slope**2
    for (key, line), part in interaction.items():
        total_effect["factor", key] += part
        total_effect["line", pointers[line]] += part
    variance = sum(first.values()) + sum(interaction.values())
    labels = {("factor", k): v for k, v in model.labels.items()} | {
        ("line", pointers[i]): f"{inventory.lines[i].line_id}: {inventory.lines[i].label}"
        for i in model.lines
    }
    ranked = sorted(first, key=lambda t: (-total_effect[t], t))
    scale = fu_kwh * fu_kwh
    return VarianceSensitivity(
        method=VARIANCE_METHOD,
        definition=(
            "Y = sum over (quantity, line) pairs of C x F x L (independent multipliers F of "
            "each uncertain factor quantity and L of each activity amount, mean mu and "
            "variance v from their spreads, 1 and 0 where fixed); first-order part V_i = v_i "
            "x (sum of C x mu of the other multiplier over the pairs i is in)^2, interaction "
            "V_fl = v_f v_l C^2; Var Y = sum of all parts; first-order index V_i / Var Y, "
            "total-effect index (V_i + its interactions) / Var Y; figures per functional unit"
        ),
        unit=PER_KWH,
        mean=Measure(value=mean / fu_kwh, unit=PER_KWH),
        sd=Measure(value=math.sqrt(variance / scale), unit=PER_KWH),
        interactions=sum(interaction.values()) / variance if variance else 0.0,
        entries=tuple(
            VarianceEntry(
                target=target,
                label=labels[kind, target],
                kind=kind,
                first_order_variance=first[kind, target] / scale,
                first_order_index=first[kind, target] / variance,
                total_effect_index=total_effect[kind, target] / variance,
            )
            for kind, target in ranked[:top]
        ),
    )


def sensitivity_analysis(
    inventory: Inventory, fu_kwh: float, total: float, top: int = 15
) -> tuple[SensitivityEntry, ...]:
    """Rank lines and factors by the change of the declared value when each rises 10 %.

    For a sum of ``amount x factor`` terms, raising one input by 10 % changes the total by 10 %
    of the contributions that depend on it; computed per line (activity) and per uncertain
    factor quantity (a shared grid factor acts on several lines; a split supplier footprint is
    one input however many stages it is split into).
    """
    by_line: dict[int, float] = {}
    by_factor: dict[str, tuple[float, str]] = {}
    for term in inventory.terms:
        contribution = term.contribution
        key = term.factor.spread_key
        by_line[term.line] = by_line.get(term.line, 0.0) + contribution
        previous = by_factor.get(key, (0.0, ""))[0]
        label = _factor_label(term.factor, inventory.lines[term.line])
        by_factor[key] = (previous + contribution, label)
    entries = [
        (
            abs(value),
            "line",
            inventory.lines[index].pointer,
            f"{inventory.lines[index].line_id}: {inventory.lines[index].label}",
            value,
        )
        for index, value in by_line.items()
    ] + [(abs(value), "factor", key, label, value) for key, (value, label) in by_factor.items()]
    entries.sort(key=lambda e: (-e[0], e[1], e[2]))
    return tuple(
        SensitivityEntry(
            target=target,
            label=label,
            kind=kind,
            delta_per_unit=Measure(value=value * SENSITIVITY_STEP / fu_kwh, unit=PER_KWH),
            share_of_total=value * SENSITIVITY_STEP / total if total else 0.0,
            method=OAT_METHOD,
            step=SENSITIVITY_STEP,
        )
        for _, kind, target, label, value in entries[:top]
    )
