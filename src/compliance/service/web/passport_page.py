"""The public passport page (Art. 77(3)): what a phone shows after scanning the QR code.

The QR code of a passport encodes its public URL, built by
:func:`compliance.passport.identifiers.public_url` (``<base>/passports/<passport id>``) or, for a
battery with a GTIN and a GS1 serial, the GS1 Digital Link URI of
:func:`compliance.passport.identifiers.gs1_digital_link` (``<base>/01/<GTIN-14>/21/<serial>``).
The service answers both paths with the **public view only** (Annex XIII point 1, taken by
:func:`compliance.passport.access.view` before anything is formatted), as HTML for a browser (this
module) or as JSON for a machine (``Accept``; :mod:`compliance.service.routes.passports`), in
English or Japanese.
"""

from __future__ import annotations

from datetime import date

from compliance.passport.integrity import PassportDocument
from compliance.passport.model import AccessLevel
from compliance.reports.passport import build_passport_view, sheet_input
from compliance.service.web.rendering import render_page

__all__ = ["public_page"]


def public_page(
    document: PassportDocument, *, language: str, as_of: date, path: str, json_href: str
) -> str:
    """The HTML page of the public view of ``document`` in ``language``."""
    data = sheet_input(document, AccessLevel.PUBLIC, as_of=as_of)
    context = {**build_passport_view(data), "nav": None, "path": path, "json_href": json_href}
    return render_page("passport.html", context, language=language)
