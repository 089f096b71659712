"""``compliance report`` takes several inputs per call with ``-o DIR`` (one file per input)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.ci.conftest import QUESTIONNAIRES, SUBMISSIONS, invoke

pytest.importorskip("weasyprint", reason="reports need the pdf extra")


def test_several_submissions_into_a_directory(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    valid = SUBMISSIONS / "valid"
    code, _, err = invoke(
        "report", str(valid), "--kind", "cfp", "-f", "html", "--as-of", "2026-06-01", "-o", str(out)
    )
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["lfp-m3-bus.cfp.html", "lmt-ebike.cfp.html", "nmc811-m1-ev.cfp.html"]
    assert "DBS-EV80-NMC811" in (out / "nmc811-m1-ev.cfp.html").read_text("utf-8")
    assert err.splitlines()[-1] == "compliance report: 3 inputs: 3 written, 0 failed"


def test_one_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    good = QUESTIONNAIRES / "valid" / "strong-supplier.json"
    bad = QUESTIONNAIRES / "invalid" / "unknown-question.json"
    code, _, err = invoke(
        "report", str(bad), str(good), "--kind", "dd", "-f", "html", "--as-of", "2026-01-15",
        "-o", str(out),
    )  # fmt: skip
    assert code == 1
    assert [p.name for p in out.iterdir()] == ["strong-supplier.dd.html"]
    assert "1 written, 1 failed" in err


def test_several_inputs_need_a_directory_and_distinct_names(tmp_path: Path) -> None:
    ev = str(SUBMISSIONS / "valid" / "nmc811-m1-ev.json")
    lmt = str(SUBMISSIONS / "valid" / "lmt-ebike.json")
    code, _, err = invoke("report", ev, lmt, "--kind", "cfp", "-o", str(tmp_path / "x.pdf"))
    assert code == 2
    assert "several inputs or a directory need -o DIR, an existing directory" in err
    (tmp_path / "a").mkdir()
    shutil.copy(ev, tmp_path / "a" / "same.json")
    shutil.copy(lmt, tmp_path / "same.json")
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = invoke(
        "report", str(tmp_path / "a" / "same.json"), str(tmp_path / "same.json"),
        "--kind", "cfp", "-f", "html", "-o", str(out),
    )  # fmt: skip
    assert code == 2
    assert "would both be written to" in err
    assert not list(out.iterdir())
