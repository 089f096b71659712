"""The ``compliance`` command line (Typer): parse flags, build options, run, exit."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from compliance._version import __version__
from compliance.cli.dd_cmd import dd_app
from compliance.cli.reporters import OutputFormat
from compliance.cli.rules_cmd import rules_app
from compliance.cli.validate_cmd import ValidateOptions, run_validate
from compliance.config import Settings, parse_size
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


def _size(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command()
def validate(
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
    max_file_size: Annotated[
        str | None,
        typer.Option(
            help="Refuse larger files, e.g. 10MB or 512KiB \\[default: COMPLIANCE_MAX_FILE_SIZE "
            "or 10MiB].",
            show_default=False,
        ),
    ] = None,
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
) -> None:
    """Validate supplier submissions (JSON or YAML) against the published schema and rules.

    Exit codes: 0 all valid, 1 some invalid, 2 usage or I/O error.
    """
    settings = Settings()
    limit = _size(max_file_size) or settings.max_file_size
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
    )
    code = run_validate(
        paths, options, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr
    )
    raise typer.Exit(code)


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
    }
    if name not in known:
        typer.echo(
            f"compliance schema: unknown document kind {name!r}; known: {', '.join(sorted(known))}",
            err=True,
        )
        raise typer.Exit(2)
    sys.stdout.write(read_resource_text(known[name]))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.stderr.write("interrupted\n")
        sys.exit(130)
