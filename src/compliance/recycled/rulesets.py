"""Recycled-content rulesets and compound reference data (Regulation (EU) 2023/1542 Art. 8).

A version directory ``rules/recycled/<version>/`` holds ``ruleset.yaml`` (which shares count,
chain-of-custody models, rounding, the scope and the Art. 8(2)/(3) targets with their dates)
and ``compounds.yaml`` (stoichiometric element contents of common compounds). The calculation
method is not adopted yet (Art. 8(1) second subparagraph): every choice is data, and every result
records the ruleset id, version and the SHA-256 of both files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field

from compliance.errors import ComplianceError, Issue
from compliance.models import BatteryCategory, ChainOfCustody, MaterialCategory, RecoveredElement
from compliance.models.base import IsoDate, RuleModel
from compliance.models.quantity import QuantityField
from compliance.resources import list_resource_dirs, list_resources, read_resource_bytes
from compliance.units import Dimension, Quantity
from compliance.validation.documents import load_document

__all__ = [
    "Compound",
    "CompoundTable",
    "ElementRule",
    "LoadedRuleset",
    "RecycledRuleset",
    "RecycledRulesetError",
    "Target",
    "available_recycled_versions",
    "load_recycled_ruleset",
    "parse_recycled_ruleset",
]

RULES_DIR = "rules/recycled"
_Share = Annotated[float, Field(ge=0, le=1)]


class Reference(RuleModel):
    """A source the ruleset relies on, with the confidence it was checked with (V, K, U)."""

    id: str
    title: str
    url: str | None = None
    confidence: Literal["V", "K", "U"]


class ElementRule(RuleModel):
    """Which lines an element's share is computed over."""

    basis: Literal["active-materials", "battery"]
    """``active-materials``: lines of the active-material categories only; ``battery``: every line
    that states the element."""


class ElementRules(RuleModel):
    """The basis of each Art. 8 element."""

    cobalt: ElementRule
    lead: ElementRule
    lithium: ElementRule
    nickel: ElementRule
    source: str

    def of(self, element: RecoveredElement) -> ElementRule:
        """The rule of one element."""
        rule: ElementRule = getattr(self, element.value)
        return rule


class Counted(RuleModel):
    """Which recycled shares count towards the Art. 8 share."""

    pre_consumer: bool
    post_consumer: bool
    unclassified: bool
    """The part of a total recycled share not split into pre- and post-consumer."""
    source: str


class CustodyRule(RuleModel):
    """Chain-of-custody models accepted for a recycled share."""

    accepted: tuple[ChainOfCustody, ...]
    unstated: Literal["accept", "exclude"]
    source: str


class EvidenceRule(RuleModel):
    """What happens to a recycled share without evidence."""

    unevidenced: Literal["warn", "exclude"]
    source: str


class Rounding(RuleModel):
    """How shares are reported and compared."""

    percent_decimals: Annotated[int, Field(ge=0, le=6)]
    compare: Literal["exact", "rounded"]
    source: str


class Scope(RuleModel):
    """Art. 8 scope limits beyond the category list."""

    industrial_min_energy: Annotated[Quantity, QuantityField(Dimension.ENERGY)]
    """Industrial (and stationary) batteries are covered above this capacity."""
    source: str


class Documentation(RuleModel):
    """Art. 8(1): from when the recycled-content documentation is required."""

    paragraph: str
    applies_from: IsoDate
    condition: str
    categories: tuple[BatteryCategory, ...]


class Target(RuleModel):
    """A minimum share per element from a date (Art. 8(2), 8(3))."""

    id: str
    paragraph: str
    applies_from: IsoDate
    categories: tuple[BatteryCategory, ...]
    minimums: dict[RecoveredElement, _Share]
    source: str


class RecycledRuleset(RuleModel):
    """The regulatory choices of a recycled-content calculation."""

    id: str
    version: str
    title: str
    status: str
    references: tuple[Reference, ...]
    compounds: str
    """File name of the compound table in the same version directory."""
    elements: ElementRules
    active_material_categories: tuple[MaterialCategory, ...]
    active_material_source: str
    counted: Counted
    chain_of_custody: CustodyRule
    evidence: EvidenceRule
    stoichiometric_tolerance: Annotated[float, Field(ge=0, le=1)]
    """Relative margin a stated content may exceed the compound's stoichiometric fraction by."""
    stoichiometric_tolerance_source: str
    rounding: Rounding
    declared_tolerance_points: Annotated[float, Field(ge=0, le=100)]
    """Percentage points a declared share may exceed the computed one by."""
    declared_tolerance_source: str
    scope: Scope
    documentation: Documentation
    targets: tuple[Target, ...]


