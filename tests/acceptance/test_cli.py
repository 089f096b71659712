"""``compliance validate``: exit codes, discovery, formats, limits; never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
VALID_DIR = str(EXAMPLES / "valid")
INVALID_DIR = str(EXAMPLES / "invalid")


def invoke(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_valid_examples_exit_zero() -> None:
    code, out, _ = invoke("validate", VALID_DIR)
    assert code == 0
    assert out.strip() == "3 files checked: 3 valid, 0 invalid (0 errors, 0 warnings)"


def test_invalid_examples_exit_one_with_every_expected_issue() -> None:
    code, out, _ = invoke("validate", INVALID_DIR)
    assert code == 1
    for expectation in (EXAMPLES / "expected").glob("*.json"):
        expected = json.loads(expectation.read_text("utf-8"))
        for issue in expected["issues"]:
            if issue["severity"] == "info":
                continue
            position = f":{issue['line']}:{issue['column']}" if "line" in issue else ""
            head = f"{Path(INVALID_DIR) / expected['file']}{position}: {issue['severity']}"
            pointer = f"{issue['pointer']}: " if issue["pointer"] else ""
            assert f"{head} [{issue['code']}] {pointer}" in out, (head, issue)
    assert "19 files checked: 0 valid, 19 invalid" in out


def test_mixed_batch_summary_and_exit_code() -> None:
    code, out, _ = invoke("validate", VALID_DIR, str(EXAMPLES / "invalid" / "semantic-errors.json"))
    assert code == 1
    assert out.splitlines()[-1] == "4 files checked: 3 valid, 1 invalid (5 errors, 1 warning)"


def test_glob_patterns_are_expanded_recursively() -> None:
    code, out, _ = invoke("validate", str(EXAMPLES / "**" / "lmt-*.json"))
    assert (code, out.strip()) == (0, "1 file checked: 1 valid, 0 invalid (0 errors, 0 warnings)")


def test_missing_path_is_a_usage_error() -> None:
    code, out, err = invoke("validate", VALID_DIR, "no/such/file.json")
    assert code == 2
    assert "no/such/file.json: no such file or directory" in err
    assert "3 files checked" in out  # the rest is still checked


def test_pattern_matching_nothing_is_a_usage_error() -> None:
    code, _, err = invoke("validate", "nothing-here-*.json")
    assert code == 2
    assert "the pattern matches no files" in err


def test_empty_directory_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("validate", str(tmp_path))
    assert code == 2
    assert "no .json, .yaml or .yml files" in err


def test_unknown_option_is_a_usage_error() -> None:
    code, _, _ = invoke("validate", "--format", "xml", VALID_DIR)
    assert code == 2


def test_file_size_limit_is_configurable_and_named(tmp_path: Path) -> None:
    code, out, _ = invoke("validate", "--max-file-size", "1KiB", VALID_DIR)
    assert code == 1
    assert "[io.too-large] the file is too large" in out
    assert "limit 1 KiB" in out
    env_code = runner.invoke(
        app, ["validate", VALID_DIR], env={"COMPLIANCE_MAX_FILE_SIZE": "2KB"}
    ).exit_code
    assert env_code == 1


def test_bad_size_option() -> None:
    code, _, err = invoke("validate", "--max-file-size", "ten", VALID_DIR)
    assert code == 2
    assert "is not a size" in err


def test_unreadable_file_is_an_io_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.json"
    path.write_text("{}")
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "secret.json":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    code, out, _ = invoke("validate", str(path), VALID_DIR)
    assert code == 2
    assert "secret.json: error [io.unreadable] cannot read the file: Permission denied" in out
    assert "could not be read" in out.splitlines()[-1]


def test_directory_named_like_a_document_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "dir.json").mkdir()
    shutil.copy(EXAMPLES / "valid" / "lmt-ebike.json", tmp_path / "a.json")
    code, out, _ = invoke("validate", str(tmp_path))
    assert (code, out.strip()) == (0, "1 file checked: 1 valid, 0 invalid (0 errors, 0 warnings)")


def test_hidden_directories_are_not_searched(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.json").write_text("{}")
    shutil.copy(EXAMPLES / "valid" / "lmt-ebike.json", tmp_path / "a.json")
    code, _, _ = invoke("validate", str(tmp_path))
    assert code == 0


def test_stdin() -> None:
    data = (EXAMPLES / "valid" / "lfp-m3-bus.yaml").read_bytes()
    code, out, _ = invoke("validate", "-", stdin=data)
    assert (code, out.strip()) == (0, "1 file checked: 1 valid, 0 invalid (0 errors, 0 warnings)")
    code, out, _ = invoke("validate", "--input-format", "json", "-", stdin=data)
    assert code == 1
    assert "<stdin>:1:1: error [parse.invalid-json]" in out


def test_fail_on_warning() -> None:
    path = str(EXAMPLES / "invalid" / "semantic-errors.json")
    assert invoke("validate", path)[0] == 1
    warn_only = json.loads((EXAMPLES / "valid" / "lmt-ebike.json").read_text())
    warn_only["battery"]["vehicleClass"] = "L"  # warning: vehicle class on a non-EV battery
    data = json.dumps(warn_only).encode()
    assert invoke("validate", "-", stdin=data)[0] == 0
    assert invoke("validate", "--fail-on", "warning", "-", stdin=data)[0] == 1


def test_json_format() -> None:
    code, out, _ = invoke("validate", "--format", "json", VALID_DIR, INVALID_DIR)
    assert code == 1
    document = json.loads(out)
    assert document["summary"] == {
        "files": 22,
        "passed": 3,
        "failed": 19,
        "skipped": 0,
        "unreadable": 0,
        "errors": 35,
        "warnings": 1,
        "notes": 10,
    }
    by_name = {Path(f["source"]).name: f for f in document["files"]}
    assert by_name["nmc811-m1-ev.json"]["valid"] is True
    issue = by_name["wrong-dimension.json"]["issues"][0]
    assert issue == {
        "code": "units.dimensionality",
        "severity": "error",
        "layer": "model",
        "pointer": "/battery/mass",
        "message": "expected mass (e.g. kg), got 'kWh' which is an energy",
        "line": 27,
        "column": 5,
        "context": {"unit": ["5", "kWh"][1], "expected": ["mass"]},
    }


def test_junit_format() -> None:
    code, out, _ = invoke("validate", "--format", "junit", VALID_DIR, INVALID_DIR)
    assert code == 1
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("22", "19")
    cases = {Path(c.get("name", "")).name: c for c in suite.iter("testcase")}
    assert cases["lmt-ebike.json"].find("failure") is None
    failure = cases["unknown-units.json"].find("failure")
    assert failure is not None
    assert "units.undefined" in (failure.get("message") or "")
    assert "/transport/1/distance/unit" in (failure.text or "")


def test_github_format() -> None:
    path = str(EXAMPLES / "invalid" / "unknown-fields.json")
    code, out, _ = invoke("validate", "--format", "github", path)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        f"::error file={path},line=32,col=5,title=schema.additionalProperties::"
        "/battery/vehicle_class: unknown field 'vehicle_class'; did you mean 'vehicleClass'?"
    )
    assert not any(line.startswith("::notice") for line in lines)  # info notes are not annotated
    assert lines[-1].startswith("1 file checked")


def test_github_escaping(tmp_path: Path) -> None:
    path = tmp_path / "a,b:c.json"
    path.write_text('{"x": 1,\n}')
    _, out, _ = invoke("validate", "--format", "github", str(path))
    assert "file=" + str(tmp_path).replace(":", "%3A") + "/a%2Cb%3Ac.json" in out


def test_verbose_and_quiet() -> None:
    _, out, _ = invoke("validate", "-v", VALID_DIR)
    assert "lmt-ebike.json: valid" in out
    _, out, _ = invoke("validate", "-q", INVALID_DIR)
    assert out.strip().startswith("19 files checked")


def test_progress_can_be_forced(tmp_path: Path) -> None:
    code, _, err = invoke("validate", "--progress", VALID_DIR)
    assert code == 0
    assert "Traceback" not in err


def test_schema_command() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    assert json.loads(out)["$id"] == "urn:compliance:schema:supplier-submission:1.0.0"
    code, out, _ = invoke("schema", "passport")
    assert code == 0
    assert json.loads(out)["$id"] == "urn:compliance:schema:passport:1.0.0"
    assert invoke("schema", "battery-pass")[0] == 2


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out.startswith("compliance ")


@pytest.mark.slow
def test_python_dash_m_and_exit_codes_in_a_real_process() -> None:
    for target, expected in ((VALID_DIR, 0), (INVALID_DIR, 1), ("missing.json", 2)):
        proc = subprocess.run(
            [sys.executable, "-m", "compliance", "validate", target],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert proc.returncode == expected, proc.stderr
        assert "Traceback" not in proc.stderr
