"""``CfpResult``: what a carbon-footprint calculation produced, how, and with what.

Every number carries its unit (``{"value", "unit"}``); every result names the ruleset, the GWP
set and the factor datasets (id, version, licence) that produced it, the functional-unit
derivation and, when requested, a trace of every term and the uncertainty analysis.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from compliance.models import LifecycleStage, Period
from compliance.models.base import WireModel

__all__ = [
    "CfpResult",
    "ChoiceRef",
    "DataQualityResult",
    "DatasetRef",
    "FunctionalUnitResult",
    "Measure",
    "PerformanceClassResult",
    "SensitivityEntry",
    "StageResult",
    "ThresholdResult",
    "TraceEntry",
    "UncertaintyResult",
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


class DataQualityResult(WireModel):
    """Emission-weighted DQR of the lines that declare data quality, and its coverage."""

    dqr: float | None
    level: str | None
    coverage: float
    """Share of the gross emissions (sum of absolute contributions) with a DQR."""
    primary_data_share: float
    """Share of the gross emissions resting on primary (company-specific) data."""
    method: str


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
    trace: tuple[TraceEntry, ...] | None = None
    issues: tuple[dict[str, Any], ...] = ()

    def stage(self, stage: LifecycleStage) -> StageResult:
        """The result of one stage."""
        return next(s for s in self.stages if s.stage is stage)
