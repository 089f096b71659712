"""Regex audit: no pattern applied to user input can be made to backtrack for long.

Every ``pattern`` of the published JSON Schemas (``jsonschema`` evaluates a ``pattern`` even when
``maxLength`` already failed, so the attacker controls the length up to the file-size limit), the
regular expressions the models and the code apply to document text (quantities, e-mail, dates,
unit normalisation, RMI workbook cells) and the unit syntax reader are run on adversarial strings:
a prefix that gets past the pattern's opening, a long "pump" repeated to :data:`LENGTH`
characters, and a suffix that makes the match fail late, which is what drives exponential and
quadratic backtracking. Each match must take under :data:`BUDGET` seconds of CPU time (generous,
to stay robust on a loaded machine; a linear pattern takes well under a millisecond).

The audit itself is checked: it must flag the quadratic e-mail pattern of issue 14 (item 2).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliance.dd.engine.facts import _LEGAL_FORMS
from compliance.dd.rules.answers import _SEPARATORS
from compliance.errors import UnitError
from compliance.intake.rmi.mapping import _URL
from compliance.intake.rmi.sections import _EMAIL
from compliance.intake.rmi.values import _DMY, _ISO, _MDY
from compliance.intake.rmi.workbook import _VERSION
from compliance.models.base import DATE_PATTERN, EMAIL_PATTERN
from compliance.units import (
    _CO2E_RE,
    _MULT_RE,
    _TKM_RE,
    NONNEGATIVE_QUANTITY_PATTERN,
    QUANTITY_STRING_PATTERN,
    UNIT_MAX_LENGTH,
    _is_unit_syntax,
    normalize_unit,
    resolve_unit,
)
from tests.conftest import ROOT

LENGTH = 10_000
"""Adversarial string length, above the longest ``maxLength`` of the schemas (4,000): the quadratic
e-mail pattern of issue 14 needs about 0.2 s here, a linear pattern well under a millisecond."""
BUDGET = 0.05
"""CPU seconds one match may take."""

PREFIXES = ["", "1", "1 ", "a", "a@", "a@b", "https://", "sha256:", "2024-01-01", "version 1.0"]
PUMPS = [" ", "a", "1", ".", "a.", "1 ", " 000", "\u00a0", "-", "@", "a1_", "/a", "\t"]
SUFFIXES = ["", "!", "\n!", "@", " x"]


def _schema_patterns() -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((ROOT / "schemas").rglob("schema.json")):
        walk(json.loads(path.read_text("utf-8")))
    return found


SCHEMA_PATTERNS = sorted(_schema_patterns())
CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "quantity": re.compile(QUANTITY_STRING_PATTERN),
    "non-negative quantity": re.compile(NONNEGATIVE_QUANTITY_PATTERN),
    "e-mail": re.compile(EMAIL_PATTERN),
    "date": re.compile(DATE_PATTERN),
    "unit CO2e": _CO2E_RE,
    "unit tkm": _TKM_RE,
    "unit product": _MULT_RE,
    "RMI e-mail": _EMAIL,
    "RMI version": _VERSION,
    "RMI URL": _URL,
    "RMI date DMY": _DMY,
    "RMI date MDY": _MDY,
    "RMI date ISO": _ISO,
    "DD answer separators": _SEPARATORS,
    "DD legal forms": _LEGAL_FORMS,
}


def adversarial(length: int = LENGTH) -> Iterator[str]:
    """Prefix + pump repeated to ``length`` characters + a failing suffix."""
    for prefix, pump, suffix in itertools.product(PREFIXES, PUMPS, SUFFIXES):
        yield prefix + pump * ((length - len(prefix)) // len(pump)) + suffix


def slowest(regex: re.Pattern[str], length: int = LENGTH) -> tuple[float, str]:
    """The longest CPU time of a ``search`` (jsonschema's and pydantic's semantics) and its input.

    Stops at the first input over the budget.
    """
    worst, culprit = 0.0, ""
    for text in adversarial(length):
        start = time.process_time()
        regex.search(text)
        spent = time.process_time() - start
        if spent > worst:
            worst, culprit = spent, text
        if spent > BUDGET:
            break
    return worst, culprit


def _shown(text: str) -> str:
    return repr(text[:30] + "..." + text[-10:])


@pytest.mark.parametrize("pattern", SCHEMA_PATTERNS)
def test_schema_patterns_run_in_linear_time(pattern: str) -> None:
    spent, text = slowest(re.compile(pattern))
    assert spent <= BUDGET, f"{pattern!r} took {spent:.3f} s on {_shown(text)}"


@pytest.mark.parametrize("name", sorted(CODE_PATTERNS))
def test_code_patterns_run_in_linear_time(name: str) -> None:
    spent, text = slowest(CODE_PATTERNS[name])
    assert spent <= BUDGET, f"{name} took {spent:.3f} s on {_shown(text)}"


def test_unit_syntax_is_read_in_linear_time() -> None:
    """The unit syntax check and normalisation, on strings far above the unit length limit."""
    worst = 0.0
    for text in [*adversarial(), "a" * LENGTH + "!", "kg*" * (LENGTH // 3) + "!"]:
        start = time.process_time()
        _is_unit_syntax(normalize_unit.__wrapped__(text))
        worst = max(worst, time.process_time() - start)
    assert worst <= BUDGET


def test_units_of_the_maximum_length_resolve_in_milliseconds() -> None:
    """Issue 14, item 1: ``"1 aaaaaaaaaaaaaaaaaaaaaaaaaaaa!"`` took 13 s, doubling per letter."""
    resolve = resolve_unit.__wrapped__  # uncached: time the work, not the cache
    worst = 0.0
    for text in ["a" * (UNIT_MAX_LENGTH - 1) + "!", "kg " * 33 + "!", "a" * 28 + "!"]:
        start = time.process_time()
        with pytest.raises(UnitError):
            resolve(text)
        worst = max(worst, time.process_time() - start)
    assert worst <= BUDGET


def test_the_audit_flags_a_quadratic_pattern() -> None:
    """Not vacuous: the e-mail pattern before issue 14 is caught (at a shorter length)."""
    spent, _ = slowest(re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), length=LENGTH)
    assert spent > BUDGET


def test_schemas_bound_every_quantity_string() -> None:
    """The quantity fields of the published schemas carry the length bounds the models enforce."""
    schema = json.loads((ROOT / "schemas/supplier-submission/1.0.0/schema.json").read_text("utf-8"))
    quantities = [d for d in schema["$defs"].values() if "x-dimension" in d]
    assert quantities
    for definition in quantities:
        assert definition["maxLength"] == 200
        assert definition["properties"]["unit"]["maxLength"] == UNIT_MAX_LENGTH


def test_paths_exist() -> None:
    assert Path(ROOT / "schemas").is_dir()
    assert len(SCHEMA_PATTERNS) > 20
