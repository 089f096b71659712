"""Terms of plant and supply-chain activities.

Electricity, fuels, heat, process gases, transport and purchased components.

Electricity follows the ruleset's rule (draft DA 2024 section 2.4.1; JRC CFB-EV 2023 hierarchy);
direct gas emissions are characterised with the study's GWP set; transport is ``(goods +
packaging) t x km x factor`` per leg; purchased components are mapped to stages by process or by
the supplier's stage split (Annex II point 4: cell assembly is main production even at a cell
supplier).
"""

from __future__ import annotations

from compliance.cfp.cff import Emit
from compliance.cfp.declared import not_used
from compliance.cfp.gwp import GwpSet
from compliance.cfp.resolver import FactorResolver
from compliance.cfp.rulesets import CfpRuleset
from compliance.cfp.terms import FactorUse
from compliance.errors import Severity
from compliance.models import (
    ComponentProcess,
    ElectricitySource,
    ElectricityUse,
    EndOfLifeTreatment,
    FuelUse,
    HeatUse,
    LifecycleStage,
    ProcessEmission,
    PurchasedComponent,
    SupplierSubmission,
    TransportLeg,
)
from compliance.units import Dimension, Quantity

__all__ = [
    "component_terms",
    "electricity_terms",
    "end_of_life_terms",
    "fuel_terms",
    "heat_terms",
    "process_terms",
    "transport_terms",
]

_PER_ENERGY = (Dimension.EMISSION_PER_ENERGY,)
_PER_TKM = (Dimension.EMISSION_PER_TRANSPORT,)
_PER_MASS = (Dimension.EMISSION_PER_MASS,)
_EOL_RESULT = (Dimension.EMISSION_PER_ITEM, Dimension.EMISSION_PER_MASS)
_FUEL_FACTOR = {
    Dimension.ENERGY: Dimension.EMISSION_PER_ENERGY,
    Dimension.VOLUME: Dimension.EMISSION_PER_VOLUME,
    Dimension.MASS: Dimension.EMISSION_PER_MASS,
}
_CANONICAL = {d: d.canonical_unit for d in Dimension}


def _grid(
    use: ElectricityUse,
    pointer: str,
    sub: SupplierSubmission,
    resolver: FactorResolver,
    *,
    residual: bool,
) -> tuple[FactorUse | None, str]:
    """The grid factor of ``use``'s country, or its residual mix where the rule calls for it.

    JRC CFB-EV 2023 / PEF 2021: consumption not covered by accepted contractual instruments is
    modelled with the residual mix (factor ``residual.<country>`` of the ruleset's residual-mix
    dataset); the draft DA 2024 uses the national mix (``grid.<country>``).
    """
    rule = resolver.ruleset.electricity
    country = use.country or sub.plant.address.country
    if residual and rule.residual_dataset and resolver.library.get(rule.residual_dataset):
        found = resolver.reference(
            rule.residual_dataset, f"residual.{country}", pointer, _PER_ENERGY
        )
        return found, f"residual mix {country}"
    if residual:
        missing = (
            f"the residual-mix dataset {rule.residual_dataset!r} is not loaded"
            if rule.residual_dataset
            else "no residual-mix dataset is configured"
        )
        resolver.note(
            "cfp.residual-mix-unavailable",
            "",
            f"{resolver.ruleset.id} models electricity not covered by accepted instruments with "
            f"the residual mix, but {missing}; the grid mix is used. " + (rule.residual_note or ""),
            Severity.WARNING,
        )
    return resolver.reference(rule.grid_dataset, f"grid.{country}", pointer, _PER_ENERGY), (
        f"grid mix {country}"
    )


