"""Apply the contradiction rules (dd-methodology 6.9) to the effective answers.

Rules run in file order, each seeing the effects of the ones before. Effects change only the
scoring state (:class:`ScoringState`): an answer is re-scored, answers are ignored, a flag is
raised, the result is marked incomplete or for manual review. The questionnaire itself is never
changed; every change is recorded with the value before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compliance.dd.catalogue import Catalogue, ContradictionRule
from compliance.dd.context import EvalContext, Key, Value
from compliance.dd.facts import FACTS
from compliance.dd.result import ContradictionFinding
from compliance.models.dd_rules import AnswerKind, FlagEffect
from compliance.models.questionnaire import Material

_LABELS: dict[Material | None, str] = {m: m.value for m in Material}
"""Material -> its name (enum ``.value`` is a Python-level property)."""

__all__ = ["RaisedFlag", "ScoringState", "apply_contradictions", "evidence_findings"]


@dataclass(frozen=True, slots=True)
class RaisedFlag:
    """A red flag raised by a contradiction rule."""

    effect: FlagEffect
    rule: ContradictionRule
    material: Material | None


@dataclass(slots=True)
class ScoringState:
    """Effective answers and everything the contradiction rules decided."""

    values: dict[Key, Value]
    credit_override: dict[Key, float] = field(default_factory=dict)
    original: dict[Key, Value | None] = field(default_factory=dict)
    rescored_by: dict[Key, str] = field(default_factory=dict)
    ignored: set[Key] = field(default_factory=set)
    incomplete: bool = False
    manual_review: bool = False
    flags: list[RaisedFlag] = field(default_factory=list)
    findings: list[ContradictionFinding] = field(default_factory=list)
    critical_contradiction: bool = False


def _target(ctx: EvalContext, to: Any, to_fact: str | None) -> Any:
    if to_fact is not None:
        return ctx.fact(to_fact, FACTS[to_fact].per_material)
    return to


def _rescore(
    catalogue: Catalogue,
    rule: ContradictionRule,
    ctx: EvalContext,
    state: ScoringState,
    effect: Any,
) -> tuple[str, Any, Any] | None:
    question = catalogue.questions[effect.question]
    if question.per_material and ctx.material is None:
        return None
    key: Key = (effect.question, ctx.material if question.per_material else None)
    before = state.values.get(key)
    if before is None and question.scored:
        return None  # a blank stays blank (and missing): re-scoring never invents an answer
    target = _target(ctx, effect.to, effect.to_fact)
    if target is None:
        return None
    answer = question.answer
    if answer is not None and answer.kind in (AnswerKind.PERCENT, AnswerKind.NUMBER):
        target = float(target)
    if effect.only_if_lower and (not isinstance(before, float) or target >= before):
        return None
    if target == before and effect.credit is None:
        return None
    state.values[key] = target
    state.original.setdefault(key, before)
    state.rescored_by[key] = rule.id
    if effect.credit is not None:
        state.credit_override[key] = effect.credit
    return effect.question, before, target


def _ignore(catalogue: Catalogue, state: ScoringState) -> int:
    """Drop every scored answer (a declaration made by another company)."""
    dropped = 0
    for key in list(state.values):
        if catalogue.questions[key[0]].scored:
            state.original.setdefault(key, state.values[key])
            del state.values[key]
            state.ignored.add(key)
            dropped += 1
    return dropped


def _fire(
    catalogue: Catalogue,
    rule: ContradictionRule,
    ctx: EvalContext,
    state: ScoringState,
    only_rescores: bool,
) -> None:
    changes: list[tuple[str, Any, Any]] = []
    effects: list[str] = []
    pending: list[Any] = []
    for effect in rule.effects:
        if effect.rescore is not None:
            change = _rescore(catalogue, rule, ctx, state, effect.rescore)
            if change is not None:
                changes.append(change)
                effects.append(f"rescore {change[0]}")
        else:
            pending.append(effect)
    if only_rescores and not changes:
        return
    for effect in pending:
        if effect.ignore_all_answers:
            effects.append(f"ignored {_ignore(catalogue, state)} answer(s)")
        elif effect.flag is not None:
            state.flags.append(RaisedFlag(effect.flag, rule, ctx.material))
            effects.append(f"flag {effect.flag.id}")
        elif effect.incomplete:
            state.incomplete = True
            effects.append("incomplete")
        elif effect.manual_review:
            state.manual_review = True
            effects.append("manual review")
    if rule.critical:
        state.critical_contradiction = True
    state.findings.append(
        ContradictionFinding(
            rule.id,
            rule.severity,
            _LABELS.get(ctx.material),
            rule.title,
            rule.message,
            tuple(changes),
            tuple(effects),
            rule.sources,
        )
    )


def apply_contradictions(
    catalogue: Catalogue,
    ctx: EvalContext,
    materials: tuple[Material, ...],
    state: ScoringState,
) -> None:
    """Evaluate every ``when`` rule (per material where the rule says so) and apply it."""
    ctx.impute = False
    company: tuple[Material | None, ...] = (None,)
    for rule in catalogue.contradictions:
        if rule.when is None:
            continue
        when = rule.when.fn
        only_rescores = rule.only_rescores
        for material in materials if rule.per_material else company:
            ctx.material = material
            if when(ctx):
                _fire(catalogue, rule, ctx, state, only_rescores)
    ctx.material = None


def evidence_findings(
    catalogue: Catalogue, invalid: list[tuple[Key, tuple[tuple[str, str], ...]]]
) -> list[ContradictionFinding]:
    """CX-07-style findings for favourable answers whose every evidence entry is invalid."""
    rule = next((r for r in catalogue.contradictions if r.builtin == "evidence-validity"), None)
    if rule is None:
        return []
    findings = []
    for (question, material), rejected in invalid:
        reasons = "; ".join(f"{ref}: {why}" for ref, why in rejected)
        findings.append(
            ContradictionFinding(
                rule.id,
                rule.severity,
                _LABELS.get(material),
                rule.title,
                f"{rule.message} ({question}: {reasons})",
                (),
                (f"evidence factor 0 for {question}",),
                rule.sources,
            )
        )
    return findings
