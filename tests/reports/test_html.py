"""The template environment and the HTML output: strict, escaped, translated, self-contained."""

from __future__ import annotations

import re

import pytest
from jinja2 import UndefinedError

from compliance.reports import (
    PENDING_KINDS,
    REPORT_KINDS,
    CfpReportInput,
    OutputFormat,
    ReportInputError,
    UnknownReportKindError,
    UnsupportedLanguageError,
    build_html,
    render_report,
)
from compliance.reports.html import environment
from compliance.reports.i18n import SUPPORTED_LANGUAGES, load_translations
from tests.reports.conftest import AS_OF, example_document, make_input

SCRIPT = "<script>alert(1)</script>"


def test_missing_variables_are_errors() -> None:
    with pytest.raises(UndefinedError):
        environment("en").from_string("{{ not_there }}").render()


def test_every_template_autoescapes() -> None:
    env = environment("en")
    assert env.from_string("{{ x }}").render(x=SCRIPT) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert env.autoescape is True  # every template name, not only *.html


def test_unsupported_language_lists_the_supported_ones(
    example_inputs: dict[str, CfpReportInput],
) -> None:
    data = example_inputs["nmc811-m1-ev.json"]
    message = "unsupported language 'fr'; supported: en, ja"
    with pytest.raises(UnsupportedLanguageError, match=re.escape(message)):
        render_report("cfp", data, language="fr")
    assert SUPPORTED_LANGUAGES == ("en", "ja")


def test_unknown_kinds_are_clear_errors(example_inputs: dict[str, CfpReportInput]) -> None:
    message = "unknown report kind 'invoice'; available: cfp, dd, passport"
    with pytest.raises(UnknownReportKindError, match=re.escape(message)):
        render_report("invoice", example_inputs["nmc811-m1-ev.json"], language="en")


def test_every_kind_of_issue_6_is_available() -> None:
    assert sorted(REPORT_KINDS) == ["cfp", "dd", "passport"]
    assert PENDING_KINDS == {}


def test_inputs_that_do_not_belong_together_are_refused(
    example_inputs: dict[str, CfpReportInput],
) -> None:
    ev = example_inputs["nmc811-m1-ev.json"]
    meti = make_input(example_document("nmc811-m1-ev.json"), ruleset="meti-v1.0")
    with pytest.raises(ReportInputError, match=re.escape("computed with meti-v1.0")):
        build_html("cfp", CfpReportInput(ev.submission, meti.result, ev.ruleset), language="en")
    bus = example_inputs["lfp-m3-bus.yaml"]
    with pytest.raises(ReportInputError, match="for battery model"):
        build_html("cfp", CfpReportInput(bus.submission, ev.result, ev.ruleset), language="en")
    with pytest.raises(ReportInputError, match="needs a CfpReportInput"):
        build_html("cfp", ev.result, language="en")


def test_translations_come_from_the_catalogues() -> None:
    assert load_translations("ja").gettext("Carbon footprint declaration") == (
        "カーボンフットプリント宣言"
    )
    assert load_translations("en").gettext("Carbon footprint declaration") == (
        "Carbon footprint declaration"
    )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_html_output_is_self_contained_with_metadata(
    example_inputs: dict[str, CfpReportInput], language: str
) -> None:
    html = render_report(
        "cfp",
        example_inputs["nmc811-m1-ev.json"],
        language=language,
        output_format=OutputFormat.HTML,
    ).decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in html
    assert f'<meta name="dcterms.created" content="{AS_OF.isoformat()}T00:00:00Z">' in html
    assert "<style>" in html
    assert "@page" in html  # report.css and print.css inlined
    assert not re.search(r"<(script|link|img|iframe|object)\b", html)
    assert "<svg" in html  # the chart, inline
    assert 'href="https://danube-battery.example/sustainability/ev80-cfp-study"' in html
    ja_title = "カーボンフットプリント宣言\uff1a"
    title = ja_title if language == "ja" else "Carbon footprint declaration: "
    assert f"<title>{title}DBS-EV80-NMC811</title>" in html


def test_html_golden(example_inputs: dict[str, CfpReportInput], golden: object) -> None:
    for language in ("en", "ja"):
        html, _ = build_html("cfp", example_inputs["nmc811-m1-ev.json"], language=language)
        body = html.split("<body", 1)[1]
        golden(f"reports/nmc811-m1-ev.cfp.{language}.html", "<body" + body)  # type: ignore[operator]


def test_every_supplier_string_is_escaped() -> None:
    document = example_document("nmc811-m1-ev.json")
    document["manufacturer"]["name"] = SCRIPT
    document["manufacturer"]["tradeName"] = '"><img src=x onerror=alert(1)>'
    document["battery"]["modelIdentifier"] = SCRIPT
    document["battery"]["modelName"] = "<b>bold</b>"
    document["plant"]["name"] = "<iframe src='https://example.com'>"
    document["billOfMaterials"][0]["material"] = SCRIPT
    document["billOfMaterials"][0]["emissionFactor"]["source"] = "<a href='javascript:x'>s</a>"
    document["cfpDeclaration"]["declarationOfConformityId"] = SCRIPT
    document["passport"]["declarationOfConformity"]["identifier"] = SCRIPT  # must agree
    data = make_input(document)
    for language in ("en", "ja"):
        html, _ = build_html("cfp", data, language=language)
        assert not re.search(r"<(script|img|iframe|b)\b", html)
        assert "<a href='javascript" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;iframe src=&#39;https://example.com&#39;&gt;" in html


def test_a_result_without_trace_says_so_instead_of_showing_empty_sections(
    example_inputs: dict[str, CfpReportInput],
) -> None:
    data = example_inputs["lfp-m3-bus.yaml"]
    bare = CfpReportInput(
        data.submission, data.result.model_copy(update={"trace": None}), data.ruleset
    )
    html, _ = build_html("cfp", bare, language="en")
    assert html.count("carries no calculation trace") == 3  # contributions, electricity, sources
    assert "Annex A" not in html
    assert "The inventory declares no electricity use" not in html
