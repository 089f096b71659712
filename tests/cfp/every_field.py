"""A submission holding every property path of the schema (built from the EV example).

Synthetic values only; it is valid and computes under every bundled ruleset.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from compliance.cfp import FactorDataset, parse_dataset
from tests.conftest import EXAMPLES

SYN = "synthetic test value"

DATASET = b"""
id: every-field
version: "1.0"
title: Synthetic factors of the every-field test
licence: CC0-1.0
gwpSet: co2-only
factors:
  - {id: treatment.hydro, value: 0.5 kg CO2e/kg, source: synthetic}
  - {id: transport.rail, value: 0.03 kg CO2e/tkm, source: synthetic}
"""


@lru_cache(maxsize=1)
def dataset() -> FactorDataset:
    return parse_dataset(DATASET, "every-field.yaml")


def _quality() -> dict[str, Any]:
    return {"ter": 2, "ger": 3, "tir": 2, "p": 3}


def _full_factor(value: str) -> dict[str, Any]:
    return {
        "value": value,
        "source": SYN,
        "validFrom": "2024-01-01",
        "validUntil": "2030-12-31",
        "gwpSet": "co2-only",
        "primaryData": True,
        "dataQuality": _quality(),
        "uncertainty": {"distribution": "lognormal", "geometricSd": 1.2},
    }


def _party(name: str) -> dict[str, Any]:
    return {"name": name, "country": "DE", "identifiers": [{"scheme": "VAT", "value": "DE1"}]}


def build() -> dict[str, Any]:
    """The every-field document (a fresh copy)."""
    doc: dict[str, Any] = json.loads(
        (EXAMPLES / "valid" / "nmc811-m1-ev.json").read_text(encoding="utf-8")
    )
    doc["battery"]["externalStorageOnly"] = False
    doc["battery"]["chemistryDescription"] = "NMC811 with silicon-doped graphite"
    doc["manufacturer"]["address"]["region"] = "Hajdú-Bihar"
    doc["plant"]["address"]["region"] = "Hajdú-Bihar"
    doc["functionalUnit"].update(
        {
            "energyBasis": "nominal",
            "cyclesPerYear": 70,
            "serviceLife": "9 year",
            "justification": "synthetic override of the every-field test",
        }
    )
    bom = doc["billOfMaterials"]
    cam = bom[0]
    cam["casNumber"] = "346417-97-8"
    cam["originCountry"] = "KR"
    cam["stage"] = "raw-material"
    cam["supplier"]["identifiers"] = [{"scheme": "VAT", "value": "KR1"}]
    cam["uncertainty"] = {"distribution": "triangular", "low": 0.9, "mode": 1.0, "high": 1.2}
    cam["emissionFactor"] = _full_factor("20 kg CO2e/kg")
    cam["composition"] = {
        "compound": "nmc811",
        "elements": [
            {
                "element": "cobalt",
                "massFraction": 0.06,
                "massFractionSource": "synthetic assay",
                "recycledShare": 0.07,
                "preConsumer": 0.04,
                "postConsumer": 0.02,
                "chainOfCustody": "mass-balance",
                "evidence": "synthetic evidence",
            }
        ],
    }
    cam["circularity"].update(
        {
            "energyRecoveryAllocationFactor": 0.2,
            "energyRecoveryRate": 0.05,
            "recyclingOutputRate": 0.85,
            "energyRecoveryFactor": {"value": "0.3 kg CO2e/kg", "source": SYN},
            "lowerHeatingValue": "2 MJ/kg",
            "heatRecoveryEfficiency": 0.4,
            "electricityRecoveryEfficiency": 0.2,
            "substitutedHeatFactor": {"value": "0.07 kg CO2e/MJ", "source": SYN},
            "substitutedElectricityFactor": {"value": "0.4 kg CO2e/kWh", "source": SYN},
            "disposalFactor": {"value": "0.02 kg CO2e/kg", "source": SYN},
            "substitutedVirginFactor": {"value": "18 kg CO2e/kg", "source": SYN},
        }
    )
    energy = doc["energyUse"]
    grid = energy[0]
    grid["country"] = "HU"
    grid["stage"] = "main-production"
    grid["uncertainty"] = {"distribution": "lognormal", "geometricSd": 1.1}
    grid["emissionFactor"] = {"value": "0.42 kg CO2e/kWh", "source": SYN}
    energy.append(
        {
            "id": "ppa",
            "carrier": "electricity",
            "amount": "200 kWh",
            "source": "ppa",
            "qualityCriteriaMet": True,
            "emissionFactor": _full_factor("30 g CO2e/kWh"),
        }
    )
    gas = energy[2]
    gas["stage"] = "main-production"
    gas["uncertainty"] = {"distribution": "normal", "relativeSd": 0.05}
    gas["emissionFactor"] = _full_factor("56.1 kg CO2e/GJ")
    energy.append(
        {
            "id": "steam",
            "carrier": "heat",
            "amount": "300 kWh",
            "emissionFactor": _full_factor("0.25 kg CO2e/kWh"),
            "stage": "main-production",
            "process": "dry-room steam",
            "uncertainty": {"distribution": "uniform", "low": 0.9, "high": 1.1},
        }
    )
    gases = doc["processEmissions"][0]
    gases["stage"] = "main-production"
    gases["uncertainty"] = {"distribution": "normal", "relativeSd": 0.3}
    leg = doc["transport"][0]
    leg["stage"] = "distribution"
    leg["uncertainty"] = {"distribution": "uniform", "low": 0.8, "high": 1.2}
    leg["emissionFactor"] = _full_factor("0.14993 kg CO2e/tkm")
    doc["transport"].append(
        {
            "id": "rail-leg",
            "mode": "rail",
            "mass": "480 kg",
            "distance": "300 km",
            "emissionFactor": {
                "dataset": "every-field",
                "factorId": "transport.rail",
                "version": "1.0",
            },
        }
    )
    comp = doc["purchasedComponents"][0]
    comp["supplier"]["identifiers"] = [{"scheme": "VAT", "value": "DE2"}]
    comp["uncertainty"] = {"distribution": "normal", "relativeSd": 0.01}
    comp["footprint"]["stageSplit"] = {
        "rawMaterial": "200 kg CO2e/piece",
        "mainProduction": "30 kg CO2e/piece",
        "distribution": "15 kg CO2e/piece",
        "endOfLife": "-5 kg CO2e/piece",
    }
    comp["footprint"]["uncertainty"] = {"distribution": "normal", "relativeSd": 0.1}
    comp["activeMaterials"] = [
        {
            "id": "bms-none",
            "material": "synthetic active material entry",
            "category": "other",
            "mass": "1 g",
            "composition": {
                "compound": "graphite",
                "elements": [
                    {
                        "element": "lithium",
                        "massFraction": 0.01,
                        "massFractionSource": "synthetic assay",
                        "recycledShare": 0.1,
                        "preConsumer": 0.05,
                        "postConsumer": 0.05,
                        "chainOfCustody": "segregated",
                        "evidence": "synthetic evidence",
                    }
                ],
            },
        }
    ]
    doc["endOfLife"] = [
        {
            "id": "dismantling",
            "process": "discharge-dismantling",
            "mass": "480 kg",
            "emissionFactor": _full_factor("0.05 kg CO2e/kg"),
            "operator": _party("Dismantler (fictional)"),
            "country": "HU",
            "uncertainty": {"distribution": "normal", "relativeSd": 0.02},
        },
        {
            "id": "hydro",
            "process": "hydrometallurgical",
            "emissionFactor": {"dataset": "every-field", "factorId": "treatment.hydro"},
        },
        {
            "id": "recycler",
            "process": "whole-chain",
            "supplierResult": {
                **_full_factor("12 kg CO2e/piece"),
                "includesCredits": False,
                "standard": "ISO 14067:2018",
                "reference": "REC-2026-001",
            },
        },
    ]
    passport = doc["passport"]
    passport["carbonFootprintPerformanceClass"] = "B"
    passport["economicOperator"] = {
        "name": "Operator (fictional)",
        "tradeName": "Op",
        "address": {
            "street": "Street 1",
            "postalCode": "10115",
            "city": "Berlin",
            "region": "Berlin",
            "country": "DE",
        },
        "identifiers": [{"scheme": "VAT", "value": "DE3"}],
        "email": "op@example.org",
        "website": "https://op.example.org",
    }
    item = passport["item"]
    item["batteryIdentifier"] = f"urn:example:battery:0{item['gtin']}:{item['serialNumber']}"
    item["status"] = "repurposed"
    item["predecessors"] = ["urn:example:passport:EV80-2020-000001"]
    item["condition"]["negativeEvents"] = ["2028-01-03: deep discharge below 2.5 V"]
    passport["recycledContent"]["lead"] = {"preConsumer": 0.01, "postConsumer": 0.02}
    passport["spareParts"][0]["address"]["region"] = "Hajdú-Bihar"
    return copy.deepcopy(doc)
