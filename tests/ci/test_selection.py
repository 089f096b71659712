"""The CI narrowing options: ``--allow-empty``, ``--changed-since REF``, ``--skip-unknown``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from compliance.cli.kinds import DocumentKind, document_kind
from compliance.validation import DEFAULT_LIMITS
from tests.ci.conftest import QUESTIONNAIRES, SUBMISSIONS, invoke, junit_schema, sarif_validator
from tests.conftest import ROOT

EBIKE = SUBMISSIONS / "valid" / "lmt-ebike.json"


@pytest.mark.parametrize(
    ("label", "data", "kind"),
    [
        ("package.json", b'{"name": "web", "version": "1.0.0"}', DocumentKind.UNKNOWN),
        (".pre-commit-config.yaml", b"repos:\n  - repo: local\n", DocumentKind.UNKNOWN),
        ("tsconfig.json", b"{\n // no\n}", None),
        ("s.json", EBIKE.read_bytes(), DocumentKind.SUBMISSION),
        (
            "q.json",
            (QUESTIONNAIRES / "valid" / "strong-supplier.json").read_bytes(),
            DocumentKind.QUESTIONNAIRE,
        ),
        (
            "q.json",
            b'{"$schema": "urn:compliance:schema:dd-questionnaire:1.0.0"}',
            DocumentKind.QUESTIONNAIRE,
        ),
        ("x.json", b'{"schemaVersion": "1.0.0", "battery": {}}', DocumentKind.SUBMISSION),
        ("x.json", b'{"schemaVersion": "1.0.0"}', DocumentKind.UNKNOWN),
        ("a/submissions/x.json", b'{"name": 1}', DocumentKind.SUBMISSION),
        ("x.questionnaire.yml", b"[1, 2]", DocumentKind.QUESTIONNAIRE),
        ("x.submission.json", b"{", DocumentKind.SUBMISSION),
        ("questionnaires/x.submission.json", b"{}", DocumentKind.SUBMISSION),
        ("submissions/f.json", b'{"specVersion": "2", "pcf": {}}', DocumentKind.PACT_FOOTPRINT),
    ],
)
def test_document_kind(label: str, data: bytes, kind: DocumentKind | None) -> None:
    assert document_kind(label, data, DEFAULT_LIMITS) is kind


def test_allow_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    pattern = str(tmp_path / "submissions" / "**" / "*.json")
    for command in (["validate"], ["cfp"], ["dd"]):
        code, _, err = invoke(*command, str(empty), pattern)
        assert code == 2
        assert "the pattern matches no files" in err
        code, out, err = invoke(*command, "--allow-empty", str(empty), pattern)
        assert (code, err) == (0, "")
        assert out.startswith("0 files checked")
    code, _, err = invoke("validate", "--allow-empty", str(tmp_path / "missing.json"))
    assert code == 2  # a named file that does not exist is still an error
    assert "no such file or directory" in err


def test_skip_unknown_validates_questionnaires_and_skips_the_rest(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "web"}')
    shutil.copy(EBIKE, tmp_path / "ebike.json")
    shutil.copy(QUESTIONNAIRES / "valid" / "honest-red-flag.json", tmp_path / "q.json")
    code, out, _ = invoke("validate", "--skip-unknown", "-v", str(tmp_path))
    assert code == 0, out
    assert f"{tmp_path / 'package.json'}: skipped (not a submission or questionnaire)" in out
    assert out.splitlines()[-1] == (
        "2 files checked: 2 valid, 0 invalid (0 errors, 0 warnings); "
        "1 skipped (not submissions or questionnaires)"
    )
    code, out, _ = invoke("validate", "-f", "json", str(tmp_path))  # without: package.json fails
    kinds = {
        Path(f["source"]).name: (f["documentKind"], f["valid"]) for f in json.loads(out)["files"]
    }
    assert code == 1
    assert kinds == {
        "ebike.json": ("supplier-submission", True),
        "package.json": ("supplier-submission", False),
        "q.json": ("dd-questionnaire", True),
    }
    code, out, _ = invoke("cfp", "--as-of", "2026-06-01", "--skip-unknown", "-q", str(tmp_path))
    assert (code, out.strip()) == (
        0,
        "1 file checked: 1 computed, 0 failed (0 errors, 5 warnings); 2 skipped (not submissions)",
    )
    code, out, _ = invoke("dd", "--as-of", "2026-01-15", "--skip-unknown", "-q", str(tmp_path))
    assert code == 0
    assert out.strip().endswith("2 skipped (not questionnaires); risk: 1 high")


def test_skip_unknown_never_skips_a_broken_file(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"schemaVersion": "1.0.0",')
    code, out, _ = invoke("validate", "--skip-unknown", str(tmp_path))
    assert code == 1
    assert "error [parse.invalid-json]" in out


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_changed_since(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "submissions").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "ci@example.org")
    _git(repo, "config", "user.name", "CI")
    shutil.copy(SUBMISSIONS / "invalid" / "unknown-units.json", repo / "submissions" / "old.json")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "old")
    monkeypatch.chdir(repo)
    code, out, err = invoke("validate", "--changed-since", "main", "submissions")
    assert (code, out.strip()) == (0, "0 files checked: 0 valid, 0 invalid (0 errors, 0 warnings)")
    assert "0 of 1 documents changed since main" in err
    shutil.copy(EBIKE, repo / "submissions" / "new.json")  # untracked: not in git diff
    (repo / "submissions" / "old.json").write_bytes(EBIKE.read_bytes())  # modified, uncommitted
    code, out, err = invoke("validate", "--changed-since", "main", "-v", "submissions")
    assert code == 0
    assert "submissions/old.json: valid" in out
    assert "new.json" not in out
    code, _, err = invoke("validate", "--changed-since", "no-such-ref", "submissions")
    assert code == 2
    assert "--changed-since no-such-ref:" in err
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("validate", "--changed-since", "main", str(repo / "submissions"))
    assert code == 2
    assert "--changed-since needs a git repository" in err


@pytest.mark.parametrize("fmt", ["json", "junit", "sarif", "github"])
def test_no_documents_is_still_a_complete_report(fmt: str, tmp_path: Path) -> None:
    code, out, _ = invoke("validate", "--allow-empty", "--format", fmt, str(tmp_path / "*.json"))
    assert code == 0
    if fmt == "junit":
        junit_schema().validate(out)
        assert 'tests="0"' in out
    elif fmt == "sarif":
        document = json.loads(out)
        assert not list(sarif_validator().iter_errors(document))
        assert document["runs"][0]["results"] == []
    elif fmt == "json":
        assert json.loads(out)["summary"]["files"] == 0
    else:
        assert out == "0 files checked: 0 valid, 0 invalid (0 errors, 0 warnings)\n"


def test_skip_unknown_uses_the_one_detector(tmp_path: Path) -> None:
    """A PACT footprint is a kind no checking command reads: skipped; a passport is validated."""
    shutil.copy(ROOT / "examples" / "pact" / "bms-supplier-v3.json", tmp_path / "pcf.json")
    code, out, _ = invoke("validate", "--skip-unknown", "-q", str(tmp_path))
    assert (code, out.splitlines()) == (
        0,
        [
            "0 files checked: 0 valid, 0 invalid (0 errors, 0 warnings); "
            "1 skipped (not submissions or questionnaires)"
        ],
    )
    code, out, _ = invoke("validate", str(tmp_path / "pcf.json"))
    assert code == 1
    assert "this is a PACT / Catena-X product carbon footprint, not a supplier submission" in out
