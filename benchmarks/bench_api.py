"""HTTP service throughput and latency: submission POSTs and public passport GETs, vs a trivial GET.

Starts the real server (``compliance serve --demo``: uvicorn, ``--workers`` processes (default
1), a temporary data directory with SQLite, or PostgreSQL with ``--database-url``), then drives
it from a *separate process* (this script with ``--drive``) with ``--clients`` concurrent
keep-alive clients (httpx, asyncio) on 127.0.0.1 only, each phase bounded by ``--duration``
seconds and ``--max-requests`` requests:

* baseline: ``GET /healthz`` of the same app (no database, a constant body): the floor of the
  server, the framework and the client on this machine;
* ``POST /api/v1/submissions`` of ``examples/submissions/valid/nmc811-m1-ev.json`` with an API
  key: validation + CFP + storage (a new document, its version and an audit entry per request);
* ``GET`` of the public passport URL the QR code encodes (``Accept: application/json``).

Prints throughput and p50/p99 latency of each phase, whether the issue-16 targets are met
(SQLite: >= 200 submissions/s with p99 < 200 ms, >= 1,000 passport GETs/s with p99 < 50 ms), and
ends with the ratio line. The server's CPU time per request (all its processes, from ``/proc``)
is printed too: unlike the wall-clock figures it hardly changes with other load on the machine,
and 1000 / it is what one core can serve. A request that does not answer 201/200 counts as an
error and is reported (the figures are then not valid). Client and server share the machine's
2 cores.

Run: python benchmarks/bench_api.py [--clients 16] [--duration 10] [--workers 2]
     python benchmarks/bench_api.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
(with PostgreSQL a fresh schema is created in that database and dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMPLIANCE = str(Path(sys.executable).with_name("compliance"))
SUBMISSION = ROOT / "examples" / "submissions" / "valid" / "nmc811-m1-ev.json"
TARGETS = {"submission POST": (200.0, 200.0), "passport GET": (1000.0, 50.0)}
"""Phase -> (minimum requests/s, maximum p99 ms) on SQLite (issue 16)."""


@dataclass
class Phase:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None
    expect: int = 200


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    first_error: str | None
    server_cpu_ms: float | None = None
    """Server process CPU time (user + system) per request: a figure the machine's other load
    changes far less than the wall-clock ones (1000 / it is the ceiling of one core)."""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        errors = f", {self.errors} errors ({self.first_error})" if self.errors else ""
        cpu = ""
        if self.server_cpu_ms is not None:
            cpu = f", server CPU {self.server_cpu_ms:.2f} ms/request"
        return (
            f"{self.name:18s} {self.requests:6d} requests in {self.seconds:5.1f} s: "
            f"{self.rate:8.1f} req/s, p50 {self.p50_ms:6.1f} ms, p99 {self.p99_ms:6.1f} ms"
            f"{cpu}{errors}"
        )


def _proc_cpu(pid: int) -> tuple[float, int] | None:
    """(user + system CPU seconds, parent pid) of a process from Linux ``/proc``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), int(fields[1])


def cpu_seconds(pid: int) -> float | None:
    """CPU time of process ``pid`` and its children (the uvicorn workers); ``None`` off Linux."""
    own = _proc_cpu(pid)
    if own is None:
        return None
    total = own[0]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(pid):
            child = _proc_cpu(int(entry.name))
            if child is not None and child[1] == pid:
                total += child[0]
    return total


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


async def drive_phase(
    base: str, phase: Phase, clients: int, duration: float, max_requests: int, server_pid: int
) -> Result:
    import httpx

    latencies: list[float] = []
    errors = 0
    first_error: str | None = None
    issued = 0
    content = phase.body.encode() if phase.body is not None else None
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        # Warm-up: one request per client (connections, caches), not counted.
        await asyncio.gather(
            *(client.request(phase.method, phase.path, headers=phase.headers, content=content)
              for _ in range(clients))
        )  # fmt: skip
        cpu_before = cpu_seconds(server_pid)
        start = time.perf_counter()
        deadline = start + duration

        async def worker() -> None:
            nonlocal errors, first_error, issued
            while time.perf_counter() < deadline and issued < max_requests:
                issued += 1
                sent = time.perf_counter()
                try:
                    response = await client.request(
                        phase.method, phase.path, headers=phase.headers, content=content
                    )
                    status = response.status_code
                    detail = response.text[:200] if status != phase.expect else ""
                except httpx.HTTPError as exc:
                    status, detail = 0, repr(exc)
                latencies.append((time.perf_counter() - sent) * 1000)
                if status != phase.expect:
                    errors += 1
                    first_error = first_error or f"{status} {detail}"

        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - start
        cpu_after = cpu_seconds(server_pid)
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None and latencies:
        cpu_ms = (cpu_after - cpu_before) * 1000 / len(latencies)
    return Result(
        phase.name,
        len(latencies),
        errors,
        elapsed,
        statistics.median(latencies) if latencies else 0.0,
        percentile(latencies, 0.99),
        first_error,
        cpu_ms,
    )


