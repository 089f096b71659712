"""Layer 3: the pydantic models (units, dimensions, types JSON Schema cannot express).

pydantic ``loc`` tuples use the wire aliases; tagged-union tags that pydantic inserts into ``loc``
(``energyUse/0/electricity/amount``) are dropped by walking the location against the document,
so pointers always point into what the supplier sent. Errors raised by our own validators carry
dotted codes (``units.dimensionality``); pydantic's own become ``model.<type>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from compliance.errors import Issue, Layer, Severity, join_pointer, pointer_from_path

__all__ = ["MIRRORED_BY_SCHEMA", "model_issues", "pointer_for_loc"]

MIRRORED_BY_SCHEMA = (
    "model.",
    "quantity.format",
    "quantity.too-long",
    "quantity.type",
    "quantity.negative",
    "quantity.missing",
    "quantity.extra",
    "quantity.value-type",
    "quantity.unit-type",
    "country.",
)
"""Code prefixes of model errors the published schema also reports (shown once, by the schema)."""


def _child(node: Any, token: str | int) -> tuple[bool, Any]:
    if isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node):
        return True, node[token]
    if isinstance(node, dict) and token in node:
        return True, node[token]
    return False, None


def pointer_for_loc(loc: Sequence[str | int], document: Any) -> str:
    """JSON Pointer for a pydantic ``loc``, skipping union tags that are not in the document.

    >>> pointer_for_loc(("energyUse", 0, "electricity", "amount"),
    ...                 {"energyUse": [{"amount": "1 kWh"}]})
    '/energyUse/0/amount'
    >>> pointer_for_loc(("energyUse", 0, "fuel", "amount"),
    ...                 {"energyUse": [{"fuel": "diesel", "amount": "1 kg"}]})
    '/energyUse/0/amount'
    >>> pointer_for_loc(("battery", "mass"), {"battery": {}})
    '/battery/mass'
    """
    path: list[str | int] = []
    node: Any = document
    last = len(loc) - 1
    for index, token in enumerate(loc):
        found, child = _child(node, token)
        if found and (index == last or isinstance(child, (dict, list))):
            node = child
            path.append(token)
        elif index == last:
            path.append(token)  # a missing field: point where it should be
        # otherwise: a union tag inserted by pydantic; not part of the document
    return pointer_from_path(path)


def model_issues(error: ValidationError, document: Any) -> list[Issue]:
    """Convert a pydantic ``ValidationError`` into issues located in ``document``."""
    issues: list[Issue] = []
    for err in error.errors(include_url=False, include_input=False, include_context=True):
        kind = str(err["type"])
        code = kind if "." in kind else f"model.{kind}"
        context = dict(err.get("ctx") or {})
        pointer = pointer_for_loc(err["loc"], document)
        at = context.pop("at", None)
        if at:
            pointer = join_pointer(pointer, str(at))
        context = {k: v for k, v in context.items() if isinstance(v, (str, int, float, list))}
        issues.append(
            Issue(code, pointer, str(err["msg"]), Severity.ERROR, Layer.MODEL, context=context)
        )
    return issues
