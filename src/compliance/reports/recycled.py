"""The recycled-content table (Art. 8) shown by the CFP report and the passport sheet.

One row per element with the computed shares (or, when no calculation ran, the supplier's
declared ones), the declared shares beside them and one cell per Art. 8(2)/(3) minimum. Rows
are *selected* from a :class:`~compliance.recycled.RecycledResult` or from a passport's Annex
XIII 1(e) block; the minimums and their dates come from the recycled-content ruleset named by
the result (or the bundled default for a declared block). No compliance value is computed here
except the comparison of a passport's stated share with a minimum, for which the sheet has no
other source.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.models.passport_data import RecycledContent
from compliance.passport.model import PublicInformation
from compliance.recycled import RecycledResult, load_recycled_ruleset
from compliance.recycled.rulesets import RecycledRuleset

__all__ = [
    "RecycledCheck",
    "RecycledRow",
    "RecycledTable",
    "TargetHead",
    "from_declared",
    "from_passport",
    "from_result",
]

_ORDER = ("cobalt", "lead", "lithium", "nickel")


@dataclass(frozen=True, slots=True)
class TargetHead:
    """A minimum's column: paragraph, date and the categories it covers."""

    id: str
    paragraph: str
    applies_from: object
    categories: tuple[str, ...]
    applies: bool | None
    """Whether it applies to this battery (``None``: not known from the passport alone)."""


@dataclass(frozen=True, slots=True)
class RecycledCheck:
    """One minimum for one element."""

    minimum: float | None
    met: bool | None
    margin_points: float | None


@dataclass(frozen=True, slots=True)
class RecycledRow:
    """One element."""

    element: str
    total_kg: float | None
    recovered_kg: float | None
    pre: float | None
    post: float | None
    share: float | None
    declared_pre: float | None
    declared_post: float | None
    checks: tuple[RecycledCheck, ...]


@dataclass(frozen=True, slots=True)
class RecycledTable:
    """The table and what it rests on."""

    basis: str
    """``computed`` or ``declared``."""
    ruleset: str
    rows: tuple[RecycledRow, ...]
    targets: tuple[TargetHead, ...]
    rejected_claims: tuple[str, ...]
    digits: int


def _declared(declared: RecycledContent | None, element: str) -> tuple[float | None, float | None]:
    share = getattr(declared, element) if declared is not None else None
    return (share.pre_consumer, share.post_consumer) if share is not None else (None, None)


def from_result(result: RecycledResult, declared: RecycledContent | None) -> RecycledTable:
    """The table of a computed result (CFP report)."""
    loaded = load_recycled_ruleset(result.ruleset.version)
    ruleset = loaded.ruleset
    heads = tuple(
        TargetHead(
            t.id,
            t.paragraph,
            t.applies_from,
            tuple(c.value for c in t.categories),
            next((c.applies_to_category for c in result.targets if c.target == t.id), None),
        )
        for t in ruleset.targets
    )
    rows = []
    for element in result.elements:
        checks = []
        for head in heads:
            check = next(
                (c for c in result.targets if c.target == head.id and c.element is element.element),
                None,
            )
            checks.append(
                RecycledCheck(
                    check.minimum if check else None,
                    check.met if check else None,
                    check.margin_points if check else None,
                )
            )
        d_pre, d_post = _declared(declared, element.element.value)
        rows.append(
            RecycledRow(
                element.element.value,
                element.total.magnitude,
                element.recovered,
                element.share_pre,
                element.share_post,
                element.share,
                d_pre,
                d_post,
                tuple(checks),
            )
        )
    return RecycledTable(
        "computed",
        f"{result.ruleset.id}@{result.ruleset.version}",
        tuple(rows),
        heads,
        tuple(f"{c.element.value}: {c.supplier} ({c.rule})" for c in result.rejected_claims),
        result.percent_decimals,
    )


def _ruleset_of(label: str | None) -> RecycledRuleset:
    version = label.partition("@")[2] if label else ""
    return load_recycled_ruleset(version or "1.0.0").ruleset


def _stated_rows(
    ruleset: RecycledRuleset,
    computed: RecycledContent | None,
    declared: RecycledContent | None,
) -> tuple[RecycledRow, ...]:
    """Rows of shares as a passport states them: computed (when given) and declared."""
    rows = []
    for element in _ORDER:
        share = getattr(computed, element) if computed is not None else None
        d_pre, d_post = _declared(declared, element)
        if share is None and d_pre is None:
            continue
        if share is not None:
            total: float | None = share.pre_consumer + share.post_consumer
        else:
            total = (d_pre or 0.0) + (d_post or 0.0)
        checks = []
        for target in ruleset.targets:
            minimum = next((m for e, m in target.minimums.items() if e.value == element), None)
            if total is None or minimum is None:
                checks.append(RecycledCheck(minimum, None, None))
                continue
            checks.append(
                RecycledCheck(minimum, total >= minimum, round((total - minimum) * 100, 6))
            )
        rows.append(
            RecycledRow(
                element,
                None,
                None,
                share.pre_consumer if share else None,
                share.post_consumer if share else None,
                total,
                d_pre,
                d_post,
                tuple(checks),
            )
        )
    return tuple(rows)


def _heads(ruleset: RecycledRuleset) -> tuple[TargetHead, ...]:
    return tuple(
        TargetHead(t.id, t.paragraph, t.applies_from, tuple(c.value for c in t.categories), None)
        for t in ruleset.targets
    )


def from_declared(declared: RecycledContent) -> RecycledTable:
    """The table of declared shares only (no calculation ran).

    The share compared with the minimums is then the declared one, and the table says so.
    """
    ruleset = _ruleset_of(None)
    return RecycledTable(
        "declared",
        f"{ruleset.id}@{ruleset.version}",
        _stated_rows(ruleset, None, declared),
        _heads(ruleset),
        (),
        ruleset.rounding.percent_decimals,
    )


def from_passport(public: PublicInformation) -> RecycledTable | None:
    """The table of a passport's Annex XIII 1(e) block (passport sheet)."""
    shares = public.recycled_content
    details = public.recycled_content_details
    if details is None or details.basis == "declared":
        return from_declared(shares) if shares is not None else None
    ruleset = _ruleset_of(details.ruleset)
    return RecycledTable(
        "computed",
        details.ruleset or "",
        _stated_rows(ruleset, shares, details.declared),
        _heads(ruleset),
        details.rejected_claims,
        ruleset.rounding.percent_decimals,
    )
