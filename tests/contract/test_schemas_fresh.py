"""The published schema is generated from the models and never drifts from them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from compliance.resources import read_resource_text
from compliance.schema_export import PUBLISHED_SCHEMAS, render_schema
from tests.conftest import ROOT


@pytest.mark.parametrize("relative", sorted(PUBLISHED_SCHEMAS))
def test_committed_schema_matches_models(relative: str) -> None:
    committed = (ROOT / relative).read_text(encoding="utf-8")
    generated = render_schema(PUBLISHED_SCHEMAS[relative]())
    assert committed == generated, f"{relative} is stale: run python scripts/generate_schemas.py"


@pytest.mark.parametrize("relative", sorted(PUBLISHED_SCHEMAS))
def test_schema_is_valid_draft_2020_12(relative: str) -> None:
    schema = json.loads(read_resource_text(relative))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(schema["x-schema-version"])


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


SCHEMA = json.loads(read_resource_text("schemas/supplier-submission/1.0.0/schema.json"))
PATTERNS = sorted({n["pattern"] for n in _nodes(SCHEMA) if isinstance(n.get("pattern"), str)})


def test_every_quantity_states_dimension_and_canonical_unit() -> None:
    quantities = [n for n in _nodes(SCHEMA) if n.get("type") == ["string", "object"]]
    assert len(quantities) >= 10
    for node in quantities:
        assert "x-dimension" in node
        assert "x-canonical-unit" in node


def test_every_object_is_closed() -> None:
    for node in _nodes(SCHEMA):
        if node.get("type") == "object" or node.get("type") == ["string", "object"]:
            assert node.get("additionalProperties") is False, node.get("title")


def test_patterns_compile_in_python() -> None:
    for pattern in PATTERNS:
        re.compile(pattern)


def test_patterns_are_valid_ecma_262() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js not installed: cannot check ECMA-262 regex syntax")
    script = "for (const p of JSON.parse(process.argv[1])) new RegExp(p, 'u');"
    proc = subprocess.run(
        [node, "-e", script, json.dumps(PATTERNS)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
