"""``compliance cfp``: validate submissions, compute their carbon footprint, report.

Exit codes: 0 every footprint computed; 1 an input was invalid or a calculation found errors
(missing factors, wrong units ...); 2 usage or configuration error (unknown ruleset or GWP set,
unreadable or invalid factor dataset, path not found).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TextIO

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from compliance.cfp.result import CfpResult
from compliance.cli.choices import CfpChoices, load_cfp_setup
from compliance.cli.discovery import Target, internal_issue, read_target
from compliance.cli.kinds import DocumentKind, document_kind
from compliance.cli.options import MaxFileSize, SeedOption, max_bytes
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
from compliance.pipeline import CalculationOptions, CfpSetup, Source, SubmissionRun, run_submission
from compliance.validation import ParseLimits, ValidationReport
from compliance.validation.submission import DOCUMENT_KIND

__all__ = ["CfpOptions", "cfp_app", "run_cfp"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class CfpOptions:
    """Options of one ``cfp`` run."""

    choices: CfpChoices
    as_of: date
    output_format: OutputFormat = OutputFormat.TEXT
    explain: bool = False
    details: bool | None = None
    """Text: the full report of each file (``None``: for a single file only)."""
    verbose: bool = False
    quiet: bool = False
    selection: Selection = field(default_factory=Selection)
    step_summary: Path | None = None
    monte_carlo: int = 0
    seed: int = 0
    sensitivity: bool = False

    @property
    def max_bytes(self) -> int:
        """The size limit of every file read (submissions and the choices' files)."""
        return self.choices.max_bytes


def _fmt(value: float, digits: int = 4) -> str:
    return f"{value:,.{digits}g}" if abs(value) < 1e4 else f"{value:,.0f}"


def _result_body(label: str, result: CfpResult, explain: bool) -> Group:
    """The full text report of one result (stages table, DQR, datasets, options' output)."""
    parts: list[RenderableType] = []
    parts.append(
        Text.assemble(
            (f"{label}", "bold"),
            f": {result.battery_model} ({result.category}) under ",
            (f"{result.ruleset.id} {result.ruleset.version}", "bold"),
            f" [{result.ruleset.status}], ",
            f"GWP {result.gwp_set.id}, as of {result.as_of}",
        )
    )
    parts.append(f"  functional unit: {result.functional_unit.derivation}")
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("stage")
    table.add_column("kg CO2e", justify="right")
    table.add_column("kg CO2e/kWh", justify="right")
    table.add_column("share", justify="right")
    for stage in result.stages:
        share = f"{stage.share:.1%}" if stage.share is not None else "-"
        table.add_row(
            stage.stage.value, _fmt(stage.absolute.value), _fmt(stage.per_unit.value), share
        )
    table.add_row(
        Text("total", style="bold"),
        _fmt(result.total.value),
        Text(_fmt(result.total_per_unit.value), style="bold"),
        "",
    )
    parts.append(table)
    dq = result.data_quality
    dqr = (
        f"{dq.dqr:.2f} ({dq.level}; {dq.method}, {dq.coverage:.0%} of emissions rated)"
        if dq.dqr is not None
        else f"none ({dq.method}: no aggregated process is rated)"
    )
    parts.append(
        f"  per {result.functional_unit.unit_label}; cradle-to-gate per nominal kWh: "
        f"{_fmt(result.cradle_to_gate_per_nominal_energy.value)} kg CO2e/kWh"
    )
    parts.append(
        f"  DQR {dqr}; primary-data share {dq.primary_data_share:.0%}; performance "
        f"class: {result.performance_class.label or result.performance_class.status}; "
        f"max threshold: {result.max_threshold.status}"
    )
    for dataset in result.datasets:
        parts.append(
            f"  dataset {dataset.id}@{dataset.version} ({dataset.licence}): {dataset.title}"
        )
        for source in dataset.imported_from:
            parts.append(
                f"    imported from {source.file} (sha256 {source.sha256[:16]}..., "
                f"{source.layout}, {source.indicator})"
            )
    if result.uncertainty is not None:
        u = result.uncertainty
        p = u.percentiles
        parts.append(
            f"  Monte Carlo ({u.samples} samples, seed {u.seed}): p2.5 "
            f"{_fmt(p['p2.5'])}, median {_fmt(p['p50'])}, p97.5 {_fmt(p['p97.5'])} "
            f"{u.unit}; {u.varied}"
        )
    if result.sensitivity:
        parts.append("  drivers (+10 % one at a time):")
        for driver in result.sensitivity[:8]:
            parts.append(
                f"    {driver.share_of_total:+.2%}  {driver.kind} {driver.target}  "
                f"{driver.label[:70]}"
            )
    if dq.deviations and explain:
        for deviation in dq.deviations:
            parts.append(f"  DQR deviation: {deviation}")
    if result.variance_sensitivity is not None and result.variance_sensitivity.entries:
        parts.append("  contribution to variance (first-order / total-effect index):")
        for part in result.variance_sensitivity.entries[:8]:
            parts.append(
                f"    {part.first_order_index:6.1%} / {part.total_effect_index:6.1%}  "
                f"{part.kind} {part.target}  {part.label[:60]}"
            )
    if explain and result.trace:
        parts.append(Text("  trace (line, term, stage: amount x factor = kg CO2e [rule] source):"))
        for entry in result.trace:
            given = (
                f" (given {entry.factor_as_given.value:g} {entry.factor_as_given.unit})"
                if entry.factor_as_given
                else ""
            )
            rule = f" [{entry.rule}]" if entry.rule else ""
            activity = entry.activity_as_given
            if activity is not None and activity.unit != entry.amount.unit:
                given_activity = f" (line: {activity.value:g} {activity.unit})"
            else:
                given_activity = ""
            parts.append(
                Text(
                    f"    {entry.pointer} {entry.kind} {entry.stage.value}: "
                    f"{_fmt(entry.amount.value)} {entry.amount.unit}{given_activity} x "
                    f"{_fmt(entry.factor.value)} "
                    f"{entry.factor.unit}{given} = {_fmt(entry.contribution.value)} kg CO2e{rule} "
                    f"{entry.factor_source}"
                )
            )
    return Group(*(Text(p) if isinstance(p, str) else p for p in parts))


def _result_line(label: str, result: CfpResult, warnings: int) -> Text:
    """One line per result (the default for more than one file); its warnings counted."""
    performance = result.performance_class.label or result.performance_class.status
    noted = f"; {warnings} warning{'' if warnings == 1 else 's'} (--details lists them)"
    return Text.assemble(
        (label, "bold"),
        f": {_fmt(result.total_per_unit.value)} kg CO2e/{result.functional_unit.unit_label} "
        f"({result.battery_model}, {result.category}; {result.ruleset.id} "
        f"{result.ruleset.version}; performance class {performance})",
        noted if warnings else "",
    )


def _json_entry(run: SubmissionRun) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "source": run.source.label,
        "sha256": run.source.sha256,
        "computed": bool(run.cfp and run.cfp.ok),
        "issues": [i.to_dict() for i in run.issues],
    }
    if run.cfp is not None and run.cfp.result is not None:
        entry["result"] = run.cfp.result.model_dump(mode="json", exclude={"issues"})
    return entry


