"""The small frozen records a batch passes between its coordinator and its workers.

* :class:`Task`: one input to process (its label, path and, when the manifest says its outputs
  are current, the digest they were made from).
* :class:`FileResult`: one input's result as the summary and the manifest keep it: status, CFP
  per functional unit, DD risk level, issue counts and the output files (no timestamp, no
  duration: a result depends only on the input and the run's versions).
* :class:`FileOutcome`: what a worker returns: the record, the issues to report and the output
  files' bytes (the coordinator writes them, so workers need no shared file system).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from compliance.errors import Issue

__all__ = ["FileOutcome", "FileResult", "Kind", "Output", "Status", "Task"]


class Status(StrEnum):
    """What became of one input."""

    OK = "ok"
    """Every stage ran without an error: passport (submission) or DD result (questionnaire)."""
    INVALID = "invalid"
    """The document has errors (validation, CFP, passport checks or scoring): no result."""
    UNREADABLE = "unreadable"
    """The file could not be read (permissions, too large, gone)."""
    FAILED = "failed"
    """Processing raised (a bug): reported as an issue, the batch goes on."""


class Kind(StrEnum):
    """What a document is."""

    SUBMISSION = "submission"
    QUESTIONNAIRE = "questionnaire"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Task:
    """One input of the batch."""

    label: str
    """The path as discovered (what issues and the summary name it by)."""
    path: Path
    known_sha256: str | None = None
    """The digest the input's current outputs were made from (same versions); ``None``: none."""


@dataclass(frozen=True, slots=True)
class FileResult:
    """One input's result, as the summary files and the manifest record it."""

    file: str
    kind: Kind
    status: Status
    sha256: str | None
    """SHA-256 (hex) of the input's bytes; ``None`` when it could not be read."""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    cfp_per_unit: float | None = None
    """The carbon footprint per functional unit (Art. 7(1), Annex II), in ``cfp_unit``."""
    cfp_unit: str | None = None
    performance_class: str | None = None
    risk_level: str | None = None
    """The DD risk level of a scored questionnaire (``low`` ... ``critical``)."""
    dd_level: int | None = None
    """The DD maturity level (0-5) of a scored questionnaire."""
    outputs: tuple[str, ...] = ()
    """Output files, relative to the output directory, sorted."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (also the manifest's stored form)."""
        return {
            "file": self.file,
            "kind": self.kind.value,
            "status": self.status.value,
            "sha256": self.sha256,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "cfpPerUnit": self.cfp_per_unit,
            "cfpUnit": self.cfp_unit,
            "performanceClass": self.performance_class,
            "riskLevel": self.risk_level,
            "ddLevel": self.dd_level,
            "outputs": list(self.outputs),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileResult:
        """The record :meth:`to_dict` wrote."""
        return cls(
            file=data["file"],
            kind=Kind(data["kind"]),
            status=Status(data["status"]),
            sha256=data["sha256"],
            errors=data["errors"],
            warnings=data["warnings"],
            infos=data["infos"],
            cfp_per_unit=data["cfpPerUnit"],
            cfp_unit=data["cfpUnit"],
            performance_class=data["performanceClass"],
            risk_level=data["riskLevel"],
            dd_level=data["ddLevel"],
            outputs=tuple(data["outputs"]),
        )


@dataclass(frozen=True, slots=True)
class Output:
    """One output file: its path relative to the output directory, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What a worker returns for one task."""

    record: FileResult | None
    """``None`` when the input is unchanged (the manifest's record stands)."""
    issues: tuple[Issue, ...] = ()
    outputs: tuple[Output, ...] = ()
