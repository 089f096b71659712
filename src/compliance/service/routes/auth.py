"""``POST /auth/token`` (OAuth2 client credentials, RFC 6749 section 4.4), login/logout, ``/me``.

The token endpoint takes the client's credentials by HTTP Basic authentication and the form body
``grant_type=client_credentials``, as PACT's Technical Specifications require. Its errors are
problem documents that also carry the RFC 6749 ``error`` member (``invalid_client``,
``invalid_request``, ``unsupported_grant_type``).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from compliance.service.audit import Chain
from compliance.service.auth import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentPrincipal,
    Principal,
    authenticated,
    issue_token,
    login,
    logout,
    parse_basic,
)
from compliance.service.problems import Problem, request_issue
from compliance.service.state import Service, get_service
from compliance.service.writes import commit

__all__ = ["router"]

router = APIRouter(tags=["auth"])
Svc = Annotated[Service, Depends(get_service)]
_FORM = "application/x-www-form-urlencoded"


def _oauth_error(status: int, error: str, detail: str, **headers: str) -> Problem:
    return Problem(
        status,
        detail,
        slug=f"oauth-{error.replace('_', '-')}",
        headers=headers,
        extra={"error": error},
    )


async def _form(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != _FORM:
        raise _oauth_error(400, "invalid_request", f"send the body as {_FORM}")
    try:
        text = (await request.body()).decode("utf-8")
        parsed = parse_qs(text, keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise _oauth_error(400, "invalid_request", "the form body is not UTF-8 form data") from None
    return {k: v[0] for k, v in parsed.items() if len(v) == 1}


_TOKEN_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            _FORM: {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "scope": {"type": "string"},
                    },
                }
            }
        },
    },
    "security": [{"clientBasic": []}],
}


@router.post("/auth/token", summary="OAuth2 client-credentials token", openapi_extra=_TOKEN_DOC)
async def token(request: Request, service: Svc) -> Response:
    """Exchange client credentials (HTTP Basic) for a bearer token."""
    credentials = parse_basic(request.headers.get("authorization"))
    if credentials is None:
        raise _oauth_error(
            401,
            "invalid_client",
            "send the client credentials by HTTP Basic authentication",
            **{"WWW-Authenticate": 'Basic realm="compliance"'},
        )
    form = await _form(request)
    grant = form.get("grant_type")
    if grant is None:
        raise _oauth_error(400, "invalid_request", "grant_type is required")
    if grant != "client_credentials":
        raise _oauth_error(
            400, "unsupported_grant_type", "only grant_type=client_credentials is supported"
        )
    ttl = service.settings.token_ttl_seconds

    def build(session: Session, chain: Chain) -> Response:
        issued = issue_token(session, credentials[0], credentials[1], service.now(), ttl)
        if issued is None:
            raise _oauth_error(
                401,
                "invalid_client",
                "unknown client or wrong secret",
                **{"WWW-Authenticate": 'Basic realm="compliance"'},
            )
        client, value = issued
        chain.append(
            actor=f"client:{client.client_id}",
            org_id=client.org_id,
            action="auth.token",
            resource=f"clients/{client.client_id}",
            at=service.now(),
        )
        return JSONResponse(
            {"access_token": value, "token_type": "Bearer", "expires_in": ttl},
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    return await run_in_threadpool(commit, service, None, build)


_LOGIN_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            _FORM: {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
                }
            }
        },
    }
}


def set_session_cookies(response: Response, service: Service, session_id: str, csrf: str) -> None:
    """The session cookie (HttpOnly) and the CSRF cookie (readable by our pages' scripts)."""
    ttl = service.settings.session_ttl_seconds
    secure = service.settings.secure_cookies
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=ttl,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=ttl, httponly=False, samesite="strict", secure=secure, path="/"
    )


def start_session(
    service: Service, username: str, password: str
) -> tuple[str, str, dict[str, Any]] | None:
    """Log a person in: ``(session id, CSRF token, principal JSON)``, or ``None`` (blocking)."""
    out: list[tuple[str, str, dict[str, Any]]] = []

    def build(session: Session, chain: Chain) -> Response:
        now = service.now()
        found = login(session, username, password, now, service.settings.session_ttl_seconds)
        if found is None:
            return Response(status_code=401)
        user, session_id, csrf = found
        chain.append(
            actor=f"user:{user.username}",
            org_id=user.org_id,
            action="auth.login",
            resource=f"users/{user.id}",
            at=now,
        )
        out.append(
            (
                session_id,
                csrf,
                {"username": user.username, "organisation": user.org_id, "role": user.role},
            )
        )
        return Response(status_code=200)

    commit(service, None, build)
    return out[0] if out else None


@router.post("/auth/login", summary="Log a person in (session cookie)", openapi_extra=_LOGIN_DOC)
async def login_route(request: Request, service: Svc) -> Response:
    """Check a username and password; set the session and CSRF cookies."""
    form = await _form(request)
    username, password = form.get("username"), form.get("password")
    if not username or password is None:
        raise Problem(
            422,
            "username and password are required",
            issues=[
                request_issue(["body", "username" if not username else "password"], "required")
            ],
        )
    started = await run_in_threadpool(start_session, service, username, password)
    if started is None:
        raise Problem(
            401,
            "wrong username or password",
            headers={"WWW-Authenticate": 'Cookie realm="compliance"'},
        )
    session_id, csrf, who = started
    response = JSONResponse({**who, "csrfToken": csrf})
    set_session_cookies(response, service, session_id, csrf)
    return response


@router.post("/auth/logout", status_code=204, summary="End the browser session")
def logout_route(request: Request, service: Svc, principal: CurrentPrincipal) -> Response:
    """End the session of the cookie (CSRF-checked like every unsafe session request)."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        with service.db.write() as session:
            logout(session, session_id)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/api/v1/me", summary="The caller: organisation, role, access level, scope")
def me(principal: Annotated[Principal, Depends(authenticated)]) -> dict[str, Any]:
    """Who the credentials of this request belong to."""
    return {
        "kind": principal.kind,
        "subject": principal.subject,
        "organisation": principal.org_id,
        "role": principal.role.value if principal.role else None,
        "accessLevel": principal.access_level.value,
        "organisations": None if principal.scope is None else sorted(principal.scope),
    }
