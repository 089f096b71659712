"""Text that overflows a cell paginates or wraps: long names and a 2,000-line bill of materials.

Every laid-out text box must stay inside its table cell (or, outside tables, inside the page's
content area) on every page, and every supplier string must still be in the extracted text.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from compliance.reports import CfpReportInput, build_html, render_report
from compliance.reports.i18n import load_translations
from compliance.reports.pdf import OUTPUT_INTENT, PDF_VARIANT, default_renderer
from tests.reports.conftest import body_text, example_document, make_input, pdf_text

EPSILON = 0.5  # CSS px
TRACE_HEADER = (
    "Line",
    "Description",
    "Term",
    "Stage",
    "Amount",
    "Factor",
    "Contribution",
    "Rule and factor source",
)


def _clipped(box: Any, left: float, right: float, bottom: float, where: str) -> list[str]:
    found = []
    if isinstance(box, boxes.TableCellBox):
        left, right = box.content_box_x(), box.content_box_x() + box.width
    if isinstance(box, boxes.TextBox):
        x, width = box.position_x, box.width
        if x < left - EPSILON or x + width > right + EPSILON:
            found.append(
                f"{where}: {box.text[:40]!r} spans {x:.1f}-{x + width:.1f}, "
                f"room {left:.1f}-{right:.1f}"
            )
        if box.position_y + box.height > bottom + EPSILON:
            found.append(f"{where}: {box.text[:40]!r} runs below the page content area")
    for child in getattr(box, "children", ()):
        found += _clipped(child, left, right, bottom, where)
    return found


def clipped_text(document: Any) -> list[str]:
    """Text boxes of a laid-out document outside their cell or the page's content area."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left = page_box.content_box_x()
        right, bottom = left + page_box.width, page_box.content_box_y() + page_box.height
        for child in page_box.children:
            if not isinstance(child, boxes.MarginBox):
                found += _clipped(child, left, right, bottom, f"page {number}")
    return found


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def long_names_document() -> dict[str, Any]:
    document = example_document("nmc811-m1-ev.json")
    # fullwidth and ASCII letters without any break opportunity
    document["manufacturer"]["name"] = "\uff2d" * 40 + "M" * 260
    document["manufacturer"]["tradeName"] = " ".join(["Supercalifragilistic"] * 14)
    document["battery"]["modelIdentifier"] = "MODEL-" + "X" * 294
    document["battery"]["modelName"] = "超長い電池モデル名" * 33
    document["plant"]["name"] = "P" * 300
    document["plant"]["facilityId"] = "F" * 200
    document["cfpDeclaration"]["studyUrl"] = "https://example.com/" + "a" * 1900
    document["billOfMaterials"][0]["id"] = "L" * 64
    document["billOfMaterials"][0]["material"] = "C" * 300
    document["billOfMaterials"][0]["emissionFactor"]["source"] = "S" * 3000
    return document


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ja"])
def test_long_names_wrap_inside_their_cells(language: str) -> None:
    document = long_names_document()
    data = make_input(document)
    html, _ = build_html("cfp", data, language=language)
    assert clipped_text(default_renderer().layout(html)) == []
    text = _squash(body_text(render_report("cfp", data, language=language)))
    # a value split over pages is interrupted only by the repeated table header and list bullets
    gettext = load_translations(language).gettext
    header = "".join(gettext(h) for h in TRACE_HEADER)
    text = text.replace(_squash(header), "").replace("•", "")
    for value in (
        document["manufacturer"]["name"],
        document["battery"]["modelName"],
        document["plant"]["name"],
        document["billOfMaterials"][0]["material"],
        document["billOfMaterials"][0]["emissionFactor"]["source"],
        document["cfpDeclaration"]["studyUrl"],
    ):
        assert _squash(value) in text


def bom_document(lines: int) -> dict[str, Any]:
    document = example_document("nmc811-m1-ev.json")
    template = copy.deepcopy(document["billOfMaterials"][1])  # graphite: no CFF parameters
    template.pop("supplier", None)
    bom = []
    for index in range(lines):
        line = copy.deepcopy(template)
        line["id"] = f"bom-{index:04d}"
        line["material"] = f"Component {index:04d}, nickel-plated steel fastener M{3 + index % 9}"
        line["mass"] = f"{0.01 + (index % 50) / 1000:.3f} kg"
        line["emissionFactor"] = {
            "value": f"{2 + index % 13} kg CO2e/kg",
            "source": f"Illustrative supplier dataset, table {index % 17}",
        }
        bom.append(line)
    document["billOfMaterials"] = bom
    document["battery"]["mass"] = "1 t"
    return document


@pytest.mark.slow
def test_a_2000_line_bill_of_materials_paginates_without_clipping() -> None:
    data: CfpReportInput = make_input(bom_document(2000))
    assert data.result.trace is not None
    assert len(data.result.trace) >= 2000
    html, created = build_html("cfp", data, language="en")
    document = default_renderer().layout(html)  # one layout: checked, then written
    assert clipped_text(document) == []
    pages = len(document.pages)
    assert pages > 40
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT)
    assert len(PdfReader(BytesIO(pdf)).pages) == pages
    text = pdf_text(pdf)
    missing = [f"bom-{i:04d}" for i in range(2000) if f"bom-{i:04d}" not in text]
    assert missing == []
    # the trace annex repeats its table header on every page
    texts = text.split("=== page ")[1:]
    annex = next(i for i, page in enumerate(texts) if "Each term is an activity amount" in page)
    assert pages - annex > 30
    assert all("Rule and factor source" in page for page in texts[annex:])
    assert created == datetime(2026, 11, 29, tzinfo=UTC)
