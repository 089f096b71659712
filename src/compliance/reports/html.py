"""The Jinja2 environment of the reports and HTML rendering.

One :class:`~jinja2.Environment` per report language (cached): templates are read only through
:mod:`compliance.resources`; ``StrictUndefined`` makes a missing variable an error; autoescaping
is on for every template (all are ``*.html``, and ``default=True`` covers any other name), so
every supplier string is escaped; ``trim_blocks``/``lstrip_blocks`` keep the output tidy; the
i18n extension takes its messages from the language's gettext catalogue
(:mod:`compliance.reports.i18n`) and the formatting filters from :mod:`compliance.reports.filters`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from compliance.errors import ResourceError
from compliance.reports.charts import Bar, bar_chart, score_chart
from compliance.reports.filters import format_number, make_filters
from compliance.reports.i18n import babel_locale, check_language, load_translations
from compliance.resources import read_resource_text

__all__ = ["CHART_FONTS", "TEMPLATE_DIR", "environment", "render_html", "stylesheet"]

TEMPLATE_DIR = "templates"

CHART_FONTS = {
    "en": '"Report Sans", "Report Gothic JA", "DejaVu Sans", sans-serif',
    "ja": '"Report Gothic JA", "IPAexGothic", sans-serif',
}
"""Font families of SVG chart texts (SVG does not inherit the page's CSS), as in report.css."""


def _template_source(name: str) -> str:
    try:
        return read_resource_text(f"{TEMPLATE_DIR}/{name}")
    except ResourceError:
        raise TemplateNotFound(name) from None


@lru_cache(maxsize=8)
def stylesheet(name: str) -> Markup:
    """A bundled stylesheet from ``templates/assets/`` as trusted markup (for ``<style>``)."""
    return Markup(read_resource_text(f"{TEMPLATE_DIR}/assets/{name}"))


@lru_cache(maxsize=4)
def environment(language: str) -> Environment:
    """The template environment of one report language (cached)."""
    check_language(language)
    locale = babel_locale(language)
    env = Environment(
        loader=FunctionLoader(_template_source),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(load_translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(make_filters(locale))
    fonts = CHART_FONTS[language]

    def chart(
        items: Iterable[tuple[str, float]],
        labels: Mapping[str, str],
        *,
        title: str,
        caption: str,
    ) -> Markup:
        bars = [Bar(labels[key], value, format_number(value, locale)) for key, value in items]
        return bar_chart(bars, title=title, caption=caption, font_family=fonts)

    def scores(
        items: Iterable[tuple[str, float]],
        labels: Mapping[str, str],
        *,
        title: str,
        caption: str,
    ) -> Markup:
        bars = [
            Bar(labels.get(key, key), value, format_number(value, locale)) for key, value in items
        ]
        return score_chart(bars, title=title, caption=caption, font_family=fonts)

    env.globals.update(lang=language, bar_chart=chart, score_chart=scores)
    return env


def render_html(template: str, context: Mapping[str, Any], *, language: str) -> str:
    """Render ``template`` with ``context`` in ``language``; returns the HTML document."""
    return environment(language).get_template(template).render(context)
