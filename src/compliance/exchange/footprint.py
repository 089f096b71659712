"""What every PCF import format produces: supplier footprints ready for a purchased component.

A format reader (PACT, and later Ouranos) turns one file into :class:`FootprintImport`: the
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

__all__ = ["FootprintImport", "ImportedFootprint"]


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
    """The import format's name (``pact``)."""
    details: Mapping[str, str] = field(default_factory=dict)
    """What a person checks before using it: spec version, declared unit, validity, status."""

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
