"""Access levels (Art. 77(2)): no value a level may not see ever reaches its view.

Every field of the passport document, the header included, has an access group in
``rules/passport/annex-xiii.yaml``; the views are made from that table. The property test fills
every free-text field of the restricted fields (Annex XIII points 2, 3 and 4, the predecessor
links, our extension block) with unique marker strings, gives the battery a second-life status,
varies which sections and entries exist, and searches each view, both exports of the view and
the passport sheet of the view (HTML; the PDF text once) for the markers and the status.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from compliance.models.passport_data import Performance
from compliance.passport.access import HIDDEN, SECTIONS, VISIBLE, hidden_from, view
from compliance.passport.annex import load_annex
from compliance.passport.exports import export_batterypass, export_catenax
from compliance.passport.model import (
    AccessLevel,
    DdSummary,
    Extensions,
    IndividualInformation,
    Passport,
    Provenance,
)
from compliance.reports import build_html, render_report
from compliance.reports.passport import PassportSheetInput, SealInfo

LEVELS = (AccessLevel.PUBLIC, AccessLevel.LEGITIMATE_INTEREST, AccessLevel.AUTHORITY)
FADES = (
    "/public/performance/initialSelfDischargeRate",
    "/public/performance/powerFade",
    "/public/performance/roundTripEfficiencyFade",
)
POINT_4 = ("/individual", "/individual/predecessors", *FADES)
DD = (
    "/extensions",
    "/provenance/questionnaireDigest",
    "/provenance/ddCatalogue",
    "/provenance/ddReferenceTables",
)
EXPECTED_HIDDEN = {
    # Art. 77(2)(a): the public reads point 1 only
    AccessLevel.PUBLIC: {"/legitimateInterest", "/authorities", *POINT_4, *DD},
    # (c): persons with a legitimate interest read points 2 and 4, not point 3
    AccessLevel.LEGITIMATE_INTEREST: {"/authorities"},
    # (b): notified bodies, market surveillance authorities, Commission: points 2 and 3
    AccessLevel.AUTHORITY: set(POINT_4),
    AccessLevel.FULL: set(),
}
SECOND_LIFE = ("repurposed", "re-used", "remanufactured")
STATUS_WORDS = ("repurpos", "remanufactur", "re-used", "reused")
"""The second-life statuses as they may be written (Regulation, Battery Pass enum, labels)."""


def test_visibility_table_is_the_regulation() -> None:
    for level, hidden in EXPECTED_HIDDEN.items():
        assert set(hidden_from(level)) == hidden, level
        assert set(HIDDEN[level]) == hidden
    assert VISIBLE[AccessLevel.FULL] == set(EXPECTED_HIDDEN[AccessLevel.PUBLIC])
    assert set(SECTIONS) == {"legitimate_interest", "authorities", "individual", "extensions"}


def _field(model: type[BaseModel], wire: str) -> Any:
    return next(info for name, info in model.model_fields.items() if (info.alias or name) == wire)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _admits_none(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return (origin is typing.Union or origin is types.UnionType) and type(None) in typing.get_args(
        annotation
    )


def test_every_field_of_the_document_has_an_access_group() -> None:
    table = load_annex()
    pointers = [entry.pointer for entry in table.fields]
    assert len(pointers) == len(set(pointers))
    top = {f"/{info.alias or name}" for name, info in Passport.model_fields.items()}
    assert top <= set(pointers), top - set(pointers)
    performance = {
        f"/public/performance/{info.alias or name}"
        for name, info in Performance.model_fields.items()
    }
    assert performance <= set(pointers), performance - set(pointers)
    access = {entry.pointer: entry.access for entry in table.fields}
    for entry in table.fields:
        assert entry.source.strip()
        parent = entry.pointer.rsplit("/", 1)[0]
        if access.get(parent) == entry.access:
            continue  # removed with its section
        model: type[BaseModel] | None = Passport
        annotation: Any = None
        for token in entry.pointer.split("/")[1:]:
            assert model is not None, entry.pointer
            annotation = _field(model, token).annotation
            model = _model_of(annotation)
        if entry.access != "public":
            # a withheld field is removed (None), never shown as empty
            assert _admits_none(annotation), entry.pointer


def test_the_battery_status_and_its_history_are_point_4() -> None:
    table = load_annex()
    items = {item.id: item for item in table.items}
    assert items["4c-status"].access == "individual"
    assert items["4c-status"].pointer == "/individual/status"
    assert "status" not in Passport.model_fields
    assert "predecessors" not in Passport.model_fields
    assert {"status", "predecessors"} <= set(IndividualInformation.model_fields)
    assert "questionnaire_digest" in Provenance.model_fields


def _marker(section: str) -> st.SearchStrategy[str]:
    token = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=8, max_size=12)
    return token.map(lambda t: f"ZZ{section.upper()}{t}QQ")


def _li(markers: st.DrawFn, base: Passport) -> dict[str, Any] | None:
    li = base.legitimate_interest
    assert li is not None
    data = li.model_dump(mode="json", by_alias=True)
    if not markers(st.booleans()):
        return None
    for material in data["materials"]:
        material["name"] = markers(_marker("li"))
        material["component"] = markers(_marker("li"))
    for source in data["spareParts"]:
        source["supplierName"] = markers(_marker("li"))
        for component in source["components"]:
            component["partName"] = markers(_marker("li"))
            component["partNumber"] = markers(_marker("li"))
    data["materials"] = data["materials"][: markers(st.integers(0, len(data["materials"])))]
    return data


@st.composite
def passports(draw: st.DrawFn, base: Passport) -> tuple[Passport, dict[str, set[str]]]:
    """A passport whose restricted free texts are markers, and the markers per field."""
    data = base.model_dump(mode="json", by_alias=True)
    data["legitimateInterest"] = _li(draw, base)
    if draw(st.booleans()):
        data["authorities"] = {
            "testReports": [
                {"title": draw(_marker("auth")), "url": "https://lab.example/r.pdf"}
                for _ in range(draw(st.integers(1, 3)))
            ]
        }
    else:
        data["authorities"] = None
    individual = data["individual"]
    if draw(st.booleans()):
        individual["status"] = draw(st.sampled_from(SECOND_LIFE))
        individual["predecessors"] = [draw(_marker("ind")) for _ in range(draw(st.integers(1, 2)))]
        individual["condition"]["negativeEvents"] = [
            draw(_marker("ind")) for _ in range(draw(st.integers(1, 3)))
        ]
        if draw(st.booleans()):
            individual["condition"] = None
    else:
        data["individual"] = None
    dd = None
    if draw(st.booleans()):
        dd = DdSummary(
            catalogue=draw(_marker("ext")),
            level=draw(_marker("ext")),
            details={"note": draw(_marker("ext"))},
        )
        data["provenance"]["ddCatalogue"] = draw(_marker("ext"))
        data["provenance"]["ddReferenceTables"] = [draw(_marker("ext"))]
    data["extensions"] = Extensions(due_diligence=dd).model_dump(mode="json") if dd else None
    passport = Passport.model_validate(data)
    dumped = passport.model_dump(mode="json", by_alias=True)
    markers: dict[str, set[str]] = {}
    for pointer in ("/legitimateInterest", "/authorities", "/individual", "/extensions"):
        markers[pointer] = set(_find_markers(json.dumps(dumped[pointer[1:]])))
    markers["/provenance/ddCatalogue"] = set(_find_markers(json.dumps(dumped["provenance"])))
    return passport, markers


def _find_markers(text: str) -> list[str]:
    out = []
    start = text.find("ZZ")
    while start != -1:
        end = text.find("QQ", start)
        out.append(text[start : end + 2])
        start = text.find("ZZ", end)
    return out


SEAL = SealInfo(1, "sha256:" + "0" * 64, None, False)


def _texts(level_view: Passport) -> dict[str, str]:
    """The view's JSON, both exports and the passport sheet (HTML, both languages)."""
    texts = {"view": level_view.model_dump_json(by_alias=True)}
    texts["batterypass"] = export_batterypass(level_view).to_json().decode()
    catenax, issues = export_catenax(level_view)
    assert not issues
    assert catenax is not None
    texts["catenax"] = catenax.to_json().decode()
    for language in ("en", "ja"):
        html, _ = build_html(
            "passport", PassportSheetInput(level_view, SEAL, None), language=language
        )
        texts[f"sheet-{language}"] = html
    return texts


