"""Output of every command that checks files: one issue line, five report formats, one summary.

:func:`issue_line` is how every command prints an issue (``file:line:col: severity [code]
/pointer: message``; a workbook cell as ``Sheet!A1``).

The report formats (``--format text|json|junit|github|sarif``) are built here, once, from a
sequence of per-file results, so ``validate``, ``cfp``, ``dd`` and ``batch`` give the
same formats, the same ``--quiet`` and the same one-line summary. The interface:

* a command turns each file it checked into a :class:`FileResult` (source label, document kind,
  issues, whether it passed, its JSON entry, and for the text format an optional body such as a
  result table);
* :func:`make_reporter` gives the :class:`Reporter` of a format (:class:`ReportSettings` names the
  command and the words of its summary line); the command calls ``reporter.file(result)`` as each
  file is done, and ``reporter.finish(summary)`` once at the end, with the :class:`Summary` it
  counted (``summary.add(result)``); :func:`report_all` does both for an iterable of results.

Every format is streamed: text, github and json write each file as it is done (json is one valid
document: ``files`` first, then the ``summary``); sarif writes its ``results`` array as it goes
and the rules it used last; junit needs its totals in the opening tag, so its test cases are
spooled (in memory up to 1 MiB, then on disk) and written after the header at the end. Memory
stays flat on any batch.
"""

from __future__ import annotations

import json
import re
import tempfile
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TextIO
from xml.etree import ElementTree as ET

from rich.console import Console, RenderableType
from rich.text import Text

from compliance._version import __version__
from compliance.cli.streams import JsonReportStream, printable
from compliance.errors import Issue, Severity
from compliance.issue_codes import ISSUE_CODES

__all__ = [
    "FileResult",
    "OutputFormat",
    "ReportSettings",
    "Reporter",
    "Summary",
    "issue_line",
    "make_reporter",
    "print_issues",
    "report_all",
]


