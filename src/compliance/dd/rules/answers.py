"""Answer types: reading an answer value into its canonical form, and its credit.

A question's answer type is the catalogue type (``rules/dd/answer-types.yaml``) with the
question's adjustments merged in (per-option credit, favourable options, the options of a
``multi`` question, number bands). Choices are matched case-insensitively, with ``_`` and spaces
read as ``-`` (``"Not_assessed"`` is ``not-assessed``); RMI band strings are accepted for
percentages and read as their lower bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from compliance.dd.engine.context import Value
from compliance.models.dd_rules import AnswerKind, AnswerSpec, AnswerTypeDef

__all__ = ["NOT_APPLICABLE", "AnswerType", "Option", "ValueProblem", "build_answer_type", "canon"]

NOT_APPLICABLE = "not-applicable"
_SEPARATORS = re.compile(r"[\s_]+")
_NA_SPELLINGS = frozenset({"n/a", "na", "not-applicable", "n-a", "none-applicable"})
_CHOICE, _MULTI, _PERCENT = AnswerKind.CHOICE, AnswerKind.MULTI, AnswerKind.PERCENT
"""Module constants: reading an enum member off its class costs a metaclass look-up each time."""


def canon(text: str) -> str:
    """Canonical spelling of a choice.

    >>> canon(" Not_Assessed ")
    'not-assessed'
    >>> canon("Greater than  90%")
    'greater-than-90%'
    """
    return _SEPARATORS.sub("-", text.strip().lower())


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a choice."""

    credit: float | None
    favourable: bool
    rank: int
    signals: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ValueProblem:
    """Why a value does not fit the answer type (becomes a ``dd.*`` issue)."""

    code: str
    message: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AnswerType:
    """The compiled answer type of one question."""

    name: str
    kind: AnswerKind
    options: dict[str, Option]
    ordered: bool
    blank: Value | None
    bands: dict[str, float]
    multi_options: tuple[str, ...]
    required_options: frozenset[str]
    number_bands: tuple[tuple[float, float], ...]
    """(minimum, credit), highest minimum first."""
    allow_not_applicable: bool
    lookup: dict[str, str]
    """Canonical spelling of each option -> the option as written in the catalogue."""

    def read(self, raw: Any) -> Value | ValueProblem:
        """Canonical value of a raw answer, or the problem with it."""
        if self.kind is _CHOICE:
            return self._read_choice(raw)
        if self.kind is _MULTI:
            return self._read_multi(raw)
        return self._read_number(raw)

    def _read_choice(self, raw: Any) -> Value | ValueProblem:
        if not isinstance(raw, str):
            return ValueProblem(
                "dd.answer-type", f"expected one of {self._choices()}, got {_describe(raw)}"
            )
        if raw in self.options and (raw != NOT_APPLICABLE or self.allow_not_applicable):
            return raw
        value = canon(raw)
        value = self.lookup.get(value, value)
        if value in _NA_SPELLINGS and not self.allow_not_applicable:
            return ValueProblem(
                "dd.not-applicable-not-allowed",
                f"{raw!r}: this question cannot be answered 'not applicable'; choose one of "
                f"{self._choices()}",
            )
        if value == NOT_APPLICABLE and self.allow_not_applicable:
            return value
        if value not in self.options:
            hints = tuple(get_close_matches(value, list(self.options), n=2, cutoff=0.6))
            hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
            return ValueProblem(
                "dd.unknown-option", f"{raw!r} is not one of {self._choices()}{hint}", hints
            )
        return value

    def _choices(self) -> str:
        shown = [v for v in self.options if v != NOT_APPLICABLE or self.allow_not_applicable]
        return ", ".join(repr(v) for v in shown)

    def _read_multi(self, raw: Any) -> Value | ValueProblem:
        if not isinstance(raw, list) or not all(isinstance(i, str) for i in raw):
            return ValueProblem(
                "dd.answer-type", f"expected a list of options, got {_describe(raw)}"
            )
        values = [i if i in self.required_options else canon(i) for i in raw]
        unknown = [i for i in values if i not in self.multi_options]
        if unknown:
            return ValueProblem(
                "dd.unknown-option",
                f"{', '.join(repr(u) for u in unknown)}: not an option; options are "
                + ", ".join(self.multi_options),
            )
        return frozenset(values)

    def _read_number(self, raw: Any) -> Value | ValueProblem:
        if isinstance(raw, str) and self.kind is _PERCENT:
            band = self.bands.get(canon(raw))
            if band is not None:
                return band
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            expected = "a percentage 0-100" if self.kind is _PERCENT else "a number"
            return ValueProblem("dd.answer-type", f"expected {expected}, got {_describe(raw)}")
        value = float(raw)
        if self.kind is _PERCENT and not 0 <= value <= 100:
            return ValueProblem("dd.answer-out-of-range", f"{value:g} % is outside 0-100 %")
        if value < 0:
            return ValueProblem("dd.answer-out-of-range", f"{value:g} is negative")
        return value

    def credit(self, value: Value) -> float | None:
        """Credit v in [0, 1] before the evidence factor; ``None`` leaves the question out."""
        if self.kind is _CHOICE:
            assert isinstance(value, str)
            option = self.options.get(value)
            return option.credit if option else None
        if self.kind is _MULTI:
            assert isinstance(value, frozenset)
            return len(value & self.required_options) / len(self.required_options)
        assert isinstance(value, float)
        if self.kind is _PERCENT:
            return value / 100.0
        for minimum, credit in self.number_bands:
            if value >= minimum:
                return credit
        return 0.0

    def judge(self, value: Value) -> tuple[float | None, bool]:
        """Credit and favourability in one look-up (the scorer's hot path)."""
        if self.kind is _CHOICE:
            option = self.options.get(value) if isinstance(value, str) else None
            if option is None:
                return None, False
            return option.credit, option.favourable
        credit = self.credit(value)
        return credit, credit is not None and credit > 0

    def favourable(self, value: Value) -> bool:
        """Is the value a claim in the supplier's favour (needing evidence)?"""
        if self.kind is _CHOICE:
            option = self.options.get(str(value))
            return bool(option and option.favourable)
        credit = self.credit(value)
        return credit is not None and credit > 0


