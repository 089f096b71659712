"""Layer 1: every kind of unparsable input is a located issue, never an exception."""

from __future__ import annotations

import pytest

from compliance.validation.parsing import (
    DocumentFormat,
    ParseLimits,
    detect_format,
    format_size,
    parse_document,
)


def codes(data: bytes, name: str = "doc.json", **kwargs: object) -> list[tuple[str, str]]:
    result = parse_document(data, name=name, **kwargs)  # type: ignore[arg-type]
    return [(i.code, i.pointer) for i in result.issues]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "parse.empty"),
        (b" \n\t ", "parse.empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "parse.binary"),
        ('{"a": 1}'.encode("utf-16"), "parse.encoding"),
        ('{"a": 1}'.encode("utf-32"), "parse.encoding"),
        (b'{"name": "M\xfcller"}', "parse.encoding"),
        (b'{"a": 1,}', "parse.invalid-json"),
        (b"{'a': 1}", "parse.invalid-json"),
        (b'{"a": NaN}', "parse.non-finite"),
        (b'{"a": -Infinity}', "parse.non-finite"),
        (b'{"a": 1e999}', "parse.non-finite"),
        (b'{"a": ' + b"9" * 5000 + b"}", "parse.non-finite"),
    ],
)
def test_bad_json(data: bytes, code: str) -> None:
    result = parse_document(data, name="doc.json")
    assert result.data is None
    assert [i.code for i in result.issues] == [code]
    assert not result.ok


def test_malformed_json_has_line_and_column() -> None:
    result = parse_document(b'{\n  "a": 1,\n  "b": }\n', name="doc.json")
    (issue,) = result.issues
    assert (issue.code, issue.line, issue.column) == ("parse.invalid-json", 3, 8)


def test_invalid_utf8_position() -> None:
    (issue,) = parse_document(b'{\n "n": "a\xff"}', name="d.json").issues
    assert (issue.line, issue.column) == (2, 9)
    assert issue.context["offset"] == 10


def test_every_duplicate_key_is_reported_with_its_pointer() -> None:
    data = b'{"a": 1, "a": 2, "b": {"c": 1, "c": 2, "c": 3}}'
    assert codes(data) == [
        ("parse.duplicate-key", "/a"),
        ("parse.duplicate-key", "/b/c"),
        ("parse.duplicate-key", "/b/c"),
    ]


def test_non_finite_pointer() -> None:
    assert codes(b'{"x": [1, {"y": NaN}]}') == [("parse.non-finite", "/x/1/y")]


def test_ten_thousand_levels_deep_json() -> None:
    data = b"[" * 10_000 + b"]" * 10_000
    (issue,) = parse_document(data, name="deep.json").issues
    assert issue.code == "parse.too-deep"
    assert (issue.line, issue.column) == (1, 65)


def test_ten_thousand_levels_deep_yaml() -> None:
    data = b"a: " + b"[" * 10_000 + b"]" * 10_000
    (issue,) = parse_document(data, name="deep.yaml").issues
    assert issue.code == "parse.too-deep"


def test_yaml_nesting_limit_is_configurable() -> None:
    data = b"a: " + b"[" * 20 + b"]" * 20
    assert parse_document(data, name="d.yaml").ok
    result = parse_document(data, name="d.yaml", limits=ParseLimits(max_depth=10))
    assert [i.code for i in result.issues] == ["parse.too-deep"]


def test_size_limit_names_the_limit() -> None:
    result = parse_document(b"{}" * 600, name="d.json", limits=ParseLimits(max_bytes=1000))
    (issue,) = result.issues
    assert issue.code == "io.too-large"
    assert "limit 1000 B" in issue.message
    assert issue.context == {"size": 1200, "limit": 1000}


def test_utf8_bom_is_accepted() -> None:
    assert parse_document(b'\xef\xbb\xbf{"a": 1}', name="d.json").data == {"a": 1}


YAML_OK = b"""
country: NO
flag: yes
date: 2024-01-01
octal: 012
float: 1.5
exp: 1e3
int: -7
t: true
n: null
empty:
"""


def test_yaml_uses_json_compatible_scalars() -> None:
    result = parse_document(YAML_OK, name="d.yaml")
    assert result.data == {
        "country": "NO",
        "flag": "yes",
        "date": "2024-01-01",
        "octal": "012",
        "float": 1.5,
        "exp": 1000.0,
        "int": -7,
        "t": True,
        "n": None,
        "empty": None,
    }


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"a: &x [1]\nb: *x\n", "parse.yaml-alias"),
        (b"a: [1\n", "parse.invalid-yaml"),
        (b"a: 1\na: 2\n", "parse.duplicate-key"),
        (b"a: !!binary aGk=\n", "parse.unsupported-type"),
        (b"a: !!timestamp 2024-01-01\n", "parse.unsupported-type"),
        (b"a: !!set {x}\n", "parse.unsupported-type"),
        (b"1: a\n", "parse.non-string-key"),
        (b"a: .nan\n", "parse.non-finite"),
        (b"a: .inf\n", "parse.non-finite"),
        (b"a: !!python/object/apply:os.system [echo hi]\n", "parse.invalid-yaml"),
        (b"- 1\n---\n- 2\n", "parse.invalid-yaml"),
        (b"# only a comment\n", "parse.empty"),
    ],
)
def test_bad_yaml(data: bytes, code: str) -> None:
    result = parse_document(data, name="d.yaml")
    assert result.data is None
    assert code in [i.code for i in result.issues]


def test_yaml_duplicate_key_position() -> None:
    (issue,) = parse_document(b"a: 1\nb:\n  c: 1\n  c: 2\n", name="d.yaml").issues
    assert (issue.code, issue.line, issue.column) == ("parse.duplicate-key", 4, 3)


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 30):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    result = parse_document("\n".join(lines).encode(), name="bomb.yaml")
    assert [i.code for i in result.issues] == ["parse.yaml-alias"]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.json", b"x: 1", DocumentFormat.JSON),
        ("a.YML", b"{}", DocumentFormat.YAML),
        ("a.yaml", b"{}", DocumentFormat.YAML),
        (None, b'  {"a": 1}', DocumentFormat.JSON),
        (None, b"\xef\xbb\xbf[1]", DocumentFormat.JSON),
        ("notes.txt", b"a: 1", DocumentFormat.YAML),
    ],
)
def test_detect_format(name: str | None, data: bytes, expected: DocumentFormat) -> None:
    assert detect_format(name, data) is expected


def test_format_size() -> None:
    assert format_size(999) == "999 B"
    assert format_size(10 * 1024 * 1024) == "10 MiB"
