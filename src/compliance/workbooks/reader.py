"""Read a filled Excel template back into the JSON document, every problem at its cell.

The inverse of :mod:`compliance.workbooks.writer`: forms are read by the Pointer column, tables
by their row-1 keys. Every value's cell is remembered, so the validation issues of the resulting
document are shown at ``Sheet!D7`` as well as at their JSON Pointer (:func:`locate_in_workbook`).
Nothing a supplier wrote is dropped: a row whose pointer, or a column whose key, the template
does not have, and a sheet it does not know, are reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from compliance.errors import Issue, Layer, Severity, split_pointer
from compliance.intake.rmi.workbook import open_workbook
from compliance.workbooks.cells import (
    CellProblem,
    from_cell,
    quantity_from_cells,
    unescape_text,
)
from compliance.workbooks.layout import LeafKind, Section, TemplateLayout
from compliance.workbooks.writer import (
    ABOUT_SHEET,
    FORM_HEADERS,
    LISTS_SHEET,
    TABLE_FIRST_ROW,
    UNIT_SUFFIX,
    table_columns,
)

__all__ = ["WorkbookRead", "locate_in_workbook", "read_workbook"]


@dataclass(slots=True)
class WorkbookRead:
    """The document read from a workbook, the problems, and the cell of every pointer."""

    data: dict[str, Any] | None
    issues: list[Issue] = field(default_factory=list)
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)
    """JSON Pointer -> (sheet, cell) it was read from (or would be written to)."""


def _cell_issue(code: str, sheet: str, cell: str, pointer: str, message: str) -> Issue:
    return Issue(
        code, pointer, message, Severity.ERROR, Layer.PARSE, context={"sheet": sheet, "cell": cell}
    )


def _set(document: dict[str, Any], pointer: str, value: Any) -> None:
    tokens = split_pointer(pointer)
    node: Any = document
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        if following is None:
            _assign(node, token, value)
            return
        child = _child(node, token)
        if child is None:
            child = [] if following.isdigit() else {}
            _assign(node, token, child)
        node = child


def _child(node: Any, token: str) -> Any:
    if isinstance(node, list):
        index = int(token)
        return node[index] if index < len(node) else None
    return node.get(token)


def _assign(node: Any, token: str, value: Any) -> None:
    if isinstance(node, list):
        index = int(token)
        while len(node) <= index:
            node.append(None)
        node[index] = value
    else:
        node[token] = value


def _compact(node: Any) -> Any:
    """Lists without the holes left by blank indexed rows (row 3 filled, row 2 empty)."""
    if isinstance(node, dict):
        return {k: _compact(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_compact(v) for v in node if v is not None]
    return node


def _read_form(
    ws: Worksheet, section: Section, layout: TemplateLayout, out: WorkbookRead
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    headers = list(next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ()))
    if tuple(headers[: len(FORM_HEADERS)]) != FORM_HEADERS:
        out.issues.append(
            _cell_issue(
                "xlsx.missing-sheet",
                ws.title,
                "A1",
                f"/{section.key}" if section.key else "",
                f"the header row must read {', '.join(FORM_HEADERS)} (the template's columns)",
            )
        )
        return found
    prefix = f"/{section.key}" if section.key else ""
    _beyond(ws, len(FORM_HEADERS) + 1, 1, prefix, out)
    rows = ws.iter_rows(min_row=2, max_col=len(FORM_HEADERS), values_only=True)
    for number, row in enumerate(rows, start=2):
        row = tuple(_text(v) for v in (*row, *([None] * (len(FORM_HEADERS) - len(row)))))
        pointer, value_cell, unit_cell = row[0], row[3], row[4]
        where = f"D{number}"
        if pointer is None:
            if value_cell is not None or unit_cell is not None:
                out.issues.append(
                    _cell_issue(
                        "xlsx.unknown-field",
                        ws.title,
                        f"A{number}",
                        prefix,
                        "a value in a row without a pointer (column A): which field is it?",
                    )
                )
            continue
        pointer = str(pointer)
        leaf = layout.leaf(pointer)
        if leaf is None or not pointer.startswith(prefix):
            if value_cell is not None or unit_cell is not None:
                out.issues.append(
                    _cell_issue(
                        "xlsx.unknown-field",
                        ws.title,
                        f"A{number}",
                        "",
                        f"{pointer!r} is not a field of this sheet; its value would be lost",
                    )
                )
            continue
        out.cells.setdefault(pointer, (ws.title, where))
        try:
            if leaf.kind is LeafKind.QUANTITY:
                value = quantity_from_cells(value_cell, unit_cell)
            else:
                value = from_cell(leaf, value_cell)
                if unit_cell is not None:
                    raise CellProblem(f"this field has no unit, yet {unit_cell!r} is given")
        except CellProblem as exc:
            out.issues.append(_cell_issue("xlsx.bad-value", ws.title, where, pointer, str(exc)))
            continue
        if value is not None:
            found[pointer] = value
    return found


def _read_table(ws: Worksheet, section: Section, out: WorkbookRead) -> list[dict[str, Any]]:
    columns = {key: leaf for key, leaf, _ in table_columns(section.node)}
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    keys: list[str | None] = []
    _beyond(ws, len(header) + 1, TABLE_FIRST_ROW, f"/{section.key}", out)
    for index, key in enumerate(header, start=1):
        if key is None:
            keys.append(None)
            used = ws.iter_rows(
                min_row=TABLE_FIRST_ROW, min_col=index, max_col=index, values_only=True
            )
            if any(r and r[0] is not None for r in used):
                out.issues.append(
                    _cell_issue(
                        "xlsx.unknown-column",
                        ws.title,
                        f"{get_column_letter(index)}1",
                        f"/{section.key}",
                        "values in a column without a field key in row 1; they would be lost",
                    )
                )
            continue
        key = str(key)
        if key.startswith("#") or key.removesuffix(UNIT_SUFFIX) in columns:
            keys.append(key)
            continue
        keys.append(None)
        used = ws.iter_rows(min_row=TABLE_FIRST_ROW, min_col=index, max_col=index, values_only=True)
        if any(r and r[0] is not None for r in used):
            out.issues.append(
                _cell_issue(
                    "xlsx.unknown-column",
                    ws.title,
                    f"{get_column_letter(index)}1",
                    f"/{section.key}",
                    f"column {key!r} is not a field of {section.key}; its values would be lost",
                )
            )
    where = {k: get_column_letter(i) for i, k in enumerate(keys, start=1) if k is not None}
    items: list[dict[str, Any]] = []
    rows = ws.iter_rows(min_row=TABLE_FIRST_ROW, values_only=True)
    for number, row in enumerate(rows, start=TABLE_FIRST_ROW):
        cells = {
            k: _text(v)
            for k, v in zip(keys, row, strict=False)
            if k is not None and not k.startswith("#")
        }
        filled = {k for k, v in cells.items() if v is not None}
        if not filled or _prefilled_only(section, filled):
            continue
        base_pointer = f"/{section.key}/{len(items)}"
        item: dict[str, Any] = {}
        for key, leaf in columns.items():
            if key not in where:
                continue
            value = cells.get(key)
            coordinate = f"{where[key]}{number}"
            pointer = f"{base_pointer}/{key}"
            out.cells.setdefault(pointer, (ws.title, coordinate))
            try:
                if leaf.kind is LeafKind.QUANTITY:
                    value = quantity_from_cells(value, cells.get(key + UNIT_SUFFIX))
                else:
                    value = from_cell(leaf, value)
            except CellProblem as exc:
                out.issues.append(
                    _cell_issue("xlsx.bad-value", ws.title, coordinate, pointer, str(exc))
                )
                continue
            if value is not None:
                _set(item, "/" + key, value)
        out.cells.setdefault(base_pointer, (ws.title, f"A{number}"))
        items.append(item)
    return items


def _beyond(
    ws: Worksheet, first_column: int, first_row: int, pointer: str, out: WorkbookRead
) -> None:
    """A value right of the template's columns is reported (it would be lost), at its cell."""
    if ws.max_column < first_column:
        return
    rows = ws.iter_rows(min_row=first_row, min_col=first_column, values_only=True)
    for number, row in enumerate(rows, start=first_row):
        for offset, value in enumerate(row):
            if value is not None:
                cell = f"{get_column_letter(first_column + offset)}{number}"
                out.issues.append(
                    _cell_issue(
                        "xlsx.unknown-column",
                        ws.title,
                        cell,
                        pointer,
                        "a value outside the template's columns; it would be lost",
                    )
                )
                return


