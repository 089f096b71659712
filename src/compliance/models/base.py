"""The shared pydantic configuration of every wire model, and small constrained types.

Rules that keep the models and the published JSON Schema in lock step (the schema is generated
from these models, and a differential test checks that the models never accept a document the
schema rejects):

* ``extra="forbid"`` everywhere (``additionalProperties: false``);
* numbers are strict (no ``"12"`` strings, no booleans) and finite;
* patterns use Python's ``re`` engine with ``search`` semantics, exactly as ``jsonschema`` does;
* no integer fields (JSON Schema's ``integer`` accepts ``1.0``, pydantic's strict ``int`` does not).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

__all__ = [
    "DATE_PATTERN",
    "EMAIL_PATTERN",
    "CountNumber",
    "Email",
    "IsoDate",
    "LineId",
    "LongText",
    "PositiveNumber",
    "RuleModel",
    "Share",
    "Text",
    "Url",
    "WireModel",
]


class WireModel(BaseModel):
    """Base class of all document models: frozen, closed, camelCase on the wire."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        regex_engine="python-re",
        use_attribute_docstrings=True,
        hide_input_in_errors=False,
    )


class RuleModel(BaseModel):
    """Base class of rule and reference files (``rules/``): frozen, closed, snake_case keys."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        regex_engine="python-re",
        use_attribute_docstrings=True,
        populate_by_name=True,
    )


Text = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"\S")]
"""A short, non-blank human string (names, labels)."""

LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=r"\S")]
"""A non-blank free text (descriptions, justifications)."""

LineId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"),
    Field(examples=["bom-001", "cam.nmc811"]),
]
"""Identifier of an inventory line, unique within the document; used in traces and reports."""

EMAIL_PATTERN = r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$"
r"""A local part, ``@`` and a domain of at least two non-empty dot-separated labels.

Each label repetition starts with the one character its content excludes (``.``), so the match is
linear in the length of the text; the former ``[^@\s]+\.[^@\s]+$`` tried every dot of the domain
and was quadratic on a long string of dots (issue 14, item 2)."""

Email = Annotated[str, StringConstraints(max_length=254, pattern=EMAIL_PATTERN)]
"""An e-mail address (RFC 5321 limits a path to 254 characters)."""
Url = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s]+$")]

Share = Annotated[float, Strict(), Field(ge=0, le=1)]
"""A fraction between 0 and 1 inclusive (not a percentage)."""

PositiveNumber = Annotated[float, Strict(), Field(ge=1e-15, le=1e15)]
"""A plain positive number (a rate, a count of cycles) within the numeric-safety range of
quantities (``compliance.units.MAGNITUDE_RANGE``): no calculation or export on it overflows to
infinity or divides by a subnormal (issue 14, item 6)."""

CountNumber = Annotated[float, Strict(), Field(ge=0, le=1e15)]
"""A plain number of zero or more (a count of cycles), at most 1e15 (see :data:`PositiveNumber`)."""

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_DATE_RE = re.compile(DATE_PATTERN, re.ASCII)


def _parse_iso_date(value: Any) -> date:
    """Accept only ``YYYY-MM-DD`` strings (what the JSON Schema ``date`` format accepts)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise PydanticCustomError("date_format", "expected a date as 'YYYY-MM-DD'")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "date_format", "{value!r} is not a calendar date", {"value": value}
        ) from None


IsoDate = Annotated[
    date,
    BeforeValidator(_parse_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
"""A calendar date written ``YYYY-MM-DD`` (RFC 3339 full-date)."""
