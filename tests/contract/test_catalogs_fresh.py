"""The gettext catalogues cover every template string, in both languages, compiled and current."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_catalogs", ROOT / "scripts" / "update_catalogs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("update_catalogs", module)
    spec.loader.exec_module(module)
    return module


def test_catalogues_are_complete_and_compiled() -> None:
    assert _script().problems() == []


def test_the_check_reports_a_new_template_string(monkeypatch: pytest.MonkeyPatch) -> None:
    script = _script()
    real = script.extract

    def with_new_string() -> object:
        catalog = real()
        catalog.add("A string added to a template", locations=[("x.html", 0)])
        return catalog

    monkeypatch.setattr(script, "extract", with_new_string)
    found = script.problems()
    for language in ("en", "ja"):
        path = f"templates/locale/{language}/LC_MESSAGES/messages.po"
        assert f"{path}: missing message 'A string added to a template'" in found
