"""``compliance report``: per report kind, read FILE and build the report's input with the library.

Each builder validates and computes with the library (the report only formats), prints every
located issue on stderr and returns the report input, or an exit code: 1 when the input is
invalid or yields no result, 2 for a usage or configuration problem.

* ``cfp``: a supplier submission, validated and computed
  (:func:`compliance.pipeline.run_submission`) as of ``--as-of``.
* ``dd``: a DD questionnaire, validated and scored (:func:`compliance.pipeline.run_questionnaire`)
  as of ``--as-of``.
* ``passport``: a sealed passport document (``compliance passport FILE -o p.json``), verified byte
  for byte (``verify``); its completeness is reported as of ``--as-of`` (default: the day the
  passport was generated) on the full passport, then the view of ``--access`` is taken; with
  ``--key`` the passport must be signed by that key. A
  supplier submission is accepted too: its passport is built (``run_submission``) as of
  ``--as-of`` with the generation time midnight UTC of that day, never the clock, and sealed as
  version 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from hashlib import sha256
from pathlib import Path
from typing import BinaryIO, TextIO

from compliance.cli.choices import (
    CfpChoices,
    RecycledChoices,
    load_cfp_setup,
    load_recycled_setup,
)
from compliance.cli.discovery import Target, read_target
from compliance.cli.reporters import print_issues
from compliance.dd import load_catalogue
from compliance.errors import Issue
from compliance.passport.integrity import PassportDocument, seal_bytes, verify
from compliance.passport.model import AccessLevel
from compliance.pipeline import (
    CalculationOptions,
    CfpSetup,
    PassportRequest,
    RecycledSetup,
    run_questionnaire,
    run_submission,
)

__all__ = [
    "ACCESS_LEVELS",
    "DEFAULT_BASE_URL",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "INPUT_BUILDERS",
    "PROG",
    "InputBuilder",
    "ReportOptions",
]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PROG = "compliance report"
ACCESS_LEVELS = tuple(level.value for level in AccessLevel)
DEFAULT_BASE_URL = "https://passport.example.org"
"""Base URL of the public passport when a sheet is made from a submission (as ``passport``)."""


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Options of one ``report`` run (``as_of`` ``None``: the kind's default date)."""

    kind: str
    language: str
    output: str
    as_of: date | None = None
    output_format: str = "pdf"
    ruleset: str = "eu-da-2024-draft"
    factor_files: tuple[Path, ...] = ()
    monte_carlo: int = 0
    seed: int = 0
    max_bytes: int = 10 * 1024 * 1024
    access: str = "public"
    """Access level of the passport sheet (Art. 77(2))."""
    trusted_key: bytes | None = None
    """Raw Ed25519 public key that must have signed the passport (``--key``)."""


def _read(target: Target, options: ReportOptions, stdin: BinaryIO, stderr: TextIO) -> bytes | None:
    data = read_target(target, options.max_bytes, stdin)
    if isinstance(data, Issue):
        print_issues(target.label, [data], stderr)
        return None
    return data


def _setup(options: ReportOptions, stderr: TextIO) -> CfpSetup | None:
    choices = CfpChoices(
        options.ruleset, factor_files=options.factor_files, max_bytes=options.max_bytes
    )
    return load_cfp_setup(choices, stderr, PROG)


def _recycled(options: ReportOptions, as_of: date, stderr: TextIO) -> RecycledSetup | None:
    """The Art. 8 calculation, for submissions whose BOM states compositions."""
    choices = RecycledChoices(max_bytes=options.max_bytes, only_with_composition=True)
    return load_recycled_setup(choices, as_of, stderr, PROG)


def _cfp_input(
    target: Target, options: ReportOptions, stdin: BinaryIO, stderr: TextIO
) -> object | int:
    """Validate the submission and compute its footprint; the report input or an exit code."""
    from compliance.reports import CfpReportInput, SourceDocument

    setup = _setup(options, stderr)
    if setup is None:
        return EXIT_USAGE
    data = _read(target, options, stdin, stderr)
    if data is None:
        return EXIT_FINDINGS
    as_of = options.as_of or date.today()
    recycled = _recycled(options, as_of, stderr)
    if recycled is None:
        return EXIT_USAGE
    calculation = CalculationOptions(trace=True, monte_carlo=options.monte_carlo, seed=options.seed)
    run = run_submission(
        data,
        name=target.label,
        setup=setup,
        as_of=as_of,
        calculation=calculation,
        recycled=recycled,
    )
    print_issues(target.label, run.issues, stderr)
    if not run.validation.ok or run.validation.submission is None:
        stderr.write(f"{PROG}: {target.label}: invalid submission, no report written\n")
        return EXIT_FINDINGS
    if run.cfp is None or run.cfp.result is None:
        stderr.write(f"{PROG}: {target.label}: no result (see the errors above), no report\n")
        return EXIT_FINDINGS
    if run.recycled is not None and run.recycled.result is None:
        stderr.write(
            f"{PROG}: {target.label}: no recycled-content result (see the errors above), "
            "no report\n"
        )
        return EXIT_FINDINGS
    source = SourceDocument(sha256(data).hexdigest())
    rc = run.recycled.result if run.recycled is not None else None
    return CfpReportInput(run.validation.submission, run.cfp.result, setup.ruleset, source, rc)


