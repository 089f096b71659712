"""``compliance pcf``: import supplier PCFs (PACT ...) into submissions; export a battery's PCF.

Exit codes: 0 done; 1 the input has errors (nothing written); 2 usage or I/O error.
The formats come from :mod:`compliance.exchange.registry`.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
import yaml

from compliance.cli.choices import CfpChoices, load_cfp_setup
from compliance.cli.discovery import Target, internal_issue, read_target
from compliance.cli.fileio import atomic_write
from compliance.cli.options import MaxFileSize, max_bytes
from compliance.cli.reporters import issue_line
from compliance.cli.streams import printable, safe_text
from compliance.errors import Issue, Severity
from compliance.exchange.merge import ComponentTarget, merge_footprint
from compliance.exchange.registry import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    ExportRequest,
    ImportRequest,
)
from compliance.pipeline import run_submission
from compliance.validation.parsing import DocumentFormat, ParseLimits, detect_format, parse_document

__all__ = ["pcf_app", "run_pcf_export", "run_pcf_import"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

pcf_app = typer.Typer(
    add_completion=False,
    help="Product carbon footprints: import supplier PCFs (PACT) into submissions, export a "
    "battery's PCF.",
    no_args_is_help=True,
)


def _print(label: str, issues: tuple[Issue, ...] | list[Issue], err: TextIO) -> None:
    for issue in issues:
        err.write(issue_line(label, issue) + "\n")


def _read(path: Path, limit: int, err: TextIO) -> bytes | None:
    data = read_target(Target(str(path), path), limit, sys.stdin.buffer)
    if isinstance(data, Issue):
        err.write(issue_line(str(path), data) + "\n")
        return None
    return data


def _write(text: str, output: Path | None, out: TextIO, err: TextIO) -> bool:
    if output is None or str(output) == "-":
        out.write(text)
        return True
    try:
        atomic_write(output, printable(text).encode("utf-8"))
    except OSError as exc:
        err.write(f"{output}: cannot write: {exc.strerror}\n")
        return False
    return True


def _dump(document: Any, fmt: DocumentFormat) -> str:
    if fmt is DocumentFormat.YAML:
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def run_pcf_import(
    file: Path,
    *,
    fmt: str,
    into: Path | None,
    target: ComponentTarget | None,
    footprint_id: str | None,
    as_of: date,
    output: Path | None,
    limit: int,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Import the footprints of ``file``; with ``into``, merge one into that submission."""
    out, err = safe_text(stdout), safe_text(stderr)
    label = str(file)
    data = _read(file, limit, err)
    if data is None:
        return EXIT_USAGE
    request = ImportRequest(
        name=file.name, as_of=as_of, only=footprint_id, limits=ParseLimits(max_bytes=limit)
    )
    try:
        result = IMPORT_FORMATS[fmt].read(data, request)
    except Exception as exc:  # never a traceback
        _print(label, [internal_issue(exc)], err)
        return EXIT_FINDINGS
    _print(label, [i for i in result.issues if i.severity is not Severity.INFO], err)
    if not result.ok:
        err.write(f"{label}: not imported (errors above)\n")
        return EXIT_FINDINGS
    if into is None or target is None:
        listing = [
            {
                "reference": f.reference,
                "name": f.product_name,
                "supplier": dict(f.supplier),
                "details": dict(f.details),
                "footprint": dict(f.declared),
                "perUnit": {d.canonical_unit: v["value"] for d, v in f.variants.items()},
            }
            for f in result.footprints
        ]
        ok = _write(
            json.dumps({"footprints": listing}, indent=2, ensure_ascii=False) + "\n",
            output,
            out,
            err,
        )
        return EXIT_OK if ok else EXIT_USAGE
    if len(result.footprints) != 1:
        ids = ", ".join(f.reference for f in result.footprints)
        err.write(
            f"{label}: holds {len(result.footprints)} footprints ({ids}); choose one with "
            "--footprint ID\n"
        )
        return EXIT_USAGE
    footprint = result.footprints[0]
    raw = _read(into, limit, err)
    if raw is None:
        return EXIT_USAGE
    parsed = parse_document(raw, name=into.name, limits=ParseLimits(max_bytes=limit))
    if not parsed.ok:
        _print(str(into), parsed.issues, err)
        err.write(f"{into}: not changed\n")
        return EXIT_FINDINGS
    try:
        merged = merge_footprint(parsed.data, footprint, target, name=into.name)
    except Exception as exc:  # never a traceback
        _print(str(into), [internal_issue(exc)], err)
        return EXIT_FINDINGS
    _print(str(into), [i for i in merged.issues if i.severity is not Severity.INFO], err)
    if merged.document is None:
        err.write(f"{into}: not changed (errors above)\n")
        return EXIT_FINDINGS
    destination = output or into
    if not _write(_dump(merged.document, detect_format(into.name, raw)), destination, out, err):
        return EXIT_USAGE
    action = "added as" if merged.created else "replaced the footprint of"
    err.write(
        f"{label}: {footprint.reference} ({footprint.declared['value']}) {action} purchased "
        f"component {target.component_id!r} in {destination}\n"
    )
    return EXIT_OK


