"""Which passport a new version continues (Regulation (EU) 2023/1542 Art. 77(7)).

A battery keeps its passport through its status changes: becoming waste is a new version of the
same passport (responsibility moves to the producer, its producer responsibility organisation or
the waste management operator, Art. 77(7) second subparagraph). A battery prepared for re-use or
repurposing, repurposed or remanufactured gets a new passport linked to the passport(s) of the
original battery (Art. 77(7) first subparagraph); its identifier differs because it lists those
predecessors (:func:`compliance.passport.identifiers.passport_identifier`). So a version may keep
its status or become waste; a waste battery returns to use only through a new passport.
"""

from __future__ import annotations

from compliance.models import BatteryStatus
from compliance.passport.model import Passport

__all__ = ["successor_problem"]


def successor_problem(previous: Passport, new: Passport) -> str | None:
    """Why ``new`` cannot be the next version of ``previous``, or ``None`` when it can.

    The statuses are compared when both versions hold them (views of the legitimate-interest
    level or the full passport).
    """
    if previous.passport_identifier != new.passport_identifier:
        return (
            f"the previous version belongs to passport {previous.passport_identifier}, not "
            f"{new.passport_identifier}"
        )
    before = previous.individual.status if previous.individual else None
    after = new.individual.status if new.individual else None
    if before is BatteryStatus.WASTE and after is not None and after is not BatteryStatus.WASTE:
        return (
            f"the battery is waste in the previous version; as {after.value} it needs a new "
            "passport linked to this one (list it in passport.item.predecessors, Art. 77(7))"
        )
    return None
