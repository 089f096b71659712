"""The critical-finding gate: an open critical red flag caps the maturity level.

Red flags are collected after the maturity is scored (a flag needs to know which questions
apply), so this gate runs after them: for every material (and the company) with an open
critical flag, its own or a company-level one, the level is capped at the gate's ``max_level``
and the gate is listed among the failed gates with the flags that hold it closed. An addressed
critical flag (the Annex II response evidenced) does not close the gate.

Sources: OECD DDG Annex II paras 1-5 (serious abuses and support to non-state armed groups
require immediate suspension or disengagement), Regulation (EU) 2023/1542 Annex X 2(b)(ii)-(iii),
IRMA (critical requirements condition every achievement level); the gate's data and sources are
in ``catalogue.yaml`` (``critical_gate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from compliance.dd.engine.result import GateOutcome, Maturity, RedFlag
from compliance.dd.rules.catalogue import Catalogue

__all__ = ["apply_critical_gate", "open_critical_flags"]


def open_critical_flags(flags: Sequence[RedFlag], material: str | None) -> tuple[str, ...]:
    """Ids of the open critical flags of a material, including the company-level ones."""
    return tuple(
        f.id
        for f in flags
        if f.severity == "critical"
        and f.status == "open"
        and (f.material is None or f.material == material)
    )


def apply_critical_gate(
    catalogue: Catalogue, maturity: Maturity, material: str | None, flags: Sequence[RedFlag]
) -> tuple[Maturity, GateOutcome | None]:
    """The maturity with the gate applied, and the gate's outcome.

    The outcome is ``None`` when the catalogue has no critical gate or the score does not
    reach above the gate's level (the gate then cannot cap anything).
    """
    gate = catalogue.critical_gate
    if gate is None or maturity.level_uncapped <= gate.max_level:
        return maturity, None
    holding = open_critical_flags(flags, material)
    outcome = GateOutcome(
        id=gate.id,
        level=gate.max_level + 1,
        material=material,
        passed=not holding,
        title=f"{gate.title} (open: {', '.join(holding)})" if holding else gate.title,
        sources=gate.sources,
    )
    if not holding:
        return maturity, outcome
    capped = min(maturity.level, gate.max_level)
    names = {lv.level: lv.name for lv in catalogue.levels}
    return (
        replace(
            maturity,
            level=capped,
            level_name=names[capped],
            gates_failed=(*maturity.gates_failed, gate.id),
        ),
        outcome,
    )
