"""Rule cases (OpenFisca-style): a questionnaire fragment in, expected scores and flags out.

A case file is a YAML list of cases::

    - name: A published policy earns full marks
      as_of: "2026-01-15"
      input:                       # merged onto BASE_QUESTIONNAIRE (header keys one by one,
        answers:                   # other top-level keys replace the base's)
          - {question: M1-01, value: "yes", evidence: [policy]}
        evidence: [...]
      context: {expected_materials: [cobalt]}     # optional ScoringContext
      output:
        questions: {M1-01: {points: 2.4, max_points: 3}, "M2-01@cobalt": {status: missing}}
        red_flags: [RF-M1-01-NO, "RF-M2-04-UNKNOWN@cobalt"]
        no_red_flags: [...]
        contradictions: ["CX-04@cobalt"]
        maturity: {score: 12.3, level: 1}
        risk_level: high

Numbers match within ``absolute_error_margin`` (default 0.005). Listed flags, contradictions and
issues must be present; ``no_*`` lists must be absent. ``invalid: true`` expects validation
errors (then only ``issues`` are compared). Pure: the caller reads the files.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from compliance.dd.engine.result import DdResult, to_json_value
from compliance.dd.engine.risk import OperatorTurnover
from compliance.dd.engine.scorer import ScoringContext, score_questionnaire
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.references import ReferenceTables
from compliance.dd.validate import validate_questionnaire
from compliance.errors import Issue, Layer, Severity
from compliance.models.questionnaire import Material
from compliance.validation.parsing import DocumentFormat, parse_document

__all__ = ["BASE_QUESTIONNAIRE", "Case", "Mismatch", "parse_cases", "run_case"]

BASE_QUESTIONNAIRE: dict[str, Any] = {
    "schemaVersion": "1.0.0",
    "questionnaireId": "case",
    "header": {
        "supplier": {"name": "Case Supplier Ltd", "country": "DE"},
        "roles": ["processor"],
        "effectiveDate": "2026-01-15",
        "authorizer": {"name": "Alex Example", "email": "alex@example.com"},
        "contact": {"name": "Sam Example", "email": "sam@example.com"},
    },
    "materials": [
        {"material": m, "present": "no"}
        for m in ("cobalt", "natural-graphite", "lithium", "nickel")
    ],
}
"""The questionnaire every case starts from: Annex X materials declared absent, no answers."""

_CASE_KEYS = {"name", "as_of", "input", "output", "context", "absolute_error_margin", "invalid"}


@dataclass(frozen=True, slots=True)
class Case:
    """One rule case."""

    name: str
    as_of: date
    input: dict[str, Any]
    output: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)
    margin: float = 0.005
    invalid: bool = False
    file: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Mismatch:
    """An expectation a case did not meet."""

    path: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.path}: expected {self.expected!r}, got {self.actual!r}"


def _problem(file: str, pointer: str, message: str, line: int | None = None) -> Issue:
    issue = Issue("rules.case-invalid", pointer, message, Severity.ERROR, Layer.RULE)
    return Issue(
        issue.code, pointer, message, issue.severity, issue.layer, line, None, {"file": file}
    )


def parse_cases(text: str, file: str) -> tuple[list[Case], list[Issue]]:
    """Read a case file (safe YAML parser); malformed cases come back as issues."""
    parsed = parse_document(text.encode("utf-8"), name=file, format=DocumentFormat.YAML)
    if not parsed.ok:
        return [], [Issue(i.code, i.pointer, i.message, i.severity, i.layer, i.line, i.column,
                          {"file": file}) for i in parsed.issues]  # fmt: skip
    if not isinstance(parsed.data, list):
        return [], [_problem(file, "", "a case file is a list of cases")]
    cases: list[Case] = []
    issues: list[Issue] = []
    for index, raw in enumerate(parsed.data):
        where = f"/{index}"
        if not isinstance(raw, dict):
            issues.append(_problem(file, where, "a case is a mapping"))
            continue
        unknown = set(raw) - _CASE_KEYS
        missing = {"name", "as_of", "input", "output"} - set(raw)
        if unknown or missing:
            issues.append(
                _problem(file, where, f"unknown keys {sorted(unknown)}, missing {sorted(missing)}")
            )
            continue
        try:
            as_of = date.fromisoformat(str(raw["as_of"]))
        except ValueError:
            issues.append(_problem(file, f"{where}/as_of", "as_of is a date YYYY-MM-DD"))
            continue
        if not isinstance(raw["input"], dict) or not isinstance(raw["output"], dict):
            issues.append(_problem(file, where, "input and output are mappings"))
            continue
        cases.append(
            Case(
                str(raw["name"]),
                as_of,
                raw["input"],
                raw["output"],
                dict(raw.get("context") or {}),
                float(raw.get("absolute_error_margin", 0.005)),
                bool(raw.get("invalid", False)),
                file,
            )
        )
    return cases, issues


def build_questionnaire(case: Case) -> dict[str, Any]:
    """The case's questionnaire: the base with the fragment merged in."""
    document = copy.deepcopy(BASE_QUESTIONNAIRE)
    document["header"]["effectiveDate"] = case.as_of.isoformat()
    for key, value in case.input.items():
        if key == "header" and isinstance(value, dict):
            document["header"].update(copy.deepcopy(value))
        else:
            document[key] = copy.deepcopy(value)
    return document


