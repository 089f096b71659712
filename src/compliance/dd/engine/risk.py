"""Risk level, confidence grade and applicability (dd-methodology 6.7(6)-(7)).

Residual risk per material ``RR = IR x (1 - w x M / 100)`` with the material's inherent risk IR
(fact ``inherent_risk``) and maturity M; the overall residual risk is the highest. The base level
comes from the catalogue's bands; overrides can only raise it: an open critical flag makes it
critical (a high maturity can never average away unaddressed forced or child labour); an
addressed critical flag, any open high flag, or a contradiction on a critical item at least high;
several medium flags or an incomplete questionnaire at least medium.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from compliance.dd.engine.result import Applicability, RedFlag, RiskOverride, RiskResult
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.references import ReferenceTables
from compliance.models.dd_rules import RiskLevel

__all__ = ["OperatorTurnover", "applicability", "confidence_grade", "risk_level"]

_ORDER = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL]


@dataclass(frozen=True, slots=True)
class OperatorTurnover:
    """Net turnover of the operator (and its group) for the EUR 40 m exemption (Art. 47)."""

    net_turnover_eur: float
    group_net_turnover_eur: float | None = None


def _band(catalogue: Catalogue, residual: float) -> RiskLevel:
    for band in catalogue.risk.bands:
        if band.below is None or residual < band.below:
            return band.level
    return catalogue.risk.bands[-1].level  # pragma: no cover - the last band has no limit


def risk_level(
    catalogue: Catalogue,
    residuals: dict[str, float],
    flags: Sequence[RedFlag],
    *,
    incomplete: bool,
    critical_contradiction: bool,
) -> RiskResult:
    """Base level from the highest residual risk, raised by the overrides."""
    policy = catalogue.risk
    driven_by = max(residuals, key=lambda m: residuals[m]) if residuals else None
    residual = residuals[driven_by] if driven_by else 0.0
    base = _band(catalogue, residual)
    level = base
    overrides: list[RiskOverride] = []

    def raise_to(target: RiskLevel, rule: str, reason: str) -> None:
        nonlocal level
        overrides.append(
            RiskOverride(rule=rule, level=target.value, reason=reason, sources=policy.sources)
        )
        if _ORDER.index(target) > _ORDER.index(level):
            level = target

    open_critical = [f.id for f in flags if f.severity == "critical" and f.status == "open"]
    addressed = [f.id for f in flags if f.severity == "critical" and f.status == "addressed"]
    high = [f.id for f in flags if f.severity == "high"]
    medium = [f.id for f in flags if f.severity == "medium"]
    if open_critical:
        raise_to(policy.open_critical, "risk.open-critical", ", ".join(sorted(set(open_critical))))
    if addressed:
        raise_to(policy.addressed_critical, "risk.addressed-critical", ", ".join(addressed))
    if high:
        raise_to(policy.high_flag, "risk.high-flag", ", ".join(sorted(set(high))))
    if len(medium) >= policy.medium_flag_count:
        raise_to(policy.medium_flags, "risk.medium-flags", f"{len(medium)} medium red flags")
    if incomplete:
        raise_to(policy.incomplete, "risk.incomplete", "the questionnaire is incomplete")
    if critical_contradiction:
        raise_to(
            policy.critical_contradiction,
            "risk.critical-contradiction",
            "a contradiction on an item that can hide a critical risk",
        )
    return RiskResult(level.value, base.value, residual, driven_by, tuple(overrides))


def confidence_grade(
    catalogue: Catalogue, evidenced: int, claims: int, errors: int, warnings: int
) -> str:
    """A, B or C: how far the answers are evidenced and free of contradictions."""
    policy = catalogue.confidence
    share = evidenced / claims if claims else 1.0
    if errors == 0 and warnings == 0 and share >= policy.a_min_evidenced_share:
        return "A"
    if (
        errors == 0
        and warnings <= policy.b_max_warning_contradictions
        and share >= policy.b_min_evidenced_share
    ):
        return "B"
    return "C"


def applicability(
    tables: ReferenceTables,
    as_of: date,
    effective_date: date,
    turnover: OperatorTurnover | None,
) -> Applicability:
    """State of the battery DD obligation on the scoring date (data: applicability table)."""
    obligation = tables.obligation("eu-battreg-dd")
    if obligation is None:  # pragma: no cover - the bundled table has it
        raise LookupError("the applicability table has no 'eu-battreg-dd' obligation")
    starts = date.fromisoformat(obligation.applies_from)
    threshold = obligation.turnover_threshold_eur
    state = "applicable" if as_of >= starts else "not-yet-applicable"
    if turnover is not None and threshold is not None:
        group = turnover.group_net_turnover_eur
        if turnover.net_turnover_eur < threshold and (group is None or group < threshold):
            state = "exempt"
    return Applicability(
        obligation.id,
        starts,
        state,
        effective_date >= starts,
        threshold,
        obligation.sources,
    )
