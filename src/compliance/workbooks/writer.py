"""Write the Excel template of a document kind, blank or filled from a document (openpyxl).

Sheets: ``About`` (how to fill it), then one sheet per section of the schema (:mod:`layout`):

* a **form** (an object such as ``battery``): one row per field, with its JSON Pointer, label
  (EN and JA where a translation exists), value, unit, whether it is required and its help
  (the schema description, citing the Regulation);
* a **table** (an array such as ``billOfMaterials``): row 1 the machine keys (the member path,
  ``#unit`` for a quantity's unit), rows 2-4 label EN, label JA and help, items from row 5.

Units sit in their own column with a drop-down list of common units of the field's dimension
(a warning, not a refusal: any unit pint reads is accepted); enums and booleans have drop-down
lists (kept on the hidden ``Lists`` sheet). The workbook's keywords carry the document kind, so
every command recognises the file (:mod:`compliance.validation.kinds`).
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import _writer as _cell_writer
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from compliance.validation.kinds import TEMPLATE_KEYWORD_PREFIX
from compliance.workbooks.cells import escape_text, to_cell
from compliance.workbooks.layout import (
    ArrayNode,
    Leaf,
    LeafKind,
    ObjectNode,
    Section,
    TemplateLayout,
    humanize,
)

__all__ = [
    "ABOUT_SHEET",
    "FORM_HEADERS",
    "LISTS_SHEET",
    "TABLE_FIRST_ROW",
    "UNIT_SUFFIX",
    "Extras",
    "write_workbook",
]

ABOUT_SHEET = "About"
LISTS_SHEET = "Lists"
UNIT_SUFFIX = "#unit"
TABLE_FIRST_ROW = 5
FORM_HEADERS = (
    "Pointer",
    "Field",
    "項目",
    "Value",
    "Unit",
    "Required",
    "Help",
    "説明",
)
"""Form columns A-H (the reader finds them by these headers)."""

_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_LABEL_FILL = PatternFill("solid", fgColor="E8EEF5")
_INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_MUTED = Font(color="6B7280", size=9)
_WRAP = Alignment(wrap_text=True, vertical="top")

# Common units of each dimension for the unit drop-down (any unit pint reads is accepted).
_UNITS: Mapping[str, tuple[str, ...]] = {
    "[mass]": ("kg", "g", "t", "mg"),
    "[energy]": ("kWh", "Wh", "MWh", "MJ", "GJ"),
    "[charge]": ("Ah", "mAh"),
    "[voltage]": ("V", "mV"),
    "[time]": ("year", "month", "day", "h"),
    "[length]": ("km", "m", "mi"),
    "[power]": ("W", "kW"),
    "[resistance]": ("ohm", "mohm"),
    "[energy]/[length]": ("kWh/km", "Wh/km"),
    "[energy]/[mass]": ("Wh/kg", "MJ/kg"),
    "[volume]": ("m^3", "l"),
}


@dataclass(frozen=True, slots=True)
class Extras:
    """Read-only columns (keys start with ``#``) and prefilled rows of one table section."""

    columns: tuple[tuple[str, str, str], ...] = ()
    """(key, header EN, header JA) of each read-only column, shown before the data columns."""
    rows: tuple[Mapping[str, Any], ...] = ()
    """Rows of a blank template: read-only values and prefilled keys (e.g. the question id);
    ``"#choices-of:<key>"`` gives that row's cell of column ``<key>`` a drop-down list."""
    annotate: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None
    """Read-only values for an item written from a document (e.g. the question text)."""


@dataclass(slots=True)
class _Lists:
    sheet: Worksheet
    ranges: dict[tuple[str, ...], str] = field(default_factory=dict)

    def range_of(self, options: tuple[str, ...]) -> str:
        """The ``Lists!$C$1:$C$9`` range holding ``options`` (one column per distinct list)."""
        key = tuple(dict.fromkeys(options))
        if key not in self.ranges:
            column = get_column_letter(len(self.ranges) + 1)
            for row, option in enumerate(key, start=1):
                self.sheet[f"{column}{row}"] = option
            self.ranges[key] = f"{quote_sheetname(LISTS_SHEET)}!${column}$1:${column}${len(key)}"
        return self.ranges[key]


def _options(leaf: Leaf) -> tuple[str, ...]:
    if leaf.options:
        return leaf.options
    if leaf.kind is LeafKind.SCALAR and leaf.types == frozenset({"boolean"}):
        return ("TRUE", "FALSE")
    return ()


def _validate_list(ws: Worksheet, lists: _Lists, options: tuple[str, ...], cells: str) -> None:
    if not options:
        return
    dv = DataValidation(type="list", formula1=lists.range_of(options), allow_blank=True)
    dv.error = "Choose a value from the list."
    dv.add(cells)
    ws.add_data_validation(dv)


def _validate_unit(ws: Worksheet, lists: _Lists, leaf: Leaf, cells: str) -> None:
    parts = (leaf.dimension or "").split(" or ")
    units = tuple(dict.fromkeys(u for part in parts for u in _UNITS.get(part, ())))
    if leaf.canonical_unit and leaf.canonical_unit not in units:
        units = (leaf.canonical_unit, *units)
    if not units:
        return
    dv = DataValidation(
        type="list",
        formula1=lists.range_of(units),
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=True,
    )
    dv.error = "Not a listed unit: any unit of the same dimension is accepted if pint reads it."
    dv.add(cells)
    ws.add_data_validation(dv)


def _put(ws: Worksheet, ref: str, value: Any) -> None:
    cell = ws[ref]
    cell.value = escape_text(value) if isinstance(value, str) else value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.number_format = "@"


def _help(leaf_description: str, required: bool) -> str:
    text = " ".join(leaf_description.split())
    return f"Required. {text}".strip() if required else text


def _form_rows(
    node: ObjectNode, data: Any, prefix: str = ""
) -> Iterator[tuple[str, Leaf, Any, bool]]:
    """(pointer, leaf, value, required) of every field of a form, indices for present items."""
    for name, child in node.members.items():
        pointer = f"{prefix}/{name}"
        value = data.get(name) if isinstance(data, Mapping) else None
        required = name in node.required
        if isinstance(child, Leaf):
            yield pointer, child, value, required
        elif isinstance(child, ObjectNode):
            yield from _form_rows(child, value, pointer)
        else:
            items = value if isinstance(value, list) and value else [None]
            for index, item in enumerate(items):
                yield from _form_rows(child.item, item, f"{pointer}/{index}")


def _write_form(
    ws: Worksheet,
    section: Section,
    data: Any,
    lists: _Lists,
    labels_ja: Mapping[str, str],
) -> None:
    for column, header in enumerate(FORM_HEADERS, start=1):
        cell = ws.cell(row=1, column=column, value=header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    prefix = f"/{section.key}" if section.key else ""
    row = 2
    for pointer, leaf, value, required in _form_rows(section.node, data):
        full = f"{prefix}{pointer}"
        name = pointer.rsplit("/", 1)[-1]
        _put(ws, f"A{row}", full)
        ws[f"A{row}"].font = _MUTED
        _put(ws, f"B{row}", _label(pointer))
        _put(ws, f"C{row}", labels_ja.get(name, ""))
        if leaf.kind is LeafKind.QUANTITY:
            if isinstance(value, Mapping):
                _put(ws, f"D{row}", value.get("value"))
                _put(ws, f"E{row}", value.get("unit"))
            else:
                _put(ws, f"D{row}", value)
            _validate_unit(ws, lists, leaf, f"E{row}")
        else:
            _put(ws, f"D{row}", to_cell(leaf, value))
            _validate_list(ws, lists, _options(leaf), f"D{row}")
        ws[f"D{row}"].fill = _INPUT_FILL
        ws[f"E{row}"].fill = _INPUT_FILL
        _put(ws, f"F{row}", "yes" if required else "")
        _put(ws, f"G{row}", _help(leaf.description, False))
        for letter in "BCFG":
            ws[f"{letter}{row}"].alignment = _WRAP
        row += 1
    for letter, width in zip("ABCDEFGH", (34, 30, 18, 28, 10, 9, 70, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "D2"


def _label(pointer: str) -> str:
    parts = [p for p in pointer.split("/") if p and not p.isdigit()]
    indices = [p for p in pointer.split("/") if p.isdigit()]
    label = " / ".join(humanize(p) for p in parts[-2:]) if len(parts) > 1 else humanize(parts[0])
    return f"{label} [{', '.join(str(int(i) + 1) for i in indices)}]" if indices else label


def table_columns(node: ObjectNode, prefix: str = "") -> Iterator[tuple[str, Leaf, bool]]:
    """(key, leaf, required) of each table column: nested objects flattened, lists as JSON."""
    for name, child in node.members.items():
        key = f"{prefix}{name}"
        required = name in node.required and not prefix
        if isinstance(child, Leaf):
            yield key, child, required
        elif isinstance(child, ObjectNode):
            yield from table_columns(child, f"{key}/")
        else:
            assert isinstance(child, ArrayNode)
            yield key, Leaf(LeafKind.JSON, description=child.description), required


def _get(item: Any, key: str) -> Any:
    for part in key.split("/"):
        if not isinstance(item, Mapping):
            return None
        item = item.get(part)
    return item


def _write_table(
    ws: Worksheet,
    section: Section,
    items: Sequence[Any],
    lists: _Lists,
    labels_ja: Mapping[str, str],
    extras: Extras,
) -> None:
    columns: list[tuple[str, Leaf | None, str, str, str]] = [
        (key, None, en, ja, "") for key, en, ja in extras.columns
    ]
    for key, leaf, required in table_columns(section.node):
        name = key.rsplit("/", 1)[-1]
        help_text = _help(leaf.description, required)
        columns.append((key, leaf, humanize(name), labels_ja.get(name, ""), help_text))
        if leaf.kind is LeafKind.QUANTITY:
            unit_help = f"Unit of {humanize(name).lower()} ({leaf.dimension or ''})."
            columns.append((key + UNIT_SUFFIX, leaf, "Unit", "単位", unit_help))
    last = TABLE_FIRST_ROW + max(len(items), len(extras.rows), 1) + 200
    for index, (key, column_leaf, en, ja, help_text) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        _put(ws, f"{letter}1", key)
        ws[f"{letter}1"].font = _MUTED
        _put(ws, f"{letter}2", en)
        _put(ws, f"{letter}3", ja)
        _put(ws, f"{letter}4", help_text)
        for row in (2, 3):
            ws[f"{letter}{row}"].font, ws[f"{letter}{row}"].fill = _HEADER_FONT, _HEADER_FILL
        ws[f"{letter}4"].font = _MUTED
        ws[f"{letter}4"].alignment = _WRAP
        ws.column_dimensions[letter].width = 48 if key.startswith("#text") else 18
        span = f"{letter}{TABLE_FIRST_ROW}:{letter}{last}"
        if column_leaf is not None and key.endswith(UNIT_SUFFIX):
            _validate_unit(ws, lists, column_leaf, span)
        elif column_leaf is not None:
            _validate_list(ws, lists, _options(column_leaf), span)
    rows: Sequence[Mapping[str, Any]]
    rows = [_item_row(item, columns, extras) for item in items] if items else list(extras.rows)
    letters = {key: get_column_letter(i) for i, (key, *_) in enumerate(columns, start=1)}
    for offset, values in enumerate(rows):
        row = TABLE_FIRST_ROW + offset
        for key, choices in values.items():
            if key.startswith("#choices-of:") and key[12:] in letters:
                _validate_list(ws, lists, tuple(choices), f"{letters[key[12:]]}{row}")
        for index, (key, _, _, _, _) in enumerate(columns, start=1):
            if key in values:
                _put(ws, f"{get_column_letter(index)}{row}", values[key])
            if key.startswith("#text"):
                ws[f"{get_column_letter(index)}{row}"].alignment = _WRAP
    ws.freeze_panes = f"A{TABLE_FIRST_ROW}"


def _item_row(
    item: Any, columns: list[tuple[str, Leaf | None, str, str, str]], extras: Extras
) -> dict[str, Any]:
    values: dict[str, Any] = dict(extras.annotate(item)) if extras.annotate else {}
    for key, leaf, _, _, _ in columns:
        if leaf is None:
            continue
        if key.endswith(UNIT_SUFFIX):
            value = _get(item, key[: -len(UNIT_SUFFIX)])
            if isinstance(value, Mapping):
                values[key] = value.get("unit")
            continue
        value = _get(item, key)
        if leaf.kind is LeafKind.QUANTITY:
            values[key] = value.get("value") if isinstance(value, Mapping) else value
        else:
            values[key] = to_cell(leaf, value)
    return values


def write_workbook(
    layout: TemplateLayout,
    data: Mapping[str, Any] | None = None,
    *,
    about: Sequence[str] = (),
    labels_ja: Mapping[str, str] | None = None,
    extras: Mapping[str, Extras] | None = None,
) -> bytes:
    """The ``.xlsx`` bytes of ``layout``'s template, filled from ``data`` (a JSON document).

    Args:
        layout: The document kind's layout.
        data: The document (JSON form, by alias); ``None`` for a blank template.
        about: Lines of the About sheet (what the workbook is, how to fill it).
        labels_ja: Japanese labels by member name.
        extras: Read-only columns and prefilled rows of table sections, by section key.
    """
    book = Workbook()
    about_sheet = book.active
    assert about_sheet is not None
    about_sheet.title = ABOUT_SHEET
    for row, line in enumerate(about, start=1):
        _put(about_sheet, f"A{row}", line)
    about_sheet["A1"].font = Font(bold=True, size=14)
    about_sheet.column_dimensions["A"].width = 120
    lists = _Lists(book.create_sheet(LISTS_SHEET))
    document = data or {}
    for section in layout.sections:
        ws = book.create_sheet(section.sheet)
        value = document.get(section.key) if section.key else document
        if section.table:
            items = value if isinstance(value, list) else []
            extra = (extras or {}).get(section.key, Extras())
            _write_table(ws, section, items, lists, labels_ja or {}, extra)
        else:
            _write_form(ws, section, value, lists, labels_ja or {})
    lists.sheet.sheet_state = "hidden"
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    book.properties.keywords = f"{TEMPLATE_KEYWORD_PREFIX}{layout.kind}"
    book.properties.title = about[0] if about else layout.kind
    book.properties.creator = "compliance"
    out = io.BytesIO()
    with _exact_numbers():
        book.save(out)
    return out.getvalue()


_SAVE_LOCK = threading.Lock()


@contextmanager
def _exact_numbers() -> Iterator[None]:
    """Numbers written with every digit they need (``repr``: the shortest exact form).

    openpyxl writes numbers as ``"%.16g"``, which loses the last digit of some doubles (e.g.
    0.022183052664225714 -> 0.02218305266422571); Excel itself stores and writes the full
    IEEE 754 double. The round trip (model -> xlsx -> model) is exact only with all 17 digits.
    """
    original: Callable[[Any], str] = vars(_cell_writer)["safe_string"]

    def exact(value: Any) -> str:
        if isinstance(value, float) and math.isfinite(value):
            return repr(value)
        return str(original(value))

    with _SAVE_LOCK:
        vars(_cell_writer)["safe_string"] = exact
        try:
            yield
        finally:
            vars(_cell_writer)["safe_string"] = original
