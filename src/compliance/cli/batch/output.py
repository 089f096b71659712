"""What ``compliance batch`` prints: the shared reports of every checking command.

The batch reports through :mod:`compliance.cli.reporters`, like ``validate``, ``cfp`` and
``dd``: ``--format text|json|junit|github|sarif``, ``--quiet``, the one summary line and, with
``--format github``, the Markdown step summary (``$GITHUB_STEP_SUMMARY``). Once the batch is
over, every input of the run is reported in file order (read back sorted from the manifest, so
the output does not depend on which worker finished first, and a re-run reports an unchanged
input exactly as the run that processed it did): :func:`file_result` turns its record and the
issues its ``.issues.json`` holds into the shared :class:`~compliance.cli.reporters.FileResult`
(its JSON entry is the record, as in ``summary.json``). The summary line adds what only a batch
has (:func:`batch_summary`): inputs unchanged since the last run, inputs not processed, where the
summary files are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.cli.batch.records import FileResult, Status
from compliance.cli.reporters import FileResult as ReportedFile
from compliance.cli.reporters import ReportSettings, Summary
from compliance.errors import Issue, Layer, Severity

__all__ = ["Ending", "batch_summary", "file_result", "report_settings"]


@dataclass(frozen=True, slots=True)
class Ending:
    """How the batch ended, beyond the records' counts."""

    out: str
    inputs: int
    """Inputs of the run (fewer are reported when some were not processed)."""
    unchanged: int
    """Inputs skipped because their digest and the versions were unchanged."""
    not_processed: int
    stopped: str | None = None
    """Why the batch stopped early (a worker died, the output disk is full), if it did."""

    @property
    def complete(self) -> bool:
        """Every input has a current result and the summary files were written."""
        return self.not_processed == 0 and self.stopped is None


def report_settings(
    *, quiet: bool, head: dict[str, Any], step_summary: Path | None
) -> ReportSettings:
    """The words of the batch's summary line (``ok``, ``invalid``, the DD ``risk`` levels)."""
    return ReportSettings(
        "batch",
        passed=Status.OK.value,
        failed=Status.INVALID.value,
        outcome="risk",
        head=head,
        quiet=quiet,
        step_summary=step_summary,
    )


def _issue(data: dict[str, Any]) -> Issue:
    """An issue as :meth:`Issue.to_dict` wrote it into an ``.issues.json`` file."""
    return Issue(
        data["code"],
        data["pointer"],
        data["message"],
        Severity(data["severity"]),
        Layer(data["layer"]),
        data.get("line"),
        data.get("column"),
        data.get("context") or {},
    )


def _stored_issues(out: Path, record: FileResult) -> tuple[Issue, ...]:
    """The issues of an input, from its ``.issues.json`` output (written atomically)."""
    name = next((o for o in record.outputs if o.endswith(".issues.json")), None)
    if name is None:
        return ()
    try:
        document = json.loads((out / name).read_bytes())
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        lost = f"cannot read this input's issues from {name} ({reason}); run the batch again"
        return (Issue("io.unreadable", "", lost, Severity.ERROR, Layer.IO),)
    return tuple(_issue(item) for item in document["issues"])


def file_result(out: Path, record: FileResult) -> ReportedFile:
    """One input as every report format sees it (its issues read back from its outputs)."""
    return ReportedFile(
        record.file,
        record.kind.value,
        _stored_issues(out, record),
        passed=record.status is Status.OK,
        entry=record.to_dict(),
        unreadable=record.status in (Status.UNREADABLE, Status.FAILED),
        outcome=record.risk_level,
    )


def batch_summary(summary: Summary, ending: Ending) -> Summary:
    """``summary`` with what only a batch reports: unchanged, not processed, where, stopped."""
    if ending.unchanged:
        summary.remarks.append(f"{ending.unchanged} unchanged since the last run")
    if ending.not_processed:
        summary.remarks.append(f"{ending.not_processed} not processed (run again to complete them)")
    if ending.stopped:
        summary.remarks.append(f"stopped: {ending.stopped}")
    if ending.complete:
        summary.remarks.append(f"summary in {ending.out}/index.html")
    else:
        summary.remarks.append("no summary written (the batch is incomplete)")
    summary.extra.update(
        {
            "inputs": ending.inputs,
            "unchanged": ending.unchanged,
            "notProcessed": ending.not_processed,
            "complete": ending.complete,
            "stopped": ending.stopped,
        }
    )
    return summary
