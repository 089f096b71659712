"""Who is calling: bearer tokens (OAuth2 client credentials), API keys, browser sessions.

:func:`current_principal` is the one dependency API routes and page routes use: it gives a
:class:`Principal` (anonymous when no credentials were sent) with its organisation, role,
Annex XIII access level and the organisations it may read. Credentials that were sent but are
wrong are a 401 problem, never an anonymous fallback.

Tenancy (docs/service.md): suppliers and operators read their own organisation; an auditor the
organisations assigned to it; authorities and admins every organisation. Another tenant's ids
answer 404, exactly as ids that do not exist.

Browser sessions carry a CSRF token: an unsafe request authenticated by the session cookie must
echo it in the ``X-CSRF-Token`` header or a ``csrf_token`` form field (the ``compliance_csrf``
cookie holds it for forms and scripts of our own pages).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from compliance.passport.model import AccessLevel
from compliance.service.problems import Problem
from compliance.service.security import matches, new_secret, sha256_hex, verify_password
from compliance.service.state import Service, get_service
from compliance.service.tables import (
    AccessToken,
    ApiClient,
    ApiKey,
    Assignment,
    SessionRecord,
    User,
)

__all__ = [
    "ACCESS_LEVELS",
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "CurrentPrincipal",
    "Principal",
    "Role",
    "authenticated",
    "current_principal",
    "issue_token",
    "login",
    "logout",
    "require_roles",
]

SESSION_COOKIE = "compliance_session"
CSRF_COOKIE = "compliance_csrf"
API_KEY_PREFIX = "cpk_"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class Role(StrEnum):
    """The roles of users and clients."""

    SUPPLIER = "supplier"
    OPERATOR = "operator"
    AUDITOR = "auditor"
    AUTHORITY = "authority"
    ADMIN = "admin"


ACCESS_LEVELS: dict[Role | None, AccessLevel] = {
    None: AccessLevel.PUBLIC,
    Role.SUPPLIER: AccessLevel.LEGITIMATE_INTEREST,
    Role.OPERATOR: AccessLevel.FULL,
    Role.AUDITOR: AccessLevel.AUTHORITY,
    Role.AUTHORITY: AccessLevel.AUTHORITY,
    Role.ADMIN: AccessLevel.FULL,
}
"""The Annex XIII level each role reads passports at (Art. 77(2); docs/service.md says why)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a user (session), a client (bearer token), an API key, or anonymous."""

    kind: str
    """``anonymous``, ``user``, ``client`` or ``api-key``."""
    subject: str
    """Username, OAuth2 client id or API key id."""
    org_id: str | None = None
    role: Role | None = None
    scope: frozenset[str] | None = frozenset()
    """Organisations it may read; ``None``: all of them."""
    csrf_token: str | None = None
    """The session's CSRF token (session principals only)."""

    @property
    def authenticated(self) -> bool:
        """False for the anonymous caller."""
        return self.role is not None

    @property
    def access_level(self) -> AccessLevel:
        """The Annex XIII access level of its passport reads."""
        return ACCESS_LEVELS[self.role]

    @property
    def actor(self) -> str:
        """How the audit trail names it, e.g. ``user:alice``."""
        return f"{self.kind}:{self.subject}"

    def can_read(self, org_id: str) -> bool:
        """Whether it may read the data of organisation ``org_id``."""
        return self.scope is None or org_id in self.scope


ANONYMOUS = Principal("anonymous", "-")


def _scope(session: Session, role: Role, org_id: str) -> frozenset[str] | None:
    if role in (Role.ADMIN, Role.AUTHORITY):
        return None
    if role is Role.AUDITOR:
        rows = session.execute(
            select(Assignment.org_id).where(Assignment.auditor_org_id == org_id)
        ).scalars()
        return frozenset(rows)
    return frozenset({org_id})


def _unauthenticated(detail: str, scheme: str = "Bearer") -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": scheme})


def _from_token(session: Session, token: str, now: datetime) -> Principal:
    row = session.execute(
        select(AccessToken, ApiClient)
        .join(ApiClient, ApiClient.id == AccessToken.client_pk)
        .where(AccessToken.token_hash == sha256_hex(token))
    ).first()
    if row is None or _aware(row.AccessToken.expires_at) <= now:
        raise _unauthenticated(
            "the bearer token is invalid or expired", 'Bearer error="invalid_token"'
        )
    client = row.ApiClient
    role = Role(client.role)
    return Principal(
        "client", client.client_id, client.org_id, role, _scope(session, role, client.org_id)
    )


def _from_api_key(session: Session, key: str) -> Principal:
    parts = key.split("_")
    record = None
    if len(parts) == 3 and key.startswith(API_KEY_PREFIX):
        record = session.execute(
            select(ApiKey).where(ApiKey.key_id == parts[1])
        ).scalar_one_or_none()
    if record is None or not matches(key, record.key_hash):
        raise _unauthenticated("the API key is invalid", "ApiKey")
    role = Role(record.role)
    return Principal(
        "api-key", record.key_id, record.org_id, role, _scope(session, role, record.org_id)
    )


