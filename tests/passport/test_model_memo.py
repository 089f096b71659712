"""Memos keyed on model-level content: every passport gets the bytes of the reference path.

Passports of one battery model share the canonical text of their model-level sections and most
export sections (memoised on the content key of that content); these tests check that the key
tells every two contents apart, that the memoised outputs equal the unmemoised ones for every
example, view and many batteries, and that the memos stay bounded.
"""

from __future__ import annotations

import copy
import json
import pickle
import uuid
from dataclasses import FrozenInstanceError
from datetime import date
from typing import Any

import orjson
import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.models.base import WireModel
from compliance.models.common import Address
from compliance.passport import battery_model, passport_text
from compliance.passport.access import view
from compliance.passport.canonical import canonical_document
from compliance.passport.content import content_key
from compliance.passport.exports import ExportResult, export_batterypass, export_catenax
from compliance.passport.exports import run as export_run
from compliance.passport.identifiers import NAMESPACE, uuid5_urn
from compliance.passport.integrity import seal_bytes
from compliance.passport.model import AccessLevel, DdSummary, Extensions, Passport
from compliance.passport.passport_text import canonical_passport
from tests.passport.conftest import EV, passport_of

ADDRESS = {"street": "Main 1", "postalCode": "1000", "city": "X", "country": "HU"}


def _ev() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(EV.read_text("utf-8"))
    return document


def _reference_text(passport: Passport) -> bytes:
    return canonical_document(passport.model_dump(mode="json"))


def _exports(passport: Passport) -> list[bytes]:
    out = [export_batterypass(passport).to_json()]
    catenax, _ = export_catenax(passport)
    if catenax is not None:
        out.append(catenax.to_json())
    return out


def _unmemoised_exports(passport: Passport, monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    with monkeypatch.context() as patch:
        patch.setattr(export_run, "model_key", lambda _: None)
        return _exports(passport)


# ----------------------------------------------------------------------------- content keys


def test_content_keys_tell_equal_looking_values_apart() -> None:
    a = Address.model_validate(ADDRESS)
    assert content_key(a) == content_key(Address.model_validate(ADDRESS))
    assert content_key(a) != content_key(Address.model_validate({**ADDRESS, "city": "Y"}))
    assert content_key((0.0,)) != content_key((-0.0,))
    assert content_key((1.0,)) != content_key((1,))
    assert content_key((True,)) != content_key((1,))
    assert content_key((date(2027, 1, 1),)) != content_key(("2027-01-01",))
    assert content_key((None,)) != content_key(("",))


class _Named(WireModel):
    name: str


class _Labelled(WireModel):
    name: str


def test_content_keys_tell_model_classes_apart() -> None:
    assert content_key(_Named(name="a")) == content_key(_Named(name="a"))
    assert content_key(_Named(name="a")) != content_key(_Labelled(name="a"))


def test_values_that_may_change_have_no_key() -> None:
    assert content_key({"a": 1}) is None
    assert content_key(([1],)) is None
    assert content_key(DdSummary(catalogue="c", details={"a": 1})) is None  # a dict field
    assert content_key(Extensions(due_diligence=None)) is None  # may hold one


# ----------------------------------------------------------------------------- model keys


def test_batteries_of_one_model_share_the_model_key() -> None:
    first, second = _ev(), _ev()
    second["passport"]["item"]["serialNumber"] = "SN-OTHER"
    second["passport"]["item"]["condition"]["fullCycles"] = 1234.0
    a, b = passport_of(first), passport_of(second)
    assert a.battery_identifier != b.battery_identifier
    assert battery_model.model_key(a) is not None
    assert battery_model.model_key(a) == battery_model.model_key(b)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("passport", "renewableContent"), 0.0),
        (("passport", "renewableContent"), -0.0),
        (("passport", "labels", 0, "meaning"), "Collect separately \ue000"),
        (("passport", "performance", "expectedCycleLife"), 2001.0),
        (("passport", "materials", 0, "mass"), "108.5 kg"),
    ],
)
def test_any_model_level_change_changes_the_key(path: tuple[Any, ...], value: Any) -> None:
    document = _ev()
    node = document
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    changed, plain = passport_of(document), passport_of(_ev())
    assert battery_model.model_key(changed) != battery_model.model_key(plain)
    sealed = seal_bytes(changed)
    assert sealed.data == rfc8785.dumps(sealed.document.model_dump(mode="json"))
    assert _exports(changed) != _exports(plain)


def test_model_and_battery_fields_partition_the_passport() -> None:
    top = set(battery_model.MODEL_FIELDS) | set(battery_model.BATTERY_FIELDS) | {"public"}
    assert top == set(Passport.model_fields)
    assert not set(battery_model.MODEL_FIELDS) & set(battery_model.BATTERY_FIELDS)
    assert battery_model._IMMUTABLE


def test_model_level_passport_has_no_battery_data(example_passports: dict[str, Passport]) -> None:
    stripped = battery_model.model_level(example_passports["nmc811-m1-ev"])
    for name in battery_model.BATTERY_FIELDS:
        assert getattr(stripped, name) is None
    for name in battery_model.BATTERY_PUBLIC_FIELDS:
        assert getattr(stripped.public, name) is None
    assert stripped.public.performance is example_passports["nmc811-m1-ev"].public.performance


