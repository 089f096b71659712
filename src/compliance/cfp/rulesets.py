"""CFP rulesets: the regulatory choices of a calculation method, as versioned data.

A ruleset file (``rules/cfp/rulesets/<id>.yaml``) names its references and effective dates and
carries every choice that differs between methods or is still unsettled: the functional-unit
strategy and its tables, the electricity rule, the Circular Footprint Formula variant and default
parameters, the GWP set, the stage mapping of purchased components, default factor datasets, the
performance-class table and data-quality levels. The calculator interprets it; no method-specific
constant lives in code. Every result records the ruleset id and version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated, Literal, get_args

from pydantic import Field, PrivateAttr

from compliance.errors import ComplianceError, Issue
from compliance.models import BatteryCategory, ComponentProcess, ElectricitySource, LifecycleStage
from compliance.models.base import IsoDate, RuleModel
from compliance.models.quantity import QuantityField
from compliance.resources import list_resources, read_resource_bytes
from compliance.units import Dimension, Quantity
from compliance.validation.documents import load_document

__all__ = [
    "CHOICE_AXES",
    "CfpRuleset",
    "ChoiceAxis",
    "ChoiceError",
    "ChoiceOrigin",
    "RulesetError",
    "RulesetProvenance",
    "UnknownRulesetError",
    "available_rulesets",
    "compose_ruleset",
    "load_ruleset",
    "parse_ruleset",
]

RULESET_DIR = "rules/cfp/rulesets"
RULESET_SCHEMA = "schemas/cfp-ruleset/1.0.0/schema.json"
_Share = Annotated[float, Field(ge=0, le=1)]
ChoiceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$")]
"""Name of one method choice (unique per axis across the bundled rulesets)."""

ChoiceAxis = Literal[
    "functional-unit",
    "electricity",
    "end-of-life",
    "gwp",
    "component-stages",
    "default-datasets",
]
"""The unsettled method choices a ruleset composes; each can be overridden on its own."""

CHOICE_AXES: dict[ChoiceAxis, str] = {
    "functional-unit": "functional_unit",
    "electricity": "electricity",
    "end-of-life": "cff",
    "gwp": "gwp",
    "component-stages": "component_stages",
    "default-datasets": "defaults",
}
"""Each choice axis and the ruleset section holding it."""


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

    id: ChoiceId
    declared_unit: str
    """What the declared value is per, in words (e.g. Art. 7(1)(d)'s wording)."""
    strategy: Literal["lifetime-energy", "vehicle-consumption", "rated-capacity"]
    source: str | None = None
    energy_basis: Literal["usable", "nominal"] = "usable"
    cycles_per_year: SourcedTable | None = None
    km_per_year: SourcedTable | None = None
    service_life: Literal["shorter-of-warranties"] = "shorter-of-warranties"
    lifetime_years_default: SourcedValue | None = None


class ElectricityRule(RuleModel):
    """Which electricity keeps a specific factor and what the rest is modelled with."""

    id: ChoiceId
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

    id: ChoiceId
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

    id: ChoiceId
    set: str
    source: str
    tolerated_datasets: tuple[ToleratedDataset, ...] = ()


class ComponentStages(RuleModel):
    """Stage of a purchased component's PCF by the supplier's process, and of split parts."""

    id: ChoiceId
    source: str
    process: dict[ComponentProcess, LifecycleStage]
    split: dict[
        Literal["raw_material", "main_production", "distribution", "end_of_life"], LifecycleStage
    ]
    split_source: str | None = None


class DatasetDefaults(RuleModel):
    """Factor datasets used for lines that do not give a factor."""

    id: ChoiceId = "no-default-datasets"
    source: str | None = None
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
    functional_unit: FunctionalUnitRule
    electricity: ElectricityRule
    cff: CffRule
    gwp: GwpRule
    component_stages: ComponentStages
    defaults: DatasetDefaults = DatasetDefaults()
    performance_classes: PerformanceClasses
    data_quality: DataQualityRule
    plausibility: Plausibility | None = None

    _provenance: RulesetProvenance | None = PrivateAttr(default=None)

    @property
    def declared_unit(self) -> str:
        """What the declared value is per (from the functional-unit choice)."""
        return self.functional_unit.declared_unit

    @property
    def provenance(self) -> RulesetProvenance:
        """Where the ruleset comes from, its digest and the origin of each choice."""
        if self._provenance is None:
            return RulesetProvenance(origin="constructed in code", sha256=None)
        return self._provenance

    def with_provenance(self, provenance: RulesetProvenance) -> CfpRuleset:
        """This ruleset carrying ``provenance`` (rulesets are immutable: a copy)."""
        copy = self.model_copy()
        copy._provenance = provenance
        return copy

    def choice(self, axis: ChoiceAxis) -> ChoiceBlock:
        """The block of one choice axis."""
        block: ChoiceBlock = getattr(self, CHOICE_AXES[axis])
        return block


ChoiceBlock = (
    FunctionalUnitRule | ElectricityRule | CffRule | GwpRule | ComponentStages | (DatasetDefaults)
)


@dataclass(frozen=True, slots=True)
class ChoiceOrigin:
    """Where the block of one overridden choice comes from."""

    axis: ChoiceAxis
    choice: str
    ruleset: str
    """Id of the ruleset the block was taken from."""


@dataclass(frozen=True, slots=True)
class RulesetProvenance:
    """Where a ruleset was read from, the SHA-256 of its bytes, and any overridden choices."""

    origin: str
    """``bundled <path>``, ``file <name>`` or ``constructed in code``."""
    sha256: str | None
    overrides: tuple[ChoiceOrigin, ...] = field(default=())

    def override(self, axis: ChoiceAxis) -> ChoiceOrigin | None:
        """The override of ``axis``, if any."""
        return next((o for o in self.overrides if o.axis == axis), None)


class RulesetError(ComplianceError, ValueError):
    """A ruleset file is broken (the issues say where)."""

    def __init__(self, name: str, issues: list[Issue]) -> None:
        super().__init__(f"ruleset {name!r} is invalid: {issues[0].pointer} {issues[0].message}")
        self.name = name
        self.issues = issues


class ChoiceError(ComplianceError, LookupError):
    """An override names an unknown choice axis or choice."""


class UnknownRulesetError(ComplianceError, LookupError):
    """No bundled ruleset has this id."""

    def __init__(self, ruleset_id: str, known: list[str]) -> None:
        super().__init__(f"unknown ruleset {ruleset_id!r}; available: {', '.join(known)}")
        self.ruleset_id = ruleset_id
        self.known = known


def parse_ruleset(data: bytes, name: str, *, origin: str | None = None) -> CfpRuleset:
    """Parse a ruleset file (YAML or JSON) against the published ``cfp-ruleset`` schema.

    The result carries the SHA-256 of ``data`` and its origin (``file <name>`` unless given),
    which every result records.

    Raises:
        RulesetError: with every located issue.
    """
    ruleset, issues = load_document(data, name=name, model=CfpRuleset, schema=RULESET_SCHEMA)
    if ruleset is None:
        raise RulesetError(name, issues)
    provenance = RulesetProvenance(origin or f"file {name}", hashlib.sha256(data).hexdigest())
    return ruleset.with_provenance(provenance)


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
    ruleset = parse_ruleset(read_resource_bytes(name), name, origin=f"bundled {name}")
    if ruleset.id != ruleset_id:
        raise RulesetError(name, [Issue("rules.id-mismatch", "/id", "id differs from file name")])
    return ruleset


def _catalogue(rulesets: Iterable[CfpRuleset]) -> dict[tuple[ChoiceAxis, str], CfpRuleset]:
    found: dict[tuple[ChoiceAxis, str], CfpRuleset] = {}
    for ruleset in rulesets:
        for axis in CHOICE_AXES:
            found.setdefault((axis, ruleset.choice(axis).id), ruleset)
    return found


def compose_ruleset(
    base: CfpRuleset,
    overrides: Mapping[str, str],
    catalogue: Iterable[CfpRuleset] | None = None,
) -> CfpRuleset:
    """``base`` with some method choices replaced by named choices of other rulesets.

    ``overrides`` maps a choice axis (``functional-unit``, ``electricity``, ``end-of-life``,
    ``gwp``, ``component-stages``, ``default-datasets``) to a choice id, looked up in
    ``catalogue`` (default: ``base`` and the bundled rulesets). The result records every
    override (axis, choice, ruleset it came from) next to the base's own origin and digest.

    Raises:
        ChoiceError: an unknown axis or choice (the message lists the known ones).
    """
    if not overrides:
        return base
    if catalogue is None:
        catalogue = [base, *(load_ruleset(r) for r in available_rulesets())]
    known = _catalogue([base, *catalogue])
    update: dict[str, object] = {}
    origins: list[ChoiceOrigin] = []
    for axis_name, choice_id in overrides.items():
        if axis_name not in CHOICE_AXES:
            raise ChoiceError(
                f"unknown method choice {axis_name!r}; choices: {', '.join(get_args(ChoiceAxis))}"
            )
        axis: ChoiceAxis = axis_name  # narrowed by the membership test above
        source = known.get((axis, choice_id))
        if source is None:
            ids = sorted(c for a, c in known if a == axis)
            raise ChoiceError(f"unknown {axis} choice {choice_id!r}; available: {', '.join(ids)}")
        if choice_id == base.choice(axis).id:
            continue
        update[CHOICE_AXES[axis]] = source.choice(axis)
        origins.append(ChoiceOrigin(axis, choice_id, source.id))
    composed = base.model_copy(update=update)
    own = base.provenance
    return composed.with_provenance(
        RulesetProvenance(own.origin, own.sha256, (*own.overrides, *origins))
    )
