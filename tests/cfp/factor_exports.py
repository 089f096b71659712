"""Hand-made exports in the layouts of ecoinvent and openLCA (built here, not shipped files).

The ecoinvent table follows the cumulative LCIA workbook ecoinvent ships (sheet ``LCIA``, rows
1-3 method / category / indicator, row 4 column names and units, data from row 5); the openLCA
workbook follows ``olca-io``'s result export (``Calculation setup`` labels in column B, values in
column C; ``Impacts`` header on row 2 from column B). The values are made up.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

AR6 = (
    "IPCC 2021",
    "climate change: total (excl. biogenic CO2)",
    "global warming potential (GWP100)",
)
META = [
    "Activity UUID_Product UUID",
    "Activity Name",
    "Geography",
    "Reference Product Name",
    "Reference Product Unit",
]
ROWS: list[list[Any]] = [
    [
        "a1_p1",
        "aluminium production, primary, ingot",
        "GLO",
        "aluminium, primary, ingot",
        "kg",
        16.2,
        1.1,
    ],
    [
        "a2_p2",
        "market for electricity, medium voltage",
        "DE",
        "electricity, medium voltage",
        "kWh",
        0.45,
        0.03,
    ],
    [
        "a3_p3",
        "transport, freight, lorry 16-32 metric ton, EURO6",
        "RER",
        "transport, freight, lorry",
        "metric ton*km",
        0.17,
        0.01,
    ],
    [
        "a4_p4",
        "battery cell production, Li-ion, NMC811",
        "CN",
        "battery cell, Li-ion, NMC811",
        "kg",
        22.5,
        1.9,
    ],
]


def ecoinvent_rows(
    rows: list[list[Any]] | None = None, *, method: str = "IPCC 2021"
) -> list[list[Any]]:
    """The LCIA table: 4 header rows, then data; impact columns AR6 GWP100 and acidification."""
    blank = [None] * len(META)
    return [
        [*blank, method, "EF v3.1"],
        [*blank, AR6[1], "acidification"],
        [*blank, AR6[2], "accumulated exceedance (AE)"],
        [*META, "kg CO2-Eq", "mol H+-Eq"],
        *(rows if rows is not None else ROWS),
    ]


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    for default in list(book.worksheets):
        book.remove(default)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ecoinvent_xlsx(rows: list[list[Any]] | None = None, **kw: Any) -> bytes:
    return xlsx({"Read me": [["made-up test data"]], "LCIA": ecoinvent_rows(rows, **kw)})


def ecoinvent_csv(rows: list[list[Any]] | None = None, *, delimiter: str = ",", **kw: Any) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(
        [["" if c is None else c for c in r] for r in ecoinvent_rows(rows, **kw)]
    )
    return out.getvalue().encode("utf-8")


def openlca_xlsx(
    system: str,
    amount: str,
    result: Any,
    *,
    method: str = "IPCC 2021 AR6",
    category: str = "Climate change - GWP100",
    unit: str = "kg CO2 eq",
    location: str = "Germany",
) -> bytes:
    labels = [
        "Product system:",
        "Reference process:",
        "Reference process location:",
        "Product:",
        "Amount:",
        "Impact method:",
        "Normalisation & weighting set:",
        "Allocation method:",
        "Cutoff:",
        "Date:",
    ]
    values = [
        system,
        f"{system} process",
        location,
        f"{system} product",
        amount,
        method,
        "none",
        "none",
        "none",
        "2026-12-06",
    ]
    setup = [
        [],
        [None, "Result information"],
        *([None, label, v] for label, v in zip(labels, values, strict=True)),
    ]
    impacts = [
        [],
        [None, "Impact category UUID", "Impact category", "Reference unit", "Result"],
        [None, "u-1", category, unit, result],
        [None, "u-2", "Acidification", "mol H+ eq", 0.05],
    ]
    return xlsx({"Calculation setup": setup, "Impacts": impacts})
