"""``compliance recycled``: the Art. 8 recycled content of supplier submissions.

Exit codes: 0 every result computed; 1 an input was invalid or the calculation found errors
(missing element data, impossible contents or shares, an unsupported declared share); 2 usage
or configuration error (unknown ruleset version, unreadable or invalid ``--dd`` questionnaire).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TextIO

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from compliance._version import __version__
from compliance.cli.choices import RecycledChoices, load_recycled_setup
from compliance.cli.discovery import Target, discover, internal_issue, read_target
from compliance.cli.options import MaxFileSize, max_bytes
from compliance.cli.reporters import issue_line
from compliance.cli.streams import JsonReportStream, safe_text
from compliance.errors import Issue, Severity
from compliance.models import SUBMISSION_SCHEMA_ID
from compliance.pipeline import RecycledSetup, Source, SubmissionRun, run_submission
from compliance.recycled import RecycledResult
from compliance.validation import ValidationReport
from compliance.validation.submission import DOCUMENT_KIND

__all__ = ["RecycledOptions", "recycled_app", "run_recycled"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class RecycledOptions:
    """Options of one ``recycled`` run."""

    choices: RecycledChoices
    as_of: date
    output_format: str = "text"
    explain: bool = False


def _pct(value: float | None, decimals: int) -> str:
    return "-" if value is None else f"{value * 100:.{decimals}f} %"


def _print_result(console: Console, label: str, result: RecycledResult, explain: bool) -> None:
    decimals = result.percent_decimals
    console.print(
        Text.assemble(
            (label, "bold"),
            f": {result.battery_model} ({result.category}) under ",
            (f"{result.ruleset.id} {result.ruleset.version}", "bold"),
            f" [{result.ruleset.status}], as of {result.as_of}",
        )
    )
    scope = result.scope
    documentation = (
        f"; documentation from {scope.documentation_from} {scope.documentation_condition}"
        if scope.documentation_from
        else ""
    )
    console.print(
        f"  Art. 8 scope: {'covered' if scope.covered else 'not covered'} "
        f"({scope.reason.split(';')[0]}){documentation}"
    )
    table = Table(box=None, pad_edge=False, show_edge=False)
    for column, justify in (
        ("element", "left"),
        ("in active materials kg", "right"),
        ("recovered kg", "right"),
        ("pre", "right"),
        ("post", "right"),
        ("share", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for element in result.elements:
        table.add_row(
            element.element.value,
            f"{element.total.magnitude:.4g}",
            f"{element.recovered:.4g}",
            _pct(element.share_pre, decimals),
            _pct(element.share_post, decimals),
            "-" if element.share_percent is None else f"{element.share_percent:.{decimals}f} %",
        )
    console.print(table)
    targets = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("target", "element", "minimum", "from", "applies", "met", "margin", "short kg"):
        targets.add_column(column)
    for check in result.targets:
        targets.add_row(
            check.paragraph,
            check.element.value,
            f"{check.minimum * 100:g} %",
            check.applies_from.isoformat(),
            "yes" if check.applies_to_category else "no",
            "-" if check.met is None else ("yes" if check.met else "no"),
            "-" if check.margin_points is None else f"{check.margin_points:+.2f} pt",
            "" if check.shortfall is None else f"{check.shortfall.magnitude:.4g}",
        )
    console.print(targets)
    for comparison in result.declared:
        console.print(
            f"  declared {comparison.element.value}: pre {_pct(comparison.declared_pre, 2)}, "
            f"post {_pct(comparison.declared_post, 2)} ({comparison.status})"
        )
    for claim in result.rejected_claims:
        console.print(
            f"  rejected by DD {claim.rule}: {claim.supplier}'s recycled {claim.element.value} "
            "claim (left out)"
        )
    if explain:
        console.print("  trace (line, element: steps):")
        for element in result.elements:
            for line in element.lines:
                console.print(Text(f"    {line.pointer} {line.line_id} {element.element.value}:"))
                for step in line.steps:
                    console.print(Text(f"      {step}"))
        console.print("  rules:")
        for rule, source in result.rules:
            console.print(Text(f"    {rule}: {source}"))


def _json_entry(run: SubmissionRun) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "source": run.source.label,
        "sha256": run.source.sha256,
        "computed": bool(run.recycled and run.recycled.result),
        "issues": [i.to_dict() for i in run.issues],
    }
    if run.recycled is not None and run.recycled.result is not None:
        entry["result"] = run.recycled.result.to_dict()
    return entry


def _failed(label: str, issue: Issue, sha256: str | None) -> SubmissionRun:
    report = ValidationReport((issue,), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, None, label)
    return SubmissionRun(Source(label, sha256), report)


def _compute(
    target: Target, options: RecycledOptions, setup: RecycledSetup, stdin: BinaryIO
) -> SubmissionRun:
    data = read_target(target, options.choices.max_bytes, stdin)
    if isinstance(data, Issue):
        return _failed(target.label, data, None)
    try:
        return run_submission(data, name=target.label, as_of=options.as_of, recycled=setup)
    except Exception as exc:  # never a traceback: report it as an issue of this file
        return _failed(target.label, internal_issue(exc), hashlib.sha256(data).hexdigest())


def run_recycled(
    paths: Sequence[str],
    options: RecycledOptions,
    *,
    stdin: BinaryIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Compute the recycled content of every submission named by ``paths``; the exit code."""
    stdout, stderr = safe_text(stdout), safe_text(stderr)
    targets, usage = discover(paths)
    for message in usage:
        stderr.write(f"compliance recycled: {message}\n")
    setup = load_recycled_setup(options.choices, options.as_of, stderr, "compliance recycled")
    if setup is None or not targets:
        return EXIT_USAGE
    console = Console(file=stdout, soft_wrap=True, highlight=False, emoji=False)
    stream = None
    if options.output_format == "json":
        stream = JsonReportStream(stdout, {"tool": "compliance", "version": __version__})
    failed = False
    for target in targets:
        run = _compute(target, options, setup, stdin)
        outcome = run.recycled
        failed = failed or outcome is None or outcome.result is None or not run.ok
        if stream is not None:
            stream.add(_json_entry(run))
            continue
        for issue in run.issues:
            if issue.severity is not Severity.INFO or options.explain:
                console.print(Text(issue_line(target.label, issue)))
        if outcome is not None and outcome.result is not None:
            _print_result(console, target.label, outcome.result, options.explain)
        elif run.validation.ok:
            console.print(Text(f"{target.label}: no result (see the errors above)", "bold red"))
    if stream is not None:
        stream.finish({})
    if usage:
        return EXIT_USAGE
    return EXIT_FINDINGS if failed else EXIT_OK