# ----------------------------------------------------------------------------- same bytes


@pytest.mark.parametrize("level", list(AccessLevel))
def test_memoised_outputs_equal_the_reference(
    example_passports: dict[str, Passport], level: AccessLevel, monkeypatch: pytest.MonkeyPatch
) -> None:
    for passport in example_passports.values():
        v = view(passport, level)
        for _ in range(2):  # a miss, then a hit
            assert canonical_passport(v) == _reference_text(v)
            assert _exports(v) == _unmemoised_exports(v, monkeypatch)


@settings(max_examples=25, deadline=None)
@given(
    serial=st.from_regex(r"[A-Z0-9]{1,12}", fullmatch=True),
    cycles=st.floats(0, 1e6) | st.sampled_from([0.0, 1.0, 1e-7, 123456789.0]),
    renewable=st.sampled_from([0.0, -0.0, 0.25, 1.0, 1e-5]) | st.floats(0, 1),
    meaning=st.text(min_size=1, max_size=20).filter(lambda text: text.strip() != ""),
)
def test_passports_of_many_batteries_get_reference_bytes(
    serial: str, cycles: float, renewable: float, meaning: str
) -> None:
    document = _ev()
    document["passport"]["item"]["serialNumber"] = serial
    document["passport"]["item"]["condition"]["fullCycles"] = cycles
    document["passport"]["renewableContent"] = renewable
    document["passport"]["labels"][0]["meaning"] = meaning
    passport = passport_of(copy.deepcopy(document))
    for _ in range(2):
        sealed = seal_bytes(passport)
        assert sealed.data == rfc8785.dumps(sealed.document.model_dump(mode="json"))
    unmemoised = passport.model_copy()  # another object: model key computed anew
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export_run, "model_key", lambda _: None)
        expected = _exports(unmemoised)
    assert _exports(passport) == expected


def test_a_passport_with_dd_details_is_not_memoised_but_correct(
    example_passports: dict[str, Passport],
) -> None:
    dd = DdSummary(catalogue="dd@1", details={"flags": [1.0, -0.0], "z": {"b": 2}})
    passport = example_passports["nmc811-m1-ev"].model_copy(
        update={"extensions": Extensions(due_diligence=dd)}
    )
    assert battery_model.model_key(passport) is not None  # the extension is not model-level content
    assert canonical_passport(passport) == _reference_text(passport)


# ----------------------------------------------------------------------------- bounds


def test_memos_stay_bounded(example_passports: dict[str, Passport]) -> None:
    passport = example_passports["lmt-ebike"]
    for index in range(passport_text._TEXTS_LIMIT + 5):
        variant = passport.model_copy(
            update={
                "public": passport.public.model_copy(update={"renewable_content": index / 1000})
            }
        )
        assert canonical_passport(variant) == _reference_text(variant)
        export_batterypass(variant)
    assert len(passport_text._TEXTS) <= passport_text._TEXTS_LIMIT
    assert len(export_run._SECTIONS) <= export_run._SECTIONS_LIMIT
    assert len(battery_model._KEYS) <= battery_model._KEYS_LIMIT


# ----------------------------------------------------------------------------- results


def test_results_keep_their_payloads_as_json_until_read(
    example_passports: dict[str, Passport],
) -> None:
    passport = example_passports["nmc811-m1-ev"]
    lazy = export_batterypass(passport)
    eager = ExportResult(
        lazy.format, lazy.passport_identifier, lazy.view, lazy.payloads, lazy.deviations
    )
    fresh = export_batterypass(passport)
    first = fresh.to_json()  # written from the JSON
    assert first == eager.to_json() == orjson.dumps(eager.to_dict())
    assert fresh == eager
    assert fresh.payloads is fresh.payloads  # read once, then the result's own
    fresh.payloads["labeling"]["labels"] = []
    assert fresh.to_json() != first
    assert json.loads(fresh.to_json())["payloads"]["labeling"]["labels"] == []
    assert export_batterypass(passport).to_json() == first  # the memo is untouched
    assert "ExportResult(format='batterypass-1.2.0'" in repr(fresh)
    with pytest.raises(FrozenInstanceError):
        fresh.view = "public"
    with pytest.raises(TypeError):
        hash(fresh)


def test_a_payload_json_cannot_hold_is_kept_as_objects(
    example_passports: dict[str, Passport],
) -> None:
    """A lone surrogate: the result is built as before, and writing it fails as before."""
    passport = example_passports["nmc811-m1-ev"]
    label = passport.public.labels[0].model_copy(update={"meaning": "bad \ud800"})
    odd = passport.model_copy(
        update={"public": passport.public.model_copy(update={"labels": (label,)})}
    )
    result = export_batterypass(odd)
    assert result.payloads["labeling"]["labels"][0]["labelingMeaning"] == {"en": "bad \ud800"}
    with pytest.raises(orjson.JSONEncodeError):
        result.to_json()


# ----------------------------------------------------------------------------- identifiers


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


def test_results_copy_and_pickle(example_passports: dict[str, Passport]) -> None:
    result = export_batterypass(example_passports["nmc811-m1-ev"])
    for twin in (copy.copy(result), copy.deepcopy(result), pickle.loads(pickle.dumps(result))):
        assert twin == result
        assert twin.to_json() == result.to_json()
