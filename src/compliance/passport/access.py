"""Views of a passport per access level (Regulation (EU) 2023/1542 Art. 77(2), Annex XIII).

* public: point 1 only;
* persons with a legitimate interest: points 1, 2 and 4 (Art. 77(2)(c));
* notified bodies, market surveillance authorities and the Commission: points 1, 2 and 3
  (Art. 77(2)(b)).

Every field of the passport document, the header included, has an access group in
``rules/passport/annex-xiii.yaml`` (``fields``), and ``access_groups`` says which levels read each
group. :func:`view` removes (sets to ``None``) every field the level may not read, so the battery
status (4(c)) and the predecessor links never reach a public view, export or sheet. Our own
extension (due-diligence scores) is never public. A test checks that the table covers every
field of the document; a property test that no value of a field a level may not see ever
appears in that level's view, exports or sheets.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel

from compliance.passport.annex import load_annex
from compliance.passport.model import AccessLevel, Passport

__all__ = ["HIDDEN", "SECTIONS", "VISIBLE", "hidden_from", "is_hidden", "view"]


def _field_name(model: type[BaseModel], wire: str) -> str:
    """The attribute of ``model`` whose wire name (alias) is ``wire``."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == wire:
            return name
    raise KeyError(f"{model.__name__} has no field {wire!r}")


@cache
def _restricted() -> dict[str, frozenset[AccessLevel]]:
    """Pointer -> the levels that read it, for every field some level may not read."""
    table = load_annex()
    everyone = frozenset(level for level in AccessLevel if level is not AccessLevel.FULL)
    out = {}
    for entry in table.fields:
        readers = frozenset(AccessLevel(level) for level in table.access_groups[entry.access])
        if readers != everyone:
            out[entry.pointer] = readers
    return out


@cache
def hidden_from(level: AccessLevel) -> tuple[str, ...]:
    """JSON Pointers (wire names) of the fields ``level`` may not read (none for ``full``)."""
    if level is AccessLevel.FULL:
        return ()
    return tuple(p for p, readers in _restricted().items() if level not in readers)


HIDDEN = {level: hidden_from(level) for level in AccessLevel}
"""Level -> pointers of the fields it may not read."""
VISIBLE: dict[AccessLevel, frozenset[str]] = {
    level: frozenset(_restricted()) - frozenset(HIDDEN[level]) for level in AccessLevel
}
"""Level -> pointers of the restricted fields it may read."""
SECTIONS = tuple(
    _field_name(Passport, pointer[1:]) for pointer in _restricted() if pointer.count("/") == 1
)
"""Attribute names of the restricted top-level sections of the passport."""


def is_hidden(passport: Passport, pointer: str) -> bool:
    """Whether the field at ``pointer`` (or a field holding it) is withheld from this view.

    >>> is_hidden(Passport.model_construct(view=AccessLevel.PUBLIC), "/individual/status")
    True
    """
    hidden = hidden_from(passport.view)
    return any(pointer == p or pointer.startswith(p + "/") for p in hidden)


def _without(model: BaseModel, path: tuple[str, ...]) -> BaseModel:
    """``model`` with the field at ``path`` (wire names) set to ``None``."""
    name = _field_name(type(model), path[0])
    if len(path) == 1:
        return model.model_copy(update={name: None})
    inner = getattr(model, name)
    if inner is None:
        return model
    return model.model_copy(update={name: _without(inner, path[1:])})


def view(passport: Passport, level: AccessLevel) -> Passport:
    """The passport as ``level`` may see it (every field it may not read is removed)."""
    shown: BaseModel = passport.model_copy(update={"view": level})
    for pointer in hidden_from(level):
        shown = _without(shown, tuple(pointer.split("/")[1:]))
    assert isinstance(shown, Passport)
    return shown
