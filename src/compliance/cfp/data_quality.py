"""Data quality of a footprint: exact PEF DQRs, their levels, and the aggregate DQR.

Sources ([K]: from the primary text, not re-verified in a stored copy):

* DQR of a dataset: Commission Recommendation (EU) 2021/2279, Annex I (PEF method), section
  4.6.5 "Data quality requirements": ``DQR = (TeR + GeR + TiR + P) / 4`` [V]. Ouranos/ABtC
  exchanges carry TeR, GeR and TiR only; their mean is used then (the result says so).
* Aggregate DQR: the same section's procedure for a company-specific dataset [K]: (1) select the
  most relevant processes, those that together account for at least 80 % of the impact, ranked
  from the largest contribution; (2) take each one's TeR, GeR, TiR and P; (3) weight each by its
  contribution relative to the most relevant processes; (4) each criterion of the result is the
  weighted average of that criterion; (5) ``DQR = (TeR + GeR + TiR + P) / 4`` of those averages.
  Contributions count in absolute value (end-of-life credits are impacts too), and identical
  processes in the same life-cycle stage count together (Annex I section 6.3.3 on the most
  relevant processes [K]). The JRC CFB-EV rules and the draft delegated act (2024) apply the
  PEF data quality requirements to batteries [K]; their own thresholds are [U] (ruleset data).
* Levels: a DQR falls in the first band of the ruleset whose upper bound it does not exceed.

Arithmetic is exact (integer sums of the weights over a common power of two, fractions for
ratings and ratios): a rating or bound is the decimal it was written as, a contribution the
binary value it has; only the reported figures are rounded to floats, so a DQR of exactly 2
never reads as 2.0000000000000004 and a level never slips.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeVar

from compliance.cfp.rulesets import DataQualityRule, DqrAggregation
from compliance.models import LifecycleStage
from compliance.models.quality import DataQuality

__all__ = [
    "CRITERIA",
    "PEF_AGGREGATION",
    "DqrAggregate",
    "aggregate_dqr",
    "band_of",
    "dqr_of",
    "exact",
    "process_id",
]

CRITERIA = ("ter", "ger", "tir", "p")
"""PEF data quality criteria: technological, geographical, time representativeness, precision."""

PEF_AGGREGATION = DqrAggregation(
    method="pef-most-relevant",
    most_relevant_share=0.8,
    source=(
        "Commission Recommendation (EU) 2021/2279 Annex I section 4.6.5 (DQR of a "
        "company-specific dataset: contribution-weighted criteria of the most relevant "
        "processes, >= 80 % of the impact) [K]"
    ),
)
"""The aggregation used when a ruleset names none."""

_T = TypeVar("_T")


def exact(value: float) -> Fraction:
    """The decimal a rating or bound was written as (``1.7`` is 17/10, not its binary float)."""
    return Fraction(repr(value))


def dqr_of(quality: DataQuality | None) -> Fraction | None:
    """PEF DQR of one dataset: the exact mean of the criteria given (TeR, GeR, TiR and P if any).

    >>> dqr_of(DataQuality(ter=1.7, ger=2.1, tir=2.2))
    Fraction(2, 1)
    """
    if quality is None:
        return None
    given = (quality.ter, quality.ger, quality.tir, quality.p)
    ratings = [exact(r) for r in given if r is not None]
    return sum(ratings, Fraction(0)) / len(ratings)


def band_of(value: Fraction, bands: Sequence[_T], upper: Callable[[_T], float]) -> _T | None:
    """The first band whose upper bound (inclusive, read exactly) ``value`` does not exceed."""
    return next((b for b in bands if value <= exact(upper(b))), None)


def process_id(key: str, stage: LifecycleStage) -> str:
    """A process of the DQR aggregate: one factor in one life-cycle stage."""
    return f"{key} @ {stage.value}"


@dataclass(frozen=True)
class DqrAggregate:
    """The aggregate DQR, its criteria, which processes it rests on and what deviates."""

    dqr: Fraction | None
    criteria: dict[str, Fraction]
    level: str | None
    most_relevant: tuple[str, ...]
    rated_share_of_most_relevant: Fraction
    coverage: Fraction
    """Share of the gross emissions whose factor carries a DQR (all processes)."""
    deviations: tuple[str, ...] = field(default=())


def _scaled(weights: Sequence[float]) -> list[int]:
    """The weights as integers over one common power of two: exact, so are their sums."""
    ratios = [w.as_integer_ratio() for w in weights]
    common = max((d for _, d in ratios), default=1)  # denominators are powers of two
    return [n * (common // d) for n, d in ratios]


def aggregate_dqr(
    weights: Mapping[tuple[str, LifecycleStage], float],
    qualities: Mapping[str, DataQuality],
    rule: DataQualityRule,
) -> DqrAggregate:
    """Aggregate DQR from the processes' gross emissions (kg CO2e) and their factors' criteria.

    Processes rank by emissions, largest first, ties by factor key then stage. Weights are
    compared and summed exactly (integers over a common power of two, the exact binary
    values); ratings are the decimals written; every ratio is a fraction.
    """
    how = rule.aggregation or PEF_AGGREGATION
    ranked = sorted((-w, key, stage) for (key, stage), w in weights.items())
    scaled = _scaled([-negative for negative, _, _ in ranked])
    gross = sum(scaled)
    rated_all = sum(w for w, (_, key, _) in zip(scaled, ranked, strict=True) if key in qualities)
    deviations: list[str] = []
    count = len(ranked)
    if how.method == "pef-most-relevant":
        share = exact(how.most_relevant_share)
        target = share.numerator * gross  # compared with running x share.denominator
        running, count = 0, 0
        while count < len(ranked) and (count == 0 or running * share.denominator < target):
            running += scaled[count]
            count += 1
    else:
        deviations.append(
            "the ruleset aggregates over every rated process, not over the most relevant ones "
            "(PEF method: Recommendation (EU) 2021/2279 Annex I section 4.6.5)"
        )
    chosen = [
        (process_id(key, stage), w, qualities.get(key))
        for (_, key, stage), w in zip(ranked[:count], scaled, strict=False)
    ]
    rated = [(w, q) for _, w, q in chosen if q is not None]
    weight_chosen = sum(w for _, w, _ in chosen)
    weight_rated = sum(w for w, _ in rated)
    unrated = len(chosen) - len(rated)
    if not rated:
        deviations.append(
            f"none of the {len(chosen)} processes aggregated carries a data quality rating: "
            "no aggregate DQR (the PEF method rates every most relevant process)"
        )
    elif unrated:
        unrated_share = 1 - Fraction(weight_rated, weight_chosen) if weight_chosen else 0
        deviations.append(
            f"{unrated} of the {len(chosen)} processes aggregated carry no data quality rating "
            f"({float(unrated_share):.1%} of their emissions); the DQR rests on the rated ones "
            "only (the PEF method rates every most relevant process)"
        )
    criteria: dict[str, Fraction] = {}
    for name in CRITERIA:
        given = [(w, exact(r)) for w, q in rated if (r := getattr(q, name)) is not None]
        total = sum(w for w, _ in given)
        if total > 0:
            criteria[name] = sum((w * r for w, r in given), Fraction(0)) / total
    without_p = sum(1 for _, q in rated if q is not None and q.p is None)
    if without_p:
        deviations.append(
            f"{without_p} of the {len(rated)} rated processes give no precision (P) rating "
            "(Ouranos/ABtC exchanges carry TeR, GeR and TiR only): their DQR is the mean of "
            "the three, and the aggregate DQR is the weighted mean of the process DQRs (with "
            "all four criteria everywhere this equals the mean of the weighted criteria)"
        )
    dqr = (
        sum((w * d for w, q in rated if (d := dqr_of(q)) is not None), Fraction(0)) / weight_rated
        if weight_rated
        else None
    )
    level = band_of(dqr, rule.levels, lambda lv: lv.max) if dqr is not None else None
    return DqrAggregate(
        dqr=dqr,
        criteria=criteria,
        level=level.level if level is not None else None,
        most_relevant=tuple(pid for pid, _, _ in chosen),
        rated_share_of_most_relevant=(
            Fraction(weight_rated, weight_chosen) if weight_chosen else Fraction(0)
        ),
        coverage=Fraction(rated_all, gross) if gross else Fraction(0),
        deviations=tuple(deviations),
    )
