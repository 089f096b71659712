"""The summary of a batch: ``summary.json``, ``summary.csv`` and ``index.html`` in the output dir.

One row per input of the run, sorted by file name (read sorted from the manifest and written as
they are read, so memory stays flat), with its status, CFP per functional unit, DD risk level,
issue counts and output files; then the totals. Nothing in them depends on when or how the batch
ran (no timestamp, duration or worker count; the date is ``--as-of``), so the same inputs and
versions give byte-identical files, from a process pool or a Dask cluster, fresh or resumed.
Each file is written atomically (:func:`compliance.cli.fileio.atomic_open`).
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance._version import __version__
from compliance.cli.batch.records import FileResult, Status
from compliance.cli.fileio import atomic_open
from compliance.cli.streams import JsonReportStream

__all__ = ["SUMMARY_FILES", "Totals", "count", "write_summary"]

SUMMARY_FILES = ("summary.json", "summary.csv", "index.html")
CSV_COLUMNS = (
    "file",
    "kind",
    "status",
    "errors",
    "warnings",
    "infos",
    "cfp_per_unit",
    "cfp_unit",
    "performance_class",
    "risk_level",
    "dd_level",
    "sha256",
    "outputs",
)


@dataclass(slots=True)
class Totals:
    """Counts over the inputs of a run."""

    files: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    errors: int = 0
    warnings: int = 0

    def add(self, record: FileResult) -> None:
        """Count one input."""
        self.files += 1
        self.statuses[record.status] += 1
        self.errors += record.errors
        self.warnings += record.warnings

    def to_dict(self) -> dict[str, int]:
        """JSON-ready counts."""
        return {
            "files": self.files,
            **{status.value: self.statuses[status] for status in Status},
            "errors": self.errors,
            "warnings": self.warnings,
        }


class _Text(io.TextIOWrapper):
    """A UTF-8 text view of a binary handle that leaves the handle open."""

    def close(self) -> None:
        self.detach()


def _csv_row(record: FileResult) -> list[str]:
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return [
        record.file,
        record.kind.value,
        record.status.value,
        str(record.errors),
        str(record.warnings),
        str(record.infos),
        text(record.cfp_per_unit),
        text(record.cfp_unit),
        text(record.performance_class),
        text(record.risk_level),
        text(record.dd_level),
        text(record.sha256),
        ";".join(record.outputs),
    ]


_STYLE = """
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; margin: 2rem; color: #1d2733; }
h1 { font-size: 1.4rem; margin-bottom: .2rem; }
p.meta { color: #5a6775; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { border-bottom: 1px solid #d8dee4; padding: .35rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #eef2f6; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1a7f37; } .invalid { color: #b35900; } .unreadable, .failed { color: #c62828; }
.totals span { margin-right: 1.2rem; }
a { color: #0b5cad; }
"""


def _totals_line(totals: Totals) -> str:
    spans = "".join(
        f"<span>{html.escape(name)}: {value}</span>" for name, value in totals.to_dict().items()
    )
    return f'<p class="totals">{spans}</p>\n'


def _html_head(head: dict[str, Any], totals: Totals) -> str:
    versions = head["versions"]
    ruleset = versions["ruleset"]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>compliance batch summary</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
        "<h1>Batch summary</h1>\n"
        f'<p class="meta">As of {html.escape(versions["asOf"])} &middot; ruleset '
        f"{html.escape(ruleset['id'])} {html.escape(ruleset['version'])} &middot; DD catalogue "
        f"{html.escape(versions['ddCatalogue']['version'])} &middot; compliance "
        f'{html.escape(__version__)} &middot; <a href="summary.json">summary.json</a> '
        '&middot; <a href="summary.csv">summary.csv</a></p>\n'
        f"{_totals_line(totals)}"
        "<table>\n<thead><tr><th>File</th><th>Kind</th><th>Status</th><th>Errors</th>"
        "<th>Warnings</th><th>CFP per functional unit</th><th>Class</th><th>DD risk</th>"
        "<th>DD level</th><th>Outputs</th></tr></thead>\n<tbody>\n"
    )


def _html_row(record: FileResult) -> str:
    def cell(value: object, numeric: bool = False) -> str:
        shown = "&ndash;" if value is None else html.escape(str(value))
        return f'<td class="num">{shown}</td>' if numeric else f"<td>{shown}</td>"

    cfp = (
        None
        if record.cfp_per_unit is None
        else f"{record.cfp_per_unit:.4g} {record.cfp_unit or ''}".strip()
    )
    links = " ".join(
        f'<a href="{html.escape(name)}">{html.escape(name.rsplit(".", 2)[-2])}</a>'
        if name.count(".") >= 2
        else f'<a href="{html.escape(name)}">{html.escape(name)}</a>'
        for name in record.outputs
    )
    return (
        f"<tr><td>{html.escape(record.file)}</td>{cell(record.kind.value)}"
        f'<td class="{record.status.value}">{record.status.value}</td>'
        f"{cell(record.errors, True)}{cell(record.warnings, True)}{cell(cfp, True)}"
        f"{cell(record.performance_class)}{cell(record.risk_level)}{cell(record.dd_level, True)}"
        f"<td>{links}</td></tr>\n"
    )


_HTML_TAIL = "</tbody>\n</table>\n</body>\n</html>\n"


def count(records: Iterable[FileResult]) -> Totals:
    """The totals of ``records``."""
    totals = Totals()
    for record in records:
        totals.add(record)
    return totals


def write_summary(
    directory: Path,
    head: dict[str, Any],
    records: Callable[[], Iterable[FileResult]],
) -> Totals:
    """Write the three summary files from ``records()`` (sorted); returns the totals.

    ``records`` is called twice: the totals first (the page shows them at the top), then the
    rows, each written as it is read.
    """
    totals = count(records())
    with (
        atomic_open(directory / "summary.json") as json_file,
        atomic_open(directory / "summary.csv") as csv_file,
        atomic_open(directory / "index.html") as html_file,
    ):
        json_text, csv_text, html_text = (
            _Text(f, "utf-8", newline="")
            for f in (
                json_file,
                csv_file,
                html_file,
            )
        )
        stream = JsonReportStream(json_text, {"tool": "compliance batch", **head})
        writer = csv.writer(csv_text, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        html_text.write(_html_head(head, totals))
        for record in records():
            stream.add(record.to_dict())
            writer.writerow(_csv_row(record))
            html_text.write(_html_row(record))
        stream.finish({"totals": totals.to_dict()})
        html_text.write(_HTML_TAIL)
        for text in (json_text, csv_text, html_text):
            text.flush()
            text.close()
    return totals
