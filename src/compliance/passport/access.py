"""Views of a passport per access level (Regulation (EU) 2023/1542 Art. 77(2), Annex XIII).

* public: point 1 only;
* persons with a legitimate interest: points 1, 2 and 4 (Art. 77(2)(c));
* notified bodies, market surveillance authorities and the Commission: points 1, 2 and 3
  (Art. 77(2)(b)).

Our own extension (due-diligence scores) is never public. One function, :func:`view`, produces
every view; a property test checks that no value of a section a level may not see ever appears
in that level's serialised view.
"""

from __future__ import annotations

from compliance.passport.model import AccessLevel, Passport

__all__ = ["SECTIONS", "VISIBLE", "view"]

SECTIONS = ("legitimate_interest", "authorities", "individual", "extensions")
"""Sections below the public one (the header and ``public`` are visible to every level)."""

VISIBLE: dict[AccessLevel, frozenset[str]] = {
    AccessLevel.PUBLIC: frozenset(),
    AccessLevel.LEGITIMATE_INTEREST: frozenset({"legitimate_interest", "individual", "extensions"}),
    AccessLevel.AUTHORITY: frozenset({"legitimate_interest", "authorities", "extensions"}),
    AccessLevel.FULL: frozenset(SECTIONS),
}
"""Non-public sections each level may see."""


def view(passport: Passport, level: AccessLevel) -> Passport:
    """The passport as ``level`` may see it (sections it may not see are removed)."""
    hidden = {name: None for name in SECTIONS if name not in VISIBLE[level]}
    return passport.model_copy(update={**hidden, "view": level})
