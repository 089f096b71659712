"""Reading an RMI Declaration sheet by cell position, with located issues.

Positions, answer spellings and RMI's gating come from the template's layout in
``rules/dd/tables/rmi-templates.yaml``; every problem is an issue at ``/<sheet>/<cell>``.

- Per-mineral rows of EMRT 2.x are identified by the English mineral name in column B, written by
  the template as ``<Name>(*)`` (the marker is removed); earlier templates have fixed rows.
- Every spelling a data-validation list offers maps to a defined value; any other text is a
  located warning and the answer is left out (asked natively), never read as 'no' or 0.
- RMI's gating: when an earlier answer makes a question not applicable (the template greys the
  row out), a value typed there is reported as information at its cell and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from compliance.errors import Issue, Severity
from compliance.intake.rmi.values import clean
from compliance.intake.rmi.workbook import cell_issue
from compliance.models._iso3166 import COUNTRIES
from compliance.models.dd_tables import (
    RmiCellMap,
    RmiDeclarationLayout,
    RmiQuestion,
    RmiTemplateTable,
)

__all__ = ["Answer", "WorkbookReader", "read_answers"]

_ISO_NAMES = {name.lower(): code for code, name in COUNTRIES.items()}
DECLARATION = "Declaration"
_DECLARATION_ROWS = 200
_DECLARATION_COLUMNS = 30
"""The Declaration form ends by row 139 (EMRT 2.x) and column J; helper columns reach AD."""


def _snapshot(sheet: Any, rows: int, columns: int) -> dict[str, Any]:
    """Non-empty values of the top-left block of a sheet, by coordinate (one streaming pass)."""
    found: dict[str, Any] = {}
    for number, values in enumerate(
        sheet.iter_rows(min_row=1, max_row=rows, max_col=columns, values_only=True), start=1
    ):
        for index, value in enumerate(values, start=1):
            if value is not None:
                found[f"{get_column_letter(index)}{number}"] = value
    return found


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer cell of the Declaration sheet."""

    question: str
    mineral: str | None
    """Lower-case template mineral ('cobalt', 'tin'); ``None`` for company questions."""
    material: str | None
    """Catalogue material of the mineral (``None``: company question or 3TG)."""
    cell: str
    raw: Any
    value: str | None
    """Defined value of the spelling (``None``: blank, unknown spelling or not applicable)."""
    not_applicable: bool = False


class WorkbookReader:
    """Reads the Declaration sheet by cell; collects located issues."""

    def __init__(self, book: Workbook, rmi: RmiTemplateTable, template: RmiCellMap) -> None:
        self.book = book
        self.rmi = rmi
        self.template = template
        self.layout: RmiDeclarationLayout = rmi.declarations[template.declaration]
        self.issues: list[Issue] = []
        self.cells = _snapshot(book[DECLARATION], _DECLARATION_ROWS, _DECLARATION_COLUMNS)

    def value(self, cell: str) -> Any:
        """Stored value of a Declaration cell (``None`` if empty)."""
        return self.cells.get(cell)

    def warn(self, code: str, sheet: str, cell: str, message: str) -> None:
        """Record a warning at a cell."""
        self.issues.append(cell_issue(code, sheet, cell, message, Severity.WARNING))

    def info(self, code: str, sheet: str, cell: str, message: str) -> None:
        """Record information at a cell."""
        self.issues.append(cell_issue(code, sheet, cell, message, Severity.INFO))

    def error(self, code: str, sheet: str, cell: str, message: str) -> None:
        """Record an error at a cell."""
        self.issues.append(cell_issue(code, sheet, cell, message))

    def text(self, cell: str) -> str | None:
        """Declaration cell text with spaces collapsed (``None`` if empty)."""
        value = self.value(cell)
        if value is None:
            return None
        text = " ".join(str(value).split())
        return text or None

    def header_text(self, field: str, *, required: bool) -> str | None:
        """A company-information field by name (error if required and empty)."""
        cell = self.layout.header.get(field)
        value = self.text(cell) if cell else None
        if value is None and required and cell:
            self.error(
                "rmi.required-cell", DECLARATION, cell, f"{field.replace('_', ' ')} is required"
            )
        return value

    def material(self, name: str) -> str | bool | None:
        """Catalogue material of a mineral name; ``False`` when the name is unknown."""
        found = self.rmi.mineral_names.get(name)
        if found is None:
            return False
        return None if found == "ignored" else found

    def country(self, sheet: str, cell: str, value: Any) -> str | None:
        """ISO code of a country cell (ISO names, codes, RMI spellings); warning if unknown."""
        text = clean(value)
        if text is None or text in ("unknown", "n/a", "recycled", "scrap"):
            return None
        if len(text) == 2 and text.upper() in COUNTRIES:
            return text.upper()
        code = self.rmi.country_names.get(text) or _ISO_NAMES.get(text)
        if code is None:
            self.warn("rmi.unknown-country", sheet, cell, f"unknown country {value!r}; left out")
        return code

    def spelling(self, answers: str, raw: Any) -> str | None:
        """Defined value of a stored answer (case and spaces ignored); ``None`` if unknown."""
        text = clean(raw if not isinstance(raw, float) or not raw.is_integer() else int(raw))
        if text is None:
            return None
        options = self.rmi.answer_sets[answers]
        return next((value for spelling, value in options.items() if clean(spelling) == text), None)


