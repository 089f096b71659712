"""Recycled content of a battery (Regulation (EU) 2023/1542 Art. 8), computed from its BOM.

For each Art. 8 element e (cobalt, lead, lithium, nickel) and each bill-of-materials line l on
the element's basis (active materials, Art. 3(1)(5), unless the ruleset says otherwise):

    m(e, l)         = mass(l) x w(e, l)            w: stated assay, else the compound's
                                                   stoichiometric mass fraction (rules/recycled)
    rec(e, l)       = m(e, l) x (pre x [pre counted] + post x [post counted]
                                 + unclassified x [unclassified counted])
    share(e)        = sum_l rec(e, l) / sum_l m(e, l)

Art. 8(1) asks for the share recovered from battery manufacturing waste or post-consumer waste;
which shares count, the chain-of-custody models accepted, the handling of unevidenced shares,
the rounding and the Art. 8(2)/(3) minimums and dates are the ruleset's (the delegated act on
the method is not adopted). A claim a due-diligence rule rejected counts zero, with a step in
the trace. Pure: no clock, file or network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from compliance.errors import Issue, Layer, Severity
from compliance.models import (
    BatteryCategory,
    BomLine,
    Circularity,
    ComponentProcess,
    Composition,
    ElementData,
    MaterialCategory,
    Party,
    RecoveredElement,
    SupplierSubmission,
)
from compliance.models.passport_data import RecycledContent
from compliance.recycled.result import (
    DeclaredComparison,
    ElementResult,
    LineElement,
    RecycledOutcome,
    RecycledResult,
    RejectedClaim,
    RulesetRef,
    ScopeResult,
    TargetCheck,
)
from compliance.recycled.rulesets import Compound, LoadedRuleset, RecycledRuleset
from compliance.units import Dimension, Quantity, make_quantity

__all__ = ["compute_recycled"]

_EPS = 1e-12
_ORDER = (
    RecoveredElement.COBALT,
    RecoveredElement.LEAD,
    RecoveredElement.LITHIUM,
    RecoveredElement.NICKEL,
)
"""Art. 8(2)/(3) order: (a) cobalt, (b) lead, (c) lithium, (d) nickel."""
_INDUSTRIAL = (BatteryCategory.INDUSTRIAL, BatteryCategory.STATIONARY)
_HOLDS_ACTIVE_MATERIALS = (
    ComponentProcess.CELL_MANUFACTURE,
    ComponentProcess.MODULE_ASSEMBLY,
    ComponentProcess.CATHODE_ACTIVE_MATERIAL,
    ComponentProcess.ANODE_ACTIVE_MATERIAL,
)
"""Purchased components whose active materials Art. 8 counts (cells, modules, active materials)."""


@dataclass(frozen=True, slots=True)
class _Material:
    """A material the calculation reads: a BOM line, or an active material in a component."""

    id: str
    material: str
    category: MaterialCategory | None
    mass: Quantity
    composition: Composition | None
    supplier: Party | None
    circularity: Circularity | None
    base: str
    """JSON Pointer of the line."""


def _materials(sub: SupplierSubmission) -> list[_Material]:
    out = [
        _Material(
            line.id,
            line.material,
            line.category,
            line.mass,
            line.composition,
            line.supplier,
            line.circularity,
            f"/billOfMaterials/{i}",
        )
        for i, line in enumerate(sub.bill_of_materials)
    ]
    for i, component in enumerate(sub.purchased_components):
        for j, active in enumerate(component.active_materials):
            out.append(
                _Material(
                    active.id,
                    active.material,
                    active.category,
                    active.mass,
                    active.composition,
                    component.supplier,
                    None,
                    f"/purchasedComponents/{i}/activeMaterials/{j}",
                )
            )
    return out


def _kg(value: float) -> Quantity:
    return make_quantity(value, "kg", (Dimension.MASS,))


def _issue(
    code: str, pointer: str, message: str, severity: Severity = Severity.ERROR, **context: Any
) -> Issue:
    return Issue(code, pointer, message, severity, Layer.RULE, context=context)


@dataclass
class _Work:
    """Mutable state of one calculation."""

    ruleset: RecycledRuleset
    loaded: LoadedRuleset
    rejected: tuple[RejectedClaim, ...]
    issues: list[Issue] = field(default_factory=list)
    lines: dict[RecoveredElement, list[LineElement]] = field(default_factory=dict)
    matched_claims: set[int] = field(default_factory=set)
    rules: dict[str, str] = field(default_factory=dict)

    def rule(self, name: str, source: str) -> None:
        self.rules.setdefault(name, source)


def compute_recycled(
    sub: SupplierSubmission,
    loaded: LoadedRuleset,
    *,
    as_of: date,
    rejected: tuple[RejectedClaim, ...] = (),
    cff_default_r1: float | None = None,
) -> RecycledOutcome:
    """Compute the Art. 8 recycled content of a (validated) submission.

    Args:
        sub: The submission.
        loaded: The ruleset and compound table (:func:`load_recycled_ruleset`).
        as_of: The date the targets are judged on (in force or not).
        rejected: Recycled claims a DD rule rejected (:func:`rejected_recycled_claims`).
        cff_default_r1: The CFP ruleset's default R1 for lines without one; ``None``: only lines
            that state R1 are compared with the recycled-content data.

    Returns:
        The outcome: ``result`` is ``None`` when any error was found (never a partial zero).
    """
    work = _Work(loaded.ruleset, loaded, rejected)
    ruleset = loaded.ruleset
    work.rule("elements", ruleset.elements.source)
    work.rule("active-materials", ruleset.active_material_source)
    materials = _materials(sub)
    lines = len(sub.bill_of_materials)
    for index, item in enumerate(materials):
        _line(work, item)
        if index < lines:  # a BOM line: its CFF R1 against its Art. 8 data
            _cff_consistency(work, index, sub.bill_of_materials[index], cff_default_r1)
    _components_without_data(work, sub)
    if not any(m.category in ruleset.active_material_categories for m in materials):
        work.issues.append(
            _issue(
                "recycled.element-data-missing",
                "/billOfMaterials",
                "no active material (cathode or anode active material) in the bill of materials "
                "or in the purchased components' activeMaterials: the share of cobalt, lead, "
                "lithium and nickel in active materials cannot be computed",
            )
        )
    for number, claim in enumerate(rejected):
        if number not in work.matched_claims:
            work.issues.append(
                _issue(
                    "recycled.dd-claim-unmatched",
                    "/billOfMaterials",
                    f"the due-diligence result rejected {claim.supplier}'s recycled {claim.element}"
                    f" claim ({claim.rule}), but no bill-of-materials line of that supplier holds "
                    f"{claim.element}: the rejection changes nothing here; check the supplier "
                    "names",
                    Severity.WARNING,
                    supplier=claim.supplier,
                    element=claim.element.value,
                    rule=claim.rule,
                )
            )
    elements = tuple(_element(work, e) for e in _ORDER if e in work.lines)
    scope = _scope(sub, ruleset, bool(elements))
    targets = _targets(sub, ruleset, elements, as_of)
    declared = _declared(work, sub.passport.recycled_content if sub.passport else None, elements)
    issues = tuple(work.issues)
    if any(i.severity is Severity.ERROR for i in issues):
        return RecycledOutcome(None, issues)
    ref = RulesetRef(
        ruleset.id,
        ruleset.version,
        ruleset.status,
        loaded.ruleset_sha256,
        loaded.compounds.version,
        loaded.compounds_sha256,
        loaded.origin,
    )
    result = RecycledResult(
        ref,
        sub.battery.model_identifier,
        sub.battery.category.value,
        as_of,
        scope,
        elements,
        targets,
        declared,
        tuple(c for n, c in enumerate(rejected) if n in work.matched_claims),
        tuple(work.rules.items()),
        ruleset.rounding.percent_decimals,
    )
    return RecycledOutcome(result, issues)


def _components_without_data(work: _Work, sub: SupplierSubmission) -> None:
    """Purchased cells, modules or active materials must state their active materials."""
    for i, component in enumerate(sub.purchased_components):
        if component.process in _HOLDS_ACTIVE_MATERIALS and not component.active_materials:
            work.issues.append(
                _issue(
                    "recycled.element-data-missing",
                    f"/purchasedComponents/{i}",
                    f"purchased {component.process} {component.name!r} holds active materials "
                    "whose cobalt, lead, lithium or nickel Art. 8 counts: give activeMaterials "
                    "(material, category, mass per battery and composition)",
                    process=component.process.value,
                )
            )


def _line(work: _Work, line: _Material) -> None:
    ruleset = work.ruleset
    base = line.base
    active = line.category in ruleset.active_material_categories
    comp = line.composition
    if comp is None or (comp.compound is None and not comp.elements):
        if active:
            work.issues.append(
                _issue(
                    "recycled.element-data-missing",
                    base if comp is None else base + "/composition",
                    f"active material {line.material!r} ({line.category}) has no element data: "
                    "give composition.compound (a reference compound) or composition.elements "
                    "(stated contents); an active material without Co, Pb, Li or Ni says so with "
                    'a compound such as "graphite"',
                    line=line.id,
                )
            )
        return
    compound: Compound | None = None
    if comp.compound is not None:
        compound = work.loaded.compounds.get(comp.compound)
        if compound is None:
            known = ", ".join(c.id for c in work.loaded.compounds.compounds)
            work.issues.append(
                _issue(
                    "recycled.compound-unknown",
                    base + "/composition/compound",
                    f"compound {comp.compound!r} is not in the reference data (compounds "
                    f"{work.loaded.compounds.version}); known: {known}. State the element "
                    "contents instead (composition.elements[].massFraction)",
                    compound=comp.compound,
                )
            )
            return
    stated: dict[RecoveredElement, tuple[int, ElementData]] = {}
    for j, given in enumerate(comp.elements):
        if given.element in stated:
            work.issues.append(
                _issue(
                    "recycled.element-duplicate",
                    f"{base}/composition/elements/{j}/element",
                    f"{given.element} is listed twice in this line (first at index "
                    f"{stated[given.element][0]})",
                )
            )
            continue
        stated[given.element] = (j, given)
    present = set(stated) | set(compound.mass_fractions if compound else ())
    for element in _ORDER:
        if element not in present:
            continue
        position = stated.get(element)
        entry = position[1] if position else None
        pointer = base if position is None else f"{base}/composition/elements/{position[0]}"
        basis = ruleset.elements.of(element).basis
        if basis == "active-materials" and not active:
            work.issues.append(
                _issue(
                    "recycled.line-outside-basis",
                    pointer,
                    f"{element} in {line.material!r} ({line.category or 'no category'}) is not "
                    "counted: the ruleset computes the share over active materials only",
                    Severity.INFO,
                    element=element.value,
                )
            )
            continue
        fraction = _fraction(work, element, pointer, entry, compound, line)
        if fraction is None:
            continue
        _shares(work, line, element, pointer, entry, fraction)


def _fraction(
    work: _Work,
    element: RecoveredElement,
    pointer: str,
    entry: ElementData | None,
    compound: Compound | None,
    line: _Material,
) -> tuple[float, str] | None:
    """The element's mass fraction in the line and where it comes from."""
    limit = compound.mass_fractions.get(element) if compound else None
    if entry is not None and entry.mass_fraction is not None:
        value = entry.mass_fraction
        if entry.mass_fraction_source is None:
            work.issues.append(
                _issue(
                    "recycled.content-source-missing",
                    pointer + "/massFraction",
                    f"the stated {element} content {value:g} needs massFractionSource (assay "
                    "report, specification): an element content without a source cannot be "
                    "verified",
                )
            )
            return None
        if compound is not None:
            if limit is None:
                work.issues.append(
                    _issue(
                        "recycled.element-not-in-compound",
                        pointer + "/element",
                        f"{compound.id} ({compound.name}) holds no {element}; a stated content "
                        f"of {value:g} contradicts the compound named",
                        compound=compound.id,
                    )
                )
                return None
            bound = limit * (1 + work.ruleset.stoichiometric_tolerance)
            if value > bound + _EPS:
                work.issues.append(
                    _issue(
                        "recycled.content-above-stoichiometric",
                        pointer + "/massFraction",
                        f"stated {element} content {value:g} is above the stoichiometric maximum "
                        f"{limit:g} of {compound.id} ({compound.name}): impossible for that "
                        "compound",
                        stated=value,
                        maximum=limit,
                        compound=compound.id,
                    )
                )
                return None
            work.rule("stoichiometric-limit", work.ruleset.stoichiometric_tolerance_source)
        return value, f"stated by the supplier ({entry.mass_fraction_source})"
    if limit is not None and compound is not None:
        return limit, (
            f"compound {compound.id} ({compound.name}), stoichiometric "
            f"(compounds {work.loaded.compounds.version})"
        )
    work.issues.append(
        _issue(
            "recycled.element-data-missing",
            pointer,
            f"{element} in {line.material!r} has no content: give massFraction with its source, "
            "or a compound that holds it",
            element=element.value,
        )
    )
    return None


