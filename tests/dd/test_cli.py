"""``compliance dd`` (score, import) and ``compliance rules test|lint``: exit codes, output."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import ROOT
from tests.dd.conftest import QUESTIONNAIRES
from tests.dd.rmi_fixtures import emrt_workbook, smelter

runner = CliRunner()
VALID = str(QUESTIONNAIRES / "valid")
INVALID = str(QUESTIONNAIRES / "invalid")


def invoke(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_score_valid_examples_short_form() -> None:
    code, out, _ = invoke("dd", "--as-of", "2026-01-15", VALID)
    assert code == 0
    assert "strong-supplier.json: maturity 100.0 (level 5 Verified), risk low, confidence A" in out
    assert "honest-red-flag.json: maturity 93.9 (level 4 Managed, uncapped 5), risk high" in out
    assert "critical addressed RF-M2-16-SERIOUS-ABUSE (cobalt)" in out
    assert out.splitlines()[-1] == (
        "3 files checked: 3 scored, 0 failed (0 errors, 0 warnings); risk: 2 high, 1 low"
    )


def test_long_form_and_explain() -> None:
    path = str(QUESTIONNAIRES / "valid" / "weak-yes-to-everything.json")
    code, out, _ = invoke("dd", "score", "--explain", "--as-of", "2026-01-15", path)
    assert code == 0
    assert "catalogue dd-battery-raw-materials 2026.1; tables country-risk-demo 2026.1-demo" in out
    assert "risk.high-flag -> high" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("M1-02 "))
    assert "rescored by CX-05 (was 'yes')" in line
    assert (
        "[BattReg Art. 49(1) (communicate to suppliers and the public); RMI EMRT 2.1 question B]"
        in line
    )


def test_json_output() -> None:
    code, out, _ = invoke("dd", "-f", "json", "--as-of", "2026-01-15", VALID)
    assert code == 0
    document = json.loads(out)
    assert document["asOf"] == "2026-01-15"
    assert document["summary"] == {
        "files": 3,
        "passed": 3,
        "failed": 0,
        "skipped": 0,
        "unreadable": 0,
        "errors": 0,
        "warnings": 0,
        "notes": 0,
        "outcomes": {"high": 2, "low": 1},
    }
    results = {Path(f["source"]).name: f["result"] for f in document["files"]}
    assert results["strong-supplier.json"]["maturity"]["level"] == 5
    assert results["strong-supplier.json"]["batteryPass"]["supplyChainIndicies"] == 100.0
    for entry in document["files"]:  # the SHA-256 of each input document (issue 13)
        assert entry["sha256"] == hashlib.sha256(Path(entry["source"]).read_bytes()).hexdigest()


def test_invalid_examples_exit_one_with_located_issues() -> None:
    code, out, _ = invoke("dd", "--as-of", "2026-01-15", INVALID)
    assert code == 1
    assert (
        "unknown-evidence.json:16:56: error [dd.unknown-evidence] /answers/0/evidence/0: "
        "evidence 'polcy' is not in the evidence register; did you mean 'policy'?"
    ) in out
    assert out.splitlines()[-1] == ("9 files checked: 0 scored, 9 failed (21 errors, 0 warnings)")


def test_fail_on_risk() -> None:
    code, *_ = invoke("dd", "--as-of", "2026-01-15", "--fail-on-risk", "high", VALID)
    assert code == 1
    code, *_ = invoke("dd", "--as-of", "2026-01-15", "--fail-on-risk", "critical", VALID)
    assert code == 0


def test_expected_material_is_a_finding_in_the_result() -> None:
    path = str(QUESTIONNAIRES / "valid" / "strong-supplier.json")
    code, out, _ = invoke(
        "dd", "--as-of", "2026-01-15", "--expect-material", "natural-graphite", "-f", "json", path
    )
    assert code == 0
    result = json.loads(out)["files"][0]["result"]
    # natural graphite declared absent but expected: CX-11; then present without a processor: CX-03
    assert {c["id"] for c in result["contradictions"]} == {"CX-11", "CX-03"}


def test_usage_errors_exit_two() -> None:
    assert invoke("dd", "--as-of", "2026-01-15", "no/such.json")[0] == 2
    code, _, err = invoke("dd", "--as-of", "15.01.2026", VALID)
    assert code == 2
    assert "not a date" in err
    code, _, err = invoke("dd", "--format", "yaml", "--as-of", "2026-01-15", VALID)
    assert code == 2
    assert "'yaml' is not one of" in " ".join(err.replace("│", "").split())


def test_import_writes_a_questionnaire(tmp_path: Path) -> None:
    workbook = tmp_path / "supplier.xlsx"
    workbook.write_bytes(
        emrt_workbook(
            smelters=[smelter("Cobalt", "Demo Cobalt Refinery Alpha", "Finland", "DEMO-CO-001")]
        )
    )
    target = tmp_path / "questionnaire.json"
    code, _, err = invoke(
        "dd",
        "import",
        str(workbook),
        "-o",
        str(target),
        "--role",
        "cam-aam-maker",
        "--as-of",
        "2026-01-15",
    )
    assert code == 0, err
    assert f"supplier.xlsx: EMRT 2.1 imported to {target}" in err
    document = json.loads(target.read_text("utf-8"))
    assert document["header"]["roles"] == ["cam-aam-maker"]
    code, out, _ = invoke("dd", "--as-of", "2026-01-15", str(target))
    assert code == 0
    assert "questionnaire.json: maturity" in out


def test_import_of_a_bad_workbook_writes_nothing(tmp_path: Path) -> None:
    workbook = tmp_path / "bad.xlsx"
    workbook.write_bytes(emrt_workbook(header={"effective_date": "03/04/2025"}))
    target = tmp_path / "out.json"
    code, _, err = invoke("dd", "import", str(workbook), "-o", str(target), "--as-of", "2026-01-15")
    assert code == 1
    assert "bad.xlsx: error [rmi.date] Declaration!D26: '03/04/2025' is not a date" in err
    assert not target.exists()
    assert invoke("dd", "import", str(tmp_path / "missing.xlsx"))[0] == 2


def test_rules_test_and_lint() -> None:
    code, out, _ = invoke("rules", "test")
    assert code == 0
    assert out.splitlines()[-1].endswith("passed, 0 failed")
    code, out, _ = invoke(
        "rules", "test", str(ROOT / "tests" / "rules" / "fixtures" / "failing_points.yaml")
    )
    assert code == 1
    assert "FAILED" in out
    assert "questions.M1-01.points: expected 3, got 1.5" in out
    code, out, _ = invoke("rules", "lint")
    assert code == 0, out
    assert out.splitlines()[-1] == "rules lint: 0 error(s), 0 warning(s)"


def test_rules_lint_reports_a_broken_pack(tmp_path: Path) -> None:
    import shutil

    pack = tmp_path / "dd"
    shutil.copytree(ROOT / "rules" / "dd", pack)
    step = pack / "steps" / "5-reporting.yaml"
    step.write_text(step.read_text("utf-8").replace("weight: 4\n", "weight: 5\n", 1), "utf-8")
    translation = pack / "i18n" / "ja.yaml"
    translation.write_text(translation.read_text("utf-8") + '  M9-99: "存在しない"\n', "utf-8")
    code, out, _ = invoke("rules", "lint", "--root", str(pack))
    assert code == 1
    warning = "warning [rules.weight-sum] /weight: question weights of S5 add up to 11"
    assert f"steps/5-reporting.yaml: {warning}" in out
    assert "i18n/ja.yaml: error [rules.translation-unknown-question] /questions/M9-99" in out
    assert invoke("rules", "lint", "--root", str(tmp_path))[0] == 2


def test_the_guides_document_the_dd_commands() -> None:
    readme = "".join(
        (ROOT / "docs" / page).read_text("utf-8") for page in ("supplier.md", "auditor.md", "ci.md")
    )
    for command in (
        "compliance dd ",
        "compliance dd score",
        "compliance dd import",
        "compliance rules test",
        "compliance rules lint",
    ):
        assert command in readme, command


def test_an_engine_failure_is_an_issue_not_a_traceback(monkeypatch) -> None:
    import compliance.cli.dd_cmd as dd_cmd

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(dd_cmd, "run_questionnaire", broken)
    path = str(QUESTIONNAIRES / "valid" / "strong-supplier.json")
    code, out, _ = invoke("dd", "--as-of", "2026-01-15", path)
    assert code == 2
    assert "error [internal.error] internal error (RuntimeError: boom)" in out