recycled_app = typer.Typer(add_completion=False)


@recycled_app.command()
def recycled(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Submission files, directories, glob patterns or -.", show_default=False
        ),
    ],
    ruleset: Annotated[
        str,
        typer.Option(help="Recycled-content ruleset version (rules/recycled/<version>)."),
    ] = "1.0.0",
    dd: Annotated[
        Path | None,
        typer.Option(
            "--dd",
            help="A supplier's DD questionnaire: recycled claims its rules reject are left out.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Date the targets are judged on, YYYY-MM-DD \\[default: today].",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    explain: Annotated[
        bool, typer.Option("--explain", help="Print every line's steps and the rules applied.")
    ] = False,
    max_file_size: MaxFileSize = None,
) -> None:
    """Compute the recycled content (Art. 8) of supplier submissions: Co, Pb, Li, Ni shares.

    Exit codes: 0 all computed, 1 invalid input or calculation errors, 2 usage error.
    """
    if output_format not in ("text", "json"):
        raise typer.BadParameter("use text or json", param_hint="--format")
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    options = RecycledOptions(
        RecycledChoices(ruleset, dd, max_bytes(ctx, max_file_size)),
        day,
        output_format,
        explain,
    )
    code = run_recycled(
        paths, options, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr
    )
    raise typer.Exit(code)
