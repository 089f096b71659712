"""The ``compliance`` command line (Typer): parse flags, build options, run, exit."""

from __future__ import annotations

import errno
import os
import signal
import sys
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from compliance._version import __version__
from compliance.cli.cfp_cmd import CfpOptions, run_cfp
from compliance.cli.choices import CfpChoices
from compliance.cli.dd_cmd import dd_app
from compliance.cli.options import MaxFileSize, SeedOption, max_bytes, run_settings
from compliance.cli.passport_cmd import passport_app
from compliance.cli.report_cmd import report
from compliance.cli.reporters import OutputFormat
from compliance.cli.rules_cmd import rules_app
from compliance.cli.streams import OutputError, safe_text
from compliance.cli.validate_cmd import ValidateOptions, run_validate
from compliance.errors import Severity
from compliance.validation import DocumentFormat, ParseLimits

__all__ = ["app", "main"]

app = typer.Typer(
    name="compliance",
    help="Battery sustainability compliance engine (EU 2023/1542: carbon footprint, due "
    "diligence, battery passport).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(passport_app, name="passport")


app.add_typer(dd_app, name="dd")
app.add_typer(rules_app, name="rules")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"compliance {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Battery sustainability compliance engine."""
    sys.stdout = safe_text(sys.stdout)  # every command writes through the safe writer
    sys.stderr = safe_text(sys.stderr)


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories (searched recursively for .json/.yaml/.yml), glob "
            "patterns such as 'submissions/**/*.json', or - for standard input.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Report format.")
    ] = OutputFormat.TEXT,
    fail_on: Annotated[
        Severity,
        typer.Option(help="Lowest severity that makes the run fail (exit code 1)."),
    ] = Severity.ERROR,
    max_file_size: MaxFileSize = None,
    input_format: Annotated[
        DocumentFormat | None,
        typer.Option(help="Format of standard input (otherwise detected)."),
    ] = None,
    full: Annotated[
        bool, typer.Option(help="Also run the JSON Schema layer on documents the models accept.")
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Progress bar on stderr \\[default: on a terminal for large batches].",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list valid files and notes.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line.")] = False,
    ruleset: Annotated[
        str,
        typer.Option(
            help="Also report what would stop 'compliance cfp' under this ruleset (id or file)."
        ),
    ] = "eu-da-2024-draft",
    factors: Annotated[
        list[Path] | None,
        typer.Option(
            "--factors",
            help="Factor dataset file for the CFP check (repeatable), as for 'cfp'.",
            show_default=False,
        ),
    ] = None,
    cfp_check: Annotated[
        bool,
        typer.Option(
            "--cfp-check/--no-cfp-check",
            help="Report the errors a CFP calculation would stop on \\[default: on].",
            show_default=False,
        ),
    ] = True,
) -> None:
    """Validate supplier submissions (JSON or YAML) against the published schema and rules.

    Exit codes: 0 all valid, 1 some invalid, 2 usage or I/O error.
    """
    limit = max_bytes(ctx, max_file_size)
    settings = run_settings(ctx)
    options = ValidateOptions(
        output_format=output_format,
        fail_on=fail_on,
        limits=ParseLimits(max_bytes=limit, max_depth=settings.max_depth),
        input_format=input_format,
        full=full,
        progress=progress,
        progress_threshold=settings.progress_threshold,
        verbose=verbose,
        quiet=quiet,
        cfp=CfpChoices(ruleset, factor_files=tuple(factors or ()), max_bytes=limit)
        if cfp_check
        else None,
        as_of=date.today(),
    )
    code = run_validate(
        paths, options, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr
    )
    raise typer.Exit(code)


