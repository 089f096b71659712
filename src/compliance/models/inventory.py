"""Inventory lines of a submission: materials, energy, process gases, transport, purchased parts.

All amounts are **per one battery** of the declared model (already allocated by the supplier).
Stage defaults follow Regulation (EU) 2023/1542 Annex II point 4: materials to raw material
acquisition, plant energy and process gases to main production, transport to distribution.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, Strict

from compliance.models.base import LineId, LongText, Share, Text, WireModel
from compliance.models.common import CountryCode, LifecycleStage, Party
from compliance.models.factors import (
    ComponentFootprintValue,
    EnergyFactorSpec,
    FuelFactorSpec,
    InlineFactor,
    MassFactorSpec,
    TransportFactorSpec,
)
from compliance.models.quality import DataQuality
from compliance.models.quantity import QuantityField
from compliance.models.uncertainty import Uncertainty
from compliance.units import Dimension, Quantity

__all__ = [
    "BomLine",
    "ChainOfCustody",
    "Circularity",
    "ComponentActiveMaterial",
    "ComponentFootprint",
    "ComponentProcess",
    "Composition",
    "ElectricitySource",
    "ElectricityUse",
    "ElementData",
    "EndOfLifeProcess",
    "EndOfLifeResult",
    "EndOfLifeTreatment",
    "EnergyUse",
    "Fuel",
    "FuelUse",
    "Gas",
    "HeatUse",
    "MaterialCategory",
    "ProcessEmission",
    "PurchasedComponent",
    "RecoveredElement",
    "StageSplit",
    "TransportLeg",
    "TransportMode",
]

Mass = Annotated[Quantity, QuantityField(Dimension.MASS)]


class MaterialCategory(StrEnum):
    """What a bill-of-materials line is.

    Annex II(1) asks to identify cathode materials and electronic components precisely.
    """

    CATHODE_ACTIVE_MATERIAL = "cathode-active-material"
    ANODE_ACTIVE_MATERIAL = "anode-active-material"
    ELECTROLYTE = "electrolyte"
    SEPARATOR = "separator"
    CURRENT_COLLECTOR = "current-collector"
    BINDER = "binder"
    CONDUCTIVE_ADDITIVE = "conductive-additive"
    CELL_CASING = "cell-casing"
    MODULE_HOUSING = "module-housing"
    PACK_HOUSING = "pack-housing"
    ELECTRONICS = "electronics"
    THERMAL_MANAGEMENT = "thermal-management"
    WIRING = "wiring"
    OTHER = "other"


class Circularity(WireModel):
    """Circular Footprint Formula parameters of a material line.

    PEF Circular Footprint Formula, Recommendation (EU) 2021/2279 Annex I, end-of-life modelling
    (the method Annex II of Regulation (EU) 2023/1542 builds on); A values per PEF Annex C.
    Parameters left out take the defaults of the ruleset used by the calculator.
    """

    recycled_content: Share | None = None
    """R1: share of recycled (or re-used) input material."""
    allocation_factor: Share | None = None
    """A: burden/credit allocation between supplier and user of recycled material
    (PEF Annex C; 1 = cut-off)."""
    energy_recovery_allocation_factor: Share | None = None
    """B: allocation of energy-recovery burdens and credits (PEF default 0)."""
    recycling_output_rate: Share | None = None
    """R2: share of the material recycled in a later system (at the recycler's output)."""
    energy_recovery_rate: Share | None = None
    """R3: share of the material sent to energy recovery."""
    quality_ratio_input: Share | None = None
    """Qsin/Qp: quality of the ingoing secondary material relative to primary."""
    quality_ratio_output: Share | None = None
    """Qsout/Qp: quality of the outgoing secondary material relative to primary."""
    recycled_input_factor: MassFactorSpec | None = None
    """Erecycled: emissions of producing the recycled input."""
    recycling_eol_factor: MassFactorSpec | None = None
    """ErecyclingEoL: emissions of the end-of-life recycling process."""
    substituted_virgin_factor: MassFactorSpec | None = None
    """E*v: emissions of the virgin material substituted by the recyclable output."""
    energy_recovery_factor: MassFactorSpec | None = None
    """EER: emissions of energy recovery (e.g. incineration with recovery)."""
    lower_heating_value: Annotated[Quantity, QuantityField(Dimension.SPECIFIC_ENERGY)] | None = None
    """LHV of the material, e.g. "32 MJ/kg"."""
    heat_recovery_efficiency: Share | None = None
    """XER,heat: efficiency of heat recovery."""
    electricity_recovery_efficiency: Share | None = None
    """XER,elec: efficiency of electricity recovery."""
    substituted_heat_factor: EnergyFactorSpec | None = None
    """ESE,heat: emissions of the heat substituted by recovered heat."""
    substituted_electricity_factor: EnergyFactorSpec | None = None
    """ESE,elec: emissions of the electricity substituted by recovered electricity."""
    disposal_factor: MassFactorSpec | None = None
    """ED: emissions of disposal without energy recovery (landfill, incineration)."""


class RecoveredElement(StrEnum):
    """The elements whose share recovered from waste Art. 8 of Regulation (EU) 2023/1542 covers.

    Art. 8(1)-(3): cobalt, lead, lithium and nickel (present in active materials).
    """

    COBALT = "cobalt"
    LEAD = "lead"
    LITHIUM = "lithium"
    NICKEL = "nickel"


class ChainOfCustody(StrEnum):
    """How a recycled share is attributed to this material (ISO 22095:2020 chain-of-custody models).

    Which models count is a choice of the recycled-content ruleset (the Art. 8(1) delegated act
    on the calculation and verification method is not adopted).
    """

    SEGREGATED = "segregated"
    """The recycled input is physically kept apart and traced into this material."""
    MASS_BALANCE = "mass-balance"
    """Recycled and primary inputs are mixed; the recycled share is allocated by a mass balance
    over a stated period and site."""
    BOOK_AND_CLAIM = "book-and-claim"
    """Certificates traded independently of the physical flow."""


CompoundId = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$", examples=["nmc811", "lfp", "lead-dioxide"]),
]
"""Identifier of a compound in the recycled-content reference data (``rules/recycled``)."""


