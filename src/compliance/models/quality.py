"""Data quality of inventory data: PEF data quality ratings."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from compliance.models.base import WireModel

__all__ = ["DataQuality", "GwpSetId"]

_Rating = Annotated[float, Field(ge=1, le=5, strict=True)]

GwpSetId = Annotated[
    str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$", examples=["ipcc-ar6-gwp100"])
]
"""Id of a GWP100 characterisation set, e.g. ``ipcc-ar6-gwp100`` or ``ipcc-ar5-gwp100``."""


class DataQuality(WireModel):
    """PEF data quality ratings, 1 (very good) to 5 (very poor).

    Recommendation (EU) 2021/2279 Annex I, data quality requirements:
    DQR = (TeR + GeR + TiR + P) / 4.
    Ouranos/ABtC exchanges carry TeR, GeR and TiR only, so P is optional.
    """

    ter: _Rating
    """Technological representativeness."""
    ger: _Rating
    """Geographical representativeness."""
    tir: _Rating
    """Time representativeness."""
    p: _Rating | None = None
    """Precision."""
