"""Rule files: a broken file is refused with located issues; conditions are a closed vocabulary."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from compliance.dd.engine.context import EvalContext
from compliance.dd.rules.compiler import read_catalogue
from compliance.dd.rules.conditions import (
    OPERATORS,
    CompileError,
    Subject,
    compile_condition,
    months_before,
)
from compliance.dd.rules.loader import RulesError, bundled_reader
from compliance.dd.rules.references import read_reference_tables
from compliance.models.dd_rules import VALUE_OPERATORS, Condition
from compliance.models.questionnaire import Material


def overlay(**changes: Callable[[str], str]) -> Callable[[str], str]:
    """The bundled rule files with some files' text transformed."""

    def reader(relative: str) -> str:
        text = bundled_reader(relative)
        change = changes.get(relative.replace("/", "__").replace("-", "_").replace(".yaml", ""))
        return change(text) if change else text

    return reader


def _issues(reader: Callable[[str], str]) -> list[tuple[str, str, str, int | None]]:
    with pytest.raises(RulesError) as caught:
        read_catalogue(reader)
    return [(i.context["file"], i.code, i.pointer, i.line) for i in caught.value.issues]


def test_bundled_catalogue_compiles(catalogue) -> None:
    assert (catalogue.id, catalogue.version) == ("dd-battery-raw-materials", "2026.1")
    assert len(catalogue.questions) == 55
    assert sum(1 for q in catalogue.questions.values() if q.scored) == 50
    assert [s.id for s in catalogue.steps] == ["S0", "S1", "S2", "S3", "S4", "S5"]
    assert [catalogue.step_weight(s, date(2026, 1, 1)) for s in ("S1", "S2", "S3", "S4", "S5")] == [
        25,
        30,
        20,
        15,
        10,
    ]


def test_duplicate_keys_are_refused_with_a_line() -> None:
    """M1-01 has `weight: 3` on line 12; the inserted second `weight` is line 13."""
    reader = overlay(
        steps__1_management_systems=lambda t: t.replace(
            "    weight: 3\n", "    weight: 3\n    weight: 4\n", 1
        )
    )
    assert _issues(reader) == [("steps/1-management-systems.yaml", "parse.duplicate-key", "", 13)]


def test_unknown_operator_is_a_schema_error() -> None:
    reader = overlay(
        steps__1_management_systems=lambda t: t.replace(
            'when: {equals: "no"}', 'when: {eval: "no"}', 1
        )
    )
    found = _issues(reader)
    assert found[0][:2] == ("steps/1-management-systems.yaml", "schema.additionalProperties")
    assert found[0][2] == "/questions/0/red_flags/0/when/eval"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{fact: cahra_origin, equals: true}",
            "{fact: cahra_origins, equals: true}",
            "unknown fact",
        ),
        ("{question: M2-08, lt: L2}", "{question: M2-88, lt: L2}", "unknown question"),
        ("{question: M2-08, lt: L2}", "{question: M2-08, lt: L7}", "has no option"),
        ("{question: M2-08, lt: L2}", "{question: M2-01, lt: L2}", "needs a number"),
        ("{equals: unknown}", "{equals: unknwon}", "has no option"),
    ],
)
def test_bad_references_in_conditions_are_refused(old: str, new: str, message: str) -> None:
    reader = overlay(steps__2_risk_identification=lambda t: t.replace(old, new, 1))
    with pytest.raises(RulesError) as caught:
        read_catalogue(reader)
    issue = caught.value.issues[0]
    assert issue.code == "rules.condition"
    assert issue.context["file"] == "steps/2-risk-identification.yaml"
    assert message in issue.message
    assert issue.pointer.startswith("/questions/")


def test_sources_must_use_a_declared_reference_key() -> None:
    reader = overlay(
        steps__3_risk_response=lambda t: t.replace('"OECD DDG Step 3A"', '"Some blog post"', 1)
    )
    assert _issues(reader) == [
        ("steps/3-risk-response.yaml", "rules.unknown-source", "/questions/0/sources/1", None)
    ]


