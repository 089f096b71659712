"""Read an export (CSV or XLSX) into plain sheets of cell values, each cell addressable as ``B7``.

Both readers give the same shape, so a layout reader never cares whether the user saved the
export as a workbook or as CSV. XLSX goes through the bomb-checked opener of the RMI intake
(sizes, cell count, no DTDs), with larger limits: an LCA database export is big (ecoinvent's
cumulative LCIA workbook has some 20,000 rows). CSV is UTF-8 (a BOM is accepted); the
delimiter is detected among comma, semicolon and tab (openLCA writes semicolons in
German/French locales).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from compliance.errors import Issue, Layer, Severity
from compliance.intake.rmi.workbook import open_workbook

__all__ = ["MAX_CELLS", "MAX_UNCOMPRESSED", "Sheet", "cell_ref", "read_tables"]

MAX_UNCOMPRESSED = 512 * 1024 * 1024
"""Refuse workbooks inflating beyond this many bytes."""
MAX_CELLS = 20_000_000
"""Refuse workbooks holding more cells (an ecoinvent 3.10 cumulative LCIA sheet: about 15 M)."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet (or the CSV file) as rows of values; row 1 is ``rows[0]``."""

    name: str
    rows: tuple[tuple[Any, ...], ...]

    def value(self, row: int, column: int) -> Any:
        """The value at 1-based ``row``/``column`` (``None`` outside the data)."""
        if row < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[column - 1] if 1 <= column <= len(cells) else None

    def text(self, row: int, column: int) -> str:
        """The value as stripped text (``""`` for empty cells)."""
        value = self.value(row, column)
        return "" if value is None else str(value).strip()


def cell_ref(row: int, column: int) -> str:
    """``B7`` from 1-based row and column.

    >>> cell_ref(7, 2)
    'B7'
    """
    return f"{get_column_letter(column)}{row}"


def _issue(code: str, message: str) -> Issue:
    return Issue(code, "", message, Severity.ERROR, Layer.IO)


def _csv(data: bytes, name: str) -> list[Sheet] | Issue:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _issue(
            "factors.encoding",
            f"the CSV file is not UTF-8 (byte {exc.start}); save it as 'CSV UTF-8'",
        )
    sample = text[:65536]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [
            tuple(c if c.strip() else None for c in r)
            for r in csv.reader(io.StringIO(text), dialect)
        ]
    except csv.Error as exc:
        return _issue("factors.corrupted", f"the CSV file cannot be read ({exc})")
    return [Sheet(name, tuple(rows))]


def _xlsx(data: bytes) -> list[Sheet] | Issue:
    book = open_workbook(data, MAX_UNCOMPRESSED, MAX_CELLS)
    if isinstance(book, Issue):
        code = book.code.replace("rmi.", "factors.", 1)
        return Issue(code, book.pointer, book.message, book.severity, book.layer)
    try:
        return [
            Sheet(ws.title, tuple(tuple(r) for r in ws.iter_rows(values_only=True)))
            for ws in book.worksheets
        ]
    finally:
        book.close()


def read_tables(data: bytes, name: str) -> list[Sheet] | Issue:
    """The sheets of an XLSX workbook or the one table of a CSV file (by content, not name)."""
    if not data:
        return _issue("factors.empty", "the file is empty")
    if data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        return _xlsx(data)
    return _csv(data, name)
