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

from compliance.cfp.declared import not_used
from compliance.cfp.resolver import FactorResolver
from compliance.cfp.rulesets import CfpRuleset
from compliance.cfp.terms import FactorUse, Note
from compliance.models import BomLine, Circularity, FactorReference, InlineFactor, LifecycleStage
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

Emit = Callable[[str, LifecycleStage, float, str, FactorUse, "str | Note | None"], None]


def _parameters(cff: Circularity | None, ruleset: CfpRuleset) -> tuple[float, ...]:
    """(R1, A, B, R2, R3, Qsin/Qp, Qsout/Qp): the line's values, else the ruleset defaults."""
    d = ruleset.cff.defaults
    forced_a = 1.0 if ruleset.cff.variant == "cut-off" else None
    if cff is None:
        return (
            d.recycled_content,
            forced_a or d.allocation_factor,
            d.energy_recovery_allocation_factor,
            d.recycling_output_rate,
            d.energy_recovery_rate,
            d.quality_ratio_input,
            d.quality_ratio_output,
        )
    r1, a, b = cff.recycled_content, cff.allocation_factor, cff.energy_recovery_allocation_factor
    r2, r3 = cff.recycling_output_rate, cff.energy_recovery_rate
    q_in, q_out = cff.quality_ratio_input, cff.quality_ratio_output
    return (
        d.recycled_content if r1 is None else r1,
        forced_a or (d.allocation_factor if a is None else a),
        d.energy_recovery_allocation_factor if b is None else b,
        d.recycling_output_rate if r2 is None else r2,
        d.energy_recovery_rate if r3 is None else r3,
        d.quality_ratio_input if q_in is None else q_in,
        d.quality_ratio_output if q_out is None else q_out,
    )


def _required(
    resolver: FactorResolver,
    spec: InlineFactor | FactorReference | None,
    pointer: str,
    what: str,
    dims: tuple[Dimension, ...],
) -> FactorUse | None:
    """A factor a non-zero share needs: missing is an error, never a silent zero."""
    if spec is None:
        _missing(resolver, pointer, what)
        return None
    return resolver.spec(spec, pointer, dims)


def material_terms(
    line: BomLine,
    pointer: str,
    ev: FactorUse,
    resolver: FactorResolver,
    ruleset: CfpRuleset,
    emit: Emit,
    *,
    detail: bool = True,
) -> bool:
    """Emit the CFF terms of one material line; returns whether the line models end of life.

    ``detail`` adds the rule notes of the trace (they never change a number).
    """
    cff = line.circularity
    mass = line.mass.magnitude
    r1, a, b, r2, r3, q_in, q_out = _parameters(cff, ruleset)
    stage = line.stage
    emit("cff.virgin-input", stage, mass * (1 - r1), "kg", ev, None)
    if cff is None:
        return False
    base = pointer + "/circularity"
    _report_unused(cff, base, (r1, a, b, r2, r3), resolver, ruleset)
    if r1 > 0:
        spec = cff.recycled_input_factor
        if spec is None:
            _missing(resolver, base + "/recycledInputFactor", "recycled content R1 > 0 (Erecycled)")
        else:
            e_rec = resolver.spec(spec, base + "/recycledInputFactor", _PER_MASS)
            if e_rec is not None:
                note = Note("A = {:g}", a) if detail else None
                emit("cff.recycled-input", stage, mass * r1 * a, "kg", e_rec, note)
        virgin_share = mass * r1 * (1 - a) * q_in
        note = Note("(1 - A) Qsin/Qp = {:g}", (1 - a) * q_in) if detail else None
        emit("cff.recycled-input-virgin-share", stage, virgin_share, "kg", ev, note)
    if r2 > 0 and a < 1:
        recycled = mass * (1 - a) * r2
        spec = cff.recycling_eol_factor
        if spec is None:
            _missing(
                resolver,
                base + "/recyclingEolFactor",
                "recycling output rate R2 > 0 (ErecyclingEoL)",
            )
        else:
            e_rec_eol = resolver.spec(spec, base + "/recyclingEolFactor", _PER_MASS)
            if e_rec_eol is not None:
                emit("cff.recycling", EOL, recycled, "kg", e_rec_eol, None)
        spec_sv = cff.substituted_virgin_factor
        e_star = ev
        default_note: str | None = "E*v = Ev (substituted virgin material)"
        if spec_sv is not None:
            e_star = resolver.spec(spec_sv, base + "/substitutedVirginFactor", _PER_MASS) or ev
            default_note = None
        emit("cff.recycling-credit", EOL, -recycled * q_out, "kg", e_star, default_note)
    if r3 > 0 and b < 1:
        _energy_recovery(cff, mass * (1 - b) * r3, base, resolver, emit)
    disposal_share = 1 - r2 - r3
    if disposal_share > 0 and cff.disposal_factor is not None:
        e_d = resolver.spec(cff.disposal_factor, base + "/disposalFactor", _PER_MASS)
        if e_d is not None:
            emit("cff.disposal", EOL, mass * disposal_share, "kg", e_d, None)
    return r2 > 0 or r3 > 0 or cff.disposal_factor is not None


