"""Export to the seven Battery Pass 1.2.0 aspect payloads (Performance 1.2.1).

Source: batterypass/BatteryPassDataModel, SAMM aspect models ``io.BatteryPass.*`` (CC-BY-4.0),
mapped per shared/docs/passport.md section 7. Units follow each property's SAMM unit: shares as
percent 0-100, mass kg (GPI) and g (material masses), energy kWh, charge Ah, voltage V, power kW,
resistance ohm, lifetime years, temperature times minutes, self-discharge percent per month,
carbon footprint kg CO2e/kWh and absolute kg CO2e.

The export works on a view: fields of sections the view may not see are left out ("withheld").
Required fields without a value are left out ("not-declared" / "not-applicable"); known upstream
defects are recorded ("upstream-defect"). See :mod:`.common`.
"""

from __future__ import annotations

from typing import Any

from compliance.models import BatteryCategory, BatteryStatus, LifecycleStage
from compliance.models.common import Address, Organisation
from compliance.models.passport_data import Condition, CriticalRawMaterial, Performance
from compliance.passport.access import is_hidden
from compliance.passport.exports.chemistry import clear_name
from compliance.passport.exports.common import (
    DeviationKind,
    ExportResult,
    ExportRun,
    measure_in,
    percent,
    quantity_in,
    remaining_efficiency,
    significant,
)
from compliance.passport.model import AccessLevel, Passport
from compliance.units import Dimension

__all__ = ["ASPECTS", "FORMAT", "export_batterypass"]

FORMAT = "batterypass-1.2.0"

ASPECTS: dict[str, tuple[str, str]] = {
    "generalProductInformation": (
        "urn:samm:io.BatteryPass.GeneralProductInformation:1.2.0#GeneralProductInformation",
        "io.BatteryPass.GeneralProductInformation/1.2.0/gen/GeneralProductInformation-schema.json",
    ),
    "carbonFootprint": (
        "urn:samm:io.BatteryPass.CarbonFootprint:1.2.0#CarbonFootprintForBatteries",
        "io.BatteryPass.CarbonFootprint/1.2.0/gen/CarbonFootprintForBatteries-schema.json",
    ),
    "supplyChainDueDiligence": (
        "urn:samm:io.BatteryPass.SupplyChainDueDiligence:1.2.0#SupplyChainDueDiligence",
        "io.BatteryPass.SupplyChainDueDiligence/1.2.0/gen/SupplyChainDueDiligence-schema.json",
    ),
    "materialComposition": (
        "urn:samm:io.BatteryPass.MaterialComposition:1.2.0#MaterialComposition",
        "io.BatteryPass.MaterialComposition/1.2.0/gen/MaterialComposition-schema.json",
    ),
    "circularity": (
        "urn:samm:io.BatteryPass.Circularity:1.2.0#Circularity",
        "io.BatteryPass.Circularity/1.2.0/gen/Circularity-schema.json",
    ),
    "labeling": (
        "urn:samm:io.BatteryPass.Labels:1.2.0#Labeling",
        "io.BatteryPass.Labels/1.2.0/gen/Labeling-schema.json",
    ),
    "performanceAndDurability": (
        "urn:samm:io.BatteryPass.Performance:1.2.1#PerformanceAndDurability",
        "io.BatteryPass.Performance/1.2.1/gen/PerformanceAndDurability.schema",
    ),
}
"""Envelope key -> (SAMM aspect URN, schema path under ``BatteryPass/`` of the data model)."""

_STATUS = {
    BatteryStatus.ORIGINAL: "Original",
    BatteryStatus.REPURPOSED: "Repurposed",
    BatteryStatus.REUSED: "Reused",
    BatteryStatus.REMANUFACTURED: "Remanufactured",
    BatteryStatus.WASTE: "Waste",
}
_STAGE = {
    LifecycleStage.RAW_MATERIAL: "RawMaterialExtraction",
    LifecycleStage.MAIN_PRODUCTION: "MainProduction",
    LifecycleStage.DISTRIBUTION: "Distribution",
    LifecycleStage.END_OF_LIFE: "Recycling",
}
_HAZARD = {
    "acute-toxicity": "AcuteToxicity",
    "skin-corrosion-or-irritation": "SkinCorrosionOrIrritation",
    "eye-damage-or-irritation": "EyeDamageOrIrritation",
}
_LABEL = {
    "separate-collection": "SeparateCollection",
    "hazardous-material": "HazardousMaterial",
    "carbon-footprint": "CarbonFootPrint",
    "extinguishing-agent": "ExtinguishingAgent",
}
_DOCUMENT = {
    "bill-of-material": "BillOfMaterial",
    "model-3d": "Model3D",
    "dismantling-manual": "DismantlingManual",
    "removal-manual": "RemovalManual",
    "other-manual": "OtherManual",
    "drawing": "Drawing",
}


