"""Reference tables of the DD scorer, and the other rule files that are not questions.

Each table is versioned data with its own ``id``, ``version``, ``date`` and sources, recorded in
every result that used it. Tables that cannot ship real data (the RMI conformant-processor list is
licensed; the EU CAHRA list is indicative and changes quarterly) are marked
``demonstration: true`` and must be replaced by the operator's licensed snapshot.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Strict, StringConstraints, Tag, model_validator

from compliance.models.battery import Chemistry
from compliance.models.common import CountryCode
from compliance.models.dd_catalogue import CatalogueFile
from compliance.models.dd_rules import (
    AnswerTypesFile,
    ContradictionsFile,
    DateText,
    LongText,
    RuleModel,
    Sources,
    StepFile,
    Title,
)
from compliance.models.questionnaire import Material

__all__ = [
    "ApplicabilityTable",
    "ChemistryTable",
    "CountryRisk",
    "CountryRiskTable",
    "ListedProcessor",
    "MaterialProfile",
    "MaterialProfileTable",
    "Obligation",
    "ProcessorStatus",
    "ProcessorTable",
    "ReferenceTable",
    "RmiCellMap",
    "RmiDeclarationLayout",
    "RmiListLayout",
    "RmiQuestion",
    "RmiTemplateTable",
    "RuleFile",
    "TableHeader",
    "TransitHub",
    "TranslationsFile",
]

Score = Annotated[float, Strict(), Field(ge=0, le=100)]
Cell = Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,3}[1-9][0-9]{0,5}$")]


class TableHeader(RuleModel):
    """Identity and provenance shared by every reference table."""

    kind: Literal["reference-table"]
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,63}$")]
    version: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9A-Za-z.-]{0,31}$")]
    date: DateText
    """Date of the data (snapshot date, publication date)."""
    title: Title
    demonstration: bool = False
    """Illustrative data that must be replaced before production use."""
    notice: LongText | None = None
    sources: Sources


class CountryRisk(RuleModel):
    """Risk attributes of one country of origin, processing or transit."""

    score: Score
    cahra: bool = False
    """On the conflict-affected and high-risk areas list used (OECD DDG definition)."""
    note: LongText | None = None


class CountryRiskTable(TableHeader):
    """Country risk scores and CAHRA membership."""

    table: Literal["country-risk"]
    default_score: Score
    """Score of a country not in the table."""
    unknown_origin_score: Score
    """Score of an unknown origin (dd-methodology 6.7: unknown counts as the highest risk)."""
    unknown_origin_tolerance_pct: Annotated[float, Strict(), Field(ge=0, le=100)]
    """Untraced share of volume (100 - M2-02) tolerated before unknown origin counts."""
    countries: dict[CountryCode, CountryRisk]


class ProcessorStatus(RuleModel):
    """Status of a facility in an assurance programme, from a date."""

    status: Literal["conformant", "active", "non-conformant", "suspended"]
    since: DateText
    until: DateText | None = None


class ListedProcessor(RuleModel):
    """A facility of the conformant-processor snapshot."""

    facility_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    name: Title
    material: Material
    country: CountryCode
    programme: Title
    history: tuple[ProcessorStatus, ...]


class ProcessorTable(TableHeader):
    """Snapshot of an assurance programme's facility list (e.g. RMI RMAP)."""

    table: Literal["processors"]
    processors: tuple[ListedProcessor, ...]


class TransitHub(RuleModel):
    """A transit or trading hub of a material (OECD DDG Annex I red-flag location).

    A country through which the material from CAHRAs is known or suspected to transit or be
    traded or refined; ``settled: false`` marks an entry whose evidence is still to be
    verified ([U]).
    """

    country: CountryCode
    role: Literal["transit", "trading", "refining"]
    settled: bool
    note: LongText
    sources: Sources


class MaterialProfile(RuleModel):
    """Inherent-risk profile of a material (dd-methodology 6.7(6))."""

    score: Score
    asm_score: Score
    """Inherent risk when artisanal and small-scale mining is present or unknown."""
    asm_sensitive: bool
    """ASM is a known exposure for this material: an unknown ASM status counts as present."""
    producers: tuple[CountryCode, ...] = ()
    """Countries with known mine production; an origin outside it is an OECD red flag."""
    transit_hubs: tuple[TransitHub, ...] = ()
    """Transit and trading hubs of this material: a mine or processor there is a red-flag
    location, checked as well as a CAHRA (facts ``transit_hub_origin``, ``hub_processor``)."""


