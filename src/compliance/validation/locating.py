"""Source positions (line, column) for issues that only carry a JSON Pointer.

Only run when there are issues to show, so valid documents never pay for it. JSON positions come
from a targeted walk of the (already parsed, so well-formed) text; YAML positions from the
composed node tree (PyYAML marks).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import yaml

from compliance.errors import Issue, split_pointer
from compliance.validation.parsing import DocumentFormat

__all__ = ["LineIndex", "locate_issues"]

Position = tuple[int, int]
Path = tuple[str, ...]


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_NEWLINE = re.compile("\n")


class LineIndex:
    r"""Offsets where each line of a text starts, computed once; positions by binary search.

    Counting newlines from the start of the text for every member made locating quadratic: a
    2.8 MB file with 10,000 duplicated lines took 28 s (issue 14, item 3).

    >>> LineIndex("ab\ncd\n").position(4)
    (2, 2)
    """

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]

    def position(self, offset: int) -> Position:
        """Line and column (1-based) of ``offset``."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


class _JsonLocator:
    """Positions of the members on the way to some target paths in a well-formed JSON text.

    Containers on a target's path are walked member by member; every other value is skipped with
    the C JSON decoder (``raw_decode``), so locating a few issues in a large document costs about
    one parse. (json-source-map, measured first, took about 55 ms on a 64 KiB submission.)
    """

    def __init__(self, text: str, targets: set[Path]) -> None:
        self.text = text
        self.wanted = {target[:n] for target in targets for n in range(len(target) + 1)}
        self.positions: dict[Path, Position] = {}
        self.lines = LineIndex(text)

    def where(self, offset: int) -> Position:
        return self.lines.position(offset)

    def skip_ws(self, index: int) -> int:
        match = _WHITESPACE.match(self.text, index)
        return match.end() if match else index

    def value(self, index: int, path: Path) -> int:
        index = self.skip_ws(index)
        char = self.text[index : index + 1]
        if path not in self.wanted or char not in ("{", "["):
            return int(_DECODER.raw_decode(self.text, index)[1])
        return self.container(index, path, char == "{")

    def container(self, index: int, path: Path, is_object: bool) -> int:
        close = "}" if is_object else "]"
        index = self.skip_ws(index + 1)
        position = 0
        while self.text[index] != close:
            if is_object:
                key, after = scanstring(self.text, index + 1)
                member: Path = (*path, key)
                self.positions[member] = self.where(index)
                index = self.skip_ws(after) + 1  # past ":"
            else:
                index = self.skip_ws(index)
                member = (*path, str(position))
                self.positions[member] = self.where(index)
                position += 1
            index = self.skip_ws(self.value(index, member))
            if self.text[index] == ",":
                index = self.skip_ws(index + 1)
        return index + 1


def _json_positions(text: str, targets: set[Path] | None = None) -> dict[Path, Position]:
    """Positions (line, column, 1-based) of keys and array elements on the way to ``targets``.

    With ``targets`` of ``None`` every member of the document is located.
    """
    locator = _JsonLocator(text, targets or set())
    if targets is None:
        locator.wanted = _AllPaths()
    locator.positions[()] = locator.where(locator.skip_ws(0))
    locator.value(0, ())
    return locator.positions


class _AllPaths(set[Path]):
    """A set that contains every path (locate everything)."""

    def __contains__(self, item: object) -> bool:
        return True


def _yaml_positions(text: str) -> dict[Path, Position]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    positions: dict[Path, Position] = {}
    stack: list[tuple[list[str | int], Any, Any]] = [([], root, root.start_mark if root else None)]
    while stack:
        path, node, mark = stack.pop()
        if node is None:
            continue
        positions[tuple(str(t) for t in path)] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    stack.append(([*path, key.value], value, key.start_mark))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(([*path, i], item, item.start_mark) for i, item in enumerate(node.value))
    return positions


def _nearest(pointer: str, positions: dict[Path, Position]) -> Position | None:
    tokens = tuple(split_pointer(pointer))
    while True:
        found = positions.get(tokens)
        if found is not None or not tokens:
            return found
        tokens = tokens[:-1]


def locate_issues(issues: Sequence[Issue], text: str | None, fmt: DocumentFormat) -> list[Issue]:
    """Add line/column to issues that lack them (nearest existing ancestor for missing fields)."""
    if text is None or all(i.line is not None for i in issues):
        return list(issues)
    targets = {tuple(split_pointer(i.pointer)) for i in issues if i.line is None}
    try:
        if fmt is DocumentFormat.JSON:
            positions = _json_positions(text, targets)
        else:
            positions = _yaml_positions(text)
    except (RecursionError, ValueError, TypeError, IndexError, KeyError, yaml.YAMLError):
        return list(issues)  # best effort: positions are a convenience, pointers stay
    located: list[Issue] = []
    for issue in issues:
        position = _nearest(issue.pointer, positions) if issue.line is None else None
        located.append(issue.located(*position) if position else issue)
    return located
