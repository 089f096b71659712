"""Render one report in a worker process: document bytes -> the library's result -> a cached PDF.

This module runs inside the report worker (:mod:`compliance.service.report_jobs` starts it in a
process pool): WeasyPrint's font configuration is not thread-safe and
:func:`compliance.reports.pdf.default_renderer` keeps one per process, so each worker process has
its own and the service's event loop never lays out a page.

A :class:`ReportRequest` carries only plain values (the stored document's bytes, the kind, the
language, the access level, the ruleset and the calculation date), so it pickles cheaply and the
worker recomputes the result with :mod:`compliance.pipeline` exactly as ``compliance report``
does: the report only formats, and the same request always gives the same PDF. The PDF is
written atomically into the cache directory under :attr:`ReportRequest.key`; a request whose
document is invalid gives a :class:`RenderOutcome` with the located issues and no file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from hashlib import sha256
from pathlib import Path
from typing import Any, Literal

from compliance._version import __version__

__all__ = [
    "ACCESS_LEVELS",
    "FAILED_SUFFIX",
    "REPORT_KINDS",
    "RenderOutcome",
    "ReportRefused",
    "ReportRequest",
    "atomic_write",
    "build_input",
    "render_to_cache",
    "warm_up",
]

ReportKindName = Literal["cfp", "dd", "passport"]
REPORT_KINDS: tuple[ReportKindName, ...] = ("cfp", "dd", "passport")
"""Kinds the service renders: CFP declaration and passport sheet (from a submission or a sealed
passport), DD audit report (from a questionnaire)."""
ACCESS_LEVELS = ("public", "legitimate-interest", "authority", "full")
"""Access levels of the passport sheet (Art. 77(2)); the other kinds have none."""
PDF_SUFFIX = ".pdf"


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """One report to render: plain values only (it crosses a process boundary).

    Attributes:
        kind: ``cfp`` and ``passport`` take a supplier submission (``passport`` also a sealed
            passport document), ``dd`` a DD questionnaire.
        language: ``en`` or ``ja``.
        document: The stored document's bytes (JSON, YAML or an RMI workbook for ``dd``).
        name: Its file name (the format is told by its extension).
        as_of: Calculation, scoring or completeness date (and the passport's generation day).
        ruleset: CFP ruleset id (``cfp`` and ``passport`` from a submission).
        access: Access level of the passport sheet; ``public`` for the other kinds.
        base_url: Public base URL a passport built from a submission points its QR code at.
        sealed: ``passport`` only: the document is a sealed passport (verified byte for byte),
            not a submission (whose passport is built as of ``as_of`` and sealed as version 1).
    """

    kind: ReportKindName
    language: str
    document: bytes = field(repr=False)
    name: str
    as_of: date
    ruleset: str = "eu-da-2024-draft"
    access: str = "public"
    base_url: str = "https://passport.example.org"
    sealed: bool = False

    @property
    def input_digest(self) -> str:
        """SHA-256 (hex) of the document's bytes."""
        return sha256(self.document).hexdigest()

    @property
    def key(self) -> str:
        """The cache key: a digest of the input digest and everything else the PDF depends on.

        Kind, language, access level, ruleset, date, base URL and the engine version (a new
        release may lay a report out differently) all change it; two equal requests share it.
        """
        parts = {
            "engine": __version__,
            "input": self.input_digest,
            "kind": self.kind,
            "language": self.language,
            "access": self.access,
            "ruleset": self.ruleset,
            "asOf": self.as_of.isoformat(),
            "baseUrl": self.base_url,
            "sealed": self.sealed,
        }
        return sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    @property
    def filename(self) -> str:
        """The download's file name, e.g. ``cfp-en-3f2a9c1b.pdf``."""
        level = f"-{self.access}" if self.kind == "passport" else ""
        return f"{self.kind}{level}-{self.language}-{self.input_digest[:8]}{PDF_SUFFIX}"


@dataclass(frozen=True, slots=True)
class RenderOutcome:
    """What the worker did: a PDF in the cache (``size`` bytes) or why there is none.

    ``issues`` are the located issues (``Issue.to_dict()``) of an invalid document; ``problem``
    is the one-sentence reason the report was not made.
    """

    key: str
    size: int = 0
    problem: str | None = None
    issues: tuple[dict[str, Any], ...] = ()

    @property
    def ok(self) -> bool:
        """True when the PDF was written."""
        return self.problem is None


class ReportRefused(Exception):
    """No report can be made of the request: the reason, and the document's located issues."""

    def __init__(self, problem: str, issues: tuple[dict[str, Any], ...] = ()) -> None:
        super().__init__(problem)
        self.problem = problem
        self.issues = issues


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``path`` atomically (temporary file in the same directory, fsync, rename)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _errors(issues: Any) -> tuple[dict[str, Any], ...]:
    return tuple(issue.to_dict() for issue in issues)


def _cfp_setup(ruleset: str) -> Any:
    """The bundled CFP setup of ``ruleset`` (the service's cached loader, as its API uses)."""
    from compliance.cfp.rulesets import UnknownRulesetError
    from compliance.service.state import load_setup

    try:
        return load_setup(ruleset, None, ())
    except UnknownRulesetError as exc:
        raise ReportRefused(str(exc)) from None


def _cfp_input(request: ReportRequest) -> object:
    from compliance.pipeline import CalculationOptions, run_submission
    from compliance.reports import CfpReportInput, SourceDocument

    setup = _cfp_setup(request.ruleset)
    run = run_submission(
        request.document,
        name=request.name,
        setup=setup,
        as_of=request.as_of,
        calculation=CalculationOptions(trace=True),
    )
    submission = run.validation.submission
    if not run.validation.ok or submission is None:
        raise ReportRefused("the submission is invalid", _errors(run.issues))
    if run.cfp is None or run.cfp.result is None:
        raise ReportRefused("the submission yields no carbon footprint", _errors(run.issues))
    source = SourceDocument(request.input_digest)
    return CfpReportInput(submission, run.cfp.result, setup.ruleset, source)


def _dd_input(request: ReportRequest) -> object:
    from compliance.dd import load_catalogue
    from compliance.pipeline import run_questionnaire
    from compliance.reports import DdReportInput, SourceDocument

    run = run_questionnaire(request.document, name=request.name, as_of=request.as_of)
    questionnaire = run.validation.questionnaire
    if run.dd is None or questionnaire is None:
        raise ReportRefused("the questionnaire is invalid", _errors(run.issues))
    source = SourceDocument(request.input_digest)
    return DdReportInput(questionnaire, run.dd, load_catalogue(), source)


def _passport_input(request: ReportRequest) -> object:
    from compliance.passport.integrity import seal_bytes, verify
    from compliance.passport.model import AccessLevel
    from compliance.pipeline import PassportRequest, run_submission
    from compliance.reports import ReportInputError, SourceDocument, sheet_input

    if request.sealed:
        verification = verify(request.document)
        if not verification.ok or verification.document is None:
            raise ReportRefused("the passport does not verify: " + "; ".join(verification.reasons))
        document = verification.document
    else:
        generated = datetime.combine(request.as_of, time(0), tzinfo=UTC)
        run = run_submission(
            request.document,
            name=request.name,
            setup=_cfp_setup(request.ruleset),
            as_of=request.as_of,
            passport=PassportRequest(generated, request.base_url),
        )
        if run.passport is None:
            raise ReportRefused("the submission yields no passport", _errors(run.issues))
        document = seal_bytes(run.passport).document
    try:
        level = AccessLevel(request.access)
    except ValueError:
        raise ReportRefused(f"unknown access level {request.access!r}") from None
    try:
        return sheet_input(
            document, level, as_of=request.as_of, source=SourceDocument(request.input_digest)
        )
    except ReportInputError as exc:
        raise ReportRefused(str(exc)) from None


_BUILDERS = {"cfp": _cfp_input, "dd": _dd_input, "passport": _passport_input}


def build_input(request: ReportRequest) -> object:
    """The report kind's input, computed with the library from the request's document.

    Raises:
        ReportRefused: The document is invalid (with its located issues) or yields no result.
    """
    return _BUILDERS[request.kind](request)


def render_pdf(request: ReportRequest) -> bytes:
    """The PDF of ``request``.

    Raises:
        ReportRefused: There can be none (invalid document, unsupported language ...).
    """
    from compliance import reports

    try:
        reports.check_language(request.language)
        report_input = build_input(request)
        return reports.render_report(request.kind, report_input, language=request.language)
    except reports.ReportError as exc:
        raise ReportRefused(str(exc)) from None


FAILED_SUFFIX = ".failed.json"


def render_to_cache(request: ReportRequest, directory: str) -> RenderOutcome:
    """Render ``request`` into ``directory/<key>.pdf`` (atomically); runs in the worker.

    A PDF already there is kept (another worker or an earlier run made the same bytes). When no
    report can be made, ``<key>.failed.json`` records why (every server process can answer the
    job's status from the directory).
    """
    key = request.key
    target = Path(directory) / (key + PDF_SUFFIX)
    failed = Path(directory) / (key + FAILED_SUFFIX)
    if target.is_file():
        return RenderOutcome(key, size=target.stat().st_size)
    try:
        content = render_pdf(request)
    except ReportRefused as refused:
        outcome = RenderOutcome(key, problem=refused.problem, issues=refused.issues)
        record = {"problem": outcome.problem, "issues": list(outcome.issues)}
        atomic_write(failed, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        return outcome
    atomic_write(target, content)
    return RenderOutcome(key, size=len(content))


def warm_up() -> None:
    """Load WeasyPrint, the fonts and the stylesheets once, when the worker process starts."""
    from compliance.reports.pdf import default_renderer

    default_renderer().stylesheets()
