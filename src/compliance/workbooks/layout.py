"""The sheets of an Excel template, derived from the published JSON Schema of the document kind.

One source of truth: the template has a sheet per top-level section of the schema (an object
becomes a *form*: one row per field; an array of objects becomes a *table*: one row per item),
and every field carries its JSON Pointer, so the reader turns a filled workbook back into the
JSON document without a hand-written mapping. Field help is the schema's description (the model
docstrings, with their Regulation sources); quantities get a value column and a unit column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from compliance.models.labels import humanize
from compliance.resources import load_json_resource

__all__ = [
    "Leaf",
    "LeafKind",
    "Node",
    "ObjectNode",
    "Section",
    "TemplateLayout",
    "humanize",
    "layout_for",
]

_MAX_DEPTH = 12


class LeafKind(StrEnum):
    """How a field's value sits in a cell."""

    SCALAR = "scalar"
    """A string, number or boolean (types in :attr:`Leaf.types`)."""
    QUANTITY = "quantity"
    """A number in the value column and its unit in the unit column."""
    LIST = "list"
    """A list of strings: ``a; b; c`` in one cell."""
    JSON = "json"
    """Anything else (a list of objects inside a table row): JSON text in one cell."""


@dataclass(frozen=True, slots=True)
class Leaf:
    """A field holding one cell's value."""

    kind: LeafKind
    types: frozenset[str] = frozenset()
    """JSON types a scalar (or list item) may take."""
    options: tuple[str, ...] = ()
    """Allowed values (enums), offered as a drop-down list."""
    description: str = ""
    dimension: str | None = None
    canonical_unit: str | None = None
    fmt: str | None = None
    """JSON Schema ``format`` (``date``: written as text, read back from Excel dates)."""
    single: bool = False
    """A list field that also takes one text or number (a DD answer's value)."""


@dataclass(frozen=True, slots=True)
class ArrayNode:
    """An array of objects (a table, or indexed rows inside a form)."""

    item: ObjectNode
    description: str = ""


@dataclass(frozen=True, slots=True)
class ObjectNode:
    """An object: its members, in schema order."""

    members: Mapping[str, Node]
    required: frozenset[str] = frozenset()
    description: str = ""


Node = Leaf | ObjectNode | ArrayNode


@dataclass(frozen=True, slots=True)
class Section:
    """One sheet: a form (``table=False``) or a table of items."""

    key: str
    """Top-level member (``""``: the document's own scalar fields)."""
    sheet: str
    node: ObjectNode
    table: bool
    required: bool
    description: str = ""


@dataclass(frozen=True, slots=True)
class TemplateLayout:
    """The sheets of one document kind's template."""

    kind: str
    schema_id: str
    sections: tuple[Section, ...]
    leaves: Mapping[str, Leaf] = field(default_factory=dict)
    """Every leaf by its pointer pattern (array indices as ``*``)."""

    def section(self, sheet: str) -> Section | None:
        """The section shown on ``sheet``."""
        return next((s for s in self.sections if s.sheet == sheet), None)

    def leaf(self, pointer: str) -> Leaf | None:
        """The leaf at a concrete pointer (``/billOfMaterials/3/mass``)."""
        return self.leaves.get(re.sub(r"/\d+(?=/|$)", "/*", pointer))


class _Walker:
    """Turns schema nodes into :data:`Node` trees, resolving ``$ref`` and merging unions."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.defs: Mapping[str, Any] = schema.get("$defs", {})

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            extra = {k: v for k, v in node.items() if k != "$ref"}
            node = {**self.defs[name], **extra}
        return node

    def alternatives(self, node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        node = self.resolve(node)
        for key in ("anyOf", "oneOf"):
            if key in node:
                found: list[Mapping[str, Any]] = []
                for alt in node[key]:
                    found += self.alternatives(alt)
                return [a for a in found if a.get("type") != "null"]
        return [node]

    def walk(self, node: Mapping[str, Any], depth: int = 0) -> Node:
        description = str(self.resolve(node).get("description", ""))
        alts = self.alternatives(node)
        if depth > _MAX_DEPTH or not alts:
            return Leaf(LeafKind.JSON, description=description)
        if len(alts) == 1:
            return self._single(alts[0], description, depth)
        nodes = [self._single(a, description, depth) for a in alts]
        if all(isinstance(n, ObjectNode) for n in nodes):
            return _merge_objects([n for n in nodes if isinstance(n, ObjectNode)], description)
        if all(isinstance(n, Leaf) and n.kind in (LeafKind.SCALAR, LeafKind.LIST) for n in nodes):
            leaves = [n for n in nodes if isinstance(n, Leaf)]
            listed = any(n.kind is LeafKind.LIST for n in leaves)
            return Leaf(
                LeafKind.LIST if listed else LeafKind.SCALAR,
                frozenset().union(*(n.types for n in leaves)),
                tuple(o for n in leaves for o in n.options),
                description,
                single=listed,
            )
        return Leaf(LeafKind.JSON, description=description)

    def _single(self, node: Mapping[str, Any], description: str, depth: int) -> Node:
        description = description or str(node.get("description", ""))
        if "x-dimension" in node:
            return Leaf(
                LeafKind.QUANTITY,
                frozenset({"number"}),
                description=description,
                dimension=_dimension(node["x-dimension"]),
                canonical_unit=unit
                if isinstance(unit := node.get("x-canonical-unit"), str)
                else None,
            )
        kind = node.get("type")
        if "enum" in node or "const" in node:
            options = tuple(str(v) for v in node.get("enum", [node.get("const")]))
            return Leaf(LeafKind.SCALAR, frozenset({"string"}), options, description)
        if kind == "object" or "properties" in node:
            members = {
                name: self.walk(child, depth + 1)
                for name, child in node.get("properties", {}).items()
            }
            return ObjectNode(members, frozenset(node.get("required", ())), description)
        if kind == "array":
            item = self.walk(node.get("items", {}), depth + 1)
            if isinstance(item, ObjectNode):
                return ArrayNode(item, description)
            if isinstance(item, Leaf) and item.kind is LeafKind.SCALAR:
                return Leaf(LeafKind.LIST, item.types, item.options, description)
            return Leaf(LeafKind.JSON, description=description)
        if isinstance(kind, str) and kind in ("string", "number", "integer", "boolean"):
            fmt = node.get("format")
            return Leaf(LeafKind.SCALAR, frozenset({kind}), (), description, fmt=fmt)
        return Leaf(LeafKind.JSON, description=description)


def _dimension(value: Any) -> str | None:
    """``x-dimension``: one dimension, or several a field accepts (energy, volume or mass)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " or ".join(value)
    return None


