"""Inputs of the dd and passport report kinds, built from the examples as the CLI builds them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from compliance.cli.main import app
from compliance.dd import load_catalogue, score_questionnaire, validate_questionnaire
from compliance.passport.integrity import PassportDocument, verify
from compliance.passport.model import AccessLevel
from compliance.reports import DdReportInput, PassportSheetInput, sheet_input
from tests.conftest import EXAMPLES, ROOT

DD_AS_OF = date(2026, 1, 15)
QUESTIONNAIRES = ROOT / "examples" / "questionnaires" / "valid"
QUESTIONNAIRE_NAMES = (
    "honest-red-flag.json",
    "strong-supplier.json",
    "weak-yes-to-everything.json",
)
PASSPORT_AS_OF = date(2027, 9, 1)
GENERATED_AT = "2027-09-01T08:00:00Z"
SUBMISSION_NAMES = ("lfp-m3-bus.yaml", "lmt-ebike.json", "nmc811-m1-ev.json")


def questionnaire_document(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((QUESTIONNAIRES / name).read_text("utf-8"))
    return data


def make_dd_input(document: bytes | dict[str, Any], name: str = "q.json") -> DdReportInput:
    """Validate and score a questionnaire as of 2026-01-15; fails the test on any error."""
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    report = validate_questionnaire(data, as_of=DD_AS_OF, name=name)
    assert report.ok, report.issues[:3]
    assert report.questionnaire is not None
    result = score_questionnaire(report.questionnaire, as_of=DD_AS_OF)
    return DdReportInput(report.questionnaire, result, load_catalogue())


def build_passport_file(submission: Path, out: Path, *extra: str) -> Path:
    """``compliance passport FILE --as-of 2027-09-01 --generated-at ... -o OUT`` (the CLI)."""
    result = CliRunner().invoke(
        app,
        [
            "passport",
            str(submission),
            "--as-of",
            PASSPORT_AS_OF.isoformat(),
            "--generated-at",
            GENERATED_AT,
            "-o",
            str(out),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def read_document(path: Path) -> PassportDocument:
    verification = verify(path.read_bytes())
    assert verification.ok, verification.reasons
    assert verification.document is not None
    return verification.document


def make_sheet_input(path: Path, level: AccessLevel) -> PassportSheetInput:
    return sheet_input(read_document(path), level, as_of=PASSPORT_AS_OF)


def submission_path(name: str) -> Path:
    return EXAMPLES / "valid" / name
