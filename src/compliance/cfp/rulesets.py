"""CFP rulesets: the regulatory choices of a calculation method, as versioned data.

A ruleset file (``rules/cfp/rulesets/<id>.yaml``) names its references and effective dates and
carries every choice that differs between methods or is still unsettled: the functional-unit
strategy and its tables, the electricity rule, the Circular Footprint Formula variant and default
parameters, the GWP set, the stage mapping of purchased components, default factor datasets, the
performance-class table and data-quality levels. The calculator interprets it; no method-specific
constant lives in code. Every result records the ruleset id and version.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field

from compliance.errors import ComplianceError, Issue
from compliance.models import BatteryCategory, ComponentProcess, ElectricitySource, LifecycleStage
from compliance.models.base import IsoDate, RuleModel
from compliance.models.quantity import QuantityField
from compliance.resources import list_resources, read_resource_bytes
from compliance.units import Dimension, Quantity
from compliance.validation.documents import load_document

__all__ = [
    "CfpRuleset",
    "RulesetError",
    "UnknownRulesetError",
    "available_rulesets",
    "load_ruleset",
    "parse_ruleset",
]

RULESET_DIR = "rules/cfp/rulesets"
_Share = Annotated[float, Field(ge=0, le=1)]


class Reference(RuleModel):
    """A source the ruleset relies on, with the confidence it was checked with."""

    id: str
    title: str
    url: str | None = None
    locator: str | None = None
    confidence: Literal["V", "K", "U"]
    """V verified in a source, K from knowledge, U unresolved (shared/docs conventions)."""


class SourcedTable(RuleModel):
    """Values keyed by a name (vehicle class ...), with where they come from."""

    source: str
    values: dict[str, float]


class SourcedValue(RuleModel):
    """One value with where it comes from."""

    source: str
    value: float


class FunctionalUnitRule(RuleModel):
    """How the functional unit (the energy the footprint is divided by) is derived."""

    strategy: Literal["lifetime-energy", "vehicle-consumption", "rated-capacity"]
    source: str | None = None
    energy_basis: Literal["usable", "nominal"] = "usable"
    cycles_per_year: SourcedTable | None = None
    km_per_year: SourcedTable | None = None
    service_life: Literal["shorter-of-warranties"] = "shorter-of-warranties"
    lifetime_years_default: SourcedValue | None = None


class ElectricityRule(RuleModel):
    """Which electricity keeps a specific factor and what the rest is modelled with."""

    source: str
    specific_sources: tuple[ElectricitySource, ...]
    """Sources that keep their own factor (on-site generation, direct lines ...)."""
    contractual_instruments: Literal["ignore", "accept-if-quality-criteria", "accept"]
    """PPAs, guarantees of origin and supplier-specific products not listed above."""
    grid_dataset: str
    grid_basis_note: str | None = None
    residual_dataset: str | None = None
    """Residual-mix dataset for consumption not covered by accepted instruments (JRC/PEF)."""
    residual_note: str | None = None


class CffDefaults(RuleModel):
    """Circular Footprint Formula parameters used when a material line does not give them."""

    recycled_content: _Share
    allocation_factor: _Share
    energy_recovery_allocation_factor: _Share
    recycling_output_rate: _Share
    energy_recovery_rate: _Share
    quality_ratio_input: _Share
    quality_ratio_output: _Share


class CffRule(RuleModel):
    """CFF variant: the PEF formula, or cut-off (A = 1 for every material)."""

    source: str
    variant: Literal["pef-cff", "cut-off"]
    defaults: CffDefaults
    defaults_source: str


class ToleratedDataset(RuleModel):
    """A factor dataset characterised with another GWP set that the ruleset accepts, reported."""

    dataset: str
    justification: str


class GwpRule(RuleModel):
    """The one GWP100 set of every study under this ruleset."""

    set: str
    source: str
    tolerated_datasets: tuple[ToleratedDataset, ...] = ()


class ComponentStages(RuleModel):
    """Stage of a purchased component's PCF by the supplier's process, and of split parts."""

    source: str
    process: dict[ComponentProcess, LifecycleStage]
    split: dict[
        Literal["raw_material", "main_production", "distribution", "end_of_life"], LifecycleStage
    ]
    split_source: str | None = None


class DatasetDefaults(RuleModel):
    """Factor datasets used for lines that do not give a factor."""

    fuel_dataset: str | None = None
    transport_dataset: str | None = None


PerUnit = Annotated[Quantity, QuantityField(Dimension.EMISSION_PER_ENERGY)]


class ClassBound(RuleModel):
    """Upper bound (inclusive) of a performance class, per functional unit."""

    label: str
    upper_bound: PerUnit
    effective_from: IsoDate


class MaxThreshold(RuleModel):
    """Maximum life-cycle carbon footprint (Art. 7(3)), per functional unit."""

    limit: PerUnit
    effective_from: IsoDate
    source: str


class PerformanceClasses(RuleModel):
    """Performance classes (Art. 7(2)) and maximum threshold (Art. 7(3)) where published."""

    status: Literal["not-published", "not-applicable", "published"]
    source: str
    table: tuple[ClassBound, ...] = ()
    max_threshold: MaxThreshold | None = None


class Level(RuleModel):
    """A named band of a rating, up to and including ``max``."""

    max: float
    level: str


class GsdLevel(RuleModel):
    """Lognormal geometric standard deviation used up to a DQR value."""

    max: float
    gsd: Annotated[float, Field(ge=1)]


class GsdTable(RuleModel):
    """DQR-derived spreads for the Monte Carlo analysis."""

    source: str
    levels: tuple[GsdLevel, ...]


class DqrAggregation(RuleModel):
    """How the footprint's aggregate DQR is formed from the DQRs of its processes."""

    method: Literal["pef-most-relevant", "all-rated-processes"]
    """``pef-most-relevant``: contribution-weighted criteria of the most relevant processes
    (Recommendation (EU) 2021/2279 Annex I section 4.6.5); ``all-rated-processes``: of every
    process with a rating (an engine deviation, labelled in the result)."""
    most_relevant_share: Annotated[float, Field(gt=0, le=1)] = 0.8
    """Cumulative share of the gross emissions the most relevant processes reach (PEF: 80 %)."""
    source: str


