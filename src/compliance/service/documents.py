"""Uploaded documents: reading an upload (raw body or multipart) and running it through the core.

Submissions are JSON or YAML; DD questionnaires JSON, YAML or an RMI workbook (.xlsx, imported by
:func:`compliance.dd.import_rmi_workbook`, then validated and scored like a JSON questionnaire).
The analysis is the core's (:mod:`compliance.pipeline`); its issues are stored in the CLI's wire
shape. Invalid documents are stored too, flagged ``valid: false`` (docs/service.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from compliance.errors import Issue, Layer
from compliance.pipeline import CfpSetup, run_questionnaire, run_submission
from compliance.service.problems import Problem, request_issue

__all__ = [
    "JSON_TYPES",
    "XLSX",
    "YAML_TYPES",
    "Analysis",
    "Upload",
    "analyse_questionnaire",
    "analyse_submission",
    "read_upload",
]

JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_EXTENSIONS = {".json": "application/json", ".yaml": "application/yaml", ".yml": "application/yaml"}


@dataclass(frozen=True, slots=True)
class Upload:
    """A document as received: its file name, media type and bytes."""

    filename: str
    media_type: str
    data: bytes


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _kind(media_type: str, filename: str, allow_xlsx: bool) -> str | None:
    """The normalised media type of an upload, or ``None`` when it is not accepted."""
    lowered = filename.lower()
    if media_type in JSON_TYPES:
        return "application/json"
    if media_type in YAML_TYPES:
        return "application/yaml"
    if allow_xlsx and (media_type == XLSX or lowered.endswith(".xlsx")):
        return XLSX
    if media_type in ("application/octet-stream", "", "text/plain"):
        for suffix, kind in _EXTENSIONS.items():
            if lowered.endswith(suffix):
                return kind
    return None


def _unsupported(media_type: str, allow_xlsx: bool) -> Problem:
    accepted = [*JSON_TYPES, *YAML_TYPES, "multipart/form-data"] + ([XLSX] if allow_xlsx else [])
    return Problem(
        415,
        f"unsupported media type {media_type or '(none)'!r}; send one of: {', '.join(accepted)}",
        issues=[request_issue(["header", "content-type"], "unsupported media type")],
    )


def _default_name(kind: str, stem: str) -> str:
    return stem + {"application/json": ".json", "application/yaml": ".yaml"}.get(kind, ".xlsx")


def _safe_name(name: str) -> str:
    """A file name fit for labels: its last path component, printable, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c if c.isprintable() else "?" for c in base)[:200]
    return cleaned or "upload"


async def read_upload(request: Request, *, stem: str, allow_xlsx: bool) -> Upload:
    """The document of a POST: the raw body, or the ``file`` part of a multipart form."""
    content_type = _media_type(request.headers.get("content-type", ""))
    body = await request.body()  # first: the form is then parsed from it, and it stays readable
    if content_type == "multipart/form-data":
        form = await request.form()
        try:
            part = form.get("file")
            if not isinstance(part, UploadFile):
                raise Problem(
                    422,
                    "the multipart form needs a 'file' part holding the document",
                    issues=[request_issue(["body", "file"], "missing file part")],
                )
            filename = _safe_name(part.filename or "")
            part_type = _media_type(part.content_type or "")
            kind = _kind(part_type, filename, allow_xlsx)
            if kind is None:
                raise _unsupported(part_type, allow_xlsx)
            if "." not in filename:
                filename = _default_name(kind, stem)
            return Upload(filename, kind, await part.read())
        finally:
            await form.close()
    kind = _kind(content_type, "", allow_xlsx)
    if kind is None:
        raise _unsupported(content_type, allow_xlsx)
    filename = (
        _safe_name(request.headers.get("x-filename", "")) if "x-filename" in request.headers else ""
    )
    if not filename or _kind("application/octet-stream", filename, allow_xlsx) != kind:
        filename = _default_name(kind, stem)
    return Upload(filename, kind, body)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the core found: validity, issues (wire shape) and headline results."""

    valid: bool
    issues: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)


def _internal(exc: Exception) -> Issue:
    return Issue(
        "internal.error",
        "",
        f"unexpected engine error ({type(exc).__name__}); please report it",
        layer=Layer.IO,
    )


def analyse_submission(upload: Upload, *, as_of: date, setup: CfpSetup) -> Analysis:
    """Validate the submission and compute its CFP (the summary holds the headline figures)."""
    try:
        run = run_submission(upload.data, name=upload.filename, setup=setup, as_of=as_of)
    except Exception as exc:  # never a 500 for a document: report it as its issue
        return Analysis(False, [_internal(exc).to_dict()])
    summary: dict[str, Any] = {}
    if run.validation.submission is not None:
        summary["submissionId"] = getattr(run.validation.submission, "submission_id", None)
    if run.cfp is not None and run.cfp.result is not None:
        result = run.cfp.result
        summary.update(
            {
                "batteryModel": result.battery_model,
                "category": result.category,
                "ruleset": result.ruleset.id,
                "cfpPerKwh": result.cradle_to_gate_per_nominal_energy.model_dump(mode="json"),
                "totalPerFunctionalUnit": result.total_per_unit.model_dump(mode="json"),
                "performanceClass": result.performance_class.label,
            }
        )
    return Analysis(run.ok, [i.to_dict() for i in run.issues], summary)


def questionnaire_bytes(upload: Upload, as_of: date) -> tuple[bytes | None, str, list[Issue]]:
    """The JSON/YAML bytes to score (an RMI workbook imported first), their name, import issues."""
    if upload.media_type != XLSX:
        return upload.data, upload.filename, []
    from compliance.dd import import_rmi_workbook

    result = import_rmi_workbook(upload.data, name=upload.filename, as_of=as_of)
    if result.document is None:
        return None, upload.filename, list(result.issues)
    data = json.dumps(result.document, ensure_ascii=False).encode("utf-8")
    return data, upload.filename + ".json", list(result.issues)


def analyse_questionnaire(upload: Upload, *, as_of: date) -> Analysis:
    """Validate and score a DD questionnaire (an RMI workbook is imported first)."""
    try:
        data, name, imported = questionnaire_bytes(upload, as_of)
        if data is None:
            return Analysis(False, [i.to_dict() for i in imported])
        run = run_questionnaire(data, name=name, as_of=as_of)
    except Exception as exc:  # never a 500 for a document
        return Analysis(False, [_internal(exc).to_dict()])
    issues = [*imported, *run.issues]
    summary: dict[str, Any] = {}
    if run.dd is not None:
        result = run.dd
        summary = {
            "supplier": result.supplier,
            "catalogue": result.catalogue_id,
            "status": result.status,
            "maturity": result.maturity.score,
            "maturityLevel": result.maturity.level_name,
            "riskLevel": result.risk.level,
            "redFlags": len(result.red_flags),
        }
    return Analysis(run.ok, [i.to_dict() for i in issues], summary)
