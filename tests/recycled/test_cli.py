"""``compliance recycled``: text and JSON output, exit codes, the ``--dd`` questionnaire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import ROOT
from tests.recycled.conftest import LEAD_ACID, NMC, fresh

EXAMPLE = ROOT / "examples" / "recycled" / "nmc811-m1-ev.json"
QUESTIONNAIRE = ROOT / "examples" / "recycled" / "cobalt-recycled-claim-contradicted.json"


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["recycled", *args])
    return result.exit_code, result.output


def test_text_output() -> None:
    code, out = _invoke(str(EXAMPLE), "--as-of", "2031-09-01")
    assert code == 0, out
    assert "cobalt" in out
    assert "6.0 %" in out
    assert "Art. 8(2)  cobalt   16 %     2031-08-18  yes      no   -10.00 pt  0.6543" in out
    assert "[recycled.cff-mismatch]" in out


def test_json_output(tmp_path: Path) -> None:
    path = tmp_path / "sli.json"
    path.write_text(json.dumps(LEAD_ACID), encoding="utf-8")
    code, out = _invoke(str(path), "--format", "json", "--as-of", "2031-09-01")
    assert code == 0, out
    result = json.loads(out)["files"][0]["result"]
    assert result["ruleset"]["id"] == "art8-interim"
    assert result["ruleset"]["version"] == "1.0.0"
    lead = result["elements"][0]
    assert lead["element"] == "lead"
    assert lead["sharePercent"] == 87.5
    assert lead["total"] == {"value": pytest.approx(6.964912), "unit": "kg"}
    assert [t["met"] for t in result["targets"]] == [True, True]
    # the trace: each line with its content source and steps, each rule with its source
    pam = lead["lines"][0]
    assert pam["line"] == "pam"
    assert pam["contentSource"].startswith("compound lead-dioxide")
    assert (
        pam["steps"][0]
        == "lead content 0.866228 (" + pam["contentSource"] + "): 4 kg x 0.866228 = 3.46491 kg lead"
    )
    assert {r["rule"] for r in result["rules"]} >= {"elements", "counted-shares", "rounding"}


def test_errors_exit_1(tmp_path: Path) -> None:
    doc = fresh(NMC)
    del doc["billOfMaterials"][0]["composition"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    code, out = _invoke(str(path), "--as-of", "2031-09-01")
    assert code == 1
    assert "bad.json:32:5: error [recycled.element-data-missing] /billOfMaterials/0" in out
    assert "no result" in out


def test_dd_questionnaire_leaves_the_rejected_claim_out(tmp_path: Path) -> None:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["billOfMaterials"][0]["supplier"]["name"] = "Nordic Cathode Materials Oy"
    del doc["passport"]["recycledContent"]["cobalt"]
    path = tmp_path / "ev.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    code, out = _invoke(str(path), "--as-of", "2031-09-01", "--dd", str(QUESTIONNAIRE))
    assert code == 0, out
    assert "[recycled.claim-rejected]" in out
    assert "rejected by DD CX-02: Nordic Cathode Materials Oy's recycled cobalt claim" in out
    assert "cobalt                    6.543             0  0.0 %  0.0 %  0.0 %" in out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, out = _invoke(str(EXAMPLE), "--ruleset", "9.9.9")
    assert code == 2
    assert "no recycled-content ruleset version '9.9.9'" in out
    broken = tmp_path / "q.json"
    broken.write_text("{}", encoding="utf-8")
    code, out = _invoke(str(EXAMPLE), "--dd", str(broken))
    assert code == 2
    assert "invalid questionnaire" in out


def test_passport_build_fills_1e_from_the_computation(tmp_path: Path) -> None:
    out = tmp_path / "passport.json"
    result = CliRunner().invoke(
        app,
        [
            "passport",
            "build",
            str(ROOT / "examples" / "recycled" / "nmc811-m1-ev-nordic-cam.json"),
            "--as-of",
            "2027-09-01",
            "--generated-at",
            "2027-09-01T08:00:00Z",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    public = json.loads(out.read_text(encoding="utf-8"))["passport"]["public"]
    assert public["recycledContentDetails"]["basis"] == "computed"
    assert public["recycledContentDetails"]["ruleset"] == "art8-interim@1.0.0"
    assert public["recycledContent"]["cobalt"] == {"preConsumer": 0.04, "postConsumer": 0.02}


def test_passport_build_with_the_rejecting_questionnaire_fails(tmp_path: Path) -> None:
    # the same questionnaire feeds the passport's DD summary and the recycled calculation: the
    # cobalt claim it rejects leaves the declared 6 % cobalt unsupported, so no passport
    result = CliRunner().invoke(
        app,
        [
            "passport",
            "build",
            str(ROOT / "examples" / "recycled" / "nmc811-m1-ev-nordic-cam.json"),
            "--dd",
            str(QUESTIONNAIRE),
            "--as-of",
            "2027-09-01",
            "--generated-at",
            "2027-09-01T08:00:00Z",
            "-o",
            str(tmp_path / "p.json"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "error [recycled.declared-unsupported] /passport/recycledContent/cobalt" in result.output
    assert not (tmp_path / "p.json").exists()
