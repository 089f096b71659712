"""Passport building: what is copied where, identifiers, and located issues for bad identity."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.models import BatteryStatus
from compliance.passport.identifiers import (
    NAMESPACE,
    gs1_digital_link,
    passport_identifier,
    uuid5_urn,
)
from compliance.passport.model import Passport
from tests.passport.conftest import BASE_URL, issues_of, outcome_for, passport_of


def test_ev_passport_carries_the_declared_and_computed_values(
    example_passports: dict[str, Passport],
) -> None:
    p = example_passports["nmc811-m1-ev"]
    assert p.category.value == "ev"
    assert p.individual is not None
    assert p.individual.status is BatteryStatus.ORIGINAL
    assert "status" not in p.model_dump(by_alias=True)  # 4(c) is not in the (public) header
    # GTIN-13 5991234567894 padded to GTIN-14; GS1 element string with the serial number
    assert p.battery_identifier == "(01)05991234567894(21)EV80-2027-000123"
    assert p.gs1_digital_link == f"{BASE_URL}/01/05991234567894/21/EV80-2027-000123"
    assert p.public_url == p.gs1_digital_link
    assert p.public.mass.value == 480.0
    assert p.public.mass.unit == "kg"
    assert p.public.rated_capacity.value == 200.0
    assert p.public.usable_energy.value == 75.0  # 75 000 Wh in the submission
    assert p.public.date_of_manufacture == "2027-03"
    cf = p.public.carbon_footprint
    assert cf is not None
    # 4 244.44 kg CO2e over 160 000 km x 0.17 kWh/km x ... = 36 000 kWh (see the CFP tests)
    assert cf.per_functional_unit.value == pytest.approx(4244.43774 / 36000, rel=1e-9)
    assert [s.stage.value for s in cf.stages] == [
        "raw-material",
        "main-production",
        "distribution",
        "end-of-life",
    ]
    assert sum(s.per_functional_unit.value for s in cf.stages) == pytest.approx(
        cf.per_functional_unit.value, rel=1e-12
    )
    assert cf.performance_class is None  # no published class table (Art. 7(2) pending)
    assert cf.study_url == "https://danube-battery.example/sustainability/ev80-cfp-study"
    assert p.provenance.cfp_ruleset == "eu-da-2024-draft@" + cf.ruleset.split("@")[1]
    assert p.provenance.submission_digest.startswith("sha256:")
    assert p.provenance.generated_at == "2027-09-01T08:00:00Z"
    assert p.legitimate_interest is not None
    assert len(p.legitimate_interest.materials) == 5
    assert p.authorities is not None
    assert len(p.authorities.test_reports) == 2
    assert p.individual is not None
    assert p.individual.condition is not None
    assert p.individual.condition.full_cycles == 48
    # the economic operator defaults to the manufacturer (Art. 77(4))
    assert p.economic_operator.name == p.public.manufacturer.name


def test_identifiers_are_deterministic_and_new_for_a_new_life(ev_doc: dict[str, Any]) -> None:
    first = passport_of(ev_doc)
    again = passport_of(ev_doc)
    assert first.passport_identifier == again.passport_identifier
    assert first.passport_identifier.startswith("urn:uuid:")
    ev_doc["passport"]["item"]["status"] = "repurposed"
    ev_doc["passport"]["item"]["predecessors"] = [first.passport_identifier]
    second = passport_of(ev_doc)
    assert second.battery_identifier == first.battery_identifier
    assert second.passport_identifier != first.passport_identifier
    assert second.individual is not None
    assert second.individual.predecessors == (first.passport_identifier,)
    assert second.passport_identifier == passport_identifier(
        first.battery_identifier, [first.passport_identifier]
    )


def test_becoming_waste_keeps_the_passport(ev_doc: dict[str, Any]) -> None:
    """Art. 77(7): only re-use, repurposing and remanufacturing give a new passport."""
    first = passport_of(ev_doc)
    ev_doc["passport"]["item"]["status"] = "waste"
    waste = passport_of(ev_doc)
    assert waste.passport_identifier == first.passport_identifier
    assert waste.individual is not None
    assert waste.individual.status is BatteryStatus.WASTE


def test_a_gs1_serial_is_kept_in_the_element_string(ev_doc: dict[str, Any]) -> None:
    # 20 characters, all of GS1 character set 82 (figure 7.11-1), punctuation included
    ev_doc["passport"]["item"]["serialNumber"] = "Ab0!%&'()*+,-./:;<=>"
    p = passport_of(ev_doc)
    assert p.battery_identifier == "(01)05991234567894(21)Ab0!%&'()*+,-./:;<=>"
    assert p.gs1_digital_link is not None


@pytest.mark.parametrize(
    ("serial", "problem"),
    [
        ("EV80-2027-0001234567", None),  # 20 characters
        ("EV80-2027-00012345678", "it has 21 characters; AI (21) holds at most 20"),
        ("EV80#1", "'#' is not in GS1 character set 82"),
        ("EV80~1[", "'[', '~' are not in GS1 character set 82"),
    ],
)
def test_a_serial_gs1_cannot_hold_gets_no_gs1_identifier(
    ev_doc: dict[str, Any], serial: str, problem: str | None
) -> None:
    ev_doc["passport"]["item"]["serialNumber"] = serial
    outcome = outcome_for(json.dumps(ev_doc).encode())
    assert outcome.passport is not None
    warnings = [
        (i.code, i.pointer, i.severity.value)
        for i in outcome.issues
        if i.code.startswith("passport.")
    ]
    if problem is None:
        assert warnings == []
        assert outcome.passport.battery_identifier == f"(01)05991234567894(21){serial}"
        return
    assert warnings == [("passport.gtin-serial-unusable", "/passport/item/serialNumber", "warning")]
    message = next(i.message for i in outcome.issues if i.code == "passport.gtin-serial-unusable")
    assert problem in message
    p = outcome.passport
    assert "(01)" not in p.battery_identifier
    assert p.battery_identifier.startswith("urn:uuid:")
    assert p.gs1_digital_link is None
    assert p.public_url.startswith(f"{BASE_URL}/passports/")
    assert p.public.identification.gtin == "05991234567894"  # the model's trade item number
    assert p.public.identification.serial_number == serial


def test_a_long_serial_is_carried_by_the_operators_own_identifier(ev_doc: dict[str, Any]) -> None:
    serial = "EV80-2027-000123-LINE4-CELLPACK-0099"
    ev_doc["passport"]["item"]["serialNumber"] = serial
    ev_doc["passport"]["item"]["batteryIdentifier"] = f"urn:example:battery:{serial}"
    p = passport_of(ev_doc)
    assert p.battery_identifier == f"urn:example:battery:{serial}"
    assert p.gs1_digital_link is None


def test_without_gtin_the_battery_gets_a_name_based_urn(ev_doc: dict[str, Any]) -> None:
    del ev_doc["passport"]["item"]["gtin"]
    p = passport_of(ev_doc)
    assert p.battery_identifier.startswith("urn:uuid:")
    assert p.gs1_digital_link is None
    assert p.public_url == f"{BASE_URL}/passports/" + p.passport_identifier.replace(":", "%3A")


def test_given_battery_identifier_is_kept(ev_doc: dict[str, Any]) -> None:
    ev_doc["passport"]["item"]["batteryIdentifier"] = "(01)05991234567894(21)EV80-2027-000123"
    assert passport_of(ev_doc).battery_identifier == "(01)05991234567894(21)EV80-2027-000123"


def _codes(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i.code, i.pointer) for i in issues_of(document)]


def test_repurposed_without_predecessor_is_a_located_issue(ev_doc: dict[str, Any]) -> None:
    ev_doc["passport"]["item"]["status"] = "repurposed"
    assert _codes(ev_doc) == [("passport.predecessor-missing", "/passport/item/predecessors")]


@pytest.mark.parametrize("status", ["re-used", "remanufactured"])
def test_every_second_life_status_needs_a_predecessor(ev_doc: dict[str, Any], status: str) -> None:
    ev_doc["passport"]["item"]["status"] = status
    assert _codes(ev_doc) == [("passport.predecessor-missing", "/passport/item/predecessors")]


def test_original_with_predecessor_is_refused(ev_doc: dict[str, Any]) -> None:
    ev_doc["passport"]["item"]["predecessors"] = ["urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"]
    assert _codes(ev_doc) == [("passport.predecessor-unexpected", "/passport/item/predecessors")]


def test_unknown_status_is_a_schema_issue(ev_doc: dict[str, Any]) -> None:
    ev_doc["passport"]["item"]["status"] = "second-life"
    issues = issues_of(ev_doc)
    assert [(i.code, i.pointer) for i in issues] == [("schema.enum", "/passport/item/status")]
    assert "repurposed" in issues[0].message


def test_wrong_gtin_check_digit(ev_doc: dict[str, Any]) -> None:
    ev_doc["passport"]["item"]["gtin"] = "5991234567895"
    assert _codes(ev_doc) == [("passport.gtin-invalid", "/passport/item/gtin")]


def test_contradictory_identifiers(ev_doc: dict[str, Any]) -> None:
    ev_doc["manufacturer"]["identifiers"].append({"scheme": "vat", "value": "HU99999999"})
    assert _codes(ev_doc) == [("passport.identity-conflict", "/manufacturer/identifiers/2/value")]


def test_battery_identifier_contradicting_gtin_and_serial(ev_doc: dict[str, Any]) -> None:
    ev_doc["passport"]["item"]["batteryIdentifier"] = "(01)05991234567894(21)OTHER-SERIAL"
    assert _codes(ev_doc) == [("passport.identity-conflict", "/passport/item/batteryIdentifier")]


def test_missing_item_is_located(ev_doc: dict[str, Any]) -> None:
    del ev_doc["passport"]["item"]
    assert _codes(ev_doc) == [("passport.item-missing", "/passport/item")]


def test_conformity_ids_must_agree(ev_doc: dict[str, Any]) -> None:
    ev_doc["passport"]["declarationOfConformity"]["identifier"] = "DBS-DoC-OTHER"
    issues = issues_of(ev_doc)
    assert [(i.code, i.pointer) for i in issues] == [
        ("semantic.conformity-id-mismatch", "/cfpDeclaration/declarationOfConformityId")
    ]
    assert "DBS-DoC-OTHER" in issues[0].message


def test_wrong_cas_check_digit_is_rejected(ev_doc: dict[str, Any]) -> None:
    ev_doc["passport"]["materials"][0]["casNumber"] = "346417-97-7"
    issues = issues_of(ev_doc)
    assert [(i.code, i.pointer) for i in issues] == [
        ("model.cas_check_digit", "/passport/materials/0/casNumber")
    ]


def test_gs1_digital_link_escapes_the_serial() -> None:
    assert gs1_digital_link("https://id.example/", "05991234567894", "A/B 1") == (
        "https://id.example/01/05991234567894/21/A%2FB%201"
    )


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_uuid5_urn_equals_the_standard_library(name: str) -> None:
    try:
        expected = uuid.uuid5(NAMESPACE, name).urn
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            uuid5_urn(name)
        return
    assert uuid5_urn(name) == expected


@pytest.mark.parametrize("declared", [None, "B"])
def test_the_carbon_footprint_section_follows_the_declaration(
    ev_doc: dict[str, Any], declared: str | None
) -> None:
    ev_doc["passport"]["carbonFootprintPerformanceClass"] = declared
    cf = passport_of(ev_doc).public.carbon_footprint
    assert cf is not None
    assert cf.performance_class == declared
    assert cf.performance_class_status == ("declared" if declared else "not-published")
    assert cf.method.startswith("EU draft delegated act")