def _claim_for(work: _Work, element: RecoveredElement, line: _Material) -> RejectedClaim | None:
    name = line.supplier.name.casefold().strip() if line.supplier else None
    for number, claim in enumerate(work.rejected):
        if claim.element is element and name == claim.supplier.casefold().strip():
            work.matched_claims.add(number)
            return claim
    return None


def _shares(
    work: _Work,
    line: _Material,
    element: RecoveredElement,
    pointer: str,
    entry: ElementData | None,
    content: tuple[float, str],
) -> None:
    ruleset = work.ruleset
    fraction, source = content
    mass = line.mass.to("kg")
    element_mass = mass * fraction
    steps = [
        f"{element} content {fraction:g} ({source}): {mass:g} kg x {fraction:g} = "
        f"{element_mass:g} kg {element}"
    ]
    pre = entry.pre_consumer or 0.0 if entry else 0.0
    post = entry.post_consumer or 0.0 if entry else 0.0
    total = entry.recycled_share if entry else None
    if entry is None or (
        total is None and entry.pre_consumer is None and entry.post_consumer is None
    ):
        steps.append("no recycled share stated: 0 kg recovered from waste")
    if total is None:
        total = pre + post
        if total > 1 + _EPS:
            work.issues.append(
                _issue(
                    "recycled.shares-above-total",
                    pointer + "/preConsumer",
                    f"pre-consumer {pre:g} + post-consumer {post:g} = {total:g} of the {element} "
                    "is more than all of it (100 %)",
                    pre_consumer=pre,
                    post_consumer=post,
                )
            )
            return
    elif pre + post > total + _EPS:
        work.issues.append(
            _issue(
                "recycled.shares-above-total",
                pointer + "/preConsumer",
                f"pre-consumer {pre:g} + post-consumer {post:g} = {pre + post:g} is above the "
                f"total recycled share {total:g} of the {element}",
                pre_consumer=pre,
                post_consumer=post,
                recycled_share=total,
            )
        )
        return
    rest = total - pre - post
    unclassified = rest if rest > _EPS else 0.0
    counted_pre, counted_post, counted_un = pre, post, unclassified
    claimed = pre + post + unclassified > 0
    claim = _claim_for(work, element, line)
    if claim is not None:
        steps.append(
            f"recycled claim rejected by due-diligence rule {claim.rule} ({claim.supplier}): "
            "recomputed without it, 0 kg recovered"
        )
        counted_pre = counted_post = counted_un = 0.0
        r1 = line.circularity.recycled_content if line.circularity else None
        cff = (
            f"; the carbon footprint's R1 = {r1:g} of this line still counts recycled input"
            if r1
            else ""
        )
        work.issues.append(
            _issue(
                "recycled.claim-rejected",
                pointer,
                f"the {element} recycled share of {line.material!r} is not counted: due-diligence "
                f"rule {claim.rule} rejected {claim.supplier}'s recycled claim ({claim.reason})"
                + cff,
                Severity.WARNING,
                rule=claim.rule,
                element=element.value,
            )
        )
    elif claimed and entry is not None:
        custody = entry.chain_of_custody
        accepted = (
            ruleset.chain_of_custody.unstated == "accept"
            if custody is None
            else custody in ruleset.chain_of_custody.accepted
        )
        work.rule("chain-of-custody", ruleset.chain_of_custody.source)
        if not accepted:
            counted_pre = counted_post = counted_un = 0.0
            what = "no chain-of-custody model stated" if custody is None else f"{custody}"
            steps.append(f"chain of custody: {what} is not accepted by the ruleset: not counted")
            work.issues.append(
                _issue(
                    "recycled.custody-not-accepted",
                    pointer + ("/chainOfCustody" if custody else ""),
                    f"the {element} recycled share is not counted: {what} is not an accepted "
                    f"chain-of-custody model ({', '.join(ruleset.chain_of_custody.accepted)})",
                    Severity.WARNING,
                )
            )
        elif entry.evidence is None:
            work.rule("evidence", ruleset.evidence.source)
            exclude = ruleset.evidence.unevidenced == "exclude"
            if exclude:
                counted_pre = counted_post = counted_un = 0.0
            steps.append(
                "no evidence stated: " + ("not counted" if exclude else "counted, with a warning")
            )
            work.issues.append(
                _issue(
                    "recycled.evidence-missing",
                    pointer,
                    f"the {element} recycled share of {line.material!r} has no evidence "
                    f"({'not counted' if exclude else 'counted'}; Art. 8(1) documentation must "
                    "be verifiable)",
                    Severity.WARNING,
                )
            )
    counted = ruleset.counted
    work.rule("counted-shares", counted.source)
    for label, share, on in (
        ("pre-consumer", counted_pre, counted.pre_consumer),
        ("post-consumer", counted_post, counted.post_consumer),
        ("unclassified", counted_un, counted.unclassified),
    ):
        if share > 0 and not on:
            steps.append(f"{label} share {share:g} not counted by the ruleset")
            if label == "unclassified":
                work.issues.append(
                    _issue(
                        "recycled.share-not-counted",
                        pointer + "/recycledShare",
                        f"{share:g} of the {element} is recycled but neither pre- nor "
                        "post-consumer: the ruleset does not count it (split it into "
                        "preConsumer and postConsumer)",
                        Severity.WARNING,
                    )
                )
    if not counted.pre_consumer:
        counted_pre = 0.0
    if not counted.post_consumer:
        counted_post = 0.0
    if not counted.unclassified:
        counted_un = 0.0
    rec_pre, rec_post, rec_un = (element_mass * s for s in (counted_pre, counted_post, counted_un))
    if counted_pre + counted_post + counted_un > 0:
        steps.append(
            f"recovered: {element_mass:g} kg x ({counted_pre:g} pre + {counted_post:g} post"
            + (f" + {counted_un:g} unclassified" if counted_un else "")
            + f") = {rec_pre + rec_post + rec_un:g} kg"
        )
    work.lines.setdefault(element, []).append(
        LineElement(
            line.id,
            line.base,
            line.material,
            element,
            line.mass,
            fraction,
            source,
            _kg(element_mass),
            pre,
            post,
            unclassified,
            _kg(rec_pre),
            _kg(rec_post),
            _kg(rec_un),
            tuple(steps),
        )
    )


