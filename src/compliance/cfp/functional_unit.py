"""The functional unit: the energy a footprint is divided by, with its derivation.

Strategies (chosen by the ruleset):

* ``lifetime-energy`` (draft delegated act 2024, functional unit): ``E_total = usable BoL energy
  x full equivalent cycles per year (vehicle class) x service life (years)``. The service life is
  the warranty; a km warranty is converted with the ruleset's km-per-year constant ([U]) and the
  shorter of the two applies. Nominal energy, other cycles or another service life only through a
  justified override in the submission, each reported.
* ``vehicle-consumption`` (JRC CFB-EV 2023 draft, [U] formula): ``E_total = vehicle energy
  consumption (kWh/km) x lifetime distance``.
* ``rated-capacity`` (METI v1.0, [U]): per kWh of rated (nominal) energy capacity.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from compliance.cfp.rulesets import CfpRuleset
from compliance.errors import Issue, Layer, Severity
from compliance.models import SupplierSubmission
from compliance.models.battery import EnergyBasis

__all__ = ["FunctionalUnit", "derive_functional_unit"]


class FunctionalUnit(BaseModel):
    """The derived functional unit (all magnitudes in kWh, years, km)."""

    model_config = ConfigDict(frozen=True)

    strategy: str
    energy_kwh: float
    """Total energy the footprint is divided by."""
    unit_label: str
    """What one unit of ``energy_kwh`` is, e.g. "kWh delivered over the service life"."""
    basis_energy_kwh: float | None = None
    energy_basis: str | None = None
    cycles_per_year: float | None = None
    service_life_years: float | None = None
    service_life_basis: str | None = None
    consumption_kwh_per_km: float | None = None
    lifetime_distance_km: float | None = None
    derivation: str
    overrides: tuple[str, ...] = ()


def _issue(code: str, pointer: str, message: str, severity: Severity = Severity.ERROR) -> Issue:
    return Issue(code, pointer, message, severity, Layer.RULE)


def _nominal_kwh(sub: SupplierSubmission) -> float:
    battery = sub.battery
    if battery.nominal_energy is not None:
        return battery.nominal_energy.magnitude
    return battery.rated_capacity.magnitude * battery.nominal_voltage.magnitude / 1000.0


def _g(value: float) -> str:
    return f"{value:.6g}"


def _service_life(
    sub: SupplierSubmission, ruleset: CfpRuleset, issues: list[Issue], overrides: list[str]
) -> tuple[float, str] | None:
    declared = sub.functional_unit
    if declared is not None and declared.service_life is not None:
        years = declared.service_life.to("year")
        overrides.append(f"service life {_g(years)} years (declared: {declared.justification})")
        return years, "declared override"
    warranty = sub.warranty
    candidates: list[tuple[float, str]] = []
    if warranty is not None and warranty.period is not None:
        years = warranty.period.to("year")
        candidates.append((years, f"warranty period {warranty.period}"))
    if warranty is not None and warranty.distance is not None:
        vehicle = sub.battery.vehicle_class
        table = ruleset.functional_unit.km_per_year
        if vehicle is None or table is None or vehicle.value not in table.values:
            issues.append(
                _issue(
                    "cfp.fu-conversion-missing",
                    "/warranty/distance",
                    "a km warranty needs the vehicle class and the ruleset's km-per-year "
                    "constant to become years",
                )
            )
            return None
        per_year = table.values[vehicle.value]
        km = warranty.distance.to("km")
        candidates.append(
            (km / per_year, f"warranty distance {warranty.distance} / {per_year:g} km per year")
        )
    if not candidates:
        issues.append(
            _issue(
                "cfp.fu-service-life-missing",
                "/warranty",
                "the functional unit needs a warranty period or distance (service life)",
            )
        )
        return None
    years, basis = min(candidates)
    if len(candidates) > 1:
        basis = f"shorter of {' and '.join(b for _, b in candidates)}"
    return years, basis


def _lifetime_energy(
    sub: SupplierSubmission, ruleset: CfpRuleset, issues: list[Issue]
) -> FunctionalUnit | None:
    rule = ruleset.functional_unit
    declared = sub.functional_unit
    overrides: list[str] = []
    if declared is not None and declared.energy_basis is EnergyBasis.NOMINAL:
        energy, basis = _nominal_kwh(sub), "nominal"
        overrides.append(f"nominal instead of usable energy ({declared.justification})")
    else:
        energy, basis = sub.battery.usable_energy_bol.magnitude, "usable"
    if declared is not None and declared.cycles_per_year is not None:
        cycles = declared.cycles_per_year
        cycles_basis = "declared override"
        overrides.append(f"{_g(cycles)} cycles per year ({declared.justification})")
    else:
        vehicle = sub.battery.vehicle_class
        table = rule.cycles_per_year
        if vehicle is None or table is None or vehicle.value not in table.values:
            issues.append(
                _issue(
                    "cfp.fu-cycles-missing",
                    "/battery/vehicleClass",
                    "the cycles per year come from the vehicle class (M1, N1, L, M2, M3, N2, "
                    "N3); give it, or declare functionalUnit.cyclesPerYear with a "
                    "justification",
                )
            )
            return None
        cycles = table.values[vehicle.value]
        cycles_basis = f"vehicle class {vehicle.value}"
    life = _service_life(sub, ruleset, issues, overrides)
    if life is None:
        return None
    years, life_basis = life
    total = energy * cycles * years
    derivation = (
        f"{_g(energy)} kWh {basis} BoL energy x {_g(cycles)} full equivalent cycles per year "
        f"({cycles_basis}) x {_g(years)} years ({life_basis}) = {_g(total)} kWh"
    )
    return FunctionalUnit(
        strategy=rule.strategy,
        energy_kwh=total,
        unit_label="kWh of total energy provided over the service life",
        basis_energy_kwh=energy,
        energy_basis=basis,
        cycles_per_year=cycles,
        service_life_years=years,
        service_life_basis=life_basis,
        derivation=derivation,
        overrides=tuple(overrides),
    )


def _vehicle_consumption(
    sub: SupplierSubmission, ruleset: CfpRuleset, issues: list[Issue]
) -> FunctionalUnit | None:
    declared = sub.functional_unit
    if declared is None or declared.vehicle_consumption is None:
        issues.append(
            _issue(
                "cfp.fu-input-missing",
                "/functionalUnit/vehicleConsumption",
                f"ruleset {ruleset.id} needs the vehicle energy consumption (e.g. '0.18 kWh/km')",
            )
        )
        return None
    consumption = declared.vehicle_consumption.magnitude
    if declared.lifetime_distance is not None:
        distance, basis = declared.lifetime_distance.to("km"), "declared lifetime distance"
    elif sub.warranty is not None and sub.warranty.distance is not None:
        distance, basis = sub.warranty.distance.to("km"), "warranty distance"
    else:
        issues.append(
            _issue(
                "cfp.fu-input-missing",
                "/functionalUnit/lifetimeDistance",
                f"ruleset {ruleset.id} needs a lifetime distance or a km warranty",
            )
        )
        return None
    total = consumption * distance
    return FunctionalUnit(
        strategy="vehicle-consumption",
        energy_kwh=total,
        unit_label="kWh consumed by the vehicle over its service life",
        consumption_kwh_per_km=consumption,
        lifetime_distance_km=distance,
        derivation=f"{_g(consumption)} kWh/km x {_g(distance)} km ({basis}) = {_g(total)} kWh",
    )


def _rated_capacity(sub: SupplierSubmission) -> FunctionalUnit:
    energy = _nominal_kwh(sub)
    origin = "declared nominal energy" if sub.battery.nominal_energy else "rated Ah x nominal V"
    return FunctionalUnit(
        strategy="rated-capacity",
        energy_kwh=energy,
        unit_label="kWh of rated energy capacity",
        basis_energy_kwh=energy,
        energy_basis="nominal",
        derivation=f"{_g(energy)} kWh rated energy capacity ({origin}); also reported per pack",
    )


def _read_inputs(sub: SupplierSubmission, strategy: str) -> set[str]:
    """Pointers of the functional-unit inputs a strategy reads from ``sub``."""
    declared = sub.functional_unit
    warranty = sub.warranty
    if strategy == "vehicle-consumption":
        read = {"/functionalUnit/vehicleConsumption", "/functionalUnit/lifetimeDistance"}
        if declared is None or declared.lifetime_distance is None:
            read.add("/warranty/distance")
        return read
    if strategy != "lifetime-energy":
        return set()
    read = {"/functionalUnit/energyBasis", "/functionalUnit/cyclesPerYear"}
    overridden = declared is not None and (
        declared.energy_basis is EnergyBasis.NOMINAL
        or declared.cycles_per_year is not None
        or declared.service_life is not None
    )
    if overridden:
        read.add("/functionalUnit/justification")
    if declared is not None and declared.service_life is not None:
        read.add("/functionalUnit/serviceLife")
    else:
        read |= {"/warranty/period", "/warranty/distance"}
    km_warranty = "/warranty/distance" in read and warranty is not None and warranty.distance
    if declared is None or declared.cycles_per_year is None or km_warranty:
        read.add("/battery/vehicleClass")
    return read


def unused_inputs(sub: SupplierSubmission, ruleset: CfpRuleset) -> list[Issue]:
    """Functional-unit inputs given in ``sub`` that the ruleset's functional unit does not use.

    Each is an information issue at its pointer (nothing a user provides is silently dropped).
    """
    strategy = ruleset.functional_unit.strategy
    read = _read_inputs(sub, strategy)
    declared = sub.functional_unit
    warranty = sub.warranty
    given = {
        "/battery/vehicleClass": sub.battery.vehicle_class is not None,
        "/warranty/period": warranty is not None and warranty.period is not None,
        "/warranty/distance": warranty is not None and warranty.distance is not None,
    }
    if declared is not None:
        for name, field in type(declared).model_fields.items():
            if name in declared.model_fields_set:
                given[f"/functionalUnit/{field.alias or name}"] = True
    choice = ruleset.functional_unit.id
    return [
        _issue(
            "cfp.input-not-used",
            pointer,
            f"{pointer.rsplit('/', 1)[1]} is not used by the functional unit {choice} "
            f"({strategy}) of {ruleset.id}",
            Severity.INFO,
        )
        for pointer, present in given.items()
        if present and pointer not in read
    ]


def derive_functional_unit(
    sub: SupplierSubmission, ruleset: CfpRuleset
) -> tuple[FunctionalUnit | None, list[Issue]]:
    """The functional unit under ``ruleset``, or ``None`` with located errors."""
    issues: list[Issue] = []
    strategy = ruleset.functional_unit.strategy
    issues += unused_inputs(sub, ruleset)
    if strategy == "lifetime-energy":
        fu = _lifetime_energy(sub, ruleset, issues)
    elif strategy == "vehicle-consumption":
        fu = _vehicle_consumption(sub, ruleset, issues)
    else:
        fu = _rated_capacity(sub)
    if fu is not None:
        for override in fu.overrides:
            issues.append(
                _issue(
                    "cfp.fu-override",
                    "/functionalUnit",
                    f"functional-unit override: {override}",
                    Severity.WARNING,
                )
            )
        if fu.energy_kwh <= 0:
            issues.append(_issue("cfp.fu-zero", "/battery", "the functional unit is zero"))
            return None, issues
    return fu, issues
