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
from functools import lru_cache
from typing import Any

import orjson
import rfc8785

__all__ = [
    "CanonicalizationError",
    "canonical_document",
    "canonical_json",
    "canonical_or_none",
    "compact",
]

CanonicalizationError = rfc8785.CanonicalizationError

_INT_LIMIT = 2**53 - 1
_FAST_MIN = 1e-4
_FAST_MAX = 1e16
_MARKER = re.compile(rb'"\\u0000(\d+)"')
_PART_LIMIT = 8192
"""Parts with a longer JSON text are not memoised (bounds the memo's memory)."""
_HIGH_LEADS = (0xEE, 0xEF, 0xF0, 0xF1, 0xF2, 0xF3, 0xF4)
"""UTF-8 lead bytes of U+E000..U+10FFFF: only there do code-point order (orjson) and UTF-16
order (JCS) differ, so text without them needs no further key check. Integers: ``int in bytes``
is a plain byte search (a one-byte ``bytes`` first fails an integer conversion, which raises)."""


class _Fallback(Exception):
    """The value needs the reference implementation."""


def _marker(value: float, numbers: list[bytes]) -> str:
    """Format ``value`` with the reference implementation; a marker string takes its place."""
    numbers.append(_reference_float(value))
    return f"\x00{len(numbers) - 1}"


@lru_cache(maxsize=1024)
def _reference_float(value: float) -> bytes:
    return rfc8785.dumps(value)  # raises on NaN and infinity


Edits = list[tuple[Any, Any, float]]
"""Where floats were replaced, with their values (to restore the caller's value)."""


def _walk(node: dict[str, Any] | list[Any], numbers: list[bytes], edits: Edits) -> None:
    """Rewrite the floats of a tree in place, recording the originals in ``edits``."""
    items: Any = node.items() if type(node) is dict else enumerate(node)
    for key, value in items:
        kind = type(value)
        if kind is float:
            if value.is_integer():
                if -_INT_LIMIT <= value <= _INT_LIMIT:
                    new: Any = int(value)
                else:
                    new = _marker(value, numbers)
            elif _FAST_MIN <= abs(value) < _FAST_MAX:
                continue
            else:
                new = _marker(value, numbers)
            edits.append((node, key, value))
            node[key] = new
        elif kind is dict or kind is list:
            _walk(value, numbers, edits)
        elif (kind is int and not -_INT_LIMIT <= value <= _INT_LIMIT) or kind is tuple:
            raise _Fallback  # the reference implementation raises or formats it


def _revert(edits: Edits) -> None:
    for container, key, original in edits:
        container[key] = original


def _splice(match: re.Match[bytes], numbers: list[bytes]) -> bytes:
    index = int(match.group(1))
    return numbers[index] if index < len(numbers) else match.group(0)


def _sort_sensitive(text: bytes) -> bool:
    """True if ``text`` holds a character from U+E000 up (UTF-8 lead bytes EE-F4)."""
    return any(lead in text for lead in _HIGH_LEADS)


def canonical_json(value: Any, *, consume: bool = False) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of JSON-compatible ``value``.

    The value is rewritten while this runs and restored afterwards, so do not share it with
    another thread meanwhile; with ``consume`` (a fresh dump nobody uses again) it is not
    restored.

    Raises:
        CanonicalizationError: NaN/infinity, an integer beyond 2**53, a non-string key,
            a lone surrogate or a value JSON cannot represent.

    >>> canonical_json({"b": [1.0, 0.5, 1e-7], "a": None})
    b'{"a":null,"b":[1,0.5,1e-7]}'
    """
    kind = type(value)
    text = canonical_or_none(value, consume=consume) if kind is dict or kind is list else None
    return rfc8785.dumps(value) if text is None else text


def canonical_or_none(value: dict[str, Any] | list[Any], *, consume: bool = False) -> bytes | None:
    """:func:`canonical_json`'s fast path: ``None`` where the reference implementation decides.

    ``value`` may also hold :class:`orjson.Fragment` objects with canonical text (written as
    they are), which the reference implementation could not take.
    """
    numbers: list[bytes] = []
    edits: Edits = []
    try:
        _walk(value, numbers, edits)
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except (_Fallback, orjson.JSONEncodeError):
        _revert(edits)
        return None
    except BaseException:
        _revert(edits)
        raise
    if numbers:
        text, count = _MARKER.subn(lambda match: _splice(match, numbers), text)
        if count != len(numbers):  # a string spelled like a marker
            _revert(edits)
            return None
    if _sort_sensitive(text):  # a key might sort differently in UTF-16
        _revert(edits)
        return None
    if not consume:
        _revert(edits)
    return text


_PARTS: dict[bytes, bytes] = {}
"""JSON text of a part -> its canonical text (a pure function of the key; cleared when full)."""
_PARTS_LIMIT = 256


def compact(text: bytes) -> bytes:
    """An exact-size copy (orjson's result keeps its whole write buffer, 4 KiB or more)."""
    return memoryview(text).tobytes()


def _part(value: dict[str, Any] | list[Any]) -> orjson.Fragment:
    """The canonical text of a part, memoised on its JSON text (parts repeat across documents)."""
    text = orjson.dumps(value)
    canonical = _PARTS.get(text)
    if canonical is None:
        canonical = canonical_json(value)
        if len(text) <= _PART_LIMIT:
            if len(_PARTS) >= _PARTS_LIMIT:
                _PARTS.clear()
            _PARTS[compact(text)] = canonical = compact(canonical)
    return orjson.Fragment(canonical)


def _scalar(value: Any) -> Any:
    """A member value as JCS writes it (floats); a value the fast path cannot take raises."""
    kind = type(value)
    if kind is float:
        if value.is_integer() and -_INT_LIMIT <= value <= _INT_LIMIT:
            return int(value)
        if _FAST_MIN <= abs(value) < _FAST_MAX and not value.is_integer():
            return value
        return orjson.Fragment(_reference_float(value))
    if kind is int and not -_INT_LIMIT <= value <= _INT_LIMIT:
        raise _Fallback
    return value


def _assemble(node: dict[str, Any], depth: int) -> bytes:
    """The canonical text of ``node``: members recursed into, memoised parts or JCS scalars."""
    members: dict[str, Any] = {}
    for key, value in node.items():
        kind = type(value)
        if kind is dict:
            members[key] = orjson.Fragment(_assemble(value, depth - 1)) if depth else _part(value)
        elif kind is list:
            members[key] = _part(value) if value else value
        elif kind is float or kind is int:
            members[key] = _scalar(value)
        else:
            members[key] = value
    return orjson.dumps(members, option=orjson.OPT_SORT_KEYS)


def canonical_document(document: dict[str, Any], *, depth: int = 1) -> bytes:
    """:func:`canonical_json` of a JSON document (only JSON types: parsed or a JSON-mode dump).

    Objects down to ``depth`` levels below the root are assembled member by member; every other
    object or array is a part whose canonical text is memoised on its JSON text, so the parts
    documents share are canonicalised once. Same bytes and errors as :func:`canonical_json`.

    >>> canonical_document({"b": {"c": [1.0, 1e-7]}, "a": 0.5})
    b'{"a":0.5,"b":{"c":[1,1e-7]}}'
    """
    try:
        text = _assemble(document, depth)
    except (_Fallback, orjson.JSONEncodeError, CanonicalizationError):
        return canonical_json(document)
    if _sort_sensitive(text):  # a key might sort differently in UTF-16
        return canonical_json(document)
    return text
