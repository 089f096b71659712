"""``compliance interop``: Catena-X export and Ouranos import from the command line."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from jsonschema import Draft4Validator
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.cfp.conftest import BASE
from tests.conftest import EXAMPLES
from tests.interop.conftest import reference_json

runner = CliRunner()
EV = str(EXAMPLES / "valid" / "nmc811-m1-ev.json")
BUNDLE = Path(__file__).parent / "data" / "ouranos-tutorial-bundle.json"
META = (
    "geographyRegionOrSubregion: Eastern Europe\nexemptedEmissionsPercent: 0\n"
    "allocationWasteIncineration: cut-off\npackagingEmissionsIncluded: false\n"
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_catenax_export_writes_a_schema_valid_payload(tmp_path: Path) -> None:
    meta = tmp_path / "meta.yaml"
    meta.write_text(META)
    out = tmp_path / "pcf.json"
    code, _, err = invoke(
        "interop",
        "catenax-export",
        EV,
        "--metadata",
        str(meta),
        "--as-of",
        "2026-11-29",
        "-o",
        str(out),
    )
    assert code == 0, err
    payload = json.loads(out.read_text())
    schema = reference_json("catenax-pcf/io.catenax.pcf/9.0.0/Pcf-schema.json")
    assert not list(Draft4Validator(schema).iter_errors(payload))


def test_catenax_export_reports_missing_metadata(tmp_path: Path) -> None:
    meta = tmp_path / "meta.yaml"
    meta.write_text("geographyRegionOrSubregion: Eastern Europe\n")
    out = tmp_path / "pcf.json"
    code, _, err = invoke("interop", "catenax-export", EV, "--metadata", str(meta), "-o", str(out))
    assert code == 1
    assert "[interop.catenax-missing] /exemptedEmissionsPercent" in err
    assert not out.exists()


def test_ouranos_import_into_a_submission(tmp_path: Path) -> None:
    submission = tmp_path / "s.json"
    submission.write_text(json.dumps(BASE))
    out = tmp_path / "merged.json"
    code, _, err = invoke(
        "interop", "ouranos-import", str(BUNDLE), "--into", str(submission), "-o", str(out)
    )
    assert code == 0, err
    merged = json.loads(out.read_text())
    assert [c["id"] for c in merged["purchasedComponents"]] == [
        "ouranos-40b77952-2c89-49be-8ce9-7c64a15e0ae7"
    ]
    assert json.loads(submission.read_text()) == BASE  # the input is not touched


def test_ouranos_import_errors_write_nothing(tmp_path: Path) -> None:
    bundle = json.loads(BUNDLE.read_text("utf-8"))
    bundle["cfp"][0]["ghgEmission"] = "1,5"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundle, ensure_ascii=False))
    submission = tmp_path / "s.json"
    submission.write_text(json.dumps(copy.deepcopy(BASE)))
    out = tmp_path / "merged.json"
    code, _, err = invoke(
        "interop", "ouranos-import", str(bad), "--into", str(submission), "-o", str(out)
    )
    assert code == 1
    assert f"{bad}: error [ouranos.emission] /cfp/0/ghgEmission" in err
    assert not out.exists()
    assert "Traceback" not in err
