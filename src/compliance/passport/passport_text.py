"""The RFC 8785 canonical text of a passport, its model-level sections memoised.

``canonical_document(passport.model_dump(mode="json"))`` dumps and canonicalises every section
of every passport, although passports of one battery model share most of them (manufacturer,
plant, composition, performance, labels ...: :mod:`.battery_model`). Here the canonical texts of the
model-level sections are memoised on the model key: on a hit they are left out of pydantic's
dump and spliced into the text of the rest; on a miss the whole passport is dumped and the texts
of those sections stored. A section's text depends only on its content and its declared type,
so every passport gets the bytes of the reference path (a test compares both on every example,
every view and passports of many batteries).
"""

from __future__ import annotations

from typing import Any

import orjson

from compliance.passport.battery_model import MODEL_FIELDS, MODEL_PUBLIC_FIELDS, model_key
from compliance.passport.canonical import (
    canonical_document,
    canonical_json,
    canonical_or_none,
    compact,
)
from compliance.passport.model import Passport, PublicInformation

__all__ = ["canonical_passport"]

_SCALARS = ("schema_version", "category", "view", "renewable_content")
"""Model-level fields that stay in the dump (a bare value costs less than a splice)."""


def _slots(public: bool, names: tuple[str, ...]) -> tuple[tuple[bool, str, str], ...]:
    fields = (PublicInformation if public else Passport).model_fields
    return tuple(
        (public, name, fields[name].serialization_alias or name)
        for name in names
        if name not in _SCALARS
    )


_SLOTS = _slots(False, MODEL_FIELDS) + _slots(True, MODEL_PUBLIC_FIELDS)
"""(in the public section?, field, wire name) of each memoised section."""
_EXCLUDE: dict[str, Any] = {
    **{name: True for public, name, _ in _SLOTS if not public},
    "public": {name: True for public, name, _ in _SLOTS if public},
}

_TEXTS: dict[bytes, tuple[bytes, ...]] = {}
"""Model key -> canonical texts of the sections of ``_SLOTS`` (cleared when full)."""
_TEXTS_LIMIT = 32


def canonical_passport(passport: Passport) -> bytes:
    """``canonical_document(passport.model_dump(mode="json"))``: same bytes, same errors."""
    key = model_key(passport)
    if key is not None:
        try:
            text = _memoised(passport, key)
        except Exception:  # whatever the fast path cannot take, the reference path decides
            text = None
        if text is not None:
            return text
    return canonical_document(passport.model_dump(mode="json"))


def _memoised(passport: Passport, key: bytes) -> bytes | None:
    texts = _TEXTS.get(key)
    if texts is None:
        document = passport.model_dump(mode="json")
        texts = tuple(
            compact(canonical_json(_node(document, public)[alias], consume=True))
            for public, _, alias in _SLOTS
        )
        if len(_TEXTS) >= _TEXTS_LIMIT:
            _TEXTS.clear()
        _TEXTS[compact(key)] = texts
    else:
        document = passport.model_dump(mode="json", exclude=_EXCLUDE)
    for (public, _, alias), text in zip(_SLOTS, texts, strict=True):
        _node(document, public)[alias] = orjson.Fragment(text)
    return canonical_or_none(document, consume=True)


def _node(document: dict[str, Any], public: bool) -> dict[str, Any]:
    node: dict[str, Any] = document["public"] if public else document
    return node
