"""``compliance rules lint``: check rule files and their cross-references.

Loading the catalogue and tables already refuses broken files (schema, duplicate keys and ids,
unknown references). Lint reports those, and adds one named check per softer invariant:
question weights add up to the step weight, every category has a question of its own, every
answer type is used, every chemistry is mapped, and translations name existing questions and
cover all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from compliance.dd.rules.catalogue import CROSS_CUTTING, Catalogue, dated_value
from compliance.dd.rules.compiler import read_catalogue
from compliance.dd.rules.loader import Reader, RulesError, read_rule_file, rule_issue
from compliance.dd.rules.references import ReferenceTables, read_reference_tables
from compliance.errors import Issue, Severity
from compliance.models.battery import Chemistry
from compliance.models.dd_rules import AnswerTypesFile
from compliance.models.dd_tables import TranslationsFile

__all__ = ["CHECKS", "lint_rules"]

Check = Callable[[Catalogue, ReferenceTables, Reader], Iterator[Issue]]


def _warning(code: str, file: str, pointer: str, message: str) -> Issue:
    return rule_issue(code, file, pointer, message, Severity.WARNING)


def check_step_weights(
    catalogue: Catalogue, tables: ReferenceTables, reader: Reader
) -> Iterator[Issue]:
    """Question weights of a step add up to the step's weight (dd-methodology 6.6)."""
    on = catalogue.effective_from
    for step in catalogue.steps:
        weight = dated_value(step.weight, on) or 0.0
        total = sum(
            q.weight_on(on) or 0.0 for q in catalogue.questions.values() if q.step == step.id
        )
        if abs(total - weight) > 1e-9:
            yield _warning(
                "rules.weight-sum",
                step.file,
                "/weight",
                f"question weights of {step.id} add up to {total:g}, the step weight is {weight:g}",
            )


def check_categories_used(
    catalogue: Catalogue, tables: ReferenceTables, reader: Reader
) -> Iterator[Issue]:
    """Every category has at least one question tagged with it."""
    used = {t for q in catalogue.questions.values() for t in q.tags if t != CROSS_CUTTING}
    for index, category in enumerate(catalogue.categories):
        if category.id not in used:
            yield _warning(
                "rules.unused",
                "catalogue.yaml",
                f"/categories/{index}",
                f"no question is tagged {category.id}: its score is the system score only",
            )


def check_answer_types_used(
    catalogue: Catalogue, tables: ReferenceTables, reader: Reader
) -> Iterator[Issue]:
    """Every answer type is used by a question."""
    file = catalogue.files[1]
    types, _ = read_rule_file(reader, file, AnswerTypesFile)
    if types is None:
        return
    used = {q.answer.name for q in catalogue.questions.values() if q.answer is not None}
    for name in types.types:
        if name not in used:
            yield _warning("rules.unused", file, f"/types/{name}", f"answer type {name} is unused")


def check_chemistries(
    catalogue: Catalogue, tables: ReferenceTables, reader: Reader
) -> Iterator[Issue]:
    """Every cell chemistry of the submission model is in the chemistry table."""
    for chemistry in Chemistry:
        if chemistry not in tables.chemistry.chemistries:
            yield _warning(
                "rules.unmapped",
                "tables/chemistry-materials.yaml",
                "/chemistries",
                f"chemistry {chemistry.value} is not mapped",
            )


CHECKS: tuple[Check, ...] = (
    check_step_weights,
    check_categories_used,
    check_answer_types_used,
    check_chemistries,
)
"""The lint checks, in order."""


def _translations(catalogue: Catalogue, reader: Reader, files: Sequence[str]) -> Iterator[Issue]:
    for file in files:
        found, issues = read_rule_file(reader, file, TranslationsFile)
        yield from issues
        if found is None:
            continue
        for qid in found.questions:
            if qid not in catalogue.questions:
                yield rule_issue(
                    "rules.translation-unknown-question",
                    file,
                    f"/questions/{qid}",
                    f"{qid} is not a question of the catalogue",
                )
        missing = [q for q in catalogue.questions if q not in found.questions]
        if missing:
            yield _warning(
                "rules.translation-missing",
                file,
                "/questions",
                f"no {found.language} wording for {', '.join(missing)}",
            )
        if found.catalogue_version != catalogue.version:
            yield _warning(
                "rules.translation-version",
                file,
                "/catalogue_version",
                f"translated from catalogue {found.catalogue_version}, current {catalogue.version}",
            )


def lint_rules(reader: Reader, translation_files: Sequence[str] = ()) -> list[Issue]:
    """Every problem of a rule pack (errors refuse loading; warnings are advice)."""
    issues: list[Issue] = []
    try:
        catalogue = read_catalogue(reader)
    except RulesError as exc:
        issues += exc.issues
        catalogue = None
    try:
        tables = read_reference_tables(reader)
    except RulesError as exc:
        issues += exc.issues
        tables = None
    if catalogue is None or tables is None:
        return issues
    for check in CHECKS:
        issues += check(catalogue, tables, reader)
    issues += _translations(catalogue, reader, translation_files)
    return issues
