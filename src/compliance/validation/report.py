"""The result of validating one document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance.errors import Issue, Severity
from compliance.models import SupplierSubmission

__all__ = ["IssueSummary", "ValidationReport"]


class IssueSummary:
    """What every validation report offers over its ``issues`` (shared by the document kinds)."""

    __slots__ = ()
    issues: tuple[Issue, ...]
    source: str | None
    document_kind: str
    schema_id: str | None

    @property
    def ok(self) -> bool:
        """True when no issue is an error (warnings do not make a document invalid)."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    def count(self, severity: Severity) -> int:
        """Number of issues of one severity."""
        return sum(1 for i in self.issues if i.severity is severity)

    def fails_at(self, threshold: Severity) -> bool:
        """True when an issue reaches ``threshold`` (``--fail-on`` at the edges)."""
        return any(i.severity.rank >= threshold.rank for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (shared by the CLI JSON reporter and the API)."""
        return {
            "source": self.source,
            "documentKind": self.document_kind,
            "schemaId": self.schema_id,
            "valid": self.ok,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "issues": [i.to_dict() for i in self.issues],
        }


@dataclass(frozen=True, slots=True)
class ValidationReport(IssueSummary):
    """Every issue found in one document, and the validated model when it is valid.

    Attributes:
        issues: All findings, in document order.
        document_kind: What the document was validated as (``supplier-submission``).
        schema_id: ``$id`` of the schema applied.
        submission: The validated model; ``None`` unless the structure validated.
        source: File name or other label of the input, if given.
    """

    issues: tuple[Issue, ...]
    document_kind: str
    schema_id: str | None
    submission: SupplierSubmission | None = None
    source: str | None = None
