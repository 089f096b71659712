"""The ``passport`` report kind: the passport sheet of one access level (Art. 77(2)).

Input: the view of a sealed passport for one access level (:func:`compliance.passport.access.view`
removed every section that level may not see *before* the report gets it, so the sheet cannot
show them), the seal of the document (version, digest, link to the previous version) and the
Annex XIII completeness report computed by :func:`compliance.passport.completeness.completeness`
on the *full* passport (what the Regulation asks of the passport, whoever reads the sheet). The
view model only selects; the QR code is the data carrier of the public URL, drawn by
:mod:`compliance.passport.qr` and embedded through :mod:`compliance.reports.qr`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from compliance.passport.access import VISIBLE, hidden_from, view
from compliance.passport.completeness import CompletenessReport, completeness
from compliance.passport.integrity import PassportDocument
from compliance.passport.model import AccessLevel, DdSummary, Passport
from compliance.reports import recycled as recycled_table
from compliance.reports.errors import ReportInputError
from compliance.reports.kinds import Attachment, ReportKind, SourceDocument
from compliance.reports.qr import passport_qr

__all__ = [
    "ATTACHMENT_NAME",
    "PASSPORT_SHEET",
    "PassportSheetInput",
    "SealInfo",
    "build_passport_view",
    "can_show",
    "sheet_input",
    "view_json",
]

ATTACHMENT_NAME = "passport-view.json"
OPEN_STATUSES = ("missing", "not-yet-applicable")
"""Completeness states listed item by item (the others are counted)."""


@dataclass(frozen=True, slots=True)
class SealInfo:
    """The sealed version a sheet was made from (never the passport content itself)."""

    version: int
    digest: str
    previous_digest: str | None
    signed: bool


@dataclass(frozen=True, slots=True)
class PassportSheetInput:
    """Everything the passport sheet shows.

    Attributes:
        passport: The view of one access level (its ``view`` field names the level).
        seal: Version and digest of the sealed document the view was taken from.
        completeness: The completeness report of the full passport, or ``None`` when the
            document was itself a restricted view (its completeness cannot be known).
        source: The file the document was read from. The sheet shows its SHA-256 only, never
            its name: a path is a detail of the machine that rendered the sheet, and the same
            passport must give the same sheet from wherever it is read.
    """

    passport: Passport
    seal: SealInfo
    completeness: CompletenessReport | None
    source: SourceDocument | None = None


def can_show(document_view: AccessLevel, level: AccessLevel) -> bool:
    """Whether a document stored as ``document_view`` holds everything ``level`` may see.

    >>> can_show(AccessLevel.FULL, AccessLevel.AUTHORITY)
    True
    >>> can_show(AccessLevel.LEGITIMATE_INTEREST, AccessLevel.AUTHORITY)
    False
    """
    return document_view is AccessLevel.FULL or VISIBLE[level] <= VISIBLE[document_view]


def sheet_input(
    document: PassportDocument,
    level: AccessLevel,
    *,
    as_of: date,
    source: SourceDocument | None = None,
) -> PassportSheetInput:
    """The sheet input of a verified document: completeness of the full passport, then the view.

    Raises:
        ReportInputError: The document is a restricted view that lacks sections ``level`` sees.
    """
    stored = document.passport
    if not can_show(stored.view, level):
        raise ReportInputError(
            f"the document holds the {stored.view.value} view of the passport, which lacks "
            f"sections the {level.value} level sees; give the full passport"
        )
    report = completeness(stored, as_of) if stored.view is AccessLevel.FULL else None
    seal = SealInfo(
        document.version, document.digest, document.previous_digest, document.signature is not None
    )
    return PassportSheetInput(view(stored, level), seal, report, source)


def _check(data: PassportSheetInput) -> None:
    passport = data.passport
    document = passport.model_dump(mode="json", by_alias=True)
    leaked = [pointer for pointer in hidden_from(passport.view) if _holds(document, pointer)]
    if leaked:
        raise ReportInputError(
            f"not a {passport.view.value} view: it holds {', '.join(leaked)} (take the view with "
            "compliance.passport.access.view)"
        )
    report = data.completeness
    if report is not None and report.category != passport.category.value:
        raise ReportInputError(
            f"the completeness report is for a {report.category} battery, the passport for "
            f"a {passport.category.value} battery"
        )


def _holds(document: dict[str, Any], pointer: str) -> bool:
    """Whether the dumped passport has a value at ``pointer`` (wire names)."""
    node: Any = document
    for token in pointer.split("/")[1:]:
        if not isinstance(node, dict) or node.get(token) is None:
            return False
        node = node[token]
    return True


def _timestamp(text: str) -> datetime:
    """An RFC 3339 timestamp of the passport as an aware datetime (``Z`` is UTC)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def build_passport_view(data: PassportSheetInput) -> Mapping[str, Any]:
    """The template context of ``passport_sheet.html`` (selection only).

    Raises:
        ReportInputError: The passport holds sections its access level may not see, or the
            completeness report is for another battery category.
    """
    _check(data)
    p = data.passport
    report = data.completeness
    individual = p.individual
    condition = individual.condition if individual else None
    dd = p.extensions.due_diligence if p.extensions else None
    return {
        "kind": "passport",
        "passport": p,
        "level": p.view.value,
        "pub": p.public,
        "cf": p.public.carbon_footprint,
        "perf": p.public.performance,
        "li": p.legitimate_interest,
        "auth": p.authorities,
        "ind": individual,
        "condition": condition,
        "measured_at": _timestamp(condition.measured_at) if condition else None,
        "dd": dd,
        "dd_scored_on": _scored_on(dd),
        "qr": passport_qr(p.public_url),
        "seal": data.seal,
        "completeness": report,
        "open_items": [i for i in report.items if i.status in OPEN_STATUSES] if report else [],
        "status_counts": _counts(report),
        "passport_generated_at": _timestamp(p.provenance.generated_at),
        "rt": recycled_table.from_passport(p.public),
        "source": data.source,  # the template prints its digest only
        "attachment_name": ATTACHMENT_NAME,
    }


def _scored_on(dd: DdSummary | None) -> date | None:
    """The scoring date the DD summary records (``details.scoredOn``, ISO 8601), if any."""
    scored = dd.details.get("scoredOn") if dd else None
    return date.fromisoformat(scored) if isinstance(scored, str) else None


def _counts(report: CompletenessReport | None) -> list[tuple[str, int]]:
    """Number of items per completeness state, in a fixed order (a tally, not a judgement)."""
    if report is None:
        return []
    order = ("present", "missing", "not-yet-applicable", "not-applicable")
    return [(state, sum(1 for i in report.items if i.status == state)) for state in order]


def view_json(passport: Passport) -> bytes:
    """The view as attached to the PDF: camelCase JSON, indented, UTF-8, final newline."""
    document = passport.model_dump(mode="json", by_alias=True)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _attachments(data: PassportSheetInput) -> Sequence[Attachment]:
    return [
        Attachment(
            name=ATTACHMENT_NAME,
            data=view_json(data.passport),
            description=f"Battery passport, {data.passport.view.value} view, shown in this sheet",
        )
    ]


def _generated_at(data: PassportSheetInput) -> datetime:
    """The passport's generation time (its provenance), never the clock."""
    return _timestamp(data.passport.provenance.generated_at)


PASSPORT_SHEET: ReportKind[PassportSheetInput] = ReportKind(
    name="passport",
    title="battery passport sheet of one access level",
    template="passport_sheet.html",
    input_type=PassportSheetInput,
    build_view=build_passport_view,
    attachments=_attachments,
    generated_at=_generated_at,
)
