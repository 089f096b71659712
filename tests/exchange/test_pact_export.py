"""PACT export: cradle-to-gate per battery or per kg, schema-valid, immutable ids."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

import pytest
from jsonschema import Draft202012Validator

from compliance.cfp.result import CfpResult
from compliance.cli.choices import CfpChoices, load_cfp_setup
from compliance.exchange.pact import read_pact
from compliance.exchange.pact.export import (
    DeclaredUnitChoice,
    PactExportOptions,
    PactVersion,
    export_pact,
)
from compliance.models import LifecycleStage
from compliance.pipeline import SubmissionRun, run_submission
from tests.conftest import EXAMPLES
from tests.exchange.conftest import reference_file

EV = EXAMPLES / "valid" / "nmc811-m1-ev.json"
CREATED = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@cache
def ev_run(period_year: int = 2025) -> SubmissionRun:
    setup = load_cfp_setup(CfpChoices("eu-da-2024-draft"), io.StringIO(), "test")
    assert setup is not None
    doc = json.loads(EV.read_bytes())
    doc["reportingPeriod"] = {"start": f"{period_year}-01-01", "end": f"{period_year}-12-31"}
    run = run_submission(doc, name=EV.name, setup=setup, as_of=date(2026, 6, 1))
    assert run.ok
    assert run.cfp is not None
    assert run.cfp.result is not None
    return run


def result_of(run: SubmissionRun) -> CfpResult:
    assert run.cfp is not None
    assert run.cfp.result is not None
    return run.cfp.result


def export(version=PactVersion.V3, unit=DeclaredUnitChoice.PIECE, previous=None, year=2025, **kw):
    run = ev_run(year)
    assert run.validation.submission is not None
    options = PactExportOptions(
        version=version,
        created=CREATED,
        unit=unit,
        fossil_carbon_content=kw.get("carbon", Decimal("38.4")),
        no_biogenic=kw.get("no_biogenic", True),
        previous=previous,
    )
    return export_pact(run.validation.submission, result_of(run), options)


def gate(run: SubmissionRun) -> float:
    result = result_of(run)
    return (
        result.stage(LifecycleStage.RAW_MATERIAL).absolute.value
        + result.stage(LifecycleStage.MAIN_PRODUCTION).absolute.value
    )


def reference_validator(name: str) -> Draft202012Validator:
    schema = json.loads(reference_file(f"jsonschema/{name}").read_bytes())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_v3_export_is_schema_valid_against_the_reference_schema() -> None:
    out = export()
    assert out.ok, out.issues
    errors = list(
        reference_validator("pact-productfootprint-v3.0.schema.json").iter_errors(out.document)
    )
    assert errors == []


def test_v23_export_is_schema_valid_against_the_reference_schema() -> None:
    out = export(PactVersion.V2, year=2024)
    assert out.ok, out.issues
    errors = list(
        reference_validator("pact-productfootprint-v2.3.schema.json").iter_errors(out.document)
    )
    assert errors == []
    assert out.document["specVersion"] == "2.3.0"
    assert out.document["pcf"]["referencePeriodEnd"] == "2025-01-01T00:00:00Z"
    # v2 has no piece: the battery is 480 kg of product, the values per kg
    pcf = out.document["pcf"]
    assert (pcf["declaredUnit"], pcf["unitaryProductAmount"]) == ("kilogram", "480")
    assert float(pcf["pCfExcludingBiogenic"]) == pytest.approx(gate(ev_run(2024)) / 480)


def test_value_is_raw_material_plus_main_production_per_battery() -> None:
    out = export()
    pcf = out.document["pcf"]
    run = ev_run()
    total = gate(run)
    assert float(pcf["pcfExcludingBiogenicUptake"]) == pytest.approx(total, rel=1e-12)
    assert pcf["declaredUnitOfMeasurement"] == "piece"
    assert pcf["declaredUnitAmount"] == "1"
    assert pcf["productMassPerDeclaredUnit"] == "480"
    # not the lifetime value per kWh, not the cradle-to-grave total
    assert float(pcf["pcfExcludingBiogenicUptake"]) != pytest.approx(result_of(run).total.value)
    assert pcf["referencePeriodStart"] == "2025-01-01T00:00:00Z"
    assert pcf["referencePeriodEnd"] == "2026-01-01T00:00:00Z"  # exclusive end
    assert pcf["geographyCountry"] == "HU"
    assert pcf["ipccCharacterizationFactors"] == ["AR6"]
    assert pcf["fossilCarbonContent"] == "38.4"


def test_per_kilogram_divides_by_the_battery_mass() -> None:
    per_kg = export(unit=DeclaredUnitChoice.KILOGRAM).document["pcf"]
    assert per_kg["declaredUnitOfMeasurement"] == "kilogram"
    assert per_kg["productMassPerDeclaredUnit"] == "1"
    assert float(per_kg["pcfExcludingBiogenicUptake"]) == pytest.approx(gate(ev_run()) / 480)
    assert float(per_kg["fossilCarbonContent"]) == pytest.approx(38.4 / 480)


def test_never_per_kwh() -> None:
    with pytest.raises(ValueError, match="kilowatt hour"):
        DeclaredUnitChoice("kilowatt hour")


def test_export_round_trips_through_the_importer() -> None:
    out = export()
    back = read_pact(json.dumps(out.document).encode(), as_of=date(2026, 6, 1))
    assert back.ok, back.issues
    value = float(back.footprints[0].declared["value"].split()[0])
    assert value == pytest.approx(gate(ev_run()), rel=1e-11)


def test_ids_are_deterministic_and_uuid_v4() -> None:
    first, second = export(), export()
    assert first.document["id"] == second.document["id"]
    assert first.document["id"][14] == "4"
    assert "precedingPfIds" not in first.document


def test_unchanged_content_returns_the_previous_footprint() -> None:
    first = export().document
    again = export(previous=first)
    assert again.unchanged
    assert again.document == first


def test_changed_content_gets_a_new_id_with_preceding_ids() -> None:
    first = export().document
    changed = export(previous=first, carbon=Decimal("40"))
    assert not changed.unchanged
    assert changed.document["id"] != first["id"]
    assert changed.document["precedingPfIds"] == [first["id"]]
    third = export(previous=changed.document)  # back to 38.4: a new id again, the chain grows
    assert third.document["id"] not in (first["id"], changed.document["id"])
    assert third.document["precedingPfIds"] == [changed.document["id"], first["id"]]


def test_previous_of_another_product_is_refused() -> None:
    first = dict(export().document)
    first["productIds"] = ["urn:pact:product:customcode:vendor-assigned:OTHER"]
    first["pcf"] = {**first["pcf"], "fossilCarbonContent": "1"}
    out = export(previous=first)
    assert [i.code for i in out.issues] == ["pact.previous-other-product"]


def test_facts_the_engine_does_not_compute_are_required() -> None:
    out = export(carbon=None, no_biogenic=False)
    assert not out.ok
    assert [i.code for i in out.issues] == ["pact.export-fact-missing", "pact.export-fact-missing"]


def test_v23_export_refuses_2025_periods() -> None:
    out = export(PactVersion.V2, year=2025)
    assert [i.code for i in out.issues] == ["pact.export-incomplete"]
