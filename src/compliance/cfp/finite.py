"""The guard that keeps non-finite numbers out of a carbon-footprint result.

Validation bounds every magnitude (``compliance.units.MAGNITUDE_RANGE``, the plain-number and
multiplier bounds of the models), so the sums, products and quotients of a calculation stay
finite. This guard is the second line: should a factor dataset, a ruleset or a future input path
still let a sum overflow, the calculation stops with a located ``cfp.non-finite`` error instead of
a traceback from the result model (issue 14, item 6: a document ``validate`` accepts never
crashes a later stage).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from compliance.cfp.functional_unit import FunctionalUnit
from compliance.cfp.inventory import Inventory
from compliance.errors import Issue, Layer, Severity

__all__ = ["non_finite_issues", "overflow_issue"]

CODE = "cfp.non-finite"


def _issue(pointer: str, message: str) -> Issue:
    return Issue(CODE, pointer, message, Severity.ERROR, Layer.RULE)


def _culprit(inventory: Inventory) -> str:
    """Pointer of the line with the largest (or a non-finite) contribution, else the root."""
    worst, pointer = -1.0, ""
    for term in inventory.terms:
        size = abs(term.contribution)
        if not math.isfinite(size):
            return inventory.lines[term.line].pointer
        if size > worst:
            worst, pointer = size, inventory.lines[term.line].pointer
    return pointer


def non_finite_issues(inventory: Inventory, fu: FunctionalUnit) -> list[Issue]:
    """Errors for stage sums or a functional unit that left the range of a float."""
    sums: Iterable[float] = (*inventory.stage_totals.values(), inventory.gross)
    if not all(math.isfinite(value) for value in sums):
        return [overflow_issue(inventory, "the emissions sum beyond the range of a number")]
    if not math.isfinite(fu.energy_kwh):
        return [
            _issue(
                "/functionalUnit",
                "the functional unit's energy is beyond the range of a number; check the "
                "magnitudes of the energy, cycles and service life",
            )
        ]
    return []


def overflow_issue(inventory: Inventory, what: str) -> Issue:
    """The located error for a result value that overflowed (``what`` says which)."""
    return _issue(
        _culprit(inventory),
        f"{what}; check the magnitudes and units of this line and its factor",
    )
