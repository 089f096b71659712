"""The generator against RMI's published workbooks, and imports of the published files filled in.

RMI's templates are not committed (their terms grant no redistribution: "© Responsible Minerals
Initiative. All rights reserved."). Put the published files in a directory named by
``COMPLIANCE_RMI_TEMPLATES`` (default ``~/.cache/compliance/rmi-templates``) to run these tests;
without them each test is skipped with the reason.

How the fixtures were verified (2026-12-06): the files below, copies of RMI's downloads found in
the public repository github.com/cirscn/cm-reporting (``app/templates/``, commit e1c8fb3), were
read with openpyxl; :func:`tests.dd.rmi_surface.surface` of each equals the surface of
``rmi_workbook(kind, version)`` (tests/dd/rmi_fixtures.py): sheet names and order, every
Declaration cell of the form (language-dependent labels by presence, everything else exactly:
revision text, 'Cobalt(*)' mineral labels, hidden pre-filled 'No' rows, hyperlink cells), every
merged range, every data-validation rule with its exact list, and the list sheets' header rows.
The copies were saved with Chinese selected as the language, so labels are Chinese in them.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from compliance.dd import import_rmi_workbook
from compliance.errors import Severity
from tests.dd.conftest import AS_OF
from tests.dd.rmi_fixtures import rmi_workbook
from tests.dd.rmi_surface import LABEL, surface

PUBLISHED = {  # file -> sha256
    "RMI_EMRT_2.1.xlsx": "82a0b8d2c0eca838224480f9029d70d6547444f02f7796dbd891d6a0d7cde459",
    "RMI_EMRT_2.0.xlsx": "c6d301397656d3e0e6dfaaea2eb3852234e68937667a5a92c06996b26d0369cb",
    "RMI_EMRT_1.3.xlsx": "a224008791261e47db898c49120d3ce5148f29aad2111b4a6668fe82516ebcfa",
    "RMI_EMRT_1.2.xlsx": "ba85c5a5ee2d58281ed73c28a58720395e24b2f84af3875dd58ebcf32c5cdf08",
    "RMI_EMRT_1.11.xlsx": "ca782871fdc8e1eb602f8b744a6929c1e465a1d39bf3ae52f969e71a9c25d21e",
    "RMI_EMRT_1.1.xlsx": "5a345e0f3bc1e33fcf38093efa65a21d61bf9aa35bfd63bff8f188c8e3166845",
    "RMI_CMRT_6.5.xlsx": "defb22e674e2cac87b2c6342c3797a42a09effcc772ddcce18633a65790de208",
    "RMI_CMRT_6.4.xlsx": "f33efb00afd5d84f0fe5c03f148f0c87d5b6468cf89dcf86a8220a3d966c1496",
    "RMI_CMRT_6.31.xlsx": "14163b4654c28d6ea134879dffe72669f53c5634107b2b465821c9f0fbed58ea",
    "RMI_CMRT_6.22.xlsx": "292c73fb8b7e686be358a3196fbb800a4c863a6e6348a6c857a7d59a2eafcf6e",
    "RMI_CMRT_6.1.xlsx": "71203de7a981904f6b26694af634dd9df5ef2a807138e279b8f0865d0a4b8eb8",
    "RMI_CMRT_6.01.xlsx": "131cbcce7cddca2d2f4ce2a9cc7cd1d80fbb3f906ae40d9cf385985d4e9d25be",
    "RMI_CRT_2.21.xlsx": "63a82fcfe0af5544697b82ccd9b34b8abf0880c94ede8e09c5a6ceb88c0bda6f",
    "RMI_CRT_2.2.xlsx": "4647afeee54860f24e3ee2804e205f85e4a35c28ac45fe6e5405c5bd0507bc09",
}  # fmt: skip
LAYOUTS = {"emrt": {"2": "emrt-2", "1": "emrt-1"}, "cmrt": {"6": "cmrt-6"}, "crt": {"2": "crt-2"}}
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _published(name: str) -> bytes:
    folder = Path(
        os.environ.get("COMPLIANCE_RMI_TEMPLATES", "~/.cache/compliance/rmi-templates")
    ).expanduser()
    path = folder / name
    if not path.is_file():
        pytest.skip(f"RMI's published {name} is not in {folder} (set COMPLIANCE_RMI_TEMPLATES)")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != PUBLISHED[name]:
        pytest.skip(f"{path} is not the verified copy (sha256 differs)")
    return data


def _same(real: Any, generated: Any) -> bool:
    if real == LABEL:
        return isinstance(generated, str) and bool(generated.strip())
    return bool(real == generated)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_generator_reproduces_the_published_template(name: str) -> None:
    kind, version = name.removesuffix(".xlsx").split("_")[1:]
    kind = kind.lower()
    layout = LAYOUTS[kind][version.split(".")[0]]
    real = surface(_published(name), layout)
    generated = surface(rmi_workbook(kind, version), layout)
    assert generated["sheets"] == real["sheets"]
    assert generated["merged"] == real["merged"]
    assert generated["validations"] == real["validations"]
    cells = set(real["cells"]) | set(generated["cells"])
    assert cells, "nothing compared"
    differing = {
        c: (real["cells"].get(c), generated["cells"].get(c))
        for c in sorted(cells)
        if not _same(real["cells"].get(c), generated["cells"].get(c))
    }
    assert differing == {}
    assert set(generated["lists"]) == set(real["lists"])
    for sheet, header in real["lists"].items():
        made = generated["lists"][sheet]
        assert set(made) == set(header), sheet
        assert all(_same(header[c], made[c]) for c in header), sheet


def _fill(data: bytes, values: dict[str, Any]) -> bytes:
    """The published file with cells of the Declaration typed in, as Excel stores them."""
    source = zipfile.ZipFile(io.BytesIO(data))
    book = ElementTree.fromstring(source.read("xl/workbook.xml"))
    rel_id = next(
        s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        for s in book.iterfind("m:sheets/m:sheet", _NS)
        if s.get("name") == "Declaration"
    )
    rels = ElementTree.fromstring(source.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    part = "xl/" + str(target).removeprefix("/xl/")
    xml = source.read(part).decode("utf-8")
    for cell, value in values.items():
        pattern = re.compile(
            rf'<c r="{cell}"((?: [a-z]+="[^"]*")*?)(?: t="[^"]*")?((?: [a-z]+="[^"]*")*)'
            r"\s*(/>|>.*?</c>)",
            re.S,
        )
        if isinstance(value, (int, float)):
            body = f"><v>{value}</v></c>"
            kind = ""
        else:
            text = str(value).replace("&", "&amp;").replace("<", "&lt;")
            body = f"><is><t>{text}</t></is></c>"
            kind = ' t="inlineStr"'
        replacement = f'<c r="{cell}"\\1\\2{kind}{body}'
        xml, count = pattern.subn(replacement, xml)
        assert count == 1, f"{cell} is not a cell of the published Declaration sheet"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body_bytes = xml.encode("utf-8") if info.filename == part else source.read(info)
            archive.writestr(info.filename, body_bytes)
    return out.getvalue()


_EMRT21_HEADER = {
    "D8": "Example Cathode Materials Co., Ltd.",
    "D9": "A. Company",
    "D19": "Taro Suzuki",
    "D20": "t.suzuki@example.com",
    "D21": "+81 3 0000 0000",
    "D22": "Hanako Sato",
    "D24": "h.sato@example.com",
    "D26": 45930,  # 2025-09-30 as Excel stores it
}


def test_published_emrt_21_filled_in_keeps_every_mineral_answer() -> None:
    """The defect of issue 12: on RMI's own EMRT 2.1, every Q1-Q7 answer was dropped (the row
    labels are 'Cobalt(*)') and question 1 was reported unanswered. Rows 30-35 hold Cobalt,
    Copper, Graphite, Lithium, Mica, Nickel (the published selection, alphabetical)."""
    answers: dict[str, Any] = dict(_EMRT21_HEADER)
    for offset in range(6):
        answers |= {f"D{30 + offset}": "Yes", f"D{42 + offset}": "Yes", f"D{54 + offset}": "No"}
        answers |= {f"D{66 + offset}": "No", f"D{90 + offset}": "Yes", f"D{102 + offset}": "Yes"}
    bands = ["100%", "Greater than 90%", "Greater than 75%", "Greater than 50%", "100%", "100%"]
    answers |= {f"D{78 + i}": band for i, band in enumerate(bands)}
    answers |= {"D34": "No", "D58": "Yes"}  # mica not used; its Q3 'Yes' is greyed out
    answers |= {"D115": "Yes", "D117": "No", "D131": "Yes", "D133": "No", "D135": "Yes"}
    answers |= {"D137": "No"}
    result = import_rmi_workbook(_fill(_published("RMI_EMRT_2.1.xlsx"), answers), as_of=AS_OF)
    assert result.template == "EMRT 2.1"
    assert [(i.code, i.pointer) for i in result.issues if i.severity is not Severity.INFO] == []
    assert ("rmi.not-applicable", "/Declaration/D58") in [
        (i.code, i.pointer) for i in result.issues
    ]
    document = result.document
    assert document is not None
    assert {m["material"]: m["present"] for m in document["materials"]} == {
        "cobalt": "yes",
        "copper": "yes",
        "natural-graphite": "yes",
        "lithium": "yes",
        "mica": "no",
        "nickel": "yes",
    }
    given = {(a["question"], a.get("material")): a["value"] for a in document["answers"]}
    assert {m for q, m in given if q == "M2-04"} == {
        "cobalt",
        "copper",
        "natural-graphite",
        "lithium",
        "nickel",
    }  # mica's greyed-out 'Yes' is not scored
    assert given[("M2-03", None)] == 50.0  # lithium 'Greater than 50%' is the lowest band
    assert given[("M2-01", "nickel")] == 100.0
    assert (given[("M1-01", None)], given[("M1-02", None)], given[("M3-06", None)]) == (
        "yes",
        "no",
        "no",
    )
    assert given[("M2-06", None)] == "L1"
    assert given[("M5-03", None)] == "emrt-2"


def test_published_emrt_13_imports_what_it_has() -> None:
    values: dict[str, Any] = {
        "D8": "Example Co.", "D9": "A. Company", "D15": "Taro Suzuki",
        "D16": "t.suzuki@example.com", "D17": "+81 3 0000 0000", "D18": "Hanako Sato",
        "D20": "h.sato@example.com", "D22": 45930, "D26": "Yes",
        "D27": "Not applicable for this declaration",
        "D32": "Yes", "D38": "DRC only", "D44": "No", "D50": 1, "D56": "Yes", "D62": "Yes",
        "D69": "Yes", "D71": "Yes", "D77": "Yes",
        "D79": "Yes, in conformance with IPC1755 (e.g. EMRT)", "D81": "Yes", "D83": "Yes",
    }  # fmt: skip
    result = import_rmi_workbook(_fill(_published("RMI_EMRT_1.3.xlsx"), values), as_of=AS_OF)
    assert (result.template, result.complete) == ("EMRT 1.3", False)
    assert ("rmi.older-template", "/Declaration/J3") in [(i.code, i.pointer) for i in result.issues]
    document = result.document
    assert document is not None
    assert document["materials"] == [
        {"material": "cobalt", "present": "yes", "fullyRecycled": "no"},
        {"material": "mica", "present": "unknown"},
    ]
    given = {(a["question"], a.get("material")): a["value"] for a in document["answers"]}
    assert given[("M2-04", "cobalt")] == "yes"  # 'DRC only' sources from a CAHRA
    assert given[("M2-03", None)] == 100.0  # 100 % stored by Excel as the number 1
    assert given[("M5-03", None)] == "emrt-1"


def test_published_cmrt_65_filled_in_prefills_the_company_questions() -> None:
    """CMRT 6.5: header D8-D22 (not the EMRT 2.x cells), 3TG rows 26-29, company A-H D75-D89."""
    values: dict[str, Any] = {
        "D8": "Example Co.", "D9": "A. Company", "D15": "Taro Suzuki",
        "D16": "t.suzuki@example.com", "D17": "+81 3 0000 0000", "D18": "Hanako Sato",
        "D20": "h.sato@example.com", "D22": 45930,
        "D26": "Yes", "D27": "No", "D28": "No", "D29": "No", "D32": "Yes",
        "D75": "Yes", "D77": "Yes", "D79": "No", "D81": "No",
        "D83": "Yes, using other format (describe)", "D85": "Yes", "D87": "Yes",
        "D89": "Yes, with the SEC and the EU", "G77": "https://example.com/policy.pdf",
    }  # fmt: skip
    result = import_rmi_workbook(_fill(_published("RMI_CMRT_6.5.xlsx"), values), as_of=AS_OF)
    assert (result.template, result.complete) == ("CMRT 6.5", True)
    assert [(i.code, i.pointer) for i in result.issues if i.severity is not Severity.INFO] == []
    document = result.document
    assert document is not None
    assert document["header"]["effectiveDate"] == "2025-09-30"
    given = {(a["question"], a.get("material")): a["value"] for a in document["answers"]}
    assert given == {
        ("M1-01", None): "yes",
        ("M1-02", None): "yes",
        ("M2-06", None): "L0",
        ("M2-08", None): "L1",
        ("M3-06", None): "yes",
    }
    assert document["evidence"][0]["uri"] == "https://example.com/policy.pdf"
