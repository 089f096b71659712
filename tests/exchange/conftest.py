"""Fixtures of the exchange tests: the PACT reference files as their publishers ship them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

_CANDIDATES = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
SHARED = next((p for p in _CANDIDATES if (p / "reference" / "pact").is_dir()), None)
PACT_REFERENCE = SHARED / "reference" / "pact" if SHARED is not None else None


def reference_file(relative: str) -> Path:
    """A file of ``shared/reference/pact``; skips (visibly) when the shared folder is absent."""
    if PACT_REFERENCE is None:
        pytest.skip("PACT reference files not available (needs ../shared/reference/pact)")
    path = PACT_REFERENCE / relative
    assert path.is_file(), f"{path} is missing from the shared reference folder"
    return path


def v3_footprint() -> dict[str, Any]:
    """A valid v3.0 footprint written here (per piece, 2 kg, DQRs on the 1-5 scale)."""
    return copy.deepcopy(
        {
            "id": "3f1c2a7e-5b8d-4c6e-9a1f-2d3e4b5c6a7f",
            "specVersion": "3.0.0",
            "created": "2026-02-01T00:00:00Z",
            "status": "Active",
            "companyName": "Cell maker (test)",
            "companyIds": ["urn:pact:company:customcode:buyer-assigned:cellco"],
            "productDescription": "prismatic cell",
            "productIds": ["urn:pact:cellco.example:product-id:P1"],
            "productNameCompany": "Prismatic cell P1",
            "pcf": {
                "declaredUnitOfMeasurement": "piece",
                "declaredUnitAmount": "4",
                "productMassPerDeclaredUnit": "8",
                "referencePeriodStart": "2025-01-01T00:00:00Z",
                "referencePeriodEnd": "2026-01-01T00:00:00Z",
                "geographyCountry": "KR",
                "pcfExcludingBiogenicUptake": "200",
                "pcfIncludingBiogenicUptake": "199.5",
                "fossilGhgEmissions": "199",
                "fossilCarbonContent": "0.4",
                "biogenicCO2Uptake": "-0.5",
                "ipccCharacterizationFactors": ["AR6"],
                "crossSectoralStandards": ["ISO14067"],
                "exemptedEmissionsPercent": "0.5",
                "primaryDataShare": "40",
                "dqi": {"technologicalDQR": "2", "geographicalDQR": "1.5", "temporalDQR": "3"},
            },
        }
    )


def v2_footprint(spec: str = "2.3.0") -> dict[str, Any]:
    """A valid v2.x footprint written here (per kilogram, reference period 2024)."""
    return copy.deepcopy(
        {
            "id": "0b6f5c1e-3d2a-4f9b-8c7d-6e5f4a3b2c1d",
            "specVersion": spec,
            "version": 1,
            "created": "2025-02-01T00:00:00Z",
            "status": "Active",
            "companyName": "Cathode maker (test)",
            "companyIds": ["urn:pact:company:customcode:buyer-assigned:camco"],
            "productDescription": "NMC811 cathode active material",
            "productIds": ["urn:pact:camco.example:product-id:CAM811"],
            "productCategoryCpc": "3421",
            "productNameCompany": "CAM NMC811",
            "comment": "",
            "pcf": {
                "declaredUnit": "kilogram",
                "unitaryProductAmount": "1",
                "pCfExcludingBiogenic": "21.5",
                "fossilGhgEmissions": "21.5",
                "fossilCarbonContent": "0",
                "biogenicCarbonContent": "0",
                "characterizationFactors": "AR6",
                "ipccCharacterizationFactorsSources": ["AR6"],
                "crossSectoralStandardsUsed": ["ISO Standard 14067"],
                "crossSectoralStandards": ["ISO14067"],
                "boundaryProcessesDescription": "cradle to gate",
                "referencePeriodStart": "2024-01-01T00:00:00Z",
                "referencePeriodEnd": "2025-01-01T00:00:00Z",
                "exemptedEmissionsPercent": 1,
                "exemptedEmissionsDescription": "",
                "packagingEmissionsIncluded": False,
                "primaryDataShare": 55,
                "dqi": {
                    "coveragePercent": 80,
                    "technologicalDQR": 2,
                    "temporalDQR": 1.5,
                    "geographicalDQR": 3,
                    "completenessDQR": 2,
                    "reliabilityDQR": 2,
                },
            },
        }
    )


def dumps(data: Any) -> bytes:
    return json.dumps(data).encode()
