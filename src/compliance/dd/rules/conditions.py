"""Rule conditions: a closed vocabulary (no ``eval``) compiled into a tree, and its evaluator.

Operators (see ``rules/dd/README.md`` for the table):

* combinators ``all``, ``any``, ``not``; ``material_in`` tests the current material;
* value operators on a subject (``question: <id>``, ``fact: <name>``, or the rule's own question):
  ``answered``, ``equals``, ``not_equals``, ``in``, ``not_in``, ``gte``, ``gt``, ``lte``, ``lt``
  (numbers, or positions for ordered choices such as the ``L0``-``L4`` ladder), ``contains``,
  ``contains_all``, ``lacks_any`` (sets of options), and the evidence operators
  ``evidence_gte``, ``evidence_lt``, ``evidence_issued_within_months``, ``has_evidence_uri``.

A compiled condition is a tree of frozen nodes (:class:`AllOf`, :class:`AnyOf`, :class:`Not`,
:class:`MaterialIn` and the leaf :class:`Test`: a subject read from the context, an operator from
:data:`OPERATORS` and its operand). ``holds(ctx)`` evaluates a tree; ``explain(ctx)`` names the
leaves that made it true (a red flag records them), or gives ``None`` when it is false.

Each node carries its ``check``: the plain evaluation function the compiler builds once for it
(a closure over the node's parts' checks, its reading and operator), so evaluating a tree calls
one function per node instead of walking the dataclasses; ``holds`` runs it. The tree stays for
``explain`` and ``describe``.

A comparison with a missing value is false (like SQL ``NULL``), including ``not_equals``; write
``not: {equals: ...}`` to mean "anything but". Every reference (question id, fact name, option
value, operator/type fit) is checked when the catalogue is compiled, so a rule file with a typo is
refused at load time instead of silently never firing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from compliance.dd.engine.context import EvalContext
from compliance.dd.engine.facts import FACTS
from compliance.models.dd_rules import AnswerKind, Condition

if TYPE_CHECKING:
    from compliance.dd.rules.answers import AnswerType

__all__ = [
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "Check",
    "CompileError",
    "EvidenceOf",
    "FactValue",
    "MaterialIn",
    "Not",
    "Predicate",
    "QuestionValue",
    "Subject",
    "Test",
    "compile_condition",
    "months_before",
]


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


# ---------------------------------------------------------------- what a leaf reads


@dataclass(frozen=True, slots=True)
class QuestionValue:
    """A question's effective value (a blank read as its least favourable value when imputing)."""

    question: str
    per_material: bool

    def read(self, ctx: EvalContext) -> Any:
        """The value for the context's material (or the company)."""
        return ctx.value(self.question, self.per_material)


@dataclass(frozen=True, slots=True)
class FactValue:
    """A derived fact (``compliance.dd.engine.facts``) for the context's material or company."""

    fact: str
    per_material: bool

    def read(self, ctx: EvalContext) -> Any:
        """The fact's value (``None``: a per-material fact read for the company)."""
        return ctx.fact(self.fact, self.per_material)


@dataclass(frozen=True, slots=True)
class EvidenceOf:
    """How the evidence behind a question's answer was judged (``EvidenceInfo``)."""

    question: str
    per_material: bool

    def read(self, ctx: EvalContext) -> Any:
        """The judged evidence (``None``: the answer has none)."""
        return ctx.evidence_of(self.question, self.per_material)


Reading = QuestionValue | FactValue | EvidenceOf

# ---------------------------------------------------------------- the operator table


def _is_number(value: Any) -> bool:
    """A number (``bool`` is not a number here)."""
    return value.__class__ is float or value.__class__ is int


def _within_months(info: Any, months: Any, ctx: EvalContext) -> bool:
    limit = months_before(ctx.effective_date, months)
    return any(limit <= day <= ctx.effective_date for day in info.issued)


Operator = Callable[[Any, Any, EvalContext], bool]
"""``operator(value, operand, ctx)``: the test of a present value (a missing one is false)."""

OPERATORS: dict[str, Operator] = {
    "answered": lambda value, operand, ctx: operand is True,
    "equals": lambda value, operand, ctx: value == operand,
    "not_equals": lambda value, operand, ctx: value != operand,
    "in": lambda value, operand, ctx: value in operand,
    "not_in": lambda value, operand, ctx: value not in operand,
    "gte": lambda value, operand, ctx: _is_number(value) and value >= operand,
    "gt": lambda value, operand, ctx: _is_number(value) and value > operand,
    "lte": lambda value, operand, ctx: _is_number(value) and value <= operand,
    "lt": lambda value, operand, ctx: _is_number(value) and value < operand,
    "contains": lambda value, operand, ctx: operand in value,
    "contains_all": lambda value, operand, ctx: operand <= frozenset(value),
    "lacks_any": lambda value, operand, ctx: not operand <= frozenset(value),
    "evidence_gte": lambda info, operand, ctx: info.factor >= operand,
    "evidence_lt": lambda info, operand, ctx: info.factor < operand,
    "has_evidence_uri": lambda info, operand, ctx: info.has_uri is operand,
    "evidence_issued_within_months": _within_months,
}
"""Every value operator. Comparisons (``gte`` ...) read numbers, or an ordered choice's position
(the leaf ranks the value first); a value of another type compares false."""

