"""RFC 8785 (JSON Canonicalization Scheme) serialisation, fast path plus reference fallback.

JCS is compact JSON with object members sorted by UTF-16 code units, strings escaped minimally
(RFC 8785 3.2.2.2: quote, backslash, the five short escapes, other controls as u00xx escapes)
and numbers in the ECMAScript ``Number.prototype.toString`` form (3.2.2.3). orjson with sorted
keys writes exactly that for strings, integers and floats from 1e-4 to 1e16 that are not
integral (shortest round-trip digits, no exponent), and for ASCII keys (code-point order equals
UTF-16 order below U+E000). The value is only read (it may be shared between threads): orjson
writes it, and a private copy parsed back from that text is rewritten, integral floats below
2**53 as integers (same JCS text) and every other float outside that range as a marker string
for its ``rfc8785`` reference formatting, spliced in after a second write. A document with a
non-finite float (orjson would write null), a character from U+E000 up, an integer beyond 2**53
or a value orjson cannot write goes to the reference implementation whole. A property test
checks that both agree byte for byte on generated values.
"""

from __future__ import annotations

import math
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
_HIGH_LEADS = (0xEE, 0xEF, 0xF0, 0xF1, 0xF2, 0xF3, 0xF4)
"""UTF-8 lead bytes of U+E000..U+10FFFF: only there do code-point order (orjson) and UTF-16
order (JCS) differ, so text without them needs no further key check. Integers: ``int in bytes``
is a plain byte search (a one-byte ``bytes`` first fails an integer conversion, which raises)."""


class _Fallback(Exception):
    """The value needs the reference implementation."""


def _finite(value: Any) -> bool:
    """True unless ``value`` holds a NaN or an infinity (read only)."""
    stack = [value]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            stack.extend(node.values())
        elif kind is list or kind is tuple:
            stack.extend(node)
        elif kind is float and not math.isfinite(node):
            return False
    return True


def _rewrite(node: dict[str, Any] | list[Any], numbers: list[bytes]) -> None:
    """Rewrite the floats of a private tree in place (see the module docstring)."""
    items: Any = node.items() if type(node) is dict else enumerate(node)
    for key, value in items:
        kind = type(value)
        if kind is float:
            if value.is_integer():
                if -_INT_LIMIT <= value <= _INT_LIMIT:
                    node[key] = int(value)
                    continue
            elif _FAST_MIN <= abs(value) < _FAST_MAX:
                continue
            numbers.append(rfc8785.dumps(value))
            node[key] = f"\x00{len(numbers) - 1}"
        elif kind is dict or kind is list:
            _rewrite(value, numbers)
        elif kind is int and not -_INT_LIMIT <= value <= _INT_LIMIT:
            raise _Fallback  # the reference implementation raises


def _splice(match: re.Match[bytes], numbers: list[bytes]) -> bytes:
    index = int(match.group(1))
    return numbers[index] if index < len(numbers) else match.group(0)


def _sort_sensitive(text: bytes) -> bool:
    """True if ``text`` holds a character from U+E000 up (UTF-8 lead bytes EE-F4)."""
    return any(lead in text for lead in _HIGH_LEADS)


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of JSON-compatible ``value`` (left unchanged).

    Raises:
        CanonicalizationError: NaN/infinity, an integer beyond 2**53, a non-string key,
            a lone surrogate or a value JSON cannot represent.

    >>> canonical_json({"b": [1.0, 0.5, 1e-7, 1e16], "a": None})
    b'{"a":null,"b":[1,0.5,1e-7,10000000000000000]}'
    """
    kind = type(value)
    text = _fast(value) if kind is dict or kind is list else None
    return rfc8785.dumps(value) if text is None else text


def _fast(value: dict[str, Any] | list[Any]) -> bytes | None:
    """:func:`canonical_json`'s fast path: ``None`` where the reference implementation decides."""
    try:
        private = orjson.loads(orjson.dumps(value))  # a copy of our own, made in C
        if not _finite(value):
            return None
        numbers: list[bytes] = []
        _rewrite(private, numbers)
        text = orjson.dumps(private, option=orjson.OPT_SORT_KEYS)
    except (_Fallback, orjson.JSONEncodeError, orjson.JSONDecodeError):
        return None
    if numbers:
        text, count = _MARKER.subn(lambda match: _splice(match, numbers), text)
        if count != len(numbers):  # a string spelled like a marker
            return None
    if _sort_sensitive(text):  # a key might sort differently in UTF-16
        return None
    return text
