"""Checks of a structurally valid questionnaire against the catalogue and the scoring date.

Each finding is a located :class:`~compliance.errors.Issue` (``dd.*`` codes, JSON Pointers into
the document). :func:`check_questionnaire` also returns the answers read into their canonical
values (:class:`ResolvedAnswer`), which the scorer uses; answers with problems are left out.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches
from operator import attrgetter
from types import MappingProxyType

from compliance.dd.engine.context import Key, Value
from compliance.dd.engine.scoring import plan_for
from compliance.dd.rules.answers import NOT_APPLICABLE, ValueProblem
from compliance.dd.rules.catalogue import Catalogue
from compliance.errors import Issue, Layer, Severity
from compliance.models.dd_rules import AnswerKind
from compliance.models.questionnaire import (
    Answer,
    DdQuestionnaire,
    Material,
    Mine,
    Processor,
    YesNoUnknown,
)

__all__ = ["CatalogueCheck", "ResolvedAnswer", "catalogue_check", "check_questionnaire"]


@dataclass(slots=True)
class ResolvedAnswer:
    """An answer read into its canonical value."""

    key: Key
    value: Value
    answer: Answer
    index: int
    """Position in /answers (for pointers and traces)."""
    evidence: tuple[str, ...]
    """The answer's evidence references (``answer.evidence``, read once here)."""


@dataclass(frozen=True, slots=True)
class CatalogueCheck:
    """The catalogue checks of one questionnaire: what they found and the answers they read.

    Validation runs the checks; the scorer reuses them when they ran on the same questionnaire
    object with the same catalogue object and scoring date (the models are frozen, so the
    findings cannot go stale), and runs them itself otherwise. A validated questionnaire is
    therefore not checked twice.
    """

    questionnaire: DdQuestionnaire
    catalogue: Catalogue
    as_of: date
    issues: tuple[Issue, ...]
    """Findings, unlocated (JSON Pointers only)."""
    resolved: Mapping[Key, ResolvedAnswer]
    """The valid answers keyed by (question, material), read-only."""

    def applies_to(self, q: DdQuestionnaire, catalogue: Catalogue, as_of: date) -> bool:
        """Whether these checks ran on ``q`` with ``catalogue`` on ``as_of``."""
        return self.questionnaire is q and self.catalogue is catalogue and self.as_of == as_of


def catalogue_check(q: DdQuestionnaire, catalogue: Catalogue, as_of: date) -> CatalogueCheck:
    """Run :func:`check_questionnaire` and keep what it found with what it ran on."""
    issues, resolved = check_questionnaire(q, catalogue, as_of)
    return CatalogueCheck(q, catalogue, as_of, tuple(issues), MappingProxyType(resolved))


def _error(code: str, pointer: str, message: str, **context: object) -> Issue:
    return Issue(code, pointer, message, Severity.ERROR, Layer.SEMANTIC, context=context)


def _warning(code: str, pointer: str, message: str, **context: object) -> Issue:
    return Issue(code, pointer, message, Severity.WARNING, Layer.SEMANTIC, context=context)


