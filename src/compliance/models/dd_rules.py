"""The rule language of ``rules/dd/``: the wire models of every rule file.

Rule files are YAML documents with ``snake_case`` keys; each starts with ``kind:`` naming what it
holds (``catalogue``, ``answer-types``, ``step``, ``contradictions``, ``reference-table``,
``translations``). ``schemas/ruleset/1.0.0/schema.json`` is generated from these models and every
rule file is checked against it before the models read it (``compliance.dd.rules.loader``).

Conditions come from a closed vocabulary (:data:`VALUE_OPERATORS`, :data:`COMBINATORS`,
``material_in``); they are compiled to a condition tree by ``compliance.dd.rules.conditions``, never
evaluated as code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, model_validator

from compliance.models.questionnaire import EvidenceType, Material

__all__ = [
    "COMBINATORS",
    "RULE_FILE_KINDS",
    "VALUE_OPERATORS",
    "AnswerKind",
    "AnswerSpec",
    "AnswerTypeDef",
    "AnswerTypesFile",
    "Condition",
    "Contradiction",
    "ContradictionsFile",
    "CreditBand",
    "DatedNumber",
    "Effect",
    "FlagSeverity",
    "OptionDef",
    "Question",
    "RedFlagRule",
    "ReferenceSource",
    "RiskLevel",
    "RuleModel",
    "StepFile",
]


class RuleModel(BaseModel):
    """Base of rule-file models: closed, frozen, strict numbers, ``snake_case`` keys."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        regex_engine="python-re",
        use_attribute_docstrings=True,
    )


Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")]
Sources = Annotated[
    tuple[Annotated[str, StringConstraints(min_length=3, max_length=300)], ...],
    Field(min_length=1),
]
"""Where a rule or value comes from: strings starting with a key of the catalogue's
``references`` table, e.g. ``"BattReg Art. 49(1)"``, ``"OECD DDG Annex II para 1"``."""
Title = Annotated[str, StringConstraints(min_length=3, max_length=300, pattern=r"\S")]
LongText = Annotated[str, StringConstraints(min_length=3, max_length=4000, pattern=r"\S")]
Number = Annotated[float, Strict()]
DateText = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
DatedNumber = Number | dict[DateText, Number]
"""A number, or numbers by the date from which each applies (OpenFisca-style dated values)."""
Scalar = Annotated[str, StringConstraints(min_length=1, max_length=100)] | Number | bool

VALUE_OPERATORS = (
    "answered",
    "equals",
    "not_equals",
    "in",
    "not_in",
    "gte",
    "gt",
    "lte",
    "lt",
    "contains",
    "contains_all",
    "lacks_any",
    "evidence_gte",
    "evidence_lt",
    "evidence_issued_within_months",
    "has_evidence_uri",
)
"""Leaf operators: compare the subject (a question's effective value or a fact) with a value."""

COMBINATORS = ("all", "any", "not")
"""Operators combining conditions."""


class Condition(RuleModel):
    """One node of a condition: exactly one operator, optionally a subject.

    The subject is ``question`` (its effective value, for the current material) or ``fact``
    (a value the engine derives from the questionnaire, see ``compliance.dd.engine.facts``); without
    either, the question the rule belongs to. ``material_in`` tests the current material.
    """

    question: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,3}-[0-9]{2}$")] | None = (
        None
    )
    fact: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")] | None = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    material_in: tuple[Material, ...] | None = None
    answered: bool | None = None
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    not_in: tuple[Scalar, ...] | None = None
    gte: Scalar | None = None
    gt: Scalar | None = None
    lte: Scalar | None = None
    lt: Scalar | None = None
    contains: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    contains_all: tuple[str, ...] | None = None
    lacks_any: tuple[str, ...] | None = None
    evidence_gte: Annotated[float, Strict(), Field(ge=0, le=1)] | None = None
    evidence_lt: Annotated[float, Strict(), Field(ge=0, le=1)] | None = None
    evidence_issued_within_months: Annotated[float, Strict(), Field(gt=0)] | None = None
    has_evidence_uri: bool | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": [name]} for name in (*COMBINATORS, "material_in", *VALUE_OPERATORS)
            ]
        }
    )

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        present = [name for name in self.operators() if getattr(self, _attr(name)) is not None]
        if len(present) != 1:
            raise ValueError(
                f"a condition needs exactly one operator, got {present or 'none'}; operators: "
                + ", ".join(self.operators())
            )
        operator = present[0]
        if (self.question or self.fact) and operator in (*COMBINATORS, "material_in"):
            raise ValueError(f"'{operator}' does not take a 'question' or 'fact' subject")
        if self.question and self.fact:
            raise ValueError("give either 'question' or 'fact', not both")
        return self

    @staticmethod
    def operators() -> tuple[str, ...]:
        """Every operator name, as written in rule files."""
        return (*COMBINATORS, "material_in", *VALUE_OPERATORS)

    def operator(self) -> tuple[str, Any]:
        """The operator of this node and its operand."""
        for name in self.operators():
            value = getattr(self, _attr(name))
            if value is not None:
                return name, value
        raise AssertionError("validated: exactly one operator")  # pragma: no cover


