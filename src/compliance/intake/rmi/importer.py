"""RMI EMRT / CMRT / CRT workbook -> DD questionnaire (pre-filled; the rest is asked natively).

Cells are read by position from the layout of the detected template version
(``rules/dd/tables/rmi-templates.yaml``), never by label; the mineral of each EMRT 2.x question row
is read from the row. Answers are read in :mod:`compliance.intake.rmi.reader` (spellings,
RMI's gating), mapped in :mod:`compliance.intake.rmi.mapping`; the header and lists are in
:mod:`compliance.intake.rmi.sections`. Problems are issues located at ``/<sheet>/<cell>``; a
workbook with errors gives no questionnaire. An older template (EMRT 1.x, CRT) imports what it
has: the materials it cannot declare stay blank and the result is marked incomplete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from compliance.errors import Issue, Layer, Severity
from compliance.intake.rmi.mapping import map_answers
from compliance.intake.rmi.reader import WorkbookReader, read_answers
from compliance.intake.rmi.sections import (
    read_header,
    read_mines,
    read_processors,
    read_products,
    read_scope,
)
from compliance.intake.rmi.workbook import TemplateInfo, cell_issue, detect_template, open_workbook
from compliance.models.dd_tables import RmiCellMap, RmiTemplateTable
from compliance.models.questionnaire import QUESTIONNAIRE_SCHEMA_VERSION, DdQuestionnaire

__all__ = ["ImportResult", "read_rmi_workbook"]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The questionnaire built from a workbook (``None`` on errors) and every issue."""

    document: dict[str, Any] | None
    issues: tuple[Issue, ...]
    template: str | None
    complete: bool = True
    """False when the template version cannot declare every material (older templates)."""

    @property
    def ok(self) -> bool:
        """True when no issue is an error."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


def read_rmi_workbook(
    data: bytes,
    *,
    name: str | None = None,
    as_of: date | None = None,
    templates: RmiTemplateTable,
) -> ImportResult:
    """Build a questionnaire from an RMI EMRT, CMRT or CRT workbook; never raises on bad input.

    Args:
        data: The workbook bytes (.xlsx).
        name: File name, recorded in ``header.template.file``.
        as_of: If given, an effective date after it is an error.
        templates: The RMI template layouts (``ReferenceTables.rmi`` of the DD reference
            tables; ``compliance.dd.import_rmi_workbook`` passes the bundled ones).
    """
    book = open_workbook(data)
    if isinstance(book, Issue):
        return ImportResult(None, (book,), None)
    info = detect_template(book)
    if isinstance(info, Issue):
        return ImportResult(None, (info,), None)
    label = f"{info.kind.upper()} {info.version}"
    template, verified = _template(templates, info)
    if template is None:
        supported = "; ".join(
            f"{t.template.upper()} {', '.join(t.versions)}" for t in templates.templates
        )
        sheet, cell = info.where.split("!")
        issue = cell_issue(
            "rmi.unsupported-version",
            sheet,
            cell,
            f"{label} is not supported (supported: {supported}; later revisions of these)",
        )
        return ImportResult(None, (issue,), label)
    reader = WorkbookReader(book, templates, template)
    sheet, cell = info.where.split("!")
    if not verified:
        newest = max(template.versions, key=Decimal)
        reader.warn(
            "rmi.unverified-version",
            sheet,
            cell,
            f"{label} is newer than the layouts checked against RMI's files; read with the "
            f"{info.kind.upper()} {newest} layout (check the imported answers)",
        )
    if template.status == "older":
        reader.info(
            "rmi.older-template",
            sheet,
            cell,
            f"{label} is an older template: it cannot declare "
            f"{', '.join(template.not_covered)}; those materials are left blank and the "
            "import is incomplete (ask for the current template)",
        )
    header = read_header(reader, info, name)
    products = read_products(reader)
    mapped = map_answers(reader, info, read_answers(reader))
    processors = read_processors(reader)
    mines = read_mines(reader, processors)
    if header is not None and as_of is not None and header["effectiveDate"] > as_of.isoformat():
        reader.error(
            "rmi.date",
            "Declaration",
            reader.layout.header["effective_date"],
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
    complete = template.status == "current"
    if header is None or any(i.severity is Severity.ERROR for i in reader.issues):
        return ImportResult(None, tuple(reader.issues), label, complete)
    document: dict[str, Any] = {"schemaVersion": QUESTIONNAIRE_SCHEMA_VERSION, "header": header}
    if scope := read_scope(reader, products):
        document["scope"] = scope
    for key, value in (
        ("materials", mapped.materials),
        ("answers", mapped.answers),
        ("processors", processors),
        ("mines", mines),
        ("evidence", mapped.evidence),
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
        return ImportResult(None, (*reader.issues, problem), label, complete)
    return ImportResult(document, tuple(reader.issues), label, complete)


def _template(templates: RmiTemplateTable, info: TemplateInfo) -> tuple[RmiCellMap | None, bool]:
    """The layout entry of a detected version, and whether it was read from that version.

    A later minor revision of a known major version (e.g. EMRT 2.11 after 2.1) is read with the
    newest layout of that major version: RMI keeps the Declaration layout within a major version
    (checked for EMRT 1.1-1.3, 2.0-2.1, CMRT 6.01-6.5). Versions compare as decimals, as RMI
    numbers them (6.01 < 6.1 < 6.22 < 6.31 < 6.4 < 6.5).
    """
    family = [t for t in templates.templates if t.template == info.kind]
    exact = next((t for t in family if info.version in t.versions), None)
    if exact is not None:
        return exact, True
    major = info.version.split(".")[0]
    known = [(Decimal(v), t) for t in family for v in t.versions if v.split(".")[0] == major]
    if known and Decimal(info.version) > max(v for v, _ in known):
        return max(known, key=lambda pair: pair[0])[1], False
    return None, False
