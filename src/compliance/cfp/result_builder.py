"""Turn an inventory of terms and a functional unit into a :class:`CfpResult`.

Aggregation (stage sums, per-FU values, shares), data quality (aggregate DQR of the most
relevant processes, coverage, primary-data share), performance class and maximum threshold from
the ruleset's table, plausibility envelope, the trace and the uncertainty/sensitivity analyses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from compliance.cfp.data_quality import PEF_AGGREGATION, aggregate_dqr, dqr_of, process_id
from compliance.cfp.functional_unit import FunctionalUnit
from compliance.cfp.gwp import GwpSet
from compliance.cfp.inventory import Inventory
from compliance.cfp.result import (
    STAGE_ORDER,
    CfpResult,
    ChoiceRef,
    DataQualityDefinitions,
    DataQualityResult,
    DatasetRef,
    DqrCriteria,
    FunctionalUnitResult,
    GwpRef,
    LevelBand,
    Measure,
    PerformanceClassResult,
    RulesetRef,
    StageResult,
    ThresholdResult,
    TraceEntry,
)
from compliance.cfp.rulesets import CHOICE_AXES, CfpRuleset
from compliance.cfp.uncertainty import (
    factor_spread,
    line_spread,
    monte_carlo_analysis,
    sensitivity_analysis,
    variance_analysis,
)
from compliance.errors import Issue, Layer, Severity
from compliance.models import LifecycleStage, SupplierSubmission
from compliance.models.quality import DataQuality

__all__ = ["build_result"]

KG = "kg CO2e"
PER_KWH = "kg CO2e/kWh"


def _m(value: float, unit: str) -> Measure:
    return Measure(value=value, unit=unit)


def _fu_result(fu: FunctionalUnit) -> FunctionalUnitResult:
    return FunctionalUnitResult(
        strategy=fu.strategy,
        energy=_m(fu.energy_kwh, "kWh"),
        unit_label=fu.unit_label,
        derivation=fu.derivation,
        basis_energy=_m(fu.basis_energy_kwh, "kWh") if fu.basis_energy_kwh is not None else None,
        energy_basis=fu.energy_basis,
        cycles_per_year=fu.cycles_per_year,
        service_life=(
            _m(fu.service_life_years, "year") if fu.service_life_years is not None else None
        ),
        service_life_basis=fu.service_life_basis,
        vehicle_consumption=(
            _m(fu.consumption_kwh_per_km, "kWh/km")
            if fu.consumption_kwh_per_km is not None
            else None
        ),
        lifetime_distance=(
            _m(fu.lifetime_distance_km, "km") if fu.lifetime_distance_km is not None else None
        ),
        overrides=fu.overrides,
    )


_DEFINITIONS = DataQualityDefinitions(
    process=(
        "one factor (trace factorKey) in one life-cycle stage; its emissions are the sum of "
        "the absolute contributions of its terms (trace process)"
    ),
    dqr=(
        "rank the processes by emissions, largest first (ties by factor key, then stage); "
        "aggregate the first ones "
        "until together they reach mostRelevantShare of the gross emissions (all of them for "
        "method all-rated-processes); DQR = emission-weighted mean, over the aggregated "
        "processes with a rating, of each one's DQR (the mean of the criteria it gives); "
        "criteria = emission-weighted mean of each criterion over the processes that give "
        "it; exact decimal arithmetic (ratings as written, emissions as binary doubles)"
    ),
    level="the first ruleset band whose upper bound the DQR does not exceed (exact)",
    coverage=(
        "sum of |contribution| of the terms whose factor has data quality criteria / sum of "
        "|contribution| of all terms (gross emissions)"
    ),
    primary_data_share=(
        "sum of |contribution| x primaryShare over all terms / sum of |contribution| of all "
        "terms (gross emissions)"
    ),
)


def _criteria(quality: DataQuality | None) -> DqrCriteria | None:
    if quality is None:
        return None
    return DqrCriteria(ter=quality.ter, ger=quality.ger, tir=quality.tir, p=quality.p)


def _data_quality(inventory: Inventory, ruleset: CfpRuleset) -> DataQualityResult:
    """Aggregate DQR (:mod:`compliance.cfp.data_quality`), coverage and primary-data share.

    Engine definitions (the draft DA's exact ones are [U]): a term's primary share is its
    factor's (1 for directly measured process gases and supplier-specific factors, the declared
    primaryDataShare for supplier PCFs, 0 for secondary data).
    """
    rule = ruleset.data_quality
    how = rule.aggregation or PEF_AGGREGATION
    found = aggregate_dqr(inventory.process_weights, inventory.qualities, rule)
    criteria = {k: float(v) for k, v in found.criteria.items()}
    gross = inventory.gross
    return DataQualityResult(
        dqr=float(found.dqr) if found.dqr is not None else None,
        level=found.level,
        coverage=float(found.coverage),
        primary_data_share=inventory.primary / gross if gross else 0.0,
        method=how.method,
        criteria=DqrCriteria(**criteria) if criteria else None,
        most_relevant_share=how.most_relevant_share if how.method == "pef-most-relevant" else None,
        most_relevant=found.most_relevant,
        rated_share_of_most_relevant=float(found.rated_share_of_most_relevant),
        source=how.source,
        levels=tuple(LevelBand(max=lv.max, level=lv.level) for lv in rule.levels),
        definitions=_DEFINITIONS,
        deviations=found.deviations,
    )


def _performance(
    ruleset: CfpRuleset, per_unit: float, as_of: date
) -> tuple[PerformanceClassResult, ThresholdResult]:
    """Performance class (Art. 7(2)) and maximum-threshold check (Art. 7(3)).

    The class is the first of the latest table in force on ``as_of`` whose upper bound the
    declared value does not exceed.
    """
    table = ruleset.performance_classes
    in_force = [b for b in table.table if b.effective_from <= as_of]
    if table.status != "published" or not in_force:
        status = table.status if table.status != "published" else "not-yet-in-force"
        klass = PerformanceClassResult(status=status, source=table.source)
    else:
        start = max(b.effective_from for b in in_force)
        bounds = sorted(
            (b for b in in_force if b.effective_from == start),
            key=lambda b: b.upper_bound.magnitude,
        )
        label = next((b.label for b in bounds if per_unit <= b.upper_bound.magnitude), None)
        klass = PerformanceClassResult(
            status="assigned" if label else "above-all-classes",
            label=label,
            table_effective_from=start,
            source=table.source,
        )
    threshold = table.max_threshold
    if threshold is None:
        limit = ThresholdResult(status="not-published")
    elif threshold.effective_from > as_of:
        limit = ThresholdResult(
            status="not-yet-in-force", limit=_m(threshold.limit.magnitude, PER_KWH)
        )
    else:
        limit = ThresholdResult(
            status="checked",
            limit=_m(threshold.limit.magnitude, PER_KWH),
            compliant=per_unit <= threshold.limit.magnitude,
        )
    return klass, limit


def _data_type(primary: float) -> str:
    return "primary" if primary >= 1 else "secondary" if primary <= 0 else "partly primary"


def _trace(inventory: Inventory, ruleset: CfpRuleset) -> tuple[TraceEntry, ...]:
    entries = []
    for term in inventory.terms:
        line = inventory.lines[term.line]
        factor = term.factor
        given = factor.quantity
        activity = line.activity
        entries.append(
            TraceEntry(
                pointer=line.pointer,
                line_id=line.line_id,
                label=line.label,
                kind=term.kind,
                stage=term.stage,
                activity_as_given=_m(activity.value, activity.unit) if activity else None,
                amount=_m(term.amount, term.amount_unit),
                factor=_m(factor.value, factor.unit),
                factor_as_given=_m(given.value, given.unit) if given is not None else None,
                factor_source=factor.source,
                factor_key=factor.key,
                dataset=factor.dataset,
                contribution=_m(term.amount * factor.value, KG),
                rule=None if term.note is None else str(term.note),
                process=process_id(factor.key, term.stage),
                factor_quantity=factor.spread_key,
                data_quality=_criteria(factor.quality),
                dqr=float(d) if (d := dqr_of(factor.quality)) is not None else None,
                primary_share=factor.primary,
                data_type=_data_type(factor.primary),
                factor_spread=(
                    spread.result()
                    if (spread := factor_spread(factor, ruleset)) is not None
                    else None
                ),
                activity_spread=(
                    spread.result() if (spread := line_spread(line)) is not None else None
                ),
                line_details=dict(line.details) if line.details else None,
            )
        )
    return tuple(entries)


def _stages(totals: dict[LifecycleStage, float], fu_kwh: float) -> tuple[StageResult, ...]:
    total = sum(totals.values())
    return tuple(
        StageResult(
            stage=stage,
            absolute=_m(totals[stage], KG),
            per_unit=_m(totals[stage] / fu_kwh, PER_KWH),
            share=totals[stage] / total if total > 0 else None,
        )
        for stage in STAGE_ORDER
    )


def _ruleset_ref(ruleset: CfpRuleset) -> RulesetRef:
    """The ruleset's identity, origin, digest and each choice with where it came from."""
    provenance = ruleset.provenance
    choices = []
    for axis in CHOICE_AXES:
        block = ruleset.choice(axis)
        override = provenance.override(axis)
        origin = (
            f"ruleset {ruleset.id}"
            if override is None
            else f"override from ruleset {override.ruleset}"
        )
        choices.append(ChoiceRef(axis=axis, id=block.id, origin=origin, source=block.source))
    return RulesetRef(
        id=ruleset.id,
        version=ruleset.version,
        title=ruleset.title,
        status=ruleset.status,
        origin=provenance.origin,
        sha256=provenance.sha256,
        choices=tuple(choices),
    )