def _merge_objects(nodes: list[ObjectNode], description: str) -> ObjectNode:
    """The union of the members of alternative objects (one set of columns for all)."""
    members: dict[str, Node] = {}
    for node in nodes:
        for name, child in node.members.items():
            if name not in members:
                members[name] = child
            elif members[name] != child:
                members[name] = _merge_nodes(members[name], child)
    required = frozenset.intersection(*(n.required for n in nodes))
    return ObjectNode(members, required, description)


def _merge_nodes(a: Node, b: Node) -> Node:
    if isinstance(a, ObjectNode) and isinstance(b, ObjectNode):
        return _merge_objects([a, b], a.description)
    if (
        isinstance(a, Leaf)
        and isinstance(b, Leaf)
        and a.kind is b.kind
        and a.kind is not LeafKind.QUANTITY
    ):
        return Leaf(a.kind, a.types | b.types, a.options + b.options, a.description, fmt=a.fmt)
    if isinstance(a, Leaf) and isinstance(b, Leaf) and a.kind is b.kind:
        if a.dimension == b.dimension:
            return a
        parts = [*(a.dimension or "").split(" or "), *(b.dimension or "").split(" or ")]
        dimension = " or ".join(dict.fromkeys(p for p in parts if p)) or None
        return Leaf(LeafKind.QUANTITY, a.types, (), a.description, dimension=dimension)
    description = a.description if isinstance(a, Leaf | ObjectNode | ArrayNode) else ""
    return Leaf(LeafKind.JSON, description=description)


def _sheet_name(key: str) -> str:
    return humanize(key)[:31] if key else "Document"


def _collect(node: Node, prefix: str, out: dict[str, Leaf]) -> None:
    if isinstance(node, Leaf):
        out[prefix] = node
    elif isinstance(node, ObjectNode):
        for name, child in node.members.items():
            _collect(child, f"{prefix}/{name}", out)
    else:
        _collect(node.item, f"{prefix}/*", out)


def iter_leaves(node: ObjectNode, prefix: str = "") -> Iterator[tuple[str, Leaf]]:
    """Leaves of an object in schema order, with pointers relative to it (arrays: ``/*``)."""
    for name, child in node.members.items():
        pointer = f"{prefix}/{name}"
        if isinstance(child, Leaf):
            yield pointer, child
        elif isinstance(child, ObjectNode):
            yield from iter_leaves(child, pointer)
        else:
            yield from iter_leaves(child.item, f"{pointer}/*")


@lru_cache(maxsize=4)
def layout_for(schema_path: str, kind: str) -> TemplateLayout:
    """The template layout of the published schema at ``schema_path`` (cached)."""
    schema = load_json_resource(schema_path)
    walker = _Walker(schema)
    root = walker.walk(schema)
    assert isinstance(root, ObjectNode)  # every published document schema is an object
    sections: list[Section] = []
    scalars: dict[str, Node] = {}
    for name, child in root.members.items():
        required = name in root.required
        if isinstance(child, ObjectNode):
            sections.append(
                Section(name, _sheet_name(name), child, False, required, child.description)
            )
        elif isinstance(child, ArrayNode):
            sections.append(
                Section(name, _sheet_name(name), child.item, True, required, child.description)
            )
        else:
            scalars[name] = child
    document = ObjectNode(scalars, frozenset(root.required) & frozenset(scalars))
    sections.insert(0, Section("", "Document", document, False, True, root.description))
    leaves: dict[str, Leaf] = {}
    for section in sections:
        prefix = f"/{section.key}" if section.key else ""
        _collect(section.node, f"{prefix}/*" if section.table else prefix, leaves)
    return TemplateLayout(kind, str(schema.get("$id", "")), tuple(sections), leaves)
