"""A service app with one operator organisation, its OAuth2 client, and two published PCFs."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from compliance.service.app import create_app
from compliance.service.audit import Chain
from compliance.service.settings import ServiceSettings
from compliance.service.tenants import OrgKind, create_client, create_organisation
from tests.conftest import EXAMPLES
from tests.exchange.conftest import PACT_REFERENCE

BASE = "https://testserver"
START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@dataclass
class FakeSender:
    """Records the events the service delivers (the partner side of the callbacks)."""

    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    fail: bool = False

    def send(self, target: str, event: Mapping[str, Any]) -> None:
        from compliance.service.pact.events import DeliveryError

        if self.fail:
            raise DeliveryError("partner unreachable (test)")
        self.sent.append((target, dict(event)))


@dataclass
class Host:
    client: TestClient
    sender: FakeSender
    client_id: str
    secret: str
    clock: list[datetime]
    submission_ids: list[str]

    def basic(self, client_id: str | None = None, secret: str | None = None) -> dict[str, str]:
        raw = f"{client_id or self.client_id}:{secret or self.secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}

    def token(self) -> str:
        answer = self.client.post(
            "/auth/token", data={"grant_type": "client_credentials"}, headers=self.basic()
        )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["access_token"]
        return token

    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}


def make_host(tmp_path: Path, *, https_only: bool = False, publish: bool = True) -> Host:
    clock = [START]
    settings = ServiceSettings(data_dir=tmp_path, pact_https_only=https_only)
    app = create_app(settings, clock=lambda: clock[0])
    sender = FakeSender()
    app.state.pact_sender = sender
    service = app.state.service
    with service.db.write() as session:
        chain = Chain(session)
        org = create_organisation(session, chain, "test", "Danube (test)", OrgKind.OPERATOR, START)
        created = create_client(session, chain, "test", org.id, "pact partner", START)
    client = TestClient(app, base_url=BASE)
    assert created.secret is not None
    host = Host(client, sender, created.id, created.secret, clock, [])
    if publish:
        headers = host.bearer()
        for path, media in (
            (EXAMPLES / "valid" / "nmc811-m1-ev.json", "application/json"),
            (EXAMPLES / "valid" / "lfp-m3-bus.yaml", "application/yaml"),
        ):
            stored = client.post(
                "/api/v1/submissions",
                content=path.read_bytes(),
                headers={**headers, "Content-Type": media},
            )
            assert stored.status_code == 201, stored.text
            doc_id = stored.json()["id"]
            host.submission_ids.append(doc_id)
            published = client.post(
                f"/api/v1/submissions/{doc_id}/pact",
                params={"fossilCarbonContent": "30", "noBiogenic": "true"},
                headers=headers,
            )
            assert published.status_code == 201, published.text
    return host


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    made = make_host(tmp_path)
    with made.client:
        yield made


def v3_schema() -> dict[str, Any]:
    """The v3 schema: the shared reference copy when present, else the bundled one (same file)."""
    if PACT_REFERENCE is not None:
        path = PACT_REFERENCE / "jsonschema" / "pact-productfootprint-v3.0.schema.json"
    else:
        path = (
            Path(__file__).resolve().parents[2]
            / "rules"
            / "interop"
            / "pact"
            / ("pact-productfootprint-v3.0.schema.json")
        )
    schema: dict[str, Any] = json.loads(path.read_bytes())
    return schema


def validator(definition: str = "ProductFootprint") -> Draft202012Validator:
    schema = v3_schema()
    root = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def later(host: Host, seconds: int) -> None:
    host.clock[0] = host.clock[0] + timedelta(seconds=seconds)
