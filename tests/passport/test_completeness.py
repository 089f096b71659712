"""Completeness report: exactly the missing Annex XIII items, per category and date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from compliance.passport.completeness import completeness, load_annex
from compliance.passport.model import Passport
from tests.passport.conftest import passport_of

ALWAYS_PENDING = {"1c-performance-class"}  # Art. 7(2) classes: no delegated act adopted


def _status(report: Any) -> dict[str, str]:
    return {i.id: i.status for i in report.items}


def test_table_covers_every_annex_xiii_point() -> None:
    table = load_annex()
    annexes = {i.annex.split(";")[0].split(",")[0] for i in table.items}
    expected = {f"1({c})" for c in "acdefhijklmnopqrs"} | {"2(a)", "2(b)", "2(c)", "2(d)", "3"}
    expected |= {"4(a)", "4(b)", "4(c)", "4(d)", "Annex VII Part B"}
    assert expected <= annexes
    assert len({i.id for i in table.items}) == len(table.items)


@pytest.mark.parametrize(
    ("example", "as_of", "missing"),
    [
        # the EV example is complete; only the class table is pending
        ("nmc811-m1-ev", date(2027, 9, 1), ()),
        # the bus example omits 1(f) and 2(b) on purpose; a new battery: point 4 waits for service
        ("lfp-m3-bus", date(2027, 9, 1), ("1f-renewable", "2b-spare-parts")),
        # before 18 Feb 2027 nothing is mandatory yet
        ("lfp-m3-bus", date(2027, 1, 31), ()),
        # the LMT example: in service since June 2027, no DD report, composition, spare parts,
        # dismantling, test reports, use data
        (
            "lmt-ebike",
            date(2027, 9, 1),
            (
                "1d-due-diligence",
                "1f-renewable",
                "2a-composition",
                "2b-spare-parts",
                "2c-dismantling",
                "3-test-reports",
                "4a-performance",
                "4b-state-of-health",
                "4d-use-data",
            ),
        ),
        # due diligence (Art. 52(3)) only applies from 18 Aug 2027 (Regulation (EU) 2025/1561)
        (
            "lmt-ebike",
            date(2027, 8, 17),
            (
                "1f-renewable",
                "2a-composition",
                "2b-spare-parts",
                "2c-dismantling",
                "3-test-reports",
                "4a-performance",
                "4b-state-of-health",
                "4d-use-data",
            ),
        ),
    ],
)
def test_examples_list_exactly_their_missing_items(
    example_passports: dict[str, Passport], example: str, as_of: date, missing: tuple[str, ...]
) -> None:
    report = completeness(example_passports[example], as_of)
    assert report.missing == missing
    assert report.complete is (not missing)
    status = _status(report)
    for item in ALWAYS_PENDING:
        assert status[item] == "not-yet-applicable"


def test_bus_point_4_waits_for_service(example_passports: dict[str, Passport]) -> None:
    status = _status(completeness(example_passports["lfp-m3-bus"], date(2027, 9, 1)))
    assert status["4b-state-of-health"] == "not-yet-applicable"
    assert status["4c-status"] == "present"
    assert status["7b-into-service"] == "not-applicable"  # EV: Annex VII Part B is LMT/stationary


def test_lmt_carbon_footprint_items_are_not_yet_due(example_passports: dict[str, Passport]) -> None:
    report = completeness(example_passports["lmt-ebike"], date(2027, 9, 1))
    by_id = {i.id: i for i in report.items}
    assert by_id["1c-study"].status == "not-yet-applicable"
    assert by_id["1k-exhaustion"].status == "not-applicable"  # EV only
    assert by_id["1e-recycled-content"].status == "not-yet-applicable"
    assert "not adopted" in (by_id["1e-recycled-content"].detail or "")


def test_missing_carbon_footprint_study_of_an_ev(ev_doc: dict[str, Any]) -> None:
    del ev_doc["cfpDeclaration"]["studyUrl"]
    report = completeness(passport_of(ev_doc), date(2027, 9, 1))
    # the Art. 7(1) declaration waits for the delegated and implementing acts: pending, not missing
    assert _status(report)["1c-study"] == "not-yet-applicable"
    assert report.missing == ()


def test_removing_items_makes_them_missing(ev_doc: dict[str, Any]) -> None:
    for key in ("declarationOfConformity", "labels", "hazardousSubstances", "testReports"):
        del ev_doc["passport"][key]
    del ev_doc["warranty"]["period"]
    report = completeness(passport_of(ev_doc), date(2027, 9, 1))
    assert report.missing == ("1a-hazardous", "1q-labels", "1r-conformity", "3-test-reports")


def test_small_industrial_battery_needs_no_passport(ev_doc: dict[str, Any]) -> None:
    battery = ev_doc["battery"]
    battery.update(
        category="industrial",
        ratedCapacity="40 Ah",
        nominalVoltage="48 V",
        nominalEnergy="1.92 kWh",
        usableEnergyBol="1.8 kWh",
        mass="25 kg",
    )
    del battery["vehicleClass"]
    ev_doc["functionalUnit"] = {
        "cyclesPerYear": 250,
        "serviceLife": "10 year",
        "justification": "Stationary backup battery profile for the test.",
    }
    report = completeness(passport_of(ev_doc), date(2027, 9, 1))
    assert report.passport_required is False
    assert report.missing == ()
    assert {i.status for i in report.items} == {"not-applicable"}
    assert "2 kWh or less" in (report.items[0].detail or "")
