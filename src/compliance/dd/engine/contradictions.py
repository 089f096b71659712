"""Apply the contradiction rules (dd-methodology 6.9) to the effective answers.

Rules run in file order, each seeing the effects of the ones before. Effects change only the
scoring state (:class:`ScoringState`): an answer is re-scored, answers are ignored, a flag is
raised, the result is marked incomplete or for manual review. The questionnaire itself is never
changed; every change is recorded with the value before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from compliance.dd.engine.context import EvalContext, Key, Value
from compliance.dd.engine.facts import FACTS
from compliance.dd.engine.result import ContradictionFinding
from compliance.dd.rules.catalogue import Catalogue, ContradictionRule
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
    rescore_log: list[tuple[str, str, Material | None]] = field(default_factory=list)
    """(rule, question, material) of every re-scoring (and of ignored answers), in order: a
    rule is evaluated again only after an entry was added since it last looked."""


@dataclass(frozen=True, slots=True)
class _Rescore:
    """A re-score effect with everything it needs read from the rule and question once."""

    question: str
    per_material: bool
    scored: bool
    """A blank answer of a scored question stays blank (missing): never invented."""
    numeric: bool
    to: Any
    to_fact: str | None
    fact_per_material: bool
    only_if_lower: bool
    credit: float | None
    label: str


@dataclass(frozen=True, slots=True)
class _Action:
    """Another effect: ``kind`` is ``ignore``, ``flag``, ``incomplete`` or ``manual``."""

    kind: str
    flag: FlagEffect | None
    label: str


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A ``when`` rule ready to apply (its effects split in file order: re-scores, others)."""

    rule: ContradictionRule
    when: Callable[[EvalContext], bool]
    rescores: tuple[_Rescore, ...]
    actions: tuple[_Action, ...]
    only_rescores: bool


def _action(effect: Any) -> _Action:
    if effect.ignore_all_answers:
        return _Action("ignore", None, "")
    if effect.flag is not None:
        return _Action("flag", effect.flag, f"flag {effect.flag.id}")
    if effect.incomplete:
        return _Action("incomplete", None, "incomplete")
    return _Action("manual", None, "manual review")


def _compiled(catalogue: Catalogue) -> tuple[_Compiled, ...]:
    """The catalogue's ``when`` rules with their effects pre-read (kept with the catalogue)."""
    return catalogue.derived.get("contradictions", lambda: _compile(catalogue))


def _compile(catalogue: Catalogue) -> tuple[_Compiled, ...]:
    compiled = []
    for rule in catalogue.contradictions:
        if rule.when is None:
            continue
        rescores = []
        for effect in rule.effects:
            r = effect.rescore
            if r is None:
                continue
            question = catalogue.questions[r.question]
            answer = question.answer
            rescores.append(
                _Rescore(
                    r.question,
                    question.per_material,
                    question.scored,
                    answer is not None and answer.kind in (AnswerKind.PERCENT, AnswerKind.NUMBER),
                    r.to,
                    r.to_fact,
                    FACTS[r.to_fact].per_material if r.to_fact is not None else False,
                    r.only_if_lower,
                    r.credit,
                    f"rescore {r.question}",
                )
            )
        actions = tuple(_action(e) for e in rule.effects if e.rescore is None)
        compiled.append(
            _Compiled(rule, rule.when.holds, tuple(rescores), actions, rule.only_rescores)
        )
    return tuple(compiled)


