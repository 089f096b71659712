"""Shared fixtures: repository paths and the bundled examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "submissions"
VALID = sorted((EXAMPLES / "valid").iterdir())
INVALID = sorted((EXAMPLES / "invalid").iterdir())


@pytest.fixture
def ev_document() -> dict[str, Any]:
    """A fresh copy of the NMC811 M1 EV example as parsed JSON."""
    data: dict[str, Any] = json.loads((EXAMPLES / "valid" / "nmc811-m1-ev.json").read_text("utf-8"))
    return data


@pytest.fixture
def lmt_document() -> dict[str, Any]:
    """A fresh copy of the LMT e-bike example as parsed JSON."""
    data: dict[str, Any] = json.loads((EXAMPLES / "valid" / "lmt-ebike.json").read_text("utf-8"))
    return data
