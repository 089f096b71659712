"""The core pipeline: from a document (bytes or parsed) to validation, CFP, DD and passport results.

Every edge (the CLI, the report builders, the coming HTTP service, a benchmark) calls these two
functions instead of chaining the layers itself:

* :func:`run_submission`: a supplier submission is validated, then (given a :class:`RecycledSetup`)
  its Art. 8 recycled content computed, then (given a :class:`CfpSetup`) its carbon footprint,
  then (given a :class:`PassportRequest`) its passport built (Annex XIII 1(e) from the recycled
  content when it was computed);
* :func:`run_questionnaire`: a DD questionnaire is validated, then scored.

Pure: no clock, environment or file access. The caller loads its choices first (the CFP ruleset,
possibly composed with ``--choice`` overrides, the GWP set, the factor library, the DD catalogue
and reference tables) and passes them in with ``as_of`` and, for a passport, the generation time.
Bad input never raises: every problem is a located :class:`~compliance.errors.Issue` in the
returned run, and each stage runs only when the stage before it succeeded. Only a caller's
mistake raises (:class:`ValueError`: a CFP setup without ``as_of``, a passport without a setup).
The runs are frozen dataclasses; the pipeline never changes the choices it is given.

>>> from datetime import date
>>> from compliance.cfp import FactorLibrary, load_ruleset
>>> setup = CfpSetup(load_ruleset("eu-da-2024-draft"), FactorLibrary.bundled([]))
>>> run = run_submission(b'{"schemaVersion": "1.0.0"}', name="s.json", setup=setup,
...                      as_of=date(2027, 3, 1))
>>> run.ok, run.cfp, run.issues[0].code, run.issues[0].pointer
(False, None, 'schema.required', '/manufacturer')
>>> run.source.sha256[:12]
'693ce24a3efc'
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from compliance.errors import Issue, Severity
from compliance.validation.parsing import DEFAULT_LIMITS, DocumentFormat, ParseLimits

if TYPE_CHECKING:
    from compliance.cfp import CfpOutcome, FactorLibrary
    from compliance.cfp.gwp import GwpSet
    from compliance.cfp.rulesets import CfpRuleset
    from compliance.dd import (
        Catalogue,
        DdResult,
        QuestionnaireReport,
        ReferenceTables,
        ScoringContext,
    )
    from compliance.models import SupplierSubmission
    from compliance.passport.model import Passport
    from compliance.recycled import LoadedRuleset, RecycledOutcome
    from compliance.validation.report import ValidationReport

# Each stage imports its layer when it runs: a validation-only run (``compliance validate
# --no-cfp-check``) loads neither the CFP engine nor the DD rules nor the passport builder.

__all__ = [
    "CalculationOptions",
    "CfpSetup",
    "PassportRequest",
    "QuestionnaireRun",
    "RecycledSetup",
    "Source",
    "SubmissionRun",
    "run_questionnaire",
    "run_submission",
]

Document = bytes | Mapping[str, Any]
"""A document as the pipeline takes it: raw bytes (JSON or YAML) or an already parsed mapping."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a document came from: its label and the SHA-256 (hex) of its bytes.

    ``sha256`` is ``None`` for a document given already parsed (there are no bytes to hash).
    """

    label: str
    sha256: str | None

    @property
    def digest(self) -> str | None:
        """``sha256:<hex>``, the form a passport records as provenance."""
        return None if self.sha256 is None else "sha256:" + self.sha256


def _source(document: Document, name: str) -> Source:
    if isinstance(document, bytes):
        return Source(name, hashlib.sha256(document).hexdigest())
    return Source(name, None)


@dataclass(frozen=True, slots=True)
class CfpSetup:
    """The loaded CFP choices of a run: ruleset (possibly composed), factor library, GWP set.

    ``gwp`` ``None`` uses the ruleset's own GWP set.
    """

    ruleset: CfpRuleset
    library: FactorLibrary
    gwp: GwpSet | None = None


@dataclass(frozen=True, slots=True)
class CalculationOptions:
    """How much the calculation records beyond the result (all off: the fast path)."""

    trace: bool = False
    """Record every term and rule (``--explain``, the JSON output and the CFP report need it)."""
    monte_carlo: int = 0
    """Monte Carlo samples (0: none)."""
    seed: int = 0
    sensitivity: bool = False


@dataclass(frozen=True, slots=True)
class QuestionnaireRun:
    """A DD questionnaire: its validation report and, when it is valid, its scored result.

    ``issues`` are the validation's plus, should scoring refuse the questionnaire, the scorer's.
    """

    source: Source
    validation: QuestionnaireReport
    dd: DdResult | None
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        """True when the questionnaire was scored."""
        return self.dd is not None


@dataclass(frozen=True, slots=True)
class PassportRequest:
    """Ask :func:`run_submission` for the passport too.

    ``generated_at`` is the provenance time (the caller reads the clock, the core never does);
    ``dd`` is a scored questionnaire whose summary goes to the passport's extensions.
    """

    generated_at: datetime
    base_url: str
    dd: QuestionnaireRun | None = None

    def __post_init__(self) -> None:
        if self.dd is not None and self.dd.dd is None:
            raise ValueError("PassportRequest.dd must be a scored questionnaire (run.ok)")


@dataclass(frozen=True, slots=True)
class RecycledSetup:
    """Ask :func:`run_submission` for the Art. 8 recycled content too.

    ``ruleset``: the loaded recycled-content ruleset and compound table
    (:func:`compliance.recycled.load_recycled_ruleset`). ``dd``: a scored DD questionnaire of a
    supplier in the bill of materials; the recycled claims its rules rejected (CX-02, evidence
    rules) are left out of the calculation, which says so in its trace and issues.
    """

    ruleset: LoadedRuleset
    dd: QuestionnaireRun | None = None
    only_with_composition: bool = False
    """Compute only when a bill-of-materials line states a composition (the passport and report
    commands: a submission without Art. 8 data keeps its declared block and is not failed for
    missing element data; ``compliance recycled`` always computes)."""

    def __post_init__(self) -> None:
        if self.dd is not None and self.dd.dd is None:
            raise ValueError("RecycledSetup.dd must be a scored questionnaire (run.ok)")


@dataclass(frozen=True, slots=True)
class SubmissionRun:
    """A supplier submission through the pipeline: validation, CFP outcome, passport.

    A stage that did not run is ``None``: ``cfp`` without a :class:`CfpSetup` or when validation
    failed, ``passport`` without a :class:`PassportRequest` or when an earlier stage (or the
    passport's own checks, ``passport_issues``) found an error.
    """

    source: Source
    validation: ValidationReport
    cfp: CfpOutcome | None = None
    passport: Passport | None = None
    passport_issues: tuple[Issue, ...] = ()
    recycled: RecycledOutcome | None = None
    """The Art. 8 recycled content (``None`` without a :class:`RecycledSetup`); its issues are
    located in the document when the bytes were given."""

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Every issue of every stage that ran, in stage order."""
        cfp = self.cfp.issues if self.cfp is not None else ()
        recycled = self.recycled.issues if self.recycled is not None else ()
        return (*self.validation.issues, *recycled, *cfp, *self.passport_issues)

    @property
    def ok(self) -> bool:
        """True when no stage found an error (a validation-only run: the document is valid)."""
        return not any(i.severity is Severity.ERROR for i in self.issues)


def run_submission(
    document: Document,
    *,
    name: str,
    setup: CfpSetup | None = None,
    as_of: date | None = None,
    calculation: CalculationOptions = CalculationOptions(),
    passport: PassportRequest | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
    input_format: DocumentFormat | None = None,
    full: bool = False,
    recycled: RecycledSetup | None = None,
) -> SubmissionRun:
    """Validate a submission; with ``setup`` and ``as_of`` compute its CFP; then its passport.

    Args:
        document: Raw bytes (JSON or YAML; ``name``'s extension or ``input_format`` tells which)
            or an already parsed mapping.
        name: The file name or label issues are reported under.
        setup: The loaded CFP choices; ``None``: validation only.
        as_of: The calculation date (required with ``setup``).
        calculation: Trace, Monte Carlo, sensitivity.
        passport: Build the passport too (needs ``setup``: a passport carries the CFP; and the
            bytes: it records their digest).
        limits: Parser limits (size, depth).
        input_format: Force JSON or YAML.
        full: Also run the JSON Schema layer on documents the models accept.
        recycled: Compute the Art. 8 recycled content too (needs ``as_of``: the targets are
            judged on it); with a CFP setup, its default R1 is compared with the BOM's shares.
    """
    if setup is not None and as_of is None:
        raise ValueError("run_submission: a CFP setup needs as_of")
    if recycled is not None and as_of is None:
        raise ValueError("run_submission: a recycled-content setup needs as_of")
    if passport is not None and setup is None:
        raise ValueError("run_submission: a passport needs a CFP setup")
    if passport is not None and not isinstance(document, bytes):
        raise ValueError("run_submission: a passport needs the bytes (its provenance digest)")
    from compliance.validation.submission import validate_submission

    source = _source(document, name)
    workbook = _workbook(document, name, "submission")
    if isinstance(workbook, _WorkbookRun):
        validation = workbook.submission_report(full)
        document = workbook.document if validation.submission is not None else document
    else:
        validation = validate_submission(
            document, name=name, format=input_format, limits=limits, full=full
        )
    run = SubmissionRun(source, validation)
    sub = validation.submission
    if sub is None or not validation.ok or as_of is None:
        return run
    rc: RecycledOutcome | None = None
    wanted = recycled is not None and (
        not recycled.only_with_composition
        or any(line.composition is not None for line in sub.bill_of_materials)
    )
    if recycled is not None and wanted:
        rc = _recycled(document, name, input_format, sub, recycled, setup, as_of)
        run = SubmissionRun(source, validation, recycled=rc)
    if setup is None:
        return run
    from compliance.cfp.calculator import compute_cfp

    outcome = compute_cfp(
        sub,
        setup.ruleset,
        library=setup.library,
        as_of=as_of,
        gwp=setup.gwp,
        trace=calculation.trace,
        monte_carlo=calculation.monte_carlo,
        seed=calculation.seed,
        sensitivity=calculation.sensitivity,
        input_sha256=source.sha256,
    )
    run = SubmissionRun(source, validation, outcome, recycled=rc)
    if passport is None or outcome.result is None:
        return run
    from compliance.passport.builder import build_passport
    from compliance.passport.due_diligence import summarise_dd
    from compliance.validation.locating import locate_issues
    from compliance.validation.parsing import detect_format

    dd = passport.dd
    summary, tables = summarise_dd(dd.dd) if dd is not None and dd.dd is not None else (None, ())
    built, problems = build_passport(
        sub,
        generated_at=passport.generated_at,
        submission_digest=f"sha256:{source.sha256}",
        base_url=passport.base_url,
        cfp=outcome.result,
        dd=summary,
        questionnaire_digest=dd.source.digest if dd is not None else None,
        dd_reference_tables=tables,
        recycled=rc.result if rc is not None else None,
    )
    located: tuple[Issue, ...] = ()
    if problems and isinstance(document, bytes):
        text = document.decode("utf-8", errors="replace")
        fmt = input_format or detect_format(name, document)
        located = tuple(locate_issues(problems, text, fmt))
    run = SubmissionRun(source, validation, outcome, built, located, rc)
    return run if run.ok else SubmissionRun(source, validation, outcome, None, located, rc)


def _recycled(
    document: Document,
    name: str,
    input_format: DocumentFormat | None,
    sub: SupplierSubmission,
    recycled: RecycledSetup,
    setup: CfpSetup | None,
    as_of: date,
) -> RecycledOutcome:
    """The recycled-content stage: DD-rejected claims out, issues located in the document."""
    from compliance.recycled import RecycledOutcome, compute_recycled
    from compliance.recycled.dd_claims import rejected_recycled_claims
    from compliance.validation.locating import locate_issues
    from compliance.validation.parsing import detect_format

    dd = recycled.dd.dd if recycled.dd is not None else None
    outcome = compute_recycled(
        sub,
        recycled.ruleset,
        as_of=as_of,
        rejected=rejected_recycled_claims(dd) if dd is not None else (),
        cff_default_r1=setup.ruleset.cff.defaults.recycled_content if setup else None,
    )
    if outcome.issues and isinstance(document, bytes):
        text = document.decode("utf-8", errors="replace")
        fmt = input_format or detect_format(name, document)
        located = tuple(locate_issues(list(outcome.issues), text, fmt))
        return RecycledOutcome(outcome.result, located)
    return outcome


def run_questionnaire(
    document: Document,
    *,
    name: str,
    as_of: date,
    catalogue: Catalogue | None = None,
    tables: ReferenceTables | None = None,
    context: ScoringContext | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
    input_format: DocumentFormat | None = None,
) -> QuestionnaireRun:
    """Validate a DD questionnaire and, when it is valid, score it.

    ``catalogue`` and ``tables`` default to the bundled ones; ``context`` is what the operator
    knows beyond the questionnaire (expected materials, the supplier asked, its turnover).

    >>> from datetime import date
    >>> run = run_questionnaire(b"{}", name="q.json", as_of=date(2026, 1, 15))
    >>> run.ok, run.dd, run.issues[0].severity.value
    (False, None, 'error')
    """
    from compliance.dd import InvalidQuestionnaireError, score_questionnaire, validate_questionnaire

    source = _source(document, name)
    workbook = _workbook(document, name, "questionnaire")
    if isinstance(workbook, _WorkbookRun):
        report = workbook.questionnaire_report(as_of, catalogue)
    else:
        report = validate_questionnaire(
            document,
            as_of=as_of,
            catalogue=catalogue,
            name=name,
            format=input_format,
            limits=limits,
        )
    if report.questionnaire is None or not report.ok:
        return QuestionnaireRun(source, report, None, report.issues)
    try:
        result = score_questionnaire(
            report.questionnaire,
            catalogue,
            tables,
            as_of=as_of,
            context=context,
            checked=report.checked,
        )
    except InvalidQuestionnaireError as exc:
        return QuestionnaireRun(source, report, None, (*report.issues, *exc.issues))
    return QuestionnaireRun(source, report, result, report.issues)


@dataclass(frozen=True, slots=True)
class _WorkbookRun:
    """A workbook input: its kind, the document read from it, and the cells of its pointers."""

    name: str
    kind: str
    document: Mapping[str, Any]
    issues: tuple[Issue, ...]
    cells: Mapping[str, tuple[str, str]]

    def _locate(self, issues: tuple[Issue, ...]) -> tuple[Issue, ...]:
        from compliance.workbooks.reader import locate_in_workbook

        return tuple(locate_in_workbook(issues, self.cells))

    def submission_report(self, full: bool) -> ValidationReport:
        """The submission's validation report, issues at their cells."""
        from dataclasses import replace

        from compliance.validation.kinds import DocumentKind
        from compliance.validation.report import ValidationReport
        from compliance.validation.submission import other_kind_report, validate_submission

        if self.kind == DocumentKind.QUESTIONNAIRE_WORKBOOK:
            return other_kind_report(DocumentKind.QUESTIONNAIRE_WORKBOOK, self.name)
        if self.kind != DocumentKind.SUBMISSION_WORKBOOK:  # an RMI or unknown workbook
            return ValidationReport(self.issues, self.kind, None, None, self.name)
        report = validate_submission(self.document, name=self.name, full=full)
        issues = self._locate((*self.issues, *report.issues))
        if self.issues:
            return replace(report, issues=issues, submission=None)
        return replace(report, issues=issues)

    def questionnaire_report(self, as_of: date, catalogue: Catalogue | None) -> QuestionnaireReport:
        """The questionnaire's validation report, issues at their cells."""
        from dataclasses import replace

        from compliance.dd import validate_questionnaire
        from compliance.dd.validate import QuestionnaireReport, other_kind_report
        from compliance.validation.kinds import DocumentKind

        if self.kind == DocumentKind.SUBMISSION_WORKBOOK:
            return other_kind_report(DocumentKind.SUBMISSION_WORKBOOK, self.name)
        if self.kind != DocumentKind.QUESTIONNAIRE_WORKBOOK:  # an RMI or unknown workbook
            return QuestionnaireReport(self.issues, None, self.name, None, self.kind)
        report = validate_questionnaire(
            self.document, as_of=as_of, catalogue=catalogue, name=self.name
        )
        issues = self._locate((*self.issues, *report.issues))
        if self.issues:
            return replace(report, issues=issues, questionnaire=None, checked=None)
        return replace(report, issues=issues)


def _workbook(document: Document, name: str, expected: str) -> _WorkbookRun | None:
    """A workbook's content as a document (``None``: not a workbook).

    A workbook of another kind (an RMI template, the other template) becomes a document the
    validators report as that kind.
    """
    if not isinstance(document, bytes):
        return None
    from compliance.validation.kinds import DocumentKind, detect_kind, is_workbook

    if not is_workbook(document):
        return None
    kind = detect_kind(document)
    if kind in (DocumentKind.SUBMISSION_WORKBOOK, DocumentKind.QUESTIONNAIRE_WORKBOOK):
        from compliance.workbooks.templates import read_document_workbook

        read = read_document_workbook(document, kind)
        data = read.data or {}
        return _WorkbookRun(name, kind.value, data, tuple(read.issues), read.cells)
    from compliance.validation.kinds import wrong_kind_issue

    wanted = DocumentKind.SUBMISSION if expected == "submission" else DocumentKind.QUESTIONNAIRE
    issue = wrong_kind_issue(kind, wanted)
    if kind is DocumentKind.UNKNOWN:
        from compliance.intake.rmi.workbook import open_workbook

        opened = open_workbook(document)
        if isinstance(opened, Issue):  # damaged, encrypted, a legacy .xls, a zip bomb
            unreadable = Issue("xlsx.unreadable", "", opened.message, Severity.ERROR, opened.layer)
            return _WorkbookRun(name, kind.value, {}, (unreadable,), {})
        opened.close()
        issue = Issue(
            "document.wrong-kind",
            "",
            "this workbook is not a compliance template (no template keyword in its "
            "properties) nor an RMI reporting template; fill the workbook "
            "'compliance new " + expected + " --format xlsx' writes",
            Severity.ERROR,
            issue.layer,
            context=issue.context,
        )
    return _WorkbookRun(name, kind.value, {}, (issue,), {})
