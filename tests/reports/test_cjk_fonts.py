"""Korean and Chinese in supplier names and free text render with real glyphs (issue 17.6).

The glyphs come from the bundled "Report CJK" subset of Noto Sans CJK, so this holds on a machine
without any CJK system font (CI installs none).

The check is on the embedded fonts, not on text extraction (which succeeds even when every
glyph is a box): each Hangul and Chinese character must be drawn with a glyph other than
.notdef of an embedded font program that has that glyph.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from pypdf import PdfReader

from compliance.reports import render_report
from tests.reports.conftest import example_document, make_input

KOREAN = "한국배터리셀 주식회사"
CHINESE = "宁德锂电池材料有限公司"
TARGET = set(KOREAN + CHINESE)  # the space inside the Korean name too


def _to_unicode(font: Any) -> dict[int, str]:
    """CID -> text of a PDF font's /ToUnicode CMap (bfchar and bfrange entries)."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for cid, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(cid, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, end, text in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            first = ord(bytes.fromhex(text).decode("utf-16-be"))
            for offset, cid in enumerate(range(int(start, 16), int(end, 16) + 1)):
                found[cid] = chr(first + offset)
    return found


def _covered(pdf: bytes) -> set[str]:
    """Characters drawn with a real glyph of an embedded font program."""
    covered: set[str] = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"]
            stream = next(
                descriptor[k] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor
            )
            program = stream.get_object().get_data()
            glyphs = _glyph_count(program)
            for cid, text in _to_unicode(font).items():
                if 0 < cid < glyphs:
                    covered.update(text)
    return covered


def _glyph_count(program: bytes) -> int:
    """Glyphs in an embedded TrueType or OpenType/CFF font program."""
    if program[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return int(TTFont(BytesIO(program))["maxp"].numGlyphs)
    from fontTools.cffLib import CFFFontSet  # type: ignore[import-untyped]

    cff = CFFFontSet()
    cff.decompile(BytesIO(program), None)
    return len(cff[cff.fontNames[0]].charset)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_hangul_and_chinese_supplier_names_have_glyphs(language: str) -> None:
    document = example_document("nmc811-m1-ev.json")
    document["manufacturer"]["name"] = KOREAN
    document["plant"]["name"] = CHINESE
    pdf = render_report("cfp", make_input(document), language=language)
    missing = TARGET - _covered(pdf)
    assert not missing, f"drawn without a glyph (boxes): {''.join(sorted(missing))}"
