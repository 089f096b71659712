"""Read, check and compile the rule files of ``rules/dd`` into a :class:`Catalogue`.

Loading refuses (with every problem listed, as :class:`~compliance.dd.rules.loader.RulesError`)
anything that would make scoring wrong or undefined: files failing the ruleset schema, duplicate
ids, unknown questions, facts, options, tags, answer types or source keys, operators that do not
fit an answer type, unordered levels or risk bands. ``compliance rules lint`` adds softer checks
(``compliance.dd.rules.lint``).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from compliance.dd.engine.context import Value
from compliance.dd.rules.answers import AnswerType, build_answer_type
from compliance.dd.rules.catalogue import (
    CROSS_CUTTING,
    Catalogue,
    ContradictionRule,
    FlagRule,
    QuestionRule,
    StepRule,
)
from compliance.dd.rules.conditions import CompileError, Predicate, Subject, compile_condition
from compliance.dd.rules.loader import (
    Reader,
    RulesError,
    bundled_reader,
    read_rule_file,
    rule_issue,
)
from compliance.dd.rules.policies import check_policies, compile_levels
from compliance.errors import Issue, pointer_from_path
from compliance.models.dd_catalogue import CatalogueFile
from compliance.models.dd_rules import (
    AnswerSpec,
    AnswerTypesFile,
    Condition,
    ContradictionsFile,
    Question,
    StepFile,
)

__all__ = ["CATALOGUE_FILE", "Builder", "load_catalogue", "read_catalogue"]

CATALOGUE_FILE = "catalogue.yaml"
Path = tuple[str | int, ...]
"""A location inside a rule file (keys and indices)."""


class Builder:
    """Collects issues while compiling; they are raised together at the end."""

    def __init__(self, header: CatalogueFile) -> None:
        self.header = header
        self.issues: list[Issue] = []
        self.keys = tuple(r.key for r in header.references)
        self.flag_ids: dict[str, str] = {}

    def issue(self, code: str, file: str, path: Path, message: str) -> None:
        """Record a problem at a path of a rule file."""
        self.issues.append(rule_issue(code, file, pointer_from_path(path), message))

    def sources(self, sources: tuple[str, ...], file: str, path: Path) -> None:
        """Every source must start with a reference key of catalogue.yaml."""
        for index, source in enumerate(sources):
            if not any(source == k or source.startswith((k + " ", k + ":")) for k in self.keys):
                self.issue(
                    "rules.unknown-source",
                    file,
                    (*path, "sources", index),
                    f"{source!r} does not start with a reference key of catalogue.yaml",
                )

    def predicate(
        self,
        cond: Condition,
        subjects: dict[str, Subject],
        file: str,
        path: Path,
        own: str | None = None,
    ) -> Predicate | None:
        """Compile a condition, or record why it cannot be compiled."""
        try:
            return compile_condition(cond, subjects, own=own, path=path)
        except CompileError as exc:
            self.issue("rules.condition", file, exc.path or path, exc.message)
            return None

    def unique_flag(self, flag_id: str, file: str, path: Path) -> None:
        """Red-flag ids are unique across the catalogue."""
        if flag_id in self.flag_ids:
            self.issue(
                "rules.duplicate-id",
                file,
                path,
                f"red flag {flag_id!r} is already defined in {self.flag_ids[flag_id]}",
            )
        self.flag_ids[flag_id] = file


def _answer_types(
    b: Builder, types: AnswerTypesFile, steps: list[tuple[str, StepFile]]
) -> dict[str, AnswerType | None]:
    built: dict[str, AnswerType | None] = {}
    for file, step in steps:
        for index, q in enumerate(step.questions):
            path: Path = ("questions", index, "answer")
            if q.answer is None:
                built[q.id] = None
                if step.step != "S0":
                    b.issue("rules.answer-type", file, path, f"{q.id} needs an 'answer'")
                continue
            definition = types.types.get(q.answer.type)
            if definition is None:
                b.issue(
                    "rules.answer-type",
                    file,
                    (*path, "type"),
                    f"unknown answer type {q.answer.type!r}; known: {', '.join(types.types)}",
                )
                built[q.id] = None
                continue
            try:
                built[q.id] = build_answer_type(q.answer.type, definition, q.answer)
            except ValueError as exc:
                b.issue("rules.answer-type", file, path, str(exc))
                built[q.id] = None
    return built


def _tri_state(types: AnswerTypesFile) -> AnswerType:
    """Step-0 presence and recycled claims are read from the document as yes / no / unknown."""
    return build_answer_type(
        "yes-no-unknown", types.types["yes-no-unknown"], AnswerSpec(type="yes-no-unknown")
    )


def _question(
    b: Builder,
    file: str,
    step: str,
    index: int,
    q: Question,
    subjects: dict[str, Subject],
    categories: set[str],
) -> QuestionRule:
    path: Path = ("questions", index)
    b.sources(q.sources, file, path)
    for t, tag in enumerate(q.tags):
        if tag != CROSS_CUTTING and tag not in categories:
            b.issue("rules.unknown-tag", file, (*path, "tags", t), f"unknown category {tag!r}")
    flags: list[FlagRule] = []
    for j, flag in enumerate(q.red_flags):
        where: Path = (*path, "red_flags", j)
        b.unique_flag(flag.id, file, (*where, "id"))
        b.sources(flag.sources, file, where)
        when = b.predicate(flag.when, subjects, file, (*where, "when"), own=q.id)
        addressed = (
            b.predicate(flag.addressed_when, subjects, file, (*where, "addressed_when"), own=q.id)
            if flag.addressed_when
            else None
        )
        if when is not None:
            flags.append(
                FlagRule(
                    flag.id,
                    q.id,
                    flag.severity,
                    flag.title,
                    flag.category,
                    when,
                    addressed,
                    flag.sources,
                )
            )
    applies = (
        b.predicate(q.applies_when, subjects, file, (*path, "applies_when"), own=q.id)
        if q.applies_when
        else None
    )
    return QuestionRule(
        id=q.id,
        step=step,
        text=q.text,
        per_material=q.per_material,
        weight=q.weight,
        required=q.required,
        system=q.system,
        tags=q.tags,
        evidence_types=tuple(e.value for e in q.evidence),
        answer=subjects[q.id].answer,
        answered_in=q.answered_in,
        applies=applies,
        effective_from=date.fromisoformat(q.effective_from) if q.effective_from else None,
        effective_to=date.fromisoformat(q.effective_to) if q.effective_to else None,
        flags=tuple(flags),
        sources=q.sources,
        scored=q.answer is not None and step != "S0",
    )


def _contradictions(
    b: Builder, file: str, rules: ContradictionsFile, subjects: dict[str, Subject]
) -> tuple[ContradictionRule, ...]:
    compiled: list[ContradictionRule] = []
    seen: set[str] = set()
    for index, rule in enumerate(rules.rules):
        path: Path = ("rules", index)
        if rule.id in seen:
            b.issue("rules.duplicate-id", file, (*path, "id"), f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
        b.sources(rule.sources, file, path)
        when = b.predicate(rule.when, subjects, file, (*path, "when")) if rule.when else None
        for e, effect in enumerate(rule.effects):
            where: Path = (*path, "effects", e)
            if effect.rescore and effect.rescore.question not in subjects:
                b.issue(
                    "rules.unknown-question",
                    file,
                    (*where, "rescore", "question"),
                    f"unknown question {effect.rescore.question!r}",
                )
            if effect.flag:
                b.unique_flag(effect.flag.id, file, (*where, "flag", "id"))
        compiled.append(
            ContradictionRule(
                rule.id,
                rule.title,
                rule.severity,
                rule.critical,
                rule.per_material,
                rule.builtin,
                when,
                rule.effects,
                rule.message,
                rule.sources,
            )
        )
    return tuple(compiled)


def read_catalogue(reader: Reader = bundled_reader) -> Catalogue:
    """Read, check and compile a catalogue (uncached).

    Raises:
        RulesError: The rule files are broken; every problem is listed with file and pointer.
    """
    header, issues = read_rule_file(reader, CATALOGUE_FILE, CatalogueFile)
    if header is None:
        raise RulesError(issues)
    types, problems = read_rule_file(reader, header.answer_types, AnswerTypesFile)
    issues += problems
    steps: list[tuple[str, StepFile]] = []
    for ref in header.steps:
        step, problems = read_rule_file(reader, ref.file, StepFile)
        issues += problems
        if step is not None:
            if step.step != ref.id:
                issues.append(
                    rule_issue(
                        "rules.step-mismatch",
                        ref.file,
                        "/step",
                        f"the catalogue lists this file as {ref.id}, it says {step.step}",
                    )
                )
            steps.append((ref.file, step))
    contradictions, problems = read_rule_file(reader, header.contradictions, ContradictionsFile)
    issues += problems
    if issues or types is None or contradictions is None:
        raise RulesError(issues)
    return _build(header, types, steps, contradictions)


def _build(
    header: CatalogueFile,
    types: AnswerTypesFile,
    steps: list[tuple[str, StepFile]],
    contradictions: ContradictionsFile,
) -> Catalogue:
    b = Builder(header)
    answer_types = _answer_types(b, types, steps)
    subjects: dict[str, Subject] = {}
    tri = _tri_state(types)
    bindings = header.bindings
    for file, step in steps:
        for index, q in enumerate(step.questions):
            if q.id in subjects:
                b.issue(
                    "rules.duplicate-id",
                    file,
                    ("questions", index, "id"),
                    f"duplicate question id {q.id!r}",
                )
            answer = answer_types[q.id]
            if answer is None and q.id in (bindings.present, bindings.fully_recycled):
                answer = tri
            subjects[q.id] = Subject(q.per_material, answer)
    categories = {c.id for c in header.categories}
    questions: dict[str, QuestionRule] = {}
    step_rules: list[StepRule] = []
    for file, step in steps:
        b.sources(step.sources, file, ())
        step_rules.append(StepRule(step.step, step.title, step.weight, step.sources, file))
        for index, q in enumerate(step.questions):
            questions[q.id] = _question(b, file, step.step, index, q, subjects, categories)
    compiled = _contradictions(b, header.contradictions, contradictions, subjects)
    levels = compile_levels(b, subjects)
    check_policies(b, subjects)
    if b.issues:
        raise RulesError(b.issues)
    blanks: dict[str, Value] = {}
    signals: dict[tuple[str, bool], dict[str, frozenset[str]]] = {}
    for qid, rule in questions.items():
        if rule.answer is None:
            continue
        if rule.required and rule.answer.blank is not None:
            blanks[qid] = rule.answer.blank
        signalling = {v: o.signals for v, o in rule.answer.options.items() if o.signals}
        if signalling:
            signals[(qid, rule.per_material)] = signalling
    files = (CATALOGUE_FILE, header.answer_types, *(f for f, _ in steps), header.contradictions)
    return Catalogue(
        id=header.id,
        version=header.version,
        title=header.title,
        effective_from=date.fromisoformat(header.effective_from),
        status=header.status,
        references={r.key: r for r in header.references},
        steps=tuple(step_rules),
        questions=questions,
        contradictions=compiled,
        categories=header.categories,
        category_weights=(header.category_score["specific"], header.category_score["system"]),
        category_sources=header.category_score_sources,
        evidence=header.evidence,
        levels=levels,
        critical_gate=header.critical_gate,
        processor_status_credit=header.processor_status_credit,
        risk=header.risk,
        confidence=header.confidence,
        placeholders=frozenset(p.lower() for p in header.placeholders),
        annex_x=header.annex_x_materials,
        recycler_roles=frozenset(r.value for r in header.pure_recycler_roles),
        bindings=bindings,
        blanks=blanks,
        signals=signals,
        files=files,
    )


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The bundled catalogue (read and compiled once per process)."""
    return read_catalogue(bundled_reader)