def electricity_terms(
    use: ElectricityUse,
    pointer: str,
    sub: SupplierSubmission,
    resolver: FactorResolver,
    emit: Emit,
) -> None:
    """One electricity line under the ruleset's electricity rule.

    Draft DA 2024 section 2.4.1 / JRC CFB-EV 2023 (see :class:`ElectricitySource`). What the
    rule leaves unused on the line (a grid line's own factor, an ignored instrument's factor,
    ``qualityCriteriaMet`` where the rule does not look at it, the country of a line that keeps
    its own factor) is reported at its pointer, never dropped silently.
    """
    rule = resolver.ruleset.electricity
    kwh = use.amount.magnitude
    source = use.source
    jrc_like = rule.contractual_instruments == "accept-if-quality-criteria"
    instrument = source is not ElectricitySource.GRID and source not in rule.specific_sources
    read = {"country"}
    if instrument and jrc_like:
        read.add("qualityCriteriaMet")
    factor: FactorUse | None = None
    label = ""
    if source in rule.specific_sources and use.emission_factor is not None:
        factor = resolver.spec(use.emission_factor, f"{pointer}/emissionFactor", _PER_ENERGY)
        label = f"specific factor kept ({resolver.ruleset.id})"
        read = {"emissionFactor"}
    elif source in rule.specific_sources:
        resolver.note(
            "cfp.specific-factor-missing",
            f"{pointer}/emissionFactor",
            f"{source.value} electricity without its own factor: grid mix used",
            Severity.WARNING,
        )
        factor, label = _grid(use, pointer, sub, resolver, residual=False)
    elif source is ElectricitySource.GRID:
        if use.emission_factor is not None:
            resolver.note(
                "cfp.input-not-used",
                f"{pointer}/emissionFactor",
                f"the line's own factor is not used: grid electricity is modelled with the "
                f"{'residual' if jrc_like else 'grid'} mix under {resolver.ruleset.id} "
                f"({rule.id}); declare the source (on-site, direct-line, ppa, "
                "guarantee-of-origin, supplier-specific) the factor belongs to",
                Severity.WARNING,
            )
        factor, label = _grid(use, pointer, sub, resolver, residual=jrc_like)
    else:
        accepted = rule.contractual_instruments == "accept" or (
            jrc_like and bool(use.quality_criteria_met)
        )
        if accepted and use.emission_factor is not None:
            factor = resolver.spec(use.emission_factor, f"{pointer}/emissionFactor", _PER_ENERGY)
            label = f"contractual instrument accepted ({resolver.ruleset.id})"
            read.discard("country")
            read.add("emissionFactor")
        else:
            reason = (
                "instruments are not accounted"
                if rule.contractual_instruments == "ignore"
                else "the PEF quality criteria are not declared met"
                if not use.quality_criteria_met
                else "no factor given"
            )
            given = use.emission_factor is not None
            resolver.note(
                "cfp.instrument-ignored",
                f"{pointer}/emissionFactor" if given else f"{pointer}/source",
                f"{source.value} electricity counted at the grid mix: {reason} under "
                f"{resolver.ruleset.id}" + ("; the line's own factor is not used" if given else ""),
                Severity.INFO,
            )
            factor, label = _grid(use, pointer, sub, resolver, residual=jrc_like)
    for issue in not_used(
        pointer,
        (
            ("qualityCriteriaMet", use.quality_criteria_met is not None),
            ("country", bool(use.country)),
        ),
        read,
        f"{source.value} electricity under {resolver.ruleset.id} ({rule.id}) does not depend on it",
    ):
        resolver.note(issue.code, issue.pointer, issue.message, issue.severity)
    if factor is not None:
        emit("electricity", use.stage, kwh, "kWh", factor, f"{source.value}: {label}")


def fuel_terms(use: FuelUse, pointer: str, resolver: FactorResolver, emit: Emit) -> None:
    """A fuel line: amount x factor in the amount's own dimension (energy, volume or mass)."""
    wanted = (_FUEL_FACTOR[use.amount.dimension],)
    factor = resolver.spec(use.emission_factor, f"{pointer}/emissionFactor", wanted)
    note = None
    if use.emission_factor is None:
        dataset = resolver.ruleset.defaults.fuel_dataset
        if dataset is None:
            resolver.error(
                "cfp.factor-missing",
                f"{pointer}/emissionFactor",
                f"no emission factor for {use.fuel.value} and no default dataset",
            )
            return
        factor = resolver.reference(dataset, use.fuel.value, f"{pointer}/emissionFactor", wanted)
        if factor is not None:
            note = f"default factor from {factor.dataset}"
            resolver.note(
                "cfp.default-factor",
                f"{pointer}/emissionFactor",
                f"{use.fuel.value}: {note} ({factor.source}); check its scope",
                Severity.WARNING,
            )
    if factor is not None:
        emit(
            "fuel", use.stage, use.amount.magnitude, _CANONICAL[use.amount.dimension], factor, note
        )


