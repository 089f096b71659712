"""Deviations: where and why an export differs from its upstream schema.

An export maps our passport onto a third-party model. It never pads a required field with an
invented value: where the passport has no value, the field is omitted and a
:class:`Deviation` says why. Where an upstream schema cannot hold a truthful value (a defect listed
in ``docs/passport-exports.md``), the truthful value is emitted and the deviation is recorded.

Runs over similar passports record the same deviations, so they are shared objects whose JSON is
written once (memoised, bounded).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import orjson

__all__ = ["Deviation", "DeviationKind", "deviation_json", "shared_deviation"]


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


_KIND_VALUES = {kind: kind.value for kind in DeviationKind}
"""Plain values (a dict lookup is cheaper than the enum's ``value`` property)."""


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
            "kind": _KIND_VALUES[self.kind],
            "reason": self.reason,
        }


_WIRE_LIMIT = 1024
_WIRE: dict[int, tuple[Deviation, orjson.Fragment]] = {}
"""id of a shared deviation -> (the deviation, its JSON); the deviation is held, so its id
cannot be reused while the entry lives."""


@lru_cache(maxsize=1024)
def shared_deviation(aspect: str, pointer: str, kind: DeviationKind, reason: str) -> Deviation:
    """The (immutable, shared) deviation: runs over similar passports record the same ones.

    Its JSON is written once, for :func:`deviation_json`.
    """
    deviation = Deviation(aspect, pointer, kind, reason)
    if len(_WIRE) >= _WIRE_LIMIT:
        _WIRE.clear()
    wire = memoryview(orjson.dumps(deviation.to_dict())).tobytes()  # exact size, kept
    _WIRE[id(deviation)] = (deviation, orjson.Fragment(wire))
    return deviation


def deviation_json(deviation: Deviation) -> orjson.Fragment | dict[str, str]:
    """The wire form of a deviation: its JSON when shared, else :meth:`Deviation.to_dict`."""
    hit = _WIRE.get(id(deviation))
    if hit is not None and hit[0] is deviation:
        return hit[1]
    return deviation.to_dict()
