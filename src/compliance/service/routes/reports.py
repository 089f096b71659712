"""Reports on request: ``POST .../{id}/reports`` renders a PDF in a worker, ``GET /reports/{job}``.

* ``POST /api/v1/submissions/{id}/reports`` (``cfp``), ``/questionnaires/{id}/reports`` (``dd``)
  and ``/passports/{id}/reports`` (``passport``: the sheet of the latest sealed version at the
  caller's access level, or a lower one it names) with a JSON body ``{"kind", "language",
  "version", "access"}``. The report is made from the stored version as of the date it was
  analysed, so it shows the figures stored with it.
* When the PDF is ready within about a second (or was cached) the POST answers ``200`` with the
  PDF itself; otherwise ``202 Accepted`` with the job's status and its URL in ``Location``.
* ``GET /api/v1/reports/{job}`` is the status (``pending``, ``done`` with the download link,
  ``failed`` with the reason and located issues); ``GET /api/v1/reports/{job}/pdf`` the PDF.
  Both check that the caller may read the document the report was made from (another tenant's
  job answers 404, as an unknown one does).

Rendering never runs on the event loop: :class:`~compliance.service.report_jobs.ReportJobs`
renders in worker processes and caches by input digest, kind, language and access level.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, JSONResponse, Response

from compliance.passport.model import AccessLevel
from compliance.service.auth import Principal, authenticated
from compliance.service.documents import Upload, questionnaire_bytes
from compliance.service.problems import Problem, request_issue
from compliance.service.report_jobs import JobState, ReportJob, ReportJobs
from compliance.service.report_render import ReportRequest
from compliance.service.routes.common import StrictBody, not_found, visible
from compliance.service.state import DEFAULT_RULESET, Service, get_service
from compliance.service.tables import Document, DocumentVersion, PassportRecord, PassportVersion

__all__ = ["WAIT_SECONDS", "ReportOrder", "get_jobs", "order_report", "router", "status_body"]

router = APIRouter(prefix="/api/v1", tags=["reports"])
WAIT_SECONDS = 1.0
"""How long a POST waits for the PDF before answering 202 with the status URL."""
PDF = "application/pdf"
_LEVELS = [level.value for level in AccessLevel]
_RANK = {level: rank for rank, level in enumerate(_LEVELS)}
Source = Literal["submission", "questionnaire", "passport"]
_KINDS: dict[Source, str] = {"submission": "cfp", "questionnaire": "dd", "passport": "passport"}


class ReportOrder(StrictBody):
    """What to render."""

    kind: Literal["cfp", "dd", "passport"] | None = Field(
        None, description="cfp (submissions), dd (questionnaires), passport (passports)."
    )
    language: Literal["en", "ja"] = "en"
    version: int | None = Field(None, ge=1, le=10**9, description="Default: the latest.")
    access: Literal["public", "legitimate-interest", "authority", "full"] | None = Field(
        None, description="Passport sheet only: default the caller's access level."
    )


def get_jobs(request: Request) -> ReportJobs:
    """Dependency: the app's report jobs."""
    jobs = request.app.state.report_jobs
    assert isinstance(jobs, ReportJobs)
    return jobs


def status_href(job_id: str) -> str:
    """The status URL of a job."""
    return f"/api/v1/reports/{job_id}"


def status_body(job: ReportJob) -> dict[str, Any]:
    """The status document of a job, with its links."""
    body = job.status()
    body["links"] = {"self": status_href(job.id)}
    if job.state is JobState.DONE:
        body["links"]["download"] = status_href(job.id) + "/pdf"
    return body


def _check_kind(source: Source, order: ReportOrder) -> str:
    expected = _KINDS[source]
    if order.kind is not None and order.kind != expected:
        raise Problem(
            422,
            f"a {source} gives a {expected!r} report, not {order.kind!r}",
            issues=[request_issue(["body", "kind"], f"use {expected!r}")],
        )
    if order.access is not None and source != "passport":
        raise Problem(
            422,
            "'access' applies to the passport sheet only",
            issues=[request_issue(["body", "access"], "passport sheet only")],
        )
    return expected