class ElementData(WireModel):
    """One Art. 8 element in a material: its content and the share of it recovered from waste.

    Shares are of the element's mass in this material (not of the material's mass): a cathode
    active material made from recycled nickel sulphate and primary lithium carbonate has a nickel
    share and a lithium share of its own.
    """

    element: RecoveredElement
    mass_fraction: Share | None = None
    """Mass of the element per mass of material, when the supplier states it (e.g. from an assay);
    otherwise the stoichiometric value of ``compound`` from the reference data is used."""
    mass_fraction_source: LongText | None = None
    """Where a stated ``massFraction`` comes from (assay report, specification); required."""
    recycled_share: Share | None = None
    """Total share of the element recovered from waste; defaults to pre- plus post-consumer."""
    pre_consumer: Share | None = None
    """Share recovered from battery manufacturing (pre-consumer) waste."""
    post_consumer: Share | None = None
    """Share recovered from post-consumer waste."""
    chain_of_custody: ChainOfCustody | None = None
    evidence: LongText | None = None
    """Evidence of the recycled share (certificate, recycler's statement, audit report)."""


class Composition(WireModel):
    """The Art. 8 elements of a material: a reference compound and/or the supplier's own data."""

    compound: CompoundId | None = None
    """Reference compound (``rules/recycled/<version>/compounds.yaml``), e.g. "nmc811"."""
    elements: tuple[ElementData, ...] = ()
    """Per element: stated content (overrides the compound's) and recycled shares."""


class BomLine(WireModel):
    """A material in the battery (bill of materials, Annex II(1))."""

    id: LineId
    material: Text
    """Material name as used by the supplier, e.g. "NMC811 cathode active material"."""
    category: MaterialCategory | None = None
    cas_number: Annotated[str, Field(pattern=r"^\d{2,7}-\d{2}-\d$")] | None = None
    mass: Mass
    """Mass of the material in one battery."""
    stage: LifecycleStage = LifecycleStage.RAW_MATERIAL
    emission_factor: MassFactorSpec
    """Cradle-to-gate emission factor of the virgin material (Ev)."""
    circularity: Circularity | None = None
    supplier: Party | None = None
    origin_country: CountryCode | None = None
    uncertainty: Uncertainty | None = None
    """Spread of the mass (activity data)."""
    composition: Composition | None = None
    """Cobalt, lead, lithium and nickel in this material and their shares recovered from waste
    (Art. 8); required for active materials by the recycled-content calculation."""


