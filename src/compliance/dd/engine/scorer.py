"""Score a DD questionnaire: a pure function of questionnaire, catalogue, tables and ``as_of``.

Order of work: check the questionnaire against the catalogue; derive facts and the materials in
scope; read the answers (a per-material question answered without a material applies to every
material in scope that has no answer of its own); judge the evidence; apply the contradiction
rules; score every material (and the company); collect red flags; compute risk, confidence,
completeness and applicability. The worst material drives the overall maturity. Nothing reads
the clock, the environment or files (the bundled catalogue and tables come through
``compliance.resources``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from compliance.dd.engine.checks import CatalogueCheck, ResolvedAnswer, check_questionnaire
from compliance.dd.engine.context import EvalContext, EvidenceInfo, Key, Value
from compliance.dd.engine.contradictions import (
    ScoringState,
    apply_contradictions,
    evidence_findings,
)
from compliance.dd.engine.critical_gate import apply_critical_gate
from compliance.dd.engine.evidence import assess_evidence, own_domains
from compliance.dd.engine.facts import compute_facts, dynamic_facts, normalise_name
from compliance.dd.engine.result import DdResult, MaterialResult, QuestionTrace
from compliance.dd.engine.risk import OperatorTurnover, applicability, confidence_grade, risk_level
from compliance.dd.engine.scoring import (
    LABELS,
    ContextScore,
    collect_flags,
    plan_for,
    score_context,
    score_shared,
)
from compliance.dd.rules.catalogue import Catalogue
from compliance.dd.rules.compiler import load_catalogue
from compliance.dd.rules.references import ReferenceTables, load_reference_tables
from compliance.errors import ComplianceError, Issue, Layer, Severity
from compliance.models.questionnaire import DdQuestionnaire, Material

__all__ = ["InvalidQuestionnaireError", "ScoringContext", "score_questionnaire"]


class InvalidQuestionnaireError(ComplianceError, ValueError):
    """The questionnaire has errors against the catalogue; fix them before scoring."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = tuple(issues)
        first = self.issues[0]
        super().__init__(f"{len(self.issues)} error(s), first {first.pointer}: {first.message}")


@dataclass(frozen=True, slots=True)
class ScoringContext:
    """What the operator knows besides the questionnaire (all optional)."""

    expected_materials: frozenset[Material] = frozenset()
    """Materials the operator's product data says are in what the supplier delivers (CX-11)."""
    expected_supplier: str | None = None
    """The supplier the questionnaire was requested from (CX-15)."""
    operator_turnover: OperatorTurnover | None = None
    """The operator's net turnover, for the EUR 40 m exemption."""


def _initial_values(
    q: DdQuestionnaire,
    catalogue: Catalogue,
    resolved: Mapping[Key, ResolvedAnswer],
    materials: tuple[Material, ...],
) -> tuple[dict[Key, Value], dict[Key, ResolvedAnswer]]:
    """Effective values and the answer behind each (defaults expanded per material).

    The checks resolve a company question only without a material and a per-material question
    only for a declared material, so a key with a material is a per-material answer.
    """
    values: dict[Key, Value] = {}
    source: dict[Key, ResolvedAnswer] = {}
    declared = {m.material: m for m in q.materials}
    bindings = catalogue.bindings
    for material in materials:
        declaration = declared.get(material)
        if declaration is not None:
            values[(bindings.present, material)] = declaration.present.value
            if declaration.fully_recycled is not None:
                values[(bindings.fully_recycled, material)] = declaration.fully_recycled.value
    in_scope = set(materials)
    questions = catalogue.questions
    for key, found in resolved.items():
        question, answered_for = key
        if answered_for is not None:
            if answered_for in in_scope:
                values[key] = found.value
                source[key] = found
        elif not questions[question].per_material:
            values[key] = found.value
            source[key] = found
        else:
            for target in materials:
                if (question, target) not in resolved:
                    values[(question, target)] = found.value
                    source[(question, target)] = found
    return values, source


Slot = tuple[str, str | None]
"""(question id, material label) of a trace."""


def _survey(contexts: list[ContextScore]) -> tuple[dict[Slot, bool], tuple[QuestionTrace, ...]]:
    """One walk over every context's traces (the shared company traces only once).

    Returns whether each counted slot (answered or missing) is answered anywhere, and the
    de-duplicated trace: the first trace of each slot, replaced by a later one when the first is
    'not-applicable' and the later one is not.
    """
    slots: dict[Slot, bool] = {}
    found: dict[Slot, QuestionTrace] = {}
    if not contexts:
        return slots, ()
    keep = found.setdefault
    for traces in (contexts[0].traces, *(c.own_traces() for c in contexts[1:])):
        for t in traces:
            key = (t.question, t.material)
            status = t.status
            if status == "answered":
                slots[key] = True
            elif status == "missing":
                slots.setdefault(key, False)
            current = keep(key, t)
            if (
                current is not t
                and current.status == "not-applicable"
                and status != "not-applicable"
            ):
                found[key] = t
    return slots, tuple(found.values())


