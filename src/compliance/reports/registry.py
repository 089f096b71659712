"""The registry of report kinds (``--kind``) and of kinds planned but not available yet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance.reports.cfp import CFP_REPORT
from compliance.reports.errors import UnknownReportKindError
from compliance.reports.kinds import ReportKind

__all__ = ["PENDING_KINDS", "REPORT_KINDS", "get_kind"]

REPORT_KINDS: Mapping[str, ReportKind[Any]] = {CFP_REPORT.name: CFP_REPORT}
"""Report kinds this version can render."""

PENDING_KINDS: Mapping[str, str] = {
    "dd": "the due-diligence audit report needs the due-diligence result (DdResult), which "
    "this version does not produce yet",
    "passport": "the passport sheet needs the battery passport (Passport), which this version "
    "does not produce yet",
}
"""Kinds of issue 6 that wait for their input objects (see :mod:`compliance.reports.kinds`)."""


def get_kind(name: str) -> ReportKind[Any]:
    """The report kind called ``name``.

    Raises:
        UnknownReportKindError: Unknown, or planned but not available yet.
    """
    kind = REPORT_KINDS.get(name)
    if kind is None:
        raise UnknownReportKindError(name, sorted(REPORT_KINDS), PENDING_KINDS.get(name))
    return kind