def test_a_self_declaration_must_earn_less_than_a_document() -> None:
    reader = overlay(
        catalogue=lambda t: t.replace("  self_declared: 0.5\n", "  self_declared: 0.9\n", 1)
    )
    assert _issues(reader) == [("catalogue.yaml", "rules.evidence-order", "/evidence", None)]


def test_critical_gate_sources_must_use_a_declared_reference_key() -> None:
    reader = overlay(
        catalogue=lambda t: t.replace(
            '"IRMA (critical requirements condition every achievement level)"', '"A blog"', 1
        )
    )
    assert _issues(reader) == [
        ("catalogue.yaml", "rules.unknown-source", "/critical_gate/sources/2", None)
    ]


def test_duplicate_red_flag_ids_are_refused() -> None:
    reader = overlay(
        steps__5_reporting=lambda t: t.replace("id: RF-M5-01-OLD", "id: RF-M1-01-NO", 1)
    )
    codes = {(f, c) for f, c, _, _ in _issues(reader)}
    assert codes == {("steps/5-reporting.yaml", "rules.duplicate-id")}


def test_a_missing_table_is_a_rules_error() -> None:
    def reader(relative: str) -> str:
        if relative == "tables/processors.yaml":
            raise OSError("no such file")
        return bundled_reader(relative)

    with pytest.raises(RulesError) as caught:
        read_reference_tables(reader)
    assert [(i.code, i.context["file"]) for i in caught.value.issues] == [
        ("rules.unreadable", "tables/processors.yaml")
    ]


def _ctx(values: dict[tuple[str, Material | None], Any], material: Material | None = None):
    return EvalContext(
        date(2026, 1, 15), values, {}, {"flag": True}, {Material.COBALT: {}}, {}, {}, material
    )


def test_missing_values_compare_false_like_sql_null(catalogue) -> None:
    subjects = {qid: Subject(q.per_material, q.answer) for qid, q in catalogue.questions.items()}
    equals = compile_condition(
        Condition.model_validate({"question": "M1-01", "equals": "no"}), subjects
    )
    differs = compile_condition(
        Condition.model_validate({"question": "M1-01", "not_equals": "no"}), subjects
    )
    negated = compile_condition(
        Condition.model_validate({"not": {"question": "M1-01", "equals": "no"}}), subjects
    )
    blank = _ctx({})
    assert (equals.holds(blank), differs.holds(blank), negated.holds(blank)) == (False, False, True)
    answered = _ctx({("M1-01", None): "yes"})
    assert (
        equals.holds(answered),
        differs.holds(answered),
        negated.holds(answered),
    ) == (False, True, True)


def test_ordered_choices_compare_by_position(catalogue) -> None:
    subjects = {qid: Subject(q.per_material, q.answer) for qid, q in catalogue.questions.items()}
    at_least = compile_condition(
        Condition.model_validate({"question": "M1-07", "gte": "L2"}), subjects
    )
    assert [at_least.holds(_ctx({("M1-07", None): v})) for v in ("L0", "L1", "L2", "L4")] == [
        False,
        False,
        True,
        True,
    ]
    with pytest.raises(CompileError, match="ordered answer type"):
        compile_condition(Condition.model_validate({"question": "M1-01", "gte": "yes"}), subjects)


def test_material_conditions_depend_on_the_material(catalogue) -> None:
    subjects = {qid: Subject(q.per_material, q.answer) for qid, q in catalogue.questions.items()}
    per_material = compile_condition(
        Condition.model_validate({"question": "M2-04", "equals": "unknown"}), subjects
    )
    company = compile_condition(
        Condition.model_validate({"question": "M1-01", "equals": "no"}), subjects
    )
    assert (per_material.material_dependent, company.material_dependent) == (True, False)
    ctx = _ctx({("M2-04", Material.COBALT): "unknown"}, Material.COBALT)
    assert per_material.holds(ctx)


