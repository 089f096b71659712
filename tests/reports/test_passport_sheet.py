"""The passport report kind: per access level, golden text, attached view, metadata, no leaks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from compliance.passport.integrity import seal_bytes
from compliance.passport.model import AccessLevel, Passport
from compliance.reports import (
    OutputFormat,
    PassportSheetInput,
    ReportInputError,
    build_html,
    render_report,
    sheet_input,
)
from compliance.reports.passport import ATTACHMENT_NAME, view_json
from compliance.reports.qr import QrMarkupError, inline_svg, passport_qr
from tests.reports.conftest import LANGUAGES, assert_pdfa_metadata, example_document, pdf_text, stem
from tests.reports.kinds_fixtures import (
    PASSPORT_AS_OF,
    SUBMISSION_NAMES,
    build_passport_file,
    make_sheet_input,
    read_document,
)

RenderKind = Callable[[str, str, object, str], bytes]
# Golden cases: every example's full sheet, and the public sheet of the EV example.
CASES = [(name, "full", lang) for name in SUBMISSION_NAMES for lang in LANGUAGES] + [
    ("nmc811-m1-ev.json", "public", lang) for lang in LANGUAGES
]
PAGES = {
    ("lfp-m3-bus.yaml", "full", "en"): 6,
    ("lfp-m3-bus.yaml", "full", "ja"): 6,
    ("lmt-ebike.json", "full", "en"): 5,
    ("lmt-ebike.json", "full", "ja"): 6,
    ("nmc811-m1-ev.json", "full", "en"): 7,
    ("nmc811-m1-ev.json", "full", "ja"): 7,
    ("nmc811-m1-ev.json", "public", "en"): 5,
    ("nmc811-m1-ev.json", "public", "ja"): 5,
}
SCRIPT = "<script>alert(1)</script>"


def _input(files: dict[str, Path], name: str, level: str) -> PassportSheetInput:
    return make_sheet_input(files[name], AccessLevel(level))


def _pdf(rendered: RenderKind, files: dict[str, Path], name: str, level: str, lang: str) -> bytes:
    return rendered("passport", f"{name}:{level}", _input(files, name, level), lang)


@pytest.mark.parametrize(("name", "level", "language"), CASES)
def test_extracted_text_matches_golden(
    rendered_kind: RenderKind,
    passport_files: dict[str, Path],
    golden: Callable[[str, str], None],
    name: str,
    level: str,
    language: str,
) -> None:
    text = pdf_text(_pdf(rendered_kind, passport_files, name, level, language))
    golden(f"reports/{stem(name)}.passport-{level}.{language}.txt", text)


@pytest.mark.parametrize(("name", "level", "language"), CASES)
def test_page_count(
    rendered_kind: RenderKind,
    passport_files: dict[str, Path],
    name: str,
    level: str,
    language: str,
) -> None:
    pdf = _pdf(rendered_kind, passport_files, name, level, language)
    assert len(PdfReader(BytesIO(pdf)).pages) == PAGES[name, level, language]


@pytest.mark.parametrize("level", [level.value for level in AccessLevel])
def test_attached_json_is_the_view(
    rendered_kind: RenderKind, passport_files: dict[str, Path], level: str
) -> None:
    data = _input(passport_files, "nmc811-m1-ev.json", level)
    reader = PdfReader(
        BytesIO(_pdf(rendered_kind, passport_files, "nmc811-m1-ev.json", level, "en"))
    )
    assert list(reader.attachments) == [ATTACHMENT_NAME]
    (attached,) = reader.attachments[ATTACHMENT_NAME]
    assert attached == view_json(data.passport)
    shown = Passport.model_validate(json.loads(attached))
    assert shown == data.passport
    assert shown.view.value == level


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdfa_metadata_from_the_generation_time(
    rendered_kind: RenderKind, passport_files: dict[str, Path], language: str
) -> None:
    pdf = _pdf(rendered_kind, passport_files, "nmc811-m1-ev.json", "public", language)
    title = (
        "電池パスポート\uff1aDBS-EV80-NMC811"
        if language == "ja"
        else "Battery passport: DBS-EV80-NMC811"
    )
    info: Any = assert_pdfa_metadata(pdf, language, title, datetime(2027, 9, 1, 8, 0))
    assert info["/CreationDate"] == "D:20270901080000Z"


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_renders_are_byte_identical(
    rendered_kind: RenderKind, passport_files: dict[str, Path], language: str
) -> None:
    data = _input(passport_files, "lmt-ebike.json", "full")
    again = render_report("passport", data, language=language)
    assert again == _pdf(rendered_kind, passport_files, "lmt-ebike.json", "full", language)


# Strings that only the restricted sections of the EV passport hold, per section.
RESTRICTED = {
    "legitimate_interest": [
        "Danube Battery Systems After-Sales",  # spare-part supplier
        "DBS-BMS-80-02",  # part number
        "pack-exploded-view.step",  # dismantling document
        "Lithium nickel manganese cobalt oxide",  # detailed composition
        "safety-instructions.pdf",
    ],
    "authorities": ["UN 38.3 transport test summary", "un38-3-summary.pdf", "IEC 62660-3"],
    "individual": ["SENTINEL-NEGATIVE-EVENT", "2028-06-01", "1 June 2028", "72.8 mΩ"],
    "extensions": [
        "Kivu Cobalt Refining",  # the DD summary's supplier
        "KCR-2025-DD",
        "dd-battery-raw-materials",  # DD catalogue
        "RF-M4-01-LOW",  # an open red flag
    ],
}
LEAKS = {
    "public": ("legitimate_interest", "authorities", "individual", "extensions"),
    "legitimate-interest": ("authorities",),
    "authority": ("individual",),
}


@pytest.fixture(scope="module")
def sentinel_passport(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The EV passport with a negative event and the honest questionnaire's DD summary."""
    from tests.reports.kinds_fixtures import QUESTIONNAIRES

    document = example_document("nmc811-m1-ev.json")
    document["passport"]["item"]["condition"]["negativeEvents"] = ["SENTINEL-NEGATIVE-EVENT"]
    folder = tmp_path_factory.mktemp("sentinel")
    submission = folder / "ev.json"
    submission.write_text(json.dumps(document), encoding="utf-8")
    dd = ["--dd", str(QUESTIONNAIRES / "honest-red-flag.json")]
    return build_passport_file(submission, folder / "ev.passport.json", *dd)


