"""DD scoring throughput: the engine vs a naive scorer, on full synthetic questionnaires.

Corpus: questionnaires with all six materials in scope (cobalt, natural graphite, lithium, nickel,
copper, mica), 50 processors and 10 mines per material (``--processors``), an evidence register,
and every catalogue question answered (values drawn at random with a fixed seed, so
contradictions, red flags and per-material differences all occur). The questionnaires are
validated once, outside the timing (parse, schema, models and the catalogue checks, which read
every answer into its canonical value: ``validate_questionnaire``).

* engine: ``score_questionnaire(q, catalogue, tables, as_of=..., checked=report.checked)`` with
  the catalogue compiled once (with its plan per date), the reference tables loaded once, and
  the catalogue checks validation ran reused (they ran on the same questionnaire, catalogue and
  date).
* baseline: the same scorer, but re-reading, re-validating (schema + models) and re-compiling the
  rule files and reference tables for every questionnaire, as a scorer without a compiled,
  cached catalogue would (with a new catalogue the scorer re-runs the catalogue checks too).

The end-to-end line times the whole path from JSON bytes (parse, validate, score), wall clock
and CPU time (target: 300/s floor, 500/s aim on one core, issue 15).

Both must give identical results (checked). Prints the scoring throughput (target >= 1,000
questionnaires/s on one core), the end-to-end throughput (JSON bytes -> validation -> score),
peak memory at two corpus sizes (flat when streaming), and ends with the ratio line.

Run: python benchmarks/bench_dd.py [--questionnaires 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from compliance.dd import (
    QuestionnaireReport,
    load_catalogue,
    load_reference_tables,
    read_catalogue,
    read_reference_tables,
    score_questionnaire,
    validate_questionnaire,
)
from compliance.dd.rules.answers import AnswerType
from compliance.dd.rules.catalogue import Catalogue
from compliance.models.dd_rules import AnswerKind

AS_OF = date(2026, 1, 15)
MATERIALS = ["cobalt", "natural-graphite", "lithium", "nickel", "copper", "mica"]
FACILITIES = {
    "cobalt": ["DEMO-CO-001", "DEMO-CO-002", "DEMO-CO-003", "DEMO-CO-004"],
    "nickel": ["DEMO-NI-001", "DEMO-NI-002", "DEMO-NI-003"],
    "lithium": ["DEMO-LI-001", "DEMO-LI-002", "DEMO-LI-003"],
    "natural-graphite": ["DEMO-GR-001", "DEMO-GR-002"],
    "copper": ["DEMO-CU-001"],
    "mica": ["DEMO-MI-001"],
}
COUNTRIES = ["FI", "AU", "CL", "CN", "ID", "CA", "BR", "CD", "RW", "ZA"]


def _value(rng: random.Random, answer: AnswerType) -> Any:
    if answer.kind is AnswerKind.CHOICE:
        options = [o for o in answer.options if o != "not-applicable"]
        # mostly favourable answers, so the questionnaires look like real ones
        favourable = [o for o in options if answer.options[o].favourable]
        return rng.choice(favourable if favourable and rng.random() < 0.8 else options)
    if answer.kind is AnswerKind.MULTI:
        return rng.sample(answer.multi_options, k=rng.randint(1, len(answer.multi_options)))
    if answer.kind is AnswerKind.PERCENT:
        return float(rng.choice([100, 100, 95, 80, 60, 30]))
    return float(rng.choice([10, 7, 5, 3]))


def make_questionnaire(rng: random.Random, catalogue: Catalogue, processors: int) -> bytes:
    """One full questionnaire as JSON bytes."""
    answers = []
    for question in catalogue.questions.values():
        if not question.scored or question.answer is None:
            continue
        targets: list[str | None] = list(MATERIALS) if question.per_material else [None]
        for material in targets:
            answer: dict[str, Any] = {
                "question": question.id,
                "value": _value(rng, question.answer),
                "evidence": [rng.choice(["audit", "policy", "records"])],
            }
            if material is not None:
                answer["material"] = material
            answers.append(answer)
    rows, mines = [], []
    for material in MATERIALS:
        for index in range(processors):
            rows.append(
                {
                    "id": f"{material}-p{index}",
                    "material": material,
                    "name": f"Processor {index} for {material}",
                    "facilityId": rng.choice(FACILITIES[material] + ["OTHER-1", "OTHER-2"]),
                    "country": rng.choice(COUNTRIES),
                    "identified": rng.random() > 0.02,
                    "feedstockFullyRecycled": "no",
                    "sharePct": 2.0,
                }
            )
        for index in range(10):
            mines.append(
                {
                    "id": f"{material}-m{index}",
                    "material": material,
                    "name": f"Mine {index}",
                    "country": rng.choice(COUNTRIES),
                    "processor": f"{material}-p{index % processors}",
                    "asm": rng.choice(["no", "no", "no", "yes", "unknown"]),
                }
            )
    document = {
        "schemaVersion": "1.0.0",
        "header": {
            "supplier": {"name": "Benchmark Materials Ltd"},
            "roles": ["cam-aam-maker"],
            "effectiveDate": "2025-09-30",
            "authorizer": {"name": "Bench Mark", "email": "bench@example.com"},
            "contact": {"name": "DD Desk", "email": "dd@example.com"},
        },
        "materials": [
            {"material": m, "present": "yes", "recycledSharePct": 0.0, "fullyRecycled": "no"}
            for m in MATERIALS
        ],
        "answers": answers,
        "processors": rows,
        "mines": mines,
        "evidence": [
            {
                "id": "audit",
                "type": "audit-report",
                "thirdParty": True,
                "issuer": "Auditor AG",
                "uri": "https://audit.example/r.pdf",
                "issued": "2025-06-01",
                "validUntil": "2027-06-01",
            },
            {
                "id": "policy",
                "type": "policy",
                "uri": "https://example.com/policy.pdf",
                "issued": "2024-01-01",
            },
            {"id": "records", "type": "records", "title": "Internal records"},
        ],
    }
    return json.dumps(document).encode()


def corpus(size: int, processors: int, seed: int = 2026) -> Iterator[bytes]:
    """Questionnaires generated lazily."""
    rng = random.Random(seed)
    catalogue = load_catalogue()
    for _ in range(size):
        yield make_questionnaire(rng, catalogue, processors)


def validated(data: bytes) -> QuestionnaireReport:
    report = validate_questionnaire(data, as_of=AS_OF)
    if not report.ok or report.questionnaire is None:
        raise SystemExit(f"generated questionnaire invalid: {report.issues[:3]}")
    return report


def engine(report: QuestionnaireReport) -> tuple[float, str]:
    assert report.questionnaire is not None
    result = score_questionnaire(
        report.questionnaire,
        load_catalogue(),
        load_reference_tables(),
        as_of=AS_OF,
        checked=report.checked,
    )
    return result.maturity.score, result.risk.level


def baseline(report: QuestionnaireReport) -> tuple[float, str]:
    assert report.questionnaire is not None
    catalogue, tables = read_catalogue(), read_reference_tables()
    result = score_questionnaire(
        report.questionnaire, catalogue, tables, as_of=AS_OF, checked=report.checked
    )
    return result.maturity.score, result.risk.level


def timed(
    fn: Callable[[QuestionnaireReport], tuple[float, str]],
    items: list[QuestionnaireReport],
    repeat: int,
) -> tuple[float, float, list[tuple[float, str]]]:
    """Median wall-clock and CPU seconds of ``repeat`` passes, and the last pass's results."""
    walls, cpus, results = [], [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        results = [fn(q) for q in items]
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), results


