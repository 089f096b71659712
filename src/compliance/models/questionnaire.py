"""The due-diligence (DD) questionnaire a supplier answers (Regulation (EU) 2023/1542 Art. 47-52).

The operator placing batteries on the market must run a DD programme on the Annex X raw materials
(Art. 48-52); its suppliers answer this questionnaire so that the operator can meet Art. 49(2)
(supply-chain information), Art. 50 (risk management) and Art. 52 (disclosure). The structure
follows the RMI EMRT 2.1 (header, scope, minerals, smelter and mine lists) so that an imported
EMRT/CMRT fills most of it, and adds what the EMRT lacks: answers to the catalogue questions in
``rules/dd/`` with evidence references, and an evidence register.

The schema only checks the *shape*. Which question ids exist, which answer each takes and whether
evidence ids resolve is checked against the catalogue (``compliance.dd.engine.checks``), because the
catalogue is versioned data and may change without a new document schema version.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, Strict

from compliance.models.base import Email, IsoDate, LineId, LongText, Text, Url, WireModel
from compliance.models.battery import Chemistry
from compliance.models.common import CountryCode, Identifier, Period

__all__ = [
    "QUESTIONNAIRE_SCHEMA_ID",
    "QUESTIONNAIRE_SCHEMA_VERSION",
    "Answer",
    "AnswerValue",
    "DdQuestionnaire",
    "DdSupplier",
    "Evidence",
    "EvidenceType",
    "Material",
    "MaterialDeclaration",
    "MaterialForm",
    "Mine",
    "Percent",
    "Person",
    "Processor",
    "Product",
    "QuestionnaireHeader",
    "Scope",
    "ScopeKind",
    "SupplierRole",
    "TemplateKind",
    "TemplateSource",
    "YesNoUnknown",
]

QUESTIONNAIRE_SCHEMA_VERSION = "1.0.0"
QUESTIONNAIRE_SCHEMA_ID = f"urn:compliance:schema:dd-questionnaire:{QUESTIONNAIRE_SCHEMA_VERSION}"

Percent = Annotated[float, Strict(), Field(ge=0, le=100)]
"""A percentage between 0 and 100 inclusive (not a fraction)."""

QuestionId = Annotated[
    str, Field(pattern=r"^[A-Z][A-Z0-9]{0,3}-[0-9]{2}$", examples=["M1-01", "S-01"])
]
"""Catalogue question id such as ``M1-01`` (step 1, question 1) or ``S-01`` (scope)."""

EvidenceId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]

AnswerValue = (
    Annotated[str, Field(min_length=1, max_length=300)]
    | Annotated[float, Strict()]
    | Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=50)]
)
"""A choice (``"yes"``, ``"L3"``), a number (percent, years) or a list of options (``multi``)."""


class Material(StrEnum):
    """Raw materials of Annex X point 1 (a)-(d), plus copper and mica from the RMI EMRT 2.x.

    Chemical compounds based on (a)-(d) (Annex X 1(e)) are declared through ``forms``. Only
    *natural* graphite is listed in Annex X; synthetic graphite is out of scope.
    """

    COBALT = "cobalt"
    NATURAL_GRAPHITE = "natural-graphite"
    LITHIUM = "lithium"
    NICKEL = "nickel"
    COPPER = "copper"
    """Not in Annex X; optional (EMRT 2.x)."""
    MICA = "mica"
    """Not in Annex X; optional (EMRT 1.x and 2.x)."""


class YesNoUnknown(StrEnum):
    """Tri-state answer; ``unknown`` is never imputed favourably."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class SupplierRole(StrEnum):
    """Position of the supplier in the chain (OECD upstream/downstream split)."""

    MINE = "mine"
    PROCESSOR = "processor"
    """Smelter, refiner or chemical processor (the OECD 'choke point')."""
    TRADER = "trader"
    CAM_AAM_MAKER = "cam-aam-maker"
    """Precursor, cathode or anode active-material maker."""
    CELL_MAKER = "cell-maker"
    RECYCLER = "recycler"