def _assert_nothing_hidden_shows(passport: Passport, level: AccessLevel) -> None:
    shown = view(passport, level)
    dumped = shown.model_dump(mode="json", by_alias=True)
    assert dumped["view"] == level.value
    for pointer in hidden_from(level):
        node: Any = dumped
        for token in pointer.split("/")[1:-1]:
            node = node.get(token) if isinstance(node, dict) else None
        if isinstance(node, dict):
            assert node[pointer.rsplit("/", 1)[1]] is None, pointer
    if "/individual" not in hidden_from(level):
        return
    texts = _texts(shown)
    status = passport.individual.status.value if passport.individual else "original"
    for name, text in texts.items():
        if status != "original":
            leaked = [word for word in STATUS_WORDS if word in text.lower()]
            assert not leaked, f"4(c) status {status} in the {level.value} {name}"
    for name in ("view", "batterypass", "catenax"):
        assert '"status"' not in texts[name], name
        assert '"batteryStatus"' not in texts[name], name


def _property(example: Passport) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(passports(example))
    def check(case: tuple[Passport, dict[str, set[str]]]) -> None:
        passport, markers = case
        full = passport.model_dump(mode="json", by_alias=True)
        for level in LEVELS:
            shown = view(passport, level)
            dumped = shown.model_dump(mode="json", by_alias=True)
            _assert_nothing_hidden_shows(passport, level)
            texts = _texts(shown)
            for pointer, field_markers in markers.items():
                if pointer not in hidden_from(level):
                    if pointer.count("/") == 1:
                        # visible sections are kept whole (the test is not vacuous)
                        assert dumped[pointer[1:]] == full[pointer[1:]]
                    continue
                for name, text in texts.items():
                    leaked = [m for m in field_markers if m in text]
                    assert not leaked, f"{pointer} leaked into the {level.value} {name}: {leaked}"

    check()


