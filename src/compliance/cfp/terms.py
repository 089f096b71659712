"""The linear building blocks of a footprint: every contribution is ``amount x factor``.

The calculator turns each input line into one or more :class:`Term` objects (a material line with
the Circular Footprint Formula gives up to nine). Stage totals are sums of terms, the trace is the
list of terms, and the Monte Carlo and sensitivity analyses vary the factors and amounts of the
same terms, so every view of a result is computed from one structure.
"""

from __future__ import annotations

from typing import NamedTuple

from compliance.models import LifecycleStage, Uncertainty
from compliance.models.quality import DataQuality
from compliance.units import Quantity

__all__ = ["FactorUse", "LineRef", "Note", "Term"]


class Note(NamedTuple):
    """A rule note formatted only when shown (formatting floats is costly on the hot path)."""

    template: str
    value: float

    def __str__(self) -> str:
        return self.template.format(self.value)


class FactorUse(NamedTuple):
    """A resolved emission factor (canonical magnitude) and where it comes from."""

    value: float
    """kg CO2e per canonical unit of the activity (kg, kWh, m3, piece, tkm)."""
    unit: str
    """Canonical unit of ``value``, e.g. ``kg CO2e/kg``."""
    key: str
    """Identity of the factor: its pointer, ``dataset@version#id`` or ``gwp-set#gas``."""
    source: str
    dataset: str | None
    quantity: Quantity | None
    """The factor as given (for the unit-conversion trace)."""
    quality: DataQuality | None
    """The factor's PEF data quality criteria (TeR, GeR, TiR, P), if rated."""
    primary: float
    """Share of primary (company-specific) data behind the factor, 0 to 1."""
    uncertainty: Uncertainty | None
    draw_key: str | None = None
    """Identity of the uncertain quantity ``uncertainty`` describes, when it is not the factor
    itself: the stage parts of a split supplier PCF share their footprint's (one Monte Carlo
    draw and one sensitivity entry for the whole footprint). ``None``: ``key``."""

    @property
    def spread_key(self) -> str:
        """The uncertain quantity this factor's value is a part of."""
        return self.draw_key or self.key


class LineRef(NamedTuple):
    """The input line a term comes from."""

    pointer: str
    line_id: str
    label: str
    activity: Quantity | None
    uncertainty: Uncertainty | None
    details: tuple[tuple[str, str], ...] = ()
    """What the line declares to identify it (supplier, origin, PCF reference ...)."""


class Term(NamedTuple):
    """One contribution: ``amount * factor.value`` kg CO2e, in one stage."""

    line: int
    """Index of the :class:`LineRef` in the calculation's line list."""
    kind: str
    stage: LifecycleStage
    amount: float
    """Activity in the canonical unit the factor is per (``amount_unit``)."""
    amount_unit: str
    factor: FactorUse
    note: str | Note | None = None
    """The rule applied, when a rule chose or modified this term."""

    @property
    def contribution(self) -> float:
        """Kg CO2e."""
        return self.amount * self.factor.value
