"""RMI EMRT / CMRT / CRT workbooks as RMI publishes them, generated with openpyxl.

RMI's workbooks are "© Responsible Minerals Initiative. All rights reserved." and their terms
grant no redistribution, so they are not committed. This generator reproduces them instead: the
sheet names and order, every Declaration cell of the form with its exact value (revision text,
mineral labels with RMI's '(*)' marker, hidden pre-filled rows, hyperlink cells), the merged
ranges, every data-validation list with its exact spellings, and the list sheets' header rows.
These facts are in ``tests/dd/data/rmi-template-surfaces.json`` (read from the published files);
labels whose text depends on the workbook's language are written as short English placeholders.
``tests/dd/test_rmi_real_templates.py`` compares the output with the published files cell by cell
when they are available locally. Answers, header values and list rows are fictional.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from compliance.dd.rules.references import load_reference_tables

__all__ = [
    "DEFAULT_HEADER",
    "EMRT_MINERALS",
    "cmrt_workbook",
    "emrt_workbook",
    "mine",
    "rmi_workbook",
    "smelter",
    "surface_of",
]

SURFACES = Path(__file__).parent / "data" / "rmi-template-surfaces.json"
EMRT_MINERALS = ("Cobalt", "Copper", "Graphite", "Lithium", "Mica", "Nickel")
"""The minerals an EMRT 2.x can declare, in the order of its selection cells D12:G13."""

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
_LIST_HEADER_ROWS = {"Smelter List": 4, "Mine List": 4, "Product List": 5}
_TITLES = {
    "emrt": "Extended Minerals Reporting Template (EMRT)",
    "cmrt": "Conflict Minerals Reporting Template (CMRT)",
    "crt": "Cobalt Reporting Template (CRT)",
}
"""The template's name in D2 (a label: the English text)."""


@cache
def _surfaces() -> list[dict[str, Any]]:
    templates: list[dict[str, Any]] = json.loads(SURFACES.read_text(encoding="utf-8"))["templates"]
    return templates


def surface_of(kind: str, version: str) -> dict[str, Any]:
    """The recorded surface of a published template version."""
    return next(s for s in _surfaces() if s["template"] == kind and version in s["revisions"])


def _validations(sheet: Any, rules: Sequence[Sequence[Any]], source_row: int) -> None:
    """Each data-validation rule, its list written below the form (as RMI does, column B)."""
    row = source_row
    for kind, sqref, options in rules:
        if kind == "list" and isinstance(options, list):
            for offset, option in enumerate(options):
                sheet.cell(row=row + offset, column=2, value=option)
            formula = f"$B${row}:$B${row + len(options) - 1}"
            row += len(options)
        else:
            formula = options
        rule = DataValidation(type=kind, formula1=formula, allow_blank=True)
        rule.sqref = sqref
        sheet.add_data_validation(rule)


def rmi_workbook(
    kind: str = "emrt",
    version: str = "2.1",
    *,
    revision: str | None = None,
    header: Mapping[str, Any] | None = None,
    minerals: Sequence[str] = EMRT_MINERALS,
    row_order: Sequence[str] | None = None,
    answers: Mapping[str, Mapping[str, Any]] | None = None,
    company: Mapping[str, Any] | None = None,
    comments: Mapping[str, Any] | None = None,
    smelters: Sequence[Sequence[Any]] = (),
    mines: Sequence[Sequence[Any]] = (),
    products: Sequence[Sequence[Any]] = (),
    cells: Mapping[str, Any] | None = None,
) -> bytes:
    """A workbook laid out as RMI's ``kind`` ``version``, filled in as given.

    Args:
        revision: Text of the revision cell (J3), default the published one.
        header: Company information by field name (``None`` values leave the cell empty).
        minerals: EMRT 2.x minerals kept in scope (the others set to '(Delete X)').
        row_order: EMRT 2.x question rows in another order (a hand-edited file).
        answers: 'Q1'.. or 'C' -> {template mineral name: value}.
        company: Company questions 'A'.. -> value.
        comments: Question -> comment (column G of its row).
        cells: Declaration cells written last, as given.
    """
    found = surface_of(kind, version)
    layout = load_reference_tables().rmi.declarations[found["layout"]]
    book = Workbook()
    book.remove(book.worksheets[0])
    for name in found["sheets"]:
        book.create_sheet(name)
    decl = book["Declaration"]
    for cell in found["labels"].split():
        decl[cell] = f"[{cell}]"
    decl["D2"] = _TITLES[kind]
    for cell, value in found["values"].items():
        decl[cell] = value
    decl["J3"] = revision if revision is not None else found["revisions"][version]
    for merged in found["merged"].split():
        decl.merge_cells(merged)
    _validations(decl, found["validations"], source_row=_last_row(found) + 5)
    rows = _mineral_rows(decl, layout, minerals, row_order)
    for field, value in {**DEFAULT_HEADER, **(header or {})}.items():
        if field in layout.header:
            decl[layout.header[field]] = value
    by_id = {q.id: q for q in layout.questions}
    for question, given in (answers or {}).items():
        for mineral, value in given.items():
            spec = by_id[question]
            row = spec.mineral_rows.get(mineral) or rows[question][mineral]
            decl[f"D{row}"] = value
    for letter, value in (company or {}).items():
        decl[by_id[letter].cell or ""] = value
    for letter, value in (comments or {}).items():
        decl[f"{layout.comment_column}{(by_id[letter].cell or '')[1:]}"] = value
    for cell, value in (cells or {}).items():
        decl[cell] = value
    content = {"Smelter List": smelters, "Mine List": mines, "Product List": products}
    for name, header_row in _LIST_HEADER_ROWS.items():
        if name in found["lists"]:
            _list(book[name], header_row, found["lists"][name], content[name])
    return _save(book)


