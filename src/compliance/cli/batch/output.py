"""What ``compliance batch`` prints: text or JSON on standard output, a summary line.

Reporters receive each input's record as it finishes (``file``) and then, once the batch is
over, every record of the run sorted by file (``result``, read back from the manifest) and the
totals (``finish``). The text reporter prints each new finding as it arrives (one located line
per issue, the line every command prints) and a summary line; ``--quiet`` keeps only the summary
line. The JSON reporter writes one document, streamed: ``{"tool", "version", "out", "files":
[record...], "totals", "complete"}``. Other formats (junit, github, sarif) plug in as further
:class:`BatchReporter` implementations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TextIO

from compliance._version import __version__
from compliance.cli.batch.records import FileResult, Status
from compliance.cli.batch.summary import Totals
from compliance.cli.reporters import issue_line
from compliance.cli.streams import JsonReportStream
from compliance.errors import Issue, Severity

__all__ = ["BatchFormat", "BatchReporter", "Ending", "make_batch_reporter", "summary_line"]


class BatchFormat(StrEnum):
    """Output formats of ``compliance batch``."""

    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class Ending:
    """How the batch ended, beyond the records' totals."""

    out: str
    inputs: int
    """Inputs of the run (``totals.files`` is less when some were not processed)."""
    unchanged: int
    """Inputs skipped because their digest and the versions were unchanged."""
    not_processed: int
    stopped: str | None = None
    """Why the batch stopped early (a worker died, the output disk is full), if it did."""

    @property
    def complete(self) -> bool:
        """Every input has a current result and the summary files were written."""
        return self.not_processed == 0 and self.stopped is None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(totals: Totals, ending: Ending) -> str:
    """``12 files: 9 ok, 2 invalid, 1 unreadable, 0 failed (3 errors, 1 warning); ...``."""
    counts = ", ".join(f"{totals.statuses[s]} {s.value}" for s in Status)
    text = (
        f"{_plural(ending.inputs, 'file')}: {counts} ({_plural(totals.errors, 'error')}, "
        f"{_plural(totals.warnings, 'warning')})"
    )
    if ending.unchanged:
        text += f"; {ending.unchanged} unchanged since the last run"
    if ending.not_processed:
        text += f"; {ending.not_processed} not processed (run again to complete them)"
    if ending.complete:
        text += f"; summary in {ending.out}/index.html"
    else:
        text += "; no summary written (the batch is incomplete)"
    return text


class BatchReporter(Protocol):
    """Receives each record as it finishes, then the sorted records, then the end."""

    def file(self, record: FileResult, issues: Sequence[Issue], *, fresh: bool) -> None:
        """One input finished (``fresh``: processed now; else unchanged since the last run)."""

    def result(self, record: FileResult) -> None:
        """One record of the run, in file order, once the batch is over."""

    def finish(self, totals: Totals, ending: Ending) -> None:
        """Write the end of the output."""


class TextReporter:
    """Each new issue as a located line (errors and warnings), then the summary line.

    An input unchanged since the last run gets one line if it is not ok: its status, counts and
    the issues file the run that processed it wrote.
    """

    def __init__(self, out: TextIO, *, quiet: bool = False) -> None:
        self.out = out
        self.quiet = quiet

    def file(self, record: FileResult, issues: Sequence[Issue], *, fresh: bool) -> None:
        if self.quiet:
            return
        if not fresh:  # its issues were printed by the run that processed it: where they are
            if record.status is not Status.OK:
                where = next((o for o in record.outputs if o.endswith(".issues.json")), "")
                self.out.write(
                    f"{record.file}: {record.status.value} ({_plural(record.errors, 'error')}, "
                    f"{_plural(record.warnings, 'warning')}), unchanged since the last run: "
                    f"{where}\n"
                )
            return
        for issue in issues:
            if issue.severity is not Severity.INFO:
                self.out.write(issue_line(record.file, issue) + "\n")

    def result(self, record: FileResult) -> None:
        return

    def finish(self, totals: Totals, ending: Ending) -> None:
        if ending.stopped:
            self.out.write(f"stopped: {ending.stopped}\n")
        self.out.write(summary_line(totals, ending) + "\n")


class JsonReporter:
    """One JSON document: the run's records in file order, then the totals."""

    def __init__(self, out: TextIO, out_dir: str) -> None:
        self.stream = JsonReportStream(
            out, {"tool": "compliance batch", "version": __version__, "out": out_dir}
        )

    def file(self, record: FileResult, issues: Sequence[Issue], *, fresh: bool) -> None:
        return

    def result(self, record: FileResult) -> None:
        self.stream.add(record.to_dict())

    def finish(self, totals: Totals, ending: Ending) -> None:
        self.stream.finish(
            {
                "totals": {
                    **totals.to_dict(),
                    "inputs": ending.inputs,
                    "unchanged": ending.unchanged,
                    "notProcessed": ending.not_processed,
                },
                "complete": ending.complete,
                "stopped": ending.stopped,
                "summary": summary_line(totals, ending),
            }
        )


def make_batch_reporter(
    fmt: BatchFormat, out: TextIO, *, quiet: bool, out_dir: str
) -> BatchReporter:
    """The reporter of an output format."""
    if fmt is BatchFormat.JSON:
        return JsonReporter(out, out_dir)
    return TextReporter(out, quiet=quiet)
