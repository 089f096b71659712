"""The supplier submission: one battery model from one plant (Regulation (EU) 2023/1542 Art. 7(1)).

The CFP declaration is made per battery model per manufacturing plant, from the bill of
materials, energy and auxiliary materials of that plant (Annex II point 1). The document is
versioned: ``schemaVersion`` names the published schema it follows; later versions only add
optional fields and enum values, so an older document stays valid.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from compliance.models.base import Text, Url, WireModel
from compliance.models.battery import Battery, FunctionalUnitDeclaration, Warranty
from compliance.models.common import Address, Identifier, Organisation, Period
from compliance.models.inventory import (
    BomLine,
    EndOfLifeTreatment,
    EnergyUse,
    ProcessEmission,
    PurchasedComponent,
    TransportLeg,
)
from compliance.models.passport_data import PassportData

__all__ = [
    "SUBMISSION_SCHEMA_ID",
    "SUBMISSION_SCHEMA_VERSION",
    "CfpDeclarationInfo",
    "Plant",
    "SupplierSubmission",
]

SUBMISSION_SCHEMA_VERSION = "1.0.0"
SUBMISSION_SCHEMA_ID = f"urn:compliance:schema:supplier-submission:{SUBMISSION_SCHEMA_VERSION}"


class Plant(WireModel):
    """The manufacturing plant (Art. 7(1)(c); Annex VI Part A(3))."""

    name: Text
    facility_id: Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]
    """Unique facility identifier (e.g. GLN, Catena-X BPNS, the operator's own register)."""
    address: Address
    identifiers: tuple[Identifier, ...] = ()


class CfpDeclarationInfo(WireModel):
    """Declared (not computed) items of the carbon-footprint declaration, Art. 7(1)(f)-(g).

    The draft implementing act on the declaration format (April 2024) lists both fields next to
    the computed values; a declaration without them is incomplete, and reports say so.
    """

    declaration_of_conformity_id: Text | None = None
    """Identification number of the EU declaration of conformity (Art. 7(1)(f); Art. 18)."""
    study_url: Url | None = None
    """Web link to the public version of the study supporting the values (Art. 7(1)(g))."""


class SupplierSubmission(WireModel):
    """A manufacturer's or supplier's data for one battery model from one plant."""

    schema_uri: str | None = Field(default=None, alias="$schema", max_length=2000)
    """Optional pointer to the schema for editors; ignored by validation."""
    schema_version: Literal["1.0.0"]
    """Version of the supplier-submission schema this document follows."""
    submission_id: Text | None = None
    """The supplier's own reference for this submission."""
    reporting_period: Period | None = None
    """Period the activity data (energy, yields) were measured over."""
    manufacturer: Organisation
    plant: Plant
    battery: Battery
    warranty: Warranty | None = None
    functional_unit: FunctionalUnitDeclaration | None = None
    cfp_declaration: CfpDeclarationInfo | None = None
    bill_of_materials: tuple[BomLine, ...] = ()
    energy_use: tuple[EnergyUse, ...] = ()
    process_emissions: tuple[ProcessEmission, ...] = ()
    transport: tuple[TransportLeg, ...] = ()
    purchased_components: tuple[PurchasedComponent, ...] = ()
    end_of_life: tuple[EndOfLifeTreatment, ...] = ()
    """End-of-life treatment of the whole battery (Annex II point 4(d))."""
    passport: PassportData | None = None
    """Battery-passport attributes beyond the CFP and DD results (Annex XIII)."""
