"""What every export shares: deviations, the run and its result, and small value converters.

An export maps our passport onto a third-party model and never invents a value: what it leaves
out or converts is recorded as a :class:`Deviation` (:mod:`.deviations`). Tests validate every
export against the real schema and require each schema error to be explained by a recorded
deviation.

The converters are pure functions of their arguments.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context

from compliance.cfp.result import Measure
from compliance.models.passport_data import Condition, Performance
from compliance.passport.exports.deviations import Deviation, DeviationKind
from compliance.passport.exports.result import ExportResult
from compliance.passport.exports.run import ExportRun
from compliance.units import Dimension, Quantity, resolve_unit

__all__ = [
    "SIGNIFICANT_DIGITS",
    "Deviation",
    "DeviationKind",
    "ExportResult",
    "ExportRun",
    "efficiency_fade",
    "measure_in",
    "percent",
    "quantity_in",
    "remaining_efficiency",
    "rounded",
    "significant",
]

SIGNIFICANT_DIGITS = 10
"""Significant digits of computed values in exports (carbon footprint): the calculation works in
binary floating point, whose last digits are noise (4244.437739999999); 10 significant digits
keep every digit the inputs justify (declared values have 3-4) and drop the noise."""
_SIGNIFICANT = Context(prec=SIGNIFICANT_DIGITS, rounding=ROUND_HALF_EVEN)


def significant(value: float) -> float:
    """``value`` rounded half-even to :data:`SIGNIFICANT_DIGITS` significant digits in decimal.

    The float's exact value is rounded in decimal arithmetic (not binary ``round``), so the
    result prints as the rounded decimal.

    >>> significant(4244.437739999999)
    4244.43774
    >>> significant(0.1 + 0.2)
    0.3
    >>> significant(-0.0)
    -0.0
    """
    if not value:
        return value
    return float(_SIGNIFICANT.create_decimal_from_float(value))


def rounded(value: float, digits: int) -> float:
    """``round(value, digits)``: binary noise of a conversion rounded off."""
    return round(value, digits)


def percent(share: float) -> float:
    """A share (0-1) as percent (0-100), rounded to remove binary noise (0.07 -> 7.0)."""
    return round(share * 100.0, 10)


def _unit(unit: str) -> tuple[Dimension, float, float]:
    """Dimension of ``unit`` and the factors from / to the canonical unit of that dimension."""
    resolved = resolve_unit(unit)
    if resolved.dimension is None:
        raise ValueError(f"{unit!r} is not a unit of a known dimension")
    return resolved.dimension, resolved.factor, resolved.divisor / resolved.scale


def quantity_in(quantity: Quantity, unit: str) -> float:
    """The magnitude of ``quantity`` in ``unit`` (same dimension), binary noise rounded off."""
    dimension, _, to_unit = _unit(unit)
    if dimension is not quantity.dimension:
        raise ValueError(f"{quantity} cannot be expressed in {unit}")
    if to_unit == 1.0:
        return quantity.magnitude
    return round(quantity.magnitude * to_unit, 12)


def measure_in(measure: Measure, unit: str, dimension: Dimension) -> float:
    """The value of a computed measure in ``unit``."""
    source, from_unit, _ = _unit(measure.unit)
    target, _, to_unit = _unit(unit)
    if source is not dimension or target is not dimension:
        raise ValueError(f"{measure.unit} -> {unit} is not a {dimension.label} conversion")
    if from_unit == 1.0 and to_unit == 1.0:
        return measure.value
    return round(measure.value * from_unit * to_unit, 12)


def remaining_efficiency(condition: Condition, performance: Performance) -> float:
    """The remaining round-trip efficiency RTE(x) in percent.

    The submission gives it relative to the initial efficiency (Annex XIII 1(n)); RTE(x) is that
    share of the initial efficiency (Battery Pass: RTE fade = (1 - RTE(x) / RTE_BOL) x 100 %).

    >>> from types import SimpleNamespace as N
    >>> remaining_efficiency(
    ...     N(remaining_round_trip_efficiency=0.99), N(round_trip_efficiency=0.95)
    ... )  # type: ignore[arg-type]
    94.05
    """
    return percent(condition.remaining_round_trip_efficiency * performance.round_trip_efficiency)


def efficiency_fade(condition: Condition) -> float:
    """The round-trip efficiency fade of one battery in percent: (1 - RTE(x) / RTE_BOL) x 100.

    >>> from types import SimpleNamespace as N
    >>> efficiency_fade(N(remaining_round_trip_efficiency=0.99))  # type: ignore[arg-type]
    1.0
    """
    return percent(1.0 - condition.remaining_round_trip_efficiency)
