"""The PCF exchange formats by name: what ``compliance pcf import|export --format`` offers.

Add a format by writing its reader or exporter in its own module under ``compliance.exchange``
and appending one :class:`ImportFormat` / :class:`ExportFormat` to the tuples below:

* an import format's ``read(data, request)`` returns a :class:`~compliance.exchange.footprint.
  FootprintImport` (footprints mapped to ``ComponentFootprint`` variants, located issues);
  :func:`compliance.exchange.merge.merge_footprint` puts one into a submission;
* an export format's ``export(request)`` returns an :class:`ExportOutcome` (the document or
  located issues) from the submission and its CFP result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from compliance.cfp.result import CfpResult
from compliance.errors import Issue
from compliance.exchange.footprint import FootprintImport
from compliance.exchange.pact.export import (
    DeclaredUnitChoice,
    PactExportOptions,
    PactVersion,
    export_pact,
)
from compliance.exchange.pact.reader import read_pact
from compliance.models.submission import SupplierSubmission
from compliance.validation.parsing import DEFAULT_LIMITS, ParseLimits

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "ExportOutcome",
    "ExportRequest",
    "ImportFormat",
    "ImportRequest",
]


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """What every reader gets besides the bytes."""

    name: str | None = None
    as_of: date | None = None
    """The date the footprints are used on (expiry checks); the core has no clock."""
    only: str | None = None
    """Read only the record with this id."""
    limits: ParseLimits = DEFAULT_LIMITS


@dataclass(frozen=True, slots=True)
class ImportFormat:
    """A supplier PCF format that can be imported."""

    name: str
    title: str
    read: Callable[[bytes, ImportRequest], FootprintImport]


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What every exporter gets: the validated submission, its CFP result, the caller's facts."""

    submission: SupplierSubmission
    result: CfpResult
    created: datetime
    """Creation time of a new document (timezone-aware)."""
    unit: str = "piece"
    """Declared unit: ``piece`` (one battery) or ``kilogram``."""
    previous: Mapping[str, Any] | None = None
    """The previous export of the same battery in the same format (immutable-id formats)."""
    fossil_carbon_content: Decimal | None = None
    """kg fossil carbon per battery (stated by the caller; the engine does not compute it)."""
    no_biogenic: bool = False
    """The caller states the inventory has no biogenic carbon, land-use or land-management flows."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Format-specific options."""


class ExportOutcome(Protocol):
    """An export's document (``None`` on errors) and issues."""

    @property
    def document(self) -> dict[str, Any] | None: ...  # noqa: D102

    @property
    def issues(self) -> tuple[Issue, ...]: ...  # noqa: D102

    @property
    def unchanged(self) -> bool: ...  # noqa: D102


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A product PCF format the engine can write."""

    name: str
    title: str
    export: Callable[[ExportRequest], ExportOutcome]
    units: tuple[str, ...] = ("piece", "kilogram")


def _read_pact(data: bytes, request: ImportRequest) -> FootprintImport:
    return read_pact(
        data, name=request.name, as_of=request.as_of, only=request.only, limits=request.limits
    )


def _pact_exporter(version: PactVersion) -> Callable[[ExportRequest], ExportOutcome]:
    def export(request: ExportRequest) -> ExportOutcome:
        options = PactExportOptions(
            version=version,
            created=request.created,
            unit=DeclaredUnitChoice(request.unit),
            fossil_carbon_content=request.fossil_carbon_content,
            no_biogenic=request.no_biogenic,
            previous=request.previous,
        )
        return export_pact(request.submission, request.result, options)

    return export


_IMPORTS = (ImportFormat("pact", "WBCSD PACT ProductFootprint v2.0-2.3, v3.0 (JSON)", _read_pact),)
_EXPORTS = (
    ExportFormat("pact3", "WBCSD PACT v3.0 ProductFootprint", _pact_exporter(PactVersion.V3)),
    ExportFormat("pact2", "WBCSD PACT v2.3 ProductFootprint", _pact_exporter(PactVersion.V2)),
)

IMPORT_FORMATS: Mapping[str, ImportFormat] = {f.name: f for f in _IMPORTS}
"""Import formats by ``--format`` name."""
EXPORT_FORMATS: Mapping[str, ExportFormat] = {f.name: f for f in _EXPORTS}
"""Export formats by ``--format`` name."""
