"""``build_passport``: submission + CFP result + DD summary + provenance -> ``Passport``.

Pure: the generation time, base URL and input digests are passed in. The builder copies what the
inputs declare into the Annex XIII sections; it never pads missing values (the completeness report
lists them). Problems are located issues: no item data, a repurposed/re-used/remanufactured
battery without predecessor, an original one with predecessors, a wrong GTIN check digit, a CFP
result of another model, contradictory identifiers; a serial GS1 cannot carry is a warning
(:mod:`.identifiers` says how the battery is identified then).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from compliance._version import __version__
from compliance.cfp.result import CfpResult, Measure
from compliance.errors import Issue, Layer, Severity
from compliance.models import BatteryCategory, BatteryStatus, SupplierSubmission
from compliance.models.common import Identifier
from compliance.models.passport_data import RecycledContent, RecycledShare
from compliance.passport import identifiers as ids
from compliance.passport.model import (
    AuthorityInformation,
    CarbonFootprintInfo,
    ChemistryInfo,
    DdSummary,
    Extensions,
    Identification,
    IndividualInformation,
    LegitimateInterestInformation,
    Passport,
    PlaceOfManufacture,
    Provenance,
    PublicInformation,
    RecycledContentDetails,
    StageValue,
)
from compliance.recycled.result import RecycledResult
from compliance.units import Quantity

__all__ = ["NEEDS_PREDECESSOR", "build_passport"]

NEEDS_PREDECESSOR = (BatteryStatus.REPURPOSED, BatteryStatus.REUSED, BatteryStatus.REMANUFACTURED)
"""Art. 77(7): a battery prepared for re-use or repurposing, repurposed or remanufactured gets a
new passport linked to the passport(s) of the original battery or batteries."""


def _issue(code: str, pointer: str, message: str) -> Issue:
    return Issue(code, pointer, message, Severity.ERROR, Layer.RULE)


def _identifier_conflicts(groups: Iterable[tuple[str, tuple[Identifier, ...]]]) -> list[Issue]:
    issues = []
    for pointer, identifiers in groups:
        seen: dict[str, str] = {}
        for i, identifier in enumerate(identifiers):
            scheme = identifier.scheme.upper()
            if scheme in seen and seen[scheme] != identifier.value:
                issues.append(
                    _issue(
                        "passport.identity-conflict",
                        f"{pointer}/{i}/value",
                        f"two different {identifier.scheme} identifiers "
                        f"({seen[scheme]!r} and {identifier.value!r})",
                    )
                )
            seen.setdefault(scheme, identifier.value)
    return issues


def _computed_recycled(result: RecycledResult) -> RecycledContent:
    """Annex XIII 1(e) from the calculation: pre- and post-consumer shares per element.

    Shares are fractions rounded to the ruleset's reporting precision (its percent decimals + 2).
    """
    decimals = result.percent_decimals + 2
    shares = {
        element.element.value: RecycledShare(
            pre_consumer=round(element.share_pre, decimals),
            post_consumer=round(element.share_post, decimals),
        )
        for element in result.elements
        if element.share_pre is not None and element.share_post is not None
    }
    return RecycledContent.model_validate(shares)


def _recycled_details(
    declared: RecycledContent | None, result: RecycledResult | None
) -> RecycledContentDetails | None:
    if result is None:
        return None if declared is None else RecycledContentDetails(basis="declared")
    return RecycledContentDetails(
        basis="computed",
        ruleset=f"{result.ruleset.id}@{result.ruleset.version}",
        declared=declared,
        rejected_claims=tuple(
            f"{c.element.value}: {c.supplier} ({c.rule})" for c in result.rejected_claims
        ),
    )


def _carbon_footprint(sub: SupplierSubmission, cfp: CfpResult) -> CarbonFootprintInfo:
    """The carbon-footprint section: the CFP result and the declared class and study URL."""
    data = sub.passport
    declared_class = data.carbon_footprint_performance_class if data else None
    study_url = sub.cfp_declaration.study_url if sub.cfp_declaration else None
    return _carbon_footprint_info(cfp, declared_class, study_url)


def _carbon_footprint_info(
    cfp: CfpResult, declared_class: str | None, study_url: str | None
) -> CarbonFootprintInfo:
    label = cfp.performance_class.label or declared_class
    return CarbonFootprintInfo(
        per_functional_unit=cfp.total_per_unit,
        functional_unit=cfp.functional_unit.unit_label,
        stages=tuple(
            StageValue(stage=s.stage, per_functional_unit=s.per_unit, share=s.share)
            for s in cfp.stages
        ),
        absolute=cfp.total,
        performance_class=label,
        performance_class_status=(
            cfp.performance_class.status
            if cfp.performance_class.label or not declared_class
            else "declared"
        ),
        study_url=study_url,
        ruleset=f"{cfp.ruleset.id}@{cfp.ruleset.version}",
        method=cfp.ruleset.title,
        declared_unit=cfp.declared_unit,
    )


def _gs1_key(gtin: str | None, serial: str, issues: list[Issue]) -> tuple[str | None, list[Issue]]:
    """The GTIN-14 to key the battery with in GS1 (AI (01) + AI (21)), and the warnings.

    ``None`` without a GTIN, with a wrong check digit (an error in ``issues``) or with a serial
    AI (21) cannot hold (a warning: see :mod:`.identifiers`).
    """
    if gtin is None:
        return None, []
    padded = ids.gtin14(gtin)
    if padded is None:
        issues.append(
            _issue(
                "passport.gtin-invalid",
                "/passport/item/gtin",
                f"GTIN {gtin} has a wrong check digit",
            )
        )
        return None, []
    problem = ids.gs1_serial_problem(serial)
    if problem is None:
        return padded, []
    warning = Issue(
        "passport.gtin-serial-unusable",
        "/passport/item/serialNumber",
        f"the serial number cannot be a GS1 serial (AI (21), GS1 General Specifications 7.11): "
        f"{problem}. No GS1 element string or Digital Link is made; the battery is identified "
        "by passport.item.batteryIdentifier (give one of another ISO/IEC 15459 scheme) or else "
        "a urn:uuid, and the QR code carries the passport URL; the GTIN stays the model's",
        Severity.WARNING,
        Layer.RULE,
    )
    return None, [warning]


def _measure(quantity: object) -> Measure:
    assert isinstance(quantity, Quantity)
    return Measure(value=quantity.magnitude, unit=quantity.canonical_unit)


def build_passport(
    sub: SupplierSubmission,
    *,
    generated_at: datetime,
    submission_digest: str,
    base_url: str,
    cfp: CfpResult | None = None,
    dd: DdSummary | None = None,
    questionnaire_digest: str | None = None,
    dd_reference_tables: tuple[str, ...] = (),
    recycled: RecycledResult | None = None,
) -> tuple[Passport | None, list[Issue]]:
    """Build the full passport of the battery described by ``sub.passport.item``.

    ``recycled``: the Art. 8 calculation; its shares fill Annex XIII 1(e), the declared ones are
    kept beside them (``recycledContentDetails``).
    """
    if sub.battery.category is BatteryCategory.SLI:
        return None, [
            _issue(
                "passport.category-out-of-scope",
                "/battery/category",
                "SLI batteries have no battery passport (Art. 77(1): LMT, industrial above "
                "2 kWh and EV batteries)",
            )
        ]
    data = sub.passport
    item = data.item if data else None
    if data is None or item is None:
        return None, [
            _issue(
                "passport.item-missing",
                "/passport/item",
                "a passport describes one battery: give passport.item (serial number, "
                "manufacturing date, status)",
            )
        ]
    issues = _identifier_conflicts(
        [
            ("/manufacturer/identifiers", sub.manufacturer.identifiers),
            ("/plant/identifiers", sub.plant.identifiers),
            (
                "/passport/economicOperator/identifiers",
                data.economic_operator.identifiers if data.economic_operator else (),
            ),
        ]
    )
    gtin, warnings = _gs1_key(item.gtin, item.serial_number, issues)
    if (
        item.battery_identifier
        and gtin
        and (
            gtin not in item.battery_identifier or item.serial_number not in item.battery_identifier
        )
    ):
        issues.append(
            _issue(
                "passport.identity-conflict",
                "/passport/item/batteryIdentifier",
                "the battery identifier contradicts the GTIN and serial number",
            )
        )
    if item.status in NEEDS_PREDECESSOR and not item.predecessors:
        issues.append(
            _issue(
                "passport.predecessor-missing",
                "/passport/item/predecessors",
                f"a {item.status.value} battery needs a new passport linked to the "
                "passport(s) of the original battery (Art. 77(7))",
            )
        )
    if item.status is BatteryStatus.ORIGINAL and item.predecessors:
        issues.append(
            _issue(
                "passport.predecessor-unexpected",
                "/passport/item/predecessors",
                "an original battery has no predecessor passport",
            )
        )
    if cfp is not None and cfp.battery_model != sub.battery.model_identifier:
        issues.append(
            _issue(
                "passport.identity-conflict",
                "/battery/modelIdentifier",
                f"the CFP result is for model {cfp.battery_model!r}, not "
                f"{sub.battery.model_identifier!r}",
            )
        )
    battery_id = ids.battery_identifier(
        manufacturer=sub.manufacturer.name,
        model=sub.battery.model_identifier,
        serial=item.serial_number,
        gtin=gtin,
        given=item.battery_identifier,
    )
    passport_id = ids.passport_identifier(battery_id, item.predecessors)
    if passport_id in item.predecessors:
        issues.append(
            _issue(
                "passport.identity-conflict",
                "/passport/item/predecessors",
                "a passport cannot be its own predecessor",
            )
        )
    if issues:
        return None, issues + warnings
    link = ids.gs1_digital_link(base_url, gtin, item.serial_number) if gtin else None
    battery = sub.battery
    provenance = Provenance(
        engine_version=__version__,
        generated_at=generated_at.isoformat().replace("+00:00", "Z"),
        submission_digest=submission_digest,
        questionnaire_digest=questionnaire_digest,
        cfp_ruleset=f"{cfp.ruleset.id}@{cfp.ruleset.version}" if cfp else None,
        gwp_set=f"{cfp.gwp_set.id}@{cfp.gwp_set.version}" if cfp else None,
        factor_datasets=tuple(f"{d.id}@{d.version}" for d in cfp.datasets) if cfp else (),
        dd_catalogue=dd.catalogue if dd else None,
        dd_reference_tables=dd_reference_tables or None,
    )
    public = PublicInformation(
        manufacturer=sub.manufacturer,
        identification=Identification(
            category=battery.category,
            model_identifier=battery.model_identifier,
            model_name=battery.model_name,
            battery_identifier=battery_id,
            serial_number=item.serial_number,
            batch=item.batch,
            gtin=gtin or (ids.gtin14(item.gtin) if item.gtin else None),
            external_storage_only=battery.external_storage_only,
        ),
        place_of_manufacture=PlaceOfManufacture(
            plant_name=sub.plant.name,
            facility_id=sub.plant.facility_id,
            address=sub.plant.address,
            identifiers=sub.plant.identifiers,
        ),
        date_of_manufacture=item.manufacturing_date,
        mass=_measure(battery.mass),
        rated_capacity=_measure(battery.rated_capacity),
        nominal_voltage=_measure(battery.nominal_voltage),
        usable_energy=_measure(battery.usable_energy_bol),
        chemistry=ChemistryInfo(code=battery.chemistry, description=battery.chemistry_description),
        hazardous_substances=data.hazardous_substances,
        extinguishing_agents=data.extinguishing_agents,
        heavy_metals=data.heavy_metals,
        critical_raw_materials=data.critical_raw_materials,
        carbon_footprint=_carbon_footprint(sub, cfp) if cfp else None,
        responsible_sourcing=data.due_diligence,
        recycled_content=(
            _computed_recycled(recycled) if recycled is not None else data.recycled_content
        ),
        recycled_content_details=_recycled_details(data.recycled_content, recycled),
        renewable_content=data.renewable_content,
        performance=data.performance,
        warranty=sub.warranty,
        labels=data.labels,
        declaration_of_conformity=data.declaration_of_conformity,
        waste_information=data.waste_information,
    )
    passport = Passport(
        passport_identifier=passport_id,
        battery_identifier=battery_id,
        gs1_digital_link=link,
        public_url=link or ids.public_url(base_url, passport_id),
        category=battery.category,
        economic_operator=data.economic_operator or sub.manufacturer,
        catena_x=data.catena_x,
        provenance=provenance,
        public=public,
        legitimate_interest=LegitimateInterestInformation(
            materials=data.materials,
            spare_parts=data.spare_parts,
            dismantling=data.dismantling,
            safety_instructions_url=data.safety_instructions_url,
        ),
        authorities=AuthorityInformation(test_reports=data.test_reports),
        individual=IndividualInformation(
            status=item.status,
            predecessors=item.predecessors,
            putting_into_service=item.putting_into_service,
            condition=item.condition,
        ),
        extensions=Extensions(due_diligence=dd) if dd else None,
    )
    return passport, warnings
