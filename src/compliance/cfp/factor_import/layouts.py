"""The export layouts the importer reads, each from its publisher's own definition.

* ``ecoinvent``: the *cumulative LCIA* workbook ecoinvent ships to licensees (e.g. "Cut-off
  Cumulative LCIA v3.10.xlsx"), sheet ``LCIA`` (or the same table saved as CSV). Rows 1-3 name
  each impact column's method, category and indicator; row 4 holds the names of the
  identification columns (``Activity UUID_Product UUID`` - or ``Activity UUID`` and ``Product
  UUID`` - ``Activity Name``, ``Geography``, ``Reference Product Name``, ``Reference Product
  Unit``) and, above each impact column, its unit (``kg CO2-Eq``); data start on row 5. One
  value is the cumulative impact of one unit of the reference product.
* ``openlca``: the Excel export of a calculated result in openLCA (``olca-io``
  ``org.openlca.io.xls.results.system.ResultExport``, ``InfoSheet`` and ``ImpactSheet``; the
  labels below are unchanged up to GreenDelta/olca-modules@a20094aff697, 2026-07-01; the amount
  is Java's ``double`` text, e.g. ``1.0E-4 kg``): sheet ``Calculation setup`` with the
  labels ``Product system:``, ``Reference process location:``, ``Product:``, ``Amount:``
  (``"1.0 kg"``) and ``Impact method:`` beside their values, and sheet ``Impacts`` with the
  header ``Impact category UUID | Impact category | Reference unit | Result``. One file is the
  result of one product system for its target amount, i.e. one factor; give several files for
  several factors.

No public description of a GaBi / Sphera export layout was found, so none is offered (the
documentation says how to convert such an export to the ecoinvent or openLCA layout).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from compliance.cfp.factor_import.tables import Sheet, cell_ref
from compliance.errors import Issue, Layer, Severity

__all__ = [
    "DEFAULT_ECOINVENT_INDICATOR",
    "LAYOUT_NAMES",
    "LayoutRead",
    "RawFactor",
    "cell_issue",
    "read_ecoinvent",
    "read_openlca",
]

LAYOUT_NAMES = {"ecoinvent": "ecoinvent-cumulative-lcia", "openlca": "openlca-result-xlsx"}
"""CLI name -> the layout id recorded in the dataset's ``importedFrom``."""

DEFAULT_ECOINVENT_INDICATOR = (
    "IPCC 2021",
    "climate change: total (excl. biogenic CO2)",
    "global warming potential (GWP100)",
)
"""The column read when none is chosen: IPCC AR6 GWP100, fossil + land use + biogenic non-CO2
(the ``total (excl. biogenic CO2)`` category of ecoinvent's IPCC 2021 implementation)."""

_ECOINVENT_META = {
    "uuid": ("activity uuid_product uuid",),
    "activity_uuid": ("activity uuid",),
    "product_uuid": ("product uuid",),
    "activity": ("activity name",),
    "geography": ("geography",),
    "product": ("reference product name",),
    "unit": ("reference product unit",),
}


@dataclass(frozen=True, slots=True)
class Located:
    """A cell value with where it came from."""

    value: Any
    sheet: str
    row: int
    column: int
    file: str = ""

    @property
    def text(self) -> str:
        """The value as stripped text."""
        return "" if self.value is None else str(self.value).strip()


@dataclass(frozen=True, slots=True)
class RawFactor:
    """One factor as the export states it, before units and numbers are checked."""

    id: Located
    label: str
    """Activity / product / location, for the factor's ``source``."""
    geography: str | None
    value: Located
    impact_unit: Located
    reference_unit: Located
    reference_amount: float = 1.0
    method: Located | None = None
    """The LCIA method of this factor (openLCA: per file), for the GWP-basis check."""
    file: str = ""
    """The export file the factor was read from."""
    indicator: str = ""
    """The impact indicator the value was read from, as the export names it."""


@dataclass
class LayoutRead:
    """What a layout reader found: the indicator, the raw factors and the problems."""

    indicator: str
    method: Located | None
    factors: list[RawFactor] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def cell_issue(
    code: str,
    sheet: str,
    row: int,
    column: int,
    message: str,
    severity: Severity = Severity.ERROR,
    **context: Any,
) -> Issue:
    """An issue at a cell: pointer ``/<sheet>/<B7>``, ``line``/``column`` the row and column."""
    return Issue(
        code,
        f"/{sheet}/{cell_ref(row, column)}",
        message,
        severity,
        Layer.PARSE,
        row,
        column,
        {"sheet": sheet, "cell": cell_ref(row, column), **context},
    )


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _sheet(sheets: Sequence[Sheet], wanted: str) -> Sheet | None:
    if len(sheets) == 1:
        return sheets[0]
    return next((s for s in sheets if s.name.strip().lower() == wanted.lower()), None)


