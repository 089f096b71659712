"""The PACT v3 routes (``/3/...``, PACT error bodies) and the PACT routes of the service API.

* ``GET /3/footprints`` with the v3 filters, ``limit`` and ``Link: <...>; rel="next"``;
  ``GET /3/footprints/{id}``; ``POST /3/events`` (PACT v3 section 5; interop.md section 1.5).
  They serve the **published** footprints of the organisations the caller may read.
* ``POST /api/v1/pact/footprints``: upload a supplier's PACT footprint(s), checked like
  ``compliance pcf import``, kept as received footprints of the caller's organisation.
* ``GET /api/v1/submissions/{id}/pact``: a stored submission's cradle-to-gate PCF in PACT form;
  ``POST`` the same publishes it on ``/3/footprints`` (a changed one deprecates its predecessor
  and names it in ``precedingPfIds``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from compliance.errors import Issue, Severity, split_pointer
from compliance.exchange.pact.query import FootprintQuery, QueryError
from compliance.exchange.pact.reader import read_pact, read_pact_data
from compliance.exchange.registry import EXPORT_FORMATS, ExportRequest
from compliance.service.audit import Chain
from compliance.service.auth import Principal, Role, authenticated
from compliance.service.pact import store
from compliance.service.pact.access import PactPrincipal
from compliance.service.pact.errors import PactCode, PactError
from compliance.service.pact.events import (
    FULFILLED,
    REJECTED,
    REQUEST,
    DeliveryError,
    EventSender,
    check_event,
    events_url,
    new_event,
)
from compliance.service.problems import Problem
from compliance.service.routes.common import not_found, visible
from compliance.service.state import DEFAULT_RULESET, Service, get_service, load_setup
from compliance.service.tables import Document, DocumentVersion, PactFootprint, PactOutbox
from compliance.service.writes import commit

__all__ = ["api_router", "pact_router"]

pact_router = APIRouter(prefix="/3", tags=["pact"])
api_router = APIRouter(prefix="/api/v1", tags=["pact"])
Svc = Annotated[Service, Depends(get_service)]
_FILTERS = frozenset(
    {
        "productId",
        "companyId",
        "geography",
        "classification",
        "validOn",
        "validAfter",
        "validBefore",
        "status",
        "limit",
        "offset",
    }
)
_WRITERS = (Role.SUPPLIER, Role.OPERATOR, Role.ADMIN)


def _query(request: Request) -> FootprintQuery:
    names = set(request.query_params.keys())
    if "$filter" in names:
        raise PactError(PactCode.NOT_IMPLEMENTED, "$filter is deprecated in PACT v3; use filters")
    unknown = sorted(names - _FILTERS)
    if unknown:
        code = (
            PactCode.NOT_IMPLEMENTED
            if all(n.startswith("x-") for n in unknown)
            else (PactCode.BAD_REQUEST)
        )
        raise PactError(code, f"unknown query parameter(s): {', '.join(unknown)}")
    try:
        return FootprintQuery.parse(
            {name: request.query_params.getlist(name) for name in names & _FILTERS}
        )
    except QueryError as exc:
        raise PactError(PactCode.BAD_REQUEST, str(exc)) from None


@pact_router.get("/footprints", summary="PACT v3 ListFootprints")
def list_footprints(
    request: Request,
    service: Svc,
    principal: PactPrincipal,
    limit: Annotated[int | None, Query(ge=0, description="Page size (at most 1000 served).")] = (
        None
    ),
    offset: Annotated[int, Query(ge=0, le=10**9, description="Set by the next link.")] = 0,
    product_id: Annotated[list[str] | None, Query(alias="productId")] = None,
    company_id: Annotated[list[str] | None, Query(alias="companyId")] = None,
    geography: Annotated[list[str] | None, Query()] = None,
    classification: Annotated[list[str] | None, Query()] = None,
    valid_on: Annotated[str | None, Query(alias="validOn")] = None,
    valid_after: Annotated[str | None, Query(alias="validAfter")] = None,
    valid_before: Annotated[str | None, Query(alias="validBefore")] = None,
    status: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The published footprints the caller may read, filtered, one page at a time."""
    query = _query(request)
    size = service.settings.page_size if limit is None else min(limit, 1000)
    with service.db.read() as session:
        matching = [
            doc
            for row in store.visible_published(session, principal)
            if query.matches(doc := store.document_of(row))
        ]
    page = matching[offset : offset + size]
    headers = {}
    if size > 0 and offset + size < len(matching):
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
        params.append(("offset", str(offset + size)))
        if limit is None:
            params.append(("limit", str(size)))
        headers["Link"] = f'<{request.url.replace(query=urlencode(params))}>; rel="next"'
    return Response(
        json.dumps({"data": page}, ensure_ascii=False).encode("utf-8"),
        200,
        headers=headers,
        media_type="application/json",
    )


