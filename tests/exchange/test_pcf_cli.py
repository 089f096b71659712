"""``compliance pcf import|export``: merges are all or nothing, exports validate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from compliance.cli.main import app
from tests.conftest import EXAMPLES
from tests.exchange.conftest import dumps, reference_file, v3_footprint

EV = EXAMPLES / "valid" / "nmc811-m1-ev.json"
BUS = EXAMPLES / "valid" / "lfp-m3-bus.yaml"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_import_lists_footprints(tmp_path: Path) -> None:
    source = tmp_path / "pf.json"
    source.write_bytes(dumps(v3_footprint()))
    result = invoke("pcf", "import", str(source), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    listing = json.loads(result.stdout)["footprints"]
    assert listing[0]["footprint"]["value"] == "50 kg CO2e/piece"
    assert listing[0]["perUnit"] == {"piece": "50 kg CO2e/piece", "kg": "25 kg CO2e/kg"}


def test_import_into_replaces_an_existing_component(tmp_path: Path) -> None:
    submission = tmp_path / "ev.json"
    shutil.copy(EV, submission)
    source = tmp_path / "pf.json"
    source.write_bytes(dumps(v3_footprint()))
    result = invoke(
        "pcf",
        "import",
        str(source),
        "--into",
        str(submission),
        "--component",
        "bms",
        "--as-of",
        "2026-06-01",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(submission.read_bytes())
    bms = next(c for c in doc["purchasedComponents"] if c["id"] == "bms")
    assert bms["amount"] == "1 piece"  # kept
    assert bms["process"] == "electronics"  # kept
    assert bms["footprint"]["value"] == "50 kg CO2e/piece"
    assert bms["supplier"]["name"] == "Cell maker (test)"
    assert "stageSplit" not in bms["footprint"]


def test_new_component_in_kg_uses_the_per_kg_variant(tmp_path: Path) -> None:
    submission = tmp_path / "ev.json"
    shutil.copy(EV, submission)
    source = tmp_path / "pf.json"
    source.write_bytes(dumps(v3_footprint()))
    result = invoke(
        "pcf",
        "import",
        str(source),
        "--into",
        str(submission),
        "--component",
        "cells",
        "--process",
        "cell-manufacture",
        "--amount",
        "300 kg",
        "--as-of",
        "2026-06-01",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(submission.read_bytes())
    cells = doc["purchasedComponents"][-1]
    assert (cells["id"], cells["amount"], cells["footprint"]["value"]) == (
        "cells",
        "300 kg",
        "25 kg CO2e/kg",
    )
    assert invoke("validate", str(submission)).exit_code == 0


def test_failed_imports_leave_the_submission_byte_identical(tmp_path: Path) -> None:
    submission = tmp_path / "ev.json"
    shutil.copy(EV, submission)
    before = submission.read_bytes()
    source = tmp_path / "pf.json"
    expired = v3_footprint()
    expired["validityPeriodEnd"] = "2026-01-02T00:00:00Z"
    source.write_bytes(dumps(expired))
    failed = invoke(
        "pcf",
        "import",
        str(source),
        "--into",
        str(submission),
        "--component",
        "bms",
        "--as-of",
        "2026-06-01",
    )
    assert failed.exit_code == 1
    assert "[pact.expired] /validityPeriodEnd" in failed.output
    # a new component without process and amount
    source.write_bytes(dumps(v3_footprint()))
    incomplete = invoke(
        "pcf",
        "import",
        str(source),
        "--into",
        str(submission),
        "--component",
        "new",
        "--as-of",
        "2026-06-01",
    )
    assert incomplete.exit_code == 1
    assert "exchange.component-incomplete" in incomplete.output
    # an amount in kWh cannot use a per-piece footprint
    mismatch = invoke(
        "pcf",
        "import",
        str(source),
        "--into",
        str(submission),
        "--component",
        "bms",
        "--amount",
        "75 kWh",
        "--as-of",
        "2026-06-01",
    )
    assert mismatch.exit_code == 1
    assert "exchange.unit-mismatch" in mismatch.output
    # the merged document would be invalid (unknown process)
    invalid = invoke(
        "pcf",
        "import",
        str(source),
        "--into",
        str(submission),
        "--component",
        "x",
        "--process",
        "smelting",
        "--amount",
        "1 piece",
        "--as-of",
        "2026-06-01",
    )
    assert invalid.exit_code == 1
    assert submission.read_bytes() == before


def test_yaml_submission_stays_yaml(tmp_path: Path) -> None:
    submission = tmp_path / "bus.yaml"
    shutil.copy(BUS, submission)
    source = tmp_path / "pf.json"
    source.write_bytes(dumps(v3_footprint()))
    result = invoke(
        "pcf",
        "import",
        str(source),
        "--into",
        str(submission),
        "--component",
        "extra-cells",
        "--process",
        "cell-manufacture",
        "--amount",
        "4 piece",
        "--as-of",
        "2026-06-01",
    )
    assert result.exit_code == 0, result.output
    assert invoke("validate", str(submission)).exit_code == 0


def test_reference_sample_into_submission(tmp_path: Path) -> None:
    sample = reference_file("examples/v3/electronics_tier_2_sample.json")
    submission = tmp_path / "ev.json"
    shutil.copy(EV, submission)
    several = invoke(
        "pcf",
        "import",
        str(sample),
        "--into",
        str(submission),
        "--component",
        "bms",
        "--as-of",
        "2026-06-01",
    )
    assert several.exit_code == 2
    assert "--footprint" in several.output


def test_export_and_previous(tmp_path: Path) -> None:
    out = tmp_path / "pf.json"
    args = [
        "pcf",
        "export",
        str(EV),
        "--format",
        "pact3",
        "--fossil-carbon-content",
        "38.4",
        "--no-biogenic",
        "--as-of",
        "2026-06-01",
        "--created",
        "2026-06-01T00:00:00Z",
    ]
    first = invoke(*args, "-o", str(out))
    assert first.exit_code == 0, first.output
    doc = json.loads(out.read_bytes())
    again = invoke(*args, "--previous", str(out))
    assert again.exit_code == 0
    assert json.loads(again.stdout) == doc
    assert "unchanged" in again.stderr


def test_export_refuses_kwh_and_missing_facts() -> None:
    kwh = invoke("pcf", "export", str(EV), "--unit", "kilowatt hour")
    assert kwh.exit_code == 2
    missing = invoke("pcf", "export", str(EV), "--as-of", "2026-06-01")
    assert missing.exit_code == 1
    assert "pact.export-fact-missing" in missing.output
