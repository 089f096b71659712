"""Factor datasets imported from ecoinvent and openLCA exports (hand-made fixtures).

The fixtures (``tests/cfp/factor_exports.py``) are built in each publisher's documented layout
with made-up values; no licensed data is shipped.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace
from typing import Any

import pytest
import yaml

from compliance.cfp import FactorDataset, parse_dataset
from compliance.cfp.factor_import import ImportOptions, gwp_basis_of, import_factors
from compliance.models import LifecycleStage
from tests.cfp.conftest import BASE, compute
from tests.cfp.factor_exports import ROWS, ecoinvent_csv, ecoinvent_xlsx, openlca_xlsx

EI = ImportOptions(
    layout="ecoinvent",
    dataset_id="ei-test",
    version="3.10",
    licence="ecoinvent EULA (licence 0000, test)",
    database="ecoinvent 3.10 cut-off",
)
EI_DEFAULT = (
    "IPCC 2021",
    "climate change: total (excl. biogenic CO2)",
    "global warming potential (GWP100)",
)
OLCA = ImportOptions(layout="openlca", dataset_id="olca-test", version="1", licence="own model")


def codes(result: Any) -> list[tuple[str, str, int | None, int | None]]:
    return [(i.code, i.pointer, i.line, i.column) for i in result.issues]


def rows_with(**changes: Any) -> list[list[Any]]:
    rows = copy.deepcopy(ROWS)
    for key, value in changes.items():
        row, column = (int(x) for x in key[1:].split("_"))
        rows[row][column] = value
    return rows


# --------------------------------------------------------------------------- ecoinvent


@pytest.mark.parametrize("make", [ecoinvent_xlsx, ecoinvent_csv], ids=["xlsx", "csv"])
def test_ecoinvent_table_becomes_a_dataset(make: Any) -> None:
    data = make()
    result = import_factors([("Cut-off Cumulative LCIA v3.10.xlsx", data)], EI)
    assert result.ok, codes(result)
    ds = result.dataset
    assert ds is not None
    assert ds.gwp_set == "ipcc-ar6-gwp100"  # IPCC 2021 -> AR6
    by_id = {f.id: f for f in ds.factors}
    assert set(by_id) == {"a1_p1", "a2_p2", "a3_p3", "a4_p4"}
    aluminium = by_id["a1_p1"].value
    assert (aluminium.value, aluminium.unit, aluminium.magnitude) == (16.2, "kg CO2e/kg", 16.2)
    assert by_id["a2_p2"].value.unit == "kg CO2e/kWh"
    transport = by_id["a3_p3"].value  # ecoinvent's 'metric ton*km' is the engine's tkm
    assert (transport.unit, transport.magnitude) == ("kg CO2e/tkm", 0.17)
    assert by_id["a4_p4"].geography == "CN"
    assert "battery cell production, Li-ion, NMC811" in by_id["a4_p4"].source
    (source,) = ds.imported_from
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.layout == "ecoinvent-cumulative-lcia"
    assert source.database == "ecoinvent 3.10 cut-off"
    assert source.indicator.startswith("IPCC 2021 | climate change: total")
    assert ds.licence == EI.licence
    # the written text is a dataset --factors loads unchanged
    assert result.text is not None
    again = parse_dataset(result.text.encode(), "ei-test.yaml")
    assert again.factors == ds.factors
    assert again.imported_from == ds.imported_from


def test_ecoinvent_other_indicator_and_its_gwp_basis() -> None:
    data = ecoinvent_xlsx(method="IPCC 2013")
    options = replace(EI, indicator=("IPCC 2013", *EI_DEFAULT[1:]))
    result = import_factors([("x.xlsx", data)], options)
    assert result.ok
    assert result.dataset is not None
    assert result.dataset.gwp_set == "ipcc-ar5-gwp100"


def test_ecoinvent_indicator_not_found_lists_the_climate_columns() -> None:
    options = replace(EI, indicator=("EF v3.1", "climate change", "GWP100"))
    result = import_factors([("x.xlsx", ecoinvent_xlsx())], options)
    assert not result.ok
    (issue,) = result.issues
    assert issue.code == "factors.indicator-not-found"
    assert "IPCC 2021 | climate change: total (excl. biogenic CO2)" in issue.message


def test_choosing_a_non_climate_indicator_is_refused_at_its_unit_cell() -> None:
    options = replace(EI, indicator=("EF v3.1", "acidification", "accumulated exceedance (AE)"))
    result = import_factors([("x.xlsx", ecoinvent_xlsx())], options)
    assert not result.ok
    assert ("factors.not-climate", "/LCIA/G4", 4, 7) in codes(result)


def test_bad_rows_are_located_and_nothing_is_produced() -> None:
    rows = rows_with(r1_5="n/a", r2_4="furlong")
    rows.append(list(ROWS[0]))  # duplicate id on row 9
    result = import_factors([("bad.xlsx", ecoinvent_xlsx(rows))], EI)
    assert result.dataset is None
    assert result.text is None
    assert codes(result) == [
        ("factors.not-a-number", "/LCIA/F6", 6, 6),
        ("factors.unknown-unit", "/LCIA/E7", 7, 5),
        ("factors.duplicate-id", "/LCIA/A9", 9, 1),
    ]
    assert all(i.context["file"] == "bad.xlsx" for i in result.issues)
    assert "LCIA!A5" in result.issues[2].message


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_with_other_delimiters(delimiter: str) -> None:
    result = import_factors([("x.csv", ecoinvent_csv(delimiter=delimiter))], EI)
    assert result.dataset is not None
    assert [f.id for f in result.dataset.factors] == ["a1_p1", "a2_p2", "a3_p3", "a4_p4"]


def test_csv_decimal_comma_is_not_a_number() -> None:
    result = import_factors([("x.csv", ecoinvent_csv(rows_with(r0_5="16,2")))], EI)
    assert codes(result) == [("factors.not-a-number", "/x.csv/F5", 5, 6)]


def test_flows_per_area_are_reported_not_silently_dropped() -> None:
    rows = [*ROWS, ["a5_p5", "market for land", "GLO", "land", "m2*year", 0.9, 0.0]]
    result = import_factors([("x.xlsx", ecoinvent_xlsx(rows))], EI)
    assert result.ok
    assert result.skipped == 1
    assert codes(result) == [("factors.unsupported-unit", "/LCIA/E9", 9, 5)]
    assert result.issues[0].severity.value == "warning"
    assert result.dataset is not None
    assert len(result.dataset.factors) == 4


def test_unknown_method_needs_a_declared_gwp_basis() -> None:
    data = ecoinvent_xlsx(method="ReCiPe 2016 v1.03, midpoint (H)")
    options = replace(EI, indicator=("ReCiPe 2016 v1.03, midpoint (H)", *EI_DEFAULT[1:]))
    refused = import_factors([("x.xlsx", data)], options)
    assert codes(refused) == [("factors.gwp-undeclared", "/LCIA/F1", 1, 6)]
    declared = import_factors([("x.xlsx", data)], replace(options, gwp_set="ipcc-ar5-gwp100"))
    assert declared.ok
    assert declared.dataset is not None
    assert declared.dataset.gwp_set == "ipcc-ar5-gwp100"


def test_declared_gwp_basis_must_match_the_method() -> None:
    options = replace(EI, gwp_set="ipcc-ar5-gwp100")
    result = import_factors([("x.xlsx", ecoinvent_xlsx())], options)
    assert codes(result) == [("factors.gwp-mismatch", "/LCIA/F1", 1, 6)]


def test_ar4_methods_have_no_gwp_set() -> None:
    data = ecoinvent_xlsx(method="IPCC 2007")
    options = replace(EI, indicator=("IPCC 2007", *EI_DEFAULT[1:]))
    assert codes(import_factors([("x.xlsx", data)], options))[0][0] == "factors.gwp-unsupported"


def test_not_an_ecoinvent_table() -> None:
    from tests.cfp.factor_exports import xlsx

    result = import_factors(
        [("x.xlsx", xlsx({"LCIA": [["a"], ["b"], ["c"], ["Name", "Unit"]]}))], EI
    )
    assert [i.code for i in result.issues] == ["factors.layout"]
    assert "Activity UUID_Product UUID" in result.issues[0].message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "factors.empty"),
        (b"\xff\xfe\x00a", "factors.encoding"),
        (b"PK\x03\x04 broken", "factors.corrupted"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old", "factors.legacy-format"),
    ],
)
def test_unreadable_files(data: bytes, code: str) -> None:
    result = import_factors([("x", data)], EI)
    assert [i.code for i in result.issues] == [code]


def test_gwp_basis_of_methods() -> None:
    assert gwp_basis_of("IPCC 2021") == "ipcc-ar6-gwp100"
    assert gwp_basis_of("EF v3.1 no LT") == "ipcc-ar6-gwp100"
    assert gwp_basis_of("IPCC 2013 no LT") == "ipcc-ar5-gwp100"
    assert gwp_basis_of("EF 3.0") == "ipcc-ar5-gwp100"
    assert gwp_basis_of("IPCC 2007") == "ipcc-ar4-gwp100"
    assert gwp_basis_of("CML v4.8 2016") is None


# --------------------------------------------------------------------------- openLCA


def test_openlca_results_become_one_factor_each_per_unit_of_target_amount() -> None:
    files = [
        ("cathode.xlsx", openlca_xlsx("Cathode NMC811", "2.0 kg", 30.0)),
        ("grid.xlsx", openlca_xlsx("Grid DE", "1.0 kWh", 0.4)),
        ("cell.xlsx", openlca_xlsx("Cell 21700", "10 Item(s)", 25.0)),
        ("tiny.xlsx", openlca_xlsx("Tiny", "1.0E-4 kg", 2.5e-3)),  # Java's double text
    ]
    result = import_factors(files, OLCA)
    assert result.ok, codes(result)
    ds = result.dataset
    assert ds is not None
    assert ds.gwp_set == "ipcc-ar6-gwp100"
    by_id = {f.id: f.value for f in ds.factors}
    assert (by_id["cathode-nmc811"].magnitude, by_id["cathode-nmc811"].unit) == (15.0, "kg CO2e/kg")
    assert by_id["grid-de"].magnitude == 0.4
    assert (by_id["cell-21700"].magnitude, by_id["cell-21700"].unit) == (2.5, "kg CO2e/piece")
    assert by_id["tiny"].value == 25.0  # 2.5e-3 / 1e-4, not 25.000000000000004
    assert [s.file for s in ds.imported_from] == [
        "cathode.xlsx",
        "grid.xlsx",
        "cell.xlsx",
        "tiny.xlsx",
    ]
    assert {s.indicator for s in ds.imported_from} == {"Climate change - GWP100"}


def test_openlca_each_source_records_its_own_category() -> None:
    files = [
        ("a.xlsx", openlca_xlsx("A", "1 kg", 1.0, category="Climate change")),
        ("b.xlsx", openlca_xlsx("B", "1 kg", 2.0, category="Global warming (GWP100)")),
    ]
    result = import_factors(files, OLCA)
    assert result.dataset is not None
    assert [s.indicator for s in result.dataset.imported_from] == [
        "Climate change",
        "Global warming (GWP100)",
    ]
    assert result.dataset.factors[1].source == "olca-test: B | B product | Germany (b.xlsx)"


def test_openlca_mixed_gwp_bases_are_refused() -> None:
    files = [
        ("a.xlsx", openlca_xlsx("A", "1 kg", 1.0, method="IPCC 2021")),
        ("b.xlsx", openlca_xlsx("B", "1 kg", 1.0, method="EF 3.0")),
    ]
    result = import_factors(files, OLCA)
    assert not result.ok
    (issue,) = result.issues
    assert (issue.code, issue.context["file"], issue.context["cell"]) == (
        "factors.gwp-mixed",
        "b.xlsx",
        "C8",
    )


def test_openlca_duplicate_systems_and_bad_values_are_located_per_file() -> None:
    files = [
        ("a.xlsx", openlca_xlsx("Same", "1 kg", 1.0)),
        ("b.xlsx", openlca_xlsx("Same", "1 kg", 2.0)),
        ("c.xlsx", openlca_xlsx("Other", "1 kg", "twelve")),
        ("d.xlsx", openlca_xlsx("Unit", "1 parsec", 1.0)),
    ]
    result = import_factors(files, OLCA)
    assert [(i.code, i.context["file"], i.context["cell"]) for i in result.issues] == [
        ("factors.duplicate-id", "b.xlsx", "C3"),
        ("factors.not-a-number", "c.xlsx", "E3"),
        ("factors.unknown-unit", "d.xlsx", "C7"),
    ]


def test_openlca_needs_a_single_climate_category() -> None:
    data = openlca_xlsx("A", "1 kg", 1.0, category="Acidification potential")
    result = import_factors([("a.xlsx", data)], OLCA)
    assert [i.code for i in result.issues] == ["factors.indicator-not-found"]


# --------------------------------------------------------------------------- in a CFP


def _native(values: dict[str, str]) -> FactorDataset:
    document = {
        "id": "ei-test",
        "version": "3.10",
        "title": "the same factors, typed by hand",
        "licence": "ecoinvent EULA (licence 0000, test)",
        "gwpSet": "ipcc-ar6-gwp100",
        "factors": [{"id": k, "value": v, "source": "hand-typed"} for k, v in values.items()],
    }
    return parse_dataset(yaml.safe_dump(document).encode(), "native.yaml")


def test_cfp_with_the_imported_dataset_equals_the_native_one_and_records_its_source() -> None:
    imported = import_factors([("Cut-off Cumulative LCIA v3.10.xlsx", ecoinvent_xlsx())], EI)
    assert imported.dataset is not None
    native = _native({"a1_p1": "16.2 kg CO2e/kg", "a2_p2": "0.45 kg CO2e/kWh"})
    doc = copy.deepcopy(BASE)
    doc["billOfMaterials"][0]["emissionFactor"] = {"dataset": "ei-test", "factorId": "a1_p1"}
    doc["energyUse"] = [
        {
            "id": "e1",
            "carrier": "electricity",
            "amount": "200 kWh",
            "source": "on-site",
            "emissionFactor": {"dataset": "ei-test", "factorId": "a2_p2"},
        }
    ]
    with_import = compute(doc, datasets=(imported.dataset,)).result
    with_native = compute(doc, datasets=(native,)).result
    assert with_import is not None
    assert with_native is not None
    # by hand: 100 kg x 16.2 kg CO2e/kg = 1620 kg CO2e (raw material);
    #          200 kWh x 0.45 kg CO2e/kWh = 90 kg CO2e (main production, on-site keeps its factor)
    raw = with_import.stage(LifecycleStage.RAW_MATERIAL).absolute
    main = with_import.stage(LifecycleStage.MAIN_PRODUCTION).absolute
    assert raw.value == pytest.approx(1620.0)
    assert raw.unit == "kg CO2e"
    assert main.value == pytest.approx(90.0)
    assert with_import.total.value == pytest.approx(1710.0)
    assert with_import.total == with_native.total
    assert with_import.total_per_unit == with_native.total_per_unit
    (ref,) = [d for d in with_import.datasets if d.id == "ei-test"]
    assert (ref.version, ref.licence, ref.gwp_set) == ("3.10", EI.licence, "ipcc-ar6-gwp100")
    (source,) = ref.imported_from
    assert source.file == "Cut-off Cumulative LCIA v3.10.xlsx"
    assert source.sha256 == imported.dataset.imported_from[0].sha256
    wire = with_import.model_dump(mode="json")
    assert wire["datasets"][0]["importedFrom"][0]["sha256"] == source.sha256


def test_workbook_bombs_are_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from compliance.cfp.factor_import import tables

    monkeypatch.setattr(tables, "MAX_CELLS", 20)
    result = import_factors([("x.xlsx", ecoinvent_xlsx())], EI)
    assert [i.code for i in result.issues] == ["factors.too-large"]


def test_a_document_type_declaration_is_refused() -> None:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(ecoinvent_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = b'<!DOCTYPE x [<!ENTITY a "b">]>' + content
            target.writestr(info, content)
    result = import_factors([("x.xlsx", out.getvalue())], EI)
    assert [i.code for i in result.issues] == ["factors.unsafe-xml"]
