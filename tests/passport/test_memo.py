"""Memoised engine pieces: shared results are correct for every input, not just the first."""

from __future__ import annotations

import copy
import json
from typing import Any

import orjson
import pytest

from compliance.passport import builder
from compliance.passport.exports import export_batterypass, export_catenax
from compliance.passport.exports.common import (
    Deviation,
    DeviationKind,
    ExportResult,
    percent,
    rounded,
)
from compliance.passport.integrity import seal_bytes
from compliance.passport.model import Passport
from tests.passport.conftest import EV, passport_of


def _ev_with(serial: str, capacity: float, cycles: float) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EV.read_text("utf-8"))
    item = document["passport"]["item"]
    item["serialNumber"] = serial
    item["condition"]["remainingCapacity"] = capacity
    item["condition"]["fullCycles"] = cycles
    return document


def test_converters_equal_plain_rounding() -> None:
    for value in (0.07, 0.1234567890123, 1.0, 0.0, -0.0, 3.5e-9, 123.456):
        for _ in range(2):  # second round from the memo
            assert repr(percent(value)) == repr(round(value * 100.0, 10))
            assert repr(rounded(value, 12)) == repr(round(value, 12))
            assert repr(rounded(value, 10)) == repr(round(value, 10))
            assert repr(rounded(value, 3)) == repr(round(value, 3))


def test_memoised_passports_differ_where_their_batteries_do() -> None:
    """Two batteries of one model share memo entries, but not their own values."""
    first = passport_of(_ev_with("SN-1", 0.97, 48.0))
    second = passport_of(_ev_with("SN-2", 0.91, 1200.0))
    assert first.public.carbon_footprint is second.public.carbon_footprint or (
        first.public.carbon_footprint == second.public.carbon_footprint
    )
    sealed = [seal_bytes(p).data for p in (first, second)]
    assert sealed[0] != sealed[1]
    for data, serial, cycles in zip(sealed, ("SN-1", "SN-2"), (48, 1200), strict=True):
        document = json.loads(data)["passport"]
        assert document["public"]["identification"]["serialNumber"] == serial
        assert document["individual"]["condition"]["fullCycles"] == cycles
    exports = [export_batterypass(p).to_json() for p in (first, second)]
    assert exports[0] != exports[1]
    condition = json.loads(exports[1])["payloads"]["performanceAndDurability"]["batteryCondition"]
    assert condition["numberOfFullCycles"]["numberOfFullCyclesValue"] == 1200


def test_to_json_equals_the_wire_form(example_passports: dict[str, Passport]) -> None:
    """Shared deviations written from their memoised JSON, others from ``to_dict``."""
    for passport in example_passports.values():
        for result in (export_batterypass(passport), export_catenax(passport)[0]):
            if result is None:
                continue
            assert result.to_json() == orjson.dumps(result.to_dict())
            own = Deviation("a", "/p", DeviationKind.WITHHELD, "not shared")
            mixed = ExportResult(
                result.format,
                result.passport_identifier,
                result.view,
                result.payloads,
                (*result.deviations, own),
            )
            assert mixed.to_json() == orjson.dumps(mixed.to_dict())


@pytest.mark.parametrize("declared", [None, "B"])
def test_carbon_footprint_memo_follows_the_declaration(
    example_passports: dict[str, Passport], declared: str | None
) -> None:
    """Memoised per CFP result object and declaration: another declaration, another section."""
    document = json.loads(EV.read_text("utf-8"))
    document["passport"]["carbonFootprintPerformanceClass"] = declared
    changed = passport_of(copy.deepcopy(document))
    plain = example_passports["nmc811-m1-ev"]
    assert changed.public.carbon_footprint is not None
    assert plain.public.carbon_footprint is not None
    expected = "declared" if declared else plain.public.carbon_footprint.performance_class_status
    assert changed.public.carbon_footprint.performance_class_status == expected
    assert len(builder._CARBON_FOOTPRINTS) <= builder._MEMO_LIMIT
