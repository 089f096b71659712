"""RMI EMRT 2.x / CMRT 6.x workbook -> DD questionnaire (pre-filled; the rest is asked natively).

Cells are read by position from the cell map of the detected template version
(``rules/dd/tables/rmi-templates.yaml``), never by label; the mineral of each question row is read
from the row. The question mapping is in :mod:`compliance.dd.rmi_mapping`, the header and lists in
:mod:`compliance.dd.rmi_sections`. Problems are issues located at ``/<sheet>/<cell>``; a workbook
with errors gives no questionnaire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from compliance.dd.references import ReferenceTables, load_reference_tables
from compliance.dd.rmi_mapping import map_answers
from compliance.dd.rmi_reader import WorkbookReader
from compliance.dd.rmi_sections import (
    read_header,
    read_mines,
    read_processors,
    read_products,
    read_scope,
)
from compliance.dd.rmi_workbook import detect_template, open_workbook
from compliance.errors import Issue, Layer, Severity
from compliance.models.questionnaire import QUESTIONNAIRE_SCHEMA_VERSION, DdQuestionnaire

__all__ = ["ImportResult", "import_rmi_workbook"]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The questionnaire built from a workbook (``None`` on errors) and every issue."""

    document: dict[str, Any] | None
    issues: tuple[Issue, ...]
    template: str | None

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


def import_rmi_workbook(
    data: bytes,
    *,
    name: str | None = None,
    as_of: date | None = None,
    tables: ReferenceTables | None = None,
) -> ImportResult:
    """Build a questionnaire from an RMI EMRT 2.x or CMRT 6.x workbook; never raises on bad input.

    Args:
        data: The workbook bytes (.xlsx).
        name: File name, recorded in ``header.template.file``.
        as_of: If given, an effective date after it is an error.
        tables: Reference tables holding the cell maps (default: bundled).
    """
    tables = tables or load_reference_tables()
    book = open_workbook(data)
    if isinstance(book, Issue):
        return ImportResult(None, (book,), None)
    info = detect_template(book)
    if isinstance(info, Issue):
        return ImportResult(None, (info,), None)
    label = f"{info.kind.upper()} {info.version}"
    cells = next(
        (t for t in tables.rmi.templates if t.template == info.kind and info.version in t.versions),
        None,
    )
    if cells is None:
        supported = "; ".join(
            f"{t.template.upper()} {', '.join(t.versions)}" for t in tables.rmi.templates
        )
        issue = Issue(
            "rmi.unsupported-version",
            "",
            f"{label} is not supported (supported: {supported})",
            Severity.ERROR,
            Layer.IO,
            context={"found": info.where},
        )
        return ImportResult(None, (issue,), label)
    reader = WorkbookReader(book, tables, cells)
    header = read_header(reader, info, name)
    products = read_products(reader)
    materials, answers, evidence = map_answers(reader, info)
    processors = read_processors(reader)
    mines = read_mines(reader, processors)
    if header is not None and as_of is not None and header["effectiveDate"] > as_of.isoformat():
        reader.error(
            "rmi.date",
            "Declaration",
            cells.header["effective_date"],
            f"the effective date {header['effectiveDate']} is after {as_of}",
        )
    reader.issues.append(
        Issue(
            "rmi.not-mapped",
            "",
            "roles are not in the template: set to 'trader'"
            " (no role-based exemptions); correct header.roles if needed",
            Severity.INFO,
            Layer.PARSE,
        )
    )
    if header is None or any(i.severity is Severity.ERROR for i in reader.issues):
        return ImportResult(None, tuple(reader.issues), label)
    document: dict[str, Any] = {"schemaVersion": QUESTIONNAIRE_SCHEMA_VERSION, "header": header}
    if scope := read_scope(reader, products):
        document["scope"] = scope
    for key, value in (
        ("materials", materials),
        ("answers", answers),
        ("processors", processors),
        ("mines", mines),
        ("evidence", evidence),
    ):
        if value:
            document[key] = value
    try:
        DdQuestionnaire.model_validate(document)
    except ValidationError as exc:
        problem = Issue(
            "rmi.invalid-output",
            "",
            f"the imported data is not a valid questionnaire: "
            f"{exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}",
            Severity.ERROR,
            Layer.PARSE,
        )
        return ImportResult(None, (*reader.issues, problem), label)
    return ImportResult(document, tuple(reader.issues), label)