def end_to_end(documents: list[bytes], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (``time.process_time``, steadier on a shared machine)
    of ``repeat`` passes from JSON bytes to the score."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        for data in documents:
            engine(validated(data))
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)


def peak_memory(size: int, processors: int) -> float:
    """Peak traced memory (MiB) streaming ``size`` questionnaires through validation + scoring."""
    gc.collect()
    tracemalloc.start()
    for data in corpus(size, processors, seed=7):
        engine(validated(data))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questionnaires", type=int, default=400)
    parser.add_argument("--processors", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-sample", type=int, default=20)
    args = parser.parse_args()

    documents = list(corpus(args.questionnaires, args.processors))
    items = [validated(d) for d in documents]
    answers = sum(len(r.questionnaire.answers) for r in items if r.questionnaire) / len(items)
    print(
        f"corpus: {len(items)} questionnaires, 6 materials, {args.processors} processors and 10 "
        f"mines per material, {answers:.0f} answers each "
        f"({sum(map(len, documents)) / len(documents) / 1024:.0f} KiB JSON)"
    )
    engine(items[0])  # warm the cached catalogue and tables outside the timing
    engine_time, engine_cpu, engine_results = timed(engine, items, args.repeat)
    sample = items[: args.baseline_sample]
    base_time, _, base_results = timed(baseline, sample, 1)
    if base_results != engine_results[: len(sample)]:
        raise SystemExit("engine and baseline disagree: the benchmark result is not valid")
    n, m = len(items), len(sample)
    engine_rate, base_rate = n / engine_time, m / base_time
    levels = sorted({r for _, r in engine_results})
    print(f"results: engine and baseline agree on {m} of {m}; risk levels seen: {levels}")
    print(
        f"engine:   {engine_rate:8.1f} questionnaires/s  ({engine_time / n * 1000:.3f} ms each); "
        f"{n / engine_cpu:.1f}/s CPU ({engine_cpu / n * 1000:.3f} ms CPU each)"
    )
    print(f"baseline: {base_rate:8.1f} questionnaires/s  ({base_time / m * 1000:.3f} ms each)")
    e2e_n = max(50, n // 4)
    e2e_wall, e2e_cpu = end_to_end(documents[:e2e_n], args.repeat)
    print(
        f"end to end (parse, validate, score): {e2e_n / e2e_wall:8.1f} questionnaires/s wall, "
        f"{e2e_n / e2e_cpu:.1f}/s CPU ({e2e_cpu / e2e_n * 1000:.3f} ms CPU each)"
    )
    small, large = max(10, n // 8), max(40, n // 2)
    m_small, m_large = peak_memory(small, args.processors), peak_memory(large, args.processors)
    print(
        f"memory: peak {m_small:.1f} MiB over {small} questionnaires, "
        f"{m_large:.1f} MiB over {large} questionnaires (streaming)"
    )
    print(
        f"ratio: {engine_rate / base_rate:.1f}x DD scoring throughput vs re-loading the "
        "catalogue per questionnaire"
    )


if __name__ == "__main__":
    main()
