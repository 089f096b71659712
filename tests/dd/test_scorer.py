"""Scorer properties: deterministic, pure, worst material drives, never favourable imputation."""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import date
from typing import cast

import pytest

from compliance.dd import (
    InvalidQuestionnaireError,
    ScoringContext,
    read_catalogue,
    score_questionnaire,
)
from compliance.dd.engine.scoring import build_plan, plan_for
from compliance.dd.validate import validate_questionnaire
from compliance.models.questionnaire import DdQuestionnaire, Material
from tests.dd.conftest import AS_OF, example


def _model(data: dict[str, object], as_of: date = AS_OF) -> DdQuestionnaire:
    report = validate_questionnaire(data, as_of=as_of)
    assert report.questionnaire is not None, [i.to_dict() for i in report.issues]
    return report.questionnaire


def test_deterministic_and_the_questionnaire_is_not_changed() -> None:
    questionnaire = _model(example("weak-yes-to-everything"))
    before = questionnaire.model_dump_json()
    first = score_questionnaire(questionnaire, as_of=AS_OF).to_dict()
    second = score_questionnaire(questionnaire, as_of=AS_OF).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert questionnaire.model_dump_json() == before  # re-scoring is recorded, never applied


def test_result_records_catalogue_and_table_versions() -> None:
    result = score_questionnaire(_model(example("strong-supplier")), as_of=AS_OF).to_dict()
    assert result["catalogue"] == {"id": "dd-battery-raw-materials", "version": "2026.1"}
    tables = {t["table"]: t for t in result["referenceTables"]}
    assert tables["country-risk"]["demonstration"] is True
    assert tables["processors"]["demonstration"] is True
    assert tables["applicability"]["version"] == "2025.2"


def test_answer_order_does_not_matter() -> None:
    data = example("honest-red-flag")
    shuffled = copy.deepcopy(data)
    shuffled["answers"] = list(reversed(shuffled["answers"]))
    one = score_questionnaire(_model(data), as_of=AS_OF)
    two = score_questionnaire(_model(shuffled), as_of=AS_OF)
    assert one.maturity == two.maturity
    assert one.red_flags == two.red_flags


def test_the_worst_material_drives_the_overall_maturity() -> None:
    """Strong example with nickel's traceability answers removed.

    Nickel loses M2-01 and M2-02 (3.5 each): S2(nickel) = 100 x 23 / 30 = 76.667, so
    M(nickel) = (2500 + 30 x 76.667 + 2000 + 1500 + 1000) / 100 = 93.0; cobalt and lithium stay
    at 100. The overall maturity is nickel's, and it is incomplete.
    """
    data = example("strong-supplier")
    data["answers"] = [
        a
        for a in data["answers"]
        if not (a.get("material") == "nickel" and a["question"] in ("M2-01", "M2-02"))
    ]
    result = score_questionnaire(_model(data), as_of=AS_OF)
    assert result.materials["cobalt"].maturity.score == pytest.approx(100.0)
    assert result.materials["nickel"].maturity.score == pytest.approx(93.0)
    assert result.driven_by == "nickel"
    assert result.maturity.score == pytest.approx(93.0)
    assert result.status == "incomplete"
    assert result.question("M2-01", "nickel").status == "missing"  # type: ignore[union-attr]


def test_a_default_answer_applies_to_materials_without_their_own() -> None:
    """M2-10..M2-21 are answered once without a material in the strong example: they apply to
    cobalt, nickel and lithium alike."""
    result = score_questionnaire(_model(example("strong-supplier")), as_of=AS_OF)
    for material in ("cobalt", "nickel", "lithium"):
        trace = result.question("M2-16", material)
        assert trace is not None
        assert (trace.value, trace.points) == ("no-significant-risk", 1.0)


def test_blank_answers_are_never_imputed_favourably() -> None:
    """With every answer removed the strong supplier scores 0 and each blank required question
    is read as its least favourable value for the red flags (marked 'imputed')."""
    data = example("strong-supplier")
    data["answers"] = []
    result = score_questionnaire(_model(data), as_of=AS_OF)
    assert result.maturity.score == 0
    assert result.status == "incomplete"
    assert result.completeness_pct == pytest.approx(100 * 4 / (30 + 3 * 19 + 4))
    imputed = {f.id for f in result.red_flags if f.imputed}
    assert {"RF-M1-01-NO", "RF-M2-04-UNKNOWN", "RF-M2-17-NOT-ASSESSED"} <= imputed
    assert result.risk.level == "high"
    missing = [i for i in result.issues if i.code == "dd.answer-missing"]
    assert len(missing) == 30 + 3 * 19


