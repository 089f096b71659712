"""Art. 77(7): becoming waste is a new version of the same passport, not a new passport."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from compliance.cli.main import app
from compliance.passport.succession import successor_problem
from tests.passport.conftest import passport_of

FIXED = ["--as-of", "2027-09-01", "--generated-at", "2027-09-01T08:00:00Z"]


def _build(tmp_path: Path, document: dict[str, Any], name: str, *args: str) -> tuple[int, str]:
    source = tmp_path / f"{name}.submission.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["passport", str(source), *FIXED, "-o", str(tmp_path / name), *args]
    )
    return result.exit_code, result.stderr


def test_original_then_waste_is_version_two_of_the_same_passport(
    tmp_path: Path, ev_doc: dict[str, Any]
) -> None:
    code, err = _build(tmp_path, ev_doc, "v1.json")
    assert code == 0, err
    ev_doc["passport"]["item"]["status"] = "waste"
    code, err = _build(tmp_path, ev_doc, "v2.json", "--previous", str(tmp_path / "v1.json"))
    assert code == 0, err
    first = json.loads((tmp_path / "v1.json").read_bytes())
    second = json.loads((tmp_path / "v2.json").read_bytes())
    assert second["version"] == 2
    assert second["previousDigest"] == first["digest"]
    assert second["passport"]["passportIdentifier"] == first["passport"]["passportIdentifier"]
    assert second["passport"]["individual"]["status"] == "waste"


def test_a_waste_battery_does_not_return_to_use_in_the_same_passport(
    tmp_path: Path, ev_doc: dict[str, Any]
) -> None:
    ev_doc["passport"]["item"]["status"] = "waste"
    assert _build(tmp_path, ev_doc, "waste.json")[0] == 0
    ev_doc["passport"]["item"]["status"] = "original"
    code, err = _build(tmp_path, ev_doc, "back.json", "--previous", str(tmp_path / "waste.json"))
    assert code == 2
    assert "the battery is waste in the previous version" in err
    assert "Art. 77(7)" in err


def test_successor_rules(ev_doc: dict[str, Any]) -> None:
    original = passport_of(ev_doc)
    ev_doc["passport"]["item"]["status"] = "waste"
    waste = passport_of(ev_doc)
    assert successor_problem(original, waste) is None
    assert successor_problem(waste, waste) is None
    assert successor_problem(original, original) is None
    problem = successor_problem(waste, original)
    assert problem is not None
    assert "as original it needs a new passport" in problem
    ev_doc["passport"]["item"]["status"] = "repurposed"
    ev_doc["passport"]["item"]["predecessors"] = [original.passport_identifier]
    repurposed = passport_of(ev_doc)
    problem = successor_problem(original, repurposed)
    assert problem is not None
    assert problem.startswith("the previous version belongs to passport")
