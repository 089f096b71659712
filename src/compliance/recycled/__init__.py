"""Recycled content (Regulation (EU) 2023/1542 Art. 8): calculator, rulesets, result.

:func:`compute_recycled` turns a submission's active-material lines into the share of cobalt,
lead, lithium and nickel recovered from waste, checked against the Art. 8(2)/(3) minimums under a
versioned ruleset (``rules/recycled/<version>/``). Pure core: no clock, file or network access.
"""

from __future__ import annotations

from compliance.recycled.calculator import compute_recycled
from compliance.recycled.result import RecycledOutcome, RecycledResult, RejectedClaim
from compliance.recycled.rulesets import (
    LoadedRuleset,
    RecycledRulesetError,
    available_recycled_versions,
    load_recycled_ruleset,
)

__all__ = [
    "LoadedRuleset",
    "RecycledOutcome",
    "RecycledResult",
    "RecycledRulesetError",
    "RejectedClaim",
    "available_recycled_versions",
    "compute_recycled",
    "load_recycled_ruleset",
]
