"""The project's single unit registry and the cached unit resolution used on the hot path.

Design (see ``units.txt``):

* One :class:`pint.UnitRegistry` built from ``units.txt`` only; CO2e is its own base dimension,
  so ``1 kg + 1 kg CO2e`` raises.
* Every quantity field declares a :class:`Dimension` (``MASS``, ``ENERGY``, ...) with a
  canonical unit. A unit string is normalised and resolved **once** (``resolve_unit`` is
  cached); after that, turning a value into its canonical magnitude is one float multiplication.
* Quantities on the wire are ``"23 400 g"`` strings or ``{"value": 23400, "unit": "g"}`` objects.
  :data:`QUANTITY_STRING_PATTERN` is the one regular expression for the string form; the JSON
  Schema publishes the same pattern, so the schema and the models agree on what parses.
"""

from __future__ import annotations

import decimal
import difflib
import math
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any, NamedTuple

import pint

from compliance.errors import DimensionalityError, UndefinedUnitError, UnitError
from compliance.resources import read_package_text

__all__ = [
    "CANONICAL_UNIT",
    "MAGNITUDE_RANGE",
    "NONNEGATIVE_QUANTITY_PATTERN",
    "QUANTITY_MAX_LENGTH",
    "QUANTITY_STRING_PATTERN",
    "UNIT_MAX_LENGTH",
    "Dimension",
    "Quantity",
    "ResolvedUnit",
    "magnitude_in_range",
    "make_quantity",
    "normalize_unit",
    "parse_quantity_string",
    "resolve_unit",
    "split_quantity_match",
    "ureg",
]

# --------------------------------------------------------------------------- registry

_DEFINITIONS = read_package_text("units.txt").splitlines()

ureg: pint.UnitRegistry[float] = pint.UnitRegistry(filename=None, cache_folder=None)
"""The one unit registry of the project (definitions from ``units.txt``), float magnitudes."""
ureg.load_definitions(_DEFINITIONS)

# The same definitions with Decimal arithmetic, used only to derive conversion factors once per
# unit string: 1 kWh is then exactly 3.6 MJ instead of 3.5999999999999996 MJ.
_exact: pint.UnitRegistry[Decimal] = pint.UnitRegistry(
    filename=None, cache_folder=None, non_int_type=Decimal
)
_exact.load_definitions(_DEFINITIONS)


class Dimension(Enum):
    """Physical dimensions used by the documents, each with a canonical unit.

    The value is ``(pint dimensionality string, canonical unit, human name)``.
    """

    MASS = ("[mass]", "kg", "mass")
    ENERGY = ("[energy]", "kWh", "energy")
    CHARGE = ("[charge]", "Ah", "electric charge")
    VOLTAGE = ("[voltage]", "V", "voltage")
    POWER = ("[power]", "W", "power")
    RESISTANCE = ("[resistance]", "ohm", "electrical resistance")
    LENGTH = ("[length]", "km", "distance")
    TIME = ("[time]", "year", "duration")
    VOLUME = ("[volume]", "m3", "volume")
    ITEMS = ("[item]", "piece", "number of pieces")
    SPECIFIC_ENERGY = ("[energy] / [mass]", "MJ/kg", "specific energy")
    ENERGY_PER_LENGTH = ("[energy] / [length]", "kWh/km", "energy per distance")
    EMISSION = ("[co2e] * [mass]", "kg CO2e", "emission (CO2e mass)")
    EMISSION_PER_MASS = ("[co2e]", "kg CO2e/kg", "emission factor per mass")
    EMISSION_PER_ENERGY = (
        "[co2e] * [mass] / [energy]",
        "kg CO2e/kWh",
        "emission factor per energy",
    )
    EMISSION_PER_VOLUME = ("[co2e] * [mass] / [volume]", "kg CO2e/m3", "emission factor per volume")
    EMISSION_PER_ITEM = ("[co2e] * [mass] / [item]", "kg CO2e/piece", "emission factor per piece")
    EMISSION_PER_TRANSPORT = (
        "[co2e] / [length]",
        "kg CO2e/tkm",
        "emission factor per tonne-kilometre",
    )

    # Plain attributes set once below (faster than properties on the validation hot path).
    canonical_unit: str
    """The unit canonical magnitudes are expressed in."""
    label: str
    """Human name used in messages ("a mass", "an energy" ...)."""
    dimensionality: Any
    """The pint dimensionality (a ``UnitsContainer``)."""

    @classmethod
    def for_dimensionality(cls, dimensionality: Any) -> Dimension | None:
        """The dimension with this dimensionality, if the project knows it."""
        return _BY_DIMENSIONALITY.get(dimensionality)

    def times(self, other: Dimension) -> Any:
        """Dimensionality of the product of two dimensions."""
        return self.dimensionality * other.dimensionality