def _rescore(
    rule: ContradictionRule, ctx: EvalContext, state: ScoringState, effect: _Rescore
) -> tuple[str, Any, Any] | None:
    if effect.per_material:
        if ctx.material is None:
            return None
        key: Key = (effect.question, ctx.material)
    else:
        key = (effect.question, None)
    before = state.values.get(key)
    if before is None and effect.scored:
        return None  # a blank stays blank (and missing): re-scoring never invents an answer
    if effect.to_fact is not None:
        target = ctx.fact(effect.to_fact, effect.fact_per_material)
    else:
        target = effect.to
    if target is None:
        return None
    if effect.numeric:
        target = float(target)
    if effect.only_if_lower and (not isinstance(before, float) or target >= before):
        return None
    if target == before and effect.credit is None:
        return None
    state.values[key] = target
    state.original.setdefault(key, before)
    state.rescored_by[key] = rule.id
    state.rescore_log.append((rule.id, effect.question, key[1]))
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
    compiled: _Compiled,
    ctx: EvalContext,
    state: ScoringState,
    reasons: tuple[str, ...] = (),
) -> bool:
    """Apply a rule whose condition holds; ``False`` when it changed nothing (did not fire).

    ``reasons`` say why a rule fires only on re-evaluation (the re-scorings that made its
    condition true); they open the finding's effects.
    """
    rule = compiled.rule
    changes: list[tuple[str, Any, Any]] = []
    effects: list[str] = list(reasons)
    for effect in compiled.rescores:
        change = _rescore(rule, ctx, state, effect)
        if change is not None:
            changes.append(change)
            effects.append(effect.label)
            if effect.question in _risk_questions(catalogue):
                effects.append(
                    f"inherent and residual risk computed with the re-scored {effect.question}"
                )
    if compiled.only_rescores and not changes:
        return False
    for action in compiled.actions:
        kind = action.kind
        if kind == "ignore":
            effects.append(f"ignored {_ignore(catalogue, state)} answer(s)")
            state.rescore_log.append((rule.id, "every answer", None))
            continue
        if kind == "flag":
            assert action.flag is not None
            state.flags.append(RaisedFlag(action.flag, rule, ctx.material))
        elif kind == "incomplete":
            state.incomplete = True
        else:
            state.manual_review = True
        effects.append(action.label)
    if rule.critical:
        state.critical_contradiction = True
    state.findings.append(
        ContradictionFinding(
            id=rule.id,
            severity=rule.severity,
            material=_LABELS.get(ctx.material),
            title=rule.title,
            message=rule.message,
            changes=tuple(changes),
            effects=tuple(effects),
            sources=rule.sources,
        )
    )
    return True


def _risk_questions(catalogue: Catalogue) -> frozenset[str]:
    """Questions the inherent risk reads (facts.py ``inherent_risk``).

    Re-scoring one of them changes the inherent and residual risk of the material.
    """
    bindings = catalogue.bindings
    return frozenset((bindings.fully_recycled, bindings.asm, bindings.traced_to_mine))


def apply_contradictions(
    catalogue: Catalogue,
    ctx: EvalContext,
    materials: tuple[Material, ...],
    state: ScoringState,
) -> None:
    """Evaluate every ``when`` rule (per material where the rule says so) and apply it.

    Rules run in file order, each seeing the effects of the ones before; within a rule the
    re-scores run first (in file order), then the other effects, only when a re-score changed
    something if the rule does nothing else.

    Claims that lose their basis lose their effect: a rule that did not fire is evaluated again
    after a later rule re-scored an answer (e.g. CX-02 rejects a 100 % recycled claim that
    kept CX-03 and CX-16 from firing), until nothing more fires; each rule fires at most once
    per material. A rule that fires on re-evaluation says which re-scorings it followed, and
    the findings of those re-scorings name the rules they re-opened.
    """
    company: tuple[Material | None, ...] = (None,)
    views = {m: ctx.for_material(m) for m in (None, *materials)}
    rules = _compiled(catalogue)
    fired: set[tuple[str, Material | None]] = set()
    # (rule, material) -> length of the re-scoring log when the rule last looked
    seen_changes: dict[tuple[str, Material | None], int] = {}
    while True:
        fired_in_pass = False
        for compiled in rules:
            rule_id = compiled.rule.id
            for material in materials if compiled.rule.per_material else company:
                key = (rule_id, material)
                if key in fired:
                    continue
                first_look = key not in seen_changes
                since = seen_changes.get(key, 0)
                if not first_look and since == len(state.rescore_log):
                    continue  # nothing re-scored since it last looked: the same answer
                seen_changes[key] = len(state.rescore_log)
                here = views[material]
                if not compiled.when(here):
                    continue
                causes: list[tuple[str, str]] = []
                if not first_look:
                    causes = _causes(compiled, here, state, state.rescore_log[since:])
                reasons = tuple(f"re-evaluated after {r} re-scored {q}" for r, q in causes)
                if _fire(catalogue, compiled, here, state, reasons):
                    fired.add(key)
                    fired_in_pass = True
                    _name_reopened(state, causes, rule_id, material)
        if not fired_in_pass:
            break