class Compound(RuleModel):
    """A compound and the stoichiometric mass fraction of each Art. 8 element in it."""

    id: str
    name: str
    formula: dict[str, float | str]
    """Atoms per formula unit (fractions as ``"1/3"``); documentation, checked by a test."""
    mass_fractions: dict[RecoveredElement, _Share]


class AtomicWeights(RuleModel):
    """The atomic weights the mass fractions were computed with."""

    source: str
    values: dict[str, float]


class CompoundTable(RuleModel):
    """``compounds.yaml``: the reference element contents."""

    version: str
    atomic_weights: AtomicWeights
    compounds: tuple[Compound, ...]

    def get(self, compound_id: str) -> Compound | None:
        """The compound with this id, if listed."""
        return next((c for c in self.compounds if c.id == compound_id), None)


@dataclass(frozen=True, slots=True)
class LoadedRuleset:
    """A ruleset with its compound table and where both came from."""

    ruleset: RecycledRuleset
    compounds: CompoundTable
    ruleset_sha256: str
    compounds_sha256: str
    origin: str


class RecycledRulesetError(ComplianceError, ValueError):
    """A recycled-content ruleset or compound file is invalid or unknown."""

    def __init__(self, name: str, issues: list[Issue]) -> None:
        self.name = name
        self.issues = issues
        detail = "; ".join(f"{i.pointer or '/'}: {i.message}" for i in issues[:5])
        super().__init__(f"{name}: {detail}")


def parse_recycled_ruleset(
    ruleset: bytes, compounds: bytes, *, name: str, compounds_name: str, origin: str
) -> LoadedRuleset:
    """Validate a ruleset and its compound table (both YAML or JSON).

    Raises:
        RecycledRulesetError: Either file is invalid (located issues).
    """
    parsed, issues = load_document(ruleset, name=name, model=RecycledRuleset)
    if parsed is None:
        raise RecycledRulesetError(name, issues)
    table, issues = load_document(compounds, name=compounds_name, model=CompoundTable)
    if table is None:
        raise RecycledRulesetError(compounds_name, issues)
    return LoadedRuleset(
        parsed,
        table,
        hashlib.sha256(ruleset).hexdigest(),
        hashlib.sha256(compounds).hexdigest(),
        origin,
    )


def available_recycled_versions() -> list[str]:
    """The bundled ruleset versions (directory names under ``rules/recycled``)."""
    return list_resource_dirs(RULES_DIR)


@lru_cache(maxsize=8)
def load_recycled_ruleset(version: str = "1.0.0") -> LoadedRuleset:
    """The bundled ruleset of a version (``rules/recycled/<version>/``).

    Raises:
        RecycledRulesetError: Unknown version or an invalid bundled file.
    """
    known = available_recycled_versions()
    if version not in known:
        raise RecycledRulesetError(
            version,
            [
                Issue(
                    "recycled.ruleset-unknown",
                    "",
                    f"no recycled-content ruleset version {version!r}; known: {', '.join(known)}",
                )
            ],
        )
    base = f"{RULES_DIR}/{version}"
    names = list_resources(base, (".yaml",))
    if "ruleset.yaml" not in names:
        raise RecycledRulesetError(base, [Issue("recycled.ruleset-unknown", "", "no ruleset.yaml")])
    data = read_resource_bytes(f"{base}/ruleset.yaml")
    ruleset, issues = load_document(data, name=f"{base}/ruleset.yaml", model=RecycledRuleset)
    if ruleset is None:
        raise RecycledRulesetError(f"{base}/ruleset.yaml", issues)
    compounds = read_resource_bytes(f"{base}/{ruleset.compounds}")
    return parse_recycled_ruleset(
        data,
        compounds,
        name=f"{base}/ruleset.yaml",
        compounds_name=f"{base}/{ruleset.compounds}",
        origin=f"bundled {base}",
    )
