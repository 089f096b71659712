"""The Declaration header, scope and the Smelter, Mine and Product lists of an RMI workbook.

List sheets are read below their header row, by the column letters of the template's list
layouts (``lists`` in ``rules/dd/tables/rmi-templates.yaml``): the Product List header is on row 5,
the Smelter and Mine List headers on row 4.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils import column_index_from_string

from compliance.intake.rmi.reader import WorkbookReader
from compliance.intake.rmi.values import clean, parse_date
from compliance.intake.rmi.workbook import TemplateInfo
from compliance.models.base import EMAIL_PATTERN
from compliance.models.dd_tables import RmiListLayout

__all__ = ["read_header", "read_mines", "read_processors", "read_products", "read_scope"]

_EMAIL = re.compile(EMAIL_PATTERN)


def _email(reader: WorkbookReader, field: str) -> str | None:
    value = reader.header_text(field, required=False)
    if value is not None and not _EMAIL.match(value):
        cell = reader.layout.header[field]
        reader.warn("rmi.invalid-email", "Declaration", cell, f"{value!r} is not an e-mail address")
        return None
    return value


def read_header(
    reader: WorkbookReader, info: TemplateInfo, name: str | None
) -> dict[str, Any] | None:
    """The questionnaire header (``None`` when a required cell is missing or wrong)."""
    company = reader.header_text("company_name", required=True)
    authorizer = reader.header_text("authorizer", required=True)
    cell = reader.layout.header["effective_date"]
    raw_date = reader.value(cell)
    effective = parse_date(raw_date)
    if effective is None:
        if raw_date is None:
            reader.error("rmi.required-cell", "Declaration", cell, "effective date is required")
        else:
            reader.error(
                "rmi.date",
                "Declaration",
                cell,
                f"{raw_date!r} is not a date (use DD-MMM-YYYY, e.g. 17-Oct-2025)",
            )
    if company is None or authorizer is None or effective is None:
        return None
    contact_name = reader.header_text("contact_name", required=False)
    contact: dict[str, Any] | None = None
    if contact_name:
        contact = {"name": contact_name}
        if email := _email(reader, "contact_email"):
            contact["email"] = email
        if phone := reader.header_text("contact_phone", required=False):
            contact["phone"] = phone[:60]
    person: dict[str, Any] = {"name": authorizer}
    if title := reader.header_text("authorizer_title", required=False):
        person["title"] = title
    if email := _email(reader, "authorizer_email"):
        person["email"] = email
    header: dict[str, Any] = {
        "supplier": {"name": company[:300]},
        "roles": ["trader"],
        "effectiveDate": effective.isoformat(),
        "authorizer": person,
        "template": {
            "kind": info.kind,
            "version": info.version,
            **({"file": name} if name else {}),
        },
    }
    if contact:
        header["contact"] = contact
    return header


def read_scope(reader: WorkbookReader, products: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Declaration scope A/B/C with its description and products."""
    scope = clean(reader.header_text("scope", required=False))
    if scope is None:
        return None
    kind = {"a": "company", "b": "products", "c": "user-defined"}.get(scope[:1])
    if kind is None:
        reader.warn(
            "rmi.unknown-value", "Declaration", reader.layout.header["scope"], "unknown scope"
        )
        return None
    result: dict[str, Any] = {"kind": kind}
    if description := reader.header_text("scope_description", required=False):
        result["description"] = description[:4000]
    if kind == "products" and products:
        result["products"] = products
    return result


def _layout(reader: WorkbookReader, kind: str) -> RmiListLayout | None:
    """The template's layout of a list sheet, if the template and the workbook have it."""
    names = [n for n in reader.template.lists if n == kind or n.startswith(f"{kind}-")]
    layout = reader.rmi.lists[names[0]] if names else None
    return layout if layout is not None and layout.sheet in reader.book.sheetnames else None