@dataclass(frozen=True, slots=True)
class _Claims:
    """Favourable answers in the trace (claims that need evidence)."""

    count: int
    evidenced: int
    """Claims whose evidence factor reaches the catalogue's 'evidenced' minimum."""
    self_declared: tuple[tuple[str, str | None], ...]
    """(question, material) of the claims with no evidence at all."""


def _claims(trace: tuple[QuestionTrace, ...], evidenced_min_factor: float) -> _Claims:
    count = evidenced = 0
    bare: list[tuple[str, str | None]] = []
    for t in trace:
        if t.status != "answered" or t.evidence_tier == "not-needed":
            continue
        count += 1
        if (t.evidence_factor or 0) >= evidenced_min_factor:
            evidenced += 1
        if t.evidence_tier == "self-declared":
            bare.append((t.question, t.material))
    return _Claims(count, evidenced, tuple(bare))


def _completeness(
    catalogue: Catalogue,
    slots: dict[Slot, bool],
    q: DdQuestionnaire,
    materials: tuple[Material, ...],
) -> tuple[float, list[Issue]]:
    """Share of the slots answered, and an issue per blank slot.

    ``slots`` comes from :func:`_survey`; the presence of every Annex X material and material in
    scope is added here.
    """
    declared = {m.material for m in q.materials}
    present = catalogue.bindings.present
    for material in dict.fromkeys((*catalogue.annex_x, *materials)):
        slots[(present, LABELS[material])] = material in declared
    issues = []
    for (question, label), answered in slots.items():
        if answered:
            continue
        rule = catalogue.questions[question]
        where = "/materials" if question == present else "/answers"
        for_what = f" for {label}" if label else ""
        issues.append(
            Issue(
                "dd.answer-missing",
                where,
                f"{question} is not answered{for_what}: {rule.text[:120]}",
                Severity.WARNING,
                Layer.RULE,
                context={"question": question, "material": label},
            )
        )
    total = len(slots)
    done = sum(1 for v in slots.values() if v)
    return (100.0 * done / total if total else 100.0), issues


