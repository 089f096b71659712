"""Completeness names the submission field that fills each gap: pointer and label (issue 17.1).

The ``fills`` pointers of ``rules/passport/annex-xiii.yaml`` are checked against the behaviour,
not only the schema: deleting an item's fields from the complete EV example must make the item
absent from its passport (or the submission invalid, when the field is required).
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from compliance.errors import split_pointer
from compliance.passport.completeness import completeness, load_annex
from tests.passport.conftest import outcome_for, passport_of

ITEMS = [i for i in load_annex().items if i.fills]
DEFAULTED = {"4c-status": "original"}  # BatteryItem.status defaults to original


def _delete(document: dict[str, Any], pointer: str) -> bool:
    *parents, last = split_pointer(pointer)
    node: Any = document
    for token in parents:
        if not isinstance(node, dict) or token not in node:
            return False
        node = node[token]
    if not isinstance(node, dict) or last not in node:
        return False
    del node[last]
    return True


def test_most_items_name_their_fields() -> None:
    computed = {i.id for i in load_annex().items if not i.fills}
    assert computed == {"1c-carbon-footprint"}  # the engine computes it from the inventory


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_deleting_the_named_fields_removes_the_item(item: Any, ev_doc: dict[str, Any]) -> None:
    document = copy.deepcopy(ev_doc)
    document["passport"]["item"]["puttingIntoService"] = "2026-06-01"
    before = passport_of(document).model_dump(mode="json", by_alias=True)
    deleted = [p for p in item.fills if _delete(document, p)]
    if not deleted:
        pytest.skip(f"the EV example has none of {item.fills}")
    outcome = outcome_for(json.dumps(document).encode())
    if outcome.passport is None:  # a required field: the submission names it itself
        assert any(i.pointer in item.fills for i in outcome.issues), outcome.issues[:3]
        return
    after = outcome.passport.model_dump(mode="json", by_alias=True)
    assert _at(before, item.pointer) not in (None, [], {}, "")
    if item.id in DEFAULTED:  # the field has a default: the item is never absent
        assert _at(after, item.pointer) == DEFAULTED[item.id]
        return
    assert _at(after, item.pointer) != _at(before, item.pointer)


def _at(document: Any, pointer: str) -> Any:
    for token in split_pointer(pointer):
        if not isinstance(document, dict):
            return None
        document = document.get(token)
    return document


def test_a_missing_item_names_pointer_and_label(ev_doc: dict[str, Any]) -> None:
    del ev_doc["passport"]["labels"]
    report = completeness(passport_of(ev_doc), date(2027, 9, 1))
    [labels] = [i for i in report.items if i.id == "1q-labels"]
    assert labels.status == "missing"
    assert [(f.pointer, f.label) for f in labels.fill] == [("/passport/labels", "Labels")]
    present = [i for i in report.items if i.status == "present"]
    assert present
    assert all(i.fill == () for i in present)


def test_original_power_capability_is_named(ev_doc: dict[str, Any]) -> None:
    power = next(i for i in load_annex().items if i.id == "1i-power")
    assert power.fills == ("/passport/performance/originalPowerCapability",)
    del ev_doc["passport"]["performance"]
    report = completeness(passport_of(ev_doc), date(2027, 9, 1))
    [item] = [i for i in report.items if i.id == "1i-power"]
    assert item.status == "missing"
    assert [(f.pointer, f.label) for f in item.fill] == [
        ("/passport/performance/originalPowerCapability", "Original power capability")
    ]