def _failed(label: str, issue: Issue, sha256: str | None) -> SubmissionRun:
    """The run of a file that could not be read, or whose processing crashed (its one issue)."""
    report = ValidationReport((issue,), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, None, label)
    return SubmissionRun(Source(label, sha256), report)


def _not_a_submission(target: Target, data: bytes, options: CfpOptions) -> bool:
    limits = ParseLimits(max_bytes=options.max_bytes)
    kind = document_kind(target.label, data, limits)
    return kind is not None and kind.data_kind is not DocumentKind.SUBMISSION


def _compute(target: Target, data: bytes, options: CfpOptions, setup: CfpSetup) -> SubmissionRun:
    """Run one submission through the pipeline; a crash is this file's issue."""
    calculation = CalculationOptions(
        trace=options.explain or options.output_format is OutputFormat.JSON,
        monte_carlo=options.monte_carlo,
        seed=options.seed,
        sensitivity=options.sensitivity,
    )
    try:
        return run_submission(
            data, name=target.label, setup=setup, as_of=options.as_of, calculation=calculation
        )
    except Exception as exc:  # never a traceback: report it as an issue of this file
        return _failed(target.label, internal_issue(exc), hashlib.sha256(data).hexdigest())


def _file_result(run: SubmissionRun, options: CfpOptions, details: bool) -> FileResult:
    label = run.source.label
    outcome = run.cfp
    passed = outcome is not None and outcome.ok
    body: RenderableType | None = None
    if outcome is not None and outcome.result is not None:
        result = outcome.result
        if details:
            body = _result_body(label, result, options.explain)
        else:
            warnings = sum(1 for i in run.issues if i.severity is Severity.WARNING)
            body = _result_line(label, result, warnings)
    elif run.validation.ok:
        body = Text(f"{label}: no result (see the errors above)", "bold red")
    issues = run.issues
    unreadable = any(i.code in ("io.unreadable", "internal.error") for i in issues)
    return FileResult(
        label, DOCUMENT_KIND, issues, passed, _json_entry(run), body, unreadable=unreadable
    )


