"""Nothing a user provides is silently dropped: every field of the submission schema is used or
reported (issue 13).

The test walks the published schema (every property path), checks that the every-field document
holds each path, then, for every leaf of that document and under every bundled ruleset, proves
one of:

* **used**: another valid value changes some output (the CFP result with its trace, or the
  battery passport built from the submission), or
* **reported**: the run (validation and calculation) has an issue at the leaf's pointer, or a
  "not used" issue at an object holding it.

"Some output" is the CFP result (with its trace and a small Monte Carlo run, so that spreads
count), the passport, or the issues themselves (a value checked against other fields is read).
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.errors import Issue, Layer, Severity, split_pointer
from compliance.passport.builder import build_passport
from compliance.units import parse_quantity_string
from compliance.validation import validate_submission
from tests.cfp.conftest import AS_OF
from tests.cfp.every_field import build, dataset
from tests.cfp.schema_walk import Leaf, document_leaves, schema_paths

RULESETS = ("eu-da-2024-draft", "jrc-cfb-ev-2023", "meti-v1.0")
STRUCTURAL = (Layer.PARSE, Layer.SCHEMA, Layer.MODEL)
NOT_USED = frozenset({"cfp.input-not-used", "cfp.instrument-ignored"})
"""Codes saying that the object at their pointer (with everything in it) is not used."""
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
        monte_carlo=16,
        seed=1,
    )
    if outcome.result is None:
        return None, [*report.issues, *outcome.issues]
    passport, problems = build_passport(
        sub,
        generated_at=GENERATED,
        submission_digest=DIGEST,
        base_url="https://x.example",
        cfp=outcome.result,
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


SPECIAL = ("7440-48-4", "7439-93-2", "B", "A, B, C")
"""Other values for patterned strings: CAS numbers (cobalt, lithium), EN 2 fire classes."""


def _constant(leaf: Leaf) -> bool:
    """A constant (schema version, energy carrier, distribution) selects the schema or branch:
    no other value exists, and the value is used by selecting."""
    return "const" in leaf.node or len(leaf.node.get("enum", ())) == 1


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
        tiny = magnitude * 1.0001  # inside the stage-split tolerance (1e-3)
        return [{"value": v, "unit": unit} for v in (tiny, *_scaled(magnitude))]
    if "enum" in node:
        return [v for v in node["enum"] if v != value]
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, (int, float)):
        options = [value / 2, value * 0.9, value + 1, value - 1, value * 1.5] if value else [0.5, 1]
        return [type(value)(v) if isinstance(value, int) else v for v in options]
    if isinstance(value, str):
        if len(value) >= 10 and value[4] == "-" and value[7] == "-":  # a date or date-time
            day = "02" if value[8:10] != "02" else "03"
            return [value[:8] + day + value[10:]]
        if len(value) == 2 and value.isupper():
            return [c for c in ("FR", "DE", "PL") if c != value]
        texts = [value + "x", value[:-1] + "9", "Changed " + value, *SPECIAL]
        pattern = node.get("pattern")
        return [t for t in texts if t != value and (not pattern or re.search(pattern, t))]
    return []


def _reported(issues: list[Issue], pointer: str) -> bool:
    return any(
        i.pointer == pointer or (i.code in NOT_USED and pointer.startswith(i.pointer + "/"))
        for i in issues
    )


def _keys(issues: list[Issue]) -> set[tuple[str, str]]:
    return {(i.code, i.pointer) for i in issues}


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
    errors = [(i.code, i.pointer) for i in issues if i.severity is Severity.ERROR]
    assert outputs is not None, errors
    assert outputs[1] is not None, errors
    silent: list[str] = []
    for leaf in _leaves():
        if _constant(leaf) or _reported(issues, leaf.pointer):
            continue
        value = _get(document, leaf.pointer)
        used = False
        for candidate in _candidates(leaf, value):
            changed, found = _outputs(_set(document, leaf.pointer, candidate), ruleset)
            if any(i.layer in STRUCTURAL for i in found):
                continue  # not a valid other value: proves nothing
            # used: another value changes an output, or the verdict (checked against others)
            if changed != outputs or _keys(found) != _keys(issues):
                used = True
                break
        if not used:
            silent.append(leaf.pointer)
    assert silent == [], "\n".join(silent)
