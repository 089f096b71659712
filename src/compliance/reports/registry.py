"""The registry of report kinds (``--kind``) and of kinds planned but not available yet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.reports.cfp import CFP_REPORT
from compliance.reports.dd import DD_REPORT
from compliance.reports.errors import UnknownReportKindError
from compliance.reports.kinds import ReportKind
from compliance.reports.passport import PASSPORT_SHEET

__all__ = ["PENDING_KINDS", "REPORT_KINDS", "get_kind"]

REPORT_KINDS: Mapping[str, ReportKind[Any]] = {
    kind.name: kind for kind in (CFP_REPORT, DD_REPORT, PASSPORT_SHEET)
}
"""Report kinds this version can render."""

PENDING_KINDS: Mapping[str, str] = {}
"""Kinds planned but waiting for their input objects (see :mod:`compliance.reports.kinds`);
every kind of issue 6 is available."""


def get_kind(name: str) -> ReportKind[Any]:
    """The report kind called ``name``.

    Raises:
        UnknownReportKindError: Unknown, or planned but not available yet.
    """
    kind = REPORT_KINDS.get(name)
    if kind is None:
        raise UnknownReportKindError(name, sorted(REPORT_KINDS), PENDING_KINDS.get(name))
    return kind