@app.command()
def cfp(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Submission files, directories, glob patterns or -.", show_default=False
        ),
    ],
    ruleset: Annotated[
        str,
        typer.Option(
            help="Calculation method: eu-da-2024-draft, jrc-cfb-ev-2023, meti-v1.0, or the path "
            "of a ruleset file (schema: compliance schema cfp-ruleset)."
        ),
    ] = "eu-da-2024-draft",
    choice: Annotated[
        list[str] | None,
        typer.Option(
            "--choice",
            help="Override one method choice, AXIS=ID (repeatable); axes: functional-unit, "
            "electricity, end-of-life, gwp, component-stages, default-datasets; e.g. "
            "functional-unit=lifetime-energy-da-2024.",
            show_default=False,
        ),
    ] = None,
    gwp: Annotated[
        str | None,
        typer.Option(
            help="GWP100 set instead of the ruleset's (ipcc-ar6-gwp100, ipcc-ar5-gwp100)."
        ),
    ] = None,
    factors: Annotated[
        list[Path] | None,
        typer.Option(
            "--factors",
            help="Factor dataset file (repeatable; schema: compliance schema factor-dataset); "
            "replaces a bundled dataset with the same id.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="Calculation date YYYY-MM-DD \\[default: today].", show_default=False),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the trace of every term and rule.")
    ] = False,
    monte_carlo: Annotated[
        int, typer.Option(min=0, max=1_000_000, help="Monte Carlo samples (0: none).")
    ] = 0,
    seed: SeedOption = 0,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Rank the inputs that drive the result.")
    ] = False,
    max_file_size: MaxFileSize = None,
) -> None:
    """Compute the carbon footprint (Art. 7, Annex II) of supplier submissions.

    Exit codes: 0 all computed, 1 invalid input or calculation errors, 2 usage error.
    """
    if output_format not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--format")
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    choices = []
    for item in choice or ():
        axis, sep, value = item.partition("=")
        if not sep or not axis or not value:
            raise typer.BadParameter(f"use AXIS=ID, got {item!r}", param_hint="--choice")
        choices.append((axis.strip(), value.strip()))
    options = CfpOptions(
        choices=CfpChoices(
            ruleset,
            choices=tuple(choices),
            gwp=gwp,
            factor_files=tuple(factors or ()),
            max_bytes=max_bytes(ctx, max_file_size),
        ),
        as_of=day,
        output_format=output_format,
        explain=explain,
        monte_carlo=monte_carlo,
        seed=seed,
        sensitivity=sensitivity,
    )
    code = run_cfp(paths, options, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr)
    raise typer.Exit(code)


app.command()(report)


@app.command()
def schema(
    name: Annotated[
        str, typer.Argument(help="Document kind.", show_default=True)
    ] = "supplier-submission",
) -> None:
    """Print a published JSON Schema (draft 2020-12) bundled with this version."""
    from compliance.resources import read_resource_text
    from compliance.validation.questionnaire import QUESTIONNAIRE_SCHEMA_PATH
    from compliance.validation.schema_layer import SUBMISSION_SCHEMA_PATH

    known = {
        "supplier-submission": SUBMISSION_SCHEMA_PATH,
        "dd-questionnaire": QUESTIONNAIRE_SCHEMA_PATH,
        "ruleset": "schemas/ruleset/1.0.0/schema.json",
        "factor-dataset": "schemas/factor-dataset/1.0.0/schema.json",
        "cfp-ruleset": "schemas/cfp-ruleset/1.0.0/schema.json",
        "passport": "schemas/passport/1.0.0/schema.json",
        "passport-document": "schemas/passport-document/1.0.0/schema.json",
    }
    if name not in known:
        typer.echo(
            f"compliance schema: unknown document kind {name!r}; known: {', '.join(sorted(known))}",
            err=True,
        )
        raise typer.Exit(2)
    sys.stdout.write(read_resource_text(known[name]))


def _output_failed(exc: OSError) -> int:
    """Exit code after standard output failed (a closed pipe: 1, quietly; else 2, said)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # what is still buffered goes nowhere, quietly
    os.close(devnull)
    if exc.errno == errno.EPIPE:
        return 1
    try:
        sys.stderr.write(f"compliance: cannot write to standard output: {exc.strerror}\n")
        sys.stderr.flush()
    except OSError:
        pass
    return 2


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM unwinds like an exception, so a write in progress removes its temporary file."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point.

    Standard output that cannot be written (``> /dev/full``) is a message and exit code 2, not a
    traceback. SIGTERM exits 143 after cleaning up (no temporary file is left behind).
    """
    signal.signal(signal.SIGTERM, _terminate)
    code: int | str | None = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    except OutputError as exc:
        code = _output_failed(exc)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.stderr.write("interrupted\n")
        code = 130
    try:
        sys.stdout.flush()
    except OSError as exc:
        code = _output_failed(exc)
    sys.exit(code)