def _text(value: Any) -> Any:
    """A cell's value with the OOXML ``_xHHHH_`` escapes of its text resolved."""
    return unescape_text(value) if isinstance(value, str) else value


def _prefilled_only(section: Section, filled: set[str]) -> bool:
    """A template row with only its prefilled key (a question id, nothing answered)."""
    return section.key == "answers" and filled == {"question"}


def read_workbook(data: bytes, layout: TemplateLayout) -> WorkbookRead:
    """The JSON document of a filled template, with located problems."""
    book = open_workbook(data)
    if isinstance(book, Issue):
        code = "xlsx.unreadable"
        return WorkbookRead(None, [Issue(code, "", book.message, Severity.ERROR, Layer.IO)])
    try:
        return _read_book(book, layout)
    finally:
        book.close()


def _read_book(book: Workbook, layout: TemplateLayout) -> WorkbookRead:
    out = WorkbookRead(None)
    document: dict[str, Any] = {}
    known = {s.sheet for s in layout.sections} | {ABOUT_SHEET, LISTS_SHEET}
    for name in book.sheetnames:
        if name not in known:
            ws = book[name]
            if any(v is not None for row in ws.iter_rows(values_only=True) for v in row):
                out.issues.append(
                    _cell_issue(
                        "xlsx.unknown-sheet",
                        name,
                        "A1",
                        "",
                        f"sheet {name!r} is not part of the template; its contents would be lost",
                    )
                )
    for section in layout.sections:
        if section.sheet not in book.sheetnames:
            if section.required:
                out.issues.append(
                    Issue(
                        "xlsx.missing-sheet",
                        f"/{section.key}",
                        f"sheet {section.sheet!r} is missing "
                        f"(it holds {section.key or 'the document fields'})",
                        Severity.ERROR,
                        Layer.PARSE,
                        context={"sheet": section.sheet, "cell": "A1"},
                    )
                )
            continue
        ws = book[section.sheet]
        out.cells.setdefault(f"/{section.key}" if section.key else "", (ws.title, "A1"))
        if section.table:
            items = _read_table(ws, section, out)
            if items:
                document[section.key] = items
        else:
            for pointer, value in _read_form(ws, section, layout, out).items():
                _set(document, pointer, value)
    out.data = _compact(document)
    return out


def locate_in_workbook(
    issues: Iterable[Issue], cells: Mapping[str, tuple[str, str]]
) -> list[Issue]:
    """Issues with the sheet and cell of their pointer (or of its nearest enclosing field)."""
    located = []
    for issue in issues:
        if "sheet" in issue.context:
            located.append(issue)
            continue
        pointer = issue.pointer
        while pointer and pointer not in cells:
            pointer = pointer.rsplit("/", 1)[0]
        if pointer in cells:
            sheet, cell = cells[pointer]
            issue = replace(issue, context={**issue.context, "sheet": sheet, "cell": cell})
        located.append(issue)
    return located
