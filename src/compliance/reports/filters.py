"""Presentation formatting: the one place where numbers, dates and units become text.

Every number a report shows goes through these functions (registered as Jinja2 filters by
:mod:`compliance.reports.html`), formatted per locale by Babel. Rounding policy
(``shared/docs/cfp-methodology.md`` 2.8): results keep full precision; displays show at least
three significant figures and never round away integer digits (``5234.8`` shows as ``5,235``,
``0.0859173`` as ``0.0859``), rounding half to even on the shortest decimal representation of
the float. Emission values keep trailing zeros (``0.0800``, a computed value shown to three
figures); other quantities (energies, masses, years: mostly declared inputs) drop them (``8
years``). Units CLDR knows (kg, t, kWh, km, years ...) are written the locale's way (``8 years``,
``8 年``); CO2e units keep their symbol, with the 2 as a subscript in HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal, localcontext
from functools import wraps
from typing import Any, Literal, ParamSpec, Protocol, TypeVar

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit as babel_format_unit
from markupsafe import Markup, escape

__all__ = [
    "MISSING",
    "MeasureLike",
    "format_count",
    "format_date",
    "format_datetime",
    "format_fixed",
    "format_list_items",
    "format_measure",
    "format_number",
    "format_percent_share",
    "format_unit",
    "format_w3c",
    "format_year_month",
    "fraction_digits",
    "make_filters",
]

MISSING = "\u2014"
"""Shown for a value that is absent (em dash)."""

NBSP = "\u00a0"

# Canonical engine unit -> (CLDR unit id, CLDR length). Others keep their symbol.
_CLDR_UNITS: dict[str, tuple[str, Literal["short", "long"]]] = {
    "kg": ("mass-kilogram", "short"),
    "t": ("mass-tonne", "short"),
    "kWh": ("energy-kilowatt-hour", "short"),
    "km": ("length-kilometer", "short"),
    "year": ("duration-year", "long"),
    "m3": ("volume-cubic-meter", "short"),
}


class MeasureLike(Protocol):
    """A value with its unit (``compliance.cfp.result.Measure`` and friends)."""

    @property
    def value(self) -> float:
        """The magnitude."""

    @property
    def unit(self) -> str:
        """The unit symbol, e.g. ``kg CO2e/kWh``."""


_P = ParamSpec("_P")
_R = TypeVar("_R")

_DECIMAL_PRECISION = 800
"""Digits of the decimal context numbers are formatted in: every finite double written out in
full (at most 309 integer digits, or 324 leading fraction zeros plus its significant digits).
Babel quantizes in the current context, whose default 28 digits raised ``InvalidOperation`` for
any value from 1e28 on (issue 14, item 7)."""


def _wide_decimals(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a formatter in a decimal context wide enough for every finite double."""

    @wraps(function)
    def formatted(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(prec=_DECIMAL_PRECISION):
            return function(*args, **kwargs)

    return formatted


def fraction_digits(value: float, significant: int = 3) -> int:
    """Decimals needed to show ``value`` with at least ``significant`` significant figures.

    >>> fraction_digits(0.0859173), fraction_digits(12.345), fraction_digits(5234.8)
    (4, 1, 0)
    >>> fraction_digits(0.0)
    0
    """
    if value == 0:
        return 0
    exponent = Decimal(repr(abs(value))).adjusted()
    return max(0, significant - 1 - exponent)


def _pattern(digits: int, *, trim: bool = False) -> str:
    return "#,##0" + ("." + ("#" if trim else "0") * digits if digits else "")


@_wide_decimals
def format_number(value: float, locale: Locale, significant: int = 3) -> str:
    """A number with at least ``significant`` significant figures, grouped per locale.

    >>> from babel import Locale
    >>> format_number(0.0859173, Locale("en", "GB")), format_number(-5234.8, Locale("ja"))
    ('0.0859', '-5,235')
    """
    value = value + 0.0  # -0.0 -> 0.0
    digits = fraction_digits(value, significant)
    return format_decimal(Decimal(repr(value)), format=_pattern(digits), locale=locale)


@_wide_decimals
def format_fixed(value: float, locale: Locale, digits: int = 2) -> str:
    """A number with exactly ``digits`` decimals (scores such as the DQR).

    >>> from babel import Locale
    >>> format_fixed(1.75, Locale("ja"))
    '1.75'
    """
    return format_decimal(Decimal(repr(value + 0.0)), format=_pattern(digits), locale=locale)


@_wide_decimals
def format_count(value: float, locale: Locale) -> str:
    """A whole number with grouping (sample counts, cycles).

    >>> from babel import Locale
    >>> format_count(10000, Locale("en", "GB"))
    '10,000'
    """
    return format_decimal(value, format="#,##0.###", locale=locale)


@_wide_decimals
def format_percent_share(share: float | None, locale: Locale, digits: int = 1) -> str:
    """A share (0.25) as a percentage (``25.0%``); negative shares stay negative; ``None`` -> dash.

    >>> from babel import Locale
    >>> format_percent_share(-0.03346, Locale("en", "GB"))
    '-3.3%'
    """
    if share is None:
        return MISSING
    return format_percent(Decimal(repr(share + 0.0)), format=_pattern(digits) + "%", locale=locale)


def format_unit(unit: str) -> Markup:
    """A unit symbol for HTML, CO2 with its subscript.

    >>> format_unit("kg CO2e/kWh")
    Markup('kg CO<sub>2</sub>e/kWh')
    """
    return Markup(str(escape(unit)).replace("CO2", "CO<sub>2</sub>"))


@_wide_decimals
def format_measure(value: float | None, unit: str, locale: Locale, significant: int = 3) -> Markup:
    r"""A value with its unit, the CLDR way where CLDR knows the unit.

    >>> from babel import Locale
    >>> format_measure(8.0, "year", Locale("ja"))
    Markup('8\xa0年')
    >>> format_measure(0.0859173, "kg CO2e/kWh", Locale("en", "GB"))
    Markup('0.0859\xa0<span class="unit">kg CO<sub>2</sub>e/kWh</span>')
    """
    if value is None:
        return Markup(MISSING)
    value = value + 0.0
    digits = fraction_digits(value, significant)
    trim = "CO2" not in unit
    pattern = _pattern(digits, trim=trim)
    cldr = _CLDR_UNITS.get(unit)
    if cldr is not None:
        shown = round(Decimal(repr(value)), digits)
        if trim and shown == shown.to_integral_value():
            shown = shown.to_integral_value()  # plural rules: "1 year", not "1.0 years"
        text = babel_format_unit(shown, cldr[0], length=cldr[1], format=pattern, locale=locale)
        return Markup(escape(text.replace(" ", NBSP)))
    number = format_decimal(Decimal(repr(value)), format=pattern, locale=locale)
    # the unit never breaks at its slash ("kg CO2e/" + "kWh"): report.css keeps .unit together
    unit_markup = Markup('<span class="unit">') + format_unit(unit) + Markup("</span>")
    return Markup(escape(number + NBSP)) + unit_markup


def format_date(value: date, locale: Locale) -> str:
    """A calendar date, long form (``29 November 2026``, ``2026年11月29日``)."""
    return babel_format_date(value, format="long", locale=locale)


def format_year_month(value: str, locale: Locale) -> str:
    """A month of a year given as ``YYYY-MM`` (``March 2027``, ``2027年3月``).

    >>> from babel import Locale
    >>> format_year_month("2027-03", Locale("en", "GB")), format_year_month("2027-03", Locale("ja"))
    ('March 2027', '2027年3月')
    """
    year, month = value.split("-", 1)
    return format_skeleton("yMMMM", date(int(year), int(month), 1), locale=locale)


def format_datetime(value: datetime, locale: Locale) -> str:
    """A timestamp in UTC, long form."""
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return babel_format_datetime(moment, format="long", tzinfo=UTC, locale=locale)


def format_list_items(items: Iterable[str], locale: Locale) -> str:
    """A list joined the locale's way (``a, b and c``; ``a、b、c``).

    >>> from babel import Locale
    >>> format_list_items(["grid", "on-site"], Locale("en", "GB"))
    'grid and on-site'
    """
    return format_list(list(items), style="standard", locale=locale)


def format_w3c(value: datetime) -> str:
    """A timestamp for document metadata (W3C/ISO 8601 in UTC, no locale).

    >>> format_w3c(datetime(2026, 11, 29, tzinfo=UTC))
    '2026-11-29T00:00:00Z'
    """
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_filters(locale: Locale) -> dict[str, Callable[..., Any]]:
    """The Jinja2 filters of one locale.

    ``num``, ``fixed``, ``count``, ``percent`` (a share, 0.25), ``pct`` (a value already in
    percent, 25), ``share`` (a share with at least three significant figures, for small mass
    fractions: 5e-06 is ``0.000500%``), ``measure`` (an object with ``value`` and
    ``unit``, or ``None``), ``quantity`` (a bare value and its unit), ``unit``, ``date``,
    ``datetime``, ``year_month``, ``w3c``, ``join_list`` and ``label`` (a code's label from a
    mapping, the code itself when the mapping has none).
    """

    def measure(item: MeasureLike | None, significant: int = 3) -> Markup:
        if item is None:
            return Markup(MISSING)
        return format_measure(item.value, item.unit, locale, significant)

    def number(value: float | None, significant: int = 3) -> str:
        return MISSING if value is None else format_number(value, locale, significant)

    def percent_points(value: float | None, digits: int = 0) -> str:
        # a value already in percent (0-100, as questionnaires and DD results give them)
        return format_percent_share(None if value is None else value / 100, locale, digits)

    def quantity(value: float | None, unit: str, significant: int = 3) -> Markup:
        return format_measure(value, unit, locale, significant)

    def fixed(value: float | None, digits: int = 2) -> str:
        return MISSING if value is None else format_fixed(value, locale, digits)

    return {
        "num": number,
        "fixed": fixed,
        "count": lambda value: format_count(value, locale),
        "percent": lambda share, digits=1: format_percent_share(share, locale, digits),
        "pct": percent_points,
        "share": lambda share, significant=3: format_percent_share(
            share, locale, max(1, fraction_digits((share or 0.0) * 100, significant))
        ),
        "measure": measure,
        "quantity": quantity,
        "unit": format_unit,
        "date": lambda value: format_date(value, locale),
        "datetime": lambda value: format_datetime(value, locale),
        "year_month": lambda value: format_year_month(value, locale),
        "w3c": format_w3c,
        "join_list": lambda items: format_list_items(items, locale),
        "label": lambda code, labels: labels.get(code, code),
    }
