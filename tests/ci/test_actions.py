"""The shipped GitHub Actions workflow: its ``run:`` steps run as scripts in scratch repositories.

``examples/ci/compliance.yml`` is parsed; each step with ``run:`` is executed the way a runner
does (``bash --noprofile --norc -eo pipefail SCRIPT``) with the variables GitHub sets
(``GITHUB_EVENT_NAME``, ``GITHUB_BASE_REF``, ``GITHUB_STEP_SUMMARY``) and the workflow's ``env``.
The ``uses:`` steps (checkout, setup-python) are the runner's and are not run. The install step
runs against a ``python`` stand-in that records its arguments (a real ``pip install .`` needs the
network for the dependencies); ``compliance`` is this environment's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ci.conftest import QUESTIONNAIRES, SUBMISSIONS
from tests.conftest import ROOT

WORKFLOW = ROOT / "examples" / "ci" / "compliance.yml"
BIN = Path(sys.executable).parent


def _workflow() -> dict[Any, Any]:
    document = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert isinstance(document, dict)
    return document


def test_the_workflow_is_what_it_says() -> None:
    workflow = _workflow()
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as True
    steps = workflow["jobs"]["check"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # --changed-since needs the base branch
    assert workflow["env"]["COMPLIANCE_PACKAGE"] == "."  # installs the repository it lives in


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """A PATH directory: a recording ``python`` stand-in, and this environment's ``compliance``."""
    directory = tmp_path / "bin"
    directory.mkdir()
    python = directory / "python"
    python.write_text('#!/bin/sh\necho "$@" >> "$PIP_LOG"\n')
    python.chmod(0o755)
    (directory / "compliance").symlink_to(BIN / "compliance")
    return directory


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "ci@example.org")
    _git(repo, "config", "user.name", "CI")
    (repo / "README.md").write_text("# supplier data\n")
    (repo / "package.json").write_text('{"name": "portal"}\n')
    _commit(repo, "start")
    return repo


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def _run_steps(
    repo: Path, tools: Path, event: str = "push", base: str | None = None
) -> tuple[int, str, str, str]:
    """Run every ``run:`` step in order; (exit code of the first failing or last step, output,
    step summary, install log)."""
    workflow = _workflow()
    summary = repo.parent / "step-summary.md"
    summary.write_text("")
    pip_log = repo.parent / "pip.log"
    pip_log.write_text("")
    env = {
        **os.environ,
        **{k: str(v) for k, v in workflow.get("env", {}).items()},
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_BASE_REF": base or "",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTIONS": "true",
        "PIP_LOG": str(pip_log),
    }
    output, code = "", 0
    for index, step in enumerate(workflow["jobs"]["check"]["steps"]):
        if "run" not in step:
            continue
        assert step.get("shell") == "bash"
        script = repo.parent / f"step-{index}.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        output += done.stdout + done.stderr
        code = done.returncode
        if code != 0:
            break
    return code, output, summary.read_text(), pip_log.read_text()


def test_a_repository_without_documents_passes(repo: Path, tools: Path) -> None:
    code, output, summary, pip_log = _run_steps(repo, tools)
    assert code == 0, output
    assert pip_log == "-m pip install .\n"
    assert output.strip() == "0 files checked: 0 valid, 0 invalid (0 errors, 0 warnings)"
    assert "0 files checked" in summary


def test_push_checks_json_yaml_and_yml_and_fails_on_errors(repo: Path, tools: Path) -> None:
    (repo / "submissions" / "2026").mkdir(parents=True)
    shutil.copy(SUBMISSIONS / "valid" / "lmt-ebike.json", repo / "submissions" / "ebike.json")
    shutil.copy(
        SUBMISSIONS / "valid" / "lfp-m3-bus.yaml", repo / "submissions" / "2026" / "bus.yml"
    )
    shutil.copy(
        QUESTIONNAIRES / "valid" / "strong-supplier.json",
        repo / "cobalt.questionnaire.json",
    )
    shutil.copy(SUBMISSIONS / "invalid" / "unknown-units.json", repo / "submissions" / "bad.yaml")
    _commit(repo, "documents")
    code, output, summary, _ = _run_steps(repo, tools)
    assert code == 1, output
    lines = output.splitlines()
    assert lines[0].startswith(
        "::error file=submissions/bad.yaml,title=parse.invalid-yaml::"
    ) or lines[0].startswith("::error file=submissions/bad.yaml,line=")
    assert lines[-1].startswith("4 files checked: 3 valid, 1 invalid")
    assert "| `submissions/bad.yaml` |" in summary
    assert ":x: 4 files checked" in summary


def test_pull_request_checks_only_the_changed_documents(repo: Path, tools: Path) -> None:
    (repo / "submissions").mkdir()
    shutil.copy(SUBMISSIONS / "invalid" / "unknown-units.json", repo / "submissions" / "old.json")
    _commit(repo, "an old invalid submission on main")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(repo, "switch", "-q", "-c", "feature")
    shutil.copy(SUBMISSIONS / "valid" / "lmt-ebike.json", repo / "submissions" / "new.json")
    _commit(repo, "a new valid submission")
    code, output, _, _ = _run_steps(repo, tools, "pull_request", "main")
    assert code == 0, output
    assert "1 of 2 documents changed since origin/main" in output
    assert "1 file checked: 1 valid, 0 invalid" in output
    shutil.copy(SUBMISSIONS / "invalid" / "semantic-errors.json", repo / "submissions" / "new.json")
    _commit(repo, "the new submission broken")
    code, output, _, _ = _run_steps(repo, tools, "pull_request", "main")
    assert code == 1, output
    assert "file=submissions/new.json" in output
    assert "old.json" not in output.replace("1 of 2", "")
    code, output, _, _ = _run_steps(repo, tools, "push")  # a push checks everything
    assert code == 1
    assert "2 files checked: 0 valid, 2 invalid" in output
