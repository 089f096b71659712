"""PDF/A-3b reports: golden text, pages, attached result, metadata, reproducibility, assets."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from compliance import resources
from compliance.cfp.result import CfpResult
from compliance.errors import ResourceError
from compliance.reports import CfpReportInput, ReportAssetError, render_report
from compliance.reports.cfp import ATTACHMENT_NAME, result_json
from compliance.reports.pdf import ASSET_BASE, AssetRefusedError, BundledAssetFetcher, PdfRenderer
from tests.reports.conftest import EXAMPLE_NAMES, LANGUAGES, assert_pdfa_metadata, pdf_text, stem

CASES = [(name, language) for name in EXAMPLE_NAMES for language in LANGUAGES]
# Pages per example and language (the golden text holds the same count in its page markers).
PAGES = {
    ("lfp-m3-bus.yaml", "en"): 9,
    ("lfp-m3-bus.yaml", "ja"): 8,
    ("lmt-ebike.json", "en"): 9,
    ("lmt-ebike.json", "ja"): 8,
    ("nmc811-m1-ev.json", "en"): 11,
    ("nmc811-m1-ev.json", "ja"): 10,
}


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


@pytest.mark.parametrize(("name", "language"), CASES)
def test_extracted_text_matches_golden(
    rendered: Callable[[str, str], bytes],
    golden: Callable[[str, str], None],
    name: str,
    language: str,
) -> None:
    golden(f"reports/{stem(name)}.cfp.{language}.txt", pdf_text(rendered(name, language)))


@pytest.mark.parametrize(("name", "language"), CASES)
def test_page_count(rendered: Callable[[str, str], bytes], name: str, language: str) -> None:
    assert len(_reader(rendered(name, language)).pages) == PAGES[name, language]


@pytest.mark.parametrize(("name", "language"), CASES)
def test_attached_json_is_the_result(
    rendered: Callable[[str, str], bytes],
    example_inputs: dict[str, CfpReportInput],
    name: str,
    language: str,
) -> None:
    reader = _reader(rendered(name, language))
    assert list(reader.attachments) == [ATTACHMENT_NAME]
    (data,) = reader.attachments[ATTACHMENT_NAME]
    result = example_inputs[name].result
    assert data == result_json(result)
    assert CfpResult.model_validate(json.loads(data)) == result
    # PDF/A-3 associated file with relationship Data, and a JSON MIME type
    root: Any = reader.trailer["/Root"]
    # one associated file (WeasyPrint lists its reference twice in /AF)
    (number,) = {ref.idnum for ref in root["/AF"]}
    spec: Any = reader.get_object(number)
    assert spec["/AFRelationship"] == "/Data"
    assert spec["/EF"]["/F"].get_object()["/Subtype"] == "/application/json"


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdfa_metadata_from_provenance(
    rendered: Callable[[str, str], bytes], language: str
) -> None:
    pdf = rendered("nmc811-m1-ev.json", language)
    title = (
        "カーボンフットプリント宣言\uff1aDBS-EV80-NMC811"
        if language == "ja"
        else "Carbon footprint declaration: DBS-EV80-NMC811"
    )
    info: Any = assert_pdfa_metadata(pdf, language, title, datetime(2026, 11, 29, 0, 0))
    assert info.title == title
    assert info["/CreationDate"] == "D:20261129000000Z"
    assert info["/Creator"].startswith("compliance ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_fonts_are_embedded_subsets_of_the_bundled_fonts(
    rendered: Callable[[str, str], bytes], language: str
) -> None:
    reader = _reader(rendered("nmc811-m1-ev.json", language))
    names = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[1])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # embedded TrueType program
    expected = {"Report-Gothic-JA"} if language == "ja" else {"Report-Sans", "Report-Sans-Bold"}
    assert expected <= {n.split("+")[-1] for n in names}


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_renders_are_byte_identical(
    rendered: Callable[[str, str], bytes],
    example_inputs: dict[str, CfpReportInput],
    language: str,
) -> None:
    again = render_report("cfp", example_inputs["nmc811-m1-ev.json"], language=language)
    assert again == rendered("nmc811-m1-ev.json", language)


def test_creation_date_follows_generated_at_not_the_clock(
    example_inputs: dict[str, CfpReportInput],
) -> None:
    moment = datetime(2027, 3, 4, 5, 6, 7, tzinfo=UTC)
    pdf = render_report("cfp", example_inputs["lmt-ebike.json"], language="en", generated_at=moment)
    info: Any = _reader(pdf).metadata
    assert info["/CreationDate"] == "D:20270304050607Z"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/print.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        ASSET_BASE + "../../pyproject.toml",
        ASSET_BASE + "%2e%2e/%2e%2e/pyproject.toml",
        ASSET_BASE + "print.css?x=1",
        ASSET_BASE + "no-such-file.css",
        ASSET_BASE,
    ],
)
def test_fetcher_refuses_everything_but_bundled_assets(url: str) -> None:
    with pytest.raises(AssetRefusedError):
        BundledAssetFetcher().fetch(url)


def test_fetcher_serves_bundled_assets() -> None:
    response = BundledAssetFetcher().fetch(ASSET_BASE + "print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="http://example.com/tracker.png">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<div style="background: url(https://example.com/x.png)">x</div>',
    ],
)
def test_a_document_asking_for_an_outside_url_is_not_rendered(markup: str) -> None:
    html = f"<!DOCTYPE html><html lang=en><head><title>t</title></head><body>{markup}</body></html>"
    with pytest.raises(ReportAssetError, match="refused"):
        PdfRenderer().render(html, attachments=[], created=datetime(2026, 1, 1, tzinfo=UTC))


def test_a_missing_bundled_font_is_an_error_not_tofu(monkeypatch: pytest.MonkeyPatch) -> None:
    real = resources.read_resource_bytes

    def without_fonts(relative: str) -> bytes:
        if relative.endswith(".ttf"):
            raise ResourceError(relative, "no such file")
        return real(relative)

    monkeypatch.setattr("compliance.reports.pdf.read_resource_bytes", without_fonts)
    html = "<!DOCTYPE html><html lang=ja><head><title>t</title></head><body>日本語</body></html>"
    with pytest.raises(ReportAssetError, match=r"fonts/.*\.ttf: bundled asset missing"):
        PdfRenderer().render(html, attachments=[], created=datetime(2026, 1, 1, tzinfo=UTC))


def test_uncertainty_percentiles_appear_where_computed(
    rendered: Callable[[str, str], bytes],
) -> None:
    with_mc = pdf_text(rendered("nmc811-m1-ev.json", "en"))
    assert "Monte Carlo simulation of the declared value: 500 samples, seed 1." in with_mc
    assert "p97.5" in with_mc
    without = pdf_text(rendered("lfp-m3-bus.yaml", "en"))
    assert "No uncertainty analysis was computed for this result" in without