def heat_terms(use: HeatUse, pointer: str, resolver: FactorResolver, emit: Emit) -> None:
    """Purchased heat: amount x its factor (no default exists)."""
    factor = resolver.spec(use.emission_factor, f"{pointer}/emissionFactor", _PER_ENERGY)
    if use.emission_factor is None:
        resolver.error(
            "cfp.factor-missing",
            f"{pointer}/emissionFactor",
            "purchased heat needs its emission factor",
        )
    if factor is not None:
        emit("heat", use.stage, use.amount.magnitude, "kWh", factor, None)


def process_terms(
    line: ProcessEmission, pointer: str, gwp: GwpSet, resolver: FactorResolver, emit: Emit
) -> None:
    """A direct gas emission: mass of the gas x its GWP100 in the study's set."""
    value = gwp.values.get(line.gas)
    if value is None:
        resolver.error(
            "cfp.gwp-missing",
            f"{pointer}/gas",
            f"GWP set {gwp.label} has no value for {line.gas.value}",
        )
        return
    factor = FactorUse(
        value.gwp,
        "kg CO2e/kg",
        f"{gwp.label}#{line.gas.value}",
        f"{gwp.title}: GWP100 of {line.gas.value} = {value.gwp:g}",
        gwp.label,
        None,
        None,
        1.0,
        None,
    )
    emit("process", line.stage, line.mass.magnitude, "kg", factor, f"characterised with {gwp.id}")


def transport_terms(leg: TransportLeg, pointer: str, resolver: FactorResolver, emit: Emit) -> None:
    """(goods + packaging) in t x distance in km x factor per t.km."""
    tonnes = leg.mass.magnitude + (leg.packaging_mass.magnitude if leg.packaging_mass else 0)
    tkm = tonnes / 1000.0 * leg.distance.magnitude
    factor = resolver.spec(leg.emission_factor, f"{pointer}/emissionFactor", _PER_TKM)
    note = None
    if leg.emission_factor is None:
        dataset = resolver.ruleset.defaults.transport_dataset
        if dataset is None:
            resolver.error(
                "cfp.factor-missing",
                f"{pointer}/emissionFactor",
                f"no emission factor for this {leg.mode.value} leg and no default "
                "transport dataset: give emissionFactor (kg CO2e/tkm) or --factors",
            )
            return
        factor = resolver.reference(
            dataset, f"transport.{leg.mode.value}", f"{pointer}/emissionFactor", _PER_TKM
        )
        note = f"default factor from {dataset}"
    if factor is not None:
        emit("transport", leg.stage, tkm, "tkm", factor, note)


_SPLIT_FIELDS = (
    ("raw_material", "rawMaterial"),
    ("main_production", "mainProduction"),
    ("distribution", "distribution"),
    ("end_of_life", "endOfLife"),
)


