"""Helpers for CFP tests: a minimal synthetic submission and a one-call compute."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from compliance.cfp import CfpOutcome, FactorDataset, FactorLibrary, compute_cfp, load_ruleset
from compliance.cfp.gwp import load_gwp_set
from compliance.validation import validate_submission

AS_OF = date(2026, 11, 29)
SYNTHETIC = "synthetic test value"

BASE: dict[str, Any] = {
    "schemaVersion": "1.0.0",
    "manufacturer": {"name": "Test maker", "address": {"city": "Berlin", "country": "DE"}},
    "plant": {"name": "Plant", "facilityId": "P1", "address": {"city": "Berlin", "country": "DE"}},
    "battery": {
        "modelIdentifier": "T-1",
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
            "id": "m1",
            "material": "Aluminium",
            "mass": "100 kg",
            "emissionFactor": {"value": "10 kg CO2e/kg", "source": SYNTHETIC},
        }
    ],
}


def factor(value: str, **extra: Any) -> dict[str, Any]:
    """An inline factor with a synthetic source."""
    return {"value": value, "source": SYNTHETIC, **extra}


@pytest.fixture
def doc() -> dict[str, Any]:
    """A fresh minimal submission: one 100 kg line at 10 kg CO2e/kg, M1, 75 kWh, 8 years."""
    return copy.deepcopy(BASE)


def compute(
    document: dict[str, Any],
    ruleset: str = "eu-da-2024-draft",
    *,
    datasets: tuple[FactorDataset, ...] = (),
    gwp: str | None = None,
    **options: Any,
) -> CfpOutcome:
    """Validate (must be valid) and compute."""
    report = validate_submission(document)
    assert report.ok, [i.to_dict() for i in report.issues]
    assert report.submission is not None
    return compute_cfp(
        report.submission,
        load_ruleset(ruleset),
        library=FactorLibrary.bundled(datasets),
        as_of=options.pop("as_of", AS_OF),
        gwp=load_gwp_set(gwp) if gwp else None,
        **options,
    )


def codes(outcome: CfpOutcome) -> list[tuple[str, str, str]]:
    """(code, pointer, severity) of every issue."""
    return [(i.code, i.pointer, i.severity.value) for i in outcome.issues]


def stage_values(outcome: CfpOutcome) -> dict[str, float]:
    """kg CO2e per stage."""
    assert outcome.result is not None, codes(outcome)
    return {s.stage.value: s.absolute.value for s in outcome.result.stages}
