"""The rule language, part 2: ``rules/dd/catalogue.yaml`` and its scoring policies.

Evidence factors, categories, maturity levels with gates, risk bands and overrides, the confidence
grade and the bindings (questions the engine reads for a fixed purpose). Part 1 (conditions,
answer types, questions, contradictions) is :mod:`compliance.models.dd_rules`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, StringConstraints

from compliance.models.dd_rules import (
    Condition,
    DateText,
    Id,
    LongText,
    Number,
    ReferenceSource,
    RiskLevel,
    RuleModel,
    Sources,
    Title,
)
from compliance.models.questionnaire import EvidenceType, Material, SupplierRole

__all__ = [
    "Bindings",
    "CatalogueFile",
    "CategoryDef",
    "ConfidencePolicy",
    "CriticalGate",
    "EvidencePolicy",
    "Gate",
    "LevelDef",
    "ProcessorStatusCredit",
    "RiskBand",
    "RiskPolicy",
    "StepRef",
]

QuestionRef = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,3}-[0-9]{2}$")]


class StepRef(RuleModel):
    """A step file of the catalogue."""

    id: Annotated[str, StringConstraints(pattern=r"^S[0-5]$")]
    file: Annotated[str, StringConstraints(pattern=r"^[a-z0-9/-]+\.yaml$")]


class CategoryDef(RuleModel):
    """A risk category (Annex X point 2 item, or the OECD Annex II governance group)."""

    id: Id
    title: Title
    sources: Sources


class EvidencePolicy(RuleModel):
    """Evidence factor e of dd-methodology 6.5: credit = value x e."""

    third_party: Annotated[float, Strict(), Field(ge=0, le=1)]
    documentary: Annotated[float, Strict(), Field(ge=0, le=1)]
    self_declared: Annotated[float, Strict(), Field(ge=0, le=1)]
    invalid: Annotated[float, Strict(), Field(ge=0, le=1)]
    third_party_types: tuple[EvidenceType, ...]
    any_question_types: tuple[EvidenceType, ...] = ()
    """Document types that fit every question (a verification of the whole DD system);
    any other document must be of a type the question lists under ``evidence``."""
    sources: Sources


class Gate(RuleModel):
    """A condition a level requires (like IRMA's critical requirements)."""

    id: Id
    title: Title
    when: Condition
    sources: Sources


class LevelDef(RuleModel):
    """A maturity level: reached from ``min_score`` when its gates and all lower gates hold."""

    level: Annotated[int, Strict(), Field(ge=1, le=9)]
    name: Title
    min_score: Annotated[float, Strict(), Field(ge=0, le=100)]
    gates: tuple[Gate, ...] = ()


class CriticalGate(RuleModel):
    """An open critical red flag caps the maturity level until it is addressed.

    Like IRMA's critical requirements: a serious abuse without the Annex II response cannot be
    averaged away by a strong management system, neither in the risk level nor in the maturity
    level.
    """

    id: Id
    title: Title
    max_level: Annotated[int, Strict(), Field(ge=1, le=9)]
    """The highest level a material (or the company) reaches while such a flag is open."""
    sources: Sources


class ProcessorStatusCredit(RuleModel):
    """Credit of a listed processor's assurance status in the assured share (M4-01, CX-06).

    A processor that is not yet conformant but committed to the assessment (RMAP 'active')
    earns the partial credit given here rather than zero by omission; unlisted and unidentified
    processors earn nothing.
    """

    conformant: Annotated[float, Strict(), Field(ge=0, le=1)]
    active: Annotated[float, Strict(), Field(ge=0, le=1)]
    non_conformant: Annotated[float, Strict(), Field(ge=0, le=1)]
    suspended: Annotated[float, Strict(), Field(ge=0, le=1)]
    sources: Sources

    def credit(self, status: str) -> float:
        """The credit of a snapshot status.

        Statuses: ``conformant``, ``active``, ``non-conformant``, ``suspended``.

        >>> ProcessorStatusCredit(conformant=1.0, active=0.5, non_conformant=0.0,
        ...     suspended=0.0, sources=("Engine: example",)).credit("active")
        0.5
        """
        credits = {
            "conformant": self.conformant,
            "active": self.active,
            "non-conformant": self.non_conformant,
            "suspended": self.suspended,
        }
        return credits[status]


class RiskBand(RuleModel):
    """Residual risk below ``below`` (or any, for the last band) gives ``level``."""

    level: RiskLevel
    below: Annotated[float, Strict(), Field(gt=0, le=100)] | None = None


class RiskPolicy(RuleModel):
    """Residual risk and the overrides of dd-methodology 6.7(6)."""

    mitigation_weight: Annotated[float, Strict(), Field(ge=0, le=1)]
    """RR = IR x (1 - mitigation_weight x maturity / 100)."""
    bands: tuple[RiskBand, ...]
    open_critical: RiskLevel
    addressed_critical: RiskLevel
    high_flag: RiskLevel
    medium_flag_count: Annotated[int, Strict(), Field(ge=1)]
    medium_flags: RiskLevel
    incomplete: RiskLevel
    critical_contradiction: RiskLevel
    sources: Sources


class ConfidencePolicy(RuleModel):
    """Confidence grade of dd-methodology 6.7(7)."""

    a_min_evidenced_share: Annotated[float, Strict(), Field(ge=0, le=1)]
    b_min_evidenced_share: Annotated[float, Strict(), Field(ge=0, le=1)]
    b_max_warning_contradictions: Annotated[int, Strict(), Field(ge=0)]
    evidenced_min_factor: Annotated[float, Strict(), Field(ge=0, le=1)]
    sources: Sources


class Bindings(RuleModel):
    """Questions whose answers the engine reads for a fixed purpose (checked to exist)."""

    present: QuestionRef
    """Presence of a material (step 0, answered in /materials)."""
    fully_recycled: QuestionRef
    """100 % recycled claim (answered in /materials)."""
    asm: QuestionRef
    """ASM sourcing (inherent risk)."""
    traced_to_processor: QuestionRef
    traced_to_mine: QuestionRef
    """Share traced to mines (inherent risk: unknown origin)."""
    conformant_processors: QuestionRef
    public_report: QuestionRef
    """Its evidence URI is the passport's supplyChainDueDiligenceReport."""
    assurance: QuestionRef
    """Its evidence URI is the passport's thirdPartyAussurances (Battery Pass spelling)."""


class CatalogueFile(RuleModel):
    """``rules/dd/catalogue.yaml``: identity, files and the scoring policies."""

    kind: Literal["catalogue"]
    id: Id
    version: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9A-Za-z.-]{0,19}$")]
    title: Title
    effective_from: DateText
    status: LongText
    references: tuple[ReferenceSource, ...]
    answer_types: Annotated[str, StringConstraints(pattern=r"^[a-z0-9/-]+\.yaml$")]
    steps: tuple[StepRef, ...]
    contradictions: Annotated[str, StringConstraints(pattern=r"^[a-z0-9/-]+\.yaml$")]
    categories: tuple[CategoryDef, ...]
    category_score: dict[Literal["specific", "system"], Number]
    category_score_sources: Sources
    evidence: EvidencePolicy
    levels: tuple[LevelDef, ...]
    processor_status_credit: ProcessorStatusCredit
    critical_gate: CriticalGate | None = None
    """Open critical red flags cap the level (``None``: they do not)."""
    risk: RiskPolicy
    confidence: ConfidencePolicy
    placeholders: tuple[str, ...]
    """Authorizer names that are placeholders, not people (EMRT instructions: not 'same')."""
    annex_x_materials: tuple[Material, ...]
    pure_recycler_roles: tuple[SupplierRole, ...]
    bindings: Bindings
