"""CFP calculation throughput: the engine vs a naive pint implementation on the same corpus.

Corpus: synthetic submissions with 200 bill-of-materials lines each, every line with the full
input side and recycling side of the Circular Footprint Formula (R1, A, Qsin/Qp, Erec, R2, E*v,
ErecEoL, Qsout/Qp) and masses and factors in mixed units (g, kg, t; per kg, per t). Both sides start
from the same parsed documents; validation is not timed (the naive side has none).

The end-to-end line times what a user waits for: the submission's JSON bytes through
``validate_submission`` (parse, models, semantic checks) and ``compute_cfp``, with the CPU time
(``time.process_time``) beside the wall clock, which a shared machine makes noisy.

* engine: ``compute_cfp(..., trace=False)`` under ``eu-da-2024-draft`` (units resolved once per
  distinct string at validation, then float arithmetic on canonical magnitudes);
* naive reference, the obvious implementation: a pint ``Quantity`` per value of every line,
  the CFF evaluated with pint arithmetic and each product converted to kg CO2e.

Both must agree within 1e-9 relative on every stage of every document (checked here). Prints
both throughputs and ends with the ratio line.

Run: python benchmarks/bench_cfp.py [--documents 20] [--lines 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import math
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from compliance.cfp import FactorLibrary, compute_cfp, load_ruleset
from compliance.models import SupplierSubmission
from compliance.units import parse_quantity_string, ureg
from compliance.validation import validate_submission

AS_OF = date(2026, 11, 29)
MASS_UNITS = [("kg", 1.0), ("g", 1000.0), ("t", 0.001)]
FACTOR_UNITS = [
    ("kg CO2e/kg", 1.0),
    ("t CO2e/t", 1.0),
    ("kg CO2e/t", 1000.0),
    ("g CO2e/kg", 1000.0),
]
STAGES = ("raw-material", "main-production", "distribution", "end-of-life")


def _factor(rng: random.Random, low: float, high: float) -> dict[str, str]:
    unit, scale = rng.choice(FACTOR_UNITS)
    return {"value": f"{rng.uniform(low, high) * scale:.6g} {unit}", "source": "synthetic"}


def make_document(rng: random.Random, lines: int) -> dict[str, Any]:
    """A valid submission with ``lines`` full CFF material lines."""
    bom = []
    for index in range(lines):
        unit, scale = rng.choice(MASS_UNITS)
        bom.append(
            {
                "id": f"l{index:04d}",
                "material": f"material {index}",
                "mass": f"{rng.uniform(0.05, 2.0) * scale:.6g} {unit}",
                "emissionFactor": _factor(rng, 1, 30),
                "circularity": {
                    "recycledContent": round(rng.uniform(0, 0.5), 4),
                    "allocationFactor": round(rng.uniform(0.2, 0.8), 4),
                    "qualityRatioInput": round(rng.uniform(0.7, 1), 4),
                    "recycledInputFactor": _factor(rng, 0.5, 5),
                    "recyclingOutputRate": round(rng.uniform(0, 0.95), 4),
                    "recyclingEolFactor": _factor(rng, 0.2, 3),
                    "substitutedVirginFactor": _factor(rng, 1, 30),
                    "qualityRatioOutput": round(rng.uniform(0.7, 1), 4),
                },
            }
        )
    return {
        "schemaVersion": "1.0.0",
        "manufacturer": {"name": "Bench", "address": {"city": "Berlin", "country": "DE"}},
        "plant": {"name": "P", "facilityId": "P1", "address": {"city": "Berlin", "country": "DE"}},
        "battery": {
            "modelIdentifier": "B",
            "category": "ev",
            "vehicleClass": "M1",
            "chemistry": "NMC811",
            "mass": "1 t",
            "ratedCapacity": "200 Ah",
            "nominalVoltage": "400 V",
            "usableEnergyBol": "75 kWh",
        },
        "warranty": {"period": "8 year", "distance": "160 000 km"},
        "billOfMaterials": bom,
    }


def _q(wire: Any) -> Any:
    value, unit = (
        parse_quantity_string(wire) if isinstance(wire, str) else (wire["value"], wire["unit"])
    )
    return ureg.Quantity(value, unit.replace("CO2e", " CO2e"))


def naive_cfp(doc: dict[str, Any]) -> dict[str, float]:
    """The obvious implementation: pint quantities everywhere (kg CO2e per FU per stage)."""
    zero = ureg.Quantity(0.0, "kg CO2e")
    totals = dict.fromkeys(STAGES, zero)
    for line in doc["billOfMaterials"]:
        mass = _q(line["mass"])
        ev = _q(line["emissionFactor"]["value"])
        cff = line["circularity"]
        r1, a = cff["recycledContent"], cff["allocationFactor"]
        r2, q_in, q_out = (
            cff["recyclingOutputRate"],
            cff["qualityRatioInput"],
            cff["qualityRatioOutput"],
        )
        e_rec = _q(cff["recycledInputFactor"]["value"])
        e_rec_eol = _q(cff["recyclingEolFactor"]["value"])
        e_star = _q(cff["substitutedVirginFactor"]["value"])
        input_side = (mass * (1 - r1) * ev).to("kg CO2e")
        input_side += (mass * r1 * a * e_rec).to("kg CO2e")
        input_side += (mass * r1 * (1 - a) * q_in * ev).to("kg CO2e")
        recycling = (mass * (1 - a) * r2 * e_rec_eol).to("kg CO2e")
        recycling += (-mass * (1 - a) * r2 * q_out * e_star).to("kg CO2e")
        totals["raw-material"] = totals["raw-material"] + input_side
        totals["end-of-life"] = totals["end-of-life"] + recycling
    battery, warranty = doc["battery"], doc["warranty"]
    years = min(
        _q(warranty["period"]).to("year").magnitude,
        (_q(warranty["distance"]) / ureg.Quantity(20000, "km")).to("").magnitude,
    )
    fu = _q(battery["usableEnergyBol"]) * 60 * years
    return {stage: (value / fu).to("kg CO2e/kWh").magnitude for stage, value in totals.items()}


def engine_cfp(submission: SupplierSubmission) -> dict[str, float]:
    outcome = compute_cfp(submission, RULESET, library=LIBRARY, as_of=AS_OF, trace=False)
    assert outcome.result is not None
    return {s.stage.value: s.per_unit.value for s in outcome.result.stages}


def end_to_end(data: bytes) -> dict[str, float]:
    """Bytes -> validated submission -> CFP per stage, as ``compliance cfp`` runs it."""
    report = validate_submission(data)
    if report.submission is None:
        raise SystemExit(f"generated submission invalid: {report.issues[:3]}")
    return engine_cfp(report.submission)


RULESET = load_ruleset("eu-da-2024-draft")
LIBRARY = FactorLibrary.bundled()


def timed(
    fn: Callable[[Any], dict[str, float]], items: list[Any], repeat: int
) -> tuple[float, list[dict[str, float]]]:
    times, results = [], []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        results = [fn(item) for item in items]
        times.append(time.perf_counter() - start)
    return statistics.median(times), results


def timed_cpu(
    fn: Callable[[Any], dict[str, float]], items: list[Any], repeat: int
) -> tuple[float, float, list[dict[str, float]]]:
    """Median wall-clock and CPU seconds of ``repeat`` passes, and the last results."""
    walls, cpus, results = [], [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        results = [fn(item) for item in items]
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(2026)
    documents = [make_document(rng, args.lines) for _ in range(args.documents)]
    submissions = []
    for doc in documents:
        report = validate_submission(copy.deepcopy(doc))
        assert report.ok, report.issues[:3]
        assert report.submission is not None
        submissions.append(report.submission)
    blobs = [json.dumps(doc).encode() for doc in documents]
    engine_cfp(submissions[0])
    naive_cfp(documents[0])
    end_to_end(blobs[0])

    engine_time, engine_results = timed(engine_cfp, submissions, args.repeat)
    naive_time, naive_results = timed(naive_cfp, documents, args.repeat)
    e2e_wall, e2e_cpu, e2e_results = timed_cpu(end_to_end, blobs, args.repeat)
    if e2e_results != engine_results:
        raise SystemExit("end to end and engine disagree: the benchmark is not valid")
    worst = max(
        abs(e[s] - n[s]) / max(abs(n[s]), 1e-300)
        for e, n in zip(engine_results, naive_results, strict=True)
        for s in STAGES
        if n[s] != 0 or e[s] != 0
    )
    print(f"corpus: {args.documents} submissions x {args.lines} CFF material lines")
    print(f"agreement: worst relative difference {worst:.2e} over every stage (limit 1e-9)")
    if not worst <= 1e-9 or any(math.isnan(v) for r in engine_results for v in r.values()):
        raise SystemExit("results differ: the benchmark is not valid")
    n = len(documents)
    print(f"engine: {n / engine_time:9.1f} submissions/s ({engine_time / n * 1000:.3f} ms each)")
    print(f"naive:  {n / naive_time:9.1f} submissions/s ({naive_time / n * 1000:.3f} ms each)")
    print(
        f"end to end (bytes, validate, CFP): {n / e2e_wall:7.1f} submissions/s wall, "
        f"{n / e2e_cpu:7.1f}/s CPU ({e2e_cpu / n * 1000:.3f} ms CPU each; naive CFP alone "
        f"{n / naive_time:.1f}/s)"
    )
    print(
        f"ratio: {naive_time / engine_time:.0f}x CFP throughput vs naive pint per-line quantities"
    )


if __name__ == "__main__":
    main()