class ElectricitySource(StrEnum):
    """How the electricity is supplied; the ruleset decides which factor each kind gets.

    Draft delegated act 2024 section 2.4.1: only on-site generation and direct lines keep their
    specific factor, PPAs and guarantees of origin are ignored (national consumption mix). JRC
    CFB-EV 2023: contractual instruments meeting the PEF quality criteria count, the rest is
    modelled with the residual mix.
    """

    GRID = "grid"
    ON_SITE = "on-site"
    DIRECT_LINE = "direct-line"
    PPA = "ppa"
    GUARANTEE_OF_ORIGIN = "guarantee-of-origin"
    SUPPLIER_SPECIFIC = "supplier-specific"


class ElectricityUse(WireModel):
    """Electricity consumed for one battery."""

    id: LineId
    carrier: Literal["electricity"]
    amount: Annotated[Quantity, QuantityField(Dimension.ENERGY)]
    source: ElectricitySource
    country: CountryCode | None = None
    """Grid country; defaults to the plant's country."""
    emission_factor: EnergyFactorSpec | None = None
    """Specific factor of the on-site plant, direct line or contractual instrument."""
    quality_criteria_met: Annotated[bool, Strict()] | None = None
    """The contractual instrument meets the PEF quality criteria (conveys attributes, unique
    claim, tracked and cancelled, close to the consumption period, same market). Used by
    rulesets that accept such instruments (JRC CFB-EV 2023); ignored by the draft DA 2024."""
    stage: LifecycleStage = LifecycleStage.MAIN_PRODUCTION
    process: Text | None = None
    """Process using the electricity, e.g. "formation and ageing"."""
    uncertainty: Uncertainty | None = None


class Fuel(StrEnum):
    """Fuels burnt at the plant."""

    NATURAL_GAS = "natural-gas"
    DIESEL = "diesel"
    GASOLINE = "gasoline"
    LPG = "lpg"
    LIGHT_FUEL_OIL = "light-fuel-oil"
    HEAVY_FUEL_OIL = "heavy-fuel-oil"
    HARD_COAL = "hard-coal"
    HYDROGEN = "hydrogen"
    BIOMETHANE = "biomethane"
    BIOMASS = "biomass"
    OTHER = "other"


class FuelUse(WireModel):
    """A fuel burnt for one battery, as energy, volume or mass."""

    id: LineId
    carrier: Literal["fuel"]
    fuel: Fuel
    amount: Annotated[Quantity, QuantityField(Dimension.ENERGY, Dimension.VOLUME, Dimension.MASS)]
    """E.g. "21.4 kWh", "2.1 Nm3" or "1.6 kg"; energy is the lower heating value."""
    emission_factor: FuelFactorSpec | None = None
    """Must be per the same dimension as ``amount``."""
    stage: LifecycleStage = LifecycleStage.MAIN_PRODUCTION
    process: Text | None = None
    uncertainty: Uncertainty | None = None


class HeatUse(WireModel):
    """Purchased heat, steam or cooling for one battery."""

    id: LineId
    carrier: Literal["heat"]
    amount: Annotated[Quantity, QuantityField(Dimension.ENERGY)]
    emission_factor: EnergyFactorSpec | None = None
    stage: LifecycleStage = LifecycleStage.MAIN_PRODUCTION
    process: Text | None = None
    uncertainty: Uncertainty | None = None


EnergyUse = Annotated[ElectricityUse | FuelUse | HeatUse, Field(discriminator="carrier")]