_COMPARISONS = frozenset({"gte", "gt", "lte", "lt"})
_EVIDENCE = frozenset(
    {"evidence_gte", "evidence_lt", "has_evidence_uri", "evidence_issued_within_months"}
)

# ---------------------------------------------------------------- the tree

Check = Callable[[EvalContext], bool]
"""A node's evaluation function (built once, when the condition is compiled)."""


def _show(value: Any) -> str:
    if isinstance(value, (frozenset, set, tuple)):
        return repr(sorted(value))
    return repr(value)


@dataclass(frozen=True, slots=True)
class Test:
    """A leaf: ``operator`` applied to the value ``reading`` reads and ``operand``."""

    reading: Reading
    operator: str
    operand: Any
    ranks: Mapping[Any, int] | None
    """Option -> position, when an ordered choice is compared (the operand is a position)."""
    text: str
    """The leaf as written, e.g. ``question M2-04 equals 'unknown'``."""
    test: Operator
    """``OPERATORS[operator]``, looked up once."""
    if_missing: bool
    """The result for a missing value: false, except for ``answered: false``."""
    check: Check = field(repr=False, compare=False)
    """The leaf's evaluation function (:func:`_leaf_check`)."""

    @property
    def material_dependent(self) -> bool:
        """True when the result can differ between materials."""
        return self.reading.per_material

    def holds(self, ctx: EvalContext) -> bool:
        """Whether the leaf is true (missing is false, except for ``answered: false``)."""
        return self.check(ctx)

    def explain(self, ctx: EvalContext) -> tuple[str, ...] | None:
        """The leaf and the value it read, when it is true."""
        if not self.holds(ctx):
            return None
        if isinstance(self.reading, EvidenceOf):
            return (self.text,)
        return (f"{self.text} (value {_show(self.reading.read(ctx))})",)

    def describe(self) -> str:
        """The leaf as written."""
        return self.text


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every part holds."""

    parts: tuple[Predicate, ...]
    material_dependent: bool
    check: Check = field(repr=False, compare=False)
    """The evaluation function (:func:`_all_check`)."""

    def holds(self, ctx: EvalContext) -> bool:
        """Whether every part holds (stops at the first that does not)."""
        return self.check(ctx)

    def explain(self, ctx: EvalContext) -> tuple[str, ...] | None:
        """The leaves of every part."""
        found: list[str] = []
        for part in self.parts:
            why = part.explain(ctx)
            if why is None:
                return None
            found.extend(why)
        return tuple(found)

    def describe(self) -> str:
        """The condition as written."""
        return "all of (" + "; ".join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one part holds."""

    parts: tuple[Predicate, ...]
    material_dependent: bool
    check: Check = field(repr=False, compare=False)
    """The evaluation function (:func:`_any_check`)."""

    def holds(self, ctx: EvalContext) -> bool:
        """Whether a part holds (stops at the first that does)."""
        return self.check(ctx)

    def explain(self, ctx: EvalContext) -> tuple[str, ...] | None:
        """The leaves of the first part that holds."""
        for part in self.parts:
            why = part.explain(ctx)
            if why is not None:
                return why
        return None

    def describe(self) -> str:
        """The condition as written."""
        return "any of (" + "; ".join(p.describe() for p in self.parts) + ")"


@dataclass(frozen=True, slots=True)
class Not:
    """The part does not hold."""

    part: Predicate
    check: Check = field(repr=False, compare=False)
    """The evaluation function (:func:`_not_check`)."""

    @property
    def material_dependent(self) -> bool:
        """As the part."""
        return self.part.material_dependent

    def holds(self, ctx: EvalContext) -> bool:
        """Whether the part does not hold."""
        return self.check(ctx)

    def explain(self, ctx: EvalContext) -> tuple[str, ...] | None:
        """The negated part, when it does not hold."""
        return None if self.part.holds(ctx) else (self.describe(),)

    def describe(self) -> str:
        """The condition as written."""
        return f"not ({self.part.describe()})"


@dataclass(frozen=True, slots=True)
class MaterialIn:
    """The context's material is one of ``materials``."""

    materials: frozenset[str]
    check: Check = field(repr=False, compare=False)
    """The evaluation function (:func:`_material_check`)."""
    material_dependent = True

    def holds(self, ctx: EvalContext) -> bool:
        """Whether the context's material is listed."""
        return self.check(ctx)

    def explain(self, ctx: EvalContext) -> tuple[str, ...] | None:
        """The material, when it is listed."""
        return (f"material {ctx.material}",) if self.holds(ctx) else None

    def describe(self) -> str:
        """The condition as written."""
        return f"material in {sorted(self.materials)}"


