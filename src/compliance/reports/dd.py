"""The ``dd`` report kind: the due-diligence audit report of one scored supplier questionnaire.

Input: the validated questionnaire (header, declared supply chain, evidence register), the
:class:`~compliance.dd.DdResult` scored from it and the catalogue that scored it (question
wording for the unevidenced claims). The view model only *selects*: the gates that failed, the
step and category scores in catalogue order, the trace entries citing each evidence entry, the
reference tables marked as demonstration data. Every number shown is a value of the result.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from compliance.dd import Catalogue, DdResult
from compliance.models.questionnaire import DdQuestionnaire, Evidence
from compliance.reports.errors import ReportInputError
from compliance.reports.kinds import Attachment, ReportKind, SourceDocument

__all__ = [
    "ATTACHMENT_NAME",
    "DD_REPORT",
    "Citation",
    "ClaimRow",
    "DdReportInput",
    "EvidenceRow",
    "build_dd_view",
    "result_json",
]

ATTACHMENT_NAME = "dd-result.json"


@dataclass(frozen=True, slots=True)
class DdReportInput:
    """Everything the DD audit report shows."""

    questionnaire: DdQuestionnaire
    result: DdResult
    catalogue: Catalogue
    source: SourceDocument | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """A question whose answers cite an evidence entry, and the materials they are for."""

    question: str
    materials: tuple[str, ...]
    """Empty for the company answer; otherwise the materials, in trace order."""


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """An evidence register entry and the answers that cite it."""

    item: Evidence
    cited_by: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A favourable answer without evidence: question, material and the catalogue wording."""

    question: str
    material: str | None
    text: str | None


def _check(data: DdReportInput) -> None:
    result, catalogue, header = data.result, data.catalogue, data.questionnaire.header
    if (catalogue.id, catalogue.version) != (result.catalogue_id, result.catalogue_version):
        raise ReportInputError(
            f"the result was scored with {result.catalogue_id} {result.catalogue_version}, "
            f"not with the catalogue given ({catalogue.id} {catalogue.version})"
        )
    if (
        data.questionnaire.questionnaire_id != result.questionnaire_id
        or header.supplier.name != result.supplier
        or header.effective_date != result.effective_date
    ):
        raise ReportInputError(
            f"the result is for questionnaire {result.questionnaire_id!r} of "
            f"{result.supplier!r}, not for {data.questionnaire.questionnaire_id!r} of "
            f"{header.supplier.name!r}"
        )


def _evidence_rows(data: DdReportInput) -> list[EvidenceRow]:
    cited: dict[str, dict[str, list[str]]] = {item.id: {} for item in data.questionnaire.evidence}
    for entry in data.result.trace:
        for ref in entry.evidence:
            if ref not in cited:
                continue
            materials = cited[ref].setdefault(entry.question, [])
            if entry.material and entry.material not in materials:
                materials.append(entry.material)
    return [
        EvidenceRow(
            item,
            tuple(Citation(q, tuple(ms)) for q, ms in cited[item.id].items()),
        )
        for item in data.questionnaire.evidence
    ]


def _claims(data: DdReportInput) -> list[ClaimRow]:
    questions = data.catalogue.questions
    return [
        ClaimRow(question, material, questions[question].text if question in questions else None)
        for question, material in data.result.unevidenced_claims
    ]


def build_dd_view(data: DdReportInput) -> Mapping[str, Any]:
    """The template context of ``dd_report.html`` (selection only).

    Raises:
        ReportInputError: The result, catalogue and questionnaire do not belong together.
    """
    _check(data)
    result = data.result
    maturity = result.maturity
    steps = list(maturity.steps.items())
    categories = list(maturity.categories.items())
    return {
        "kind": "dd",
        "q": data.questionnaire,
        "header": data.questionnaire.header,
        "result": result,
        "maturity": maturity,
        "failed_gates": [g for g in result.gates if not g.passed],
        "gates": result.gates,
        "risk": result.risk,
        "steps": steps,
        "step_chart": [(step, score) for step, score in steps if score is not None],
        "categories": categories,
        "materials": list(result.materials.items()),
        "declared_materials": data.questionnaire.materials,
        "processors": data.questionnaire.processors,
        "mines": data.questionnaire.mines,
        "red_flags": result.red_flags,
        "contradictions": result.contradictions,
        "claims": _claims(data),
        "evidence": _evidence_rows(data),
        "applicability": result.applicability,
        "tables": result.tables,
        "demonstration": any(t.demonstration for t in result.tables),
        "catalogue": data.catalogue,
        "trace": result.trace,
        "issues": result.issues,
        "source": data.source,
        "attachment_name": ATTACHMENT_NAME,
    }


def result_json(result: DdResult) -> bytes:
    """The result as attached to the PDF: ``DdResult.to_dict()``, indented, UTF-8, final newline."""
    return (json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _attachments(data: DdReportInput) -> Sequence[Attachment]:
    return [
        Attachment(
            name=ATTACHMENT_NAME,
            data=result_json(data.result),
            description="Due-diligence result (DdResult) shown in this report",
        )
    ]


def _generated_at(data: DdReportInput) -> datetime:
    """Midnight UTC of the scoring date: the result's provenance, never the clock."""
    return datetime.combine(data.result.as_of, time(0), tzinfo=UTC)


DD_REPORT: ReportKind[DdReportInput] = ReportKind(
    name="dd",
    title="due-diligence audit report",
    template="dd_report.html",
    input_type=DdReportInput,
    build_view=build_dd_view,
    attachments=_attachments,
    generated_at=_generated_at,
)
