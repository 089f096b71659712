"""The evaluation context conditions read: effective answers, facts and evidence, per material.

One :class:`EvalContext` is built per questionnaire; the scorer points it at a material (or at
``None`` for company-level evaluation) and switches blank imputation on for red flags. Compiled
conditions (``compliance.dd.rules.conditions``) only read from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from compliance.models.questionnaire import Material

__all__ = ["EvalContext", "EvidenceInfo", "Key", "Value"]

Key = tuple[str, Material | None]
"""(question id, material) of an answer; the material is ``None`` for company-level questions."""

Value = str | float | frozenset[str] | tuple[str, ...]
"""A canonical answer value: a choice, a number, or a set of options (``multi``)."""


class EvidenceInfo(NamedTuple):
    """How the evidence behind one answer was judged (dd-methodology 6.5)."""

    factor: float
    """The evidence factor e applied to the answer's credit."""
    tier: str
    """``third-party``, ``documentary``, ``self-declared``, ``invalid`` or ``not-needed``."""
    used: tuple[str, ...] = ()
    """Evidence ids that count."""
    rejected: tuple[tuple[str, str], ...] = ()
    """Evidence ids that do not count, with the reason (expired, not covering the material)."""
    issued: tuple[date, ...] = ()
    """Issue dates of the counting evidence."""
    has_uri: bool = False
    unfit: tuple[tuple[str, str], ...] = ()
    """Evidence ids that are not what they claim to be (a type that does not fit the question,
    undated, the supplier's own home page), with the reason: they earn no credit."""


@dataclass(slots=True)
class EvalContext:
    """Everything a compiled condition may read, for the current ``material``."""

    effective_date: date
    values: dict[Key, Value]
    blanks: Mapping[str, Value]
    """Value assumed for each blank required question when ``impute`` is on (never favourable)."""
    company_facts: dict[str, Any]
    material_facts: dict[Material, dict[str, Any]]
    dynamic_facts: Mapping[str, Callable[[EvalContext], Any]]
    evidence: dict[Key, EvidenceInfo] = field(default_factory=dict)
    material: Material | None = None
    impute: bool = False

    def value(self, key: Key) -> Value | None:
        """Effective value of an answer (the blank value when imputing and unanswered)."""
        found = self.values.get(key)
        if found is None and self.impute:
            return self.blanks.get(key[0])
        return found

    def fact(self, name: str, per_material: bool) -> Any:
        """A derived fact for the current material (or the company)."""
        if per_material:
            if self.material is None:
                return None
            facts = self.material_facts[self.material]
        else:
            facts = self.company_facts
        if name in facts:
            return facts[name]
        return self.dynamic_facts[name](self)
