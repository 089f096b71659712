r"""PACT value types the JSON Schemas cannot check: decimal strings, date-times, sign rules.

PACT v2.x and v3.0 carry emissions as *decimal strings* (``"1.63"``); the OpenAPI files declare
them ``type: string, format: decimal``, a format JSON Schema validators ignore, so ``"abc"`` passes
the schemas (PACT 3.0.4 OpenAPI, ``shared/docs/interop.md`` section 1.6). The published 3.0.3
named types fix the grammar ``^[+-]?\\d+(\\.\\d+)?$``: no exponent, no leading or trailing dot, no
blanks; the same grammar is applied to v2 decimals ("a dotted decimal", v2.3 section 5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

__all__ = [
    "DECIMAL_PATTERN",
    "DecimalProblem",
    "Sign",
    "parse_datetime",
    "parse_decimal",
    "plain_decimal",
    "sign_of_comment",
]

DECIMAL_PATTERN = re.compile(r"^[+-]?\d+(\.\d+)?$", re.ASCII)
"""PACT 3.0.3 ``Decimal``: an optional sign, digits, an optional dotted fraction; no exponent."""

_MAX_MAGNITUDE = Decimal("1e15")
"""The engine's numeric-safety range of quantities (``compliance.units.MAGNITUDE_RANGE``)."""


@dataclass(frozen=True, slots=True)
class DecimalProblem:
    """Why a value is not a PACT decimal (the message does not repeat the pointer)."""

    message: str


def parse_decimal(value: object) -> Decimal | DecimalProblem:
    """A PACT decimal string as a :class:`~decimal.Decimal`, or why it is not one.

    >>> parse_decimal("-1.50")
    Decimal('-1.50')
    >>> parse_decimal("1.2e3").message
    "'1.2e3' is not a PACT decimal: exponents are not allowed (PACT 3.0.3 Decimal), write '1200'"
    >>> parse_decimal(1.5).message
    'expected a decimal string such as "1.5", got the JSON number 1.5'
    """
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return DecimalProblem(
                f'expected a decimal string such as "{value}", got the JSON number {value}'
            )
        return DecimalProblem(f"expected a decimal string, got {type(value).__name__}")
    if DECIMAL_PATTERN.match(value) is None:
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return DecimalProblem(f"{value!r} is not a number")
        if not number.is_finite():
            return DecimalProblem(f"{value!r} is not a finite number")
        if "e" in value.lower():
            plain = format(number, "f")
            return DecimalProblem(
                f"{value!r} is not a PACT decimal: exponents are not allowed (PACT 3.0.3 "
                f"Decimal), write {plain!r}"
            )
        return DecimalProblem(
            f"{value!r} is not a PACT decimal (digits with an optional sign and dotted "
            "fraction, e.g. '12.5')"
        )
    number = Decimal(value)
    if abs(number) > _MAX_MAGNITUDE:
        return DecimalProblem(f"{value!r} is larger than 1e15, outside the engine's range")
    return number


class Sign(StrEnum):
    """A sign rule of a PACT decimal (the schemas' ``x-comment``, 3.0.3's named types)."""

    NON_NEGATIVE = ">= 0"
    NON_POSITIVE = "<= 0"
    POSITIVE = "> 0"

    def holds(self, number: Decimal) -> bool:
        """True when ``number`` obeys the rule."""
        if self is Sign.NON_NEGATIVE:
            return number >= 0
        if self is Sign.NON_POSITIVE:
            return number <= 0
        return number > 0

    @property
    def wording(self) -> str:
        """The rule in words."""
        return {
            Sign.NON_NEGATIVE: "zero or more",
            Sign.NON_POSITIVE: "zero or less",
            Sign.POSITIVE: "greater than zero",
        }[self]


def sign_of_comment(comment: object) -> Sign | None:
    """The sign rule an OpenAPI ``x-comment`` states, if any.

    >>> sign_of_comment("> 0")
    <Sign.POSITIVE: '> 0'>
    >>> sign_of_comment("free text") is None
    True
    """
    if not isinstance(comment, str):
        return None
    text = comment.strip()
    return next((s for s in Sign if s.value == text), None)


_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.ASCII | re.IGNORECASE
)


def parse_datetime(value: object) -> datetime | None:
    """An RFC 3339 date-time with a zone, in UTC; ``None`` if it is not one.

    >>> parse_datetime("2025-12-31T23:59:59Z")
    datetime.datetime(2025, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc)
    >>> parse_datetime("2025-12-31") is None
    True
    """
    if not isinstance(value, str) or _DATETIME.match(value) is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        if value.startswith("0000-"):  # RFC 3339 allows year 0; Python's datetime starts at 1
            return datetime.min.replace(tzinfo=UTC)
        return None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # an offset moving 0001-01-01 or 9999-12-31 out of range
        return (datetime.min if parsed.year == 1 else datetime.max).replace(tzinfo=UTC)


def plain_decimal(number: Decimal | float) -> str:
    """A number as a PACT decimal string: plain notation, at most 12 significant digits.

    >>> plain_decimal(Decimal("1.50")), plain_decimal(1e-7), plain_decimal(2.0 / 3)
    ('1.5', '0.0000001', '0.666666666667')
    >>> plain_decimal(0.0)
    '0'
    """
    value = number if isinstance(number, Decimal) else Decimal(repr(float(number)))
    if value != 0:
        value = value.quantize(Decimal(1).scaleb(value.adjusted() - 11))
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "+0") else text
