"""Helpers of the batch tests: run ``compliance batch`` in-process and read what it wrote."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"

AS_OF = "2027-03-01"
runner = CliRunner()


def batch(*args: str) -> tuple[int, str, str]:
    """``compliance batch ARGS`` in-process: exit code, stdout, stderr."""
    result = runner.invoke(app, ["batch", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def batch_json(*args: str) -> tuple[int, dict[str, Any]]:
    """``compliance batch --format json ARGS``: exit code and the parsed document."""
    code, out, err = batch("--format", "json", *args)
    assert out, err
    return code, json.loads(out)


def corpus(directory: Path) -> Path:
    """A copy of the bundled valid and invalid examples (submissions and questionnaires)."""
    for source, name in (
        (EXAMPLES / "submissions" / "valid", "sub-valid"),
        (EXAMPLES / "submissions" / "invalid", "sub-invalid"),
        (EXAMPLES / "questionnaires" / "valid", "q-valid"),
        (EXAMPLES / "questionnaires" / "invalid", "q-invalid"),
    ):
        shutil.copytree(source, directory / name)
    return directory


def result_files(directory: Path) -> dict[str, bytes]:
    """Every result file under ``directory`` (not the manifest), by relative path."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != "manifest.sqlite"
    }
