"""``compliance factors import``: written dataset, located errors, use through ``--factors``."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.cfp.conftest import BASE
from tests.cfp.factor_exports import ROWS, ecoinvent_xlsx

runner = CliRunner()
ARGS = [
    "--layout",
    "ecoinvent",
    "--id",
    "ei-test",
    "--version",
    "3.10",
    "--licence",
    "ecoinvent EULA (test)",
]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_import_then_compute_with_factors(tmp_path: Path) -> None:
    export = tmp_path / "Cut-off Cumulative LCIA v3.10.xlsx"
    export.write_bytes(ecoinvent_xlsx())
    dataset = tmp_path / "ei.yaml"
    code, _, err = invoke(
        "factors",
        "import",
        str(export),
        *ARGS,
        "--database",
        "ecoinvent 3.10 cut-off",
        "-o",
        str(dataset),
    )
    assert code == 0, err
    assert "ei-test@3.10: 4 factor(s), ipcc-ar6-gwp100" in err
    doc = copy.deepcopy(BASE)
    doc["billOfMaterials"][0]["emissionFactor"] = {"dataset": "ei-test", "factorId": "a4_p4"}
    submission = tmp_path / "s.json"
    submission.write_text(json.dumps(doc))
    code, out, err = invoke(
        "cfp",
        "--as-of",
        "2026-11-29",
        "--format",
        "json",
        "--factors",
        str(dataset),
        str(submission),
    )
    assert code == 0, err
    code, text, _ = invoke(
        "cfp", "--as-of", "2026-11-29", "--factors", str(dataset), str(submission)
    )
    assert code == 0
    digest = hashlib.sha256(export.read_bytes()).hexdigest()
    assert f"imported from {export.name} (sha256 {digest[:16]}..." in text
    report = json.loads(out)
    result = report["files"][0]["result"]
    ref = next(d for d in result["datasets"] if d["id"] == "ei-test")
    assert ref["licence"] == "ecoinvent EULA (test)"
    assert ref["sha256"] == hashlib.sha256(dataset.read_bytes()).hexdigest()
    (source,) = ref["importedFrom"]
    assert source["sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    assert source["file"] == export.name
    raw = next(s for s in result["stages"] if s["stage"] == "raw-material")
    assert raw["absolute"]["value"] == 100 * 22.5  # 100 kg at the imported 22.5 kg CO2e/kg


def test_errors_are_located_and_nothing_is_written(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows[0][5] = "n/a"
    export = tmp_path / "bad.xlsx"
    export.write_bytes(ecoinvent_xlsx(rows))
    out = tmp_path / "out.yaml"
    code, _, err = invoke("factors", "import", str(export), *ARGS, "-o", str(out))
    assert code == 1
    assert f"{export}:5:6: error [factors.not-a-number] LCIA!F5:" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_stdout_when_no_output(tmp_path: Path) -> None:
    export = tmp_path / "x.xlsx"
    export.write_bytes(ecoinvent_xlsx())
    code, out, _ = invoke("factors", "import", str(export), *ARGS)
    assert code == 0
    assert yaml.safe_load(out)["gwpSet"] == "ipcc-ar6-gwp100"


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("factors", "import", str(tmp_path / "none.xlsx"), *ARGS)
    assert code == 2
    assert "io.unreadable" in err
