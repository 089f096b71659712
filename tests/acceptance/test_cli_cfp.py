"""``compliance cfp``: exit codes, text and JSON reports, options; never a traceback."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()
EV = str(EXAMPLES / "valid" / "nmc811-m1-ev.json")
BUS = str(EXAMPLES / "valid" / "lfp-m3-bus.yaml")


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["cfp", "--as-of", "2026-11-29", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_text_report() -> None:
    code, out, _ = invoke(EV)
    assert code == 0
    assert "under eu-da-2024-draft 1.0.0 [draft]" in out
    assert "75 kWh usable BoL energy x 60 full equivalent cycles per year" in out
    assert "raw-material" in out
    assert "end-of-life" in out
    assert "cradle-to-gate per nominal kWh: 82.5 kg CO2e/kWh" in out
    assert "[cfp.eol-not-modelled]" in out
    assert "dataset ember-grid-intensity@2023.1 (CC-BY-4.0)" in out


def test_explain_prints_the_trace() -> None:
    code, out, _ = invoke("--explain", BUS)
    assert code == 0
    assert "trace" in out
    assert "ppa: grid mix PL" in out
    assert "[cfp.instrument-ignored]" in out  # info issues are shown with --explain


def test_json_report_for_several_files_and_rulesets() -> None:
    code, out, _ = invoke("--format", "json", "--ruleset", "meti-v1.0", EV, BUS)
    assert code == 0
    document = json.loads(out)
    first = document["files"][0]
    assert first["computed"] is True
    result = first["result"]
    assert result["ruleset"]["id"] == "meti-v1.0"
    assert result["gwpSet"]["id"] == "ipcc-ar5-gwp100"
    assert result["functionalUnit"]["unitLabel"] == "kWh of rated energy capacity"
    assert result["totalPerUnit"]["unit"] == "kg CO2e/kWh"
    assert len(result["trace"]) > 10
    assert {i["code"] for i in first["issues"]} >= {"cfp.eol-not-modelled"}


def test_monte_carlo_and_sensitivity() -> None:
    code, out, _ = invoke("--monte-carlo", "500", "--seed", "3", "--sensitivity", EV)
    assert code == 0
    assert "Monte Carlo (500 samples, seed 3)" in out
    assert "drivers (+10 % one at a time):" in out


def test_invalid_submission_exits_one() -> None:
    code, out, _ = invoke(str(EXAMPLES / "invalid" / "wrong-dimension.json"))
    assert code == 1
    assert "[units.dimensionality] /battery/mass" in out


def test_calculation_errors_exit_one(tmp_path: Path) -> None:
    doc = json.loads(Path(EV).read_text("utf-8"))
    del doc["transport"][0]["emissionFactor"]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    code, out, _ = invoke(str(path))
    assert code == 1
    assert "error [cfp.factor-missing] /transport/0/emissionFactor" in out
    assert "no result" in out


def test_unknown_ruleset_is_a_usage_error() -> None:
    code, _, err = invoke("--ruleset", "eu-2030", EV)
    assert code == 2
    assert (
        "unknown ruleset 'eu-2030'; available: eu-da-2024-draft, jrc-cfb-ev-2023, meti-v1.0" in err
    )


def test_unknown_gwp_set_is_a_usage_error() -> None:
    code, _, err = invoke("--gwp", "ipcc-ar7", EV)
    assert code == 2
    assert "unknown GWP set" in err


def test_bad_factor_file_is_a_located_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "id: f\nversion: '1'\ntitle: t\nlicence: x\ngwpSet: co2-only\n"
        "factors:\n  - {id: a, value: 3 kgs, source: s}\n"
    )
    code, _, err = invoke("--factors", str(path), EV)
    assert code == 2
    assert f"{path}:7:" in err
    assert "[units.undefined] /factors/0/value: unknown unit 'kgs'" in err


def test_user_factor_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "id: ember-grid-intensity\nversion: '2025'\ntitle: own grid data\n"
        "licence: proprietary\ngwpSet: ipcc-ar6-gwp100\n"
        "factors:\n  - {id: grid.HU, value: 0 g CO2e/kWh, source: s}\n"
    )
    code, out, _ = invoke("--factors", str(path), EV)
    assert code == 0
    assert "dataset ember-grid-intensity@2025 (proprietary)" in out


def test_bad_as_of_and_format() -> None:
    result = runner.invoke(app, ["cfp", "--as-of", "yesterday", EV])
    assert result.exit_code == 2
    result = runner.invoke(app, ["cfp", "--format", "xml", EV])
    assert result.exit_code == 2


def test_missing_path() -> None:
    code, _, err = invoke("nope.json")
    assert code == 2
    assert "no such file" in err


def test_json_results_carry_the_input_digest() -> None:
    code, out, _ = invoke("--format", "json", EV)
    assert code == 0
    entry = json.loads(out)["files"][0]
    digest = hashlib.sha256(Path(EV).read_bytes()).hexdigest()
    assert entry["sha256"] == digest
    assert entry["result"]["inputSha256"] == digest
    ruleset = entry["result"]["ruleset"]
    assert ruleset["origin"] == "bundled rules/cfp/rulesets/eu-da-2024-draft.yaml"
    assert len(ruleset["sha256"]) == 64


def test_a_ruleset_file_and_a_choice_override(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "cfp" / "rulesets" / "jrc-cfb-ev-2023.yaml").read_text("utf-8")
    path = tmp_path / "own.yaml"
    path.write_text(text.replace("id: jrc-cfb-ev-2023", "id: own-method", 1), "utf-8")
    code, out, err = invoke(
        "--format", "json", "--ruleset", str(path), "--choice",
        "functional-unit=lifetime-energy-da-2024", EV,
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)["files"][0]["result"]
    assert result["ruleset"]["id"] == "own-method"
    assert result["ruleset"]["origin"] == "file own.yaml"
    assert result["ruleset"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result["functionalUnit"]["energy"]["value"] == 75 * 60 * 8
    assert result["ruleset"]["choices"][0]["origin"] == "override from ruleset eu-da-2024-draft"


def test_broken_ruleset_file_and_unknown_choice_are_usage_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nversion: 1\n", "utf-8")
    code, _, err = invoke("--ruleset", str(path), EV)
    assert code == 2
    assert f"{path}:" in err
    assert "[schema." in err
    code, _, err = invoke("--choice", "electricity=green", EV)
    assert code == 2
    assert "unknown electricity choice 'green'; available: " in err
    code, _, err = invoke("--choice", "electricity", EV)
    assert code == 2


def test_validate_reports_what_would_stop_cfp(tmp_path: Path) -> None:
    """No false green: a transport leg without a factor (no default transport dataset)."""
    doc = json.loads(Path(EV).read_text("utf-8"))
    del doc["transport"][0]["emissionFactor"]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "cfp.factor-missing" in result.stdout
    assert "/transport/0/emissionFactor" in result.stdout
    assert runner.invoke(app, ["validate", "--no-cfp-check", str(path)]).exit_code == 0
    assert runner.invoke(app, ["validate", EV]).exit_code == 0
