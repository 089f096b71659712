"""View models of the web pages: what one row of the dashboard shows, built from stored values.

A row shows only what was stored with the document's version (validation result, headline
results in its ``summary``): listing the dashboard never recomputes a footprint or a score.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["DocumentRow", "count_issues", "headline"]


@dataclass(frozen=True, slots=True)
class Headline:
    """The headline results of a version's summary (each ``None`` when not computed)."""

    label: str | None = None
    cfp_per_kwh: float | None = None
    cfp_unit: str | None = None
    risk: str | None = None
    red_flags: int | None = None


def headline(summary: Mapping[str, Any]) -> Headline:
    """Read the headline results from a stored summary (see the service's summary writer)."""
    cfp = summary.get("cfpPerKwh")
    value = cfp.get("value") if isinstance(cfp, Mapping) else None
    unit = cfp.get("unit") if isinstance(cfp, Mapping) else None
    flags = summary.get("redFlags")
    label = summary.get("batteryModel") or summary.get("supplier")
    risk = summary.get("riskLevel")
    return Headline(
        label=str(label) if label else None,
        cfp_per_kwh=float(value) if isinstance(value, int | float) else None,
        cfp_unit=str(unit) if unit else None,
        risk=str(risk) if risk else None,
        red_flags=int(flags) if isinstance(flags, int) else None,
    )


def count_issues(issues: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """(errors, warnings) of a list of issues in their wire shape."""
    errors = sum(1 for issue in issues if issue.get("severity") == "error")
    warnings = sum(1 for issue in issues if issue.get("severity") == "warning")
    return errors, warnings


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One version of a submission or questionnaire as the pages list it."""

    id: str
    kind: str
    version: int
    filename: str
    organisation: str
    org_id: str
    valid: bool
    errors: int
    warnings: int
    created_at: datetime
    as_of: date
    sha256: str
    href: str
    label: str
    cfp_per_kwh: float | None
    cfp_unit: str | None
    risk: str | None
    red_flags: int | None

    @property
    def status(self) -> str:
        """``valid`` or ``invalid`` (the CSS class and the filter value)."""
        return "valid" if self.valid else "invalid"

    @classmethod
    def build(
        cls,
        *,
        id: str,
        kind: str,
        version: int,
        filename: str,
        organisation: str,
        org_id: str,
        valid: bool,
        issues_json: str,
        summary_json: str,
        created_at: datetime,
        as_of: date,
        sha256: str,
        href: str,
    ) -> DocumentRow:
        """A row from a stored version's columns (issues and summary as stored JSON text)."""
        issues = json.loads(issues_json or "[]")
        summary = json.loads(summary_json or "{}")
        errors, warnings = count_issues(issues if isinstance(issues, list) else [])
        top = headline(summary if isinstance(summary, Mapping) else {})
        return cls(
            id=id,
            kind=kind,
            version=version,
            filename=filename,
            organisation=organisation,
            org_id=org_id,
            valid=valid,
            errors=errors,
            warnings=warnings,
            created_at=created_at,
            as_of=as_of,
            sha256=sha256,
            href=href,
            label=top.label or filename,
            cfp_per_kwh=top.cfp_per_kwh,
            cfp_unit=top.cfp_unit,
            risk=top.risk,
            red_flags=top.red_flags,
        )
