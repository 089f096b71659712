"""Quantity fields: ``"23 400 g"`` or ``{"value": 23400, "unit": "g"}`` on the wire.

A field is declared with the dimension(s) it accepts::

    mass: Annotated[Quantity, QuantityField(Dimension.MASS)]

Validation resolves the unit once per distinct string (``compliance.units.resolve_unit`` is
cached), checks the dimension and stores a :class:`~compliance.units.Quantity` holding the value
and unit as given plus the canonical magnitude. The JSON Schema of the field is a single
``{"type": ["string", "object"]}`` schema (``pattern`` applies to the string form, ``properties``
to the object form), annotated with ``x-dimension`` and ``x-canonical-unit``.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from compliance.errors import UnitError
from compliance.units import (
    MAGNITUDE_RANGE,
    NONNEGATIVE_QUANTITY_PATTERN,
    QUANTITY_MAX_LENGTH,
    QUANTITY_STRING_PATTERN,
    UNIT_MAX_LENGTH,
    Dimension,
    Quantity,
    magnitude_in_range,
    require_dimension,
    resolve_unit,
    split_quantity_match,
)

__all__ = ["QuantityField", "quantity_json_schema"]

_UNIT_PATTERN = r"\S"
_MEMO_LIMIT = 2048
_new_tuple = tuple.__new__


def _fail(code: str, message: str, **context: Any) -> PydanticCustomError:
    # Braces in user-supplied text would be read as pydantic message placeholders.
    safe = message.replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(code, safe, context)


class QuantityField:
    """``Annotated`` metadata making a :class:`Quantity` field of the given dimensions.

    Args:
        dimensions: Accepted dimensions (several for e.g. fuel amounts: energy, volume or mass).
        signed: Allow negative values (emission factors and credits); default non-negative.
    """

    __slots__ = ("_memo", "_re", "dimensions", "signed")

    def __init__(self, *dimensions: Dimension, signed: bool = False) -> None:
        if not dimensions:
            raise ValueError("a quantity field needs at least one dimension")
        self.dimensions = dimensions
        self.signed = signed
        self._re = re.compile(QUANTITY_STRING_PATTERN if signed else NONNEGATIVE_QUANTITY_PATTERN)
        self._memo: dict[str, Quantity] = {}

    # -- validation -------------------------------------------------------------------------

    def validate(self, raw: Any) -> Quantity:
        """Turn wire input into a :class:`Quantity`, raising pydantic custom errors.

        Valid string inputs are memoised per field (bounded): factor strings such as
        ``"20 kg CO2e/kg"`` repeat across lines and documents, and a :class:`Quantity` is
        immutable, so the same object can be shared.
        """
        if type(raw) is str:
            hit = self._memo.get(raw)
            if hit is not None:
                return hit
            quantity = self._validate(raw)
            if len(self._memo) < _MEMO_LIMIT:
                self._memo[raw] = quantity
            return quantity
        return self._validate(raw)

    def _validate(self, raw: Any) -> Quantity:
        if isinstance(raw, str):
            if len(raw) > QUANTITY_MAX_LENGTH:
                raise _fail("quantity.too-long", f"is longer than {QUANTITY_MAX_LENGTH} characters")
            match = self._re.search(raw)
            if match is None:
                raise self._format_error(raw)
            value, unit = split_quantity_match(match)
            at: str | None = None
        elif isinstance(raw, dict):
            value, unit = self._from_object(raw)
            at = "unit"
        elif isinstance(raw, Quantity):
            value, unit, at = raw.value, raw.unit, None
        else:
            raise _fail(
                "quantity.type",
                f"expected a {self._label()} with a unit, e.g. {self._example()!r} or "
                f'{{"value": 12.5, "unit": "{self.dimensions[0].canonical_unit}"}}',
            )
        if not math.isfinite(value):
            raise _fail("quantity.not-finite", "the value must be a finite number", at="value")
        if value < 0 and not self.signed:
            raise _fail("quantity.negative", f"a {self._label()} cannot be negative", at="value")
        try:
            resolved = resolve_unit(unit)
            if resolved.dimension not in self.dimensions:
                resolved = require_dimension(unit, self.dimensions)  # raises with the message
        except UnitError as exc:
            context: dict[str, Any] = {"unit": unit, "expected": [d.label for d in self.dimensions]}
            if at:
                context["at"] = at
            if exc.suggestions:
                context["suggestions"] = list(exc.suggestions)
            raise _fail(exc.code, exc.message, **context) from None
        assert resolved.dimension is not None
        magnitude = resolved.to_canonical(value)
        if not magnitude_in_range(magnitude):
            raise self._range_error(value, unit, resolved.dimension, magnitude, at)
        # tuple.__new__ skips the named tuple's Python-level __new__ (hot path; same fields)
        return _new_tuple(Quantity, (value, unit.strip(), resolved.dimension, magnitude))

    @staticmethod
    def _range_error(
        value: float, unit: str, dimension: Dimension, magnitude: float, at: str | None
    ) -> PydanticCustomError:
        low, high = MAGNITUDE_RANGE
        context: dict[str, Any] = {"magnitude": magnitude, "low": low, "high": high}
        if at:
            context["at"] = "value"
        return _fail(
            "quantity.out-of-range",
            f"{value:g} {unit.strip()} is {magnitude:g} {dimension.canonical_unit}; quantities "
            f"must be 0 or between {low:g} and {high:g} {dimension.canonical_unit} in size",
            **context,
        )

    def _from_object(self, raw: dict[str, Any]) -> tuple[float, str]:
        if len(raw) != 2 or "value" not in raw or "unit" not in raw:
            extra = sorted(set(raw) - {"value", "unit"})
            if extra:
                raise _fail(
                    "quantity.extra", f"unexpected key {extra[0]!r} in a quantity", at=extra[0]
                )
            missing = "value" if "value" not in raw else "unit"
            raise _fail("quantity.missing", f"a quantity needs {missing!r}", at=missing)
        value, unit = raw["value"], raw["unit"]
        if type(value) is not float and (isinstance(value, bool) or not isinstance(value, int)):
            raise _fail("quantity.value-type", "'value' must be a number, not text", at="value")
        if not isinstance(unit, str) or not unit.strip():
            raise _fail("quantity.unit-type", "'unit' must be a non-empty string", at="unit")
        if len(unit) > UNIT_MAX_LENGTH:
            raise _fail(
                "quantity.too-long",
                f"'unit' is longer than {UNIT_MAX_LENGTH} characters",
                at="unit",
            )
        try:
            number = float(value)
        except OverflowError:
            raise _fail("quantity.not-finite", "the value is too large", at="value") from None
        return number, unit

    def _format_error(self, raw: str) -> PydanticCustomError:
        if not self.signed and raw.strip().startswith("-"):
            return _fail("quantity.negative", f"a {self._label()} cannot be negative")
        return _fail(
            "quantity.format",
            f"{raw[:60]!r} is not a quantity; expected '<number> <unit>' "
            f"such as {self._example()!r}",
        )

    def _label(self) -> str:
        return " or ".join(d.label for d in self.dimensions)

    def _example(self) -> str:
        return f"12.5 {self.dimensions[0].canonical_unit}"

    # -- pydantic hooks -----------------------------------------------------------------------

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self.validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _serialize, when_used="always"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return quantity_json_schema(self.dimensions, signed=self.signed)


def _serialize(quantity: Quantity) -> dict[str, float | str]:
    # Quantity.to_wire inlined: runs once per quantity of every dump.
    return {"value": quantity.value, "unit": quantity.unit}


def quantity_json_schema(dimensions: tuple[Dimension, ...], *, signed: bool) -> dict[str, Any]:
    """The JSON Schema of a quantity field (string or ``{value, unit}`` object)."""
    value_schema: dict[str, Any] = {"type": "number"}
    if not signed:
        value_schema["minimum"] = 0
    first = dimensions[0]
    single = len(dimensions) == 1
    return {
        "type": ["string", "object"],
        "maxLength": QUANTITY_MAX_LENGTH,
        "pattern": QUANTITY_STRING_PATTERN if signed else NONNEGATIVE_QUANTITY_PATTERN,
        "properties": {
            "value": value_schema,
            "unit": {
                "type": "string",
                "minLength": 1,
                "maxLength": UNIT_MAX_LENGTH,
                "pattern": _UNIT_PATTERN,
            },
        },
        "required": ["value", "unit"],
        "additionalProperties": False,
        "x-dimension": first.value[0] if single else [d.value[0] for d in dimensions],
        "x-canonical-unit": (
            first.canonical_unit if single else {d.value[0]: d.canonical_unit for d in dimensions}
        ),
        "examples": [f"12.5 {first.canonical_unit}", {"value": 12.5, "unit": first.canonical_unit}],
    }
