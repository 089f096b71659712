"""Building blocks shared by the documents: countries, addresses, parties, periods, stages."""

from __future__ import annotations

import difflib
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from compliance.models._iso3166 import COUNTRIES
from compliance.models.base import Email, IsoDate, Text, Url, WireModel

__all__ = [
    "Address",
    "CountryCode",
    "Identifier",
    "LifecycleStage",
    "Organisation",
    "Party",
    "Period",
    "country_suggestions",
]

# Codes people use that are not ISO 3166-1 alpha-2 (EU protocol order uses EL and UK).
_KNOWN_ALIASES = {"UK": "GB", "EL": "GR", "EN": "GB", "JA": "JP", "KO": "KR", "CN-": "CN"}


def country_suggestions(code: str) -> list[str]:
    """Likely intended ISO codes for a wrong one.

    >>> country_suggestions("UK")
    ['GB']
    >>> country_suggestions("de")
    ['DE']
    """
    upper = code.strip().upper()
    if upper in _KNOWN_ALIASES:
        return [_KNOWN_ALIASES[upper]]
    if upper in COUNTRIES:
        return [upper]
    by_name = [c for c, name in COUNTRIES.items() if name.lower() == code.strip().lower()]
    return by_name or difflib.get_close_matches(upper, list(COUNTRIES), n=2, cutoff=0.5)


def _check_country(value: Any) -> str:
    if isinstance(value, str) and value in COUNTRIES:
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "country.type", "expected an ISO 3166-1 alpha-2 code such as 'DE'"
        )
    hints = country_suggestions(value)
    hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
    raise PydanticCustomError(
        "country.unknown",
        "{value!r} is not an ISO 3166-1 alpha-2 country code" + hint,
        {"value": value, "suggestions": hints},
    )


CountryCode = Annotated[
    str,
    BeforeValidator(_check_country),
    WithJsonSchema(
        {
            "type": "string",
            "enum": sorted(COUNTRIES),
            "description": "ISO 3166-1 alpha-2 country code (upper case), e.g. 'DE', 'JP'.",
        }
    ),
]


class LifecycleStage(StrEnum):
    """Life-cycle stages of the carbon footprint, Regulation (EU) 2023/1542 Annex II point 4.

    Battery Pass 1.2.0 names: RawMaterialExtraction, MainProduction, Distribution, Recycling.
    The use stage is excluded (Annex II; draft delegated act 2024).
    """

    RAW_MATERIAL = "raw-material"
    """(a) Raw material acquisition and pre-processing, up to cell and component manufacture."""
    MAIN_PRODUCTION = "main-production"
    """(b) Main product production: cell, module and pack assembly."""
    DISTRIBUTION = "distribution"
    """(c) Distribution: transport to the point of sale."""
    END_OF_LIFE = "end-of-life"
    """(d) End of life and recycling: collection, dismantling, recycling, disposal."""


class Address(WireModel):
    """A postal address."""

    street: Text | None = None
    postal_code: Annotated[str, Field(min_length=1, max_length=20, pattern=r"\S")] | None = None
    city: Text
    region: Text | None = None
    country: CountryCode


class Identifier(WireModel):
    """An identifier in a named scheme (LEI, EORI, VAT, DUNS, GLN, Catena-X BPNL/BPNS ...)."""

    scheme: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][\w .:-]*$")]
    value: Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


class Organisation(WireModel):
    """An economic operator (Annex VI Part A(1): name, trade name, postal address, web, e-mail)."""

    name: Text
    trade_name: Text | None = None
    address: Address
    identifiers: tuple[Identifier, ...] = ()
    email: Email | None = None
    website: Url | None = None


class Party(WireModel):
    """A supplier named on an inventory line (less detail than an :class:`Organisation`)."""

    name: Text
    country: CountryCode | None = None
    identifiers: tuple[Identifier, ...] = ()


class Period(WireModel):
    """A closed date interval (both ends included; order checked by the semantic layer)."""

    start: IsoDate
    end: IsoDate