def _context(raw: dict[str, Any]) -> ScoringContext:
    turnover = raw.get("operator_turnover_eur")
    return ScoringContext(
        expected_materials=frozenset(Material(m) for m in raw.get("expected_materials", ())),
        expected_supplier=raw.get("expected_supplier"),
        operator_turnover=OperatorTurnover(float(turnover), raw.get("group_turnover_eur"))
        if turnover is not None
        else None,
    )


class _Compare:
    def __init__(self, margin: float) -> None:
        self.margin = margin
        self.found: list[Mismatch] = []

    def value(self, path: str, expected: Any, actual: Any) -> None:
        actual = to_json_value(actual)
        if isinstance(expected, bool) or isinstance(actual, bool):
            ok = expected == actual
        elif isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
            ok = abs(expected - actual) <= self.margin
        elif isinstance(expected, list) and isinstance(actual, list):
            ok = sorted(map(str, expected)) == sorted(map(str, actual))
        else:
            ok = expected == actual
        if not ok:
            self.found.append(Mismatch(path, expected, actual))

    def mapping(self, path: str, expected: Any, actual: dict[str, Any]) -> None:
        if not isinstance(expected, dict):
            self.found.append(Mismatch(path, "a mapping in the case", expected))
            return
        for key, value in expected.items():
            if key not in actual:
                self.found.append(Mismatch(f"{path}.{key}", value, "<no such field>"))
            else:
                self.value(f"{path}.{key}", value, actual[key])


def _split(ref: str) -> tuple[str, str | None]:
    name, _, material = str(ref).partition("@")
    return name, material or None


def _question_fields(result: DdResult, ref: str) -> dict[str, Any] | None:
    question, material = _split(ref)
    found = result.question(question, material)
    if found is None:
        return None
    return {
        "points": found.points,
        "max_points": found.max_points,
        "status": found.status,
        "value": found.value,
        "credit": found.credit,
        "evidence_factor": found.evidence_factor,
        "evidence_tier": found.evidence_tier,
        "rescored_by": found.rescored_by,
        "original_value": found.original_value,
    }


def _present(ids: set[tuple[str, str | None]], ref: str) -> bool:
    name, material = _split(ref)
    return (name, material) in ids if material else any(i == name for i, _ in ids)


def _check_result(case: Case, result: DdResult, cmp: _Compare) -> None:
    out = case.output
    for ref, expected in (out.get("questions") or {}).items():
        fields = _question_fields(result, ref)
        if fields is None:
            cmp.found.append(Mismatch(f"questions.{ref}", expected, "<not scored>"))
        else:
            cmp.mapping(f"questions.{ref}", expected, fields)
    maturity = result.maturity
    summary = {
        "score": maturity.score,
        "level": maturity.level,
        "level_name": maturity.level_name,
        "level_uncapped": maturity.level_uncapped,
        "gates_failed": list(maturity.gates_failed),
        "system_score": maturity.system_score,
        "driven_by": result.driven_by,
    }
    if "maturity" in out:
        cmp.mapping("maturity", out["maturity"], summary)
    if "steps" in out:
        cmp.mapping("steps", out["steps"], dict(maturity.steps))
    if "categories" in out:
        cmp.mapping("categories", out["categories"], dict(maturity.categories))
    for material, expected in (out.get("materials") or {}).items():
        scored = result.materials.get(material)
        if scored is None:
            cmp.found.append(Mismatch(f"materials.{material}", expected, "<not in scope>"))
            continue
        fields = {
            "maturity": scored.maturity.score,
            "level": scored.maturity.level,
            "inherent_risk": scored.inherent_risk,
            "residual_risk": scored.residual_risk,
            "steps": dict(scored.maturity.steps),
            "traced_to_processor_pct": scored.traced_to_processor_pct,
            "traced_to_mine_pct": scored.traced_to_mine_pct,
            "conformant_processor_pct": scored.conformant_processor_pct,
        }
        cmp.mapping(f"materials.{material}", expected, fields)
    if "in_scope" in out:
        cmp.value("in_scope", out["in_scope"], sorted(result.materials))
    scalars = {
        "risk_level": result.risk.level,
        "status": result.status,
        "completeness_pct": result.completeness_pct,
        "provisional": result.provisional,
        "confidence": result.confidence,
        "manual_review": result.manual_review,
        "applicability": result.applicability.state,
        "red_flag_count": len(result.red_flags),
        "contradiction_count": len(result.contradictions),
    }
    for key, actual in scalars.items():
        if key in out:
            cmp.value(key, out[key], actual)
    if "risk" in out:
        risk = result.risk
        cmp.mapping(
            "risk",
            out["risk"],
            {
                "level": risk.level,
                "base_level": risk.base_level,
                "residual_risk": risk.residual_risk,
                "driven_by": risk.driven_by,
                "overrides": [o.rule for o in risk.overrides],
            },
        )
    flags = {(f.id, f.material) for f in result.red_flags}
    details = {
        (f.id, f.material): {"status": f.status, "severity": f.severity} for f in result.red_flags
    }
    _lists(cmp, out, "red_flags", flags, details)
    fired = {(c.id, c.material) for c in result.contradictions}
    _lists(cmp, out, "contradictions", fired, {})
    if "unevidenced_claims" in out:
        cmp.value(
            "unevidenced_claims",
            out["unevidenced_claims"],
            [f"{q}@{m}" if m else q for q, m in result.unevidenced_claims],
        )


