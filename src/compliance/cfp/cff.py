"""Materials with the PEF Circular Footprint Formula (CFF).

Per kg of material in the product (Recommendation (EU) 2021/2279 Annex I; Zampori & Pant 2019):

    input side (-> the line's stage, raw material acquisition by default):
        (1 - R1) Ev  +  R1 (A Erec + (1 - A) Ev Qsin/Qp)
    recycling (-> end of life):
        (1 - A) R2 (ErecEoL - E*v Qsout/Qp)
    energy recovery (-> end of life):
        (1 - B) R3 (EER - LHV XER,heat ESE,heat - LHV XER,elec ESE,elec)
    disposal (-> end of life):
        (1 - R2 - R3) ED

Parameters a line does not give take the ruleset's defaults; the ``cut-off`` variant forces
A = 1 (no credit, recycled input at Erec). E*v defaults to Ev (the recyclable output substitutes
the same virgin material). A parameter whose share is zero needs no factor; a share above zero
without its factor is a located error, never a silent zero. Each bracketed product becomes one
:class:`~compliance.cfp.terms.Term` (amount in kg, or kWh for substituted energy).
"""

from __future__ import annotations

from collections.abc import Callable

from compliance.cfp.resolver import FactorResolver
from compliance.cfp.rulesets import CfpRuleset
from compliance.cfp.terms import FactorUse
from compliance.models import BomLine, Circularity, LifecycleStage
from compliance.units import Dimension

__all__ = ["CFF_PARAMETERS", "material_terms"]

EOL = LifecycleStage.END_OF_LIFE
_PER_MASS = (Dimension.EMISSION_PER_MASS,)
_PER_ENERGY = (Dimension.EMISSION_PER_ENERGY,)

CFF_PARAMETERS = {
    "recycled_content": "R1",
    "allocation_factor": "A",
    "energy_recovery_allocation_factor": "B",
    "recycling_output_rate": "R2",
    "energy_recovery_rate": "R3",
    "quality_ratio_input": "Qsin/Qp",
    "quality_ratio_output": "Qsout/Qp",
}

Emit = Callable[[str, LifecycleStage, float, str, FactorUse, "str | None"], None]


def _share(cff: Circularity | None, name: str, ruleset: CfpRuleset) -> float:
    if ruleset.cff.variant == "cut-off" and name == "allocation_factor":
        return 1.0
    given = getattr(cff, name) if cff is not None else None
    if given is not None:
        return float(given)
    return float(getattr(ruleset.cff.defaults, name))


