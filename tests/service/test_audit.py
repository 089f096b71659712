"""The audit trail: every write is chained in its own transaction; verify finds any tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from compliance.cli.main import app as cli_app
from compliance.service.audit import verify
from compliance.service.tables import AuditEntry
from tests.service.conftest import EV, SEMANTIC, World, submit


def _writes(world: World) -> None:
    for path in (EV, SEMANTIC, EV):
        assert submit(world, "operator", path).status_code == 201
    made = submit(world, "operator").json()
    passport = world.client.post(
        "/api/v1/passports", json={"submission": made["id"]}, headers=world["operator"].headers
    )
    assert passport.status_code == 201


def _check(world: World):
    with world.service.db.read() as session:
        return verify(session)


def _count(world: World) -> int:
    with world.service.db.read() as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def _sql(world: World, statement: str) -> None:
    with world.service.db.engine.begin() as conn:
        conn.execute(text(statement))


def test_every_write_is_recorded_with_who_what_and_the_digest(world: World) -> None:
    before = _count(world)
    created = submit(world, "supplier").json()
    assert _count(world) == before + 1
    with world.service.db.read() as session:
        last = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
    assert last is not None
    assert last.actor == f"api-key:{world['supplier'].api_key.split('_')[1]}"
    assert last.action == "submission.create"
    assert last.org_id == world["supplier"].org_id
    assert last.resource == f"documents/{created['id']}/versions/1"
    assert last.digest == "sha256:" + created["sha256"]
    assert _check(world).ok


def test_a_refused_write_leaves_no_entry(world: World) -> None:
    made = submit(world, "operator").json()
    passport = world.client.post(
        "/api/v1/passports", json={"submission": made["id"]}, headers=world["operator"].headers
    ).json()
    url = f"{passport['links']['passport']}/status"
    assert (
        world.client.post(
            url, json={"status": "waste"}, headers=world["operator"].headers
        ).status_code
        == 201
    )
    before = _count(world)
    refused = world.client.post(url, json={"status": "original"}, headers=world["operator"].headers)
    assert refused.status_code == 409
    assert _count(world) == before
    assert _check(world).ok


def test_an_intact_chain_verifies(world: World) -> None:
    _writes(world)
    result = _check(world)
    assert result.ok, result.problems
    assert result.entries == _count(world)


def test_an_altered_entry_is_detected(world: World) -> None:
    _writes(world)
    _sql(world, "UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 20")
    result = _check(world)
    assert not result.ok
    assert any("entry 20" in p and "altered" in p for p in result.problems), result.problems


def test_a_removed_entry_is_detected(world: World) -> None:
    _writes(world)
    _sql(world, "DELETE FROM audit_log WHERE seq = 20")
    result = _check(world)
    assert not result.ok
    assert any("entry 21" in p for p in result.problems), result.problems


def test_removing_the_last_entries_is_detected(world: World) -> None:
    _writes(world)
    last = _count(world)
    _sql(world, f"DELETE FROM audit_log WHERE seq >= {last - 1}")
    result = _check(world)
    assert not result.ok
    assert any("head" in p for p in result.problems), result.problems


def test_reordered_entries_are_detected(world: World) -> None:
    _writes(world)
    _sql(world, "UPDATE audit_log SET seq = -1 WHERE seq = 20")
    _sql(world, "UPDATE audit_log SET seq = 20 WHERE seq = 21")
    _sql(world, "UPDATE audit_log SET seq = 21 WHERE seq = -1")
    result = _check(world)
    assert not result.ok
    assert any("does not link" in p for p in result.problems), result.problems


def test_an_altered_stored_document_is_detected(world: World) -> None:
    _writes(world)
    _sql(world, "UPDATE document_versions SET sha256 = sha256 WHERE version = 1")  # no-op first
    assert _check(world).ok
    with world.service.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE document_versions SET content = :c WHERE version = 1"), {"c": b"{}"}
        )
    result = _check(world)
    assert any("does not match its digest" in p for p in result.problems), result.problems


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_cli_verifies_the_trail(world: World) -> None:
    _writes(world)
    data_dir = str(world.service.settings.data_dir)
    runner = CliRunner()
    ok = runner.invoke(cli_app, ["audit", "verify", "--data-dir", data_dir])
    assert ok.exit_code == 0, ok.output
    assert f"audit trail OK: {_count(world)} entries" in ok.output
    _sql(world, "UPDATE audit_log SET resource = 'x' WHERE seq = 5")
    failed = runner.invoke(cli_app, ["audit", "verify", "--data-dir", data_dir])
    assert failed.exit_code == 1
    assert "entry 5" in failed.output
