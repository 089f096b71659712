"""``compliance pcf export --format catenax`` and ``pcf import --format ouranos``."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from jsonschema import Draft4Validator
from typer.testing import CliRunner

from compliance.cli.main import app
from tests.cfp.conftest import BASE
from tests.conftest import EXAMPLES, ROOT
from tests.exchange.conftest import reference_json

runner = CliRunner()
EV = str(EXAMPLES / "valid" / "nmc811-m1-ev.json")
BUNDLE = ROOT / "examples" / "ouranos" / "tutorial-bundle.json"
TRACE = "40b77952-2c89-49be-8ce9-7c64a15e0ae7"
META = (
    "geographyRegionOrSubregion: Eastern Europe\nexemptedEmissionsPercent: 0\n"
    "allocationWasteIncineration: cut-off\npackagingEmissionsIncluded: false\n"
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def export(*args: str) -> tuple[int, str, str]:
    return invoke("pcf", "export", EV, "--format", "catenax", "--as-of", "2026-11-29", *args)


def test_catenax_export_writes_a_schema_valid_payload(tmp_path: Path) -> None:
    meta = tmp_path / "meta.yaml"
    meta.write_text(META)
    out = tmp_path / "pcf.json"
    code, _, err = export("--metadata", str(meta), "-o", str(out))
    assert code == 0, err
    payload = json.loads(out.read_text())
    schema = reference_json("catenax-pcf/io.catenax.pcf/9.0.0/Pcf-schema.json")
    assert not list(Draft4Validator(schema).iter_errors(payload))
    info = payload["pcfAssessmentAndMethodology"][0]["pcfAssessmentInformation"][0]
    pf_id = info["idAndVersion"][0]["id"]
    assert f"exported as Catena-X PCF 9.0.0 {pf_id} to {out}" in err
    # to stdout, created later: the same content keeps its id; only `created` differs
    again, stdout, _ = export("--metadata", str(meta), "--created", "2030-01-01T00:00:00Z")
    assert again == 0
    later = json.loads(stdout)
    later_info = later["pcfAssessmentAndMethodology"][0]["pcfAssessmentInformation"][0]
    assert later_info["idAndVersion"][0]["id"] == pf_id
    assert later_info["time"][0]["created"] == "2030-01-01T00:00:00Z"
    later_info["time"][0]["created"] = info["time"][0]["created"]
    assert later == payload


def test_catenax_export_reports_missing_metadata(tmp_path: Path) -> None:
    meta = tmp_path / "meta.yaml"
    meta.write_text("geographyRegionOrSubregion: Eastern Europe\n")
    out = tmp_path / "pcf.json"
    code, _, err = export("--metadata", str(meta), "-o", str(out))
    assert code == 1
    assert "[catenax.missing] /exemptedEmissionsPercent" in err
    assert f"{meta}: error [catenax.missing] /exemptedEmissionsPercent" in err  # its own file
    assert not out.exists()
    # without --metadata every required value is missing, and said so
    code, _, err = export("-o", str(out))
    assert code == 1
    assert "[catenax.missing] /geographyRegionOrSubregion" in err
    assert "--metadata" in err
    assert not out.exists()


def test_catenax_metadata_errors_are_located(tmp_path: Path) -> None:
    meta = tmp_path / "meta.yaml"
    meta.write_text(META.replace("exemptedEmissionsPercent: 0", "exemptedEmissionsPercent: 12"))
    code, _, err = export("--metadata", str(meta))
    assert code == 1
    assert f"{meta}:2:" in err
    assert "/exemptedEmissionsPercent" in err
    assert "Traceback" not in err


def test_catenax_refuses_options_it_does_not_use(tmp_path: Path) -> None:
    for args in (
        ("--unit", "kilogram"),
        ("--fossil-carbon-content", "1"),
        ("--no-biogenic",),
        ("--previous", EV),
    ):
        code, _, err = export(*args)
        assert code == 2, args
    code, _, err = invoke("pcf", "export", EV, "--format", "pact3", "--metadata", EV)
    assert code == 2
    assert "catenax" in err


def test_ouranos_import_into_a_submission(tmp_path: Path) -> None:
    submission = tmp_path / "s.json"
    submission.write_text(json.dumps(BASE))
    out = tmp_path / "merged.json"
    code, _, err = invoke(
        "pcf",
        "import",
        str(BUNDLE),
        "--format",
        "ouranos",
        "--into",
        str(submission),
        "-o",
        str(out),
    )
    assert code == 0, err
    merged = json.loads(out.read_text())
    assert [c["id"] for c in merged["purchasedComponents"]] == [f"ouranos-{TRACE}"]
    assert merged["purchasedComponents"][0]["footprint"]["stageSplit"] == {
        "rawMaterial": "1.5 kg CO2e/kg",
        "mainProduction": "10.0 kg CO2e/kg",
    }
    assert f"added as purchased component 'ouranos-{TRACE}'" in err
    assert json.loads(submission.read_text()) == BASE  # the input is not touched


def test_ouranos_import_lists_the_parts() -> None:
    code, stdout, err = invoke("pcf", "import", str(BUNDLE), "--format", "ouranos")
    assert code == 0, err
    (listed,) = json.loads(stdout)["footprints"]
    assert listed["reference"] == TRACE
    assert listed["perUnit"] == {"kg": "11.5 kg CO2e/kg"}
    assert listed["component"] == {"id": f"ouranos-{TRACE}", "process": "other", "amount": "5.0 kg"}


def test_ouranos_import_with_a_process_and_component(tmp_path: Path) -> None:
    submission = tmp_path / "s.json"
    submission.write_text(json.dumps(BASE))
    code, _, err = invoke(
        "pcf",
        "import",
        str(BUNDLE),
        "--format",
        "ouranos",
        "--into",
        str(submission),
        "--component",
        "a1",
        "--process",
        "cell-manufacture",
        "--footprint",
        TRACE,
    )
    assert code == 0, err
    (component,) = json.loads(submission.read_text())["purchasedComponents"]
    assert (component["id"], component["process"], component["amount"]) == (
        "a1",
        "cell-manufacture",
        "5.0 kg",
    )


def test_ouranos_import_errors_write_nothing(tmp_path: Path) -> None:
    bundle = json.loads(BUNDLE.read_text("utf-8"))
    bundle["cfp"][0]["ghgEmission"] = "1,5"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundle, ensure_ascii=False))
    submission = tmp_path / "s.json"
    submission.write_text(json.dumps(copy.deepcopy(BASE)))
    before = submission.read_bytes()
    out = tmp_path / "merged.json"
    code, _, err = invoke(
        "pcf",
        "import",
        str(bad),
        "--format",
        "ouranos",
        "--into",
        str(submission),
        "-o",
        str(out),
    )
    assert code == 1
    assert f"{bad}:1:" in err
    assert "error [ouranos.emission] /cfp/0/ghgEmission" in err
    assert not out.exists()
    assert submission.read_bytes() == before
    assert "Traceback" not in err


def test_pact_footprint_needs_a_component(tmp_path: Path) -> None:
    """A PACT footprint names no component: --into needs --component (usage error)."""
    from tests.exchange.conftest import dumps, v3_footprint

    source = tmp_path / "pf.json"
    source.write_bytes(dumps(v3_footprint()))
    submission = tmp_path / "s.json"
    submission.write_text(json.dumps(BASE))
    before = submission.read_bytes()
    code, _, err = invoke(
        "pcf", "import", str(source), "--into", str(submission), "--as-of", "2026-06-01"
    )
    assert code == 2
    assert "--component" in err
    assert submission.read_bytes() == before
    code, _, err = invoke("pcf", "import", str(source), "--component", "x")
    assert code == 2


def test_export_takes_factor_files(tmp_path: Path) -> None:
    """--factors reaches the CFP (as in compliance cfp): a missing file is a usage error."""
    missing = tmp_path / "none.yaml"
    code, _, err = export("--factors", str(missing))
    assert code == 2
    assert str(missing) in err
