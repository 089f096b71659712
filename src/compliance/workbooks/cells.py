"""One value <-> one cell, for each kind of template field (lossless both ways)."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

from compliance.workbooks.layout import Leaf, LeafKind

__all__ = [
    "CellProblem",
    "escape_text",
    "from_cell",
    "quantity_from_cells",
    "to_cell",
    "unescape_text",
]

_SEPARATOR = "; "


# OOXML ST_Xstring escapes (ECMA-376 Part 1, 22.9.2.19): a character XML 1.0 cannot carry (control
# characters; a carriage return, which XML parsers turn into a line feed) is written _xHHHH_,
# and a literal "_x" that would read as an escape is itself escaped (_x005F_). Excel reads both.
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_text(text: str) -> str:
    r"""A string as an Excel cell stores it.

    >>> escape_text("a\r\nb"), escape_text("_x0041_")
    ('a_x000D_\nb', '_x005F_x0041_')
    """
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def unescape_text(text: str) -> str:
    r"""The string an Excel cell's text stands for.

    >>> unescape_text("a_x000D_\nb"), unescape_text("_x005F_x0041_")
    ('a\r\nb', '_x0041_')
    """
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


class CellProblem(ValueError):
    """A cell's value does not fit its field (the message says why)."""


def _list_is_plain(items: list[Any], single: bool) -> bool:
    return (len(items) >= 2 or (len(items) == 1 and not single)) and all(
        isinstance(i, str)
        and i
        and ";" not in i
        and i == i.strip()
        and not i.startswith(("[", '"'))
        for i in items
    )


def to_cell(leaf: Leaf, value: Any) -> Any:
    """The cell value of a JSON value (quantities: see :func:`quantity_cells`)."""
    if value is None:
        return None
    if leaf.kind is LeafKind.LIST:
        if isinstance(value, list):
            return _SEPARATOR.join(value) if _list_is_plain(value, leaf.single) else _json(value)
        if isinstance(value, str) and (";" in value or value.startswith(("[", '"')) or not value):
            return _json(value)
        return value
    if leaf.kind is LeafKind.JSON:
        return _json(value)
    if isinstance(value, (dict, list)):
        return _json(value)
    if isinstance(value, str) and not value:
        return _json(value)  # an empty string is not an empty cell
    if isinstance(value, str) and value.startswith('"') and leaf.types != frozenset({"string"}):
        return _json(value)
    return value


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _number(value: Any, types: frozenset[str]) -> Any:
    if isinstance(value, bool):
        return value
    if (
        isinstance(value, float)
        and "integer" in types
        and "number" not in types
        and value.is_integer()
    ):
        return int(value)
    return value


def _text_of_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _parse_number(text: str) -> int | float | None:
    try:
        number = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return (
        int(number)
        if number.is_integer() and "." not in text and "e" not in text.lower()
        else number
    )


def _scalar(leaf: Leaf, value: Any) -> Any:
    types = leaf.types
    if isinstance(value, datetime):
        if not (value.hour or value.minute or value.second or value.microsecond):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        if "boolean" in types:
            return value
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if types & {"number", "integer"}:
            return _number(value, types)
        if "string" in types:
            return _text_of_number(value)
        return value
    if isinstance(value, str):
        if value.startswith('"') and types != frozenset({"string"}):
            try:
                decoded = json.loads(value)
            except ValueError:
                decoded = None
            if isinstance(decoded, str):
                return decoded
        if "string" in types or not types:
            return value
        if "boolean" in types and value.strip().lower() in ("true", "false", "yes", "no"):
            return value.strip().lower() in ("true", "yes")
        if types & {"number", "integer"}:
            number = _parse_number(value)
            if number is not None:
                return _number(number, types)
        return value
    raise CellProblem(f"unexpected cell value {value!r}")


def from_cell(leaf: Leaf, value: Any) -> Any:
    """The JSON value of a cell; ``None`` for an empty cell.

    Raises:
        CellProblem: JSON text that does not parse.
    """
    if value is None:
        return None
    if leaf.kind is LeafKind.JSON:
        if not isinstance(value, str):
            return _scalar(Leaf(LeafKind.SCALAR, frozenset({"number", "boolean", "string"})), value)
        try:
            return json.loads(value)
        except ValueError as exc:
            raise CellProblem(f"expected JSON text here ({exc.args[0]})") from None
    if leaf.kind is LeafKind.LIST:
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.startswith(("[", '"')):
                try:
                    return json.loads(stripped)
                except ValueError as exc:
                    raise CellProblem(f"expected a JSON list here ({exc.args[0]})") from None
            if ";" in value or not leaf.single:
                return [part.strip() for part in value.split(";") if part.strip()]
        if not leaf.single:
            return [_scalar(leaf, value)]
        return _scalar(leaf, value)
    return _scalar(leaf, value)


def quantity_from_cells(value: Any, unit: Any) -> Any:
    """A quantity from its value and unit cells.

    Raises:
        CellProblem: A unit without a value, or a value that is neither a number nor text.
    """
    if isinstance(unit, str) and not unit.strip():
        unit = None
    if value is None:
        if unit is not None:
            raise CellProblem(f"unit {unit!r} given without a value")
        return None
    if isinstance(value, bool):
        raise CellProblem("a quantity is a number and a unit, not TRUE/FALSE")
    if isinstance(value, str):
        if unit is None:
            return value  # "480 kg" typed into the value cell
        number = _parse_number(value)
        if number is None:
            raise CellProblem(f"{value!r} is not a number")
        value = number
    if not isinstance(value, (int, float)):
        raise CellProblem(f"{value!r} is not a number")
    if unit is None:
        return {"value": value}
    return {"value": value, "unit": str(unit)}
