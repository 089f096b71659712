"""Access levels (Art. 77(2)): no value of a section a level may not see ever reaches its view.

The property test fills every free-text field of the restricted sections (Annex XIII points 2, 3
and 4, and our extension block) with unique marker strings, varies which sections and entries
exist, and searches each view and each export of the view for the markers.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.passport.access import SECTIONS, VISIBLE, view
from compliance.passport.exports import export_batterypass, export_catenax
from compliance.passport.model import AccessLevel, DdSummary, Extensions, Passport

LEVELS = (AccessLevel.PUBLIC, AccessLevel.LEGITIMATE_INTEREST, AccessLevel.AUTHORITY)
EXPECTED = {
    AccessLevel.PUBLIC: set(),
    AccessLevel.LEGITIMATE_INTEREST: {"legitimate_interest", "individual", "extensions"},
    AccessLevel.AUTHORITY: {"legitimate_interest", "authorities", "extensions"},
}
"""Art. 77(2): (a) public: point 1; (b) notified bodies, market surveillance, Commission:
points 2 and 3; (c) persons with a legitimate interest: points 2 and 4."""


def test_visibility_table_is_the_regulation() -> None:
    for level, sections in EXPECTED.items():
        assert VISIBLE[level] == sections
    assert VISIBLE[AccessLevel.FULL] == set(SECTIONS)


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
    """A passport whose restricted free texts are markers, and the markers per section."""
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
    data["extensions"] = Extensions(due_diligence=dd).model_dump(mode="json") if dd else None
    passport = Passport.model_validate(data)
    dumped = passport.model_dump(mode="json", by_alias=True)
    markers: dict[str, set[str]] = {}
    for key, section in (
        ("legitimateInterest", "legitimate_interest"),
        ("authorities", "authorities"),
        ("individual", "individual"),
        ("extensions", "extensions"),
    ):
        text = json.dumps(dumped[key])
        markers[section] = set(_find_markers(text))
    return passport, markers


def _find_markers(text: str) -> list[str]:
    out = []
    start = text.find("ZZ")
    while start != -1:
        end = text.find("QQ", start)
        out.append(text[start : end + 2])
        start = text.find("ZZ", end)
    return out


def _texts(level_view: Passport) -> list[str]:
    texts = [level_view.model_dump_json(by_alias=True)]
    texts.append(export_batterypass(level_view).to_json().decode())
    catenax, issues = export_catenax(level_view)
    assert not issues
    assert catenax is not None
    texts.append(catenax.to_json().decode())
    return texts


def _property(example: Passport) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(passports(example))
    def check(case: tuple[Passport, dict[str, set[str]]]) -> None:
        passport, markers = case
        for level in LEVELS:
            shown = view(passport, level)
            dumped = shown.model_dump(mode="json", by_alias=True)
            assert dumped["view"] == level.value
            for section, section_markers in markers.items():
                alias = {
                    "legitimate_interest": "legitimateInterest",
                    "authorities": "authorities",
                    "individual": "individual",
                    "extensions": "extensions",
                }[section]
                if section in EXPECTED[level]:
                    # visible sections are kept whole (the test is not vacuous)
                    assert dumped[alias] == passport.model_dump(mode="json", by_alias=True)[alias]
                    continue
                assert dumped[alias] is None
                for text in _texts(shown):
                    leaked = [m for m in section_markers if m in text]
                    assert not leaked, f"{section} leaked into the {level.value} view: {leaked}"

    check()


def test_no_restricted_value_reaches_a_lower_view(example_passports: dict[str, Passport]) -> None:
    _property(example_passports["nmc811-m1-ev"])


def test_the_full_view_keeps_everything(example_passports: dict[str, Passport]) -> None:
    p = example_passports["nmc811-m1-ev"]
    assert view(p, AccessLevel.FULL) == p
