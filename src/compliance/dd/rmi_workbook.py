"""Open an RMI workbook safely and detect its template and version.

The bytes are checked before openpyxl sees them: an OLE compound file is either a
password-protected (encrypted) workbook or a legacy ``.xls``; a ZIP whose declared uncompressed
size exceeds the limit is refused (zip bombs). Detection reads the template name and revision
from the top of the Declaration sheet, else the highest version listed on the Revision sheet.
Versions with letters (alpha, beta, '2.1a') are pre-releases, which RMI says must not be used in
commerce, and are refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from compliance.errors import Issue, Layer, Severity

__all__ = [
    "MAX_UNCOMPRESSED",
    "TemplateInfo",
    "cell_issue",
    "detect_template",
    "open_workbook",
]

MAX_UNCOMPRESSED = 200 * 1024 * 1024
"""Refuse workbooks that would inflate beyond this (bytes)."""

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


def open_workbook(data: bytes, max_uncompressed: int = MAX_UNCOMPRESSED) -> Workbook | Issue:
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
            size = sum(info.file_size for info in archive.infolist())
            if size > max_uncompressed:
                return _io_issue(
                    "rmi.too-large",
                    f"the workbook inflates to {size} bytes (limit {max_uncompressed})",
                )
            bad = archive.testzip()
            if bad is not None:
                return _io_issue("rmi.corrupted", f"the workbook is damaged (entry {bad})")
        return load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        return _io_issue("rmi.corrupted", f"the workbook is damaged ({exc})")
    except (KeyError, ValueError, TypeError, IndexError, AttributeError, OSError) as exc:
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
            "no 'Declaration' sheet: this is not an RMI EMRT or CMRT workbook",
        )
    texts = _texts(book["Declaration"], 6, 10)
    kind = next((k for k, pattern in _KINDS if any(pattern.search(t) for _, t in texts)), None)
    if kind is None:
        kind = "emrt" if "Mine List" in book.sheetnames else None
    if kind is None:
        return _io_issue(
            "rmi.unknown-template",
            "the Declaration sheet does not name an RMI reporting template (EMRT or CMRT)",
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
