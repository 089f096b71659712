"""One input through the pipeline: the function every batch worker runs.

:func:`process_file` reads the file (bounded), hashes it, and returns early when the digest is
the one its current outputs were made from. Otherwise it detects the document's kind and calls
:mod:`compliance.pipeline` once: a submission is validated, its carbon footprint computed and its
passport built and sealed (``<name>.passport.json``); a DD questionnaire is validated and scored
(``<name>.dd.json``). With ``--reports`` the PDFs are rendered too (CFP declaration and passport
sheet, or DD report). Any issue goes to ``<name>.issues.json``. It never raises for a bad file:
an unreadable file or a bug is a record with its issue. The outputs are returned as bytes; the
coordinator writes them (atomically), so a worker needs no access to the output directory.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from compliance.cli.batch.records import FileOutcome, FileResult, Kind, Output, Status, Task
from compliance.cli.batch.settings import BatchSettings, Loaded, loaded
from compliance.cli.discovery import Target, internal_issue, read_target
from compliance.cli.kinds import document_kind, is_questionnaire
from compliance.errors import Issue, Severity

__all__ = ["output_stem", "process_file"]


def output_stem(label: str) -> str:
    """Where an input's outputs go, relative to the output directory: ``files/<its path>``.

    The input's path is kept (readable, and two inputs never share a name); a leading ``/`` is
    dropped and ``..`` becomes ``_up_`` so nothing is written outside the directory.

    >>> output_stem("examples/valid/lmt-ebike.json")
    'files/examples/valid/lmt-ebike.json'
    >>> output_stem("/data/../x.yaml")
    'files/data/_up_/x.yaml'
    """
    parts = [
        "_up_" if part == ".." else part
        for part in PurePosixPath(label.replace("\\", "/")).parts
        if part not in ("/", ".")
    ]
    return "/".join(["files", *parts])


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def _counts(issues: tuple[Issue, ...]) -> Counter[Severity]:
    return Counter(issue.severity for issue in issues)


def _issues_output(stem: str, label: str, issues: tuple[Issue, ...]) -> list[Output]:
    if not issues:
        return []
    document = {"file": label, "issues": [issue.to_dict() for issue in issues]}
    return [Output(f"{stem}.issues.json", _json(document))]


def _submission(
    task: Task, data: bytes, digest: str, settings: BatchSettings, run_with: Loaded
) -> FileOutcome:
    from compliance.passport.integrity import seal_bytes
    from compliance.pipeline import CalculationOptions, PassportRequest, run_submission

    stem = output_stem(task.label)
    request = PassportRequest(settings.generated_at, settings.base_url)
    run = run_submission(
        data,
        name=task.label,
        setup=run_with.setup,
        as_of=settings.as_of,
        calculation=CalculationOptions(trace=settings.reports),  # the declaration lists the terms
        passport=request,
        limits=settings.limits,
    )
    issues = run.issues
    outputs = _issues_output(stem, task.label, issues)
    result = run.cfp.result if run.cfp is not None else None
    if run.passport is not None:
        sealed = seal_bytes(run.passport)
        outputs.append(Output(f"{stem}.passport.json", sealed.data))
        if settings.reports:
            outputs.extend(
                _submission_reports(stem, data, run, sealed.document, settings, run_with)
            )
    counts = _counts(issues)
    record = FileResult(
        file=task.label,
        kind=Kind.SUBMISSION,
        status=Status.OK if run.passport is not None else Status.INVALID,
        sha256=digest,
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
        cfp_per_unit=None if result is None else result.total_per_unit.value,
        cfp_unit=None if result is None else result.total_per_unit.unit,
        performance_class=None if result is None else result.performance_class.label,
        outputs=tuple(sorted(o.name for o in outputs)),
    )
    return FileOutcome(record, issues, tuple(outputs))


def _submission_reports(
    stem: str, data: bytes, run: Any, document: Any, settings: BatchSettings, run_with: Loaded
) -> list[Output]:
    """The CFP declaration and the public passport sheet (PDF/A-3b) of a traced run."""
    from compliance.passport.model import AccessLevel
    from compliance.reports import CfpReportInput, SourceDocument, render_report, sheet_input

    source = SourceDocument(hashlib.sha256(data).hexdigest())
    cfp_input = CfpReportInput(
        run.validation.submission, run.cfp.result, run_with.setup.ruleset, source
    )
    sheet = sheet_input(document, AccessLevel.PUBLIC, as_of=settings.as_of, source=source)
    return [
        Output(f"{stem}.cfp.pdf", render_report("cfp", cfp_input, language=settings.language)),
        Output(
            f"{stem}.passport.pdf", render_report("passport", sheet, language=settings.language)
        ),
    ]


def _questionnaire(
    task: Task, data: bytes, digest: str, settings: BatchSettings, run_with: Loaded
) -> FileOutcome:
    from compliance.pipeline import run_questionnaire

    stem = output_stem(task.label)
    run = run_questionnaire(
        data,
        name=task.label,
        as_of=settings.as_of,
        catalogue=run_with.catalogue,
        tables=run_with.tables,
        limits=settings.limits,
    )
    issues = run.issues
    outputs = _issues_output(stem, task.label, issues)
    if run.dd is not None:
        outputs.append(Output(f"{stem}.dd.json", _json(run.dd.to_dict())))
        if settings.reports and run.validation.questionnaire is not None:
            from compliance.reports import DdReportInput, SourceDocument, render_report

            report_input = DdReportInput(
                run.validation.questionnaire,
                run.dd,
                run_with.catalogue,
                SourceDocument(digest),
            )
            pdf = render_report("dd", report_input, language=settings.language)
            outputs.append(Output(f"{stem}.dd.pdf", pdf))
    counts = _counts(issues)
    record = FileResult(
        file=task.label,
        kind=Kind.QUESTIONNAIRE,
        status=Status.OK if run.dd is not None else Status.INVALID,
        sha256=digest,
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
        risk_level=None if run.dd is None else run.dd.risk.level,
        dd_level=None if run.dd is None else run.dd.maturity.level,
        outputs=tuple(sorted(o.name for o in outputs)),
    )
    return FileOutcome(record, issues, tuple(outputs))


def _failed(
    task: Task, kind: Kind, digest: str | None, issue: Issue, status: Status
) -> FileOutcome:
    stem = output_stem(task.label)
    outputs = tuple(_issues_output(stem, task.label, (issue,)))
    record = FileResult(
        file=task.label,
        kind=kind,
        status=status,
        sha256=digest,
        errors=1,
        outputs=tuple(o.name for o in outputs),
    )
    return FileOutcome(record, (issue,), outputs)


def process_file(task: Task, settings: BatchSettings) -> FileOutcome:
    """Process one input (see the module docstring). Never raises for a bad file."""
    data = read_target(Target(task.label, task.path), settings.limits.max_bytes, io.BytesIO())
    if isinstance(data, Issue):
        return _failed(task, Kind.UNKNOWN, None, data, Status.UNREADABLE)
    digest = hashlib.sha256(data).hexdigest()
    if digest == task.known_sha256:
        return FileOutcome(None)
    kind = Kind.SUBMISSION
    try:
        if is_questionnaire(document_kind(task.label, data, settings.limits)):
            kind = Kind.QUESTIONNAIRE
        run_with = loaded(settings)
        if kind is Kind.QUESTIONNAIRE:
            return _questionnaire(task, data, digest, settings, run_with)
        return _submission(task, data, digest, settings, run_with)
    except Exception as exc:  # never a traceback: this file's issue, and the batch goes on
        return _failed(task, kind, digest, internal_issue(exc), Status.FAILED)
