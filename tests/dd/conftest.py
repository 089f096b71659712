"""Shared fixtures of the DD tests: the bundled catalogue and tables, example paths."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from compliance.dd import load_catalogue, load_reference_tables
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.references import ReferenceTables
from tests.conftest import ROOT

AS_OF = date(2026, 1, 15)
QUESTIONNAIRES = ROOT / "examples" / "questionnaires"


def example(name: str) -> dict[str, Any]:
    """A fresh copy of a valid example questionnaire."""
    data: dict[str, Any] = json.loads(
        (QUESTIONNAIRES / "valid" / f"{name}.json").read_text("utf-8")
    )
    return data


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def tables() -> ReferenceTables:
    return load_reference_tables()


@pytest.fixture
def examples_dir() -> Path:
    return QUESTIONNAIRES
