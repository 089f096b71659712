"""The ``cfp`` report kind: carbon footprint declaration and study summary.

Input: the validated submission (manufacturer, plant, model and the declared Art. 7(1)(f)-(g)
items), the :class:`~compliance.cfp.result.CfpResult` computed from it and the ruleset that
computed it (its electricity and end-of-life rules and references are documented in the study
summary). The view model only *selects*: the ten largest trace terms by absolute contribution,
the electricity terms, the distinct sources of factors given inline. Every number shown is a
value of the result.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from compliance.cfp.result import CfpResult, TraceEntry
from compliance.cfp.rulesets import CfpRuleset
from compliance.models import SupplierSubmission
from compliance.recycled import RecycledResult
from compliance.reports import recycled as recycled_table
from compliance.reports.errors import ReportInputError
from compliance.reports.kinds import Attachment, ReportKind, SourceDocument

__all__ = [
    "ATTACHMENT_NAME",
    "CFP_REPORT",
    "TOP_TERMS",
    "CfpReportInput",
    "SourceDocument",
    "build_cfp_view",
    "result_json",
]

TOP_TERMS = 10
"""Number of trace terms listed under "Main contributions"."""

ATTACHMENT_NAME = "cfp-result.json"


@dataclass(frozen=True, slots=True)
class CfpReportInput:
    """Everything the CFP report shows."""

    submission: SupplierSubmission
    result: CfpResult
    ruleset: CfpRuleset
    source: SourceDocument | None = None
    recycled: RecycledResult | None = None
    """The Art. 8 recycled content of the same submission, when computed; otherwise the
    report shows the shares the submission declares."""


def _recycled_view(data: CfpReportInput) -> recycled_table.RecycledTable | None:
    declared = data.submission.passport.recycled_content if data.submission.passport else None
    if data.recycled is not None:
        return recycled_table.from_result(data.recycled, declared)
    return recycled_table.from_declared(declared) if declared is not None else None


def _check(data: CfpReportInput) -> None:
    result, ruleset = data.result, data.ruleset
    if (ruleset.id, ruleset.version) != (result.ruleset.id, result.ruleset.version):
        raise ReportInputError(
            f"the result was computed with {result.ruleset.id} {result.ruleset.version}, "
            f"not with the ruleset given ({ruleset.id} {ruleset.version})"
        )
    if data.recycled is not None and data.recycled.battery_model != result.battery_model:
        raise ReportInputError(
            f"the recycled-content result is for battery model {data.recycled.battery_model!r}, "
            f"the footprint for {result.battery_model!r}"
        )
    if data.submission.battery.model_identifier != result.battery_model:
        raise ReportInputError(
            f"the result is for battery model {result.battery_model!r}, the submission for "
            f"{data.submission.battery.model_identifier!r}"
        )


def _top_terms(trace: Sequence[TraceEntry]) -> list[TraceEntry]:
    ranked = sorted(trace, key=lambda entry: abs(entry.contribution.value), reverse=True)
    return ranked[:TOP_TERMS]


def _inline_sources(trace: Sequence[TraceEntry]) -> list[str]:
    """Distinct sources of factors given in the submission, in order of first use."""
    return list(dict.fromkeys(e.factor_source for e in trace if e.dataset is None))


def build_cfp_view(data: CfpReportInput) -> Mapping[str, Any]:
    """The template context of ``cfp_declaration.html`` (selection only).

    Raises:
        ReportInputError: The result, ruleset and submission do not belong together.
    """
    _check(data)
    result = data.result
    trace = result.trace or ()
    return {
        "kind": "cfp",
        "submission": data.submission,
        "declaration": data.submission.cfp_declaration,
        "result": result,
        "fu": result.functional_unit,
        "stages": result.stages,
        "chart_items": [(s.stage.value, s.per_unit.value) for s in result.stages],
        "dq": result.data_quality,
        "uncertainty": result.uncertainty,
        "variance": result.variance_sensitivity,
        "top_terms": _top_terms(trace),
        "electricity_terms": [e for e in trace if e.kind == "electricity"],
        "electricity": data.ruleset.electricity,
        "cff": data.ruleset.cff,
        "references": data.ruleset.references,
        "inline_sources": _inline_sources(trace),
        "issues": result.issues,
        "trace": trace,
        "source": data.source,
        "attachment_name": ATTACHMENT_NAME,
        "rt": _recycled_view(data),
    }


def result_json(result: CfpResult) -> bytes:
    """The result as attached to the PDF: camelCase JSON, indented, UTF-8, final newline."""
    document = result.model_dump(mode="json")
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _attachments(data: CfpReportInput) -> list[Attachment]:
    return [
        Attachment(
            name=ATTACHMENT_NAME,
            data=result_json(data.result),
            description="Carbon footprint result (CfpResult) shown in this report",
        )
    ]


def _generated_at(data: CfpReportInput) -> datetime:
    """Midnight UTC of the calculation date: the result's provenance, never the clock."""
    return datetime.combine(data.result.as_of, time(0), tzinfo=UTC)


CFP_REPORT: ReportKind[CfpReportInput] = ReportKind(
    name="cfp",
    title="carbon footprint declaration and study summary",
    template="cfp_declaration.html",
    input_type=CfpReportInput,
    build_view=build_cfp_view,
    attachments=_attachments,
    generated_at=_generated_at,
)
