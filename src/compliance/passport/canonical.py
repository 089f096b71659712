"""RFC 8785 (JSON Canonicalization Scheme) serialisation, fast path plus reference fallback.

JCS is compact JSON with object members sorted by UTF-16 code units, strings escaped minimally
(RFC 8785 3.2.2.2: quote, backslash, the five short escapes, other controls as u00xx escapes)
and numbers in the ECMAScript ``Number.prototype.toString`` form (3.2.2.3). orjson with sorted
keys writes exactly that for strings, integers up to 2**53 - 1, ASCII keys (code-point order
equals UTF-16 order below U+E000) and floats from 1e-4 to 1e16 that are not integral (shortest
round-trip digits, no exponent). Two kinds of float differ:

* an integral float below 1e16: orjson writes ``480.0``, JCS ``480``;
* any other float ("rare": below 1e-4, from 1e16, negative zero): orjson may spell it otherwise
  (``5e-6`` where JCS writes ``0.000005``; ``-0.0`` where JCS writes ``0``).

The fast path builds the canonical text from the value directly, never copying or rewriting it
(the value may be shared between threads):

1. one read-only walk checks the floats, counts the integral ones and lists the rare ones;
2. orjson writes the text with sorted keys;
3. each rare float whose spelling differs is respelt: its orjson spelling, followed by the
   ``,``, ``]`` or ``}`` that follows every value in an array or object, becomes the ``rfc8785``
   spelling;
4. the ``.0`` of each integral float, followed by such a character, is removed.

Every float of a kind is matched, so a replacement is exact when the number of matches equals
the walk's count; otherwise something else is spelt alike (a string holding ``1.0,``, or
``1.5e-6`` ending like ``5e-6``). Then, and for a non-finite float (orjson would write null), an
integer beyond 2**53 - 1, a character from U+E000 up or a value orjson cannot write, the
``rfc8785`` reference implementation writes the whole value. A property test checks that both
agree byte for byte on generated values.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import orjson
import rfc8785

__all__ = ["CanonicalizationError", "canonical_json"]

CanonicalizationError = rfc8785.CanonicalizationError

_FAST_MIN = 1e-4
_FAST_MAX = 1e16
_VALUE_END = rb"(?=[,\]}])"
"""What follows every value inside an object or array in compact JSON (a lookahead)."""
_INTEGRAL_END = re.compile(rb"\.0" + _VALUE_END)
"""The ``.0`` that ends an integral float below 1e16 in orjson's text (``480.0,``)."""
_HIGH_LEADS = (0xEE, 0xEF, 0xF0, 0xF1, 0xF2, 0xF3, 0xF4)
"""UTF-8 lead bytes of U+E000..U+10FFFF: only there do code-point order (orjson) and UTF-16
order (JCS) differ, so text without them needs no further key check. Integers: ``int in bytes``
is a plain byte search."""


@dataclass(frozen=True, slots=True)
class _Floats:
    """What the walk found: the number of integral floats below 1e16 and the rare floats."""

    integral: int
    rare: list[float]


def _floats(value: dict[str, Any] | list[Any]) -> _Floats | None:
    """The floats of ``value`` by kind (module docstring); ``None`` if one is not finite."""
    integral = 0
    rare: list[float] = []
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            stack.extend(node.values())
        elif kind is list or kind is tuple:
            stack.extend(node)
        elif kind is float:
            magnitude = abs(node)
            if not magnitude < math.inf:  # NaN or an infinity
                return None
            negative_zero = not node and math.copysign(1.0, node) < 0
            if node.is_integer() and magnitude < _FAST_MAX and not negative_zero:
                integral += 1
            elif not _FAST_MIN <= magnitude < _FAST_MAX:
                rare.append(node)  # negative zero among them
    return _Floats(integral, rare)


def _respell(text: bytes, spelling: bytes, canonical: bytes, occurrences: int) -> bytes | None:
    """``text`` with the ``occurrences`` values spelt ``spelling`` spelt ``canonical``."""
    pattern = re.compile(re.escape(spelling) + _VALUE_END)
    text, replaced = pattern.subn(canonical, text)
    return text if replaced == occurrences else None


def _sort_sensitive(text: bytes) -> bool:
    """True if ``text`` holds a character from U+E000 up (UTF-8 lead bytes EE-F4)."""
    return any(lead in text for lead in _HIGH_LEADS)


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of JSON-compatible ``value`` (left unchanged).

    Raises:
        CanonicalizationError: NaN/infinity, an integer beyond 2**53, a non-string key,
            a lone surrogate or a value JSON cannot represent.

    >>> canonical_json({"b": [1.0, 0.5, 1e-7, 5e-6, -0.0, 1e16], "a": None})
    b'{"a":null,"b":[1,0.5,1e-7,0.000005,0,10000000000000000]}'
    """
    kind = type(value)
    text = _fast(value) if kind is dict or kind is list else None
    return rfc8785.dumps(value) if text is None else text


def _fast(value: dict[str, Any] | list[Any]) -> bytes | None:
    """:func:`canonical_json`'s fast path: ``None`` where the reference implementation decides."""
    floats = _floats(value)
    if floats is None:
        return None
    try:
        text: bytes | None = orjson.dumps(
            value, option=orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
        )
    except orjson.JSONEncodeError:
        return None
    spellings = Counter(orjson.dumps(number) for number in floats.rare)
    for spelling, occurrences in spellings.items():
        canonical = rfc8785.dumps(float(spelling))
        if text is not None and canonical != spelling:
            text = _respell(text, spelling, canonical, occurrences)
    if text is None:
        return None
    text, replaced = _INTEGRAL_END.subn(b"", text)
    if replaced != floats.integral:
        return None  # a string holds such a sequence: it cannot be told from a float
    if _sort_sensitive(text):  # a key might sort differently in UTF-16
        return None
    return text
