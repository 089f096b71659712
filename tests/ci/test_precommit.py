"""The shipped pre-commit hook, run by pre-commit itself on a scratch repository.

The repository has a normal mix of files (package.json, tsconfig.json with comments, which is not
JSON, .pre-commit-config.yaml, a docs YAML file) beside a valid and an invalid submission and a
valid questionnaire. The hook definition is read from ``.pre-commit-hooks.yaml`` and installed as
a ``repo: local`` hook with ``language: system`` and this environment's ``compliance``: pre-commit
then needs no network (``language: python`` would clone this repository and pip-install it and
its dependencies into a new environment). Everything else - ``files``, ``types_or``, the entry's
arguments and how pre-commit passes file names - is the shipped definition.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci.conftest import QUESTIONNAIRES, SUBMISSIONS
from tests.conftest import ROOT

BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")

pytestmark = pytest.mark.skipif(
    PRE_COMMIT is None, reason="pre-commit is not installed (dev extra)"
)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = hooks
    assert hook["id"] == "compliance-validate"
    assert hook["language"] == "python"  # as shipped; replaced by system below (offline)
    program, _, arguments = str(hook["entry"]).partition(" ")
    assert program == "compliance"
    compliance = BIN / "compliance"
    assert compliance.exists()
    return {**hook, "language": "system", "entry": f"{compliance} {arguments}"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "supplier-repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "package.json").write_text('{"name": "portal", "version": "1.0.0"}\n')
    (repo / "tsconfig.json").write_text('{\n  // comments: not JSON\n  "strict": true,\n}\n')
    (repo / "docs").mkdir()
    (repo / "docs" / "mkdocs.yml").write_text("site_name: portal\n")
    (repo / "submissions").mkdir()
    shutil.copy(SUBMISSIONS / "valid" / "lmt-ebike.json", repo / "submissions" / "ebike.json")
    shutil.copy(SUBMISSIONS / "invalid" / "unknown-units.json", repo / "submissions" / "bad.json")
    (repo / "suppliers").mkdir()
    shutil.copy(
        QUESTIONNAIRES / "valid" / "honest-red-flag.json",
        repo / "suppliers" / "acme.questionnaire.json",
    )
    config = {"repos": [{"repo": "local", "hooks": [_hook()]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    _git(repo, "add", "-A")
    return repo


SUMMARY = re.compile(
    r"^(\d+) files? checked: (\d+) valid, (\d+) invalid .*?(?:; (\d+) skipped.*)?$", re.MULTILINE
)


def _totals(output: str) -> tuple[int, int, int, int]:
    """(checked, valid, invalid, skipped) over every run (pre-commit may split the file list)."""
    runs = SUMMARY.findall(output)
    assert runs, output
    return tuple(sum(int(n or 0) for n in column) for column in zip(*runs, strict=True))  # type: ignore[return-value]


def _pre_commit(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [PRE_COMMIT, "run", "--all-files", "--verbose", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_hook_fails_the_invalid_submission_and_checks_nothing_else(
    repo: Path, tmp_path: Path
) -> None:
    result = _pre_commit(repo, tmp_path / "home")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Failed" in output
    assert "submissions/bad.json:27:5: error [units.undefined] /battery/mass" in output
    # exactly the two submissions and the questionnaire were handed over and checked
    assert _totals(output) == (3, 2, 1, 0)
    for other in ("package.json", "tsconfig.json", ".pre-commit-config.yaml", "mkdocs.yml"):
        assert other not in output


def test_hook_passes_a_repository_whose_documents_are_valid(repo: Path, tmp_path: Path) -> None:
    _git(repo, "rm", "-q", "-f", "submissions/bad.json")
    result = _pre_commit(repo, tmp_path / "home")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output
    assert _totals(output) == (2, 2, 0, 0)


def test_a_wider_files_pattern_skips_what_is_not_a_document(repo: Path, tmp_path: Path) -> None:
    """Overriding ``files:`` to every JSON/YAML file: kind detection skips the others (exit 0)."""
    _git(repo, "rm", "-q", "-f", "submissions/bad.json")
    (repo / "tsconfig.json").unlink()  # not JSON at all: it would be reported, as it should
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    config["repos"][0]["hooks"][0]["files"] = r"\.(json|ya?ml)$"
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    _git(repo, "add", "-A")
    result = _pre_commit(repo, tmp_path / "home")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # the submission, the questionnaire; package.json, mkdocs.yml, .pre-commit-config.yaml
    assert _totals(output) == (2, 2, 0, 3)


def test_the_documented_snippets_name_the_shipped_hook() -> None:
    """The README's and docs/ci.md's pre-commit snippets use the hook id and its definition."""
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]
    for page in (ROOT / "README.md", ROOT / "docs" / "ci.md"):
        snippets = re.findall(r"```yaml\n(repos:.*?)```", page.read_text("utf-8"), re.DOTALL)
        assert snippets, page
        for snippet in snippets:
            (entry,) = yaml.safe_load(snippet)["repos"]
            (used,) = entry["hooks"]
            assert used["id"] == hook["id"]
            if entry["repo"] == "local":  # the offline variant repeats the shipped definition
                assert {k: used[k] for k in ("entry", "files", "types_or")} == {
                    k: hook[k] for k in ("entry", "files", "types_or")
                }


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("COMPLIANCE_ONLINE_TESTS") != "1",
    reason="installs the hook as shipped (language: python: pre-commit pip-installs this "
    "repository and its dependencies from the package index); set COMPLIANCE_ONLINE_TESTS=1",
)
def test_the_hook_as_shipped_installs_from_this_repository(repo: Path, tmp_path: Path) -> None:
    """``repo:`` this repository's path at its HEAD commit, ``language: python`` as shipped."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = {"repos": [{"repo": str(ROOT), "rev": head, "hooks": [{"id": "compliance-validate"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    _git(repo, "add", "-A")
    result = _pre_commit(repo, tmp_path / "home")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "submissions/bad.json:27:5: error [units.undefined]" in output
    assert _totals(output) == (3, 2, 1, 0)
