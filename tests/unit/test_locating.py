"""Source positions for pointers: JSON token scan (checked against json-source-map) and YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from json_source_map import calculate

from compliance.errors import Issue
from compliance.validation.locating import _json_positions, locate_issues
from compliance.validation.parsing import DocumentFormat
from tests.conftest import EXAMPLES, VALID

TRICKY = '{"a~b": 1, "c": [1, {"e": [true, null]}], "f": {"g": "x,\\"}]y"}, "h": [], "i": {}}'


def reference(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    out = {}
    for pointer, entry in calculate(text).items():
        start = entry.key_start or entry.value_start
        out[tuple(pointer.split("/")[1:])] = (start.line + 1, start.column + 1)
    return out


@pytest.mark.parametrize(
    "text",
    [
        TRICKY,
        json.dumps(json.loads(TRICKY), indent=4),
        *(p.read_text("utf-8") for p in VALID if p.suffix == ".json"),
        *(
            json.dumps(json.loads(p.read_text("utf-8")), separators=(",", ":"))
            for p in VALID
            if p.suffix == ".json"
        ),
    ],
)
def test_positions_match_json_source_map(text: str) -> None:
    assert _json_positions(text) == reference(text)


def test_keys_with_slashes() -> None:
    # json-source-map does not escape "/" in keys (RFC 6901); the scan keeps raw key tokens
    assert _json_positions('{"c/d": [1]}')[("c/d", "0")] == (1, 10)


def test_missing_member_is_located_at_nearest_ancestor() -> None:
    text = '{\n  "battery": {\n    "mass": "1 kg"\n  }\n}'
    issues = [Issue("schema.required", "/battery/chemistry", "missing")]
    (located,) = locate_issues(issues, text, DocumentFormat.JSON)
    assert (located.line, located.column) == (2, 3)


def test_yaml_positions() -> None:
    text = (EXAMPLES / "valid" / "lfp-m3-bus.yaml").read_text("utf-8")
    issues = [
        Issue("x", "/battery/mass", "m"),
        Issue("x", "/transport/1/mass/unit", "m"),
        Issue("x", "/purchasedComponents/0/footprint/stageSplit/rawMaterial", "m"),
    ]
    rows = [i.line or 0 for i in locate_issues(issues, text, DocumentFormat.YAML)]
    lines = text.splitlines()
    assert lines[rows[0] - 1].strip() == "mass: 960 kg"
    assert lines[rows[1] - 1].strip() == "mass: {value: 648, unit: kg}"
    assert lines[rows[2] - 1].strip() == "rawMaterial: 40 kg CO2e/kWh"


def test_existing_positions_are_kept(tmp_path: Path) -> None:
    issue = Issue("parse.invalid-json", "", "bad", line=3, column=4)
    assert locate_issues([issue], "{}", DocumentFormat.JSON) == [issue]
