"""Our passport schema accepts every view of every example; QR codes and identifiers."""

from __future__ import annotations

import json
import struct

import jsonschema
import pytest
import segno

from compliance.passport.access import view
from compliance.passport.identifiers import gtin14, public_url
from compliance.passport.integrity import seal
from compliance.passport.model import AccessLevel, Passport
from compliance.passport.qr import qr_png, qr_svg
from tests.conftest import ROOT

PASSPORT_SCHEMA = json.loads((ROOT / "schemas/passport/1.0.0/schema.json").read_text("utf-8"))
DOCUMENT_SCHEMA = json.loads(
    (ROOT / "schemas/passport-document/1.0.0/schema.json").read_text("utf-8")
)


@pytest.mark.parametrize("level", list(AccessLevel), ids=lambda level: level.value)
def test_every_view_of_every_example_validates(
    example_passports: dict[str, Passport], level: AccessLevel
) -> None:
    validator = jsonschema.Draft202012Validator(PASSPORT_SCHEMA)
    documents = jsonschema.Draft202012Validator(DOCUMENT_SCHEMA)
    for name, passport in example_passports.items():
        shown = view(passport, level).model_dump(mode="json", by_alias=True)
        errors = [e.message for e in validator.iter_errors(shown)]
        assert errors == [], name
        sealed = seal(view(passport, level)).model_dump(mode="json")
        assert [e.message for e in documents.iter_errors(sealed)] == [], name


def test_schema_rejects_an_unknown_section(example_passports: dict[str, Passport]) -> None:
    data = example_passports["nmc811-m1-ev"].model_dump(mode="json", by_alias=True)
    data["secret"] = {}
    assert not jsonschema.Draft202012Validator(PASSPORT_SCHEMA).is_valid(data)


def test_gtin_check_digits() -> None:
    assert gtin14("5991234567894") == "05991234567894"
    assert gtin14("59912345678940") is None
    assert gtin14("96385074") == "00000096385074"  # GTIN-8


def test_public_url_is_percent_encoded() -> None:
    assert (
        public_url("https://p.example/", "urn:uuid:x")
        == "https://p.example/passports/urn%3Auuid%3Ax"
    )


def test_qr_svg_and_png_encode_the_public_url(example_passports: dict[str, Passport]) -> None:
    url = example_passports["nmc811-m1-ev"].public_url
    svg = qr_svg(url, title="EV80")
    assert svg.startswith(b"<?xml")
    assert b"<svg" in svg
    assert b"<title>EV80</title>" in svg
    png = qr_png(url)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    code = segno.make(url, error="m", micro=False)
    assert code.designator.endswith("-M")
    # version v: (17 + 4v) modules plus a quiet zone of 4 on each side, 8 pixels per module
    assert width == height == (code.symbol_size(scale=8, border=4)[0])
    assert code.mode == "byte"
