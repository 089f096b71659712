"""The battery model's identity and ratings, and its warranty."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, Strict

from compliance.models.base import LongText, Text, WireModel
from compliance.models.quantity import QuantityField
from compliance.units import Dimension, Quantity

__all__ = [
    "Battery",
    "BatteryCategory",
    "Chemistry",
    "EnergyBasis",
    "FunctionalUnitDeclaration",
    "VehicleClass",
    "Warranty",
]


class BatteryCategory(StrEnum):
    """Battery categories with carbon-footprint and passport obligations.

    Regulation (EU) 2023/1542 Art. 7(1) (carbon footprint) and Art. 77(1) (passport) cover EV
    batteries, LMT batteries and industrial batteries above 2 kWh (definitions in Art. 3).
    Stationary battery energy storage systems are industrial batteries; they are a separate value
    because the Battery Pass 1.2.0 ``batteryCategory`` enum and the Annex XIII applicability
    (e.g. Annex VII Part B) treat them apart.
    """

    EV = "ev"
    """Electric-vehicle battery."""
    LMT = "lmt"
    """Light means of transport battery, e.g. e-bikes and e-scooters."""
    INDUSTRIAL = "industrial"
    """Industrial battery."""
    STATIONARY = "stationary"
    """Stationary battery energy storage system (an industrial battery)."""
    SLI = "sli"
    """Starting, lighting and ignition battery (Art. 3(1)(12)). No carbon-footprint (Art. 7) or
    passport (Art. 77) obligation; recycled content (Art. 8) applies."""


class VehicleClass(StrEnum):
    """Vehicle category of an EV battery (Regulation (EU) 2018/858 Art. 4; (EU) 168/2013 for L).

    Selects the full equivalent cycles per year of the draft delegated act's functional unit
    (M1, N1: 60; L: 20; M2, M3, N2, N3: 250).
    """

    M1 = "M1"
    N1 = "N1"
    L = "L"
    M2 = "M2"
    M3 = "M3"
    N2 = "N2"
    N3 = "N3"


class Chemistry(StrEnum):
    """Cell chemistry (Annex VI Part A(7); Annex XIII 1(a))."""

    NMC111 = "NMC111"
    NMC532 = "NMC532"
    NMC622 = "NMC622"
    NMC811 = "NMC811"
    NMCA = "NMCA"
    NCA = "NCA"
    LFP = "LFP"
    LMFP = "LMFP"
    LMO = "LMO"
    LCO = "LCO"
    LTO = "LTO"
    SODIUM_ION = "sodium-ion"
    NIMH = "NiMH"
    LEAD_ACID = "lead-acid"
    OTHER = "other"


class Warranty(WireModel):
    """Commercial warranty of the battery; its duration is the service life of the draft DA's FU.

    When both are given, the distance is converted to years with the ruleset's constant and the
    shorter applies (draft delegated act 2024, functional unit).
    """

    period: Annotated[Quantity, QuantityField(Dimension.TIME)] | None = None
    """Warranty duration, e.g. "8 year"."""
    distance: Annotated[Quantity, QuantityField(Dimension.LENGTH)] | None = None
    """Warranty mileage, e.g. "160 000 km"."""


class Battery(WireModel):
    """Identity and ratings of the battery model (one model from one plant)."""

    model_identifier: Text
    """Manufacturer's unique model identifier (Annex VI Part A(2))."""
    model_name: Text | None = None
    category: BatteryCategory
    vehicle_class: VehicleClass | None = None
    """Required for EV batteries (functional unit)."""
    external_storage_only: Annotated[bool, Strict()] | None = None
    """Industrial battery with exclusively external storage (later Art. 7 dates)."""
    chemistry: Chemistry
    chemistry_description: Text | None = None
    """Free description; required when chemistry is "other"."""
    mass: Annotated[Quantity, QuantityField(Dimension.MASS)]
    """Battery weight (Annex VI Part A(5))."""
    rated_capacity: Annotated[Quantity, QuantityField(Dimension.CHARGE)]
    """Rated capacity in Ah (Annex VI Part A(6))."""
    nominal_voltage: Annotated[Quantity, QuantityField(Dimension.VOLTAGE)]
    nominal_energy: Annotated[Quantity, QuantityField(Dimension.ENERGY)] | None = None
    """Nominal energy; when absent it is rated capacity x nominal voltage."""
    usable_energy_bol: Annotated[Quantity, QuantityField(Dimension.ENERGY)]
    """Usable energy at beginning of life (BMS window). The draft DA's functional unit uses this,
    never the nominal energy."""


class EnergyBasis(StrEnum):
    """Which energy the lifetime-energy functional unit starts from."""

    USABLE = "usable"
    """Usable energy at beginning of life (draft DA 2024: always this)."""
    NOMINAL = "nominal"
    """Nominal energy: only as an explicit, justified and reported override."""


class FunctionalUnitDeclaration(WireModel):
    """The manufacturer's functional-unit inputs and justified overrides.

    Draft delegated act 2024: the functional unit is the usable BoL energy x full equivalent
    cycles per year (by vehicle class) x service life (warranty years; a km warranty converted
    with the ruleset constant, the shorter applying). For vehicles outside the listed classes the
    manufacturer picks the most appropriate cycles-per-year value and justifies it in the public
    study; any override here needs ``justification`` and is reported in the result.
    """

    energy_basis: EnergyBasis = EnergyBasis.USABLE
    cycles_per_year: Annotated[float, Field(ge=1e-15, le=10000, strict=True)] | None = None
    """Override of the full equivalent cycles per year."""
    service_life: Annotated[Quantity, QuantityField(Dimension.TIME)] | None = None
    """Override of the service life (otherwise from the warranty)."""
    vehicle_consumption: Annotated[Quantity, QuantityField(Dimension.ENERGY_PER_LENGTH)] | None = (
        None
    )
    """Vehicle energy consumption, e.g. "0.18 kWh/km" (consumption-based functional units)."""
    lifetime_distance: Annotated[Quantity, QuantityField(Dimension.LENGTH)] | None = None
    """Lifetime mileage for consumption-based functional units."""
    justification: LongText | None = None
    """Why an override applies; required with any override."""
