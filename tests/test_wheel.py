"""The built wheel ships the data directories and works from outside the repository.

The wheel is built as ``pip install .`` builds it: one pure-Python wheel.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("compliance-*.whl")
    return built


def _install(wheel: Path, target: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def _run_outside(
    target: Path, cwd: Path, script: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python -c script args`` in ``cwd`` with only the installed wheel importable."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )


def test_wheel_is_pure_python(wheel: Path) -> None:
    """One pure-Python wheel: nothing is compiled at install (no C compiler needed)."""
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
    names = zipfile.ZipFile(wheel).namelist()
    assert [n for n in names if n.endswith((".so", ".pyd", ".c"))] == []


def test_wheel_contents(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "compliance/py.typed" in names
    assert "compliance/units.txt" in names
    assert "compliance/_data/schemas/supplier-submission/1.0.0/schema.json" in names
    assert any(n.startswith("compliance/_data/rules/") for n in names)
    assert any(n.startswith("compliance/_data/templates/") for n in names)
    for asset in (
        "base.html",
        "cfp_declaration.html",
        "_labels.html",
        "assets/print.css",
        "assets/report.css",
        "assets/pdf.css",
        "assets/sRGB2014.icc",
        "assets/fonts/ipaexg.ttf",
        "assets/fonts/DejaVuSans.ttf",
        "assets/fonts/DejaVuSans-Bold.ttf",
        "assets/fonts/LICENSE-IPA.txt",
        "assets/fonts/LICENSE-DejaVu.txt",
        "locale/en/LC_MESSAGES/messages.mo",
        "locale/ja/LC_MESSAGES/messages.mo",
    ):
        assert f"compliance/_data/templates/{asset}" in names, asset
    unexpected = [
        n
        for n in names
        if "__pycache__" in n
        or n.endswith((".pyc", ".orig", ".rej", "~"))
        or "/." in n
        or n.startswith(("tests/", "examples/", "benchmarks/"))
    ]
    assert unexpected == []


def test_installed_wheel_works_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    _install(wheel, target)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    script = (
        "import compliance, compliance.resources as r, sys;"
        "print(compliance.__file__); print(r.data_root());"
        "from compliance.cli.main import main; sys.argv=['compliance','validate',sys.argv[1]];"
        "main()"
    )
    proc = _run_outside(target, outside, script, str(EXAMPLES / "valid"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    package_file, data_root, summary = proc.stdout.splitlines()[:3]
    assert package_file.startswith(str(target))
    assert data_root.startswith(str(target))
    assert data_root.endswith("_data")
    assert summary == "3 files checked: 3 valid, 0 invalid (0 errors, 0 warnings)"


def test_installed_wheel_renders_a_japanese_pdf_outside_the_repository(
    wheel: Path, tmp_path: Path
) -> None:
    """Templates, catalogues, fonts and the ICC profile load from the installed ``_data``."""
    target = tmp_path / "site"
    _install(wheel, target)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    script = (
        "import sys; from compliance.cli.main import main;"
        "sys.argv=['compliance','report',sys.argv[1],'--kind','cfp','--lang','ja',"
        "'--as-of','2026-11-29','-o','out.pdf']; main()"
    )
    proc = _run_outside(target, outside, script, str(EXAMPLES / "valid" / "nmc811-m1-ev.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "renderer" not in proc.stderr
    assert (outside / "out.pdf").read_bytes().startswith(b"%PDF-1.7")