def _last_row(found: Mapping[str, Any]) -> int:
    return {"emrt-2": 139, "emrt-1": 85, "cmrt-6": 91, "crt-2": 81}[found["layout"]]


def _mineral_rows(
    decl: Any, layout: Any, minerals: Sequence[str], row_order: Sequence[str] | None
) -> dict[str, dict[str, int]]:
    """Write the mineral labels of every per-mineral question; question -> mineral -> row."""
    rows: dict[str, dict[str, int]] = {}
    marker = layout.label_marker
    if layout.minerals_in_scope:
        for cell, mineral in zip(layout.minerals_in_scope, EMRT_MINERALS, strict=True):
            decl[cell] = mineral if mineral in minerals else f"(Delete {mineral})"
    order = list(row_order or sorted(m for m in EMRT_MINERALS if m in minerals))
    for question in layout.questions:
        if question.mineral_rows:
            for mineral, row in question.mineral_rows.items():
                decl[f"B{row}"] = f"{mineral}{marker}"
            rows[question.id] = dict(question.mineral_rows)
        elif question.rows:
            first, last = question.rows
            for row in range(first, last + 1):
                decl[f"B{row}"] = None
            for offset, mineral in enumerate(order):
                decl[f"B{first + offset}"] = f"{mineral}{marker}"
            rows[question.id] = {m: first + i for i, m in enumerate(order)}
    return rows


def _list(
    sheet: Any, header_row: int, header: Mapping[str, Any], rows: Sequence[Sequence[Any]]
) -> None:
    """A list sheet: its header row as published, then the given rows (columns from A)."""
    for cell in header["labels"].split():
        sheet[cell] = f"[{cell}]"
    for cell, value in header["values"].items():
        sheet[cell] = value
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=header_row + 1 + offset, column=column, value=value)


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_EMRT_DEFAULTS = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q5": "100%", "Q6": "Yes",
                  "Q7": "Yes", "C": "Yes"}  # fmt: skip
_EMRT_COMPANY = {
    "A": "Yes",
    "B": "Yes",
    "D": "Yes",
    "E": "Yes, in conformance with IPC1755 (e.g. EMRT)",
    "F": "Yes",
    "G": "Yes",
}


def emrt_workbook(
    *,
    version: str = "2.1",
    revision: str | None = None,
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
    """An EMRT answered for ``minerals``: every question of each mineral answered (defaults
    'Yes', Q3/Q4 'No', Q5 '100%'), overridden by ``answers`` ('Q1'..'Q7', 'C' -> {mineral:
    value}); company questions A-G answered 'Yes' unless ``company`` says otherwise."""
    per_mineral = ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "C")
    layout = load_reference_tables().rmi.declarations[surface_of("emrt", version)["layout"]]
    known = {q.id: q for q in layout.questions}
    filled: dict[str, dict[str, Any]] = {}
    for question in per_mineral:
        spec = known[question]
        names = list(spec.mineral_rows) if spec.mineral_rows else list(row_order or minerals)
        given = (answers or {}).get(question, {})
        filled[question] = {m: given.get(m, _EMRT_DEFAULTS[question]) for m in names}
        filled[question].update(given)
    values = {**_EMRT_COMPANY, **(company or {})}
    return rmi_workbook(
        "emrt",
        version,
        revision=revision,
        header=header,
        minerals=tuple(m for m in EMRT_MINERALS if m in minerals) or EMRT_MINERALS,
        row_order=row_order or (sorted(minerals) if set(minerals) - set(EMRT_MINERALS) else None),
        answers=filled,
        company={k: v for k, v in values.items() if v is not None},
        comments={"B": policy_url} if policy_url else None,
        smelters=smelters,
        mines=mines,
        products=products,
    )


def cmrt_workbook(
    *,
    version: str = "6.5",
    revision: str | None = None,
    header: Mapping[str, Any] | None = None,
    company: Mapping[str, Any] | None = None,
) -> bytes:
    """A CMRT answered 'No' for the 3TG (question 1) with company questions A-H."""
    values = {
        "A": "Yes",
        "B": "No",
        "C": "Yes",
        "D": "Yes",
        "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
        "F": "Yes",
        "G": "No",
        "H": "No",
    }
    values.update(company or {})
    return rmi_workbook(
        "cmrt",
        version,
        revision=revision,
        header=header,
        answers={"Q1": dict.fromkeys(("Tantalum", "Tin", "Gold", "Tungsten"), "No")},
        company={k: v for k, v in values.items() if v is not None},
    )


def smelter(metal: str, name: str, country: str, facility: str = "", recycled: str = "No",
            lookup: str | None = None) -> list[Any]:  # fmt: skip
    """A Smelter List row (columns A-Q)."""
    row: list[Any] = [None] * 17
    row[1], row[2], row[3], row[4], row[5], row[15] = (
        metal, lookup or name, name, country, facility, recycled,
    )  # fmt: skip
    return row


def mine(metal: str, smelter_name: str, name: str, country: str, mine_id: str = "") -> list[Any]:
    """A Mine List row (columns A-F)."""
    return [metal, smelter_name, name, mine_id, "", country]


def product(
    number: str, name: str = "", requester_number: str = "", requester_name: str = ""
) -> list[Any]:
    """A Product List row (columns A-E; requester columns exist from EMRT 2.1)."""
    return [None, number, name or None, requester_number or None, requester_name or None]
