"""Facts: values the engine derives from a questionnaire, for rule conditions to test.

Rules name facts (``{fact: cahra_origin, equals: true}``); :data:`FACTS` is the closed list, each
with what it means. Static facts come from the document and the reference tables and are
computed once (:func:`compute_facts`); dynamic facts depend on the effective answers, which
contradiction rules may re-score, so they are computed when read (:func:`dynamic_facts`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from compliance.dd.engine.context import EvalContext
from compliance.models.dd_catalogue import Bindings, ProcessorStatusCredit
from compliance.models.questionnaire import (
    DdQuestionnaire,
    Material,
    Mine,
    Processor,
    ScopeKind,
    YesNoUnknown,
)

if TYPE_CHECKING:
    from compliance.dd.rules.references import ReferenceTables

__all__ = [
    "FACTS",
    "FactSpec",
    "MaterialScope",
    "compute_facts",
    "dynamic_facts",
    "months_between",
    "normalise_name",
]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """A fact rules may test."""

    per_material: bool
    kind: Literal["bool", "number", "list"]
    doc: str


FACTS: dict[str, FactSpec] = {
    # company level
    "declaration_age_months": FactSpec(
        False, "number", "Months from the effective date to the scoring date (days / 30.44)."
    ),
    "authorizer_is_placeholder": FactSpec(
        False, "bool", "The authorizer's name is a placeholder from the catalogue ('same', 'n/a')."
    ),
    "contact_email_missing": FactSpec(False, "bool", "No contact e-mail address is given."),
    "declarant_mismatch": FactSpec(
        False,
        "bool",
        "The authorizer's organisation, or the supplier expected by the operator, differs from "
        "the supplier named in the header (legal-form suffixes and punctuation ignored).",
    ),
    "pure_recycler": FactSpec(False, "bool", "Every role of the supplier is a recycler role."),
    "mine_only": FactSpec(False, "bool", "The supplier's only role is 'mine'."),
    "scope_description_missing": FactSpec(
        False, "bool", "The scope is user-defined but has no description."
    ),
    "scope_products_missing": FactSpec(
        False, "bool", "The scope is 'products' but no product is listed."
    ),
    "undeclared_annex_x_materials": FactSpec(
        False, "number", "Annex X materials missing from /materials (presence not declared)."
    ),
    # per material, from the document and the tables
    "declared": FactSpec(True, "bool", "The material is listed in /materials."),
    "expected_present": FactSpec(
        True,
        "bool",
        "The product data says the material is present: the operator's product master "
        "(scoring context) or a product chemistry in /scope/products (chemistry table).",
    ),
    "listed_in_chain": FactSpec(True, "bool", "Processors or mines are listed for the material."),
    "processor_count": FactSpec(True, "number", "Processor rows for the material."),
    "unidentified_processors": FactSpec(
        True,
        "number",
        "Processor rows without a facility identifier, or marked not identified ('Smelter Not "
        "Yet Identified'): a processor nobody can look up is unknown origin, whatever the row "
        "claims (OECD DDG Step 2 downstream: identify the smelters/refiners).",
    ),
    "identified_processor_share_pct": FactSpec(
        True,
        "number",
        "Share of the volume through identified processors (a facility identifier and not "
        "marked unidentified): by sharePct when every row gives one (of at least 100 %: "
        "volume the rows leave out went through unlisted, so unidentified, processors), "
        "otherwise by row count; 0 without rows.",
    ),
    "processor_share_sum_pct": FactSpec(
        True, "number", "Sum of the processors' sharePct (missing when no row gives one)."
    ),
    "assured_processor_share_pct": FactSpec(
        True,
        "number",
        "Share (by sharePct, else rows) of the processors in an assurance programme at the "
        "effective date, each weighted by the catalogue's processor_status_credit (conformant "
        "1.0, active 0.5, ...); unlisted and unidentified rows earn 0.",
    ),
    "nonconformant_processors": FactSpec(
        True, "number", "Listed processors non-conformant or suspended at the effective date."
    ),
    "mine_count": FactSpec(True, "number", "Mine rows for the material."),
    "asm_mines": FactSpec(True, "number", "Mine rows marked artisanal or small-scale (asm: yes)."),
    "cahra_origin": FactSpec(
        True, "bool", "A mine or processor country of the material is a CAHRA in the country table."
    ),
    "transit_hub_origin": FactSpec(
        True,
        "bool",
        "A mine or processor country is a transit or trading hub of the material "
        "(material-profile table, transit_hubs).",
    ),
    "hub_processor": FactSpec(
        True,
        "bool",
        "A processor of the material is located in one of its transit or trading hubs "
        "(material-profile table, transit_hubs): checked as well as a CAHRA.",
    ),
    "implausible_origin": FactSpec(
        True,
        "bool",
        "A mine country is not a known producer of the material (material-profile table).",
    ),
    "primary_feed_indicated": FactSpec(
        True,
        "bool",
        "A processor's feedstock is not stated as 100 % recycled, or mines are listed.",
    ),
    "recycled_share_pct": FactSpec(True, "number", "Declared recycled share of the material."),
    "facility_country_conflicts": FactSpec(
        True, "number", "Facility ids listed with more than one country."
    ),
    # per material, from the effective answers (dynamic)
    "inherent_risk": FactSpec(
        True,
        "number",
        "Inherent risk 0-100: the highest of the material score, the origin and processing "
        "country scores, the ASM score (ASM present, or unknown for ASM-sensitive materials) and "
        "the unknown-origin score (untraced share above the tolerance); a fully recycled "
        "material (100 % recycled claim standing after the contradiction rules) has no mine "
        "origin, so neither the ASM nor the unknown-origin score applies to it.",
    ),
    "risk_identified": FactSpec(
        True, "bool", "An answer reports a risk (an option with signal 'risk')."
    ),
    "actual_impact": FactSpec(
        True, "bool", "An answer reports an actual impact (an option with signal 'actual-impact')."
    ),
}
"""Every fact rules may test."""

_LEGAL_FORMS = re.compile(
    r"\b(ltd|limited|inc|incorporated|gmbh|ag|sa|sas|co|corp|corporation|kk|kabushiki kaisha|"
    r"llc|plc|bv|nv|spa|srl|oy|oyj|ab|as|asa|pte|pty|company)\b"
)


@lru_cache(maxsize=4096)
def normalise_name(name: str) -> str:
    """Company name for comparisons: lower case, no punctuation or legal-form suffix.

    >>> normalise_name("Example Cobalt Co., Ltd.")
    'example cobalt'
    """
    text = re.sub(r"[^\w\s]", " ", name.lower())
    return " ".join(_LEGAL_FORMS.sub(" ", text).split())


def months_between(start: date, end: date) -> float:
    """Months from ``start`` to ``end`` as days / 30.4375 (mean month length).

    >>> round(months_between(date(2025, 1, 1), date(2026, 1, 15)), 2)
    12.45
    """
    return (end - start).days / 30.4375


@dataclass(frozen=True, slots=True)
class MaterialScope:
    """Which materials are scored, and why."""

    in_scope: tuple[Material, ...]
    expected: frozenset[Material]


def _company_facts(
    q: DdQuestionnaire,
    as_of: date,
    placeholders: frozenset[str],
    annex_x: Iterable[Material],
    recycler_roles: frozenset[str],
    expected_supplier: str | None,
) -> dict[str, Any]:
    header = q.header
    supplier = normalise_name(header.supplier.name)
    others = [header.authorizer.organisation, expected_supplier]
    mismatch = any(o is not None and normalise_name(o) != supplier for o in others)
    declared = {m.material for m in q.materials}
    scope = q.scope
    roles = {r.value for r in header.roles}
    return {
        "declaration_age_months": months_between(header.effective_date, as_of),
        "authorizer_is_placeholder": header.authorizer.name.strip().lower() in placeholders,
        "contact_email_missing": header.contact is None or header.contact.email is None,
        "declarant_mismatch": mismatch,
        "pure_recycler": roles <= recycler_roles,
        "mine_only": roles == {"mine"},
        "scope_description_missing": scope is not None
        and scope.kind is ScopeKind.USER_DEFINED
        and scope.description is None,
        "scope_products_missing": scope is not None
        and scope.kind is ScopeKind.PRODUCTS
        and not scope.products,
        "undeclared_annex_x_materials": float(sum(1 for m in annex_x if m not in declared)),
    }


def compute_facts(
    q: DdQuestionnaire,
    tables: ReferenceTables,
    as_of: date,
    *,
    placeholders: frozenset[str],
    annex_x: tuple[Material, ...],
    recycler_roles: frozenset[str],
    status_credit: ProcessorStatusCredit,
    expected_materials: frozenset[Material] = frozenset(),
    expected_supplier: str | None = None,
) -> tuple[dict[str, Any], dict[Material, dict[str, Any]], MaterialScope]:
    """Static facts of the company and of every material, and the materials in scope.

    ``status_credit`` weighs each processor's assurance status in ``assured_processor_share_pct``.
    """
    company = _company_facts(q, as_of, placeholders, annex_x, recycler_roles, expected_supplier)
    expected = set(expected_materials)
    if q.scope is not None:
        for product in q.scope.products:
            if product.chemistry is not None:
                expected.update(tables.chemistry_materials(product.chemistry))
    declarations = {m.material: m for m in q.materials}
    processors: dict[Material, list[Processor]] = defaultdict(list)
    for row in q.processors:
        processors[row.material].append(row)
    mines: dict[Material, list[Mine]] = defaultdict(list)
    for site in q.mines:
        mines[site.material].append(site)
    statuses = tables.statuses_on(q.header.effective_date)
    # each status's credit, read once from the catalogue model rather than once per processor row
    credits = {status: status_credit.credit(status) for status in set(statuses.values())}
    facts: dict[Material, dict[str, Any]] = {}
    in_scope: list[Material] = []
    for material in Material:
        declaration = declarations.get(material)
        rows = processors.get(material, [])
        sites = mines.get(material, [])
        present = declaration.present if declaration else None
        listed = bool(rows or sites)
        if present in (YesNoUnknown.YES, YesNoUnknown.UNKNOWN) or material in expected or listed:
            in_scope.append(material)
        facts[material] = _material_facts(
            material, declaration, rows, sites, tables, statuses, credits
        )
        facts[material]["expected_present"] = material in expected
    return company, facts, MaterialScope(tuple(in_scope), frozenset(expected))


@lru_cache(maxsize=4096)
def _facility_key(facility_id: str) -> str:
    """The snapshot key of a facility id: stripped, upper case (memoised: ids repeat)."""
    return facility_id.strip().upper()


def _material_facts(
    material: Material,
    declaration: Any,
    rows: list[Processor],
    sites: list[Mine],
    tables: ReferenceTables,
    statuses: dict[str, str],
    credits: dict[str, float],
) -> dict[str, Any]:
    profile = tables.profile(material)
    producers = set(profile.producers) if profile else set()
    countries: set[str] = set()
    hubs = tables.transit_hubs(material)
    hub_processor = False
    first_country: dict[str, str] = {}
    conflicts: set[str] = set()
    share_all = share_identified = share_sum = 0.0
    identified = nonconformant = with_share = 0
    assured_share = assured_rows = 0.0  # status credit x share, status credit x 1 per row
    primary = bool(sites)
    facility_key = _facility_key
    for row in rows:
        facility, share, country = row.facility_id, row.share_pct, row.country
        # no identifier: nobody can check the processor, so its volume is of unknown origin
        is_identified = row.identified and facility is not None
        if share is not None:
            with_share += 1
            share_sum += share
        if facility:
            facility = facility_key(facility)
            if is_identified:
                status = statuses.get(facility)
                if status is not None:
                    credit = credits[status]
                    assured_share += credit * (share or 0.0)
                    assured_rows += credit
                    if status == "non-conformant" or status == "suspended":
                        nonconformant += 1
            # a facility listed with two countries: a conflict
            if country and first_country.setdefault(facility, country) != country:
                conflicts.add(facility)
        if is_identified:
            identified += 1
            share_identified += share or 0.0
        if row.feedstock_fully_recycled is not YesNoUnknown.YES:
            primary = True
        if country:
            countries.add(country)
            hub_processor = hub_processor or country in hubs
    site_countries: set[str] = set()
    asm_mines = 0
    for site in sites:
        if site.country:
            site_countries.add(site.country)
        if site.asm is YesNoUnknown.YES:
            asm_mines += 1
    countries |= site_countries
    implausible = bool(producers) and not site_countries <= producers
    origins, unlisted = tables.origins()
    cahra = False
    country_score = 0.0
    for found in countries:
        in_cahra, score = origins.get(found, unlisted)
        cahra = cahra or in_cahra
        country_score = max(country_score, score)
    count = len(rows)
    by_volume = count > 0 and with_share == count and share_sum > 0
    # by volume, shares below 100 % leave volume through processors nobody listed: unidentified
    share_all = max(share_sum, 100.0) if by_volume else float(count)

    def pct(part_share: float, part_count: float) -> float:
        if count == 0:
            return 0.0
        return 100.0 * (part_share if by_volume else part_count) / share_all

    return {
        "declared": declaration is not None,
        "listed_in_chain": bool(rows or sites),
        "processor_count": float(count),
        "unidentified_processors": float(count - identified),
        "identified_processor_share_pct": pct(share_identified, identified),
        "processor_share_sum_pct": share_sum if with_share else None,
        "assured_processor_share_pct": pct(assured_share, assured_rows),
        "nonconformant_processors": float(nonconformant),
        "mine_count": float(len(sites)),
        "asm_mines": float(asm_mines),
        "cahra_origin": cahra,
        "transit_hub_origin": not hubs.isdisjoint(countries),
        "hub_processor": hub_processor,
        "implausible_origin": implausible,
        "primary_feed_indicated": primary,
        "recycled_share_pct": declaration.recycled_share_pct if declaration else None,
        "facility_country_conflicts": float(len(conflicts)),
        "_country_score": country_score,
    }


def dynamic_facts(
    tables: ReferenceTables,
    bindings: Bindings,
    signals: Mapping[tuple[str, bool], Mapping[str, frozenset[str]]],
) -> dict[str, Callable[[EvalContext], Any]]:
    """Facts computed from the effective answers when a condition reads them.

    Args:
        tables: Reference tables (country scores, material profiles).
        bindings: Which questions give the ASM status, the traced-to-mine share and the
            fully-recycled claim.
        signals: ``(question id, per_material)`` -> option value -> signals, for every question
            whose answer type has signalling options.
    """
    countries = tables.countries

    def inherent_risk(ctx: EvalContext) -> float | None:
        material = ctx.material
        if material is None:
            return None
        facts = ctx.material_facts[material]
        profile = tables.profile(material)
        scores = [profile.score if profile else countries.default_score, facts["_country_score"]]
        recycled = ctx.values.get((bindings.fully_recycled, material)) == "yes"
        asm = ctx.values.get((bindings.asm, material))
        if (
            profile is not None
            and not recycled
            and (
                asm == "yes"
                or facts["asm_mines"] > 0
                or (profile.asm_sensitive and asm in (None, "unknown"))
            )
        ):
            scores.append(profile.asm_score)
        traced = ctx.values.get((bindings.traced_to_mine, material))
        untraced = 100.0 if not isinstance(traced, float) else 100.0 - traced
        if not recycled and untraced > countries.unknown_origin_tolerance_pct:
            scores.append(countries.unknown_origin_score)
        return float(max(scores))

    def reported(kind: str) -> Callable[[EvalContext], bool]:
        def check(ctx: EvalContext) -> bool:
            for (qid, per_material), options in signals.items():
                if per_material and ctx.material is None:
                    continue
                value = ctx.values.get((qid, ctx.material if per_material else None))
                if isinstance(value, str) and kind in options.get(value, frozenset()):
                    return True
            return False

        return check

    return {
        "inherent_risk": inherent_risk,
        "risk_identified": reported("risk"),
        "actual_impact": reported("actual-impact"),
    }
