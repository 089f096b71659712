"""``compliance dd``: score DD questionnaires, import RMI workbooks.

``compliance dd FILE...`` is short for ``compliance dd score FILE...`` (the group routes any first
argument that is not a sub-command to ``score``; a file literally named ``import`` needs the long
form). ``compliance dd import WORKBOOK.xlsx -o questionnaire.json`` writes a pre-filled
questionnaire. Exit codes: 0 ok, 1 findings (an issue at or above ``--fail-on``, or a risk level
at or above ``--fail-on-risk``), 2 usage or I/O error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TextIO

import typer
from typer.core import TyperGroup

from compliance.cli.dd_report import dd_body, dd_entry
from compliance.cli.discovery import Target, internal_issue, read_target
from compliance.cli.fileio import atomic_write
from compliance.cli.kinds import DocumentKind, document_kind
from compliance.cli.options import MaxFileSize, max_bytes, run_settings
from compliance.cli.reporters import (
    FileResult,
    OutputFormat,
    ReportSettings,
    Summary,
    issue_line,
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
from compliance.cli.streams import printable, safe_text
from compliance.dd import OperatorTurnover, ScoringContext, import_rmi_workbook
from compliance.dd.validate import DOCUMENT_KIND, QuestionnaireReport
from compliance.errors import Issue, Severity
from compliance.models.dd_rules import RiskLevel
from compliance.models.questionnaire import Material, SupplierRole
from compliance.pipeline import run_questionnaire
from compliance.validation import ParseLimits

__all__ = ["DdOptions", "dd_app", "run_import", "run_score"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
_RISK_ORDER = [r.value for r in RiskLevel]


class DefaultToScore(TyperGroup):
    """A group whose first argument, if not a sub-command, goes to ``score``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # ctx: typer's click Context
        """Insert ``score`` before arguments that are not a sub-command."""
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["score", *args]
        return super().parse_args(ctx, args)


dd_app = typer.Typer(
    add_completion=False,
    cls=DefaultToScore,
    help="Due diligence: score questionnaires (compliance dd FILE...) and import RMI workbooks.",
    no_args_is_help=True,
)


@dataclass(frozen=True, slots=True)
class DdOptions:
    """Options of one ``dd score`` run."""

    as_of: date
    output_format: OutputFormat = OutputFormat.TEXT
    explain: bool = False
    quiet: bool = False
    verbose: bool = False
    selection: Selection = field(default_factory=Selection)
    step_summary: Path | None = None
    fail_on: Severity = Severity.ERROR
    fail_on_risk: RiskLevel | None = None
    context: ScoringContext = field(default_factory=ScoringContext)
    limits: ParseLimits = field(default_factory=ParseLimits)


def _as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def run_score(
    paths: Sequence[str], options: DdOptions, *, stdin: BinaryIO, stdout: TextIO, stderr: TextIO
) -> int:
    """Validate and score every questionnaire named by ``paths``; returns the exit code."""
    stdout, stderr = safe_text(stdout), safe_text(stderr)
    prog = "compliance dd"
    targets, usage = select_targets(paths, options.selection, prog=prog, stderr=stderr)
    if usage and not targets:
        return EXIT_USAGE
    settings = ReportSettings(
        "dd",
        passed="scored",
        failed="failed",
        outcome="risk",
        head={"asOf": options.as_of.isoformat()},
        verbose=options.verbose,
        quiet=options.quiet,
        step_summary=options.step_summary,
    )
    reporter = make_reporter(options.output_format, stdout, settings)
    summary = Summary()
    for target in targets:
        result = _score(target, options, stdin)
        summary.add(result)
        reporter.file(result)
    reporter.finish(summary)
    if usage or summary.unreadable:
        return EXIT_USAGE
    return EXIT_OK if summary.ok else EXIT_FINDINGS


def _failed(label: str, issue: Issue) -> FileResult:
    """A questionnaire that could not be read or crashed (exit 2); too large (exit 1)."""
    report = QuestionnaireReport((issue,), source=label)
    entry = report.to_dict()
    entry["result"] = None
    unreadable = issue.code in ("io.unreadable", "internal.error")
    return FileResult(label, DOCUMENT_KIND, (issue,), False, entry, unreadable=unreadable)


def _score(target: Target, options: DdOptions, stdin: BinaryIO) -> FileResult:
    """Read, validate and score one questionnaire; every failure is this file's issue."""
    data = read_target(target, options.limits.max_bytes, stdin)
    if isinstance(data, Issue):
        return _failed(target.label, data)
    if options.selection.skip_unknown:
        kind = document_kind(target.label, data, options.limits)
        if kind is not None and kind.data_kind is not DocumentKind.QUESTIONNAIRE:
            return FileResult(target.label, kind.value, skipped="not a questionnaire")
    try:
        run = run_questionnaire(
            data,
            name=target.label,
            as_of=options.as_of,
            context=options.context,
            limits=options.limits,
        )
    except Exception as exc:  # never a traceback: report it as an issue of this file
        return _failed(target.label, internal_issue(exc))
    result = run.dd
    failed = run.validation.fails_at(options.fail_on) or result is None
    if result is not None and options.fail_on_risk is not None:
        level = _RISK_ORDER.index(result.risk.level)
        failed = failed or level >= _RISK_ORDER.index(options.fail_on_risk.value)
    body = dd_body(target.label, result, explain=options.explain) if result is not None else None
    return FileResult(
        target.label,
        DOCUMENT_KIND,
        run.issues,
        not failed,
        dd_entry(target.label, run),
        body,
        outcome=result.risk.level if result is not None else None,
    )


