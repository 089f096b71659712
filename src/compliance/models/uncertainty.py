"""Declared uncertainty of a factor or an activity amount, as a distribution of a multiplier.

Each distribution describes the ratio between the true value and the declared value (median or
mean 1), so it is independent of units. The Monte Carlo analysis of the CFP calculator samples these
multipliers; factors without a declaration get a lognormal spread derived from their data-quality
rating through the ruleset's table (if the ruleset has one). A spread declared on a supplier
footprint covers the whole footprint: its stage parts move together (one draw).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from compliance.models.base import WireModel

__all__ = [
    "LognormalUncertainty",
    "NormalUncertainty",
    "TriangularUncertainty",
    "Uncertainty",
    "UniformUncertainty",
]

MAX_MULTIPLIER = 1000.0
"""Largest multiplier a uniform or triangular spread may reach: a true value a thousand times the
declared one is a different value, not an uncertainty (and the Monte Carlo sums stay finite)."""

_Positive = Annotated[float, Field(gt=0, le=MAX_MULTIPLIER, strict=True)]
_Low = Annotated[float, Field(ge=0, le=MAX_MULTIPLIER, strict=True)]


class LognormalUncertainty(WireModel):
    """Lognormal with median 1 and geometric standard deviation (ecoinvent-style GSD)."""

    distribution: Literal["lognormal"]
    geometric_sd: Annotated[float, Field(ge=1, le=100, strict=True)]
    """GSD, e.g. 1.2 (95 % of values between 1/1.44 and 1.44 times the declared value)."""


class NormalUncertainty(WireModel):
    """Normal with mean 1 and a relative standard deviation, truncated at 0.

    Sampled as the truncated normal (negative draws are redrawn, never clipped to 0); with
    ``s`` the relative sd its mean is ``1 + s phi(1/s) / Phi(1/s)`` (1.063 for s = 0.6).
    """

    distribution: Literal["normal"]
    relative_sd: Annotated[float, Field(ge=0, le=10, strict=True)]


class UniformUncertainty(WireModel):
    """Uniform between two multipliers of the declared value."""

    distribution: Literal["uniform"]
    low: _Low
    high: _Positive


class TriangularUncertainty(WireModel):
    """Triangular between two multipliers with a mode (1 when the declared value is the mode)."""

    distribution: Literal["triangular"]
    low: _Low
    mode: _Positive
    high: _Positive


Uncertainty = Annotated[
    LognormalUncertainty | NormalUncertainty | UniformUncertainty | TriangularUncertainty,
    Field(discriminator="distribution"),
]