class MaterialProfileTable(TableHeader):
    """Material risk profiles."""

    table: Literal["material-profiles"]
    materials: dict[Material, MaterialProfile]


class ChemistryTable(TableHeader):
    """Annex X materials a cell chemistry necessarily contains."""

    table: Literal["chemistry-materials"]
    chemistries: dict[Chemistry, tuple[Material, ...]]


class Obligation(RuleModel):
    """A dated legal obligation the result reports on."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,63}$")]
    title: Title
    applies_from: DateText
    turnover_threshold_eur: Annotated[float, Strict(), Field(ge=0)] | None = None
    """Operators below this net turnover (and not in a group above it) are exempt."""
    sources: Sources


class ApplicabilityTable(TableHeader):
    """When the DD obligation applies (dates moved by Regulation (EU) 2025/1561)."""

    table: Literal["applicability"]
    obligations: tuple[Obligation, ...]


Row = Annotated[int, Strict(), Field(ge=1, le=1_048_576)]
Column = Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,3}$")]
AnswerValue = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")]
QuestionId = Annotated[str, StringConstraints(pattern=r"^(Q[1-9]|[A-I])$")]
TemplateMineral = Annotated[str, StringConstraints(pattern=r"^[A-Z][a-z]{1,15}$")]

RmiMeaning = Literal[
    "presence",
    "cahra",
    "fully-recycled",
    "survey-band",
    "processors-identified",
    "policy",
    "policy-public",
    "dd-measures",
    "supplier-survey",
    "review",
    "corrective-action",
]
"""What an answer means for the catalogue (the mapping is in ``compliance.intake.rmi.mapping``)."""


class RmiQuestion(RuleModel):
    """One question of an RMI Declaration sheet: where its answers are, what they may be."""

    id: QuestionId
    rows: tuple[Row, Row] | None = None
    """Per-mineral block whose mineral is the English name in column B followed by the label
    marker (EMRT 2.x: rows follow the minerals selected, in alphabetical order)."""
    mineral_rows: dict[TemplateMineral, Row] = Field(default_factory=dict)
    """Per-mineral rows at fixed positions (templates whose column B label is translated)."""
    cell: Cell | None = None
    """Answer cell of a company-level question."""
    answers: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,40}$")]
    """Name of the answer set (the template's data-validation list) in ``answer_sets``."""
    meaning: RmiMeaning | None = None
    """Catalogue meaning; ``None``: read and checked but asked natively."""
    not_applicable_when: dict[QuestionId, tuple[AnswerValue, ...]] = Field(default_factory=dict)
    """The template greys this question out when an earlier answer (same mineral; for a company
    question: every mineral) is one of these values."""


class RmiListLayout(RuleModel):
    """A list sheet (Smelter, Mine or Product List): header row and the columns read."""

    sheet: Annotated[str, StringConstraints(min_length=1, max_length=31)]
    header_row: Row
    """Row holding the column headers; data start on the next row."""
    columns: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{0,30}$")], Column]


class RmiDeclarationLayout(RuleModel):
    """Cell positions of a Declaration sheet shared by one or more template versions."""

    header: dict[str, Cell]
    """Company information: field name -> cell."""
    label_marker: Annotated[str, StringConstraints(max_length=8)] = ""
    """Marker RMI appends to the mineral names of question rows (e.g. '(*)')."""
    minerals_in_scope: tuple[Cell, ...] = ()
    """Cells where the minerals in scope are selected (EMRT 2.x)."""
    comment_column: Column = "G"
    questions: tuple[RmiQuestion, ...]


class RmiCellMap(RuleModel):
    """One RMI template family and version range: its layouts and how current it is."""

    template: Literal["emrt", "cmrt", "crt"]
    versions: tuple[Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+$")], ...]
    status: Literal["current", "older"]
    """'older': imported for what it has; the result is marked incomplete and says so."""
    declaration: Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]{1,40}$")]
    lists: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]{1,40}$")], ...]
    not_covered: tuple[Material, ...] = ()
    """Materials this version cannot declare (blank in the import)."""
    unmapped: tuple[QuestionId, ...] = ()
    """Questions whose wording in this version differs from the meaning given in the layout."""
    information_sharing: AnswerValue | None = None
    """M5-03 value a supplier earns by providing this template (``None``: not pre-filled)."""


