"""Resolve a submission into terms: the inventory of a CFP calculation."""

from __future__ import annotations

from datetime import date

from compliance.cfp.activities import (
    component_terms,
    electricity_terms,
    end_of_life_terms,
    fuel_terms,
    heat_terms,
    process_terms,
    transport_terms,
)
from compliance.cfp.cff import Emit, material_terms
from compliance.cfp.datasets import FactorDataset, FactorLibrary
from compliance.cfp.declared import DeclaredLine, details_of
from compliance.cfp.gwp import GwpSet
from compliance.cfp.resolver import FactorResolver
from compliance.cfp.rulesets import CfpRuleset
from compliance.cfp.terms import FactorUse, LineRef, Note, Term
from compliance.errors import Issue, Severity
from compliance.models import (
    ElectricityUse,
    FuelUse,
    LifecycleStage,
    SupplierSubmission,
    Uncertainty,
)
from compliance.models.quality import DataQuality
from compliance.units import Dimension, Quantity

__all__ = ["Inventory", "build_inventory"]

_PER_MASS = (Dimension.EMISSION_PER_MASS,)
_PER_UNIT = {
    Dimension.ITEMS: Dimension.EMISSION_PER_ITEM,
    Dimension.MASS: Dimension.EMISSION_PER_MASS,
    Dimension.ENERGY: Dimension.EMISSION_PER_ENERGY,
}


class Inventory:
    """The terms of a submission under a ruleset, the lines they come from, and running sums.

    Stage totals and the data-quality sums are accumulated as terms are emitted, in input
    order, whether or not the terms themselves are kept (``keep_terms``): the fast path (no
    trace, no uncertainty analysis) and the traced path give the same numbers by construction.
    """

    def __init__(self, *, keep_terms: bool = True) -> None:
        self.keep_terms = keep_terms
        self.lines: list[LineRef] = []
        self.terms: list[Term] = []
        self.issues: list[Issue] = []
        self.datasets: dict[str, FactorDataset] = {}
        self.stage_totals: dict[LifecycleStage, float] = dict.fromkeys(LifecycleStage, 0.0)
        self.gross = 0.0
        """Sum of absolute contributions (kg CO2e)."""
        self.primary = 0.0
        """Sum of absolute contributions weighted by their primary-data share."""
        self.process_weights: dict[tuple[str, LifecycleStage], float] = {}
        """Sum of absolute contributions per process (factor key, stage): the processes of
        the aggregate DQR."""
        self.qualities: dict[str, DataQuality] = {}
        """Data quality criteria per factor key (of the factors that have them)."""

    def _sum_only(
        self,
        kind: str,
        stage: LifecycleStage,
        amount: float,
        unit: str,
        factor: FactorUse,
        note: str | Note | None,
    ) -> None:
        """Add one term to the running sums (every emitted term goes through here)."""
        contribution = amount * factor.value
        self.stage_totals[stage] += contribution
        weight = contribution if contribution >= 0 else -contribution
        self.gross += weight
        if factor.primary:  # adding 0.0 would change nothing: skip the work
            self.primary += weight * factor.primary
        process = (factor.key, stage)
        weights = self.process_weights
        weights[process] = weights.get(process, 0.0) + weight
        if factor.quality is not None:
            self.qualities[factor.key] = factor.quality

    def emitter(
        self,
        pointer: str,
        line_id: str,
        label: str,
        activity: Quantity | None,
        spread: Uncertainty | None,
        declared: DeclaredLine | None = None,
    ) -> Emit:
        """Register a line and return the function its terms are emitted through."""
        if not self.keep_terms:  # lines and terms serve only the trace and the analyses
            return self._sum_only
        index = len(self.lines)
        details = details_of(declared) if declared is not None else ()
        self.lines.append(LineRef(pointer, line_id, label, activity, spread, details))
        terms = self.terms
        add = self._sum_only

        def emit(
            kind: str,
            stage: LifecycleStage,
            amount: float,
            unit: str,
            factor: FactorUse,
            note: str | Note | None,
        ) -> None:
            add(kind, stage, amount, unit, factor, note)
            terms.append(Term(index, kind, stage, amount, unit, factor, note))

        return emit

    def totals(self) -> dict[LifecycleStage, float]:
        """Kg CO2e per stage."""
        return dict(self.stage_totals)


