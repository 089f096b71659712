"""The five report formats, the same on validate, cfp and dd, checked by their real consumers.

JUnit XML is validated against Jenkins xUnit's ``junit-10.xsd`` and read with ``junitparser``;
SARIF against the official SARIF 2.1.0 JSON Schema; github annotations are checked line by line
(file, line and column from the JSON source map) with the step summary they append.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from compliance.cli.reporters import FileResult, OutputFormat, ReportSettings, report_all
from compliance.errors import Issue, Layer, Severity
from tests.ci.conftest import (
    AS_OF,
    QUESTIONNAIRES,
    SUBMISSIONS,
    invoke,
    junit_schema,
    sarif_validator,
)

UNKNOWN_UNITS = str(SUBMISSIONS / "invalid" / "unknown-units.json")
SEMANTIC = str(SUBMISSIONS / "invalid" / "semantic-errors.json")
EV = str(SUBMISSIONS / "valid" / "nmc811-m1-ev.json")

# command -> (arguments, files, failed)
RUNS: dict[str, tuple[list[str], int, int]] = {
    "validate": (
        ["validate", str(SUBMISSIONS / "valid"), str(SUBMISSIONS / "invalid")],
        22,
        19,
    ),
    "cfp": (["cfp", *AS_OF, str(SUBMISSIONS / "valid"), SEMANTIC, UNKNOWN_UNITS], 5, 2),
    "dd": (
        [
            "dd",
            "--as-of",
            "2026-01-15",
            str(QUESTIONNAIRES / "valid"),
            str(QUESTIONNAIRES / "invalid"),
        ],
        12,
        9,
    ),
}


def _run(command: str, fmt: str, *extra: str) -> tuple[int, str, str]:
    args, _, _ = RUNS[command]
    return invoke(args[0], "--format", fmt, *extra, *args[1:])


@pytest.mark.parametrize("command", sorted(RUNS))
def test_every_command_offers_the_same_five_formats(command: str) -> None:
    """What ``--help`` offers is what the command accepts (``dd`` offered junit, then refused)."""
    name = ["dd", "score"] if command == "dd" else [command]
    code, out, _ = invoke(*name, "--help", env={"COLUMNS": "300"})
    assert code == 0
    for option in ("--format", "--quiet", "--allow-empty", "--changed-since", "--skip-unknown"):
        assert option in out
    assert "<text|json|junit|github|sarif>" in out
    for fmt in OutputFormat:
        code, out, err = _run(command, fmt.value)
        assert code == 1, err
        assert out


@pytest.mark.parametrize("command", sorted(RUNS))
def test_junit_is_valid_and_read_by_junitparser(command: str) -> None:
    _, files, failed = RUNS[command]
    code, out, _ = _run(command, "junit")
    assert code == 1
    junit_schema().validate(out)  # raises with the location of any violation
    xml = JUnitXml.fromstring(out)
    suites = list(xml)
    assert len(suites) == 1
    suite = suites[0]
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (files, failed, 0, 0)
    cases = list(suite)
    assert len(cases) == files
    failing = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    assert len(failing) == failed


def test_junit_failure_names_the_located_errors() -> None:
    code, out, _ = invoke("validate", "--format", "junit", UNKNOWN_UNITS)
    assert code == 1
    case = next(iter(next(iter(JUnitXml.fromstring(out)))))
    assert case.name == UNKNOWN_UNITS
    assert case.classname == "supplier-submission"
    failure = case.result[0]
    assert isinstance(failure, Failure)
    assert failure.message.startswith("2 error(s): units.undefined at /battery/mass")
    assert f"{UNKNOWN_UNITS}:27:5: error [units.undefined] /battery/mass" in (failure.text or "")


def test_junit_marks_skipped_and_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.0.0"}')
    unreadable = tmp_path / "a.submission.json"
    unreadable.write_text("{}")
    unreadable.chmod(0)
    code, out, _ = invoke("validate", "--format", "junit", "--skip-unknown", str(tmp_path))
    junit_schema().validate(out)
    suite = next(iter(JUnitXml.fromstring(out)))
    results = {Path(c.name).name: c.result for c in suite}
    assert isinstance(results["package.json"][0], Skipped)
    try:
        unreadable.read_bytes()
    except PermissionError:  # not root: the file cannot be read
        assert code == 2
        assert isinstance(results["a.submission.json"][0], Error)
        assert suite.errors == 1
    else:  # root reads it anyway: an empty object, invalid
        assert code == 1
        assert isinstance(results["a.submission.json"][0], Failure)
    assert suite.skipped == 1


@pytest.mark.parametrize("command", sorted(RUNS))
def test_sarif_is_valid_sarif_2_1_0(command: str) -> None:
    code, out, _ = _run(command, "sarif")
    assert code == 1
    document = json.loads(out)
    errors = sorted(sarif_validator().iter_errors(document), key=str)
    assert not errors, errors[0]
    run = document["runs"][0]
    used = {r["ruleId"] for r in run["results"]}
    assert used == {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert all(rule["shortDescription"]["text"] for rule in run["tool"]["driver"]["rules"])


def test_sarif_locates_each_issue_as_the_json_report_does() -> None:
    _, out, _ = invoke("validate", "--format", "sarif", UNKNOWN_UNITS)
    _, report, _ = invoke("validate", "--format", "json", UNKNOWN_UNITS)
    issues = json.loads(report)["files"][0]["issues"]
    results = json.loads(out)["runs"][0]["results"]
    assert len(results) == len(issues)
    for result, issue in zip(results, issues, strict=True):
        location = result["locations"][0]
        assert result["ruleId"] == issue["code"]
        assert (
            result["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[issue["severity"]]
        )
        assert location["physicalLocation"]["artifactLocation"]["uri"] == UNKNOWN_UNITS
        if issue.get("line") is not None:
            assert location["physicalLocation"]["region"] == {
                "startLine": issue["line"],
                "startColumn": issue["column"],
            }
        if issue["pointer"]:
            assert location["logicalLocations"][0]["fullyQualifiedName"] == issue["pointer"]


def test_sarif_of_a_clean_run_is_valid_and_empty() -> None:
    code, out, _ = invoke(
        "validate", "--format", "sarif", "--no-cfp-check", str(QUESTIONNAIRES / "valid")
    )
    document = json.loads(out)
    assert not list(sarif_validator().iter_errors(document))
    notes = [r for r in document["runs"][0]["results"] if r["level"] != "note"]
    assert (code, notes) == (0, [])
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is True


ANNOTATION = re.compile(
    r"^::(error|warning) file=([^,]+)(?:,line=(\d+),col=(\d+))?,title=([^:]+)::(.*)$"
)


@pytest.mark.parametrize("command", sorted(RUNS))
def test_github_annotations_and_step_summary(command: str, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    args, files, failed = RUNS[command]
    code, out, _ = invoke(
        args[0], "--format", "github", *args[1:], env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert code == 1
    lines = out.splitlines()
    annotations = lines[:-1]
    assert annotations
    for line in annotations:
        assert ANNOTATION.match(line), line
    assert re.match(rf"{files} files checked: \d+ \w+, {failed} \w+ \(", lines[-1])
    text = summary.read_text()
    assert text.startswith("earlier step\n")  # appended, never overwritten
    assert f"### compliance {command}" in text
    assert ":x: " + lines[-1] in text
    assert text.count("\n| `") == failed  # one table row per failed file


def test_github_annotation_carries_line_and_column() -> None:
    _, out, _ = invoke("cfp", *AS_OF, "--format", "github", SEMANTIC)
    assert (
        f"::error file={SEMANTIC},line=22,col=3,title=semantic.vehicle-class-missing::"
        "/battery/vehicleClass: an EV battery needs its vehicle class" in out
    )


def test_no_step_summary_without_the_variable_or_for_other_formats(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    invoke("validate", "--format", "junit", SEMANTIC, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()


@pytest.mark.parametrize("command", sorted(RUNS))
def test_quiet_is_the_summary_line_alone(command: str) -> None:
    code, out, _ = _run(command, "text", "--quiet")
    _, files, failed = RUNS[command]
    assert code == 1
    assert len(out.splitlines()) == 1
    assert out.startswith(f"{files} files checked: {files - failed} ")


@pytest.mark.parametrize("command", sorted(RUNS))
def test_json_summary_is_the_same_on_every_command(command: str) -> None:
    _, files, failed = RUNS[command]
    _, out, _ = _run(command, "json")
    document = json.loads(out)
    assert document["command"] == command
    summary = document["summary"]
    assert (summary["files"], summary["passed"], summary["failed"]) == (
        files,
        files - failed,
        failed,
    )
    assert summary["errors"] == sum(
        1 for f in document["files"] for i in f["issues"] if i["severity"] == "error"
    )


def test_cfp_text_for_many_files_is_one_line_each(tmp_path: Path) -> None:
    """500 submissions: 501 lines (one per file, then the summary), not 6,000."""
    data = Path(EV).read_bytes()
    for index in range(500):
        (tmp_path / f"s{index:03d}.json").write_bytes(data)
    code, out, _ = invoke("cfp", *AS_OF, str(tmp_path))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 501
    assert lines[0].startswith(f"{tmp_path / 's000.json'}: 0.1179 kg CO2e/kWh")
    assert lines[0].endswith("; 2 warnings (--details lists them)")
    assert lines[-1] == "500 files checked: 500 computed, 0 failed (0 errors, 1000 warnings)"
    _, quiet, _ = invoke("cfp", *AS_OF, "--quiet", str(tmp_path))
    assert quiet.splitlines() == [lines[-1]]


def test_cfp_details_of_one_file_by_default_and_on_request() -> None:
    _, one, _ = invoke("cfp", *AS_OF, EV)
    assert "cradle-to-gate per nominal kWh" in one
    _, two, _ = invoke("cfp", *AS_OF, EV, str(SUBMISSIONS / "valid" / "lmt-ebike.json"))
    assert "cradle-to-gate per nominal kWh" not in two
    _, details, _ = invoke(
        "cfp", *AS_OF, "--details", EV, str(SUBMISSIONS / "valid" / "lmt-ebike.json")
    )
    assert details.count("cradle-to-gate per nominal kWh") == 2


def test_report_all_is_the_batch_interface() -> None:
    """A batch command hands its per-file results to ``report_all``: every format, one summary."""
    issue = Issue("schema.required", "/battery", "required", Severity.ERROR, Layer.SCHEMA, 3, 5)
    results = [
        FileResult("a.json", "supplier-submission", (), True),
        FileResult("b.json", "supplier-submission", (issue,), False),
        FileResult("c.json", "other", skipped="not a submission"),
    ]
    for fmt in OutputFormat:
        out = io.StringIO()
        summary = report_all(results, fmt, out, ReportSettings("batch"))
        assert summary.to_dict() == {
            "files": 2,
            "passed": 1,
            "failed": 1,
            "skipped": 1,
            "unreadable": 0,
            "errors": 1,
            "warnings": 0,
            "notes": 0,
        }
        text = out.getvalue()
        if fmt is OutputFormat.JUNIT:
            junit_schema().validate(text)
        elif fmt is OutputFormat.SARIF:
            assert not list(sarif_validator().iter_errors(json.loads(text)))
        elif fmt is OutputFormat.JSON:
            assert json.loads(text)["files"][1]["issues"][0]["line"] == 3
        else:
            assert text.splitlines()[-1] == (
                "2 files checked: 1 passed, 1 failed (1 error, 0 warnings); 1 skipped (not checked)"
            )


def test_a_file_failing_on_its_risk_level_is_a_failure_in_every_format() -> None:
    valid = str(QUESTIONNAIRES / "valid")
    args = ["dd", "--as-of", "2026-01-15", "--fail-on-risk", "high", valid]
    code, out, _ = invoke(*args[:1], "--format", "github", *args[1:])
    assert code == 1
    assert (
        f"::error file={valid}/honest-red-flag.json,title=dd::dd-questionnaire did not pass "
        "(risk high)" in out
    )
    _, out, _ = invoke(*args[:1], "--format", "junit", *args[1:])
    junit_schema().validate(out)
    suite = next(iter(JUnitXml.fromstring(out)))
    assert (suite.tests, suite.failures) == (3, 2)
    failures = [r for case in suite for r in case.result if isinstance(r, Failure)]
    assert {f.message for f in failures} == {"dd-questionnaire did not pass (risk high)"}
