"""The core is pure: no clock, environment, network or arbitrary file access below the edges.

import-linter (run here and in .ci/run) forbids edge frameworks and I/O modules; this test also
catches calls that an import check cannot see (``datetime.now()``, ``open()``, ``os.environ``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "compliance"
EDGES = ("cli", "config.py", "api", "storage", "reports", "testing", "service")
CORE_FILES = sorted(
    p for p in SRC.rglob("*.py") if not p.relative_to(SRC).parts[0].startswith(EDGES)
)
# resources.py is the one core module that reads files: package data, read-only.
ALLOWED_OPEN = {SRC / "resources.py"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "time", "getenv", "urlopen", "perf_counter"}
FORBIDDEN_NAMES = {"environ", "stdin", "stdout", "stderr"}


def _violations(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS:
                found.append(f"{path.name}:{node.lineno} calls {name}()")
            if name == "open" and path not in ALLOWED_OPEN:
                found.append(f"{path.name}:{node.lineno} opens a file")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            found.append(f"{path.name}:{node.lineno} uses {node.attr}")
    return found


def test_core_files_found() -> None:
    assert len(CORE_FILES) > 10


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_is_pure(path: Path) -> None:
    assert _violations(path) == []


@pytest.mark.slow
def test_import_layers() -> None:
    script = Path(sys.executable).with_name("lint-imports")
    if not script.exists():
        pytest.skip(f"import-linter is not installed next to {sys.executable}")
    proc = subprocess.run([str(script)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout
