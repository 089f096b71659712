"""The Declaration header, scope and the Smelter, Mine and Product lists of an RMI workbook."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from compliance.dd.rmi_reader import WorkbookReader
from compliance.dd.rmi_values import clean, parse_date, read_choice
from compliance.dd.rmi_workbook import TemplateInfo
from compliance.models.base import EMAIL_PATTERN

__all__ = ["read_header", "read_mines", "read_processors", "read_products", "read_scope"]

YNU = ("yes", "no", "unknown")
_EMAIL = re.compile(EMAIL_PATTERN)


def _email(reader: WorkbookReader, field: str) -> str | None:
    value = reader.header_text(field, required=False)
    if value is not None and not _EMAIL.match(value):
        cell = reader.cells.header[field]
        reader.warn("rmi.invalid-email", "Declaration", cell, f"{value!r} is not an e-mail address")
        return None
    return value


def read_header(
    reader: WorkbookReader, info: TemplateInfo, name: str | None
) -> dict[str, Any] | None:
    """The questionnaire header (``None`` when a required cell is missing or wrong)."""
    company = reader.header_text("company_name", required=True)
    authorizer = reader.header_text("authorizer", required=True)
    cell = reader.cells.header["effective_date"]
    raw_date = reader.declaration[cell].value
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
            "rmi.unknown-value", "Declaration", reader.cells.header["scope"], "unknown scope"
        )
        return None
    result: dict[str, Any] = {"kind": kind}
    if description := reader.header_text("scope_description", required=False):
        result["description"] = description[:4000]
    if kind == "products" and products:
        result["products"] = products
    return result


def _list_rows(sheet: Worksheet, first: int = 5) -> list[tuple[int, tuple[Any, ...]]]:
    rows = []
    for index, values in enumerate(
        sheet.iter_rows(min_row=first, max_col=17, values_only=True), start=first
    ):
        if any(clean(v) for v in values):
            rows.append((index, values))
    return rows


def _material(reader: WorkbookReader, sheet: str, cell: str, value: Any) -> str | None:
    name = clean(value)
    if name is None:
        return None
    found = reader.tables.rmi.mineral_names.get(name)
    if found is None:
        reader.warn("rmi.unknown-mineral", sheet, cell, f"unknown metal {name!r}; row left out")
    return None if found in (None, "ignored") else found


def read_processors(reader: WorkbookReader) -> list[dict[str, Any]]:
    """Smelter List rows of Annex X (and EMRT) materials; 3TG rows are left out."""
    if "Smelter List" not in reader.book.sheetnames:
        return []
    processors = []
    for row, v in _list_rows(reader.book["Smelter List"]):
        material = _material(reader, "Smelter List", f"B{row}", v[1])
        if material is None:
            continue
        lookup, name = clean(v[2]) or "", " ".join(str(v[3] or "").split())
        unidentified = "not yet identified" in lookup or clean(name) in (None, "unknown")
        item: dict[str, Any] = {
            "id": f"smelter-row-{row}",
            "material": material,
            "name": (name or str(v[2] or "Smelter not yet identified"))[:300],
            "identified": not unidentified,
        }
        facility = str(v[5] or v[0] or "").strip()
        if facility:
            item["facilityId"] = facility[:64]
        if country := reader.country("Smelter List", f"E{row}", v[4]):
            item["country"] = country
        if recycled := read_choice(v[15], YNU):
            item["feedstockFullyRecycled"] = recycled
        processors.append(item)
    return processors


def read_mines(reader: WorkbookReader, processors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mine List rows (EMRT 2.x), linked to a processor row by smelter name and metal."""
    if not reader.cells.mine_list or "Mine List" not in reader.book.sheetnames:
        return []
    mines = []
    for row, v in _list_rows(reader.book["Mine List"]):
        material = _material(reader, "Mine List", f"A{row}", v[0])
        if material is None or clean(v[2]) is None:
            continue
        item: dict[str, Any] = {
            "id": f"mine-row-{row}",
            "material": material,
            "name": " ".join(str(v[2]).split())[:300],
        }
        smelter = clean(v[1])
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
        if v[3]:
            item["mineId"] = str(v[3]).strip()[:64]
        if country := reader.country("Mine List", f"F{row}", v[5]):
            item["country"] = country
        mines.append(item)
    return mines


def read_products(reader: WorkbookReader) -> list[dict[str, Any]]:
    """Product List rows."""
    if "Product List" not in reader.book.sheetnames:
        return []
    products = []
    for _, v in _list_rows(reader.book["Product List"]):
        if clean(v[1]) is None:
            continue
        item = {"number": str(v[1]).strip()[:300]}
        for key, index in (("name", 2), ("requesterNumber", 3), ("requesterName", 4)):
            if reader.cells.template == "emrt" and clean(v[index]):
                item[key] = str(v[index]).strip()[:300]
        products.append(item)
    return products