class RmiTemplateTable(TableHeader):
    """Layouts, answer vocabularies and names of the RMI reporting templates."""

    table: Literal["rmi-templates"]
    templates: tuple[RmiCellMap, ...]
    declarations: dict[str, RmiDeclarationLayout]
    lists: dict[str, RmiListLayout]
    answer_sets: dict[str, dict[str, AnswerValue]]
    """Data-validation lists: the exact spelling Excel stores -> defined value."""
    band_lower_bounds: dict[AnswerValue, Annotated[float, Strict(), Field(ge=0, le=100)]]
    """Question 5 (CMRT 6, CRT 4) bands -> the share (%) each guarantees at least."""
    mineral_names: dict[str, Material | Literal["ignored"]]
    """Lower-case mineral names (any language RMI uses in column B) -> material."""
    country_names: dict[str, CountryCode]
    """Country spellings of the RMI lists that differ from ISO 3166 short names."""

    @model_validator(mode="after")
    def _references_resolve(self) -> RmiTemplateTable:
        """Layouts, lists and answer sets named exist; gating refers to earlier questions."""
        problems = []
        for template in self.templates:
            if template.declaration not in self.declarations:
                problems.append(f"unknown declaration layout {template.declaration!r}")
            problems += [
                f"unknown list layout {n!r}" for n in template.lists if n not in self.lists
            ]
        for name, layout in self.declarations.items():
            seen: set[str] = set()
            for question in layout.questions:
                places = (
                    question.rows is not None,
                    bool(question.mineral_rows),
                    bool(question.cell),
                )
                if sum(places) != 1:
                    problems.append(
                        f"{name} {question.id}: give exactly one of rows/mineral_rows/cell"
                    )
                if question.answers not in self.answer_sets:
                    problems.append(
                        f"{name} {question.id}: unknown answer set {question.answers!r}"
                    )
                problems += [
                    f"{name} {question.id}: gated by {q}, which is not an earlier question"
                    for q in question.not_applicable_when
                    if q not in seen
                ]
                seen.add(question.id)
        if problems:
            raise ValueError("; ".join(problems))
        return self


ReferenceTable = (
    CountryRiskTable
    | ProcessorTable
    | MaterialProfileTable
    | ChemistryTable
    | ApplicabilityTable
    | RmiTemplateTable
)
"""Any reference table."""


class TranslationsFile(RuleModel):
    """``rules/dd/i18n/<lang>.yaml``: question wording in another language, keyed by id."""

    kind: Literal["translations"]
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    status: Literal["machine-prepared", "reviewed"]
    """'machine-prepared' texts await review by a native speaker before use with suppliers."""
    notice: LongText
    catalogue_version: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    questions: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{0,3}-[0-9]{2}$")], LongText
    ]
    steps: dict[Annotated[str, StringConstraints(pattern=r"^S[0-5]$")], Title] = Field(
        default_factory=dict
    )


def _rule_file_tag(value: Any) -> str | None:
    """``kind``, or ``table:<name>`` for reference tables (one flat ``oneOf`` in the schema)."""
    if isinstance(value, dict):
        kind, table = value.get("kind"), value.get("table")
    else:
        kind, table = getattr(value, "kind", None), getattr(value, "table", None)
    if kind == "reference-table":
        return f"table:{table}"
    return kind if isinstance(kind, str) else None


RuleFile = Annotated[
    Annotated[CatalogueFile, Tag("catalogue")]
    | Annotated[AnswerTypesFile, Tag("answer-types")]
    | Annotated[StepFile, Tag("step")]
    | Annotated[ContradictionsFile, Tag("contradictions")]
    | Annotated[TranslationsFile, Tag("translations")]
    | Annotated[CountryRiskTable, Tag("table:country-risk")]
    | Annotated[ProcessorTable, Tag("table:processors")]
    | Annotated[MaterialProfileTable, Tag("table:material-profiles")]
    | Annotated[ChemistryTable, Tag("table:chemistry-materials")]
    | Annotated[ApplicabilityTable, Tag("table:applicability")]
    | Annotated[RmiTemplateTable, Tag("table:rmi-templates")],
    Discriminator(_rule_file_tag),
]
"""Any file under ``rules/dd/`` (the root of the published ruleset schema)."""
