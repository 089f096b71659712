"""Render a web page: the reports' Jinja2 environment, their stylesheet, the pages' own layout.

The pages are server-rendered from ``templates/web/`` with the environment of
:func:`compliance.reports.html.environment` (autoescaping, ``StrictUndefined``, the gettext
catalogues of ``en`` and ``ja``, the number, date and unit filters), so a page shows a value
exactly as the PDF report does, in the same words. ``report.css`` is inlined as in the reports'
HTML output, with ``web.css`` (screen layout, navigation, forms) after it; no script, no build.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compliance._version import __version__
from compliance.reports.html import environment, stylesheet

__all__ = ["LANGUAGES", "render_page"]

LANGUAGES = ("en", "ja")
"""Languages of the pages (those of the report catalogues)."""


def render_page(template: str, context: Mapping[str, Any], *, language: str) -> str:
    """The HTML of ``templates/web/<template>`` in ``language``.

    ``context`` must give what the template and ``web/base.html`` use (``nav``: the navigation
    of the signed-in user or ``None``; ``path``: the page's path, for the language links).
    """
    page = environment(language).get_template(f"web/{template}")
    return page.render(
        {
            **context,
            "lang": language,
            "engine_version": __version__,
            "report_css": stylesheet("report.css"),
            "web_css": stylesheet("web.css"),
        }
    )