# --------------------------------------------------------------------------- ecoinvent


def _ecoinvent_columns(head: Sequence[tuple[Any, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    header = head[3] if len(head) > 3 else ()
    for column, value in enumerate(header, start=1):
        name = _norm(str(value)) if value is not None else ""
        for key, names in _ECOINVENT_META.items():
            if name in names and key not in found:
                found[key] = column
    return found


def _cell_text(head: Sequence[tuple[Any, ...]], row: int, column: int) -> str:
    cells = head[row - 1] if row <= len(head) else ()
    value = cells[column - 1] if column <= len(cells) else None
    return "" if value is None else str(value).strip()


def _ecoinvent_indicator_column(
    sheet: Sheet, head: Sequence[tuple[Any, ...]], wanted: tuple[str, ...], read: LayoutRead
) -> int | None:
    width = max((len(r) for r in head), default=0)
    target = tuple(_norm(w) for w in wanted)
    gwp_columns = []
    for column in range(1, width + 1):
        names = tuple(_norm(_cell_text(head, row, column)) for row in (1, 2, 3))
        if names == target:
            return column
        if "gwp" in names[2] or "global warming" in names[2]:
            gwp_columns.append(" | ".join(_cell_text(head, r, column) for r in (1, 2, 3)))
    listed = "; ".join(gwp_columns[:12]) or "none"
    read.issues.append(
        cell_issue(
            "factors.indicator-not-found",
            sheet.name,
            1,
            1,
            f"no impact column {' | '.join(wanted)!r} in rows 1-3; climate columns in this "
            f"file: {listed} (choose one with --indicator 'method | category | indicator')",
            available=gwp_columns,
        )
    )
    return None


def read_ecoinvent(
    file: str, sheets: Sequence[Sheet], indicator: tuple[str, ...] | None
) -> LayoutRead:
    """The factors of one impact column of an ecoinvent cumulative LCIA table."""
    wanted = indicator or DEFAULT_ECOINVENT_INDICATOR
    read = LayoutRead(" | ".join(wanted), None)
    sheet = _sheet(sheets, "LCIA")
    if sheet is None:
        names = ", ".join(s.name for s in sheets)
        read.issues.append(
            Issue(
                "factors.layout",
                "",
                f"no sheet 'LCIA' (the ecoinvent cumulative LCIA table); sheets: {names}",
                Severity.ERROR,
                Layer.PARSE,
            )
        )
        return read
    head = sheet.head(4)
    columns = _ecoinvent_columns(head)
    missing = [k for k in ("activity", "geography", "product", "unit") if k not in columns]
    if "uuid" not in columns and not {"activity_uuid", "product_uuid"} <= set(columns):
        missing.insert(0, "uuid")
    if missing:
        labels = {
            "uuid": "Activity UUID_Product UUID",
            **{k: v[0].title().replace("Uuid", "UUID") for k, v in _ECOINVENT_META.items()},
        }
        read.issues.append(
            cell_issue(
                "factors.layout",
                sheet.name,
                4,
                1,
                "row 4 lacks the ecoinvent column(s) "
                + ", ".join(repr(labels[m]) for m in missing)
                + " (is this the LCIA sheet of a cumulative LCIA export?)",
            )
        )
        return read
    column = _ecoinvent_indicator_column(sheet, head, wanted, read)
    if column is None:
        return read
    read.method = Located(_cell_text(head, 1, column), sheet.name, 1, column)
    unit = Located(_cell_text(head, 4, column), sheet.name, 4, column)
    for row, cells in sheet.stream():
        if row < 5 or all(v is None or not str(v).strip() for v in cells):
            continue

        def at(key: str, row: int = row, cells: tuple[Any, ...] = cells) -> Located:
            c = columns[key]
            return Located(cells[c - 1] if c <= len(cells) else None, sheet.name, row, c)

        if "uuid" in columns:
            ident = at("uuid")
        else:
            a, p = at("activity_uuid"), at("product_uuid")
            ident = Located(f"{a.text}_{p.text}", sheet.name, row, a.column)
        geography = at("geography").text or None
        label = f"{at('activity').text} | {at('product').text} | {geography or '-'}"
        value = cells[column - 1] if column <= len(cells) else None
        read.factors.append(
            RawFactor(
                id=ident,
                label=label,
                geography=geography,
                value=Located(value, sheet.name, row, column),
                impact_unit=unit,
                reference_unit=at("unit"),
                method=read.method,
                file=file,
            )
        )
    return read


# --------------------------------------------------------------------------- openLCA

_SETUP_LABELS = {
    "system": "product system:",
    "location": "reference process location:",
    "product": "product:",
    "amount": "amount:",
    "method": "impact method:",
}
_AMOUNT = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(\S.*?)\s*$")
_CLIMATE = re.compile(r"climate change|global warming|gwp", re.I)


def _labelled(sheet: Sheet) -> dict[str, Located]:
    found: dict[str, Located] = {}
    for r, cells in enumerate(sheet.rows[:60], start=1):
        for c, value in enumerate(cells, start=1):
            key = next((k for k, v in _SETUP_LABELS.items() if _norm(str(value or "")) == v), None)
            if key and key not in found:
                found[key] = Located(sheet.value(r, c + 1), sheet.name, r, c + 1)
    return found


def _impact_table(sheets: Sequence[Sheet]) -> tuple[Sheet, int, dict[str, int]] | None:
    for sheet in sheets:
        for r in range(1, min(len(sheet.rows), 6) + 1):
            names = {_norm(str(v)): c for c, v in enumerate(sheet.rows[r - 1], 1) if v is not None}
            if {"impact category", "reference unit", "result"} <= set(names):
                return sheet, r, names
    return None


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-._").lower()
    return slug[:120] or "factor"


def read_openlca(
    files: Sequence[tuple[str, Sequence[Sheet]]], indicator: tuple[str, ...] | None
) -> LayoutRead:
    """One factor per openLCA result workbook: the chosen impact category per target amount."""
    wanted = _norm(indicator[0]) if indicator else None
    read = LayoutRead(indicator[0] if indicator else "", None)
    for name, sheets in files:
        setup_sheet = _sheet(sheets, "Calculation setup")
        table = _impact_table(sheets)
        if setup_sheet is None or table is None:
            read.issues.append(
                Issue(
                    "factors.layout",
                    "",
                    f"{name}: not an openLCA result export (needs the sheets 'Calculation setup' "
                    "and 'Impacts' with 'Impact category | Reference unit | Result')",
                    Severity.ERROR,
                    Layer.PARSE,
                    context={"file": name},
                )
            )
            continue
        setup = _labelled(setup_sheet)
        lacking = [v for k, v in _SETUP_LABELS.items() if k not in setup and k != "location"]
        if lacking:
            read.issues.append(
                cell_issue(
                    "factors.layout",
                    setup_sheet.name,
                    1,
                    1,
                    f"{name}: the calculation setup lacks {', '.join(map(repr, lacking))}",
                    file=name,
                )
            )
            continue
        sheet, header, columns = table
        rows = []
        for r in range(header + 1, len(sheet.rows) + 1):
            category = sheet.text(r, columns["impact category"])
            if not category:
                continue
            if (wanted and _norm(category) == wanted) or (not wanted and _CLIMATE.search(category)):
                rows.append((r, category))
        if len(rows) != 1:
            found = "none" if not rows else "; ".join(c for _, c in rows)
            read.issues.append(
                cell_issue(
                    "factors.indicator-not-found",
                    sheet.name,
                    header,
                    columns["impact category"],
                    f"{name}: {'no' if not rows else 'more than one'} impact category "
                    f"{'named ' + repr(indicator[0]) if indicator else 'about climate change'} "
                    f"(found: {found}); choose one with --indicator 'impact category'",
                    file=name,
                )
            )
            continue
        r, category = rows[0]
        read.indicator = read.indicator or category
        amount = setup["amount"]
        match = _AMOUNT.match(amount.text)
        if match is None or not math.isfinite(float(match.group(1))) or float(match.group(1)) <= 0:
            read.issues.append(
                cell_issue(
                    "factors.not-a-number",
                    amount.sheet,
                    amount.row,
                    amount.column,
                    f"{name}: the target amount {amount.text!r} is not '<positive number> <unit>'",
                    file=name,
                )
            )
            continue
        system = setup["system"]
        location = setup.get("location")
        geography = location.text if location is not None and location.text else None
        read.factors.append(
            RawFactor(
                id=Located(_slug(system.text), system.sheet, system.row, system.column, name),
                label=f"{system.text} | {setup['product'].text} | {geography or '-'} ({name})",
                geography=geography,
                value=Located(sheet.value(r, columns["result"]), sheet.name, r, columns["result"]),
                impact_unit=Located(
                    sheet.value(r, columns["reference unit"]),
                    sheet.name,
                    r,
                    columns["reference unit"],
                ),
                reference_unit=Located(match.group(2), amount.sheet, amount.row, amount.column),
                reference_amount=float(match.group(1)),
                method=setup["method"],
                file=name,
                indicator=category,
            )
        )
        if read.method is None:
            read.method = setup["method"]
    return read
