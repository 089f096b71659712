"""The evidence factor e of an answer (dd-methodology 6.5): credit = value x e.

Tiers, from the catalogue's evidence policy: ``third-party`` (independent issuer other than the
supplier, a third-party document type, and a locator), ``documentary`` (a document with a locator:
``uri`` or ``sha256``), ``self-declared`` (no evidence, or entries without a locator: a claim is
not evidence) and ``invalid`` (every referenced document is expired at the effective date, issued
after it, or does not cover the material; contradiction CX-07). Unfavourable answers need no
evidence.

Evidence must be what it claims to be (contradiction CX-19): an entry earns nothing when its type
does not fit the question (the question's ``evidence`` types, or a type of the policy's
``any_question_types``), when it carries no date (neither ``issued`` nor ``validUntil``), when
it is no longer in force on the scoring date (expired after the effective date), or when it is
merely the supplier's own website root (a URL with an empty or '/' path on the
supplier's domain: its website or the e-mail domain of its contact or authorizer). Sources:
BattReg Art. 49(2) and 51(1), OECD DDG Step 1C (records), dd-methodology 6.5 (documentary
evidence is a 'report URL that resolves to the claimed document').
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from compliance.dd.engine.context import EvidenceInfo
from compliance.dd.engine.facts import normalise_name
from compliance.models.dd_catalogue import EvidencePolicy
from compliance.models.questionnaire import Evidence, Material, QuestionnaireHeader

__all__ = ["assess_evidence", "own_domains", "tier_of"]


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


_URL = re.compile(r"^https?://(?:[^@/?#]*@)?([^:/?#]*)(?::\d*)?([^?#]*)(\?[^#]*)?", re.IGNORECASE)
"""An http(s) URL (the questionnaire's ``Url`` type): host, path and query (no network
library below the edges: parsing is all this needs)."""


def _parts(url: str) -> tuple[str, str, str]:
    """(host without 'www.', path, query) of an http(s) URL; empty strings when not one."""
    found = _URL.match(url)
    if found is None:
        return "", "", ""
    host, path, query = found.group(1), found.group(2), found.group(3) or ""
    return host.lower().removeprefix("www."), path, query


def _host(url: str) -> str:
    return _parts(url)[0]


def own_domains(header: QuestionnaireHeader) -> frozenset[str]:
    """The supplier's own internet domains: its website and its people's e-mail domains.

    >>> from compliance.models.questionnaire import DdSupplier, Person, SupplierRole
    >>> header = QuestionnaireHeader(
    ...     supplier=DdSupplier(name="Acme", website="https://www.acme.example/en"),
    ...     roles=(SupplierRole.TRADER,), effective_date=date(2026, 1, 1),
    ...     authorizer=Person(name="A. Person", email="a.person@mail.acme.example"))
    >>> sorted(own_domains(header))
    ['acme.example', 'mail.acme.example']
    """
    domains = set()
    if header.supplier.website is not None:
        domains.add(_host(str(header.supplier.website)))
    for person in (header.authorizer, header.contact):
        if person is not None and person.email is not None:
            domains.add(str(person.email).rsplit("@", 1)[-1].lower())
    return frozenset(d for d in domains if d)


def is_own_website_root(uri: str, domains: frozenset[str]) -> bool:
    """The URL is the root of one of the supplier's domains (empty or '/' path, no query).

    >>> is_own_website_root("https://www.acme.example/", frozenset({"acme.example"}))
    True
    >>> is_own_website_root("https://acme.example/policy.pdf", frozenset({"acme.example"}))
    False
    >>> is_own_website_root("https://other.example", frozenset({"acme.example"}))
    False
    >>> is_own_website_root("https://shop.acme.example:443#top", frozenset({"acme.example"}))
    True
    """
    host, path, query = _parts(uri)
    if path not in ("", "/") or query:
        return False
    return any(host == d or host.endswith("." + d) for d in domains)


def _unfit(
    item: Evidence,
    expected_types: tuple[str, ...],
    policy: EvidencePolicy,
    domains: frozenset[str],
    as_of: date,
) -> str | None:
    """Why an entry is not what it claims to be (``None``: it is)."""
    fits = item.type in expected_types or item.type in policy.any_question_types
    if expected_types and not fits:
        expected = ", ".join(expected_types)
        return f"a {item.type.value} is not evidence for this question (expects {expected})"
    if item.issued is None and item.valid_until is None:
        return "undated (neither issued nor validUntil)"
    if item.valid_until is not None and item.valid_until < as_of:
        return f"no longer in force on {as_of} (valid until {item.valid_until})"
    if item.uri is not None and is_own_website_root(str(item.uri), domains):
        return "the supplier's own website root, not a document"
    return None


def assess_evidence(
    refs: Iterable[str],
    register: Mapping[str, Evidence],
    material: Material | None,
    policy: EvidencePolicy,
    supplier: str,
    effective_date: date,
    expected_types: tuple[str, ...] = (),
    domains: frozenset[str] = frozenset(),
    as_of: date | None = None,
) -> EvidenceInfo:
    """Judge the evidence behind one answer (as if the answer were a favourable claim).

    Args:
        refs: Evidence ids the answer references.
        register: The questionnaire's evidence register by id.
        material: The material the answer is scored for (``None`` for company questions).
        policy: Evidence factors and third-party document types.
        supplier: The supplier's normalised name (its own documents are not third-party).
        effective_date: A document issued after this date does not support the declaration.
        expected_types: The document types the question accepts (empty: any type).
        domains: The supplier's own domains (:func:`own_domains`).
        as_of: The scoring date (default: the effective date): a document that expired after
            the effective date but before it supported the declaration when it was made, but
            earns no evidence credit now (the answer counts as self-declared, CX-19).
    """
    in_force_on = as_of or effective_date
    refs = tuple(refs)
    if not refs:
        return EvidenceInfo(policy.self_declared, "self-declared")
    best: tuple[float, str] = (-1.0, "")
    used: list[str] = []
    rejected: list[tuple[str, str]] = []
    unfit: list[tuple[str, str]] = []
    issued: list[date] = []
    has_uri = False
    for ref in refs:
        item = register.get(ref)
        if item is None:
            continue  # reported by the questionnaire checks
        if item.valid_until is not None and item.valid_until < effective_date:
            rejected.append((ref, f"expired on {item.valid_until}"))
            continue
        if item.issued is not None and item.issued > effective_date:
            rejected.append((ref, f"not yet issued on {effective_date} (issued {item.issued})"))
            continue
        if material is not None and item.covers_materials and material not in item.covers_materials:
            rejected.append((ref, f"does not cover {material.value}"))
            continue
        reason = _unfit(item, expected_types, policy, domains, in_force_on)
        if reason is not None:
            unfit.append((ref, reason))
            continue
        tier, factor = tier_of(item, policy, supplier)
        used.append(ref)
        if item.issued is not None:
            issued.append(item.issued)
        has_uri = has_uri or item.uri is not None
        if factor > best[0]:
            best = (factor, tier)
    if not used:
        if rejected:
            return EvidenceInfo(
                policy.invalid, "invalid", rejected=tuple(rejected), unfit=tuple(unfit)
            )
        # nothing but documents that are not what they claim: a bare claim
        return EvidenceInfo(policy.self_declared, "self-declared", unfit=tuple(unfit))
    return EvidenceInfo(
        factor=best[0],
        tier=best[1],
        used=tuple(used),
        rejected=tuple(rejected),
        issued=tuple(issued),
        has_uri=has_uri,
        unfit=tuple(unfit),
    )