def test_product_context_catches_a_material_declared_absent() -> None:
    data = example("strong-supplier")
    for item in data["materials"]:
        if item["material"] == "natural-graphite":
            item["present"] = "no"
    context = ScoringContext(expected_materials=frozenset({Material.NATURAL_GRAPHITE}))
    result = score_questionnaire(_model(data), as_of=AS_OF, context=context)
    assert "natural-graphite" in result.materials
    assert ("CX-11", "natural-graphite") in {(c.id, c.material) for c in result.contradictions}
    assert result.status == "incomplete"
    assert result.driven_by == "natural-graphite"


def test_errors_against_the_catalogue_refuse_scoring() -> None:
    data = example("strong-supplier")
    data["answers"][0]["value"] = "maybe"
    questionnaire = DdQuestionnaire.model_validate(data)
    with pytest.raises(InvalidQuestionnaireError) as caught:
        score_questionnaire(questionnaire, as_of=AS_OF)
    assert caught.value.issues[0].code == "dd.unknown-option"
    assert caught.value.issues[0].pointer == "/answers/0/value"


def test_applicability_is_dated_data() -> None:
    questionnaire = _model(example("strong-supplier"))
    before = score_questionnaire(questionnaire, as_of=date(2027, 8, 17)).applicability
    after = score_questionnaire(questionnaire, as_of=date(2027, 8, 18)).applicability
    assert (before.state, after.state) == ("not-yet-applicable", "applicable")
    assert after.applies_from == date(2027, 8, 18)
    assert after.turnover_threshold_eur == 40_000_000


def test_json_shape() -> None:
    result = score_questionnaire(_model(example("honest-red-flag")), as_of=AS_OF).to_dict()
    assert set(result) >= {
        "catalogue",
        "referenceTables",
        "maturity",
        "risk",
        "redFlags",
        "contradictions",
        "trace",
        "batteryPass",
        "applicability",
    }
    entry = next(t for t in result["trace"] if t["rule"] == "M2-16")
    assert entry["sources"] == [
        "BattReg Annex X 2(b)(ii)",
        "ILO C138/C182",
        "OECD DDG Annex II para 1",
    ]
    assert json.loads(json.dumps(result)) == result


def test_a_red_flag_records_the_condition_that_matched() -> None:
    """The trace of a flag names the leaves of its condition that held and the values read."""
    result = score_questionnaire(_model(example("honest-red-flag")), as_of=AS_OF)
    flag = next(f for f in result.red_flags if f.id == "RF-M4-01-LOW")
    assert flag.matched == ("question M4-01 lt 50.0 (value 0.0)",)
    assert flag.to_dict()["matched"] == ["question M4-01 lt 50.0 (value 0.0)"]
    assert all(f.matched for f in result.red_flags)


def test_results_are_records_not_tuples() -> None:
    """Public results are frozen dataclasses: never equal to a plain tuple, never mutable."""
    result = score_questionnaire(_model(example("honest-red-flag")), as_of=AS_OF)
    flag, trace = result.red_flags[0], result.trace[0]
    as_tuple: object = tuple(getattr(flag, f.name) for f in dataclasses.fields(flag))
    assert flag != as_tuple
    assert not isinstance(cast(object, trace), tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        trace.points = 1.0  # type: ignore[misc]


def test_the_plan_is_built_once_per_catalogue_and_date(catalogue) -> None:
    """The plan cache is kept with the catalogue; another catalogue has its own plans."""
    assert plan_for(catalogue, AS_OF) is plan_for(catalogue, AS_OF)
    assert plan_for(catalogue, AS_OF) is not plan_for(catalogue, date(2027, 1, 15))
    other = read_catalogue()
    assert plan_for(other, AS_OF) is not plan_for(catalogue, AS_OF)
    assert (
        build_plan(other, AS_OF).answerable.keys() == plan_for(catalogue, AS_OF).answerable.keys()
    )
