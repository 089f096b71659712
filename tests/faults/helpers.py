"""Running the real command line in a subprocess (real file descriptors, signals, rlimits)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from tests.conftest import EXAMPLES, ROOT

EV = EXAMPLES / "valid" / "nmc811-m1-ev.json"
LMT = EXAMPLES / "valid" / "lmt-ebike.json"
FIXED = ["--as-of", "2027-09-01", "--generated-at", "2027-09-01T08:00:00Z"]


def run_cli(
    args: Sequence[str],
    *,
    stdout: int | IO[bytes] = subprocess.PIPE,
    stdin: int | IO[bytes] | None = subprocess.DEVNULL,
    preexec: Callable[[], None] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m compliance ARGS`` with the repository's sources."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "compliance", *args],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        preexec_fn=preexec,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def leftovers(directory: Path) -> list[str]:
    """Temporary files an atomic write left in ``directory``."""
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))
