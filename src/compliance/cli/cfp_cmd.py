"""``compliance cfp``: validate submissions, compute their carbon footprint, report.

Exit codes: 0 every footprint computed; 1 an input was invalid or a calculation found errors
(missing factors, wrong units ...); 2 usage or configuration error (unknown ruleset or GWP set,
unreadable or invalid factor dataset, path not found).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from compliance._version import __version__
from compliance.cfp.calculator import CfpOutcome, compute_cfp
from compliance.cfp.datasets import DatasetError, FactorDataset, FactorLibrary, parse_dataset
from compliance.cfp.gwp import GwpSet, UnknownGwpSetError, load_gwp_set
from compliance.cfp.result import CfpResult
from compliance.cfp.rulesets import (
    CfpRuleset,
    ChoiceError,
    RulesetError,
    UnknownRulesetError,
    compose_ruleset,
    load_ruleset,
    parse_ruleset,
)
from compliance.cli.discovery import Target, discover, internal_issue, read_target
from compliance.cli.fileio import InputTooLarge, read_limited
from compliance.cli.streams import JsonReportStream, safe_text
from compliance.errors import Issue, Severity
from compliance.models import SUBMISSION_SCHEMA_ID
from compliance.validation import ValidationReport, validate_submission
from compliance.validation.parsing import too_large_issue
from compliance.validation.submission import DOCUMENT_KIND

__all__ = ["CalculationSetup", "CfpOptions", "load_setup", "run_cfp"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class CfpOptions:
    """Options of one ``cfp`` run."""

    ruleset: str
    as_of: date
    gwp: str | None = None
    factor_files: tuple[Path, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    """Method-choice overrides: (axis, choice id) pairs."""
    output_format: str = "text"
    explain: bool = False
    monte_carlo: int = 0
    seed: int = 0
    sensitivity: bool = False
    max_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CalculationSetup:
    """The ruleset, GWP override and factor library of a run (shared with ``report``)."""

    ruleset: CfpRuleset
    gwp: GwpSet | None
    library: FactorLibrary


def _file_issues(path: Path, issues: Sequence[Issue], stderr: TextIO) -> None:
    for issue in issues:
        where = f":{issue.line}:{issue.column}" if issue.line else ""
        stderr.write(f"{path}{where}: error [{issue.code}] {issue.pointer}: {issue.message}\n")


def _is_ruleset_file(spec: str) -> bool:
    """``--ruleset`` names a file (a path or a .yaml/.yml/.json name) rather than a bundled id."""
    return "/" in spec or "\\" in spec or spec.endswith((".yaml", ".yml", ".json"))


def _ruleset(spec: str, max_bytes: int, stderr: TextIO, prog: str) -> CfpRuleset | None:
    """A bundled ruleset by id, or a user's ruleset file (checked against its schema)."""
    if not _is_ruleset_file(spec):
        return load_ruleset(spec)
    path = Path(spec)
    try:
        data = read_limited(path, max_bytes)
    except InputTooLarge as exc:
        stderr.write(f"{prog}: {path}: {too_large_issue(exc.size, exc.limit).message}\n")
        return None
    except OSError as exc:
        stderr.write(f"{prog}: {path}: cannot read ({exc.strerror})\n")
        return None
    try:
        return parse_ruleset(data, path.name)
    except RulesetError as exc:
        _file_issues(path, exc.issues, stderr)
        return None


