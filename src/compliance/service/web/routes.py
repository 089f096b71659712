"""The web pages of people: sign in, dashboard, one document, upload, report downloads.

Server-rendered (``templates/web/``, :mod:`compliance.service.web.rendering`), no script. A page
needs a browser session (``/web/login``); without one it redirects to the sign-in page. Forms
that change something carry the session's CSRF token (checked by
:func:`compliance.service.auth.current_principal`); the sign-in form carries its own token
(a double-submit cookie), so a foreign site cannot sign a browser in to another account.
Every page is in English or Japanese (``?lang=``, else ``Accept-Language``).

The pages read and write through the same functions as the API (tenancy, storage, audit trail,
report jobs): a supplier sees only its organisation's documents, an auditor those of the
organisations assigned to it.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi import Path as PathParam
from pydantic import ValidationError
from sqlalchemy import func, or_, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from compliance.service.auth import (
    SESSION_COOKIE,
    CurrentPrincipal,
    Principal,
    Role,
    logout,
)
from compliance.service.documents import read_upload
from compliance.service.problems import Problem
from compliance.service.report_jobs import JobState, ReportJobs
from compliance.service.report_render import ReportRefused, ReportRequest, build_input
from compliance.service.routes.auth import set_session_cookies, start_session
from compliance.service.routes.documents import store_version
from compliance.service.routes.reports import ReportOrder, get_jobs, order_report, pdf_response
from compliance.service.security import new_secret
from compliance.service.state import DEFAULT_RULESET, Service, get_service
from compliance.service.tables import Document, DocumentVersion, Organisation
from compliance.service.web.negotiation import choose_language
from compliance.service.web.rendering import LANGUAGES, render_page
from compliance.service.web.views import DocumentRow

__all__ = ["LOGIN_CSRF_COOKIE", "page_language", "router"]

router = APIRouter(prefix="/web", include_in_schema=False)
LOGIN_CSRF_COOKIE = "compliance_login_csrf"
PAGE_SIZE = 200
_WRITERS = (Role.SUPPLIER, Role.OPERATOR)
Svc = Annotated[Service, Depends(get_service)]
Jobs = Annotated[ReportJobs, Depends(get_jobs)]
Lang = Annotated[str | None, Query(max_length=10)]
DocKind = Literal["submission", "questionnaire"]


def page_language(request: Request, lang: str | None) -> str:
    """The language of a page: ``?lang=`` (an unsupported one is a 400), else Accept-Language."""
    if lang is not None and lang not in LANGUAGES:
        raise Problem(400, f"unsupported language {lang!r}; use {' or '.join(LANGUAGES)}")
    return choose_language(lang, request.headers.get("accept-language"), LANGUAGES, "en")


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        text,
        status,
        headers={"Cache-Control": "no-store", "Vary": "Accept-Language, Cookie"},
    )


def _nav(principal: Principal, language: str) -> dict[str, Any]:
    links = [("dashboard", f"/web/?lang={language}")]
    if principal.role in _WRITERS:
        links.append(("upload", f"/web/upload?lang={language}"))
    return {
        "user": principal.subject,
        "role": principal.role.value if principal.role else "",
        "csrf": principal.csrf_token or "",
        "links": links,
        "logout": "/web/logout",
    }


def _here(request: Request) -> str:
    """This page's path and query without ``lang`` (the language links add their own)."""
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    return request.url.path + (f"?{query}" if query else "")


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/web/login?next={quote(target, safe='')}", 303)


def _safe_next(value: str | None) -> str:
    """A local path to go to after sign-in (never another site)."""
    if not value:
        return "/web/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/web/"
    return value


# --- sign in and out ---------------------------------------------------------------------------


def _login_page(
    language: str, next_path: str, token: str, username: str = "", error: str | None = None
) -> HTMLResponse:
    context = {
        "nav": None,
        "path": "/web/login",
        "action": f"/web/login?next={quote(next_path, safe='')}&lang={language}",
        "csrf": token,
        "username": username,
        "error": error,
    }
    response = _html(render_page("login.html", context, language=language), 401 if error else 200)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/web")
    return response


