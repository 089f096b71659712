"""What input lines declare beyond their numbers, and the declared inputs a method leaves unused.

Nothing a user provides is silently dropped (issue 13): every field of a submission is either
used (in a number, or shown with the line it belongs to in the trace: the supplier, origin, PCF
standard and reference an auditor needs to identify each input) or reported with a located
``cfp.input-not-used`` issue saying why the method does not use it.
"""

from __future__ import annotations

from collections.abc import Iterable

from compliance.errors import Issue, Layer, Severity
from compliance.models import (
    BomLine,
    EndOfLifeTreatment,
    Party,
    PurchasedComponent,
    TransportLeg,
)

__all__ = ["DeclaredLine", "Details", "details_of", "not_used", "party_text"]

Details = tuple[tuple[str, str], ...]
"""(name, text) pairs shown with a line in the trace."""

DeclaredLine = BomLine | TransportLeg | PurchasedComponent | EndOfLifeTreatment
"""Lines that declare identifying details (supplier, origin, PCF reference ...)."""

NOT_USED = "cfp.input-not-used"


def party_text(party: Party) -> str:
    """``name (country) [scheme value, ...]``."""
    text = party.name + (f" ({party.country})" if party.country else "")
    if party.identifiers:
        text += " [" + ", ".join(f"{i.scheme} {i.value}" for i in party.identifiers) + "]"
    return text


def _pairs(**values: str | None) -> Details:
    return tuple((k, v) for k, v in values.items() if v is not None)


def details_of(line: DeclaredLine) -> Details:
    """The identifying declarations of a line (``()`` for lines that declare none)."""
    if isinstance(line, BomLine):
        return _pairs(
            category=line.category.value if line.category else None,
            casNumber=line.cas_number,
            supplier=party_text(line.supplier) if line.supplier else None,
            originCountry=line.origin_country,
        )
    if isinstance(line, TransportLeg):
        return _pairs(origin=line.origin, destination=line.destination)
    if isinstance(line, PurchasedComponent):
        footprint = line.footprint
        return _pairs(
            supplier=party_text(line.supplier),
            mass=str(line.mass) if line.mass is not None else None,
            standard=footprint.standard,
            reference=footprint.reference,
        )
    result = line.supplier_result
    return _pairs(
        operator=party_text(line.operator) if line.operator else None,
        country=line.country,
        standard=result.standard if result else None,
        reference=result.reference if result else None,
    )


def not_used(
    base: str, present: Iterable[tuple[str, bool]], read: set[str], why: str
) -> list[Issue]:
    """An information issue for each present field (alias under ``base``) that was not read."""
    return [
        Issue(
            NOT_USED,
            f"{base}/{alias}",
            f"{alias} is not used: {why}",
            Severity.INFO,
            Layer.RULE,
        )
        for alias, given in present
        if given and alias not in read
    ]
