"""Report rendering speed: each report kind vs the same content with WeasyPrint's defaults.

For every report kind and its examples (``cfp``: the valid submissions; ``dd``: the valid
questionnaires scored as of 2026-01-15; ``passport``: the full sheet of the passport of each valid
submission, built as of 2027-09-01), in English and in Japanese:

* **report**: ``render_report`` as shipped: bundled fonts (subset and embedded), the SVG charts
  and QR code, print CSS, PDF/A-3b with the result JSON attached; one renderer (one font
  configuration) reused across renders, as in the CLI and a service;
* **baseline**: the same HTML, so the same tables and text, with the stylesheets and the SVG
  (charts, QR code) removed, rendered by ``weasyprint.HTML(string=...).write_pdf()`` with its
  defaults: system default fonts, no attachment, no PDF/A.

Renders alternate (report, baseline) within each round so that load from other processes hits
both alike. Prints the median seconds per report and the ratio for each language, then the
throughput of N reports (every kind in turn) rendered by 2 warmed-up worker processes vs 1 (next
to the machine's own 2-process factor on a pure-CPU loop, the ceiling on a shared 2-vCPU
machine), and ends with the ratio line of the slowest kind and language (target: <= 1.5x for
every kind in both languages).

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
from datetime import UTC, date, datetime
from pathlib import Path

from weasyprint import HTML

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.dd import load_catalogue, score_questionnaire, validate_questionnaire
from compliance.passport.integrity import seal_bytes
from compliance.passport.model import AccessLevel
from compliance.pipeline import CfpSetup, PassportRequest, run_submission
from compliance.reports import (
    REPORT_KINDS,
    CfpReportInput,
    DdReportInput,
    build_html,
    render_report,
    sheet_input,
)
from compliance.validation import validate_submission

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "submissions" / "valid").iterdir())
QUESTIONNAIRES = sorted((ROOT / "examples" / "questionnaires" / "valid").iterdir())
AS_OF = date(2026, 11, 29)
DD_AS_OF = date(2026, 1, 15)
PASSPORT_AS_OF = date(2027, 9, 1)
LANGUAGES = ("en", "ja")
TARGET = 1.5
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL)
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def cfp_inputs() -> dict[str, object]:
    """The CFP report input of every valid example (validated and computed once)."""
    ruleset = load_ruleset("eu-da-2024-draft")
    library = FactorLibrary.bundled()
    inputs: dict[str, object] = {}
    for path in EXAMPLES:
        report = validate_submission(path.read_bytes(), name=path.name)
        assert report.submission is not None, report.issues[:3]
        outcome = compute_cfp(report.submission, ruleset, library=library, as_of=AS_OF)
        assert outcome.result is not None, outcome.issues[:3]
        inputs[path.name] = CfpReportInput(report.submission, outcome.result, ruleset)
    return inputs


def dd_inputs() -> dict[str, object]:
    """The DD report input of every valid example questionnaire (scored once)."""
    inputs: dict[str, object] = {}
    for path in QUESTIONNAIRES:
        report = validate_questionnaire(path.read_bytes(), as_of=DD_AS_OF, name=path.name)
        assert report.questionnaire is not None, report.issues[:3]
        result = score_questionnaire(report.questionnaire, as_of=DD_AS_OF)
        inputs[path.name] = DdReportInput(report.questionnaire, result, load_catalogue())
    return inputs


def passport_inputs() -> dict[str, object]:
    """The full passport sheet of every valid example (built, sealed, completeness once)."""
    ruleset = load_ruleset("eu-da-2024-draft")
    library = FactorLibrary.bundled()
    inputs: dict[str, object] = {}
    for path in EXAMPLES:
        outcome = run_submission(
            path.read_bytes(),
            name=path.name,
            setup=CfpSetup(ruleset, library),
            as_of=PASSPORT_AS_OF,
            passport=PassportRequest(
                datetime(2027, 9, 1, 8, tzinfo=UTC), "https://passport.example.org"
            ),
        )
        assert outcome.passport is not None, outcome.issues[:3]
        document = seal_bytes(outcome.passport).document
        inputs[path.name] = sheet_input(document, AccessLevel.FULL, as_of=PASSPORT_AS_OF)
    return inputs


def load_inputs() -> dict[str, dict[str, object]]:
    """Per report kind, the input of each of its examples."""
    loaders = {"cfp": cfp_inputs, "dd": dd_inputs, "passport": passport_inputs}
    assert sorted(loaders) == sorted(REPORT_KINDS), "a report kind without benchmark inputs"
    return {kind: loaders[kind]() for kind in REPORT_KINDS}


def baseline_html(html: str) -> str:
    """The report's HTML without stylesheets and chart: same tables and text, default look."""
    return _SVG.sub("", _STYLE.sub("", html))


def compare(kind: str, inputs: dict[str, object], repeat: int) -> dict[str, float]:
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


_WORKER_INPUTS: dict[str, dict[str, object]] = {}


def _init_worker() -> None:
    """Load the inputs and warm the renderer (fonts registered) before any timed task."""
    _WORKER_INPUTS.update(load_inputs())
    for kind, inputs in _WORKER_INPUTS.items():
        for language in LANGUAGES:
            render_report(kind, next(iter(inputs.values())), language=language)


def _ready(_: int) -> int:
    time.sleep(0.3)  # long enough for every worker of the pool to take one
    return os.getpid()


def _render(task: tuple[str, str, str]) -> int:
    kind, name, language = task
    return len(render_report(kind, _WORKER_INPUTS[kind][name], language=language))


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


def throughput(cases: list[tuple[str, str]], reports: int, workers: int) -> float:
    """Reports per second with ``workers`` warmed-up processes (start-up not timed).

    Args:
        cases: (kind, example) pairs, rendered in turn, alternating the languages.
        reports: Number of reports.
        workers: Number of processes.
    """
    tasks = [(*cases[i % len(cases)], LANGUAGES[i % 2]) for i in range(reports)]
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
    for kind, examples in inputs.items():
        print(f"{kind}: {', '.join(examples)}")
    worst = ("", "", 0.0)
    for kind in REPORT_KINDS:
        for language, ratio in compare(kind, inputs[kind], args.repeat).items():
            if ratio > worst[2]:
                worst = (kind, language, ratio)
    cases = [(kind, name) for kind, examples in inputs.items() for name in examples]
    one = throughput(cases, args.reports, 1)
    two = throughput(cases, args.reports, 2)
    print(
        f"workers: {args.reports} reports, 1 process {one:.2f}/s, 2 processes {two:.2f}/s: "
        f"{two / one:.2f}x throughput (this machine runs a pure-CPU loop "
        f"{machine_factor():.2f}x faster on 2 processes than on 1)"
    )
    kind, language, ratio = worst
    name = {"en": "English", "ja": "Japanese"}[language]
    print(
        f"ratio: {ratio:.2f}x {kind} report render time in {name} (the slowest kind and "
        f"language) vs WeasyPrint defaults on the same tables and text"
    )


if __name__ == "__main__":
    main()