def load_setup(
    options: CfpOptions, stderr: TextIO, prog: str = "compliance cfp"
) -> CalculationSetup | None:
    """Load the ruleset (with its choice overrides), GWP set and factor datasets.

    Returns ``None`` after printing a usage error (a located one for a broken file).
    """
    try:
        base = _ruleset(options.ruleset, options.max_bytes, stderr, prog)
        if base is None:
            return None
        ruleset = compose_ruleset(base, dict(options.choices))
        gwp = load_gwp_set(options.gwp) if options.gwp else None
    except (UnknownRulesetError, UnknownGwpSetError, RulesetError, ChoiceError) as exc:
        stderr.write(f"{prog}: {exc}\n")
        return None
    extra: list[FactorDataset] = []
    for path in options.factor_files:
        try:
            extra.append(parse_dataset(read_limited(path, options.max_bytes), path.name))
        except InputTooLarge as exc:
            stderr.write(f"{prog}: {path}: {too_large_issue(exc.size, exc.limit).message}\n")
            return None
        except OSError as exc:
            stderr.write(f"{prog}: {path}: cannot read ({exc.strerror})\n")
            return None
        except DatasetError as exc:
            _file_issues(path, exc.issues, stderr)
            return None
    return CalculationSetup(ruleset, gwp, FactorLibrary.bundled(extra))


def _issue_line(label: str, issue: Issue) -> str:
    where = f":{issue.line}:{issue.column}" if issue.line else ""
    pointer = f"{issue.pointer}: " if issue.pointer else ""
    return f"{label}{where}: {issue.severity.value} [{issue.code}] {pointer}{issue.message}"


def _fmt(value: float, digits: int = 4) -> str:
    return f"{value:,.{digits}g}" if abs(value) < 1e4 else f"{value:,.0f}"


def _print_result(console: Console, label: str, result: CfpResult, explain: bool) -> None:
    console.print(
        Text.assemble(
            (f"{label}", "bold"),
            f": {result.battery_model} ({result.category}) under ",
            (f"{result.ruleset.id} {result.ruleset.version}", "bold"),
            f" [{result.ruleset.status}], ",
            f"GWP {result.gwp_set.id}, as of {result.as_of}",
        )
    )
    console.print(f"  functional unit: {result.functional_unit.derivation}")
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
    console.print(table)
    dq = result.data_quality
    dqr = (
        f"{dq.dqr:.2f} ({dq.level}; {dq.method}, {dq.coverage:.0%} of emissions rated)"
        if dq.dqr is not None
        else f"none ({dq.method}: no aggregated process is rated)"
    )
    console.print(
        f"  per {result.functional_unit.unit_label}; cradle-to-gate per nominal kWh: "
        f"{_fmt(result.cradle_to_gate_per_nominal_energy.value)} kg CO2e/kWh"
    )
    console.print(
        f"  DQR {dqr}; primary-data share {dq.primary_data_share:.0%}; performance "
        f"class: {result.performance_class.label or result.performance_class.status}; "
        f"max threshold: {result.max_threshold.status}"
    )
    for dataset in result.datasets:
        console.print(
            f"  dataset {dataset.id}@{dataset.version} ({dataset.licence}): {dataset.title}"
        )
    if result.uncertainty is not None:
        u = result.uncertainty
        p = u.percentiles
        console.print(
            f"  Monte Carlo ({u.samples} samples, seed {u.seed}): p2.5 "
            f"{_fmt(p['p2.5'])}, median {_fmt(p['p50'])}, p97.5 {_fmt(p['p97.5'])} "
            f"{u.unit}; {u.varied}"
        )
    if result.sensitivity:
        console.print("  drivers (+10 % one at a time):")
        for driver in result.sensitivity[:8]:
            console.print(
                f"    {driver.share_of_total:+.2%}  {driver.kind} {driver.target}  "
                f"{driver.label[:70]}"
            )
    if dq.deviations and explain:
        for deviation in dq.deviations:
            console.print(f"  DQR deviation: {deviation}")
    if result.variance_sensitivity is not None and result.variance_sensitivity.entries:
        console.print("  contribution to variance (first-order / total-effect index):")
        for part in result.variance_sensitivity.entries[:8]:
            console.print(
                f"    {part.first_order_index:6.1%} / {part.total_effect_index:6.1%}  "
                f"{part.kind} {part.target}  {part.label[:60]}"
            )
    if explain and result.trace:
        console.print(Text("  trace (line, term, stage: amount x factor = kg CO2e [rule] source):"))
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
            console.print(
                Text(
                    f"    {entry.pointer} {entry.kind} {entry.stage.value}: "
                    f"{_fmt(entry.amount.value)} {entry.amount.unit}{given_activity} x "
                    f"{_fmt(entry.factor.value)} "
                    f"{entry.factor.unit}{given} = {_fmt(entry.contribution.value)} kg CO2e{rule} "
                    f"{entry.factor_source}"
                )
            )


