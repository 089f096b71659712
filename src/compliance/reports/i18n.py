"""Languages of the reports and their gettext message catalogues (Babel).

Template strings are English message ids marked with ``_()`` / ``{% trans %}``; each language has
a catalogue in ``templates/locale/<lang>/LC_MESSAGES/messages.po``, compiled to ``messages.mo``
next to it by ``scripts/update_catalogs.py`` (both committed; ``--check`` in CI fails when a
template string is missing from a catalogue, a Japanese entry is untranslated or fuzzy, or a
``.mo`` differs from its ``.po``). Catalogues are read through :mod:`compliance.resources`, so a
wheel needs no compilation step at install time.
"""

from __future__ import annotations

import io
from functools import lru_cache

from babel import Locale
from babel.support import Translations

from compliance.errors import ResourceError
from compliance.reports.errors import UnsupportedLanguageError
from compliance.resources import read_resource_bytes

__all__ = [
    "CATALOG_DIR",
    "DOMAIN",
    "SUPPORTED_LANGUAGES",
    "babel_locale",
    "check_language",
    "load_translations",
]

SUPPORTED_LANGUAGES = ("en", "ja")
"""Report languages (``--lang``); each has a compiled catalogue."""

DOMAIN = "messages"
CATALOG_DIR = "templates/locale"

# Formatting locale per report language: British English for the EU declaration (day month
# year), Japanese (Japan) for the METI audience.
_FORMAT_LOCALES = {"en": "en_GB", "ja": "ja_JP"}


def check_language(language: str) -> str:
    """Return ``language`` if reports can be written in it.

    Raises:
        UnsupportedLanguageError: No catalogue exists for it.
    """
    if language not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguageError(language, SUPPORTED_LANGUAGES)
    return language


@lru_cache(maxsize=len(SUPPORTED_LANGUAGES))
def babel_locale(language: str) -> Locale:
    """The Babel locale that formats numbers, dates and units for ``language``."""
    return Locale.parse(_FORMAT_LOCALES[check_language(language)])


@lru_cache(maxsize=len(SUPPORTED_LANGUAGES))
def load_translations(language: str) -> Translations:
    """The compiled catalogue of ``language`` (cached).

    Raises:
        UnsupportedLanguageError: Unknown language.
        ResourceError: The bundled ``.mo`` file is missing (broken installation).
    """
    check_language(language)
    path = f"{CATALOG_DIR}/{language}/LC_MESSAGES/{DOMAIN}.mo"
    data = read_resource_bytes(path)
    if not data:
        raise ResourceError(path, "empty message catalogue")
    return Translations(io.BytesIO(data), domain=DOMAIN)
