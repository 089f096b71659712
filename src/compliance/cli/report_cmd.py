"""``compliance report``: read FILE, compute its result with the library, render the report.

The command is an edge: the kind's input builder (:mod:`compliance.cli.report_inputs`) reads the
file and validates and computes with the library (a submission's carbon footprint, a
questionnaire's DD score, a passport's verification, completeness and access-level view), then
:mod:`compliance.reports` only formats the finished result. ``--access`` chooses the access level
of the passport sheet and is refused for the other kinds (they have no access levels). Exit
codes: 0 report written; 1 the input is invalid, does not verify or yields no result (every
located issue on stderr); 2 usage or configuration error (unknown kind, unsupported language,
unknown ruleset or access level, ``--access`` or ``--key`` with another kind, an unusable key,
path not found, output not writable, the ``pdf`` extra or a bundled asset missing). The output
file is written atomically: on any failure the previous file is left as it was.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer

from compliance.cli.discovery import STDIN, Target, discover
from compliance.cli.fileio import atomic_write
from compliance.cli.keys import KeyFileError, load_public_key
from compliance.cli.options import MaxFileSize, SeedOption, max_bytes
from compliance.cli.report_inputs import (
    ACCESS_LEVELS,
    EXIT_OK,
    EXIT_USAGE,
    INPUT_BUILDERS,
    PROG,
    ReportOptions,
)
from compliance.cli.streams import safe_text

__all__ = [
    "INPUT_BUILDERS",
    "ReportOptions",
    "check_access",
    "report",
    "report_app",
    "run_report",
    "run_reports",
]


class _StderrHandler(logging.Handler):
    def __init__(self, stderr: TextIO) -> None:
        super().__init__(logging.WARNING)
        self.stderr = stderr

    def emit(self, record: logging.LogRecord) -> None:
        self.stderr.write(f"{PROG}: renderer {record.levelname.lower()}: {record.getMessage()}\n")


@contextmanager
def _renderer_messages(stderr: TextIO) -> Iterator[None]:
    """Show WeasyPrint's warnings and errors (otherwise silent) on stderr while rendering."""
    logger = logging.getLogger("weasyprint")
    handler = _StderrHandler(stderr)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _target(path: str) -> Target | None:
    if path == STDIN:
        return Target("<stdin>", None)
    candidate = Path(path)  # a device or a pipe is read too, bounded like a file
    return Target(path, candidate) if candidate.exists() and not candidate.is_dir() else None


def _sheet_only(kind: str, flag: str) -> str:
    return f"{flag} applies to the passport sheet only (--kind passport), not to {kind!r}"


def check_access(kind: str, access: str | None) -> str | None:
    """The access level to use, or the usage error (``--access`` is for the passport sheet)."""
    if access is None:
        return None
    if kind != "passport":
        return _sheet_only(kind, "--access")
    if access not in ACCESS_LEVELS:
        return f"unknown access level {access!r}; use {', '.join(ACCESS_LEVELS)}"
    return None


def run_report(
    path: str, options: ReportOptions, *, stdin: BinaryIO, stdout: BinaryIO, stderr: TextIO
) -> int:
    """Render one report from the submission at ``path``; returns the exit code."""
    stderr = safe_text(stderr)
    try:
        from compliance import reports
    except ImportError as exc:  # the optional extra is not installed
        stderr.write(
            f"{PROG}: reports need the 'pdf' extra (pip install 'compliance[pdf]'): {exc}\n"
        )
        return EXIT_USAGE
    try:
        reports.get_kind(options.kind)
        reports.check_language(options.language)
        output_format = reports.OutputFormat(options.output_format)
    except reports.ReportError as exc:
        stderr.write(f"{PROG}: {exc}\n")
        return EXIT_USAGE
    except ValueError:
        stderr.write(f"{PROG}: unknown format {options.output_format!r}; use pdf or html\n")
        return EXIT_USAGE
    target = _target(path)
    if options.kind == "passport" and options.access not in ACCESS_LEVELS:
        stderr.write(f"{PROG}: {check_access('passport', options.access)}\n")
        return EXIT_USAGE
    if target is None:
        reason = "a directory (give one submission file)" if Path(path).is_dir() else "no such file"
        stderr.write(f"{PROG}: {path}: {reason}\n")
        return EXIT_USAGE
    if options.output != STDIN and not Path(options.output).parent.is_dir():
        stderr.write(f"{PROG}: {options.output}: the directory does not exist\n")
        return EXIT_USAGE
    build = INPUT_BUILDERS.get(options.kind)
    if build is None:  # a registered kind without a command-line input builder
        stderr.write(f"{PROG}: report kind {options.kind!r} has no command-line input\n")
        return EXIT_USAGE
    report_input = build(target, options, stdin, stderr)
    if isinstance(report_input, int):
        return report_input
    try:
        with _renderer_messages(stderr):
            content = reports.render_report(
                options.kind, report_input, language=options.language, output_format=output_format
            )
    except reports.ReportError as exc:
        stderr.write(f"{PROG}: {exc}\n")
        return EXIT_USAGE
    if options.output == STDIN:
        try:
            stdout.write(content)
            stdout.flush()
        except OSError as exc:
            stderr.write(f"{PROG}: cannot write to standard output ({exc.strerror})\n")
            return EXIT_USAGE
        return EXIT_OK
    try:
        atomic_write(Path(options.output), content)
    except OSError as exc:
        stderr.write(f"{PROG}: {options.output}: cannot write ({exc.strerror})\n")
        return EXIT_USAGE
    stderr.write(
        f"{PROG}: wrote {options.output} ({options.kind}, {options.language}, "
        f"{output_format.value}, {len(content):,} bytes)\n"
    )
    return EXIT_OK