@pact_router.get("/footprints/{footprint_id}", summary="PACT v3 GetFootprint")
def get_footprint(service: Svc, principal: PactPrincipal, footprint_id: str) -> Response:
    """One published footprint (404 ``NotFound`` for unknown ids and other tenants' ids)."""
    with service.db.read() as session:
        row = store.find_published(session, principal, footprint_id[:100])
        document = store.document_of(row) if row is not None else None
    if document is None:
        raise PactError(PactCode.NOT_FOUND, f"no footprint {footprint_id!r}")
    return Response(
        json.dumps({"data": document}, ensure_ascii=False).encode("utf-8"),
        200,
        media_type="application/json",
    )


def _deliver(service: Service, outbox_id: str, sender: EventSender) -> None:
    """Send one outbox event and record the outcome (runs after the 200 answer)."""
    with service.db.read() as session:
        row = session.get(PactOutbox, outbox_id)
        if row is None:
            return
        target, event = row.target, json.loads(row.event)
    error: str | None = None
    try:
        sender.send(target, event)
    except DeliveryError as exc:
        error = str(exc)
    except Exception as exc:  # a broken sender must not lose the record
        error = f"{type(exc).__name__}: {exc}"
    with service.db.write() as session:
        row = session.get(PactOutbox, outbox_id)
        if row is not None:
            row.attempts += 1
            row.status = "delivered" if error is None else "failed"
            row.last_error = error


@pact_router.post("/events", summary="PACT v3 Events (CloudEvents, structured mode)")
async def post_event(
    request: Request, service: Svc, principal: PactPrincipal, tasks: BackgroundTasks
) -> Response:
    """Accept an event: 200 with an empty body, or a PACT error; requests are answered later."""
    event = check_event(await request.body(), request.headers.get("content-type"))
    kind = event["type"]
    if kind == REQUEST:
        try:
            query = FootprintQuery.from_event(event["data"])
        except QueryError as exc:
            raise PactError(PactCode.BAD_REQUEST, str(exc)) from None
        target = events_url(event["source"], https_only=service.settings.pact_https_only)
        outbox_id = await run_in_threadpool(
            _answer_request, service, principal, event, query, target, str(request.url)
        )
        tasks.add_task(_deliver, service, outbox_id, request.app.state.pact_sender)
    elif kind == FULFILLED:
        await run_in_threadpool(_keep_fulfilled, service, principal, event)
    # PublishedEvent.3 and RequestRejectedEvent.3 are acknowledged; nothing is fetched for them.
    return Response(status_code=200)


