"""Fixtures of the rule-runner meta-tests: the bundled catalogue and tables."""

from __future__ import annotations

import pytest

from compliance.dd import load_catalogue, load_reference_tables
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.references import ReferenceTables


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def tables() -> ReferenceTables:
    return load_reference_tables()
