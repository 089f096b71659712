"""Findings about the input (``Issue``) and conditions where the engine cannot continue.

Two kinds of failure are modelled differently (see ``docs`` in the README):

* **Findings about the input** (a bad submission, a wrong unit, a missing answer) are data:
  every layer appends :class:`Issue` objects to one list and all of them are reported at once.
  An issue carries a stable dotted ``code`` (``<layer>.<name>``), an RFC 6901 JSON Pointer into
  the submitted document, a human message, a :class:`Severity` and the :class:`Layer` that found it.
* **Conditions where the engine cannot continue** (a broken bundled resource, an unknown
  ruleset) are exceptions. The hierarchy::

      ComplianceError
      ├── ResourceError (LookupError)        bundled schema/rule/template missing or unreadable
      └── UnitError (ValueError)
          ├── UndefinedUnitError             unit string not in the project registry
          └── DimensionalityError            unit of the wrong physical dimension

Mapping exceptions to exit codes or HTTP statuses happens only at the edges (CLI, API).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "ComplianceError",
    "DimensionalityError",
    "Issue",
    "Layer",
    "ResourceError",
    "Severity",
    "UndefinedUnitError",
    "UnitError",
    "escape_pointer_token",
    "join_pointer",
    "pointer_from_path",
    "split_pointer",
]


class Severity(StrEnum):
    """How serious a finding is. Only ``error`` makes a document invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Numeric rank for threshold comparisons (error is highest)."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Layer(StrEnum):
    """The validation layer that produced a finding, in the order they run."""

    IO = "io"
    PARSE = "parse"
    SCHEMA = "schema"
    MODEL = "model"
    SEMANTIC = "semantic"
    RULE = "rule"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about an input document.

    Attributes:
        code: Stable, documented identifier such as ``units.dimensionality``.
        pointer: RFC 6901 JSON Pointer into the submitted document (``""`` is the root).
        message: Human sentence; does not repeat the pointer.
        severity: ``error`` makes the document invalid; ``warning``/``info`` do not.
        layer: Which validation layer found it.
        line: 1-based line in the source text, when known.
        column: 1-based column in the source text, when known.
        context: Structured details (expected/actual units, allowed values ...).
    """

    code: str
    pointer: str
    message: str
    severity: Severity = Severity.ERROR
    layer: Layer = Layer.SEMANTIC
    line: int | None = None
    column: int | None = None
    context: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready representation (the wire shape used by the CLI and the API)."""
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "layer": self.layer.value,
            "pointer": self.pointer,
            "message": self.message,
        }
        if self.line is not None:
            out["line"] = self.line
            out["column"] = self.column
        if self.context:
            out["context"] = dict(self.context)
        return out

    def located(self, line: int | None, column: int | None) -> Issue:
        """Return a copy with a source position."""
        return Issue(
            self.code,
            self.pointer,
            self.message,
            self.severity,
            self.layer,
            line,
            column,
            self.context,
        )


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token for a JSON Pointer (RFC 6901 section 3).

    >>> escape_pointer_token("a/b~c")
    'a~1b~0c'
    >>> escape_pointer_token(3)
    '3'
    """
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_from_path(path: Iterable[str | int]) -> str:
    """Build a JSON Pointer from a sequence of keys and indices.

    >>> pointer_from_path(["billOfMaterials", 3, "mass"])
    '/billOfMaterials/3/mass'
    >>> pointer_from_path([])
    ''
    """
    return "".join("/" + escape_pointer_token(token) for token in path)


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """Append tokens to an existing pointer.

    >>> join_pointer("/battery", "mass", "unit")
    '/battery/mass/unit'
    """
    return pointer + pointer_from_path(tokens)


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON Pointer into unescaped tokens.

    >>> split_pointer("/a~1b/0")
    ['a/b', '0']
    >>> split_pointer("")
    []
    """
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


class ComplianceError(Exception):
    """Base class of every exception raised by the engine."""


class ResourceError(ComplianceError, LookupError):
    """A bundled resource (schema, rule file, template) is missing or unreadable."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"bundled resource {name!r}: {reason}")
        self.name = name
        self.reason = reason


class UnitError(ComplianceError, ValueError):
    """A unit string could not be used."""

    code = "units.invalid"

    def __init__(self, unit: str, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.unit = unit
        self.message = message
        self.suggestions = tuple(suggestions)


class UndefinedUnitError(UnitError):
    """The unit is not defined in the project's unit registry."""

    code = "units.undefined"


class DimensionalityError(UnitError):
    """The unit is defined but has the wrong physical dimension for the field."""

    code = "units.dimensionality"