def _answer_request(
    service: Service,
    principal: Principal,
    event: dict[str, Any],
    query: FootprintQuery,
    target: str,
    own_events_url: str,
) -> str:
    """The Fulfilled (or Rejected) answer, stored in the outbox in this request's transaction."""
    now = service.now()
    with service.db.read() as session:
        found = [
            doc
            for row in store.visible_published(session, principal)
            if query.matches(doc := store.document_of(row))
        ]
    if found:
        answer = new_event(
            FULFILLED, own_events_url, {"requestEventId": event["id"], "pfs": found}, now
        )
    else:
        answer = new_event(
            REJECTED,
            own_events_url,
            {
                "requestEventId": event["id"],
                "error": {"code": "NotFound", "message": "no footprint matches the request"},
            },
            now,
        )
    ids: list[str] = []

    def build(session: Any, chain: Chain) -> Response:
        row = store.outbox_add(
            session,
            org_id=principal.org_id,
            request_event_id=event["id"],
            target=target,
            event=answer,
            now=now,
        )
        ids.append(row.id)
        chain.append(
            actor=principal.actor,
            org_id=principal.org_id,
            action="pact.event.request",
            resource=f"pact/outbox/{row.id}",
            at=now,
        )
        return Response(status_code=200)

    commit(service, None, build)
    return ids[0]


def _keep_fulfilled(service: Service, principal: Principal, event: dict[str, Any]) -> None:
    """Keep the footprints of a Fulfilled answer as received ones (checked first).

    Keeping them is a write: like the upload, it needs the role supplier or operator (auditors
    and authorities read; they do not store data).
    """
    if principal.role not in _WRITERS or principal.org_id is None:
        raise PactError(
            PactCode.ACCESS_DENIED, "receiving footprints needs the role supplier or operator"
        )
    pfs = event["data"]["pfs"]
    result = read_pact_data(pfs, as_of=service.today())
    if not result.ok:
        first = next(i for i in result.issues if i.severity is Severity.ERROR)
        raise PactError(PactCode.BAD_REQUEST, f"data.pfs{first.pointer}: {first.message}")
    org_id = principal.org_id
    now = service.now()

    def build(session: Any, chain: Chain) -> Response:
        for pf in pfs:
            _keep(session, chain, principal, org_id, pf, now)
        return Response(status_code=200)

    commit(service, None, build)


def _keep(
    session: Any,
    chain: Chain,
    principal: Principal,
    org_id: str,
    pf: dict[str, Any],
    now: datetime,
) -> bool:
    """Store one received footprint; False if the same one is stored; 409 if it differs."""
    existing = session.execute(
        select(PactFootprint).where(
            PactFootprint.org_id == org_id,
            PactFootprint.origin == store.RECEIVED,
            PactFootprint.pf_id == str(pf["id"]).lower(),
        )
    ).scalar_one_or_none()
    if existing is not None:
        if json.loads(existing.content) != pf:
            raise PactError(
                PactCode.BAD_REQUEST,
                f"footprint {pf['id']} was received before with other content; PACT footprints "
                "are immutable (a change has a new id)",
                status=409,
            )
        return False
    row = store.add_footprint(
        session, org_id=org_id, origin=store.RECEIVED, document=pf, actor=principal.actor, now=now
    )
    chain.append(
        actor=principal.actor,
        org_id=org_id,
        action="pact.footprint.receive",
        resource=f"pact/footprints/{row.pf_id}",
        digest="sha256:" + hashlib.sha256(row.content).hexdigest(),
        at=now,
    )
    return True


# --------------------------------------------------------------------------- service API


def _issues_problem(status: int, detail: str, issues: list[Issue] | tuple[Issue, ...]) -> Problem:
    return Problem(status, detail, issues=issues)


