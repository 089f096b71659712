"""RFC 8785 (JSON Canonicalization Scheme) serialisation, fast path plus reference fallback.

JCS is compact JSON with object members sorted by UTF-16 code units, strings escaped minimally
(RFC 8785 3.2.2.2: quote, backslash, the five short escapes, other controls as u00xx escapes)
and numbers in the ECMAScript ``Number.prototype.toString`` form (3.2.2.3). orjson with sorted
keys writes exactly that for strings, integers and floats from 1e-4 to 1e16 that are not
integral (shortest round-trip digits, no exponent), and for ASCII keys (code-point order equals
UTF-16 order below U+E000). A walk over the value first rewrites integral floats below 2**53 as
integers (same JCS text) and formats every other float with the ``rfc8785`` reference
implementation, spliced in through a marker string; a document with a character from U+E000 up,
an integer beyond 2**53 or a non-JSON type goes to the reference implementation whole. A
property test checks that both agree byte for byte on generated values.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
import rfc8785

__all__ = ["CanonicalizationError", "canonical_json"]

CanonicalizationError = rfc8785.CanonicalizationError

_INT_LIMIT = 2**53 - 1
_FAST_MIN = 1e-4
_FAST_MAX = 1e16
_MARKER = re.compile(rb'"\\u0000(\d+)"')
_SORT_SENSITIVE = re.compile(rb"[\xee-\xf4]")
"""UTF-8 lead bytes of U+E000..U+10FFFF: only there do code-point order (orjson) and UTF-16
order (JCS) differ, so text without them needs no further key check."""


class _Fallback(Exception):
    """The value needs the reference implementation."""


def _number(value: float, numbers: list[bytes]) -> float | int | str:
    if value.is_integer():
        if -_INT_LIMIT <= value <= _INT_LIMIT:
            return int(value)
    elif _FAST_MIN <= abs(value) < _FAST_MAX:
        return value
    numbers.append(rfc8785.dumps(value))  # raises on NaN and infinity
    return f"\x00{len(numbers) - 1}"


Edits = list[tuple[Any, Any, float]]


def _walk_dict(node: dict[str, Any], numbers: list[bytes], edits: Edits) -> None:
    """Rewrite the floats of a tree in place, recording the originals in ``edits``."""
    for key, value in node.items():
        kind = type(value)
        if kind is float:
            edits.append((node, key, value))
            node[key] = _number(value, numbers)
        elif kind is dict:
            _walk_dict(value, numbers, edits)
        elif kind is list:
            _walk_list(value, numbers, edits)
        elif kind is int and not -_INT_LIMIT <= value <= _INT_LIMIT:
            raise _Fallback
        elif kind is tuple:
            raise _Fallback  # immutable: the reference path formats it


def _walk_list(node: list[Any], numbers: list[bytes], edits: Edits) -> None:
    for index, value in enumerate(node):
        kind = type(value)
        if kind is float:
            edits.append((node, index, value))
            node[index] = _number(value, numbers)
        elif kind is dict:
            _walk_dict(value, numbers, edits)
        elif kind is list:
            _walk_list(value, numbers, edits)
        elif (kind is int and not -_INT_LIMIT <= value <= _INT_LIMIT) or kind is tuple:
            raise _Fallback


def _revert(edits: Edits) -> None:
    for container, key, original in edits:
        container[key] = original


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of JSON-compatible ``value``.

    The value is left as it was, but is rewritten while this runs: do not share it with
    another thread meanwhile (callers pass fresh dumps and freshly parsed documents).

    Raises:
        CanonicalizationError: NaN/infinity, an integer beyond 2**53, a non-string key,
            a lone surrogate or a value JSON cannot represent.

    >>> canonical_json({"b": [1.0, 0.5, 1e-7], "a": None})
    b'{"a":null,"b":[1,0.5,1e-7]}'
    """
    kind = type(value)
    if kind is not dict and kind is not list:
        return rfc8785.dumps(value)
    numbers: list[bytes] = []
    edits: Edits = []
    try:
        if kind is dict:
            _walk_dict(value, numbers, edits)
        else:
            _walk_list(value, numbers, edits)
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (_Fallback, orjson.JSONEncodeError):
        _revert(edits)
        return rfc8785.dumps(value)
    finally:
        _revert(edits)
    if _SORT_SENSITIVE.search(text):  # a key might sort differently in UTF-16
        return rfc8785.dumps(value)
    if numbers:
        if len(_MARKER.findall(text)) != len(numbers):  # a string spelled like a marker
            return rfc8785.dumps(value)
        text = _MARKER.sub(lambda match: numbers[int(match.group(1))], text)
    return text