class OutputFormat(StrEnum):
    """Report formats of every command that checks files."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    GITHUB = "github"
    SARIF = "sarif"


@dataclass(frozen=True, slots=True)
class FileResult:
    """One checked file, as every report format sees it.

    ``entry`` is the file's member of the JSON report's ``files`` array (each command has its
    own, e.g. with the CFP or DD result); ``None`` gives ``{source, kind, passed, issues}``.
    ``body`` is what the text format prints after the file's issues (a result, a table).
    """

    source: str
    """The file's label: its path as given, or ``<stdin>``."""
    kind: str
    """The document kind, e.g. ``supplier-submission`` or ``dd-questionnaire``."""
    issues: Sequence[Issue] = ()
    passed: bool = True
    """Whether the file passes (no issue at or above the command's ``--fail-on``, a result)."""
    entry: Mapping[str, Any] | None = None
    body: RenderableType | None = None
    unreadable: bool = False
    """The file could not be read or processed (exit code 2)."""
    skipped: str | None = None
    """Why the file was not checked (``--skip-unknown``: not a document this command checks)."""
    outcome: str | None = None
    """A one-word outcome the summary tallies (``dd``: the risk level)."""

    def json_entry(self) -> Mapping[str, Any]:
        """The JSON report's entry for this file."""
        if self.entry is not None:
            return self.entry
        entry: dict[str, Any] = {"source": self.source, "kind": self.kind, "passed": self.passed}
        if self.skipped is not None:
            entry["skipped"] = self.skipped
        entry["issues"] = [i.to_dict() for i in self.issues]
        return entry


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """What a report says about the run: the command, and the words of its summary line."""

    command: str = "validate"
    passed: str = "passed"
    """The word for a file that passed (``valid``, ``computed``, ``scored``)."""
    failed: str = "failed"
    """The word for a file that failed (``invalid``)."""
    outcome: str | None = None
    """What the files' outcomes are (``risk``): the summary line tallies them."""
    head: Mapping[str, Any] = field(default_factory=dict)
    """Extra members at the top of the JSON report (e.g. ``asOf``)."""
    verbose: bool = False
    """Text: also list files that passed and information notes."""
    quiet: bool = False
    """Text: only the summary line."""
    shown: Severity = Severity.WARNING
    """Text: the lowest severity listed (``verbose`` lists information notes too)."""
    step_summary: Path | None = None
    """github: append a Markdown summary to this file (``$GITHUB_STEP_SUMMARY``)."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(slots=True)
class Summary:
    """Counts over a run: files checked, passed, failed, skipped, and issues by severity."""

    files: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    unreadable: int = 0
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    remarks: list[str] = field(default_factory=list)
    """What the command adds to the end of the summary line (``batch``: inputs unchanged since
    the last run, where its summary files are)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """What the command adds to the JSON summary (``batch``: ``inputs``, ``complete`` ...)."""

    def add(self, result: FileResult) -> None:
        """Count one file."""
        if result.skipped is not None:
            self.skipped += 1
            return
        self.files += 1
        if result.passed:
            self.passed += 1
        else:
            self.failed += 1
        self.unreadable += int(result.unreadable)
        if result.outcome is not None:
            self.outcomes[result.outcome] += 1
        for issue in result.issues:
            if issue.severity is Severity.ERROR:
                self.errors += 1
            elif issue.severity is Severity.WARNING:
                self.warnings += 1
            else:
                self.notes += 1

    @property
    def ok(self) -> bool:
        """Whether every checked file passed."""
        return self.failed == 0

    def line(self, settings: ReportSettings | None = None) -> str:
        """One line, e.g. ``3 files checked: 2 valid, 1 invalid (4 errors, 1 warning)``."""
        settings = settings or ReportSettings()
        counts = [_plural(self.errors, "error"), _plural(self.warnings, "warning")]
        if self.notes and settings.verbose:  # information notes are listed with --verbose only
            counts.append(_plural(self.notes, "note"))
        text = (
            f"{_plural(self.files, 'file')} checked: {self.passed} {settings.passed}, "
            f"{self.failed} {settings.failed} ({', '.join(counts)})"
        )
        if self.skipped:
            text += f"; {self.skipped} skipped (not {_KIND_WORDS.get(settings.command, 'checked')})"
        if self.unreadable:
            text += f"; {self.unreadable} could not be read"
        if settings.outcome and self.outcomes:
            tally = ", ".join(f"{n} {name}" for name, n in sorted(self.outcomes.items()))
            text += f"; {settings.outcome}: {tally}"
        for remark in self.remarks:
            text += f"; {remark}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts (and the outcomes tallied, when there are any)."""
        counts: dict[str, Any] = {
            "files": self.files,
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "unreadable": self.unreadable,
            "errors": self.errors,
            "warnings": self.warnings,
            "notes": self.notes,
        }
        if self.outcomes:
            counts["outcomes"] = dict(sorted(self.outcomes.items()))
        return counts | self.extra


_KIND_WORDS = {
    "validate": "submissions or questionnaires",
    "cfp": "submissions",
    "dd": "questionnaires",
}


class Reporter(Protocol):
    """Receives each file's result as it is done, then the summary."""

    def file(self, result: FileResult) -> None:
        """Report one file."""

    def finish(self, summary: Summary) -> None:
        """Write the end of the output."""


def _not_passed(result: FileResult) -> str:
    """Why a file without errors did not pass (``--fail-on warning``, ``--fail-on-risk``)."""
    outcome = f" (risk {result.outcome})" if result.outcome else ""
    return f"{result.kind} did not pass{outcome}"


def _position(label: str, issue: Issue) -> str:
    if issue.line is None:
        return label
    return f"{label}:{issue.line}:{issue.column}"


def _where(issue: Issue) -> str:
    """The location inside the document: a workbook cell (``Sheet!A1: ``) or the pointer."""
    if "sheet" in issue.context:
        return f"{issue.context['sheet']}!{issue.context['cell']}: "
    return f"{issue.pointer}: " if issue.pointer else ""


