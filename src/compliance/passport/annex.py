"""The Annex XIII table (``rules/passport/annex-xiii.yaml``) as typed rules.

The table holds, for Regulation (EU) 2023/1542 Annex XIII:

* ``items``: each Annex XIII item, its access group, categories and mandatory-from dates (read by
  the completeness report, :mod:`.completeness`);
* ``access_groups``: which access levels of Art. 77(2) read each group (point 1 public; points 2
  and 3 notified bodies, market surveillance authorities and the Commission; points 2 and 4
  persons with a legitimate interest);
* ``fields``: the access group of every field of the passport document, the header included,
  each with its source (read by :func:`compliance.passport.access.view`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field

from compliance.errors import ComplianceError
from compliance.models.base import IsoDate, RuleModel
from compliance.resources import read_resource_bytes
from compliance.validation.documents import load_document

__all__ = ["ANNEX_FILE", "AccessGroup", "AnnexItem", "AnnexTable", "FieldAccess", "load_annex"]

ANNEX_FILE = "rules/passport/annex-xiii.yaml"
AccessGroup = Literal["public", "legitimate-interest", "authority", "individual", "extension"]
Level = Literal["public", "legitimate-interest", "authority"]


class AnnexItem(RuleModel):
    """One Annex XIII item and where our passport holds it."""

    id: str
    annex: str
    title: str
    access: AccessGroup
    pointer: str
    categories: tuple[str, ...] = ("ev", "lmt", "industrial", "stationary")
    from_: dict[str, IsoDate] | None = Field(default=None, alias="from")
    """Mandatory-from date per category key (``default`` for all, ``external-storage``)."""
    pending_act: str | None = None
    when: Literal["in-service", "at-service"] | None = None
    """``in-service``: mandatory once the battery is in service (a putting-into-service date or
    a status other than original); ``at-service``: recorded when it is put into service."""
    source: str | None = None
    fills: tuple[str, ...] = ()
    """The supplier-submission fields (JSON Pointers) that fill the item; empty for values the
    engine computes (the carbon footprint) or takes from the DD questionnaire."""


class FieldAccess(RuleModel):
    """The access group of one field of the passport document (JSON Pointer, wire names)."""

    pointer: str = Field(pattern=r"^(/[A-Za-z0-9]+)+$")
    access: AccessGroup
    source: str


class PendingAct(RuleModel):
    """A delegated or implementing act an obligation waits for."""

    title: str
    adopted: bool
    source: str


class PassportObligation(RuleModel):
    """When and for which batteries a passport is required (Art. 77(1))."""

    date: IsoDate
    source: str
    industrial_minimum_kwh: float


class AnnexTable(RuleModel):
    """The whole table."""

    id: str
    version: str
    passport_obligation: PassportObligation
    pending_acts: dict[str, PendingAct]
    access_groups: dict[AccessGroup, tuple[Level, ...]]
    """Access group -> the Art. 77(2) access levels that read it."""
    fields: tuple[FieldAccess, ...]
    items: tuple[AnnexItem, ...]


@lru_cache(maxsize=1)
def load_annex() -> AnnexTable:
    """The bundled Annex XIII table (cached; the table is immutable)."""
    table, issues = load_document(
        read_resource_bytes(ANNEX_FILE), name=ANNEX_FILE, model=AnnexTable
    )
    if table is None:
        raise ComplianceError(f"{ANNEX_FILE} is invalid: {issues[0].pointer} {issues[0].message}")
    return table
