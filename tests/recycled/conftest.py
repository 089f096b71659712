"""Helpers for recycled-content tests: small submissions of an NMC EV, an LFP stationary and a
lead-acid SLI battery, and a one-call compute."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from compliance.errors import Issue
from compliance.recycled import (
    RecycledOutcome,
    RejectedClaim,
    compute_recycled,
    load_recycled_ruleset,
)
from compliance.validation import validate_submission

AS_OF = date(2031, 9, 1)
SYNTHETIC = "synthetic test value"
EVIDENCE = "Recycler's mass-balance statement 2030-12 (synthetic test evidence)"


def _factor(value: str) -> dict[str, str]:
    return {"value": value, "source": SYNTHETIC}


_HEAD: dict[str, Any] = {
    "schemaVersion": "1.0.0",
    "manufacturer": {"name": "Test maker", "address": {"city": "Berlin", "country": "DE"}},
    "plant": {"name": "Plant", "facilityId": "P1", "address": {"city": "Berlin", "country": "DE"}},
}

NMC: dict[str, Any] = {
    **_HEAD,
    "battery": {
        "modelIdentifier": "NMC-EV-1",
        "category": "ev",
        "vehicleClass": "M1",
        "chemistry": "NMC811",
        "mass": "400 kg",
        "ratedCapacity": "200 Ah",
        "nominalVoltage": "400 V",
        "usableEnergyBol": "75 kWh",
    },
    "warranty": {"period": "8 year"},
    "billOfMaterials": [
        {
            "id": "cam-a",
            "material": "NMC811 cathode active material",
            "category": "cathode-active-material",
            "mass": "80 kg",
            "emissionFactor": _factor("20 kg CO2e/kg"),
            "supplier": {"name": "Nordic Cathode Materials Oy", "country": "FI"},
            "composition": {
                "compound": "nmc811",
                "elements": [
                    {
                        "element": "cobalt",
                        "preConsumer": 0.10,
                        "postConsumer": 0.15,
                        "chainOfCustody": "mass-balance",
                        "evidence": EVIDENCE,
                    },
                    {"element": "nickel", "postConsumer": 0.05, "evidence": EVIDENCE},
                    {
                        "element": "lithium",
                        "preConsumer": 0.04,
                        "postConsumer": 0.02,
                        "evidence": EVIDENCE,
                    },
                ],
            },
        },
        {
            "id": "cam-b",
            "material": "NMC811 cathode active material, second source",
            "category": "cathode-active-material",
            "mass": "20 kg",
            "emissionFactor": _factor("20 kg CO2e/kg"),
            "supplier": {"name": "CAM supplier B", "country": "KR"},
            "composition": {
                "compound": "nmc811",
                "elements": [
                    {
                        "element": "cobalt",
                        "massFraction": 0.058,
                        "massFractionSource": "ICP-OES assay report A-17 (synthetic)",
                        "postConsumer": 0.05,
                        "evidence": EVIDENCE,
                    },
                    {
                        "element": "nickel",
                        "massFraction": 0.47,
                        "massFractionSource": "ICP-OES assay report A-17 (synthetic)",
                    },
                    {
                        "element": "lithium",
                        "recycledShare": 0.10,
                        "preConsumer": 0.05,
                        "postConsumer": 0.03,
                        "evidence": EVIDENCE,
                    },
                ],
            },
        },
        {
            "id": "anode",
            "material": "Synthetic graphite",
            "category": "anode-active-material",
            "mass": "60 kg",
            "emissionFactor": _factor("10 kg CO2e/kg"),
            "composition": {"compound": "graphite"},
        },
        {
            "id": "electrolyte",
            "material": "LiPF6 in EC/EMC",
            "category": "electrolyte",
            "mass": "45 kg",
            "emissionFactor": _factor("8 kg CO2e/kg"),
        },
    ],
}

LFP: dict[str, Any] = {
    **_HEAD,
    "battery": {
        "modelIdentifier": "LFP-ESS-100",
        "category": "stationary",
        "chemistry": "LFP",
        "mass": "900 kg",
        "ratedCapacity": "320 Ah",
        "nominalVoltage": "320 V",
        "nominalEnergy": "102.4 kWh",
        "usableEnergyBol": "95 kWh",
    },
    "billOfMaterials": [
        {
            "id": "lfp-1",
            "material": "LFP cathode active material",
            "category": "cathode-active-material",
            "mass": "200 kg",
            "emissionFactor": _factor("12 kg CO2e/kg"),
            "composition": {
                "compound": "lfp",
                "elements": [
                    {
                        "element": "lithium",
                        "preConsumer": 0.03,
                        "postConsumer": 0.05,
                        "chainOfCustody": "mass-balance",
                        "evidence": EVIDENCE,
                    }
                ],
            },
        },
        {
            "id": "lfp-2",
            "material": "LFP cathode active material, certificate-backed",
            "category": "cathode-active-material",
            "mass": "50 kg",
            "emissionFactor": _factor("12 kg CO2e/kg"),
            "composition": {
                "compound": "lfp",
                "elements": [
                    {
                        "element": "lithium",
                        "postConsumer": 0.5,
                        "chainOfCustody": "book-and-claim",
                        "evidence": EVIDENCE,
                    }
                ],
            },
        },
        {
            "id": "anode",
            "material": "Graphite",
            "category": "anode-active-material",
            "mass": "110 kg",
            "emissionFactor": _factor("10 kg CO2e/kg"),
            "composition": {"compound": "graphite"},
        },
    ],
}

LEAD_ACID: dict[str, Any] = {
    **_HEAD,
    "battery": {
        "modelIdentifier": "SLI-60",
        "category": "sli",
        "chemistry": "lead-acid",
        "mass": "15 kg",
        "ratedCapacity": "60 Ah",
        "nominalVoltage": "12 V",
        "usableEnergyBol": "0.36 kWh",
    },
    "billOfMaterials": [
        {
            "id": "pam",
            "material": "Positive active material (formed PbO2)",
            "category": "cathode-active-material",
            "mass": "4 kg",
            "emissionFactor": _factor("2 kg CO2e/kg"),
            "composition": {
                "compound": "lead-dioxide",
                "elements": [
                    {
                        "element": "lead",
                        "preConsumer": 0.05,
                        "postConsumer": 0.80,
                        "evidence": EVIDENCE,
                    }
                ],
            },
        },
        {
            "id": "nam",
            "material": "Negative active material (sponge lead)",
            "category": "anode-active-material",
            "mass": "3.5 kg",
            "emissionFactor": _factor("2 kg CO2e/kg"),
            "composition": {
                "compound": "lead",
                "elements": [{"element": "lead", "postConsumer": 0.90, "evidence": EVIDENCE}],
            },
        },
        {
            "id": "grids",
            "material": "Lead-calcium grid alloy",
            "category": "current-collector",
            "mass": "3 kg",
            "emissionFactor": _factor("2 kg CO2e/kg"),
            "composition": {
                "elements": [
                    {
                        "element": "lead",
                        "massFraction": 0.998,
                        "massFractionSource": "alloy specification PbCaSn (synthetic)",
                        "postConsumer": 0.99,
                        "evidence": EVIDENCE,
                    }
                ],
            },
        },
    ],
}


def fresh(document: dict[str, Any]) -> dict[str, Any]:
    """A deep copy to modify."""
    return copy.deepcopy(document)


def compute(
    document: dict[str, Any],
    *,
    as_of: date = AS_OF,
    rejected: tuple[RejectedClaim, ...] = (),
    cff_default_r1: float | None = None,
) -> RecycledOutcome:
    """Validate (must be valid) and compute under the bundled ruleset 1.0.0."""
    report = validate_submission(document)
    assert report.ok, [i.to_dict() for i in report.issues]
    assert report.submission is not None
    return compute_recycled(
        report.submission,
        load_recycled_ruleset("1.0.0"),
        as_of=as_of,
        rejected=rejected,
        cff_default_r1=cff_default_r1,
    )


def codes(issues: tuple[Issue, ...]) -> list[tuple[str, str, str]]:
    """(code, pointer, severity) of every issue."""
    return [(i.code, i.pointer, i.severity.value) for i in issues]
