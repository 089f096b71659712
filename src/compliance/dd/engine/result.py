"""The scorer's result: scores, levels, risk, red flags, contradictions and the trace.

Every point is traceable: ``trace`` holds one entry per question (and material) with the value
scored, its credit, the evidence factor, the points and the rule's sources; every red flag,
contradiction, level gate and risk override names its rule and sources. ``to_dict`` gives the
camelCase JSON shape (the engine's own keys correctly spelled; the ``batteryPass`` block uses the
Battery Pass 1.2.0 property names, misspellings included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from compliance.dd.engine.context import Value
from compliance.dd.rules.references import TableRef
from compliance.errors import Issue

__all__ = [
    "Applicability",
    "ContradictionFinding",
    "DdResult",
    "GateOutcome",
    "MaterialResult",
    "Maturity",
    "QuestionTrace",
    "RedFlag",
    "RiskOverride",
    "RiskResult",
    "to_json_value",
]


def to_json_value(value: object) -> Any:
    """A canonical answer value as JSON (sets become sorted lists)."""
    if isinstance(value, (frozenset, tuple)):
        return sorted(value)
    return value


@dataclass(frozen=True, slots=True)
class QuestionTrace:
    """How one question (for one material, or the company) was scored.

    Immutable; built by the scorer for every question in force and every material.
    """

    question: str
    step: str
    material: str | None
    status: str
    """``answered``, ``missing`` (required, blank: 0 points), ``not-applicable`` (left out by
    ``applies_when``), ``excluded`` (optional blank, or answered 'not-applicable')."""
    value: Value | None
    credit: float | None
    evidence_factor: float | None
    evidence_tier: str | None
    evidence: tuple[str, ...]
    points: float
    max_points: float
    rescored_by: str | None
    original_value: Value | None
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": "question",
            "rule": self.question,
            "step": self.step,
            "material": self.material,
            "status": self.status,
            "value": to_json_value(self.value),
            "credit": self.credit,
            "evidenceFactor": self.evidence_factor,
            "evidenceTier": self.evidence_tier,
            "evidence": list(self.evidence),
            "points": self.points,
            "maxPoints": self.max_points,
            "rescoredBy": self.rescored_by,
            "originalValue": to_json_value(self.original_value),
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A red flag that fired."""

    id: str
    severity: str
    status: str
    """``open``, or ``addressed`` (critical flag with an Annex II-consistent response)."""
    material: str | None
    rule: str
    title: str
    category: str | None
    imputed: bool
    """Fired on a blank answer read as its least favourable value."""
    sources: tuple[str, ...]
    matched: tuple[str, ...] = ()
    """Why it fired: the leaves of its condition that held, with the values they read (e.g.
    ``question M2-04 equals 'unknown' (value 'unknown')``), or the contradiction rule that
    raised it."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "severity": self.severity,
            "status": self.status,
            "material": self.material,
            "rule": self.rule,
            "title": self.title,
            "category": self.category,
            "imputed": self.imputed,
            "sources": list(self.sources),
            "matched": list(self.matched),
        }


@dataclass(frozen=True, slots=True)
class ContradictionFinding:
    """A contradiction rule that fired; the stored answer is unchanged."""

    id: str
    severity: str
    material: str | None
    title: str
    message: str
    changes: tuple[tuple[str, Any, Any], ...]
    """(question, value before, value after) for each re-scored answer."""
    effects: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "severity": self.severity,
            "material": self.material,
            "title": self.title,
            "message": self.message,
            "changes": [
                {"question": q, "before": to_json_value(b), "after": to_json_value(a)}
                for q, b, a in self.changes
            ],
            "effects": list(self.effects),
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class GateOutcome:
    """A level gate evaluated for one material (or the company)."""

    id: str
    level: int
    material: str | None
    passed: bool
    title: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "level": self.level,
            "material": self.material,
            "passed": self.passed,
            "title": self.title,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Maturity:
    """Maturity score and level (of the overall result or of one material)."""

    score: float
    level: int
    level_name: str
    level_uncapped: int
    gates_failed: tuple[str, ...]
    steps: dict[str, float | None]
    categories: dict[str, float]
    system_score: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "score": self.score,
            "level": self.level,
            "levelName": self.level_name,
            "levelUncapped": self.level_uncapped,
            "gatesFailed": list(self.gates_failed),
            "steps": dict(self.steps),
            "categories": dict(self.categories),
            "systemScore": self.system_score,
        }


@dataclass(frozen=True, slots=True)
class MaterialResult:
    """Scores and risk of one material in scope."""

    material: str
    maturity: Maturity
    inherent_risk: float
    residual_risk: float
    traced_to_processor_pct: float | None
    traced_to_mine_pct: float | None
    conformant_processor_pct: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "maturity": self.maturity.to_dict(),
            "inherentRisk": self.inherent_risk,
            "residualRisk": self.residual_risk,
            "tracedToProcessorPct": self.traced_to_processor_pct,
            "tracedToMinePct": self.traced_to_mine_pct,
            "conformantProcessorPct": self.conformant_processor_pct,
        }


@dataclass(frozen=True, slots=True)
class RiskOverride:
    """A risk override that applied (dd-methodology 6.7(6))."""

    rule: str
    level: str
    reason: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rule": self.rule,
            "level": self.level,
            "reason": self.reason,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class RiskResult:
    """Risk level: base level from the residual risk, raised by overrides."""

    level: str
    base_level: str
    residual_risk: float
    driven_by: str | None
    overrides: tuple[RiskOverride, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "level": self.level,
            "baseLevel": self.base_level,
            "residualRisk": self.residual_risk,
            "drivenBy": self.driven_by,
            "overrides": [o.to_dict() for o in self.overrides],
        }


@dataclass(frozen=True, slots=True)
class Applicability:
    """Whether the legal DD obligation applies on the scoring date."""

    obligation: str
    applies_from: date
    state: str
    """``applicable``, ``not-yet-applicable`` or ``exempt`` (turnover below the threshold)."""
    applicable_on_effective_date: bool
    turnover_threshold_eur: float | None
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "obligation": self.obligation,
            "appliesFrom": self.applies_from.isoformat(),
            "state": self.state,
            "applicableOnEffectiveDate": self.applicable_on_effective_date,
            "turnoverThresholdEur": self.turnover_threshold_eur,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class DdResult:
    """The complete, explainable result of scoring one questionnaire."""

    catalogue_id: str
    catalogue_version: str
    tables: tuple[TableRef, ...]
    as_of: date
    questionnaire_id: str | None
    supplier: str
    effective_date: date
    status: str
    """``complete`` or ``incomplete``."""
    completeness_pct: float
    provisional: bool
    maturity: Maturity
    driven_by: str | None
    """The material whose maturity is the overall one (the worst), if any is in scope."""
    confidence: str
    materials: dict[str, MaterialResult]
    risk: RiskResult
    red_flags: tuple[RedFlag, ...]
    contradictions: tuple[ContradictionFinding, ...]
    gates: tuple[GateOutcome, ...]
    unevidenced_claims: tuple[tuple[str, str | None], ...]
    manual_review: bool
    applicability: Applicability
    battery_pass: dict[str, Any]
    trace: tuple[QuestionTrace, ...]
    issues: tuple[Issue, ...] = field(default=())

    def question(self, question: str, material: str | None = None) -> QuestionTrace | None:
        """The trace entry of a question (and material)."""
        return next(
            (t for t in self.trace if t.question == question and t.material == material), None
        )

    def flag_ids(self) -> set[str]:
        """Ids of the red flags that fired."""
        return {f.id for f in self.red_flags}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (camelCase)."""
        return {
            "catalogue": {"id": self.catalogue_id, "version": self.catalogue_version},
            "referenceTables": [t.to_dict() for t in self.tables],
            "asOf": self.as_of.isoformat(),
            "questionnaireId": self.questionnaire_id,
            "supplier": self.supplier,
            "effectiveDate": self.effective_date.isoformat(),
            "status": self.status,
            "completenessPct": self.completeness_pct,
            "provisional": self.provisional,
            "maturity": {**self.maturity.to_dict(), "drivenBy": self.driven_by},
            "confidence": self.confidence,
            "materials": {k: v.to_dict() for k, v in self.materials.items()},
            "risk": self.risk.to_dict(),
            "redFlags": [f.to_dict() for f in self.red_flags],
            "contradictions": [c.to_dict() for c in self.contradictions],
            "gates": [g.to_dict() for g in self.gates],
            "unevidencedClaims": [
                {"question": q, "material": m} for q, m in self.unevidenced_claims
            ],
            "manualReview": self.manual_review,
            "applicability": self.applicability.to_dict(),
            "batteryPass": dict(self.battery_pass),
            "trace": [t.to_dict() for t in self.trace],
            "issues": [i.to_dict() for i in self.issues],
        }