class Gas(StrEnum):
    """Greenhouse gases emitted directly by processes (IPCC AR6 WGI Table 7.SM.7 names)."""

    CO2 = "CO2"
    CH4_FOSSIL = "CH4-fossil"
    CH4_BIOGENIC = "CH4-biogenic"
    N2O = "N2O"
    SF6 = "SF6"
    NF3 = "NF3"
    CF4 = "CF4"
    C2F6 = "C2F6"
    C3F8 = "C3F8"
    C_C4F8 = "c-C4F8"
    HFC_23 = "HFC-23"
    HFC_32 = "HFC-32"
    HFC_125 = "HFC-125"
    HFC_134A = "HFC-134a"
    HFC_143A = "HFC-143a"
    HFC_152A = "HFC-152a"
    HFC_227EA = "HFC-227ea"
    HFC_245FA = "HFC-245fa"


class ProcessEmission(WireModel):
    """A direct emission of a greenhouse gas, as the mass of the gas (not CO2e)."""

    id: LineId
    gas: Gas
    mass: Mass
    """Mass of the gas itself, e.g. "0.8 g" of SF6; characterised with the ruleset's GWP set."""
    stage: LifecycleStage = LifecycleStage.MAIN_PRODUCTION
    process: Text | None = None
    uncertainty: Uncertainty | None = None


class TransportMode(StrEnum):
    """Transport modes."""

    ROAD = "road"
    RAIL = "rail"
    SEA = "sea"
    INLAND_WATERWAY = "inland-waterway"
    AIR = "air"


class TransportLeg(WireModel):
    """One leg of transport; several legs describe a multi-modal route."""

    id: LineId
    mode: TransportMode
    mass: Mass
    """Mass of the goods carried for one battery (the battery itself for distribution)."""
    packaging_mass: Mass | None = None
    """Packaging carried along, added to the transported mass."""
    distance: Annotated[Quantity, QuantityField(Dimension.LENGTH)]
    emission_factor: TransportFactorSpec | None = None
    stage: LifecycleStage = LifecycleStage.DISTRIBUTION
    origin: Text | None = None
    destination: Text | None = None
    uncertainty: Uncertainty | None = None
    """Spread of the tonne-kilometres."""


class ComponentProcess(StrEnum):
    """What the supplier of a purchased component did; maps the PCF to a stage *by process*.

    Annex II point 4: cell assembly belongs to main production even when a cell supplier does it;
    active materials and other component manufacture belong to raw material acquisition.
    """

    CELL_MANUFACTURE = "cell-manufacture"
    MODULE_ASSEMBLY = "module-assembly"
    CATHODE_ACTIVE_MATERIAL = "cathode-active-material"
    ANODE_ACTIVE_MATERIAL = "anode-active-material"
    ELECTROLYTE = "electrolyte"
    SEPARATOR = "separator"
    ELECTRONICS = "electronics"
    HOUSING = "housing"
    OTHER = "other"


class StageSplit(WireModel):
    """A supplier PCF split by life-cycle stage, in the PCF's own unit; parts sum to the PCF."""

    raw_material: ComponentFootprintValue | None = None
    main_production: ComponentFootprintValue | None = None
    distribution: ComponentFootprintValue | None = None
    end_of_life: ComponentFootprintValue | None = None


class ComponentFootprint(WireModel):
    """The supplier's product carbon footprint of a component, per declared unit."""

    value: ComponentFootprintValue
    """PCF per declared unit, e.g. "3450 kg CO2e/piece", "48 kg CO2e/kWh", "11 kg CO2e/kg"."""
    stage_split: StageSplit | None = None
    data_quality: DataQuality | None = None
    primary_data_share: Share | None = None
    """Share of the PCF computed from primary (company-specific) data."""
    standard: Text | None = None
    """Method followed, e.g. "PACT 3.0", "ISO 14067:2018", "Catena-X PCF 9.0.0"."""
    reference: Text | None = None
    """Identifier of the supplier's PCF record (PACT id, URN ...)."""
    source: LongText
    """Where the number comes from (document, exchange, date)."""
    uncertainty: Uncertainty | None = None
    """Spread of the PCF value."""


