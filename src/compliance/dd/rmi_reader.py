"""Reading an RMI Declaration sheet by cell position, with located issues.

Cells come from the template's cell map (``rules/dd/tables/rmi-templates.yaml``); every problem is
an issue at ``/<sheet>/<cell>``. Mineral rows are identified by the name in the row itself.
"""

from __future__ import annotations

from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from compliance.dd.references import ReferenceTables
from compliance.dd.rmi_values import clean, read_choice
from compliance.dd.rmi_workbook import cell_issue
from compliance.errors import Issue, Severity
from compliance.models._iso3166 import COUNTRIES
from compliance.models.dd_tables import RmiCellMap

__all__ = ["WorkbookReader", "mineral_rows"]

_ISO_NAMES = {name.lower(): code for code, name in COUNTRIES.items()}


class WorkbookReader:
    """Reads the Declaration sheet by cell; collects located issues."""

    def __init__(self, book: Workbook, tables: ReferenceTables, cells: RmiCellMap) -> None:
        self.book = book
        self.tables = tables
        self.cells = cells
        self.issues: list[Issue] = []
        self.declaration: Worksheet = book["Declaration"]

    def warn(self, code: str, sheet: str, cell: str, message: str) -> None:
        """Record a warning at a cell."""
        self.issues.append(cell_issue(code, sheet, cell, message, Severity.WARNING))

    def error(self, code: str, sheet: str, cell: str, message: str) -> None:
        """Record an error at a cell."""
        self.issues.append(cell_issue(code, sheet, cell, message))

    def text(self, cell: str) -> str | None:
        """Declaration cell text with spaces collapsed (``None`` if empty)."""
        value = self.declaration[cell].value
        if value is None:
            return None
        text = " ".join(str(value).split())
        return text or None

    def header_text(self, field: str, *, required: bool) -> str | None:
        """A company-information field by name (error if required and empty)."""
        cell = self.cells.header.get(field)
        value = self.text(cell) if cell else None
        if value is None and required and cell:
            self.error(
                "rmi.required-cell", "Declaration", cell, f"{field.replace('_', ' ')} is required"
            )
        return value

    def choice(self, cell: str, options: tuple[str, ...], label: str) -> str | None:
        """A data-validation answer, normalised (error if not one of ``options``)."""
        raw = self.declaration[cell].value
        if clean(raw) is None:
            return None
        value = read_choice(raw, options)
        if value is None:
            self.error(
                "rmi.unknown-value",
                "Declaration",
                cell,
                f"{label}: {raw!r} is not one of the template's answers ({', '.join(options)})",
            )
        return value

    def mineral(self, row: int) -> str | None:
        """The material named in a question row (column B or C), read by name."""
        for column in ("B", "C"):
            name = clean(self.declaration[f"{column}{row}"].value)
            if name is None:
                continue
            found = self.tables.rmi.mineral_names.get(name.strip(" *:"))
            if found is None:
                self.warn(
                    "rmi.unknown-mineral",
                    "Declaration",
                    f"{column}{row}",
                    f"unknown mineral {name!r}",
                )
                return None
            return None if found == "ignored" else found
        return None

    def country(self, sheet: str, cell: str, value: Any) -> str | None:
        """ISO code of a country cell (ISO names, codes, RMI spellings); warning if unknown."""
        text = clean(value)
        if text is None or text in ("unknown", "n/a", "recycled", "scrap"):
            return None
        if len(text) == 2 and text.upper() in COUNTRIES:
            return text.upper()
        code = self.tables.rmi.country_names.get(text) or _ISO_NAMES.get(text)
        if code is None:
            self.warn("rmi.unknown-country", sheet, cell, f"unknown country {value!r}; left out")
        return code


def mineral_rows(reader: WorkbookReader, first: int, last: int) -> dict[str, tuple[int, Any]]:
    """Answers of one per-mineral question block: material -> (row, raw value)."""
    found: dict[str, tuple[int, Any]] = {}
    for row in range(first, last + 1):
        material = reader.mineral(row)
        if material is not None:
            found[material] = (row, reader.declaration[f"D{row}"].value)
    return found
