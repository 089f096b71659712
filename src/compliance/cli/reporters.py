"""Issue output of every command: the one issue line, and ``validate``'s four report formats.

:func:`issue_line` is how every command prints an issue (``file:line:col: severity [code]
/pointer: message``; a workbook cell as ``Sheet!A1``). ``compliance validate`` writes text, json,
junit or github.

The text, github and json reporters write each file's findings as soon as it is checked, so
memory stays flat on large batches (json streams one valid document: ``files`` first, then the
``summary``); junit is a single document written at the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TextIO
from xml.etree import ElementTree as ET

from rich.console import Console
from rich.text import Text

from compliance._version import __version__
from compliance.cli.streams import JsonReportStream
from compliance.errors import Issue, Severity
from compliance.validation import ValidationReport

__all__ = ["OutputFormat", "Reporter", "Summary", "issue_line", "make_reporter", "print_issues"]


class OutputFormat(StrEnum):
    """Report formats."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    GITHUB = "github"


@dataclass(slots=True)
class Summary:
    """Counts over a validation run."""

    files: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    unreadable: int = 0

    def add(self, report: ValidationReport, *, unreadable: bool = False) -> None:
        """Count one file's report."""
        self.files += 1
        if report.ok:
            self.valid += 1
        else:
            self.invalid += 1
        self.errors += report.count(Severity.ERROR)
        self.warnings += report.count(Severity.WARNING)
        self.unreadable += int(unreadable)

    def line(self) -> str:
        """One-line summary, e.g. ``3 files checked: 2 valid, 1 invalid (4 errors, 1 warning)``."""

        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        text = (
            f"{plural(self.files, 'file')} checked: {self.valid} valid, {self.invalid} invalid "
            f"({plural(self.errors, 'error')}, {plural(self.warnings, 'warning')})"
        )
        if self.unreadable:
            text += f"; {self.unreadable} could not be read"
        return text

    def to_dict(self) -> dict[str, int]:
        """JSON-ready counts."""
        return {
            "files": self.files,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": self.errors,
            "warnings": self.warnings,
            "unreadable": self.unreadable,
        }


class Reporter(Protocol):
    """Receives each file's report, then the summary."""

    def file(self, label: str, report: ValidationReport) -> None:
        """Report one file."""

    def finish(self, summary: Summary) -> None:
        """Write the end of the output."""


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

    def __init__(self, out: TextIO, *, verbose: bool = False, quiet: bool = False) -> None:
        self.console = Console(file=out, soft_wrap=True, highlight=False, emoji=False)
        self.verbose = verbose
        self.quiet = quiet

    def file(self, label: str, report: ValidationReport) -> None:
        if self.quiet:
            return
        shown = [i for i in report.issues if self.verbose or i.severity is not Severity.INFO]
        if not shown and self.verbose:
            self.console.print(Text.assemble((label, "bold"), (": valid", "green")))
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

    def finish(self, summary: Summary) -> None:
        style = "bold green" if summary.invalid == 0 and summary.unreadable == 0 else "bold red"
        self.console.print(Text(summary.line(), style=style))


class JsonReporter:
    """One JSON document, streamed: ``{"tool", "version", "files": [report ...], "summary"}``."""

    def __init__(self, out: TextIO) -> None:
        self.stream = JsonReportStream(out, {"tool": "compliance", "version": __version__})

    def file(self, label: str, report: ValidationReport) -> None:
        entry = report.to_dict()
        entry["source"] = label
        self.stream.add(entry)

    def finish(self, summary: Summary) -> None:
        self.stream.finish({"summary": summary.to_dict()})


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    r"""``text`` with the characters XML 1.0 cannot hold (a JSON string can) as ``\uXXXX``."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class JunitReporter:
    """JUnit XML: one test case per file; errors are failures, warnings go to system-out."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.suite = ET.Element("testsuite", name="compliance validate")

    def file(self, label: str, report: ValidationReport) -> None:
        label = _xml(label)
        case = ET.SubElement(
            self.suite, "testcase", classname=report.document_kind, name=label, file=label
        )
        errors = [i for i in report.issues if i.severity is Severity.ERROR]
        others = [i for i in report.issues if i.severity is not Severity.ERROR]
        if errors:
            failure = ET.SubElement(
                case,
                "failure",
                type="validation",
                message=_xml(
                    f"{len(errors)} error(s): {errors[0].code} at {errors[0].pointer or '/'}"
                ),
            )
            failure.text = _xml("\n".join(issue_line(label, i) for i in errors))
        if others:
            ET.SubElement(case, "system-out").text = _xml(
                "\n".join(issue_line(label, i) for i in others)
            )

    def finish(self, summary: Summary) -> None:
        self.suite.set("tests", str(summary.files))
        self.suite.set("failures", str(summary.invalid))
        self.suite.set("errors", "0")
        root = ET.Element(
            "testsuites", name="compliance", tests=str(summary.files), failures=str(summary.invalid)
        )
        root.append(self.suite)
        ET.indent(root)
        self.out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        self.out.write(ET.tostring(root, encoding="unicode") + "\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


class GithubReporter:
    """GitHub Actions workflow commands (``::error file=...,line=...::message``)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def file(self, label: str, report: ValidationReport) -> None:
        for issue in report.issues:
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

    def finish(self, summary: Summary) -> None:
        self.out.write(summary.line() + "\n")


def make_reporter(fmt: OutputFormat, out: TextIO, *, verbose: bool, quiet: bool) -> Reporter:
    """The reporter for an output format."""
    if fmt is OutputFormat.TEXT:
        return TextReporter(out, verbose=verbose, quiet=quiet)
    if fmt is OutputFormat.JSON:
        return JsonReporter(out)
    if fmt is OutputFormat.JUNIT:
        return JunitReporter(out)
    return GithubReporter(out)
