"""Helpers for passport tests: build passports from the examples or edited documents."""

from __future__ import annotations

import codecs
import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from compliance.cfp import FactorLibrary, load_ruleset
from compliance.errors import Issue
from compliance.passport.model import Passport
from compliance.pipeline import CfpSetup, PassportRequest, SubmissionRun, run_submission
from tests.conftest import EXAMPLES, ROOT

AS_OF = date(2027, 9, 1)
GENERATED = datetime(2027, 9, 1, 8, 0, tzinfo=UTC)
BASE_URL = "https://passport.example.org"
REFERENCE = ROOT.parent / "shared" / "reference" / "passport"
EV = EXAMPLES / "valid" / "nmc811-m1-ev.json"
LMT = EXAMPLES / "valid" / "lmt-ebike.json"
BUS = EXAMPLES / "valid" / "lfp-m3-bus.yaml"


def outcome_for(data: bytes, name: str = "test.json") -> SubmissionRun:
    """Validate, compute and build (draft DA ruleset, bundled datasets)."""
    return run_submission(
        data,
        name=name,
        setup=CfpSetup(load_ruleset("eu-da-2024-draft"), FactorLibrary.bundled([])),
        as_of=AS_OF,
        passport=PassportRequest(GENERATED, BASE_URL),
    )


def passport_of(document: dict[str, Any]) -> Passport:
    """The passport of an edited submission document (fails the test on errors)."""
    outcome = outcome_for(json.dumps(document).encode())
    assert outcome.passport is not None, [i.to_dict() for i in outcome.issues]
    return outcome.passport


def issues_of(document: dict[str, Any]) -> list[Issue]:
    """The error issues of an edited submission document."""
    outcome = outcome_for(json.dumps(document).encode())
    return [i for i in outcome.issues if i.severity.value == "error"]


@pytest.fixture(scope="session")
def example_passports() -> dict[str, Passport]:
    """The full passports of the three bundled examples."""
    out = {}
    for path in (EV, LMT, BUS):
        outcome = outcome_for(path.read_bytes(), path.name)
        assert outcome.passport is not None, [i.to_dict() for i in outcome.issues]
        out[path.stem] = outcome.passport
    return out


@pytest.fixture
def ev_doc() -> dict[str, Any]:
    """A fresh copy of the EV example."""
    data: dict[str, Any] = json.loads(EV.read_text("utf-8"))
    return copy.deepcopy(data)


def load_reference(relative: str) -> dict[str, Any]:
    """A reference schema from ../shared (UTF-16 with BOM or UTF-8); skips when absent."""
    path = REFERENCE / relative
    if not path.exists():
        pytest.skip(f"reference schemas not available: {path} is absent (needs ../shared)")
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        text = raw.decode("utf-16")
    else:
        text = raw.decode("utf-8-sig")
    data: dict[str, Any] = json.loads(text)
    return data


def reference_dir() -> Path:
    """The reference folder (skips when absent)."""
    if not REFERENCE.exists():
        pytest.skip(f"reference schemas not available: {REFERENCE} is absent (needs ../shared)")
    return REFERENCE