def _causes(
    compiled: _Compiled,
    ctx: EvalContext,
    state: ScoringState,
    log: list[tuple[str, str, Material | None]],
) -> list[tuple[str, str]]:
    """The re-scorings a rule's condition now depends on.

    (rule, question) of each re-scored answer whose original value, put back, makes the
    condition false again. Tested one answer at a time (the effective values are restored at
    once); when no single re-scoring explains the change, every re-scoring since the rule last
    looked is listed.
    """
    material = ctx.material
    relevant = [
        (rule, question, where)
        for rule, question, where in dict.fromkeys(log)
        if where is None or where == material
    ]
    found: list[tuple[str, str]] = []
    values = state.values
    for rule, question, where in relevant:
        key: Key = (question, where)
        if key not in state.original:
            continue  # ignored answers: nothing to put back
        now = values.get(key)
        before = state.original[key]
        if before is None:
            values.pop(key, None)
        else:
            values[key] = before
        still = compiled.when(ctx)
        if now is None:
            values.pop(key, None)
        else:
            values[key] = now
        if not still:
            found.append((rule, question))
    return found or [(rule, question) for rule, question, _ in relevant]


def _name_reopened(
    state: ScoringState, causes: list[tuple[str, str]], reopened: str, material: Material | None
) -> None:
    """Name a re-opened rule in the findings whose re-scorings re-opened it."""
    if not causes:
        return
    rules = {rule for rule, _ in causes}
    label = _LABELS.get(material)
    note = f"recomputed without the claim: {reopened}" + (f"@{label}" if label else "")
    for index, finding in enumerate(state.findings):
        same_place = finding.material is None or finding.material == label
        if finding.id in rules and same_place and note not in finding.effects:
            state.findings[index] = replace(finding, effects=(*finding.effects, note))


_EVIDENCE_EFFECTS = {
    "evidence-validity": "evidence factor 0 for",
    "evidence-fit": "entries not counted as evidence for",
}
"""What each built-in evidence rule does, as its findings say it."""


def evidence_findings(
    catalogue: Catalogue, builtin: str, judged: list[tuple[Key, tuple[tuple[str, str], ...]]]
) -> list[ContradictionFinding]:
    """Findings of a built-in evidence rule for favourable answers, one per answer.

    ``builtin`` names the rule: ``evidence-validity`` (CX-07, every evidence entry expired or
    not covering the material) or ``evidence-fit`` (CX-19, entries that are not what they claim
    to be). ``judged`` lists each answer with its entries and the reason each was refused.
    """
    rule = next((r for r in catalogue.contradictions if r.builtin == builtin), None)
    if rule is None:
        return []
    findings = []
    for (question, material), rejected in judged:
        reasons = "; ".join(f"{ref}: {why}" for ref, why in rejected)
        findings.append(
            ContradictionFinding(
                id=rule.id,
                severity=rule.severity,
                material=_LABELS.get(material),
                title=rule.title,
                message=f"{rule.message} ({question}: {reasons})",
                changes=(),
                effects=(f"{_EVIDENCE_EFFECTS[builtin]} {question}",),
                sources=rule.sources,
            )
        )
    return findings
