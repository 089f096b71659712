"""The evaluation context conditions read: effective answers, facts and evidence, per material.

One :class:`EvalContext` is built per questionnaire; the scorer derives one per material (or
``None`` for company-level evaluation) with ``for_material`` and one with blank imputation for
red flags with ``imputing``. Compiled conditions (``compliance.dd.rules.conditions``) only read
from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from compliance.models.questionnaire import Material

__all__ = ["EvalContext", "EvidenceInfo", "Key", "Value"]

Key = tuple[str, Material | None]
"""(question id, material) of an answer; the material is ``None`` for company-level questions."""

Value = str | float | frozenset[str] | tuple[str, ...]
"""A canonical answer value: a choice, a number, or a set of options (``multi``)."""


@dataclass(frozen=True, slots=True)
class EvidenceInfo:
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


@dataclass(frozen=True, slots=True)
class EvalContext:
    """Everything a compiled condition may read, for one ``material`` (``None``: the company).

    Immutable: :meth:`for_material` and :meth:`imputing` give the context of another material or
    with blank imputation switched on (red flags read a blank as its least favourable value).
    """

    effective_date: date
    values: Mapping[Key, Value]
    """The effective answers (re-scored values included, once contradictions have run)."""
    blanks: Mapping[str, Value]
    """Value assumed for each blank required question when ``impute`` is on (never favourable)."""
    company_facts: Mapping[str, Any]
    material_facts: Mapping[Material, Mapping[str, Any]]
    dynamic_facts: Mapping[str, Callable[[EvalContext], Any]]
    evidence: Mapping[Key, EvidenceInfo] = field(default_factory=dict)
    material: Material | None = None
    impute: bool = False

    def for_material(self, material: Material | None) -> EvalContext:
        """The same context for ``material`` (``None``: the company)."""
        return self._with(material, self.impute)

    def imputing(self, impute: bool = True) -> EvalContext:
        """The same context with blank imputation on (or off)."""
        return self._with(self.material, impute)

    def _with(self, material: Material | None, impute: bool) -> EvalContext:
        """A copy with another material and imputation.

        Built directly: ``dataclasses.replace`` inspects the fields on every call (several
        times slower, and the scorer derives ~30 contexts per questionnaire).
        """
        return EvalContext(
            effective_date=self.effective_date,
            values=self.values,
            blanks=self.blanks,
            company_facts=self.company_facts,
            material_facts=self.material_facts,
            dynamic_facts=self.dynamic_facts,
            evidence=self.evidence,
            material=material,
            impute=impute,
        )

    def value(self, question: str, per_material: bool) -> Value | None:
        """Effective value of an answer (the blank value when imputing and unanswered)."""
        found = self.values.get((question, self.material if per_material else None))
        if found is None and self.impute:
            return self.blanks.get(question)
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

    def evidence_of(self, question: str, per_material: bool) -> EvidenceInfo | None:
        """How the evidence behind an answer was judged (``None``: no evidence)."""
        return self.evidence.get((question, self.material if per_material else None))
