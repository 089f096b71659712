"""Source positions (line, column) for issues that only carry a JSON Pointer.

Only run when there are issues to show, so valid documents never pay for it. JSON positions come
from ``json-source-map``; YAML positions from the composed node tree (PyYAML marks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from json_source_map import calculate

from compliance.errors import Issue, split_pointer
from compliance.validation.parsing import DocumentFormat

__all__ = ["locate_issues"]

Position = tuple[int, int]
Path = tuple[str, ...]


def _json_positions(text: str) -> dict[Path, Position]:
    # json-source-map joins raw keys with "/" without RFC 6901 escaping; keys containing "/"
    # are therefore not found and fall back to their parent's position.
    positions: dict[Path, Position] = {}
    for pointer, entry in calculate(text).items():
        start = entry.key_start or entry.value_start
        positions[tuple(pointer.split("/")[1:])] = (start.line + 1, start.column + 1)
    return positions


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
    try:
        positions = _json_positions(text) if fmt is DocumentFormat.JSON else _yaml_positions(text)
    except (RecursionError, ValueError, TypeError, IndexError, KeyError, yaml.YAMLError):
        return list(issues)  # best effort: positions are a convenience, pointers stay
    located: list[Issue] = []
    for issue in issues:
        position = _nearest(issue.pointer, positions) if issue.line is None else None
        located.append(issue.located(*position) if position else issue)
    return located