class _Export(ExportRun):
    """One Battery Pass export run (``aspect`` follows the aspect being written)."""

    def payloads(self) -> dict[str, Any]:
        aspects = {
            "generalProductInformation": self.general(),
            "carbonFootprint": self.carbon_footprint(),
            "supplyChainDueDiligence": self.due_diligence(),
            "materialComposition": self.materials(),
            "circularity": self.circularity(),
            "labeling": self.labeling(),
            "performanceAndDurability": self.performance(),
        }
        return {k: v for k, v in aspects.items() if v is not None}

    def hidden(self, section: str) -> bool:
        return self.p.view is not AccessLevel.FULL and getattr(self.p, section) is None

    # ------------------------------------------------------------------ aspects

    def general(self) -> dict[str, Any]:
        self.aspect = "generalProductInformation"
        p, pub = self.p, self.p.public
        out: dict[str, Any] = {
            "productIdentifier": p.battery_identifier,
            "batteryPassportIdentifier": p.passport_identifier,
            "batteryCategory": p.category.value,
            "batteryMass": measure_in(pub.mass, "kg", Dimension.MASS),
        }
        if p.individual is not None:
            out["batteryStatus"] = _STATUS[p.individual.status]
        else:
            self.withheld("/batteryStatus", "4(c)")
        self.missing(
            "/batteryPassportIdentifier",
            "the pattern ^urn:[a-z0-9]+:[a-z0-9]+$ rejects urn:uuid identifiers (hyphens); "
            "the true passport identifier is emitted",
            DeviationKind.UPSTREAM_DEFECT,
        )
        out["manufacturerInformation"] = self.operator(pub.manufacturer, "/manufacturerInformation")
        out["operatorInformation"] = self.operator(p.economic_operator, "/operatorInformation")
        out["manufacturingPlace"] = self.address(
            pub.place_of_manufacture.address, "/manufacturingPlace"
        )
        if pub.date_of_manufacture:
            out["manufacturingDate"] = f"{pub.date_of_manufacture}-01T00:00:00Z"
            self.missing(
                "/manufacturingDate",
                "the Regulation asks for month and year (Annex VI Part A(4)); the schema wants a "
                "date-time: the first day of the month, 00:00 UTC, is emitted",
                DeviationKind.REPRESENTATION,
            )
        else:
            self.missing("/manufacturingDate", "no manufacturing date declared")
        if p.individual is not None and p.individual.putting_into_service:
            out["puttingIntoService"] = f"{p.individual.putting_into_service}T00:00:00Z"
        elif self.hidden("individual"):
            self.withheld("/puttingIntoService", "point 4")
        else:
            self.missing(
                "/puttingIntoService",
                "putting into service is recorded 'where appropriate' (Annex VII Part B) once "
                "the battery is in service; none is recorded",
                DeviationKind.NOT_APPLICABLE,
            )
        warranty = pub.warranty.period if pub.warranty else None
        if warranty is not None:
            months = quantity_in(warranty, "month")
            out["warrentyPeriod"] = f"P{months:g}M"
            self.missing(
                "/warrentyPeriod",
                "the schema types the warranty period as xsd:gMonth ('--06' = June), which "
                "cannot hold a duration; the ISO 8601 duration is emitted",
                DeviationKind.UPSTREAM_DEFECT,
            )
        else:
            self.missing("/warrentyPeriod", "no warranty period declared")
        return out

    def address(self, address: Address, pointer: str) -> dict[str, Any]:
        """A postal address; the city goes to ``addressLocality`` (the model has no city field).

        The Battery Pass address entity names its fields after schema.org ``PostalAddress``
        (addressCountry, postalCode, streetAddress) but has no locality; schema.org's
        ``addressLocality`` carries the city (the schemas allow further properties).
        """
        out: dict[str, Any] = {"addressCountry": address.country}
        for key, value in (("postalCode", address.postal_code), ("streetAddress", address.street)):
            if value:
                out[key] = value
            else:
                self.missing(f"{pointer}/{key}", f"no {key} declared")
        out["addressLocality"] = address.city
        self.missing(
            f"{pointer}/addressLocality",
            "the address entity has no field for the city; it is carried in schema.org's "
            "addressLocality, beside the model's schema.org-named fields",
            DeviationKind.REPRESENTATION,
        )
        return out

    def operator(self, org: Organisation, pointer: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "contactName": org.name,
            "postalAddress": self.address(org.address, f"{pointer}/postalAddress"),
        }
        if org.identifiers:
            out["identifier"] = org.identifiers[0].value
        else:
            self.missing(f"{pointer}/identifier", "no identifier declared")
        if org.website:
            out["webAddress"] = org.website
        if org.email:
            self.missing(
                f"{pointer}/emailAddress",
                "the schema's e-mail pattern ^[w.-]+@[w.-]+.[A-Za-z]{2,}$ lacks its backslashes "
                "and rejects real addresses; the e-mail is left out",
                DeviationKind.UPSTREAM_DEFECT,
            )
        return out

    def carbon_footprint(self) -> dict[str, Any] | None:
        self.aspect = "carbonFootprint"
        cf = self.p.public.carbon_footprint
        if cf is None:
            self.missing("", "no carbon footprint result was given to the passport")
            return None
        unit, dim = "kg CO2e/kWh", Dimension.EMISSION_PER_ENERGY
        out: dict[str, Any] = {
            "batteryCarbonFootprint": significant(measure_in(cf.per_functional_unit, unit, dim)),
            "carbonFootprintPerLifecycleStage": [
                {
                    "lifecycleStage": _STAGE[s.stage],
                    "carbonFootprint": significant(measure_in(s.per_functional_unit, unit, dim)),
                }
                for s in cf.stages
            ],
            "absoluteCarbonFootprint": significant(
                measure_in(cf.absolute, "kg CO2e", Dimension.EMISSION)
            ),
        }
        self.missing(
            "/batteryCarbonFootprint",
            f"the aspect has no field for the calculation method; the values follow "
            f"{cf.method} ({cf.ruleset}), rounded to 10 significant digits",
            DeviationKind.REPRESENTATION,
        )
        if cf.performance_class:
            out["carbonFootprintPerformanceClass"] = cf.performance_class
        else:
            self.missing(
                "/carbonFootprintPerformanceClass",
                "performance classes wait for the Art. 7(2) delegated act; none is assigned",
                DeviationKind.NOT_APPLICABLE,
            )
        if cf.study_url:
            out["carbonFootprintStudy"] = cf.study_url
        else:
            self.missing("/carbonFootprintStudy", "no public carbon footprint study URL declared")
        return out

    def due_diligence(self) -> dict[str, Any] | None:
        self.aspect = "supplyChainDueDiligence"
        docs = self.p.public.responsible_sourcing
        if docs is None:
            self.missing("", "no due-diligence report (Art. 52(3)) URL declared")
            return None
        out: dict[str, Any] = {"supplyChainDueDiligenceReport": docs.report_url}
        if docs.third_party_assurances_url:
            out["thirdPartyAussurances"] = docs.third_party_assurances_url
        return out

    def materials(self) -> dict[str, Any]:
        self.aspect = "materialComposition"
        pub = self.p.public
        out: dict[str, Any] = {
            "batteryChemistry": {
                "shortName": pub.chemistry.code.value,
                "clearName": pub.chemistry.description or clear_name(pub.chemistry.code),
            },
            "hazardousSubstances": [
                {
                    "hazardousSubstanceClass": _HAZARD[h.hazard_class.value],
                    "hazardousSubstanceName": h.name,
                    "hazardousSubstanceIdentifier": h.cas_number,
                    "hazardousSubstanceConcentration": percent(h.concentration),
                    "hazardousSubstanceLocation": {"componentName": h.location},
                    "hazardousSubstanceImpact": list(h.impact),
                }
                for h in pub.hazardous_substances
            ],
        }
        li = self.p.legitimate_interest
        materials: list[dict[str, Any]] = []
        if li is None:
            self.withheld(
                "/batteryMaterials",
                "point 2(a) (the list holds the public critical raw materials of Annex VI Part "
                "A(10) only)",
            )
        else:
            materials = [
                {
                    "batteryMaterialLocation": {"componentName": m.component},
                    "batteryMaterialIdentifier": m.cas_number,
                    "batteryMaterialName": m.name,
                    "batteryMaterialMass": quantity_in(m.mass, "g"),
                    "isCriticalRawMaterial": m.critical,
                }
                for m in li.materials
            ]
        listed = {m["batteryMaterialIdentifier"] for m in materials}
        for i, crm in enumerate(pub.critical_raw_materials):
            if crm.cas_number is None or crm.cas_number not in listed:
                materials.append(self.critical_material(crm, i, len(materials)))
        out["batteryMaterials"] = materials
        return out

    def critical_material(self, crm: CriticalRawMaterial, i: int, at: int) -> dict[str, Any]:
        """A critical raw material (Annex VI Part A(10), public) as a battery material entry."""
        pointer = f"/batteryMaterials/{at}"
        entry: dict[str, Any] = {
            "batteryMaterialName": crm.name,
            "batteryMaterialMass": significant(
                crm.concentration * measure_in(self.p.public.mass, "g", Dimension.MASS)
            ),
            "isCriticalRawMaterial": True,
        }
        self.missing(
            f"{pointer}/batteryMaterialMass",
            "a critical raw material is declared as a mass fraction of the battery (Annex VI "
            "Part A(10)); its mass is that fraction of the battery mass",
            DeviationKind.REPRESENTATION,
        )
        if crm.location:
            entry["batteryMaterialLocation"] = {"componentName": crm.location}
        else:
            self.missing(
                f"{pointer}/batteryMaterialLocation",
                f"no location of critical raw material {i} ({crm.name}) declared",
            )
        if crm.cas_number:
            entry["batteryMaterialIdentifier"] = crm.cas_number
        else:
            self.missing(
                f"{pointer}/batteryMaterialIdentifier",
                f"no CAS number of critical raw material {i} ({crm.name}) declared",
            )
        return entry

    def circularity(self) -> dict[str, Any]:
        self.aspect = "circularity"
        pub, li = self.p.public, self.p.legitimate_interest
        out: dict[str, Any] = {}
        if li is None:
            for key in ("/dismantlingAndRemovalInformation", "/sparePartSources"):
                self.withheld(key, "point 2(b)-(c)")
        else:
            out["dismantlingAndRemovalInformation"] = [
                {
                    "documentType": _DOCUMENT[d.document_type.value],
                    "mimeType": d.mime_type,
                    "documentURL": d.url,
                }
                for d in li.dismantling
            ]
            out["sparePartSources"] = [
                {
                    "nameOfSupplier": s.supplier_name,
                    "addressOfSupplier": self.address(
                        s.address, f"/sparePartSources/{i}/addressOfSupplier"
                    ),
                    "emailAddressOfSupplier": s.email,
                    "supplierWebAddress": s.website,
                    "components": [
                        {"partName": c.part_name, "partNumber": c.part_number} for c in s.components
                    ],
                }
                for i, s in enumerate(li.spare_parts)
            ]
        recycled = []
        rc = pub.recycled_content
        for name, share in (
            ("Cobalt", rc.cobalt if rc else None),
            ("Nickel", rc.nickel if rc else None),
            ("Lithium", rc.lithium if rc else None),
            ("Lead", rc.lead if rc else None),
        ):
            if share is not None:
                recycled.append(
                    {
                        "recycledMaterial": name,
                        "preConsumerShare": percent(share.pre_consumer),
                        "postConsumerShare": percent(share.post_consumer),
                    }
                )
        out["recycledContent"] = recycled
        if rc is None:
            self.missing(
                "/recycledContent",
                "no recycled content declared (Art. 8(1) documentation waits for its delegated "
                "act): the list is empty",
                DeviationKind.NOT_APPLICABLE,
            )
        safety: dict[str, Any] = {
            "extinguishingAgent": [
                f"{a.media} (fire class {a.fire_class})" if a.fire_class else a.media
                for a in pub.extinguishing_agents
            ]
        }
        if pub.extinguishing_agents:
            self.missing(
                "/safetyMeasures/extinguishingAgent",
                "the model lists agents as text 'referring to classes of extinguishers'; each "
                "agent is written with its fire classes",
                DeviationKind.REPRESENTATION,
            )
        if li is None:
            self.withheld("/safetyMeasures/safetyInstructions", "point 2(d)")
        elif li.safety_instructions_url:
            safety["safetyInstructions"] = li.safety_instructions_url
        else:
            self.missing("/safetyMeasures/safetyInstructions", "no safety instructions declared")
        out["safetyMeasures"] = safety
        waste = pub.waste_information
        if waste is not None:
            out["endOfLifeInformation"] = {
                "wastePrevention": waste.waste_prevention_url,
                "separateCollection": waste.separate_collection_url,
                "informationOnCollection": waste.collection_information_url,
            }
        else:
            self.missing("/endOfLifeInformation", "no waste information (Art. 74(1)) declared")
        if pub.renewable_content is not None:
            out["renewableContent"] = percent(pub.renewable_content)
        else:
            self.missing("/renewableContent", "no renewable content share declared")
        return out

    def labeling(self) -> dict[str, Any]:
        self.aspect = "labeling"
        pub = self.p.public
        out: dict[str, Any] = {
            "labels": [
                {
                    "labelingSubject": _LABEL[label.subject.value],
                    "labelingSymbol": label.symbol_url,
                    "labelingMeaning": {"en": label.meaning},
                }
                for label in pub.labels
            ]
        }
        if pub.declaration_of_conformity:
            out["declarationOfConformity"] = pub.declaration_of_conformity.url
        else:
            self.missing("/declarationOfConformity", "no EU declaration of conformity declared")
        authorities = self.p.authorities
        if authorities is None:
            self.withheld("/resultOfTestReport", "point 3")
        elif authorities.test_reports:
            out["resultOfTestReport"] = authorities.test_reports[0].url
            if len(authorities.test_reports) > 1:
                self.missing(
                    "/resultOfTestReport",
                    f"the schema holds one URI; the first of {len(authorities.test_reports)} "
                    "test reports is emitted",
                    DeviationKind.REPRESENTATION,
                )
        else:
            self.missing("/resultOfTestReport", "no test report declared")
        return out

    def performance(self) -> dict[str, Any]:
        self.aspect = "performanceAndDurability"
        out: dict[str, Any] = {}
        perf = self.p.public.performance
        if perf is None:
            self.missing("/batteryTechicalProperties", "no performance values declared")
        else:
            out["batteryTechicalProperties"] = self.technical(perf)
        individual = self.p.individual
        condition = individual.condition if individual else None
        if individual is None:
            self.withheld("/batteryCondition", "point 4")
        elif condition is None:
            self.missing(
                "/batteryCondition",
                "no state-of-health or use data recorded for this battery yet",
                DeviationKind.NOT_APPLICABLE,
            )
        else:
            out["batteryCondition"] = self.condition(condition, perf)
        return out

    def technical(self, perf: Performance) -> dict[str, Any]:
        pub = self.p.public
        pointer = "/batteryTechicalProperties"
        capabilities = [
            {"atSoC": 80.0, "powerCapabilityAt": quantity_in(perf.original_power_capability, "kW")}
        ]
        if perf.power_capability_at_20_soc is not None:
            capabilities.append(
                {
                    "atSoC": 20.0,
                    "powerCapabilityAt": quantity_in(perf.power_capability_at_20_soc, "kW"),
                }
            )
        self.missing(
            f"{pointer}/originalPowerCapability",
            "the SAMM unit of powerCapabilityAt is percent, which cannot hold a power; kW is "
            "emitted (the unit of ratedMaximumPower)",
            DeviationKind.UPSTREAM_DEFECT,
        )
        resistance = [
            {
                "batteryComponent": "pack",
                "ohmicResistance": quantity_in(perf.internal_resistance.pack, "ohm"),
            },
            {
                "batteryComponent": "cell",
                "ohmicResistance": quantity_in(perf.internal_resistance.cell, "ohm"),
            },
        ]
        if perf.internal_resistance.module is not None:
            resistance.append(
                {
                    "batteryComponent": "module",
                    "ohmicResistance": quantity_in(perf.internal_resistance.module, "ohm"),
                }
            )
        years = quantity_in(perf.expected_lifetime, "year")
        out: dict[str, Any] = {
            "originalPowerCapability": capabilities,
            "ratedEnergy": measure_in(pub.usable_energy, "kWh", Dimension.ENERGY),
            "expectedNumberOfCycles": round(perf.expected_cycle_life),
            "roundtripEfficiency": percent(perf.round_trip_efficiency),
            "ratedCapacity": measure_in(pub.rated_capacity, "Ah", Dimension.CHARGE),
            "initialInternalResistance": resistance,
            "expectedLifetime": round(years) if years == round(years) else years,
            "nominalVoltage": measure_in(pub.nominal_voltage, "V", Dimension.VOLTAGE),
            "minimumVoltage": quantity_in(perf.minimum_voltage, "V"),
            "maximumVoltage": quantity_in(perf.maximum_voltage, "V"),
            "lifetimeReferenceTest": perf.cycle_life_reference_test,
            "cRateLifeCycleTest": perf.c_rate_of_cycle_life_test,
            "temperatureRangeIdleState": {
                "minimum": perf.idle_temperature_range.lower_celsius,
                "maximum": perf.idle_temperature_range.upper_celsius,
            },
            "roundTripEfficiencyat50PerCentCycleLife": percent(
                perf.round_trip_efficiency_at_50_percent_cycle_life
            ),
        }
        if perf.expected_cycle_life != round(perf.expected_cycle_life):
            self.missing(
                f"{pointer}/expectedNumberOfCycles",
                "the schema wants a whole number of cycles; the declared value is rounded",
                DeviationKind.REPRESENTATION,
            )
        optional = (
            ("ratedMaximumPower", perf.maximum_power, "kW", "no rated maximum power declared"),
        )
        for key, quantity, unit, reason in optional:
            if quantity is not None:
                out[key] = quantity_in(quantity, unit)
            else:
                self.missing(f"{pointer}/{key}", reason)
        if perf.power_energy_ratio is not None:
            out["powerCapabilityRatio"] = perf.power_energy_ratio
            out["cRate"] = perf.power_energy_ratio
            self.missing(
                f"{pointer}/powerCapabilityRatio",
                "the SAMM unit is percent for a ratio of W to Wh; the ratio in 1/h is emitted",
                DeviationKind.UPSTREAM_DEFECT,
            )
        else:
            self.missing(f"{pointer}/powerCapabilityRatio", "no power/energy ratio declared")
        shares = (
            ("initialSelfDischarge", "initial_self_discharge_rate", "initialSelfDischargeRate"),
            ("roundTripEfficiencyFade", "round_trip_efficiency_fade", "roundTripEfficiencyFade"),
            ("powerFade", "power_fade", "powerFade"),
        )
        for key, name, field in shares:
            share = getattr(perf, name)
            what = name.replace("_", " ")
            if share is not None:
                out[key] = percent(share)
            elif is_hidden(self.p, f"/public/performance/{field}"):
                self.withheld(f"{pointer}/{key}", "4(a)")
            else:
                self.missing(f"{pointer}/{key}", f"no {what} declared")
        if perf.capacity_threshold_for_exhaustion is not None:
            out["capacityThresholdForExhaustion"] = percent(perf.capacity_threshold_for_exhaustion)
        elif self.p.category is not BatteryCategory.EV:
            self.missing(
                f"{pointer}/capacityThresholdForExhaustion",
                "Annex XIII 1(k) applies to EV batteries only",
                DeviationKind.NOT_APPLICABLE,
            )
        else:
            self.missing(f"{pointer}/capacityThresholdForExhaustion", "not declared")
        return out

    def condition(self, c: Condition, perf: Performance | None) -> dict[str, Any]:
        at = c.measured_at
        pointer = "/batteryCondition"
        rated_ah = measure_in(self.p.public.rated_capacity, "Ah", Dimension.CHARGE)
        out: dict[str, Any] = {
            "energyThroughput": {
                "energyThroughputValue": quantity_in(c.energy_throughput, "kWh"),
                "lastUpdate": at,
            },
            "capacityThroughput": {
                "capacityThroughputValue": quantity_in(c.capacity_throughput, "Ah"),
                "lastUpdate": at,
            },
            "numberOfFullCycles": {"numberOfFullCyclesValue": c.full_cycles, "lastUpdate": at},
            "capacityFade": {"capacityFadeValue": percent(c.capacity_fade), "lastUpdate": at},
            "remainingEnergy": {
                "remainingEnergyValue": quantity_in(c.remaining_energy, "kWh"),
                "lastUpdate": at,
            },
            "remainingCapacity": {
                "remainingCapacityValue": round(c.remaining_capacity * rated_ah, 10),
                "lastUpdate": at,
            },
            "negativeEvents": [{"negativeEvent": e, "lastUpdate": at} for e in c.negative_events],
            "temperatureInformation": {
                "timeExtremeHighTemp": quantity_in(c.time_extreme_high_temperature, "min"),
                "timeExtremeLowTemp": quantity_in(c.time_extreme_low_temperature, "min"),
                "timeExtremeHighTempCharging": quantity_in(
                    c.time_extreme_high_temperature_charging, "min"
                ),
                "timeExtremeLowTempCharging": quantity_in(
                    c.time_extreme_low_temperature_charging, "min"
                ),
                "lastUpdate": at,
            },
            "remainingPowerCapability": {
                "remainingPowerCapabilityValue": {
                    "rPCLastUpdated": at,
                    "atSoC": 80.0,
                    "powerCapabilityAt": percent(c.remaining_power_capability),
                },
                "lastUpdate": at,
            },
            "evolutionOfSelfDischarge": {
                "evolutionOfSelfDischargeValue": percent(c.self_discharge_evolution),
                "lastUpdate": at,
            },
            "currentSelfDischargingRate": {
                "currentSelfDischargingRateValue": percent(c.current_self_discharge_rate),
                "lastUpdate": at,
            },
            "internalResistanceIncrease": self.resistance_increase(c, perf),
            "stateOfCharge": {"stateOfChargeValue": percent(c.state_of_charge), "lastUpdate": at},
        }
        if perf is not None:
            out["remainingRoundTripEnergyEfficiency"] = {
                "remainingRoundTripEnergyEfficiencyValue": remaining_efficiency(c, perf),
                "lastUpdate": at,
            }
            self.missing(
                f"{pointer}/remainingRoundTripEnergyEfficiency",
                "the submission gives the remaining round-trip efficiency relative to the "
                "initial one (1(n)); the efficiency itself, RTE(x) = relative x initial, is "
                "emitted (the model's fade formula divides RTE(x) by the initial value)",
                DeviationKind.REPRESENTATION,
            )
        else:
            self.missing(
                f"{pointer}/remainingRoundTripEnergyEfficiency",
                "no initial round-trip efficiency declared (performance), so the remaining "
                "efficiency cannot be stated",
            )
        self.missing(
            f"{pointer}/remainingCapacity",
            "the SAMM unit of remainingCapacityValue is kWh although capacity is a charge; the "
            "remaining capacity in Ah (share x rated capacity) is emitted",
            DeviationKind.UPSTREAM_DEFECT,
        )
        if c.state_of_certified_energy is not None:
            out["stateOfCertifiedEnergy"] = {
                "stateOfCertifiedEnergyValue": percent(c.state_of_certified_energy),
                "lastUpdate": at,
            }
        elif self.p.category is not BatteryCategory.EV:
            self.missing(
                f"{pointer}/stateOfCertifiedEnergy",
                "the state of certified energy applies to EV batteries only",
                DeviationKind.NOT_APPLICABLE,
            )
        else:
            self.missing(f"{pointer}/stateOfCertifiedEnergy", "not recorded")
        return out

    def resistance_increase(self, c: Condition, perf: Performance | None) -> list[dict[str, Any]]:
        """Pack increase as declared; cell and module from present over initial resistance."""
        at = c.measured_at
        out = [
            {
                "internalResistanceIncreaseValue": percent(c.internal_resistance_increase),
                "batteryComponent": "pack",
                "lastUpdate": at,
            }
        ]
        if c.internal_resistance is None or perf is None:
            return out
        for part in ("cell", "module"):
            present = getattr(c.internal_resistance, part)
            first = getattr(perf.internal_resistance, part)
            if present is not None and first is not None:
                ratio = quantity_in(present, "ohm") / quantity_in(first, "ohm")
                out.append(
                    {
                        "internalResistanceIncreaseValue": percent(ratio - 1.0),
                        "batteryComponent": part,
                        "lastUpdate": at,
                    }
                )
        return out


def export_batterypass(passport: Passport) -> ExportResult:
    """The seven Battery Pass aspect payloads of a passport (view) and the deviations."""
    return _Export(passport).result(FORMAT)
