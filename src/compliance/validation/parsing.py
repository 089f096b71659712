"""Layer 1: bytes to JSON data, safely, with located parse issues.

* JSON (RFC 8259, UTF-8) and YAML (a strict, JSON-compatible subset of YAML 1.2).
* Rejected with a located issue, never an exception: empty input, binary data, UTF-16/32 or
  invalid UTF-8, malformed JSON/YAML (line and column), duplicate keys (every one of them),
  YAML aliases (which is also the defence against alias "billion laughs" bombs), nesting deeper
  than the limit, NaN/Infinity, numbers too large for a float, and YAML values that JSON cannot
  represent (timestamps, binary, sets, non-string keys).
* JSON takes two passes only when it must: ``orjson`` parses the happy path, and a few checks on
  bytes it already holds (no walk over the values) prove that the fast result is exactly what the
  checking parser (stdlib ``json`` with per-value hooks) would return. Anything orjson rejects or
  these checks cannot rule out goes through the checking parser, which locates every problem.
* YAML is read with the YAML 1.2 core schema rules for plain scalars: only ``true``/``false`` are
  booleans (the YAML 1.1 "Norway problem", ``country: NO`` becoming ``false``, cannot happen),
  dates stay strings as in JSON, and numbers with leading zeros (``01234``, a postal code) stay
  strings instead of becoming octal or losing their zero.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson
import yaml

from compliance.errors import Issue, Layer, Severity, pointer_from_path

__all__ = [
    "DEFAULT_LIMITS",
    "DocumentFormat",
    "ParseLimits",
    "ParseResult",
    "detect_format",
    "parse_document",
    "too_large_issue",
]


class DocumentFormat(StrEnum):
    """Source formats accepted for documents."""

    JSON = "json"
    YAML = "yaml"


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Limits protecting the parser (configurable at the edges, e.g. ``--max-file-size``)."""

    max_bytes: int = 10 * 1024 * 1024
    """Refuse documents larger than this many bytes."""
    max_depth: int = 64
    """Refuse documents nested deeper than this (the submission schema needs fewer than 10)."""


DEFAULT_LIMITS = ParseLimits()


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The parsed data (``None`` when parsing failed) and the parse issues."""

    data: Any
    issues: tuple[Issue, ...]
    format: DocumentFormat
    text: str | None
    """Decoded text, kept for locating later issues (``None`` if decoding failed)."""

    @property
    def ok(self) -> bool:
        """True when the data can go to the next layer."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


def _issue(
    code: str,
    message: str,
    *,
    pointer: str = "",
    line: int | None = None,
    column: int | None = None,
    layer: Layer = Layer.PARSE,
    **context: Any,
) -> Issue:
    return Issue(code, pointer, message, Severity.ERROR, layer, line, column, context)


def format_size(size: int) -> str:
    """Human-readable byte count.

    >>> format_size(10 * 1024 * 1024)
    '10 MiB'
    >>> format_size(1536)
    '1.5 KiB'
    """
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.3g} {unit}" if unit != "B" else f"{size} B"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def too_large_issue(size: int | None, limit: int) -> Issue:
    """The issue for a document above the size limit (also used by the edges before reading)."""
    got = f"{format_size(size)}, " if size is not None else ""
    return _issue(
        "io.too-large",
        f"the file is too large ({got}limit {format_size(limit)}); raise the limit with "
        "--max-file-size or COMPLIANCE_MAX_FILE_SIZE",
        layer=Layer.IO,
        size=size,
        limit=limit,
    )


_YAML_SUFFIXES = (".yaml", ".yml")