def material_terms(
    line: BomLine,
    pointer: str,
    ev: FactorUse,
    resolver: FactorResolver,
    ruleset: CfpRuleset,
    emit: Emit,
) -> bool:
    """Emit the CFF terms of one material line; returns whether the line models end of life."""
    cff = line.circularity
    mass = line.mass.magnitude
    r1 = _share(cff, "recycled_content", ruleset)
    a = _share(cff, "allocation_factor", ruleset)
    b = _share(cff, "energy_recovery_allocation_factor", ruleset)
    r2 = _share(cff, "recycling_output_rate", ruleset)
    r3 = _share(cff, "energy_recovery_rate", ruleset)
    q_in = _share(cff, "quality_ratio_input", ruleset)
    q_out = _share(cff, "quality_ratio_output", ruleset)
    base = f"{pointer}/circularity"

    def factor(
        name: str, alias: str, symbol: str, why: str, dims: tuple[Dimension, ...]
    ) -> FactorUse | None:
        spec = getattr(cff, name) if cff is not None else None
        found = resolver.spec(spec, f"{base}/{alias}", dims)
        if found is None and spec is None:
            resolver.error(
                "cfp.factor-missing", f"{base}/{alias}", f"{why} needs {alias} ({symbol})"
            )
        return found

    stage = line.stage
    emit("cff.virgin-input", stage, mass * (1 - r1), "kg", ev, None)
    if r1 > 0:
        e_rec = factor(
            "recycled_input_factor",
            "recycledInputFactor",
            "Erecycled",
            f"recycled content R1 = {r1:g}",
            _PER_MASS,
        )
        if e_rec is not None:
            emit("cff.recycled-input", stage, mass * r1 * a, "kg", e_rec, f"A = {a:g}")
        emit(
            "cff.recycled-input-virgin-share",
            stage,
            mass * r1 * (1 - a) * q_in,
            "kg",
            ev,
            f"(1 - A) Qsin/Qp = {(1 - a) * q_in:g}",
        )
    if r2 > 0 and a < 1:
        e_rec_eol = factor(
            "recycling_eol_factor",
            "recyclingEolFactor",
            "ErecyclingEoL",
            f"recycling output rate R2 = {r2:g}",
            _PER_MASS,
        )
        spec_sv = cff.substituted_virgin_factor if cff is not None else None
        e_star = resolver.spec(spec_sv, f"{base}/substitutedVirginFactor", _PER_MASS) or ev
        note = None if spec_sv is not None else "E*v = Ev (substituted virgin material)"
        if e_rec_eol is not None:
            emit("cff.recycling", EOL, mass * (1 - a) * r2, "kg", e_rec_eol, None)
        emit("cff.recycling-credit", EOL, -mass * (1 - a) * r2 * q_out, "kg", e_star, note)
    if r3 > 0 and b < 1:
        _energy_recovery(cff, mass * (1 - b) * r3, base, resolver, emit, factor)
    disposal_share = 1 - r2 - r3
    disposal_spec = cff.disposal_factor if cff is not None else None
    if disposal_share > 0 and disposal_spec is not None:
        e_d = resolver.spec(disposal_spec, f"{base}/disposalFactor", _PER_MASS)
        if e_d is not None:
            emit("cff.disposal", EOL, mass * disposal_share, "kg", e_d, None)
    return r2 > 0 or r3 > 0 or disposal_spec is not None


def _energy_recovery(
    cff: Circularity | None,
    recovered_kg: float,
    base: str,
    resolver: FactorResolver,
    emit: Emit,
    factor: Callable[[str, str, str, str, tuple[Dimension, ...]], FactorUse | None],
) -> None:
    """(1 - B) R3 (EER - LHV XER,heat ESE,heat - LHV XER,elec ESE,elec), per recovered kg."""
    why = "energy recovery R3 > 0"
    eer = factor("energy_recovery_factor", "energyRecoveryFactor", "EER", why, _PER_MASS)
    if eer is not None:
        emit("cff.energy-recovery", EOL, recovered_kg, "kg", eer, None)
    credits = (
        (
            "heat_recovery_efficiency",
            "substituted_heat_factor",
            "substitutedHeatFactor",
            "ESE,heat",
            "cff.heat-credit",
        ),
        (
            "electricity_recovery_efficiency",
            "substituted_electricity_factor",
            "substitutedElectricityFactor",
            "ESE,elec",
            "cff.electricity-credit",
        ),
    )
    for efficiency_name, name, alias, symbol, kind in credits:
        efficiency = getattr(cff, efficiency_name) if cff is not None else None
        if not efficiency:
            continue
        lhv = cff.lower_heating_value if cff is not None else None
        if lhv is None:
            resolver.error(
                "cfp.factor-missing",
                f"{base}/lowerHeatingValue",
                f"{efficiency_name} > 0 needs lowerHeatingValue (LHV)",
            )
            continue
        substituted = factor(name, alias, symbol, f"{efficiency_name} > 0", _PER_ENERGY)
        if substituted is not None:
            kwh = recovered_kg * lhv.to("kWh/kg") * efficiency
            emit(
                kind,
                EOL,
                -kwh,
                "kWh",
                substituted,
                f"LHV {lhv} x XER {efficiency:g} = {lhv.to('kWh/kg') * efficiency:.6g} kWh/kg",
            )
