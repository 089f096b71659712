"""CLI start-up: wall-clock time of the commands a person types, beside the interpreter alone.

Each command runs as a fresh process, the way a shell or a CI job starts it (the console script
of this environment), alternating with the baseline so that both see the same machine:

* baseline: ``python -c pass`` (the interpreter's own start-up, the floor of any Python tool);
* ``compliance --help``;
* ``compliance validate examples/submissions/valid/lmt-ebike.json`` (one small file, exit 0).

Targets (issue 15): ``--help`` <= 0.3 s and ``validate`` of one small file <= 0.5 s, wall clock.
Prints the median and the best of ``--runs`` runs of each, what ``-X importtime`` says the
largest imports are, and ends with the ratio line.

Run: python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPLIANCE = str(Path(sys.executable).with_name("compliance"))
SMALL = str(ROOT / "examples" / "submissions" / "valid" / "lmt-ebike.json")
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "compliance --help": [COMPLIANCE, "--help"],
    "compliance validate FILE": [COMPLIANCE, "validate", SMALL],
}
TARGETS = {"compliance --help": 0.3, "compliance validate FILE": 0.5}


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def largest_imports(args: list[str], top: int = 6) -> list[tuple[float, str]]:
    """The slowest top-level packages imported by ``compliance ARGS`` (``python -X importtime``).

    Each package's own import time summed over its modules (cumulative times nest, so they
    would count a module once per importer).
    """
    script = (
        "import sys; sys.argv = ['compliance', *sys.argv[1:]]\n"
        "from compliance.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", script, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    totals: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _, name = (part.strip() for part in line[len("import time:") :].split("|"))
        if own.isdigit():
            package = name.split(".")[0]
            totals[package] = totals.get(package, 0.0) + int(own) / 1e6
    return sorted(((t, p) for p, t in totals.items()), reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    for argv in COMMANDS.values():  # warm the file-system cache and the .pyc files
        wall(argv)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, argv in COMMANDS.items():
            times[name].append(wall(argv))

    print(f"{args.runs} runs each, alternating; wall clock")
    for name, samples in times.items():
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            met = statistics.median(samples) <= target
            verdict = f"  target <= {target:.1f} s: {'met' if met else 'NOT met'}"
        print(
            f"{name:28s} median {statistics.median(samples):6.3f} s  "
            f"best {min(samples):6.3f} s{verdict}"
        )
    for label, argv in (("--help", ["--help"]), ("validate FILE", ["validate", SMALL])):
        shown = ", ".join(f"{p} {t:.3f} s" for t, p in largest_imports(argv))
        print(f"largest imports of compliance {label} (own time per package): {shown}")
    base = statistics.median(times["python -c pass"])
    help_time = statistics.median(times["compliance --help"])
    print(f"ratio: {help_time / base:.1f}x CLI start-up (compliance --help) vs python -c pass")


if __name__ == "__main__":
    main()
