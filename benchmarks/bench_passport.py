"""Passport throughput: build + seal (canonical JSON, digest) + both exports, per passport.

Corpus: passports of the bundled EV example (the most complete one: every Annex XIII item,
dynamic data, 5 materials, 2 spare-part components) for distinct batteries (serial numbers,
state-of-health values, manufacturing month). The submission is validated and its carbon
footprint computed once, outside timing (their own benchmarks measure them). Timed per passport:

* engine: ``build_passport``, ``seal_bytes`` (passport canonicalised once with the fast RFC 8785
  path, which writes the text from the dumped passport without copying it; digest, stored bytes
  spliced), Battery Pass and Catena-X exports, both serialised to JSON
  with orjson. No process-wide memo: every passport is computed from its inputs;
* baseline, the straightforward implementation: the same build and exports, but the document
  canonicalised with the ``rfc8785`` reference implementation for the digest and again for the
  stored bytes, and the exports serialised with the standard library ``json``.

Both sides must produce byte-identical passport documents and equal export JSON (checked). Prints
both throughputs (wall clock, and process CPU time, which a shared machine disturbs less), the
engine's throughput when every passport is of another battery model,
streaming memory, and ends with the ratio line. The main corpus is one model's production run
(what a manufacturer issues passports for).

Run: python benchmarks/bench_passport.py [--passports 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import gc
import hashlib
import json
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import rfc8785

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.cfp.result import CfpResult
from compliance.models import SupplierSubmission
from compliance.passport.builder import build_passport
from compliance.passport.exports import export_batterypass, export_catenax
from compliance.passport.integrity import seal_bytes
from compliance.passport.model import Passport
from compliance.validation import validate_submission

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "submissions" / "valid" / "nmc811-m1-ev.json"
GENERATED = datetime(2027, 9, 1, 8, 0, tzinfo=UTC)
BASE_URL = "https://passport.example.org"
Inputs = tuple[SupplierSubmission, str]


def corpus(size: int, seed: int = 2027, *, distinct_models: bool = False) -> Iterator[Inputs]:
    """Validated submissions of distinct batteries and their input digests (lazily).

    ``distinct_models``: every battery also of its own model (another model name).
    """
    base = json.loads(EXAMPLE.read_text("utf-8"))
    rng = random.Random(seed)
    for index in range(size):
        document = copy.deepcopy(base)
        if distinct_models:
            document["battery"]["modelName"] = f"{base['battery']['modelName']} variant {index}"
        item = document["passport"]["item"]
        item["serialNumber"] = f"EV80-2027-{index:06d}"
        item["manufacturingDate"] = f"2027-{rng.randint(1, 12):02d}"
        condition = item["condition"]
        condition["remainingCapacity"] = round(rng.uniform(0.8, 1.0), 4)
        condition["fullCycles"] = rng.randint(0, 1500)
        condition["stateOfCharge"] = round(rng.uniform(0.1, 0.9), 3)
        data = json.dumps(document).encode()
        report = validate_submission(data, name="bench.json")
        assert report.submission is not None, report.issues
        yield report.submission, "sha256:" + hashlib.sha256(data).hexdigest()


def _build(inputs: Inputs, cfp: CfpResult) -> Passport:
    sub, digest = inputs
    passport, issues = build_passport(
        sub, generated_at=GENERATED, submission_digest=digest, base_url=BASE_URL, cfp=cfp
    )
    assert passport is not None, issues
    return passport


def engine(inputs: Inputs, cfp: CfpResult) -> tuple[bytes, bytes, bytes]:
    passport = _build(inputs, cfp)
    sealed = seal_bytes(passport)
    battery_pass = export_batterypass(passport)
    catenax, _ = export_catenax(passport)
    assert catenax is not None
    return (
        sealed.data,
        battery_pass.to_json(),
        catenax.to_json(),
    )


def baseline(inputs: Inputs, cfp: CfpResult) -> tuple[bytes, bytes, bytes]:
    passport = _build(inputs, cfp)
    body: dict[str, Any] = {
        "passport": passport.model_dump(mode="json"),
        "version": 1,
        "previousDigest": None,
    }
    digest = "sha256:" + hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    stored = rfc8785.dumps({**body, "digest": digest, "signature": None})
    battery_pass = export_batterypass(passport)
    catenax, _ = export_catenax(passport)
    assert catenax is not None
    return (
        stored,
        json.dumps(battery_pass.to_dict(), ensure_ascii=False).encode(),
        json.dumps(catenax.to_dict(), ensure_ascii=False).encode(),
    )


@dataclass(frozen=True)
class Timing:
    """Median wall-clock and CPU seconds of one pass over a corpus."""

    wall: float
    cpu: float
    """Process CPU time: on a shared machine, what one core spends (waiting excluded)."""

    def line(self, label: str, n: int) -> str:
        return (
            f"{label:9} {n / self.wall:8.1f} passports/s  ({self.wall / n * 1000:.3f} ms each); "
            f"CPU time {n / self.cpu:8.1f} passports/s  ({self.cpu / n * 1000:.3f} ms each)"
        )


def timed(
    fn: Callable[[Inputs, CfpResult], tuple[bytes, bytes, bytes]],
    corpus_inputs: list[Inputs],
    cfp: CfpResult,
    repeat: int,
) -> tuple[Timing, list[tuple[bytes, bytes, bytes]]]:
    walls, cpus, outputs = [], [], []
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        outputs = [fn(inputs, cfp) for inputs in corpus_inputs]
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return Timing(statistics.median(walls), statistics.median(cpus)), outputs


def peak_memory(inputs: list[Inputs], cfp: CfpResult, count: int) -> float:
    """Peak traced memory (MiB) while streaming ``count`` passports through the engine."""
    gc.collect()
    tracemalloc.start()
    for index in range(count):
        engine(inputs[index % len(inputs)], cfp)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passports", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    inputs = list(corpus(args.passports))
    outcome = compute_cfp(
        inputs[0][0],
        load_ruleset("eu-da-2024-draft"),
        library=FactorLibrary.bundled([]),
        as_of=date(2027, 9, 1),
        trace=False,
    )
    assert outcome.result is not None
    cfp = outcome.result
    sample = engine(inputs[0], cfp)
    print(
        f"corpus: {len(inputs)} passports of the EV example; per passport "
        f"{len(sample[0]) / 1024:.1f} KiB sealed JSON, {len(sample[1]) / 1024:.1f} KiB Battery "
        f"Pass export, {len(sample[2]) / 1024:.1f} KiB Catena-X export"
    )
    baseline(inputs[0], cfp)
    engine_time, engine_out = timed(engine, inputs, cfp, args.repeat)
    base_time, base_out = timed(baseline, inputs, cfp, args.repeat)
    differing = sum(
        a[0] != b[0] or json.loads(a[1]) != json.loads(b[1]) or json.loads(a[2]) != json.loads(b[2])
        for a, b in zip(engine_out, base_out, strict=True)
    )
    print(f"outputs: engine and baseline differ on {differing} of {len(inputs)} passports")
    if differing:
        raise SystemExit("outputs differ: the benchmark result is not valid")
    n = len(inputs)
    print(engine_time.line("engine:", n))
    print(base_time.line("baseline:", n))
    others = list(corpus(max(100, n // 4), seed=7, distinct_models=True))
    other_time, _ = timed(engine, others, cfp, args.repeat)
    print("engine, every passport of another battery model:")
    print(other_time.line("engine:", len(others)))
    small, large = max(50, n // 8), max(200, n // 2)
    m_small, m_large = peak_memory(inputs, cfp, small), peak_memory(inputs, cfp, large)
    print(
        f"memory: peak {m_small:.2f} MiB over {small} passports, "
        f"{m_large:.2f} MiB over {large} passports (streaming)"
    )
    print(
        f"ratio: {base_time.wall / engine_time.wall:.1f}x passport build+seal+export throughput vs "
        "rfc8785 reference canonicalisation and stdlib JSON"
    )


if __name__ == "__main__":
    main()
