"""The app factory: ``create_app(settings)`` builds the FastAPI app of the service.

Migrations run when the app is created (``settings.migrate_on_start``); the passport signing key
is read from (or created in) the data directory. OpenAPI 3.1 is served at ``/openapi.json``,
browsable at ``/docs`` (Swagger UI) and ``/redoc``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.responses import Response

from compliance._version import __version__
from compliance.service import pact
from compliance.service.database import Database, upgrade
from compliance.service.keys import load_or_create_key
from compliance.service.limits import BodyLimit
from compliance.service.problems import PROBLEM_JSON, install_handlers
from compliance.service.routes import admin, auth, passports
from compliance.service.routes.documents import document_router
from compliance.service.settings import ServiceSettings
from compliance.service.state import Service

__all__ = ["create_app"]

_PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "issues": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "pointer", "message", "severity", "layer"],
                "properties": {
                    "code": {"type": "string"},
                    "pointer": {"type": "string"},
                    "message": {"type": "string"},
                    "severity": {"type": "string"},
                    "layer": {"type": "string"},
                    "line": {"type": "integer"},
                    "column": {"type": "integer"},
                },
            },
        },
    },
}
_PROBLEM = {"content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
PROBLEMS: dict[int | str, dict[str, Any]] = {
    "4XX": {"description": "A problem (RFC 9457) with located issues", **_PROBLEM},
}


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = _PROBLEM_SCHEMA
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "session": {"type": "apiKey", "in": "cookie", "name": "compliance_session"},
            "clientBasic": {"type": "http", "scheme": "basic"},
        }
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith("/api/"):
                continue
            for operation in operations.values():
                operation.setdefault("security", [{"bearer": []}, {"apiKey": []}, {"session": []}])
        app.openapi_schema = schema
        return schema

    return build


def create_app(
    settings: ServiceSettings | None = None, *, clock: Callable[[], datetime] | None = None
) -> FastAPI:
    """The ASGI app of the service (settings default to the ``COMPLIANCE_*`` environment)."""
    settings = settings or ServiceSettings()
    database = Database.connect(settings)
    if settings.migrate_on_start:
        upgrade(database)
    key = load_or_create_key(settings.data_dir)
    service = (
        Service(settings, database, key)
        if clock is None
        else Service(settings, database, key, clock)
    )
    app = FastAPI(
        title="compliance",
        version=__version__,
        description="Battery sustainability compliance service (EU 2023/1542): supplier "
        "submissions, DD questionnaires, carbon footprint, battery passports. Errors are RFC 9457 "
        "problem documents carrying located issues.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url="/redoc",
    )
    app.state.service = service
    install_handlers(app)
    app.include_router(auth.router, responses=PROBLEMS)
    app.include_router(admin.router, responses=PROBLEMS)
    app.include_router(document_router("submission"), responses=PROBLEMS)
    app.include_router(document_router("questionnaire"), responses=PROBLEMS)
    app.include_router(passports.router, responses=PROBLEMS)
    app.include_router(passports.public_router, responses=PROBLEMS)
    pact.install(app, PROBLEMS)

    @app.get("/healthz", tags=["service"], summary="Liveness (no database access)")
    def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    app.openapi = _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(BodyLimit, limit=settings.max_request_size)
    return app
