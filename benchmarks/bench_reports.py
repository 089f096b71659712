"""Report rendering speed: each report kind vs the same content with WeasyPrint's defaults.

For every available report kind (``cfp``; ``dd`` and ``passport`` wait for their results) and
every valid example, in English and in Japanese:

* **report**: ``render_report`` as shipped: bundled fonts (subset and embedded), the SVG chart,
  print CSS, PDF/A-3b with the result JSON attached; one renderer (one font configuration)
  reused across renders, as in the CLI and a service;
* **baseline**: the same HTML, so the same tables and text, with the stylesheets and the chart
  removed, rendered by ``weasyprint.HTML(string=...).write_pdf()`` with its defaults: system
  default fonts, no attachment, no PDF/A.

Renders alternate (report, baseline) within each round so that load from other processes hits
both alike. Prints the median seconds per report and the ratio for each language, then the
throughput of N reports rendered by 2 warmed-up worker processes vs 1 (next to the machine's own
2-process factor on a pure-CPU loop, the ceiling on a shared 2-vCPU machine), and ends with the
ratio line for the slower language (target: <= 1.5x in both languages).

Run: python benchmarks/bench_reports.py [--repeat 7] [--reports 24]
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

from weasyprint import HTML

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.reports import REPORT_KINDS, CfpReportInput, build_html, render_report
from compliance.validation import validate_submission

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "submissions" / "valid").iterdir())
AS_OF = date(2026, 11, 29)
LANGUAGES = ("en", "ja")
TARGET = 1.5
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL)
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def load_inputs() -> dict[str, CfpReportInput]:
    """The CFP report input of every valid example (validated and computed once)."""
    ruleset = load_ruleset("eu-da-2024-draft")
    library = FactorLibrary.bundled()
    inputs = {}
    for path in EXAMPLES:
        report = validate_submission(path.read_bytes(), name=path.name)
        assert report.submission is not None, report.issues[:3]
        outcome = compute_cfp(report.submission, ruleset, library=library, as_of=AS_OF)
        assert outcome.result is not None, outcome.issues[:3]
        inputs[path.name] = CfpReportInput(report.submission, outcome.result, ruleset)
    return inputs


def baseline_html(html: str) -> str:
    """The report's HTML without stylesheets and chart: same tables and text, default look."""
    return _SVG.sub("", _STYLE.sub("", html))


def compare(kind: str, inputs: dict[str, CfpReportInput], repeat: int) -> dict[str, float]:
    """Median seconds per report (report, baseline) per language; returns the ratios."""
    ratios = {}
    for language in LANGUAGES:
        documents = [
            (data, baseline_html(build_html(kind, data, language=language)[0]))
            for data in inputs.values()
        ]
        for data, plain in documents:  # warm-up: fonts, templates, caches
            render_report(kind, data, language=language)
            HTML(string=plain).write_pdf()
        report_times, baseline_times = [], []
        for _ in range(repeat):
            for data, plain in documents:
                gc.collect()
                start = time.perf_counter()
                render_report(kind, data, language=language)
                report_times.append(time.perf_counter() - start)
                gc.collect()
                start = time.perf_counter()
                HTML(string=plain).write_pdf()
                baseline_times.append(time.perf_counter() - start)
        report, baseline = statistics.median(report_times), statistics.median(baseline_times)
        ratios[language] = report / baseline
        verdict = "met" if ratios[language] <= TARGET else "NOT met"
        print(
            f"{kind} {language}: report {report:.3f} s, baseline {baseline:.3f} s (median per "
            f"report, {len(report_times)} renders each): {ratios[language]:.2f}x "
            f"(target <= {TARGET}x: {verdict})"
        )
    return ratios


_WORKER_INPUTS: dict[str, CfpReportInput] = {}


def _init_worker() -> None:
    """Load the inputs and warm the renderer (fonts registered) before any timed task."""
    _WORKER_INPUTS.update(load_inputs())
    for language in LANGUAGES:
        render_report("cfp", next(iter(_WORKER_INPUTS.values())), language=language)


def _ready(_: int) -> int:
    time.sleep(0.3)  # long enough for every worker of the pool to take one
    return os.getpid()


def _render(task: tuple[str, str, str]) -> int:
    kind, name, language = task
    return len(render_report(kind, _WORKER_INPUTS[name], language=language))


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_factor(workers: int = 2, n: int = 15_000_000) -> float:
    """Speed-up of ``workers`` processes over one on a pure-CPU loop (the machine ceiling)."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_spin, [1] * workers))
        start = time.perf_counter()
        list(pool.map(_spin, [n] * workers))
        parallel = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(workers):
        _spin(n)
    return (time.perf_counter() - start) / parallel


def throughput(kind: str, reports: int, workers: int) -> float:
    """Reports per second with ``workers`` warmed-up processes (start-up not timed)."""
    names = [p.name for p in EXAMPLES]
    tasks = [(kind, names[i % len(names)], LANGUAGES[i % 2]) for i in range(reports)]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        pids = set(pool.map(_ready, range(workers * 2)))
        assert len(pids) == workers, pids
        start = time.perf_counter()
        sizes = list(pool.map(_render, tasks))
        elapsed = time.perf_counter() - start
    assert all(size > 0 for size in sizes)
    return reports / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds over the examples")
    parser.add_argument("--reports", type=int, default=24, help="reports for the worker test")
    args = parser.parse_args()

    inputs = load_inputs()
    print(f"examples: {', '.join(inputs)}; kinds: {', '.join(REPORT_KINDS)}")
    worst = ("", "", 0.0)
    for kind in REPORT_KINDS:
        for language, ratio in compare(kind, inputs, args.repeat).items():
            if ratio > worst[2]:
                worst = (kind, language, ratio)
    one = throughput("cfp", args.reports, 1)
    two = throughput("cfp", args.reports, 2)
    print(
        f"workers: {args.reports} reports, 1 process {one:.2f}/s, 2 processes {two:.2f}/s: "
        f"{two / one:.2f}x throughput (this machine runs a pure-CPU loop "
        f"{machine_factor():.2f}x faster on 2 processes than on 1)"
    )
    kind, language, ratio = worst
    name = {"en": "English", "ja": "Japanese"}[language]
    print(
        f"ratio: {ratio:.2f}x {kind} report render time in {name} (the slower language) "
        f"vs WeasyPrint defaults on the same tables and text"
    )


if __name__ == "__main__":
    main()
