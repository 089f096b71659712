"""``compliance report``: exit codes, messages, outputs; never a traceback."""

from __future__ import annotations

import builtins
import hashlib
import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
EV = str(EXAMPLES / "valid" / "nmc811-m1-ev.json")
BUS = str(EXAMPLES / "valid" / "lfp-m3-bus.yaml")


def invoke(*args: str, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    result = runner.invoke(app, ["report", "--as-of", "2026-11-29", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


def test_writes_a_pdfa_report(tmp_path: Path) -> None:
    out = tmp_path / "ev.pdf"
    code, _, err = invoke(EV, "--kind", "cfp", "--lang", "ja", "-o", str(out))
    assert code == 0, err
    assert f"wrote {out} (cfp, ja, pdf," in err
    reader = PdfReader(BytesIO(out.read_bytes()))
    assert reader.trailer["/Root"]["/Lang"] == "ja"  # type: ignore[index]
    assert "カーボンフットプリント宣言" in reader.pages[0].extract_text()
    assert "[cfp.eol-not-modelled]" in err  # warnings are shown, and in the report
    assert "renderer" not in err  # no WeasyPrint warning or error


def test_html_to_standard_output_from_standard_input() -> None:
    code, out, _ = invoke(
        "-", "--kind", "cfp", "--format", "html", "-o", "-", stdin=Path(BUS).read_bytes()
    )
    assert code == 0
    html = out.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    digest = hashlib.sha256(Path(BUS).read_bytes()).hexdigest()
    assert digest in html  # the input named by its SHA-256 in the provenance table ...
    assert "&lt;stdin&gt;" not in html  # ... never by a label or a local path


def test_monte_carlo_fills_the_uncertainty_section() -> None:
    code, out, _ = invoke(
        BUS, "--kind", "cfp", "-f", "html", "-o", "-", "--monte-carlo", "300", "--seed", "2"
    )
    assert code == 0
    assert "300 samples, seed 2" in out.decode("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "poster"], "unknown report kind 'poster'; available: cfp, dd, passport"),
        (["--kind", "cfp", "--access", "public"], "--access applies to the passport sheet only"),
        (["--kind", "passport", "--access", "press"], "unknown access level 'press'; use public"),
        (["--kind", "cfp", "--lang", "fr"], "unsupported language 'fr'; supported: en, ja"),
        (["--kind", "cfp", "--format", "docx"], "unknown format 'docx'; use pdf or html"),
        (["--kind", "cfp", "--ruleset", "eu-2030"], "unknown ruleset 'eu-2030'"),
    ],
)
def test_usage_errors_exit_two(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "r.pdf"
    code, _, err = invoke(EV, *args, "-o", str(out))
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_missing_file_and_output_directory_exit_two(tmp_path: Path) -> None:
    code, _, err = invoke(str(tmp_path / "none.json"), "--kind", "cfp", "-o", "x.pdf")
    assert code == 2
    assert "none.json: no such file" in err
    code, _, err = invoke(str(tmp_path), "--kind", "cfp", "-o", "x.pdf")
    assert code == 2
    assert "several inputs or a directory need -o DIR" in err
    code, _, err = invoke(EV, "--kind", "cfp", "-o", str(tmp_path / "no" / "x.pdf"))
    assert code == 2
    assert "the directory does not exist" in err


def test_bad_date_is_a_usage_error() -> None:
    code, _, err = invoke(EV, "--kind", "cfp", "-o", "-", "--as-of", "29/11/2026")
    assert code == 2
    assert "YYYY-MM-DD" in err


def test_invalid_submission_exits_one_with_located_issues(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    bad = str(EXAMPLES / "invalid" / "wrong-dimension.json")
    code, _, err = invoke(bad, "--kind", "cfp", "-o", str(out))
    assert code == 1
    assert "wrong-dimension.json:27:5: error [units.dimensionality] /battery/mass" in err
    assert "invalid submission, no report written" in err
    assert not out.exists()


def test_missing_results_exit_one(tmp_path: Path) -> None:
    document = json.loads(Path(EV).read_text("utf-8"))
    del document["transport"][0]["emissionFactor"]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "r.pdf"
    code, _, err = invoke(str(path), "--kind", "cfp", "-o", str(out))
    assert code == 1
    assert "error [cfp.factor-missing] /transport/0/emissionFactor" in err
    assert "no result" in err
    assert not out.exists()


def test_without_the_pdf_extra_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = builtins.__import__

    def no_reports(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "compliance" and args and args[2] and "reports" in args[2]:
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_reports)
    code, _, err = invoke(EV, "--kind", "cfp", "-o", "-")
    assert code == 2
    assert "reports need the 'pdf' extra (pip install 'compliance[pdf]')" in err


@pytest.mark.slow
def test_two_processes_write_byte_identical_pdfs(tmp_path: Path) -> None:
    outputs = []
    for run in (1, 2):
        out = tmp_path / f"{run}.pdf"
        command = [sys.executable, "-m", "compliance", "report", EV, "--kind", "cfp"]
        proc = subprocess.run(
            [*command, "--lang", "ja", "--as-of", "2026-11-29", "-o", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


HONEST = str(ROOT / "examples" / "questionnaires" / "valid" / "honest-red-flag.json")
BAD_QUESTIONNAIRE = str(ROOT / "examples" / "questionnaires" / "invalid" / "unknown-question.json")


def test_writes_a_dd_audit_report(tmp_path: Path) -> None:
    out = tmp_path / "dd.pdf"
    code, _, err = invoke(
        HONEST, "--kind", "dd", "--lang", "ja", "--as-of", "2026-01-15", "-o", str(out)
    )
    assert code == 0, err
    reader = PdfReader(BytesIO(out.read_bytes()))
    assert "デュー・ディリジェンス監査報告書" in reader.pages[0].extract_text()
    assert list(reader.attachments) == ["dd-result.json"]
    assert reader.metadata["/CreationDate"] == "D:20260115000000Z"  # type: ignore[index]


def test_an_invalid_questionnaire_exits_one_with_located_issues(tmp_path: Path) -> None:
    out = tmp_path / "dd.pdf"
    code, _, err = invoke(
        BAD_QUESTIONNAIRE, "--kind", "dd", "--as-of", "2026-01-15", "-o", str(out)
    )
    assert code == 1
    assert "unknown-question.json" in err
    assert "error [" in err
    assert "invalid questionnaire, no report written" in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.fixture(scope="module")
def sealed_ev(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sealed") / "ev.passport.json"
    result = runner.invoke(
        app,
        [
            "passport",
            EV,
            "--as-of",
            "2027-09-01",
            "--generated-at",
            "2027-09-01T08:00:00Z",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_writes_the_public_passport_sheet_by_default(sealed_ev: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    result = runner.invoke(
        app, ["report", str(sealed_ev), "--kind", "passport", "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    html = out.read_text("utf-8")
    assert "access level: public" in html
    assert "UN 38.3" not in html  # authorities only
    assert "1 September 2027" in html  # completeness date: the passport's generation day


def test_the_authority_sheet(sealed_ev: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(
        app,
        [
            "report",
            str(sealed_ev),
            "--kind",
            "passport",
            "--access",
            "authority",
            "--lang",
            "ja",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(BytesIO(out.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "UN 38.3" in text
    assert reader.metadata["/CreationDate"] == "D:20270901080000Z"  # type: ignore[index]


def test_a_tampered_passport_exits_one_with_the_reasons(sealed_ev: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(sealed_ev.read_bytes().replace(b'"version":1', b'"version":2'))
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(app, ["report", str(tampered), "--kind", "passport", "-o", str(out)])
    assert result.exit_code == 1
    assert "error [passport.verification] digest mismatch" in result.stderr
    assert "the passport does not verify, no report" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_public_document_cannot_give_the_full_sheet(sealed_ev: Path, tmp_path: Path) -> None:
    public = tmp_path / "public.json"
    result = runner.invoke(
        app,
        [
            "passport",
            EV,
            "--as-of",
            "2027-09-01",
            "--generated-at",
            "2027-09-01T08:00:00Z",
            "--access",
            "public",
            "-o",
            str(public),
        ],
    )
    assert result.exit_code == 0
    result = runner.invoke(
        app,
        [
            "report",
            str(public),
            "--kind",
            "passport",
            "--access",
            "full",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code == 2
    assert "holds the public view of the passport" in result.stderr


def test_a_sheet_from_a_submission_builds_the_passport(tmp_path: Path) -> None:
    code, out, err = invoke(BUS, "--kind", "passport", "--access", "full", "-f", "html", "-o", "-")
    assert code == 0, err
    html = out.decode("utf-8")
    assert "version 1" in html
    assert "29 November 2026, 00:00:00 UTC" in html  # generated at midnight of --as-of
