"""Layer 2: the published JSON Schema (draft 2020-12), with readable, located messages.

The schema file is read from the bundled ``schemas/`` directory, so this layer gives exactly the
verdict a supplier's own JSON Schema tooling gives. ``jsonschema`` messages are rewritten for
people: one issue per unknown field with a "did you mean" hint, the pointer of a missing field
itself, the failing branch of ``anyOf``/``oneOf`` instead of "is not valid under any of the given
schemas", and unit-aware wording for quantities. Codes keep jsonschema's keyword spelling
(``schema.required``, ``schema.additionalProperties`` ...).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from pydantic.alias_generators import to_camel

from compliance.errors import (
    Issue,
    Layer,
    Severity,
    join_pointer,
    pointer_from_path,
    split_pointer,
)
from compliance.models.common import country_suggestions
from compliance.models.labels import humanize
from compliance.models.submission import SUBMISSION_SCHEMA_VERSION
from compliance.resources import load_json_resource
from compliance.units import Dimension

__all__ = ["SUBMISSION_SCHEMA_PATH", "schema_issues", "submission_validator"]

SUBMISSION_SCHEMA_PATH = f"schemas/supplier-submission/{SUBMISSION_SCHEMA_VERSION}/schema.json"

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}
_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "null": "null",
}


@lru_cache(maxsize=1)
def submission_validator() -> Draft202012Validator:
    """The validator of the published supplier-submission schema (built once)."""
    schema = load_json_resource(SUBMISSION_SCHEMA_PATH)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _schema(error: SchemaError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _keyword_value(error: SchemaError) -> Any:
    return error.validator_value


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    """JSON spelling of a value, shortened for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _expected_types(schema_type: Any) -> str:
    types = schema_type if isinstance(schema_type, list) else [schema_type]
    return " or ".join(_TYPE_NAMES.get(t, str(t)) for t in types)


def _issue(error: SchemaError, message: str, *, pointer: str | None = None, **ctx: Any) -> Issue:
    return Issue(
        code=f"schema.{error.validator}",
        pointer=pointer if pointer is not None else pointer_from_path(error.absolute_path),
        message=message,
        severity=Severity.ERROR,
        layer=Layer.SCHEMA,
        context=ctx,
    )


def _hint(word: str, options: Iterable[str]) -> list[str]:
    options = list(options)
    camel = to_camel(word)
    if camel in options:
        return [camel]
    lowered = {o.lower(): o for o in options}
    if word.lower() in lowered:
        return [lowered[word.lower()]]
    return difflib.get_close_matches(word, options, n=2, cutoff=0.6)


def _did_you_mean(hints: list[str]) -> str:
    return f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""