@pytest.mark.parametrize("level", sorted(LEAKS))
def test_a_sheet_never_shows_what_its_access_level_may_not_see(
    sentinel_passport: Path, level: str
) -> None:
    full = read_document(sentinel_passport).passport
    assert full.extensions is not None
    assert full.individual is not None
    data = make_sheet_input(sentinel_passport, AccessLevel(level))
    for language in LANGUAGES:
        html = render_report(
            "passport", data, language=language, output_format=OutputFormat.HTML
        ).decode("utf-8")
        text = re.sub(r"\s+", " ", pdf_text(render_report("passport", data, language=language)))
        for section in LEAKS[level]:
            for secret in RESTRICTED[section]:
                assert secret not in html, (level, language, section, secret)
                assert secret not in text, (level, language, section, secret)
    # ... while the levels that may see a section do show it
    full_html = build_html(
        "passport", make_sheet_input(sentinel_passport, AccessLevel.FULL), language="en"
    )[0]
    for secrets in RESTRICTED.values():
        for secret in secrets[:1]:
            assert secret in full_html


def test_the_completeness_report_is_of_the_full_passport(passport_files: dict[str, Path]) -> None:
    data = _input(passport_files, "lfp-m3-bus.yaml", "public")
    assert data.completeness is not None
    assert set(data.completeness.missing) == {"1f-renewable", "2b-spare-parts"}
    html, _ = build_html("passport", data, language="en")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "lacks 2 mandatory Annex XIII item(s). The report covers the full passport" in text
    # a legitimate-interest item is listed (its title and state), never its data
    assert "2(b) Part numbers and spare-part sources legitimate interest missing" in text


def test_a_restricted_document_gives_a_sheet_without_completeness(tmp_path: Path) -> None:
    from tests.reports.kinds_fixtures import submission_path

    public = build_passport_file(
        submission_path("lmt-ebike.json"), tmp_path / "p.json", "--access", "public"
    )
    document = read_document(public)
    data = sheet_input(document, AccessLevel.PUBLIC, as_of=PASSPORT_AS_OF)
    assert data.completeness is None
    html, _ = build_html("passport", data, language="en")
    assert "is itself a restricted view" in html
    with pytest.raises(ReportInputError, match="holds the public view of the passport"):
        sheet_input(document, AccessLevel.AUTHORITY, as_of=PASSPORT_AS_OF)