def _list_rows(reader: WorkbookReader, layout: RmiListLayout) -> list[tuple[int, dict[str, Any]]]:
    """Rows below the header with any value in the columns read: row -> {field: value}."""
    sheet = reader.book[layout.sheet]
    index = {name: column_index_from_string(c) - 1 for name, c in layout.columns.items()}
    last = max(index.values()) + 1
    rows = []
    first = layout.header_row + 1
    for number, values in enumerate(
        sheet.iter_rows(min_row=first, max_col=last, values_only=True), start=first
    ):
        row = {name: values[i] if i < len(values) else None for name, i in index.items()}
        if any(clean(v) for v in row.values()):
            rows.append((number, row))
    return rows


def _material(reader: WorkbookReader, sheet: str, cell: str, value: Any) -> str | None:
    name = clean(value)
    if name is None:
        return None
    found = reader.material(name)
    if found is False:
        reader.warn("rmi.unknown-mineral", sheet, cell, f"unknown metal {name!r}; row left out")
    return found if isinstance(found, str) else None


def read_processors(reader: WorkbookReader) -> list[dict[str, Any]]:
    """Smelter List rows of Annex X (and EMRT) materials; 3TG rows are left out."""
    layout = _layout(reader, "smelters")
    if layout is None:
        return []
    cols = layout.columns
    processors = []
    for row, v in _list_rows(reader, layout):
        material = _material(reader, layout.sheet, f"{cols['metal']}{row}", v["metal"])
        if material is None:
            continue
        lookup, name = clean(v["lookup"]) or "", " ".join(str(v["name"] or "").split())
        unidentified = "not yet identified" in lookup or clean(name) in (None, "unknown")
        item: dict[str, Any] = {
            "id": f"smelter-row-{row}",
            "material": material,
            "name": (name or str(v["lookup"] or "Smelter not yet identified"))[:300],
            "identified": not unidentified,
        }
        facility = str(v["smelter_id"] or v["id_input"] or "").strip()
        if facility:
            item["facilityId"] = facility[:64]
        if country := reader.country(layout.sheet, f"{cols['country']}{row}", v["country"]):
            item["country"] = country
        recycled = reader.spelling("yes-no-unknown", v["recycled"])
        if recycled is not None:
            item["feedstockFullyRecycled"] = recycled
        elif clean(v["recycled"]) is not None:
            reader.warn(
                "rmi.unknown-value",
                layout.sheet,
                f"{cols['recycled']}{row}",
                f"{v['recycled']!r} is not one of the list's answers (Yes, No, Unknown); left out",
            )
        processors.append(item)
    return processors


def read_mines(reader: WorkbookReader, processors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mine List rows (EMRT 2.x), linked to a processor row by smelter name and metal."""
    layout = _layout(reader, "mines")
    if layout is None:
        return []
    cols = layout.columns
    mines = []
    for row, v in _list_rows(reader, layout):
        material = _material(reader, layout.sheet, f"{cols['metal']}{row}", v["metal"])
        if material is None or clean(v["name"]) is None:
            continue
        item: dict[str, Any] = {
            "id": f"mine-row-{row}",
            "material": material,
            "name": " ".join(str(v["name"]).split())[:300],
        }
        smelter = clean(v["smelter"])
        ref = next(
            (
                p["id"]
                for p in processors
                if p["material"] == material and clean(p["name"]) == smelter
            ),
            None,
        )
        if ref:
            item["processor"] = ref
        if v["mine_id"]:
            item["mineId"] = str(v["mine_id"]).strip()[:64]
        if country := reader.country(layout.sheet, f"{cols['country']}{row}", v["country"]):
            item["country"] = country
        mines.append(item)
    return mines


_PRODUCT_FIELDS = (
    ("name", "name"),
    ("requesterNumber", "requester_number"),
    ("requesterName", "requester_name"),
)


def read_products(reader: WorkbookReader) -> list[dict[str, Any]]:
    """Product List rows below the header row."""
    layout = _layout(reader, "products")
    if layout is None:
        return []
    products = []
    for _, v in _list_rows(reader, layout):
        if clean(v["number"]) is None:
            continue
        item = {"number": str(v["number"]).strip()[:300]}
        for key, column in _PRODUCT_FIELDS:
            if clean(v.get(column)):
                item[key] = str(v[column]).strip()[:300]
        products.append(item)
    return products