def _from_session(session: Session, session_id: str, now: datetime) -> Principal | None:
    row = session.execute(
        select(SessionRecord, User)
        .join(User, User.id == SessionRecord.user_id)
        .where(SessionRecord.id_hash == sha256_hex(session_id))
    ).first()
    if row is None or _aware(row.SessionRecord.expires_at) <= now:
        return None  # an expired cookie is simply no login (pages then ask to log in)
    user = row.User
    role = Role(user.role)
    return Principal(
        "user",
        user.username,
        user.org_id,
        role,
        _scope(session, role, user.org_id),
        row.SessionRecord.csrf_token,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes: they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def resolve(
    service: Service, authorization: str | None, api_key: str | None, session_id: str | None
) -> Principal:
    """The principal of a request's credentials (blocking: runs in the thread pool)."""
    now = service.now()
    with service.db.read() as session:
        if authorization is not None:
            scheme, _, value = authorization.partition(" ")
            value = value.strip()
            if scheme.lower() != "bearer" or not value:
                raise _unauthenticated("use 'Authorization: Bearer <token>'")
            if value.startswith(API_KEY_PREFIX):
                return _from_api_key(session, value)
            return _from_token(session, value, now)
        if api_key is not None:
            return _from_api_key(session, api_key)
        if session_id:
            principal = _from_session(session, session_id, now)
            if principal is not None:
                return principal
    return ANONYMOUS


async def current_principal(
    request: Request, service: Annotated[Service, Depends(get_service)]
) -> Principal:
    """Dependency: the caller (anonymous without credentials); checks CSRF for sessions."""
    principal: Principal = await run_in_threadpool(
        resolve,
        service,
        request.headers.get("authorization"),
        request.headers.get("x-api-key"),
        request.cookies.get(SESSION_COOKIE),
    )
    if principal.csrf_token is not None and request.method not in _SAFE:
        sent = request.headers.get("x-csrf-token")
        content_type = request.headers.get("content-type", "")
        if sent is None and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            await request.body()  # cached first, so the route can still read the body
            form = await request.form()
            field = form.get("csrf_token")
            sent = field if isinstance(field, str) else None
        if sent is None or not hmac.compare_digest(sent, principal.csrf_token):
            raise Problem(403, "a form or request from a session needs its CSRF token", slug="csrf")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def authenticated(principal: CurrentPrincipal) -> Principal:
    """Dependency: an authenticated caller (401 problem otherwise)."""
    if not principal.authenticated:
        raise _unauthenticated("authentication required (bearer token, API key or session)")
    return principal


def require_roles(*roles: Role) -> object:
    """Dependency factory: an authenticated caller with one of ``roles`` (403 otherwise)."""

    async def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if principal.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise Problem(403, f"this needs the role {allowed}; you are {principal.role}")
        return principal

    return Depends(dependency)


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """``(client_id, secret)`` of an HTTP Basic ``Authorization`` header (RFC 7617)."""
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def issue_token(
    session: Session, client_id: str, secret: str, now: datetime, ttl: int
) -> tuple[ApiClient, str] | None:
    """A new bearer token for valid client credentials (``None`` for invalid ones)."""
    client = session.execute(
        select(ApiClient).where(ApiClient.client_id == client_id)
    ).scalar_one_or_none()
    if client is None:
        matches(secret, "0" * 64)  # same work whether or not the client exists
        return None
    if not matches(secret, client.secret_hash):
        return None
    token = new_secret()
    session.execute(delete(AccessToken).where(AccessToken.expires_at <= now))
    session.add(
        AccessToken(
            token_hash=sha256_hex(token),
            client_pk=client.id,
            expires_at=now + timedelta(seconds=ttl),
        )
    )
    return client, token


def login(
    session: Session, username: str, password: str, now: datetime, ttl: int
) -> tuple[User, str, str] | None:
    """``(user, session id, CSRF token)`` for valid credentials, else ``None``."""
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not verify_password(password, user.password_hash):
        return None
    session_id, csrf = new_secret(), new_secret()
    session.execute(delete(SessionRecord).where(SessionRecord.expires_at <= now))
    session.add(
        SessionRecord(
            id_hash=sha256_hex(session_id),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=now + timedelta(seconds=ttl),
        )
    )
    return user, session_id, csrf


def logout(session: Session, session_id: str) -> bool:
    """End a session; True when there was one."""
    result = session.execute(
        delete(SessionRecord).where(SessionRecord.id_hash == sha256_hex(session_id))
    )
    return bool(getattr(result, "rowcount", 0))
