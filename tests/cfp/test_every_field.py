"""Nothing a user provides is silently dropped: every field of the submission schema is used or
reported (issue 13).

The test walks the published schema (every property path), checks that the every-field document
holds each path, then, for every leaf of that document and under every bundled ruleset, proves
one of:

* **used**: another valid value changes some output (the CFP result with its trace, or the
  battery passport built from the submission), or
* **reported**: the run (validation and calculation) has an issue at the leaf's pointer.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.errors import Issue, Severity, split_pointer
from compliance.passport.builder import build_passport
from compliance.units import parse_quantity_string
from compliance.validation import validate_submission
from tests.cfp.conftest import AS_OF
from tests.cfp.every_field import build, dataset
from tests.cfp.schema_walk import Leaf, document_leaves, schema_paths

RULESETS = ("eu-da-2024-draft", "jrc-cfb-ev-2023", "meti-v1.0")
GENERATED = datetime(2027, 1, 1, tzinfo=UTC)
DIGEST = "sha256:" + "0" * 64


def _outputs(document: dict[str, Any], ruleset: str) -> tuple[Any, list[Issue]]:
    """(outputs, issues) of a run; the outputs are ``None`` when the document is invalid."""
    report = validate_submission(document)
    if report.submission is None or not report.ok:
        return None, list(report.issues)
    sub = report.submission
    outcome = compute_cfp(
        sub,
        load_ruleset(ruleset),
        library=FactorLibrary.bundled([dataset()]),
        as_of=AS_OF,
        trace=True,
    )
    if outcome.result is None:
        return None, [*report.issues, *outcome.issues]
    passport, problems = build_passport(
        sub, generated_at=GENERATED, submission_digest=DIGEST, base_url="https://x.example", cfp=outcome.result
    )
    result = outcome.result.model_dump(mode="json", exclude={"issues"})
    shown = passport.model_dump(mode="json") if passport is not None else None
    return (result, shown), [*report.issues, *outcome.issues, *problems]


def _get(document: Any, pointer: str) -> Any:
    node = document
    for token in split_pointer(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _set(document: Any, pointer: str, value: Any) -> Any:
    tokens = split_pointer(pointer)
    changed = copy.deepcopy(document)
    node = changed
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    node[int(last) if isinstance(node, list) else last] = value
    return changed


def _scaled(value: float) -> list[float]:
    return [value * 1.5, value * 0.5, value + 1] if value else [1.0, 0.5]


def _candidates(leaf: Leaf, value: Any) -> list[Any]:
    """Other values for a leaf, most natural first (the first valid one is used)."""
    node = leaf.node
    if leaf.name is not None and leaf.name.endswith("Quantity"):
        if isinstance(value, str):
            magnitude, unit = parse_quantity_string(value)
        else:
            magnitude, unit = value["value"], value["unit"]
        return [{"value": v, "unit": unit} for v in _scaled(magnitude)]
    if "enum" in node:
        return [v for v in node["enum"] if v != value]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, (int, float)):
        options = [value / 2, value * 0.9, value + 1, value - 1, value * 1.5] if value else [0.5, 1]
        return [type(value)(v) if isinstance(value, int) else v for v in options]
    if isinstance(value, str):
        if node.get("format") == "date" or (len(value) == 10 and value[4] == "-"):
            return [value[:8] + ("02" if value[8:] != "02" else "03")]
        if len(value) == 2 and value.isupper():
            return [c for c in ("FR", "DE", "PL") if c != value]
        return [value + "x", value[:-1] + "9", "Changed " + value]
    return []


def _reported(issues: list[Issue], pointer: str) -> bool:
    return any(i.pointer == pointer for i in issues)


def test_the_every_field_document_holds_every_schema_path() -> None:
    present = {x if isinstance(x, str) else x.abstract for x in document_leaves(build())}
    assert sorted(schema_paths() - present) == []


def _leaves() -> list[Leaf]:
    return [x for x in document_leaves(build()) if isinstance(x, Leaf)]


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_field_is_used_or_reported(ruleset: str) -> None:
    document = build()
    baseline = _outputs(document, ruleset)
    outputs, issues = baseline
    assert outputs is not None and outputs[1] is not None, [
        (i.code, i.pointer) for i in issues if i.severity is Severity.ERROR
    ]
    silent: list[str] = []
    for leaf in _leaves():
        if _reported(issues, leaf.pointer):
            continue
        value = _get(document, leaf.pointer)
        used = False
        for candidate in _candidates(leaf, value):
            changed, found = _outputs(_set(document, leaf.pointer, candidate), ruleset)
            # used: another value changes an output, or is checked against other fields
            if (changed is not None and changed != outputs) or _reported(found, leaf.pointer):
                used = True
                break
        if not used:
            silent.append(leaf.pointer)
    assert silent == [], "\n".join(silent)
