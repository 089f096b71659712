"""Factor import of a large ecoinvent cumulative LCIA workbook: time and peak memory.

Corpus: a synthetic workbook in the ecoinvent layout (sheet ``LCIA``, 4 header rows, 5
identification columns) with ``--rows`` activities (default 5,000) and ``--columns`` impact
columns (default 200; the real file has about 20,000 x 700), written once to a temporary file.

* engine: ``compliance.cfp.factor_import.import_factors`` as shipped: the header rows are read
  first, then the sheet is streamed row by row, keeping only the identification cells and the
  chosen column.
* baseline: the same import after first holding every row of the sheet (what the first version
  of the importer did: ``tuple(ws.iter_rows(values_only=True))`` of every sheet).

Each configuration runs in a fresh subprocess reporting its wall time and peak RSS
(``resource.getrusage``). Ends with the ratio line of the peak RSS above the interpreter's
start (baseline / engine).

Measured (2 cores shared with other jobs, 5,000 x 200, 4.1 MiB workbook): engine 31.6 s,
+35.7 MiB during the import; baseline 22.4 s, +74.6 MiB (wall times are noisy on the shared
machine; the whole-sheet parse by openpyxl dominates both): ``ratio: 2.1x``.

Run: python benchmarks/bench_factor_import.py [--rows 5000] [--columns 200]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from compliance.cfp.factor_import import ImportOptions, import_factors
from compliance.cfp.factor_import import tables
path, mode = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
if mode == "baseline":
    original = tables.Sheet
    class Held(original):
        def __init__(self, name, open_rows):
            rows = tuple(open_rows())
            super().__init__(name, lambda: iter(rows))
    tables.Sheet = Held
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
result = import_factors([("lcia.xlsx", data)], ImportOptions(
    layout="ecoinvent", dataset_id="bench", version="1", licence="test"))
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert result.ok, result.issues[:3]
print(json.dumps({"seconds": elapsed, "peak_kib": peak, "base_kib": base,
                  "factors": len(result.dataset.factors)}))
"""


def write_workbook(path: Path, rows: int, columns: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("LCIA")
    meta = ["Activity UUID_Product UUID", "Activity Name", "Geography"]
    meta += ["Reference Product Name", "Reference Product Unit"]
    blank = [None] * len(meta)
    methods = ["IPCC 2021"] + [f"method {i}" for i in range(1, columns)]
    categories = ["climate change: total (excl. biogenic CO2)"]
    categories += [f"category {i}" for i in range(1, columns)]
    indicators = ["global warming potential (GWP100)"]
    indicators += [f"indicator {i}" for i in range(1, columns)]
    sheet.append(blank + methods)
    sheet.append(blank + categories)
    sheet.append(blank + indicators)
    sheet.append(meta + ["kg CO2-Eq"] + ["unit x"] * (columns - 1))
    for r in range(rows):
        values = [0.001 * ((r * 7 + c) % 997) for c in range(columns)]
        sheet.append([f"a{r}_p{r}", f"activity {r}", "GLO", f"product {r}", "kg", *values])
    book.save(path)


def measure(path: Path, mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--columns", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "lcia.xlsx"
        t0 = time.perf_counter()
        write_workbook(path, args.rows, args.columns)
        print(
            f"workbook: {args.rows} rows x {args.columns} impact columns, "
            f"{path.stat().st_size / 2**20:.1f} MiB, written in {time.perf_counter() - t0:.1f} s"
        )
        results = {mode: measure(path, mode) for mode in ("engine", "baseline")}
    for mode, r in results.items():
        grown = (r["peak_kib"] - r["base_kib"]) / 1024
        print(
            f"{mode:9s} {r['seconds']:7.2f} s  peak RSS {r['peak_kib'] / 1024:7.1f} MiB "
            f"(+{grown:.1f} MiB during the import), {int(r['factors'])} factors"
        )
    engine = max(results["engine"]["peak_kib"] - results["engine"]["base_kib"], 1)
    baseline = results["baseline"]["peak_kib"] - results["baseline"]["base_kib"]
    print(f"ratio: {baseline / engine:.1f}x less memory growth streaming vs holding the sheet")


if __name__ == "__main__":
    main()
    sys.exit(0)
