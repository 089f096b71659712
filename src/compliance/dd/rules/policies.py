"""Compile and check the policies of ``catalogue.yaml``: levels and gates, risk bands, weights.

Part of :mod:`compliance.dd.rules.compiler`; problems are collected on the compiler's builder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.dd.rules.catalogue import GateRule, LevelRule
from compliance.dd.rules.conditions import Subject

if TYPE_CHECKING:
    from compliance.dd.rules.compiler import Builder

__all__ = ["CATALOGUE_FILE", "check_policies", "compile_levels"]

CATALOGUE_FILE = "catalogue.yaml"
Path = tuple[str | int, ...]


def compile_levels(b: Builder, subjects: dict[str, Subject]) -> tuple[LevelRule, ...]:
    """Maturity levels with compiled gates (numbered 1, 2, ... with increasing minimum)."""
    header = b.header
    levels: list[LevelRule] = []
    previous = -1.0
    for index, level in enumerate(header.levels):
        path: Path = ("levels", index)
        if level.min_score <= previous or level.level != index + 1:
            b.issue(
                "rules.levels",
                CATALOGUE_FILE,
                path,
                "levels must be numbered 1, 2, ... with increasing min_score",
            )
        previous = level.min_score
        gates: list[GateRule] = []
        for g, gate in enumerate(level.gates):
            b.sources(gate.sources, CATALOGUE_FILE, (*path, "gates", g))
            when = b.predicate(gate.when, subjects, CATALOGUE_FILE, (*path, "gates", g, "when"))
            if when is not None:
                gates.append(GateRule(gate.id, level.level, gate.title, when, gate.sources))
        levels.append(LevelRule(level.level, level.name, level.min_score, tuple(gates)))
    if header.levels and header.levels[0].min_score != 0:
        b.issue("rules.levels", CATALOGUE_FILE, ("levels", 0), "the first level starts at 0")
    return tuple(levels)


def check_policies(b: Builder, subjects: dict[str, Subject]) -> None:
    """Risk bands, category weights, bindings and the sources of every policy."""
    header = b.header
    bands = header.risk.bands
    limits = [band.below for band in bands]
    if (
        not bands
        or limits[-1] is not None
        or any(x is None for x in limits[:-1])
        or limits[:-1] != sorted(limits[:-1])  # type: ignore[type-var]
    ):
        b.issue(
            "rules.risk-bands",
            CATALOGUE_FILE,
            ("risk", "bands"),
            "risk bands need increasing 'below' limits and a last band without one",
        )
    factors = header.evidence
    if not (factors.third_party > factors.documentary > factors.self_declared >= factors.invalid):
        b.issue(
            "rules.evidence-order",
            CATALOGUE_FILE,
            ("evidence",),
            "evidence factors must order third_party > documentary > self_declared >= invalid "
            "(a self-declaration earns less than an independent document)",
        )
    weights = header.category_score
    if abs(weights.get("specific", 0) + weights.get("system", 0) - 1) > 1e-9:
        b.issue(
            "rules.weights",
            CATALOGUE_FILE,
            ("category_score",),
            "category_score specific + system must be 1",
        )
    for name, qid in header.bindings:
        if qid not in subjects:
            b.issue(
                "rules.unknown-question",
                CATALOGUE_FILE,
                ("bindings", name),
                f"unknown question {qid!r}",
            )
    for key, sources in (
        ("evidence", header.evidence.sources),
        ("risk", header.risk.sources),
        ("confidence", header.confidence.sources),
        ("processor_status_credit", header.processor_status_credit.sources),
    ):
        b.sources(sources, CATALOGUE_FILE, (key,))
    if header.critical_gate is not None:
        b.sources(header.critical_gate.sources, CATALOGUE_FILE, ("critical_gate",))
    b.sources(header.category_score_sources, CATALOGUE_FILE, ("category_score",))
    for index, category in enumerate(header.categories):
        b.sources(category.sources, CATALOGUE_FILE, ("categories", index))
