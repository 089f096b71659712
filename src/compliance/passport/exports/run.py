"""``ExportRun``: one export of a passport view, and the memo of its model-level sections.

A run writes the payloads aspect by aspect and records the deviations as it goes. Most sections
read only model-level content (composition, performance, labels ...; :mod:`..battery_model`),
which passports of one battery model repeat: :meth:`ExportRun.model_section` memoises them on
the model key and hands back their JSON, so a run over a passport of a known model writes only
its per-battery sections (identifiers, dates, state of health) as Python objects.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import orjson

from compliance.passport.battery_model import model_key, model_level
from compliance.passport.canonical import compact
from compliance.passport.exports.deviations import Deviation, DeviationKind, shared_deviation
from compliance.passport.exports.result import ExportResult
from compliance.passport.model import Passport

__all__ = ["ExportRun"]

_Entry = tuple[orjson.Fragment | None, bytes, tuple[Deviation, ...], str]
_SECTIONS: dict[tuple[Any, ...], _Entry] = {}
"""(section, arguments, aspect, run class, run parameters, model key) -> (the section's JSON as a
fragment, or ``None`` for a missing section; its JSON; its deviations; the aspect after it).
Cleared when full."""
_SECTIONS_LIMIT = 256


class ExportRun(ABC):
    """One export run over a passport view: the aspect being written and its deviations."""

    def __init__(self, passport: Passport, aspect: str = "") -> None:
        self.p = passport
        self.aspect = aspect
        self.deviations: list[Deviation] = []
        self.fragments = True
        """Whether :meth:`model_section` may hand back JSON fragments (else fresh objects)."""
        self._memo_key: tuple[Any, ...] | None = None

    def parameters(self) -> tuple[Any, ...]:
        """What the run's output depends on besides the passport (hashable)."""
        return ()

    @abstractmethod
    def payloads(self) -> dict[str, Any]:
        """Aspect name -> payload (values may be fragments from :meth:`model_section`)."""

    def result(self, format: str) -> ExportResult:
        """Run the export: its payloads (kept as JSON) and deviations."""
        aspect = self.aspect
        identifier, view = self.p.passport_identifier, self.p.view.value
        try:
            text = orjson.dumps(self.payloads())
        except orjson.JSONEncodeError:  # not JSON (a lone surrogate): the plain objects
            plain = copy.copy(self)
            plain.aspect, plain.deviations, plain.fragments = aspect, [], False
            payloads = plain.payloads()
            return ExportResult(format, identifier, view, payloads, tuple(plain.deviations))
        return ExportResult.from_json(format, identifier, view, text, tuple(self.deviations))

    def model_section(self, section: Callable[..., Any], *args: str | None) -> Any:
        """``section(self, *args)`` for a section that reads only model-level content.

        Memoised on the model key (:func:`~compliance.passport.battery_model.model_key`), the
        section, its arguments, the current aspect and :meth:`parameters`: the section runs on
        the passport without its per-battery fields
        (:func:`~compliance.passport.battery_model.model_level`), and the memo keeps its JSON,
        deviations and final aspect. A hit gives the JSON as a fragment (or a fresh copy when
        :attr:`fragments` is off); a value that JSON does not give back exactly is computed
        every time.
        """
        run_key = self._memo_key
        if run_key is None:
            key = model_key(self.p)
            if key is None:
                return section(self, *args)
            run_key = self._memo_key = (type(self), self.parameters(), key)
        memo_key = (section, args, self.aspect, *run_key)
        entry = _SECTIONS.get(memo_key)
        if entry is None:
            entry = self._store(memo_key, section, args)
            if entry is None:
                return section(self, *args)
        fragment, text, deviations, self.aspect = entry
        self.deviations += deviations
        if self.fragments:
            return fragment
        return orjson.loads(text)

    def _store(
        self, memo_key: tuple[Any, ...], section: Callable[..., Any], args: tuple[Any, ...]
    ) -> _Entry | None:
        run = copy.copy(self)
        run.p, run.deviations, run._memo_key = model_level(self.p), [], None
        value = section(run, *args)
        try:
            text = compact(orjson.dumps(value))
        except orjson.JSONEncodeError:
            return None
        if orjson.loads(text) != value:  # not exactly JSON (a tuple, a NaN ...)
            return None
        if len(_SECTIONS) >= _SECTIONS_LIMIT:
            _SECTIONS.clear()
        entry = (
            None if value is None else orjson.Fragment(text),
            text,
            tuple(run.deviations),
            run.aspect,
        )
        _SECTIONS[(*memo_key[:-1], compact(memo_key[-1]))] = entry
        return entry

    def missing(self, pointer: str, reason: str, kind: DeviationKind | None = None) -> None:
        """Record a deviation (by default: required upstream, not declared)."""
        self.deviations.append(
            shared_deviation(self.aspect, pointer, kind or DeviationKind.NOT_DECLARED, reason)
        )

    def withheld(self, pointer: str, point: str) -> None:
        """Record data of Annex XIII ``point`` the view's access level may not see."""
        self.missing(
            pointer,
            f"Annex XIII {point} data is not visible at access level {self.p.view.value}",
            DeviationKind.WITHHELD,
        )
