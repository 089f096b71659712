"""What every export shares: the deviation record and small value converters.

An export maps our passport onto a third-party model. It never pads a required field with an
invented value: where the passport has no value, the field is omitted and a
:class:`Deviation` says why. Where an upstream schema cannot hold a truthful value (a defect listed
in ``docs/passport-exports.md``), the truthful value is emitted and the deviation is recorded.
Tests validate every export against the real schema and require each schema error to be
explained by a recorded deviation.

The converters are pure functions of their arguments and memoised (bounded): passports of one
battery model repeat most values, and ``round`` to a number of digits is costly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache, partial
from typing import Any

import orjson

from compliance.cfp.result import Measure
from compliance.passport.model import Passport
from compliance.units import Dimension, Quantity, resolve_unit

__all__ = [
    "Deviation",
    "DeviationKind",
    "ExportResult",
    "ExportRun",
    "measure_in",
    "percent",
    "quantity_in",
    "rounded",
]


class DeviationKind(StrEnum):
    """Why an exported payload differs from what the upstream schema demands."""

    WITHHELD = "withheld"
    """The value exists but the access level of this view may not see it (Art. 77(2))."""
    NOT_DECLARED = "not-declared"
    """The schema requires it, the submission does not declare it; never invented."""
    NOT_APPLICABLE = "not-applicable"
    """The schema requires it, the Regulation does not for this battery (category, status)."""
    UPSTREAM_DEFECT = "upstream-defect"
    """The upstream schema cannot hold the truthful value (see the deviations table)."""
    REPRESENTATION = "representation"
    """Emitted, but converted to fit the model (precision, unit, single value for a list)."""


_KIND_VALUES = {kind: kind.value for kind in DeviationKind}
"""Plain values (a dict lookup is cheaper than the enum's ``value`` property)."""


@dataclass(frozen=True, slots=True)
class Deviation:
    """One difference between an export and its upstream schema."""

    aspect: str
    pointer: str
    """JSON Pointer inside the aspect payload."""
    kind: DeviationKind
    reason: str

    def to_dict(self) -> dict[str, str]:
        """The wire form."""
        return {
            "aspect": self.aspect,
            "pointer": self.pointer,
            "kind": _KIND_VALUES[self.kind],
            "reason": self.reason,
        }


_WIRE_LIMIT = 1024
_WIRE: dict[int, tuple[Deviation, orjson.Fragment]] = {}
"""id of a shared deviation -> (the deviation, its JSON); the deviation is held, so its id
cannot be reused while the entry lives."""


@lru_cache(maxsize=1024)
def _deviation(aspect: str, pointer: str, kind: DeviationKind, reason: str) -> Deviation:
    """The (immutable, shared) deviation: runs over similar passports record the same ones.

    Its JSON is written once, for :meth:`ExportResult.to_json`.
    """
    deviation = Deviation(aspect, pointer, kind, reason)
    if len(_WIRE) >= _WIRE_LIMIT:
        _WIRE.clear()
    wire = memoryview(orjson.dumps(deviation.to_dict())).tobytes()  # exact size, kept
    _WIRE[id(deviation)] = (deviation, orjson.Fragment(wire))
    return deviation


def _deviation_json(deviation: Deviation) -> orjson.Fragment | dict[str, str]:
    """The wire form of a deviation: its JSON when shared, else :meth:`Deviation.to_dict`."""
    hit = _WIRE.get(id(deviation))
    if hit is not None and hit[0] is deviation:
        return hit[1]
    return deviation.to_dict()


class ExportRun:
    """One export run over a passport view: the aspect being written and its deviations."""

    def __init__(self, passport: Passport, aspect: str = "") -> None:
        self.p = passport
        self.aspect = aspect
        self.deviations: list[Deviation] = []

    def missing(self, pointer: str, reason: str, kind: DeviationKind | None = None) -> None:
        """Record a deviation (by default: required upstream, not declared)."""
        self.deviations.append(
            _deviation(self.aspect, pointer, kind or DeviationKind.NOT_DECLARED, reason)
        )

    def withheld(self, pointer: str, point: str) -> None:
        """Record data of Annex XIII ``point`` the view's access level may not see."""
        self.missing(
            pointer,
            f"Annex XIII {point} data is not visible at access level {self.p.view.value}",
            DeviationKind.WITHHELD,
        )


@dataclass(frozen=True, slots=True)
class ExportResult:
    """The payloads of one export and every deviation from the upstream schemas."""

    format: str
    passport_identifier: str
    view: str
    payloads: dict[str, dict[str, Any]]
    """Aspect name -> payload (one entry for single-document models)."""
    deviations: tuple[Deviation, ...]

    def to_dict(self) -> dict[str, Any]:
        """The wire form (camelCase keys, like every document of the engine)."""
        return {
            "format": self.format,
            "passportIdentifier": self.passport_identifier,
            "view": self.view,
            "payloads": self.payloads,
            "deviations": [d.to_dict() for d in self.deviations],
        }

    def to_json(self) -> bytes:
        """UTF-8 JSON of :meth:`to_dict` (shared deviations are written once: `_deviation`)."""
        return orjson.dumps(
            {
                "format": self.format,
                "passportIdentifier": self.passport_identifier,
                "view": self.view,
                "payloads": self.payloads,
                "deviations": [_deviation_json(d) for d in self.deviations],
            }
        )


_round10 = lru_cache(maxsize=1024)(partial(round, ndigits=10))
_round12 = lru_cache(maxsize=1024)(partial(round, ndigits=12))
"""``round`` memoised (the arguments are floats, so ``typed`` adds nothing). Zero never goes
through them: 0.0 and -0.0 are equal keys but print differently."""


def rounded(value: float, digits: int) -> float:
    """``round(value, digits)`` (memoised for 10 and 12 digits)."""
    if value and digits == 10:
        return _round10(value)  # type: ignore[no-any-return]
    if value and digits == 12:
        return _round12(value)  # type: ignore[no-any-return]
    return round(value, digits)


def percent(share: float) -> float:
    """A share (0-1) as percent (0-100), rounded to remove binary noise (0.07 -> 7.0)."""
    value = share * 100.0
    return _round10(value) if value else round(value, 10)


@lru_cache(maxsize=256)
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
    value = quantity.magnitude * to_unit
    return _round12(value) if value else round(value, 12)


def measure_in(measure: Measure, unit: str, dimension: Dimension) -> float:
    """The value of a computed measure in ``unit``."""
    source, from_unit, _ = _unit(measure.unit)
    target, _, to_unit = _unit(unit)
    if source is not dimension or target is not dimension:
        raise ValueError(f"{measure.unit} -> {unit} is not a {dimension.label} conversion")
    if from_unit == 1.0 and to_unit == 1.0:
        return measure.value
    value = measure.value * from_unit * to_unit
    return _round12(value) if value else round(value, 12)
