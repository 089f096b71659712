"""Layer 4: semantic checks across fields of a structurally valid submission.

One named function per invariant, each yielding issues; :data:`CHECKS` lists them in order.
Tolerances are in :class:`SemanticLimits` (passed in, never read from the environment). Where a
check encodes a regulatory rule its source is cited; the others are plausibility checks that
catch unit slips (a "75 Wh" pack that should be "75 kWh") and are warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from compliance.errors import Issue, Layer, Severity, pointer_from_path
from compliance.models import (
    SUBMISSION_SCHEMA_ID,
    SUBMISSION_SCHEMA_VERSION,
    BatteryCategory,
    Chemistry,
    Circularity,
    ElectricitySource,
    ElectricityUse,
    FuelFactor,
    FuelUse,
    InlineFactor,
    SupplierSubmission,
    Uncertainty,
)
from compliance.models.battery import EnergyBasis
from compliance.models.uncertainty import TriangularUncertainty, UniformUncertainty
from compliance.units import Dimension, Quantity

__all__ = ["CHECKS", "SemanticLimits", "semantic_issues"]


@dataclass(frozen=True, slots=True)
class SemanticLimits:
    """Tolerances and plausibility ranges of the semantic checks."""

    relative_tolerance: float = 1e-9
    """Float comparison tolerance for "must not exceed" rules."""
    nominal_energy_mismatch: float = 0.05
    """Warn when a declared nominal energy differs from rated capacity x nominal voltage by more
    than this share (nominal energy is by definition their product; 5 % allows rounding of
    datasheet values)."""
    stage_split_tolerance: float = 1e-3
    """Relative tolerance for a PCF stage split summing to the PCF (suppliers round per stage)."""
    allocation_factor_range: tuple[float, float] = (0.2, 0.8)
    """PEF Annex C range of the CFF allocation factor A (JRC, "EoL modelling in the EF method: the
    CFF", UNECE A-LCA IWG, 12.07.2023); outside it is allowed but unusual, so a warning."""
    specific_energy_wh_per_kg: tuple[float, float] = (15.0, 400.0)
    """Plausible usable energy per battery mass (pack level, lead-acid to advanced Li-ion);
    engineering plausibility, not a regulatory limit."""


DEFAULT_LIMITS = SemanticLimits()

Check = Callable[[SupplierSubmission, SemanticLimits], Iterator[Issue]]


def _error(code: str, pointer: str, message: str, **context: object) -> Issue:
    return Issue(code, pointer, message, Severity.ERROR, Layer.SEMANTIC, context=context)


def _warning(code: str, pointer: str, message: str, **context: object) -> Issue:
    return Issue(code, pointer, message, Severity.WARNING, Layer.SEMANTIC, context=context)


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def check_schema_hint(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """The optional ``$schema`` editor hint names the schema the document is validated against.

    A hint naming another schema (or version) means the editor checked the document against
    something else than ``supplier-submission`` 1.0.0: a warning, so the hint is never ignored.
    """
    hint = sub.schema_uri
    if hint is None:
        return
    expected = f"supplier-submission/{SUBMISSION_SCHEMA_VERSION}/schema.json"
    if hint != SUBMISSION_SCHEMA_ID and not hint.endswith(expected):
        yield _warning(
            "semantic.schema-hint",
            "/$schema",
            f"$schema names {hint!r}; the document is validated against {SUBMISSION_SCHEMA_ID} "
            f"(schemas/{expected})",
        )


def check_positive_ratings(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Mass, capacity, voltage, usable and (declared) nominal energy are strictly positive.

    The nominal energy is a divisor of the cradle-to-gate result per kWh (a zero crashed the
    calculation after validation passed: issue 14, item 6).
    """
    battery = sub.battery
    for field, quantity in (
        ("mass", battery.mass),
        ("ratedCapacity", battery.rated_capacity),
        ("nominalVoltage", battery.nominal_voltage),
        ("usableEnergyBol", battery.usable_energy_bol),
        ("nominalEnergy", battery.nominal_energy),
    ):
        if quantity is not None and quantity.magnitude <= 0:
            yield _error("semantic.zero-quantity", f"/battery/{field}", f"{field} must be above 0")


def _nominal_energy_kwh(sub: SupplierSubmission) -> float:
    battery = sub.battery
    if battery.nominal_energy is not None:
        return battery.nominal_energy.magnitude
    # Ah x V = Wh; canonical magnitudes are Ah and V, so divide by 1000 for kWh.
    return battery.rated_capacity.magnitude * battery.nominal_voltage.magnitude / 1000.0


def check_usable_energy(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Usable BoL energy cannot exceed nominal energy (draft DA 2024 FU uses usable energy).

    The functional unit of the draft delegated act (2024) is based on the usable energy at
    beginning of life, the energy within the BMS window, which is at most the nominal energy.
    """
    usable = sub.battery.usable_energy_bol.magnitude
    nominal = _nominal_energy_kwh(sub)
    if nominal > 0 and usable > nominal * (1 + limits.relative_tolerance):
        basis = "nominalEnergy" if sub.battery.nominal_energy else "ratedCapacity x nominalVoltage"
        yield _error(
            "semantic.usable-energy-exceeds-nominal",
            "/battery/usableEnergyBol",
            f"usable energy {_fmt(usable)} kWh exceeds the nominal energy {_fmt(nominal)} kWh "
            f"({basis}); usable energy is the BMS window of the nominal energy",
            usable_kwh=usable,
            nominal_kwh=nominal,
        )


def check_nominal_energy(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """A declared nominal energy agrees with rated capacity x nominal voltage."""
    battery = sub.battery
    if battery.nominal_energy is None:
        return
    product = battery.rated_capacity.magnitude * battery.nominal_voltage.magnitude / 1000.0
    declared = battery.nominal_energy.magnitude
    if product > 0 and abs(declared - product) > limits.nominal_energy_mismatch * product:
        yield _warning(
            "semantic.nominal-energy-mismatch",
            "/battery/nominalEnergy",
            f"nominal energy {_fmt(declared)} kWh differs from rated capacity x nominal voltage "
            f"= {_fmt(product)} kWh by more than {limits.nominal_energy_mismatch:.0%}",
            declared_kwh=declared,
            computed_kwh=product,
        )


def check_specific_energy(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Usable energy per mass is physically plausible (catches Wh/kWh and g/kg slips)."""
    mass = sub.battery.mass.magnitude
    if mass <= 0:
        return
    wh_per_kg = sub.battery.usable_energy_bol.magnitude * 1000.0 / mass
    low, high = limits.specific_energy_wh_per_kg
    if not low <= wh_per_kg <= high:
        yield _warning(
            "semantic.implausible-specific-energy",
            "/battery/usableEnergyBol",
            f"usable energy per battery mass is {_fmt(wh_per_kg)} Wh/kg, outside the plausible "
            f"{low:g}-{high:g} Wh/kg; check the units of usableEnergyBol and mass",
            wh_per_kg=wh_per_kg,
        )


def check_vehicle_class(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """EV batteries name their vehicle class (draft DA 2024: FEqC per year by vehicle class)."""
    battery = sub.battery
    if battery.category is BatteryCategory.EV and battery.vehicle_class is None:
        yield _error(
            "semantic.vehicle-class-missing",
            "/battery/vehicleClass",
            "an EV battery needs its vehicle class (M1, N1, L, M2, M3, N2, N3); the functional "
            "unit's cycles per year depend on it",
        )
    elif battery.category is not BatteryCategory.EV and battery.vehicle_class is not None:
        yield _warning(
            "semantic.vehicle-class-not-applicable",
            "/battery/vehicleClass",
            "vehicleClass applies to EV batteries only, not to category "
            f"{battery.category.value!r}",
        )


def check_category_details(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Chemistry "other" is described; external-storage flag only on industrial batteries."""
    battery = sub.battery
    if battery.chemistry is Chemistry.OTHER and battery.chemistry_description is None:
        yield _error(
            "semantic.chemistry-description-missing",
            "/battery/chemistryDescription",
            "chemistry is 'other': describe it in chemistryDescription",
        )
    industrial = (BatteryCategory.INDUSTRIAL, BatteryCategory.STATIONARY)
    if battery.external_storage_only is not None and battery.category not in industrial:
        yield _warning(
            "semantic.external-storage-not-applicable",
            "/battery/externalStorageOnly",
            "externalStorageOnly applies to industrial batteries only (Art. 7(1) later dates)",
        )


def check_warranty(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """A warranty period or distance is given (draft DA 2024: service life = warranty)."""
    warranty = sub.warranty
    if warranty is not None and (warranty.period is not None or warranty.distance is not None):
        for field, quantity in (("period", warranty.period), ("distance", warranty.distance)):
            if quantity is not None and quantity.magnitude <= 0:
                yield _error(
                    "semantic.zero-quantity",
                    f"/warranty/{field}",
                    f"the warranty {field} must be above 0",
                )
        return
    message = (
        "no warranty period or distance: the draft delegated act's functional unit takes the "
        "service life from the warranty"
    )
    if sub.battery.category is BatteryCategory.EV:
        yield _error("semantic.warranty-missing", "/warranty", message)
    elif sub.battery.category is not BatteryCategory.SLI:  # no footprint (Art. 7) for SLI
        yield _warning("semantic.warranty-missing", "/warranty", message)


def check_periods(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Reporting periods and factor validity periods do not end before they start."""
    period = sub.reporting_period
    if period is not None and period.end < period.start:
        yield _error(
            "semantic.period-order",
            "/reportingPeriod/end",
            f"the reporting period ends ({period.end}) before it starts ({period.start})",
        )
    for path, factor in _inline_factors(sub):
        if factor.valid_from and factor.valid_until and factor.valid_until < factor.valid_from:
            yield _error(
                "semantic.period-order",
                pointer_from_path([*path, "validUntil"]),
                "the factor's validity ends before it starts",
            )


_CFF_FACTORS = tuple(
    (name, field.alias or name)
    for name, field in Circularity.model_fields.items()
    if name.endswith("_factor")
    and name != "allocation_factor"
    and not name.startswith("energy_recovery_allocation")
)
_CFF_ALIASES = tuple(alias for _, alias in _CFF_FACTORS)
_cff_factor_values = attrgetter(*(name for name, _ in _CFF_FACTORS))

FactorPath = tuple[str | int, ...]
"""Path tokens of a factor in the document, joined into a JSON Pointer only when reported."""


def _inline_factors(sub: SupplierSubmission) -> Iterator[tuple[FactorPath, InlineFactor]]:
    """Every inline factor with its path (two checks walk them: keep this cheap)."""
    for i, line in enumerate(sub.bill_of_materials):
        if isinstance(line.emission_factor, InlineFactor):
            yield ("billOfMaterials", i, "emissionFactor"), line.emission_factor
        if line.circularity is not None:
            for alias, value in zip(
                _CFF_ALIASES, _cff_factor_values(line.circularity), strict=True
            ):
                if isinstance(value, InlineFactor):
                    yield ("billOfMaterials", i, "circularity", alias), value
    for i, use in enumerate(sub.energy_use):
        if isinstance(use.emission_factor, InlineFactor):
            yield ("energyUse", i, "emissionFactor"), use.emission_factor
    for i, leg in enumerate(sub.transport):
        if isinstance(leg.emission_factor, InlineFactor):
            yield ("transport", i, "emissionFactor"), leg.emission_factor
    for i, eol in enumerate(sub.end_of_life):
        if isinstance(eol.emission_factor, InlineFactor):
            yield ("endOfLife", i, "emissionFactor"), eol.emission_factor
        if eol.supplier_result is not None:
            yield ("endOfLife", i, "supplierResult"), eol.supplier_result


def check_unique_ids(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Line ids are unique across the whole document (they key traces and reports)."""
    seen: dict[str, str] = {}
    lines = chain(
        (("billOfMaterials", i, x.id) for i, x in enumerate(sub.bill_of_materials)),
        (("energyUse", i, x.id) for i, x in enumerate(sub.energy_use)),
        (("processEmissions", i, x.id) for i, x in enumerate(sub.process_emissions)),
        (("transport", i, x.id) for i, x in enumerate(sub.transport)),
        (("purchasedComponents", i, x.id) for i, x in enumerate(sub.purchased_components)),
        (("endOfLife", i, x.id) for i, x in enumerate(sub.end_of_life)),
    )
    for section, index, line_id in lines:
        pointer = f"/{section}/{index}/id"
        if line_id in seen:
            yield _error(
                "semantic.duplicate-id",
                pointer,
                f"line id {line_id!r} is already used at {seen[line_id]}",
                first=seen[line_id],
            )
        else:
            seen[line_id] = pointer.removesuffix("/id")


def check_inventory(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """There is something to compute from; the BOM does not weigh more than the battery."""
    if not sub.bill_of_materials and not sub.purchased_components:
        yield _error(
            "semantic.empty-inventory",
            "/billOfMaterials",
            "the submission has neither bill-of-materials lines nor purchased components; "
            "Annex II(1) bases the footprint on the bill of materials",
        )
        return
    bom_mass = sum(line.mass.magnitude for line in sub.bill_of_materials)
    battery_mass = sub.battery.mass.magnitude
    if battery_mass > 0 and bom_mass > battery_mass * (1 + limits.relative_tolerance):
        yield _warning(
            "semantic.bom-mass-exceeds-battery",
            "/billOfMaterials",
            f"bill-of-materials lines weigh {_fmt(bom_mass)} kg, more than the battery "
            f"({_fmt(battery_mass)} kg); list the materials contained in one battery",
            bom_kg=bom_mass,
            battery_kg=battery_mass,
        )


def check_circularity(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """CFF parameters are consistent: R2 + R3 <= 1; A inside the PEF Annex C range.

    PEF Circular Footprint Formula (Recommendation (EU) 2021/2279 Annex I): R2 and R3 are shares
    of the same end-of-life material flow, so their sum is at most 1; A between 0.2 and 0.8.
    """
    low, high = limits.allocation_factor_range
    for i, line in enumerate(sub.bill_of_materials):
        cff = line.circularity
        if cff is None:
            continue
        base = f"/billOfMaterials/{i}/circularity"
        r2, r3 = cff.recycling_output_rate or 0.0, cff.energy_recovery_rate or 0.0
        if r2 + r3 > 1 + limits.relative_tolerance:
            yield _error(
                "semantic.cff-rates-exceed-one",
                f"{base}/energyRecoveryRate",
                f"recyclingOutputRate (R2 = {r2:g}) + energyRecoveryRate (R3 = {r3:g}) exceed 1",
            )
        a = cff.allocation_factor
        if a is not None and not low <= a <= high:
            yield _warning(
                "semantic.cff-allocation-outside-range",
                f"{base}/allocationFactor",
                f"allocation factor A = {a:g} is outside the PEF range {low:g}-{high:g} "
                "(A = 1 is the cut-off approach)",
            )


def _emits(activity: Dimension, factor: Quantity) -> bool:
    return bool(activity.times(factor.dimension) == Dimension.EMISSION.dimensionality)


def check_factor_units(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Fuel factors and component PCFs are per the unit their amount is expressed in."""
    for i, use in enumerate(sub.energy_use):
        factor = use.emission_factor
        if isinstance(use, FuelUse) and isinstance(factor, FuelFactor):
            value = factor.value
            if not _emits(use.amount.dimension, value):
                yield _error(
                    "units.dimensionality",
                    f"/energyUse/{i}/emissionFactor/value",
                    f"the fuel amount is {_article(use.amount.dimension.label)} but the factor "
                    f"{value.unit!r} is {_article(value.dimension.label)}; "
                    f"use a factor per {use.amount.dimension.canonical_unit}",
                )
    for i, comp in enumerate(sub.purchased_components):
        pcf = comp.footprint.value
        base = f"/purchasedComponents/{i}"
        if not _emits(comp.amount.dimension, pcf):
            yield _error(
                "units.dimensionality",
                f"{base}/footprint/value",
                f"the amount is {_article(comp.amount.dimension.label)} but the PCF {pcf.unit!r} "
                f"is {_article(pcf.dimension.label)}; the PCF must be per the amount's unit "
                f"({comp.amount.dimension.canonical_unit})",
            )
        split = comp.footprint.stage_split
        if split is None:
            continue
        for name in type(split).model_fields:
            part = getattr(split, name)
            alias = type(split).model_fields[name].alias or name
            if part is not None and part.dimension is not pcf.dimension:
                yield _error(
                    "units.dimensionality",
                    f"{base}/footprint/stageSplit/{alias}",
                    f"stage values must be in the PCF's unit kind ({pcf.dimension.label}), "
                    f"got {part.unit!r}",
                )


def _article(label: str) -> str:
    return ("an " if label[:1] in "aeiou" else "a ") + label


def check_stage_split(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """A PCF stage split sums to the PCF; only end of life may be negative (CFF credits)."""
    for i, comp in enumerate(sub.purchased_components):
        split = comp.footprint.stage_split
        if split is None:
            continue
        base = f"/purchasedComponents/{i}/footprint"
        pcf = comp.footprint.value
        parts = {
            "rawMaterial": split.raw_material,
            "mainProduction": split.main_production,
            "distribution": split.distribution,
            "endOfLife": split.end_of_life,
        }
        if any(p is not None and p.dimension is not pcf.dimension for p in parts.values()):
            continue  # reported by check_factor_units
        for name, part in parts.items():
            if part is not None and part.magnitude < 0 and name != "endOfLife":
                yield _error(
                    "semantic.negative-stage",
                    f"{base}/stageSplit/{name}",
                    f"the {name} stage cannot be negative; only end of life carries "
                    "recycling credits",
                )
        total = sum(p.magnitude for p in parts.values() if p is not None)
        scale = max(abs(pcf.magnitude), 1e-12)
        if abs(total - pcf.magnitude) > limits.stage_split_tolerance * scale:
            yield _error(
                "semantic.stage-split-sum",
                f"{base}/stageSplit",
                f"the stage values sum to {_fmt(total)} {pcf.canonical_unit}, but the PCF is "
                f"{_fmt(pcf.magnitude)} {pcf.canonical_unit}",
                total=total,
                pcf=pcf.magnitude,
            )


def check_electricity(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Specific electricity sources carry their factor (draft DA 2024 section 2.4.1, JRC 2023).

    On-site generation and direct lines keep a specific factor under every ruleset; without one
    the calculator can only fall back to the grid mix, which the supplier should know.
    """
    specific = (ElectricitySource.ON_SITE, ElectricitySource.DIRECT_LINE)
    for i, use in enumerate(sub.energy_use):
        if (
            isinstance(use, ElectricityUse)
            and use.source in specific
            and use.emission_factor is None
        ):
            yield _warning(
                "semantic.electricity-factor-missing",
                f"/energyUse/{i}/emissionFactor",
                f"{use.source.value} electricity without its emission factor will be modelled "
                "with the grid mix",
            )


def check_end_of_life(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """An end-of-life treatment gives exactly one of a treatment factor and a recycler's result.

    Annex II point 4(d). When material lines model their own end of life with the CFF (R2, R3 or
    a disposal factor) as well, the same recycling may be counted twice: a warning.
    """
    for i, eol in enumerate(sub.end_of_life):
        base = f"/endOfLife/{i}"
        if eol.emission_factor is not None and eol.supplier_result is not None:
            yield _error(
                "semantic.eol-factor-and-result",
                f"{base}/supplierResult",
                "give either emissionFactor (per kg treated) or supplierResult, not both: "
                "one would be ignored",
            )
        elif eol.emission_factor is None and eol.supplier_result is None:
            yield _error(
                "semantic.eol-factor-missing",
                f"{base}/emissionFactor",
                f"end-of-life treatment {eol.process.value!r} needs emissionFactor "
                "(kg CO2e/kg treated) or supplierResult",
            )
    if not sub.end_of_life:
        return
    for i, line in enumerate(sub.bill_of_materials):
        cff = line.circularity
        if cff is not None and (
            (cff.recycling_output_rate or 0) > 0
            or (cff.energy_recovery_rate or 0) > 0
            or cff.disposal_factor is not None
        ):
            yield _warning(
                "semantic.eol-double-count",
                f"/billOfMaterials/{i}/circularity",
                "this material models its own end of life (CFF R2/R3/disposal) while /endOfLife "
                "models the treatment of the whole battery; make sure no treatment is counted "
                "twice",
            )


def check_functional_unit(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Functional-unit overrides are justified (draft DA 2024: justify in the public study)."""
    fu = sub.functional_unit
    if fu is None:
        return
    overrides = [
        name
        for name, given in (
            ("energyBasis", fu.energy_basis is EnergyBasis.NOMINAL),
            ("cyclesPerYear", fu.cycles_per_year is not None),
            ("serviceLife", fu.service_life is not None),
        )
        if given
    ]
    if overrides and fu.justification is None:
        yield _error(
            "semantic.override-unjustified",
            "/functionalUnit/justification",
            f"the functional-unit override ({', '.join(overrides)}) needs a justification",
            overrides=overrides,
        )


def _uncertainties(sub: SupplierSubmission) -> Iterator[tuple[str, Uncertainty]]:
    sections: tuple[tuple[str, tuple[object, ...]], ...] = (
        ("billOfMaterials", sub.bill_of_materials),
        ("energyUse", sub.energy_use),
        ("processEmissions", sub.process_emissions),
        ("transport", sub.transport),
        ("purchasedComponents", sub.purchased_components),
        ("endOfLife", sub.end_of_life),
    )
    for section, lines in sections:
        for i, line in enumerate(lines):
            spread = getattr(line, "uncertainty", None)
            if spread is not None:
                yield f"/{section}/{i}/uncertainty", spread
    for path, factor in _inline_factors(sub):
        if factor.uncertainty is not None:
            yield pointer_from_path([*path, "uncertainty"]), factor.uncertainty
    for i, comp in enumerate(sub.purchased_components):
        if comp.footprint.uncertainty is not None:
            yield f"/purchasedComponents/{i}/footprint/uncertainty", comp.footprint.uncertainty


def check_uncertainty(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """Uniform and triangular spreads are ordered: low < high, low <= mode <= high."""
    for pointer, spread in _uncertainties(sub):
        if isinstance(spread, (UniformUncertainty, TriangularUncertainty)):
            mode = spread.mode if isinstance(spread, TriangularUncertainty) else spread.low
            if not (spread.low < spread.high and spread.low <= mode <= spread.high):
                yield _error(
                    "semantic.uncertainty-bounds",
                    pointer,
                    "the distribution's bounds are not ordered (need low < high and "
                    "low <= mode <= high)",
                )


def check_declaration_of_conformity(
    sub: SupplierSubmission, limits: SemanticLimits
) -> Iterator[Issue]:
    """The CFP declaration and the passport name the same EU declaration of conformity.

    Art. 7(1)(f) and Annex XIII 1(r) both refer to the one declaration of Art. 18.
    """
    declared = sub.cfp_declaration.declaration_of_conformity_id if sub.cfp_declaration else None
    passport = sub.passport.declaration_of_conformity if sub.passport else None
    if declared and passport and declared != passport.identifier:
        yield _error(
            "semantic.conformity-id-mismatch",
            "/cfpDeclaration/declarationOfConformityId",
            f"the carbon-footprint declaration names EU declaration of conformity {declared!r}, "
            f"the passport {passport.identifier!r} (/passport/declarationOfConformity/identifier)",
        )


def check_positive_resistance(sub: SupplierSubmission, limits: SemanticLimits) -> Iterator[Issue]:
    """The rated internal resistances (Annex XIII 1(o)) are above zero.

    A real cell, module or pack always has some resistance, and the resistance increase of
    Annex IV Part A(3) divides by the rated value (a zero crashed the Catena-X export after
    validation passed: issue 14, item 6).
    """
    performance = sub.passport.performance if sub.passport else None
    if performance is None:
        return
    rated = performance.internal_resistance
    for part, quantity in (("cell", rated.cell), ("module", rated.module), ("pack", rated.pack)):
        if quantity is not None and quantity.magnitude <= 0:
            yield _error(
                "semantic.zero-quantity",
                f"/passport/performance/internalResistance/{part}",
                f"the {part}'s internal resistance must be above 0",
            )


CHECKS: tuple[Check, ...] = (
    check_schema_hint,
    check_positive_ratings,
    check_usable_energy,
    check_nominal_energy,
    check_specific_energy,
    check_vehicle_class,
    check_category_details,
    check_warranty,
    check_periods,
    check_unique_ids,
    check_inventory,
    check_circularity,
    check_factor_units,
    check_stage_split,
    check_electricity,
    check_end_of_life,
    check_functional_unit,
    check_uncertainty,
    check_declaration_of_conformity,
    check_positive_resistance,
)
"""Every semantic check, in reporting order."""


def semantic_issues(
    submission: SupplierSubmission, limits: SemanticLimits = DEFAULT_LIMITS
) -> list[Issue]:
    """Run every check in :data:`CHECKS`."""
    return [issue for check in CHECKS for issue in check(submission, limits)]
