"""Synthetic RMI EMRT 2.1 / CMRT 6.5 workbooks built with openpyxl (RMI's own files are never
shipped). Sheet names and cell positions follow dd-methodology 3.2-3.7 and the cell map in
rules/dd/tables/rmi-templates.yaml; values are fictional."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook

EMRT_SHEETS = (
    "Revision",
    "Instructions",
    "Definitions",
    "Declaration",
    "Smelter List",
    "Checker",
    "Mine List",
    "Product List",
    "Smelter Look-up",
)
CMRT_SHEETS = tuple(s for s in EMRT_SHEETS if s != "Mine List")
EMRT_Q_ROWS = {"Q1": 30, "Q2": 42, "Q3": 54, "Q4": 66, "Q5": 78, "Q6": 90, "Q7": 102}
EMRT_HEADER = {
    "company_name": "D8", "scope": "D9", "scope_description": "D10", "contact_name": "D19",
    "contact_email": "D20", "contact_phone": "D21", "authorizer": "D22",
    "authorizer_title": "D23", "authorizer_email": "D24", "effective_date": "D26",
}  # fmt: skip
CMRT_HEADER = {
    "company_name": "D8", "scope": "D9", "contact_name": "D14", "contact_email": "D15",
    "contact_phone": "D16", "authorizer": "D17", "authorizer_title": "D18",
    "authorizer_email": "D19", "effective_date": "D21",
}  # fmt: skip
EMRT_COMPANY = {"A": "D115", "B": "D117", "D": "D131", "E": "D133", "F": "D135", "G": "D137"}
CMRT_COMPANY = {"A": "D75", "B": "D77", "C": "D79", "D": "D81", "E": "D83", "F": "D85", "G": "D87"}

DEFAULT_HEADER: dict[str, Any] = {
    "company_name": "Example Cathode Materials Co., Ltd.",
    "scope": "A. Company",
    "contact_name": "Taro Suzuki",
    "contact_email": "t.suzuki@example.com",
    "contact_phone": "+81 3 0000 0000",
    "authorizer": "Hanako Sato",
    "authorizer_title": "Chief Sustainability Officer",
    "authorizer_email": "h.sato@example.com",
    "effective_date": date(2025, 9, 30),
}


def emrt_workbook(
    *,
    version: str = "Revision 2.1",
    header: Mapping[str, Any] | None = None,
    minerals: Sequence[str] = ("Cobalt", "Lithium", "Nickel"),
    answers: Mapping[str, Mapping[str, Any]] | None = None,
    company: Mapping[str, Any] | None = None,
    policy_url: str | None = "https://example.com/responsible-sourcing-policy.pdf",
    smelters: Sequence[Sequence[Any]] = (),
    mines: Sequence[Sequence[Any]] = (),
    products: Sequence[Sequence[Any]] = (),
    row_order: Sequence[str] | None = None,
) -> bytes:
    """An EMRT 2.1-shaped workbook. ``answers`` maps 'Q1'..'Q7' to {mineral name: value}."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for name in EMRT_SHEETS:
        book.create_sheet(name)
    decl = book["Declaration"]
    decl["B2"] = "Extended Minerals Reporting Template (EMRT)"
    decl["B3"] = version
    rev = book["Revision"]
    rev["A1"], rev["A20"], rev["A21"] = "Revision", "2.0", "2.1"
    for field, value in {**DEFAULT_HEADER, **(header or {})}.items():
        decl[EMRT_HEADER[field]] = value
    for cell, mineral in zip(("D12", "E12", "F12", "G12", "D13", "E13"), minerals, strict=False):
        decl[cell] = mineral
    rows = list(row_order or sorted(minerals))
    defaults = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q5": "100%", "Q6": "Yes",
                "Q7": "Yes"}  # fmt: skip
    answers = answers or {}
    for question, first in EMRT_Q_ROWS.items():
        decl[f"B{first - 1}"] = f"{question[1]}) question label (translated in real templates)"
        for offset, mineral in enumerate(rows):
            row = first + offset
            decl[f"B{row}"] = mineral
            given = answers.get(question, {})
            decl[f"D{row}"] = given[mineral] if mineral in given else defaults[question]
    company_values = {
        "A": "Yes",
        "B": "Yes",
        "D": "Yes",
        "E": "Yes, in conformance with IPC1755 (e.g. EMRT)",
        "F": "Yes",
        "G": "Yes",
    }
    company_values.update(company or {})
    for letter, cell in EMRT_COMPANY.items():
        if company_values.get(letter) is not None:
            decl[cell] = company_values[letter]
    if policy_url:
        decl["G117"] = policy_url
    _list(book["Smelter List"], smelters)
    _list(book["Mine List"], mines)
    _list(book["Product List"], products)
    return _save(book)


def cmrt_workbook(
    *,
    version: str = "Revision 6.5",
    header: Mapping[str, Any] | None = None,
    company: Mapping[str, Any] | None = None,
) -> bytes:
    """A CMRT 6.5-shaped workbook (3TG rows; company questions A-H)."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for name in CMRT_SHEETS:
        book.create_sheet(name)
    decl = book["Declaration"]
    decl["B2"] = "Conflict Minerals Reporting Template (CMRT)"
    decl["B3"] = version
    for field, value in {**DEFAULT_HEADER, **(header or {})}.items():
        if field in CMRT_HEADER:
            decl[CMRT_HEADER[field]] = value
    for offset, metal in enumerate(("Tantalum", "Tin", "Gold", "Tungsten")):
        decl[f"B{26 + offset}"] = metal
        decl[f"D{26 + offset}"] = "No"
    values = {
        "A": "Yes",
        "B": "No",
        "C": "Yes",
        "D": "Yes",
        "E": "Yes, in conformance with IPC-1755 [e.g., CMRT]",
        "F": "Yes",
        "G": "No",
    }
    values.update(company or {})
    for letter, cell in CMRT_COMPANY.items():
        decl[cell] = values[letter]
    return _save(book)


def _list(sheet: Any, rows: Sequence[Sequence[Any]]) -> None:
    sheet["A4"] = "header row"
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=5 + offset, column=column, value=value)


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def smelter(metal: str, name: str, country: str, facility: str = "", recycled: str = "No",
            lookup: str | None = None) -> list[Any]:  # fmt: skip
    """A Smelter List row (columns A-Q)."""
    row: list[Any] = [None] * 17
    row[1], row[2], row[3], row[4], row[5], row[15] = (
        metal, lookup or name, name, country, facility, recycled,
    )  # fmt: skip
    return row


def mine(metal: str, smelter_name: str, name: str, country: str, mine_id: str = "") -> list[Any]:
    """A Mine List row (columns A-M)."""
    return [metal, smelter_name, name, mine_id, "", country]
