"""``ExportResult``: the payloads of one export and its deviations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from compliance.passport.exports.deviations import Deviation

__all__ = ["ExportResult"]

Payloads = dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True, eq=True)
class ExportResult:
    """The payloads of one export and every deviation from the upstream schemas."""

    format: str
    passport_identifier: str
    view: str
    payloads: Payloads
    """Aspect name -> payload (one entry for single-document models)."""
    deviations: tuple[Deviation, ...]

    __hash__ = None  # type: ignore[assignment]  # holds dicts

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
        """UTF-8 JSON of :meth:`to_dict`."""
        return orjson.dumps(self.to_dict())
