"""Filled Excel templates read back: values typed as a person types them, problems at cells."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from compliance.cli.main import app
from compliance.models import SupplierSubmission
from compliance.pipeline import run_submission
from compliance.validation.kinds import DocumentKind
from compliance.workbooks.templates import (
    questionnaire_workbook,
    read_document_workbook,
    submission_workbook,
)
from tests.conftest import VALID

runner = CliRunner()


def _example() -> dict[str, Any]:
    model = run_submission(VALID[-1].read_bytes(), name=VALID[-1].name).validation.submission
    assert model is not None
    data: dict[str, Any] = json.loads(model.model_dump_json(by_alias=True, exclude_none=True))
    return data


def _row(sheet: Any, pointer: str) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == pointer:
            return int(row[0].row)
    raise AssertionError(f"no row for {pointer}")


def _edit(data: bytes, change: Any) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_filled_template_is_the_submission() -> None:
    data = _example()
    read = read_document_workbook(submission_workbook(data), DocumentKind.SUBMISSION_WORKBOOK)
    assert read.issues == []
    assert read.data == {k: v for k, v in data.items() if v != []}  # [] is the default


def test_a_bad_number_is_reported_at_its_cell() -> None:
    def change(book: Any) -> None:
        sheet = book["Battery"]
        row = _row(sheet, "/battery/mass")
        sheet[f"D{row}"] = "heavy"
        sheet[f"E{row}"] = "kg"

    workbook = _edit(submission_workbook(_example()), change)
    run = run_submission(workbook, name="s.xlsx")
    assert not run.ok
    [issue] = [i for i in run.issues if i.code == "xlsx.bad-value"]
    row = _row(load_workbook(io.BytesIO(workbook))["Battery"], "/battery/mass")
    assert (issue.pointer, issue.context["sheet"], issue.context["cell"]) == (
        "/battery/mass",
        "Battery",
        f"D{row}",
    )
    assert "'heavy' is not a number" in issue.message


def test_a_missing_required_value_names_the_cell_to_fill() -> None:
    def change(book: Any) -> None:
        sheet = book["Battery"]
        row = _row(sheet, "/battery/nominalVoltage")
        sheet[f"D{row}"] = None
        sheet[f"E{row}"] = None

    workbook = _edit(submission_workbook(_example()), change)
    run = run_submission(workbook, name="s.xlsx")
    [issue] = [i for i in run.issues if i.code == "schema.required"]
    row = _row(load_workbook(io.BytesIO(workbook))["Battery"], "/battery/nominalVoltage")
    assert issue.pointer == "/battery/nominalVoltage"
    assert (issue.context["sheet"], issue.context["cell"]) == ("Battery", f"D{row}")


def test_values_typed_in_excel_are_read_as_the_schema_wants() -> None:
    def change(book: Any) -> None:
        period = book["Reporting period"]
        period[f"D{_row(period, '/reportingPeriod/start')}"] = datetime(2025, 1, 1)
        period[f"D{_row(period, '/reportingPeriod/end')}"] = datetime(2025, 12, 31)
        battery = book["Battery"]
        battery[f"D{_row(battery, '/battery/mass')}"] = "480 kg"  # one cell, no unit
        battery[f"E{_row(battery, '/battery/mass')}"] = None
        plant = book["Plant"]
        plant[f"D{_row(plant, '/plant/address/postalCode')}"] = 4002  # a number typed

    read = read_document_workbook(
        _edit(submission_workbook(_example()), change), DocumentKind.SUBMISSION_WORKBOOK
    )
    assert read.issues == []
    assert read.data is not None
    assert read.data["reportingPeriod"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert read.data["battery"]["mass"] == "480 kg"
    assert read.data["plant"]["address"]["postalCode"] == "4002"
    model = SupplierSubmission.model_validate(read.data, by_alias=True, by_name=False)
    assert model.battery.mass.magnitude == pytest.approx(480)


def test_nothing_written_is_silently_dropped() -> None:
    def change(book: Any) -> None:
        book["Bill of materials"]["Z1"] = "myExtraColumn"
        book["Bill of materials"]["Z5"] = "something"
        book.create_sheet("Notes")["A1"] = "a note"
        book["Battery"]["D200"] = "orphan"
        book["Plant"]["K3"] = "a remark beside the form"

    read = read_document_workbook(
        _edit(submission_workbook(_example()), change), DocumentKind.SUBMISSION_WORKBOOK
    )
    where = {(i.code, i.context["sheet"], i.context["cell"]) for i in read.issues}
    assert where == {
        ("xlsx.unknown-column", "Bill of materials", "Z1"),
        ("xlsx.unknown-sheet", "Notes", "A1"),
        ("xlsx.unknown-field", "Battery", "A200"),
        ("xlsx.unknown-column", "Plant", "K3"),
    }


def test_a_damaged_workbook_is_one_issue() -> None:
    run = run_submission(submission_workbook()[:-200], name="s.xlsx")
    assert [i.code for i in run.issues] == ["xlsx.unreadable"]
    assert "damaged" in run.issues[0].message


def test_a_legacy_xls_says_so() -> None:
    run = run_submission(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), name="s.xls")
    assert [i.code for i in run.issues] == ["xlsx.unreadable"]
    assert "legacy .xls" in run.issues[0].message


def test_a_workbook_that_is_no_template_says_which_to_fill() -> None:
    def change(book: Any) -> None:
        book.properties.keywords = None

    run = run_submission(_edit(submission_workbook(), change), name="s.xlsx")
    assert [i.code for i in run.issues] == ["document.wrong-kind"]
    assert "compliance new submission --format xlsx" in run.issues[0].message


def test_control_characters_and_carriage_returns_survive() -> None:
    data = _example()
    data["manufacturer"]["name"] = "ACME\x01 line\r\nnext _x0041_"
    read = read_document_workbook(submission_workbook(data), DocumentKind.SUBMISSION_WORKBOOK)
    assert read.data is not None
    assert read.data["manufacturer"]["name"] == "ACME\x01 line\r\nnext _x0041_"


def test_the_questionnaire_workbook_has_every_question_in_both_languages() -> None:
    book = load_workbook(io.BytesIO(questionnaire_workbook()))
    sheet = book["Answers"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=False))
        for row in sheet.iter_rows(min_row=5)
    ]
    rows = [r for r in rows if r.get("question")]
    assert len(rows) == 52  # the 55 questions less the 3 step-0 items answered in the header
    m101 = next(r for r in rows if r["question"] == "M1-01")
    assert str(m101["#text"]).startswith("Have you adopted a responsible sourcing policy")
    assert str(m101["#text-ja"]).startswith("申告した原材料について、責任ある調達方針")
    assert m101["#answer"] == "yes-no: yes; no"
    # a single-choice question's answer cell offers its options as a drop-down list
    row = next(
        r
        for r in range(5, 80)
        if sheet[f"{get_column_letter(header.index('question') + 1)}{r}"].value == "M1-05"
    )
    cell = f"{get_column_letter(header.index('value') + 1)}{row}"
    [dv] = [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]
    column = dv.formula1.split("!")[1].replace("$", "").split(":")[0][0]
    assert [c.value for c in book["Lists"][column] if c.value] == ["L0", "L1", "L2", "L3", "L4"]


def test_units_have_their_own_column_with_a_list() -> None:
    book = load_workbook(io.BytesIO(submission_workbook(category="ev")))
    sheet = book["Battery"]
    row = _row(sheet, "/battery/mass")
    assert sheet["E1"].value == "Unit"
    lists = [dv for dv in sheet.data_validations.dataValidation if f"E{row}" in str(dv.sqref)]
    [dv] = lists
    assert dv.type == "list"
    assert dv.errorStyle == "warning"
    units = [
        c.value for c in book["Lists"][dv.formula1.split("!")[1].replace("$", "").split(":")[0][0]]
    ]
    assert {"kg", "g", "t"} <= set(units)
    assert sheet[f"G{row}"].value.startswith("Battery weight (Annex VI Part A(5))")


def test_validate_and_cfp_accept_the_workbook(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    path.write_bytes(submission_workbook(_example()))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["cfp", str(path)])
    assert result.exit_code == 0, result.output


def test_dd_scores_the_questionnaire_workbook(tmp_path: Path) -> None:
    data = json.loads(
        (VALID[0].parents[2] / "questionnaires" / "valid" / "strong-supplier.json").read_text(
            "utf-8"
        )
    )
    path = tmp_path / "q.xlsx"
    path.write_bytes(questionnaire_workbook(data))
    result = runner.invoke(app, ["dd", "--as-of", "2026-01-15", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 scored, 0 failed" in result.output


def test_dd_locates_a_bad_answer_at_its_cell(tmp_path: Path) -> None:
    data = json.loads(
        (VALID[0].parents[2] / "questionnaires" / "valid" / "strong-supplier.json").read_text(
            "utf-8"
        )
    )

    def change(book: Any) -> None:
        sheet = book["Answers"]
        header = [c.value for c in sheet[1]]
        column = get_column_letter(header.index("value") + 1)
        sheet[f"{column}5"] = "perhaps"  # M1-01 is yes / no

    path = tmp_path / "q.xlsx"
    path.write_bytes(_edit(questionnaire_workbook(data), change))
    result = runner.invoke(app, ["dd", "--as-of", "2026-01-15", str(path)])
    assert result.exit_code == 1
    assert "Answers!" in result.output
    assert "perhaps" in result.output