def _attr(name: str) -> str:
    return {"not": "not_", "in": "in_"}.get(name, name)


class FlagSeverity(StrEnum):
    """Red-flag severities (dd-methodology 6.4): critical forces the risk level."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    INFO = "info"


class RiskLevel(StrEnum):
    """Risk levels, lowest first."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class AnswerKind(StrEnum):
    """How an answer value is read and credited."""

    CHOICE = "choice"
    PERCENT = "percent"
    NUMBER = "number"
    MULTI = "multi"


class ReferenceSource(RuleModel):
    """A source document that rules cite by ``key`` (e.g. ``BattReg``)."""

    key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9 ./_-]{0,40}$")]
    title: Title
    url: Annotated[str, StringConstraints(pattern=r"^(https?|urn):\S+$")] | None = None
    note: LongText | None = None


class OptionDef(RuleModel):
    """One option of a choice answer type."""

    value: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")]
    credit: Annotated[float, Strict(), Field(ge=0, le=1)] | None
    """Share of the question's weight earned; ``null`` leaves the question out (not applicable)."""
    favourable: bool = False
    """A claim in the supplier's favour: needs evidence for full credit (evidence factor)."""
    signals: tuple[Literal["risk", "actual-impact"], ...] = ()
    """What the option reports (facts ``risk_identified`` and ``actual_impact`` read these)."""
    label: Title | None = None


class CreditBand(RuleModel):
    """Credit for numbers at or above ``min`` (the highest matching band wins)."""

    min: Number
    credit: Annotated[float, Strict(), Field(ge=0, le=1)]


class AnswerTypeDef(RuleModel):
    """A reusable answer type (``yes-no``, ``ladder``, ``risk-status`` ...)."""

    kind: AnswerKind
    title: Title
    options: tuple[OptionDef, ...] = ()
    ordered: bool = False
    """Options are ordered (lowest first), so ``gte``/``lt`` compare positions."""
    blank: Scalar | None = None
    """Value assumed for a missing required answer when red flags are checked (never favourable)."""
    bands: dict[str, Number] = Field(default_factory=dict)
    """Percent only: accepted band strings and the lower bound each stands for (RMI Q5)."""
    sources: Sources


class AnswerTypesFile(RuleModel):
    """``rules/dd/answer-types.yaml``."""

    kind: Literal["answer-types"]
    types: dict[Id, AnswerTypeDef]


class AnswerSpec(RuleModel):
    """The answer a question takes: a type plus question-specific adjustments."""

    type: Id
    credit: dict[str, Annotated[float, Strict(), Field(ge=0, le=1)] | None] = Field(
        default_factory=dict
    )
    """Per-option credit overriding the type's (e.g. 'no' is creditworthy for 'any CAHRA?')."""
    favourable: tuple[str, ...] | None = None
    """Options that are claims needing evidence, overriding the type's."""
    options: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")], ...] = ()
    """``multi`` only: the options offered."""
    required_options: tuple[str, ...] = ()
    """``multi`` only: options needed for full credit (default: all)."""
    bands: tuple[CreditBand, ...] = ()
    """``number`` only: credit by value."""
    allow_not_applicable: bool = False
    """The answer 'not-applicable' (with a justification in ``comment``) is accepted."""


class RedFlagRule(RuleModel):
    """A red flag raised when ``when`` holds (OECD DDG red flags; Annex II risks)."""

    id: Id
    when: Condition
    severity: FlagSeverity
    title: Title
    category: Id | None = None
    addressed_when: Condition | None = None
    """For critical flags: the Annex II-consistent response that makes the flag 'addressed'."""
    sources: Sources


