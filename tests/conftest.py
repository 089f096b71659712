"""Shared fixtures: repository paths and the bundled examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="rewrite golden files from current output"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Any:
    """Compare text with a golden file; ``--update-goldens`` rewrites it (review the diff)."""

    def check(relative: str, text: str) -> None:
        path = GOLDEN / relative
        if request.config.getoption("--update-goldens"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"missing golden {path}; run pytest --update-goldens"
        assert text == path.read_text(encoding="utf-8"), f"{relative} differs from its golden"

    return check


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