def detect_format(name: str | None, data: bytes) -> DocumentFormat:
    """JSON or YAML, from the file name, else from the first non-blank character."""
    if name:
        lowered = name.lower()
        if lowered.endswith(".json"):
            return DocumentFormat.JSON
        if lowered.endswith(_YAML_SUFFIXES):
            return DocumentFormat.YAML
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return DocumentFormat.JSON if head[:1] in (b"{", b"[") else DocumentFormat.YAML


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _decode(data: bytes) -> tuple[str | None, Issue | None]:
    if not data.strip():
        return None, _issue("parse.empty", "the file is empty")
    for bom, name in (
        (b"\xff\xfe\x00\x00", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"),
        (b"\xfe\xff", "UTF-16"),
    ):
        if data.startswith(bom):
            return None, _issue(
                "parse.encoding",
                f"the file is {name} encoded; documents must be UTF-8",
                encoding=name,
            )
    nul = data.find(b"\x00", 0, 65536)
    if nul >= 0:
        return None, _issue(
            "parse.binary",
            f"this is a binary file, not JSON or YAML (NUL byte at offset {nul})",
            offset=nul,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line, column = _line_col(good, len(good))
        return None, _issue(
            "parse.encoding",
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); "
            "documents must be UTF-8",
            line=line,
            column=column,
            offset=exc.start,
        )
    return text, None


# --------------------------------------------------------------------------------- JSON

MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer I-JSON (RFC 7493 section 2.2) allows: every integer of a document must be
exactly representable as a double, because the RFC 8785 canonical form a passport is sealed in
cannot write any other. Accepting 2**64 would seal a passport that can never verify (issue 14,
item 9)."""


def _unsafe_integer_message(text: str) -> str:
    shown = text if len(text) <= 40 else f"{text[:20]}...({len(text)} digits)"
    return (
        f"the integer {shown} is outside the interoperable range +/-(2**53 - 1) "
        "(I-JSON, RFC 7493); write it as a decimal number such as 1.8e19 if it is a measurement"
    )


class _Marker:
    """Placeholder left in the data where a value could not be accepted."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message


class _DuplicateKeys(dict[str, Any]):
    """A JSON object in which some keys occurred more than once (the last value wins)."""

    duplicates: list[str]


class _JsonHooks:
    """Hooks for :func:`json.loads` that flag problems without slowing valid documents down."""

    def __init__(self) -> None:
        self.flagged = False

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        self.flagged = True
        marked = _DuplicateKeys(pairs)
        seen: set[str] = set()
        marked.duplicates = []
        for key, _ in pairs:
            if key in seen:
                marked.duplicates.append(key)
            seen.add(key)
        return marked

    def constant(self, name: str) -> Any:
        self.flagged = True
        return _Marker("parse.non-finite", f"{name} is not allowed; numbers must be finite")

    def float_(self, text: str) -> Any:
        value = float(text)
        if math.isfinite(value):
            return value
        self.flagged = True
        return _Marker("parse.non-finite", f"the number {text[:40]} is too large for a float")

    def int_(self, text: str) -> Any:
        try:
            value = int(text)
        except ValueError:
            self.flagged = True
            return _Marker("parse.non-finite", f"the integer with {len(text)} digits is too large")
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        self.flagged = True
        return _Marker("parse.unsafe-integer", _unsafe_integer_message(text))


def _walk(data: Any) -> Iterator[tuple[list[str | int], Any]]:
    """Yield ``(path, value)`` for every node, iteratively (no recursion limit)."""
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, dict):
            stack.extend(([*path, k], v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(([*path, i], v) for i, v in reversed(list(enumerate(node))))


def _flagged_issues(data: Any) -> list[Issue]:
    issues: list[Issue] = []
    for path, node in _walk(data):
        if isinstance(node, _Marker):
            issues.append(_issue(node.code, node.message, pointer=pointer_from_path(path)))
        elif isinstance(node, _DuplicateKeys):
            for key in node.duplicates:
                issues.append(
                    _issue(
                        "parse.duplicate-key",
                        f"duplicate key {key!r}; each key may appear only once in an object",
                        pointer=pointer_from_path([*path, key]),
                        key=key,
                    )
                )
    return issues


def _deep_position(text: str, limit: int) -> int:
    """Offset where bracket nesting first exceeds ``limit`` (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return offset
        elif char in "]}":
            depth -= 1
    return 0


def _too_deep(text: str, limit: int) -> Issue:
    line, column = _line_col(text, _deep_position(text, limit))
    return _issue(
        "parse.too-deep",
        f"the document is nested deeper than {limit} levels",
        line=line,
        column=column,
        limit=limit,
    )


_COLON = b":"
_COLON_ESCAPE = b"\\u003"
r"""Prefix of ``\u003a``/``\u003A``: a colon written as an escape (conservatively, any of
``\u0030``-``\u003f``)."""
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * 19
"""19 digits in a row: the shortest integer literal orjson may turn into a float (it keeps
integers within 64 bits exact and reads larger ones as floats, which the checking parser
reports as unsafe integers)."""


def _parse_json_fast(data: bytes, limits: ParseLimits) -> tuple[bool, Any]:
    r"""The orjson result, flagged ``True`` only when it is provably the checking parser's.

    What orjson rejects itself: invalid UTF-8, a BOM, lone surrogate escapes, NaN/Infinity,
    numbers that overflow a double, raw control characters and every syntax error. What is left:

    * duplicate keys (orjson keeps the last): every member of an object has exactly one ``:``
      outside strings and every other ``:`` sits in a string, which orjson writes back unescaped,
      so the input and ``orjson.dumps`` of the result hold the same number of colons unless a
      member was dropped (a colon escaped as ``\u003a`` would break the count: fall back);
    * unsafe integers: ``OPT_STRICT_INTEGER`` refuses integers beyond 2**53 when writing back,
      and literals of 19 or more digits (which orjson may have read as floats) fall back;
    * nesting deeper than the limit (orjson allows 1,024 levels): the result is written back
      indented by two spaces a level, one value a line (strings hold no raw line break); a
      container deeper than the limit puts a line at ``2 * (limit + 1)`` spaces or more, so such
      documents fall back (so do those whose deepest container sits at the limit and holds a
      value, harmlessly, and those orjson cannot write back, past 254 levels).
    """
    try:
        value = orjson.loads(data)
        written = orjson.dumps(value, option=orjson.OPT_STRICT_INTEGER | orjson.OPT_INDENT_2)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return False, None
    too_deep = b"\n" + b" " * (2 * (limits.max_depth + 1))
    if (
        data.count(_COLON) != written.count(_COLON)
        or _COLON_ESCAPE in data
        or _LONG_DIGIT_RUN in data.translate(_DIGITS_AS_ZERO)
        or too_deep in written
    ):
        return False, None
    return True, value


def _parse_json(text: str, limits: ParseLimits) -> tuple[Any, list[Issue]]:
    """The checking parser: every duplicate key, non-finite number and unsafe integer, located."""
    hooks = _JsonHooks()
    try:
        data = json.loads(
            text,
            object_pairs_hook=hooks.pairs,
            parse_constant=hooks.constant,
            parse_float=hooks.float_,
            parse_int=hooks.int_,
        )
    except json.JSONDecodeError as exc:
        return None, [
            _issue(
                "parse.invalid-json",
                f"invalid JSON: {exc.msg}",
                line=exc.lineno,
                column=exc.colno,
            )
        ]
    except RecursionError:
        return None, [_too_deep(text, limits.max_depth)]
    if hooks.flagged:
        return None, _flagged_issues(data)
    if _deeper_than(data, limits.max_depth):
        return None, [_too_deep(text, limits.max_depth)]
    if _SURROGATE_ESCAPE.search(text):
        issues = _surrogate_issues(data)
        if issues:
            return None, issues
    return data, []


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_issues(data: Any) -> list[Issue]:
    r"""Strings (keys included) holding a lone UTF-16 surrogate from a ``\ud800``-style escape.

    A lone surrogate is not a character (I-JSON, RFC 7493 section 2.1): no UTF-8 output can hold
    it, so every later echo of the string would fail (issue 14, item 8). A valid pair such as
    ``\ud83d\ude00`` decodes to one character and is not affected. The pointer stops above the
    first key holding one, so it never holds a surrogate itself.
    """
    pointers: dict[str, None] = {}
    for path, node in _walk(data):
        keys = [k for k in node if _SURROGATE.search(k)] if isinstance(node, dict) else []
        if keys or (isinstance(node, str) and _SURROGATE.search(node)):
            clean = list(itertools.takewhile(_printable, path))
            pointers[pointer_from_path(clean)] = None
    return [
        _issue(
            "parse.encoding",
            "a string or key holds a lone UTF-16 surrogate escape (such as \\ud800), which is "
            "not a character; documents must be valid Unicode",
            pointer=pointer,
        )
        for pointer in pointers
    ]


def _printable(token: str | int) -> bool:
    return not (isinstance(token, str) and _SURROGATE.search(token))


def _deeper_than(data: Any, limit: int) -> bool:
    """True when containers nest more than ``limit`` levels (visited level by level).

    The C decoders only stop at about 1,000 levels; the documented limit applies to JSON as it
    does to YAML (issue 14, item 15).
    """
    level = [data] if type(data) is dict or type(data) is list else []
    depth = 0
    while level:
        if depth > limit:
            return True
        level = [
            child
            for node in level
            for child in (node.values() if type(node) is dict else node)
            if type(child) is dict or type(child) is list
        ]
        depth += 1
    return False


# --------------------------------------------------------------------------------- YAML

try:
    _YamlBase: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _YamlBase = yaml.SafeLoader


class _YamlValueError(yaml.constructor.ConstructorError):
    """A scalar the loader cannot turn into a value, with the issue code to report."""

    def __init__(self, code: str, problem: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)
        self.code = code


class _StrictYamlLoader(_YamlBase):  # type: ignore[misc, valid-type]
    """Safe loader with YAML 1.2 core-schema plain scalars and duplicate-key collection."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML class registry

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, Any]] = []

    def construct_yaml_int(self, node: Any) -> Any:
        """Integers beyond Python's 4,300-digit conversion limit become a located error.

        (They escaped as a ``ValueError`` traceback; issue 14, item 4.)
        """
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise _YamlValueError(
                "parse.non-finite",
                f"the integer with {len(str(node.value))} digits is too large",
                node.start_mark,
            ) from None

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                if key in seen:
                    self.duplicates.append((key, key_node.start_mark))
                seen.add(key)
            except TypeError:  # unhashable key: reported by the base constructor
                pass
        return super().construct_mapping(node, deep=deep)