Predicate = AllOf | AnyOf | Not | MaterialIn | Test
"""A compiled condition."""


# ---------------------------------------------------------------- the evaluation functions


def _leaf_check(
    reading: Reading,
    ranks: Mapping[Any, int] | None,
    test: Operator,
    operand: Any,
    if_missing: bool,
) -> Check:
    """Read the value (ranked for an ordered choice); missing gives ``if_missing``."""
    read = reading.read

    def check(ctx: EvalContext) -> bool:
        value = read(ctx)
        if value is not None and ranks is not None:
            value = ranks.get(value)
        if value is None:
            return if_missing
        return test(value, operand, ctx)

    return check


def _all_check(parts: tuple[Check, ...]) -> Check:
    """True when every part is (stops at the first that is not)."""

    def check(ctx: EvalContext) -> bool:
        for part in parts:  # noqa: SIM110 (a loop: no generator per evaluation)
            if not part(ctx):
                return False
        return True

    return check


def _any_check(parts: tuple[Check, ...]) -> Check:
    """True when a part is (stops at the first that is)."""

    def check(ctx: EvalContext) -> bool:
        for part in parts:  # noqa: SIM110 (as in _all_check)
            if part(ctx):
                return True
        return False

    return check


def _not_check(part: Check) -> Check:
    """True when the part is not."""

    def check(ctx: EvalContext) -> bool:
        return not part(ctx)

    return check


def _material_check(materials: frozenset[str]) -> Check:
    """True when the context's material is listed."""

    def check(ctx: EvalContext) -> bool:
        return ctx.material in materials

    return check


def _test(
    reading: Reading, operator: str, operand: Any, ranks: Mapping[Any, int] | None, text: str
) -> Test:
    if_missing = operator == "answered" and operand is False
    test = OPERATORS[operator]
    check = _leaf_check(reading, ranks, test, operand, if_missing)
    return Test(reading, operator, operand, ranks, text, test, if_missing, check)


# ---------------------------------------------------------------- the compiler


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
            parts = tuple(self.compile(c, (*path, operator, i)) for i, c in enumerate(operand))
            if not parts:
                raise CompileError(f"'{operator}' needs at least one condition", path)
            dependent = any(p.material_dependent for p in parts)
            checks = tuple(p.check for p in parts)
            if operator == "all":
                return AllOf(parts, dependent, _all_check(checks))
            return AnyOf(parts, dependent, _any_check(checks))
        if operator == "not":
            part = self.compile(operand, (*path, "not"))
            return Not(part, _not_check(part.check))
        if operator == "material_in":
            materials = frozenset(operand)
            return MaterialIn(materials, _material_check(materials))
        return self._leaf(cond, operator, operand, path)

    def _subject(
        self, cond: Condition, path: tuple[str | int, ...]
    ) -> tuple[str, bool, Subject | None, str]:
        """(question id or fact name, per material, question subject or None, label)."""
        if cond.fact is not None:
            spec = FACTS.get(cond.fact)
            if spec is None:
                raise CompileError(
                    f"unknown fact {cond.fact!r}; known: {', '.join(sorted(FACTS))}", path
                )
            return cond.fact, spec.per_material, None, f"fact {cond.fact}"
        qid = cond.question or self.own
        if qid is None:
            raise CompileError("this condition needs a 'question' or 'fact' subject", path)
        subject = self.questions.get(qid) if cond.question else self.own_subject
        if subject is None:
            raise CompileError(f"unknown question {qid!r}", path)
        return qid, subject.per_material, subject, f"question {qid}"

    def _leaf(
        self, cond: Condition, operator: str, operand: Any, path: tuple[str | int, ...]
    ) -> Test:
        name, per_material, subject, label = self._subject(cond, path)
        where = (*path, operator)
        if operator not in OPERATORS:
            raise CompileError(f"unknown operator {operator!r}", where)
        text = f"{label} {operator} {_show(operand)}"
        if operator in _EVIDENCE:
            if cond.fact is not None:
                raise CompileError(f"'{operator}' needs a question subject, not a fact", where)
            return _test(EvidenceOf(name, per_material), operator, operand, None, text)
        if cond.fact is not None:
            operand = _check_fact_operand(FACTS[cond.fact].kind, operator, operand, label, where)
            return _test(FactValue(name, per_material), operator, operand, None, text)
        answer = subject.answer if subject else None
        ranks = None
        if answer is not None:
            operand = self._check_operand(answer, operator, operand, label, where)
            if operator in _COMPARISONS and answer.kind is AnswerKind.CHOICE:
                ranks = {value: option.rank for value, option in answer.options.items()}
        return _test(QuestionValue(name, per_material), operator, operand, ranks, text)

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
