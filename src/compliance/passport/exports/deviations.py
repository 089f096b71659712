"""Deviations: where and why an export differs from its upstream schema.

An export maps our passport onto a third-party model. It never pads a required field with an
invented value: where the passport has no value, the field is omitted and a
:class:`Deviation` says why. Where an upstream schema cannot hold a truthful value (a defect listed
in ``docs/passport-exports.md``), the truthful value is emitted and the deviation is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Deviation", "DeviationKind"]


class DeviationKind(StrEnum):
    """Why an exported payload differs from what the upstream schema demands."""

    WITHHELD = "withheld"
    """The value exists but the access level of this view may not see it (Art. 77(2))."""
    NOT_DECLARED = "not-declared"
    """The schema requires it, the submission does not declare it; never invented."""
    NOT_APPLICABLE = "not-applicable"
    """The schema requires it, the Regulation does not for this battery (category, status)."""
    UPSTREAM_DEFECT = "upstream-defect"
    """The upstream schema cannot hold the truthful value (see the deviations table)."""
    REPRESENTATION = "representation"
    """Emitted, but converted to fit the model (precision, unit, single value for a list)."""


@dataclass(frozen=True, slots=True)
class Deviation:
    """One difference between an export and its upstream schema."""

    aspect: str
    pointer: str
    """JSON Pointer inside the aspect payload."""
    kind: DeviationKind
    reason: str

    def to_dict(self) -> dict[str, str]:
        """The wire form."""
        return {
            "aspect": self.aspect,
            "pointer": self.pointer,
            "kind": self.kind.value,
            "reason": self.reason,
        }