def _round_percent(share: float, decimals: int) -> float:
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(share * 100)).quantize(quantum, rounding=ROUND_HALF_UP))


def _element(work: _Work, element: RecoveredElement) -> ElementResult:
    lines = tuple(work.lines[element])
    total = sum(line.element_mass.magnitude for line in lines)
    pre = sum(line.recovered_pre.magnitude for line in lines)
    post = sum(line.recovered_post.magnitude for line in lines)
    unclassified = sum(line.recovered_unclassified.magnitude for line in lines)
    decimals = work.ruleset.rounding.percent_decimals
    work.rule("rounding", work.ruleset.rounding.source)
    if total > 0:
        share: float | None = (pre + post + unclassified) / total
        share_pre: float | None = pre / total
        share_post: float | None = post / total
        percent = _round_percent(share, decimals) if share is not None else None
    else:
        share = share_pre = share_post = percent = None
    return ElementResult(
        element,
        work.ruleset.elements.of(element).basis,
        _kg(total),
        _kg(pre),
        _kg(post),
        _kg(unclassified),
        share,
        share_pre,
        share_post,
        percent,
        lines,
    )


def _energy_kwh(sub: SupplierSubmission) -> float:
    battery = sub.battery
    if battery.nominal_energy is not None:
        return battery.nominal_energy.to("kWh")
    return battery.rated_capacity.to("A*h") * battery.nominal_voltage.to("V") / 1000


