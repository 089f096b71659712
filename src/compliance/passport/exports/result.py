"""``ExportResult``: the payloads of one export and its deviations.

An export writes its payloads as JSON (the sections passports of one battery model share come
from a memo as JSON text: :meth:`.ExportRun.model_section`), and the result keeps that JSON
until the payloads are first read: writing the result out (:meth:`ExportResult.to_json`) never
builds them. Once read, the payload dicts are the result's own, built once; changes to them
show in :meth:`~ExportResult.to_json` and :meth:`~ExportResult.to_dict`, as with a plain dict
attribute (two threads reading them for the first time at once may each build a copy).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any

import orjson

from compliance.passport.exports.deviations import Deviation, deviation_json

__all__ = ["ExportResult"]

Payloads = dict[str, dict[str, Any]]


class ExportResult:
    """The payloads of one export and every deviation from the upstream schemas (immutable)."""

    __slots__ = ("_json", "_payloads", "deviations", "format", "passport_identifier", "view")

    format: str
    passport_identifier: str
    view: str
    deviations: tuple[Deviation, ...]
    _json: bytes | None
    _payloads: Payloads | None

    def __init__(
        self,
        format: str,
        passport_identifier: str,
        view: str,
        payloads: Payloads,
        deviations: tuple[Deviation, ...],
    ) -> None:
        self._set(format, passport_identifier, view, deviations, None, payloads)

    @classmethod
    def from_json(
        cls,
        format: str,
        passport_identifier: str,
        view: str,
        payloads_json: bytes,
        deviations: tuple[Deviation, ...],
    ) -> ExportResult:
        """A result whose payloads are given as the JSON of the ``payloads`` object."""
        result = cls.__new__(cls)
        result._set(format, passport_identifier, view, deviations, payloads_json, None)
        return result

    def _set(
        self,
        format: str,
        passport_identifier: str,
        view: str,
        deviations: tuple[Deviation, ...],
        payloads_json: bytes | None,
        payloads: Payloads | None,
    ) -> None:
        assign = object.__setattr__
        assign(self, "format", format)
        assign(self, "passport_identifier", passport_identifier)
        assign(self, "view", view)
        assign(self, "deviations", deviations)
        assign(self, "_json", payloads_json)
        assign(self, "_payloads", payloads)

    @property
    def payloads(self) -> Payloads:
        """Aspect name -> payload (one entry for single-document models)."""
        payloads = self._payloads
        if payloads is None:
            assert self._json is not None
            payloads = orjson.loads(self._json)
            object.__setattr__(self, "_payloads", payloads)
        return payloads

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _fields(self) -> tuple[Any, ...]:
        return (self.format, self.passport_identifier, self.view, self.payloads, self.deviations)

    def __eq__(self, other: object) -> bool:
        if type(other) is not ExportResult:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # holds dicts, like the dataclass it replaces

    def __reduce__(self) -> tuple[type[ExportResult], tuple[Any, ...]]:
        return (ExportResult, self._fields())

    def __repr__(self) -> str:
        return (
            f"ExportResult(format={self.format!r}, "
            f"passport_identifier={self.passport_identifier!r}, view={self.view!r}, "
            f"payloads={self.payloads!r}, deviations={self.deviations!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The wire form (camelCase keys, like every document of the engine)."""
        return {
            "format": self.format,
            "passportIdentifier": self.passport_identifier,
            "view": self.view,
            "payloads": self.payloads,
            "deviations": [d.to_dict() for d in self.deviations],
        }

    def to_json(self) -> bytes:
        """UTF-8 JSON of :meth:`to_dict` (payloads not read yet are written from their JSON)."""
        payloads: Payloads | orjson.Fragment | None = self._payloads
        if payloads is None:
            assert self._json is not None
            payloads = orjson.Fragment(self._json)
        return orjson.dumps(
            {
                "format": self.format,
                "passportIdentifier": self.passport_identifier,
                "view": self.view,
                "payloads": payloads,
                "deviations": [deviation_json(d) for d in self.deviations],
            }
        )