_StrictYamlLoader.add_constructor("tag:yaml.org,2002:int", _StrictYamlLoader.construct_yaml_int)

for _tag, _regexp, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
):
    _StrictYamlLoader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_regexp), list(_first)
    )


def _reject_aliases(root: Any) -> Issue | None:
    """Aliases make one node appear twice in the graph; refuse them (and alias bombs)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            mark = node.start_mark
            return _issue(
                "parse.yaml-alias",
                "YAML anchors and aliases are not allowed in documents",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def _yaml_error(exc: yaml.YAMLError) -> Issue:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    code = "parse.too-deep" if "nesting depth" in str(problem) else "parse.invalid-yaml"
    if isinstance(exc, _YamlValueError):
        code, message = exc.code, str(problem)
    return _issue(
        code,
        message,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


def _json_compatible(data: Any, limits: ParseLimits) -> list[Issue]:
    issues: list[Issue] = []
    for path, node in _walk(data):
        pointer = pointer_from_path(path)
        if len(path) > limits.max_depth:
            return [
                _issue(
                    "parse.too-deep",
                    f"the document is nested deeper than {limits.max_depth} levels",
                    pointer=pointer,
                    limit=limits.max_depth,
                )
            ]
        if isinstance(node, float) and not math.isfinite(node):
            issues.append(
                _issue(
                    "parse.non-finite", "NaN and infinite numbers are not allowed", pointer=pointer
                )
            )
        elif type(node) is int and not -MAX_SAFE_INTEGER <= node <= MAX_SAFE_INTEGER:
            issues.append(
                _issue("parse.unsafe-integer", _unsafe_integer_message(str(node)), pointer=pointer)
            )
        elif isinstance(node, dict):
            for key in node:
                if not isinstance(key, str):
                    issues.append(
                        _issue(
                            "parse.non-string-key",
                            f"object keys must be strings, got {key!r}",
                            pointer=pointer,
                        )
                    )
        elif node is not None and not isinstance(node, (str, int, float, bool, list)):
            issues.append(
                _issue(
                    "parse.unsupported-type",
                    f"a {type(node).__name__} value is not allowed here (quote it as a string)",
                    pointer=pointer,
                )
            )
    return issues


def _parse_yaml(text: str, limits: ParseLimits) -> tuple[Any, list[Issue]]:
    loader = _StrictYamlLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, [_issue("parse.empty", "the file contains no YAML document")]
        alias = _reject_aliases(root)
        if alias is not None:
            return None, [alias]
        data = loader.construct_document(root)
        duplicates = list(loader.duplicates)
    except yaml.YAMLError as exc:
        return None, [_yaml_error(exc)]
    except RecursionError:
        return None, [_too_deep(text, limits.max_depth)]
    finally:
        loader.dispose()
    issues = [
        _issue(
            "parse.duplicate-key",
            f"duplicate key {key!r}; each key may appear only once in a mapping",
            line=mark.line + 1,
            column=mark.column + 1,
            key=str(key),
        )
        for key, mark in duplicates
    ]
    issues += _json_compatible(data, limits)
    return (None if issues else data), issues


# --------------------------------------------------------------------------------- entry


def parse_document(
    data: bytes,
    *,
    name: str | None = None,
    format: DocumentFormat | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
) -> ParseResult:
    """Parse a JSON or YAML document; problems come back as issues, never as exceptions.

    Args:
        data: The raw bytes.
        name: File name, used to pick the format from the extension.
        format: Force a format instead of detecting it.
        limits: Size and depth limits.
    """
    fmt = format or detect_format(name, data)
    if len(data) > limits.max_bytes:
        return ParseResult(None, (too_large_issue(len(data), limits.max_bytes),), fmt, None)
    if fmt is DocumentFormat.JSON:
        fast, value = _parse_json_fast(data, limits)
        if fast:
            return ParseResult(value, (), fmt, data.decode("utf-8"))
    text, problem = _decode(data)
    if problem is not None or text is None:
        return ParseResult(None, (problem,) if problem else (), fmt, None)
    parsed, issues = (_parse_json if fmt is DocumentFormat.JSON else _parse_yaml)(text, limits)
    return ParseResult(parsed, tuple(issues), fmt, text)
