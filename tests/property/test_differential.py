"""Differential test: the fast path (models first) and the published schema agree.

The models are validated first and ``jsonschema`` only runs on rejected documents. That is only
sound if the models never accept a document the published schema rejects. Hypothesis mutates
the valid examples (deleting keys, replacing values with arbitrary JSON, adding unknown keys,
rewriting quantities) and checks, on every generated document:

* models accept  =>  schema accepts;
* the fast verdict equals the full verdict (schema + models + semantic checks).
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from compliance.models import SupplierSubmission
from compliance.validation import parse_document, submission_validator, validate_submission
from tests.conftest import VALID

DOCUMENTS = [parse_document(p.read_bytes(), name=p.name).data for p in VALID]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "5 kg",
            "-5 kg",
            "5 kWh",
            "5 kgs",
            "0 kg",
            "1e3 g",
            "12,5 kg",
            "kg",
            "ev",
            "EV",
            "M1",
            "NMC811",
            "DE",
            "UK",
            "2025-02-30",
            "2025-01-01",
            "x" * 301,
            "raw-material",
            "electricity",
            "fuel",
            "heat",
            "piece",
            "40 piece",
            "1 kg CO2e/kg",
            "0.5",
            "12",
            "true",
            "1.0.0",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(["value", "unit", "id", "source", "name", "x"]), children, max_size=3
        ),
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            paths += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths += _paths(value, (*prefix, index))
    return paths


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


def _retyped(value: Any) -> Any:
    """The same meaning in another JSON type: the coercions a lax validator would accept."""
    if isinstance(value, bool):
        return "true" if value else 0
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return [value]
    if isinstance(value, dict) and set(value) == {"value", "unit"}:
        return f"{value['value']} {value['unit']}"
    return value


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    doc = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        action = draw(
            st.sampled_from(["delete", "replace", "add-key", "replace-unit", "retype", "retype"])
        )
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(json_values)
        elif action == "add-key" and isinstance(parent[path[-1]], dict):
            parent[path[-1]][draw(st.sampled_from(["mass", "unit", "extra", "value"]))] = draw(
                json_values
            )
        elif action == "retype":
            parent[path[-1]] = _retyped(parent[path[-1]])
        elif action == "replace-unit" and isinstance(parent[path[-1]], str):
            unit = draw(st.sampled_from(["kg", "kWh", "furlong", "kg CO2e/kg", "", "V", "Ah"]))
            parent[path[-1]] = f"{draw(st.floats(-10, 1e6, allow_nan=False))} {unit}"
    return doc


def _models_accept(doc: Any) -> bool:
    try:
        SupplierSubmission.model_validate(doc, by_alias=True, by_name=False)
    except ValidationError:
        return False
    return True


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=mutated_documents())
def test_models_never_accept_what_the_schema_rejects(doc: Any) -> None:
    if _models_accept(doc):
        errors = [e.message for e in submission_validator().iter_errors(doc)]
        assert errors == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=mutated_documents())
def test_fast_and_full_verdicts_are_identical(doc: Any) -> None:
    fast = validate_submission(doc)
    full = validate_submission(doc, full=True)
    assert fast.ok == full.ok
    assert [i.code for i in fast.issues] == [i.code for i in full.issues]


def test_mutations_produce_both_verdicts() -> None:
    """Guard against a generator that only ever produces valid (or invalid) documents."""
    verdicts: set[bool] = set()

    @settings(max_examples=60, deadline=None, database=None)
    @given(doc=mutated_documents())
    def collect(doc: Any) -> None:
        verdicts.add(submission_validator().is_valid(doc))

    collect()
    assert verdicts == {True, False}