def _document_request(
    service: Service, principal: Principal, source: Source, ident: str, order: ReportOrder
) -> tuple[ReportRequest, str]:
    with service.db.read() as session:
        doc = session.get(Document, ident)
        if doc is None or doc.kind != source:
            raise not_found(source, ident)
        visible(principal, doc.org_id, source, ident)
        kind = _check_kind(source, order)
        number = order.version or doc.latest_version
        row = session.get(DocumentVersion, (doc.id, number))
        if row is None:
            raise not_found(f"version of {source} {ident}", str(number))
        content, name, as_of = row.content, row.filename, row.as_of
        media_type = row.media_type
    if source == "questionnaire":
        data, name, imported = questionnaire_bytes(Upload(name, media_type, content), as_of)
        if data is None:
            raise Problem(422, f"the {source} is invalid; no report", issues=imported)
        content = data
    request = ReportRequest(
        kind,  # type: ignore[arg-type]
        order.language,
        content,
        name,
        as_of,
        ruleset=DEFAULT_RULESET,
        base_url=service.settings.public_base_url,
    )
    return request, f"{source}:{ident}"


def _passport_request(
    service: Service, principal: Principal, ident: str, order: ReportOrder
) -> tuple[ReportRequest, str]:
    with service.db.read() as session:
        record = session.get(PassportRecord, ident)
        if record is None:
            raise not_found("passport", ident)
        visible(principal, record.org_id, "passport", ident)
        _check_kind("passport", order)
        allowed = principal.access_level.value
        access = order.access or allowed
        if _RANK[access] > _RANK[allowed]:
            raise Problem(
                403,
                f"your access level is {allowed}; the {access} sheet is not yours to read",
                issues=[request_issue(["body", "access"], f"at most {allowed}")],
            )
        number = order.version or record.latest_version
        row = session.get(PassportVersion, (record.id, number))
        if row is None:
            raise not_found(f"version of passport {ident}", str(number))
        content, created = row.content, row.created_at
    request = ReportRequest(
        "passport",
        order.language,
        content,
        f"passport-{ident}-v{number}.json",
        created.date(),
        access=access,
        base_url=service.settings.public_base_url,
        sealed=True,
    )
    return request, f"passport:{ident}"


def order_report(
    service: Service,
    jobs: ReportJobs,
    principal: Principal,
    source: Source,
    ident: str,
    order: ReportOrder,
) -> ReportJob:
    """Check access, read the stored version and start (or find) its report job (blocking)."""
    if source == "passport":
        request, owner = _passport_request(service, principal, ident, order)
    else:
        request, owner = _document_request(service, principal, source, ident, order)
    return jobs.request(request, owner=owner)


def pdf_response(jobs: ReportJobs, job: ReportJob) -> Response:
    """The PDF of a finished job, as an attachment (``Content-Location``: its download URL)."""
    return FileResponse(
        jobs.pdf_path(job.id),
        media_type=PDF,
        filename=job.meta.filename,
        headers={
            "Cache-Control": "private, max-age=86400, immutable",
            "Content-Location": status_href(job.id) + "/pdf",
        },
    )


def _failed(job: ReportJob) -> Problem:
    from compliance.errors import Issue, Layer, Severity

    issues = [
        Issue(
            i["code"],
            i["pointer"],
            i["message"],
            Severity(i["severity"]),
            Layer(i["layer"]),
            i.get("line"),
            i.get("column"),
        )
        for i in job.issues
    ]
    return Problem(422, f"no report: {job.problem}", slug="report-failed", issues=issues)


async def answer(jobs: ReportJobs, job: ReportJob) -> Response:
    """200 with the PDF when ready within :data:`WAIT_SECONDS`; else 202 with the status URL."""
    await jobs.wait(job, WAIT_SECONDS)
    if job.state is JobState.DONE:
        return pdf_response(jobs, job)
    if job.state is JobState.FAILED:
        raise _failed(job)
    return JSONResponse(status_body(job), 202, headers={"Location": status_href(job.id)})


