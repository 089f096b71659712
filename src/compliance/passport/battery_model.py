"""What the passports of one battery model share: the model-level content and its key.

A passport holds data of the battery model (manufacturer, plant, composition, carbon footprint,
performance, labels ...) and data of the one battery (identifiers, manufacturing month, state of
health and use data, provenance). Passports of one model repeat the first, so what depends only
on it (the canonical text of those sections, most export payloads) is memoised on its content
key (:func:`model_key`).

``BATTERY_FIELDS`` and ``BATTERY_PUBLIC_FIELDS`` name the per-battery fields; every other field is
model-level and part of the key (a field added later is too, unless listed here). A memoised
computation runs on :func:`model_level`, the passport without its per-battery fields, so one that
read them would fail (or differ from the reference) on every passport, not only on some.
"""

from __future__ import annotations

from compliance.passport.content import immutable_type, key_of_immutable
from compliance.passport.model import Passport, PublicInformation

__all__ = [
    "BATTERY_FIELDS",
    "BATTERY_PUBLIC_FIELDS",
    "MODEL_FIELDS",
    "MODEL_PUBLIC_FIELDS",
    "model_key",
    "model_level",
]

BATTERY_FIELDS = (
    "passport_identifier",
    "battery_identifier",
    "gs1_digital_link",
    "public_url",
    "provenance",
    "individual",
    "extensions",
)
"""Passport fields of the individual battery (and the DD extension, never exported)."""
BATTERY_PUBLIC_FIELDS = ("identification", "date_of_manufacture")
"""Fields of the public section of the individual battery."""

MODEL_FIELDS = tuple(
    name for name in Passport.model_fields if name not in (*BATTERY_FIELDS, "public")
)
"""Model-level passport fields (the public section's are in ``MODEL_PUBLIC_FIELDS``)."""
MODEL_PUBLIC_FIELDS = tuple(
    name for name in PublicInformation.model_fields if name not in BATTERY_PUBLIC_FIELDS
)
"""Model-level fields of the public section."""

_IMMUTABLE = all(
    immutable_type(model.model_fields[name].annotation)
    for model, names in ((Passport, MODEL_FIELDS), (PublicInformation, MODEL_PUBLIC_FIELDS))
    for name in names
)
"""Whether the model-level fields can only hold immutable values (else nothing is memoised)."""

_KEYS: dict[int, tuple[Passport, bytes | None]] = {}
"""id of a passport -> (the passport, its model key); holds the passports, so their ids are not
reused while they are in it. Cleared when full."""
_KEYS_LIMIT = 8
_STRIPPED_PUBLIC = dict.fromkeys(BATTERY_PUBLIC_FIELDS)


def model_key(passport: Passport) -> bytes | None:
    """The content key of the model-level content of ``passport`` (``None``: do not memoise).

    Computed once per passport object: the seal and the exports of a passport share it.
    """
    hit = _KEYS.get(id(passport))
    if hit is not None and hit[0] is passport:
        return hit[1]
    key = None
    if _IMMUTABLE and type(passport) is Passport and type(passport.public) is PublicInformation:
        top, public = passport.__dict__, passport.public.__dict__
        # lists, not tuples: freed tuples of these sizes would linger in the tuple free list
        key = key_of_immutable(
            [[top[name] for name in MODEL_FIELDS], [public[name] for name in MODEL_PUBLIC_FIELDS]]
        )
    if len(_KEYS) >= _KEYS_LIMIT:
        _KEYS.clear()
    _KEYS[id(passport)] = (passport, key)
    return key


def model_level(passport: Passport) -> Passport:
    """``passport`` without its per-battery fields (set to ``None``; not a valid passport)."""
    public = passport.public.model_copy(update=_STRIPPED_PUBLIC)
    return passport.model_copy(update={**dict.fromkeys(BATTERY_FIELDS), "public": public})