class Question(RuleModel):
    """One question of the catalogue, with its scoring and red flags."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,3}-[0-9]{2}$")]
    text: LongText
    answer: AnswerSpec | None = None
    """``null`` for step-0 items answered in the document's own sections."""
    answered_in: Annotated[str, StringConstraints(pattern=r"^/[A-Za-z/]+$")] | None = None
    """Step-0 items: where the document holds the answer (e.g. ``/materials``)."""
    per_material: bool = False
    weight: DatedNumber = 0.0
    required: bool = True
    system: bool = True
    """Counts towards the 'system' score of every category (false for category assessments)."""
    tags: tuple[Id, ...] = ()
    evidence: tuple[EvidenceType, ...] = ()
    """Evidence a supplier is expected to reference (descriptive; shown to suppliers)."""
    applies_when: Condition | None = None
    effective_from: DateText | None = None
    effective_to: DateText | None = None
    red_flags: tuple[RedFlagRule, ...] = ()
    sources: Sources


class StepFile(RuleModel):
    """``rules/dd/steps/<n>-<name>.yaml``: the questions of one OECD step."""

    kind: Literal["step"]
    step: Annotated[str, StringConstraints(pattern=r"^S[0-5]$")]
    title: Title
    weight: DatedNumber
    """Weight of the step in the overall maturity (dd-methodology 6.6: 25/30/20/15/10)."""
    sources: Sources
    questions: tuple[Question, ...]


class Effect(RuleModel):
    """What a contradiction does, besides being recorded (exactly one key)."""

    rescore: RescoreEffect | None = None
    flag: FlagEffect | None = None
    incomplete: Literal[True] | None = None
    manual_review: Literal[True] | None = None
    ignore_all_answers: Literal[True] | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": [name]}
                for name in (
                    "rescore",
                    "flag",
                    "incomplete",
                    "manual_review",
                    "ignore_all_answers",
                )
            ]
        }
    )

    @model_validator(mode="after")
    def _one_effect(self) -> Effect:
        count = sum(value is not None for value in self.__dict__.values())
        if count != 1:
            raise ValueError("an effect needs exactly one key")
        return self


class RescoreEffect(RuleModel):
    """Score a question as if answered ``to`` (the stored answer is not changed)."""

    question: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,3}-[0-9]{2}$")]
    to: Scalar | None = None
    to_fact: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")] | None = None
    only_if_lower: bool = False
    """Numbers only: rescore only when the derived value is below the answer."""
    credit: Annotated[float, Strict(), Field(ge=0, le=1)] | None = None
    """Credit to give instead of the option's (e.g. 0 for an undisclosed CAHRA origin)."""

    @model_validator(mode="after")
    def _one_target(self) -> RescoreEffect:
        if (self.to is None) == (self.to_fact is None):
            raise ValueError("give exactly one of 'to' and 'to_fact'")
        return self


class FlagEffect(RuleModel):
    """Raise a red flag."""

    id: Id
    severity: FlagSeverity
    title: Title
    category: Id | None = None


class Contradiction(RuleModel):
    """A cross-field rule (dd-methodology 6.9): the favourable answer is re-scored."""

    id: Annotated[str, StringConstraints(pattern=r"^CX-[0-9]{2}[a-z]?$")]
    title: Title
    severity: Literal["error", "warning"]
    critical: bool = False
    """A contradiction on an item that can hide a critical risk: risk at least high."""
    per_material: bool = True
    builtin: Literal["evidence-validity", "evidence-fit"] | None = None
    """A check done by the engine on every evidence reference instead of ``when``/``effects``."""
    when: Condition | None = None
    effects: tuple[Effect, ...] = ()
    message: LongText
    sources: Sources

    @model_validator(mode="after")
    def _when_or_builtin(self) -> Contradiction:
        if (self.when is None) == (self.builtin is None):
            raise ValueError("give exactly one of 'when' and 'builtin'")
        return self


class ContradictionsFile(RuleModel):
    """``rules/dd/contradictions.yaml``."""

    kind: Literal["contradictions"]
    rules: tuple[Contradiction, ...]


Condition.model_rebuild()
Effect.model_rebuild()

RULE_FILE_KINDS = ("catalogue", "answer-types", "step", "contradictions")
"""``kind`` values of the catalogue's own files (reference tables are in ``dd_tables``)."""
