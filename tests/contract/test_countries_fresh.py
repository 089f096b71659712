"""The committed ISO 3166-1 table matches pycountry (a dev dependency)."""

from __future__ import annotations

import importlib.util

import pytest

from compliance.models._iso3166 import COUNTRIES
from tests.conftest import ROOT


def test_country_table_is_fresh() -> None:
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "generate_countries.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = ROOT / "src" / "compliance" / "models" / "_iso3166.py"
    assert target.read_text(encoding="utf-8") == module.render()


@pytest.mark.parametrize(("code", "name"), [("DE", "Germany"), ("JP", "Japan"), ("XK", "Kosovo")])
def test_known_codes(code: str, name: str) -> None:
    assert COUNTRIES[code] == name


def test_no_exceptional_reservations() -> None:
    assert "UK" not in COUNTRIES
    assert "EL" not in COUNTRIES
