"""``compliance batch --format text|json|junit|github|sarif``: the shared reports (issue 17 item 4).

The same formats, ``--quiet``, summary line and step summary as ``validate``, ``cfp`` and ``dd``;
JUnit checked against Jenkins xUnit's ``junit-10.xsd`` and SARIF against the official SARIF 2.1.0
schema (``tests/ci/schemas``). The first run processes the inputs; the later ones find them
unchanged and report them from the stored issues, the same findings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml

from tests.batch.conftest import AS_OF, batch, corpus
from tests.ci.conftest import junit_schema, sarif_validator


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """Inputs, output directory, and the JUnit report of the first (processing) run."""
    inputs = corpus(tmp_path_factory.mktemp("in"))
    out = tmp_path_factory.mktemp("out") / "batch"
    code, junit, err = batch(
        str(inputs), "--out", str(out), "--as-of", AS_OF, "--workers", "2", "--format", "junit"
    )
    assert code == 1, err
    return inputs, out, junit


def _summary(out: Path) -> dict[str, dict[str, int | str]]:
    files = json.loads((out / "summary.json").read_text("utf-8"))["files"]
    return {f["file"]: f for f in files}


def _args(run: tuple[Path, Path, str], fmt: str) -> list[str]:
    inputs, out, _ = run
    return [str(inputs), "--out", str(out), "--as-of", AS_OF, "--workers", "1", "--format", fmt]


def test_junit_is_valid_and_one_case_per_input(run: tuple[Path, Path, str]) -> None:
    _, out, junit = run
    junit_schema().validate(junit)  # raises with the location of any violation
    records = _summary(out)
    suite = next(iter(JUnitXml.fromstring(junit)))
    assert suite.name == "compliance batch"
    assert (suite.tests, suite.failures, suite.errors) == (34, 28, 0)
    cases = {case.name: case for case in suite}
    assert sorted(cases) == sorted(records)  # one test case per input, in file order
    for name, case in cases.items():
        failed = [r for r in case.result if isinstance(r, Failure)]
        assert bool(failed) == (records[name]["status"] == "invalid"), name
        if failed:
            assert failed[0].text.count(": error [") == records[name]["errors"]
    _, again, _ = batch(*_args(run, "junit"))  # unchanged inputs: the same report
    assert again == junit


def test_sarif_is_valid_and_has_every_issue(run: tuple[Path, Path, str]) -> None:
    _, out, _ = run
    code, text, _ = batch(*_args(run, "sarif"))
    assert code == 1
    document = json.loads(text)
    errors = sorted(sarif_validator().iter_errors(document), key=str)
    assert not errors, errors[0]
    sarif = document["runs"][0]
    records = _summary(out).values()
    levels = [r["level"] for r in sarif["results"]]
    assert levels.count("error") == sum(int(r["errors"]) for r in records)
    assert levels.count("warning") == sum(int(r["warnings"]) for r in records)
    assert {r["ruleId"] for r in sarif["results"]} == {
        rule["id"] for rule in sarif["tool"]["driver"]["rules"]
    }
    assert sarif["invocations"][0]["properties"]["command"] == "batch"
    assert sarif["invocations"][0]["properties"]["summary"]["unchanged"] == 34


ANNOTATION = re.compile(r"^::(error|warning) file=[^,:]+(,line=\d+,col=\d+)?,title=[\w.-]+::.+$")


def test_github_annotations_step_summary_and_quiet(
    run: tuple[Path, Path, str], tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from compliance.cli.main import app

    step = tmp_path / "summary.md"
    result = CliRunner().invoke(
        app, ["batch", *_args(run, "github")], env={"GITHUB_STEP_SUMMARY": str(step)}
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:-1]
    assert all(ANNOTATION.match(line) for line in lines[:-1])
    assert re.fullmatch(
        r"34 files checked: 6 ok, 28 invalid \(\d+ errors, \d+ warnings\); risk: .+; "
        r"34 unchanged since the last run; summary in .+/index\.html",
        lines[-1],
    ), lines[-1]
    text = step.read_text("utf-8")
    assert "### compliance batch" in text
    assert ":x: " + lines[-1] in text
    assert text.count("\n| `") == 28  # one row per invalid input
    code, quiet, _ = batch(*_args(run, "text"), "--quiet")
    assert (code, quiet.splitlines()) == (1, [lines[-1]])
