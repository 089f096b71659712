"""The compiled catalogue: questions, red flags, contradictions, levels and policies.

Built from the rule files by :mod:`compliance.dd.rules.compiler`; immutable and shared by every
scoring run. Conditions are already compiled (:data:`~compliance.dd.rules.conditions.Predicate`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any, TypeVar

from compliance.dd.engine.context import Value
from compliance.dd.rules.answers import AnswerType
from compliance.dd.rules.conditions import Predicate
from compliance.models.dd_catalogue import (
    Bindings,
    CategoryDef,
    ConfidencePolicy,
    CriticalGate,
    EvidencePolicy,
    ProcessorStatusCredit,
    RiskPolicy,
)
from compliance.models.dd_rules import DatedNumber, Effect, FlagSeverity, ReferenceSource
from compliance.models.questionnaire import Material

T = TypeVar("T")

__all__ = [
    "CROSS_CUTTING",
    "Catalogue",
    "ContradictionRule",
    "Derived",
    "FlagRule",
    "GateRule",
    "LevelRule",
    "QuestionRule",
    "StepRule",
    "dated_value",
]

CROSS_CUTTING = "X-ALL"


def dated_value(value: DatedNumber, on: date) -> float | None:
    """A dated number on a date: the latest value whose date is not after ``on``.

    >>> dated_value({"2025-01-01": 3, "2027-08-18": 4}, date(2026, 1, 1))
    3.0
    >>> dated_value({"2025-01-01": 3}, date(2024, 1, 1)) is None
    True
    """
    if not isinstance(value, dict):
        return float(value)
    found = None
    for day, number in sorted(value.items()):
        if date.fromisoformat(day) <= on:
            found = float(number)
    return found


@dataclass(frozen=True, slots=True)
class FlagRule:
    """A compiled red-flag rule."""

    id: str
    rule: str
    """The question (or contradiction) the flag belongs to."""
    severity: FlagSeverity
    title: str
    category: str | None
    when: Predicate
    addressed_when: Predicate | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionRule:
    """A compiled question."""

    id: str
    step: str
    text: str
    per_material: bool
    weight: DatedNumber
    required: bool
    system: bool
    tags: tuple[str, ...]
    evidence_types: tuple[str, ...]
    answer: AnswerType | None
    answered_in: str | None
    applies: Predicate | None
    effective_from: date | None
    effective_to: date | None
    flags: tuple[FlagRule, ...]
    sources: tuple[str, ...]
    scored: bool
    """Answered in /answers and scored (not a step-0 item)."""

    def weight_on(self, on: date) -> float | None:
        """The question's weight on a date; ``None`` when it is not in force."""
        if (self.effective_from and on < self.effective_from) or (
            self.effective_to and on > self.effective_to
        ):
            return None
        return dated_value(self.weight, on)


@dataclass(frozen=True, slots=True)
class ContradictionRule:
    """A compiled contradiction rule."""

    id: str
    title: str
    severity: str
    critical: bool
    per_material: bool
    builtin: str | None
    when: Predicate | None
    effects: tuple[Effect, ...]
    message: str
    sources: tuple[str, ...]

    @property
    def only_rescores(self) -> bool:
        """Every effect re-scores an answer (the rule does nothing when no answer changes)."""
        return bool(self.effects) and all(e.rescore is not None for e in self.effects)


@dataclass(frozen=True, slots=True)
class GateRule:
    """A compiled level gate."""

    id: str
    level: int
    title: str
    when: Predicate
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LevelRule:
    """A maturity level."""

    level: int
    name: str
    min_score: float
    gates: tuple[GateRule, ...]


@dataclass(frozen=True, slots=True)
class StepRule:
    """An OECD step."""

    id: str
    title: str
    weight: DatedNumber
    sources: tuple[str, ...]
    file: str


class Derived:
    """Values computed from one catalogue (e.g. the scorer's plan for a date), kept with it.

    Owned by the catalogue, so it lives and dies with it (no process-wide memo keyed on object
    identity). Safe under threads: two threads may build the same value at once (building is
    pure), one of them is kept. At most ``limit`` values (the oldest goes first).
    """

    __slots__ = ("_limit", "_lock", "_values")

    def __init__(self, limit: int = 64) -> None:
        self._limit = limit
        self._lock = Lock()
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value of ``key``, built by ``build()`` the first time."""
        with self._lock:
            if key in self._values:
                found: T = self._values[key]
                return found
        value = build()
        with self._lock:
            if key not in self._values and len(self._values) >= self._limit:
                del self._values[next(iter(self._values))]
            kept: T = self._values.setdefault(key, value)
            return kept


@dataclass(frozen=True, slots=True, eq=False)
class Catalogue:
    """Everything the scorer needs from ``rules/dd``, compiled once."""

    id: str
    version: str
    title: str
    effective_from: date
    status: str
    references: dict[str, ReferenceSource]
    steps: tuple[StepRule, ...]
    questions: dict[str, QuestionRule]
    contradictions: tuple[ContradictionRule, ...]
    categories: tuple[CategoryDef, ...]
    category_weights: tuple[float, float]
    """(specific, system) weights of a category score."""
    category_sources: tuple[str, ...]
    evidence: EvidencePolicy
    levels: tuple[LevelRule, ...]
    critical_gate: CriticalGate | None
    processor_status_credit: ProcessorStatusCredit
    risk: RiskPolicy
    confidence: ConfidencePolicy
    placeholders: frozenset[str]
    annex_x: tuple[Material, ...]
    recycler_roles: frozenset[str]
    bindings: Bindings
    blanks: dict[str, Value]
    signals: dict[tuple[str, bool], dict[str, frozenset[str]]]
    files: tuple[str, ...]
    derived: Derived = field(default_factory=Derived, repr=False)
    """What the engine computes from the catalogue once (plans by date, compiled rules)."""

    def step_weight(self, step: str, on: date) -> float:
        """Weight W_k of a step on a date (0 when not in force)."""
        rule = next(s for s in self.steps if s.id == step)
        return dated_value(rule.weight, on) or 0.0
