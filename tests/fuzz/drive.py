"""Drive one document through the library entry point of every command and check the contract.

The contract (issue 14):

* no exception escapes (what would be a traceback or an ``internal.error`` at the CLI);
* every issue has a documented code and a JSON Pointer, and a document that ``validate`` accepts
  never fails later with anything but such located issues;
* no output (CFP result, sealed passport, exports, report HTML) contains a non-finite number;
* a sealed passport always verifies.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from compliance import Issue, pipeline, validate_submission
from compliance.cfp import CfpRuleset, FactorLibrary, available_rulesets, compute_cfp, load_ruleset
from compliance.dd import (
    InvalidQuestionnaireError,
    load_catalogue,
    score_questionnaire,
    validate_questionnaire,
)
from compliance.issue_codes import is_documented
from compliance.passport.access import view
from compliance.passport.exports import export_batterypass, export_catenax
from compliance.passport.integrity import seal_bytes, verify
from compliance.passport.model import AccessLevel
from compliance.pipeline import CfpSetup, PassportRequest, QuestionnaireRun
from compliance.reports import (
    CfpReportInput,
    DdReportInput,
    SourceDocument,
    build_html,
    sheet_input,
)

AS_OF = date(2027, 9, 1)
DD_AS_OF = date(2026, 1, 15)
GENERATED_AT = datetime(2027, 9, 1, tzinfo=UTC)
BASE_URL = "https://passport.example.org"
NON_FINITE = re.compile(r"∞|(?<![A-Za-z])(?:nan|NaN|inf|Inf|Infinity)(?![A-Za-z])")
"""How Python, Babel and JavaScript spell a non-finite number in text."""


@cache
def rulesets() -> tuple[CfpRuleset, ...]:
    """Every bundled CFP ruleset (loaded once)."""
    return tuple(load_ruleset(name) for name in available_rulesets())


@cache
def library() -> FactorLibrary:
    """The bundled factor datasets (loaded once)."""
    return FactorLibrary.bundled(())


def check_issues(issues: Iterable[Issue], stage: str) -> None:
    """Every issue is documented, not an internal error, carries a JSON Pointer, and can be
    written as UTF-8 (no lone surrogate echoed from the input)."""
    for issue in issues:
        assert issue.code != "internal.error", f"{stage}: {issue}"
        assert is_documented(issue.code), f"{stage}: undocumented code {issue.code!r}: {issue}"
        pointer = issue.pointer
        assert isinstance(pointer, str), f"{stage}: {issue}"
        assert pointer == "" or pointer.startswith("/"), f"{stage}: not a pointer: {issue}"
        (pointer + issue.message).encode("utf-8")  # raises on a lone surrogate


def assert_finite(data: Any, stage: str) -> None:
    """No float anywhere in a JSON-like structure is NaN or infinite."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, float):
            assert math.isfinite(node), f"{stage}: non-finite number in the output"
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


def assert_finite_text(text: str, source: str, stage: str) -> None:
    """Rendered text shows no non-finite number (unless the input itself spelled the word)."""
    for match in NON_FINITE.finditer(text):
        if NON_FINITE.search(source) is None or match.group() not in source:
            raise AssertionError(f"{stage}: {match.group()!r} in the rendered output")


@dataclass(frozen=True, slots=True)
class Reached:
    """How far a document got (for the statistics of a run)."""

    valid: bool
    result: bool
    passport: bool


def run_submission(
    data: bytes,
    name: str,
    ruleset: CfpRuleset,
    *,
    dd: QuestionnaireRun | None = None,
    language: str = "en",
) -> Reached:
    """validate -> cfp (trace, Monte Carlo, sensitivity) -> cfp report HTML -> passport build ->
    seal -> verify -> passport sheet HTML and exports, checking the contract at every step."""
    report = validate_submission(data, name=name)
    check_issues(report.issues, "validate")
    if not report.ok or report.submission is None:
        return Reached(False, False, False)
    submission = report.submission
    outcome = compute_cfp(
        submission,
        ruleset,
        library=library(),
        as_of=AS_OF,
        trace=True,
        monte_carlo=16,
        seed=7,
        sensitivity=True,
    )
    check_issues(outcome.issues, "cfp")
    source_text = data.decode("utf-8", "replace")
    source = SourceDocument(hashlib.sha256(data).hexdigest())
    if outcome.result is not None:
        assert_finite(outcome.result.model_dump(mode="python"), "cfp result")
        html, _ = build_html(
            "cfp",
            CfpReportInput(submission, outcome.result, ruleset, source),
            language=language,
        )
        assert_finite_text(html, source_text, "cfp report")
    built = pipeline.run_submission(
        data,
        name=name,
        setup=CfpSetup(ruleset, library()),
        as_of=AS_OF,
        passport=PassportRequest(GENERATED_AT, BASE_URL, dd),
    )
    check_issues(built.issues, "passport")
    if built.passport is None:
        return Reached(True, outcome.result is not None, False)
    sealed = seal_bytes(built.passport)
    assert_finite(json.loads(sealed.data), "sealed passport")
    verification = verify(sealed.data)
    assert verification.ok, f"a sealed passport does not verify: {verification.reasons}"
    assert verification.document is not None
    for level in AccessLevel:
        sheet = sheet_input(verification.document, level, as_of=AS_OF, source=source)
        html, _ = build_html("passport", sheet, language=language)
        assert_finite_text(html, source_text, f"passport sheet ({level.value})")
    exported = export_batterypass(view(built.passport, AccessLevel.FULL))
    assert_finite(json.loads(exported.to_json()), "battery pass export")
    catenax, problems = export_catenax(built.passport)
    check_issues(problems, "catena-x export")
    if catenax is not None:
        assert_finite(json.loads(catenax.to_json()), "catena-x export")
    return Reached(True, outcome.result is not None, True)


def run_questionnaire(data: bytes, name: str, *, language: str = "en") -> Reached:
    """validate -> dd score -> dd report HTML -> the passport's DD extension input."""
    report = validate_questionnaire(data, as_of=DD_AS_OF, name=name)
    check_issues(report.issues, "dd validate")
    dd_input = pipeline.run_questionnaire(data, name=name, as_of=DD_AS_OF)
    check_issues(dd_input.issues, "passport --dd")
    if not report.ok or report.questionnaire is None:
        return Reached(False, False, False)
    try:
        result = score_questionnaire(report.questionnaire, as_of=DD_AS_OF, checked=report.checked)
    except InvalidQuestionnaireError as exc:  # the documented, located refusal
        if not exc.issues:
            raise AssertionError("InvalidQuestionnaireError without issues") from exc
        check_issues(exc.issues, "dd score")
        return Reached(True, False, False)
    assert_finite(result.to_dict(), "dd result")
    html, _ = build_html(
        "dd",
        DdReportInput(
            report.questionnaire,
            result,
            load_catalogue(),
            SourceDocument(hashlib.sha256(data).hexdigest()),
        ),
        language=language,
    )
    assert_finite_text(html, data.decode("utf-8", "replace"), "dd report")
    return Reached(True, True, dd_input.dd is not None)
