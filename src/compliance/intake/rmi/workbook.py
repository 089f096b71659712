"""Open an RMI workbook safely and detect its template and version.

The bytes are checked before openpyxl sees them: an OLE compound file is either a
password-protected (encrypted) workbook or a legacy ``.xls``. The declared sizes are checked, then
every ZIP entry is inflated once, one at a time, counting the bytes produced and the worksheet
cells (``<c>`` elements): a workbook inflating beyond :data:`MAX_UNCOMPRESSED` or holding more
than :data:`MAX_CELLS` cells is refused before openpyxl builds a cell object (issue 14.12: a
564 KB workbook inflating to 159 MB took 64 s and 3.5 GB). An XML part with a document type
declaration (``<!DOCTYPE``/``<!ENTITY``: external or expanding entities) is refused too; Office
never writes one (issue 14.14). Detection reads the template name and revision from the top of
the Declaration sheet, else the highest version listed on the Revision sheet. Versions with
letters (alpha, beta, '2.1a') are pre-releases, which RMI says must not be used in commerce, and
are refused.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from compliance.errors import Issue, Layer, Severity

__all__ = [
    "MAX_CELLS",
    "MAX_UNCOMPRESSED",
    "TemplateInfo",
    "cell_issue",
    "detect_template",
    "open_workbook",
]

MAX_UNCOMPRESSED = 64 * 1024 * 1024
"""Refuse workbooks that inflate beyond this (bytes). The published templates inflate to
8.9-11.4 MB (EMRT 2.1: 11,432,249 B), mostly the smelter look-up and language sheets."""

MAX_CELLS = 600_000
"""Refuse workbooks whose worksheets hold more cells. The published templates hold 99,021
(CMRT 6.22) to 182,662 (EMRT 2.1) cells; a full Smelter List adds about 45,000."""

_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00O\x00C|E\x00N\x00T)")

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_KINDS = (
    ("emrt", re.compile(r"extended\s+minerals\s+reporting\s+template|\bEMRT\b", re.I)),
    ("cmrt", re.compile(r"conflict\s+minerals\s+reporting\s+template|\bCMRT\b", re.I)),
    ("crt", re.compile(r"cobalt\s+reporting\s+template|\bCRT\b", re.I)),
    ("amrt", re.compile(r"additional\s+minerals\s+reporting\s+template|\bAMRT\b", re.I)),
)
# "\s*(?::\s*)?" rather than "\s*:?\s*": two adjacent blank runs split a long blank run in
# quadratically many ways before failing (issue 14, regex audit).
_VERSION = re.compile(
    r"(?:revision|version|rev\.?)\s*(?::\s*)?(\d+\.\d+)"
    r"([a-z]\w*|\s*(?:[-(]\s*)?(?:alpha|beta|rc\d*|draft|pre-?release)\b\)?)?",
    re.I,
)


def cell_issue(
    code: str,
    sheet: str,
    cell: str,
    message: str,
    severity: Severity = Severity.ERROR,
    **context: Any,
) -> Issue:
    """An issue located at a worksheet cell (pointer ``/<sheet>/<cell>``)."""
    return Issue(
        code,
        f"/{sheet}/{cell}",
        message,
        severity,
        Layer.PARSE,
        context={"sheet": sheet, "cell": cell, **context},
    )


def _io_issue(code: str, message: str) -> Issue:
    return Issue(code, "", message, Severity.ERROR, Layer.IO)


def _entry_issue(code: str, entry: str, message: str) -> Issue:
    return Issue(code, f"/{entry}", message, Severity.ERROR, Layer.IO, context={"entry": entry})


def _inspect(archive: zipfile.ZipFile, max_uncompressed: int, max_cells: int) -> Issue | None:
    """Inflate every entry once, bounded: size, cell count and document type declarations."""
    entries = archive.infolist()
    declared = sum(info.file_size for info in entries)
    if declared > max_uncompressed:
        largest = max(entries, key=lambda info: info.file_size)
        return _entry_issue(
            "rmi.too-large",
            largest.filename,
            f"the workbook declares {declared} bytes once inflated (limit {max_uncompressed}); "
            f"entry {largest.filename} alone {largest.file_size} bytes",
        )
    inflated = cells = 0
    for info in entries:
        name = info.filename
        # zipfile stops inflating an entry at its declared size (and then fails its CRC), so
        # one entry in memory is bounded by the declared total checked above.
        content = archive.read(name)
        inflated += len(content)
        if inflated > max_uncompressed:
            return _entry_issue(
                "rmi.too-large",
                name,
                f"the workbook inflates beyond {max_uncompressed} bytes (at entry {name})",
            )
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        if _DTD.search(content):
            return _entry_issue(
                "rmi.unsafe-xml",
                name,
                f"entry {name} declares a document type or entities (<!DOCTYPE/<!ENTITY>), "
                "which Excel never writes; the workbook is refused unread",
            )
        if name.startswith("xl/worksheets/"):
            cells += len(_CELL.findall(content))
            if cells > max_cells:
                return _entry_issue(
                    "rmi.too-large",
                    name,
                    f"the workbook holds more than {max_cells} cells (at entry {name})",
                )
    return None


def open_workbook(
    data: bytes, max_uncompressed: int = MAX_UNCOMPRESSED, max_cells: int = MAX_CELLS
) -> Workbook | Issue:
    """The workbook (values, not formulas), or the issue explaining why it cannot be read."""
    if data.startswith(_CFB_MAGIC):
        if _ENCRYPTION_INFO in data:
            return _io_issue(
                "rmi.encrypted",
                "the workbook is password-protected (encrypted); save an unprotected copy",
            )
        return _io_issue(
            "rmi.legacy-format",
            "this is a legacy .xls (OLE) file; save it as .xlsx (Excel Workbook)",
        )
    if not data.startswith(b"PK"):
        return _io_issue("rmi.not-a-workbook", "this is not an .xlsx workbook")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = _inspect(archive, max_uncompressed, max_cells)
            if problem is not None:
                return problem
        return load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as exc:
        return _io_issue("rmi.corrupted", f"the workbook is damaged ({exc})")
    except (ParseError, SyntaxError, UnicodeError) as exc:
        return _io_issue("rmi.corrupted", f"the workbook's XML is malformed ({exc})")
    except (
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        OSError,
        NotImplementedError,
    ) as exc:
        return _io_issue(
            "rmi.corrupted", f"the workbook cannot be read ({type(exc).__name__}: {exc})"
        )


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """Template family and version of a workbook."""

    kind: str
    version: str
    where: str
    """Sheet and cell the version was read from."""


def _texts(sheet: Worksheet, rows: int, columns: int) -> list[tuple[str, str]]:
    found = []
    for row in sheet.iter_rows(min_row=1, max_row=rows, max_col=columns):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip():
                found.append((cell.coordinate, cell.value))
    return found


def detect_template(book: Workbook) -> TemplateInfo | Issue:
    """Template family and version, or an issue (not an RMI template, pre-release)."""
    if "Declaration" not in book.sheetnames:
        return _io_issue(
            "rmi.unknown-template",
            "no 'Declaration' sheet: this is not an RMI EMRT, CMRT or CRT workbook",
        )
    texts = _texts(book["Declaration"], 6, 10)
    kind = next((k for k, pattern in _KINDS if any(pattern.search(t) for _, t in texts)), None)
    if kind is None:
        kind = "emrt" if "Mine List" in book.sheetnames else None
    if kind is None:
        return cell_issue(
            "rmi.unknown-template",
            "Declaration",
            "D2",
            "the Declaration sheet does not name an RMI reporting template (EMRT, CMRT or CRT)",
        )
    candidates = [("Declaration", c, t) for c, t in texts]
    if "Revision" in book.sheetnames and not any(_VERSION.search(t) for _, _, t in candidates):
        candidates = [("Revision", c, t) for c, t in _texts(book["Revision"], 60, 6)]
        candidates += [
            ("Revision", c, f"revision {t}")
            for _, c, t in list(candidates)
            if re.fullmatch(r"\s*\d+\.\d+\w*\s*", t)
        ]
    versions: list[tuple[tuple[int, ...], str, str, str, str]] = []
    for sheet, cell, text in candidates:
        for match in _VERSION.finditer(text):
            number, suffix = match[1], (match[2] or "").strip()
            key = tuple(int(p) for p in number.split("."))
            versions.append((key, number, suffix, sheet, cell))
    if not versions:
        return _io_issue("rmi.unknown-version", f"cannot find the {kind.upper()} revision number")
    _, number, suffix, sheet, cell = max(versions)
    if suffix:
        return cell_issue(
            "rmi.prerelease-version",
            sheet,
            cell,
            f"{kind.upper()} {number}{suffix} is a pre-release; RMI says such versions must not "
            "be used in commerce (ask for the released template)",
        )
    return TemplateInfo(kind, number, f"{sheet}!{cell}")
