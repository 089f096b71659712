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
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from compliance.dd.catalogue import CROSS_CUTTING, Catalogue, FlagRule, QuestionRule
from compliance.dd.context import EvalContext, EvidenceInfo, Key
from compliance.dd.contradictions import ScoringState
from compliance.dd.result import GateOutcome, Maturity, QuestionTrace, RedFlag
from compliance.models.dd_rules import FlagSeverity
from compliance.models.questionnaire import Material

__all__ = [
    "ContextScore",
    "Plan",
    "Shared",
    "collect_flags",
    "plan_for",
    "score_context",
    "score_shared",
    "weighted",
]

SEVERITY_ORDER = {
    FlagSeverity.CRITICAL: 0,
    FlagSeverity.HIGH: 1,
    FlagSeverity.MEDIUM: 2,
    FlagSeverity.INFO: 3,
}
COUNTED = ("answered", "missing")
LABELS: dict[Material | None, str] = {m: m.value for m in Material}
"""Material -> its name (enum ``.value`` is slow in hot loops)."""


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
    label = LABELS.get(material)
    answer = rule.answer
    assert answer is not None
    value = state.values.get(key)
    if value is None:
        return _blank_trace(rule, label, "missing" if rule.required else "excluded", weight, state)
    credit, favourable = answer.judge(value)
    if credit is None:
        excluded = _blank_trace(rule, label, "excluded", weight, state)
        return replace(excluded, value=value)
    if state.credit_override:
        credit = state.credit_override.get(key, credit)
    info = evidence.get(key)
    if favourable:
        factor = info.factor if info else catalogue.evidence.self_declared
        tier = info.tier if info else "self-declared"
    else:
        factor, tier = 1.0, "not-needed"
    rescored = state.rescored_by.get(key) if state.rescored_by else None
    original = state.original.get(key) if state.original else None
    return QuestionTrace(
        rule.id, rule.step, label, "answered", value, credit, factor, tier,
        info.used if info else (), weight * credit * factor, weight, rescored, original,
        rule.sources,
    )  # fmt: skip


class _Sums:
    """Points and maxima by step, by step for 'system' questions, and by category."""

    __slots__ = (
        "category_max",
        "category_points",
        "maximum",
        "points",
        "system_max",
        "system_points",
    )

    def __init__(self) -> None:
        self.points: defaultdict[str, float] = defaultdict(float)
        self.maximum: defaultdict[str, float] = defaultdict(float)
        self.system_points: defaultdict[str, float] = defaultdict(float)
        self.system_max: defaultdict[str, float] = defaultdict(float)
        self.category_points: defaultdict[str, float] = defaultdict(float)
        self.category_max: defaultdict[str, float] = defaultdict(float)

    def copy(self) -> _Sums:
        """An independent copy."""
        new = _Sums()
        for name in self.__slots__:
            setattr(new, name, defaultdict(float, getattr(self, name)))
        return new

    def add(self, meta: _Meta, trace: QuestionTrace) -> None:
        if trace.status not in COUNTED:
            return
        step, points, maximum = meta.step, trace.points, trace.max_points
        self.points[step] += points
        self.maximum[step] += maximum
        if meta.system:
            self.system_points[step] += points
            self.system_max[step] += maximum
        for tag in meta.categories:
            self.category_points[tag] += points
            self.category_max[tag] += maximum


def _percent(
    points: dict[str, float], maximum: dict[str, float], steps: tuple[str, ...]
) -> dict[str, float | None]:
    return {k: (100 * points[k] / maximum[k] if maximum.get(k, 0) > 0 else None) for k in steps}


def _maturity(
    catalogue: Catalogue, plan: Plan, ctx: EvalContext, sums: _Sums, gate_cache: dict[str, bool]
) -> tuple[Maturity, list[GateOutcome]]:
    weights = plan.step_weights
    steps = _percent(sums.points, sums.maximum, plan.scored_steps)
    score = weighted(steps, weights)
    system = weighted(_percent(sums.system_points, sums.system_max, plan.scored_steps), weights)
    specific_weight, system_weight = catalogue.category_weights
    categories = {}
    for category in catalogue.categories:
        most = sums.category_max.get(category.id, 0.0)
        if most > 0:
            specific = 100 * sums.category_points[category.id] / most
            categories[category.id] = specific_weight * specific + system_weight * system
        else:
            categories[category.id] = system
    uncapped = max((lv.level for lv in catalogue.levels if score >= lv.min_score), default=1)
    cap = uncapped
    gates: list[GateOutcome] = []
    failed: list[str] = []
    ctx.impute = False
    label = LABELS.get(ctx.material)
    for level in catalogue.levels:
        if level.level > uncapped:
            break
        for gate in level.gates:
            if gate.when.material_dependent or gate.id not in gate_cache:
                gate_cache[gate.id] = gate.when.fn(ctx)
            passed = gate_cache[gate.id]
            gates.append(GateOutcome(gate.id, level.level, label, passed, gate.title, gate.sources))
            if not passed:
                failed.append(gate.id)
                cap = min(cap, level.level - 1)
    reached = max(cap, 1)
    name = next(lv.name for lv in catalogue.levels if lv.level == reached)
    maturity = Maturity(score, reached, name, uncapped, tuple(failed), steps, categories, system)
    return maturity, gates