@api_router.post(
    "/pact/footprints",
    status_code=201,
    summary="Upload a supplier's PACT footprint(s) (v2.0-2.3, v3.0)",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": {}}}}
    },
)
async def upload_footprints(
    request: Request,
    service: Svc,
    principal: Annotated[Principal, Depends(authenticated)],
    as_of: date | None = None,
) -> Response:
    """Check a supplier's footprints like ``compliance pcf import``; keep them when valid."""
    if principal.role not in _WRITERS or principal.org_id is None:
        raise Problem(403, "uploading footprints needs the role supplier or operator")
    body = await request.body()
    day = as_of or service.today()
    result = await run_in_threadpool(read_pact, body, name="upload.json", as_of=day)
    if not result.ok:
        raise _issues_problem(
            422, "the footprints have errors; nothing was kept", list(result.issues)
        )
    data = json.loads(body)
    org_id = principal.org_id
    now = service.now()
    added: list[bool] = []

    def build(session: Any, chain: Chain) -> Response:
        for fp in result.footprints:
            raw = _at(data, fp.pointer)
            added.append(_keep(session, chain, principal, org_id, raw, now))
        return Response(status_code=201)

    try:
        await run_in_threadpool(commit, service, None, build)
    except PactError as exc:
        raise Problem(exc.status, exc.message) from None
    listing = [
        {
            "id": fp.reference,
            "name": fp.product_name,
            "supplier": dict(fp.supplier),
            "details": dict(fp.details),
            "footprint": dict(fp.declared),
            "perUnit": {d.canonical_unit: v["value"] for d, v in fp.variants.items()},
            "stored": was_added,
        }
        for fp, was_added in zip(result.footprints, added, strict=True)
    ]
    body_out = {"footprints": listing, "issues": [i.to_dict() for i in result.issues]}
    return Response(json.dumps(body_out).encode(), 201, media_type="application/json")