def _hint(word: str, options: list[str]) -> str:
    hints = get_close_matches(word, options, n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""


def _dates(q: DdQuestionnaire, as_of: date) -> Iterator[Issue]:
    header = q.header
    if header.effective_date > as_of:
        yield _error(
            "dd.date-in-future",
            "/header/effectiveDate",
            f"the effective date {header.effective_date} is after the scoring date {as_of}",
        )
    period = header.reporting_period
    if period is not None:
        if period.end < period.start:
            yield _error(
                "dd.period-order", "/header/reportingPeriod", "the period ends before it starts"
            )
        if period.end > as_of:
            yield _error(
                "dd.date-in-future",
                "/header/reportingPeriod/end",
                f"the reporting period ends after the scoring date {as_of}",
            )
    seen: set[str] = set()
    for index, item in enumerate(q.evidence):
        where = f"/evidence/{index}"
        if item.id in seen:
            yield _error("dd.duplicate-id", f"{where}/id", f"evidence id {item.id!r} used twice")
        seen.add(item.id)
        if item.issued and item.issued > as_of:
            yield _error(
                "dd.date-in-future",
                f"{where}/issued",
                f"the issue date {item.issued} is after the scoring date {as_of}",
            )
        if item.issued and item.valid_until and item.valid_until < item.issued:
            yield _error(
                "dd.evidence-dates",
                f"{where}/validUntil",
                "valid until a date before it was issued",
            )


def _references(q: DdQuestionnaire, evidence: set[str]) -> Generator[Issue, None, None]:
    declared: dict[Material, YesNoUnknown] = {}
    for index, item in enumerate(q.materials):
        if item.material in declared:
            yield _error(
                "dd.duplicate-material",
                f"/materials/{index}/material",
                f"{item.material.value} is declared twice",
            )
        declared[item.material] = item.present
        yield from _evidence_refs(item.evidence, f"/materials/{index}/evidence", evidence)
        if item.present is YesNoUnknown.NO:
            details = [
                name
                for name, value in (
                    ("forms", item.forms),
                    ("recycledSharePct", item.recycled_share_pct),
                    ("fullyRecycled", item.fully_recycled),
                )
                if value
            ]
            if details:
                yield _error(
                    "dd.absent-material-details",
                    f"/materials/{index}/{details[0]}",
                    f"{item.material.value} is declared absent but has {', '.join(details)}",
                )
    processor_ids = yield from _row_checks("processors", q.processors, declared)
    yield from _row_checks("mines", q.mines, declared)
    if {m.processor for m in q.mines} - processor_ids - {None}:
        for index, mine in enumerate(q.mines):
            if mine.processor is not None and mine.processor not in processor_ids:
                yield _error(
                    "dd.unknown-processor",
                    f"/mines/{index}/processor",
                    f"no processor with id {mine.processor!r}"
                    + _hint(mine.processor, sorted(processor_ids)),
                )


_ID = attrgetter("id")
_MATERIAL = attrgetter("material")


def _row_checks(
    kind: str, rows: Sequence[Processor | Mine], declared: Mapping[Material, YesNoUnknown]
) -> Generator[Issue, None, set[str]]:
    """Undeclared materials and duplicate ids in /processors or /mines; returns the ids.

    The common case (nothing to report) is decided with set operations over C-level column
    reads; the rows are walked one
    by one only to locate what is wrong.
    """
    listed = list(map(_ID, rows))
    ids = set(listed)
    ids.discard(None)
    if (
        len(ids) == len(listed) - listed.count(None)
        and set(map(_MATERIAL, rows)) <= declared.keys()
    ):
        return ids
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.material not in declared:
            yield _error(
                "dd.material-not-declared",
                f"/{kind}/{index}/material",
                f"{row.material.value} is not declared in /materials",
            )
        if row.id is not None:
            if row.id in seen:
                yield _error("dd.duplicate-id", f"/{kind}/{index}/id", f"id {row.id!r} twice")
            seen.add(row.id)
    return ids


def _evidence_refs(refs: tuple[str, ...], where: str, known: set[str]) -> Iterator[Issue]:
    for j, ref in enumerate(refs):
        if ref not in known:
            yield _error(
                "dd.unknown-evidence",
                f"{where}/{j}",
                f"evidence {ref!r} is not in the evidence register" + _hint(ref, sorted(known)),
                evidence=ref,
            )


def _answer(
    answer: Answer,
    index: int,
    catalogue: Catalogue,
    declared: dict[Material, YesNoUnknown],
    as_of: date,
) -> tuple[list[Issue], Value | None]:
    where = f"/answers/{index}"
    rule = catalogue.questions.get(answer.question)
    if rule is None:
        hint = _hint(answer.question, list(catalogue.questions))
        return [
            _error(
                "dd.unknown-question",
                f"{where}/question",
                f"{answer.question!r} is not a question of catalogue {catalogue.version}{hint}",
            )
        ], None
    if rule.answer is None or not rule.scored:
        return [
            _error(
                "dd.question-not-answerable",
                f"{where}/question",
                f"{rule.id} is answered in {rule.answered_in or 'the document'}, not in /answers",
            )
        ], None
    issues: list[Issue] = []
    if rule.weight_on(as_of) is None:
        issues.append(
            _warning(
                "dd.question-not-in-force",
                f"{where}/question",
                f"{rule.id} is not in force on {as_of}; the answer is ignored",
            )
        )
        return issues, None
    if answer.material is not None:
        if not rule.per_material:
            issues.append(
                _error(
                    "dd.material-not-allowed",
                    f"{where}/material",
                    f"{rule.id} is answered once for the company, not per material",
                )
            )
        elif answer.material not in declared:
            issues.append(
                _error(
                    "dd.material-not-declared",
                    f"{where}/material",
                    f"{answer.material.value} is not declared in /materials",
                )
            )
        elif declared[answer.material] is YesNoUnknown.NO:
            issues.append(
                _error(
                    "dd.material-not-in-scope",
                    f"{where}/material",
                    f"{answer.material.value} is declared absent (present: 'no'); answer only "
                    "for materials present or unknown",
                )
            )
    value = rule.answer.read(answer.value)
    if isinstance(value, ValueProblem):
        issues.append(
            _error(value.code, f"{where}/value", value.message, suggestions=list(value.suggestions))
        )
        return issues, None
    if (
        rule.answer.kind is AnswerKind.PERCENT
        and isinstance(value, float)
        and 0 < value <= 1
        and isinstance(answer.value, float)
    ):
        issues.append(
            _warning(
                "dd.percent-fraction",
                f"{where}/value",
                f"{value:g} is read as {value:g} %, not {value * 100:g} %: percentages are 0-100",
            )
        )
    if value == NOT_APPLICABLE and answer.comment is None:
        issues.append(
            _error(
                "dd.justification-missing",
                f"{where}/comment",
                "'not-applicable' needs a justification in 'comment'",
            )
        )
    if any(i.severity is Severity.ERROR for i in issues):
        return issues, None
    return issues, value


_ANSWER_FIELDS = attrgetter("question", "material", "value", "evidence")


def check_questionnaire(
    q: DdQuestionnaire, catalogue: Catalogue, as_of: date
) -> tuple[list[Issue], dict[Key, ResolvedAnswer]]:
    """Findings about the questionnaire, and its valid answers keyed by (question, material)."""
    issues = list(_dates(q, as_of))
    evidence = {item.id for item in q.evidence}
    issues += _references(q, evidence)
    declared = {m.material: m.present for m in q.materials}
    in_scope = {m for m, present in declared.items() if present is not YesNoUnknown.NO}
    answerable = plan_for(catalogue, as_of).answerable
    resolved: dict[Key, ResolvedAnswer] = {}
    for index, answer in enumerate(q.answers):
        question, material, raw, refs = _ANSWER_FIELDS(answer)
        found = answerable.get(question)
        value: Value | ValueProblem | None = None
        if found is not None and (material is None or (found[1] and material in in_scope)):
            # the common case, nothing to report: read the value and go on
            value = found[0].read(raw)
            if (
                isinstance(value, ValueProblem)
                or value == NOT_APPLICABLE
                or (isinstance(value, float) and 0 < value <= 1)
            ):
                value = None
        if value is None or isinstance(value, ValueProblem):
            problems, value = _answer(answer, index, catalogue, declared, as_of)
            issues += problems
        if not evidence.issuperset(refs):
            issues += _evidence_refs(refs, f"/answers/{index}/evidence", evidence)
        if value is None:
            continue
        key: Key = (question, material)
        if key in resolved:
            first = resolved[key].index
            label = f"{answer.question}" + (
                f" ({answer.material.value})" if answer.material else ""
            )
            issues.append(
                _error(
                    "dd.duplicate-answer",
                    f"/answers/{index}",
                    f"{label} is already answered at /answers/{first}",
                )
            )
            continue
        resolved[key] = ResolvedAnswer(key, value, answer, index, refs)
    return issues, resolved
