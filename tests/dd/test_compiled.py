"""The compiled build: exactly the configured modules run compiled in a regular install.

``.ci/run`` runs the whole suite twice: in the editable install (pure Python) and in the
compiled wheel (``hatch_build.py``), so every test also checks the compiled modules. This test
makes sure each run is what it claims to be.
"""

from __future__ import annotations

import sys
import tomllib
from datetime import date
from pathlib import Path

import compliance
from compliance.dd import compiled_modules, score_questionnaire, validate_questionnaire
from tests.conftest import ROOT

CONFIGURED = tuple(
    sorted(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"][
            "build"
        ]["targets"]["wheel"]["hooks"]["custom"]["compile"]
    )
)


def _editable() -> bool:
    return Path(compliance.__file__).resolve().is_relative_to(ROOT / "src")


def test_the_configured_modules_exist_and_are_loaded() -> None:
    assert len(CONFIGURED) >= 10
    for name in CONFIGURED:
        assert (ROOT / "src" / Path(*name.split("."))).with_suffix(".py").is_file(), name
    assert set(CONFIGURED) <= set(sys.modules)


def test_compiled_exactly_when_installed_from_the_wheel() -> None:
    if _editable():
        assert compiled_modules() == ()
    else:
        assert compiled_modules() == CONFIGURED


def test_validation_hands_the_scorer_canonical_values() -> None:
    """Compiled functions check their argument types at run time; canonical values pass."""
    data = (ROOT / "examples" / "questionnaires" / "valid" / "honest-red-flag.json").read_bytes()
    report = validate_questionnaire(data, as_of=date(2026, 1, 15))
    assert report.questionnaire is not None
    result = score_questionnaire(report.questionnaire, as_of=date(2026, 1, 15))
    assert (result.maturity.level, result.maturity.level_uncapped) == (4, 5)
    assert result.to_dict()["maturity"]["score"] == result.maturity.score == 93.9