@dataclass(frozen=True, slots=True)
class _Meta:
    """What aggregation needs of a question."""

    step: str
    system: bool
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """What to evaluate on one scoring date (computed once per catalogue and date)."""

    questions: tuple[tuple[QuestionRule, float], ...]
    """Scored questions in force, with their weight."""
    shared: frozenset[str]
    """Company questions scored identically for every material (applicability not per material)."""
    in_force: frozenset[str]
    flags: tuple[tuple[QuestionRule, FlagRule], ...]
    step_weights: dict[str, float]
    scored_steps: tuple[str, ...]
    meta: dict[str, _Meta]


@lru_cache(maxsize=64)
def plan_for(catalogue: Catalogue, as_of: date) -> Plan:
    """The evaluation plan of a catalogue on a date (cached)."""
    questions: list[tuple[QuestionRule, float]] = []
    flags: list[tuple[QuestionRule, FlagRule]] = []
    for rule in catalogue.questions.values():
        weight = rule.weight_on(as_of)
        if rule.scored and weight is None:
            continue
        if rule.scored and weight is not None:
            questions.append((rule, weight))
        flags.extend((rule, flag) for flag in rule.flags)
    shared = frozenset(
        rule.id
        for rule, _ in questions
        if not rule.per_material and (rule.applies is None or not rule.applies.material_dependent)
    )
    weights = {s.id: catalogue.step_weight(s.id, as_of) for s in catalogue.steps}
    meta = {
        rule.id: _Meta(rule.step, rule.system, tuple(t for t in rule.tags if t != CROSS_CUTTING))
        for rule, _ in questions
    }
    return Plan(
        questions=tuple(questions),
        shared=shared,
        in_force=frozenset(rule.id for rule, _ in questions),
        flags=tuple(flags),
        step_weights=weights,
        scored_steps=tuple(k for k, w in weights.items() if w > 0),
        meta=meta,
    )


@dataclass(slots=True)
class Shared:
    """Company-question traces and their sums, computed once for every material."""

    traces: list[QuestionTrace]
    sums: _Sums
    gates: dict[str, bool] = field(default_factory=dict)


def score_shared(
    catalogue: Catalogue,
    plan: Plan,
    ctx: EvalContext,
    state: ScoringState,
    evidence: dict[Key, EvidenceInfo],
) -> Shared:
    """Traces of the company questions whose score cannot differ between materials."""
    ctx.impute = False
    traces = []
    sums = _Sums()
    for rule, weight in plan.questions:
        if rule.id not in plan.shared:
            continue
        if rule.applies is not None and not rule.applies.fn(ctx):
            trace = _blank_trace(rule, None, "not-applicable", weight, state)
        else:
            trace = _trace(catalogue, rule, ctx, state, evidence, weight)
        sums.add(plan.meta[rule.id], trace)
        traces.append(trace)
    return Shared(traces, sums)


def score_context(
    catalogue: Catalogue,
    plan: Plan,
    ctx: EvalContext,
    state: ScoringState,
    evidence: dict[Key, EvidenceInfo],
    shared: Shared,
) -> ContextScore:
    """Score every question in force for ``ctx.material`` (``None``: the company only)."""
    ctx.impute = False
    traces = list(shared.traces)
    applicable = {t.question for t in shared.traces if t.status != "not-applicable"}
    sums = shared.sums.copy()
    for rule, weight in plan.questions:
        if rule.id in plan.shared or (rule.per_material and ctx.material is None):
            continue
        if rule.applies is not None and not rule.applies.fn(ctx):
            label = LABELS.get(ctx.material) if rule.per_material else None
            trace = _blank_trace(rule, label, "not-applicable", weight, state)
        else:
            trace = _trace(catalogue, rule, ctx, state, evidence, weight)
            applicable.add(rule.id)
        sums.add(plan.meta[rule.id], trace)
        traces.append(trace)
    maturity, gates = _maturity(catalogue, plan, ctx, sums, shared.gates)
    return ContextScore(ctx.material, traces, maturity, gates, applicable)


def collect_flags(
    plan: Plan,
    ctx: EvalContext,
    contexts: list[ContextScore],
    state: ScoringState,
) -> list[RedFlag]:
    """Red flags of every applicable question, plus those raised by contradictions."""
    ctx.impute = True
    found: dict[tuple[str, str | None], RedFlag] = {}
    applicable_anywhere = set().union(*(c.applicable for c in contexts)) if contexts else set()
    by_material = {c.material: c.applicable for c in contexts}
    materials = [c.material for c in contexts if c.material is not None]
    company: list[Material | None] = [None]
    for rule, flag in plan.flags:
        targets: list[Material | None] = (
            list(materials) if flag.when.material_dependent else company
        )
        for material in targets:
            if rule.scored and rule.id not in by_material.get(material, applicable_anywhere):
                continue
            label = LABELS.get(material)
            if (flag.id, label) in found:
                continue
            ctx.material = material
            if not flag.when.fn(ctx):
                continue
            own: Key = (rule.id, material if rule.per_material else None)
            imputed = rule.scored and own not in state.values
            addressed = flag.addressed_when is not None and flag.addressed_when.fn(ctx)
            found[(flag.id, label)] = RedFlag(
                flag.id,
                flag.severity.value,
                "addressed" if addressed else "open",
                label,
                rule.id,
                flag.title,
                flag.category,
                imputed,
                flag.sources,
            )
    for raised in state.flags:
        label = LABELS.get(raised.material)
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