@router.get("/login")
def login_form(
    request: Request, lang: Lang = None, next: Annotated[str | None, Query()] = None
) -> Response:
    """The sign-in form."""
    language = page_language(request, lang)
    return _login_page(language, _safe_next(next), new_secret())


@router.post("/login")
def login_submit(
    request: Request,
    service: Svc,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)],
    lang: Lang = None,
    next: Annotated[str | None, Query()] = None,
) -> Response:
    """Check the credentials; on success set the session cookies and go on."""
    language = page_language(request, lang)
    target = _safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        raise Problem(403, "the sign-in form is stale or foreign; reload it", slug="csrf")
    started = start_session(service, username, password)
    if started is None:
        return _login_page(language, target, new_secret(), username, "credentials")
    session_id, csrf, _who = started
    response = RedirectResponse(target, 303)
    set_session_cookies(response, service, session_id, csrf)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/web")
    return response


@router.post("/logout")
def logout_submit(request: Request, service: Svc, principal: CurrentPrincipal) -> Response:
    """End the session (the form carries the CSRF token) and go to the sign-in page."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id and principal.kind == "user":
        with service.db.write() as session:
            logout(session, session_id)
    response = RedirectResponse("/web/login", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- dashboard ---------------------------------------------------------------------------------


def _row(doc: Document, row: DocumentVersion, org_name: str) -> DocumentRow:
    return DocumentRow.build(
        id=doc.id,
        kind=doc.kind,
        version=row.version,
        filename=row.filename,
        organisation=org_name,
        org_id=doc.org_id,
        valid=row.valid,
        issues_json=row.issues,
        summary_json=row.summary,
        created_at=row.created_at,
        as_of=row.as_of,
        sha256=row.sha256,
        href=f"/web/{doc.kind}s/{doc.id}",
    )


def _dashboard_rows(
    service: Service, principal: Principal, filters: Mapping[str, str]
) -> tuple[list[DocumentRow], int, list[tuple[str, str]]]:
    query = (
        select(Document, DocumentVersion, Organisation.name)
        .join(
            DocumentVersion,
            (DocumentVersion.document_id == Document.id)
            & (DocumentVersion.version == Document.latest_version),
        )
        .join(Organisation, Organisation.id == Document.org_id)
    )
    orgs = select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(select(Document.org_id))
    )
    if principal.scope is not None:
        query = query.where(Document.org_id.in_(principal.scope))
        orgs = orgs.where(Organisation.id.in_(principal.scope))
    if filters["kind"]:
        query = query.where(Document.kind == filters["kind"])
    if filters["status"]:
        query = query.where(DocumentVersion.valid == (filters["status"] == "valid"))
    if filters["org"]:
        query = query.where(Document.org_id == filters["org"])
    if filters["q"]:
        pattern = "%" + filters["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern += "%"
        query = query.where(
            or_(
                DocumentVersion.filename.ilike(pattern, escape="\\"),
                DocumentVersion.summary.ilike(pattern, escape="\\"),
                Organisation.name.ilike(pattern, escape="\\"),
                Document.id.ilike(pattern, escape="\\"),
            )
        )
    with service.db.read() as session:
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        records = session.execute(
            query.order_by(Document.created_at.desc(), Document.id).limit(PAGE_SIZE)
        ).all()
        rows = [_row(r.Document, r.DocumentVersion, r.name) for r in records]
        organisations = [(r.id, r.name) for r in session.execute(orgs.order_by(Organisation.name))]
    return rows, total, organisations


@router.get("/")
def dashboard(
    request: Request,
    service: Svc,
    principal: CurrentPrincipal,
    lang: Lang = None,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[Literal["", "submission", "questionnaire"], Query()] = "",
    status: Annotated[Literal["", "valid", "invalid"], Query()] = "",
    org: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The documents the user may see, newest first, filtered and searched."""
    if not principal.authenticated:
        return _login_redirect(request)
    language = page_language(request, lang)
    filters = {"q": q.strip(), "kind": kind, "status": status, "org": org}
    rows, total, organisations = _dashboard_rows(service, principal, filters)
    context = {
        "nav": _nav(principal, language),
        "path": _here(request),
        "rows": rows,
        "total": total,
        "filters": filters,
        "organisations": organisations,
    }
    return _html(render_page("dashboard.html", context, language=language))