for _d in Dimension:
    _d.canonical_unit = _d.value[1]
    _d.label = _d.value[2]
    _d.dimensionality = _exact.get_dimensionality(_d.value[0])
_BY_DIMENSIONALITY = {d.dimensionality: d for d in Dimension}
CANONICAL_UNIT: dict[Dimension, str] = {d: d.canonical_unit for d in Dimension}
"""Canonical unit per dimension."""


# --------------------------------------------------------------------------- normalisation

# These run after blank runs are collapsed to one space (_SPACES_RE), so they match single
# optional spaces: a "\s*" before a literal is retried from every blank of a long run
# (quadratic; tests/unit/test_regex_audit.py).
_CO2E_RE = re.compile(r" ?CO[2₂][ _-]?e(?:q(?:uivalent|uiv)?)?\.?(?![A-Za-z0-9])")
_TKM_RE = re.compile(r"(?<![A-Za-z])t ?[·⋅*. ] ?km(?![A-Za-z])")
_MULT_RE = re.compile(r" ?[·⋅\u00d7] ?")  # middle dot, dot operator, multiplication sign
_SPACES_RE = re.compile(r"\s+")
_SUPERSCRIPTS = str.maketrans({"²": "**2", "³": "**3", "\u2126": "Ω"})


@lru_cache(maxsize=4096)
def normalize_unit(unit: str) -> str:
    """Normalise the spellings suppliers use into pint syntax.

    ``CO2-eq``/``CO2eq``/``CO₂e`` become ``CO2e`` (and ``kgCO2e`` becomes ``kg CO2e``); ``t·km``
    and ``t km`` become the ``tkm`` unit, so that ``kg CO2e/t·km`` means per tonne-kilometre and
    not ``(kg CO2e/t)·km``; ``·`` and the multiplication sign become ``*``; superscripts
    become powers.

    >>> normalize_unit("kgCO2-eq/t·km")
    'kg CO2e/tkm'
    >>> normalize_unit("g CO₂e / kWh")
    'g CO2e / kWh'
    >>> normalize_unit("m³")
    'm**3'
    """
    text = _SPACES_RE.sub(" ", unit.strip())
    text = _TKM_RE.sub("tkm", text)
    text = _CO2E_RE.sub(" CO2e", text).strip()
    text = text.replace("/ CO2e", "/CO2e")
    text = _MULT_RE.sub("*", text)
    return text.translate(_SUPERSCRIPTS)


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True, slots=True)
class ResolvedUnit:
    """A unit string resolved against the registry (computed once per distinct string)."""

    text: str
    dimension: Dimension | None
    dimensionality: str
    scale: float
    divisor: float
    """``canonical = value * scale / divisor``; one of the two is 1, so the conversion is a
    single correctly rounded operation (``23400 g`` gives exactly ``23.4 kg``)."""

    @property
    def factor(self) -> float:
        """Multiply a magnitude in ``text`` by this to get the canonical unit."""
        return self.scale / self.divisor

    def to_canonical(self, value: float) -> float:
        """Convert a magnitude in this unit to the canonical unit of its dimension."""
        return value * self.scale / self.divisor


def _unit_names() -> list[str]:
    names: set[str] = set()
    for name, definition in ureg._units.items():
        names.add(name)
        symbol = getattr(definition, "symbol", None)
        if symbol:
            names.add(symbol)
        names.update(getattr(definition, "aliases", ()) or ())
    return sorted(names)