def component_terms(
    comp: PurchasedComponent,
    pointer: str,
    resolver: FactorResolver,
    ruleset: CfpRuleset,
    emit: Emit,
) -> None:
    """A supplier PCF, mapped to stages by its split or by the supplier's process."""
    footprint = comp.footprint
    amount = comp.amount.magnitude
    unit = _CANONICAL[comp.amount.dimension]
    mapping = ruleset.component_stages
    primary = footprint.primary_data_share or 0.0
    whole = f"{pointer}/footprint"  # the stage parts of a split PCF are one uncertain quantity

    def use(value_key: str, given: Quantity, source: str) -> FactorUse:
        return FactorUse(
            given.magnitude,
            footprint.value.canonical_unit,
            value_key,
            source,
            None,
            given,
            footprint.data_quality,
            primary,
            footprint.uncertainty,
            whole,
        )

    split = footprint.stage_split
    if split is not None:
        resolver.note(
            "cfp.input-not-used",
            f"{pointer}/process",
            f"process is not used: the supplier's stage split maps the PCF of {comp.name!r} to "
            "stages (Annex II point 4)",
            Severity.INFO,
        )
        for name, alias in _SPLIT_FIELDS:
            part = getattr(split, name)
            if part is None:
                continue
            stage = mapping.split[name]  # type: ignore[index]
            emit(
                "component",
                stage,
                amount,
                unit,
                use(
                    f"{pointer}/footprint/stageSplit/{alias}",
                    part,
                    f"{footprint.source} (stage {alias})",
                ),
                f"supplier split {alias} -> {stage.value} (of the PCF {footprint.value})",
            )
        return
    stage = mapping.process[comp.process]
    if stage is LifecycleStage.MAIN_PRODUCTION or comp.process is ComponentProcess.OTHER:
        resolver.note(
            "cfp.component-split-missing",
            f"{pointer}/footprint/stageSplit",
            f"no stage split: the whole PCF of {comp.name!r} goes to {stage.value} by process "
            f"{comp.process.value!r}; upstream materials in it are not separated",
            Severity.WARNING,
        )
    emit(
        "component",
        stage,
        amount,
        unit,
        use(f"{pointer}/footprint/value", footprint.value, footprint.source),
        f"process {comp.process.value} -> {stage.value}",
    )


def end_of_life_terms(
    line: EndOfLifeTreatment,
    pointer: str,
    sub: SupplierSubmission,
    resolver: FactorResolver,
    emit: Emit,
) -> None:
    """End-of-life treatment of the whole battery, always in the end-of-life stage.

    Annex II point 4(d). A treatment factor applies per kg treated (the line's mass, else the
    battery mass); a recycler's result applies per piece (one battery) or per kg treated. A
    result that nets recycling credits cannot be used under a cut-off ruleset (which gives no
    credits): an error naming the field, never a silently mixed method.
    """
    mass = (line.mass or sub.battery.mass).magnitude
    basis = "line mass" if line.mass is not None else "battery mass"
    if line.supplier_result is not None:
        result = line.supplier_result
        where = f"{pointer}/supplierResult"
        if result.includes_credits and resolver.ruleset.cff.variant == "cut-off":
            resolver.error(
                "cfp.eol-credits-not-allowed",
                f"{where}/includesCredits",
                f"the recycler's result nets recycling credits, but {resolver.ruleset.id} "
                f"({resolver.ruleset.cff.id}) is cut-off and gives none; give the treatment "
                "burden without credits",
            )
            return
        factor = resolver.spec(result, where, _EOL_RESULT)
        if factor is None:
            return
        if result.value.dimension is Dimension.EMISSION_PER_ITEM:
            amount, unit, note = 1.0, "piece", "recycler's result per battery"
            if line.mass is not None:
                resolver.note(
                    "cfp.input-not-used",
                    f"{pointer}/mass",
                    "mass is not used: the recycler's result is per battery (piece)",
                    Severity.INFO,
                )
        else:
            amount, unit, note = mass, "kg", f"recycler's result per kg x {basis}"
        credits = "incl. credits" if result.includes_credits else "burden only"
        emit("end-of-life", LifecycleStage.END_OF_LIFE, amount, unit, factor, f"{note} ({credits})")
        return
    factor = resolver.spec(line.emission_factor, f"{pointer}/emissionFactor", _PER_MASS)
    if line.emission_factor is None:
        resolver.error(
            "cfp.factor-missing",
            f"{pointer}/emissionFactor",
            f"end-of-life treatment {line.process.value!r} needs emissionFactor "
            "(kg CO2e/kg treated) or supplierResult",
        )
    if factor is not None:
        emit(
            "end-of-life",
            LifecycleStage.END_OF_LIFE,
            mass,
            "kg",
            factor,
            f"{line.process.value} treatment x {basis}",
        )
