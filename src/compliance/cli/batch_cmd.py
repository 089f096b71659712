"""``compliance batch INPUT... --out DIR``: validate, CFP, DD and passports for many files.

A thin command: it parses the flags, discovers the inputs, loads the run's choices once (a bad
ruleset or factor file is a usage error before any work), chooses the engine (a process pool of
``--workers``, or Dask with ``--scheduler``/``--dask-local``) and hands over to
:func:`compliance.cli.batch.runner.run_batch`. See ``docs/batch.md``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from compliance.cli.batch.manifest import ManifestError
from compliance.cli.batch.output import report_settings
from compliance.cli.batch.runner import EXIT_USAGE, default_workers, run_batch
from compliance.cli.batch.settings import DEFAULT_BASE_URL, BatchSettings, SetupError, loaded
from compliance.cli.choices import CfpChoices
from compliance.cli.discovery import STDIN, Target, discover
from compliance.cli.options import MaxFileSize, max_bytes, run_settings
from compliance.cli.reporters import OutputFormat, make_reporter
from compliance.cli.selection import FormatOption, QuietOption, step_summary_path
from compliance.cli.streams import safe_text
from compliance.validation import ParseLimits

__all__ = ["batch_app"]

PROG = "compliance batch"

batch_app = typer.Typer(add_completion=False)


def _usage(message: str) -> typer.Exit:
    sys.stderr.write(f"{PROG}: {message}\n")
    return typer.Exit(EXIT_USAGE)


def _engine(workers: int | None, scheduler: str | None, dask_local: int | None) -> Any:
    from compliance.cli.batch.engines import DaskEngine, PoolEngine

    if scheduler is None and dask_local is None:
        return PoolEngine(workers or default_workers())
    if workers is not None:
        raise _usage("--workers is for the process pool; a Dask run uses the cluster's workers")
    if scheduler is not None and dask_local is not None:
        raise _usage("give --scheduler or --dask-local, not both")
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise _usage("Dask needs the 'dask' extra (pip install 'compliance[dask]')") from None
    try:
        return DaskEngine(scheduler=scheduler, local_workers=dask_local or 0)
    except (OSError, TimeoutError) as exc:
        raise _usage(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None


def _outside(targets: list[Target], out: Path) -> tuple[list[Target], int]:
    """The targets not under ``out``, and how many were."""
    root = out.resolve()
    kept = [t for t in targets if t.path is None or not t.path.resolve().is_relative_to(root)]
    return kept, len(targets) - len(kept)


@batch_app.command()
def batch(
    ctx: typer.Context,
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Submissions and DD questionnaires (.json/.yaml/.yml), directories or globs.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Output directory (created if needed).", show_default=False
        ),
    ],
    reports: Annotated[
        bool, typer.Option("--reports", help="Also render the PDF reports of every result.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes \\[default: one per core].", show_default=False),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Run on this Dask scheduler (tcp://HOST:PORT).", show_default=False),
    ] = None,
    dask_local: Annotated[
        int | None,
        typer.Option(
            min=1, help="Run on a local Dask cluster of N worker processes.", show_default=False
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Calculation and scoring date YYYY-MM-DD; passports are generated at midnight "
            "UTC of it \\[default: today].",
            show_default=False,
        ),
    ] = None,
    ruleset: Annotated[str, typer.Option(help="Carbon footprint method.")] = "eu-da-2024-draft",
    gwp: Annotated[
        str | None, typer.Option(help="GWP100 set instead of the ruleset's.", show_default=False)
    ] = None,
    factors: Annotated[
        list[Path] | None,
        typer.Option(
            "--factors", help="Extra factor dataset file (repeatable).", show_default=False
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: en or ja.")] = "en",
    base_url: Annotated[
        str, typer.Option(help="Base URL of the public passports (QR target).")
    ] = DEFAULT_BASE_URL,
    output_format: FormatOption = OutputFormat.TEXT,
    quiet: QuietOption = False,
    max_file_size: MaxFileSize = None,
) -> None:
    """Validate, compute, score and build passports for many files (resumable, parallel).

    Results go to DIR/files (passports, DD results, issues; PDFs with --reports).

    The summary goes to DIR/summary.json, summary.csv and index.html.

    A re-run skips the inputs whose content and versions are unchanged.

    Exit codes: 0 all ok, 1 an input is invalid, 2 usage, input, worker or output error.
    """
    limit = max_bytes(ctx, max_file_size)
    settings_env = run_settings(ctx)
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    if not base_url.startswith(("https://", "http://")):
        raise _usage("--base-url: give an http(s) URL")
    if STDIN in inputs:
        raise _usage("standard input (-) is not a batch input; give files or directories")
    targets, errors = discover(inputs)
    for message in errors:
        sys.stderr.write(f"{PROG}: {message}\n")
    targets, own = _outside(targets, out)
    if own:  # the batch's own results (an --out inside an input directory) are not inputs
        sys.stderr.write(f"{PROG}: skipping {own} file(s) under the output directory {out}\n")
    if errors or not targets:
        if not errors:
            sys.stderr.write(f"{PROG}: no inputs given\n")
        raise typer.Exit(EXIT_USAGE)
    if reports:
        try:
            from compliance import reports as report_package

            report_package.check_language(lang)
        except ImportError as exc:
            raise _usage(
                f"--reports needs the 'pdf' extra (pip install 'compliance[pdf]'): {exc}"
            ) from None
        except report_package.ReportError as exc:
            raise _usage(str(exc)) from None
    settings = BatchSettings(
        as_of=day,
        choices=CfpChoices(ruleset, gwp=gwp, factor_files=tuple(factors or ()), max_bytes=limit),
        reports=reports,
        language=lang,
        base_url=base_url,
        limits=ParseLimits(max_bytes=limit, max_depth=settings_env.max_depth),
    )
    try:  # loaded once here: the pool's forked workers inherit it instead of loading again
        choices = loaded(settings)
    except SetupError as exc:
        raise _usage(str(exc)) from None
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _usage(f"{out}: cannot create the output directory ({exc.strerror})") from None
    head = {"out": str(out), "asOf": day.isoformat()}
    step_summary = step_summary_path(output_format)
    settings_out = report_settings(quiet=quiet, head=head, step_summary=step_summary)
    reporter = make_reporter(output_format, safe_text(sys.stdout), settings_out)
    engine = _engine(workers, scheduler, dask_local)
    try:
        code = _run(targets, settings, choices, out, engine, reporter, quiet)
    except ManifestError as exc:
        sys.stderr.write(f"{PROG}: {exc}\n")
        code = EXIT_USAGE
    finally:
        engine.close()
    raise typer.Exit(code)


def _run(
    targets: Any, settings: Any, loaded: Any, out: Path, engine: Any, reporter: Any, quiet: bool
) -> int:
    if quiet or not sys.stderr.isatty():
        return run_batch(targets, settings, loaded, out, engine, reporter, stderr=sys.stderr)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(file=sys.stderr)
    columns = (
        TextColumn("batch"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task("batch", total=len(targets))
        return run_batch(
            targets,
            settings,
            loaded,
            out,
            engine,
            reporter,
            stderr=sys.stderr,
            advance=lambda: progress.advance(bar),
        )