def _json_entry(
    label: str, sha256: str | None, report: ValidationReport, outcome: CfpOutcome | None
) -> dict[str, Any]:
    issues = [i.to_dict() for i in report.issues]
    if outcome is not None:
        issues += [i.to_dict() for i in outcome.issues]
    entry: dict[str, Any] = {
        "source": label,
        "sha256": sha256,
        "computed": bool(outcome and outcome.ok),
        "issues": issues,
    }
    if outcome is not None and outcome.result is not None:
        entry["result"] = outcome.result.model_dump(mode="json", exclude={"issues"})
    return entry


def _compute(
    target: Target, options: CfpOptions, setup: CalculationSetup, stdin: BinaryIO
) -> tuple[ValidationReport, CfpOutcome | None, str | None]:
    """Read, validate and compute one submission; a crash is this file's issue, not the batch's.

    Returns the validation report, the outcome and the SHA-256 of the bytes read.
    """
    data = read_target(target, options.max_bytes, stdin)
    if isinstance(data, Issue):
        return (
            ValidationReport((data,), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, None, target.label),
            None,
            None,
        )
    digest = hashlib.sha256(data).hexdigest()
    try:
        report = validate_submission(data, name=target.label)
        if report.submission is None or not report.ok:
            return report, None, digest
        return (
            report,
            compute_cfp(
                report.submission,
                setup.ruleset,
                library=setup.library,
                as_of=options.as_of,
                gwp=setup.gwp,
                trace=options.explain or options.output_format == "json",
                monte_carlo=options.monte_carlo,
                seed=options.seed,
                sensitivity=options.sensitivity,
                input_sha256=digest,
            ),
            digest,
        )
    except Exception as exc:  # never a traceback: report it as an issue of this file
        issue = internal_issue(exc)
        return (
            ValidationReport((issue,), DOCUMENT_KIND, SUBMISSION_SCHEMA_ID, None, target.label),
            None,
            digest,
        )


def run_cfp(
    paths: Sequence[str],
    options: CfpOptions,
    *,
    stdin: BinaryIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Compute every submission named by ``paths``; returns the exit code."""
    stdout, stderr = safe_text(stdout), safe_text(stderr)
    targets, usage = discover(paths)
    for message in usage:
        stderr.write(f"compliance cfp: {message}\n")
    setup = load_setup(options, stderr)
    if setup is None or not targets:
        return EXIT_USAGE
    console = Console(file=stdout, soft_wrap=True, highlight=False, emoji=False)
    stream = None
    if options.output_format == "json":
        stream = JsonReportStream(stdout, {"tool": "compliance", "version": __version__})
    failed = False
    for target in targets:
        report, outcome, digest = _compute(target, options, setup, stdin)
        failed = failed or outcome is None or not outcome.ok
        if stream is not None:
            stream.add(_json_entry(target.label, digest, report, outcome))
            continue
        for issue in (*report.issues, *(outcome.issues if outcome else ())):
            if issue.severity is not Severity.INFO or options.explain:
                console.print(Text(_issue_line(target.label, issue)))
        if outcome is not None and outcome.result is not None:
            _print_result(console, target.label, outcome.result, options.explain)
        elif report.ok:
            console.print(Text(f"{target.label}: no result (see the errors above)", "bold red"))
    if stream is not None:
        stream.finish({})
    if usage:
        return EXIT_USAGE
    return EXIT_FINDINGS if failed else EXIT_OK
