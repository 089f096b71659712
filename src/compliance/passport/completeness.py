"""Completeness report: every Annex XIII item missing, present or not yet applicable.

Driven by ``rules/passport/annex-xiii.yaml`` (item, Annex XIII reference, access group, categories,
mandatory-from dates per category, pending delegated acts). For a passport and a date, each item
is ``present``, ``missing`` (mandatory now and absent), ``not-yet-applicable`` (absent but only
mandatory later, or waiting for a delegated act not yet adopted), or ``not-applicable`` (another
category, or a battery that needs no passport). A passport is never padded to look complete.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from compliance.errors import split_pointer
from compliance.models import BatteryStatus
from compliance.models.base import WireModel
from compliance.models.labels import field_label
from compliance.passport.annex import AnnexItem, AnnexTable, load_annex
from compliance.passport.model import Passport

__all__ = [
    "AnnexItem",
    "CompletenessItem",
    "CompletenessReport",
    "FieldToFill",
    "completeness",
    "load_annex",
]

Status = Literal["present", "missing", "not-yet-applicable", "not-applicable"]


class FieldToFill(WireModel):
    """A supplier-submission field that fills an Annex XIII item."""

    pointer: str
    """JSON Pointer into the supplier submission."""
    label: str


class CompletenessItem(WireModel):
    """The state of one Annex XIII item."""

    id: str
    annex: str
    title: str
    access: str
    status: Status
    detail: str | None = None
    fill: tuple[FieldToFill, ...] = ()
    """For an item not present: the submission fields that would fill it."""


class CompletenessReport(WireModel):
    """Which Annex XIII items a passport has, lacks, or does not need yet."""

    table: str
    as_of: date
    category: str
    passport_required: bool
    complete: bool
    """True when no item is ``missing``."""
    missing: tuple[str, ...]
    items: tuple[CompletenessItem, ...]


def _present(document: Any, pointer: str) -> bool:
    node = document
    for token in split_pointer(pointer):
        if not isinstance(node, dict) or node.get(token) is None:
            return False
        node = node[token]
    return node not in (None, "", [], {})


def _state(
    item: AnnexItem,
    key: str,
    category: str,
    present: bool,
    as_of: date,
    table: AnnexTable,
    in_service: bool,
) -> tuple[Status, str | None]:
    if category not in item.categories:
        return "not-applicable", f"not required for {category} batteries"
    if present:
        return "present", None
    if item.when == "at-service" or (item.when == "in-service" and not in_service):
        return "not-yet-applicable", "applies once the battery is put into service"
    if item.pending_act and not table.pending_acts[item.pending_act].adopted:
        act = table.pending_acts[item.pending_act]
        return "not-yet-applicable", f"waits for: {act.title} (not adopted)"
    dates = item.from_ or {}
    start = dates.get(key) or dates.get(category) or dates.get("default")
    start = start or table.passport_obligation.date
    if as_of < start:
        return "not-yet-applicable", f"mandatory from {start.isoformat()}"
    return "missing", f"mandatory since {start.isoformat()}"


def completeness(passport: Passport, as_of: date) -> CompletenessReport:
    """The completeness report of a full passport on ``as_of``."""
    table = load_annex()
    category = passport.category.value
    key = (
        "external-storage"
        if passport.public.identification.external_storage_only
        and category in ("industrial", "stationary")
        else category
    )
    nominal_kwh = (
        passport.public.rated_capacity.value * passport.public.nominal_voltage.value / 1000.0
    )
    required = not (
        category in ("industrial", "stationary")
        and nominal_kwh <= table.passport_obligation.industrial_minimum_kwh
    )
    document = passport.model_dump(mode="json", by_alias=True)
    individual = passport.individual
    in_service = individual is not None and (
        individual.putting_into_service is not None
        or individual.status is not BatteryStatus.ORIGINAL
    )
    items = []
    for item in table.items:
        if not required:
            status: Status = "not-applicable"
            detail: str | None = (
                f"industrial batteries of {table.passport_obligation.industrial_minimum_kwh:g} kWh "
                "or less need no passport (Art. 77(1))"
            )
        else:
            status, detail = _state(
                item,
                key,
                category,
                _present(document, item.pointer),
                as_of,
                table,
                in_service,
            )
        items.append(
            CompletenessItem(
                id=item.id,
                annex=item.annex,
                title=item.title,
                access=item.access,
                status=status,
                detail=detail,
                fill=tuple(FieldToFill(pointer=p, label=field_label(p)) for p in item.fills)
                if status in ("missing", "not-yet-applicable")
                else (),
            )
        )
    missing = tuple(i.id for i in items if i.status == "missing")
    return CompletenessReport(
        table=f"{table.id}@{table.version}",
        as_of=as_of,
        category=category,
        passport_required=required,
        complete=not missing,
        missing=missing,
        items=tuple(items),
    )
