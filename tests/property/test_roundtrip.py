"""Every validated submission survives a JSON round trip, and its dump is schema-valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance.models import SupplierSubmission
from compliance.validation import submission_validator, validate_submission
from tests.conftest import VALID


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_json_round_trip(path: Path) -> None:
    model = validate_submission(path.read_bytes(), name=path.name).submission
    assert model is not None
    text = model.model_dump_json()
    again = SupplierSubmission.model_validate_json(text, by_alias=True, by_name=False)
    assert again == model
    assert submission_validator().is_valid(json.loads(text))
    # quantities keep the supplier's own value and unit on the wire
    assert json.loads(text)["battery"]["mass"]["unit"] == model.battery.mass.unit


def test_python_dump_round_trip() -> None:
    model = validate_submission(VALID[0].read_bytes(), name=VALID[0].name).submission
    assert model is not None
    assert SupplierSubmission.model_validate(model.model_dump()) == model