def _output_name(target: Target, kind: str, output_format: str) -> str:
    stem = "stdin" if target.path is None else target.path.name.rsplit(".", 1)[0]
    return f"{stem}.{kind}.{output_format}"


def run_reports(
    paths: Sequence[str],
    options: ReportOptions,
    *,
    stdin: BinaryIO,
    stdout: BinaryIO,
    stderr: TextIO,
) -> int:
    """Render one report per input; several inputs (or a directory) need ``-o DIR``.

    With one file and ``-o FILE`` (or ``-``) this is :func:`run_report`. Otherwise the inputs
    (files, directories searched for .json/.yaml/.yml, patterns) each give
    ``DIR/<name>.<kind>.<format>``; two inputs with the same name are a usage error (nothing is
    written). One input's failure does not stop the others; the exit code is the worst one.
    """
    stderr = safe_text(stderr)
    output = Path(options.output)
    if len(paths) == 1 and not Path(paths[0]).is_dir() and not output.is_dir():
        return run_report(paths[0], options, stdin=stdin, stdout=stdout, stderr=stderr)
    if options.output == STDIN or not output.is_dir():
        stderr.write(f"{PROG}: several inputs or a directory need -o DIR, an existing directory\n")
        return EXIT_USAGE
    targets, errors = discover(paths)
    for message in errors:
        stderr.write(f"{PROG}: {message}\n")
    names: dict[str, str] = {}
    for target in targets:
        name = _output_name(target, options.kind, options.output_format)
        if name in names:
            stderr.write(
                f"{PROG}: {target.label} and {names[name]} would both be written to "
                f"{output / name}; give them separately\n"
            )
            return EXIT_USAGE
        names[name] = target.label
    codes = [
        run_report(
            target.label if target.path is not None else STDIN,
            replace(options, output=str(output / name)),
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
        )
        for target, name in zip(targets, names, strict=True)
    ]
    written = codes.count(EXIT_OK)
    stderr.write(f"{PROG}: {len(codes)} inputs: {written} written, {len(codes) - written} failed\n")
    if errors or EXIT_USAGE in codes:
        return EXIT_USAGE
    return EXIT_OK if written == len(codes) else max(codes)


def report(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="cfp: supplier submission; dd: DD questionnaire; passport: sealed passport "
            "(or a submission). JSON or YAML, or - for standard input; several files, "
            "directories or patterns with -o DIR.",
            show_default=False,
        ),
    ],
    kind: Annotated[
        str,
        typer.Option(
            help="Report kind: cfp (carbon footprint declaration), dd (due-diligence audit "
            "report) or passport (passport sheet).",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Output file, - for standard output, or an existing directory (one "
            "NAME.KIND.FORMAT per input).",
            show_default=False,
        ),
    ],
    lang: Annotated[str, typer.Option("--lang", help="Report language: en or ja.")] = "en",
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="pdf (PDF/A-3b) or html.")
    ] = "pdf",
    ruleset: Annotated[
        str, typer.Option(help="Calculation method: eu-da-2024-draft, jrc-cfb-ev-2023, meti-v1.0.")
    ] = "eu-da-2024-draft",
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Calculation, scoring or completeness date YYYY-MM-DD; for cfp and dd also the "
            "report's creation date \\[default: today; passport: the day it was generated].",
            show_default=False,
        ),
    ] = None,
    factors: Annotated[
        list[Path] | None,
        typer.Option(
            "--factors", help="Extra factor dataset file (repeatable).", show_default=False
        ),
    ] = None,
    monte_carlo: Annotated[
        int,
        typer.Option(min=0, max=1_000_000, help="Monte Carlo samples for the uncertainty section."),
    ] = 0,
    seed: SeedOption = 0,
    access: Annotated[
        str | None,
        typer.Option(
            help="Passport sheet only: public, legitimate-interest, authority or full "
            "\\[default: public].",
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(
            help="Passport sheet only: trusted Ed25519 public key (PEM or base64) that must have "
            "signed the passport.",
            show_default=False,
        ),
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Render a report (PDF/A-3b or HTML, English or Japanese): CFP, DD or passport sheet.

    Exit codes: 0 written, 1 invalid input, failed verification or no result, 2 usage or
    configuration error.
    """
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
    problem = check_access(kind, access)
    if problem is None and key is not None and kind != "passport":
        problem = _sheet_only(kind, "--key")
    trusted = None
    try:
        trusted = None if problem or key is None else load_public_key(key)
    except KeyFileError as exc:
        problem = str(exc)
    if problem is not None:
        sys.stderr.write(f"{PROG}: {problem}\n")
        raise typer.Exit(EXIT_USAGE)
    options = ReportOptions(
        kind=kind,
        language=lang,
        output=output,
        output_format=output_format,
        ruleset=ruleset,
        as_of=day,
        factor_files=tuple(factors or ()),
        monte_carlo=monte_carlo,
        seed=seed,
        max_bytes=max_bytes(ctx, max_file_size),
        access=access or "public",
        trusted_key=trusted,
    )
    code = run_reports(
        paths, options, stdin=sys.stdin.buffer, stdout=sys.stdout.buffer, stderr=sys.stderr
    )
    raise typer.Exit(code)


report_app = typer.Typer(add_completion=False)
report_app.command()(report)
