"""The orjson fast path of the JSON parser returns exactly what the checking parser returns.

``parse_document`` takes orjson's result only when cheap checks prove it equal to the checking
parser's (stdlib ``json`` with per-value hooks: duplicate keys, unsafe integers, depth); these
tests compare both on crafted edge cases and on generated documents with planted defects.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.validation.parsing import (
    DEFAULT_LIMITS,
    DocumentFormat,
    ParseLimits,
    _parse_json,
    _parse_json_fast,
    parse_document,
)


def checking(data: bytes) -> tuple[Any, list[tuple[str, str, int | None, int | None]]]:
    """What the checking parser alone makes of ``data`` (valid UTF-8 input only)."""
    value, issues = _parse_json(data.decode("utf-8-sig"), DEFAULT_LIMITS)
    return value, [(i.code, i.pointer, i.line, i.column) for i in issues]


def both(data: bytes) -> tuple[Any, list[tuple[str, str, int | None, int | None]]]:
    result = parse_document(data, format=DocumentFormat.JSON)
    return result.data, [(i.code, i.pointer, i.line, i.column) for i in result.issues]


DEEP = b"[" * 66 + b"]" * 66
EDGES = [
    b'{"a": 1, "a": 2}',
    b'{"x": {"a": {"k": "v:w"}, "b": 1, "a": 0}}',
    b'{"a": "1:2", "a": "3:4"}',
    b'{"\\u003a": 1, ":": 2}',
    b'{"\\u003A": 1}',
    b'{"a": 9007199254740991}',
    b'{"a": 9007199254740992}',
    b'{"a": -9007199254740992}',
    b'{"a": 18446744073709551616}',
    b'{"a": -9223372036854775809}',
    b'{"a": 1234567890123456789}',
    b'{"a": "1234567890123456789012"}',
    b'{"a": 1.8e19, "b": 1E400}',
    b'{"a": 5e-400, "b": -0.0, "c": -0}',
    DEEP,
    b"[" * 64 + b"]" * 64,
    b'{"a": "\\ud83d\\ude00", "b": "\\ud800"}',
    b'\xef\xbb\xbf{"a": 1}',
    b'{"a": NaN}',
    b"null",
    b' \n {"a": [1, 2.5, true, false, null, "x\\"y"]} \n',
]


@pytest.mark.parametrize("data", EDGES)
def test_fast_path_agrees_with_checking_parser(data: bytes) -> None:
    assert both(data) == checking(data)


@pytest.mark.parametrize(
    ("data", "taken"),
    [
        (b'{"a": {"b": [1, 2.5, "x:y"]}, "c": null}', True),
        (b'{"a": 1, "a": 2}', False),  # duplicate key
        (b'{"a": 9007199254740993}', False),  # beyond 2**53
        (b'{"a": 18446744073709551616}', False),  # read as a float by orjson
        (b'{"\\u003a": 1}', False),  # escaped colon: the count proves nothing
        (DEEP, False),
        (b'{"a": NaN}', False),
    ],
)
def test_fast_path_taken_only_when_provably_equal(data: bytes, taken: bool) -> None:
    assert _parse_json_fast(data, DEFAULT_LIMITS)[0] is taken


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**65), max_value=2**65)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab:"\\\u00e9\U0001f600 '), max_size=6),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet="ab:", max_size=3), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values, duplicate=st.booleans(), cut=st.integers(min_value=0, max_value=400))
def test_generated_documents_agree(value: Any, duplicate: bool, cut: int) -> None:
    text = json.dumps(value, ensure_ascii=cut % 2 == 0)
    if duplicate and "{" in text:
        # Repeat the first member of some object: a duplicate key at that object's pointer.
        position = text.find("{", cut % len(text)) if "{" in text[cut % len(text) :] else 0
        position = text.find("{", position)
        end = text.find("}", position)
        member = text[position + 1 : end].split(", ")[0]
        if member and ":" in member and "{" not in member and "[" not in member:
            text = f"{text[: position + 1]}{member}, {text[position + 1 :]}"
    data = text.encode("utf-8")
    assert both(data) == checking(data)


def test_deep_document_is_reported_by_both() -> None:
    assert [code for code, *_ in both(DEEP)[1]] == ["parse.too-deep"]


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5])
@pytest.mark.parametrize(("leaf", "below"), [(b"", 0), (b"1", 1), (b'{"k": []}', 2)])
def test_depth_at_and_beyond_the_limit(depth: int, leaf: bytes, below: int) -> None:
    """The fast path is taken exactly when no value sits deeper than the limit (root: 0)."""
    limits = ParseLimits(max_depth=3)
    data = b"[" * depth + leaf + b"]" * depth
    deepest = depth - 1 + below
    slow, issues = _parse_json(data.decode(), limits)
    taken, fast = _parse_json_fast(data, limits)
    assert taken is (deepest <= limits.max_depth)
    if taken:
        assert (fast, issues) == (slow, [])
