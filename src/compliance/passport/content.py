"""Exact content keys of immutable values: memo keys that tell every two contents apart.

A content key is a value written by orjson, every model as ``[class token, field values]``, every
quantity as ``[token, value, unit, dimension, magnitude]`` and every date as ``[token, ISO
date]``. Strings, booleans and integers are written exactly, floats in their shortest round-trip
form (``-0.0`` and ``0.0``, ``1`` and ``1.0`` differ), enums as their values, tuples as arrays.
So two values with one key hold the same content, and a memo keyed on content keys returns for
each value what a pure function of it computes. Wire models hold only finite floats
(``allow_inf_nan=False``; quantities are checked), which orjson could not tell from ``None``, and
enum fields hold members, which could not be told from their plain values.

Only values that cannot change get a key: scalars, enums, dates, quantities, frozen models whose
fields (recursively) hold only such values, and tuples of them. A model with a dict or list
field, or a value of another type, has no key (``None``) and must not be memoised.
"""

from __future__ import annotations

import itertools
import types
import typing
from datetime import date
from enum import Enum
from typing import Any

import orjson
from pydantic import BaseModel

from compliance.units import Quantity

__all__ = ["content_key", "immutable_type", "key_of_immutable"]

_QUANTITY, _DATE = 0, 1
_MODEL_TOKENS: dict[type, int] = {}
"""Immutable model class -> its token (process-local; the class is held, so its token stays its
own). One entry per class."""
_NEXT_TOKEN = itertools.count(2)
_FIXED: dict[type, bool] = {}
"""Model class -> whether its instances can never change (one entry per class)."""
_SCALARS = frozenset({str, int, float, bool, type(None), date, Quantity})


class _NoKey(TypeError):
    """The value may change, or is of a type keys do not cover."""


def content_key(value: object) -> bytes | None:
    """The content key of an immutable value, or ``None`` (see the module docstring).

    >>> content_key((1.0, "a", None)) != content_key((1, "a", None))
    True
    >>> content_key({"a": 1}) is None
    True
    """
    return key_of_immutable(value) if _immutable_value(value) else None


def key_of_immutable(value: object) -> bytes | None:
    """:func:`content_key` of a value the caller knows to be immutable at its top level.

    For instance a list (made for the call) of fields whose annotations :func:`immutable_type`
    accepts: nested models are still checked, but a dict or list of the caller's in ``value``
    would go unnoticed.
    """
    try:
        return orjson.dumps(value, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:  # orjson.JSONEncodeError, _NoKey
        return None


def _immutable_value(value: object) -> bool:
    kind = type(value)
    if kind is tuple:
        return all(_immutable_value(item) for item in value)  # type: ignore[attr-defined]
    return kind in _SCALARS or issubclass(kind, Enum) or _immutable_model(kind)


def _default(value: Any) -> Any:
    """How orjson writes what it does not know: models, quantities, dates."""
    token = _MODEL_TOKENS.get(value.__class__)
    if token is not None:
        return (token, value.__dict__)
    kind = type(value)
    if kind is Quantity:
        return (_QUANTITY, value[0], value[1], value[2]._value_, value[3])
    if kind is date:
        return (_DATE, value.isoformat())
    if _immutable_model(kind):
        token = _MODEL_TOKENS.setdefault(kind, next(_NEXT_TOKEN))
        return (token, value.__dict__)
    raise _NoKey(kind.__name__)


def _immutable_model(kind: type) -> bool:
    """True for a frozen model class whose fields can only hold immutable values."""
    fixed = _FIXED.get(kind)
    if fixed is None:
        fixed = False
        if issubclass(kind, BaseModel):
            _FIXED[kind] = False  # provisional: a model that contains itself is not keyed
            config = kind.model_config
            fixed = (
                bool(config.get("frozen"))
                and config.get("extra") != "allow"
                and all(immutable_type(f.annotation) for f in kind.model_fields.values())
            )
        _FIXED[kind] = fixed
    return fixed


def immutable_type(annotation: Any) -> bool:
    """True when a field annotation admits only immutable values."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return immutable_type(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return all(immutable_type(arg) for arg in typing.get_args(annotation))
    if origin is tuple:
        return all(immutable_type(arg) for arg in typing.get_args(annotation) if arg != ...)
    if origin is typing.Literal:
        return all(type(arg) in _SCALARS for arg in typing.get_args(annotation))
    if origin is not None or not isinstance(annotation, type):
        return False
    if annotation in _SCALARS or issubclass(annotation, Enum):
        return True
    return _immutable_model(annotation)
