"""Question credit, step and category scores, maturity levels and red flags, per material.

For one context (a material in scope, or the company when none is): every question in force is
applicable or not (``applies_when``), answered, missing (required and blank: 0 points, never
imputed favourably) or excluded (optional blank, or answered 'not-applicable'). Points are
``weight x credit x e`` (dd-methodology 6.5). Step score ``S_k = 100 x sum(points) / sum(weights)``,
maturity ``M = sum(W_k S_k) / sum(W_k)`` over steps with a counted question (6.7(2)-(3)). A
category score blends the category's own questions with the 'system' score (6.7(4)). The level is
the highest whose ``min_score`` M reaches, capped below the first level whose gate fails (6.7(5)).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from compliance.dd.catalogue import CROSS_CUTTING, Catalogue, QuestionRule
from compliance.dd.context import EvalContext, EvidenceInfo, Key
from compliance.dd.contradictions import ScoringState
from compliance.dd.result import GateOutcome, Maturity, QuestionTrace, RedFlag
from compliance.models.dd_rules import FlagSeverity
from compliance.models.questionnaire import Material

__all__ = ["ContextScore", "collect_flags", "score_context", "weighted"]

SEVERITY_ORDER = {
    FlagSeverity.CRITICAL: 0,
    FlagSeverity.HIGH: 1,
    FlagSeverity.MEDIUM: 2,
    FlagSeverity.INFO: 3,
}
COUNTED = ("answered", "missing")


@dataclass(slots=True)
class ContextScore:
    """Scores of one context (a material, or the company)."""

    material: Material | None
    traces: list[QuestionTrace]
    maturity: Maturity
    gates: list[GateOutcome]
    applicable: set[str] = field(default_factory=set)
    """Question ids applicable in this context."""


def weighted(scores: dict[str, float | None], weights: dict[str, float]) -> float:
    """Weighted mean of the step scores that exist (0 when none does).

    >>> weighted({"S1": 50.0, "S2": None}, {"S1": 25.0, "S2": 30.0})
    50.0
    """
    total = sum(weights[k] for k, v in scores.items() if v is not None)
    if total <= 0:
        return 0.0
    return sum(weights[k] * v for k, v in scores.items() if v is not None) / total


def _blank_trace(
    rule: QuestionRule, label: str | None, status: str, weight: float, state: ScoringState
) -> QuestionTrace:
    key: Key = (rule.id, Material(label) if label else None)
    counted = status == "missing"
    return QuestionTrace(
        question=rule.id,
        step=rule.step,
        material=label,
        status=status,
        value=None,
        credit=0.0 if counted else None,
        evidence_factor=None,
        evidence_tier=None,
        evidence=(),
        points=0.0,
        max_points=weight if counted else 0.0,
        rescored_by=state.rescored_by.get(key),
        original_value=state.original.get(key),
        sources=rule.sources,
    )


def _trace(
    catalogue: Catalogue,
    rule: QuestionRule,
    ctx: EvalContext,
    state: ScoringState,
    evidence: dict[Key, EvidenceInfo],
    weight: float,
) -> QuestionTrace:
    material = ctx.material if rule.per_material else None
    key: Key = (rule.id, material)
    label = material.value if material else None
    answer = rule.answer
    assert answer is not None
    value = state.values.get(key)
    if value is None:
        return _blank_trace(rule, label, "missing" if rule.required else "excluded", weight, state)
    credit = answer.credit(value)
    if credit is None:
        excluded = _blank_trace(rule, label, "excluded", weight, state)
        return replace(excluded, value=value)
    credit = state.credit_override.get(key, credit)
    info = evidence.get(key)
    if answer.favourable(value):
        factor = info.factor if info else catalogue.evidence.self_declared
        tier = info.tier if info else "self-declared"
    else:
        factor, tier = 1.0, "not-needed"
    return QuestionTrace(
        question=rule.id,
        step=rule.step,
        material=label,
        status="answered",
        value=value,
        credit=credit,
        evidence_factor=factor,
        evidence_tier=tier,
        evidence=info.used if info else (),
        points=weight * credit * factor,
        max_points=weight,
        rescored_by=state.rescored_by.get(key),
        original_value=state.original.get(key),
        sources=rule.sources,
    )


def _maturity(
    catalogue: Catalogue, ctx: EvalContext, traces: Iterable[QuestionTrace], as_of: date
) -> tuple[Maturity, list[GateOutcome]]:
    step_weights = {s.id: catalogue.step_weight(s.id, as_of) for s in catalogue.steps}
    points: dict[str, float] = defaultdict(float)
    maximum: dict[str, float] = defaultdict(float)
    system_points: dict[str, float] = defaultdict(float)
    system_max: dict[str, float] = defaultdict(float)
    category_points: dict[str, float] = defaultdict(float)
    category_max: dict[str, float] = defaultdict(float)
    for t in traces:
        if t.status not in COUNTED:
            continue
        rule = catalogue.questions[t.question]
        points[t.step] += t.points
        maximum[t.step] += t.max_points
        if rule.system:
            system_points[t.step] += t.points
            system_max[t.step] += t.max_points
        for tag in rule.tags:
            if tag != CROSS_CUTTING:
                category_points[tag] += t.points
                category_max[tag] += t.max_points
    scored = [s.id for s in catalogue.steps if step_weights[s.id] > 0]
    steps = {k: (100 * points[k] / maximum[k] if maximum[k] > 0 else None) for k in scored}
    system_steps = {
        k: (100 * system_points[k] / system_max[k] if system_max[k] > 0 else None) for k in scored
    }
    score = weighted(steps, step_weights)
    system = weighted(system_steps, step_weights)
    specific_weight, system_weight = catalogue.category_weights
    categories = {}
    for category in catalogue.categories:
        if category_max[category.id] > 0:
            specific = 100 * category_points[category.id] / category_max[category.id]
            categories[category.id] = specific_weight * specific + system_weight * system
        else:
            categories[category.id] = system
    uncapped = max((lv.level for lv in catalogue.levels if score >= lv.min_score), default=1)
    cap = uncapped
    gates: list[GateOutcome] = []
    failed: list[str] = []
    ctx.impute = False
    label = ctx.material.value if ctx.material else None
    for level in catalogue.levels:
        if level.level > uncapped:
            break
        for gate in level.gates:
            passed = gate.when(ctx)
            gates.append(GateOutcome(gate.id, level.level, label, passed, gate.title, gate.sources))
            if not passed:
                failed.append(gate.id)
                cap = min(cap, level.level - 1)
    reached = max(cap, 1)
    name = next(lv.name for lv in catalogue.levels if lv.level == reached)
    maturity = Maturity(score, reached, name, uncapped, tuple(failed), steps, categories, system)
    return maturity, gates


def score_context(
    catalogue: Catalogue,
    ctx: EvalContext,
    state: ScoringState,
    evidence: dict[Key, EvidenceInfo],
    as_of: date,
) -> ContextScore:
    """Score every question in force for ``ctx.material`` (``None``: the company only)."""
    ctx.impute = False
    traces: list[QuestionTrace] = []
    applicable: set[str] = set()
    for rule in catalogue.questions.values():
        if not rule.scored or (rule.per_material and ctx.material is None):
            continue
        weight = rule.weight_on(as_of)
        if weight is None:
            continue
        if rule.applies is not None and not rule.applies(ctx):
            label = ctx.material.value if rule.per_material and ctx.material else None
            traces.append(_blank_trace(rule, label, "not-applicable", weight, state))
            continue
        applicable.add(rule.id)
        traces.append(_trace(catalogue, rule, ctx, state, evidence, weight))
    maturity, gates = _maturity(catalogue, ctx, traces, as_of)
    return ContextScore(ctx.material, traces, maturity, gates, applicable)


def collect_flags(
    catalogue: Catalogue,
    ctx: EvalContext,
    contexts: list[ContextScore],
    state: ScoringState,
    as_of: date,
) -> list[RedFlag]:
    """Red flags of every applicable question, plus those raised by contradictions."""
    ctx.impute = True
    found: dict[tuple[str, str | None], RedFlag] = {}
    applicable_anywhere = set().union(*(c.applicable for c in contexts)) if contexts else set()
    materials = [c.material for c in contexts if c.material is not None]
    for rule in catalogue.questions.values():
        if rule.weight_on(as_of) is None and rule.scored:
            continue
        for flag in rule.flags:
            if flag.when.material_dependent:
                targets: list[Material | None] = list(materials)
            else:
                targets = [None]
            for material in targets:
                if rule.scored:
                    scope = next((c for c in contexts if c.material == material), None)
                    here = scope.applicable if scope is not None else applicable_anywhere
                    if rule.id not in here:
                        continue
                ctx.material = material
                if not flag.when(ctx):
                    continue
                own: Key = (rule.id, material if rule.per_material else None)
                imputed = rule.scored and own not in state.values
                addressed = flag.addressed_when is not None and flag.addressed_when(ctx)
                label = material.value if material else None
                found.setdefault(
                    (flag.id, label),
                    RedFlag(
                        flag.id,
                        flag.severity.value,
                        "addressed" if addressed else "open",
                        label,
                        rule.id,
                        flag.title,
                        flag.category,
                        imputed,
                        flag.sources,
                    ),
                )
    for raised in state.flags:
        label = raised.material.value if raised.material else None
        effect = raised.effect
        found.setdefault(
            (effect.id, label),
            RedFlag(
                effect.id,
                effect.severity.value,
                "open",
                label,
                raised.rule.id,
                effect.title,
                effect.category,
                False,
                raised.rule.sources,
            ),
        )
    ctx.material = None
    return sorted(
        found.values(),
        key=lambda f: (SEVERITY_ORDER[FlagSeverity(f.severity)], f.id, f.material or ""),
    )