class MaterialForm(StrEnum):
    """Form in which a material (or a compound of it, Annex X 1(e)) is supplied."""

    ORE_CONCENTRATE = "ore-concentrate"
    INTERMEDIATE = "intermediate"
    """E.g. mixed hydroxide precipitate (MHP), matte, crude hydroxide."""
    REFINED_CHEMICAL = "refined-chemical"
    """E.g. cobalt or nickel sulfate, lithium hydroxide or carbonate."""
    METAL = "metal"
    PRECURSOR = "precursor"
    CATHODE_ACTIVE_MATERIAL = "cathode-active-material"
    ANODE_ACTIVE_MATERIAL = "anode-active-material"
    """Including spherical (natural) graphite."""
    CELL = "cell"
    RECYCLED_FEED = "recycled-feed"
    """Scrap or black mass."""
    OTHER = "other"


class ScopeKind(StrEnum):
    """Declaration scope (RMI EMRT D9)."""

    COMPANY = "company"
    PRODUCTS = "products"
    USER_DEFINED = "user-defined"


class TemplateKind(StrEnum):
    """Where the questionnaire came from."""

    NATIVE = "native"
    EMRT = "emrt"
    CMRT = "cmrt"
    CRT = "crt"
    """RMI Cobalt Reporting Template (2.x), superseded by the EMRT."""


class EvidenceType(StrEnum):
    """Kinds of supporting documents (the evidence tier is derived in ``rules/dd``)."""

    POLICY = "policy"
    PROCEDURE = "procedure"
    CONTRACT_CLAUSE = "contract-clause"
    RECORDS = "records"
    REPORT = "report"
    WEBPAGE = "webpage"
    GRIEVANCE_LOG = "grievance-log"
    LIST_EXPORT = "list-export"
    AUDIT_REPORT = "audit-report"
    CERTIFICATE = "certificate"
    ASSURANCE_STATEMENT = "assurance-statement"
    RMAP_LISTING = "rmap-listing"
    OTHER = "other"


class DdSupplier(WireModel):
    """The company answering (the legal name, without abbreviations, as in EMRT D8)."""

    name: Text
    country: CountryCode | None = None
    identifiers: tuple[Identifier, ...] = ()
    website: Url | None = None


class Person(WireModel):
    """A contact or the authorizer of the declaration (EMRT D19-D25)."""

    name: Text
    title: Text | None = None
    email: Email | None = None
    phone: Annotated[str, Field(min_length=1, max_length=60, pattern=r"\S")] | None = None
    organisation: Text | None = None
    """The person's employer, when it is not the supplier (a forwarded declaration)."""


class TemplateSource(WireModel):
    """The template this questionnaire was filled from (set by ``compliance dd import``)."""

    kind: TemplateKind = TemplateKind.NATIVE
    version: Annotated[str, Field(min_length=1, max_length=20, pattern=r"\S")] | None = None
    file: Text | None = None


class QuestionnaireHeader(WireModel):
    """Who declares, in which role, as of when, authorised by whom (catalogue item S-02, S-04)."""

    supplier: DdSupplier
    roles: Annotated[tuple[SupplierRole, ...], Field(min_length=1)]
    effective_date: IsoDate
    """Date the declaration is valid for (EMRT D26); must not lie after the scoring date."""
    reporting_period: Period | None = None
    authorizer: Person
    contact: Person | None = None
    template: TemplateSource | None = None


class Product(WireModel):
    """A product covered by the declaration (RMI Product List)."""

    number: Text
    name: Text | None = None
    requester_number: Text | None = None
    requester_name: Text | None = None
    chemistry: Chemistry | None = None
    """Cell chemistry; implies Annex X materials that must then be declared present."""


