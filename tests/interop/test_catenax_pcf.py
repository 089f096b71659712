"""Catena-X PCF 9.0.0 export: schema-valid, the cradle-to-gate numbers, deterministic ids."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from jsonschema import Draft4Validator

from compliance.cfp import FactorLibrary, load_ruleset
from compliance.cfp.result import CfpResult
from compliance.interop.catenax_pcf import (
    CatenaxPcfMetadata,
    deterministic_uuid,
    export_catenax_pcf,
)
from compliance.models import LifecycleStage, SupplierSubmission
from compliance.pipeline import CfpSetup, run_submission
from tests.conftest import EXAMPLES
from tests.interop.conftest import reference_json

CREATED = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
META = CatenaxPcfMetadata.model_validate(
    {
        "geographyRegionOrSubregion": "Eastern Europe",
        "exemptedEmissionsPercent": 0.0,
        "allocationWasteIncineration": "cut-off",
        "packagingEmissionsIncluded": False,
        "companyIds": ["urn:BPNL000000000DWF"],
    }
)


def _run(document: dict[str, Any]) -> tuple[SupplierSubmission, CfpResult]:
    from datetime import date

    setup = CfpSetup(load_ruleset("eu-da-2024-draft"), FactorLibrary.bundled([]))
    run = run_submission(
        json.dumps(document).encode(), name="s.json", setup=setup, as_of=date(2026, 11, 29)
    )
    assert run.cfp is not None
    assert run.cfp.result is not None, [i.to_dict() for i in run.issues]
    assert run.validation.submission is not None
    return run.validation.submission, run.cfp.result


@pytest.fixture(scope="module")
def ev() -> tuple[SupplierSubmission, CfpResult]:
    return _run(json.loads((EXAMPLES / "valid" / "nmc811-m1-ev.json").read_text("utf-8")))


def _payload(ev: tuple[SupplierSubmission, CfpResult], meta: CatenaxPcfMetadata = META) -> Any:
    sub, result = ev
    export = export_catenax_pcf(sub, result, meta, created=CREATED)
    assert export.ok, [i.to_dict() for i in export.issues]
    return export.payload


def test_payload_validates_against_the_reference_schema(ev: Any) -> None:
    schema = reference_json("catenax-pcf/io.catenax.pcf/9.0.0/Pcf-schema.json")
    assert schema["x-samm-aspect-model-urn"] == "urn:samm:io.catenax.pcf:9.0.0#Pcf"
    errors = sorted(Draft4Validator(schema).iter_errors(_payload(ev)), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_reference_example_validates_too() -> None:
    """The validator set-up is not vacuous: the shipped example passes, a broken one fails."""
    schema = reference_json("catenax-pcf/io.catenax.pcf/9.0.0/Pcf-schema.json")
    example = reference_json("catenax-pcf/io.catenax.pcf/9.0.0/Pcf.json")
    assert not list(Draft4Validator(schema).iter_errors(example))
    broken = copy.deepcopy(example)
    broken["productLifeCycleStagesAndEmissions"][0]["productionStage"][0][
        "pcfExcludingBiogenicUptake"
    ] = "2.9"
    assert list(Draft4Validator(schema).iter_errors(broken))


def test_numbers_are_the_cradle_to_gate_per_battery_never_the_per_kwh_value(ev: Any) -> None:
    _, result = ev
    payload = _payload(ev)
    stages = payload["productLifeCycleStagesAndEmissions"][0]
    production = stages["productionStage"][0]
    raw = result.stage(LifecycleStage.RAW_MATERIAL).absolute.value
    main = result.stage(LifecycleStage.MAIN_PRODUCTION).absolute.value
    assert production["pcfExcludingBiogenicUptake"] == pytest.approx(raw + main, rel=1e-9)
    assert production["pcfIncludingBiogenicUptake"] == production["pcfExcludingBiogenicUptake"]
    # the EV example: cradle-to-gate per nominal kWh is 82.5 kg CO2e/kWh (see test_cli_cfp),
    # so one battery's cradle-to-gate is 82.5 x its nominal energy
    sub, _ = ev
    nominal = sub.battery.nominal_energy or None
    assert nominal is not None
    assert production["pcfExcludingBiogenicUptake"] == pytest.approx(
        result.cradle_to_gate_per_nominal_energy.value * nominal.magnitude, rel=1e-9
    )
    assert production["pcfExcludingBiogenicUptake"] != pytest.approx(result.total_per_unit.value)
    product = payload["companyAndProductInformation"][0]["productInformation"][0]
    assert product["declaredUnitOfMeasurement"] == "piece"
    assert product["declaredUnitAmount"] == 1.0
    assert product["productMassPerDeclaredUnit"] == sub.battery.mass.magnitude
    distribution = stages["distributionStage"][0]
    assert distribution["distributionStageIncluded"] is False
    assert distribution["distributionStagePcfExcludingBiogenicUptake"] == pytest.approx(
        result.stage(LifecycleStage.DISTRIBUTION).absolute.value, rel=1e-9
    )
    method = payload["pcfAssessmentAndMethodology"][0]
    gwp = method["pcfMethodology"][0]["gwpCharacterizationFactorDetails"][0]
    assert gwp["ipccCharacterizationFactors"] == "AR6"
    assert "kWh" in payload["general"][0]["comment"]  # the per-kWh value is named as different


def test_time_and_structure(ev: Any) -> None:
    payload = _payload(ev)
    assert payload["scopeOfPcfForm"] == [
        {
            "specVersion": "urn:io.catenax.pcf:datamodel:version:9.0.0",
            "partialFullPcf": "Cradle-to-gate",
        }
    ]
    info = payload["pcfAssessmentAndMethodology"][0]["pcfAssessmentInformation"][0]
    time = info["time"][0]
    # reporting period 2025-01-01..2025-12-31 (inclusive) -> end exclusive 2026-01-01
    assert time["referencePeriodStart"] == "2025-01-01T00:00:00Z"
    assert time["referencePeriodEnd"] == "2026-01-01T00:00:00Z"
    assert time["validityPeriodEnd"] == "2029-01-01T00:00:00Z"
    assert time["created"] == "2026-12-06T15:00:00Z"
    assert info["geography"][0] == {
        "geographyRegionOrSubregion": "Eastern Europe",
        "geographyCountry": "HU",
    }


def test_ids_are_deterministic_and_change_with_the_content(ev: Any) -> None:
    sub, result = ev

    def pf_id(meta: CatenaxPcfMetadata, created: datetime = CREATED) -> str:
        export = export_catenax_pcf(sub, result, meta, created=created)
        assert export.payload is not None
        info = export.payload["pcfAssessmentAndMethodology"][0]["pcfAssessmentInformation"][0]
        return str(info["idAndVersion"][0]["id"])

    first = pf_id(META)
    assert first == pf_id(META, datetime(2027, 1, 1, tzinfo=UTC))  # export time is not content
    assert first[14] == "4"
    changed = META.model_copy(update={"exempted_emissions_percent": 1.0})
    assert pf_id(changed) != first
    assert deterministic_uuid({"a": 1}) != deterministic_uuid({"a": 2})


def test_missing_metadata_is_reported_not_invented(ev: Any) -> None:
    sub, result = ev
    export = export_catenax_pcf(sub, result, CatenaxPcfMetadata(), created=CREATED)
    assert export.payload is None
    assert [(i.code, i.pointer) for i in export.issues] == [
        ("interop.catenax-missing", "/geographyRegionOrSubregion"),
        ("interop.catenax-missing", "/exemptedEmissionsPercent"),
        ("interop.catenax-missing", "/allocationWasteIncineration"),
        ("interop.catenax-missing", "/packagingEmissionsIncluded"),
    ]
    no_ids = sub.model_copy(
        update={"manufacturer": sub.manufacturer.model_copy(update={"identifiers": ()})}
    )
    export = export_catenax_pcf(
        no_ids, result, META.model_copy(update={"company_ids": ()}), created=CREATED
    )
    assert [(i.code, i.pointer) for i in export.issues] == [
        ("interop.catenax-missing", "/companyIds")
    ]


def test_no_reporting_period_is_reported(ev: Any) -> None:
    document = json.loads((EXAMPLES / "valid" / "nmc811-m1-ev.json").read_text("utf-8"))
    del document["reportingPeriod"]
    sub, result = _run(document)
    export = export_catenax_pcf(sub, result, META, created=CREATED)
    assert [(i.code, i.pointer) for i in export.issues] == [
        ("interop.catenax-missing", "/reportingPeriod")
    ]


def test_company_id_from_the_manufacturers_bpnl(ev: Any) -> None:
    sub, result = ev
    assert ("BPNL", "BPNL00000000DBS1") in [
        (i.scheme, i.value) for i in sub.manufacturer.identifiers
    ]
    meta = META.model_copy(update={"company_ids": ()})
    export = export_catenax_pcf(sub, result, meta, created=CREATED)
    assert export.payload is not None
    company = export.payload["companyAndProductInformation"][0]["companyInformation"][0]
    assert company["companyIds"] == ["urn:BPNL00000000DBS1"]
