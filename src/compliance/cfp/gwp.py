"""GWP100 characterisation sets (IPCC AR6, AR5) as versioned data files.

Direct process emissions are given as masses of each gas and characterised here with the one GWP
set of the study (``rules/cfp/gwp/<id>.yaml``); a study never mixes sets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from compliance.errors import ComplianceError
from compliance.models import Gas
from compliance.models.base import RuleModel
from compliance.resources import list_resources, read_resource_bytes
from compliance.validation.documents import load_document

__all__ = ["GwpSet", "GwpValue", "UnknownGwpSetError", "available_gwp_sets", "load_gwp_set"]

GWP_DIR = "rules/cfp/gwp"


class GwpValue(RuleModel):
    """GWP100 of one gas, with the confidence it was checked with."""

    gwp: float
    confidence: Literal["V", "K", "U"]
    note: str | None = None


class GwpSet(RuleModel):
    """A GWP100 set: kg CO2e per kg of each gas."""

    id: str
    version: str
    title: str
    source: str
    values: dict[Gas, GwpValue]

    @property
    def label(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"


class UnknownGwpSetError(ComplianceError, LookupError):
    """No bundled GWP set has this id."""

    def __init__(self, set_id: str, known: list[str]) -> None:
        super().__init__(f"unknown GWP set {set_id!r}; available: {', '.join(known)}")
        self.set_id = set_id
        self.known = known


def available_gwp_sets() -> list[str]:
    """Ids of the bundled GWP sets."""
    return [n.rsplit(".", 1)[0] for n in list_resources(GWP_DIR, (".yaml",))]


@lru_cache(maxsize=8)
def load_gwp_set(set_id: str) -> GwpSet:
    """A bundled GWP set by id (cached).

    Raises:
        UnknownGwpSetError: No such set.
        ComplianceError: The bundled file is broken.
    """
    known = available_gwp_sets()
    if set_id not in known:
        raise UnknownGwpSetError(set_id, known)
    name = f"{GWP_DIR}/{set_id}.yaml"
    gwp_set, issues = load_document(read_resource_bytes(name), name=name, model=GwpSet)
    if gwp_set is None:
        raise ComplianceError(f"GWP set file {name} is invalid: {issues[0].message}")
    return gwp_set
