"""``compliance new`` starting files and ``compliance questions`` (issue 17.1)."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from compliance.cli.main import app
from compliance.errors import split_pointer
from compliance.pipeline import run_submission
from compliance.validation import validate_submission
from compliance.validation.kinds import DocumentKind, detect_kind
from compliance.workbooks.starter import CATEGORIES, questionnaire_starter, submission_starter
from compliance.workbooks.templates import catalogue_questions

runner = CliRunner()

# What a supplier fills in, by field name (the starting file's nulls).
FILLED: dict[str, Any] = {
    "submissionId": "ACME-2026-001",
    "start": "2025-01-01",
    "end": "2025-12-31",
    "name": "ACME Batteries",
    "street": "Main street 1",
    "postalCode": "12345",
    "city": "Berlin",
    "country": "DE",
    "email": "cfp@acme.example",
    "facilityId": "ACME-DE-01",
    "modelIdentifier": "ACME-1",
    "modelName": "ACME one",
    "vehicleClass": "M1",
    "chemistry": "NMC811",
    "mass": "450 kg",
    "ratedCapacity": "200 Ah",
    "nominalVoltage": "400 V",
    "nominalEnergy": "80 kWh",
    "usableEnergyBol": "75 kWh",
    "period": "8 year",
    "distance": "160 000 km",
    "declarationOfConformityId": "DoC-1",
    "studyUrl": "https://acme.example/cfp-study",
    "material": "cathode active material",
    "value": None,  # by parent, below
    "source": None,
    "amount": "1000 kWh",
}


def _fill(data: Any, pointer: str) -> None:
    *parents, last = split_pointer(pointer)
    node = data
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node[token]
    if parents[-2:] == ["0", "emissionFactor"] and last == "value":
        node[last] = "12 kg CO2e/kg"
    elif last == "source" and "energyUse" in parents:
        node[last] = "grid"
    elif last == "source":
        node[last] = "supplier EPD 2025"
    elif parents == ["battery"] and last == "mass":
        node[last] = "450 kg"
    elif parents[:1] == ["billOfMaterials"] and last == "mass":
        node[last] = "400 kg"
    else:
        node[last] = FILLED[last]


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_starting_submission_is_invalid_exactly_where_values_are_missing(category: str) -> None:
    starter = submission_starter(category)
    assert yaml.safe_load(starter.yaml()) == starter.data == json.loads(starter.json())
    report = validate_submission(starter.yaml().encode(), name="new.yaml")
    errors = [i for i in report.issues if i.severity.value == "error"]
    assert errors
    assert {i.pointer for i in errors} <= set(starter.to_fill)


@pytest.mark.parametrize("category", CATEGORIES)
def test_filling_the_nulls_makes_a_valid_submission(category: str) -> None:
    starter = submission_starter(category)
    data = json.loads(starter.json())
    for pointer in starter.to_fill:
        _fill(data, pointer)
    report = validate_submission(data, name="filled.json")
    assert report.ok, [i.to_dict() for i in report.issues]


def test_the_yaml_explains_fields_with_units_and_sources() -> None:
    text = submission_starter("ev").yaml()
    mass = next(line for line in text.splitlines() if line.strip().startswith("mass:"))
    assert "FILL" in mass
    assert "[mass]" in mass
    assert "Annex VI Part A(5)" in mass
    chemistry = next(line for line in text.splitlines() if "chemistry:" in line)
    assert "one of: NMC111" in chemistry


def test_the_starting_questionnaire_lists_every_answerable_question() -> None:
    starter = questionnaire_starter()
    ids = [a["question"] for a in starter.data["answers"]]
    assert ids == [q.id for q in catalogue_questions() if q.answer_type]
    assert "Have you adopted a responsible sourcing policy" in starter.yaml()


def test_new_writes_files_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "sub.yaml"
    result = runner.invoke(app, ["new", "submission", "--category", "lmt", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "wrote a submission" in result.stderr
    assert "values (null)" in result.stderr
    assert yaml.safe_load(target.read_text("utf-8"))["battery"]["category"] == "lmt"
    again = runner.invoke(app, ["new", "submission", "-o", str(target)])
    assert again.exit_code == 2
    assert "exists" in again.stderr
    forced = runner.invoke(
        app, ["new", "questionnaire", "-f", "json", "-o", str(target), "--force"]
    )
    assert forced.exit_code == 0
    assert detect_kind(target.read_bytes()) is DocumentKind.QUESTIONNAIRE


def test_new_xlsx_is_a_template_validate_reads(tmp_path: Path) -> None:
    target = tmp_path / "sub.xlsx"
    result = runner.invoke(app, ["new", "submission", "-f", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert detect_kind(target.read_bytes()) is DocumentKind.SUBMISSION_WORKBOOK
    run = run_submission(target.read_bytes(), name="sub.xlsx")
    required = {i.pointer for i in run.issues if i.code == "schema.required"}
    assert {"/manufacturer", "/plant"} <= required
    assert all("sheet" in i.context for i in run.issues if i.severity.value == "error")


def test_questions_text_has_the_55_questions_in_both_languages() -> None:
    result = runner.invoke(app, ["questions"])
    assert result.exit_code == 0
    for question in catalogue_questions():
        assert f"\n{question.id}  " in result.stdout
    assert len(catalogue_questions()) == 55
    ja = runner.invoke(app, ["questions", "--lang", "ja"])
    assert "申告した原材料について、責任ある調達方針を採択していますか。" in ja.stdout
    assert "S1 管理体制の構築" in ja.stdout


def test_questions_html_and_pdf(tmp_path: Path) -> None:
    html = runner.invoke(app, ["questions", "-f", "html"])
    assert html.exit_code == 0
    assert html.stdout.count('<th scope="row"') == 55
    target = tmp_path / "questions.pdf"
    pdf = runner.invoke(app, ["questions", "--lang", "ja", "-f", "pdf", "-o", str(target)])
    assert pdf.exit_code == 0, pdf.output
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(target.read_bytes())).pages)
    assert all(q.id in text for q in catalogue_questions())
    assert "責任ある調達方針" in text
