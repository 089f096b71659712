"""Layers 2 and 3: schema and model findings, their pointers, messages and de-duplication."""

from __future__ import annotations

from typing import Any

import pytest

from compliance.errors import Layer
from compliance.models import SupplierSubmission
from compliance.validation import validate_submission
from compliance.validation.model_layer import pointer_for_loc


def issues(doc: Any) -> list[tuple[str, str]]:
    report = validate_submission(doc)
    return sorted((i.code, i.pointer) for i in report.issues if i.layer is not Layer.SEMANTIC)


def message(doc: Any, pointer: str) -> str:
    report = validate_submission(doc)
    return next(i.message for i in report.issues if i.pointer == pointer)


def test_unknown_field_has_hint(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["usableEnergyBOL"] = ev_document["battery"].pop("usableEnergyBol")
    assert issues(ev_document) == [
        ("schema.additionalProperties", "/battery/usableEnergyBOL"),
        ("schema.required", "/battery/usableEnergyBol"),
    ]
    assert "did you mean 'usableEnergyBol'" in message(ev_document, "/battery/usableEnergyBOL")


def test_snake_case_field_names_are_rejected_with_camel_case_hint(
    ev_document: dict[str, Any],
) -> None:
    ev_document["schema_version"] = ev_document.pop("schemaVersion")
    assert "did you mean 'schemaVersion'" in message(ev_document, "/schema_version")


def test_nullable_optional_field_reports_the_real_branch(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["nominalEnergy"] = "80 kWh, approx."
    assert issues(ev_document) == [("units.invalid", "/battery/nominalEnergy")]
    ev_document["battery"]["nominalEnergy"] = 80
    assert issues(ev_document) == [("schema.type", "/battery/nominalEnergy")]
    assert "not a quantity (energy)" in message(ev_document, "/battery/nominalEnergy")


def test_discriminated_union_reports_the_chosen_branch(ev_document: dict[str, Any]) -> None:
    ev_document["energyUse"][0]["amount"] = "-5 kWh"
    assert issues(ev_document) == [("schema.pattern", "/energyUse/0/amount")]


def test_factor_union_inline_vs_reference(ev_document: dict[str, Any]) -> None:
    line = ev_document["billOfMaterials"][0]
    line["emissionFactor"] = {"dataset": "Open Factors", "factorId": "nmc811"}
    assert issues(ev_document) == [("schema.pattern", "/billOfMaterials/0/emissionFactor/dataset")]
    line["emissionFactor"] = {"dataset": "open-factors", "factorId": "cam.nmc811"}
    assert issues(ev_document) == []
    line["emissionFactor"] = {"value": "20 kg CO2e/kg"}
    assert issues(ev_document) == [("schema.required", "/billOfMaterials/0/emissionFactor/source")]


def test_country_hint(ev_document: dict[str, Any]) -> None:
    ev_document["plant"]["address"]["country"] = "EL"
    assert issues(ev_document) == [("schema.enum", "/plant/address/country")]
    assert "did you mean 'GR'" in message(ev_document, "/plant/address/country")


def test_small_enum_lists_values(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["category"] = "EV"
    assert "'ev', 'lmt', 'industrial', 'stationary'" in message(ev_document, "/battery/category")


def test_unit_errors_point_into_object_form(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["mass"] = {"value": 480, "unit": "kilo"}
    assert issues(ev_document) == [("units.undefined", "/battery/mass/unit")]


def test_schema_and_model_errors_are_reported_together_once(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["mass"] = "480 kgs"  # model only (schema cannot know units)
    ev_document["battery"]["ratedCapacity"] = "-200 Ah"  # schema and model: reported once
    ev_document["plant"]["facilityId"] = ""  # schema and model: reported once
    assert issues(ev_document) == [
        ("schema.minLength", "/plant/facilityId"),
        ("schema.pattern", "/battery/ratedCapacity"),
        ("units.undefined", "/battery/mass"),
    ]


def test_not_finite_quantity_value_in_string_form(ev_document: dict[str, Any]) -> None:
    ev_document["battery"]["mass"] = "1e999 kg"
    assert issues(ev_document) == [("quantity.not-finite", "/battery/mass/value")]


def test_boolean_is_not_a_number(ev_document: dict[str, Any]) -> None:
    ev_document["billOfMaterials"][0]["circularity"]["recycledContent"] = True
    assert issues(ev_document) == [
        ("schema.type", "/billOfMaterials/0/circularity/recycledContent")
    ]


def test_dates(ev_document: dict[str, Any]) -> None:
    ev_document["reportingPeriod"]["start"] = "2025-1-1"
    ev_document["reportingPeriod"]["end"] = "2025-02-29"
    assert issues(ev_document) == [
        ("schema.format", "/reportingPeriod/end"),
        ("schema.format", "/reportingPeriod/start"),
    ]
    assert "YYYY-MM-DD" in message(ev_document, "/reportingPeriod/start")


@pytest.mark.parametrize(
    ("loc", "document", "pointer"),
    [
        (("energyUse", 0, "heat", "amount"), {"energyUse": [{"amount": 1}]}, "/energyUse/0/amount"),
        (("a", "b/c"), {"a": {"b/c": 1}}, "/a/b~1c"),
        (("list", 5), {"list": [1]}, "/list/5"),
    ],
)
def test_pointer_for_loc(loc: tuple[Any, ...], document: Any, pointer: str) -> None:
    assert pointer_for_loc(loc, document) == pointer


def test_models_accept_python_names_for_library_users(ev_document: dict[str, Any]) -> None:
    report = validate_submission(ev_document)
    assert report.submission is not None
    battery = report.submission.battery.model_copy(update={"model_name": "renamed"})
    assert battery.model_name == "renamed"
    # by-name validation is for Python callers only; the wire format is camelCase
    data = report.submission.model_dump(by_alias=False)
    assert SupplierSubmission.model_validate(data).battery.model_name == "EV80 high-energy pack"
