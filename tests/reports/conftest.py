"""Report test helpers: inputs computed from the examples, cached renders, PDF text, no logs."""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.reports import CfpReportInput, render_report
from compliance.validation import validate_submission
from tests.conftest import EXAMPLES

AS_OF = date(2026, 11, 29)
EXAMPLE_NAMES = ("lfp-m3-bus.yaml", "lmt-ebike.json", "nmc811-m1-ev.json")
LANGUAGES = ("en", "ja")


def make_input(
    document: bytes | dict[str, Any],
    *,
    ruleset: str = "eu-da-2024-draft",
    monte_carlo: int = 0,
    name: str = "submission.json",
) -> CfpReportInput:
    """Validate and compute a submission, as the CLI does; fails the test on any error."""
    report = validate_submission(document, name=name)
    assert report.ok, report.issues[:3]
    assert report.submission is not None
    rules = load_ruleset(ruleset)
    outcome = compute_cfp(
        report.submission,
        rules,
        library=FactorLibrary.bundled(),
        as_of=AS_OF,
        monte_carlo=monte_carlo,
        seed=1,
    )
    assert outcome.result is not None, outcome.issues[:3]
    return CfpReportInput(report.submission, outcome.result, rules)


def example_bytes(name: str) -> bytes:
    return (EXAMPLES / "valid" / name).read_bytes()


def example_document(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(example_bytes(name))
    return copy.deepcopy(data)


def pdf_text(pdf: bytes) -> str:
    """Text of every page (pypdf), whitespace-normalised, with page markers."""
    reader = PdfReader(BytesIO(pdf))
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        lines = [re.sub(r"\s+", " ", line).strip() for line in page.extract_text().splitlines()]
        body = "\n".join(line for line in lines if line)
        pages.append(f"=== page {number}/{len(reader.pages)} ===\n{body}")
    return "\n".join(pages) + "\n"


MM = 72 / 25.4
# Page margins of print.css (top, bottom) in PDF points: portrait pages and the landscape annex.
PORTRAIT_MARGINS = (20 * MM, 18 * MM)
LANDSCAPE_MARGINS = (16 * MM, 16 * MM)


def assert_pdfa_metadata(pdf: bytes, language: str, title: str, created: datetime) -> Any:
    """PDF/A-3b identification, language, output intent, XMP title and creation date; returns
    the document information dictionary for kind-specific checks."""
    reader = PdfReader(BytesIO(pdf))
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert "/OutputIntents" in root
    xmp = reader.xmp_metadata
    assert xmp is not None
    rdf = xmp.rdf_root.toxml()
    assert 'pdfaid:part="3"' in rdf
    assert 'pdfaid:conformance="B"' in rdf
    assert xmp.dc_title == {"x-default": title}
    assert xmp.xmp_create_date == created
    return reader.metadata


def _content_area_visitor(parts: list[str], low: float, high: float) -> Callable[..., None]:
    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if low <= y <= high:
            parts.append(text)

    return visit


def body_text(pdf: bytes) -> str:
    """Text inside the pages' content areas only (no running header or footer), in reading order."""
    parts: list[str] = []
    for page in PdfReader(BytesIO(pdf)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        top, bottom = LANDSCAPE_MARGINS if width > height else PORTRAIT_MARGINS
        page.extract_text(visitor_text=_content_area_visitor(parts, bottom, height - top))
    return "".join(parts)


@pytest.fixture(scope="session")
def example_inputs() -> dict[str, CfpReportInput]:
    """The valid examples under the default ruleset; the EV one with a Monte Carlo analysis."""
    return {
        name: make_input(
            example_bytes(name), monte_carlo=500 if name.startswith("nmc811") else 0, name=name
        )
        for name in EXAMPLE_NAMES
    }


@pytest.fixture(scope="session")
def rendered(example_inputs: dict[str, CfpReportInput]) -> Callable[[str, str], bytes]:
    """PDF of an example in a language, rendered once per session."""
    cache: dict[tuple[str, str], bytes] = {}

    def get(name: str, language: str) -> bytes:
        key = (name, language)
        if key not in cache:
            cache[key] = render_report("cfp", example_inputs[name], language=language)
        return cache[key]

    return get


@pytest.fixture(autouse=True)
def no_weasyprint_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Report tests fail on any WeasyPrint warning or error (bad CSS, missing resource ...)."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    records = [
        f"{r.levelname}: {r.getMessage()}"
        for when in ("setup", "call")
        for r in caplog.get_records(when)
        if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING
    ]
    assert records == []


def stem(name: str) -> str:
    return Path(name).stem


@pytest.fixture(scope="session")
def dd_inputs() -> dict[str, Any]:
    """The DD report input of every valid example questionnaire (scored 2026-01-15)."""
    from tests.reports.kinds_fixtures import QUESTIONNAIRE_NAMES, QUESTIONNAIRES, make_dd_input

    return {
        name: make_dd_input((QUESTIONNAIRES / name).read_bytes(), name)
        for name in QUESTIONNAIRE_NAMES
    }


@pytest.fixture(scope="session")
def passport_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Sealed passports of the valid example submissions, written by ``compliance passport``;
    the EV one with the honest questionnaire's DD summary in its (non-public) extensions."""
    from tests.reports.kinds_fixtures import (
        QUESTIONNAIRES,
        SUBMISSION_NAMES,
        build_passport_file,
        submission_path,
    )

    out = tmp_path_factory.mktemp("passports")
    files = {}
    for name in SUBMISSION_NAMES:
        extra = ["--dd", str(QUESTIONNAIRES / "honest-red-flag.json")] if "nmc811" in name else []
        files[name] = build_passport_file(submission_path(name), out / f"{name}.json", *extra)
    return files


@pytest.fixture(scope="session")
def rendered_kind() -> Callable[[str, str, object, str], bytes]:
    """PDF of a (kind, case) in a language, rendered once per session."""
    cache: dict[tuple[str, str, str], bytes] = {}

    def get(kind: str, case: str, data: object, language: str) -> bytes:
        key = (kind, case, language)
        if key not in cache:
            cache[key] = render_report(kind, data, language=language)
        return cache[key]

    return get
