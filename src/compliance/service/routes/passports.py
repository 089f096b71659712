"""Passports: built from a stored submission by the pipeline, sealed and signed with the server key.

``POST /api/v1/passports`` builds the passport of a submission version (with a scored DD
questionnaire's summary, optionally) and stores it as version 1, or as the next version of the
passport with the same identifier. ``POST .../{id}/status`` records a battery status change
(Annex XIII 4(c)) as a new version. Reads are the view of the caller's Annex XIII access level
(:func:`compliance.passport.access.view`); ``GET /passports/{identifier}`` (the URL the QR code
encodes) is public and shows the public view only.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from compliance.models import BatteryStatus
from compliance.passport.access import hidden_from, view
from compliance.passport.integrity import PassportDocument, seal_bytes, verify
from compliance.passport.model import AccessLevel, Passport
from compliance.passport.succession import successor_problem
from compliance.pipeline import PassportRequest, run_questionnaire, run_submission
from compliance.service.audit import Chain
from compliance.service.auth import Principal, Role, authenticated, require_roles
from compliance.service.conditional import Page, json_response, link_header
from compliance.service.documents import Upload, questionnaire_bytes
from compliance.service.idempotency import Idempotency
from compliance.service.keys import public_key_pem
from compliance.service.problems import Problem, request_issue
from compliance.service.routes.common import Limit, Offset, StrictBody, not_found, visible
from compliance.service.state import DEFAULT_RULESET, Service, get_service, load_setup
from compliance.service.tables import Document, DocumentVersion, PassportRecord, PassportVersion
from compliance.service.writes import commit, iso

__all__ = ["passport_body", "public_lookup", "public_response", "public_router", "router"]

router = APIRouter(prefix="/api/v1/passports", tags=["passports"])
public_router = APIRouter(tags=["public"])
_BUILDERS = (Role.OPERATOR, Role.ADMIN)
Svc = Annotated[Service, Depends(get_service)]
Reader = Annotated[Principal, Depends(authenticated)]
Builder = Annotated[Principal, require_roles(*_BUILDERS)]
VersionNumber = Annotated[int, PathParam(ge=1, le=10**9)]
_STATUS = "/individual/status"


class PassportCreate(StrictBody):
    """Build a passport from a stored submission version."""

    submission: str = Field(max_length=64, description="The submission id.")
    submission_version: int | None = Field(
        None, alias="submissionVersion", ge=1, le=10**9, description="Default: the latest."
    )
    questionnaire: str | None = Field(
        None, max_length=64, description="A DD questionnaire whose scored summary is included."
    )
    questionnaire_version: int | None = Field(None, alias="questionnaireVersion", ge=1, le=10**9)
    ruleset: str = Field(DEFAULT_RULESET, max_length=100)
    as_of: date | None = Field(None, alias="asOf", description="Calculation date (default today).")


class StatusChange(StrictBody):
    """A battery status change (Annex XIII 4(c)), recorded as a new version."""

    status: BatteryStatus


@lru_cache(maxsize=4096)
def _stored(content: bytes) -> PassportDocument:
    result = verify(content)
    if result.document is None or not result.ok:
        raise Problem(
            500, "a stored passport version fails verification: " + "; ".join(result.reasons)
        )
    return result.document


@lru_cache(maxsize=4096)
def _view_json(content: bytes, level: AccessLevel) -> bytes:
    return orjson.dumps(view(_stored(content).passport, level).model_dump(mode="json"))


def _status(passport: Passport) -> str:
    return passport.individual.status.value if passport.individual is not None else "unknown"


def _meta(record: PassportRecord, row: PassportVersion) -> dict[str, Any]:
    base = f"/api/v1/passports/{record.id}"
    return {
        "id": record.id,
        "identifier": record.identifier,
        "organisation": record.org_id,
        "version": row.version,
        "latestVersion": record.latest_version,
        "digest": row.digest,
        "status": row.status,
        "publicPath": record.public_path,
        "submission": row.submission_id,
        "submissionVersion": row.submission_version,
        "createdAt": iso(row.created_at),
        "createdBy": row.created_by,
        "links": {
            "self": f"{base}/versions/{row.version}",
            "passport": base,
            "document": f"{base}/versions/{row.version}/document",
            "public": record.public_path,
        },
    }


def _public_path(public_url: str, base_url: str) -> str:
    base = base_url.rstrip("/")
    if public_url.startswith(base + "/"):
        return public_url[len(base) :]
    return urlsplit(public_url).path


def _status_visible(level: AccessLevel) -> bool:
    hidden = hidden_from(level)
    return not any(p == _STATUS or _STATUS.startswith(p + "/") for p in hidden)


def passport_body(record: PassportRecord, row: PassportVersion, level: AccessLevel) -> bytes:
    """Metadata and the view of ``level``; nothing the level may not read (the status is 4(c))."""
    if level is AccessLevel.PUBLIC:
        meta: dict[str, Any] = {
            "identifier": record.identifier,
            "version": row.version,
            "publicPath": record.public_path,
        }
    else:
        meta = _meta(record, row)
        if not _status_visible(level):
            del meta["status"]
    head = orjson.dumps({**meta, "accessLevel": level.value})
    return head[:-1] + b',"passport":' + _view_json(row.content, level) + b"}"


def _version_of(
    session: Session, principal: Principal, passport_id: str, version: int | None
) -> tuple[PassportRecord, PassportVersion]:
    record = session.get(PassportRecord, passport_id)
    if record is None:
        raise not_found("passport", passport_id)
    visible(principal, record.org_id, "passport", passport_id)
    row = session.get(PassportVersion, (record.id, version or record.latest_version))
    if row is None:
        raise not_found(f"version of passport {passport_id}", str(version))
    return record, row


def _document_version(
    session: Session, principal: Principal, kind: str, ident: str, version: int | None, field: str
) -> tuple[Document, DocumentVersion]:
    doc = session.get(Document, ident)
    if doc is None or doc.kind != kind or not principal.can_read(doc.org_id):
        raise Problem(
            422,
            f"no {kind} {ident!r}",
            issues=[request_issue(["body", field], f"no {kind} with this id")],
        )
    row = session.get(DocumentVersion, (doc.id, version or doc.latest_version))
    if row is None:
        raise Problem(
            422,
            f"{kind} {ident!r} has no version {version}",
            issues=[request_issue(["body", field + "Version"], "no such version")],
        )
    return doc, row


def _sealed_previous(
    session: Session, identifier: str
) -> tuple[PassportRecord | None, PassportDocument | None]:
    record = session.execute(
        select(PassportRecord).where(PassportRecord.identifier == identifier)
    ).scalar_one_or_none()
    if record is None:
        return None, None
    row = session.get(PassportVersion, (record.id, record.latest_version))
    assert row is not None
    return record, _stored(row.content)


def _store_version(
    session: Session,
    chain: Chain,
    service: Service,
    principal: Principal,
    passport: Passport,
    org_id: str,
    submission: tuple[str, int],
    action: str,
) -> tuple[PassportRecord, PassportVersion]:
    now = service.now()
    record, previous = _sealed_previous(session, passport.passport_identifier)
    if record is not None and record.org_id != org_id:
        raise Problem(409, "a passport with this identifier belongs to another organisation")
    if previous is not None:
        problem = successor_problem(previous.passport, passport)
        if problem is not None:
            raise Problem(409, problem)
    sealed = seal_bytes(passport, previous=previous, key=service.key)
    if record is None:
        record = PassportRecord(
            id=str(uuid.uuid4()),
            org_id=org_id,
            identifier=passport.passport_identifier,
            public_path=_public_path(str(passport.public_url), service.settings.public_base_url),
            latest_version=sealed.document.version,
            created_at=now,
        )
        session.add(record)
        session.flush()
    else:
        record.latest_version = sealed.document.version
    row = PassportVersion(
        passport_id=record.id,
        version=sealed.document.version,
        content=sealed.data,
        digest=sealed.document.digest,
        status=_status(passport),
        submission_id=submission[0],
        submission_version=submission[1],
        created_at=now,
        created_by=principal.actor,
    )
    session.add(row)
    chain.append(
        actor=principal.actor,
        org_id=org_id,
        action=action,
        resource=f"passports/{record.id}/versions/{row.version}",
        digest="sha256:" + hashlib.sha256(sealed.data).hexdigest(),
        at=now,
    )
    return record, row


def _idempotency(request: Request, principal: Principal, body: bytes) -> Idempotency | None:
    return Idempotency.of(
        request.headers.get("idempotency-key"),
        principal.actor,
        request.method,
        request.url.path,
        request.headers.get("content-type", ""),
        body,
    )


@router.post("", status_code=201, summary="Build, seal and sign the passport of a submission")
async def create_passport(
    request: Request, service: Svc, principal: Builder, body: PassportCreate
) -> Response:
    """Build the passport of a submission version; a new version if the passport exists."""
    idem = _idempotency(request, principal, await request.body())

    def load() -> tuple[Document, DocumentVersion, DocumentVersion | None]:
        with service.db.read() as session:
            doc, row = _document_version(
                session,
                principal,
                "submission",
                body.submission,
                body.submission_version,
                "submission",
            )
            if principal.role is not Role.ADMIN and doc.org_id != principal.org_id:
                raise Problem(
                    403, "an operator builds passports of its own organisation's submissions"
                )
            q_row = None
            if body.questionnaire is not None:
                _, q_row = _document_version(
                    session,
                    principal,
                    "questionnaire",
                    body.questionnaire,
                    body.questionnaire_version,
                    "questionnaire",
                )
            return doc, row, q_row

    def build_passport() -> tuple[Document, DocumentVersion, Passport]:
        doc, row, q_row = load()
        as_of = body.as_of or service.today()
        dd = None
        if q_row is not None:
            data, name, _ = questionnaire_bytes(
                Upload(q_row.filename, q_row.media_type, q_row.content), as_of
            )
            if data is not None:
                dd = run_questionnaire(data, name=name, as_of=as_of)
            if dd is None or dd.dd is None:
                issues = dd.issues if dd is not None else ()
                raise Problem(422, "the questionnaire does not score; no passport", issues=issues)
        try:
            setup = load_setup(body.ruleset, None, ())
        except LookupError as exc:
            raise Problem(
                422, str(exc), issues=[request_issue(["body", "ruleset"], str(exc))]
            ) from None
        request_ = PassportRequest(
            service.now().replace(microsecond=0), service.settings.public_base_url, dd
        )
        run = run_submission(
            row.content, name=row.filename, setup=setup, as_of=as_of, passport=request_
        )
        if run.passport is None:
            raise Problem(422, "no passport: the submission has errors", issues=run.issues)
        return doc, row, run.passport

    doc, row, passport = await run_in_threadpool(build_passport)

    def build(session: Session, chain: Chain) -> Response:
        record, version = _store_version(
            session,
            chain,
            service,
            principal,
            passport,
            doc.org_id,
            (doc.id, row.version),
            "passport.build",
        )
        return _created(request, principal, record, version)

    return await run_in_threadpool(commit, service, idem, build)


def _created(
    request: Request, principal: Principal, record: PassportRecord, version: PassportVersion
) -> Response:
    """201 with the new version as the caller may read it, and its ``Location``."""
    content = passport_body(record, version, principal.access_level)
    return json_response(
        request,
        None,
        raw=content,
        status=201,
        headers={"Location": f"/api/v1/passports/{record.id}/versions/{version.version}"},
    )


@router.post(
    "/{passport_id}/status", status_code=201, summary="Record a battery status change (new version)"
)
async def change_status(
    request: Request, service: Svc, principal: Builder, passport_id: str, body: StatusChange
) -> Response:
    """A new version of the passport with the battery status changed (Annex XIII 4(c))."""
    idem = _idempotency(request, principal, await request.body())

    def build(session: Session, chain: Chain) -> Response:
        record, row = _version_of(session, principal, passport_id, None)
        if principal.role is not Role.ADMIN and record.org_id != principal.org_id:
            raise Problem(403, "only the passport's economic operator changes its status")
        current = _stored(row.content).passport
        if current.individual is None:
            raise Problem(
                409, "this passport has no individual battery section (no status to change)"
            )
        changed = current.model_copy(
            update={"individual": current.individual.model_copy(update={"status": body.status})}
        )
        record, version = _store_version(
            session,
            chain,
            service,
            principal,
            changed,
            record.org_id,
            (row.submission_id, row.submission_version),
            "passport.status",
        )
        return _created(request, principal, record, version)

    return await run_in_threadpool(commit, service, idem, build)


@router.get("", summary="List passports (latest versions)")
def list_passports(
    request: Request, service: Svc, principal: Reader, offset: Offset = 0, limit: Limit = None
) -> Response:
    """Passports the caller may read, newest first."""
    size = limit or service.settings.page_size
    query = select(PassportRecord, PassportVersion).join(
        PassportVersion,
        (PassportVersion.passport_id == PassportRecord.id)
        & (PassportVersion.version == PassportRecord.latest_version),
    )
    if principal.scope is not None:
        query = query.where(PassportRecord.org_id.in_(principal.scope))
    with service.db.read() as session:
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = session.execute(
            query.order_by(PassportRecord.created_at.desc(), PassportRecord.id)
            .offset(offset)
            .limit(size)
        ).all()
        items = [_meta(r.PassportRecord, r.PassportVersion) for r in rows]
    return json_response(
        request,
        {"items": items, "total": total, "offset": offset, "limit": size},
        headers={"Link": link_header(request, Page(offset, size, total))},
    )


@router.get("/{passport_id}", summary="The latest version, as the caller's access level sees it")
def get_passport(request: Request, service: Svc, principal: Reader, passport_id: str) -> Response:
    """The latest version (view of the caller's Annex XIII access level)."""
    with service.db.read() as session:
        record, row = _version_of(session, principal, passport_id, None)
    return json_response(request, None, raw=passport_body(record, row, principal.access_level))


@router.get(
    "/{passport_id}/versions/{version}", summary="One version, as the caller's access level sees it"
)
def get_passport_version(
    request: Request, service: Svc, principal: Reader, passport_id: str, version: VersionNumber
) -> Response:
    """One version (view of the caller's access level)."""
    with service.db.read() as session:
        record, row = _version_of(session, principal, passport_id, version)
    return json_response(request, None, raw=passport_body(record, row, principal.access_level))


@router.get(
    "/{passport_id}/versions/{version}/document",
    summary="The sealed, signed passport document (full access only)",
)
def get_passport_document(
    request: Request, service: Svc, principal: Reader, passport_id: str, version: VersionNumber
) -> Response:
    """The stored canonical document (verifies with ``compliance passport verify``)."""
    with service.db.read() as session:
        _record, row = _version_of(session, principal, passport_id, version)
    if principal.access_level is not AccessLevel.FULL:
        raise Problem(
            403,
            "the sealed document holds every field; your access level is "
            + principal.access_level.value,
        )
    return json_response(request, None, raw=row.content)


def public_lookup(service: Service, path: str) -> tuple[PassportRecord, PassportVersion] | None:
    """The latest version of the passport whose public URL path is ``path`` (raw, encoded)."""
    with service.db.read() as session:
        record = session.execute(
            select(PassportRecord).where(PassportRecord.public_path == path)
        ).scalar_one_or_none()
        if record is None:
            return None
        row = session.get(PassportVersion, (record.id, record.latest_version))
        return None if row is None else (record, row)


PublicFormat = Annotated[
    Literal["json", "html"] | None,
    Query(description="Override content negotiation (Accept): json or html."),
]
PublicLang = Annotated[
    str | None,
    Query(max_length=10, description="Page language: en or ja (default: Accept-Language)."),
]
_VARY = {"Vary": "Accept, Accept-Language"}


def public_response(
    request: Request, service: Service, output: str | None, lang: str | None
) -> Response:
    """The public view of the passport at this URL (no login): HTML or JSON by ``Accept``.

    A browser (``text/html`` preferred) gets the page in English or Japanese; a machine, or a
    request without ``Accept``, gets the JSON; ``?format=`` overrides the header.
    """
    from compliance.service.web.negotiation import HTML, JSON, choose_media_type
    from compliance.service.web.routes import page_language

    media = JSON if output == "json" else HTML if output == "html" else None
    media = media or choose_media_type(request.headers.get("accept"), [JSON, HTML])
    if media is None:
        raise Problem(406, "the public passport is available as application/json or text/html")
    language = page_language(request, lang) if media == HTML else None
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    path = raw_path.decode("latin-1").split("?", 1)[0]
    found = public_lookup(service, path)
    if found is None:
        raise Problem(404, "no passport at this URL")
    record, row = found
    if language is None:
        return json_response(
            request, None, raw=passport_body(record, row, AccessLevel.PUBLIC), headers=_VARY
        )
    from compliance.service.web.passport_page import public_page

    html = public_page(
        _stored(row.content),
        language=language,
        as_of=service.today(),
        path=path,
        json_href=f"{path}?format=json",
    )
    return Response(html, headers=_VARY, media_type="text/html; charset=utf-8")


_PUBLIC_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, "text/html": {}}},
}


