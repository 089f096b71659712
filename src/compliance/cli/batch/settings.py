"""A batch run's settings, what its workers load from them, and the versions fingerprint.

:class:`BatchSettings` is small and picklable: the coordinator sends it with every task, and each
worker process (a process-pool worker or a Dask worker) loads the CFP setup, the DD catalogue and
the reference tables once per settings (:func:`loaded`). The :attr:`Loaded.fingerprint` names
every version a result depends on (engine, ruleset with its file digest and choices, GWP set,
factor datasets with their digests, DD catalogue and tables, ``as_of``, the report options): a
re-run skips an input only when its digest and this fingerprint are unchanged.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from compliance._version import __version__
from compliance.cli.choices import CfpChoices, load_cfp_setup
from compliance.validation.parsing import ParseLimits

if TYPE_CHECKING:
    from compliance.dd import Catalogue, ReferenceTables
    from compliance.pipeline import CfpSetup

__all__ = ["BatchSettings", "Loaded", "SetupError", "loaded"]

DEFAULT_BASE_URL = "https://passport.example.org"


class SetupError(Exception):
    """The run's choices cannot be loaded (the message says why)."""


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What every file of a batch is processed with."""

    as_of: date
    """Calculation, scoring and completeness date; the passports' generation time is midnight
    UTC of this day (never the clock), so results are reproducible."""
    choices: CfpChoices = field(default_factory=CfpChoices)
    reports: bool = False
    """Also render the PDF reports (CFP declaration, passport sheet, DD report)."""
    language: str = "en"
    base_url: str = DEFAULT_BASE_URL
    limits: ParseLimits = field(default_factory=ParseLimits)

    @property
    def generated_at(self) -> datetime:
        """The passports' provenance time: midnight UTC of ``as_of``."""
        return datetime.combine(self.as_of, time(0), tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Loaded:
    """The loaded choices of a run (one per worker process and settings)."""

    setup: CfpSetup
    catalogue: Catalogue
    tables: ReferenceTables
    versions: dict[str, Any]
    """Every version the results depend on (recorded in the summary)."""
    fingerprint: str
    """``sha256:`` of the canonical JSON of ``versions``."""


def _versions(settings: BatchSettings, setup: CfpSetup, catalogue: Catalogue, tables: Any) -> Any:
    ruleset = setup.ruleset
    provenance = ruleset.provenance
    gwp = setup.gwp
    return {
        "engine": __version__,
        "asOf": settings.as_of.isoformat(),
        "ruleset": {
            "id": ruleset.id,
            "version": ruleset.version,
            "sha256": provenance.sha256,
            "choices": sorted(f"{axis}={choice}" for axis, choice in settings.choices.choices),
        },
        "gwp": None if gwp is None else {"id": gwp.id, "version": gwp.version},
        "factorDatasets": [
            {"id": d.id, "version": d.version, "sha256": d.sha256}
            for d in sorted(setup.library.datasets.values(), key=lambda d: d.id)
        ],
        "ddCatalogue": {"id": catalogue.id, "version": catalogue.version},
        "ddTables": [
            {"table": t.table, "id": t.id, "version": t.version, "date": t.date}
            for t in tables.refs()
        ],
        "reports": {"pdf": settings.reports, "language": settings.language},
        "baseUrl": settings.base_url,
        "limits": {"maxBytes": settings.limits.max_bytes, "maxDepth": settings.limits.max_depth},
    }


def load(settings: BatchSettings) -> Loaded:
    """Load the run's choices (raises :class:`SetupError` with the loader's message)."""
    from compliance.dd import load_catalogue, load_reference_tables

    messages = io.StringIO()
    setup = load_cfp_setup(settings.choices, messages, "compliance batch")
    if setup is None:
        raise SetupError(messages.getvalue().strip())
    catalogue, tables = load_catalogue(), load_reference_tables()
    versions = _versions(settings, setup, catalogue, tables)
    canonical = json.dumps(versions, sort_keys=True, separators=(",", ":")).encode()
    return Loaded(
        setup, catalogue, tables, versions, "sha256:" + hashlib.sha256(canonical).hexdigest()
    )


_LOADED: dict[BatchSettings, Loaded] = {}
"""Per worker process: the choices loaded for each settings (a run has one)."""


def loaded(settings: BatchSettings) -> Loaded:
    """The loaded choices of ``settings``, loaded once per process."""
    found = _LOADED.get(settings)
    if found is None:
        found = _LOADED[settings] = load(settings)
    return found
