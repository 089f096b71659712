"""Organisations, users, clients, API keys and auditor assignments (admins create; scoped reads)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from compliance.service.audit import Chain
from compliance.service.auth import Principal, Role, authenticated, require_roles
from compliance.service.conditional import Page, json_response, link_header
from compliance.service.idempotency import Idempotency
from compliance.service.routes.common import Limit, Offset, StrictBody, not_found, visible
from compliance.service.state import Service, get_service
from compliance.service.tables import Organisation
from compliance.service.tenants import (
    OrgKind,
    assign,
    create_api_key,
    create_client,
    create_organisation,
    create_user,
)
from compliance.service.writes import commit, iso

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/organisations", tags=["organisations"])
Svc = Annotated[Service, Depends(get_service)]
Admin = Annotated[Principal, require_roles(Role.ADMIN)]
Reader = Annotated[Principal, Depends(authenticated)]


class OrganisationCreate(StrictBody):
    """A new organisation."""

    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind


class UserCreate(StrictBody):
    """A new user (the role follows the organisation's kind)."""

    username: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=8, max_length=200)


class ClientCreate(StrictBody):
    """A new OAuth2 client or API key (the role follows the organisation's kind)."""

    name: str = Field(min_length=1, max_length=200)


class AssignmentCreate(StrictBody):
    """Let this auditor organisation read another organisation's data."""

    organisation: str = Field(min_length=1, max_length=64)


def _org_json(org: Organisation) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "kind": org.kind, "createdAt": iso(org.created_at)}


async def _write(request: Request, service: Service, principal: Principal, build: Any) -> Response:
    idem = Idempotency.of(
        request.headers.get("idempotency-key"),
        principal.actor,
        request.method,
        request.url.path,
        request.headers.get("content-type", ""),
        await request.body(),
    )
    return await run_in_threadpool(commit, service, idem, build)


@router.post("", status_code=201, summary="Create an organisation (admin)")
async def create_org(
    request: Request, service: Svc, principal: Admin, body: OrganisationCreate
) -> Response:
    """A new tenant."""

    def build(session: Session, chain: Chain) -> Response:
        org = create_organisation(
            session, chain, principal.actor, body.name, body.kind, service.now()
        )
        return json_response(
            request,
            _org_json(org),
            status=201,
            headers={"Location": f"/api/v1/organisations/{org.id}"},
        )

    return await _write(request, service, principal, build)


@router.get("", summary="Organisations the caller may read")
def list_orgs(
    request: Request, service: Svc, principal: Reader, offset: Offset = 0, limit: Limit = None
) -> Response:
    """Every organisation (admins, authorities) or those in the caller's scope."""
    size = limit or service.settings.page_size
    query = select(Organisation)
    if principal.scope is not None:
        query = query.where(Organisation.id.in_(principal.scope | {principal.org_id or ""}))
    with service.db.read() as session:
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        orgs = session.execute(
            query.order_by(Organisation.name).offset(offset).limit(size)
        ).scalars()
        items = [_org_json(o) for o in orgs]
    return json_response(
        request,
        {"items": items, "total": total, "offset": offset, "limit": size},
        headers={"Link": link_header(request, Page(offset, size, total))},
    )


@router.get("/{org_id}", summary="One organisation")
def get_org(request: Request, service: Svc, principal: Reader, org_id: str) -> Response:
    """An organisation the caller may read (its own, or in its scope)."""
    if org_id != principal.org_id:
        visible(principal, org_id, "organisation", org_id)
    with service.db.read() as session:
        org = session.get(Organisation, org_id)
        if org is None:
            raise not_found("organisation", org_id)
        return json_response(request, _org_json(org))


@router.post("/{org_id}/users", status_code=201, summary="Create a user (admin)")
async def create_user_route(
    request: Request, service: Svc, principal: Admin, org_id: str, body: UserCreate
) -> Response:
    """A person who logs in to the web pages."""

    def build(session: Session, chain: Chain) -> Response:
        made = create_user(
            session, chain, principal.actor, org_id, body.username, body.password, service.now()
        )
        return json_response(
            request,
            {
                "id": made.id,
                "username": made.name,
                "organisation": made.org_id,
                "role": made.role.value,
            },
            status=201,
        )

    return await _write(request, service, principal, build)


@router.post(
    "/{org_id}/clients",
    status_code=201,
    summary="Create an OAuth2 client (admin); the secret is shown once",
)
async def create_client_route(
    request: Request, service: Svc, principal: Admin, org_id: str, body: ClientCreate
) -> Response:
    """Client credentials for ``POST /auth/token``."""

    def build(session: Session, chain: Chain) -> Response:
        made = create_client(session, chain, principal.actor, org_id, body.name, service.now())
        return json_response(
            request,
            {
                "clientId": made.id,
                "clientSecret": made.secret,
                "organisation": made.org_id,
                "role": made.role.value,
                "name": made.name,
            },
            status=201,
            headers={"Cache-Control": "no-store"},
        )

    return await _write(request, service, principal, build)


@router.post("/{org_id}/api-keys", status_code=201, summary="Create an API key (admin); shown once")
async def create_key_route(
    request: Request, service: Svc, principal: Admin, org_id: str, body: ClientCreate
) -> Response:
    """A key for the ``X-API-Key`` header (or ``Authorization: Bearer``)."""

    def build(session: Session, chain: Chain) -> Response:
        made = create_api_key(session, chain, principal.actor, org_id, body.name, service.now())
        return json_response(
            request,
            {
                "keyId": made.id,
                "apiKey": made.secret,
                "organisation": made.org_id,
                "role": made.role.value,
                "name": made.name,
            },
            status=201,
            headers={"Cache-Control": "no-store"},
        )

    return await _write(request, service, principal, build)


@router.post(
    "/{org_id}/assignments", status_code=201, summary="Assign an organisation to an auditor (admin)"
)
async def assign_route(
    request: Request, service: Svc, principal: Admin, org_id: str, body: AssignmentCreate
) -> Response:
    """The auditor organisation ``org_id`` may then read ``organisation``'s data."""

    def build(session: Session, chain: Chain) -> Response:
        assign(session, chain, principal.actor, org_id, body.organisation, service.now())
        return json_response(
            request, {"auditor": org_id, "organisation": body.organisation}, status=201
        )

    return await _write(request, service, principal, build)