def test_no_restricted_value_reaches_a_lower_view(example_passports: dict[str, Passport]) -> None:
    _property(example_passports["nmc811-m1-ev"])


def test_the_full_view_keeps_everything(example_passports: dict[str, Passport]) -> None:
    p = example_passports["nmc811-m1-ev"]
    assert view(p, AccessLevel.FULL) == p


def test_public_pdf_sheet_shows_no_status_and_no_predecessor(
    example_passports: dict[str, Passport],
) -> None:
    from tests.reports.conftest import pdf_text

    data = example_passports["nmc811-m1-ev"].model_dump(mode="json", by_alias=True)
    data["individual"]["status"] = "remanufactured"
    data["individual"]["predecessors"] = ["urn:uuid:ZZPREDECESSORQQ"]
    passport = Passport.model_validate(data)
    for level, shows in ((AccessLevel.PUBLIC, False), (AccessLevel.LEGITIMATE_INTEREST, True)):
        pdf = render_report(
            "passport", PassportSheetInput(view(passport, level), SEAL, None), language="en"
        )
        text = pdf_text(pdf).lower().replace("\n", "")
        assert ("remanufactured" in text) is shows, level
        assert ("zzpredecessorqq" in text) is shows, level


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: level.value)
def test_no_export_states_withheld_data_as_none(
    example_passports: dict[str, Passport], level: AccessLevel
) -> None:
    """Withheld data is omitted (the deviations say so), never an empty list or false."""
    shown = view(example_passports["nmc811-m1-ev"], level)
    catenax, _ = export_catenax(shown)
    assert catenax is not None
    cx = catenax.payloads["batteryPass"]
    hidden = hidden_from(level)
    withheld = {d.pointer for d in catenax.deviations if d.kind.value == "withheld"}
    if "/authorities" in hidden:
        assert "resultOfTestReport" not in cx["conformity"]
        assert "/conformity/resultOfTestReport" in withheld
    if "/legitimateInterest" in hidden:
        assert "handling" not in cx
        assert "dismantling" not in cx["safety"]
        assert "safetyMeasures" not in cx["safety"]
        assert {"/handling", "/safety/dismantling", "/safety/safetyMeasures"} <= withheld
    if "/individual" in hidden:
        assert "predecessor" not in cx["metadata"]
        assert "status" not in cx["sustainability"]
        assert "dynamic" not in cx["performance"]
        assert {"/metadata/predecessor", "/sustainability/status"} <= withheld
    bp = export_batterypass(shown)
    bp_withheld = {(d.aspect, d.pointer) for d in bp.deviations if d.kind.value == "withheld"}
    if "/individual" in hidden:
        assert "batteryStatus" not in bp.payloads["generalProductInformation"]
        assert ("generalProductInformation", "/batteryStatus") in bp_withheld
        tech = bp.payloads["performanceAndDurability"]["batteryTechicalProperties"]
        assert not {"powerFade", "roundTripEfficiencyFade", "initialSelfDischarge"} & set(tech)
    else:
        assert bp.payloads["generalProductInformation"]["batteryStatus"] == "Original"
