"""RMI EMRT 2.x / CMRT 6.x import. Every workbook is generated here with openpyxl."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from compliance.dd import import_rmi_workbook, score_questionnaire, validate_questionnaire
from compliance.errors import Severity
from tests.dd.conftest import AS_OF
from tests.dd.rmi_fixtures import cmrt_workbook, emrt_workbook, mine, smelter


def _answers(document: dict[str, Any]) -> dict[tuple[str, str | None], object]:
    return {(a["question"], a.get("material")): a["value"] for a in document["answers"]}


def _problems(data: bytes) -> list[tuple[str, str]]:
    result = import_rmi_workbook(data, as_of=AS_OF)
    return [(i.code, i.pointer) for i in result.issues if i.severity is not Severity.INFO]


def test_emrt_21_is_mapped_to_the_catalogue() -> None:
    data = emrt_workbook(
        smelters=[
            smelter("Cobalt", "Demo Cobalt Refinery Alpha", "Finland", "DEMO-CO-001"),
            smelter("Cobalt", "Unknown", "Unknown", lookup="Smelter Not Yet Identified"),
            smelter("Nickel", "Demo Nickel Refinery Alpha", " finland ", "DEMO-NI-001", "Yes"),
            smelter("Tin", "A tin smelter", "Bolivia"),
        ],
        mines=[
            mine(
                "Cobalt",
                "Demo Cobalt Refinery Alpha",
                "Demo Mine Kivu",
                "Congo, Democratic Republic of the",
            )
        ],
        products=[[None, "P-100", "NMC811 CAM", "REQ-7", "Cathode for pack X"]],
        header={"scope": "B. Product (or List of Products)"},
    )
    result = import_rmi_workbook(data, name="supplier.xlsx", as_of=AS_OF)
    assert result.ok, result.issues
    assert result.template == "EMRT 2.1"
    document = result.document
    assert document is not None
    assert document["header"]["template"] == {
        "kind": "emrt",
        "version": "2.1",
        "file": "supplier.xlsx",
    }
    assert document["header"]["effectiveDate"] == "2025-09-30"
    assert document["scope"]["kind"] == "products"
    assert document["scope"]["products"] == [
        {
            "number": "P-100",
            "name": "NMC811 CAM",
            "requesterNumber": "REQ-7",
            "requesterName": "Cathode for pack X",
        }
    ]
    assert document["materials"] == [
        {"material": m, "present": "yes", "fullyRecycled": "no"}
        for m in ("cobalt", "lithium", "nickel")
    ]
    answers = _answers(document)
    assert answers[("M2-04", "cobalt")] == "no"
    assert answers[("M2-01", "cobalt")] == 100.0
    assert answers[("M2-03", None)] == 100.0
    assert answers[("M1-01", None)] == answers[("M1-02", None)] == "yes"
    assert answers[("M2-06", None)] == answers[("M2-08", None)] == "L1"  # yes/no never full credit
    assert answers[("M3-06", None)] == "yes"
    assert answers[("M5-03", None)] == "emrt-2"
    assert document["evidence"][0]["uri"] == "https://example.com/responsible-sourcing-policy.pdf"
    processors = document["processors"]
    assert [(p["material"], p["identified"], p.get("country")) for p in processors] == [
        ("cobalt", True, "FI"),
        ("cobalt", False, None),
        ("nickel", True, "FI"),
    ]
    assert processors[2]["feedstockFullyRecycled"] == "yes"
    assert document["mines"] == [
        {
            "id": "mine-row-5",
            "material": "cobalt",
            "name": "Demo Mine Kivu",
            "processor": "smelter-row-5",
            "country": "CD",
        }
    ]


def test_imported_questionnaire_validates_and_scores() -> None:
    """Imported answers are pre-filled only: CX-01 re-reads cobalt's 'no CAHRA' as unknown because
    a processor is not identified; the rest is asked natively, so the result is incomplete."""
    data = emrt_workbook(
        smelters=[
            smelter("Cobalt", "Demo Cobalt Refinery Alpha", "Finland", "DEMO-CO-001"),
            smelter("Cobalt", "Unknown", "Unknown", lookup="Smelter Not Yet Identified"),
            smelter("Lithium", "Demo Lithium Refinery Alpha", "Australia", "DEMO-LI-001"),
            smelter("Nickel", "Demo Nickel Refinery Alpha", "Finland", "DEMO-NI-001"),
        ]
    )
    document = import_rmi_workbook(data, as_of=AS_OF).document
    report = validate_questionnaire(document, as_of=AS_OF)  # type: ignore[arg-type]
    assert report.ok, report.issues
    assert report.questionnaire is not None
    result = score_questionnaire(report.questionnaire, as_of=AS_OF)
    assert result.status == "incomplete"
    assert ("CX-01", "cobalt") in {(c.id, c.material) for c in result.contradictions}
    assert ("CX-04", "cobalt") in {(c.id, c.material) for c in result.contradictions}


def test_quirks_are_normalised() -> None:
    """100 % stored as 1, band strings with stray spaces and case, the IPC-1755 spelling, a text
    date, answers under translated labels, and mineral rows read by name in their own order."""
    data = emrt_workbook(
        header={"effective_date": "17-Oct-2025"},
        minerals=("Cobalt", "Nickel"),
        row_order=("Nickel", "Cobalt"),
        answers={
            "Q3": {"Nickel": " YES ", "Cobalt": "no"},
            "Q5": {"Nickel": 1, "Cobalt": "  greater THAN 90% "},
        },
        company={"E": "Yes, in conformance with IPC-1755 (e.g. EMRT)"},
    )
    result = import_rmi_workbook(data, as_of=AS_OF)
    assert result.ok, result.issues
    document = result.document
    assert document is not None
    assert document["header"]["effectiveDate"] == "2025-10-17"
    answers = _answers(document)
    assert answers[("M2-04", "nickel")] == "yes"
    assert answers[("M2-04", "cobalt")] == "no"
    assert (
        answers[("M2-03", None)] == 90.0
    )  # lowest band over the minerals: 90 (cobalt), 100 (nickel)


def test_excel_serial_dates_and_japanese_mineral_names() -> None:
    """Serial 45658 is 2025-01-01 (days since 1899-12-30); 1 July is 181 days later: 45839."""
    data = emrt_workbook(
        header={"effective_date": 45839},
        minerals=("コバルト",),
        answers={"Q1": {"コバルト": "Yes"}},
    )
    document = import_rmi_workbook(data, as_of=AS_OF).document
    assert document is not None
    assert document["header"]["effectiveDate"] == "2025-07-01"
    assert [m["material"] for m in document["materials"]] == ["cobalt"]


def test_gating_answers() -> None:
    """Q1 'No' declares the material absent; 'Not declaring' reads as unknown, never as 'no'."""
    data = emrt_workbook(
        minerals=("Cobalt", "Lithium", "Nickel"),
        answers={"Q1": {"Cobalt": "No", "Lithium": "Not declaring", "Nickel": "Yes"}},
    )
    document = import_rmi_workbook(data, as_of=AS_OF).document
    assert document is not None
    assert {m["material"]: m["present"] for m in document["materials"]} == {
        "cobalt": "no",
        "lithium": "unknown",
        "nickel": "yes",
    }


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"header": {"company_name": None}}, [("rmi.required-cell", "/Declaration/D8")]),
        ({"header": {"effective_date": "03/04/2025"}}, [("rmi.date", "/Declaration/D26")]),
        ({"header": {"effective_date": date(2026, 6, 1)}}, [("rmi.date", "/Declaration/D26")]),
        ({"answers": {"Q3": {"Cobalt": "Maybe"}}}, [("rmi.unknown-value", "/Declaration/D54")]),
        ({"answers": {"Q5": {"Lithium": 0.9}}}, [("rmi.unknown-value", "/Declaration/D79")]),
        ({"company": {"E": "Sometimes"}}, [("rmi.unknown-value", "/Declaration/D133")]),
    ],
)
def test_bad_cells_are_located(kwargs: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    result = import_rmi_workbook(emrt_workbook(**kwargs), as_of=AS_OF)
    assert result.document is None
    assert [(i.code, i.pointer) for i in result.issues if i.severity is Severity.ERROR] == expected


def test_warnings_do_not_stop_the_import() -> None:
    data = emrt_workbook(
        header={"contact_email": "n/a"},
        policy_url=None,
        smelters=[smelter("Cobalt", "Demo", "Atlantis", "X-1")],
    )
    result = import_rmi_workbook(data, as_of=AS_OF)
    assert result.document is not None
    assert _problems(data) == [
        ("rmi.invalid-email", "/Declaration/D20"),
        ("rmi.missing-url", "/Declaration/G117"),
        ("rmi.unknown-country", "/Smelter List/E5"),
    ]


def test_cmrt_65_prefills_the_company_questions() -> None:
    result = import_rmi_workbook(cmrt_workbook(), as_of=AS_OF)
    assert (result.ok, result.template) == (True, "CMRT 6.5")
    document = result.document
    assert document is not None
    assert "materials" not in document  # 3TG are outside Annex X: asked natively
    answers = _answers(document)
    assert (answers[("M1-01", None)], answers[("M1-02", None)], answers[("M3-06", None)]) == (
        "yes",
        "no",
        "no",
    )
    assert ("M5-03", None) not in answers


@pytest.mark.parametrize(
    ("version", "code", "pointer"),
    [
        ("Revision 2.1a", "rmi.prerelease-version", "/Declaration/B3"),
        ("Revision 2.0 beta", "rmi.prerelease-version", "/Declaration/B3"),
        ("Revision 1.3", "rmi.unsupported-version", ""),
        ("Revision 3.0", "rmi.unsupported-version", ""),
    ],
)
def test_versions(version: str, code: str, pointer: str) -> None:
    assert _problems(emrt_workbook(version=version)) == [(code, pointer)]


def test_emrt_20_is_read_with_the_2x_cell_map() -> None:
    result = import_rmi_workbook(emrt_workbook(version="Revision 2.0"), as_of=AS_OF)
    assert (result.ok, result.template) == (True, "EMRT 2.0")


def test_other_workbooks_and_broken_files() -> None:
    from openpyxl import Workbook

    other = Workbook()
    other.active["A1"] = "Invoice"  # type: ignore[index]
    buffer = io.BytesIO()
    other.save(buffer)
    amrt = Workbook()
    sheet = amrt.active
    assert sheet is not None
    sheet.title = "Declaration"
    sheet["B2"] = "Additional Minerals Reporting Template (AMRT)"
    sheet["B3"] = "Revision 1.3"
    amrt_bytes = io.BytesIO()
    amrt.save(amrt_bytes)
    plain = emrt_workbook()
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("secret", encrypted)
    legacy = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert _problems(buffer.getvalue()) == [("rmi.unknown-template", "")]
    assert _problems(amrt_bytes.getvalue()) == [("rmi.unsupported-version", "")]
    assert _problems(encrypted.getvalue()) == [("rmi.encrypted", "")]
    assert _problems(legacy) == [("rmi.legacy-format", "")]
    assert _problems(plain[: len(plain) // 2]) == [("rmi.corrupted", "")]
    assert _problems(b"Company,Cobalt\nX,Yes\n") == [("rmi.not-a-workbook", "")]


def test_zip_bombs_are_refused_before_openpyxl_reads_them() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"0" * (210 * 1024 * 1024))
    assert _problems(buffer.getvalue()) == [("rmi.too-large", "")]
