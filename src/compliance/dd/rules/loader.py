"""Read rule files: YAML text -> checked models, with located issues (file, line, pointer).

Every rule file goes through the same layers as a supplier document: the safe parser
(duplicate keys, aliases, YAML 1.2 scalars, dates kept as strings), the published ruleset schema
(``schemas/ruleset/1.0.0/schema.json``), then the pydantic models of
:mod:`compliance.models.dd_rules`. Problems are collected, never raised one by one; the caller
gets them all in one :class:`RulesError`. Bundled files are read through
:func:`compliance.resources.read_resource_text`; callers may pass another ``reader`` (a rule pack
in development, a test's in-memory files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any, TypeVar

from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError

from compliance.errors import ComplianceError, Issue, Layer, Severity
from compliance.models.dd_tables import RuleFile
from compliance.resources import load_json_resource, read_resource_text
from compliance.validation.locating import locate_issues
from compliance.validation.model_layer import model_issues
from compliance.validation.parsing import DocumentFormat, parse_document
from compliance.validation.schema_layer import schema_issues

__all__ = [
    "RULESET_SCHEMA_PATH",
    "RULES_ROOT",
    "Reader",
    "RulesError",
    "bundled_reader",
    "parse_rule_text",
    "read_rule_file",
    "rule_issue",
    "ruleset_validator",
]

RULES_ROOT = "rules/dd"
RULESET_SCHEMA_PATH = "schemas/ruleset/1.0.0/schema.json"

Reader = Callable[[str], str]
"""Returns the text of a rule file given its path relative to ``rules/dd``."""

M = TypeVar("M")

_ADAPTER: TypeAdapter[Any] = TypeAdapter(RuleFile)


class RulesError(ComplianceError, ValueError):
    """Rule files are broken: they cannot be loaded (the issues say where and why)."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = tuple(issues)
        first = self.issues[0] if self.issues else None
        where = f" ({first.context.get('file')}: {first.message})" if first else ""
        super().__init__(f"{len(self.issues)} problem(s) in the rule files{where}")


def bundled_reader(relative: str) -> str:
    """Read a bundled rule file (``rules/dd/<relative>``)."""
    return read_resource_text(f"{RULES_ROOT}/{relative}")


@lru_cache(maxsize=1)
def ruleset_validator() -> Draft202012Validator:
    """Validator of the published ruleset schema (built once)."""
    return Draft202012Validator(load_json_resource(RULESET_SCHEMA_PATH))


def rule_issue(
    code: str, file: str, pointer: str, message: str, severity: Severity = Severity.ERROR
) -> Issue:
    """An issue about a rule file."""
    return Issue(code, pointer, message, severity, Layer.RULE, context={"file": file})


def _in_file(issues: Iterable[Issue], file: str) -> list[Issue]:
    return [replace(i, context={**i.context, "file": file}) for i in issues]


def parse_rule_text(text: str, file: str) -> tuple[Any | None, list[Issue]]:
    """Parse and check one rule file; returns the model (``None`` if broken) and issues."""
    parsed = parse_document(text.encode("utf-8"), name=file, format=DocumentFormat.YAML)
    if not parsed.ok:
        return None, _in_file(parsed.issues, file)
    issues = schema_issues(parsed.data, ruleset_validator())
    if not issues:
        try:
            return _ADAPTER.validate_python(parsed.data), []
        except ValidationError as exc:
            issues = model_issues(exc, parsed.data)
    located = locate_issues(issues, parsed.text, DocumentFormat.YAML)
    return None, _in_file(located, file)


def read_rule_file(reader: Reader, file: str, model: type[M]) -> tuple[M | None, list[Issue]]:
    """Read one rule file expected to hold ``model`` (e.g. ``StepFile``)."""
    try:
        text = reader(file)
    except (ComplianceError, OSError) as exc:
        return None, [rule_issue("rules.unreadable", file, "", f"cannot read the file: {exc}")]
    found, issues = parse_rule_text(text, file)
    if found is None:
        return None, issues
    if not isinstance(found, model):
        kind = getattr(found, "kind", "?")
        return None, [
            rule_issue(
                "rules.wrong-kind",
                file,
                "/kind",
                f"this file holds a {kind!r} file, expected {_kind_name(model)!r}",
            )
        ]
    return found, []


def _kind_name(model: type[Any]) -> str:
    fields = getattr(model, "model_fields", {})
    if "table" in fields:
        return f"reference-table ({fields['table'].annotation.__args__[0]})"
    kind = fields.get("kind")
    return str(kind.annotation.__args__[0]) if kind is not None else model.__name__
