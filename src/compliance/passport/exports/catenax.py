"""Export to the Catena-X ``io.catenax.battery.battery_pass`` 6.1.0 payload.

Source: eclipse-tractusx/sldt-semantic-models, ``io.catenax.battery.battery_pass/6.1.0``
(CC-BY-4.0), mapped per shared/docs/passport.md sections 5.1 and 7. Catena-X identifies companies
and sites by Business Partner Numbers: the manufacturer and the economic operator need a ``BPNL``
identifier and the plant a ``BPNA`` identifier (scheme ``BPNL`` / ``BPNA`` in the submission);
without them the export is refused with located issues (nothing is invented). Values the
submission does not hold are left out and recorded as deviations (:mod:`.common`).

Units: Catena-X takes percent 0-100 for shares, W for power, Ah, V, ohm, kWh; carbon footprint
entries carry their unit as text ("kg CO2e/kWh").
"""

from __future__ import annotations

import re
from typing import Any

from compliance.errors import Issue, Layer, Severity
from compliance.models import BatteryCategory, Chemistry, LifecycleStage
from compliance.models.common import Identifier
from compliance.models.passport_data import Condition, CriticalRawMaterial, Performance
from compliance.passport.access import is_hidden
from compliance.passport.exports.chemistry import clear_name
from compliance.passport.exports.common import (
    DeviationKind,
    ExportResult,
    ExportRun,
    efficiency_fade,
    measure_in,
    percent,
    quantity_in,
    remaining_efficiency,
    rounded,
    significant,
)
from compliance.passport.model import Passport
from compliance.units import Dimension

__all__ = ["ASPECT", "FORMAT", "SCHEMA_PATH", "export_catenax"]

FORMAT = "catenax-battery-pass-6.1.0"
ASPECT = "batteryPass"
SCHEMA_PATH = "io.catenax.battery.battery_pass/6.1.0/gen/BatteryPass-schema.json"
SPEC_VERSION = "urn:io.catenax.battery.battery_pass:6.1.0"
NIL_UUID = "urn:uuid:00000000-0000-0000-0000-000000000000"
"""RFC 9562 nil UUID: the 'no predecessor' value the model's description asks for."""

_BPNL = re.compile(r"^BPNL[a-zA-Z0-9]{12}$")
_BPNA = re.compile(r"^BPNA[a-zA-Z0-9]{12}$")
_CATEGORY = {
    BatteryCategory.EV: "EV",
    BatteryCategory.LMT: "LMT",
    BatteryCategory.INDUSTRIAL: "industrial",
    BatteryCategory.STATIONARY: "industrial",
}
_LIFECYCLE = {
    LifecycleStage.RAW_MATERIAL: "raw material acquisition and pre-processing",
    LifecycleStage.MAIN_PRODUCTION: "main product production",
    LifecycleStage.DISTRIBUTION: "distribution",
    LifecycleStage.END_OF_LIFE: "end of life and recycling",
}
_CAS = {"nickel": "7440-02-0", "lithium": "7439-93-2", "cobalt": "7440-48-4", "lead": "7439-92-1"}
_CRITICAL = {"cobalt": True, "lithium": True, "nickel": True, "lead": False}
"""Critical raw materials among the four Art. 8 metals: Regulation (EU) 2024/1252 (CRMA)
Annex II lists cobalt, lithium and nickel (battery grade); lead is not listed."""


def _bpn(identifiers: tuple[Identifier, ...], pattern: re.Pattern[str]) -> str | None:
    return next((i.value for i in identifiers if pattern.match(i.value)), None)


def _doc(header: str, url: str) -> dict[str, str]:
    return {"header": header, "contentType": "URL", "content": url}


def _dyn(value: float, at: str) -> dict[str, Any]:
    return {"value": value, "time": at}


