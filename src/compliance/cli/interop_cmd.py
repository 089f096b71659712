"""``compliance interop``: Catena-X PCF 9.0.0 export and Ouranos CFP import (interim commands).

Kept separate from ``compliance pcf`` (PACT) until the two are folded together:

* ``compliance interop catenax-export SUBMISSION --metadata META.yaml [-o PCF.json]`` computes
  the CFP (``--ruleset``, ``--factors``, ``--as-of`` as in ``compliance cfp``) and writes the
  Catena-X PCF payload of the battery's cradle-to-gate footprint;
* ``compliance interop ouranos-import BUNDLE.json --into SUBMISSION [-o OUT]`` appends the
  purchased components read from an Ouranos bundle and writes the submission, only when the
  whole result is a valid submission.

Exit codes: 0 written, 1 the input has errors (nothing written), 2 usage or I/O error.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, TextIO

import typer

from compliance.cli.choices import CfpChoices, load_cfp_setup
from compliance.cli.discovery import Target, read_target
from compliance.cli.fileio import atomic_write
from compliance.cli.options import MaxFileSize, max_bytes
from compliance.cli.reporters import issue_line
from compliance.cli.streams import printable, safe_text
from compliance.errors import Issue, Severity

__all__ = ["interop_app"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

interop_app = typer.Typer(
    name="interop",
    help="Catena-X PCF 9.0.0 export and Ouranos CFP import.",
    no_args_is_help=True,
    add_completion=False,
)


@interop_app.callback()
def _group() -> None:
    """Catena-X PCF 9.0.0 export and Ouranos CFP import."""


def _read(path: Path, limit: int, stderr: TextIO) -> bytes | None:
    data = read_target(Target(str(path), path), limit, sys.stdin.buffer)
    if isinstance(data, Issue):
        stderr.write(issue_line(str(path), data) + "\n")
        return None
    return data


def _report(label: str, issues: tuple[Issue, ...] | list[Issue], stderr: TextIO) -> bool:
    """Print the issues; True when one is an error."""
    for issue in issues:
        stderr.write(issue_line(label, issue) + "\n")
    return any(i.severity is Severity.ERROR for i in issues)


def _write(output: Path | None, text: str, stdout: TextIO, stderr: TextIO) -> int:
    if output is None:
        stdout.write(text)
        return EXIT_OK
    try:
        atomic_write(output, printable(text).encode("utf-8"))
    except OSError as exc:
        stderr.write(f"{output}: cannot write: {exc.strerror}\n")
        return EXIT_USAGE
    return EXIT_OK


@interop_app.command("catenax-export")
def catenax_export(
    ctx: typer.Context,
    submission: Annotated[Path, typer.Argument(help="Supplier submission (.json/.yaml).")],
    metadata: Annotated[
        Path,
        typer.Option(help="What the Catena-X model needs beyond the submission (.yaml/.json)."),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Payload file \\[default: stdout].")
    ] = None,
    ruleset: Annotated[str, typer.Option(help="CFP ruleset id or file.")] = "eu-da-2024-draft",
    factors: Annotated[
        list[Path] | None, typer.Option("--factors", help="Factor dataset file (repeatable).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Calculation date YYYY-MM-DD \\[default: today].")
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Write the Catena-X PCF 9.0.0 payload of a battery's cradle-to-gate footprint."""
    from compliance.interop.catenax_pcf import CatenaxPcfMetadata, export_catenax_pcf
    from compliance.pipeline import run_submission
    from compliance.validation.documents import load_document

    stdout, stderr = safe_text(sys.stdout), safe_text(sys.stderr)
    limit = max_bytes(ctx, max_file_size)
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    setup = load_cfp_setup(
        CfpChoices(ruleset=ruleset, factor_files=tuple(factors or ()), max_bytes=limit),
        stderr,
        "compliance interop catenax-export",
    )
    meta_bytes = _read(metadata, limit, stderr)
    data = _read(submission, limit, stderr)
    if setup is None or meta_bytes is None or data is None:
        raise typer.Exit(EXIT_USAGE)
    meta, problems = load_document(meta_bytes, name=metadata.name, model=CatenaxPcfMetadata)
    if meta is None:
        _report(str(metadata), problems, stderr)
        raise typer.Exit(EXIT_FINDINGS)
    run = run_submission(data, name=submission.name, setup=setup, as_of=day)
    errors = _report(str(submission), run.issues, stderr) if not run.ok else False
    sub = run.validation.submission
    if errors or sub is None or run.cfp is None or run.cfp.result is None:
        stderr.write(f"{submission}: no footprint, nothing written\n")
        raise typer.Exit(EXIT_FINDINGS)
    export = export_catenax_pcf(sub, run.cfp.result, meta, created=datetime.now(UTC))
    if export.payload is None:
        _report(str(metadata), export.issues, stderr)
        stderr.write(f"{submission}: no Catena-X payload, nothing written\n")
        raise typer.Exit(EXIT_FINDINGS)
    text = json.dumps(export.payload, indent=2, ensure_ascii=False) + "\n"
    raise typer.Exit(_write(output, text, stdout, stderr))


@interop_app.command("ouranos-import")
def ouranos_import(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Ouranos bundle (.json, see docs/interop.md).")],
    into: Annotated[Path, typer.Option(help="The submission to add the components to.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Submission to write \\[default: stdout]."),
    ] = None,
    process: Annotated[
        list[str] | None,
        typer.Option(help="TRACE_ID=PROCESS for a part whose process is known (repeatable)."),
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Add an Ouranos bundle's parts to a submission as purchased components."""
    import yaml

    from compliance.intake.ouranos import merge_components, read_ouranos
    from compliance.models.inventory import ComponentProcess
    from compliance.validation import validate_submission
    from compliance.validation.parsing import DocumentFormat, parse_document

    stdout, stderr = safe_text(sys.stdout), safe_text(sys.stderr)
    limit = max_bytes(ctx, max_file_size)
    processes: dict[str, str] = {}
    known = {p.value for p in ComponentProcess}
    for item in process or ():
        trace, _, value = item.partition("=")
        if not trace or value not in known:
            raise typer.BadParameter(
                f"{item!r}: use TRACE_ID=PROCESS, PROCESS one of {', '.join(sorted(known))}",
                param_hint="--process",
            )
        processes[trace.strip()] = value
    data = _read(bundle, limit, stderr)
    target = _read(into, limit, stderr)
    if data is None or target is None:
        raise typer.Exit(EXIT_USAGE)
    parsed = parse_document(target, name=into.name)
    if not parsed.ok or not isinstance(parsed.data, dict):
        _report(str(into), parsed.issues, stderr)
        raise typer.Exit(EXIT_FINDINGS)
    imported = read_ouranos(data, bundle.name, processes=processes)
    merged, issues = merge_components(parsed.data, imported)
    if _report(str(bundle), issues, stderr) or merged is None:
        stderr.write(f"{bundle}: not imported, {into} unchanged\n")
        raise typer.Exit(EXIT_FINDINGS)
    report = validate_submission(merged)
    if not report.ok:
        _report(f"{into} (with the imported components)", report.issues, stderr)
        stderr.write(f"{bundle}: the result is not a valid submission; nothing written\n")
        raise typer.Exit(EXIT_FINDINGS)
    if parsed.format is DocumentFormat.JSON:
        text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(merged, sort_keys=False, allow_unicode=True)
    code = _write(output, text, stdout, stderr)
    if code == EXIT_OK:
        stderr.write(f"{bundle}: {len(imported.components)} purchased component(s) added\n")
    raise typer.Exit(code)
