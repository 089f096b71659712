"""Text and JSON output of ``compliance dd`` (formatting only; results come from the core)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.text import Text

from compliance._version import __version__
from compliance.cli.reporters import issue_line
from compliance.cli.streams import JsonReportStream
from compliance.dd.engine.result import DdResult, QuestionTrace, to_json_value
from compliance.errors import Severity
from compliance.pipeline import QuestionnaireRun

__all__ = ["DdJsonReporter", "DdTextReporter"]

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_RISK_STYLES = {"low": "green", "medium": "yellow", "high": "bold red", "critical": "bold magenta"}


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _trace_line(t: QuestionTrace) -> str:
    who = f"{t.question}{'@' + t.material if t.material else ''}"
    value = to_json_value(t.value)
    shown = json.dumps(value, ensure_ascii=False) if value is not None else "-"
    detail = f"{t.points:5.2f}/{t.max_points:<4g} {t.status:<14} value={shown}"
    if t.credit is not None and t.status == "answered":
        detail += f" credit={t.credit:.2f} e={t.evidence_factor:.2f} ({t.evidence_tier})"
    if t.evidence:
        detail += f" evidence={','.join(t.evidence)}"
    if t.rescored_by:
        detail += f" rescored by {t.rescored_by} (was {to_json_value(t.original_value)!r})"
    return f"    {who:<16} {detail}  [{'; '.join(t.sources)}]"


class DdTextReporter:
    """Human-readable lines per questionnaire, then a summary."""

    def __init__(self, out: TextIO, *, explain: bool = False, quiet: bool = False) -> None:
        self.console = Console(file=out, soft_wrap=True, highlight=False, emoji=False, markup=False)
        self.explain = explain
        self.quiet = quiet
        self.risks: Counter[str] = Counter()
        self.files = 0
        self.invalid = 0

    def file(self, label: str, run: QuestionnaireRun) -> None:
        """Report one questionnaire (its issues, then its result)."""
        result = run.dd
        self.files += 1
        if result is None:
            self.invalid += 1
        else:
            self.risks[result.risk.level] += 1
        if self.quiet:
            return
        for issue in run.issues:
            if issue.severity is not Severity.INFO:
                self.console.print(Text(issue_line(label, issue), style=_STYLES[issue.severity]))
        if result is not None:
            self._result(label, result)

    def _result(self, label: str, r: DdResult) -> None:
        m = r.maturity
        head = Text.assemble(
            (label, "bold"),
            f": maturity {m.score:.1f} (level {m.level} {m.level_name}",
            f", uncapped {m.level_uncapped}" if m.level_uncapped != m.level else "",
            "), risk ",
            (r.risk.level, _RISK_STYLES.get(r.risk.level, "")),
            f", confidence {r.confidence}, {r.status} ({r.completeness_pct:.0f} %)",
            f", DD obligation {r.applicability.state}",
        )
        self.console.print(head)
        steps = " | ".join(f"{k} {_num(v)}" for k, v in m.steps.items())
        self.console.print(f"  steps: {steps}; driven by {r.driven_by or 'company answers'}")
        for name, material in r.materials.items():
            level = material.maturity.level
            self.console.print(
                f"  {name}: maturity {material.maturity.score:.1f} (level {level}), inherent risk "
                f"{material.inherent_risk:.0f}, residual {material.residual_risk:.1f}"
            )
        if m.gates_failed:
            self.console.print(f"  gates failed: {', '.join(m.gates_failed)}")
        for flag in r.red_flags:
            where = f" ({flag.material})" if flag.material else ""
            note = " [blank answer read as least favourable]" if flag.imputed else ""
            self.console.print(
                f"  {flag.severity} {flag.status} {flag.id}{where}: {flag.title}{note}"
            )
        for finding in r.contradictions:
            where = f" ({finding.material})" if finding.material else ""
            self.console.print(f"  contradiction {finding.id}{where}: {finding.title}")
        if self.explain:
            self.console.print(f"  catalogue {r.catalogue_id} {r.catalogue_version}; tables " +
                               ", ".join(f"{t.id} {t.version}" for t in r.tables))  # fmt: skip
            for override in r.risk.overrides:
                self.console.print(f"  {override.rule} -> {override.level}: {override.reason}")
            for t in r.trace:
                self.console.print(_trace_line(t))

    def finish(self) -> None:
        """The summary line."""
        risks = ", ".join(f"{n} {level}" for level, n in sorted(self.risks.items()))
        style = "bold red" if self.invalid else "bold green"
        self.console.print(
            Text(
                f"{self.files} questionnaire(s): {self.files - self.invalid} scored, "
                f"{self.invalid} invalid" + (f"; risk: {risks}" if risks else ""),
                style=style,
            )
        )


class DdJsonReporter:
    """One JSON document with every report and result, streamed (``files``, then ``summary``)."""

    def __init__(self, out: TextIO, as_of: str) -> None:
        head = {"tool": "compliance", "version": __version__, "asOf": as_of}
        self.stream = JsonReportStream(out, head)
        self.invalid = 0

    def file(self, label: str, run: QuestionnaireRun) -> None:
        """Write one questionnaire's report and result, with the SHA-256 of its input bytes."""
        result = run.dd
        entry = run.validation.to_dict()
        entry["issues"] = [i.to_dict() for i in run.issues]  # with the scorer's, if it refused
        entry["source"] = label
        entry["sha256"] = run.source.sha256
        entry["result"] = result.to_dict() if result is not None else None
        self.invalid += result is None
        self.stream.add(entry)

    def finish(self) -> None:
        """Close the document with the summary."""
        summary = {"files": self.stream.count, "invalid": self.invalid}
        self.stream.finish({"summary": summary})
