"""Resolve a submission into terms: the inventory of a CFP calculation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from compliance.cfp.activities import (
    component_terms,
    electricity_terms,
    fuel_terms,
    heat_terms,
    process_terms,
    transport_terms,
)
from compliance.cfp.cff import Emit, material_terms
from compliance.cfp.datasets import FactorDataset, FactorLibrary
from compliance.cfp.gwp import GwpSet
from compliance.cfp.resolver import FactorResolver
from compliance.cfp.rulesets import CfpRuleset
from compliance.cfp.terms import FactorUse, LineRef, Term
from compliance.errors import Issue, Severity
from compliance.models import ElectricityUse, FuelUse, LifecycleStage, SupplierSubmission
from compliance.units import Dimension

__all__ = ["Inventory", "build_inventory"]

_PER_MASS = (Dimension.EMISSION_PER_MASS,)
_PER_UNIT = {
    Dimension.ITEMS: Dimension.EMISSION_PER_ITEM,
    Dimension.MASS: Dimension.EMISSION_PER_MASS,
    Dimension.ENERGY: Dimension.EMISSION_PER_ENERGY,
}


@dataclass
class Inventory:
    """All terms of a submission under a ruleset, with the lines they come from."""

    lines: list[LineRef] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    datasets: dict[str, FactorDataset] = field(default_factory=dict)

    def emitter(self, pointer: str, line_id: str, label: str, line: object) -> Emit:
        """Register a line and return the function its terms are emitted through."""
        index = len(self.lines)
        self.lines.append(
            LineRef(
                pointer,
                line_id,
                label,
                getattr(line, "amount", None) or getattr(line, "mass", None),
                getattr(line, "uncertainty", None),
            )
        )
        terms = self.terms

        def emit(
            kind: str,
            stage: LifecycleStage,
            amount: float,
            unit: str,
            factor: FactorUse,
            note: str | None,
        ) -> None:
            terms.append(Term(index, kind, stage, amount, unit, factor, note))

        return emit

    def totals(self) -> dict[LifecycleStage, float]:
        """Kg CO2e per stage (terms summed in input order)."""
        sums = dict.fromkeys(LifecycleStage, 0.0)
        for term in self.terms:
            sums[term.stage] += term.amount * term.factor.value
        return sums


def build_inventory(
    sub: SupplierSubmission,
    ruleset: CfpRuleset,
    gwp: GwpSet,
    library: FactorLibrary,
    as_of: date,
) -> Inventory:
    """Resolve every line of ``sub`` into terms (and issues) under ``ruleset``."""
    inventory = Inventory()
    resolver = FactorResolver(library, ruleset, gwp.id, as_of)
    without_eol: list[str] = []
    for i, line in enumerate(sub.bill_of_materials):
        pointer = f"/billOfMaterials/{i}"
        emit = inventory.emitter(pointer, line.id, line.material, line)
        ev = resolver.spec(line.emission_factor, f"{pointer}/emissionFactor", _PER_MASS)
        if ev is not None and not material_terms(line, pointer, ev, resolver, ruleset, emit):
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
        emit = inventory.emitter(pointer, use.id, label, use)
        if isinstance(use, ElectricityUse):
            electricity_terms(use, pointer, sub, resolver, emit)
        elif isinstance(use, FuelUse):
            fuel_terms(use, pointer, resolver, emit)
        else:
            heat_terms(use, pointer, resolver, emit)
    for i, gas in enumerate(sub.process_emissions):
        pointer = f"/processEmissions/{i}"
        emit = inventory.emitter(
            pointer, gas.id, f"{gas.gas.value} ({gas.process or 'process'})", gas
        )
        process_terms(gas, pointer, gwp, resolver, emit)
    for i, leg in enumerate(sub.transport):
        pointer = f"/transport/{i}"
        emit = inventory.emitter(pointer, leg.id, f"{leg.mode.value} transport", leg)
        transport_terms(leg, pointer, resolver, emit)
    for i, comp in enumerate(sub.purchased_components):
        pointer = f"/purchasedComponents/{i}"
        emit = inventory.emitter(pointer, comp.id, comp.name, comp)
        wanted = _PER_UNIT[comp.amount.dimension]
        if comp.footprint.value.dimension is not wanted:
            resolver.error(
                "units.dimensionality",
                f"{pointer}/footprint/value",
                f"the PCF must be per {comp.amount.dimension.canonical_unit}",
            )
            continue
        component_terms(comp, pointer, resolver, ruleset, emit)
    inventory.issues = resolver.issues
    inventory.datasets = dict(resolver.used)
    return inventory
