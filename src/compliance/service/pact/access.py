"""Who calls the PACT API: a bearer token of an OAuth2 client (``POST /auth/token``).

PACT v3: an invalid or expired token MUST give 401; the conformance suite expects the error code
``BadRequest`` for an invalid token (test cases 6, 7, 16), and ``TokenExpired`` is the code of an
expired one. Bearer API keys of the service are accepted too (same organisation scoping).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from compliance.service.auth import API_KEY_PREFIX, Principal, resolve
from compliance.service.pact.errors import PactCode, PactError
from compliance.service.problems import Problem
from compliance.service.security import sha256_hex
from compliance.service.state import Service, get_service
from compliance.service.tables import AccessToken

__all__ = ["PactPrincipal", "pact_principal"]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _principal(service: Service, authorization: str | None) -> Principal:
    if authorization is None:
        raise PactError(
            PactCode.BAD_REQUEST,
            "no access token: send 'Authorization: Bearer <token>'",
            status=401,
        )
    scheme, _, value = authorization.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value:
        raise PactError(PactCode.BAD_REQUEST, "send 'Authorization: Bearer <token>'", status=401)
    if not value.startswith(API_KEY_PREFIX):
        with service.db.read() as session:
            row = session.execute(
                select(AccessToken.expires_at).where(AccessToken.token_hash == sha256_hex(value))
            ).first()
        if row is not None and _aware(row.expires_at) <= service.now():
            raise PactError(PactCode.TOKEN_EXPIRED, "the access token has expired")
    try:
        principal = resolve(service, f"Bearer {value}", None, None)
    except Problem:
        raise PactError(PactCode.BAD_REQUEST, "Invalid token provided", status=401) from None
    if principal.role is None:
        raise PactError(PactCode.BAD_REQUEST, "Invalid token provided", status=401)
    return principal


async def pact_principal(
    request: Request, service: Annotated[Service, Depends(get_service)]
) -> Principal:
    """Dependency: the PACT caller (401 with a PACT error body otherwise)."""
    principal: Principal = await run_in_threadpool(
        _principal, service, request.headers.get("authorization")
    )
    return principal


PactPrincipal = Annotated[Principal, Depends(pact_principal)]