def issue_line(label: str, issue: Issue) -> str:
    """``file[:line:col]: severity [code] location: message``, the line every command prints.

    >>> from compliance.errors import Issue, Layer, Severity
    >>> issue = Issue("schema.required", "/manufacturer", "required", Severity.ERROR, Layer.SCHEMA)
    >>> issue_line("s.json", issue)
    's.json: error [schema.required] /manufacturer: required'
    """
    severity, code = issue.severity.value, issue.code
    return f"{_position(label, issue)}: {severity} [{code}] {_where(issue)}{issue.message}"


def print_issues(label: str, issues: Sequence[Issue], out: TextIO, *, infos: bool = False) -> None:
    """Every warning and error (and information, with ``infos``), one located line each."""
    for issue in issues:
        if infos or issue.severity is not Severity.INFO:
            out.write(issue_line(label, issue) + "\n")


_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class TextReporter:
    """Human-readable lines, coloured on a terminal: ``file:line:col: error [code] /ptr: msg``."""

    def __init__(self, out: TextIO, settings: ReportSettings) -> None:
        self.console = Console(file=out, soft_wrap=True, highlight=False, emoji=False)
        self.settings = settings

    def file(self, result: FileResult) -> None:
        if self.settings.quiet:
            return
        label = result.source
        if result.skipped is not None:
            if self.settings.verbose:
                self.console.print(Text(f"{label}: skipped ({result.skipped})", style="dim"))
            return
        verbose = self.settings.verbose
        lowest = Severity.INFO if verbose else self.settings.shown
        shown = [i for i in result.issues if i.severity.rank >= lowest.rank]
        if not shown and verbose and result.body is None:
            self.console.print(
                Text.assemble((label, "bold"), (f": {self.settings.passed}", "green"))
            )
        for issue in shown:
            line = Text.assemble(
                (_position(label, issue), "bold"),
                ": ",
                (issue.severity.value, _STYLES[issue.severity]),
                " ",
                (f"[{issue.code}]", "dim"),
                " ",
                _where(issue),
                issue.message,
            )
            self.console.print(line)
        if result.body is not None:
            self.console.print(result.body)

    def finish(self, summary: Summary) -> None:
        style = "bold green" if summary.ok and not summary.unreadable else "bold red"
        self.console.print(Text(summary.line(self.settings), style=style))