def build_inventory(
    sub: SupplierSubmission,
    ruleset: CfpRuleset,
    gwp: GwpSet,
    library: FactorLibrary,
    as_of: date,
    *,
    keep_terms: bool = True,
) -> Inventory:
    """Resolve every line of ``sub`` into terms (and issues) under ``ruleset``."""
    inventory = Inventory(keep_terms=keep_terms)
    resolver = FactorResolver(library, ruleset, gwp.id, as_of)
    without_eol: list[str] = []
    for i, line in enumerate(sub.bill_of_materials):
        pointer = f"/billOfMaterials/{i}"
        emit = inventory.emitter(pointer, line.id, line.material, line.mass, line.uncertainty, line)
        if line.composition is not None:
            resolver.note(
                "cfp.input-not-used",
                f"{pointer}/composition",
                "composition is not used by the carbon footprint: it feeds the recycled-content "
                "calculation (Art. 8; compliance recycled); the footprint's recycled input is "
                "circularity.recycledContent (R1)",
                Severity.INFO,
            )
        ev = resolver.spec(line.emission_factor, f"{pointer}/emissionFactor", _PER_MASS)
        if ev is not None and not material_terms(
            line, pointer, ev, resolver, ruleset, emit, detail=keep_terms
        ):
            without_eol.append(line.id)
    if without_eol:
        shown = ", ".join(without_eol[:8]) + (" ..." if len(without_eol) > 8 else "")
        resolver.note(
            "cfp.eol-not-modelled",
            "/billOfMaterials",
            f"end of life is not modelled for {len(without_eol)} of "
            f"{len(sub.bill_of_materials)} material lines ({shown}): no recycling (R2), energy "
            "recovery (R3) or disposal factor (ED); their end-of-life emissions and credits "
            "count as zero",
            Severity.WARNING,
        )
    for i, use in enumerate(sub.energy_use):
        pointer = f"/energyUse/{i}"
        label = use.process or use.carrier
        if isinstance(use, FuelUse):
            label = f"{use.fuel.value} ({use.process})" if use.process else use.fuel.value
        emit = inventory.emitter(pointer, use.id, label, use.amount, use.uncertainty)
        if isinstance(use, ElectricityUse):
            electricity_terms(use, pointer, sub, resolver, emit)
        elif isinstance(use, FuelUse):
            fuel_terms(use, pointer, resolver, emit)
        else:
            heat_terms(use, pointer, resolver, emit)
    for i, gas in enumerate(sub.process_emissions):
        pointer = f"/processEmissions/{i}"
        emit = inventory.emitter(
            pointer,
            gas.id,
            f"{gas.gas.value} ({gas.process or 'process'})",
            gas.mass,
            gas.uncertainty,
        )
        process_terms(gas, pointer, gwp, resolver, emit)
    for i, leg in enumerate(sub.transport):
        pointer = f"/transport/{i}"
        emit = inventory.emitter(
            pointer,
            leg.id,
            f"{leg.mode.value} transport",
            leg.mass,
            leg.uncertainty,
            leg,
        )
        transport_terms(leg, pointer, resolver, emit)
    for i, comp in enumerate(sub.purchased_components):
        pointer = f"/purchasedComponents/{i}"
        emit = inventory.emitter(pointer, comp.id, comp.name, comp.amount, comp.uncertainty, comp)
        if comp.active_materials:
            resolver.note(
                "cfp.input-not-used",
                f"{pointer}/activeMaterials",
                "activeMaterials is not used by the carbon footprint (the component's PCF holds "
                "them): it feeds the recycled-content calculation (Art. 8; compliance recycled)",
                Severity.INFO,
            )
        wanted = _PER_UNIT[comp.amount.dimension]
        if comp.footprint.value.dimension is not wanted:
            resolver.error(
                "units.dimensionality",
                f"{pointer}/footprint/value",
                f"the PCF must be per {comp.amount.dimension.canonical_unit}",
            )
            continue
        component_terms(comp, pointer, resolver, ruleset, emit)
    for i, eol in enumerate(sub.end_of_life):
        pointer = f"/endOfLife/{i}"
        activity = eol.mass or sub.battery.mass
        emit = inventory.emitter(
            pointer,
            eol.id,
            f"end of life: {eol.process.value}",
            activity,
            eol.uncertainty,
            eol,
        )
        end_of_life_terms(eol, pointer, sub, resolver, emit)
    inventory.issues = resolver.issues
    inventory.datasets = dict(resolver.used)
    return inventory