class DataQualityRule(RuleModel):
    """Data quality rating levels and the spreads derived from them."""

    source: str
    levels: tuple[Level, ...]
    uncertainty_gsd: GsdTable | None = None
    aggregation: DqrAggregation | None = None
    """Aggregate DQR method; absent: the PEF most-relevant-process procedure (80 %)."""


class Plausibility(RuleModel):
    """Range of the declared value outside which a result is flagged for review."""

    per_unit_range: tuple[float, float]
    source: str


class CfpRuleset(RuleModel):
    """A complete CFP calculation method."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
    version: str
    title: str
    status: Literal["draft", "adopted", "superseded"]
    jurisdiction: str
    references: tuple[Reference, ...]
    effective_from: IsoDate
    effective_until: IsoDate | None = None
    categories: tuple[BatteryCategory, ...]
    declared_unit: str
    functional_unit: FunctionalUnitRule
    electricity: ElectricityRule
    cff: CffRule
    gwp: GwpRule
    component_stages: ComponentStages
    defaults: DatasetDefaults = DatasetDefaults()
    performance_classes: PerformanceClasses
    data_quality: DataQualityRule
    plausibility: Plausibility | None = None


class RulesetError(ComplianceError, ValueError):
    """A ruleset file is broken (the issues say where)."""

    def __init__(self, name: str, issues: list[Issue]) -> None:
        super().__init__(f"ruleset {name!r} is invalid: {issues[0].pointer} {issues[0].message}")
        self.name = name
        self.issues = issues


class UnknownRulesetError(ComplianceError, LookupError):
    """No bundled ruleset has this id."""

    def __init__(self, ruleset_id: str, known: list[str]) -> None:
        super().__init__(f"unknown ruleset {ruleset_id!r}; available: {', '.join(known)}")
        self.ruleset_id = ruleset_id
        self.known = known


def parse_ruleset(data: bytes, name: str) -> CfpRuleset:
    """Parse a ruleset file (YAML or JSON).

    Raises:
        RulesetError: with every located issue.
    """
    ruleset, issues = load_document(data, name=name, model=CfpRuleset)
    if ruleset is None:
        raise RulesetError(name, issues)
    return ruleset


def available_rulesets() -> list[str]:
    """Ids of the bundled rulesets."""
    return [n.rsplit(".", 1)[0] for n in list_resources(RULESET_DIR, (".yaml", ".yml", ".json"))]


@lru_cache(maxsize=16)
def load_ruleset(ruleset_id: str) -> CfpRuleset:
    """A bundled ruleset by id (cached).

    Raises:
        UnknownRulesetError: No such ruleset.
        RulesetError: The bundled file is broken.
    """
    known = available_rulesets()
    if ruleset_id not in known:
        raise UnknownRulesetError(ruleset_id, known)
    name = f"{RULESET_DIR}/{ruleset_id}.yaml"
    ruleset = parse_ruleset(read_resource_bytes(name), name)
    if ruleset.id != ruleset_id:
        raise RulesetError(name, [Issue("rules.id-mismatch", "/id", "id differs from file name")])
    return ruleset