def _nominal_kwh(sub: SupplierSubmission) -> float:
    battery = sub.battery
    if battery.nominal_energy is not None:
        return battery.nominal_energy.magnitude
    return battery.rated_capacity.magnitude * battery.nominal_voltage.magnitude / 1000.0


def build_result(
    sub: SupplierSubmission,
    ruleset: CfpRuleset,
    gwp: GwpSet,
    inventory: Inventory,
    fu: FunctionalUnit,
    as_of: date,
    *,
    version: str,
    trace: bool,
    monte_carlo: int,
    seed: int,
    sensitivity: bool,
    issues: Sequence[Issue],
    input_sha256: str | None = None,
) -> tuple[CfpResult, list[Issue]]:
    """Assemble the result; returns it with the issues found while assembling."""
    more: list[Issue] = []
    totals = inventory.totals()
    total = sum(totals.values())
    per_unit = total / fu.energy_kwh
    gate = totals[LifecycleStage.RAW_MATERIAL] + totals[LifecycleStage.MAIN_PRODUCTION]
    plausible = ruleset.plausibility
    if (
        plausible is not None
        and not plausible.per_unit_range[0] <= per_unit <= plausible.per_unit_range[1]
    ):
        low, high = plausible.per_unit_range
        more.append(
            Issue(
                "cfp.outside-envelope",
                "",
                f"the declared value {per_unit:.4g} "
                f"{PER_KWH} is outside the plausible {low:g}-{high:g} "
                f"({plausible.source}); review the inputs",
                Severity.WARNING,
                Layer.RULE,
            )
        )
    klass, threshold = _performance(ruleset, per_unit, as_of)
    uncertainty = (
        monte_carlo_analysis(inventory, ruleset, fu.energy_kwh, samples=monte_carlo, seed=seed)
        if monte_carlo > 0
        else None
    )
    ranking = sensitivity_analysis(inventory, fu.energy_kwh, total) if sensitivity else None
    variance = (
        variance_analysis(inventory, ruleset, fu.energy_kwh)
        if sensitivity or monte_carlo > 0
        else None
    )
    datasets = [inventory.datasets[k] for k in sorted(inventory.datasets)]
    all_issues: list[dict[str, Any]] = [i.to_dict() for i in (*issues, *more)]
    result = CfpResult(
        engine_version=version,
        input_sha256=input_sha256,
        submission_id=sub.submission_id,
        reporting_period=sub.reporting_period,
        ruleset=_ruleset_ref(ruleset),
        gwp_set=GwpRef(id=gwp.id, version=gwp.version, title=gwp.title),
        datasets=tuple(
            DatasetRef(
                id=d.id,
                version=d.version,
                title=d.title,
                licence=d.licence,
                licence_url=d.licence_url,
                attribution=d.attribution,
                gwp_set=d.gwp_set,
                origin=d.origin,
                sha256=d.sha256,
                imported_from=d.imported_from,
            )
            for d in datasets
        ),
        as_of=as_of,
        battery_model=sub.battery.model_identifier,
        category=sub.battery.category.value,
        declared_unit=ruleset.declared_unit,
        functional_unit=_fu_result(fu),
        stages=_stages(totals, fu.energy_kwh),
        total=_m(total, KG),
        total_per_unit=_m(per_unit, PER_KWH),
        cradle_to_gate_per_nominal_energy=_m(gate / _nominal_kwh(sub), PER_KWH),
        data_quality=_data_quality(inventory, ruleset),
        performance_class=klass,
        max_threshold=threshold,
        uncertainty=uncertainty,
        sensitivity=ranking,
        variance_sensitivity=variance,
        trace=_trace(inventory, ruleset) if trace else None,
        issues=tuple(all_issues),
    )
    return result, more
