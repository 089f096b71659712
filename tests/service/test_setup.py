"""Migrations match the models; ``compliance db``; the demo seed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from typer.testing import CliRunner

from compliance.cli.main import app as cli_app
from compliance.service.app import create_app
from compliance.service.demo import CREDENTIALS_FILE, seed_demo
from compliance.service.tables import Base
from tests.service.conftest import EXAMPLES, FIXED_NOW, World, make_settings


def test_the_migrations_create_exactly_the_models(world: World) -> None:
    with world.service.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_db_upgrade_and_create_admin(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> None:
    settings = make_settings(request, backend, tmp_path / "data")
    flags = ["--data-dir", str(settings.data_dir)]
    if settings.database_url:
        flags += ["--database-url", settings.database_url]
    runner = CliRunner()
    upgraded = runner.invoke(cli_app, ["db", "upgrade", *flags])
    assert upgraded.exit_code == 0, upgraded.output
    again = runner.invoke(cli_app, ["db", "upgrade", *flags])
    assert again.exit_code == 0, again.output
    short = runner.invoke(
        cli_app, ["db", "create-admin", "root", "--password-stdin", *flags], input="short\n"
    )
    assert short.exit_code == 2
    made = runner.invoke(
        cli_app,
        ["db", "create-admin", "root", "--password-stdin", *flags],
        input="a-long-password\n",
    )
    assert made.exit_code == 0, made.output
    client_id, secret = made.output.split("OAuth2 client ")[1].split(" secret ")
    secret = secret.split()[0]
    twice = runner.invoke(
        cli_app,
        ["db", "create-admin", "root", "--password-stdin", *flags],
        input="a-long-password\n",
    )
    assert twice.exit_code == 1
    assert "taken" in twice.output
    app = create_app(settings.model_copy(update={"migrate_on_start": False}))
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        token = client.post(
            "/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        assert token.status_code == 200, token.text
        me = client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}
        )
        assert me.json()["role"] == "admin"
        login = client.post("/auth/login", data={"username": "root", "password": "a-long-password"})
        assert login.status_code == 200
    app.state.service.db.dispose()
    verified = runner.invoke(cli_app, ["audit", "verify", *flags])
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_demo_seed_loads_the_examples_once(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> None:
    settings = make_settings(request, backend, tmp_path / "data")
    app = create_app(settings, clock=lambda: FIXED_NOW)
    service = app.state.service
    accounts, new = seed_demo(app, service, EXAMPLES)
    assert new
    kinds = sorted(a.kind for a in accounts)
    assert kinds == ["auditor", "authority", "operator", "platform", "supplier", "supplier"]
    operator = next(a for a in accounts if a.kind == "operator")
    passports = [line for line in operator.loaded if line.startswith("passport ")]
    assert len(passports) == len(list((EXAMPLES / "submissions" / "valid").iterdir()))
    path = settings.data_dir / CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())[0]["username"] == "admin"
    again, new_again = seed_demo(app, service, EXAMPLES)
    assert not new_again
    assert [a.api_key for a in again] == [a.api_key for a in accounts]
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        auditor = next(a for a in accounts if a.kind == "auditor")
        listed = client.get("/api/v1/submissions", headers={"X-API-Key": auditor.api_key}).json()
        assert (
            listed["total"] == len(passports) + 1
        )  # the operator's and the supplier's invalid one
        public = client.get(passports[0].split(" ", 1)[1])
        assert public.status_code == 200
    service.db.dispose()


def test_without_the_service_extra_the_commands_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a)
    )
    for argv in (["serve"], ["db", "upgrade"], ["audit", "verify"]):
        result = CliRunner().invoke(cli_app, argv)
        assert result.exit_code == 2, result.output
        assert "pip install 'compliance[service]'" in result.output


def test_public_base_url_defaults_to_the_served_address(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from compliance.cli.service_settings import service_settings

    monkeypatch.delenv("COMPLIANCE_PUBLIC_BASE_URL", raising=False)
    served = service_settings(tmp_path, None, public_base_url="http://127.0.0.1:8765")
    assert served.public_base_url == "http://127.0.0.1:8765"
    monkeypatch.setenv("COMPLIANCE_PUBLIC_BASE_URL", "https://passports.example")
    configured = service_settings(tmp_path, None, public_base_url="http://127.0.0.1:8765")
    assert configured.public_base_url == "https://passports.example"