_KNOWN = _unit_names()
_KNOWN_LOWER = {n.lower(): n for n in _KNOWN}
_COMMON_MISTAKES = {
    "kgs": "kg",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "mj": "MJ",
    "gj": "GJ",
    "ah": "Ah",
    "ton": "t",
    "tons": "t",
    "tonnes": "t",
    "co2": "CO2e",
    "hrs": "h",
    "km2": "km**2",
}


def _parses(text: str) -> bool:
    try:
        _exact.parse_units(text)
    except Exception:  # any parser failure means "no"
        return False
    return True


def _suggest(token: str) -> list[str]:
    hint = _COMMON_MISTAKES.get(token.lower())
    if hint:
        return [hint]
    same_case = _KNOWN_LOWER.get(token.lower())
    if same_case:
        return [same_case]
    for variant in (token.lower(), token[:1].lower() + token[1:]):
        if variant != token and _parses(variant):
            return [variant]
    return difflib.get_close_matches(token, _KNOWN, n=3, cutoff=0.75)


# Names, numbers, powers, products and quotients; pint alone would also read "kg, m" or
# "kg @ m" as a product, which is never what a supplier meant. The expression is read token by
# token (one anchored match per token, each token decided by its first character), never with a
# repeated alternation over the whole string: "(?:name|...)+" can split "aaaa...a!" in
# exponentially many ways before failing (issue 14, item 1).
_UNIT_TOKEN_RE = re.compile(
    r"[A-Za-zµμΩ\u2126_][A-Za-z0-9µμΩ\u2126_]*|\d+(?:\.\d+)?|\*\*-?\d+|\^-?\d+|[*/() ]"
)

UNIT_MAX_LENGTH = 100
"""Longest unit string accepted (``"kg CO2e/(t*km)"`` has 14 characters); the JSON Schema publishes
the same bound for the ``unit`` of a quantity object."""


def _is_unit_syntax(text: str) -> bool:
    """True when ``text`` is a sequence of unit tokens (linear time in the length of ``text``)."""
    position, end = 0, len(text)
    match = _UNIT_TOKEN_RE.match
    while position < end:
        token = match(text, position)
        if token is None:
            return False
        position = token.end()
    return True


@lru_cache(maxsize=4096)
def resolve_unit(unit: str) -> ResolvedUnit:
    """Resolve a unit string to its dimension and canonical conversion factor (cached).

    Raises:
        UndefinedUnitError: The unit (or one of its parts) is not in the registry.
        UnitError: The string is not a unit expression or is not multiplicative.

    >>> r = resolve_unit("g")
    >>> r.dimension.name, r.factor
    ('MASS', 0.001)
    >>> resolve_unit("kg CO2e/t").factor
    0.001
    """
    if len(unit) > UNIT_MAX_LENGTH:
        raise UnitError(unit[:40] + "...", f"the unit is longer than {UNIT_MAX_LENGTH} characters")
    text = normalize_unit(unit)
    if not text:
        raise UnitError(unit, "the unit is empty")
    if not _is_unit_syntax(text) or "//" in text:
        raise UnitError(unit, f"{unit.strip()!r} is not a unit expression such as 'kg CO2e/kWh'")
    try:
        return _resolve(unit, text)
    except decimal.DecimalException:  # "kg**99999999999999999999": Overflow, InvalidOperation
        raise UnitError(unit, _OUT_OF_RANGE.format(unit=unit.strip())) from None


_OUT_OF_RANGE = (
    "{unit!r} is out of range: its conversion factor is too large or too small for a number"
)


def _finite_factor(unit: str, forward: Decimal) -> float:
    """``forward`` as a float, refused when it (or its reciprocal) leaves the normal float range.

    ``"1 kg*10**400"`` would otherwise convert with an infinite factor (issue 14, item 5).
    """
    factor = float(forward)
    if not (sys.float_info.min <= factor <= sys.float_info.max) or float(1 / forward) == 0:
        raise UnitError(unit, _OUT_OF_RANGE.format(unit=unit.strip()))
    return factor