def test_a_full_passport_given_as_a_public_view_is_refused(passport_files: dict[str, Path]) -> None:
    data = _input(passport_files, "nmc811-m1-ev.json", "full")
    forged = data.passport.model_copy(update={"view": AccessLevel.PUBLIC})
    bad = PassportSheetInput(forged, data.seal, data.completeness)
    with pytest.raises(
        ReportInputError, match=r"not a public view: it holds .*/legitimateInterest"
    ):
        build_html("passport", bad, language="en")


def test_every_supplier_string_is_escaped(tmp_path: Path) -> None:
    document = example_document("nmc811-m1-ev.json")
    document["manufacturer"]["name"] = SCRIPT
    document["battery"]["modelName"] = "<b>bold</b>"
    document["plant"]["name"] = "<iframe src='https://example.com'>"
    document["passport"]["hazardousSubstances"][0]["location"] = SCRIPT
    document["passport"]["spareParts"][0]["supplierName"] = '"><img src=x onerror=alert(1)>'
    submission = tmp_path / "s.json"
    submission.write_text(json.dumps(document), encoding="utf-8")
    path = build_passport_file(submission, tmp_path / "p.json")
    data = make_sheet_input(path, AccessLevel.FULL)
    for language in LANGUAGES:
        html, _ = build_html("passport", data, language=language)
        assert not re.search(r"<(script|img|iframe|b)\b", html)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;iframe src=&#39;https://example.com&#39;&gt;" in html


def test_the_qr_code_is_inline_whitelisted_svg(passport_files: dict[str, Path]) -> None:
    data = _input(passport_files, "nmc811-m1-ev.json", "public")
    html, _ = build_html("passport", data, language="en")
    qr = str(passport_qr(data.passport.public_url))
    assert qr in html
    assert qr.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert "viewBox=" in qr
    assert "<?xml" not in html


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><path d="M0 0"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0" fill="url(https://x.org)"/></svg>',
        b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<html><body/></html>",
        b"not xml",
    ],
)
def test_qr_markup_outside_the_whitelist_is_refused(svg: bytes) -> None:
    with pytest.raises(QrMarkupError):
        inline_svg(svg)


def test_the_sheet_shows_version_and_digest_of_the_sealed_document(
    passport_files: dict[str, Path],
) -> None:
    data = _input(passport_files, "lmt-ebike.json", "public")
    document = read_document(passport_files["lmt-ebike.json"])
    assert seal_bytes(document.passport).document.digest == document.digest
    html, _ = build_html("passport", data, language="en")
    assert document.digest in html
    assert "version 1" in html
    assert data.passport.passport_identifier in html


def test_the_same_passport_read_from_two_paths_gives_the_same_bytes(
    passport_files: dict[str, Path], tmp_path: Path
) -> None:
    """A sheet never prints a local path of the machine that rendered it (``compliance report``)."""
    from typer.testing import CliRunner

    from compliance.cli.main import app

    document = passport_files["nmc811-m1-ev.json"].read_bytes()
    outputs = []
    for folder in ("first", "second/deeper"):
        source = tmp_path / folder / f"{folder.replace('/', '-')}.passport.json"
        source.parent.mkdir(parents=True)
        source.write_bytes(document)
        out = tmp_path / f"{folder.replace('/', '-')}.pdf"
        result = CliRunner().invoke(
            app,
            ["report", str(source), "--kind", "passport", "--as-of", "2027-09-01", "-o", str(out)],
        )
        assert result.exit_code == 0, result.output
        pdf = out.read_bytes()
        assert str(tmp_path).encode() not in pdf
        text = pdf_text(pdf)
        assert str(tmp_path) not in text
        assert "passport.json" not in text
        outputs.append(pdf)
    assert outputs[0] == outputs[1]
    root: Any = PdfReader(BytesIO(outputs[0])).trailer["/Root"]
    attached = root["/Names"]["/EmbeddedFiles"]["/Names"][1::2]
    # each attachment once in /AF (PDF/A-3 associated files)
    assert [r.idnum for r in root["/AF"]] == [r.idnum for r in attached]