def _label(reader: WorkbookReader, row: int) -> str | None:
    """Mineral name of a block row (column B, marker removed, lower-case)."""
    text = clean(reader.value(f"B{row}"))
    if text is None:
        return None
    marker = clean(reader.layout.label_marker)
    if marker and text.endswith(marker):
        text = text[: -len(marker)].strip()
    return text.strip(" *:") or None


def _rows(reader: WorkbookReader, question: RmiQuestion) -> list[tuple[str | None, str]]:
    """(mineral, answer cell) of each row of a question."""
    if question.cell is not None:
        return [(None, question.cell)]
    if question.mineral_rows:
        return [(name.lower(), f"D{row}") for name, row in question.mineral_rows.items()]
    assert question.rows is not None
    found: list[tuple[str | None, str]] = []
    first, last = question.rows
    labels = [_label(reader, row) for row in range(first, last + 1)]
    if not any(labels):
        # Labels are formulas; a file saved by a tool that keeps no computed values has none.
        # RMI fills the rows with the selected minerals in alphabetical order (note in B13).
        selected = sorted(
            {
                name
                for cell in reader.layout.minerals_in_scope
                if (name := clean(reader.value(cell))) and not name.startswith("(delete")
            }
        )
        labels[: len(selected)] = selected
    for row, mineral in zip(range(first, last + 1), labels, strict=True):
        if mineral is None:
            if clean(reader.value(f"D{row}")) is not None:
                reader.warn(
                    "rmi.unknown-mineral",
                    DECLARATION,
                    f"D{row}",
                    f"question {question.id}: an answer in a row without a mineral (B{row} is "
                    "empty); left out",
                )
            continue
        if reader.material(mineral) is False:
            reader.warn(
                "rmi.unknown-mineral", DECLARATION, f"B{row}", f"unknown mineral {mineral!r}"
            )
            continue
        found.append((mineral, f"D{row}"))
    return found


def _gate(
    question: RmiQuestion, mineral: str | None, answers: dict[tuple[str, str | None], Answer]
) -> str | None:
    """Why RMI's gating makes this answer not applicable (``None``: it applies)."""
    for earlier, values in question.not_applicable_when.items():
        if mineral is not None:
            found = answers.get((earlier, mineral))
            if found is not None and found.value in values:
                return f"question {earlier} is {found.raw!r} for {mineral}"
        else:
            given = [a for (q, m), a in answers.items() if q == earlier and m is not None]
            if given and all(a.value in values for a in given):
                said = ", ".join(sorted({repr(a.raw) for a in given}))
                return f"question {earlier} is {said} for every mineral"
    return None


def read_answers(reader: WorkbookReader) -> dict[tuple[str, str | None], Answer]:
    """Every answer of the Declaration sheet keyed by (question, mineral), gating applied."""
    answers: dict[tuple[str, str | None], Answer] = {}
    for question in reader.layout.questions:
        for mineral, cell in _rows(reader, question):
            raw = reader.value(cell)
            material = reader.material(mineral) if mineral else None
            material = material if isinstance(material, str) else None
            where = f"question {question.id}" + (f" ({mineral})" if mineral else "")
            reason = _gate(question, mineral, answers)
            if reason is not None and clean(raw) is not None:
                reader.info(
                    "rmi.not-applicable",
                    DECLARATION,
                    cell,
                    f"{where} does not apply because {reason} (the template greys it out); "
                    f"the answer {raw!r} is ignored and not scored",
                )
                answers[(question.id, mineral)] = Answer(
                    question.id, mineral, material, cell, raw, None, not_applicable=True
                )
                continue
            value = reader.spelling(question.answers, raw)
            if value is None and clean(raw) is not None:
                offered = ", ".join(repr(s) for s in reader.rmi.answer_sets[question.answers])
                reader.warn(
                    "rmi.unknown-value",
                    DECLARATION,
                    cell,
                    f"{where}: {raw!r} is not one of the template's answers ({offered}); "
                    "left out, the question is asked natively",
                )
            answers[(question.id, mineral)] = Answer(
                question.id, mineral, material, cell, raw, value, not_applicable=reason is not None
            )
    return answers