def _resolve(unit: str, text: str) -> ResolvedUnit:
    try:
        parsed = _exact.parse_expression(text)  # also reads scaled units: "kWh/(100 km)"
    except pint.UndefinedUnitError as exc:
        bad = exc.unit_names[0] if isinstance(exc.unit_names, (list, tuple)) else exc.unit_names
        bad = str(bad)
        suggestions = _suggest(bad) or _suggest(unit.strip())
        hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        where = "" if bad == unit.strip() else f" in {unit.strip()!r}"
        raise UndefinedUnitError(unit, f"unknown unit {bad!r}{where}{hint}", suggestions) from None
    except Exception as exc:  # pint raises assorted parser errors for garbage strings
        raise UnitError(unit, f"{unit!r} is not a unit expression ({type(exc).__name__})") from None
    if not isinstance(parsed, _exact.Quantity) or parsed.dimensionless or parsed.magnitude <= 0:
        raise UnitError(unit, f"{unit.strip()!r} is not a unit expression such as 'kg CO2e/kWh'")
    dimensionality = parsed.dimensionality
    dimension = Dimension.for_dimensionality(dimensionality)
    if dimension is None:
        return ResolvedUnit(
            text, None, _describe_dimensionality(dimensionality), math.nan, math.nan
        )
    canonical = _exact.parse_units(normalize_unit(dimension.canonical_unit))
    forward = Decimal(parsed.to(canonical).magnitude)
    _finite_factor(unit, forward)
    if forward >= 1:
        return ResolvedUnit(text, dimension, str(dimensionality), float(forward), 1.0)
    return ResolvedUnit(text, dimension, str(dimensionality), 1.0, float(1 / forward))


def _describe_dimensionality(dimensionality: Any) -> str:
    dimension = Dimension.for_dimensionality(dimensionality)
    return dimension.label if dimension else str(dimensionality)


def require_dimension(unit: str, allowed: tuple[Dimension, ...]) -> ResolvedUnit:
    """Resolve ``unit`` and check that its dimension is one of ``allowed``.

    Raises:
        DimensionalityError: The unit resolves to another dimension.

    >>> require_dimension("MJ", (Dimension.ENERGY,)).factor
    0.2777777777777778
    """
    resolved = resolve_unit(unit)
    if resolved.dimension not in allowed:
        expected = " or ".join(f"{d.label} (e.g. {d.canonical_unit})" for d in allowed)
        got = resolved.dimension.label if resolved.dimension else resolved.dimensionality
        raise DimensionalityError(
            unit, f"expected {expected}, got {unit.strip()!r} which is {_article(got)} {got}"
        )
    return resolved


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeio" else "a"


# --------------------------------------------------------------------------- quantities

_NUMBER = (
    r"(?:\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?"
    r"|\.\d+(?:[eE][+-]?\d+)?"
)
# The unit runs to its last non-blank character on the line. Written greedily, with the last
# character required to be non-blank, instead of as a lazy "[^\n]*?" before "\s*$": the lazy form
# retries the trailing "\s*$" after every character and is quadratic on long blank runs
# (issue 14, item 2).
_UNIT = r"[^\s\d.,+\-](?:[^\n]*\S)?"
QUANTITY_STRING_PATTERN = rf"^\s*([+-]?(?:{_NUMBER}))\s*({_UNIT})\s*$"
"""Regular expression of the string form of a quantity, e.g. ``"23 400 g"`` or ``"-1.5e3 kg CO2e"``.

Valid in both Python ``re`` and ECMA-262 (the JSON Schema pattern dialect); group 1 is the number,
group 2 the unit. Linear time in the length of the text (``tests/unit/test_regex_audit.py``)."""
QUANTITY_MAX_LENGTH = 200
"""Longest quantity string accepted (a number, blanks and a unit of at most
:data:`UNIT_MAX_LENGTH` characters); the JSON Schema publishes the same ``maxLength``."""
NONNEGATIVE_QUANTITY_PATTERN = rf"^\s*(\+?(?:{_NUMBER}))\s*({_UNIT})\s*$"
"""The same, without a minus sign (for quantities that can never be negative)."""

