"""The dd report kind: golden text, pages, attached result, metadata, escaping, long lists."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from compliance.dd import load_catalogue
from compliance.reports import DdReportInput, ReportInputError, build_html, render_report
from compliance.reports.dd import ATTACHMENT_NAME, result_json
from compliance.reports.pdf import default_renderer
from tests.reports.conftest import LANGUAGES, assert_pdfa_metadata, pdf_text, stem
from tests.reports.kinds_fixtures import QUESTIONNAIRE_NAMES, make_dd_input, questionnaire_document
from tests.reports.test_pagination import clipped_text

CASES = [(name, language) for name in QUESTIONNAIRE_NAMES for language in LANGUAGES]
PAGES = {
    ("honest-red-flag.json", "en"): 10,
    ("honest-red-flag.json", "ja"): 10,
    ("strong-supplier.json", "en"): 13,
    ("strong-supplier.json", "ja"): 13,
    ("weak-yes-to-everything.json", "en"): 12,
    ("weak-yes-to-everything.json", "ja"): 12,
}
SCRIPT = "<script>alert(1)</script>"

RenderKind = Callable[[str, str, object, str], bytes]


def _pdf(
    rendered_kind: RenderKind, dd_inputs: dict[str, DdReportInput], name: str, lang: str
) -> bytes:
    return rendered_kind("dd", name, dd_inputs[name], lang)


@pytest.mark.parametrize(("name", "language"), CASES)
def test_extracted_text_matches_golden(
    rendered_kind: RenderKind,
    dd_inputs: dict[str, DdReportInput],
    golden: Callable[[str, str], None],
    name: str,
    language: str,
) -> None:
    text = pdf_text(_pdf(rendered_kind, dd_inputs, name, language))
    golden(f"reports/{stem(name)}.dd.{language}.txt", text)


@pytest.mark.parametrize(("name", "language"), CASES)
def test_page_count(
    rendered_kind: RenderKind, dd_inputs: dict[str, DdReportInput], name: str, language: str
) -> None:
    pdf = _pdf(rendered_kind, dd_inputs, name, language)
    assert len(PdfReader(BytesIO(pdf)).pages) == PAGES[name, language]


@pytest.mark.parametrize("name", QUESTIONNAIRE_NAMES)
def test_attached_json_is_the_result(
    rendered_kind: RenderKind, dd_inputs: dict[str, DdReportInput], name: str
) -> None:
    reader = PdfReader(BytesIO(_pdf(rendered_kind, dd_inputs, name, "en")))
    assert list(reader.attachments) == [ATTACHMENT_NAME]
    (data,) = reader.attachments[ATTACHMENT_NAME]
    result = dd_inputs[name].result
    assert data == result_json(result)
    assert json.loads(data) == result.to_dict()
    root: Any = reader.trailer["/Root"]
    (number,) = {ref.idnum for ref in root["/AF"]}
    spec: Any = reader.get_object(number)
    assert spec["/AFRelationship"] == "/Data"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdfa_metadata_from_the_scoring_date(
    rendered_kind: RenderKind, dd_inputs: dict[str, DdReportInput], language: str
) -> None:
    pdf = _pdf(rendered_kind, dd_inputs, "honest-red-flag.json", language)
    title = (
        "デュー・ディリジェンス監査報告書\uff1aKivu Cobalt Refining SARL"
        if language == "ja"
        else "Due-diligence audit report: Kivu Cobalt Refining SARL"
    )
    info: Any = assert_pdfa_metadata(pdf, language, title, datetime(2026, 1, 15, 0, 0))
    assert info["/CreationDate"] == "D:20260115000000Z"


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_renders_are_byte_identical(
    rendered_kind: RenderKind, dd_inputs: dict[str, DdReportInput], language: str
) -> None:
    name = "weak-yes-to-everything.json"
    again = render_report("dd", dd_inputs[name], language=language)
    assert again == _pdf(rendered_kind, dd_inputs, name, language)


def test_the_report_shows_what_the_result_says(dd_inputs: dict[str, DdReportInput]) -> None:
    honest = pdf_text(render_report("dd", dd_inputs["honest-red-flag.json"], language="en"))
    flat = re.sub(r"\s+", " ", honest)
    assert "Maturity 93.9 out of 100, level 4 (Managed)." in flat
    assert "The score alone would reach level 5" in flat
    assert "G5-VERIFIED" in flat  # the failed gate
    assert "Raised from medium by 1 override(s)" in flat  # base level, override
    assert "risk.addressed- critical" in flat or "risk.addressed-critical" in flat
    assert "RF-M2-16-SERIOUS-ABUSE" in flat
    assert "addressed" in flat
    assert "DEMONSTRATION" in flat  # demonstration reference tables flagged
    assert "country-risk-demo" in flat
    weak = re.sub(
        r"\s+",
        " ",
        pdf_text(render_report("dd", dd_inputs["weak-yes-to-everything.json"], language="en")),
    )
    assert "M1-02: yes → no" in weak  # a contradiction with both values
    assert "Confidence grade C" in weak
    assert "M4-03" in weak  # an unevidenced claim


def test_every_supplier_string_is_escaped() -> None:
    document = questionnaire_document("honest-red-flag.json")
    document["header"]["supplier"]["name"] = SCRIPT
    document["header"]["authorizer"]["name"] = '"><img src=x onerror=alert(1)>'
    document["processors"][0]["name"] = "<iframe src='https://example.com'>"
    document["mines"][0]["name"] = "<b>bold</b>"
    document["evidence"][0]["title"] = SCRIPT
    document["evidence"][1]["issuer"] = "<a href='javascript:x'>s</a>"
    data = make_dd_input(document)
    for language in LANGUAGES:
        html, _ = build_html("dd", data, language=language)
        assert not re.search(r"<(script|img|iframe|b)\b", html)
        assert "<a href='javascript" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;iframe src=&#39;https://example.com&#39;&gt;" in html


def test_inputs_that_do_not_belong_together_are_refused(
    dd_inputs: dict[str, DdReportInput],
) -> None:
    honest, strong = dd_inputs["honest-red-flag.json"], dd_inputs["strong-supplier.json"]
    mixed = DdReportInput(strong.questionnaire, honest.result, honest.catalogue)
    with pytest.raises(ReportInputError, match="the result is for questionnaire 'KCR-2025-DD'"):
        build_html("dd", mixed, language="en")
    other = copy.copy(load_catalogue())
    object.__setattr__(other, "version", "1999.1")
    with pytest.raises(ReportInputError, match="not with the catalogue given"):
        build_html("dd", DdReportInput(honest.questionnaire, honest.result, other), language="en")
    with pytest.raises(ReportInputError, match="needs a DdReportInput"):
        build_html("dd", honest.result, language="en")


def long_lists_document(processors: int) -> dict[str, Any]:
    """The weak questionnaire with many processors and mines and long supplier strings."""
    document = questionnaire_document("weak-yes-to-everything.json")
    document["header"]["supplier"]["name"] = "\uff31" * 30 + "Quickfill" * 30
    template = document["processors"][0]
    rows = []
    for index in range(processors):
        row = copy.deepcopy(template)
        row["id"] = f"p-{index:03d}"
        row["name"] = f"Processor {index:03d} " + "refinery " * (index % 7) + "X" * (index % 40)
        row["facilityId"] = f"FAC-{index:03d}-" + "9" * 40
        row["sharePct"] = 2
        rows.append(row)
    document["processors"] = rows
    mine = document["mines"][0] if document.get("mines") else None
    if mine is not None:
        document["mines"] = [
            {**mine, "id": f"m-{i:03d}", "name": f"Mine {i:03d} " + "pit " * (i % 9)}
            for i in range(processors)
        ]
    return document


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_fifty_processors_paginate_without_clipping(language: str) -> None:
    document = long_lists_document(50)
    data = make_dd_input(document)
    assert len(data.questionnaire.processors) == 50
    html, _ = build_html("dd", data, language=language)
    laid_out = default_renderer().layout(html)
    assert clipped_text(laid_out) == []
    text = pdf_text(render_report("dd", data, language=language))
    missing = [f"p-{i:03d}" for i in range(50) if f"p-{i:03d}" not in text]
    assert missing == []