class JsonReporter:
    """One JSON document, streamed: ``{"tool", "version", ..., "files": [...], "summary"}``."""

    def __init__(self, out: TextIO, settings: ReportSettings) -> None:
        head = {"tool": "compliance", "version": __version__, "command": settings.command}
        self.stream = JsonReportStream(out, {**head, **settings.head})

    def file(self, result: FileResult) -> None:
        self.stream.add(result.json_entry())

    def finish(self, summary: Summary) -> None:
        self.stream.finish({"summary": summary.to_dict()})


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    r"""``text`` with the characters XML 1.0 cannot hold (a JSON string can) as ``\uXXXX``."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class JunitReporter:
    """JUnit XML (the common Jenkins/xunit ``junit-10.xsd`` dialect): one test case per file.

    A file that fails is a ``failure`` (its errors, one line each); a file that could not be read
    is an ``error``; a skipped file is ``skipped``; warnings and notes go to ``system-out``. The
    test cases are spooled as they come and written after the header (which holds the totals).
    """

    def __init__(self, out: TextIO, settings: ReportSettings) -> None:
        self.out = out
        self.settings = settings
        self.spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in finish
            max_size=1 << 20, mode="w+", encoding="utf-8"
        )
        self.errors = 0

    def file(self, result: FileResult) -> None:
        label = _xml(result.source)
        case = ET.Element("testcase", classname=_xml(result.kind), name=label)
        errors = [i for i in result.issues if i.severity is Severity.ERROR]
        others = [i for i in result.issues if i.severity is not Severity.ERROR]
        if result.skipped is not None:
            ET.SubElement(case, "skipped", message=_xml(result.skipped))
        elif result.unreadable:
            self.errors += 1
            first = errors[0] if errors else None
            element = ET.SubElement(
                case,
                "error",
                type=first.code if first else "error",
                message=_xml(first.message if first else "could not be checked"),
            )
            element.text = _xml("\n".join(issue_line(result.source, i) for i in errors))
        elif not result.passed:
            first = errors[0] if errors else (others[0] if others else None)
            message = (
                f"{len(errors)} error(s): {first.code} at {first.pointer or '/'}"
                if errors and first
                else _not_passed(result)
            )
            failure = ET.SubElement(case, "failure", type=self.settings.command)
            failure.set("message", _xml(message))
            failure.text = _xml(
                "\n".join(issue_line(result.source, i) for i in (errors or result.issues))
            )
        if others and result.skipped is None:
            ET.SubElement(case, "system-out").text = _xml(
                "\n".join(issue_line(result.source, i) for i in others)
            )
        ET.indent(case, space="  ", level=2)
        self.spool.write("    " + ET.tostring(case, encoding="unicode").rstrip() + "\n")

    def finish(self, summary: Summary) -> None:
        tests = summary.files + summary.skipped
        failures = summary.failed - self.errors
        counts = (
            f'tests="{tests}" failures="{failures}" errors="{self.errors}" '
            f'skipped="{summary.skipped}"'
        )
        name = f"compliance {self.settings.command}"
        self.out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        self.out.write(f'<testsuites name="compliance" tests="{tests}" failures="{failures}" ')
        self.out.write(f'errors="{self.errors}">\n')
        self.out.write(f'  <testsuite name="{name}" {counts}>\n')
        self.spool.seek(0)
        for line in self.spool:
            self.out.write(line)
        self.spool.close()
        self.out.write("  </testsuite>\n</testsuites>\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_STEP_SUMMARY_ROWS = 100


class GithubReporter:
    """GitHub Actions workflow commands (``::error file=...,line=...,col=...::message``).

    Each error and warning is an annotation on its file, line and column (from the JSON source
    map, when the document was parsed); the summary line ends the output. With a step summary
    file (``$GITHUB_STEP_SUMMARY``), a Markdown table of the files that failed (the first 100)
    and the summary line are appended to it.
    """

    def __init__(self, out: TextIO, settings: ReportSettings) -> None:
        self.out = out
        self.settings = settings
        self.rows: list[str] = []
        self.more = 0

    def file(self, result: FileResult) -> None:
        if result.skipped is not None:
            return
        label = result.source
        errors = [i for i in result.issues if i.severity is Severity.ERROR]
        if not result.passed and not errors:  # failed on a warning or on its risk level
            self.out.write(
                f"::error file={_escape_property(label)},title={self.settings.command}::"
                f"{_escape_data(_not_passed(result))}\n"
            )
        for issue in result.issues:
            if issue.severity is Severity.INFO:
                continue
            props = [f"file={_escape_property(label)}"]
            if issue.line is not None:
                props += [f"line={issue.line}", f"col={issue.column}"]
            props.append(f"title={_escape_property(issue.code)}")
            where = f"{issue.pointer}: " if issue.pointer else ""
            self.out.write(
                f"::{_GITHUB_COMMANDS[issue.severity]} {','.join(props)}::"
                f"{_escape_data(where + issue.message)}\n"
            )
        if self.settings.step_summary is not None and not result.passed:
            if len(self.rows) >= _STEP_SUMMARY_ROWS:
                self.more += 1
                return
            warnings = sum(1 for i in result.issues if i.severity is Severity.WARNING)
            first = issue_line(label, errors[0]) if errors else _not_passed(result)
            self.rows.append(
                f"| `{_markdown_cell(label)}` | {len(errors)} | {warnings} | "
                f"{_markdown_cell(first)} |"
            )

    def finish(self, summary: Summary) -> None:
        line = summary.line(self.settings)
        self.out.write(line + "\n")
        if self.settings.step_summary is None:
            return
        mark = ":white_check_mark:" if summary.ok and not summary.unreadable else ":x:"
        parts = [f"### compliance {self.settings.command}", "", f"{mark} {line}", ""]
        if self.rows:
            parts += ["| file | errors | warnings | first error |", "|---|---:|---:|---|"]
            parts += self.rows
            if self.more:
                parts.append(f"| ... and {self.more} more | | | |")
            parts.append("")
        with self.settings.step_summary.open("a", encoding="utf-8") as handle:
            handle.write(printable("\n".join(parts) + "\n"))


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _artifact_uri(label: str) -> str:
    """A relative URI reference for a file label (``a b.json`` -> ``a%20b.json``)."""
    return urllib.parse.quote(label.replace("\\", "/"), safe="/._-~")


class SarifReporter:
    """SARIF 2.1.0 (one run; one result per issue; the rules are the issue codes used).

    Streamed: the ``results`` array is written as files are done; the tool (with the rules met,
    described from the issue-code catalogue) and the invocation follow it (JSON members are
    unordered, so the document is complete and valid once :meth:`finish` has run).
    """

    def __init__(self, out: TextIO, settings: ReportSettings) -> None:
        self.out = out
        self.settings = settings
        self.codes: dict[str, None] = {}
        self.count = 0
        out.write('{\n  "$schema": ' + json.dumps(SARIF_SCHEMA) + ',\n  "version": "2.1.0",\n')
        out.write('  "runs": [\n    {\n      "results": [')

    def _result(self, source: str, issue: Issue) -> dict[str, Any]:
        self.codes.setdefault(issue.code, None)
        location: dict[str, Any] = {"artifactLocation": {"uri": _artifact_uri(source)}}
        if issue.line is not None:
            region: dict[str, int] = {"startLine": issue.line}
            if issue.column is not None:
                region["startColumn"] = issue.column
            location["region"] = region
        result: dict[str, Any] = {
            "ruleId": issue.code,
            "level": _SARIF_LEVELS[issue.severity],
            "message": {"text": f"{_where(issue)}{issue.message}"},
            "locations": [{"physicalLocation": location}],
        }
        if issue.pointer:
            result["locations"][0]["logicalLocations"] = [
                {"fullyQualifiedName": issue.pointer, "kind": "member"}
            ]
        return result

    def file(self, result: FileResult) -> None:
        if result.skipped is not None:
            return
        for issue in result.issues:
            text = json.dumps(self._result(result.source, issue), ensure_ascii=False)
            self.out.write(("," if self.count else "") + "\n        " + text)
            self.count += 1

    def finish(self, summary: Summary) -> None:
        rules = [
            {
                "id": code,
                "shortDescription": {"text": ISSUE_CODES.get(code, code)},
                "helpUri": "https://github.com/compliance-engine/compliance/blob/main/"
                "docs/reference/issue-codes.md",
            }
            for code in sorted(self.codes)
        ]
        tool = {
            "driver": {
                "name": "compliance",
                "version": __version__,
                "informationUri": "https://github.com/compliance-engine/compliance",
                "rules": rules,
            }
        }
        invocation = {
            "executionSuccessful": summary.unreadable == 0,
            "properties": {"command": self.settings.command, "summary": summary.to_dict()},
        }
        self.out.write("\n      ]" if self.count else "]")
        self.out.write(",\n      " + '"tool": ' + json.dumps(tool, ensure_ascii=False))
        self.out.write(",\n      " + '"invocations": ' + json.dumps([invocation]))
        self.out.write("\n    }\n  ]\n}\n")


_REPORTERS: dict[OutputFormat, Callable[[TextIO, ReportSettings], Reporter]] = {
    OutputFormat.TEXT: TextReporter,
    OutputFormat.JSON: JsonReporter,
    OutputFormat.JUNIT: JunitReporter,
    OutputFormat.GITHUB: GithubReporter,
    OutputFormat.SARIF: SarifReporter,
}


def make_reporter(fmt: OutputFormat, out: TextIO, settings: ReportSettings) -> Reporter:
    """The reporter of an output format, writing to ``out``."""
    return _REPORTERS[fmt](out, settings)


def report_all(
    results: Iterable[FileResult], fmt: OutputFormat, out: TextIO, settings: ReportSettings
) -> Summary:
    """Report every result (as each comes) and the summary; returns the summary.

    The one call a batch needs: ``summary = report_all(results, OutputFormat.JUNIT, out,
    ReportSettings("batch"))``.
    """
    reporter = make_reporter(fmt, out, settings)
    summary = Summary()
    for result in results:
        summary.add(result)
        reporter.file(result)
    reporter.finish(summary)
    return summary
