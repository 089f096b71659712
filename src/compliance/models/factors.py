"""Emission factors on inventory lines: inline (value + source) or a reference into a dataset.

Every factor is either

* **inline**: ``{"value": "8.2 kg CO2e/kg", "source": "Supplier EPD S-P-01234 (2024)"}``; a
  number without a citable source is not accepted (this is a compliance tool), or
* **a reference**: ``{"dataset": "open-factors", "factorId": "aluminium.primary.global"}``, resolved
  against a factor dataset passed to the calculator (its id, version and licence are recorded in
  every result).

Each use site declares the dimension of factor it needs (per kg, per kWh, per t·km ...), so a
factor of the wrong dimension is a located unit error at validation time.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Strict, Tag

from compliance.models.base import IsoDate, LongText, WireModel
from compliance.models.quality import DataQuality, GwpSetId
from compliance.models.quantity import QuantityField
from compliance.models.uncertainty import Uncertainty
from compliance.units import Dimension, Quantity

__all__ = [
    "ComponentFootprintValue",
    "EnergyFactor",
    "EnergyFactorSpec",
    "FactorReference",
    "FuelFactor",
    "FuelFactorSpec",
    "InlineFactor",
    "MassFactor",
    "MassFactorSpec",
    "TransportFactor",
    "TransportFactorSpec",
]

_DATASET_ID = r"^[a-z0-9][a-z0-9._-]{0,63}$"
_FACTOR_ID = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$"


class FactorReference(WireModel):
    """A factor looked up in a factor dataset by id."""

    dataset: Annotated[str, Field(pattern=_DATASET_ID, examples=["open-factors"])]
    """Dataset id (lower-case), e.g. ``open-factors``."""
    factor_id: Annotated[str, Field(pattern=_FACTOR_ID)]
    """Id of the factor inside the dataset."""
    version: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\S+$")] | None = None
    """Pin a dataset version; otherwise the version passed to the calculator is used."""


class InlineFactor(WireModel):
    """Provenance, quality and uncertainty shared by all inline factors."""

    source: LongText
    """Citation of the factor: document, dataset and version, or EPD number."""
    valid_from: IsoDate | None = None
    valid_until: IsoDate | None = None
    gwp_set: GwpSetId | None = None
    """GWP100 set the factor was characterised with; must match the study's set."""
    primary_data: Annotated[bool, Strict()] | None = None
    """True when the factor is supplier-specific (primary) data, e.g. from the supplier's EPD."""
    data_quality: DataQuality | None = None
    uncertainty: Uncertainty | None = None
    """Spread of the factor (as a multiplier of the declared value)."""


class MassFactor(InlineFactor):
    """An inline emission factor per mass of material."""

    value: Annotated[Quantity, QuantityField(Dimension.EMISSION_PER_MASS, signed=True)]
    """E.g. "8.2 kg CO2e/kg"."""


class EnergyFactor(InlineFactor):
    """An inline emission factor per energy (electricity, heat, substituted energy)."""

    value: Annotated[Quantity, QuantityField(Dimension.EMISSION_PER_ENERGY, signed=True)]
    """E.g. "381 g CO2e/kWh"."""


class FuelFactor(InlineFactor):
    """An inline fuel emission factor per energy, volume or mass (matching the fuel amount)."""

    value: Annotated[
        Quantity,
        QuantityField(
            Dimension.EMISSION_PER_ENERGY,
            Dimension.EMISSION_PER_VOLUME,
            Dimension.EMISSION_PER_MASS,
            signed=True,
        ),
    ]
    """E.g. "0.0561 kg CO2e/MJ" or "2.0 kg CO2e/Nm3"."""


class TransportFactor(InlineFactor):
    """An inline emission factor per tonne-kilometre."""

    value: Annotated[Quantity, QuantityField(Dimension.EMISSION_PER_TRANSPORT, signed=True)]
    """E.g. "0.062 kg CO2e/tkm"."""


ComponentFootprintValue = Annotated[
    Quantity,
    QuantityField(
        Dimension.EMISSION_PER_ITEM,
        Dimension.EMISSION_PER_MASS,
        Dimension.EMISSION_PER_ENERGY,
        signed=True,
    ),
]
"""A product carbon footprint per declared unit: per piece, per kg or per kWh."""


def _factor_kind(value: Any) -> str:
    if isinstance(value, FactorReference):
        return "reference"
    if isinstance(value, dict) and ("factorId" in value or "factor_id" in value):
        return "reference"
    return "inline"


_Ref = Annotated[FactorReference, Tag("reference")]

MassFactorSpec = Annotated[Annotated[MassFactor, Tag("inline")] | _Ref, Discriminator(_factor_kind)]
EnergyFactorSpec = Annotated[
    Annotated[EnergyFactor, Tag("inline")] | _Ref, Discriminator(_factor_kind)
]
FuelFactorSpec = Annotated[Annotated[FuelFactor, Tag("inline")] | _Ref, Discriminator(_factor_kind)]
TransportFactorSpec = Annotated[
    Annotated[TransportFactor, Tag("inline")] | _Ref, Discriminator(_factor_kind)
]
