"""``compliance validate``: read documents at the edge, validate them in the core, report.

Exit codes: 0 every document valid; 1 some document invalid (an issue at or above ``--fail-on``);
2 usage or I/O error (a path that does not exist, a pattern matching nothing, an unreadable
file). Nothing here raises on bad input.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO, TextIO

import typer

from compliance.cli.choices import CfpChoices, load_cfp_setup
from compliance.cli.discovery import Target, internal_issue, read_target
from compliance.cli.kinds import DocumentKind, document_kind, is_questionnaire
from compliance.cli.options import MaxFileSize, max_bytes, run_settings
from compliance.cli.reporters import (
    FileResult,
    OutputFormat,
    ReportSettings,
    Summary,
    make_reporter,
)
from compliance.cli.selection import (
    AllowEmpty,
    ChangedSince,
    FormatOption,
    QuietOption,
    Selection,
    SkipUnknown,
    select_targets,
    step_summary_path,
)
from compliance.cli.streams import safe_text
from compliance.errors import Issue, Severity
from compliance.models import SUBMISSION_SCHEMA_ID
from compliance.pipeline import CfpSetup, run_questionnaire, run_submission
from compliance.validation import DEFAULT_LIMITS, DocumentFormat, ParseLimits, ValidationReport
from compliance.validation.submission import DOCUMENT_KIND

if TYPE_CHECKING:
    from rich.progress import Progress

    from compliance.dd.validate import QuestionnaireReport

__all__ = ["ValidateOptions", "run_validate", "validate_app"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class ValidateOptions:
    """Options of one ``validate`` run (built by the Typer command from flags and settings)."""

    output_format: OutputFormat = OutputFormat.TEXT
    fail_on: Severity = Severity.ERROR
    limits: ParseLimits = DEFAULT_LIMITS
    input_format: DocumentFormat | None = None
    full: bool = False
    progress: bool | None = None
    progress_threshold: int = 20
    verbose: bool = False
    quiet: bool = False
    selection: Selection = field(default_factory=Selection)
    """The CI narrowing: ``--allow-empty``, ``--changed-since``, ``--skip-unknown``."""
    step_summary: Path | None = None
    """Where ``--format github`` appends its Markdown summary (``$GITHUB_STEP_SUMMARY``)."""
    cfp: CfpChoices | None = None
    """CFP choices whose calculation errors ``validate`` reports too (``None``: structure and
    semantics only)."""
    as_of: date | None = None
    """Calculation date of the CFP check (the CLI passes today)."""


def _io_result(label: str, issue: Issue) -> FileResult:
    """A file that could not be read (exit 2), was too large (exit 1), or crashed (exit 2)."""
    report = ValidationReport((issue,), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, None, label)
    unreadable = issue.code in ("io.unreadable", "internal.error")
    return _result(label, report, report.issues, Severity.ERROR, unreadable=unreadable)


def _result(
    label: str,
    report: ValidationReport | QuestionnaireReport,
    issues: tuple[Issue, ...],
    fail_on: Severity,
    *,
    unreadable: bool = False,
) -> FileResult:
    if issues != report.issues:  # the CFP check's or the scorer's errors join the report
        report = replace(report, issues=issues)
    entry = report.to_dict()
    entry["source"] = label
    failed = any(i.severity.rank >= fail_on.rank for i in issues)
    return FileResult(label, report.document_kind, issues, not failed, entry, unreadable=unreadable)


def _check(
    target: Target, options: ValidateOptions, stdin: BinaryIO, setup: CfpSetup | None
) -> FileResult:
    """One document's result; an unreadable file or a crash is this file's issue.

    The kind is detected first (:func:`compliance.cli.kinds.document_kind`, the core detector):
    a DD questionnaire (JSON, YAML or the workbook) is validated (and scored, so that what ``dd``
    would refuse is reported too) as one, a passport against the passport schema; with
    ``--skip-unknown`` a file of another kind is skipped. With a CFP setup, the very calculation
    ``cfp`` runs (same code, ruleset and datasets) runs on a valid submission and its errors (a
    transport leg with no factor and no default dataset, an unknown dataset, a functional unit
    that cannot be derived ...) join the report: no false green.
    """
    data = read_target(target, options.limits.max_bytes, stdin)
    if isinstance(data, Issue):
        return _io_result(target.label, data)
    input_format = options.input_format if target.path is None else None
    kind = document_kind(target.label, data, options.limits, input_format)
    if kind not in _CHECKED and kind is not None and options.selection.skip_unknown:
        return FileResult(target.label, kind.value, skipped="not a submission or questionnaire")
    try:
        if is_questionnaire(kind):
            qrun = run_questionnaire(
                data,
                name=target.label,
                as_of=options.as_of or date.today(),
                limits=options.limits,
                input_format=input_format,
            )
            return _result(target.label, qrun.validation, qrun.issues, options.fail_on)
        if kind is DocumentKind.PASSPORT or kind is DocumentKind.PASSPORT_DOCUMENT:
            from compliance.passport.validate import validate_passport

            report = validate_passport(data, name=target.label, kind=kind)
            return _result(target.label, report, report.issues, options.fail_on)
        run = run_submission(
            data,
            name=target.label,
            setup=setup,
            as_of=options.as_of if setup is not None else None,
            limits=options.limits,
            input_format=input_format,
            full=options.full,
        )
    except Exception as exc:
        return _io_result(target.label, internal_issue(exc))
    report = run.validation
    errors = tuple(i for i in (run.cfp.issues if run.cfp else ()) if i.severity is Severity.ERROR)
    return _result(target.label, report, report.issues + errors, options.fail_on)


_CHECKED = frozenset(
    {
        DocumentKind.SUBMISSION,
        DocumentKind.SUBMISSION_WORKBOOK,
        DocumentKind.QUESTIONNAIRE,
        DocumentKind.QUESTIONNAIRE_WORKBOOK,
        DocumentKind.PASSPORT,
        DocumentKind.PASSPORT_DOCUMENT,
    }
)
"""The kinds ``validate`` checks (``--skip-unknown`` skips the others: PACT, RMI, unknown)."""


@contextmanager
def _progress(enabled: bool, total: int, stderr: TextIO) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("validating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=stderr),
        transient=True,
    )
    with progress:
        progress.add_task("validate", total=total)
        yield progress


def run_validate(
    paths: Sequence[str],
    options: ValidateOptions,
    *,
    stdin: BinaryIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Validate every document named by ``paths`` and report; returns the exit code."""
    stdout, stderr = safe_text(stdout), safe_text(stderr)
    prog = "compliance validate"
    targets, usage = select_targets(paths, options.selection, prog=prog, stderr=stderr)
    if not targets and usage:
        return EXIT_USAGE

    setup = None
    if options.cfp is not None and options.as_of is not None:
        setup = load_cfp_setup(options.cfp, stderr, prog)
        if setup is None:
            return EXIT_USAGE
    settings = ReportSettings(
        "validate",
        passed="valid",
        failed="invalid",
        verbose=options.verbose,
        quiet=options.quiet,
        step_summary=options.step_summary,
    )
    reporter = make_reporter(options.output_format, stdout, settings)
    summary = Summary()
    show = options.progress
    if show is None:
        show = stderr.isatty() and len(targets) >= options.progress_threshold
    with _progress(show, len(targets), stderr) as bar:
        for target in targets:
            result = _check(target, options, stdin, setup)
            summary.add(result)
            reporter.file(result)
            if bar is not None:
                bar.advance(bar.task_ids[0])
    reporter.finish(summary)
    if usage or summary.unreadable:
        return EXIT_USAGE
    return EXIT_OK if summary.ok else EXIT_INVALID


validate_app = typer.Typer(add_completion=False)


@validate_app.command()
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
    output_format: FormatOption = OutputFormat.TEXT,
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
    quiet: QuietOption = False,
    allow_empty: AllowEmpty = False,
    changed_since: ChangedSince = None,
    skip_unknown: SkipUnknown = False,
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
    """Validate submissions, DD questionnaires and passports (JSON, YAML or the .xlsx templates).

    The kind of each document is detected (its $schema, then its shape); each is validated
    against its own published schema and rules.

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
        selection=Selection(allow_empty, changed_since, skip_unknown),
        step_summary=step_summary_path(output_format),
        cfp=CfpChoices(ruleset, factor_files=tuple(factors or ()), max_bytes=limit)
        if cfp_check
        else None,
        as_of=date.today(),
    )
    code = run_validate(
        paths, options, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr
    )
    raise typer.Exit(code)