def _covers(
    sub: SupplierSubmission, ruleset: RecycledRuleset, categories: tuple[BatteryCategory, ...]
) -> tuple[bool, str]:
    battery = sub.battery
    if battery.category not in categories:
        return False, f"{battery.category} batteries are not in the paragraph's scope"
    if battery.category in _INDUSTRIAL:
        limit = ruleset.scope.industrial_min_energy.to("kWh")
        energy = _energy_kwh(sub)
        if energy <= limit:
            return False, f"industrial battery of {energy:g} kWh, not above {limit:g} kWh"
        if battery.external_storage_only:
            return False, "industrial battery with exclusively external storage"
        return True, f"industrial battery of {energy:g} kWh (above {limit:g} kWh)"
    return True, f"{battery.category} battery"


def _scope(sub: SupplierSubmission, ruleset: RecycledRuleset, holds: bool) -> ScopeResult:
    """Art. 8 scope: the category, and only batteries with Co, Pb, Li or Ni in active materials."""
    doc = ruleset.documentation
    if not holds:
        return ScopeResult(
            False,
            "no cobalt, lead, lithium or nickel in the active materials; " + ruleset.scope.source,
            None,
            "",
        )
    covered_doc, reason = _covers(sub, ruleset, doc.categories)
    covered_any = covered_doc or any(
        _covers(sub, ruleset, t.categories)[0] for t in ruleset.targets
    )
    if not covered_doc and covered_any:
        reason = f"{reason} (Art. 8(1)); covered by a later paragraph's minimums"
    return ScopeResult(
        covered_any,
        reason + f"; {ruleset.scope.source}",
        doc.applies_from if covered_doc else None,
        doc.condition if covered_doc else "",
    )