MAGNITUDE_RANGE = (1e-15, 1e15)
"""Smallest and largest non-zero absolute magnitude a quantity may have in its canonical unit.

A numeric-safety range, not a plausibility one (1 ng is 1e-12 kg, a plant's yearly electricity
1e9 kWh): any product of four such magnitudes and any sum of a million of them stays a finite
float, so no calculation on a validated document overflows to infinity or loses a value to a
subnormal (issue 14, item 6). Zero is always allowed."""


def magnitude_in_range(magnitude: float) -> bool:
    """True when ``magnitude`` is zero or its absolute value lies within :data:`MAGNITUDE_RANGE`.

    >>> magnitude_in_range(0.0), magnitude_in_range(-23.4), magnitude_in_range(1e308)
    (True, True, False)
    """
    low, high = MAGNITUDE_RANGE
    return magnitude == 0 or low <= abs(magnitude) <= high


_QUANTITY_RE = re.compile(QUANTITY_STRING_PATTERN)
_THOUSANDS_RE = re.compile(r"[ \u00a0\u2009\u202f]")


def parse_quantity_string(text: str) -> tuple[float, str]:
    """Split ``"23 400 g"`` into ``(23400.0, "g")``.

    Spaces (also no-break and thin spaces) group thousands; the decimal mark is a point.

    Raises:
        ValueError: The text is not ``<number> <unit>``.

    >>> parse_quantity_string("23 400 g")
    (23400.0, 'g')
    >>> parse_quantity_string("0.5 kg CO2e/kWh")
    (0.5, 'kg CO2e/kWh')
    """
    match = _QUANTITY_RE.search(text)
    if match is None:
        raise ValueError(f"{text!r} is not a quantity like '12.5 kg'")
    return split_quantity_match(match)


def split_quantity_match(match: re.Match[str]) -> tuple[float, str]:
    """Number and unit from a match of :data:`QUANTITY_STRING_PATTERN` (or the non-negative one)."""
    number, unit = match.group(1, 2)
    try:
        return float(number), unit
    except ValueError:  # digits grouped by blanks ("23 400"), the only thing float() refuses
        return float(_THOUSANDS_RE.sub("", number)), unit


class Quantity(NamedTuple):
    """A validated quantity: the value and unit as given, and the canonical magnitude.

    ``magnitude`` is ``value`` expressed in ``dimension.canonical_unit``; calculations use it
    directly (plain float arithmetic) and never re-parse units. Immutable (a named tuple, which
    is also the cheapest immutable object to create on the validation hot path).
    """

    value: float
    unit: str
    dimension: Dimension
    magnitude: float

    @property
    def canonical_unit(self) -> str:
        """Unit of :attr:`magnitude`."""
        return self.dimension.canonical_unit

    def to(self, unit: str) -> float:
        """The value expressed in another unit of the same dimension."""
        target = require_dimension(unit, (self.dimension,))
        return self.magnitude * target.divisor / target.scale

    def to_pint(self) -> pint.Quantity[float]:
        """A pint quantity in the canonical unit (for reports and ad-hoc arithmetic)."""
        return ureg.Quantity(self.magnitude, normalize_unit(self.dimension.canonical_unit))

    def to_wire(self) -> dict[str, float | str]:
        """The ``{"value", "unit"}`` form, as given by the supplier."""
        return {"value": self.value, "unit": self.unit}

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit}"


def make_quantity(value: float, unit: str, allowed: tuple[Dimension, ...]) -> Quantity:
    """Build a :class:`Quantity`, checking the unit's dimension against ``allowed``.

    Raises:
        UnitError: Unknown unit or wrong dimension (see :func:`require_dimension`).

    >>> make_quantity(23400, "g", (Dimension.MASS,)).magnitude
    23.4
    """
    resolved = require_dimension(unit, allowed)
    assert resolved.dimension is not None  # guaranteed by require_dimension
    number = float(value)
    return Quantity(number, unit.strip(), resolved.dimension, resolved.to_canonical(number))
