"""Submissions and DD questionnaires: immutable versions, validation stored, results recomputed.

``POST /api/v1/submissions`` starts a document (version 1); ``POST .../{id}/versions`` adds the
next version. Each version keeps the bytes as received, their SHA-256 and the core's validation
result (and, for a valid submission, its CFP headline; for a questionnaire, its DD headline). An
invalid document is stored too, flagged ``valid: false`` with its located issues, unless the POST
says ``reject_invalid=true``: then it is refused with a 422 problem carrying those issues and
nothing is stored. ``GET .../versions/{n}/cfp`` (``/dd``) recomputes the result of a stored
version under a chosen bundled ruleset, GWP set and method choices, or another date.
"""

import hashlib
import json
import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from compliance.errors import Issue, Layer, Severity
from compliance.service.audit import Chain
from compliance.service.auth import Principal, Role, authenticated, require_roles
from compliance.service.conditional import Page, json_response, link_header
from compliance.service.documents import (
    JSON_TYPES,
    XLSX,
    YAML_TYPES,
    Analysis,
    Upload,
    analyse_questionnaire,
    analyse_submission,
    questionnaire_bytes,
    read_upload,
)
from compliance.service.idempotency import Idempotency
from compliance.service.problems import Problem, request_issue
from compliance.service.routes.common import Limit, Offset, not_found, visible
from compliance.service.state import DEFAULT_RULESET, Service, get_service, load_setup
from compliance.service.tables import Document, DocumentVersion, Organisation
from compliance.service.writes import commit, iso

__all__ = ["add_document_version", "analyse", "document_router", "store_version", "version_body"]

Kind = Literal["submission", "questionnaire"]
VersionNumber = Annotated[int, PathParam(ge=1, le=10**9)]
_WRITERS = (Role.SUPPLIER, Role.OPERATOR, Role.ADMIN)
_UPLOAD_KINDS = {"supplier", "operator"}