def _dd_input(
    target: Target, options: ReportOptions, stdin: BinaryIO, stderr: TextIO
) -> object | int:
    """Validate and score the questionnaire; the report input or an exit code."""
    from compliance.reports import DdReportInput, SourceDocument

    data = _read(target, options, stdin, stderr)
    if data is None:
        return EXIT_FINDINGS
    run = run_questionnaire(data, name=target.label, as_of=options.as_of or date.today())
    print_issues(target.label, run.issues, stderr)
    questionnaire = run.validation.questionnaire
    if run.dd is None or questionnaire is None:
        stderr.write(f"{PROG}: {target.label}: invalid questionnaire, no report written\n")
        return EXIT_FINDINGS
    source = SourceDocument(sha256(data).hexdigest())
    return DdReportInput(questionnaire, run.dd, load_catalogue(), source)


def _is_sealed_document(data: bytes) -> bool:
    """A sealed passport (canonical JSON with ``digest`` and ``passport``), not a submission."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        return False  # YAML or not JSON: read as a submission (which reports what is wrong)
    return isinstance(document, dict) and ("digest" in document or "passport" in document)


def _built_document(
    target: Target, data: bytes, options: ReportOptions, stderr: TextIO
) -> PassportDocument | int:
    """The passport of a supplier submission, sealed as version 1 (as ``compliance passport``)."""
    as_of = options.as_of or date.today()
    setup = _setup(options, stderr)
    if setup is None:
        return EXIT_USAGE
    recycled = _recycled(options, as_of, stderr)
    if recycled is None:
        return EXIT_USAGE
    request = PassportRequest(datetime.combine(as_of, time(0), tzinfo=UTC), DEFAULT_BASE_URL)
    run = run_submission(
        data, name=target.label, setup=setup, as_of=as_of, passport=request, recycled=recycled
    )
    print_issues(target.label, run.issues, stderr)
    if run.passport is None:
        stderr.write(f"{PROG}: {target.label}: no passport (see the errors above), no report\n")
        return EXIT_FINDINGS
    return seal_bytes(run.passport).document


def _passport_input(
    target: Target, options: ReportOptions, stdin: BinaryIO, stderr: TextIO
) -> object | int:
    """Verify the sealed passport (or build one); the sheet input of one level, or an exit code."""
    from compliance.reports import ReportInputError, SourceDocument, sheet_input

    data = _read(target, options, stdin, stderr)
    if data is None:
        return EXIT_FINDINGS
    if _is_sealed_document(data):
        verification = verify(data, trusted_key=options.trusted_key)
        if not verification.ok or verification.document is None:
            for reason in verification.reasons:
                stderr.write(f"{target.label}: error [passport.verification] {reason}\n")
            stderr.write(f"{PROG}: {target.label}: the passport does not verify, no report\n")
            return EXIT_FINDINGS
        document: PassportDocument | int = verification.document
    else:
        document = _built_document(target, data, options, stderr)
    if isinstance(document, int):
        return document
    generated = document.passport.provenance.generated_at.replace("Z", "+00:00")
    as_of = options.as_of or datetime.fromisoformat(generated).astimezone(UTC).date()
    source = SourceDocument(sha256(data).hexdigest())
    try:
        return sheet_input(document, AccessLevel(options.access), as_of=as_of, source=source)
    except ReportInputError as exc:
        stderr.write(f"{PROG}: {target.label}: {exc}\n")
        return EXIT_USAGE


InputBuilder = Callable[[Target, ReportOptions, BinaryIO, TextIO], object | int]

INPUT_BUILDERS: dict[str, InputBuilder] = {
    "cfp": _cfp_input,
    "dd": _dd_input,
    "passport": _passport_input,
}
"""Per report kind: read FILE, validate and compute with the library, return the report's input
(or an exit code after printing the located issues)."""
