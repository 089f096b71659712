"""What every PCF import format produces: supplier footprints ready for a purchased component.

A format reader (PACT, Ouranos) turns one file into :class:`FootprintImport`: the
footprints it found, each as the wire form of the submission's ``PurchasedComponent.footprint``
(``ComponentFootprint``) and ``supplier`` (``Party``), plus located issues. The reader owns the
format's checks; :mod:`compliance.exchange.merge` puts one footprint into a submission.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compliance.errors import Issue, Severity
from compliance.units import Dimension

__all__ = ["ComponentDefaults", "FootprintImport", "ImportedFootprint"]


@dataclass(frozen=True, slots=True)
class ComponentDefaults:
    """What the source file says about the purchased component itself (Ouranos parts do).

    Used by :func:`compliance.exchange.merge.merge_footprint` when the caller does not name the
    component or, for a new component, give its process and amount; the caller's values win.
    """

    id: str
    """The component id the footprint goes into by default (``ouranos-<traceId>``)."""
    process: str
    """``ComponentProcess`` value for a new component."""
    amount: str
    """Quantity per battery for a new component (Ouranos ``amountRequired``), e.g. ``"5 kg"``."""


@dataclass(frozen=True, slots=True)
class ImportedFootprint:
    """One supplier footprint, mapped to the submission model.

    ``variants`` holds the ``ComponentFootprint`` wire dict per dimension of the component's
    ``amount`` it can be used with: the declared unit first (``ITEMS`` for a PCF per piece), then
    conversions the source data allow (per kg when a piece's mass is declared). The merge picks the
    variant that matches the component's amount; there is no conversion anywhere else.
    """

    pointer: str
    """Where the footprint sits in the imported file (``""``, ``/3``, ``/data/0``)."""
    reference: str
    """The supplier's identifier of the record (the PACT ``id``)."""
    product_name: str
    supplier: Mapping[str, Any]
    """``Party`` wire dict (name, country, identifiers)."""
    variants: Mapping[Dimension, Mapping[str, Any]]
    """Amount dimension -> ``ComponentFootprint`` wire dict."""
    format: str
    """The import format's name (``pact``, ``ouranos``)."""
    details: Mapping[str, str] = field(default_factory=dict)
    """What a person checks before using it: spec version, declared unit, validity, status."""
    component: ComponentDefaults | None = None
    """The component the source names (id, process, amount per battery), if it does."""

    @property
    def declared(self) -> Mapping[str, Any]:
        """The footprint in its declared unit."""
        return next(iter(self.variants.values()))


@dataclass(frozen=True, slots=True)
class FootprintImport:
    """Every footprint a file holds and every issue; nothing is usable when an error exists."""

    footprints: tuple[ImportedFootprint, ...]
    issues: tuple[Issue, ...]
    text: str | None = None
    """The decoded file, for locating issues (line, column)."""

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)
