"""Passport-only attributes of a submission (Regulation (EU) 2023/1542 Annex XIII).

The carbon footprint (Annex XIII 1(c)) comes from the CFP calculator and responsible sourcing
1(d) from the due-diligence report; everything else the passport shows is declared here, at model
level, plus one optional ``item`` block with the data of an individual battery (identifier,
manufacturing date, status, predecessors, state of health and use data; Annex XIII point 4).
Each field names its Annex XIII point; the passport builder copies, it never invents.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, Strict
from pydantic_core import PydanticCustomError
from stdnum import casrn

from compliance.models.base import (
    CountNumber,
    Email,
    IsoDate,
    LongText,
    PositiveNumber,
    Share,
    Text,
    Url,
    WireModel,
)
from compliance.models.common import Address, Organisation
from compliance.models.quantity import QuantityField
from compliance.units import Dimension, Quantity

__all__ = [
    "BatteryItem",
    "BatteryStatus",
    "CatenaXData",
    "Condition",
    "CriticalRawMaterial",
    "CycleLifeTest",
    "DeclarationOfConformity",
    "DismantlingDocument",
    "DueDiligenceDocuments",
    "ExtinguishingAgent",
    "HazardousSubstance",
    "HeavyMetal",
    "HeavyMetals",
    "InternalResistance",
    "Label",
    "MaterialEntry",
    "PassportData",
    "Performance",
    "RecycledContent",
    "SparePartSource",
    "TemperatureRange",
    "WasteInformation",
]

Voltage = Annotated[Quantity, QuantityField(Dimension.VOLTAGE)]
Power = Annotated[Quantity, QuantityField(Dimension.POWER)]
Resistance = Annotated[Quantity, QuantityField(Dimension.RESISTANCE)]
Mass = Annotated[Quantity, QuantityField(Dimension.MASS)]


def _check_cas(value: str) -> str:
    """A CAS Registry Number whose check digit is right (stdnum.casrn)."""
    if not casrn.is_valid(value):
        raise PydanticCustomError(
            "cas_check_digit",
            "CAS number {value} has a wrong check digit",
            {"value": value},
        )
    return value


Cas = Annotated[str, Field(pattern=r"^\d{2,7}-\d{2}-\d$"), AfterValidator(_check_cas)]
YearMonth = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2027-03"])]
Timestamp = Annotated[
    str,
    Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"),
]
"""An RFC 3339 date-time with offset, e.g. ``2027-03-01T08:00:00Z``."""


class BatteryStatus(StrEnum):
    """Annex XIII 4(c) battery status (the Regulation's spelling)."""

    ORIGINAL = "original"
    REPURPOSED = "repurposed"
    REUSED = "re-used"
    REMANUFACTURED = "remanufactured"
    WASTE = "waste"


class HazardClass(StrEnum):
    """CLP hazard classes used for battery substances (Battery Pass 1.2.0 vocabulary)."""

    ACUTE_TOXICITY = "acute-toxicity"
    SKIN_CORROSION_OR_IRRITATION = "skin-corrosion-or-irritation"
    EYE_DAMAGE_OR_IRRITATION = "eye-damage-or-irritation"


class HazardousSubstance(WireModel):
    """Annex VI Part A(8), Annex XIII 1(b): a hazardous substance other than Hg, Cd, Pb."""

    name: Text
    cas_number: Cas
    hazard_class: HazardClass
    concentration: Share
    """Mass fraction in the battery."""
    location: Text
    """Component holding it, e.g. "electrolyte"."""
    impact: tuple[LongText, ...] = ()
    """Impact on the environment and human health (Art. 74(1)(f))."""


class HeavyMetal(WireModel):
    """Content of mercury, cadmium or lead.

    Restricted by Art. 6 and Annex I; Art. 13(4) requires the Cd / Pb symbols above
    0.002 % / 0.004 % w/w.
    """

    concentration: Share
    """Mass fraction in the battery."""
    location: Text
    """Component holding it."""


class HeavyMetals(WireModel):
    """Declared mercury, cadmium and lead content (restricted substances, Art. 6 and Annex I)."""

    mercury: HeavyMetal | None = None
    cadmium: HeavyMetal | None = None
    lead: HeavyMetal | None = None


class ExtinguishingAgent(WireModel):
    """Annex VI Part A(9): a usable extinguishing agent and the fire classes it serves."""

    media: Text
    """E.g. "water", "foam", "CO2"."""
    fire_class: Annotated[str, Field(pattern=r"^[A-F](, ?[A-F])*$")] | None = None
    """EN 2 fire classes, e.g. "A, B"."""


class CriticalRawMaterial(WireModel):
    """Annex VI Part A(10): a critical raw material present above 0.1 % w/w."""

    name: Text
    cas_number: Cas | None = None
    concentration: Share
    location: Text | None = None
    """Component holding it, e.g. "cathode"."""


class MaterialEntry(WireModel):
    """Annex XIII 2(a): detailed composition (cathode, anode, electrolyte ...)."""

    name: Text
    cas_number: Cas
    component: Text
    mass: Mass
    critical: Annotated[bool, Strict()] = False
    recycled_share: Share | None = None
    """Share of this material recovered from waste."""
    renewable_share: Share | None = None
    """Share of this material from renewable sources."""


class RecycledShare(WireModel):
    """Pre- and post-consumer recycled shares of one material (Art. 8(1))."""

    pre_consumer: Share
    post_consumer: Share


class RecycledContent(WireModel):
    """Annex XIII 1(e): shares recovered from waste in active materials (Art. 8(1))."""

    cobalt: RecycledShare | None = None
    lithium: RecycledShare | None = None
    nickel: RecycledShare | None = None
    lead: RecycledShare | None = None


class TemperatureRange(WireModel):
    """A temperature range in degrees Celsius (an offset scale: kept as two numbers)."""

    lower_celsius: Annotated[float, Field(ge=-100, le=200, strict=True)]
    upper_celsius: Annotated[float, Field(ge=-100, le=200, strict=True)]


class InternalResistance(WireModel):
    """Annex XIII 1(o): internal resistance of cell, module (optional) and pack."""

    cell: Resistance
    module: Resistance | None = None
    pack: Resistance


class CycleLifeTest(WireModel):
    """Conditions of the cycle-life test behind 1(j) and 1(p) (Annex IV Part A)."""

    temperature_celsius: Annotated[float, Field(ge=-100, le=200, strict=True)]
    depth_of_discharge: Share
    charge_rate: PositiveNumber
    """C-rate of charging."""
    discharge_rate: PositiveNumber
    """C-rate of discharging."""


class Performance(WireModel):
    """Annex XIII 1(g)-(p): rated performance and durability values of the model."""

    minimum_voltage: Voltage
    maximum_voltage: Voltage
    original_power_capability: Power
    """1(i): power capability at 80 % state of charge."""
    power_capability_at_20_soc: Power | None = None
    maximum_power: Power | None = None
    expected_cycle_life: PositiveNumber
    """1(j): expected lifetime in full cycles."""
    cycle_life_reference_test: Url
    expected_lifetime: Annotated[Quantity, QuantityField(Dimension.TIME)]
    """Expected lifetime in calendar years (Annex IV Part A)."""
    capacity_threshold_for_exhaustion: Share | None = None
    """1(k), EV batteries only: remaining-capacity share at which the battery is exhausted."""
    idle_temperature_range: TemperatureRange
    """1(l): temperatures the battery withstands when not in use."""
    round_trip_efficiency: Share
    """1(n): initial round-trip energy efficiency."""
    round_trip_efficiency_at_50_percent_cycle_life: Share
    round_trip_efficiency_depth_of_discharge: Share | None = None
    """Depth of discharge of the round-trip efficiency test."""
    internal_resistance: InternalResistance
    c_rate_of_cycle_life_test: PositiveNumber
    """1(p): C-rate of the cycle-life test."""
    cycle_life_test: CycleLifeTest | None = None
    power_energy_ratio: PositiveNumber | None = None
    """Annex IV Part B(2): nominal allowed power (W) over battery energy (Wh), in 1/h."""
    initial_self_discharge_rate: Share | None = None
    """Share of charge lost per month at beginning of life."""
    power_fade: Share | None = None
    round_trip_efficiency_fade: Share | None = None


class LabelSubject(StrEnum):
    """Annex XIII 1(q) markings (Art. 13(4)-(5)) and the CF and extinguishing labels."""

    SEPARATE_COLLECTION = "separate-collection"
    HAZARDOUS_MATERIAL = "hazardous-material"
    CARBON_FOOTPRINT = "carbon-footprint"
    EXTINGUISHING_AGENT = "extinguishing-agent"


class Label(WireModel):
    """A label or symbol on the battery and its meaning."""

    subject: LabelSubject
    symbol_url: Url
    meaning: LongText


class DeclarationOfConformity(WireModel):
    """Annex XIII 1(r), Art. 18: the EU declaration of conformity."""

    identifier: Text
    url: Url


class WasteInformation(WireModel):
    """Annex XIII 1(s), Art. 74(1): waste prevention and management information."""

    waste_prevention_url: Url
    separate_collection_url: Url
    collection_information_url: Url


class DueDiligenceDocuments(WireModel):
    """Annex XIII 1(d): the Art. 52(3) due-diligence report and third-party assurances."""

    report_url: Url
    third_party_assurances_url: Url | None = None


class SparePartComponent(WireModel):
    """A replaceable component and its part number."""

    part_name: Text
    part_number: Text


class SparePartSource(WireModel):
    """Annex XIII 2(b): a source of spare parts."""

    supplier_name: Text
    address: Address
    email: Email
    website: Url
    components: tuple[SparePartComponent, ...]


class DismantlingDocumentType(StrEnum):
    """Kinds of dismantling information (Battery Pass 1.2.0 vocabulary)."""

    BILL_OF_MATERIAL = "bill-of-material"
    MODEL_3D = "model-3d"
    DISMANTLING_MANUAL = "dismantling-manual"
    REMOVAL_MANUAL = "removal-manual"
    OTHER_MANUAL = "other-manual"
    DRAWING = "drawing"


class DismantlingDocument(WireModel):
    """Annex XIII 2(c): dismantling information (diagrams, sequences, tools, warnings)."""

    document_type: DismantlingDocumentType
    url: Url
    mime_type: Annotated[str, Field(max_length=255, pattern=r"^[\w.+-]+/[\w.+-]+$")]


class TestReport(WireModel):
    """Annex XIII point 3: results of a test report proving compliance."""

    title: Text
    url: Url


class Condition(WireModel):
    """Annex XIII 4(a), 4(b), 4(d): state of health and use data of one battery at a time."""

    measured_at: Timestamp
    remaining_capacity: Share
    """Remaining capacity as a share of the rated capacity."""
    remaining_power_capability: Share
    remaining_round_trip_efficiency: Share
    """Relative: the present round-trip energy efficiency as a share of the initial one (Annex
    XIII 1(n)), RTE(x) / RTE_BOL; 0.99 means 1 % fade, not an efficiency of 99 %."""
    state_of_certified_energy: Share | None = None
    """SOCE, EV batteries."""
    remaining_energy: Annotated[Quantity, QuantityField(Dimension.ENERGY)]
    current_self_discharge_rate: Share
    self_discharge_evolution: Share
    internal_resistance_increase: Share
    """Pack internal resistance increase over the initial value."""
    internal_resistance: InternalResistance | None = None
    """Present internal resistances (per component increases follow from the initial ones)."""
    capacity_fade: Share
    state_of_charge: Share
    full_cycles: CountNumber
    energy_throughput: Annotated[Quantity, QuantityField(Dimension.ENERGY)]
    capacity_throughput: Annotated[Quantity, QuantityField(Dimension.CHARGE)]
    negative_events: tuple[LongText, ...] = ()
    time_extreme_high_temperature: Annotated[Quantity, QuantityField(Dimension.TIME)]
    time_extreme_low_temperature: Annotated[Quantity, QuantityField(Dimension.TIME)]
    time_extreme_high_temperature_charging: Annotated[Quantity, QuantityField(Dimension.TIME)]
    time_extreme_low_temperature_charging: Annotated[Quantity, QuantityField(Dimension.TIME)]


class BatteryItem(WireModel):
    """One individual battery of the model (Annex XIII point 4, Art. 77(3))."""

    serial_number: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[!-~]+$")]
    """Serial number (printable ASCII, no spaces)."""
    battery_identifier: (
        Annotated[str, Field(min_length=1, max_length=200, pattern=r"^\S+$")] | None
    ) = None
    """Unique identifier (ISO/IEC 15459) if the operator assigns one; otherwise derived."""
    gtin: Annotated[str, Field(pattern=r"^\d{8}$|^\d{12,14}$")] | None = None
    """GTIN of the model, for a GS1 Digital Link data carrier."""
    batch: Text | None = None
    manufacturing_date: YearMonth
    """Annex VI Part A(4): month and year of manufacture."""
    status: BatteryStatus = BatteryStatus.ORIGINAL
    predecessors: tuple[
        Annotated[str, Field(min_length=1, max_length=200, pattern=r"^\S+$")], ...
    ] = ()
    """Passport identifiers of the original battery or batteries (Art. 77(7))."""
    putting_into_service: IsoDate | None = None
    """Annex VII Part B, where appropriate (stationary, LMT with BMS)."""
    condition: Condition | None = None


class CatenaXData(WireModel):
    """Passport-management data the Catena-X battery_pass 6.1.0 model requires.

    Not Annex XIII items: the operator's choices for the data space (CX-0143). The Catena-X
    company and site numbers (BPNL, BPNA) are identifiers of the manufacturer, operator and
    plant (scheme ``BPNL`` / ``BPNA``).
    """

    expiration_date: IsoDate | None = None
    backup_reference: Url | None = None
    """Where a backup copy of the passport is kept (Art. 78 availability; required by Catena-X)."""
    data_carrier_layout: Text | None = None
    """Where the QR code sits on the battery, e.g. "top cover, left"."""
    purposes: tuple[Text, ...] = ()
    """Catena-X ``commercial.purpose``; Catena-X requires "automotive"."""


class PassportData(WireModel):
    """Everything the passport needs beyond the carbon-footprint and due-diligence results."""

    economic_operator: Organisation | None = None
    """Operator responsible for the passport (Art. 77(4)) when not the manufacturer."""
    declaration_of_conformity: DeclarationOfConformity | None = None
    carbon_footprint_performance_class: Text | None = None
    """Art. 7(2), when classes exist; the engine never assigns one without a published table."""
    due_diligence: DueDiligenceDocuments | None = None
    hazardous_substances: tuple[HazardousSubstance, ...] = ()
    extinguishing_agents: tuple[ExtinguishingAgent, ...] = ()
    heavy_metals: HeavyMetals | None = None
    critical_raw_materials: tuple[CriticalRawMaterial, ...] = ()
    materials: tuple[MaterialEntry, ...] = ()
    recycled_content: RecycledContent | None = None
    renewable_content: Share | None = None
    performance: Performance | None = None
    labels: tuple[Label, ...] = ()
    waste_information: WasteInformation | None = None
    spare_parts: tuple[SparePartSource, ...] = ()
    dismantling: tuple[DismantlingDocument, ...] = ()
    safety_instructions_url: Url | None = None
    """Annex XIII 2(d): safety measures."""
    test_reports: tuple[TestReport, ...] = ()
    catena_x: CatenaXData | None = None
    item: BatteryItem | None = None
