"""What every export shares: the deviation record and small value converters.

An export maps our passport onto a third-party model. It never pads a required field with an
invented value: where the passport has no value, the field is omitted and a
:class:`Deviation` says why. Where an upstream schema cannot hold a truthful value (a defect listed
in ``docs/passport-exports.md``), the truthful value is emitted and the deviation is recorded.
Tests validate every export against the real schema and require each schema error to be
explained by a recorded deviation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from compliance.cfp.result import Measure
from compliance.models.base import WireModel
from compliance.units import Dimension, Quantity, require_dimension

__all__ = [
    "Deviation",
    "DeviationKind",
    "ExportResult",
    "Recorder",
    "measure_in",
    "percent",
    "quantity_in",
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


class Deviation(WireModel):
    """One difference between an export and its upstream schema."""

    aspect: str
    pointer: str
    """JSON Pointer inside the aspect payload."""
    kind: DeviationKind
    reason: str


@dataclass
class Recorder:
    """Collects the deviations of one export."""

    deviations: list[Deviation] = field(default_factory=list)

    def add(self, aspect: str, pointer: str, kind: DeviationKind, reason: str) -> None:
        """Record one deviation."""
        self.deviations.append(Deviation(aspect=aspect, pointer=pointer, kind=kind, reason=reason))


class ExportResult(WireModel):
    """The payloads of one export and every deviation from the upstream schemas."""

    format: str
    passport_identifier: str
    view: str
    payloads: dict[str, dict[str, Any]]
    """Aspect name -> payload (one entry for single-document models)."""
    deviations: tuple[Deviation, ...]


def percent(share: float) -> float:
    """A share (0-1) as percent (0-100), rounded to remove binary noise (0.07 -> 7.0)."""
    return round(share * 100.0, 10)


def quantity_in(quantity: Quantity, unit: str) -> float:
    """The magnitude of ``quantity`` in ``unit`` (same dimension)."""
    return round(quantity.to(unit), 12)


def measure_in(measure: Measure, unit: str, dimension: Dimension) -> float:
    """The value of a computed measure in ``unit``."""
    source = require_dimension(measure.unit, (dimension,))
    target = require_dimension(unit, (dimension,))
    return round(source.to_canonical(measure.value) * target.divisor / target.scale, 12)
