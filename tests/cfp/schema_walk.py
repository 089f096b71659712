"""Walk the published supplier-submission schema and documents along it (every property path).

Abstract paths use ``*`` for array items. Object definitions that are branches of a union
(inline factor or dataset reference, the uncertainty distributions, the energy carriers) are
walked once per definition under ``<Name>``: the same model code reads them wherever they occur,
so each of their properties is proved once; the site holding the union is a path of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from compliance.errors import join_pointer
from compliance.resources import load_json_resource

SCHEMA_PATH = "schemas/supplier-submission/1.0.0/schema.json"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = load_json_resource(SCHEMA_PATH)
    return loaded


def _resolve(node: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    ref = node.get("$ref")
    if ref is None:
        return None, node
    name = ref.rsplit("/", 1)[1]
    return name, schema()["$defs"][name]


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Non-null branches of a oneOf/anyOf (``[]`` when the node is not a union)."""
    options = node.get("oneOf") or node.get("anyOf") or []
    return [b for b in options if b.get("type") != "null"]


def _is_leaf(name: str | None, node: dict[str, Any]) -> bool:
    if name is not None and name.endswith("Quantity"):
        return True
    return "properties" not in node and "items" not in node and not _branches(node)


def _object_union(branches: list[dict[str, Any]]) -> bool:
    return len(branches) > 1 and all(
        "properties" in _resolve(b)[1] or "oneOf" in _resolve(b)[1] for b in branches
    )


def schema_paths() -> set[str]:
    """Every abstract property path of the schema (leaves and union sites)."""
    out: set[str] = set()
    done: set[str] = set()

    def walk(node: dict[str, Any], path: str) -> None:
        name, node = _resolve(node)
        branches = _branches(node)
        if name is not None and name.endswith("Quantity"):
            out.add(path)
            return
        if branches and "properties" not in node:
            if _object_union(branches):
                out.add(path)
                for branch in branches:
                    bname, _ = _resolve(branch)
                    key = bname or str(id(branch))
                    if key not in done:
                        done.add(key)
                        walk(branch, f"<{key}>")
                return
            walk(branches[0], path)
            return
        if "properties" in node:
            for prop, sub in node["properties"].items():
                walk(sub, f"{path}/{prop}")
            return
        if "items" in node:
            walk(node["items"], f"{path}/*")
            return
        out.add(path)

    walk(schema(), "")
    return out


@dataclass(frozen=True)
class Leaf:
    """A concrete leaf of a document: its JSON Pointer, abstract path and schema node."""

    pointer: str
    abstract: str
    node: dict[str, Any]
    """The (resolved) schema of the leaf."""
    name: str | None
    """Definition name of the leaf (``...Quantity`` for quantities)."""


def _matches(branch: dict[str, Any], value: Any) -> bool:
    probe = {"$defs": schema()["$defs"], **branch}
    return bool(Draft202012Validator(probe).is_valid(value))


def document_leaves(document: Any) -> Iterator[Leaf | str]:
    """The leaves of ``document`` along the schema; union sites are yielded as abstract paths."""

    def walk(node: dict[str, Any], value: Any, pointer: str, path: str) -> Iterator[Leaf | str]:
        name, node = _resolve(node)
        branches = _branches(node)
        if name is not None and name.endswith("Quantity"):
            yield Leaf(pointer, path, node, name)
            return
        if branches and "properties" not in node:
            if _object_union(branches):
                yield path
                for branch in branches:
                    if _matches(branch, value):
                        bname, _ = _resolve(branch)
                        yield from walk(branch, value, pointer, f"<{bname}>")
                        return
                raise AssertionError(f"{pointer}: no branch matches")
            yield from walk(branches[0], value, pointer, path)
            return
        if "properties" in node and isinstance(value, dict):
            for prop, sub_value in value.items():
                sub = node["properties"][prop]
                yield from walk(sub, sub_value, join_pointer(pointer, prop), f"{path}/{prop}")
            return
        if "items" in node and isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(node["items"], item, f"{pointer}/{i}", f"{path}/*")
            return
        yield Leaf(pointer, path, node, name)

    yield from walk(schema(), document, "", "")
