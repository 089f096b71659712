"""Document kinds (issue 17.2): one detector, used by every command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from compliance.dd import validate_questionnaire
from compliance.pipeline import run_questionnaire, run_submission
from compliance.validation import validate_submission
from compliance.validation.kinds import DocumentKind, detect_data_kind, detect_kind
from compliance.workbooks.templates import questionnaire_workbook, submission_workbook
from tests.conftest import ROOT, VALID
from tests.dd.rmi_fixtures import emrt_workbook

QUESTIONNAIRES = sorted((ROOT / "examples" / "questionnaires" / "valid").iterdir())
REFERENCE = ROOT.parent / "shared" / "reference"
if not REFERENCE.is_dir():
    REFERENCE = Path("/work/shared/reference")


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_submissions_are_submissions(path: Path) -> None:
    assert detect_kind(path.read_bytes()) is DocumentKind.SUBMISSION


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.name)
def test_questionnaires_are_questionnaires(path: Path) -> None:
    assert detect_kind(path.read_bytes()) is DocumentKind.QUESTIONNAIRE


def test_schema_declaration_wins_over_shape() -> None:
    data = {"$schema": "urn:compliance:schema:dd-questionnaire:1.0.0", "battery": {}}
    assert detect_data_kind(data) is DocumentKind.QUESTIONNAIRE
    data = {"$schema": "https://example.org/schemas/passport-document/1.0.0/schema.json"}
    assert detect_data_kind(data) is DocumentKind.PASSPORT_DOCUMENT


def test_half_written_documents_say_what_they_are() -> None:
    assert detect_data_kind({"answers": []}) is DocumentKind.QUESTIONNAIRE
    assert detect_data_kind({"billOfMaterials": []}) is DocumentKind.SUBMISSION
    assert detect_data_kind({"schemaVersion": "1.0.0"}) is DocumentKind.UNKNOWN
    assert detect_data_kind("text") is DocumentKind.UNKNOWN


@pytest.mark.parametrize(
    "relative",
    [
        "pact/examples/v2/pact-demo-api-ts_footprints_v2.0.json",
        "pact/examples/v3/pact-demo-api-ts_footprints_v3.0.json",
        "catenax-pcf/io.catenax.pcf/7.0.0/Pcf.json",
        "catenax-pcf/io.catenax.pcf/9.0.0/Pcf.json",
    ],
)
def test_published_product_footprints_are_recognised(relative: str) -> None:
    path = REFERENCE / relative
    if not path.exists():
        pytest.skip(f"{path} absent (the shared reference files are not on this machine)")
    assert detect_kind(path.read_bytes()) is DocumentKind.PACT_FOOTPRINT


def test_workbooks_by_their_properties_and_sheets() -> None:
    assert detect_kind(submission_workbook()) is DocumentKind.SUBMISSION_WORKBOOK
    assert detect_kind(questionnaire_workbook()) is DocumentKind.QUESTIONNAIRE_WORKBOOK
    assert detect_kind(emrt_workbook()) is DocumentKind.RMI_WORKBOOK
    assert detect_kind(b"PK\x03\x04 not a zip") is DocumentKind.UNKNOWN


def test_a_questionnaire_given_as_a_submission_is_one_issue_naming_the_command() -> None:
    report = validate_submission(QUESTIONNAIRES[0].read_bytes(), name="q.json")
    assert [i.code for i in report.issues] == ["document.wrong-kind"]
    assert report.issues[0].message == (
        "this is a DD questionnaire, not a supplier submission; use `compliance dd`"
    )
    assert report.document_kind == "dd-questionnaire"


def test_a_submission_given_as_a_questionnaire_is_one_issue() -> None:
    report = validate_questionnaire(VALID[0].read_bytes(), as_of=date(2026, 1, 15), name="s")
    assert [i.code for i in report.issues] == ["document.wrong-kind"]
    assert "use `compliance cfp`" in report.issues[0].message


def test_an_rmi_workbook_given_to_cfp_says_use_dd_import() -> None:
    run = run_submission(emrt_workbook(), name="emrt.xlsx")
    assert [i.code for i in run.issues] == ["document.wrong-kind"]
    assert "use `compliance dd import`" in run.issues[0].message


def test_the_other_template_is_the_wrong_kind() -> None:
    run = run_questionnaire(submission_workbook(), name="s.xlsx", as_of=date(2026, 1, 15))
    assert [i.code for i in run.issues] == ["document.wrong-kind"]
    run2 = run_submission(questionnaire_workbook(), name="q.xlsx")
    assert [i.code for i in run2.issues] == ["document.wrong-kind"]


def test_unknown_documents_keep_their_schema_errors() -> None:
    report = validate_submission(json.dumps({"schemaVersion": "1.0.0"}).encode(), name="x.json")
    assert {i.code for i in report.issues} >= {"schema.required"}