@public_router.get(
    "/passports/{identifier}",
    summary="Public passport (the QR code's URL)",
    responses=_PUBLIC_RESPONSES,
)
def public_passport(
    request: Request,
    service: Svc,
    identifier: str,
    format: PublicFormat = None,
    lang: PublicLang = None,
) -> Response:
    """The public view of a passport, by the identifier in its public URL. No login needed."""
    return public_response(request, service, format, lang)


@public_router.get(
    "/01/{gtin}/21/{serial}",
    summary="Public passport (GS1 Digital Link URL)",
    responses=_PUBLIC_RESPONSES,
)
def public_passport_gs1(
    request: Request,
    service: Svc,
    gtin: str,
    serial: str,
    format: PublicFormat = None,
    lang: PublicLang = None,
) -> Response:
    """The public view of a passport by its GS1 Digital Link (GTIN + serial). No login needed."""
    return public_response(request, service, format, lang)


@public_router.get(
    "/passport-signing-key.pem",
    summary="The server's passport signing key (public half, PEM)",
    responses={200: {"content": {"application/x-pem-file": {}}}},
)
def signing_key(request: Request, service: Svc) -> Response:
    """For ``compliance passport verify DOCUMENT --key passport-signing-key.pem``."""
    pem = public_key_pem(service.key).encode()
    return json_response(request, None, raw=pem, media_type="application/x-pem-file")
