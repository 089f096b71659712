"""Compile rule conditions (a closed vocabulary, no ``eval``) into Python closures.

Operators (see ``rules/dd/README.md`` for the table):

* combinators ``all``, ``any``, ``not``; ``material_in`` tests the current material;
* value operators on a subject (``question: <id>``, ``fact: <name>``, or the rule's own question):
  ``answered``, ``equals``, ``not_equals``, ``in``, ``not_in``, ``gte``, ``gt``, ``lte``, ``lt``
  (numbers, or positions for ordered choices such as the ``L0``-``L4`` ladder), ``contains``,
  ``contains_all``, ``lacks_any`` (sets of options), and the evidence operators
  ``evidence_gte``, ``evidence_lt``, ``evidence_issued_within_months``, ``has_evidence_uri``.

A comparison with a missing value is false (like SQL ``NULL``), including ``not_equals``; write
``not: {equals: ...}`` to mean "anything but". Every reference (question id, fact name, option
value, operator/type fit) is checked when the catalogue is compiled, so a rule file with a typo is
refused at load time instead of silently never firing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from operator import eq, ge, gt, le, lt, ne
from typing import TYPE_CHECKING, Any

from compliance.dd.engine.context import EvalContext, Key, Value
from compliance.dd.engine.facts import FACTS
from compliance.models.dd_rules import AnswerKind, Condition

if TYPE_CHECKING:
    from compliance.dd.rules.answers import AnswerType

__all__ = ["CompileError", "Guard", "Predicate", "Subject", "compile_condition", "months_before"]

Fn = Callable[[EvalContext], bool]


class CompileError(ValueError):
    """A condition refers to something that does not exist or uses an operator wrongly."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass(frozen=True, slots=True)
class Subject:
    """What a question looks like to the compiler."""

    per_material: bool
    answer: AnswerType | None


@dataclass(frozen=True, slots=True)
class Guard:
    """``question``'s effective value (for the material when ``per_material``) is in ``values``."""

    question: str
    per_material: bool
    values: frozenset[Any]


@dataclass(frozen=True, slots=True)
class Predicate:
    """A compiled condition."""

    fn: Fn
    material_dependent: bool
    """True when the result can differ between materials (evaluate once per material)."""
    guard: Guard | None = None
    """A necessary condition cheaper than ``fn``: the effective value of one question must be
    one of a set (from an ``equals``/``in`` leaf the condition cannot be true without). A
    caller may skip ``fn`` when the guard fails; ``fn`` alone decides otherwise."""

    def __call__(self, ctx: EvalContext) -> bool:
        """Evaluate the condition."""
        return self.fn(ctx)