def _unknown_fields(error: SchemaError) -> Iterator[Issue]:
    allowed = list(_schema(error).get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    base = pointer_from_path(error.absolute_path)
    for key in instance:
        if key in allowed:
            continue
        hints = _hint(key, allowed)
        yield _issue(
            error,
            f"unknown field {key!r}{_did_you_mean(hints)}",
            pointer=join_pointer(base, key),
            field=key,
            suggestions=hints,
        )


def _quantity_message(error: SchemaError) -> str:
    schema = _schema(error)
    dims = schema.get("x-dimension")
    names = dims if isinstance(dims, list) else [dims]
    known = [d for d in Dimension if d.value[0] in names]
    label = " or ".join(d.label for d in known) or "quantity"
    unit = known[0].canonical_unit if known else "kg"
    value = error.instance
    if isinstance(value, str) and value.strip().startswith("-"):
        return f"{_short(value)}: this quantity cannot be negative"
    return (
        f"{_short(value)} is not a quantity ({label}); expected '<number> <unit>' such as "
        f'\'12.5 {unit}\' or {{"value": 12.5, "unit": "{unit}"}}'
    )


def _message(error: SchemaError) -> str:
    keyword = error.validator
    value = error.instance
    schema = _schema(error)
    if keyword == "type":
        if "x-dimension" in schema:
            return _quantity_message(error)
        expected = _expected_types(_keyword_value(error))
        return f"expected {expected}, got {_json_type(value)} ({_short(value)})"
    if keyword == "pattern":
        if "x-dimension" in schema:
            return _quantity_message(error)
        if _keyword_value(error) == r"\S":
            return "must not be blank"
        if schema.get("format") == "date":
            return f"{_short(value)} is not a date written YYYY-MM-DD"
        return f"{_short(value)} does not match the expected form {_keyword_value(error)}"
    if keyword == "enum":
        options = [str(o) for o in _keyword_value(error)]
        if len(options) > 12:
            hints = (
                country_suggestions(value)
                if isinstance(value, str) and "ISO 3166" in schema.get("description", "")
                else _hint(str(value), options)
            )
            return f"{_short(value)} is not an allowed value{_did_you_mean(hints)}"
        hints = _hint(str(value), options) if isinstance(value, str) else []
        allowed = ", ".join(repr(o) for o in options)
        return f"{_short(value)} is not one of {allowed}{_did_you_mean(hints)}"
    if keyword == "const":
        if list(error.absolute_path) == ["schemaVersion"]:
            return (
                f"unsupported schema version {_short(value)}; this engine reads "
                f"{_keyword_value(error)!r}"
            )
        return f"expected {_keyword_value(error)!r}, got {_short(value)}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        relation = "less than" if "inimum" in keyword else "greater than"
        note = ""
        if keyword == "maximum" and _keyword_value(error) == 1 and isinstance(value, (int, float)):
            note = " (shares are fractions between 0 and 1, not percentages)"
        if keyword == "minimum" and _keyword_value(error) == 0:
            return f"{_short(value)} is negative; the value must be 0 or more"
        return f"{_short(value)} is {relation} the limit {_keyword_value(error)}{note}"
    if keyword == "minLength":
        return "must not be empty"
    if keyword == "maxLength":
        return f"is longer than {_keyword_value(error)} characters"
    if keyword == "format":
        if _keyword_value(error) == "date":
            return f"{_short(value)} is not a calendar date written YYYY-MM-DD"
        return f"{_short(value)} is not a valid {_keyword_value(error)}"
    if keyword == "minItems":
        return f"needs at least {_keyword_value(error)} item(s)"
    return str(error.message)


def _branch_score(errors: list[SchemaError], base: list[Any]) -> tuple[int, int]:
    """Lower is better: (does the branch reject the instance outright?, number of errors)."""
    rejects = 0
    for err in errors:
        path = list(err.absolute_path)
        at_base = path == base
        at_child = len(path) == len(base) + 1 and path[: len(base)] == base
        if (at_base and err.validator == "type") or (at_child and err.validator == "const"):
            rejects = 1
    return rejects, len(errors)


def _best_branch(error: SchemaError) -> list[SchemaError]:
    branches: dict[int, list[SchemaError]] = {}
    for sub in error.context or ():
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    if not branches:
        return []
    base = list(error.absolute_path)
    best = min(sorted(branches), key=lambda index: _branch_score(branches[index], base))
    return branches[best]


def _convert(error: SchemaError) -> Iterator[Issue]:
    if error.validator in ("anyOf", "oneOf"):
        branch = _best_branch(error)
        if branch:
            for sub in branch:
                yield from _convert(sub)
            return
    if error.validator == "additionalProperties":
        yield from _unknown_fields(error)
        return
    if error.validator == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = [name for name in _keyword_value(error) if name not in instance]
        base = pointer_from_path(error.absolute_path)
        for name in missing:
            yield _issue(
                error,
                f"missing required field {name!r} ({humanize(name)})",
                pointer=join_pointer(base, name),
                field=name,
            )
        return
    yield _issue(error, _message(error))


def _root_errors(validator: Draft202012Validator, data: Any) -> Iterator[SchemaError]:
    """Errors of the top-level object only (type, required, unknown keys)."""
    root = validator.schema
    assert isinstance(root, dict)
    shallow = {
        key: root[key] for key in ("type", "required", "additionalProperties") if key in root
    }
    shallow["properties"] = dict.fromkeys(root.get("properties", {}), True)
    yield from validator.descend(data, shallow)


def _errors_near(
    validator: Draft202012Validator, data: Any, pointers: Iterable[str]
) -> Iterator[SchemaError]:
    """Schema errors in the top-level members (and list items) that contain ``pointers``.

    Sound because the models are at least as strict as the schema subtree by subtree: where the
    models found nothing, the schema finds nothing either (the differential test checks this).
    """
    yield from _root_errors(validator, data)
    if not isinstance(data, dict):
        return
    root = validator.schema
    assert isinstance(root, dict)
    targets: dict[str, set[int] | None] = {}
    for pointer in pointers:
        tokens = split_pointer(pointer)
        if len(tokens) < 2 or tokens[0] not in data:
            if tokens and tokens[0] in data:
                targets[tokens[0]] = None  # the member itself is wrong: check all of it
            continue
        key, index = tokens[0], tokens[1]
        current = targets.get(key, set())
        if current is not None and isinstance(data[key], list) and index.isdigit():
            targets[key] = current | {int(index)}
        else:
            targets[key] = None
    properties = root.get("properties", {})
    for key, indices in targets.items():
        schema = properties.get(key)
        if schema is None:
            continue
        if indices is None or "items" not in schema:
            yield from validator.descend(data[key], schema, path=key)
            continue
        for position in sorted(indices):
            if position < len(data[key]):
                items = schema["items"]
                for error in validator.descend(data[key][position], items, path=position):
                    error.path.appendleft(key)
                    yield error


def schema_issues(
    data: Any,
    validator: Draft202012Validator | None = None,
    *,
    near: Iterable[str] | None = None,
) -> list[Issue]:
    """Schema findings for ``data``, one per location.

    An empty string breaks both ``minLength`` and the non-blank ``pattern``; the first keyword
    in schema order speaks for the location.

    Args:
        data: The parsed document.
        validator: Defaults to the published supplier-submission schema.
        near: Only check the top-level members and list items containing these pointers (the
            locations the models rejected); ``None`` checks the whole document.
    """
    validator = validator or submission_validator()
    errors = validator.iter_errors(data) if near is None else _errors_near(validator, data, near)
    seen: set[str] = set()
    issues: list[Issue] = []
    for error in errors:
        for issue in _convert(error):
            if issue.pointer not in seen:
                seen.add(issue.pointer)
                issues.append(issue)
    return issues