Reader = Annotated[Principal, Depends(authenticated)]
Svc = Annotated[Service, Depends(get_service)]
Jobs = Annotated[ReportJobs, Depends(get_jobs)]
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The PDF, ready at once.", "content": {PDF: {}}},
    202: {"description": "Rendering; poll the status URL in Location."},
}


Ident = Annotated[str, PathParam(max_length=64)]


@router.post(
    "/submissions/{document_id}/reports",
    summary="Render the carbon footprint declaration of a submission (PDF)",
    responses=_RESPONSES,
    response_class=Response,
)
async def create_submission_report(
    service: Svc, jobs: Jobs, principal: Reader, document_id: Ident, order: ReportOrder
) -> Response:
    """200 with the PDF when ready within a second, else 202 with the status URL."""
    job = await run_in_threadpool(
        order_report, service, jobs, principal, "submission", document_id, order
    )
    return await answer(jobs, job)


@router.post(
    "/questionnaires/{document_id}/reports",
    summary="Render the due-diligence report of a questionnaire (PDF)",
    responses=_RESPONSES,
    response_class=Response,
)
async def create_questionnaire_report(
    service: Svc, jobs: Jobs, principal: Reader, document_id: Ident, order: ReportOrder
) -> Response:
    """200 with the PDF when ready within a second, else 202 with the status URL."""
    job = await run_in_threadpool(
        order_report, service, jobs, principal, "questionnaire", document_id, order
    )
    return await answer(jobs, job)


@router.post(
    "/passports/{passport_id}/reports",
    summary="Render the passport sheet of a passport at an access level (PDF)",
    responses=_RESPONSES,
    response_class=Response,
)
async def create_passport_report(
    service: Svc, jobs: Jobs, principal: Reader, passport_id: Ident, order: ReportOrder
) -> Response:
    """200 with the PDF when ready within a second, else 202 with the status URL."""
    job = await run_in_threadpool(
        order_report, service, jobs, principal, "passport", passport_id, order
    )
    return await answer(jobs, job)


def _owned_job(service: Service, jobs: ReportJobs, principal: Principal, job_id: str) -> ReportJob:
    """The job, when the caller may read the document it was made from (else 404)."""
    job = jobs.get(job_id)
    if job is None:
        raise not_found("report", job_id)
    source, _, ident = job.meta.owner.partition(":")
    with service.db.read() as session:
        if source == "passport":
            record = session.get(PassportRecord, ident)
            org_id = record.org_id if record is not None else None
            level_ok = _RANK[job.meta.access] <= _RANK[principal.access_level.value]
        else:
            doc = session.get(Document, ident)
            org_id = doc.org_id if doc is not None else None
            level_ok = True
    if org_id is None or not principal.can_read(org_id) or not level_ok:
        raise not_found("report", job_id)
    return job


JobId = Annotated[str, PathParam(max_length=64)]


@router.get("/reports/{job_id}", summary="The status of a report job")
def report_status(service: Svc, jobs: Jobs, principal: Reader, job_id: JobId) -> Response:
    """``pending``, ``done`` (with the download link) or ``failed`` (with the reason)."""
    job = _owned_job(service, jobs, principal, job_id)
    return JSONResponse(status_body(job))


@router.get(
    "/reports/{job_id}/pdf",
    summary="Download a rendered report",
    responses={200: {"content": {PDF: {}}}},
    response_class=Response,
)
def report_pdf(service: Svc, jobs: Jobs, principal: Reader, job_id: JobId) -> Response:
    """The PDF (409 while it is still rendering; 422 when it could not be made)."""
    job = _owned_job(service, jobs, principal, job_id)
    if job.state is JobState.FAILED:
        raise _failed(job)
    if job.state is JobState.PENDING:
        raise Problem(
            409,
            "the report is still rendering; poll its status",
            headers={"Location": status_href(job.id), "Retry-After": "1"},
        )
    return pdf_response(jobs, job)
