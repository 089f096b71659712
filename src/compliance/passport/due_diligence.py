"""Our due-diligence scores in the passport's extension block (never public).

Annex XIII 1(d) publishes the link to the economic operator's Art. 52(3) due-diligence report;
that link is declared in the submission (``passport.dueDiligence``). A supplier questionnaire
scored by :mod:`compliance.dd` is working data of the operator's due diligence (OECD step 2:
identify and assess risks): its summary goes to ``extensions.dueDiligence`` (visible to persons
with a legitimate interest and to authorities, never to the public) and never replaces the
report link (shared/docs/passport.md section 8.3).
"""

from __future__ import annotations

from compliance.dd import DdResult
from compliance.passport.model import DdSummary

__all__ = ["summarise_dd"]


def summarise_dd(result: DdResult) -> tuple[DdSummary, tuple[str, ...]]:
    """The extension summary of a DD result and the reference tables it used (provenance)."""
    open_flags = [f for f in result.red_flags if f.status == "open"]
    summary = DdSummary(
        catalogue=f"{result.catalogue_id}@{result.catalogue_version}",
        maturity=result.maturity.score,
        level=f"{result.maturity.level} {result.maturity.level_name}",
        risk_level=result.risk.level,
        red_flags=len(open_flags),
        applicable=result.applicability.state == "applicable",
        details={
            "supplier": result.supplier,
            "questionnaire": result.questionnaire_id,
            "scoredOn": result.as_of.isoformat(),
            "status": result.status,
            "completenessPct": result.completeness_pct,
            "confidence": result.confidence,
            "drivenBy": result.driven_by,
            "provisional": result.provisional,
            "manualReview": result.manual_review,
            "applicability": result.applicability.state,
            "openRedFlags": sorted(f.id for f in open_flags),
            "demonstrationData": any(t.demonstration for t in result.tables),
        },
    )
    tables = tuple(
        f"{t.id}@{t.version}" + (" (demonstration)" if t.demonstration else "")
        for t in result.tables
    )
    return summary, tables
