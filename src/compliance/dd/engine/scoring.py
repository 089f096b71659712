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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from compliance.dd.engine.context import EvalContext, EvidenceInfo, Key, Value
from compliance.dd.engine.contradictions import ScoringState
from compliance.dd.engine.result import GateOutcome, Maturity, QuestionTrace, RedFlag
from compliance.dd.rules.answers import AnswerType
from compliance.dd.rules.catalogue import CROSS_CUTTING, Catalogue, FlagRule, QuestionRule
from compliance.dd.rules.conditions import Guard
from compliance.models.dd_rules import AnswerKind, FlagSeverity
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


_new_tuple = tuple.__new__
"""``_new_tuple(QuestionTrace, fields)``: a named tuple from all its fields in one C call (no
Python-level ``__new__``)."""


def _blank_trace(
    rule: QuestionRule,
    material: Material | None,
    label: str | None,
    status: str,
    weight: float,
    state: ScoringState,
    value: Value | None = None,
) -> QuestionTrace:
    key: Key = (rule.id, material)
    counted = status == "missing"
    return QuestionTrace(
        question=rule.id,
        step=rule.step,
        material=label,
        status=status,
        value=value,
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
    ctx.impute = False
    label = LABELS.get(ctx.material)
    for level, level_gates in plan.gates:
        if level > uncapped:
            break
        for gate_id, material_dependent, when, title, sources in level_gates:
            if material_dependent or gate_id not in gate_cache:
                gate_cache[gate_id] = when(ctx)
            passed = gate_cache[gate_id]
            gates.append(_new_tuple(GateOutcome, (gate_id, level, label, passed, title, sources)))
            if not passed:
                failed.append(gate_id)
                cap = min(cap, level - 1)
    reached = max(cap, 1)
    name = plan.level_names[reached]
    maturity = Maturity(score, reached, name, uncapped, tuple(failed), steps, categories, system)
    return maturity, gates


Judged = tuple[float | None, bool]
"""Credit (``None``: excluded) and favourability of a value."""

_NOT_AN_OPTION: Judged = (None, False)

Entry = tuple[
    QuestionRule,
    str,
    str,
    float,
    int,
    bool,
    tuple[int, ...],
    "Callable[[EvalContext], bool] | None",
    bool,
    "dict[Value, Judged] | None",
    "Callable[[Value], Judged]",
    bool,
    tuple[str, ...],
]
"""A scored question in force, ready for the scoring loop: (rule, question id, step id, weight,
step position, 'system' question, category positions, applicability test or ``None``, per
material, choice table or ``None``, judge, required, sources). A plain tuple, unpacked in one
step per question and material. The choice table maps each option to ``AnswerType.judge`` of it
(one dict look-up instead of a method call; a value that is not an option is not in it)."""


def _choice_table(answer: AnswerType) -> dict[Value, Judged] | None:
    if answer.kind is not AnswerKind.CHOICE:
        return None
    return {value: (option.credit, option.favourable) for value, option in answer.options.items()}


GateEntry = tuple[str, bool, "Callable[[EvalContext], bool]", str, tuple[str, ...]]
"""(gate id, material dependent, its test, title, sources) of a level gate."""

FlagEntry = tuple[
    QuestionRule, FlagRule, str, bool, "Callable[[EvalContext], bool]", "Guard | None"
]
"""(question, flag, question id, question scored, the flag's ``when`` test and its guard),
unpacked at once."""


@dataclass(frozen=True, slots=True)
class FlagGroup:
    """Flags evaluated together, indexed by their guards.

    A guarded flag can only fire when its guard question's effective value is one of the
    guard's values, so each guard question is read once and only the flags its value lets
    through are tested; unguarded flags are always tested.
    """

    guarded: tuple[tuple[str, bool, dict[Any, tuple[FlagEntry, ...]]], ...]
    """(guard question, per material, value -> the flags that value lets through)."""
    unguarded: tuple[FlagEntry, ...]


def _flag_group(entries: list[FlagEntry]) -> FlagGroup:
    index: dict[tuple[str, bool], dict[Any, list[FlagEntry]]] = {}
    unguarded: list[FlagEntry] = []
    for entry in entries:
        guard = entry[5]
        if guard is None:
            unguarded.append(entry)
            continue
        by_value = index.setdefault((guard.question, guard.per_material), {})
        for value in guard.values:
            by_value.setdefault(value, []).append(entry)
    guarded = tuple(
        (question, per_material, {v: tuple(found) for v, found in by_value.items()})
        for (question, per_material), by_value in index.items()
    )
    return FlagGroup(guarded, tuple(unguarded))


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
    shared_entries: tuple[Entry, ...]
    """Company questions scored identically for every material (applicability not per
    material), in catalogue order."""
    context_entries: tuple[Entry, ...]
    """The other questions in force, in catalogue order."""
    company_flags: FlagGroup
    """Flags evaluated once for the company."""
    material_flags: FlagGroup
    """Flags evaluated per material in scope."""
    gates: tuple[tuple[int, tuple[GateEntry, ...]], ...]
    """(level, its gates) in catalogue order."""
    level_names: dict[int, str]


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
    step_index = {step: i for i, step in enumerate(weights)}
    category_ids = tuple(c.id for c in catalogue.categories)
    category_index = {c: i for i, c in enumerate(category_ids)}

    def entry(rule: QuestionRule, weight: float) -> Entry:
        tags = tuple(
            category_index[t] for t in rule.tags if t != CROSS_CUTTING and t in category_index
        )
        applies = rule.applies.fn if rule.applies is not None else None
        answer = rule.answer
        assert answer is not None
        return (
            rule, rule.id, rule.step, weight, step_index[rule.step], rule.system, tags, applies,
            rule.per_material, _choice_table(answer), answer.judge, rule.required, rule.sources,
        )  # fmt: skip

    return Plan(
        answerable={r.id: (r.answer, r.per_material) for r, _ in questions if r.answer is not None},
        step_weights=weights,
        scored_steps=tuple((k, step_index[k]) for k, w in weights.items() if w > 0),
        step_count=len(weights),
        category_ids=category_ids,
        shared_entries=tuple(entry(r, w) for r, w in questions if r.id in shared),
        context_entries=tuple(entry(r, w) for r, w in questions if r.id not in shared),
        company_flags=_flag_group(
            [
                (r, f, r.id, r.scored, f.when.fn, f.when.guard)
                for r, f in flags
                if not f.when.material_dependent
            ]
        ),
        material_flags=_flag_group(
            [
                (r, f, r.id, r.scored, f.when.fn, f.when.guard)
                for r, f in flags
                if f.when.material_dependent
            ]
        ),
        gates=tuple(
            (
                level.level,
                tuple(
                    (g.id, g.when.material_dependent, g.when.fn, g.title, g.sources)
                    for g in level.gates
                ),
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


def _score_entries(
    entries: tuple[Entry, ...],
    self_declared: float,
    ctx: EvalContext,
    state: ScoringState,
    evidence: dict[Key, EvidenceInfo],
    sums: _Sums,
    traces: list[QuestionTrace],
    applicable: set[str],
) -> None:
    """Trace and add up ``entries`` for ``ctx.material`` (per-material ones skipped for None).

    Per question: not applicable (``applies_when`` false: no points, no maximum), missing
    (required and blank: 0 of ``weight``), excluded (optional blank, or a value without credit
    such as 'not-applicable'), or answered: ``points = weight x credit x e`` where ``e`` is the
    evidence factor of a favourable answer (1 for an unfavourable one, which needs no evidence;
    dd-methodology 6.5). Points and maxima are added to the step, 'system' and category sums in
    question order. One loop with the entry fields unpacked at once: it runs for every question
    of every material.
    """
    material = ctx.material
    label = LABELS.get(material)
    values = state.values
    override = state.credit_override
    rescored_by = state.rescored_by
    original = state.original
    evidence_of = evidence.get
    step_points, step_max = sums.points, sums.maximum
    system_points, system_max = sums.system_points, sums.system_max
    category_points, category_max = sums.category_points, sums.category_max
    append = traces.append
    add_applicable = applicable.add
    used: tuple[str, ...]
    for (
        rule, qid, step_id, weight, step, system, tags, applies, per_material, choices, judge,
        required, sources,
    ) in entries:  # fmt: skip
        if per_material:
            if material is None:
                continue
            key: Key = (qid, material)
            name = label
        else:
            key = (qid, None)
            name = None
        if applies is not None and not applies(ctx):
            append(_blank_trace(rule, key[1], name, "not-applicable", weight, state))
            continue
        add_applicable(qid)
        value = values.get(key)
        if value is None:
            append(_blank_trace(rule, key[1], name, "missing" if required else "excluded",
                                weight, state))  # fmt: skip
            if not required:
                continue
            points = 0.0
        else:
            if choices is not None:
                credit, favourable = choices.get(value, _NOT_AN_OPTION)
            else:
                credit, favourable = judge(value)
            if credit is None:
                append(_blank_trace(rule, key[1], name, "excluded", weight, state, value))
                continue
            if override:
                credit = override.get(key, credit)
            info = evidence_of(key)
            if favourable:
                if info is None:
                    factor, tier, used = self_declared, "self-declared", ()
                else:
                    factor, tier, used = info.factor, info.tier, info.used
            else:
                factor, tier = 1.0, "not-needed"
                used = info.used if info is not None else ()
            points = weight * credit * factor
            append(
                _new_tuple(QuestionTrace, (
                    qid, step_id, name, "answered", value, credit, factor, tier, used, points,
                    weight, rescored_by.get(key) if rescored_by else None,
                    original.get(key) if original else None, sources,
                ))
            )  # fmt: skip
        step_points[step] += points
        step_max[step] += weight
        if system:
            system_points[step] += points
            system_max[step] += weight
        for tag in tags:
            category_points[tag] += points
            category_max[tag] += weight


def score_shared(
    catalogue: Catalogue,
    plan: Plan,
    ctx: EvalContext,
    state: ScoringState,
    evidence: dict[Key, EvidenceInfo],
) -> Shared:
    """Traces of the company questions whose score cannot differ between materials."""
    ctx.impute = False
    traces: list[QuestionTrace] = []
    sums = _Sums(plan.step_count, len(plan.category_ids))
    applicable: set[str] = set()
    self_declared = catalogue.evidence.self_declared
    _score_entries(
        plan.shared_entries, self_declared, ctx, state, evidence, sums, traces, applicable
    )
    return Shared(traces, sums, applicable)


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
    applicable = set(shared.applicable)
    sums = shared.sums.copy()
    self_declared = catalogue.evidence.self_declared
    _score_entries(
        plan.context_entries, self_declared, ctx, state, evidence, sums, traces, applicable
    )
    maturity, gates = _maturity(catalogue, plan, ctx, sums, shared.gates)
    return ContextScore(ctx.material, traces, maturity, gates, applicable, len(shared.traces))


def collect_flags(
    plan: Plan,
    ctx: EvalContext,
    contexts: list[ContextScore],
    state: ScoringState,
) -> list[RedFlag]:
    """Red flags of every applicable question, plus those raised by contradictions.

    Flag ids are unique across the catalogue (the compiler refuses duplicates), so each
    (flag, material) pair is evaluated once; the result is sorted, so evaluation order is free.
    """
    ctx.impute = True
    found: dict[tuple[str, str | None], RedFlag] = {}
    anywhere = set().union(*(c.applicable for c in contexts)) if contexts else set()
    by_material = {c.material: c.applicable for c in contexts}
    groups: list[tuple[Material | None, FlagGroup, set[str]]]
    groups = [(None, plan.company_flags, by_material.get(None, anywhere))]
    groups += [
        (c.material, plan.material_flags, c.applicable) for c in contexts if c.material is not None
    ]
    values = state.values
    blanks = ctx.blanks

    def test(
        entries: tuple[FlagEntry, ...],
        material: Material | None,
        label: str | None,
        applicable: set[str],
    ) -> None:
        for rule, flag, qid, scored, when, _ in entries:
            if scored and qid not in applicable:
                continue
            if not when(ctx):
                continue
            own: Key = (qid, material if rule.per_material else None)
            imputed = scored and own not in values
            addressed = flag.addressed_when is not None and flag.addressed_when.fn(ctx)
            found[(flag.id, label)] = _new_tuple(RedFlag, (
                flag.id,
                _SEVERITY_NAMES[flag.severity],
                "addressed" if addressed else "open",
                label,
                qid,
                flag.title,
                flag.category,
                imputed,
                flag.sources,
            ))  # fmt: skip

    for material, group, applicable in groups:
        ctx.material = material
        label = LABELS.get(material)
        for question, per_material, by_value in group.guarded:
            # the guard question's value, blank imputed, as the flags' tests read it
            seen = values.get((question, material if per_material else None))
            if seen is None:
                seen = blanks.get(question)
            passed = by_value.get(seen)
            if passed is not None:
                test(passed, material, label, applicable)
        test(group.unguarded, material, label, applicable)
    for raised in state.flags:
        label = LABELS.get(raised.material)
        effect = raised.effect
        found.setdefault(
            (effect.id, label),
            RedFlag(
                effect.id,
                _SEVERITY_NAMES[effect.severity],
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
        key=lambda f: (_SEVERITY_RANK[f.severity], f.id, f.material or ""),
    )
