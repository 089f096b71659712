"""Extract the report strings from templates/, update the en and ja catalogues, compile them.

Both the .po (what translators edit) and the .mo (what the package reads) are committed, like
the generated schemas, so an installed wheel needs no compile step. ``--check`` (run in CI and
by tests/contract/test_catalogs_fresh.py) fails when a template string is missing from a
catalogue or a catalogue has strings no template uses, when an entry is untranslated or fuzzy,
or when a .mo does not hold exactly the messages of its .po. The check compares messages, not
bytes, so another Babel version cannot make it fail.

Run: python scripts/update_catalogs.py [--check]
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
LOCALE_DIR = TEMPLATES / "locale"
LANGUAGES = ("en", "ja")
SOURCE_LANGUAGE = "en"
# Must match compliance.reports.html.environment (trimmed messages, new-style gettext).
JINJA_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "newstyle_gettext": "true",
    "trimmed": "true",
}
FIXED_DATE = datetime(2026, 11, 29, tzinfo=UTC)  # header dates: no churn on every run


HEADER = {
    "project": "compliance",
    "copyright_holder": "compliance contributors",
    "msgid_bugs_address": "https://github.com/compliance-engine/compliance/issues",
    "last_translator": "compliance contributors",
    "language_team": "compliance contributors",
}


def extract() -> Catalog:
    """Every message of the templates, in template order."""
    template = Catalog(fuzzy=False, creation_date=FIXED_DATE, **HEADER)
    messages = extract_from_dir(
        str(TEMPLATES),
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": JINJA_OPTIONS},
    )
    for filename, _lineno, message, comments, context in messages:
        template.add(message, None, [(filename, 0)], auto_comments=comments, context=context)
    return template


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, language: str) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def updated(language: str) -> Catalog:
    catalog = read_catalog(po_path(language), language) or Catalog(
        locale=language,
        fuzzy=False,
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        header_comment=f"# {language} messages of the compliance reports (templates/).\n",
        **HEADER,
    )
    template = extract()  # a fresh copy: update() may share message objects
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.revision_date = FIXED_DATE
    if language == SOURCE_LANGUAGE:
        for message in catalog:
            if message.id and not message.string:
                message.string = message.id
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _messages(catalog: Catalog) -> dict[object, object]:
    return {(m.context, m.id): m.string for m in catalog if m.id and not m.fuzzy}


def problems() -> list[str]:
    """What --check reports (empty when the catalogues are fresh and complete)."""
    found = []
    wanted = {(m.context, m.id) for m in extract() if m.id}
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read_catalog(path, language)
        relative = path.relative_to(ROOT)
        if catalog is None:
            found.append(f"{relative}: missing")
            continue
        present = {(m.context, m.id) for m in catalog if m.id}
        for key in sorted(wanted - present, key=str):
            found.append(f"{relative}: missing message {key[1]!r}")
        for key in sorted(present - wanted, key=str):
            found.append(f"{relative}: message no template uses {key[1]!r}")
        for message in catalog:
            if message.id and (message.fuzzy or not message.string):
                found.append(f"{relative}: untranslated or fuzzy {message.id!r}")
        mo = path.with_suffix(".mo")
        if not mo.exists():
            found.append(f"{mo.relative_to(ROOT)}: missing")
            continue
        with mo.open("rb") as handle:
            compiled = read_mo(handle)
        if _messages(compiled) != _messages(catalog):
            found.append(f"{mo.relative_to(ROOT)}: differs from its .po (recompile)")
    return found


def main(check: bool) -> int:
    if check:
        found = problems()
        for line in found:
            print(line)
        if found:
            print("run: python scripts/update_catalogs.py (then translate the new ja entries)")
        return 1 if found else 0
    for language in LANGUAGES:
        catalog = updated(language)
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalog))
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))
        untranslated = sum(1 for m in catalog if m.id and not m.string)
        print(
            f"wrote {path.relative_to(ROOT)} ({len(catalog)} messages, {untranslated} untranslated)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
