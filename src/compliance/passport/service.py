"""From submission bytes to a passport: validate, compute the carbon footprint, build.

Pure: the bytes, the clock reading (``generated_at``), the calculation date and the base URL are
given by the caller (CLI, API, benchmark). Every problem is a located issue; nothing raises for
bad input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from compliance.cfp.calculator import compute_cfp
from compliance.cfp.datasets import FactorLibrary
from compliance.cfp.gwp import GwpSet
from compliance.cfp.result import CfpResult
from compliance.cfp.rulesets import CfpRuleset
from compliance.dd import score_questionnaire, validate_questionnaire
from compliance.errors import Issue, Severity
from compliance.passport.builder import build_passport
from compliance.passport.due_diligence import summarise_dd
from compliance.passport.model import DdSummary, Passport
from compliance.validation import validate_submission
from compliance.validation.locating import locate_issues
from compliance.validation.parsing import detect_format

__all__ = ["DdInput", "PassportOutcome", "make_passport", "score_dd_input", "sha256_digest"]


def sha256_digest(data: bytes) -> str:
    """``sha256:<hex>`` of raw input bytes (the provenance of a passport)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class DdInput:
    """A scored questionnaire ready for the passport (or the issues that stopped it)."""

    summary: DdSummary | None
    tables: tuple[str, ...]
    digest: str
    issues: tuple[Issue, ...]


def score_dd_input(data: bytes, *, name: str, as_of: date) -> DdInput:
    """Validate and score a DD questionnaire for a passport's extension block."""
    report = validate_questionnaire(data, as_of=as_of, name=name)
    digest = sha256_digest(data)
    if report.questionnaire is None or not report.ok:
        return DdInput(None, (), digest, report.issues)
    result = score_questionnaire(report.questionnaire, as_of=as_of, checked=report.checked)
    summary, tables = summarise_dd(result)
    return DdInput(summary, tables, digest, report.issues)


@dataclass(frozen=True, slots=True)
class PassportOutcome:
    """The passport (``None`` on errors), the CFP result it carries, and every issue."""

    passport: Passport | None
    cfp: CfpResult | None
    issues: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        """True when a passport was built."""
        return self.passport is not None


def make_passport(
    data: bytes,
    *,
    name: str,
    ruleset: CfpRuleset,
    library: FactorLibrary,
    as_of: date,
    generated_at: datetime,
    base_url: str,
    gwp: GwpSet | None = None,
    dd: DdInput | None = None,
) -> PassportOutcome:
    """Validate ``data`` (a submission), compute its carbon footprint and build its passport."""
    report = validate_submission(data, name=name)
    if report.submission is None or not report.ok:
        return PassportOutcome(None, None, report.issues)
    sub = report.submission
    outcome = compute_cfp(sub, ruleset, library=library, as_of=as_of, gwp=gwp, trace=False)
    issues = [*report.issues, *outcome.issues]
    if outcome.result is None:
        return PassportOutcome(None, None, tuple(issues))
    passport, problems = build_passport(
        sub,
        generated_at=generated_at,
        submission_digest=sha256_digest(data),
        base_url=base_url,
        cfp=outcome.result,
        dd=dd.summary if dd else None,
        questionnaire_digest=dd.digest if dd else None,
        dd_reference_tables=dd.tables if dd else (),
    )
    if problems:
        text = data.decode("utf-8", errors="replace")
        issues += locate_issues(problems, text, detect_format(name, data))
    errors = any(i.severity is Severity.ERROR for i in issues)
    return PassportOutcome(None if errors else passport, outcome.result, tuple(issues))
