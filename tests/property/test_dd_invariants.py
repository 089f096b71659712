"""Invariants of the DD scorer on random questionnaires built from the catalogue itself."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.dd import (
    load_catalogue,
    load_reference_tables,
    score_questionnaire,
    validate_questionnaire,
)
from compliance.dd.engine.critical_gate import open_critical_flags
from compliance.dd.rules.answers import AnswerType
from compliance.models.dd_rules import AnswerKind
from compliance.models.questionnaire import Material

AS_OF = date(2026, 1, 15)
MATERIALS = ["cobalt", "natural-graphite", "lithium", "nickel"]
RISK_ORDER = ["low", "medium", "high", "critical"]


def _value(rng: random.Random, answer: AnswerType) -> Any:
    if answer.kind is AnswerKind.CHOICE:
        return rng.choice([o for o in answer.options if o != "not-applicable"])
    if answer.kind is AnswerKind.MULTI:
        return rng.sample(answer.multi_options, k=rng.randint(0, len(answer.multi_options)))
    if answer.kind is AnswerKind.PERCENT:
        return float(rng.choice([0, 40, 75, 90, 100]))
    return float(rng.choice([0, 3, 5, 10]))


def _questionnaire(rng: random.Random) -> dict[str, Any]:
    catalogue = load_catalogue()
    present = {m: rng.choice(["yes", "no", "unknown"]) for m in MATERIALS}
    answers = []
    for question in catalogue.questions.values():
        if not question.scored or question.answer is None or rng.random() < 0.2:
            continue
        targets = [m for m in MATERIALS if present[m] != "no"] if question.per_material else [None]
        for material in targets:
            answer: dict[str, Any] = {
                "question": question.id,
                "value": _value(rng, question.answer),
            }
            if rng.random() < 0.5:
                answer["evidence"] = [rng.choice(["audit", "doc", "old"])]
            if material:
                answer["material"] = material
            answers.append(answer)
    countries = ["FI", "CD", "AU", "RW", "CN", "IS"]
    return {
        "schemaVersion": "1.0.0",
        "header": {
            "supplier": {"name": "Random Supplier"},
            "roles": [rng.choice(["processor", "trader", "recycler", "mine"])],
            "effectiveDate": "2025-10-01",
            "authorizer": {"name": rng.choice(["Pat Example", "same"])},
        },
        "materials": [{"material": m, "present": p} for m, p in present.items()],
        "answers": answers,
        "processors": [
            {
                "material": m,
                "name": f"P{i}",
                "facilityId": rng.choice(["DEMO-CO-001", "DEMO-CO-003", "DEMO-CO-004", "X"]),
                "country": rng.choice(countries),
                "identified": rng.random() < 0.9,
            }
            for m in MATERIALS
            if present[m] != "no"
            for i in range(rng.randint(0, 3))
        ],
        "mines": [
            {
                "material": m,
                "name": "M",
                "country": rng.choice(countries),
                "asm": rng.choice(["yes", "no"]),
            }
            for m in MATERIALS
            if present[m] != "no" and rng.random() < 0.5
        ],
        "evidence": [
            {
                "id": "audit",
                "type": "audit-report",
                "thirdParty": True,
                "issuer": "Audit AG",
                "uri": "https://a.example/r",
                "issued": "2025-06-01",
            },
            {"id": "doc", "type": "policy", "uri": "https://b.example/p", "issued": "2025-03-01"},
            {
                "id": "old",
                "type": "certificate",
                "thirdParty": True,
                "issuer": "C",
                "uri": "https://c.example",
                "validUntil": "2024-01-01",
            },
        ],
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_scores_are_bounded_explained_and_deterministic(rng: random.Random) -> None:
    report = validate_questionnaire(_questionnaire(rng), as_of=AS_OF)
    assert report.ok, [i.to_dict() for i in report.issues if i.severity.value == "error"]
    assert report.questionnaire is not None
    result = score_questionnaire(report.questionnaire, as_of=AS_OF)
    again = score_questionnaire(report.questionnaire, as_of=AS_OF)
    assert result.to_dict() == again.to_dict()
    assert 0 <= result.maturity.score <= 100
    assert 1 <= result.maturity.level <= result.maturity.level_uncapped <= 5
    assert RISK_ORDER.index(result.risk.level) >= RISK_ORDER.index(result.risk.base_level)
    for trace in result.trace:
        assert 0 <= trace.points <= trace.max_points + 1e-9
        assert trace.sources
    if any(f.severity == "critical" and f.status == "open" for f in result.red_flags):
        assert result.risk.level == "critical"
    if result.status == "incomplete":
        assert result.risk.level != "low"
    for material in result.materials.values():  # the worst material drives: level, then score
        assert material.maturity.level >= result.maturity.level
        if material.maturity.level == result.maturity.level:
            assert material.maturity.score >= result.maturity.score - 1e-9
    # an open critical flag caps its material's level (catalogue critical_gate)
    cap = load_catalogue().critical_gate
    assert cap is not None
    for name, material in result.materials.items():
        if open_critical_flags(result.red_flags, name):
            assert material.maturity.level <= cap.max_level
            if material.maturity.level_uncapped > cap.max_level:
                assert cap.id in material.maturity.gates_failed
    # 'no CAHRA sourcing' never stands against a processor in a CAHRA or a hub of the material
    tables = load_reference_tables()
    origins, unlisted = tables.origins()
    for trace in result.trace:
        if trace.question != "M2-04" or trace.value != "no" or trace.material is None:
            continue
        countries = {
            p.country for p in report.questionnaire.processors if p.material == trace.material
        }
        hubs = tables.transit_hubs(Material(trace.material))
        assert not countries & hubs
        assert not any(origins.get(c, unlisted)[0] for c in countries if c)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_better_evidence_never_lowers_a_question(rng: random.Random) -> None:
    """Replacing every evidence reference by the third-party audit never lowers any points."""
    document = _questionnaire(rng)
    weaker = validate_questionnaire(document, as_of=AS_OF).questionnaire
    for answer in document["answers"]:
        answer["evidence"] = ["audit"]
    stronger = validate_questionnaire(document, as_of=AS_OF).questionnaire
    assert weaker is not None
    assert stronger is not None
    low = score_questionnaire(weaker, as_of=AS_OF)
    high = score_questionnaire(stronger, as_of=AS_OF)
    by_key = {(t.question, t.material): t for t in high.trace}
    for trace in low.trace:
        other = by_key.get((trace.question, trace.material))
        if other is not None and other.status == trace.status == "answered":
            assert other.points >= trace.points - 1e-9, trace.question