def test_a_condition_needs_exactly_one_operator() -> None:
    with pytest.raises(ValueError, match="exactly one operator"):
        Condition.model_validate({"question": "M1-01", "equals": "no", "in": ["yes"]})
    with pytest.raises(ValueError, match="exactly one operator"):
        Condition.model_validate({"question": "M1-01"})


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 15, date(2024, 10, 15)),
        (date(2026, 1, 15), 12, date(2025, 1, 15)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


def _compiled(subjects: dict[str, Subject], condition: dict[str, Any]) -> Any:
    return compile_condition(Condition.model_validate(condition), subjects)


def test_explain_names_the_leaves_that_held(catalogue) -> None:
    """explain() gives the leaves that made a condition true (None when it is false)."""
    subjects = {qid: Subject(q.per_material, q.answer) for qid, q in catalogue.questions.items()}
    both = _compiled(
        subjects,
        {"all": [{"fact": "cahra_origin", "equals": True}, {"question": "M2-04", "in": ["no"]}]},
    )
    either = _compiled(
        subjects,
        {
            "any": [
                {"question": "M2-04", "equals": "yes"},
                {"not": {"question": "M1-01", "equals": "no"}},
            ]
        },
    )
    ctx = _ctx({("M2-04", Material.COBALT): "no"}, Material.COBALT)
    ctx.material_facts[Material.COBALT]["cahra_origin"] = True
    assert both.explain(ctx) == (
        "fact cahra_origin equals True (value True)",
        "question M2-04 in ['no'] (value 'no')",
    )
    assert either.explain(ctx) == ("not (question M1-01 equals 'no')",)
    assert both.holds(ctx)
    assert either.holds(ctx)
    answered = _ctx({("M2-04", Material.COBALT): "yes", ("M1-01", None): "no"}, Material.COBALT)
    answered.material_facts[Material.COBALT]["cahra_origin"] = True
    assert both.explain(answered) is None
    assert either.explain(answered) == ("question M2-04 equals 'yes' (value 'yes')",)


def test_imputing_reads_a_blank_as_its_least_favourable_value(catalogue) -> None:
    """for_material and imputing give new contexts; the original is unchanged."""
    subjects = {qid: Subject(q.per_material, q.answer) for qid, q in catalogue.questions.items()}
    equals = _compiled(subjects, {"question": "M2-04", "equals": "unknown"})
    base = EvalContext(
        date(2026, 1, 15), {}, {"M2-04": "unknown"}, {}, {Material.COBALT: {}}, {}, {}
    )
    cobalt = base.for_material(Material.COBALT)
    assert (cobalt.material, base.material) == (Material.COBALT, None)
    assert not equals.holds(cobalt)
    assert equals.holds(cobalt.imputing())
    assert not cobalt.impute


def test_number_and_fact_comparisons_read_only_numbers(catalogue) -> None:
    """gte/gt/lte/lt on a number question or a number fact: non-numbers and blanks are false."""
    subjects = {qid: Subject(q.per_material, q.answer) for qid, q in catalogue.questions.items()}
    low = _compiled(subjects, {"question": "M2-01", "lt": 90})
    high = _compiled(subjects, {"question": "M2-01", "gte": 90})
    for value, expected in ((89.5, (True, False)), (90.0, (False, True)), (100.0, (False, True))):
        ctx = _ctx({("M2-01", Material.COBALT): value}, Material.COBALT)
        assert (low.holds(ctx), high.holds(ctx)) == expected
    for other in ("not-applicable", None):
        ctx = _ctx({("M2-01", Material.COBALT): other} if other else {}, Material.COBALT)
        assert (low.holds(ctx), high.holds(ctx)) == (False, False)
    many = _compiled(subjects, {"fact": "processor_count", "gt": 2})
    ctx = EvalContext(
        date(2026, 1, 15), {}, {}, {}, {Material.COBALT: {"processor_count": 3.0}}, {}, {},
        Material.COBALT,
    )  # fmt: skip
    assert many.holds(ctx)
    two = dataclasses.replace(ctx, material_facts={Material.COBALT: {"processor_count": 2.0}})
    assert not many.holds(two)
    # a per-material fact has no company value
    assert not many.holds(ctx.for_material(None))


def test_one_operator_table_covers_the_vocabulary() -> None:
    """Every value operator the rule files may use has exactly one evaluator entry."""
    assert set(OPERATORS) == set(VALUE_OPERATORS)
