"""What an RMI template shows: the cells, merges, validation lists and list headers compared
between the test generator (tests/dd/rmi_fixtures.py) and RMI's published workbooks.

Cells whose text depends on the language chosen in the workbook (formulas into the language sheet
``L``, or plain references to such cells) are compared by presence only: Excel stores them in the
language last selected, and the generator writes English. The cells a supplier fills in (the
layout's header and answer cells, the language choice D3) are not part of the template and are
left out. Everything else, including RMI's mineral labels with their '(*)' marker, the revision
text, hidden pre-filled rows and every data-validation spelling, is compared exactly.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

import openpyxl
from openpyxl.utils import range_boundaries

from compliance.dd.rules.references import load_reference_tables

__all__ = ["LABEL", "LAST_ROW", "LIST_HEADER_ROWS", "input_cells", "surface"]

LABEL = "<label>"
"""A language-dependent label: any non-empty text matches."""

LAST_ROW = {"emrt-2": 139, "emrt-1": 85, "cmrt-6": 91, "crt-2": 81}
"""Last row of the Declaration form (the copyright line) per layout."""

LIST_HEADER_ROWS = {"Smelter List": 4, "Mine List": 4, "Product List": 5}
_REFERENCE = re.compile(r"=\$?[A-Z]{1,3}\$?[0-9]{1,7}")


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _is_label(formula: Any) -> bool:
    return isinstance(formula, str) and ("L!$" in formula or bool(_REFERENCE.fullmatch(formula)))


def input_cells(layout: str) -> set[str]:
    """Cells a supplier fills in (header, answers, language choice) for a Declaration layout."""
    found = {"B3", "D3", "A5"}  # language prompt and choice; A5 = LEFT(D9, 1)
    declaration = load_reference_tables().rmi.declarations[layout]
    found |= set(declaration.header.values())
    for question in declaration.questions:
        if question.cell:
            found.add(question.cell)
        found |= {f"D{row}" for row in question.mineral_rows.values()}
        if question.rows:
            found |= {f"D{row}" for row in range(question.rows[0], question.rows[1] + 1)}
    return found


def _options(sheet: Any, formula: str | None) -> tuple[Any, ...] | None:
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", formula or "")
    if not match:
        return None
    c1, r1, c2, r2 = range_boundaries(f"{match[1]}{match[2]}:{match[3]}{match[4]}")
    if c1 is None or r1 is None or c2 is None or r2 is None:
        return None
    return tuple(
        _norm(sheet.cell(row=r, column=c).value)
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
    )


def surface(data: bytes, layout: str) -> dict[str, Any]:
    """The comparable surface of a workbook with the given Declaration layout."""
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    formulas = openpyxl.load_workbook(io.BytesIO(data))
    last_row, skip = LAST_ROW[layout], input_cells(layout)
    shown, source = values["Declaration"], formulas["Declaration"]
    cells: dict[str, Any] = {}
    for row in source.iter_rows(min_row=1, max_row=last_row, max_col=10):
        for cell in row:
            value = shown[cell.coordinate].value
            if cell.coordinate in skip or (cell.value is None and value is None):
                continue
            cells[cell.coordinate] = LABEL if _is_label(cell.value) else _norm(value)
    validations = []
    for rule in source.data_validations.dataValidation:
        options = _options(shown, rule.formula1) if rule.type == "list" else rule.formula1
        validations.append((rule.type, str(rule.sqref), options))
    lists: dict[str, dict[str, Any]] = {}
    for name, header_row in LIST_HEADER_ROWS.items():
        if name not in values.sheetnames:
            continue
        row_cells: dict[str, Any] = {}
        for cell in formulas[name][header_row][:17]:
            value = values[name][cell.coordinate].value
            if cell.value is not None or value is not None:
                row_cells[cell.coordinate] = LABEL if _is_label(cell.value) else _norm(value)
        lists[name] = row_cells
    return {
        "sheets": tuple(values.sheetnames),
        "cells": cells,
        "merged": tuple(
            sorted(str(r) for r in source.merged_cells.ranges if r.min_row <= last_row)
        ),
        "validations": tuple(sorted(validations, key=str)),
        "lists": lists,
    }
