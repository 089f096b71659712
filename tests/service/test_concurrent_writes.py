"""Concurrent writes: retried POSTs with one Idempotency-Key store one document; versions of one
document get distinct consecutive numbers; the audit chain stays linear."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from compliance.service.audit import verify
from tests.service.conftest import EV, World


def test_concurrent_retries_with_one_key_store_once(world: World) -> None:
    headers = {
        **world["supplier"].headers,
        "Content-Type": "application/json",
        "Idempotency-Key": "same",
    }

    def post(_: int) -> tuple[int, str]:
        with TestClient(world.app) as client:
            response = client.post("/api/v1/submissions", content=EV.read_bytes(), headers=headers)
            return response.status_code, response.json()["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, range(16)))
    assert {status for status, _ in results} == {201}
    assert len({ident for _, ident in results}) == 1
    listed = world.client.get("/api/v1/submissions", headers=world["supplier"].headers).json()
    assert listed["total"] == 1


def test_concurrent_versions_are_numbered_without_gaps(world: World) -> None:
    created = world.client.post(
        "/api/v1/submissions",
        content=EV.read_bytes(),
        headers={**world["supplier"].headers, "Content-Type": "application/json"},
    ).json()
    url = f"/api/v1/submissions/{created['id']}/versions"

    def post(number: int) -> int:
        with TestClient(world.app) as client:
            response = client.post(
                url,
                content=EV.read_bytes() + b" " * number,
                headers={**world["supplier"].headers, "Content-Type": "application/json"},
            )
            assert response.status_code == 201, response.text
            version: int = response.json()["version"]
            return version

    with ThreadPoolExecutor(max_workers=8) as pool:
        versions = sorted(pool.map(post, range(1, 21)))
    assert versions == list(range(2, 22))
    with world.service.db.read() as session:
        result = verify(session)
    assert result.ok, result.problems


def test_a_refused_write_in_a_group_is_rolled_back_alone(world: World) -> None:
    """Concurrent good and refused writes (SQLite: one group transaction): only the good stay."""
    good = {**world["supplier"].headers, "Content-Type": "application/json"}

    def post(number: int) -> int:
        with TestClient(world.app) as client:
            if number % 3 == 0:  # refused inside the write: another tenant's document
                response = client.post(
                    "/api/v1/submissions/no-such-document/versions",
                    content=EV.read_bytes(),
                    headers=good,
                )
            else:
                response = client.post(
                    "/api/v1/submissions", content=EV.read_bytes() + b" " * number, headers=good
                )
            return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, range(30)))
    assert statuses.count(404) == 10
    assert statuses.count(201) == 20
    listed = world.client.get("/api/v1/submissions", headers=world["supplier"].headers).json()
    assert listed["total"] == 20
    with world.service.db.read() as session:
        result = verify(session)
    assert result.ok, result.problems