def drive(config: dict[str, Any]) -> None:
    """The client process: run each phase in turn, print the results as JSON."""
    phases = [Phase(**p) for p in config["phases"]]
    results = []
    for phase in phases:
        result = asyncio.run(
            drive_phase(
                config["base"],
                phase,
                config["clients"],
                config["duration"],
                config["max"],
                config["server_pid"],
            )
        )
        results.append(asdict(result))
    print(json.dumps(results))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_schema(url: str) -> tuple[str, str]:
    """A fresh schema in the PostgreSQL database of ``url``: (its URL, its name)."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", schema


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        c.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def start_server(
    data_dir: Path, database_url: str | None, workers: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "COMPLIANCE_PUBLIC_BASE_URL": base}
    if database_url:
        env["COMPLIANCE_DATABASE_URL"] = database_url
    log = (data_dir.parent / "server.log").open("wb")
    process = subprocess.Popen(
        [
            COMPLIANCE, "serve", "--demo", "--data-dir", str(data_dir), "--port", str(port),
            "--examples", str(ROOT / "examples"), "--log-level", "warning",
            "--workers", str(workers),
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited: {(data_dir.parent / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start within 180 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--max-requests", type=int, default=50_000, help="requests per phase")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--drive", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(json.loads(Path(args.drive).read_text("utf-8")))
        return
    backend = "PostgreSQL" if args.database_url else "SQLite"
    load_before = os.getloadavg()[0]
    schema = None
    url = args.database_url
    if url:
        url, schema = pg_schema(url)
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        data_dir = Path(tmp) / "data"
        process, base = start_server(data_dir, url, args.workers)
        try:
            accounts = json.loads((data_dir / "demo-credentials.json").read_text("utf-8"))
            operator = next(a for a in accounts if a["username"] == "operator")
            passport = next(
                line.split(" ", 1)[1]
                for line in operator["loaded"]
                if line.startswith("passport /01/")
            )
            phases = [
                Phase("baseline /healthz", "GET", "/healthz", {}),
                Phase(
                    "submission POST",
                    "POST",
                    "/api/v1/submissions",
                    {
                        "X-API-Key": operator["api_key"],
                        "Content-Type": "application/json",
                        "X-Filename": SUBMISSION.name,
                    },
                    SUBMISSION.read_text("utf-8"),
                    expect=201,
                ),
                Phase("passport GET", "GET", passport, {"Accept": "application/json"}),
            ]
            config = {
                "base": base,
                "clients": args.clients,
                "duration": args.duration,
                "max": args.max_requests,
                "server_pid": process.pid,
                "phases": [asdict(p) for p in phases],
            }
            config_file = Path(tmp) / "drive.json"
            config_file.write_text(json.dumps(config), "utf-8")
            driver = subprocess.run(
                [sys.executable, __file__, "--drive", str(config_file)],
                capture_output=True,
                text=True,
                check=False,
            )
            if driver.returncode != 0:
                raise SystemExit(f"the client process failed:\n{driver.stderr[-3000:]}")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            if schema is not None and args.database_url:
                drop_schema(args.database_url, schema)
    results = {r["name"]: Result(**r) for r in json.loads(driver.stdout)}
    print(
        f"backend: {backend}; server: {args.workers} uvicorn worker process(es); {args.clients} "
        "clients in a separate "
        f"process; {args.duration:g} s per phase; {os.cpu_count()} CPUs shared; load average "
        f"before/after {load_before:.1f}/{os.getloadavg()[0]:.1f} (other work on the machine slows "
        "every phase)"
    )
    for result in results.values():
        print(result.line())
    for name, (rate, p99) in TARGETS.items():
        result = results[name]
        met = result.rate >= rate and result.p99_ms < p99 and not result.errors
        print(
            f"target {name} ({backend}; SQLite target >= {rate:g}/s, p99 < {p99:g} ms): "
            f"{'met' if met else 'NOT met'}"
        )
    if any(r.errors for r in results.values()):
        print("errors occurred: the figures above are not valid")
    baseline = results["baseline /healthz"]
    posts = results["submission POST"]
    print(
        f"ratio: {posts.rate / baseline.rate:.3f}x submission POST throughput vs trivial "
        f"GET /healthz of the same app ({backend})"
    )


if __name__ == "__main__":
    main()