class Scope(WireModel):
    """Declaration scope (catalogue item S-03; EMRT D9, D10 and the Product List)."""

    kind: ScopeKind
    description: LongText | None = None
    products: tuple[Product, ...] = ()


class MaterialDeclaration(WireModel):
    """Presence, forms and recycled share of one material (catalogue items S-01 and S-05)."""

    material: Material
    present: YesNoUnknown
    """Is the material, or a compound of it, contained in or used to produce what is supplied?"""
    forms: tuple[MaterialForm, ...] = ()
    recycled_share_pct: Percent | None = None
    """Share of the material from recycled or scrap sources (EMRT definition: by-product ore
    and partially processed ore are not recycled)."""
    fully_recycled: YesNoUnknown | None = None
    """EMRT question 4: does 100 % originate from recycled or scrap sources?"""
    evidence: tuple[EvidenceId, ...] = ()
    comment: LongText | None = None


class Answer(WireModel):
    """The answer to one catalogue question, for one material or for the whole company.

    A per-material question answered without ``material`` applies to every material in scope
    that has no material-specific answer.
    """

    question: QuestionId
    material: Material | None = None
    value: AnswerValue
    comment: LongText | None = None
    evidence: tuple[EvidenceId, ...] = ()
    """Ids of entries in the evidence register supporting this answer."""


class Processor(WireModel):
    """A smelter, refiner or processor in the supply chain (RMI Smelter List)."""

    id: LineId | None = None
    material: Material
    name: Text
    facility_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"\S")] | None = None
    """Facility identifier, e.g. the RMI smelter id (a listing id is not a sign of conformance)."""
    id_source: Text | None = None
    country: CountryCode | None = None
    identified: bool = True
    """``False`` for RMI 'Smelter Not Yet Identified' rows. A row without ``facility_id`` is
    scored as unidentified (unknown origin) whatever this says."""
    feedstock_fully_recycled: YesNoUnknown | None = None
    """Smelter List column P: does 100 % of the feedstock come from recycled or scrap sources?"""
    share_pct: Percent | None = None
    """Share of the supplier's volume of this material coming through this processor."""
    comment: LongText | None = None


class Mine(WireModel):
    """A mine of origin (RMI Mine List, EMRT 2.0 and later)."""

    id: LineId | None = None
    material: Material
    name: Text
    mine_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"\S")] | None = None
    country: CountryCode | None = None
    processor: LineId | None = None
    """``id`` of the processor sourcing from this mine."""
    asm: YesNoUnknown | None = None
    """Artisanal and small-scale mining at this site?"""
    comment: LongText | None = None


class Evidence(WireModel):
    """An entry of the evidence register (document, certificate, audit report, web page)."""

    id: EvidenceId
    type: EvidenceType
    title: Text | None = None
    issuer: Text | None = None
    third_party: bool = False
    """Issued by an independent party (auditor, certification or assurance body)."""
    scheme: Text | None = None
    """Assurance scheme, e.g. RMAP, IRMA, ISO 45001."""
    issued: IsoDate | None = None
    valid_until: IsoDate | None = None
    covers_materials: tuple[Material, ...] = ()
    """Materials the document covers; empty means it is not material-specific."""
    covers_sites: tuple[Text, ...] = ()
    uri: Url | None = None
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None


class DdQuestionnaire(WireModel):
    """A supplier's due-diligence questionnaire on the Annex X battery raw materials."""

    schema_uri: str | None = Field(default=None, alias="$schema", max_length=2000)
    """Optional pointer to the schema for editors; ignored by validation."""
    schema_version: Literal["1.0.0"]
    """Version of the dd-questionnaire schema this document follows."""
    questionnaire_id: Text | None = None
    header: QuestionnaireHeader
    scope: Scope | None = None
    materials: tuple[MaterialDeclaration, ...] = ()
    answers: tuple[Answer, ...] = ()
    processors: tuple[Processor, ...] = ()
    mines: tuple[Mine, ...] = ()
    evidence: tuple[Evidence, ...] = ()
