"""Where the shared reference material is (../shared next to the repository, or /work/shared)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

_CANDIDATES = (ROOT.parent / "shared" / "reference", Path("/work/shared/reference"))


def reference(relative: str) -> Path:
    """A file of the shared reference folder; the test skips (visibly) when it is absent."""
    for base in _CANDIDATES:
        path = base / relative
        if path.exists():
            return path
    pytest.skip(f"reference file {relative} not available (needs ../shared/reference)")


def reference_json(relative: str) -> Any:
    return json.loads(reference(relative).read_text(encoding="utf-8"))
