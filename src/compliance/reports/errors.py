"""Exceptions of the report edge: conditions where a report cannot be produced.

Findings about the input (an invalid submission, a footprint that could not be computed) are
located :class:`~compliance.errors.Issue` lists produced before a report is asked for; these
exceptions are for the report step itself::

    ComplianceError
    └── ReportError
        ├── UnknownReportKindError (LookupError)    no such report kind, or not available yet
        ├── UnsupportedLanguageError (ValueError)   a language without a message catalogue
        ├── ReportInputError (ValueError)           inputs that do not belong together
        └── ReportAssetError (OSError)              a bundled asset is missing, or a URL outside
                                                    the bundle was requested (and refused)
"""

from __future__ import annotations

from collections.abc import Sequence

from compliance.errors import ComplianceError

__all__ = [
    "ReportAssetError",
    "ReportError",
    "ReportInputError",
    "UnknownReportKindError",
    "UnsupportedLanguageError",
]


class ReportError(ComplianceError):
    """A report cannot be produced."""


class UnknownReportKindError(ReportError, LookupError):
    """The report kind does not exist, or is planned but not available in this version."""

    def __init__(self, kind: str, available: Sequence[str], pending: str | None = None) -> None:
        names = ", ".join(available)
        if pending is not None:
            message = f"report kind {kind!r} is not available yet: {pending}; available: {names}"
        else:
            message = f"unknown report kind {kind!r}; available: {names}"
        super().__init__(message)
        self.kind = kind
        self.available = tuple(available)
        self.pending = pending


class UnsupportedLanguageError(ReportError, ValueError):
    """No message catalogue exists for the language."""

    def __init__(self, language: str, supported: Sequence[str]) -> None:
        super().__init__(f"unsupported language {language!r}; supported: {', '.join(supported)}")
        self.language = language
        self.supported = tuple(supported)


class ReportInputError(ReportError, ValueError):
    """The inputs of a report do not belong together (e.g. a ruleset other than the result's)."""


class ReportAssetError(ReportError, OSError):
    """A bundled asset (font, stylesheet) is missing, or a non-bundled URL was requested."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