def _targets(
    sub: SupplierSubmission,
    ruleset: RecycledRuleset,
    elements: tuple[ElementResult, ...],
    as_of: date,
) -> tuple[TargetCheck, ...]:
    checks = []
    compare_rounded = ruleset.rounding.compare == "rounded"
    for target in ruleset.targets:
        applies, _ = _covers(sub, ruleset, target.categories)
        for result in elements:
            minimum = target.minimums.get(result.element)
            if minimum is None:
                continue
            if result.share is None:
                met, margin, shortfall = None, None, None
            else:
                share = (result.share_percent or 0.0) / 100 if compare_rounded else result.share
                met = share + _EPS >= minimum
                margin = round((share - minimum) * 100, 6)
                need = minimum * result.total.magnitude - result.recovered
                shortfall = None if met else _kg(max(need, 0.0))
            checks.append(
                TargetCheck(
                    target.id,
                    target.paragraph,
                    result.element,
                    minimum,
                    target.applies_from,
                    applies,
                    as_of >= target.applies_from,
                    met,
                    margin,
                    shortfall,
                    target.source,
                )
            )
    return tuple(checks)


def _declared(
    work: _Work, declared: RecycledContent | None, elements: tuple[ElementResult, ...]
) -> tuple[DeclaredComparison, ...]:
    """Compare the passport's declared shares (Annex XIII 1(e)) with the computed ones."""
    if declared is None:
        return ()
    tolerance = work.ruleset.declared_tolerance_points / 100
    work.rule("declared-tolerance", work.ruleset.declared_tolerance_source)
    out = []
    for element in _ORDER:
        share = getattr(declared, element.value)
        if share is None:
            continue
        pointer = f"/passport/recycledContent/{element.value}"
        result = next((e for e in elements if e.element is element), None)
        if result is None or result.share is None:
            status = "no-element" if share.pre_consumer + share.post_consumer > 0 else "consistent"
            if status == "no-element":
                work.issues.append(
                    _issue(
                        "recycled.declared-unsupported",
                        pointer,
                        f"a recycled {element} share is declared, but no active material of the "
                        f"bill of materials holds {element}: the computation cannot support it",
                        declared_pre=share.pre_consumer,
                        declared_post=share.post_consumer,
                    )
                )
            out.append(
                DeclaredComparison(
                    element, share.pre_consumer, share.post_consumer, None, None, status
                )
            )
            continue
        c_pre, c_post = result.share_pre or 0.0, result.share_post or 0.0
        c_total = result.share
        over = [
            (label, d, c)
            for label, d, c in (
                ("pre-consumer", share.pre_consumer, c_pre),
                ("post-consumer", share.post_consumer, c_post),
                ("total", share.pre_consumer + share.post_consumer, c_total),
            )
            if d > c + tolerance + _EPS
        ]
        if over:
            status = "unsupported"
            detail = "; ".join(
                f"{label} declared {d:.2%}, computed {c:.2%}" for label, d, c in over
            )
            work.issues.append(
                _issue(
                    "recycled.declared-unsupported",
                    pointer,
                    f"the declared recycled {element} share is above what the bill of materials "
                    f"supports ({detail})",
                    declared_pre=share.pre_consumer,
                    declared_post=share.post_consumer,
                    computed_pre=c_pre,
                    computed_post=c_post,
                )
            )
        elif (
            abs(share.pre_consumer - c_pre) > tolerance + _EPS
            or abs(share.post_consumer - c_post) > tolerance + _EPS
        ):
            status = "lower"
            work.issues.append(
                _issue(
                    "recycled.declared-differs",
                    pointer,
                    f"the declared recycled {element} share (pre {share.pre_consumer:.2%}, post "
                    f"{share.post_consumer:.2%}) is below the computed one (pre {c_pre:.2%}, "
                    f"post {c_post:.2%}); the passport shows the computed values",
                    Severity.WARNING,
                )
            )
        else:
            status = "consistent"
        out.append(
            DeclaredComparison(
                element, share.pre_consumer, share.post_consumer, c_pre, c_post, status
            )
        )
    return tuple(out)


