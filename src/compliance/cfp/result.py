"""``CfpResult``: what a carbon-footprint calculation produced, how, and with what.

Every number carries its unit (``{"value", "unit"}``); every result names the ruleset, the GWP
set and the factor datasets (id, version, licence) that produced it, the functional-unit
derivation and, when requested, a trace of every term and the uncertainty analysis.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from compliance.cfp.datasets import DatasetSource
from compliance.models import LifecycleStage, Period, Uncertainty
from compliance.models.base import WireModel

__all__ = [
    "CfpResult",
    "ChoiceRef",
    "DataQualityDefinitions",
    "DataQualityResult",
    "DatasetRef",
    "DqrCriteria",
    "FunctionalUnitResult",
    "Measure",
    "PerformanceClassResult",
    "SensitivityEntry",
    "SpreadResult",
    "StageResult",
    "ThresholdResult",
    "TraceEntry",
    "UncertaintyResult",
    "VarianceEntry",
    "VarianceSensitivity",
]

STAGE_ORDER = (
    LifecycleStage.RAW_MATERIAL,
    LifecycleStage.MAIN_PRODUCTION,
    LifecycleStage.DISTRIBUTION,
    LifecycleStage.END_OF_LIFE,
)


class Measure(WireModel):
    """A computed value with its unit."""

    value: float
    unit: str


class ChoiceRef(WireModel):
    """One method choice of the calculation and where it came from."""

    axis: str
    """``functional-unit``, ``electricity``, ``end-of-life``, ``gwp``, ``component-stages`` or
    ``default-datasets``."""
    id: str
    origin: str
    """``ruleset <id>`` (the ruleset's own choice) or ``override from ruleset <id>``."""
    source: str | None
    """The rule text the choice cites."""


class RulesetRef(WireModel):
    """The ruleset a result was computed with, its origin and digest, and its choices."""

    id: str
    version: str
    title: str
    status: str
    origin: str
    """``bundled <path>``, ``file <name>`` or ``constructed in code``."""
    sha256: str | None
    """SHA-256 of the ruleset file's bytes."""
    choices: tuple[ChoiceRef, ...]


class GwpRef(WireModel):
    """The GWP100 set of the study."""

    id: str
    version: str
    title: str


class DatasetRef(WireModel):
    """A factor dataset used by the result."""

    id: str
    version: str
    title: str
    licence: str
    licence_url: str | None = None
    attribution: str | None = None
    gwp_set: str
    origin: str
    """``bundled <path>``, ``file <name>`` or ``constructed in code``."""
    sha256: str | None
    """SHA-256 of the dataset file's bytes."""
    imported_from: tuple[DatasetSource, ...] = ()
    """The LCA-database exports an imported dataset was converted from (file, digest, layout,
    indicator, declared database)."""


class FunctionalUnitResult(WireModel):
    """The functional unit and how it was derived."""

    strategy: str
    energy: Measure
    unit_label: str
    derivation: str
    basis_energy: Measure | None = None
    energy_basis: str | None = None
    cycles_per_year: float | None = None
    service_life: Measure | None = None
    service_life_basis: str | None = None
    vehicle_consumption: Measure | None = None
    lifetime_distance: Measure | None = None
    overrides: tuple[str, ...] = ()


class StageResult(WireModel):
    """One life-cycle stage: absolute, per functional unit, share of the total."""

    stage: LifecycleStage
    absolute: Measure
    per_unit: Measure
    share: float | None
    """Share of the total (negative for end-of-life credits); ``None`` if the total is <= 0."""


class DqrCriteria(WireModel):
    """PEF data quality criteria, 1 (very good) to 5 (very poor)."""

    ter: float
    ger: float
    tir: float
    p: float | None = None


class LevelBand(WireModel):
    """A DQR band of the ruleset, up to and including ``max``."""

    max: float
    level: str


class DataQualityDefinitions(WireModel):
    """How each data-quality figure is defined, so that it can be recomputed from the trace."""

    process: str
    dqr: str
    level: str
    coverage: str
    primary_data_share: str


class DataQualityResult(WireModel):
    """Aggregate DQR of the footprint, its coverage and its primary-data share."""

    dqr: float | None
    level: str | None
    coverage: float
    """Share of the gross emissions (sum of absolute contributions) with a DQR."""
    primary_data_share: float
    """Share of the gross emissions resting on primary (company-specific) data."""
    method: str
    criteria: DqrCriteria | None = None
    """The aggregated criteria the DQR is the mean of."""
    most_relevant_share: float | None = None
    """Cumulative share of the gross emissions the aggregated processes reach (PEF: 0.8)."""
    most_relevant: tuple[str, ...] = ()
    """The processes aggregated (trace ``process`` ids), largest first."""
    rated_share_of_most_relevant: float | None = None
    """Share of the aggregated processes' emissions that carries a rating."""
    source: str | None = None
    levels: tuple[LevelBand, ...] = ()
    """The ruleset's bands the level is read from."""
    definitions: DataQualityDefinitions | None = None
    deviations: tuple[str, ...] = ()
    """Where the aggregation departs from the PEF method, and why."""


class PerformanceClassResult(WireModel):
    """Performance class (Art. 7(2)) where a class table is configured."""

    status: str
    label: str | None = None
    table_effective_from: date | None = None
    source: str


class ThresholdResult(WireModel):
    """Maximum-threshold check (Art. 7(3)) where a threshold is configured."""

    status: str
    limit: Measure | None = None
    compliant: bool | None = None


class SpreadResult(WireModel):
    """The spread of one uncertain multiplier (of a factor quantity or an activity amount)."""

    distribution: Uncertainty
    basis: str
    """``declared``, or how it was derived (DQR band of the ruleset's table)."""
    mean: float
    variance: float


class TraceEntry(WireModel):
    """One term: which line, which factor, which conversion, which rule, how much."""

    pointer: str
    line_id: str
    label: str
    kind: str
    stage: LifecycleStage
    activity_as_given: Measure | None
    amount: Measure
    factor: Measure
    factor_as_given: Measure | None
    factor_source: str
    factor_key: str
    dataset: str | None
    contribution: Measure
    rule: str | None
    process: str | None = None
    """The process of the aggregate DQR this term belongs to (factor key @ stage)."""
    factor_quantity: str | None = None
    """The uncertain quantity the factor is (part of): terms with the same one share one
    Monte Carlo draw and one sensitivity entry (the stage parts of a split supplier PCF share
    their footprint's); the activity amount's is the line ``pointer``."""
    data_quality: DqrCriteria | None = None
    """The factor's PEF criteria, as given."""
    dqr: float | None = None
    primary_share: float = 0.0
    """Share of primary (company-specific) data behind the factor, 0 to 1."""
    data_type: str | None = None
    """``primary``, ``secondary`` or ``partly primary`` (from ``primary_share``)."""
    factor_spread: SpreadResult | None = None
    activity_spread: SpreadResult | None = None
    line_details: dict[str, str] | None = None
    """What the line declares to identify it: category, CAS number, supplier, origin,
    the supplier PCF's standard and reference, the end-of-life operator ..."""


class UncertaintyResult(WireModel):
    """Monte Carlo percentiles of the declared value (per functional unit)."""

    method: str
    samples: int
    seed: int
    unit: str
    mean: float
    sd: float
    percentiles: dict[str, float]
    varied: str
    """Which inputs were varied and how (declared spreads, DQR-derived spreads)."""


class SensitivityEntry(WireModel):
    """Change of the declared value when one input rises by ``step`` (one at a time)."""

    target: str
    label: str
    kind: str
    delta_per_unit: Measure
    share_of_total: float
    method: str = "one-at-a-time"
    step: float = 0.1
    """Relative rise of the input (0.1: +10 %)."""


class VarianceEntry(WireModel):
    """One uncertain quantity's part of the variance of the declared value."""

    target: str
    label: str
    kind: str
    first_order_variance: float
    """Its first-order part of the variance, (kg CO2e/kWh)^2."""
    first_order_index: float
    total_effect_index: float


class VarianceSensitivity(WireModel):
    """Variance-based sensitivity: contribution of each uncertain quantity to the variance."""

    method: str
    definition: str
    unit: str
    mean: Measure
    sd: Measure
    """Closed-form mean and standard deviation of the declared value under the spreads."""
    interactions: float
    """Share of the variance from interactions (uncertain factor x uncertain amount)."""
    entries: tuple[VarianceEntry, ...]


class CfpResult(WireModel):
    """The carbon footprint of one battery model from one plant."""

    engine_version: str
    input_sha256: str | None = None
    """SHA-256 of the submission document's bytes, when the caller read them."""
    submission_id: str | None = None
    """The supplier's reference of the submission."""
    reporting_period: Period | None = None
    """Period the activity data were measured over, as declared."""
    ruleset: RulesetRef
    gwp_set: GwpRef
    datasets: tuple[DatasetRef, ...]
    as_of: date
    battery_model: str
    category: str
    declared_unit: str
    functional_unit: FunctionalUnitResult
    stages: tuple[StageResult, ...]
    total: Measure
    total_per_unit: Measure
    cradle_to_gate_per_nominal_energy: Measure
    """(raw material + main production) per kWh of nominal energy: the quantity published
    studies report (sanity envelope about 54-115 kg CO2e/kWh)."""
    data_quality: DataQualityResult
    performance_class: PerformanceClassResult
    max_threshold: ThresholdResult
    uncertainty: UncertaintyResult | None = None
    sensitivity: tuple[SensitivityEntry, ...] | None = None
    variance_sensitivity: VarianceSensitivity | None = None
    trace: tuple[TraceEntry, ...] | None = None
    issues: tuple[dict[str, Any], ...] = ()

    def stage(self, stage: LifecycleStage) -> StageResult:
        """The result of one stage."""
        return next(s for s in self.stages if s.stage is stage)
