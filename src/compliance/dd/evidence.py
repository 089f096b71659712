"""The evidence factor e of an answer (dd-methodology 6.5): credit = value x e.

Tiers, from the catalogue's evidence policy: ``third-party`` (independent issuer other than the
supplier, a third-party document type, and a locator), ``documentary`` (a document with a locator:
``uri`` or ``sha256``), ``self-declared`` (no evidence, or entries without a locator: a claim is
not evidence) and ``invalid`` (every referenced document is expired at the effective date or does
not cover the material; contradiction CX-07). Unfavourable answers need no evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from compliance.dd.context import EvidenceInfo
from compliance.dd.facts import normalise_name
from compliance.models.dd_catalogue import EvidencePolicy
from compliance.models.questionnaire import Evidence, Material

__all__ = ["assess_evidence", "tier_of"]


def tier_of(item: Evidence, policy: EvidencePolicy, supplier: str) -> tuple[str, float]:
    """Tier name and factor of one valid evidence entry."""
    located = item.uri is not None or item.sha256 is not None
    if not located:
        return "self-declared", policy.self_declared
    independent = (
        item.third_party
        and item.type in policy.third_party_types
        and item.issuer is not None
        and normalise_name(item.issuer) != supplier
    )
    if independent:
        return "third-party", policy.third_party
    return "documentary", policy.documentary


def assess_evidence(
    refs: Iterable[str],
    register: Mapping[str, Evidence],
    material: Material | None,
    policy: EvidencePolicy,
    supplier: str,
    effective_date: date,
) -> EvidenceInfo:
    """Judge the evidence behind one answer (as if the answer were a favourable claim).

    Args:
        refs: Evidence ids the answer references.
        register: The questionnaire's evidence register by id.
        material: The material the answer is scored for (``None`` for company questions).
        policy: Evidence factors and third-party document types.
        supplier: The supplier's normalised name (its own documents are not third-party).
        effective_date: Validity is judged on this date.
    """
    refs = tuple(refs)
    if not refs:
        return EvidenceInfo(policy.self_declared, "self-declared")
    best: tuple[float, str] = (-1.0, "")
    used: list[str] = []
    rejected: list[tuple[str, str]] = []
    issued: list[date] = []
    has_uri = False
    for ref in refs:
        item = register.get(ref)
        if item is None:
            continue  # reported by the questionnaire checks
        if item.valid_until is not None and item.valid_until < effective_date:
            rejected.append((ref, f"expired on {item.valid_until}"))
            continue
        if material is not None and item.covers_materials and material not in item.covers_materials:
            rejected.append((ref, f"does not cover {material.value}"))
            continue
        tier, factor = tier_of(item, policy, supplier)
        used.append(ref)
        if item.issued is not None:
            issued.append(item.issued)
        has_uri = has_uri or item.uri is not None
        if factor > best[0]:
            best = (factor, tier)
    if not used:
        return EvidenceInfo(policy.invalid, "invalid", (), tuple(rejected))
    return EvidenceInfo(best[0], best[1], tuple(used), tuple(rejected), tuple(issued), has_uri)