def _cff_consistency(work: _Work, index: int, line: BomLine, default_r1: float | None) -> None:
    """The CFF's R1 of a line and its recycled-content data must come from the same data."""
    stated_r1 = line.circularity.recycled_content if line.circularity else None
    r1 = stated_r1 if stated_r1 is not None else default_r1
    comp = line.composition
    shares = {
        e.element: (
            e.recycled_share
            if e.recycled_share is not None
            else (e.pre_consumer or 0.0) + (e.post_consumer or 0.0)
        )
        for e in (comp.elements if comp else ())
    }
    if r1 is None or (
        not shares and (r1 == 0 or line.category not in work.ruleset.active_material_categories)
    ):
        return
    base = f"/billOfMaterials/{index}"
    pointer = base + ("/circularity/recycledContent" if stated_r1 is not None else "/composition")
    if not shares:
        if comp is None:
            return  # reported as element-data-missing
        work.issues.append(
            _issue(
                "recycled.cff-mismatch",
                pointer,
                f"the carbon footprint counts recycled input R1 = {r1:g} for {line.material!r}, "
                "but its composition states no recycled share of any Art. 8 element",
                Severity.WARNING,
                r1=r1,
            )
        )
        return
    differing = {e.value: s for e, s in shares.items() if abs(s - r1) > 1e-9}
    if differing:
        origin = "R1" if stated_r1 is not None else "the CFP ruleset's default R1"
        listed = ", ".join(f"{e} {s:g}" for e, s in differing.items())
        work.issues.append(
            _issue(
                "recycled.cff-mismatch",
                pointer,
                f"the carbon footprint uses {origin} = {r1:g} for {line.material!r} while its "
                f"recycled-content data give {listed}: the CFP's recycled input and the Art. 8 "
                "share do not come from the same data",
                Severity.WARNING,
                r1=r1,
                elements=differing,
            )
        )
