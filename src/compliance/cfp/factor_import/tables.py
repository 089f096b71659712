"""Read an export (CSV or XLSX) into plain sheets of cell values, each cell addressable as ``B7``.

Both readers give the same shape, so a layout reader never cares whether the user saved the
export as a workbook or as CSV. XLSX is checked before openpyxl sees it, as the RMI intake's
opener does (encrypted or legacy files, inflated size, cell count, no DTDs), but streamed and
with larger limits: an LCA database export is big (ecoinvent's cumulative LCIA workbook has some
20,000 rows of 700 indicators). CSV is UTF-8 (a BOM is accepted); the
delimiter is detected among comma, semicolon and tab (openLCA writes semicolons in
German/French locales).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from compliance.errors import Issue, Layer, Severity

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


_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?c[\s>/]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00O\x00C|E\x00N\x00T)")
_CHUNK = 1 << 20
_OVERLAP = 40


def _inspect(archive: zipfile.ZipFile) -> Issue | None:
    """Inflate every entry once, in chunks: total size, cell count, no DTD (bomb checks).

    The same checks as the RMI intake's opener, streamed: an LCA database export inflates to
    hundreds of MB, which the opener's whole-entry reads would hold in memory.
    """
    entries = archive.infolist()
    declared = sum(info.file_size for info in entries)
    if declared > MAX_UNCOMPRESSED:
        return _issue(
            "factors.too-large",
            f"the workbook declares {declared} bytes once inflated (limit {MAX_UNCOMPRESSED})",
        )
    inflated = cells = 0
    member = archive.open  # a member of the in-memory archive (the bytes given), not a file
    for info in entries:
        name = info.filename
        scan = name.endswith((".xml", ".rels", ".vml"))
        tail = b""
        with member(info) as stream:
            while chunk := stream.read(_CHUNK):
                inflated += len(chunk)
                if inflated > MAX_UNCOMPRESSED:
                    return _issue(
                        "factors.too-large",
                        f"the workbook inflates beyond {MAX_UNCOMPRESSED} bytes (at {name})",
                    )
                if not scan:
                    continue
                window = tail + chunk
                if _DTD.search(window):
                    return _issue(
                        "factors.unsafe-xml",
                        f"entry {name} declares a document type or entities, which Excel never "
                        "writes; the workbook is refused unread",
                    )
                if name.startswith("xl/worksheets/"):
                    # matches wholly inside the carried-over tail were counted with the last chunk
                    cells += len(_CELL.findall(window)) - len(_CELL.findall(tail))
                    if cells > MAX_CELLS:
                        return _issue(
                            "factors.too-large",
                            f"the workbook holds more than {MAX_CELLS} cells (at {name})",
                        )
                tail = window[-_OVERLAP:]
    return None


def _xlsx(data: bytes) -> list[Sheet] | Issue:
    if data.startswith(_CFB_MAGIC):
        if _ENCRYPTION_INFO in data:
            return _issue(
                "factors.encrypted",
                "the workbook is password-protected (encrypted); save an unprotected copy",
            )
        return _issue("factors.legacy-format", "this is a legacy .xls (OLE) file; save it as .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = _inspect(archive)
            if problem is not None:
                return problem
        book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
        return _issue("factors.corrupted", f"the workbook is damaged ({exc})")
    except (KeyError, ValueError, TypeError, IndexError, SyntaxError, UnicodeError) as exc:
        return _issue("factors.corrupted", f"the workbook cannot be read ({exc})")

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
