"""``ExportRun``: one export of a passport view, recording its deviations as it goes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from compliance.passport.exports.deviations import Deviation, DeviationKind
from compliance.passport.exports.result import ExportResult
from compliance.passport.model import Passport

__all__ = ["ExportRun"]


class ExportRun(ABC):
    """One export run over a passport view: the aspect being written and its deviations."""

    def __init__(self, passport: Passport, aspect: str = "") -> None:
        self.p = passport
        self.aspect = aspect
        self.deviations: list[Deviation] = []

    @abstractmethod
    def payloads(self) -> dict[str, Any]:
        """Aspect name -> payload."""

    def result(self, format: str) -> ExportResult:
        """Run the export: its payloads and deviations."""
        payloads = self.payloads()
        return ExportResult(
            format, self.p.passport_identifier, self.p.view.value, payloads, tuple(self.deviations)
        )

    def missing(self, pointer: str, reason: str, kind: DeviationKind | None = None) -> None:
        """Record a deviation (by default: required upstream, not declared)."""
        self.deviations.append(
            Deviation(self.aspect, pointer, kind or DeviationKind.NOT_DECLARED, reason)
        )

    def withheld(self, pointer: str, point: str) -> None:
        """Record data of Annex XIII ``point`` the view's access level may not see."""
        self.missing(
            pointer,
            f"Annex XIII {point} data is not visible at access level {self.p.view.value}",
            DeviationKind.WITHHELD,
        )
