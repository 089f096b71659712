"""``compliance validate``: read documents at the edge, validate them in the core, report.

Exit codes: 0 every document valid; 1 some document invalid (an issue at or above ``--fail-on``);
2 usage or I/O error (a path that does not exist, a pattern matching nothing, an unreadable
file). Nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from compliance.cfp.calculator import compute_cfp
from compliance.cli.cfp_cmd import CalculationSetup, CfpOptions, load_setup
from compliance.cli.discovery import Target, discover, internal_issue, read_target
from compliance.cli.reporters import OutputFormat, Summary, make_reporter
from compliance.cli.streams import safe_text
from compliance.errors import Issue, Severity
from compliance.models import SUBMISSION_SCHEMA_ID
from compliance.validation import (
    DEFAULT_LIMITS,
    DocumentFormat,
    ParseLimits,
    ValidationReport,
    validate_submission,
)
from compliance.validation.submission import DOCUMENT_KIND

__all__ = ["ValidateOptions", "run_validate"]

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
    ruleset: str | None = None
    """CFP ruleset (id or file) whose calculation errors ``validate`` reports too (``None``:
    structure and semantics only)."""
    factor_files: tuple[Path, ...] = ()
    as_of: date | None = None
    """Calculation date of the CFP check (the CLI passes today)."""


def _io_report(label: str, issue: Issue) -> ValidationReport:
    return ValidationReport((issue,), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, None, label)


def _calculability(
    report: ValidationReport, setup: CalculationSetup | None, as_of: date | None
) -> ValidationReport:
    """Add the errors that would stop ``compliance cfp`` (no false green).

    The very calculation ``cfp`` runs (same code, same ruleset and datasets) is run on a valid
    submission; its errors (a transport leg with no factor and no default dataset, an unknown
    dataset, a functional unit that cannot be derived ...) join the report.
    """
    if setup is None or as_of is None or report.submission is None or not report.ok:
        return report
    outcome = compute_cfp(
        report.submission,
        setup.ruleset,
        library=setup.library,
        as_of=as_of,
        gwp=setup.gwp,
        trace=False,
    )
    errors = tuple(i for i in outcome.issues if i.severity is Severity.ERROR)
    return replace(report, issues=report.issues + errors) if errors else report


def _check(
    target: Target, options: ValidateOptions, stdin: BinaryIO, setup: CalculationSetup | None
) -> tuple[ValidationReport, bool]:
    data = read_target(target, options.limits.max_bytes, stdin)
    if isinstance(data, Issue):
        return _io_report(target.label, data), data.code == "io.unreadable"
    try:
        report = validate_submission(
            data,
            name=target.label,
            format=options.input_format if target.path is None else None,
            limits=options.limits,
            full=options.full,
        )
        report = _calculability(report, setup, options.as_of)
    except Exception as exc:
        return _io_report(target.label, internal_issue(exc)), True
    return report, False


@contextmanager
def _progress(enabled: bool, total: int, stderr: TextIO) -> Iterator[Progress | None]:
    if not enabled:
        yield None
        return
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
    targets, usage_errors = discover(paths)
    for message in usage_errors:
        stderr.write(f"compliance validate: {message}\n")
    if not targets:
        if not usage_errors:
            stderr.write("compliance validate: no documents given\n")
        return EXIT_USAGE

    setup = None
    if options.ruleset is not None and options.as_of is not None:
        cfp_options = CfpOptions(
            ruleset=options.ruleset, as_of=options.as_of, factor_files=options.factor_files
        )
        setup = load_setup(cfp_options, stderr, prog="compliance validate")
        if setup is None:
            return EXIT_USAGE
    reporter = make_reporter(
        options.output_format, stdout, verbose=options.verbose, quiet=options.quiet
    )
    summary = Summary()
    failed = False
    show = options.progress
    if show is None:
        show = stderr.isatty() and len(targets) >= options.progress_threshold
    with _progress(show, len(targets), stderr) as bar:
        for target in targets:
            report, unreadable = _check(target, options, stdin, setup)
            summary.add(report, unreadable=unreadable)
            failed = failed or report.fails_at(options.fail_on)
            reporter.file(target.label, report)
            if bar is not None:
                bar.advance(bar.task_ids[0])
    reporter.finish(summary)
    if usage_errors or summary.unreadable:
        return EXIT_USAGE
    return EXIT_INVALID if failed else EXIT_OK