# --- one document ------------------------------------------------------------------------------


def _detail(
    kind: DocKind, row: DocumentVersion, base_url: str
) -> tuple[str | None, dict[str, Any]]:
    """The report view model of a valid version (its trace, or its findings and evidence)."""
    if not row.valid:
        return None, {}
    from compliance.reports import get_kind
    from compliance.service.documents import Upload, questionnaire_bytes

    content, name = row.content, row.filename
    if kind == "questionnaire":
        data, name, _imported = questionnaire_bytes(
            Upload(row.filename, row.media_type, content), row.as_of
        )
        if data is None:
            return None, {}
        content = data
    report_kind: Literal["cfp", "dd"] = "cfp" if kind == "submission" else "dd"
    request = ReportRequest(
        report_kind, "en", content, name, row.as_of, ruleset=DEFAULT_RULESET, base_url=base_url
    )
    try:
        data_input = build_input(request)
    except ReportRefused:
        return None, {}
    view = dict(get_kind(report_kind).build_view(data_input))
    view.pop("kind", None)
    return report_kind, view


def _document_page(
    service: Service,
    principal: Principal,
    kind: DocKind,
    ident: str,
    version: int | None,
    language: str,
) -> str:
    with service.db.read() as session:
        doc = session.get(Document, ident)
        if doc is None or doc.kind != kind or not principal.can_read(doc.org_id):
            raise Problem(404, f"no {kind} {ident!r}")
        number = version or doc.latest_version
        row = session.get(DocumentVersion, (doc.id, number))
        if row is None:
            raise Problem(404, f"no version {number} of {kind} {ident!r}")
        org = session.get(Organisation, doc.org_id)
        base = f"/web/{kind}s/{doc.id}"
        versions = [
            (n, f"{base}?version={n}&lang={language}", n == number)
            for n in range(1, doc.latest_version + 1)
        ]
        view_row = _row(doc, row, org.name if org else doc.org_id)
        issues = json.loads(row.issues or "[]")
        detail_kind, detail = _detail(kind, row, service.settings.public_base_url)
    report_kind = "cfp" if kind == "submission" else "dd"
    reports = [(report_kind, code) for code in LANGUAGES] if row.valid else []
    context = {
        **detail,
        "nav": _nav(principal, language),
        "path": base if version is None else f"{base}?version={number}",
        "row": view_row,
        "versions": versions,
        "issues": issues,
        "reports": reports,
        "report_action": f"{base}/reports?lang={language}",
        "csrf": principal.csrf_token or "",
        "detail_kind": detail_kind,
    }
    return render_page("document.html", context, language=language)


def _document_route(kind: DocKind) -> None:
    @router.get(f"/{kind}s/{{ident}}")
    def page(
        request: Request,
        service: Svc,
        principal: CurrentPrincipal,
        ident: Annotated[str, PathParam(max_length=64)],
        version: Annotated[int | None, Query(ge=1, le=10**9)] = None,
        lang: Lang = None,
    ) -> Response:
        if not principal.authenticated:
            return _login_redirect(request)
        language = page_language(request, lang)
        return _html(_document_page(service, principal, kind, ident, version, language))

    @router.post(f"/{kind}s/{{ident}}/reports")
    async def order(
        request: Request,
        service: Svc,
        jobs: Jobs,
        principal: CurrentPrincipal,
        ident: Annotated[str, PathParam(max_length=64)],
        lang: Lang = None,
    ) -> Response:
        if not principal.authenticated:
            return _login_redirect(request)
        async with request.form() as form:  # read after the CSRF check of the principal
            fields = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
        try:
            report = ReportOrder.model_validate(fields)
        except ValidationError as exc:
            raise Problem(422, f"the report form is invalid: {exc.errors()[0]['msg']}") from None
        job = await run_in_threadpool(order_report, service, jobs, principal, kind, ident, report)
        await jobs.wait(job, 1.0)
        return RedirectResponse(f"/web/reports/{job.id}?lang={page_language(request, lang)}", 303)

    page.__name__ = f"{kind}_page"
    order.__name__ = f"{kind}_report"


