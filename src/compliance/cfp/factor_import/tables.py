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
import itertools
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

from openpyxl.utils import get_column_letter

from compliance.errors import Issue, Layer, Severity
from compliance.intake.rmi.workbook import open_workbook

__all__ = ["MAX_CELLS", "MAX_UNCOMPRESSED", "Sheet", "cell_ref", "read_tables"]

MAX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024
"""Refuse workbooks inflating beyond this many bytes (a cumulative LCIA workbook of some 20,000
activities x 700 indicators inflates to several hundred MB; it is read row by row)."""
MAX_CELLS = 40_000_000
"""Refuse workbooks holding more cells (20,000 x 700 is 14 million)."""


class Sheet:
    """One sheet (or the CSV file): rows of values, streamed or (for small sheets) held.

    A cumulative LCIA workbook has some 15 million cells: :meth:`head` and :meth:`stream` read
    it row by row without holding it; :attr:`rows` holds a whole (small) sheet.
    """

    def __init__(self, name: str, open_rows: Callable[[], Iterator[tuple[Any, ...]]]) -> None:
        self.name = name
        self._open_rows = open_rows

    def stream(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """``(row number, values)`` from row 1, read as they come."""
        return enumerate(self._open_rows(), start=1)

    def head(self, count: int) -> list[tuple[Any, ...]]:
        """The first ``count`` rows."""
        return list(itertools.islice(self._open_rows(), count))

    @cached_property
    def rows(self) -> tuple[tuple[Any, ...], ...]:
        """Every row (for small sheets); row 1 is ``rows[0]``."""
        return tuple(self._open_rows())

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

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in csv.reader(io.StringIO(text), dialect):
            yield tuple(c if c.strip() else None for c in r)

    try:
        for _ in rows():  # one pass: a malformed file fails here, not half-way through a layout
            pass
    except csv.Error as exc:
        return _issue("factors.corrupted", f"the CSV file cannot be read ({exc})")
    return [Sheet(name, rows)]


def _xlsx(data: bytes) -> list[Sheet] | Issue:
    book = open_workbook(data, MAX_UNCOMPRESSED, MAX_CELLS)
    if isinstance(book, Issue):
        code = book.code.replace("rmi.", "factors.", 1)
        return Issue(code, book.pointer, book.message, book.severity, book.layer)

    def opener(sheet: Any) -> Callable[[], Iterator[tuple[Any, ...]]]:
        return lambda: sheet.iter_rows(values_only=True)

    return [Sheet(ws.title, opener(ws)) for ws in book.worksheets]


def read_tables(data: bytes, name: str) -> list[Sheet] | Issue:
    """The sheets of an XLSX workbook or the one table of a CSV file (by content, not name)."""
    if not data:
        return _issue("factors.empty", "the file is empty")
    if data.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        return _xlsx(data)
    return _csv(data, name)