def months_before(day: date, months: float) -> date:
    """The date ``months`` (whole months, rounded down) before ``day``, clamped to month ends.

    >>> months_before(date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    >>> months_before(date(2026, 1, 15), 15)
    datetime.date(2024, 10, 15)
    """
    whole = int(months)
    year, month = divmod(day.year * 12 + day.month - 1 - whole, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class _Compiler:
    def __init__(
        self, questions: Mapping[str, Subject], own: str | None, own_subject: Subject | None
    ) -> None:
        self.questions = questions
        self.own = own
        self.own_subject = own_subject

    def compile(self, cond: Condition, path: tuple[str | int, ...]) -> Predicate:
        operator, operand = cond.operator()
        if operator in ("all", "any"):
            parts = [self.compile(c, (*path, operator, i)) for i, c in enumerate(operand)]
            if not parts:
                raise CompileError(f"'{operator}' needs at least one condition", path)
            fns = tuple(p.fn for p in parts)
            dependent = any(p.material_dependent for p in parts)
            if operator == "all":
                # every part is necessary, so any part's guard guards the whole
                guard = next((p.guard for p in parts if p.guard is not None), None)
                return Predicate(_all(fns), dependent, guard)
            return Predicate(_any(fns), dependent)
        if operator == "not":
            inner = self.compile(operand, (*path, "not"))
            fn = inner.fn
            return Predicate(lambda ctx: not fn(ctx), inner.material_dependent)
        if operator == "material_in":
            allowed = frozenset(operand)
            return Predicate(lambda ctx: ctx.material in allowed, True)
        return self._leaf(cond, operator, operand, path)

    # ------------------------------------------------------------------ leaves

    def _subject(
        self, cond: Condition, path: tuple[str | int, ...]
    ) -> tuple[Callable[[EvalContext], Any], Subject | None, str, bool, str | None]:
        """Getter, question subject (None for facts), label, material dependence, question id."""
        if cond.fact is not None:
            spec = FACTS.get(cond.fact)
            if spec is None:
                raise CompileError(
                    f"unknown fact {cond.fact!r}; known: {', '.join(sorted(FACTS))}", path
                )
            name, per_material = cond.fact, spec.per_material
            return _fact_getter(name, per_material), None, f"fact {name}", per_material, None
        qid = cond.question or self.own
        if qid is None:
            raise CompileError("this condition needs a 'question' or 'fact' subject", path)
        subject = self.questions.get(qid) if cond.question else self.own_subject
        if subject is None:
            raise CompileError(f"unknown question {qid!r}", path)
        # EvalContext.value inlined: getters run in every condition of every material
        if subject.per_material:

            def getter(ctx: EvalContext) -> Value | None:
                found = ctx.values.get((qid, ctx.material))
                if found is None and ctx.impute:
                    return ctx.blanks.get(qid)
                return found

        else:
            key: Key = (qid, None)

            def getter(ctx: EvalContext) -> Value | None:
                found = ctx.values.get(key)
                if found is None and ctx.impute:
                    return ctx.blanks.get(qid)
                return found

        return getter, subject, f"question {qid}", subject.per_material, qid

    def _leaf(
        self, cond: Condition, operator: str, operand: Any, path: tuple[str | int, ...]
    ) -> Predicate:
        get, subject, label, dependent, qid = self._subject(cond, path)
        where = (*path, operator)
        if operator.startswith("evidence_") or operator == "has_evidence_uri":
            if qid is None:
                raise CompileError(f"'{operator}' needs a question subject, not a fact", where)
            return Predicate(self._evidence(operator, operand, qid, dependent), dependent)
        answer = subject.answer if subject else None
        if answer is not None:
            operand = self._check_operand(answer, operator, operand, label, where)
        elif cond.fact is not None:
            operand = _check_fact_operand(FACTS[cond.fact].kind, operator, operand, label, where)
        if qid is not None and operator in _FUSED:
            test = _FUSED[operator](operand)
            guard = None
            if operator == "equals":
                guard = Guard(qid, dependent, frozenset((operand,)))
            elif operator == "in":
                guard = Guard(qid, dependent, frozenset(operand))
            return Predicate(_question_test(qid, dependent, test), dependent, guard)
        if operator in _COMPARE:
            compare = _COMPARE[operator](operand)
            if qid is not None and answer is not None and answer.kind is AnswerKind.CHOICE:
                ranks = {value: option.rank for value, option in answer.options.items()}
                return Predicate(_question_rank_test(qid, dependent, ranks, compare), dependent)
            if qid is not None:
                return Predicate(_question_number_test(qid, dependent, compare), dependent)
            assert cond.fact is not None
            fact_test = _number_test(compare)
            return Predicate(_fact_test(cond.fact, dependent, fact_test), dependent)
        if cond.fact is not None and operator in _FUSED:
            return Predicate(_fact_test(cond.fact, dependent, _FUSED[operator](operand)), dependent)
        return Predicate(_value_fn(operator, operand, get, answer), dependent)

    @staticmethod
    def _evidence(operator: str, operand: Any, qid: str, per_material: bool) -> Fn:
        def info(ctx: EvalContext) -> Any:
            return ctx.evidence.get((qid, ctx.material if per_material else None))

        if operator == "evidence_gte":
            return lambda ctx: (i := info(ctx)) is not None and i.factor >= operand
        if operator == "evidence_lt":
            return lambda ctx: (i := info(ctx)) is not None and i.factor < operand
        if operator == "has_evidence_uri":
            return lambda ctx: (i := info(ctx)) is not None and i.has_uri is operand

        def within(ctx: EvalContext) -> bool:
            found = info(ctx)
            if found is None:
                return False
            limit = months_before(ctx.effective_date, operand)
            return any(limit <= day <= ctx.effective_date for day in found.issued)

        return within

    @staticmethod
    def _check_operand(
        answer: AnswerType, operator: str, operand: Any, label: str, where: tuple[str | int, ...]
    ) -> Any:
        kind = answer.kind
        if operator in ("contains", "contains_all", "lacks_any"):
            if kind is not AnswerKind.MULTI:
                raise CompileError(f"'{operator}' needs a multi-option answer ({label})", where)
            items = [operand] if isinstance(operand, str) else list(operand)
            unknown = [i for i in items if i not in answer.multi_options]
            if unknown:
                raise CompileError(f"{label} has no option(s) {unknown}", where)
            return operand if isinstance(operand, str) else frozenset(operand)
        if operator in ("gte", "gt", "lte", "lt"):
            if kind is AnswerKind.CHOICE:
                if not answer.ordered:
                    raise CompileError(
                        f"'{operator}' needs an ordered answer type ({label})", where
                    )
                if operand not in answer.options:
                    raise CompileError(f"{label} has no option {operand!r}", where)
                return answer.options[operand].rank
            if kind is AnswerKind.MULTI or not isinstance(operand, (int, float)):
                raise CompileError(f"'{operator}' needs a number for {label}", where)
            return float(operand)
        if operator in ("equals", "not_equals", "in", "not_in"):
            items = list(operand) if operator in ("in", "not_in") else [operand]
            if kind is AnswerKind.CHOICE:
                unknown = [i for i in items if i not in answer.options]
                if unknown:
                    raise CompileError(f"{label} has no option(s) {unknown}", where)
            elif kind in (AnswerKind.PERCENT, AnswerKind.NUMBER):
                if not all(isinstance(i, (int, float)) and not isinstance(i, bool) for i in items):
                    raise CompileError(f"{label} takes numbers", where)
                items = [float(i) for i in items]
            else:
                raise CompileError(f"'{operator}' does not apply to multi-option {label}", where)
            return frozenset(items) if operator in ("in", "not_in") else items[0]
        return operand


_MISSING = object()

_FUSED: dict[str, Callable[[Any], Callable[[Any], bool]]] = {
    "equals": lambda operand: partial(eq, operand),
    "not_equals": lambda operand: partial(ne, operand),
    "in": lambda operand: operand.__contains__,
}
"""Value operators whose test of a present value is one C call (``operand == v`` and
``operand != v`` give the same booleans as ``v == operand`` for the canonical value types)."""


_COMPARE: dict[str, Callable[[Any], Callable[[Any], bool]]] = {
    "gte": lambda operand: partial(le, operand),
    "gt": lambda operand: partial(lt, operand),
    "lte": lambda operand: partial(ge, operand),
    "lt": lambda operand: partial(gt, operand),
}
"""Comparison operators as C-level tests of a number ``n``: ``gte`` is ``operand <= n``, the
same as ``n >= operand``."""

_NUMBER_TYPES = frozenset({int, float})
"""Types a number comparison accepts (``bool`` is not a number here)."""


def _number_test(compare: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """``compare`` applied to numbers only (anything else: false, like a missing value)."""

    def test(value: Any) -> bool:
        return value.__class__ in _NUMBER_TYPES and compare(value)

    return test


def _question_number_test(qid: str, per_material: bool, compare: Callable[[Any], bool]) -> Fn:
    """A number question's effective value read and compared in one closure.

    As :func:`_question_test`; a value that is not a number compares false.
    """
    if per_material:

        def material_number(ctx: EvalContext) -> bool:
            found = ctx.values.get((qid, ctx.material))
            if found is None and (not ctx.impute or (found := ctx.blanks.get(qid)) is None):
                return False
            return found.__class__ in _NUMBER_TYPES and compare(found)

        return material_number
    key: Key = (qid, None)

    def company_number(ctx: EvalContext) -> bool:
        found = ctx.values.get(key)
        if found is None and (not ctx.impute or (found := ctx.blanks.get(qid)) is None):
            return False
        return found.__class__ in _NUMBER_TYPES and compare(found)

    return company_number


def _question_rank_test(
    qid: str, per_material: bool, ranks: dict[Any, int], compare: Callable[[Any], bool]
) -> Fn:
    """An ordered choice's effective value read, ranked and compared in one closure.

    A value that is not an option compares false.
    """
    if per_material:

        def material_rank(ctx: EvalContext) -> bool:
            found = ctx.values.get((qid, ctx.material))
            if found is None and (not ctx.impute or (found := ctx.blanks.get(qid)) is None):
                return False
            rank = ranks.get(found)
            return rank is not None and compare(rank)

        return material_rank
    key: Key = (qid, None)

    def company_rank(ctx: EvalContext) -> bool:
        found = ctx.values.get(key)
        if found is None and (not ctx.impute or (found := ctx.blanks.get(qid)) is None):
            return False
        rank = ranks.get(found)
        return rank is not None and compare(rank)

    return company_rank


def _fact_test(name: str, per_material: bool, test: Callable[[Any], bool]) -> Fn:
    """A fact read (as :func:`_fact_getter`) and tested in one closure; missing is false."""
    if per_material:

        def material_fact_test(ctx: EvalContext) -> bool:
            material = ctx.material
            if material is None:
                return False
            found = ctx.material_facts[material].get(name, _MISSING)
            if found is _MISSING:
                found = ctx.dynamic_facts[name](ctx)
            return found is not None and test(found)

        return material_fact_test

    def company_fact_test(ctx: EvalContext) -> bool:
        found = ctx.company_facts.get(name, _MISSING)
        if found is _MISSING:
            found = ctx.dynamic_facts[name](ctx)
        return found is not None and test(found)

    return company_fact_test


def _question_test(qid: str, per_material: bool, test: Callable[[Any], bool]) -> Fn:
    """A question's effective value read and tested in one closure.

    The common leaves (``equals``, ``not_equals``, ``in`` on a question) run in every condition
    of every material; reading the value here (as the getters of ``_Compiler._subject`` do) and
    testing it with a C-level callable saves a Python call per evaluation. Missing is false.
    """
    if per_material:

        def material_test(ctx: EvalContext) -> bool:
            found = ctx.values.get((qid, ctx.material))
            if found is None and (not ctx.impute or (found := ctx.blanks.get(qid)) is None):
                return False
            return test(found)

        return material_test
    key: Key = (qid, None)

    def company_test(ctx: EvalContext) -> bool:
        found = ctx.values.get(key)
        if found is None and (not ctx.impute or (found := ctx.blanks.get(qid)) is None):
            return False
        return test(found)

    return company_test


def _fact_getter(name: str, per_material: bool) -> Callable[[EvalContext], Any]:
    """``EvalContext.fact`` specialised for one fact (static facts first, then dynamic)."""
    if per_material:

        def material_fact(ctx: EvalContext) -> Any:
            material = ctx.material
            if material is None:
                return None
            found = ctx.material_facts[material].get(name, _MISSING)
            return ctx.dynamic_facts[name](ctx) if found is _MISSING else found

        return material_fact

    def company_fact(ctx: EvalContext) -> Any:
        found = ctx.company_facts.get(name, _MISSING)
        return ctx.dynamic_facts[name](ctx) if found is _MISSING else found

    return company_fact


def _all(fns: tuple[Fn, ...]) -> Fn:
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        first, second = fns
        return lambda ctx: first(ctx) and second(ctx)

    def every(ctx: EvalContext) -> bool:
        # an explicit loop: all() over a generator costs a generator per evaluation
        for fn in fns:  # noqa: SIM110
            if not fn(ctx):
                return False
        return True

    return every


def _any(fns: tuple[Fn, ...]) -> Fn:
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        first, second = fns
        return lambda ctx: first(ctx) or second(ctx)

    def some(ctx: EvalContext) -> bool:
        for fn in fns:  # noqa: SIM110 (as in _all)
            if fn(ctx):
                return True
        return False

    return some


def _check_fact_operand(
    kind: str, operator: str, operand: Any, label: str, where: tuple[str | int, ...]
) -> Any:
    """Facts are booleans, numbers or lists of strings; the operator must fit."""
    allowed = {
        "bool": ("equals", "not_equals", "answered"),
        "number": ("equals", "not_equals", "gte", "gt", "lte", "lt", "answered", "in", "not_in"),
        "list": ("contains", "answered"),
    }[kind]
    if operator not in allowed:
        raise CompileError(f"'{operator}' does not apply to {label} (a {kind})", where)
    if kind == "bool" and operator != "answered" and not isinstance(operand, bool):
        raise CompileError(f"{label} is true or false", where)
    if kind == "number" and operator in ("in", "not_in"):
        return frozenset(float(i) for i in operand)
    if kind == "number" and operator != "answered":
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            raise CompileError(f"{label} is a number", where)
        return float(operand)
    return operand


def _value_fn(
    operator: str, operand: Any, get: Callable[[EvalContext], Any], answer: AnswerType | None
) -> Fn:
    if operator == "answered":
        return lambda ctx: (get(ctx) is not None) is operand
    if operator == "equals":
        return lambda ctx: (v := get(ctx)) is not None and v == operand
    if operator == "not_equals":
        return lambda ctx: (v := get(ctx)) is not None and v != operand
    if operator == "in":
        return lambda ctx: (v := get(ctx)) is not None and v in operand
    if operator == "not_in":
        return lambda ctx: (v := get(ctx)) is not None and v not in operand
    if operator == "contains":
        return lambda ctx: (v := get(ctx)) is not None and operand in v
    if operator == "contains_all":
        return lambda ctx: (v := get(ctx)) is not None and operand <= frozenset(v)
    if operator == "lacks_any":
        return lambda ctx: (v := get(ctx)) is not None and not operand <= frozenset(v)
    if answer is not None and answer.kind is AnswerKind.CHOICE:
        ranks = {value: option.rank for value, option in answer.options.items()}

        def rank(ctx: EvalContext) -> float | None:
            v = get(ctx)
            return None if v is None else ranks.get(v)

        number = rank
    else:

        def number(ctx: EvalContext) -> float | None:
            v = get(ctx)
            return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    if operator == "gte":
        return lambda ctx: (n := number(ctx)) is not None and n >= operand
    if operator == "gt":
        return lambda ctx: (n := number(ctx)) is not None and n > operand
    if operator == "lte":
        return lambda ctx: (n := number(ctx)) is not None and n <= operand
    if operator == "lt":
        return lambda ctx: (n := number(ctx)) is not None and n < operand
    raise CompileError(f"unknown operator {operator!r}")


def compile_condition(
    cond: Condition,
    questions: Mapping[str, Subject],
    *,
    own: str | None = None,
    path: tuple[str | int, ...] = (),
) -> Predicate:
    """Compile a condition; ``own`` is the question a rule belongs to (the implicit subject).

    Raises:
        CompileError: Unknown question or fact, an option the answer type does not have, or an
            operator that does not fit the answer type.
    """
    own_subject = questions.get(own) if own else None
    return _Compiler(questions, own, own_subject).compile(cond, path)