def run_cfp(
    paths: Sequence[str],
    options: CfpOptions,
    *,
    stdin: BinaryIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Compute every submission named by ``paths``; returns the exit code.

    The text format gives the full report of a single file and one line per file for several
    (``--details`` gives the full report of each); every format ends with the summary line.
    """
    stdout, stderr = safe_text(stdout), safe_text(stderr)
    prog = "compliance cfp"
    targets, usage = select_targets(paths, options.selection, prog=prog, stderr=stderr)
    setup = load_cfp_setup(options.choices, stderr, prog)
    if setup is None or (usage and not targets):
        return EXIT_USAGE
    details = options.details if options.details is not None else len(targets) == 1
    details = details or options.explain
    settings = ReportSettings(
        "cfp",
        passed="computed",
        failed="failed",
        verbose=options.verbose or options.explain,
        shown=Severity.WARNING if details else Severity.ERROR,
        quiet=options.quiet,
        step_summary=options.step_summary,
    )
    reporter = make_reporter(options.output_format, stdout, settings)
    summary = Summary()
    for target in targets:
        data = read_target(target, options.max_bytes, stdin)
        if isinstance(data, Issue):
            result = _file_result(_failed(target.label, data, None), options, details)
        elif options.selection.skip_unknown and _not_a_submission(target, data, options):
            result = FileResult(target.label, DOCUMENT_KIND, skipped="not a submission")
        else:
            run = _compute(target, data, options, setup)
            result = _file_result(run, options, details)
        summary.add(result)
        reporter.file(result)
    reporter.finish(summary)
    if usage or summary.unreadable:
        return EXIT_USAGE
    return EXIT_OK if summary.ok else EXIT_FINDINGS


cfp_app = typer.Typer(add_completion=False)


@cfp_app.command()
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
    output_format: FormatOption = OutputFormat.TEXT,
    details: Annotated[
        bool | None,
        typer.Option(
            "--details/--no-details",
            help="Text: the full report of each file \\[default: for a single file; one line "
            "per file for several].",
            show_default=False,
        ),
    ] = None,
    quiet: QuietOption = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list information notes.")
    ] = False,
    allow_empty: AllowEmpty = False,
    changed_since: ChangedSince = None,
    skip_unknown: SkipUnknown = False,
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
        details=details,
        verbose=verbose,
        quiet=quiet,
        selection=Selection(allow_empty, changed_since, skip_unknown),
        step_summary=step_summary_path(output_format),
        monte_carlo=monte_carlo,
        seed=seed,
        sensitivity=sensitivity,
    )
    code = run_cfp(paths, options, stdin=sys.stdin.buffer, stdout=sys.stdout, stderr=sys.stderr)
    raise typer.Exit(code)
