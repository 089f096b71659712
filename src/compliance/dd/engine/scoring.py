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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from compliance.dd.engine.context import EvalContext, EvidenceInfo, Key, Value
from compliance.dd.engine.contradictions import ScoringState
from compliance.dd.engine.result import GateOutcome, Maturity, QuestionTrace, RedFlag
from compliance.dd.rules.answers import AnswerType
from compliance.dd.rules.catalogue import CROSS_CUTTING, Catalogue, FlagRule, QuestionRule
from compliance.dd.rules.conditions import Predicate
from compliance.models.dd_rules import AnswerKind, FlagSeverity
from compliance.models.questionnaire import Material

__all__ = [
    "ContextScore",
    "Plan",
    "PlannedFlag",
    "PlannedGate",
    "PlannedLevel",
    "PlannedQuestion",
    "Shared",
    "build_plan",
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
_SEVERITY_RANK: dict[str, int] = {s.value: rank for s, rank in SEVERITY_ORDER.items()}
"""Severity name -> sort rank (no enum construction per comparison key)."""
_SEVERITY_NAMES: dict[FlagSeverity, str] = {s: s.value for s in FlagSeverity}
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
    shared_count: int = 0
    """``traces[:shared_count]`` are the shared company traces (the same objects in every
    context)."""

    def own_traces(self) -> list[QuestionTrace]:
        """The traces after the shared ones."""
        return self.traces[self.shared_count :]


def weighted(scores: dict[str, float | None], weights: dict[str, float]) -> float:
    """Weighted mean of the step scores that exist (0 when none does).

    >>> weighted({"S1": 50.0, "S2": None}, {"S1": 25.0, "S2": 30.0})
    50.0
    """
    # one pass; the same additions in the same order as sum() over each generator
    total: float = 0.0
    weighted_sum: float = 0.0
    for k, v in scores.items():
        if v is not None:
            weight = weights[k]
            total += weight
            weighted_sum += weight * v
    if total <= 0:
        return 0.0
    return weighted_sum / total


def _unscored_trace(
    planned: PlannedQuestion,
    key: Key,
    label: str | None,
    status: str,
    state: ScoringState,
    value: Value | None = None,
) -> QuestionTrace:
    """The trace of a question without points: not applicable, missing or excluded."""
    counted = status == "missing"
    return QuestionTrace(
        question=planned.question,
        step=planned.step,
        material=label,
        status=status,
        value=value,
        credit=0.0 if counted else None,
        evidence_factor=None,
        evidence_tier=None,
        evidence=(),
        points=0.0,
        max_points=planned.weight if counted else 0.0,
        rescored_by=state.rescored_by.get(key),
        original_value=state.original.get(key),
        sources=planned.sources,
    )


class _Sums:
    """Points and maxima by step, by step for 'system' questions, and by category.

    Lists indexed by the step and category positions of the plan's entries, added in question
    order (in :func:`_score_entries`), so the sums are the same floats whichever way they are
    read.
    """

    __slots__ = (
        "category_max",
        "category_points",
        "maximum",
        "points",
        "system_max",
        "system_points",
    )

    def __init__(self, steps: int, categories: int) -> None:
        self.points = [0.0] * steps
        self.maximum = [0.0] * steps
        self.system_points = [0.0] * steps
        self.system_max = [0.0] * steps
        self.category_points = [0.0] * categories
        self.category_max = [0.0] * categories

    def copy(self) -> _Sums:
        """An independent copy."""
        new = _Sums(0, 0)
        new.points = self.points[:]
        new.maximum = self.maximum[:]
        new.system_points = self.system_points[:]
        new.system_max = self.system_max[:]
        new.category_points = self.category_points[:]
        new.category_max = self.category_max[:]
        return new


def _percent(
    points: list[float], maximum: list[float], steps: tuple[tuple[str, int], ...]
) -> dict[str, float | None]:
    return {k: (100 * points[i] / maximum[i] if maximum[i] > 0 else None) for k, i in steps}


def _maturity(
    catalogue: Catalogue, plan: Plan, ctx: EvalContext, sums: _Sums, gate_cache: dict[str, bool]
) -> tuple[Maturity, list[GateOutcome]]:
    """Maturity of ``ctx.material`` from its sums; gates evaluated up to the uncapped level.

    ``gate_cache`` keeps the result of the gates that cannot differ between materials.
    """
    weights = plan.step_weights
    steps = _percent(sums.points, sums.maximum, plan.scored_steps)
    score = weighted(steps, weights)
    system = weighted(_percent(sums.system_points, sums.system_max, plan.scored_steps), weights)
    specific_weight, system_weight = catalogue.category_weights
    categories = {}
    category_points, category_max = sums.category_points, sums.category_max
    for index, category in enumerate(plan.category_ids):
        most = category_max[index]
        if most > 0:
            specific = 100 * category_points[index] / most
            categories[category] = specific_weight * specific + system_weight * system
        else:
            categories[category] = system
    uncapped = max((lv.level for lv in catalogue.levels if score >= lv.min_score), default=1)
    cap = uncapped
    gates: list[GateOutcome] = []
    failed: list[str] = []
    label = LABELS.get(ctx.material)
    for planned in plan.levels:
        level = planned.level
        if level > uncapped:
            break
        for gate in planned.gates:
            if gate.when.material_dependent or gate.id not in gate_cache:
                gate_cache[gate.id] = gate.when.holds(ctx)
            passed = gate_cache[gate.id]
            gates.append(
                GateOutcome(
                    id=gate.id,
                    level=level,
                    material=label,
                    passed=passed,
                    title=gate.title,
                    sources=gate.sources,
                )
            )
            if not passed:
                failed.append(gate.id)
                cap = min(cap, level - 1)
    reached = max(cap, 1)
    name = plan.level_names[reached]
    maturity = Maturity(
        score=score,
        level=reached,
        level_name=name,
        level_uncapped=uncapped,
        gates_failed=tuple(failed),
        steps=steps,
        categories=categories,
        system_score=system,
    )
    return maturity, gates


Judged = tuple[float | None, bool]
"""Credit (``None``: excluded) and favourability of a value."""

_NOT_AN_OPTION: Judged = (None, False)


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    """A scored question in force on the plan's date, with what the scoring loop reads."""

    rule: QuestionRule
    question: str
    step: str
    step_index: int
    """Position of the step in the sums."""
    weight: float
    system: bool
    """A 'system' question (adds to the system score of its step)."""
    categories: tuple[int, ...]
    """Positions of the question's categories in the sums."""
    applies: Predicate | None
    """``applies_when`` (``None``: always applicable)."""
    per_material: bool
    required: bool
    choices: Mapping[Value, Judged] | None
    """For a choice answer, each option -> its credit and favourability (one look-up; a value
    that is not an option is not in it)."""
    judge: Callable[[Value], Judged]
    """Credit and favourability of any other answer (``AnswerType.judge``)."""
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedFlag:
    """A red flag of a question in force, tested (blank answers imputed) where it applies."""

    flag: FlagRule
    question: str
    per_material: bool
    scored: bool
    """A flag of a scored question is tested only where its question is applicable."""


@dataclass(frozen=True, slots=True)
class PlannedGate:
    """A level gate."""

    id: str
    when: Predicate
    title: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedLevel:
    """A maturity level's gates, in catalogue order."""

    level: int
    gates: tuple[PlannedGate, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """What to evaluate on one scoring date (computed once per catalogue and date)."""

    answerable: dict[str, tuple[AnswerType, bool]]
    """Questions in force answered in /answers: answer type and whether per material."""
    step_weights: dict[str, float]
    scored_steps: tuple[tuple[str, int], ...]
    """Steps with a positive weight, with their position in the sums."""
    step_count: int
    category_ids: tuple[str, ...]
    shared_questions: tuple[PlannedQuestion, ...]
    """Company questions scored identically for every material (applicability not per
    material), in catalogue order."""
    context_questions: tuple[PlannedQuestion, ...]
    """The other questions in force, in catalogue order."""
    company_flags: tuple[PlannedFlag, ...]
    """Flags tested once for the company."""
    material_flags: tuple[PlannedFlag, ...]
    """Flags tested per material in scope."""
    levels: tuple[PlannedLevel, ...]
    level_names: dict[int, str]


def _choice_table(answer: AnswerType) -> dict[Value, Judged] | None:
    if answer.kind is not AnswerKind.CHOICE:
        return None
    return {value: (option.credit, option.favourable) for value, option in answer.options.items()}


def plan_for(catalogue: Catalogue, as_of: date) -> Plan:
    """The evaluation plan of a catalogue on a date (built once, kept with the catalogue)."""
    return catalogue.derived.get(("plan", as_of), lambda: build_plan(catalogue, as_of))


def build_plan(catalogue: Catalogue, as_of: date) -> Plan:
    """The evaluation plan of a catalogue on a date."""
    questions: list[tuple[QuestionRule, float]] = []
    flags: list[PlannedFlag] = []
    for rule in catalogue.questions.values():
        weight = rule.weight_on(as_of)
        if rule.scored and weight is None:
            continue
        if rule.scored and weight is not None:
            questions.append((rule, weight))
        flags.extend(
            PlannedFlag(flag, rule.id, rule.per_material, rule.scored) for flag in rule.flags
        )
    weights = {s.id: catalogue.step_weight(s.id, as_of) for s in catalogue.steps}
    step_index = {step: i for i, step in enumerate(weights)}
    category_ids = tuple(c.id for c in catalogue.categories)
    category_index = {c: i for i, c in enumerate(category_ids)}

    def planned(rule: QuestionRule, weight: float) -> PlannedQuestion:
        answer = rule.answer
        assert answer is not None
        return PlannedQuestion(
            rule=rule,
            question=rule.id,
            step=rule.step,
            step_index=step_index[rule.step],
            weight=weight,
            system=rule.system,
            categories=tuple(
                category_index[t] for t in rule.tags if t != CROSS_CUTTING and t in category_index
            ),
            applies=rule.applies,
            per_material=rule.per_material,
            required=rule.required,
            choices=_choice_table(answer),
            judge=answer.judge,
            sources=rule.sources,
        )

    def shared(rule: QuestionRule) -> bool:
        return not rule.per_material and (
            rule.applies is None or not rule.applies.material_dependent
        )

    return Plan(
        answerable={r.id: (r.answer, r.per_material) for r, _ in questions if r.answer is not None},
        step_weights=weights,
        scored_steps=tuple((k, step_index[k]) for k, w in weights.items() if w > 0),
        step_count=len(weights),
        category_ids=category_ids,
        shared_questions=tuple(planned(r, w) for r, w in questions if shared(r)),
        context_questions=tuple(planned(r, w) for r, w in questions if not shared(r)),
        company_flags=tuple(f for f in flags if not f.flag.when.material_dependent),
        material_flags=tuple(f for f in flags if f.flag.when.material_dependent),
        levels=tuple(
            PlannedLevel(
                level.level,
                tuple(PlannedGate(g.id, g.when, g.title, g.sources) for g in level.gates),
            )
            for level in catalogue.levels
        ),
        level_names={level.level: level.name for level in catalogue.levels},
    )


@dataclass(slots=True)
class Shared:
    """Company-question traces and their sums, computed once for every material."""

    traces: list[QuestionTrace]
    sums: _Sums
    applicable: set[str]
    gates: dict[str, bool] = field(default_factory=dict)


def _evidence_credit(
    favourable: bool, info: EvidenceInfo | None, self_declared: float
) -> tuple[float, str, tuple[str, ...]]:
    """Evidence factor, tier and the evidence used, of an answer (dd-methodology 6.5).

    A favourable answer needs evidence (none: the self-declared factor); an unfavourable one does
    not (factor 1).
    """
    if favourable:
        if info is None:
            return self_declared, "self-declared", ()
        return info.factor, info.tier, info.used
    return 1.0, "not-needed", info.used if info is not None else ()


def _add(sums: _Sums, planned: PlannedQuestion, points: float) -> None:
    """Add a counted question's points and weight to its step, 'system' and category sums."""
    step, weight = planned.step_index, planned.weight
    sums.points[step] += points
    sums.maximum[step] += weight
    if planned.system:
        sums.system_points[step] += points
        sums.system_max[step] += weight
    for category in planned.categories:
        sums.category_points[category] += points
        sums.category_max[category] += weight


def _score_questions(
    questions: tuple[PlannedQuestion, ...],
    self_declared: float,
    ctx: EvalContext,
    state: ScoringState,
    sums: _Sums,
    traces: list[QuestionTrace],
    applicable: set[str],
) -> None:
    """Trace and add up ``questions`` for ``ctx.material`` (per-material ones skipped for None).

    Per question: not applicable (``applies_when`` false: no points, no maximum), missing
    (required and blank: 0 of ``weight``), excluded (optional blank, or a value without credit
    such as 'not-applicable'), or answered: ``points = weight x credit x e`` where ``e`` is the
    evidence factor of a favourable answer (1 for an unfavourable one, which needs no evidence;
    dd-methodology 6.5). Points and maxima are added to the sums in question order.
    """
    material = ctx.material
    label = LABELS.get(material)
    values = state.values
    for planned in questions:
        if planned.per_material:
            if material is None:
                continue
            key: Key = (planned.question, material)
            name = label
        else:
            key = (planned.question, None)
            name = None
        if planned.applies is not None and not planned.applies.holds(ctx):
            traces.append(_unscored_trace(planned, key, name, "not-applicable", state))
            continue
        applicable.add(planned.question)
        value = values.get(key)
        if value is None:
            status = "missing" if planned.required else "excluded"
            traces.append(_unscored_trace(planned, key, name, status, state))
            if planned.required:
                _add(sums, planned, 0.0)
            continue
        if planned.choices is not None:
            credit, favourable = planned.choices.get(value, _NOT_AN_OPTION)
        else:
            credit, favourable = planned.judge(value)
        if credit is None:
            traces.append(_unscored_trace(planned, key, name, "excluded", state, value))
            continue
        credit = state.credit_override.get(key, credit)
        factor, tier, used = _evidence_credit(favourable, ctx.evidence.get(key), self_declared)
        points = planned.weight * credit * factor
        traces.append(
            QuestionTrace(
                question=planned.question,
                step=planned.step,
                material=name,
                status="answered",
                value=value,
                credit=credit,
                evidence_factor=factor,
                evidence_tier=tier,
                evidence=used,
                points=points,
                max_points=planned.weight,
                rescored_by=state.rescored_by.get(key),
                original_value=state.original.get(key),
                sources=planned.sources,
            )
        )
        _add(sums, planned, points)


def score_shared(catalogue: Catalogue, plan: Plan, ctx: EvalContext, state: ScoringState) -> Shared:
    """Traces of the company questions whose score cannot differ between materials."""
    traces: list[QuestionTrace] = []
    sums = _Sums(plan.step_count, len(plan.category_ids))
    applicable: set[str] = set()
    self_declared = catalogue.evidence.self_declared
    _score_questions(plan.shared_questions, self_declared, ctx, state, sums, traces, applicable)
    return Shared(traces, sums, applicable)


def score_context(
    catalogue: Catalogue, plan: Plan, ctx: EvalContext, state: ScoringState, shared: Shared
) -> ContextScore:
    """Score every question in force for ``ctx.material`` (``None``: the company only)."""
    traces = list(shared.traces)
    applicable = set(shared.applicable)
    sums = shared.sums.copy()
    self_declared = catalogue.evidence.self_declared
    _score_questions(plan.context_questions, self_declared, ctx, state, sums, traces, applicable)
    maturity, gates = _maturity(catalogue, plan, ctx, sums, shared.gates)
    return ContextScore(ctx.material, traces, maturity, gates, applicable, len(shared.traces))


def _test_flag(
    planned: PlannedFlag, ctx: EvalContext, values: Mapping[Key, Value]
) -> RedFlag | None:
    """The red flag, if its condition holds in ``ctx`` (blank answers imputed)."""
    flag = planned.flag
    if not flag.when.holds(ctx):
        return None
    matched = flag.when.explain(ctx) or ()
    own: Key = (planned.question, ctx.material if planned.per_material else None)
    addressed = flag.addressed_when is not None and flag.addressed_when.holds(ctx)
    return RedFlag(
        id=flag.id,
        severity=_SEVERITY_NAMES[flag.severity],
        status="addressed" if addressed else "open",
        material=LABELS.get(ctx.material),
        rule=planned.question,
        title=flag.title,
        category=flag.category,
        imputed=planned.scored and own not in values,
        sources=flag.sources,
        matched=matched,
    )


def collect_flags(
    plan: Plan,
    ctx: EvalContext,
    contexts: list[ContextScore],
    state: ScoringState,
) -> list[RedFlag]:
    """Red flags of every applicable question, plus those raised by contradictions.

    A flag's condition reads a blank answer as its least favourable value. Flag ids are unique
    across the catalogue (the compiler refuses duplicates), so each (flag, material) pair is
    evaluated once; the result is sorted, so evaluation order is free.
    """
    imputing = ctx.imputing()
    found: dict[tuple[str, str | None], RedFlag] = {}
    anywhere = set().union(*(c.applicable for c in contexts)) if contexts else set()
    by_material = {c.material: c.applicable for c in contexts}
    groups: list[tuple[Material | None, tuple[PlannedFlag, ...], set[str]]]
    groups = [(None, plan.company_flags, by_material.get(None, anywhere))]
    groups += [
        (c.material, plan.material_flags, c.applicable) for c in contexts if c.material is not None
    ]
    for material, flags, applicable in groups:
        here = imputing.for_material(material)
        for planned in flags:
            if planned.scored and planned.question not in applicable:
                continue
            flag = _test_flag(planned, here, state.values)
            if flag is not None:
                found[(flag.id, flag.material)] = flag
    for raised in state.flags:
        label = LABELS.get(raised.material)
        effect = raised.effect
        found.setdefault(
            (effect.id, label),
            RedFlag(
                id=effect.id,
                severity=_SEVERITY_NAMES[effect.severity],
                status="open",
                material=label,
                rule=raised.rule.id,
                title=effect.title,
                category=effect.category,
                imputed=False,
                sources=raised.rule.sources,
                matched=(f"contradiction {raised.rule.id}",),
            ),
        )
    return sorted(
        found.values(),
        key=lambda f: (_SEVERITY_RANK[f.severity], f.id, f.material or ""),
    )