def _at(data: Any, pointer: str) -> Any:
    node = data
    for token in split_pointer(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


_PACT_FORMATS = ("pact3", "pact2")


@dataclass(frozen=True, slots=True)
class _ChainedExport:
    """A submission's PACT footprint, chained to the footprint it succeeds (if published)."""

    outcome: Any
    doc: Document
    row: DocumentVersion
    previous: dict[str, Any] | None


def _export(
    service: Service,
    principal: Principal,
    document_id: str,
    fmt: str,
    unit: str,
    fossil_carbon_content: str | None,
    no_biogenic: bool,
    as_of: date | None,
) -> _ChainedExport:
    """The latest version's footprint: the engine runs once, the exporter once or twice.

    The first export names the product, which finds the published predecessor; with one, the
    footprint is exported again with it (unchanged content keeps its id, a change gets a new id
    with ``precedingPfIds``).
    """
    from compliance.pipeline import run_submission

    if fmt not in _PACT_FORMATS:  # the registry's other formats are not PACT footprints
        raise Problem(422, f"format must be one of {', '.join(_PACT_FORMATS)}")
    if unit not in EXPORT_FORMATS[fmt].units:
        raise Problem(
            422,
            f"unit must be one of {', '.join(EXPORT_FORMATS[fmt].units)} (never per kWh: PACT's "
            "kWh is a unit of an energy product)",
        )
    carbon = None
    if fossil_carbon_content is not None:
        try:
            carbon = Decimal(fossil_carbon_content)
        except InvalidOperation:
            carbon = None
        if carbon is None or not carbon.is_finite() or carbon < 0:
            raise Problem(422, "fossilCarbonContent must be a number of kg, zero or more")
    with service.db.read() as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.kind != "submission":
            raise not_found("submission", document_id)
        visible(principal, doc.org_id, "submission", document_id)
        row = session.get(DocumentVersion, (doc.id, doc.latest_version))
        assert row is not None
        session.expunge(doc)
        session.expunge(row)
    setup = load_setup(DEFAULT_RULESET, None, ())
    run = run_submission(
        row.content, name=row.filename, setup=setup, as_of=as_of or service.today()
    )
    result = run.cfp.result if run.cfp is not None else None
    submission = run.validation.submission
    if not run.ok or result is None or submission is None:
        errors = [i for i in run.issues if i.severity is Severity.ERROR]
        raise _issues_problem(422, "the submission has errors; no footprint", errors)
    request = ExportRequest(
        submission=submission,
        result=result,
        created=service.now().replace(microsecond=0).astimezone(UTC),
        unit=unit,
        fossil_carbon_content=carbon,
        no_biogenic=no_biogenic,
    )
    outcome = _exported(fmt, request)
    previous = _previous(service, doc.org_id, outcome.document)
    if previous is not None:
        outcome = _exported(fmt, replace(request, previous=previous))
    return _ChainedExport(outcome, doc, row, previous)


def _exported(fmt: str, request: ExportRequest) -> Any:
    outcome = EXPORT_FORMATS[fmt].export(request)
    if outcome.document is None:
        raise _issues_problem(
            422, "PACT needs facts the submission does not give", list(outcome.issues)
        )
    return outcome


def _previous(service: Service, org_id: str, document: dict[str, Any]) -> dict[str, Any] | None:
    with service.db.read() as session:
        row = store.latest_published(
            session, org_id, store.product_key(document), str(document["specVersion"])[0]
        )
        return store.document_of(row) if row is not None else None


ExportFormat = Annotated[str, Query(alias="format", description="pact3 or pact2.")]
Unit = Annotated[str, Query(description="piece (one battery) or kilogram.")]
Carbon = Annotated[
    str | None,
    Query(alias="fossilCarbonContent", max_length=40, description="kg fossil C per battery."),
]
NoBiogenic = Annotated[
    bool, Query(alias="noBiogenic", description="State: no biogenic or land-use flows.")
]


@api_router.get(
    "/submissions/{document_id}/pact",
    summary="A submission's cradle-to-gate PCF as a PACT footprint (not published)",
)
def get_submission_pact(
    service: Svc,
    principal: Annotated[Principal, Depends(authenticated)],
    document_id: str,
    fmt: ExportFormat = "pact3",
    unit: Unit = "piece",
    fossil_carbon_content: Carbon = None,
    no_biogenic: NoBiogenic = False,
    as_of: date | None = None,
) -> Response:
    """The PACT form of the latest version's CFP; chained to the published predecessor."""
    chained = _export(
        service, principal, document_id, fmt, unit, fossil_carbon_content, no_biogenic, as_of
    )
    return Response(
        json.dumps({"data": chained.outcome.document}).encode(), 200, media_type="application/json"
    )


@api_router.post(
    "/submissions/{document_id}/pact",
    summary="Publish a submission's PACT footprint on /3/footprints",
)
def publish_submission_pact(
    service: Svc,
    principal: Annotated[Principal, Depends(authenticated)],
    document_id: str,
    fmt: ExportFormat = "pact3",
    unit: Unit = "piece",
    fossil_carbon_content: Carbon = None,
    no_biogenic: NoBiogenic = False,
    as_of: date | None = None,
) -> Response:
    """Publish (201); unchanged content answers 200 with the footprint already published."""
    if principal.role not in (Role.OPERATOR, Role.SUPPLIER, Role.ADMIN):
        raise Problem(403, "publishing needs the role operator or supplier")
    chained = _export(
        service, principal, document_id, fmt, unit, fossil_carbon_content, no_biogenic, as_of
    )
    outcome, doc, row, previous = chained.outcome, chained.doc, chained.row, chained.previous
    document = outcome.document
    if outcome.unchanged:
        return Response(
            json.dumps({"data": document, "published": False}).encode(),
            200,
            media_type="application/json",
        )
    now = service.now()

    def build(session: Any, chain: Chain) -> Response:
        if previous is not None:
            old = session.execute(
                select(PactFootprint).where(
                    PactFootprint.org_id == doc.org_id,
                    PactFootprint.origin == store.PUBLISHED,
                    PactFootprint.pf_id == str(previous["id"]).lower(),
                )
            ).scalar_one()
            old.status = "Deprecated"
        stored = store.add_footprint(
            session,
            org_id=doc.org_id,
            origin=store.PUBLISHED,
            document=document,
            actor=principal.actor,
            now=now,
            submission=(doc.id, row.version),
        )
        chain.append(
            actor=principal.actor,
            org_id=doc.org_id,
            action="pact.footprint.publish",
            resource=f"pact/footprints/{stored.pf_id}",
            digest="sha256:" + hashlib.sha256(stored.content).hexdigest(),
            at=now,
        )
        return Response(
            json.dumps({"data": document, "published": True}).encode(),
            201,
            media_type="application/json",
        )

    return commit(service, None, build)
