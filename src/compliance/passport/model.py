"""The battery passport (Regulation (EU) 2023/1542 Art. 77-78, Annex XIII) as a typed document.

Sections follow the Annex XIII access groups of Art. 77(2):

* ``public``              point 1, publicly accessible;
* ``legitimateInterest``  point 2, persons with a legitimate interest, notified bodies, market
                          surveillance authorities and the Commission;
* ``authorities``         point 3, notified bodies, market surveillance authorities, Commission;
* ``individual``          point 4, persons with a legitimate interest (individual battery);
* ``extensions``          our own namespace (DD scores): never public.

A view for one access level keeps only the fields that level may see (:mod:`.access`, driven by
the access group of every field in ``rules/passport/annex-xiii.yaml``; the battery status and the
predecessor links are point 4, in ``individual``).
Values carry their units (``{"value", "unit"}``); the identification block and the provenance
(engine, ruleset and dataset versions, input digests, generation time given by the caller) are
public.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from compliance.cfp.result import Measure
from compliance.models import BatteryCategory, BatteryStatus, Chemistry, LifecycleStage, Warranty
from compliance.models.base import Text, Url, WireModel
from compliance.models.common import Address, Identifier, Organisation
from compliance.models.passport_data import (
    CatenaXData,
    Condition,
    CriticalRawMaterial,
    DeclarationOfConformity,
    DismantlingDocument,
    DueDiligenceDocuments,
    ExtinguishingAgent,
    HazardousSubstance,
    HeavyMetals,
    Label,
    MaterialEntry,
    Performance,
    RecycledContent,
    SparePartSource,
    TestReport,
    Timestamp,
    WasteInformation,
    YearMonth,
)

__all__ = [
    "PASSPORT_SCHEMA_ID",
    "AccessLevel",
    "AuthorityInformation",
    "CarbonFootprintInfo",
    "DdSummary",
    "Extensions",
    "Identification",
    "IndividualInformation",
    "LegitimateInterestInformation",
    "Passport",
    "PlaceOfManufacture",
    "Provenance",
    "PublicInformation",
    "RecycledContentDetails",
    "StageValue",
]

PASSPORT_SCHEMA_ID = "urn:compliance:schema:passport:1.0.0"


class AccessLevel(StrEnum):
    """Who reads the passport (Art. 77(2)); ``full`` is the complete, stored passport."""

    PUBLIC = "public"
    LEGITIMATE_INTEREST = "legitimate-interest"
    AUTHORITY = "authority"
    FULL = "full"


class Provenance(WireModel):
    """What produced the passport: engine, rulesets, datasets, inputs and the generation time."""

    engine_version: str
    generated_at: Timestamp
    submission_digest: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
    questionnaire_digest: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")] | None = None
    cfp_ruleset: str | None = None
    gwp_set: str | None = None
    factor_datasets: tuple[str, ...] = ()
    dd_catalogue: str | None = None
    dd_reference_tables: tuple[str, ...] | None = None


class Identification(WireModel):
    """Annex VI Part A(2): category and the information identifying the battery."""

    category: BatteryCategory
    model_identifier: Text
    model_name: Text | None = None
    battery_identifier: str
    serial_number: str | None = None
    batch: Text | None = None
    gtin: str | None = None
    external_storage_only: bool | None = None
    """Industrial battery with exclusively external storage (Art. 7(1) later dates)."""


class PlaceOfManufacture(WireModel):
    """Annex VI Part A(3): the manufacturing plant."""

    plant_name: Text
    facility_id: str
    address: Address
    identifiers: tuple[Identifier, ...] = ()


class ChemistryInfo(WireModel):
    """Annex VI Part A(7): chemistry."""

    code: Chemistry
    description: Text | None = None


class StageValue(WireModel):
    """Carbon footprint of one life-cycle stage per functional unit."""

    stage: LifecycleStage
    per_functional_unit: Measure
    share: float | None


class CarbonFootprintInfo(WireModel):
    """Annex XIII 1(c), Art. 7(1)-(2): the carbon-footprint declaration values."""

    per_functional_unit: Measure
    functional_unit: str
    stages: tuple[StageValue, ...]
    absolute: Measure
    performance_class: str | None = None
    performance_class_status: str
    study_url: Url | None = None
    ruleset: str
    """The calculation rules (``id@version``)."""
    method: Text
    """Title of the calculation rules (the method the declaration follows)."""
    declared_unit: str


class RecycledContentDetails(WireModel):
    """How the Annex XIII 1(e) shares were obtained, and the supplier's own statement beside them.

    ``basis`` ``computed``: ``recycledContent`` holds the shares the Art. 8 calculation found in
    the bill of materials (:mod:`compliance.recycled`), under ``ruleset``; ``declared`` keeps what
    the supplier declared. ``basis`` ``declared``: no calculation ran and ``recycledContent`` is
    the supplier's statement as given.
    """

    basis: Literal["computed", "declared"]
    ruleset: str | None = None
    """The recycled-content ruleset (``id@version``) of computed shares."""
    declared: RecycledContent | None = None
    """The supplier's declared shares (passport.recycledContent of the submission)."""
    rejected_claims: tuple[Text, ...] = ()
    """Recycled claims a due-diligence rule rejected; the computed shares leave them out."""