def _describe(raw: Any) -> str:
    kind = {str: "a string", list: "a list", bool: "a boolean", float: "a number", int: "a number"}
    return f"{kind.get(type(raw), type(raw).__name__)} ({raw!r})"


def build_answer_type(name: str, definition: AnswerTypeDef, spec: AnswerSpec) -> AnswerType:
    """Merge a catalogue type with a question's adjustments.

    Raises:
        ValueError: The adjustments name options the type does not have.
    """
    options: dict[str, Option] = {}
    for rank, option in enumerate(definition.options):
        credit = spec.credit.get(option.value, option.credit)
        favourable = option.favourable
        if spec.favourable is not None:
            favourable = option.value in spec.favourable
        options[option.value] = Option(credit, favourable, rank, frozenset(option.signals))
    unknown = (set(spec.credit) | set(spec.favourable or ())) - set(options)
    if unknown:
        raise ValueError(f"type {name!r} has no option(s) {sorted(unknown)}")
    if definition.kind is AnswerKind.MULTI and not spec.options:
        raise ValueError("a multi question lists its 'options'")
    required = frozenset(spec.required_options or spec.options)
    if not required <= set(spec.options):
        raise ValueError(f"required_options not among the options: {sorted(required)}")
    if definition.kind is AnswerKind.NUMBER and not spec.bands:
        raise ValueError("a number question lists its credit 'bands'")
    if spec.allow_not_applicable and NOT_APPLICABLE not in options:
        raise ValueError(f"type {name!r} has no 'not-applicable' option")
    blank = definition.blank
    if isinstance(blank, bool):
        raise ValueError("blank cannot be a boolean")
    blank_value: Value | None
    if definition.kind is AnswerKind.MULTI:
        blank_value = frozenset()
    elif isinstance(blank, (int, float)):
        blank_value = float(blank)
    else:
        blank_value = blank
    return AnswerType(
        name=name,
        kind=definition.kind,
        options=options,
        ordered=definition.ordered,
        blank=blank_value,
        bands={canon(k): float(v) for k, v in definition.bands.items()},
        multi_options=tuple(spec.options),
        required_options=required,
        number_bands=tuple(sorted(((b.min, b.credit) for b in spec.bands), reverse=True)),
        allow_not_applicable=spec.allow_not_applicable,
        lookup={canon(value): value for value in options},
    )
