"""``compliance report``: validate a submission, compute its result, render the report.

The command is an edge: it reads the file, validates it and computes the carbon footprint with
the library (``validate_submission``, ``compute_cfp``), then hands the finished result to
:mod:`compliance.reports`, which only formats it. Exit codes: 0 report written; 1 the input is
invalid or its result could not be computed (every located issue on stderr); 2 usage or
configuration error (unknown or not yet available kind, unsupported language, unknown ruleset,
path not found, output not writable, the ``pdf`` extra or a bundled asset missing).
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer

from compliance.cfp.calculator import compute_cfp
from compliance.cli.cfp_cmd import CfpOptions, load_setup
from compliance.cli.discovery import STDIN, Target, read_target
from compliance.config import Settings
from compliance.errors import Issue, Severity
from compliance.validation import validate_submission

__all__ = ["INPUT_BUILDERS", "ReportOptions", "report", "run_report"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PROG = "compliance report"


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Options of one ``report`` run."""

    kind: str
    language: str
    output: str
    as_of: date
    output_format: str = "pdf"
    ruleset: str = "eu-da-2024-draft"
    factor_files: tuple[Path, ...] = ()
    monte_carlo: int = 0
    seed: int = 0
    max_bytes: int = 10 * 1024 * 1024


def _issue_line(label: str, issue: Issue) -> str:
    where = f":{issue.line}:{issue.column}" if issue.line else ""
    pointer = f"{issue.pointer}: " if issue.pointer else ""
    return f"{label}{where}: {issue.severity.value} [{issue.code}] {pointer}{issue.message}"


def _print_issues(label: str, issues: Sequence[Issue], stderr: TextIO) -> None:
    for issue in issues:
        if issue.severity is not Severity.INFO:
            stderr.write(_issue_line(label, issue) + "\n")


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
    candidate = Path(path)
    return Target(path, candidate) if candidate.is_file() else None


def _cfp_input(
    target: Target, options: ReportOptions, stdin: BinaryIO, stderr: TextIO
) -> object | int:
    """Validate the submission and compute its footprint; the report input or an exit code."""
    from compliance.reports import CfpReportInput, SourceDocument

    setup = load_setup(
        CfpOptions(ruleset=options.ruleset, as_of=options.as_of, factor_files=options.factor_files),
        stderr,
        prog=PROG,
    )
    if setup is None:
        return EXIT_USAGE
    data = read_target(target, options.max_bytes, stdin)
    if isinstance(data, Issue):
        _print_issues(target.label, [data], stderr)
        return EXIT_FINDINGS
    validation = validate_submission(data, name=target.label)
    _print_issues(target.label, validation.issues, stderr)
    if not validation.ok or validation.submission is None:
        stderr.write(f"{PROG}: {target.label}: invalid submission, no report written\n")
        return EXIT_FINDINGS
    outcome = compute_cfp(
        validation.submission,
        setup.ruleset,
        library=setup.library,
        as_of=options.as_of,
        gwp=setup.gwp,
        trace=True,
        monte_carlo=options.monte_carlo,
        seed=options.seed,
    )
    _print_issues(target.label, outcome.issues, stderr)
    if outcome.result is None:
        stderr.write(f"{PROG}: {target.label}: no result (see the errors above), no report\n")
        return EXIT_FINDINGS
    source = SourceDocument(target.label, hashlib.sha256(data).hexdigest())
    return CfpReportInput(validation.submission, outcome.result, setup.ruleset, source)


InputBuilder = Callable[[Target, ReportOptions, BinaryIO, TextIO], object | int]

INPUT_BUILDERS: dict[str, InputBuilder] = {"cfp": _cfp_input}
"""Per report kind: read FILE, validate and compute with the library, return the report's input
(or an exit code after printing the located issues). The DD and passport kinds add theirs here."""


def run_report(
    path: str, options: ReportOptions, *, stdin: BinaryIO, stdout: BinaryIO, stderr: TextIO
) -> int:
    """Render one report from the submission at ``path``; returns the exit code."""
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
        stdout.write(content)
        return EXIT_OK
    try:
        Path(options.output).write_bytes(content)
    except OSError as exc:
        stderr.write(f"{PROG}: {options.output}: cannot write ({exc.strerror})\n")
        return EXIT_USAGE
    stderr.write(
        f"{PROG}: wrote {options.output} ({options.kind}, {options.language}, "
        f"{output_format.value}, {len(content):,} bytes)\n"
    )
    return EXIT_OK


def report(
    path: Annotated[
        str,
        typer.Argument(
            help="Supplier submission (JSON or YAML), or - for standard input.", show_default=False
        ),
    ],
    kind: Annotated[
        str,
        typer.Option(
            help="Report kind: cfp (dd and passport are not available yet).", show_default=False
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", help="Output file, or - for standard output.", show_default=False
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
            help="Calculation date YYYY-MM-DD, also the report's creation date \\[default: today].",
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
    seed: Annotated[int, typer.Option(help="Monte Carlo seed.")] = 0,
) -> None:
    """Render a report (PDF/A-3b or HTML, English or Japanese) from a supplier submission.

    Exit codes: 0 written, 1 invalid input or no result, 2 usage or configuration error.
    """
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from None
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
        max_bytes=Settings().max_file_size,
    )
    code = run_report(
        path, options, stdin=sys.stdin.buffer, stdout=sys.stdout.buffer, stderr=sys.stderr
    )
    raise typer.Exit(code)
