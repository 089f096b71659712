"""Layer 3: the pydantic models (units, dimensions, types JSON Schema cannot express).

pydantic ``loc`` tuples use the wire aliases; tagged-union tags that pydantic inserts into ``loc``
(``energyUse/0/electricity/amount``) are dropped by walking the location against the document,
so pointers always point into what the supplier sent. Errors raised by our own validators carry
dotted codes (``units.dimensionality``); pydantic's own become ``model.<type>``.
"""

from __future__ import annotations

import re
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

_SURROGATE = re.compile("[\ud800-\udfff]")


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


def _lone_surrogates(node: Any, path: list[str | int]) -> list[Issue]:
    """One issue per string (value or member name) holding a lone surrogate, in document order."""
    found: list[Issue] = []
    if isinstance(node, str):
        if _SURROGATE.search(node):
            found.append(
                Issue(
                    "model.string_unicode",
                    pointer_from_path(path),
                    "the text holds a lone surrogate (a \\ud800-\\udfff escape without its "
                    "pair), which is not Unicode text",
                    Severity.ERROR,
                    Layer.MODEL,
                )
            )
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and _SURROGATE.search(key):
                found += _lone_surrogates(key, [*path, key])
            found += _lone_surrogates(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _lone_surrogates(value, [*path, index])
    return found


def model_issues(error: ValidationError, document: Any) -> list[Issue]:
    r"""Convert a pydantic ``ValidationError`` into issues located in ``document``.

    pydantic cannot render a message that echoes a lone surrogate (``"\ud800"`` is valid in a
    JSON string but not Unicode text): the error list then cannot be read at all, and each
    string holding one is reported instead, located. The document's other errors are listed
    once those strings are fixed.
    """
    try:
        errors = error.errors(include_url=False, include_input=False, include_context=True)
    except UnicodeError:
        return _lone_surrogates(document, []) or [
            Issue("model.string_unicode", "", "the document is not Unicode text",
                  Severity.ERROR, Layer.MODEL)
        ]  # fmt: skip
    issues: list[Issue] = []
    for err in errors:
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
