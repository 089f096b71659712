"""The PACT v3 ListFootprints filters and the RequestCreatedEvent criteria, on footprints.

PACT 3.0 REST API (interop.md section 1.5): ``productId``, ``companyId``, ``geography``,
``classification``, ``validOn``, ``validAfter``, ``validBefore``, ``status``; repeated values of
one parameter are ORed, different parameters ANDed, matching is case-insensitive; ``geography``
matches any of the three geography fields; validity is ``start <= validOn <= end``,
``start > validAfter``, ``end < validBefore``, where an absent validity is ``[referencePeriodEnd,
referencePeriodEnd + 3 years]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from compliance.exchange.pact.values import parse_datetime

__all__ = ["FootprintQuery", "QueryError", "validity"]

_LISTS = ("productId", "companyId", "geography", "classification", "status")
_TIMES = ("validOn", "validAfter", "validBefore")


class QueryError(ValueError):
    """A filter value that is not valid (answered with PACT ``BadRequest``)."""


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def validity(pf: Mapping[str, Any]) -> tuple[datetime, datetime] | None:
    """The validity period of a footprint (PACT's 3-year default), ``None`` if unreadable."""
    pcf = pf.get("pcf")
    ref_end = parse_datetime(pcf.get("referencePeriodEnd")) if isinstance(pcf, Mapping) else None
    start = parse_datetime(pf.get("validityPeriodStart")) or ref_end
    end = parse_datetime(pf.get("validityPeriodEnd")) or (
        _add_years(ref_end, 3) if ref_end is not None else None
    )
    if start is None or end is None:
        return None
    return start, end


@dataclass(frozen=True, slots=True)
class FootprintQuery:
    """Parsed filters; an empty tuple or ``None`` is "no filter"."""

    product_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    geographies: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None

    @classmethod
    def parse(cls, values: Mapping[str, Sequence[str]]) -> FootprintQuery:
        """From query parameters (each a list of values); raises :class:`QueryError`."""
        times: dict[str, datetime | None] = {}
        for name in _TIMES:
            given = values.get(name) or ()
            if len(given) > 1:
                raise QueryError(f"{name} may be given once")
            if given:
                moment = parse_datetime(given[0])
                if moment is None:
                    raise QueryError(f"{name} must be an RFC 3339 date-time, got {given[0]!r}")
                times[name] = moment
        lists = {name: tuple(v.strip().lower() for v in values.get(name) or ()) for name in _LISTS}
        return cls(
            lists["productId"],
            lists["companyId"],
            lists["geography"],
            lists["classification"],
            lists["status"],
            times.get("validOn"),
            times.get("validAfter"),
            times.get("validBefore"),
        )

    @classmethod
    def from_event(cls, data: Mapping[str, Any]) -> FootprintQuery:
        """From the ``data`` of a v3 RequestCreatedEvent; raises :class:`QueryError`."""
        values: dict[str, list[str]] = {}
        for name in _LISTS:
            raw = data.get(name)
            if raw is None:
                continue
            items = [raw] if isinstance(raw, str) else raw
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise QueryError(f"data.{name} must be a string or a list of strings")
            values[name] = items
        for name in _TIMES:
            raw = data.get(name)
            if raw is None:
                continue
            if not isinstance(raw, str):
                raise QueryError(f"data.{name} must be a date-time string")
            values[name] = [raw]
        return cls.parse(values)

    @property
    def empty(self) -> bool:
        """True when nothing is filtered."""
        return self == FootprintQuery()

    def matches(self, pf: Mapping[str, Any]) -> bool:
        """Whether a footprint passes every given filter."""
        pcf = pf.get("pcf") if isinstance(pf.get("pcf"), Mapping) else {}
        assert isinstance(pcf, Mapping)

        def lowered(values: Any) -> set[str]:
            return (
                {v.lower() for v in values if isinstance(v, str)}
                if isinstance(values, list)
                else set()
            )

        checks = (
            (self.product_ids, lowered(pf.get("productIds"))),
            (self.company_ids, lowered(pf.get("companyIds"))),
            (self.classifications, lowered(pf.get("productClassifications"))),
            (
                self.geographies,
                {
                    str(pcf[k]).lower()
                    for k in (
                        "geographyRegionOrSubregion",
                        "geographyCountry",
                        "geographyCountrySubdivision",
                    )
                    if pcf.get(k) is not None
                },
            ),
            (self.statuses, {str(pf.get("status", "")).lower()}),
        )
        if any(wanted and not set(wanted) & have for wanted, have in checks):
            return False
        if self.valid_on is None and self.valid_after is None and self.valid_before is None:
            return True
        period = validity(pf)
        if period is None:
            return False
        start, end = period
        if self.valid_on is not None and not start <= self.valid_on <= end:
            return False
        if self.valid_after is not None and not start > self.valid_after:
            return False
        return self.valid_before is None or end < self.valid_before