def score_questionnaire(
    questionnaire: DdQuestionnaire,
    catalogue: Catalogue | None = None,
    tables: ReferenceTables | None = None,
    *,
    as_of: date,
    context: ScoringContext | None = None,
    checked: CatalogueCheck | None = None,
) -> DdResult:
    """Score a validated questionnaire.

    Args:
        questionnaire: The questionnaire (``validate_questionnaire`` gives one from bytes).
        catalogue: The rule catalogue (default: the bundled one).
        tables: Reference tables (default: the bundled ones).
        as_of: Scoring date: dated rule values, the age of the declaration and applicability.
        context: What the operator knows (expected materials and supplier, its turnover).
        checked: The catalogue checks validation ran (``QuestionnaireReport.checked``); reused
            when they ran on this questionnaire, catalogue and date, otherwise run here.

    Raises:
        InvalidQuestionnaireError: The questionnaire has errors against the catalogue.
    """
    catalogue = catalogue or load_catalogue()
    tables = tables or load_reference_tables()
    context = context or ScoringContext()
    q = questionnaire
    if checked is not None and checked.applies_to(q, catalogue, as_of):
        findings, resolved = list(checked.issues), checked.resolved
    else:
        findings, resolved = check_questionnaire(q, catalogue, as_of)
    errors = [i for i in findings if i.severity is Severity.ERROR]
    if errors:
        raise InvalidQuestionnaireError(errors)
    company, per_material, scope = compute_facts(
        q,
        tables,
        as_of,
        placeholders=catalogue.placeholders,
        annex_x=catalogue.annex_x,
        recycler_roles=catalogue.recycler_roles,
        status_credit=catalogue.processor_status_credit,
        expected_materials=context.expected_materials,
        expected_supplier=context.expected_supplier,
    )
    materials = scope.in_scope
    values, source = _initial_values(q, catalogue, resolved, materials)
    register = {item.id: item for item in q.evidence}
    supplier = normalise_name(q.header.supplier.name)
    domains = own_domains(q.header)
    judged: dict[tuple[tuple[str, ...], Material | None, tuple[str, ...]], EvidenceInfo] = {}
    evidence: dict[Key, EvidenceInfo] = {}
    for key, found in source.items():
        expected_types = catalogue.questions[key[0]].evidence_types
        memo = (found.evidence, key[1], expected_types)
        info = judged.get(memo)
        if info is None:
            info = judged[memo] = assess_evidence(
                found.evidence,
                register,
                key[1],
                catalogue.evidence,
                supplier,
                q.header.effective_date,
                expected_types,
                domains,
                as_of,
            )
        evidence[key] = info
    # the contradiction rules re-score answers in ``state.values``, the mapping ``ctx`` reads
    state = ScoringState(values)
    ctx = EvalContext(
        effective_date=q.header.effective_date,
        values=state.values,
        blanks=catalogue.blanks,
        company_facts=company,
        material_facts=per_material,
        dynamic_facts=dynamic_facts(tables, catalogue.bindings, catalogue.signals),
        evidence=evidence,
    )
    apply_contradictions(catalogue, ctx, materials, state)
    claimed = [
        (key, info)
        for key, info in evidence.items()
        if key in state.values
        and (answer := catalogue.questions[key[0]].answer) is not None
        and answer.favourable(state.values[key])
    ]
    invalid = [(key, info.rejected) for key, info in claimed if info.tier == "invalid"]
    state.findings += evidence_findings(catalogue, "evidence-validity", invalid)
    unfit = [(key, info.unfit) for key, info in claimed if info.unfit]
    state.findings += evidence_findings(catalogue, "evidence-fit", unfit)
    plan = plan_for(catalogue, as_of)
    # the shared company questions do not depend on the material: any one gives their scores
    shared = score_shared(
        catalogue, plan, ctx.for_material(materials[0] if materials else None), state
    )
    contexts = [
        score_context(catalogue, plan, ctx.for_material(material), state, shared)
        for material in materials or (None,)
    ]
    flags = collect_flags(plan, ctx, contexts, state)
    for scored in contexts:
        label = scored.material.value if scored.material else None
        scored.maturity, outcome = apply_critical_gate(catalogue, scored.maturity, label, flags)
        if outcome is not None:
            scored.gates.append(outcome)
    # the worst material: the lowest level (a gate, e.g. an open critical flag, may hold a
    # high-scoring material low), then the lowest score
    worst = min(contexts, key=lambda c: (c.maturity.level, c.maturity.score))
    results: dict[str, MaterialResult] = {}
    residuals: dict[str, float] = {}
    weight = catalogue.risk.mitigation_weight
    bindings = catalogue.bindings
    for scored in contexts:
        if scored.material is None:
            continue
        inherent = float(ctx.for_material(scored.material).fact("inherent_risk", True))
        residual = inherent * (1 - weight * scored.maturity.score / 100)
        label = scored.material.value
        residuals[label] = residual

        def pct(question: str, m: Material = scored.material) -> float | None:
            found = state.values.get((question, m))
            return found if isinstance(found, float) else None

        results[label] = MaterialResult(
            material=label,
            maturity=scored.maturity,
            inherent_risk=inherent,
            residual_risk=residual,
            traced_to_processor_pct=pct(bindings.traced_to_processor),
            traced_to_mine_pct=pct(bindings.traced_to_mine),
            conformant_processor_pct=pct(bindings.conformant_processors),
        )
    slots, trace = _survey(contexts)
    completeness, missing = _completeness(catalogue, slots, q, materials)
    incomplete = completeness < 100.0 or state.incomplete
    risk = risk_level(
        catalogue,
        residuals,
        flags,
        incomplete=incomplete,
        critical_contradiction=state.critical_contradiction,
    )
    claims = _claims(trace, catalogue.confidence.evidenced_min_factor)
    errors_found = sum(1 for f in state.findings if f.severity == "error")
    grade = confidence_grade(
        catalogue, claims.evidenced, claims.count, errors_found, len(state.findings) - errors_found
    )
    return DdResult(
        catalogue_id=catalogue.id,
        catalogue_version=catalogue.version,
        tables=tables.refs(),
        as_of=as_of,
        questionnaire_id=q.questionnaire_id,
        supplier=q.header.supplier.name,
        effective_date=q.header.effective_date,
        status="incomplete" if incomplete else "complete",
        completeness_pct=completeness,
        provisional=incomplete,
        maturity=worst.maturity,
        driven_by=worst.material.value if worst.material else None,
        confidence=grade,
        materials=results,
        risk=risk,
        red_flags=tuple(flags),
        contradictions=tuple(state.findings),
        gates=tuple(g for c in contexts for g in c.gates),
        unevidenced_claims=claims.self_declared,
        manual_review=state.manual_review or state.critical_contradiction,
        applicability=applicability(
            tables, as_of, q.header.effective_date, context.operator_turnover
        ),
        battery_pass=_battery_pass(catalogue, state, evidence, register, worst.maturity.score),
        trace=trace,
        issues=tuple(findings + missing),
    )


def _battery_pass(
    catalogue: Catalogue,
    state: ScoringState,
    evidence: dict[Key, EvidenceInfo],
    register: Mapping[str, object],
    maturity: float,
) -> dict[str, object]:
    """Battery Pass 1.2.0 SupplyChainDueDiligence (its property names, misspellings included)."""

    def uri(question: str, third_party: bool) -> str | None:
        key: Key = (question, None)
        info = evidence.get(key)
        if info is None or state.values.get(key) in (None, "no", "L0"):
            return None
        if third_party and info.tier != "third-party":
            return None
        for ref in info.used:
            found = getattr(register.get(ref), "uri", None)
            if found:
                return str(found)
        return None

    return {
        "supplyChainDueDiligenceReport": uri(catalogue.bindings.public_report, False),
        "thirdPartyAussurances": uri(catalogue.bindings.assurance, True),
        "supplyChainIndicies": maturity,
    }
