"""Service test fixtures: the app on SQLite and on PostgreSQL, seeded tenants, credentials.

Every service test that takes ``backend`` runs twice: on SQLite (WAL, in a temporary data
directory) and on PostgreSQL (localhost:5432, user postgres, trust auth; a fresh database per
test session and a fresh schema per test). Without a reachable PostgreSQL the PostgreSQL runs
are skipped with the reason shown, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from compliance.service.app import create_app
from compliance.service.audit import Chain
from compliance.service.settings import ServiceSettings
from compliance.service.state import Service
from compliance.service.tenants import (
    OrgKind,
    assign,
    create_api_key,
    create_client,
    create_organisation,
    create_user,
)

PG_DSN = os.environ.get("COMPLIANCE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EV = EXAMPLES / "submissions" / "valid" / "nmc811-m1-ev.json"
BUS = EXAMPLES / "submissions" / "valid" / "lfp-m3-bus.yaml"
EBIKE = EXAMPLES / "submissions" / "valid" / "lmt-ebike.json"
SEMANTIC = EXAMPLES / "submissions" / "invalid" / "semantic-errors.json"
QUESTIONNAIRE = EXAMPLES / "questionnaires" / "valid" / "strong-supplier.json"
FIXED_NOW = datetime(2027, 9, 1, 12, 0, tzinfo=UTC)
"""The service clock in tests (the examples' passport date in .ci/run)."""


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (its SQLAlchemy URL base)."""
    try:
        import psycopg

        admin = psycopg.connect(PG_DSN, autocommit=True, connect_timeout=3)
    except Exception as exc:
        message = f"PostgreSQL unreachable at {PG_DSN!r}: {exc}"
        if _in_ci():
            pytest.fail(message + " (CI=true: PostgreSQL is required)")
        pytest.skip(message)
    name = f"compliance_svc_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    params = dict(p.split("=", 1) for p in PG_DSN.split())
    host, port, user = params.get("host", "127.0.0.1"), params.get("port", "5432"), params["user"]
    try:
        yield f"postgresql+psycopg://{user}@{host}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this run of the test."""
    return str(request.param)


def _pg_schema_url(base: str) -> str:
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    url = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{base}?options=-csearch_path%3D{schema}"


def make_settings(
    request: pytest.FixtureRequest, backend: str, data_dir: Path, **extra: Any
) -> ServiceSettings:
    """Settings of a fresh store of ``backend`` (a new PostgreSQL schema per call)."""
    url = None
    if backend == "postgresql":
        url = _pg_schema_url(request.getfixturevalue("pg_database"))
    return ServiceSettings(data_dir=data_dir, database_url=url, **extra)


@dataclass
class Actor:
    """A seeded principal: its organisation, role and request headers."""

    name: str
    org_id: str
    role: str
    api_key: str
    client_id: str = ""
    client_secret: str = ""
    username: str = ""
    password: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.api_key}


@dataclass
class World:
    """The app, its client and the seeded tenants."""

    app: FastAPI
    client: TestClient
    service: Service
    actors: dict[str, Actor] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Actor:
        return self.actors[name]


TENANTS = (
    ("admin", OrgKind.PLATFORM),
    ("supplier", OrgKind.SUPPLIER),
    ("other_supplier", OrgKind.SUPPLIER),
    ("operator", OrgKind.OPERATOR),
    ("other_operator", OrgKind.OPERATOR),
    ("auditor", OrgKind.AUDITOR),
    ("authority", OrgKind.AUTHORITY),
)
"""The seeded tenants; the auditor is assigned to ``supplier`` and ``operator`` only."""


def seed(service: Service, users: bool = False) -> dict[str, Actor]:
    """One organisation per tenant with an API key and a client (and a user, if asked)."""
    actors = {}
    with service.db.write() as session:
        chain = Chain(session)
        now = service.now()
        for name, kind in TENANTS:
            org = create_organisation(session, chain, "test", f"Org {name}", kind, now)
            session.flush()
            key = create_api_key(session, chain, "test", org.id, "key", now)
            client = create_client(session, chain, "test", org.id, "client", now)
            assert key.secret is not None
            assert client.secret is not None
            actor = Actor(name, org.id, key.role.value, key.secret, client.id, client.secret)
            if users:
                actor.username, actor.password = f"user-{name}", f"password-{name}"
                create_user(session, chain, "test", org.id, actor.username, actor.password, now)
            actors[name] = actor
        session.flush()
        for target in ("supplier", "operator"):
            assign(session, chain, "test", actors["auditor"].org_id, actors[target].org_id, now)
    return actors


@pytest.fixture
def world(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[World]:
    """A fresh app on ``backend`` with the seeded tenants (API keys; users on request)."""
    marker = request.node.get_closest_marker("service_settings")
    extra = dict(marker.kwargs) if marker else {}
    settings = make_settings(request, backend, tmp_path / "data", **extra)
    app = create_app(settings, clock=lambda: FIXED_NOW)
    service = app.state.service
    actors = seed(service, users=bool(request.node.get_closest_marker("with_users")))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield World(app, client, service, actors)
    service.db.dispose()


def submit(world: World, actor: str, path: Path = EV, **params: Any) -> Any:
    """POST a submission file as ``actor``; the response."""
    media = "application/yaml" if path.suffix in (".yaml", ".yml") else "application/json"
    return world.client.post(
        "/api/v1/submissions",
        content=path.read_bytes(),
        headers={**world[actor].headers, "Content-Type": media},
        params=params,
    )
