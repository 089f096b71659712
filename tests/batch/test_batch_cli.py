"""``compliance batch``: every input through the pipeline, a summary, resumable, reproducible."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from compliance.cli.main import app
from tests.batch.conftest import AS_OF, EXAMPLES, batch, batch_json, corpus, result_files, runner

# The EV example's carbon footprint per functional unit, hand-derived in
# tests/passport/test_export_trace.py: 4,244.43774 kg CO2e over 36,000 kWh (75 kWh x 60 cycles
# a year x 8 years of warranty).
EV_PER_KWH = 4244.43774 / 36000


@pytest.fixture(scope="module")
def done(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, dict[str, object]]:
    inputs = corpus(tmp_path_factory.mktemp("in"))
    out = tmp_path_factory.mktemp("out") / "batch"
    code, document = batch_json(str(inputs), "--out", str(out), "--as-of", AS_OF, "--workers", "2")
    return out, code, document


def _rows(out: Path) -> dict[str, dict[str, str]]:
    text = (out / "summary.csv").read_text("utf-8")
    return {Path(row["file"]).name: row for row in csv.DictReader(io.StringIO(text))}


def test_every_input_has_a_row_with_its_status_cfp_and_risk(done) -> None:
    out, code, _document = done
    assert code == 1  # invalid inputs are findings
    rows = _rows(out)
    assert len(rows) == 34  # 3 + 19 submissions, 3 + 9 questionnaires
    ev = rows["nmc811-m1-ev.json"]
    assert (ev["kind"], ev["status"], ev["errors"]) == ("submission", "ok", "0")
    assert float(ev["cfp_per_unit"]) == pytest.approx(EV_PER_KWH, rel=1e-9)
    assert ev["cfp_unit"] == "kg CO2e/kWh"
    strong = rows["strong-supplier.json"]  # hand-scored: level 5, low risk (examples/README.md)
    assert (strong["kind"], strong["status"], strong["risk_level"], strong["dd_level"]) == (
        "questionnaire",
        "ok",
        "low",
        "5",
    )
    bomb = rows["alias-bomb.yaml"]
    assert (bomb["status"], bomb["errors"], bomb["cfp_per_unit"]) == ("invalid", "1", "")
    duplicate = rows["duplicate-answer.yaml"]
    assert (duplicate["kind"], duplicate["status"]) == ("questionnaire", "invalid")
    statuses = {row["status"] for row in rows.values()}
    assert statuses == {"ok", "invalid"}
    assert sum(row["status"] == "ok" for row in rows.values()) == 6


def test_outputs_are_the_passport_dd_result_and_issues(done) -> None:
    out, _, _ = done
    ev = _rows(out)["nmc811-m1-ev.json"]
    outputs = ev["outputs"].split(";")
    passport = next(o for o in outputs if o.endswith(".passport.json"))
    sealed = json.loads((out / passport).read_text("utf-8"))
    assert sealed["version"] == 1
    assert sealed["passport"]["provenance"]["generatedAt"].startswith(AS_OF)
    strong = _rows(out)["strong-supplier.json"]["outputs"].split(";")
    assert strong == [o for o in strong if o.endswith(".dd.json")]  # no issues, one result
    result = json.loads((out / strong[0]).read_text("utf-8"))
    assert result["risk"]["level"] == "low"
    bomb = _rows(out)["alias-bomb.yaml"]["outputs"].split(";")
    issues = json.loads((out / bomb[0]).read_text("utf-8"))
    assert bomb[0].endswith(".issues.json")
    assert [i["code"] for i in issues["issues"]] == ["parse.yaml-alias"]


def test_summary_json_is_sorted_and_counts_agree(done) -> None:
    out, _, document = done
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    files = [f["file"] for f in summary["files"]]
    assert files == sorted(files)
    assert summary["totals"] == {
        "files": 34,
        "ok": 6,
        "invalid": 28,
        "unreadable": 0,
        "failed": 0,
        "errors": summary["totals"]["errors"],
        "warnings": summary["totals"]["warnings"],
    }
    assert summary["totals"]["errors"] == sum(f["errors"] for f in summary["files"])
    assert summary["versions"]["asOf"] == AS_OF
    assert summary["versions"]["ruleset"]["id"] == "eu-da-2024-draft"
    assert document["files"] == summary["files"]  # stdout --format json: the same records
    assert document["command"] == "batch"
    assert document["summary"]["complete"] is True
    assert document["summary"]["passed"] == 6
    assert document["summary"]["failed"] == 28
    html = (out / "index.html").read_text("utf-8")
    assert html.count("<tr><td>") == 34
    assert 'class="ok">ok<' in html


def test_a_second_run_skips_everything_and_writes_the_same_files(done, tmp_path) -> None:
    out, _, _ = done
    before = result_files(out)
    inputs = Path(json.loads((out / "summary.json").read_text())["files"][0]["file"]).parents[1]
    code, document = batch_json(str(inputs), "--out", str(out), "--as-of", AS_OF, "--workers", "1")
    assert code == 1
    assert document["summary"]["unchanged"] == 34
    assert result_files(out) == before


def test_a_changed_input_or_version_is_done_again(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    args = (str(inputs / "sub-valid"), "--out", str(out), "--workers", "1")
    assert batch_json(*args, "--as-of", AS_OF)[0] == 0
    ev = inputs / "sub-valid" / "nmc811-m1-ev.json"
    ev.write_text(ev.read_text("utf-8").replace("DBS-2026-EV80-001", "DBS-2026-EV80-002"), "utf-8")
    code, document = batch_json(*args, "--as-of", AS_OF)
    assert (code, document["summary"]["unchanged"]) == (0, 2)  # only the changed file
    code, document = batch_json(*args, "--as-of", "2027-03-02")  # another version fingerprint
    assert (code, document["summary"]["unchanged"]) == (0, 0)


def test_a_deleted_output_is_made_again(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    args = (str(inputs / "sub-valid"), "--out", str(out), "--workers", "1", "--as-of", AS_OF)
    batch_json(*args)
    passport = next(out.rglob("lmt-ebike.json.passport.json"))
    passport.unlink()
    code, document = batch_json(*args)
    assert (code, document["summary"]["unchanged"]) == (0, 2)
    assert passport.is_file()


def test_an_input_that_became_invalid_loses_its_passport(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    args = (str(inputs / "sub-valid"), "--out", str(out), "--workers", "1", "--as-of", AS_OF)
    batch_json(*args)
    passport = next(out.rglob("lmt-ebike.json.passport.json"))
    lmt = inputs / "sub-valid" / "lmt-ebike.json"
    lmt.write_text(lmt.read_text("utf-8").replace('"category": "lmt"', '"category": "bike"'))
    code, document = batch_json(*args)
    assert code == 1
    assert not passport.exists()  # no passport outlives the result it belonged to
    row = next(f for f in document["files"] if f["file"].endswith("lmt-ebike.json"))
    assert row["status"] == "invalid"
    assert row["outputs"] == [
        str(passport.relative_to(out)).replace(".passport.json", ".issues.json")
    ]


def test_pool_sizes_give_byte_identical_results(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    for workers in ("1", "2"):
        batch_json(
            str(inputs), "--out", str(tmp_path / workers), "--as-of", AS_OF, "--workers", workers
        )
    assert result_files(tmp_path / "1") == result_files(tmp_path / "2")


def test_text_output_is_the_issue_lines_and_a_summary_line(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    code, out, _ = batch(
        str(inputs / "sub-invalid" / "nan.json"), "--out", str(tmp_path / "o"), "--as-of", AS_OF
    )
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith(
        "nan.json:31:25: error [parse.non-finite] /battery/usableEnergyBol/value: NaN is not "
        "allowed; numbers must be finite"
    )
    assert lines[-1] == (
        f"1 file checked: 0 ok, 1 invalid (1 error, 0 warnings); summary in "
        f"{tmp_path / 'o'}/index.html"
    )
    code, quiet, _ = batch(
        str(inputs / "sub-invalid" / "nan.json"),
        "--out",
        str(tmp_path / "o"),
        "--as-of",
        AS_OF,
        "--quiet",
    )
    assert quiet.splitlines() == [
        lines[-1].replace("; summary", "; 1 unchanged since the last run; summary")
    ]
    code, again, _ = batch(  # a re-run reports an unchanged input as the run that did it
        str(inputs / "sub-invalid" / "nan.json"), "--out", str(tmp_path / "o"), "--as-of", AS_OF
    )
    assert (code, again.splitlines()[:-1]) == (1, lines[:-1])


def test_usage_errors_exit_2(tmp_path) -> None:
    code, _, err = batch("missing-dir", "--out", str(tmp_path / "o"))
    assert code == 2
    assert "missing-dir: no such file or directory" in err
    code, _, err = batch("-", "--out", str(tmp_path / "o"))
    assert code == 2
    assert "standard input" in err
    ev = str(Path(__file__).parents[2] / "examples" / "valid" / "nmc811-m1-ev.json")
    code, _, err = batch(ev, "--out", str(tmp_path / "o"), "--ruleset", "no-such-ruleset")
    assert code == 2
    assert "no-such-ruleset" in err
    code, _, err = batch(ev, "--out", str(tmp_path / "o"), "--workers", "2", "--dask-local", "2")
    assert code == 2
    assert "--workers is for the process pool" in err


@pytest.mark.slow
def test_reports_renders_the_pdfs_of_each_result(tmp_path) -> None:
    pytest.importorskip("weasyprint", reason="the 'pdf' extra is not installed")
    from pypdf import PdfReader

    inputs = corpus(tmp_path / "in")
    out = tmp_path / "out"
    ev = inputs / "sub-valid" / "nmc811-m1-ev.json"
    strong = inputs / "q-valid" / "strong-supplier.json"
    code, document = batch_json(
        str(ev), str(strong), "--out", str(out), "--as-of", AS_OF, "--reports", "--workers", "1"
    )
    assert code == 0
    pdfs = sorted(o for f in document["files"] for o in f["outputs"] if o.endswith(".pdf"))
    assert [p.rsplit(".json.", 1)[1] for p in pdfs] == ["dd.pdf", "cfp.pdf", "passport.pdf"]
    for name in pdfs:
        reader = PdfReader(out / name)
        assert len(reader.pages) >= 1
    sheet = PdfReader(out / pdfs[2]).pages[0].extract_text()
    assert "Battery passport" in sheet
    assert "access level: public" in sheet
    # the same declaration, byte for byte, as `compliance report --kind cfp` of the file
    single = tmp_path / "single.pdf"
    result = runner.invoke(
        app, ["report", str(ev), "--kind", "cfp", "-o", str(single), "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    assert (out / pdfs[1]).read_bytes() == single.read_bytes()


def test_an_output_directory_inside_the_inputs_is_not_read_as_input(tmp_path) -> None:
    inputs = corpus(tmp_path / "in")
    out = inputs / "sub-valid" / "results"
    args = (str(inputs / "sub-valid"), "--out", str(out), "--as-of", AS_OF, "--workers", "1")
    assert batch_json(*args)[1]["summary"]["files"] == 3
    code, stdout, stderr = batch("--format", "json", *args)
    assert code == 0
    assert json.loads(stdout)["summary"]["unchanged"] == 3
    # summary.json, 3 passports and 3 issues files
    assert "skipping 7 file(s) under the output directory" in stderr


def test_kinds_are_the_detector_of_every_command(tmp_path) -> None:
    """The DD questionnaire workbook is scored; a PACT footprint is told what it is."""
    from compliance.workbooks.templates import questionnaire_workbook

    strong = EXAMPLES / "questionnaires" / "valid" / "strong-supplier.json"
    workbook = tmp_path / "q.xlsx"
    workbook.write_bytes(questionnaire_workbook(json.loads(strong.read_text("utf-8"))))
    pact = EXAMPLES / "pact" / "bms-supplier-v3.json"
    out = tmp_path / "out"
    code, document = batch_json(str(workbook), str(pact), "--out", str(out), "--as-of", AS_OF)
    assert code == 1
    rows = {Path(f["file"]).name: f for f in document["files"]}
    assert (rows["q.xlsx"]["kind"], rows["q.xlsx"]["status"]) == ("questionnaire", "ok")
    assert rows["q.xlsx"]["riskLevel"] == "low"
    assert rows["bms-supplier-v3.json"]["status"] == "invalid"
    issues = json.loads((out / rows["bms-supplier-v3.json"]["outputs"][0]).read_text("utf-8"))
    assert [i["code"] for i in issues["issues"]] == ["document.wrong-kind"]
    assert "PACT / Catena-X product carbon footprint" in issues["issues"][0]["message"]
