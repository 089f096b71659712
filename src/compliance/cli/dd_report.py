"""What ``compliance dd`` reports of each questionnaire: its text body and JSON entry.

Formatting only (results come from the core); the report formats themselves are the shared ones
of :mod:`compliance.cli.reporters`.
"""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from compliance.dd.engine.result import DdResult, QuestionTrace, to_json_value
from compliance.pipeline import QuestionnaireRun

__all__ = ["dd_body", "dd_entry"]

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


def dd_body(label: str, r: DdResult, *, explain: bool) -> Group:
    """The text report of one scored questionnaire (after its issues)."""
    parts: list[RenderableType] = []
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
    parts.append(head)
    steps = " | ".join(f"{k} {_num(v)}" for k, v in m.steps.items())
    parts.append(f"  steps: {steps}; driven by {r.driven_by or 'company answers'}")
    for name, material in r.materials.items():
        level = material.maturity.level
        parts.append(
            f"  {name}: maturity {material.maturity.score:.1f} (level {level}), inherent risk "
            f"{material.inherent_risk:.0f}, residual {material.residual_risk:.1f}"
        )
    if m.gates_failed:
        parts.append(f"  gates failed: {', '.join(m.gates_failed)}")
    for flag in r.red_flags:
        where = f" ({flag.material})" if flag.material else ""
        note = " [blank answer read as least favourable]" if flag.imputed else ""
        parts.append(f"  {flag.severity} {flag.status} {flag.id}{where}: {flag.title}{note}")
    for finding in r.contradictions:
        where = f" ({finding.material})" if finding.material else ""
        parts.append(f"  contradiction {finding.id}{where}: {finding.title}")
    if explain:
        parts.append(f"  catalogue {r.catalogue_id} {r.catalogue_version}; tables " +
                           ", ".join(f"{t.id} {t.version}" for t in r.tables))  # fmt: skip
        for override in r.risk.overrides:
            parts.append(f"  {override.rule} -> {override.level}: {override.reason}")
        for t in r.trace:
            parts.append(_trace_line(t))
    return Group(*(Text(p) if isinstance(p, str) else p for p in parts))


def dd_entry(label: str, run: QuestionnaireRun) -> dict[str, Any]:
    """The JSON report's entry of one questionnaire: report, result, SHA-256 of its bytes."""
    entry = run.validation.to_dict()
    entry["issues"] = [i.to_dict() for i in run.issues]  # with the scorer's, if it refused
    entry["source"] = label
    entry["sha256"] = run.source.sha256
    entry["result"] = run.dd.to_dict() if run.dd is not None else None
    return entry