def _request_body(kind: Kind) -> dict[str, Any]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    content: dict[str, Any] = {
        "application/json": {"schema": {"type": "object"}},
        "application/yaml": {"schema": {"type": "string"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
    }
    if kind == "questionnaire":
        content[XLSX] = binary
    return {"requestBody": {"required": True, "content": content}}


def version_body(kind: Kind, doc: Document, row: DocumentVersion) -> dict[str, Any]:
    """The JSON of one stored version."""
    base = f"/api/v1/{kind}s/{doc.id}"
    return {
        "id": doc.id,
        "kind": kind,
        "organisation": doc.org_id,
        "version": row.version,
        "latestVersion": doc.latest_version,
        "filename": row.filename,
        "mediaType": row.media_type,
        "sha256": row.sha256,
        "valid": row.valid,
        "asOf": row.as_of.isoformat(),
        "createdAt": iso(row.created_at),
        "createdBy": row.created_by,
        "summary": json.loads(row.summary),
        "issues": json.loads(row.issues),
        "links": {
            "self": f"{base}/versions/{row.version}",
            "document": base,
            "content": f"{base}/versions/{row.version}/content",
        },
    }


def _target_org(session: Session, principal: Principal, organisation: str | None) -> str:
    """The organisation a new document belongs to (an admin names it; others: their own)."""
    if principal.role is Role.ADMIN:
        if organisation is None:
            raise Problem(422, "an admin names the organisation (query parameter 'organisation')")
        org = session.get(Organisation, organisation)
        if org is None or org.kind not in _UPLOAD_KINDS:
            raise not_found("supplier or operator organisation", organisation)
        return org.id
    assert principal.org_id is not None
    if organisation is not None and organisation != principal.org_id:
        raise not_found("organisation", organisation)  # another tenant: not revealed
    return principal.org_id


def analyse(service: Service, kind: Kind, data: Upload) -> tuple[Analysis, date]:
    """The core's analysis of an upload as of today (blocking: run it in the thread pool)."""
    as_of = service.today()
    if kind == "submission":
        setup = load_setup(DEFAULT_RULESET, None, ())
        return analyse_submission(data, as_of=as_of, setup=setup), as_of
    return analyse_questionnaire(data, as_of=as_of), as_of


def add_document_version(
    session: Session,
    chain: Chain,
    service: Service,
    principal: Principal,
    kind: Kind,
    data: Upload,
    analysis: Analysis,
    as_of: date,
    document_id: str | None,
    organisation: str | None,
) -> tuple[Document, DocumentVersion]:
    """Store an analysed upload as a new document or its next version, with its audit entry."""
    what = kind
    sha = hashlib.sha256(data.data).hexdigest()
    now = service.now()
    if document_id is None:
        org_id = _target_org(session, principal, organisation)
        doc = Document(
            id=str(uuid.uuid4()),
            org_id=org_id,
            kind=kind,
            latest_version=1,
            created_at=now,
            created_by=principal.actor,
        )
        session.add(doc)
        session.flush()
    else:
        found = session.get(Document, document_id)
        if found is None or found.kind != kind or not principal.can_read(found.org_id):
            raise not_found(what, document_id)
        if principal.role is not Role.ADMIN and found.org_id != principal.org_id:
            raise Problem(403, f"only {found.org_id}'s users add versions to this {what}")
        doc = found
        doc.latest_version += 1
    row = DocumentVersion(
        document_id=doc.id,
        version=doc.latest_version,
        filename=data.filename,
        media_type=data.media_type,
        content=data.data,
        sha256=sha,
        valid=analysis.valid,
        issues=json.dumps(analysis.issues, ensure_ascii=False),
        summary=json.dumps(analysis.summary, ensure_ascii=False),
        as_of=as_of,
        created_at=now,
        created_by=principal.actor,
    )
    session.add(row)
    chain.append(
        actor=principal.actor,
        org_id=doc.org_id,
        action=f"{kind}.{'create' if document_id is None else 'version'}",
        resource=f"documents/{doc.id}/versions/{row.version}",
        digest="sha256:" + sha,
        at=now,
    )
    return doc, row


def store_version(
    service: Service,
    principal: Principal,
    kind: Kind,
    data: Upload,
    document_id: str | None,
    organisation: str | None,
) -> tuple[Document, DocumentVersion, str]:
    """Analyse and store an upload (blocking); the document, the version, the organisation name.

    The web upload page's way to store what ``POST /api/v1/{kind}s`` stores.
    """
    analysis, as_of = analyse(service, kind, data)
    stored: list[tuple[Document, DocumentVersion, str]] = []

    def build(session: Session, chain: Chain) -> Response:
        doc, row = add_document_version(
            session, chain, service, principal, kind, data, analysis, as_of,
            document_id, organisation,
        )  # fmt: skip
        org = session.get(Organisation, doc.org_id)
        stored.append((doc, row, org.name if org is not None else doc.org_id))
        return Response(status_code=201)

    commit(service, None, build)
    return stored[-1]


def document_router(kind: Kind) -> APIRouter:
    """The routes of one document kind (``submission`` or ``questionnaire``)."""
    router = APIRouter(prefix=f"/api/v1/{kind}s", tags=[f"{kind}s"])
    what = kind
    allow_xlsx = kind == "questionnaire"

    async def upload(request: Request) -> Upload:
        return await read_upload(request, stem=kind, allow_xlsx=allow_xlsx)

    async def raw(request: Request) -> bytes:
        return await request.body()

    async def store(
        request: Request,
        service: Service,
        principal: Principal,
        data: Upload,
        document_id: str | None,
        organisation: str | None,
        reject_invalid: bool,
    ) -> Response:
        idem = Idempotency.of(
            request.headers.get("idempotency-key"),
            principal.actor,
            request.method,
            request.url.path + "?" + request.url.query,
            request.headers.get("content-type", ""),
            await request.body(),
        )
        analysis, as_of = await run_in_threadpool(analyse, service, kind, data)
        if reject_invalid and not analysis.valid:
            issues = [
                Issue(
                    i["code"],
                    i["pointer"],
                    i["message"],
                    Severity(i["severity"]),
                    Layer(i["layer"]),
                    i.get("line"),
                    i.get("column"),
                    i.get("context") or {},
                )
                for i in analysis.issues
            ]
            raise Problem(422, f"the {what} is invalid; nothing was stored", issues=issues)

        def build(session: Session, chain: Chain) -> Response:
            doc, row = add_document_version(
                session, chain, service, principal, kind, data, analysis, as_of,
                document_id, organisation,
            )  # fmt: skip
            body = version_body(kind, doc, row)
            return json_response(
                request, body, status=201, headers={"Location": body["links"]["self"]}
            )

        return await run_in_threadpool(commit, service, idem, build)

    Writer = Annotated[Principal, require_roles(*_WRITERS)]
    Svc = Annotated[Service, Depends(get_service)]

    @router.post(
        "",
        status_code=201,
        summary=f"Submit a new {what} (version 1)",
        openapi_extra=_request_body(kind),
        responses={201: {"description": "Stored (see 'valid' and 'issues')."}},
    )
    async def create(
        request: Request,
        service: Svc,
        principal: Writer,
        data: Annotated[Upload, Depends(upload)],
        organisation: Annotated[str | None, Query(max_length=64)] = None,
        reject_invalid: bool = False,
    ) -> Response:
        return await store(request, service, principal, data, None, organisation, reject_invalid)

    @router.post(
        "/{document_id}/versions",
        status_code=201,
        summary=f"Add the next version of a {what}",
        openapi_extra=_request_body(kind),
    )
    async def add_version(
        request: Request,
        service: Svc,
        principal: Writer,
        document_id: str,
        data: Annotated[Upload, Depends(upload)],
        reject_invalid: bool = False,
    ) -> Response:
        return await store(request, service, principal, data, document_id, None, reject_invalid)

    def _listing(
        request: Request,
        service: Service,
        principal: Principal,
        offset: int,
        limit: int | None,
        organisation: str | None,
        valid: bool | None,
    ) -> Response:
        size = limit or service.settings.page_size
        query = (
            select(Document, DocumentVersion)
            .join(
                DocumentVersion,
                (DocumentVersion.document_id == Document.id)
                & (DocumentVersion.version == Document.latest_version),
            )
            .where(Document.kind == kind)
        )
        if principal.scope is not None:
            query = query.where(Document.org_id.in_(principal.scope))
        if organisation is not None:
            query = query.where(Document.org_id == organisation)
        if valid is not None:
            query = query.where(DocumentVersion.valid == valid)
        with service.db.read() as session:
            total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            rows = session.execute(
                query.order_by(Document.created_at.desc(), Document.id).offset(offset).limit(size)
            ).all()
            items = [version_body(kind, r.Document, r.DocumentVersion) for r in rows]
        page = Page(offset, size, total)
        return json_response(
            request,
            {"items": items, "total": total, "offset": offset, "limit": size},
            headers={"Link": link_header(request, page)},
        )

    @router.get("", summary=f"List {what}s (latest versions), newest first")
    def list_documents(
        request: Request,
        service: Svc,
        principal: Annotated[Principal, Depends(authenticated)],
        offset: Offset = 0,
        limit: Limit = None,
        organisation: Annotated[str | None, Query(max_length=64)] = None,
        valid: bool | None = None,
    ) -> Response:
        return _listing(request, service, principal, offset, limit, organisation, valid)

    def _version(
        service: Service, principal: Principal, document_id: str, version: int | None
    ) -> tuple[Document, DocumentVersion]:
        with service.db.read() as session:
            doc = session.get(Document, document_id)
            if doc is None or doc.kind != kind:
                raise not_found(what, document_id)
            visible(principal, doc.org_id, what, document_id)
            number = doc.latest_version if version is None else version
            row = session.get(DocumentVersion, (doc.id, number))
            if row is None:
                raise not_found(f"version of {what} {document_id}", str(version))
            return doc, row

    Reader = Annotated[Principal, Depends(authenticated)]

    @router.get("/{document_id}", summary=f"The latest version of a {what}")
    def get_document(
        request: Request, service: Svc, principal: Reader, document_id: str
    ) -> Response:
        doc, row = _version(service, principal, document_id, None)
        return json_response(request, version_body(kind, doc, row))

    @router.get("/{document_id}/versions", summary=f"Every version of a {what}")
    def list_versions(
        request: Request,
        service: Svc,
        principal: Reader,
        document_id: str,
        offset: Offset = 0,
        limit: Limit = None,
    ) -> Response:
        size = limit or service.settings.page_size
        with service.db.read() as session:
            doc = session.get(Document, document_id)
            if doc is None or doc.kind != kind:
                raise not_found(what, document_id)
            visible(principal, doc.org_id, what, document_id)
            rows = session.execute(
                select(DocumentVersion)
                .where(DocumentVersion.document_id == doc.id)
                .order_by(DocumentVersion.version)
                .offset(offset)
                .limit(size)
            ).scalars()
            items = [version_body(kind, doc, r) for r in rows]
        page = Page(offset, size, doc.latest_version)
        return json_response(
            request,
            {"items": items, "total": doc.latest_version, "offset": offset, "limit": size},
            headers={"Link": link_header(request, page)},
        )

    @router.get("/{document_id}/versions/{version}", summary=f"One version of a {what}")
    def get_version(
        request: Request,
        service: Svc,
        principal: Reader,
        document_id: str,
        version: VersionNumber,
    ) -> Response:
        doc, row = _version(service, principal, document_id, version)
        return json_response(request, version_body(kind, doc, row))

    @router.get(
        "/{document_id}/versions/{version}/content",
        summary=f"The bytes of one version of a {what}, as received",
        responses={200: {"content": {t: {} for t in (*JSON_TYPES, *YAML_TYPES[:1], XLSX)}}},
    )
    def get_content(
        request: Request,
        service: Svc,
        principal: Reader,
        document_id: str,
        version: VersionNumber,
    ) -> Response:
        _doc, row = _version(service, principal, document_id, version)
        return json_response(request, None, raw=row.content, media_type=row.media_type)

    if kind == "submission":

        @router.get(
            "/{document_id}/versions/{version}/cfp",
            summary="Recompute the carbon footprint of a stored version",
        )
        def recompute_cfp(
            request: Request,
            service: Svc,
            principal: Reader,
            document_id: str,
            version: VersionNumber,
            ruleset: Annotated[str, Query(max_length=100)] = DEFAULT_RULESET,
            gwp: Annotated[str | None, Query(max_length=100)] = None,
            choice: Annotated[
                list[str] | None,
                Query(max_length=20, description="Method choice override 'axis=choice'."),
            ] = None,
            as_of: date | None = None,
            trace: bool = False,
        ) -> Response:
            from compliance.pipeline import CalculationOptions, run_submission

            doc, row = _version(service, principal, document_id, version)
            setup = _setup(ruleset, gwp, choice or [])
            run = run_submission(
                row.content,
                name=row.filename,
                setup=setup,
                as_of=as_of or service.today(),
                calculation=CalculationOptions(trace=trace),
            )
            result = run.cfp.result if run.cfp is not None else None
            body = {
                "submission": doc.id,
                "version": row.version,
                "computed": result is not None,
                "issues": [i.to_dict() for i in run.issues],
                "result": None
                if result is None
                else result.model_dump(mode="json", exclude={"issues"}),
            }
            return json_response(request, body)

        @router.get(
            "/{document_id}/versions/{version}/recycled",
            summary="Compute the recycled content (Art. 8) of a stored version",
        )
        def recompute_recycled(
            request: Request,
            service: Svc,
            principal: Reader,
            document_id: str,
            version: VersionNumber,
            ruleset: Annotated[
                str, Query(max_length=20, description="Recycled-content ruleset version.")
            ] = "1.0.0",
            as_of: date | None = None,
        ) -> Response:
            from compliance.pipeline import RecycledSetup, run_submission
            from compliance.recycled import RecycledRulesetError, load_recycled_ruleset

            doc, row = _version(service, principal, document_id, version)
            try:
                loaded = load_recycled_ruleset(ruleset)
            except RecycledRulesetError as exc:
                raise Problem(
                    422, str(exc), issues=[request_issue(["query", "ruleset"], str(exc))]
                ) from None
            run = run_submission(
                row.content,
                name=row.filename,
                as_of=as_of or service.today(),
                recycled=RecycledSetup(loaded),
            )
            result = run.recycled.result if run.recycled is not None else None
            body = {
                "submission": doc.id,
                "version": row.version,
                "computed": result is not None,
                "issues": [i.to_dict() for i in run.issues],
                "result": None if result is None else result.to_dict(),
            }
            return json_response(request, body)

    else:

        @router.get(
            "/{document_id}/versions/{version}/dd",
            summary="Rescore a stored questionnaire version (as of another date)",
        )
        def recompute_dd(
            request: Request,
            service: Svc,
            principal: Reader,
            document_id: str,
            version: VersionNumber,
            as_of: date | None = None,
        ) -> Response:
            from compliance.pipeline import run_questionnaire

            doc, row = _version(service, principal, document_id, version)
            day = as_of or service.today()
            upload = Upload(row.filename, row.media_type, row.content)
            data, name, imported = questionnaire_bytes(upload, day)
            issues = [i.to_dict() for i in imported]
            result = None
            if data is not None:
                run = run_questionnaire(data, name=name, as_of=day)
                issues += [i.to_dict() for i in run.issues]
                result = run.dd.to_dict() if run.dd is not None else None
            body = {
                "questionnaire": doc.id,
                "version": row.version,
                "computed": result is not None,
                "issues": issues,
                "result": result,
            }
            return json_response(request, body)

    return router


def _setup(ruleset: str, gwp: str | None, choices: list[str]) -> Any:
    """The CFP setup of bundled choices; an unknown one is a located 422 problem."""
    from compliance.cfp.gwp import UnknownGwpSetError
    from compliance.cfp.rulesets import ChoiceError, UnknownRulesetError

    pairs = []
    for index, text in enumerate(choices):
        axis, sep, value = text.partition("=")
        if not sep or not axis or not value:
            raise Problem(
                422,
                f"choice {text!r}: use 'axis=choice'",
                issues=[request_issue(["query", "choice", index], "use 'axis=choice'")],
            )
        pairs.append((axis, value))
    try:
        return load_setup(ruleset, gwp, tuple(pairs))
    except UnknownRulesetError as exc:
        raise Problem(
            422, str(exc), issues=[request_issue(["query", "ruleset"], str(exc))]
        ) from None
    except UnknownGwpSetError as exc:
        raise Problem(422, str(exc), issues=[request_issue(["query", "gwp"], str(exc))]) from None
    except ChoiceError as exc:
        raise Problem(
            422, str(exc), issues=[request_issue(["query", "choice"], str(exc))]
        ) from None
