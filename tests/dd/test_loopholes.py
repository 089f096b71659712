"""What the results say when the loophole rules act (issue 12, section 2).

The rule cases in ``rules/dd/cases`` check points, flags and levels; these tests check the parts a
case cannot express: the wording of the findings and gate outcomes a reviewer reads.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from compliance.dd import score_questionnaire
from compliance.dd.engine.result import DdResult
from compliance.dd.rules.cases import BASE_QUESTIONNAIRE
from compliance.dd.validate import validate_questionnaire
from tests.dd.conftest import AS_OF

NO_OTHER_MATERIALS = [
    {"material": m, "present": "no"} for m in ("natural-graphite", "lithium", "nickel")
]


def _score(**parts: Any) -> DdResult:
    document = copy.deepcopy(BASE_QUESTIONNAIRE)
    document.update(parts)
    report = validate_questionnaire(json.dumps(document).encode(), as_of=AS_OF)
    assert report.questionnaire is not None, report.issues
    return score_questionnaire(report.questionnaire, as_of=AS_OF)


def test_a_rejected_recycled_claim_says_what_it_reopened() -> None:
    result = _score(
        materials=[
            {
                "material": "cobalt",
                "present": "yes",
                "fullyRecycled": "yes",
                "recycledSharePct": 60,
            },
            *NO_OTHER_MATERIALS,
        ],
        answers=[
            {"question": "M2-01", "material": "cobalt", "value": 100},
            {"question": "M2-02", "material": "cobalt", "value": 100},
        ],
    )
    found = {f.id: f for f in result.contradictions}
    assert found["CX-02"].changes == (("S-05", "yes", "unknown"),)
    assert found["CX-02"].effects == (
        "rescore S-05",
        "inherent and residual risk computed with the re-scored S-05",
        "flag RF-CX-02",
        "recomputed without the claim: CX-03@cobalt",
        "recomputed without the claim: CX-16@cobalt",
    )
    # each re-opened rule names only the re-scoring its condition depends on
    assert found["CX-03"].effects[0] == "re-evaluated after CX-02 re-scored S-05"
    assert found["CX-16"].effects[0] == "re-evaluated after CX-02 re-scored S-05"
    assert "re-evaluated after CX-03" not in " ".join(found["CX-16"].effects)
    # cobalt: ASM (90, M2-05 blank) and unknown origin (100) count again
    assert result.materials["cobalt"].inherent_risk == 100.0


def test_a_standing_claim_reopens_nothing() -> None:
    result = _score(
        materials=[
            {
                "material": "cobalt",
                "present": "yes",
                "fullyRecycled": "yes",
                "recycledSharePct": 100,
            },
            *NO_OTHER_MATERIALS,
        ],
        processors=[
            {
                "material": "cobalt",
                "name": "Demo Cobalt Refinery Alpha",
                "facilityId": "DEMO-CO-001",
                "country": "FI",
                "feedstockFullyRecycled": "yes",
            }
        ],
        answers=[{"question": "M2-02", "material": "cobalt", "value": 100}],
    )
    assert not any("re-evaluated" in e for f in result.contradictions for e in f.effects)
    # material 55, FI 10; no mine origin for a standing 100 % recycled claim
    assert result.materials["cobalt"].inherent_risk == 55.0


def test_the_critical_gate_names_the_flags_that_hold_it() -> None:
    result = _score(
        materials=[{"material": "cobalt", "present": "yes"}, *NO_OTHER_MATERIALS],
        processors=[
            {
                "material": "cobalt",
                "name": "Demo Cobalt Refinery Alpha",
                "facilityId": "DEMO-CO-001",
                "country": "FI",
            }
        ],
        answers=[
            {"question": "M1-01", "value": "yes"},
            {"question": "M2-17", "material": "cobalt", "value": "actual-impact-unaddressed"},
        ],
    )
    # the score stays below level 2 here, so the gate cannot cap and is not reported
    assert result.maturity.level_uncapped == 1
    assert not any(g.id == "G-CRITICAL-OPEN" for g in result.gates)


def test_the_critical_gate_outcome_in_the_json(catalogue) -> None:
    gate = catalogue.critical_gate
    assert gate is not None
    assert gate.max_level == 1
    evidence = [
        {
            "id": "audit",
            "type": "assurance-statement",
            "thirdParty": True,
            "issuer": "Independent Assurance GmbH",
            "uri": "https://assurance.example/dd-2025.pdf",
            "issued": "2025-06-01",
        }
    ]
    ladders = ["M1-05", "M1-06", "M1-07", "M1-10", "M2-06", "M2-08", "M3-02", "M3-04", "M3-05"]
    answers: list[dict[str, Any]] = [
        {"question": q, "value": "L4", "evidence": ["audit"]} for q in ladders
    ]
    answers += [
        {"question": q, "value": "yes", "evidence": ["audit"]}
        for q in ("M1-01", "M1-02", "M3-01", "M3-06", "M3-09", "M5-01", "M5-04")
    ]
    answers.append(
        {"question": "M2-17", "material": "cobalt", "value": "actual-impact-unaddressed"}
    )
    result = _score(
        materials=[{"material": "cobalt", "present": "yes"}, *NO_OTHER_MATERIALS],
        processors=[
            {
                "material": "cobalt",
                "name": "Demo Cobalt Refinery Alpha",
                "facilityId": "DEMO-CO-001",
                "country": "FI",
            }
        ],
        evidence=evidence,
        answers=answers,
    )
    cobalt = result.materials["cobalt"].maturity
    assert cobalt.level_uncapped >= 2
    assert (cobalt.level, cobalt.level_name) == (1, "Initial")
    assert cobalt.gates_failed[-1] == "G-CRITICAL-OPEN"
    outcome = next(g for g in result.gates if g.id == "G-CRITICAL-OPEN")
    assert (outcome.level, outcome.material, outcome.passed) == (2, "cobalt", False)
    assert "RF-M2-17-UNADDRESSED" in outcome.title
    assert "G-CRITICAL-OPEN" in result.to_dict()["maturity"]["gatesFailed"]