def _lists(
    cmp: _Compare,
    out: dict[str, Any],
    key: str,
    found: set[tuple[str, str | None]],
    details: dict[tuple[str, str | None], dict[str, str]],
) -> None:
    """Compare the expected entries of ``key`` with those found.

    Expected entries are ids (``"RF-X@cobalt"``) or mappings with ``id``, ``material`` and any
    of the entry's ``details`` (a flag's ``status`` and ``severity``).
    """
    for ref in out.get(key) or ():
        if isinstance(ref, dict):
            material = ref.get("material")
            entry = (ref["id"], material)
            if entry not in found:
                cmp.found.append(Mismatch(f"{key}", ref, "<did not fire>"))
                continue
            for name, expected in ref.items():
                if name in ("id", "material"):
                    continue
                actual = details.get(entry, {}).get(name, f"<{key} have no {name!r}>")
                cmp.value(f"{key}.{ref['id']}.{name}", expected, actual)
        elif not _present(found, ref):
            fired = sorted(f"{i}@{m}" if m else i for i, m in found)
            cmp.found.append(Mismatch(f"{key}", ref, f"<did not fire; fired: {fired}>"))
    for ref in out.get(f"no_{key}") or ():
        if _present(found, ref):
            cmp.found.append(Mismatch(f"no_{key}", ref, "<fired>"))


def _issues(cmp: _Compare, expected: list[Any], issues: tuple[Issue, ...]) -> None:
    for want in expected:
        match = any(
            issue.code == want.get("code")
            and ("pointer" not in want or issue.pointer == want["pointer"])
            and ("question" not in want or issue.context.get("question") == want["question"])
            and ("severity" not in want or issue.severity.value == want["severity"])
            for issue in issues
        )
        if not match:
            got = [f"{i.code} {i.pointer}" for i in issues][:12]
            cmp.found.append(Mismatch("issues", want, got))


def run_case(case: Case, catalogue: Catalogue, tables: ReferenceTables) -> list[Mismatch]:
    """Score a case and list every expectation it does not meet (empty: the case passes)."""
    cmp = _Compare(case.margin)
    report = validate_questionnaire(
        build_questionnaire(case), as_of=case.as_of, catalogue=catalogue, name=case.name
    )
    if case.invalid or not report.ok:
        if not case.invalid:
            errors = [f"{i.code} {i.pointer}: {i.message}" for i in report.issues if i.severity
                      is Severity.ERROR]  # fmt: skip
            return [Mismatch("input", "a valid questionnaire", errors)]
        if report.ok:
            return [Mismatch("input", "validation errors (invalid: true)", "no error")]
        _issues(cmp, list(case.output.get("issues") or ()), report.issues)
        return cmp.found
    assert report.questionnaire is not None
    result = score_questionnaire(
        report.questionnaire, catalogue, tables, as_of=case.as_of, context=_context(case.context)
    )
    _check_result(case, result, cmp)
    _issues(cmp, list(case.output.get("issues") or ()), result.issues)
    return cmp.found


def iter_case_refs(case: Case) -> Iterator[tuple[str, str, Any]]:
    """(kind, reference, expectation) of every question, flag and contradiction a case names."""
    for ref, expected in (case.output.get("questions") or {}).items():
        yield "question", _split(ref)[0], expected
    for key in ("red_flags", "contradictions"):
        for ref in case.output.get(key) or ():
            name = ref["id"] if isinstance(ref, dict) else _split(ref)[0]
            yield key, name, True
        for ref in case.output.get(f"no_{key}") or ():
            yield key, _split(ref)[0], False
