"""Batch output memory: peak RSS of validate, cfp and dd over many small files, text and JSON.

Corpus: ``--files`` copies (default 10,000) of the bundled LMT e-bike submission (about 7 KiB)
and of the strong-supplier DD questionnaire (about 8 KiB), each with its own identifier, written
to a temporary directory. Each measured run is a fresh subprocess that runs the command's library
entry point (``run_validate``, ``run_cfp``, ``run_score``: discovery, bounded reads, validation,
computation, the reporter) with its report written to ``/dev/null``, and prints its own peak RSS
(``resource.getrusage``). Every configuration runs at a tenth of the files and at all of them:
streamed output is flat, so the two peaks are close.

* engine: the reporters as shipped: text lines and JSON entries are written as each file is done
  (:class:`compliance.cli.streams.JsonReportStream`).
* baseline: the JSON reporters as they were before issue 14: every entry kept in a list and the
  document written with one ``json.dumps`` at the end (the three reporters' ``JsonReportStream``
  replaced by such a collector in the subprocess; everything else is the same code).

Prints a table of peak RSS (MiB) per command and format at both sizes (what growth remains is
the list of paths discovery builds, de-duplicated, before the first file is read: a few hundred
bytes per file), the baseline beside it, and ends with the ratio line for ``cfp --format json``
at the full size (a result with its trace per file). A full run starts 14 subprocesses over up
to 10,000 files each (about 20 minutes on a small shared machine; the dd baseline peaks near
5 GB); ``--files 1000`` gives the shape in a few minutes.

Measured (2 shared cores, 10,000 files): streamed peaks 83-86 MiB for every command and format
(+6 MiB from 1,000 files: the path list); the baseline peaks at 1,750 MiB (cfp) and 4,830 MiB
(dd): ``ratio: 20.7x``.

Run: python benchmarks/bench_batch_memory.py [--files 10000] [--only cfp-json,dd-json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
SUBMISSION = ROOT / "examples/submissions/valid/lmt-ebike.json"
QUESTIONNAIRE = ROOT / "examples/questionnaires/valid/strong-supplier.json"
CONFIGS = ("validate-text", "validate-json", "cfp-text", "cfp-json", "dd-text", "dd-json")
BASELINES = ("cfp-json", "dd-json")


def write_corpus(directory: Path, files: int) -> None:
    """``files`` submissions (s*.json) and questionnaires (q*.json), each with its own id."""
    submission = json.loads(SUBMISSION.read_text("utf-8"))
    questionnaire = json.loads(QUESTIONNAIRE.read_text("utf-8"))
    for index in range(files):
        submission["submissionId"] = f"BENCH-S-{index:06d}"
        questionnaire["questionnaireId"] = f"BENCH-Q-{index:06d}"
        (directory / f"s{index:06d}.json").write_text(json.dumps(submission), "utf-8")
        (directory / f"q{index:06d}.json").write_text(json.dumps(questionnaire), "utf-8")


class CollectedJsonReport:
    """The pre-streaming JSON reporters: keep every entry, one ``json.dumps`` at the end."""

    def __init__(self, out: TextIO, head: dict[str, Any], key: str = "files") -> None:
        self.out, self.head, self.key = out, head, key
        self.entries: list[Any] = []

    @property
    def count(self) -> int:
        """Entries so far."""
        return len(self.entries)

    def add(self, entry: Any) -> None:
        """Keep one entry."""
        self.entries.append(entry)

    def finish(self, tail: dict[str, Any]) -> None:
        """Write the whole document."""
        document = {**self.head, self.key: self.entries, **tail}
        self.out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def child(config: str, files: list[str], baseline: bool) -> None:
    """Run one command over ``files`` with its report to /dev/null; print the peak RSS (KiB)."""
    from compliance.cli import reporters
    from compliance.cli.cfp_cmd import CfpOptions, run_cfp
    from compliance.cli.choices import CfpChoices
    from compliance.cli.dd_cmd import DdOptions, run_score
    from compliance.cli.reporters import OutputFormat
    from compliance.cli.validate_cmd import ValidateOptions, run_validate

    if baseline:
        reporters.JsonReportStream = CollectedJsonReport  # type: ignore[attr-defined, assignment]
    command, fmt = config.split("-")
    with open(os.devnull, "w", encoding="utf-8") as out, open(os.devnull, "rb") as stdin:
        if command == "validate":
            options = ValidateOptions(output_format=OutputFormat(fmt), progress=False)
            run_validate(files, options, stdin=stdin, stdout=out, stderr=sys.stderr)
        elif command == "cfp":
            cfp = CfpOptions(
                choices=CfpChoices(ruleset="eu-da-2024-draft"),
                as_of=date(2026, 6, 1),
                output_format=OutputFormat(fmt),
            )
            run_cfp(files, cfp, stdin=stdin, stdout=out, stderr=out)
        else:
            dd = DdOptions(as_of=date(2026, 1, 15), output_format=OutputFormat(fmt))
            run_score(files, dd, stdin=stdin, stdout=out, stderr=sys.stderr)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def peak_rss(config: str, directory: Path, files: int, baseline: bool) -> float:
    """Peak RSS (MiB) of one run over the first ``files`` files, in a fresh subprocess."""
    prefix = "q" if config.startswith("dd") else "s"
    paths = [str(directory / f"{prefix}{index:06d}.json") for index in range(files)]
    listing = directory / f"{config}-{files}.txt"
    listing.write_text("\n".join(paths), "utf-8")
    result = subprocess.run(
        [sys.executable, __file__, "--child", config, str(listing)]
        + (["--baseline"] if baseline else []),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    if result.returncode != 0:
        raise SystemExit(f"{config} over {files} files failed:\n{result.stderr[-2000:]}")
    return int(result.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--only", default=",".join(CONFIGS), help="configurations to run")
    parser.add_argument("--child", nargs=2, metavar=("CONFIG", "LISTING"), help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        config, listing = args.child
        child(config, Path(listing).read_text("utf-8").splitlines(), args.baseline)
        return

    configs = [c for c in args.only.split(",") if c in CONFIGS]
    small, large = max(1, args.files // 10), args.files
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as name:
        directory = Path(name)
        write_corpus(directory, large)
        sizes = (
            (directory / "s000000.json").stat().st_size,
            (directory / "q000000.json").stat().st_size,
        )
        print(
            f"corpus: {large:,} submissions ({sizes[0] / 1024:.1f} KiB each) and {large:,} "
            f"questionnaires ({sizes[1] / 1024:.1f} KiB each)"
        )
        print(f"peak RSS (MiB)   {small:>7,} files {large:>7,} files   growth  per file   baseline")
        ratios: dict[str, float] = {}
        for config in configs:
            first = peak_rss(config, directory, small, baseline=False)
            full = peak_rss(config, directory, large, baseline=False)
            shown = "-"
            if config in BASELINES:
                base = peak_rss(config, directory, large, baseline=True)
                ratios[config] = base / full
                shown = f"{base:8.1f} at {large:,} files"
            per_file = (full - first) * 2**20 / max(1, large - small)
            print(
                f"{config:<16} {first:13.1f} {full:13.1f} {full - first:+8.1f} "
                f"{per_file:7.0f} B   {shown}",
                flush=True,
            )
    print(
        "(growth: the paths discovery lists and de-duplicates before the first file, a few "
        "hundred bytes each; reports are streamed)\n"
        "(baseline: the JSON report collected in memory and written at the end, as before)"
    )
    key = "cfp-json" if "cfp-json" in ratios else next(iter(ratios), None)
    if key is not None:
        command = key.replace("-json", "")
        print(
            f"ratio: {ratios[key]:.1f}x lower peak RSS of {command} --format json over "
            f"{large:,} files (streamed) vs the report collected before writing"
        )


if __name__ == "__main__":
    main()