class ComponentActiveMaterial(WireModel):
    """An active material inside a purchased component (cells, modules), for Art. 8 only.

    The component's PCF already holds its footprint: these entries feed the recycled-content
    calculation, never the carbon footprint (a bill-of-materials line would count it twice).
    """

    id: LineId
    material: Text
    """E.g. "NMC811 cathode active material in the purchased cells"."""
    category: MaterialCategory
    """Normally cathode-active-material or anode-active-material."""
    mass: Mass
    """Mass of this material in one battery (all the components of one battery together)."""
    composition: Composition


class PurchasedComponent(WireModel):
    """A bought-in part with its supplier PCF (cells, modules, BMS, housings ...)."""

    id: LineId
    name: Text
    supplier: Party
    process: ComponentProcess
    amount: Annotated[Quantity, QuantityField(Dimension.ITEMS, Dimension.MASS, Dimension.ENERGY)]
    """Quantity per battery in the PCF's declared unit: "96 piece", "12 kg" or "75 kWh"."""
    footprint: ComponentFootprint
    mass: Mass | None = None
    """Total mass of this component in one battery, when known."""
    uncertainty: Uncertainty | None = None
    """Spread of the amount."""
    active_materials: tuple[ComponentActiveMaterial, ...] = ()
    """Active materials inside the component and their Art. 8 composition (cells, modules)."""


class EndOfLifeProcess(StrEnum):
    """What an end-of-life treatment of the whole battery covers (Annex II point 4(d))."""

    COLLECTION = "collection"
    """Collection and transport to the treatment site."""
    DISCHARGE_DISMANTLING = "discharge-dismantling"
    """Discharging and dismantling of the pack (the draft DA's dismantling part of the CFF)."""
    MECHANICAL_PRETREATMENT = "mechanical-pretreatment"
    """Shredding and separation into black mass and fractions."""
    PYROMETALLURGICAL = "pyrometallurgical"
    HYDROMETALLURGICAL = "hydrometallurgical"
    DIRECT_RECYCLING = "direct-recycling"
    WHOLE_CHAIN = "whole-chain"
    """The whole treatment chain, e.g. a recycler's result from collection to secondary material."""
    DISPOSAL = "disposal"
    """Landfill or incineration without recovery."""
    OTHER = "other"


class EndOfLifeResult(InlineFactor):
    """A recycler's (or take-back scheme's) footprint of treating the battery, as they report it.

    Per piece (one battery) or per kg of battery treated. ``includesCredits`` says whether the
    value nets credits for the secondary materials it yields: a cut-off ruleset gives no credits,
    so such a value cannot be used under it (reported, never silently mixed).
    """

    value: Annotated[
        Quantity,
        QuantityField(Dimension.EMISSION_PER_ITEM, Dimension.EMISSION_PER_MASS, signed=True),
    ]
    """E.g. "150 kg CO2e/piece" or "0.4 kg CO2e/kg"."""
    includes_credits: Annotated[bool, Strict()]
    """True when the value nets recycling credits (avoided virgin material)."""
    standard: Text | None = None
    """Method followed, e.g. "PEF CFF (A = 0.2)", "ISO 14067:2018"."""
    reference: Text | None = None
    """Identifier of the recycler's record (report number, PACT id ...)."""


class EndOfLifeTreatment(WireModel):
    """End-of-life treatment of the whole battery: an activity of its own, in the end-of-life stage.

    Regulation (EU) 2023/1542 Annex II point 4(d) (end of life and recycling); the draft DA 2024
    models battery dismantling and recycling as parts of the battery-specific CFF. Give either a
    treatment factor per kg treated (``emissionFactor``, e.g. from a dataset) or the recycler's
    own result (``supplierResult``); not a bill-of-materials line (the battery is not a material
    of itself).
    """

    id: LineId
    process: EndOfLifeProcess
    mass: Mass | None = None
    """Mass treated; defaults to the battery mass."""
    emission_factor: MassFactorSpec | None = None
    """Emissions of the treatment per kg of battery treated."""
    supplier_result: EndOfLifeResult | None = None
    """The treatment operator's own footprint of treating this battery."""
    operator: Party | None = None
    """Who treats the battery (recycler, take-back scheme)."""
    country: CountryCode | None = None
    """Where the treatment takes place."""
    uncertainty: Uncertainty | None = None
    """Spread of the treated mass."""