class _Export(ExportRun):
    def __init__(self, passport: Passport, version: int, bpn: dict[str, str]) -> None:
        super().__init__(passport, ASPECT)
        self.version = version
        self.bpn = bpn
        """Business partner numbers by role (manufacturer, operator, facility)."""

    def payloads(self) -> dict[str, Any]:
        bpn = self.bpn
        payload: dict[str, Any] = {
            "specVersion": SPEC_VERSION,
            "metadata": self.metadata(bpn["operator"]),
            "identification": self.identification(),
            "operation": self.operation(bpn["manufacturer"], bpn["facility"]),
            "characteristics": self.characteristics(),
            "commercial": self.commercial(),
            "sustainability": self.sustainability(bpn["facility"]),
            "materials": self.materials(),
            "performance": self.performance(),
            "conformity": self.conformity(),
            "safety": self.safety(),
            "handling": self.handling(),
        }
        return {ASPECT: {key: value for key, value in payload.items() if value is not None}}

    # ------------------------------------------------------------------ blocks

    def identification(self) -> dict[str, Any]:
        p, ident = self.p, self.p.public.identification
        inner: dict[str, Any] = {
            "type": {
                "manufacturerPartId": ident.model_identifier,
                "nameAtManufacturer": ident.model_name or ident.model_identifier,
            },
            "codes": [{"key": "GTIN", "value": ident.gtin}] if ident.gtin else [],
            "classification": [],
            "dataCarrier": {"carrierType": "QR"},
        }
        if ident.serial_number:
            inner["serial"] = [{"key": "partInstanceId", "value": ident.serial_number}]
        if ident.batch:
            inner["batch"] = [{"key": "batchId", "value": ident.batch}]
        layout = p.catena_x.data_carrier_layout if p.catena_x else None
        if layout:
            inner["dataCarrier"]["carrierLayout"] = layout
        else:
            self.missing(
                "/identification/identification/dataCarrier/carrierLayout",
                "no data-carrier layout (where the QR code sits) declared",
            )
        if p.category is BatteryCategory.STATIONARY:
            self.missing(
                "/identification/category",
                "Catena-X has no 'stationary' category; stationary storage is an industrial "
                "battery (Art. 3(1)(14)-(15))",
                DeviationKind.REPRESENTATION,
            )
        chemistry = p.public.chemistry
        return {
            "category": _CATEGORY[p.category],
            "idDmc": p.battery_identifier,
            "chemistry": chemistry.description or clear_name(chemistry.code),
            "identification": inner,
        }

    def operation(self, manufacturer: str, facility: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "manufacturer": {"manufacturer": manufacturer, "facility": [{"facility": facility}]}
        }
        made = self.p.public.date_of_manufacture
        if made:
            out["manufacturer"]["manufacturingDate"] = f"{made}-01"
            self.missing(
                "/operation/manufacturer/manufacturingDate",
                "month and year of manufacture (Annex VI Part A(4)) as the first of the month",
                DeviationKind.REPRESENTATION,
            )
        individual = self.p.individual
        if individual is None:
            self.withheld("/operation/intoServiceDate", "4 (Annex VII Part B)")
        elif individual.putting_into_service:
            out["intoServiceDate"] = individual.putting_into_service.isoformat()
        return out

    def characteristics(self) -> dict[str, Any]:
        pub = self.p.public
        out: dict[str, Any] = {
            "physicalDimension": {
                "weight": {
                    "value": measure_in(pub.mass, "kg", Dimension.MASS),
                    "unit": "unit:kilogram",
                }
            }
        }
        period = pub.warranty.period if pub.warranty else None
        if period is not None:
            months = quantity_in(period, "month")
            if months % 12 == 0:
                out["warranty"] = {"lifeValue": months / 12, "lifeUnit": "unit:year"}
            else:
                out["warranty"] = {"lifeValue": months, "lifeUnit": "unit:month"}
        else:
            self.missing("/characteristics/warranty", "no warranty period declared")
        return out

    def sustainability(self, facility: str) -> dict[str, Any]:
        pub = self.p.public
        documents: dict[str, Any] = {}
        waste = pub.waste_information
        if waste is not None:
            documents["separateCollection"] = [
                _doc("Separate collection", waste.separate_collection_url),
                _doc("Collection and take-back points", waste.collection_information_url),
            ]
            documents["wastePrevention"] = [_doc("Waste prevention", waste.waste_prevention_url)]
            self.missing(
                "/sustainability/documents/separateCollection/1",
                "the model has no document list for the collection and take-back points "
                "(Art. 74(1)(b)); they are listed with the separate-collection documents",
                DeviationKind.REPRESENTATION,
            )
        else:
            self.missing("/sustainability/documents", "no waste information (Art. 74(1)) declared")
        out: dict[str, Any] = {"documents": documents, "carbonFootprint": []}
        individual = self.p.individual
        if individual is not None:
            out["status"] = individual.status.value
        else:
            self.withheld("/sustainability/status", "4(c)")
        cf = pub.carbon_footprint
        if cf is None:
            self.missing(
                "/sustainability/carbonFootprint",
                "no carbon footprint result was given to the passport: the list is empty",
            )
            return out
        unit, dim = "kg CO2e/kWh", Dimension.EMISSION_PER_ENERGY
        study = [_doc("Carbon footprint study", cf.study_url)] if cf.study_url else []
        rulebook = [
            {
                "header": "Carbon footprint calculation rules",
                "contentType": "text/plain",
                "content": f"{cf.method} ({cf.ruleset})",
            }
        ]
        entries = [("total", cf.per_functional_unit)] + [
            (_LIFECYCLE[s.stage], s.per_functional_unit) for s in cf.stages
        ]
        for i, (lifecycle, measure) in enumerate(entries):
            entry: dict[str, Any] = {
                "value": significant(measure_in(measure, unit, dim)),
                "unit": unit,
                "type": "Climate Change Total",
                "lifecycle": lifecycle,
                "manufacturingPlant": [{"facility": facility}],
                "rulebook": rulebook,
                "declaration": study,
            }
            if cf.performance_class:
                entry["performanceClass"] = cf.performance_class
            if entry["value"] < 0:
                self.missing(
                    f"/sustainability/carbonFootprint/{i}/value",
                    f"the {lifecycle} value is negative (Circular Footprint Formula credits, "
                    "Annex II); the schema's minimum 0 cannot hold it: the true value is emitted",
                    DeviationKind.UPSTREAM_DEFECT,
                )
            out["carbonFootprint"].append(entry)
        self.missing(
            "/sustainability/carbonFootprint/0/lifecycle",
            "the model has no way to mark the total; the entry with lifecycle 'total' is the "
            "declared value per functional unit, the others the four Annex II stages",
            DeviationKind.REPRESENTATION,
        )
        self.missing(
            "/sustainability/carbonFootprint/0/value",
            "computed values rounded half-even to 10 significant digits (binary noise removed)",
            DeviationKind.REPRESENTATION,
        )
        return out

    def materials(self) -> dict[str, Any]:
        pub, li = self.p.public, self.p.legitimate_interest
        rc = pub.recycled_content
        active: dict[str, Any] = {}
        for metal in ("nickel", "lithium", "cobalt", "lead"):
            share = getattr(rc, metal) if rc else None
            pointer = f"/materials/active/{metal}"
            if share is None:
                self.missing(
                    pointer,
                    f"no recycled content of {metal} declared (Art. 8(1) waits for its "
                    "delegated act)",
                    DeviationKind.NOT_APPLICABLE,
                )
                continue
            active[metal] = {
                "recycled": percent(share.pre_consumer + share.post_consumer),
                "critical": _CRITICAL[metal],
                "documentation": [],
            }
            self.missing(
                f"{pointer}/recycled",
                "Catena-X holds one recycled share; pre- and post-consumer shares are summed",
                DeviationKind.REPRESENTATION,
            )
            location = self.crm_location(metal)
            if location:
                active[metal]["location"] = location
            else:
                self.missing(
                    f"{pointer}/location",
                    f"no location of {metal} declared (criticalRawMaterials[].location)",
                )
        hazardous: dict[str, Any] = {
            "other": [
                {
                    "materialIdentification": [{"type": "CAS", "id": h.cas_number, "name": h.name}],
                    "concentration": percent(h.concentration),
                    "materialUnit": "unit:percent",
                    "location": h.location,
                    "critical": False,
                    "impactOfSubstances": [
                        {"header": "Impact", "contentType": "text/plain", "content": text}
                        for text in h.impact
                    ],
                    "documentation": [],
                }
                for h in pub.hazardous_substances
            ]
        }
        metals = pub.heavy_metals
        for metal in ("cadmium", "mercury", "lead"):
            declared = getattr(metals, metal) if metals else None
            if declared is None:
                self.missing(
                    f"/materials/hazardous/{metal}", f"no {metal} content declared (Annex I)"
                )
                continue
            hazardous[metal] = {
                "concentration": percent(declared.concentration),
                "materialUnit": "unit:percent",
                "location": declared.location,
                "critical": False,
                "impactOfSubstances": [],
                "documentation": [],
            }
            if metal == "lead":
                lead = rc.lead if rc else None
                if lead is not None:
                    hazardous[metal]["recycled"] = percent(lead.pre_consumer + lead.post_consumer)
                elif pub.chemistry.code is Chemistry.LEAD_ACID:
                    self.missing(
                        "/materials/hazardous/lead/recycled", "no recycled lead content declared"
                    )
                else:
                    self.missing(
                        "/materials/hazardous/lead/recycled",
                        "recycled lead content (Art. 8(1)) concerns lead in active materials; "
                        f"a {pub.chemistry.code.value} battery has none",
                        DeviationKind.NOT_APPLICABLE,
                    )
        out: dict[str, Any] = {"active": active, "hazardous": hazardous}
        composition: list[dict[str, Any]] = []
        out["composition"] = composition
        if li is None:
            self.withheld(
                "/materials/composition",
                "point 2(a) (the list holds the public critical raw materials of Annex VI Part "
                "A(10) only)",
            )
            materials: tuple[Any, ...] = ()
        else:
            materials = li.materials
        total_g = measure_in(pub.mass, "g", Dimension.MASS)
        for i, m in enumerate(materials):
            entry: dict[str, Any] = {
                "id": [{"type": "CAS", "id": m.cas_number, "name": m.name}],
                "concentration": rounded(quantity_in(m.mass, "g") / total_g * 100.0, 10),
                "unit": "unit:percent",
                "location": m.component,
                "critical": m.critical,
                "documentation": [],
            }
            for key, share in (("recycled", m.recycled_share), ("renewable", m.renewable_share)):
                if share is None:
                    self.missing(f"/materials/composition/{i}/{key}", f"no {key} share declared")
                else:
                    entry[key] = percent(share)
            composition.append(entry)
        listed = {m.cas_number for m in materials}
        for crm in pub.critical_raw_materials:
            if crm.cas_number is None or crm.cas_number not in listed:
                composition.append(self.critical_material(crm, len(composition)))
        return out

    def critical_material(self, crm: CriticalRawMaterial, at: int) -> dict[str, Any]:
        """A critical raw material (Annex VI Part A(10), public) as a composition entry."""
        pointer = f"/materials/composition/{at}"
        identification = {"type": "CAS", "name": crm.name}
        if crm.cas_number is not None:
            identification["id"] = crm.cas_number
        else:
            self.missing(f"{pointer}/id/0/id", f"no CAS number of {crm.name} declared")
        entry: dict[str, Any] = {
            "id": [identification],
            "concentration": percent(crm.concentration),
            "unit": "unit:percent",
            "critical": True,
            "documentation": [],
        }
        if crm.location:
            entry["location"] = crm.location
        else:
            self.missing(f"{pointer}/location", f"no location of {crm.name} declared")
        for key in ("recycled", "renewable"):
            self.missing(
                f"{pointer}/{key}",
                f"a critical raw material (Annex VI Part A(10)) is declared without a {key} share",
            )
        return entry

    def crm_location(self, metal: str) -> str | None:
        """Where a metal sits, from the critical raw materials (matched by CAS or name)."""
        for crm in self.p.public.critical_raw_materials:
            if crm.cas_number == _CAS[metal] or crm.name.strip().lower() == metal:
                return crm.location
        return None

    def performance(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        perf = self.p.public.performance
        if perf is None:
            self.missing("/performance/rated", "no performance values declared")
        else:
            out["rated"] = self.rated(perf)
        individual = self.p.individual
        if individual is None:
            self.withheld("/performance/dynamic", "point 4")
        elif individual.condition is None:
            self.missing(
                "/performance/dynamic",
                "no state-of-health or use data recorded for this battery yet",
                DeviationKind.NOT_APPLICABLE,
            )
        else:
            out["dynamic"] = self.dynamic(individual.condition)
        return out

    def rated(self, perf: Performance) -> dict[str, Any]:
        pub = self.p.public
        at20 = perf.power_capability_at_20_soc
        power: dict[str, Any] = {"at80SoC": quantity_in(perf.original_power_capability, "W")}
        if perf.maximum_power is not None:
            power["value"] = quantity_in(perf.maximum_power, "W")
        else:
            self.missing("/performance/rated/power/value", "no rated maximum power declared")
        if at20 is not None:
            power["at20SoC"] = quantity_in(at20, "W")
        else:
            self.missing("/performance/rated/power/at20SoC", "no power capability at 20 % SoC")
        resistance: dict[str, Any] = {
            "cell": quantity_in(perf.internal_resistance.cell, "ohm"),
            "pack": quantity_in(perf.internal_resistance.pack, "ohm"),
        }
        if perf.internal_resistance.module is not None:
            resistance["module"] = quantity_in(perf.internal_resistance.module, "ohm")
        capacity: dict[str, Any] = {"value": measure_in(pub.rated_capacity, "Ah", Dimension.CHARGE)}
        if perf.capacity_threshold_for_exhaustion is not None:
            capacity["thresholdExhaustion"] = percent(perf.capacity_threshold_for_exhaustion)
        else:
            self.missing(
                "/performance/rated/capacity/thresholdExhaustion",
                "Annex XIII 1(k) applies to EV batteries only"
                if self.p.category is not BatteryCategory.EV
                else "not declared",
                DeviationKind.NOT_APPLICABLE
                if self.p.category is not BatteryCategory.EV
                else DeviationKind.NOT_DECLARED,
            )
        testing: dict[str, Any] = {"cycles": perf.expected_cycle_life}
        test = perf.cycle_life_test
        if test is not None:
            testing.update(
                temperature=test.temperature_celsius,
                depthOfDischarge=percent(test.depth_of_discharge),
                appliedChargeRate=test.charge_rate,
                appliedDischargeRate=test.discharge_rate,
            )
        else:
            self.missing(
                "/performance/rated/lifetime/cycleLifeTesting",
                "no cycle-life test conditions (temperature, depth of discharge, C-rates) declared",
            )
        out: dict[str, Any] = {
            "voltage": {
                "min": quantity_in(perf.minimum_voltage, "V"),
                "nominal": measure_in(pub.nominal_voltage, "V", Dimension.VOLTAGE),
                "max": quantity_in(perf.maximum_voltage, "V"),
            },
            "roundTripEfficiency": {
                "initial": percent(perf.round_trip_efficiency),
                "50PercentLife": percent(perf.round_trip_efficiency_at_50_percent_cycle_life),
            },
            "energy": {"value": measure_in(pub.usable_energy, "kWh", Dimension.ENERGY)},
            "resistance": resistance,
            "power": power,
            "capacity": capacity,
            "temperature": {
                "lower": perf.idle_temperature_range.lower_celsius,
                "upper": perf.idle_temperature_range.upper_celsius,
            },
            "lifetime": {
                "expectedYears": quantity_in(perf.expected_lifetime, "year"),
                "report": [_doc("Cycle-life reference test", perf.cycle_life_reference_test)],
                "cycleLifeTesting": testing,
            },
        }
        dod = perf.round_trip_efficiency_depth_of_discharge
        if dod is not None:
            out["roundTripEfficiency"]["depthOfDischarge"] = percent(dod)
        else:
            self.missing(
                "/performance/rated/roundTripEfficiency/depthOfDischarge",
                "no depth of discharge of the round-trip efficiency test declared",
            )
        if perf.initial_self_discharge_rate is not None:
            out["selfDischargingRate"] = percent(perf.initial_self_discharge_rate)
        elif is_hidden(self.p, "/public/performance/initialSelfDischargeRate"):
            self.withheld("/performance/rated/selfDischargingRate", "4(a)-(b)")
        else:
            self.missing("/performance/rated/selfDischargingRate", "no self-discharge declared")
        authorities = self.p.authorities
        if authorities is not None and authorities.test_reports:
            out["testReport"] = [_doc(r.title, r.url) for r in authorities.test_reports]
        return out

    def dynamic(self, c: Condition) -> dict[str, Any]:
        at = c.measured_at
        rated_ah = measure_in(self.p.public.rated_capacity, "Ah", Dimension.CHARGE)
        out: dict[str, Any] = {
            "stateOfCharge": _dyn(percent(c.state_of_charge), at),
            "fullCycles": _dyn(c.full_cycles, at),
            "selfDischargingRate": percent(c.current_self_discharge_rate),
            "capacity": {
                "capacity": _dyn(round(c.remaining_capacity * rated_ah, 10), at),
                "fade": _dyn(percent(c.capacity_fade), at),
                "throughput": _dyn(quantity_in(c.capacity_throughput, "Ah"), at),
            },
            "power": {"fade": _dyn(percent(1.0 - c.remaining_power_capability), at)},
            "energy": {
                "remaining": _dyn(quantity_in(c.remaining_energy, "kWh"), at),
                "throughput": _dyn(quantity_in(c.energy_throughput, "kWh"), at),
            },
            "roundTripEfficiency": {"fade": _dyn(efficiency_fade(c), at)},
        }
        perf = self.p.public.performance
        if perf is not None:
            watts = quantity_in(perf.original_power_capability, "W")
            out["power"]["remaining"] = _dyn(significant(c.remaining_power_capability * watts), at)
            out["roundTripEfficiency"]["remaining"] = _dyn(remaining_efficiency(c, perf), at)
            self.missing(
                "/performance/dynamic/power/remaining",
                "the remaining power capability is recorded as a share of the original power "
                "capability at 80 % state of charge (Annex XIII 1(i)); that share of it in W is "
                "emitted",
                DeviationKind.REPRESENTATION,
            )
            self.missing(
                "/performance/dynamic/roundTripEfficiency/remaining",
                "the submission gives the remaining round-trip efficiency relative to the "
                "initial one (1(n)); the efficiency itself (relative x initial) is emitted",
                DeviationKind.REPRESENTATION,
            )
        else:
            for key in ("power/remaining", "roundTripEfficiency/remaining"):
                self.missing(
                    f"/performance/dynamic/{key}",
                    "no original performance values declared to state it from",
                )
        if c.state_of_certified_energy is not None:
            out["energy"]["soce"] = _dyn(percent(c.state_of_certified_energy), at)
        else:
            self.missing(
                "/performance/dynamic/energy/soce",
                "the state of certified energy applies to EV batteries only",
                DeviationKind.NOT_APPLICABLE,
            )
        resistance = self.resistance(c, perf, at)
        if resistance is not None:
            out["resistance"] = resistance
        else:
            self.missing(
                "/performance/dynamic/resistance",
                "no present internal resistances recorded (condition.internalResistance)",
            )
        if c.negative_events:
            out["negativeEvents"] = [
                {"header": "Negative event", "contentType": "text/plain", "content": event}
                for event in c.negative_events
            ]
        return out

    def resistance(self, c: Condition, perf: Performance | None, at: str) -> dict[str, Any] | None:
        """Present resistances and their increase over the initial ones (Annex IV Part A(3))."""
        now = c.internal_resistance
        if now is None or perf is None:
            return None
        initial = perf.internal_resistance
        remaining: dict[str, Any] = {}
        increase: dict[str, Any] = {}
        for part in ("cell", "module", "pack"):
            present, first = getattr(now, part), getattr(initial, part)
            if present is None:
                continue
            ohm = quantity_in(present, "ohm")
            remaining[part] = _dyn(ohm, at)
            if first is not None:
                increase[part] = _dyn(percent(ohm / quantity_in(first, "ohm") - 1.0), at)
        return {"remaining": remaining, "increase": increase}

    def conformity(self) -> dict[str, Any]:
        pub = self.p.public
        out: dict[str, Any] = {
            "declarationOfConformity": [],
            "resultOfTestReport": [],
            "thirdPartyAssurance": [],
            "dueDiligencePolicy": [],
        }
        doc = pub.declaration_of_conformity
        if doc is not None:
            out["declarationOfConformity"] = [_doc("EU declaration of conformity", doc.url)]
            out["declarationOfConformityId"] = doc.identifier
        else:
            self.missing("/conformity/declarationOfConformity", "no declaration of conformity")
        authorities = self.p.authorities
        if authorities is None:
            del out["resultOfTestReport"]
            self.withheld("/conformity/resultOfTestReport", "point 3")
        else:
            out["resultOfTestReport"] = [_doc(r.title, r.url) for r in authorities.test_reports]
        dd = pub.responsible_sourcing
        if dd is not None:
            out["dueDiligencePolicy"] = [_doc("Due diligence report (Art. 52(3))", dd.report_url)]
            if dd.third_party_assurances_url:
                out["thirdPartyAssurance"] = [
                    _doc("Third-party verification (Art. 51)", dd.third_party_assurances_url)
                ]
        else:
            self.missing("/conformity/dueDiligencePolicy", "no due-diligence report declared")
        return out

    def safety(self) -> dict[str, Any]:
        pub, li = self.p.public, self.p.legitimate_interest
        agents = []
        for i, agent in enumerate(pub.extinguishing_agents):
            entry: dict[str, Any] = {"media": agent.media}
            if agent.fire_class:
                entry["fireClass"] = agent.fire_class
            else:
                self.missing(f"/safety/usableExtinguishAgent/{i}/fireClass", "no fire class")
            agents.append(entry)
        out: dict[str, Any] = {
            "usableExtinguishAgent": agents,
            "meaningOfLabels": [_doc(label.meaning, label.symbol_url) for label in pub.labels],
        }
        if li is None:
            self.withheld("/safety/safetyMeasures", "point 2(d)")
            self.withheld("/safety/dismantling", "point 2(c)")
        else:
            out["safetyMeasures"] = (
                [_doc("Safety instructions", li.safety_instructions_url)]
                if li.safety_instructions_url
                else []
            )
            out["dismantling"] = [
                _doc(d.document_type.value.replace("-", " "), d.url) for d in li.dismantling
            ]
        return out

    def metadata(self, operator: str) -> dict[str, Any]:
        p = self.p
        issued = p.provenance.generated_at[:10]
        out: dict[str, Any] = {
            "passportIdentifier": p.passport_identifier,
            "version": f"{self.version}.0.0",
            "issueDate": issued,
            "economicOperatorId": operator,
        }
        if p.individual is None:
            self.withheld("/metadata/predecessor", "4(c) (the Art. 77(7) link)")
            predecessors: tuple[str, ...] = ()
        else:
            predecessors = p.individual.predecessors
            out["predecessor"] = predecessors[0] if predecessors else NIL_UUID
        if p.individual is not None and not predecessors:
            self.missing(
                "/metadata/predecessor",
                "required although an original battery has no predecessor; the nil UUID the "
                "model's description asks for is emitted",
                DeviationKind.REPRESENTATION,
            )
        elif len(predecessors) > 1:
            self.missing(
                "/metadata/predecessor",
                f"the model holds one predecessor; {len(predecessors)} exist (Art. 77(7)): "
                "the first is emitted",
                DeviationKind.REPRESENTATION,
            )
        cx = p.catena_x
        if cx and cx.expiration_date:
            out["expirationDate"] = cx.expiration_date.isoformat()
        else:
            self.missing("/metadata/expirationDate", "no passport expiration date declared")
        if cx and cx.backup_reference:
            out["backupReference"] = cx.backup_reference
        else:
            self.missing("/metadata/backupReference", "no backup copy reference declared")
        return out

    def commercial(self) -> dict[str, Any]:
        cx = self.p.catena_x
        purposes = list(cx.purposes) if cx else []
        if not purposes:
            self.missing(
                "/commercial/purpose",
                "no purpose declared; Catena-X requires 'automotive'",
            )
        return {"purpose": purposes}

    def handling(self) -> dict[str, Any] | None:
        li = self.p.legitimate_interest
        if li is None:
            self.withheld("/handling", "point 2(b)")
            return None
        parts = [
            {"manufacturerPartId": c.part_number, "nameAtManufacturer": c.part_name}
            for s in li.spare_parts
            for c in s.components
        ]
        return {
            "applicable": bool(parts),
            "content": {"producer": [], "sparePart": parts},
        }


def _identifier_issues(passport: Passport) -> tuple[dict[str, str], list[Issue]]:
    found: dict[str, str] = {}
    issues = []
    wanted = (
        ("manufacturer", passport.public.manufacturer.identifiers, _BPNL, "/manufacturer"),
        ("operator", passport.economic_operator.identifiers, _BPNL, "/passport/economicOperator"),
        ("facility", passport.public.place_of_manufacture.identifiers, _BPNA, "/plant"),
    )
    for role, identifiers, pattern, pointer in wanted:
        value = _bpn(identifiers, pattern)
        if (
            value is None
            and role == "operator"
            and passport.economic_operator == (passport.public.manufacturer)
        ):
            pointer = "/manufacturer"
        if value is None:
            kind = "BPNA (site)" if pattern is _BPNA else "BPNL (legal entity)"
            issues.append(
                Issue(
                    "passport.export-identifier-missing",
                    f"{pointer}/identifiers",
                    f"the Catena-X export needs the {role}'s Catena-X {kind} number, e.g. "
                    f"{{scheme: {kind[:4]}, value: {kind[:4]}000000000001}}",
                    Severity.ERROR,
                    Layer.RULE,
                )
            )
        else:
            found[role] = value
    return found, issues


def export_catenax(
    passport: Passport, *, version: int = 1
) -> tuple[ExportResult | None, list[Issue]]:
    """The Catena-X battery pass payload of a passport (view), or the located issues."""
    bpn, issues = _identifier_issues(passport)
    if issues:
        return None, issues
    return _Export(passport, version, bpn).result(FORMAT), []
