"""Reference tables as versioned data: country risk, processor snapshot, material profiles ...

:func:`load_reference_tables` reads the bundled tables (``rules/dd/tables/*.yaml``) once; a caller
with a licensed conformant-processor export or the current CAHRA list passes its own ``reader``.
Every result records the id, version and date of each table used (:meth:`ReferenceTables.refs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from compliance.dd.rules.loader import Reader, RulesError, bundled_reader, read_rule_file
from compliance.errors import Issue
from compliance.models.battery import Chemistry
from compliance.models.dd_tables import (
    ApplicabilityTable,
    ChemistryTable,
    CountryRiskTable,
    MaterialProfile,
    MaterialProfileTable,
    Obligation,
    ProcessorTable,
    RmiTemplateTable,
    TableHeader,
)
from compliance.models.questionnaire import Material

__all__ = [
    "TABLE_FILES",
    "ReferenceTables",
    "TableRef",
    "load_reference_tables",
    "read_reference_tables",
]

TABLE_FILES = {
    "country-risk": "tables/country-risk.yaml",
    "processors": "tables/processors.yaml",
    "material-profiles": "tables/material-profiles.yaml",
    "chemistry-materials": "tables/chemistry-materials.yaml",
    "applicability": "tables/applicability.yaml",
    "rmi-templates": "tables/rmi-templates.yaml",
}
"""Table name -> file under ``rules/dd``."""


@dataclass(frozen=True, slots=True)
class TableRef:
    """Provenance of one table, stamped into results."""

    table: str
    id: str
    version: str
    date: str
    demonstration: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "table": self.table,
            "id": self.id,
            "version": self.version,
            "date": self.date,
            "demonstration": self.demonstration,
        }


@dataclass(frozen=True, slots=True)
class ReferenceTables:
    """The tables the scorer and the importer read."""

    countries: CountryRiskTable
    processors: ProcessorTable
    profiles: MaterialProfileTable
    chemistry: ChemistryTable
    applicability: ApplicabilityTable
    rmi: RmiTemplateTable
    _status: dict[str, list[tuple[date, date | None, str]]] = field(
        init=False, repr=False, compare=False
    )
    _origins: dict[str, tuple[bool, float]] = field(init=False, repr=False, compare=False)
    _refs: tuple[TableRef, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[date, date | None, str]]] = {}
        for listed in self.processors.processors:
            index[listed.facility_id.upper()] = [
                (
                    date.fromisoformat(h.since),
                    date.fromisoformat(h.until) if h.until else None,
                    h.status,
                )
                for h in listed.history
            ]
        object.__setattr__(self, "_status", index)
        origins = {
            code: (risk.cahra, risk.score) for code, risk in self.countries.countries.items()
        }
        object.__setattr__(self, "_origins", origins)
        tables: list[tuple[str, TableHeader]] = [
            ("country-risk", self.countries),
            ("processors", self.processors),
            ("material-profiles", self.profiles),
            ("chemistry-materials", self.chemistry),
            ("applicability", self.applicability),
        ]
        refs = tuple(TableRef(name, t.id, t.version, t.date, t.demonstration) for name, t in tables)
        object.__setattr__(self, "_refs", refs)

    def origins(self) -> tuple[dict[str, tuple[bool, float]], tuple[bool, float]]:
        """Country code -> (CAHRA, score), and the pair of an unlisted country.

        An unlisted country is not a CAHRA and has the default score (the facts read each
        country of a material with one look-up).
        """
        return self._origins, (False, self.countries.default_score)

    def transit_hubs(self, material: Material) -> frozenset[str]:
        """Countries that are transit or trading hubs of a material (material-profile table)."""
        profile = self.profile(material)
        return frozenset(h.country for h in profile.transit_hubs) if profile else frozenset()

    def processor_status(self, facility_id: str | None, on: date) -> str | None:
        """Assurance status of a facility on a date (``None``: not in the snapshot)."""
        if not facility_id:
            return None
        history = self._status.get(facility_id.strip().upper(), [])
        for since, until, status in history:
            if since <= on and (until is None or on <= until):
                return status
        return None

    def statuses_on(self, on: date) -> dict[str, str]:
        """Facility id (upper case) -> status on a date, for every listed facility."""
        found: dict[str, str] = {}
        for facility, history in self._status.items():
            for since, until, status in history:
                if since <= on and (until is None or on <= until):
                    found[facility] = status
                    break
        return found

    def profile(self, material: Material) -> MaterialProfile | None:
        """Inherent-risk profile of a material."""
        return self.profiles.materials.get(material)

    def chemistry_materials(self, chemistry: Chemistry) -> tuple[Material, ...]:
        """Annex X materials a chemistry necessarily contains."""
        return self.chemistry.chemistries.get(chemistry, ())

    def obligation(self, obligation_id: str) -> Obligation | None:
        """A dated obligation by id."""
        return next((o for o in self.applicability.obligations if o.id == obligation_id), None)

    def refs(self) -> tuple[TableRef, ...]:
        """Provenance of every table (for results; read once, the tables are immutable)."""
        return self._refs


def read_reference_tables(reader: Reader = bundled_reader) -> ReferenceTables:
    """Read and check every table (uncached).

    Raises:
        RulesError: A table is missing or broken; every problem is listed.
    """
    issues: list[Issue] = []

    def read(name: str, model: type[Any]) -> Any:
        found, problems = read_rule_file(reader, TABLE_FILES[name], model)
        issues.extend(problems)
        return found

    parts = {
        "countries": read("country-risk", CountryRiskTable),
        "processors": read("processors", ProcessorTable),
        "profiles": read("material-profiles", MaterialProfileTable),
        "chemistry": read("chemistry-materials", ChemistryTable),
        "applicability": read("applicability", ApplicabilityTable),
        "rmi": read("rmi-templates", RmiTemplateTable),
    }
    if issues:
        raise RulesError(issues)
    return ReferenceTables(**parts)


@lru_cache(maxsize=1)
def load_reference_tables() -> ReferenceTables:
    """The bundled reference tables (read once per process)."""
    return read_reference_tables(bundled_reader)
