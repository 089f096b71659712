"""The battery model's identity and ratings, and its warranty."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Strict

from compliance.models.base import Text, WireModel
from compliance.models.quantity import QuantityField
from compliance.units import Dimension, Quantity

__all__ = ["Battery", "BatteryCategory", "Chemistry", "VehicleClass", "Warranty"]


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
