"""Kill test: SIGKILL the server while clients submit; every 201-acknowledged submission survives.

The server runs as a subprocess (``python -m compliance serve``, uvicorn). Six client threads
submit distinct documents; the server is killed with SIGKILL mid-stream, then restarted on the
same store. Every submission acknowledged with 201 must be there byte for byte with its digest,
and the audit trail (which also checks every stored document against its recorded digest, so a
half-written version would show) must verify.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from compliance.service.app import create_app
from compliance.service.audit import verify
from compliance.service.database import Database
from tests.service.conftest import EV, make_settings, seed

pytestmark = pytest.mark.slow


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(data_dir: Path, url: str | None, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "compliance",
        "serve",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    if url:
        command += ["--database-url", url]
    command += ["--log-level", "warning"]
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
        if process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"the server did not start: {log.read_text()[-2000:]}")


def test_acknowledged_submissions_survive_sigkill(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> None:
    settings = make_settings(request, backend, tmp_path / "data")
    app = create_app(settings)  # migrate and seed before the server starts
    actors = seed(app.state.service)
    app.state.service.db.dispose()
    key = actors["supplier"].api_key
    port = _port()
    log = tmp_path / "server.log"
    server = _start(settings.data_dir, settings.database_url, port, log)
    acknowledged: list[tuple[str, bytes]] = []
    lock = threading.Lock()
    stop = threading.Event()
    base = EV.read_bytes()

    def client(number: int) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            index = 0
            while not stop.is_set():
                body = base + b" " * (number * 10_000 + index)  # distinct bytes per request
                index += 1
                try:
                    response = http.post(
                        "/api/v1/submissions",
                        content=body,
                        headers={"X-API-Key": key, "Content-Type": "application/json"},
                    )
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code == 201:
                    with lock:
                        acknowledged.append((response.json()["id"], body))
                else:
                    assert response.status_code < 500, response.text

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged) >= 30:
                break
        time.sleep(0.05)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert len(acknowledged) >= 30, log.read_text()[-2000:]

    server = _start(settings.data_dir, settings.database_url, port, log)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            for ident, body in acknowledged:
                version = http.get(
                    f"/api/v1/submissions/{ident}/versions/1", headers={"X-API-Key": key}
                )
                assert version.status_code == 200, (ident, version.text)
                assert version.json()["sha256"] == hashlib.sha256(body).hexdigest()
                content = http.get(
                    f"/api/v1/submissions/{ident}/versions/1/content", headers={"X-API-Key": key}
                )
                assert content.content == body
            total = http.get("/api/v1/submissions", headers={"X-API-Key": key}).json()["total"]
            assert total >= len(acknowledged)
    finally:
        server.terminate()
        server.wait(timeout=30)
    database = Database.connect(settings)
    try:
        with database.read() as session:
            result = verify(session)
    finally:
        database.dispose()
    assert result.ok, result.problems