_document_route("submission")
_document_route("questionnaire")


@router.get("/reports/{job_id}")
def report_download(
    request: Request,
    service: Svc,
    jobs: Jobs,
    principal: CurrentPrincipal,
    job_id: str,
    lang: Lang = None,
) -> Response:
    """The PDF once rendered; until then a page that reloads itself."""
    if not principal.authenticated:
        return _login_redirect(request)
    from compliance.service.routes.reports import _owned_job

    language = page_language(request, lang)
    job = _owned_job(service, jobs, principal, job_id)
    if job.state is JobState.DONE:
        return pdf_response(jobs, job)
    if job.state is JobState.FAILED:
        raise Problem(422, f"no report: {job.problem}", slug="report-failed")
    context = {
        "nav": _nav(principal, language),
        "path": f"/web/reports/{job_id}",
        "job": job.status(),
        "status_href": f"/web/reports/{job_id}?lang={language}",
    }
    return _html(render_page("report_wait.html", context, language=language))


# --- upload ------------------------------------------------------------------------------------


def _upload_context(
    principal: Principal, language: str, result: dict[str, Any] | None, error: str | None
) -> dict[str, Any]:
    return {
        "nav": _nav(principal, language),
        "path": "/web/upload",
        "action": f"/web/upload?lang={language}",
        "csrf": principal.csrf_token or "",
        "result": result,
        "error": error,
    }


@router.get("/upload")
def upload_form(request: Request, principal: CurrentPrincipal, lang: Lang = None) -> Response:
    """The upload form (suppliers and operators)."""
    if not principal.authenticated:
        return _login_redirect(request)
    language = page_language(request, lang)
    if principal.role not in _WRITERS:
        raise Problem(403, "uploading needs the role supplier or operator")
    context = _upload_context(principal, language, None, None)
    return _html(render_page("upload.html", context, language=language))


@router.post("/upload")
async def upload_submit(
    request: Request, service: Svc, principal: CurrentPrincipal, lang: Lang = None
) -> Response:
    """Store the uploaded file as a new document and show its located issues at once."""
    if not principal.authenticated:
        return _login_redirect(request)
    language = page_language(request, lang)
    if principal.role not in _WRITERS:
        raise Problem(403, "uploading needs the role supplier or operator")
    await request.body()  # cached first: read_upload parses the form from it again
    form = await request.form()
    try:
        unknown = sorted(set(form.keys()) - {"kind", "file", "csrf_token"})
        if unknown:
            raise Problem(422, f"unknown form field(s) {', '.join(unknown)}")
        kind = form.get("kind")
        part = form.get("file")
        if kind not in ("submission", "questionnaire") or not isinstance(part, UploadFile):
            context = _upload_context(principal, language, None, "missing")
            return _html(render_page("upload.html", context, language=language), 422)
        data = await read_upload(
            request,
            stem=str(kind),
            allow_xlsx=kind == "questionnaire",
            fields=frozenset({"kind"}),
        )
    finally:
        await form.close()
    doc_kind: DocKind = "submission" if kind == "submission" else "questionnaire"
    doc, row, org_name = await run_in_threadpool(
        store_version, service, principal, doc_kind, data, None, None
    )
    result = {"row": _row(doc, row, org_name), "issues": json.loads(row.issues or "[]")}
    context = _upload_context(principal, language, result, None)
    return _html(render_page("upload.html", context, language=language))
