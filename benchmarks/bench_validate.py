"""Validation throughput: the engine vs plain ``jsonschema`` on the same corpus.

Generates a corpus of synthetic supplier submissions with 200 bill-of-materials lines each
(about 2 % with a schema-level defect), validates it with ``compliance.validate_submission``
(parse, models, semantic checks; ``jsonschema`` only for rejected documents) and, in the same
run, with plain ``jsonschema`` (``json.loads`` + ``Draft202012Validator.is_valid`` against the
published schema, the validator built once). Checks that both give the same verdict on every
document, prints throughput, memory at two corpus sizes, and ends with the ratio line.

Run: python benchmarks/bench_validate.py [--documents 200] [--lines 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

from jsonschema import Draft202012Validator

from compliance import validate_submission
from compliance.resources import load_json_resource
from compliance.validation.schema_layer import SUBMISSION_SCHEMA_PATH

ROOT = Path(__file__).resolve().parents[1]
BASE = json.loads((ROOT / "examples/submissions/valid/nmc811-m1-ev.json").read_text("utf-8"))
MASS_UNITS = [("kg", 1.0), ("g", 1000.0), ("t", 0.001)]
DEFECTS = ("negative-mass", "missing-factor", "unknown-field", "string-number")


def make_document(rng: random.Random, lines: int, defect: str | None) -> bytes:
    """One synthetic submission; ``defect`` names a schema-level error to plant, if any."""
    doc = copy.deepcopy(BASE)
    template = doc["billOfMaterials"]
    bom = []
    for index in range(lines):
        line = copy.deepcopy(template[index % len(template)])
        line["id"] = f"line-{index:04d}"
        unit, scale = rng.choice(MASS_UNITS)
        mass = round(rng.uniform(0.01, 2.0) * scale, 6)
        line["mass"] = f"{mass} {unit}" if rng.random() < 0.5 else {"value": mass, "unit": unit}
        bom.append(line)
    doc["billOfMaterials"] = bom
    doc["battery"]["mass"] = "1 000 kg"
    if defect == "negative-mass":
        bom[rng.randrange(lines)]["mass"] = {"value": -1.0, "unit": "kg"}
    elif defect == "missing-factor":
        del bom[rng.randrange(lines)]["emissionFactor"]
    elif defect == "unknown-field":
        bom[rng.randrange(lines)]["masss"] = "1 kg"
    elif defect == "string-number":
        bom[rng.randrange(lines)]["mass"] = {"value": "1.5", "unit": "kg"}
    return json.dumps(doc).encode()


def corpus(size: int, lines: int, seed: int = 2026) -> Iterator[tuple[bytes, bool]]:
    """Documents and whether a defect was planted (generated lazily)."""
    rng = random.Random(seed)
    for _ in range(size):
        defect = rng.choice(DEFECTS) if rng.random() < 0.02 else None
        yield make_document(rng, lines, defect), defect is None


def engine_verdict(data: bytes) -> bool:
    return validate_submission(data, name="doc.json").ok


def make_baseline() -> Callable[[bytes], bool]:
    schema = load_json_resource(SUBMISSION_SCHEMA_PATH)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def baseline_verdict(data: bytes) -> bool:
        return bool(validator.is_valid(json.loads(data)))

    return baseline_verdict


def timed(
    fn: Callable[[bytes], bool], documents: list[bytes], repeat: int
) -> tuple[float, list[bool]]:
    times, verdicts = [], []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        verdicts = [fn(d) for d in documents]
        times.append(time.perf_counter() - start)
    return statistics.median(times), verdicts


def peak_memory(size: int, lines: int) -> float:
    """Peak traced memory (MiB) while streaming ``size`` documents through the engine."""
    gc.collect()
    tracemalloc.start()
    for data, _ in corpus(size, lines, seed=7):
        engine_verdict(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    generated = list(corpus(args.documents, args.lines))
    documents = [d for d, _ in generated]
    planted = [ok for _, ok in generated]
    average_kib = sum(map(len, documents)) / len(documents) / 1024
    print(
        f"corpus: {len(documents)} documents x {args.lines} BOM lines "
        f"({average_kib:.0f} KiB each), {planted.count(False)} with a planted defect"
    )

    baseline = make_baseline()
    engine_verdict(documents[0])  # warm caches (unit resolution, schema load) outside timing
    baseline(documents[0])
    engine_time, engine_verdicts = timed(engine_verdict, documents, args.repeat)
    base_time, base_verdicts = timed(baseline, documents, args.repeat)

    mismatches = sum(a != b for a, b in zip(engine_verdicts, base_verdicts, strict=True))
    wrong = sum(a != b for a, b in zip(engine_verdicts, planted, strict=True))
    print(
        f"verdicts: engine and jsonschema disagree on {mismatches} of {len(documents)}; "
        f"engine misses {wrong} planted defects"
    )
    if mismatches or wrong:
        raise SystemExit("verdicts differ: the benchmark result is not valid")

    n = len(documents)
    print(f"engine:     {n / engine_time:8.1f} documents/s  ({engine_time / n * 1000:.2f} ms each)")
    print(f"jsonschema: {n / base_time:8.1f} documents/s  ({base_time / n * 1000:.2f} ms each)")
    small, large = max(10, n // 8), max(40, n // 2)
    m_small, m_large = peak_memory(small, args.lines), peak_memory(large, args.lines)
    print(
        f"memory: peak {m_small:.1f} MiB over {small} documents, "
        f"{m_large:.1f} MiB over {large} documents (streaming)"
    )
    print(f"ratio: {base_time / engine_time:.1f}x validation throughput vs plain jsonschema")


if __name__ == "__main__":
    main()