@dd_app.command("score")
def score(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(help="Questionnaires (.json/.yaml), directories, globs, or - for stdin."),
    ],
    output_format: FormatOption = OutputFormat.TEXT,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every rule's points and its sources.")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option(help="Scoring date YYYY-MM-DD \\[default: today].")
    ] = None,
    expect_material: Annotated[
        list[Material] | None,
        typer.Option(help="A material your product data says is present (repeatable)."),
    ] = None,
    supplier: Annotated[
        str | None, typer.Option(help="The supplier the questionnaire was requested from.")
    ] = None,
    turnover_eur: Annotated[
        float | None, typer.Option(help="Your net turnover (EUR 40 m exemption).")
    ] = None,
    group_turnover_eur: Annotated[
        float | None, typer.Option(help="Your group's consolidated net turnover.")
    ] = None,
    fail_on: Annotated[
        Severity, typer.Option(help="Lowest issue severity that makes the run fail.")
    ] = Severity.ERROR,
    fail_on_risk: Annotated[
        RiskLevel | None, typer.Option(help="Also fail at or above this risk level.")
    ] = None,
    quiet: QuietOption = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list information notes.")
    ] = False,
    allow_empty: AllowEmpty = False,
    changed_since: ChangedSince = None,
    skip_unknown: SkipUnknown = False,
    max_file_size: MaxFileSize = None,
) -> None:
    """Validate and score DD questionnaires: maturity, level, risk, red flags, contradictions.

    Exit codes: 0 ok, 1 findings, 2 usage or I/O error.
    """
    limit = max_bytes(ctx, max_file_size)
    settings = run_settings(ctx)
    turnover = (
        OperatorTurnover(turnover_eur, group_turnover_eur) if turnover_eur is not None else None
    )
    options = DdOptions(
        as_of=_as_of(as_of),
        output_format=output_format,
        explain=explain,
        quiet=quiet,
        verbose=verbose,
        selection=Selection(allow_empty, changed_since, skip_unknown),
        step_summary=step_summary_path(output_format),
        fail_on=fail_on,
        fail_on_risk=fail_on_risk,
        context=ScoringContext(frozenset(expect_material or ()), supplier, turnover),
        limits=ParseLimits(max_bytes=limit, max_depth=settings.max_depth),
    )
    code = run_score(paths, options, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr)
    raise typer.Exit(code)


def run_import(
    workbook: Path,
    output: Path | None,
    *,
    as_of: date,
    roles: Sequence[SupplierRole],
    max_bytes: int,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Import one workbook; writes the questionnaire unless there are errors."""
    stdout, stderr = safe_text(stdout), safe_text(stderr)
    label = str(workbook)
    data = read_target(Target(label, workbook), max_bytes, sys.stdin.buffer)
    if isinstance(data, Issue):
        stderr.write(issue_line(label, data) + "\n")
        return EXIT_USAGE
    try:
        result = import_rmi_workbook(data, name=workbook.name, as_of=as_of)
    except Exception as exc:  # never a traceback
        stderr.write(issue_line(label, internal_issue(exc)) + "\n")
        return EXIT_FINDINGS
    for issue in result.issues:
        stderr.write(issue_line(label, issue) + "\n")
    if result.document is None:
        stderr.write(f"{label}: not imported ({result.template or 'unrecognised workbook'})\n")
        return EXIT_FINDINGS
    document = result.document
    if roles:
        document["header"]["roles"] = [r.value for r in roles]
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        stdout.write(text)
    else:
        try:
            atomic_write(output, printable(text).encode("utf-8"))
        except OSError as exc:
            stderr.write(f"{output}: cannot write: {exc.strerror}\n")
            return EXIT_USAGE
        incomplete = "" if result.complete else " (incomplete: an older template)"
        stderr.write(f"{label}: {result.template} imported to {output}{incomplete}\n")
    return EXIT_OK


@dd_app.command("import")
def import_(
    ctx: typer.Context,
    workbook: Annotated[
        Path, typer.Argument(help="RMI EMRT 2.x/1.x, CMRT 6.x or CRT 2.x workbook (.xlsx).")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Questionnaire to write \\[default: stdout]."),
    ] = None,
    role: Annotated[
        list[SupplierRole] | None,
        typer.Option(help="The supplier's role(s); the templates do not say (repeatable)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Refuse effective dates after this date \\[default: today].")
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Import an RMI EMRT/CMRT workbook as a DD questionnaire (mapped questions pre-filled).

    Exit codes: 0 written, 1 the workbook has errors (nothing written), 2 usage or I/O error.
    """
    code = run_import(
        workbook,
        output,
        as_of=_as_of(as_of),
        roles=role or (),
        max_bytes=max_bytes(ctx, max_file_size),
        stdout=sys.stdout,
        stderr=sys.stderr,
    )
    raise typer.Exit(code)
