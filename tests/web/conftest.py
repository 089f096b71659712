"""A real server for the web tests: ``compliance serve --demo`` (uvicorn) on a free local port.

The server runs as a subprocess with a temporary data directory (SQLite), the demo accounts and
the bundled examples, and its public base URL set to its own address, so the passports' QR codes
encode URLs this server answers.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# The service tests' app fixtures (SQLite and PostgreSQL, seeded tenants) for the page tests.
from tests.service.conftest import backend, pg_database, world  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
COMPLIANCE = str(Path(sys.executable).with_name("compliance"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    base_url: str
    data_dir: Path
    accounts: dict[str, dict[str, Any]]
    log: Path

    def account(self, username: str) -> dict[str, Any]:
        return self.accounts[username]

    def loaded(self, username: str, prefix: str) -> list[str]:
        """What the demo loaded for a user, e.g. ``passport /01/...`` lines."""
        return [line for line in self.accounts[username]["loaded"] if line.startswith(prefix)]


def start_server(
    data_dir: Path, *, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "COMPLIANCE_PUBLIC_BASE_URL": base,
        **(extra_env or {}),
    }
    log = data_dir.parent / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                COMPLIANCE, "serve", "--demo", "--data-dir", str(data_dir), "--port", str(port),
                "--examples", str(ROOT / "examples"), "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}): {log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, base, log
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"the server did not start within 120 s: {log.read_text()}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("web-server") / "data"
    process, base, log = start_server(data_dir)
    try:
        credentials = json.loads((data_dir / "demo-credentials.json").read_text("utf-8"))
        accounts = {item["username"]: item for item in credentials}
        yield LiveServer(base, data_dir, accounts, log)
    finally:
        stop_server(process)
