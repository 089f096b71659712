"""Wire the PACT API into the app: routes, PACT error bodies on ``/3``, HTTPS-only guard."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from compliance.service.pact.errors import PactCode, PactError, pact_response
from compliance.service.pact.events import HttpEventSender
from compliance.service.pact.routes import api_router, pact_router
from compliance.service.state import Service

__all__ = ["install"]

_log = logging.getLogger("compliance.service.pact")
_PACT_PATHS = ("/3/", "/auth/token", "/.well-known/openid-configuration")

Handler = Callable[[Request, Exception], Awaitable[Response]]


def _is_pact(request: Request) -> bool:
    return request.url.path.startswith("/3/") or request.url.path == "/3"


def install(app: FastAPI, problems: dict[int | str, dict[str, object]] | None = None) -> None:
    """Add the PACT routes and handlers; the event sender is ``app.state.pact_sender``."""
    service: Service = app.state.service
    settings = service.settings
    secret = settings.pact_callback_client_secret
    app.state.pact_sender = HttpEventSender(
        settings.pact_callback_client_id, secret.get_secret_value() if secret else None
    )
    app.include_router(pact_router)
    app.include_router(api_router, responses=problems or {})

    async def on_pact(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PactError)
        return pact_response(exc.code, exc.message, exc.status)

    app.add_exception_handler(PactError, on_pact)

    def wrap(kind: type[Exception], convert: Callable[[Exception], Response]) -> None:
        previous: Handler | None = app.exception_handlers.get(kind)  # type: ignore[assignment]

        async def handler(request: Request, exc: Exception) -> Response:
            if _is_pact(request) or previous is None:
                return convert(exc)
            return await previous(request, exc)

        app.add_exception_handler(kind, handler)

    def validation(exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        parts = [
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}"
            for e in exc.errors()[:5]
        ]
        return pact_response(PactCode.BAD_REQUEST, "; ".join(parts) or "invalid request")

    def http(exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return pact_response(PactCode.NOT_FOUND, "no such resource")
        if exc.status_code == 405:
            return pact_response(PactCode.BAD_REQUEST, "method not allowed", 405)
        return pact_response(PactCode.BAD_REQUEST, str(exc.detail), exc.status_code)

    def internal(exc: Exception) -> Response:
        _log.exception("unexpected error in the PACT API", exc_info=exc)
        return pact_response(PactCode.INTERNAL_ERROR, "an unexpected error occurred; it is logged")

    wrap(RequestValidationError, validation)
    wrap(StarletteHTTPException, http)
    wrap(Exception, internal)

    app.add_middleware(HttpsOnly, enabled=settings.pact_https_only)


class HttpsOnly:
    """Refuse the PACT API over plain HTTP when configured.

    A pure ASGI middleware, so that streamed bodies and their errors pass through untouched.
    """

    def __init__(self, app: ASGIApp, *, enabled: bool) -> None:
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.enabled
            and scope["type"] == "http"
            and scope.get("scheme") != "https"
            and str(scope.get("path", "")).startswith(_PACT_PATHS)
        ):
            response = pact_response(
                PactCode.ACCESS_DENIED, "the PACT API is served over HTTPS only"
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
