"""PACT import: the reference files as shipped, hand-made footprints, each rule schemas miss."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from compliance.errors import Severity
from compliance.exchange.pact import read_pact
from compliance.issue_codes import ISSUE_CODES
from compliance.units import Dimension
from tests.exchange.conftest import dumps, reference_file, v2_footprint, v3_footprint

AS_OF = date(2026, 6, 1)


def codes(result, severity=Severity.ERROR):
    return sorted({(i.code, i.pointer) for i in result.issues if i.severity is severity})


# --------------------------------------------------------------------------- reference files


@pytest.mark.parametrize(
    "name", ["v3/electronics_tier_2_sample.json", "v3/electronics_tier_3_sample.json"]
)
def test_directory_samples_import_whole(name: str) -> None:
    path = reference_file(f"examples/{name}")
    raw = json.loads(path.read_bytes())
    result = read_pact(path.read_bytes(), name=path.name, as_of=AS_OF)
    assert result.ok, codes(result)
    assert [f.reference for f in result.footprints] == [pf["id"] for pf in raw]
    for issue in result.issues:
        assert issue.code in ISSUE_CODES
        assert issue.line is not None  # located in the file
    # every sample gives primaryDataShare <= 1 although PACT means percent: flagged, not guessed
    flagged = [i for i in result.issues if i.code == "pact.share-looks-like-fraction"]
    assert len(flagged) == len(raw)


def test_tier2_battery_cell_maps_per_piece_and_per_kg() -> None:
    path = reference_file("examples/v3/electronics_tier_2_sample.json")
    result = read_pact(path.read_bytes(), as_of=AS_OF)
    cell = next(f for f in result.footprints if f.product_name.startswith("Lithium-Ion Battery"))
    # 6.20 kg CO2e per 1 piece of 0.058 kg; primaryDataShare "0.68" is 0.68 %
    assert cell.variants[Dimension.ITEMS]["value"] == "6.2 kg CO2e/piece"
    assert cell.variants[Dimension.MASS]["value"] == "106.896551724 kg CO2e/kg"  # 6.2 / 0.058
    assert cell.declared["primaryDataShare"] == pytest.approx(0.0068)
    assert cell.declared["dataQuality"] == {"ter": 1.5, "ger": 1.0, "tir": 1.0}
    assert cell.supplier["name"] == "Samsung SDI"


def test_tier2_connector_declared_per_hundred_pieces() -> None:
    """v3: the declared unit is declaredUnitAmount x unit, so 0.85 per 100 pieces."""
    path = reference_file("examples/v3/electronics_tier_2_sample.json")
    result = read_pact(path.read_bytes(), as_of=AS_OF)
    usb = next(f for f in result.footprints if f.product_name.startswith("USB-C"))
    assert usb.variants[Dimension.ITEMS]["value"] == "0.0085 kg CO2e/piece"
    # 0.85 kg CO2e / 0.15 kg
    assert usb.variants[Dimension.MASS]["value"] == "5.66666666667 kg CO2e/kg"


def test_tier3_liter_and_square_meter_go_per_kg() -> None:
    path = reference_file("examples/v3/electronics_tier_3_sample.json")
    result = read_pact(path.read_bytes(), as_of=AS_OF)
    plating = next(f for f in result.footprints if f.product_name.startswith("Palladium"))
    assert set(plating.variants) == {Dimension.MASS}
    # 28.50 kg CO2e per liter of 1.05 kg
    assert plating.declared["value"] == "27.1428571429 kg CO2e/kg"


def test_tier_samples_expire_three_years_after_their_reference_period() -> None:
    path = reference_file("examples/v3/electronics_tier_2_sample.json")
    result = read_pact(path.read_bytes(), as_of=date(2029, 1, 1))
    assert not result.ok
    assert result.footprints == ()
    expired = [i for i in result.issues if i.code == "pact.expired"]
    assert len(expired) == 10
    assert expired[0].pointer == "/0/pcf/referencePeriodEnd"
    assert "2028-12-31" in expired[0].message


def test_demo_v2_file_as_shipped_has_genuine_findings() -> None:
    """The pact-demo-api-ts v2.0 footprints: per liter without a mass, validity rule breaches."""
    path = reference_file("examples/v2/pact-demo-api-ts_footprints_v2.0.json")
    result = read_pact(path.read_bytes(), name=path.name, as_of=date(2024, 1, 15))
    assert codes(result) == [
        ("pact.declared-unit", "/0/pcf/declaredUnit"),
        ("pact.declared-unit", "/1/pcf/declaredUnit"),
        ("pact.declared-unit", "/3/pcf/declaredUnit"),
        ("pact.validity", "/2/validityPeriodEnd"),
        ("pact.validity", "/4/validityPeriodStart"),
    ]
    assert result.footprints == ()  # a file with errors gives nothing
    rescaled = [i for i in result.issues if i.code == "pact.dqr-rescaled"]
    assert rescaled
    assert "TeR 1.5 -> 2" in rescaled[0].message


def test_demo_v3_file_as_shipped_has_a_positive_removal() -> None:
    path = reference_file("examples/v3/pact-demo-api-ts_footprints_v3.0.json")
    result = read_pact(path.read_bytes(), as_of=date(2024, 1, 15))
    assert codes(result) == [
        ("pact.sign", "/1/pcf/technologicalCO2Removals"),
        ("pact.validity", "/2/validityPeriodEnd"),
    ]
    one = read_pact(
        path.read_bytes(), as_of=date(2024, 1, 15), only=json.loads(path.read_bytes())[0]["id"]
    )
    assert one.ok
    assert len(one.footprints) == 1
    # Green Ethanol: 1.75 kg CO2e per liter of 0.85 kg
    assert one.footprints[0].declared["value"] == "2.05882352941 kg CO2e/kg"


# --------------------------------------------------------------------------- hand-made footprints


def test_v3_footprint_maps_per_piece_with_dqr_and_share() -> None:
    result = read_pact(dumps(v3_footprint()), as_of=AS_OF)
    assert result.ok, codes(result)
    (fp,) = result.footprints
    assert fp.variants[Dimension.ITEMS]["value"] == "50 kg CO2e/piece"  # 200 / 4 pieces
    assert fp.variants[Dimension.MASS]["value"] == "25 kg CO2e/kg"  # 200 / 8 kg
    assert fp.declared["primaryDataShare"] == 0.4
    assert fp.declared["dataQuality"] == {"ter": 2.0, "ger": 1.5, "tir": 3.0}
    assert fp.declared["reference"] == "urn:uuid:3f1c2a7e-5b8d-4c6e-9a1f-2d3e4b5c6a7f"
    assert fp.supplier == {
        "name": "Cell maker (test)",
        "country": "KR",
        "identifiers": [
            {"scheme": "URN", "value": "urn:pact:company:customcode:buyer-assigned:cellco"}
        ],
    }


def test_api_responses_are_accepted() -> None:
    assert read_pact(dumps({"data": [v3_footprint()]}), as_of=AS_OF).footprints[0].pointer == (
        "/data/0"
    )
    assert read_pact(dumps({"data": v3_footprint()}), as_of=AS_OF).footprints[0].pointer == "/data"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (12.5, "JSON number"),
        ("1.2e3", "exponents are not allowed"),
        ("abc", "is not a number"),
        (".5", "not a PACT decimal"),
        ("1,5", "is not a number"),
    ],
)
def test_decimals_must_be_decimal_strings(value: object, fragment: str) -> None:
    pf = v3_footprint()
    pf["pcf"]["pcfExcludingBiogenicUptake"] = value
    result = read_pact(dumps(pf), as_of=AS_OF)
    issue = next(i for i in result.issues if i.pointer == "/pcf/pcfExcludingBiogenicUptake")
    assert issue.code in ("pact.decimal", "pact.schema")
    if issue.code == "pact.decimal":
        assert fragment in issue.message
    assert not result.ok


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fossilGhgEmissions", "-1"),
        ("fossilCarbonContent", "-0.1"),
        ("biogenicCO2Uptake", "0.5"),
        ("declaredUnitAmount", "0"),
        ("productMassPerDeclaredUnit", "-2"),
    ],
)
def test_sign_rules(field: str, value: str) -> None:
    pf = v3_footprint()
    pf["pcf"][field] = value
    result = read_pact(dumps(pf), as_of=AS_OF)
    assert ("pact.sign", f"/pcf/{field}") in codes(result)


def test_v3_negative_total_is_allowed() -> None:
    """pcfExcludingBiogenicUptake is a Decimal of any sign in 3.0.3 (removals included)."""
    pf = v3_footprint()
    pf["pcf"]["pcfIncludingBiogenicUptake"] = "-3"
    assert read_pact(dumps(pf), as_of=AS_OF).ok


def test_v2_headline_must_not_be_negative() -> None:
    pf = v2_footprint()
    pf["pcf"]["pCfExcludingBiogenic"] = "-1"
    assert ("pact.sign", "/pcf/pCfExcludingBiogenic") in codes(read_pact(dumps(pf), as_of=AS_OF))


@pytest.mark.parametrize(("dqr", "ok"), [("1", True), ("5", True), ("0.9", False), ("5.5", False)])
def test_v3_dqr_range_is_1_to_5(dqr: str, ok: bool) -> None:
    pf = v3_footprint()
    pf["pcf"]["dqi"]["temporalDQR"] = dqr
    result = read_pact(dumps(pf), as_of=AS_OF)
    assert result.ok is ok
    if not ok:
        assert ("pact.range", "/pcf/dqi/temporalDQR") in codes(result)


@pytest.mark.parametrize(("dqr", "ok"), [(1, True), (3, True), (3.5, False), (0.5, False)])
def test_v2_dqr_range_is_1_to_3(dqr: float, ok: bool) -> None:
    pf = v2_footprint()
    pf["pcf"]["dqi"]["technologicalDQR"] = dqr
    result = read_pact(dumps(pf), as_of=AS_OF)
    assert result.ok is ok
    if ok:
        ter = result.footprints[0].declared["dataQuality"]["ter"]
        assert ter == 2 * dqr - 1


def test_v3_percent_range() -> None:
    pf = v3_footprint()
    pf["pcf"]["primaryDataShare"] = "101"
    assert ("pact.range", "/pcf/primaryDataShare") in codes(read_pact(dumps(pf), as_of=AS_OF))


def test_expiry_relative_to_as_of() -> None:
    pf = v3_footprint()
    pf["validityPeriodEnd"] = "2026-06-01T00:00:00Z"
    assert read_pact(dumps(pf), as_of=date(2026, 5, 31)).ok
    late = read_pact(dumps(pf), as_of=date(2026, 6, 1))
    assert codes(late) == [("pact.expired", "/validityPeriodEnd")]


def test_validity_rules() -> None:
    pf = v3_footprint()
    pf["validityPeriodStart"] = "2025-06-01T00:00:00Z"  # before referencePeriodEnd
    pf["validityPeriodEnd"] = "2029-01-02T00:00:00Z"  # more than 3 years after it
    assert codes(read_pact(dumps(pf), as_of=AS_OF)) == [
        ("pact.validity", "/validityPeriodEnd"),
        ("pact.validity", "/validityPeriodStart"),
    ]


def test_reference_period_order_and_datetimes() -> None:
    pf = v3_footprint()
    pf["pcf"]["referencePeriodEnd"] = "2024-01-01T00:00:00Z"
    assert ("pact.period", "/pcf/referencePeriodEnd") in codes(read_pact(dumps(pf), as_of=AS_OF))
    pf = v3_footprint()
    pf["created"] = "2026-02-01"
    assert ("pact.datetime", "/created") in codes(read_pact(dumps(pf), as_of=AS_OF))


def test_v23_fields_mandatory_from_2025() -> None:
    pf = v2_footprint("2.3.0")
    pf["pcf"]["referencePeriodStart"] = "2025-01-01T00:00:00Z"
    pf["pcf"]["referencePeriodEnd"] = "2026-01-01T00:00:00Z"
    result = read_pact(dumps(pf), as_of=AS_OF)
    missing = [p for c, p in codes(result) if c == "pact.mandatory-o-star"]
    assert missing == [
        "/pcf/biogenicAccountingMethodology",
        "/pcf/biogenicCarbonWithdrawal",
        "/pcf/dLucGhgEmissions",
        "/pcf/landManagementGhgEmissions",
        "/pcf/otherBiogenicGhgEmissions",
        "/pcf/pCfIncludingBiogenic",
    ]
    # a period ending on 2025-01-01 (exclusive) does not include 2025
    assert read_pact(dumps(v2_footprint("2.3.0")), as_of=AS_OF).ok


def test_genuine_v20_data_is_accepted_leniently() -> None:
    pf = v2_footprint("2.0.0")
    del pf["pcf"]["ipccCharacterizationFactorsSources"]
    del pf["pcf"]["crossSectoralStandards"]
    pf["pcf"]["referencePeriodStart"] = "2025-01-01T00:00:00Z"
    pf["pcf"]["referencePeriodEnd"] = "2026-01-01T00:00:00Z"
    result = read_pact(dumps(pf), as_of=AS_OF)
    assert result.ok, codes(result)
    assert ("pact.lenient", "/pcf/ipccCharacterizationFactorsSources") in codes(
        result, Severity.INFO
    )
    assert len(codes(result, Severity.WARNING)) == 6  # the O* fields, as warnings
    # the same footprint as 2.2 is not lenient
    pf["specVersion"] = "2.2.0"
    strict = read_pact(dumps(pf), as_of=AS_OF)
    assert ("pact.schema", "/pcf/ipccCharacterizationFactorsSources") in codes(strict)


def test_v2_needs_share_or_dqi_before_2025() -> None:
    pf = v2_footprint()
    del pf["pcf"]["primaryDataShare"]
    del pf["pcf"]["dqi"]
    assert ("pact.mandatory-field", "/pcf/primaryDataShare") in codes(
        read_pact(dumps(pf), as_of=AS_OF)
    )


def test_duplicated_ids() -> None:
    result = read_pact(dumps([v3_footprint(), v3_footprint()]), as_of=AS_OF)
    assert codes(result) == [("pact.duplicate-id", "/1/id")]
    assert result.footprints == ()


@pytest.mark.parametrize("unit", ["ton kilometer", "hour", "megabit second"])
def test_service_units_are_refused(unit: str) -> None:
    pf = v3_footprint()
    pf["pcf"]["declaredUnitOfMeasurement"] = unit
    assert ("pact.declared-unit", "/pcf/declaredUnitOfMeasurement") in codes(
        read_pact(dumps(pf), as_of=AS_OF)
    )


def test_unknown_declared_unit_is_a_schema_error() -> None:
    pf = v3_footprint()
    pf["pcf"]["declaredUnitOfMeasurement"] = "pallet"
    assert ("pact.schema", "/pcf/declaredUnitOfMeasurement") in codes(
        read_pact(dumps(pf), as_of=AS_OF)
    )


def test_energy_declared_unit_is_flagged() -> None:
    pf = v3_footprint()
    pf["pcf"]["declaredUnitOfMeasurement"] = "kilowatt hour"
    pf["pcf"]["productMassPerDeclaredUnit"] = "0"
    result = read_pact(dumps(pf), as_of=AS_OF)
    assert result.ok
    assert result.footprints[0].declared["value"] == "50 kg CO2e/kWh"
    assert ("pact.energy-declared-unit", "/pcf/declaredUnitOfMeasurement") in codes(
        result, Severity.WARNING
    )


@pytest.mark.parametrize(
    "data",
    [b"", b"[1", b"{}", b"[]", b'"x"', b'{"data": 3}', b'{"specVersion": "3.0.0"}'],
)
def test_bad_files_give_located_issues_never_exceptions(data: bytes) -> None:
    result = read_pact(data, as_of=AS_OF)
    assert not result.ok
    assert all(i.code in ISSUE_CODES for i in result.issues)


def test_unsupported_spec_version() -> None:
    pf = v3_footprint()
    pf["specVersion"] = "1.0.0"
    assert codes(read_pact(dumps(pf), as_of=AS_OF)) == [("pact.spec-version", "/specVersion")]


def test_schema_errors_are_located() -> None:
    pf = v3_footprint()
    del pf["companyName"]
    text = json.dumps(pf, indent=2).encode()
    result = read_pact(text, as_of=AS_OF)
    issue = next(i for i in result.issues if i.code == "pact.schema")
    assert issue.pointer == "/companyName"
    assert issue.line is not None


def test_values_keep_decimal_precision() -> None:
    pf = v3_footprint()
    pf["pcf"]["declaredUnitAmount"] = "3"
    pf["pcf"]["pcfExcludingBiogenicUptake"] = "1"
    value = read_pact(dumps(pf), as_of=AS_OF).footprints[0].declared["value"]
    assert value == "0.333333333333 kg CO2e/piece"
    assert Decimal(value.split()[0]) == Decimal("0.333333333333")


JUNK: list[object] = [None, [], {}, "", "x", -1, 1.5e300, True, "1e400", {"a": [1]}, "-0"]


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


@pytest.mark.parametrize("make", [v3_footprint, v2_footprint, lambda: v2_footprint("2.0.0")])
def test_junk_in_any_field_gives_issues_not_exceptions(make) -> None:
    base = make()
    for path in list(_paths(base)):
        for junk in JUNK:
            pf = make()
            node = pf
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = junk
            result = read_pact(dumps(pf), as_of=AS_OF)
            assert all(i.code in ISSUE_CODES for i in result.issues), (path, junk)
            if not result.ok:
                assert result.footprints == ()


def test_v23_standards_spelled_as_in_the_v23_text_are_accepted() -> None:
    pf = v2_footprint("2.3.0")
    pf["pcf"]["crossSectoralStandards"] = ["GHGP Product", "PAS2050"]
    result = read_pact(dumps(pf), as_of=AS_OF)
    assert result.ok
    assert codes(result, Severity.WARNING) == [
        ("pact.lenient", "/pcf/crossSectoralStandards/0"),
        ("pact.lenient", "/pcf/crossSectoralStandards/1"),
    ]
    assert result.footprints[0].declared["standard"] == "PACT 2.3.0 (GHGP Product, PAS2050)"
