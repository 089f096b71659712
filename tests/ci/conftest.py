"""Shared helpers of the CI-integration tests: the command line in process, the vendored schemas."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import xmlschema
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import ROOT

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SUBMISSIONS = ROOT / "examples" / "submissions"
QUESTIONNAIRES = ROOT / "examples" / "questionnaires"
AS_OF = ["--as-of", "2026-06-01"]

runner = CliRunner()


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``compliance ARGS`` in process; never a traceback."""
    result = runner.invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@cache
def junit_schema() -> xmlschema.XMLSchema:
    """Jenkins xUnit's ``junit-10.xsd`` (see ``schemas/README.md``)."""
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


@cache
def sarif_validator() -> Any:
    """The official SARIF 2.1.0 JSON Schema (draft 4; see ``schemas/README.md``)."""
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