def run_pcf_export(
    submission: Path,
    *,
    fmt: str,
    request_unit: str,
    choices: CfpChoices,
    as_of: date,
    created: datetime,
    previous: Path | None,
    fossil_carbon_content: Decimal | None,
    no_biogenic: bool,
    output: Path | None,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Compute the submission's CFP and write its PCF in ``fmt``."""
    out, err = safe_text(stdout), safe_text(stderr)
    label = str(submission)
    setup = load_cfp_setup(choices, err, "compliance pcf export")
    if setup is None:
        return EXIT_USAGE
    data = _read(submission, choices.max_bytes, err)
    if data is None:
        return EXIT_USAGE
    before: dict[str, Any] | None = None
    if previous is not None:
        raw = _read(previous, choices.max_bytes, err)
        if raw is None:
            return EXIT_USAGE
        parsed = parse_document(raw, name=previous.name, format=DocumentFormat.JSON)
        if not parsed.ok or not isinstance(parsed.data, dict):
            _print(str(previous), parsed.issues, err)
            err.write(f"{previous}: not a footprint object\n")
            return EXIT_FINDINGS
        before = parsed.data
    try:
        run = run_submission(data, name=submission.name, setup=setup, as_of=as_of)
        issues = list(run.issues)
        result = run.cfp.result if run.cfp is not None else None
        document = run.validation.submission
        outcome = None
        if result is not None and document is not None and run.ok:
            outcome = EXPORT_FORMATS[fmt].export(
                ExportRequest(
                    submission=document,
                    result=result,
                    created=created,
                    unit=request_unit,
                    previous=before,
                    fossil_carbon_content=fossil_carbon_content,
                    no_biogenic=no_biogenic,
                )
            )
            issues.extend(outcome.issues)
    except Exception as exc:  # never a traceback
        _print(label, [internal_issue(exc)], err)
        return EXIT_FINDINGS
    _print(label, [i for i in issues if i.severity is not Severity.INFO], err)
    if outcome is None or outcome.document is None:
        err.write(f"{label}: not exported (errors above)\n")
        return EXIT_FINDINGS
    text = json.dumps(outcome.document, indent=2, ensure_ascii=False) + "\n"
    if not _write(text, output, out, err):
        return EXIT_USAGE
    state = "unchanged: the previous" if outcome.unchanged else "exported as"
    where = f" to {output}" if output is not None and str(output) != "-" else ""
    err.write(f"{label}: {state} {EXPORT_FORMATS[fmt].title} {outcome.document.get('id')}{where}\n")
    return EXIT_OK


def _as_of(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None


@pcf_app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The supplier's PCF file.", show_default=False)],
    into: Annotated[
        Path | None,
        typer.Option(help="Submission to put the footprint in (rewritten only on success)."),
    ] = None,
    component: Annotated[
        str | None, typer.Option(help="Id of the purchased component (with --into).")
    ] = None,
    process: Annotated[
        str | None,
        typer.Option(help="Process of a new component (cell-manufacture, electronics ...)."),
    ] = None,
    amount: Annotated[
        str | None, typer.Option(help="Quantity per battery of a new component, e.g. '96 piece'.")
    ] = None,
    footprint: Annotated[
        str | None, typer.Option(help="Id of the footprint to use when the file holds several.")
    ] = None,
    input_format: Annotated[
        str, typer.Option("--format", help=f"Input format: {', '.join(IMPORT_FORMATS)}.")
    ] = "pact",
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Date the PCF is used on; expired ones are errors \\[default: today].",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write here instead of stdout / the --into file (- for stdout)."
        ),
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Import a supplier's PCF (PACT v2.0-2.3, v3.0) as a purchased-component footprint.

    Without --into, prints the footprints found as JSON. Exit codes: 0 imported, 1 the file or the
    merged submission has errors (nothing written), 2 usage or I/O error.
    """
    if input_format not in IMPORT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(IMPORT_FORMATS)}", param_hint="--format")
    if (into is None) != (component is None):
        raise typer.BadParameter("give --into and --component together", param_hint="--into")
    target = ComponentTarget(component, process, amount) if component is not None else None
    code = run_pcf_import(
        file,
        fmt=input_format,
        into=into,
        target=target,
        footprint_id=footprint,
        as_of=_as_of(as_of),
        output=output,
        limit=max_bytes(ctx, max_file_size),
        stdout=sys.stdout,
        stderr=sys.stderr,
    )
    raise typer.Exit(code)


@pcf_app.command("export")
def export(
    ctx: typer.Context,
    submission: Annotated[Path, typer.Argument(help="The battery's submission.")],
    output_format: Annotated[
        str, typer.Option("--format", help=f"Output format: {', '.join(EXPORT_FORMATS)}.")
    ] = "pact3",
    unit: Annotated[
        str, typer.Option(help="Declared unit: piece (one battery) or kilogram.")
    ] = "piece",
    previous: Annotated[
        Path | None,
        typer.Option(
            help="The previous export of this battery: unchanged content keeps it, a "
            "change gets a new id with precedingPfIds."
        ),
    ] = None,
    fossil_carbon_content: Annotated[
        str | None,
        typer.Option(
            help="kg of fossil carbon in one battery (e.g. anode graphite); required by "
            "PACT, not computed by the engine.",
            show_default=False,
        ),
    ] = None,
    no_biogenic: Annotated[
        bool,
        typer.Option(
            "--no-biogenic",
            help="State that the inventory has no biogenic carbon, "
            "land-use change or land-management flows (required by PACT's split).",
        ),
    ] = False,
    ruleset: Annotated[str, typer.Option(help="Calculation method (see compliance cfp).")] = (
        "eu-da-2024-draft"
    ),
    as_of: Annotated[
        str | None,
        typer.Option(help="Calculation date YYYY-MM-DD \\[default: today].", show_default=False),
    ] = None,
    created: Annotated[
        str | None,
        typer.Option(
            help="Creation time of a new footprint, ISO 8601 with zone \\[default: now].",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write \\[default: stdout].")
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Export a battery's cradle-to-gate PCF (PACT v3.0 or v2.3), per battery or per kg.

    Exit codes: 0 written, 1 the submission has errors or PACT needs a fact it lacks, 2 usage.
    """
    if output_format not in EXPORT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    if unit not in EXPORT_FORMATS[output_format].units:
        raise typer.BadParameter(
            f"use one of {', '.join(EXPORT_FORMATS[output_format].units)} (a battery PCF is "
            "never exported per kWh: PACT's kWh is a unit of an energy product)",
            param_hint="--unit",
        )
    carbon = None
    if fossil_carbon_content is not None:
        try:
            carbon = Decimal(fossil_carbon_content)
        except InvalidOperation:
            raise typer.BadParameter(
                "use a number of kg", param_hint="--fossil-carbon-content"
            ) from None
        if not carbon.is_finite() or carbon < 0:
            raise typer.BadParameter("use zero or more kg", param_hint="--fossil-carbon-content")
    moment = datetime.now(UTC).replace(microsecond=0)
    if created is not None:
        try:
            moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            raise typer.BadParameter(
                "use e.g. 2026-01-31T00:00:00Z", param_hint="--created"
            ) from None
        if moment.tzinfo is None:
            raise typer.BadParameter("give a time zone, e.g. Z", param_hint="--created")
    limit = max_bytes(ctx, max_file_size)
    code = run_pcf_export(
        submission,
        fmt=output_format,
        request_unit=unit,
        choices=CfpChoices(ruleset, max_bytes=limit),
        as_of=_as_of(as_of),
        created=moment,
        previous=previous,
        fossil_carbon_content=carbon,
        no_biogenic=no_biogenic,
        output=output,
        stdout=sys.stdout,
        stderr=sys.stderr,
    )
    raise typer.Exit(code)