def _read(cff: Circularity, shares: tuple[float, ...], cut_off: bool) -> set[str]:
    """The circularity fields the formula reads for these shares (R1, A, B, R2, R3)."""
    r1, a, b, r2, r3 = shares
    read = {"recycledContent"}
    if not cut_off:
        read.add("allocationFactor")
    if a < 1 or cff.disposal_factor is not None:  # recycling terms, or the disposal share
        read.add("recyclingOutputRate")
    if b < 1 or cff.disposal_factor is not None:  # energy-recovery terms, or the disposal share
        read.add("energyRecoveryRate")
    if r1 > 0:
        read.add("recycledInputFactor")
        if a < 1:
            read.add("qualityRatioInput")
    if r2 > 0 and a < 1:
        read |= {"recyclingEolFactor", "substitutedVirginFactor", "qualityRatioOutput"}
    if r3 > 0:
        read.add("energyRecoveryAllocationFactor")
        if b < 1:
            read |= {
                "energyRecoveryFactor",
                "heatRecoveryEfficiency",
                "electricityRecoveryEfficiency",
            }
            if cff.heat_recovery_efficiency:
                read |= {"lowerHeatingValue", "substitutedHeatFactor"}
            if cff.electricity_recovery_efficiency:
                read |= {"lowerHeatingValue", "substitutedElectricityFactor"}
    if 1 - r2 - r3 > 0:
        read.add("disposalFactor")
    return read


def _report_unused(
    cff: Circularity,
    base: str,
    shares: tuple[float, ...],
    resolver: FactorResolver,
    ruleset: CfpRuleset,
) -> None:
    """Report each given CFF field the formula does not read (zero share, cut-off ...)."""
    cut_off = ruleset.cff.variant == "cut-off"
    fields = type(cff).model_fields
    given = {fields[n].alias or n for n in cff.model_fields_set}
    unread = given - _read(cff, shares, cut_off)
    if not unread:  # the usual case: stop before formatting any message
        return
    r1, a, b, r2, r3 = shares
    why = (
        f"{ruleset.id} applies the cut-off approach ({ruleset.cff.id}: A = 1, no credits)"
        if cut_off
        else f"the CFF term it belongs to is zero here (R1 = {r1:g}, A = {a:g}, B = {b:g}, "
        f"R2 = {r2:g}, R3 = {r3:g})"
    )
    aliases = (field.alias or name for name, field in fields.items())
    in_order = ((alias, alias in unread) for alias in aliases)
    for issue in not_used(base, in_order, set(), why):
        resolver.note(issue.code, issue.pointer, issue.message, issue.severity)


def _missing(resolver: FactorResolver, pointer: str, what: str) -> None:
    """A non-zero share without its factor: an error, never a silent zero."""
    resolver.error("cfp.factor-missing", pointer, f"{what} needs {pointer.rsplit('/', 1)[1]}")


def _energy_recovery(
    cff: Circularity, recovered_kg: float, base: str, resolver: FactorResolver, emit: Emit
) -> None:
    """(1 - B) R3 (EER - LHV XER,heat ESE,heat - LHV XER,elec ESE,elec), per recovered kg."""
    why = "energy recovery rate R3 > 0 (EER)"
    eer = _required(
        resolver, cff.energy_recovery_factor, f"{base}/energyRecoveryFactor", why, _PER_MASS
    )
    if eer is not None:
        emit("cff.energy-recovery", EOL, recovered_kg, "kg", eer, None)
    credits = (
        (
            cff.heat_recovery_efficiency,
            cff.substituted_heat_factor,
            "substitutedHeatFactor",
            "heatRecoveryEfficiency > 0 (ESE,heat)",
            "cff.heat-credit",
        ),
        (
            cff.electricity_recovery_efficiency,
            cff.substituted_electricity_factor,
            "substitutedElectricityFactor",
            "electricityRecoveryEfficiency > 0 (ESE,elec)",
            "cff.electricity-credit",
        ),
    )
    for efficiency, spec, alias, what, kind in credits:
        if not efficiency:
            continue
        lhv = cff.lower_heating_value
        if lhv is None:
            resolver.error(
                "cfp.factor-missing",
                f"{base}/lowerHeatingValue",
                f"{what.split(' (')[0]} needs lowerHeatingValue (LHV)",
            )
            continue
        substituted = _required(resolver, spec, f"{base}/{alias}", what, _PER_ENERGY)
        if substituted is not None:
            per_kg = lhv.to("kWh/kg") * efficiency
            emit(
                kind,
                EOL,
                -recovered_kg * per_kg,
                "kWh",
                substituted,
                Note("LHV x XER = {:.6g} kWh/kg", per_kg),
            )