class PublicInformation(WireModel):
    """Annex XIII point 1: publicly accessible information on the battery model."""

    manufacturer: Organisation
    identification: Identification
    place_of_manufacture: PlaceOfManufacture
    date_of_manufacture: YearMonth | None = None
    mass: Measure
    rated_capacity: Measure
    nominal_voltage: Measure
    usable_energy: Measure
    """Usable energy at beginning of life (the certified energy of UN GTR 22 for EVs)."""
    chemistry: ChemistryInfo
    hazardous_substances: tuple[HazardousSubstance, ...] = ()
    extinguishing_agents: tuple[ExtinguishingAgent, ...] = ()
    heavy_metals: HeavyMetals | None = None
    critical_raw_materials: tuple[CriticalRawMaterial, ...] = ()
    carbon_footprint: CarbonFootprintInfo | None = None
    responsible_sourcing: DueDiligenceDocuments | None = None
    recycled_content: RecycledContent | None = None
    recycled_content_details: RecycledContentDetails | None = None
    renewable_content: float | None = None
    performance: Performance | None = None
    warranty: Warranty | None = None
    labels: tuple[Label, ...] = ()
    declaration_of_conformity: DeclarationOfConformity | None = None
    waste_information: WasteInformation | None = None


class LegitimateInterestInformation(WireModel):
    """Annex XIII point 2: detailed composition, spare parts, dismantling, safety."""

    materials: tuple[MaterialEntry, ...] = ()
    spare_parts: tuple[SparePartSource, ...] = ()
    dismantling: tuple[DismantlingDocument, ...] = ()
    safety_instructions_url: Url | None = None


class AuthorityInformation(WireModel):
    """Annex XIII point 3: results of test reports proving compliance."""

    test_reports: tuple[TestReport, ...] = ()


class IndividualInformation(WireModel):
    """Annex XIII point 4: the individual battery (status, state of health, use data)."""

    status: BatteryStatus
    """Annex XIII 4(c). A status change (e.g. to waste) is a new version of the same passport;
    re-use, repurposing and remanufacturing give a new passport (Art. 77(7))."""
    predecessors: tuple[str, ...] = ()
    """Passport identifiers of the original battery or batteries (Art. 77(7))."""
    putting_into_service: date | None = None
    condition: Condition | None = None


class DdSummary(WireModel):
    """Our due-diligence scores (not a regulatory field; never public)."""

    catalogue: str
    maturity: float | None = None
    level: str | None = None
    risk_level: str | None = None
    red_flags: int = 0
    applicable: bool = True
    details: dict[str, object] = Field(default_factory=dict)


class Extensions(WireModel):
    """The ``compliance`` extension namespace."""

    due_diligence: DdSummary | None = None


class Passport(WireModel):
    """One battery passport (one version of it)."""

    schema_version: Literal["1.0.0"] = "1.0.0"
    passport_identifier: str
    battery_identifier: str
    gs1_digital_link: str | None = None
    public_url: Url
    category: BatteryCategory
    economic_operator: Organisation
    catena_x: CatenaXData | None = None
    view: AccessLevel = AccessLevel.FULL
    provenance: Provenance
    public: PublicInformation
    legitimate_interest: LegitimateInterestInformation | None = None
    authorities: AuthorityInformation | None = None
    individual: IndividualInformation | None = None
    extensions: Extensions | None = None
