"""Render a report: kind + input + language -> PDF/A-3b bytes or an HTML document.

The pipeline is the same for every kind: the kind's view-model builder selects what to show,
the language's template environment formats it (:mod:`compliance.reports.html`), and for PDF
the shared renderer lays it out with the bundled fonts and embeds the kind's attachments
(:mod:`compliance.reports.pdf`). WeasyPrint is imported only for PDF output.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from compliance._version import __version__
from compliance.reports.errors import ReportInputError
from compliance.reports.html import render_html, stylesheet
from compliance.reports.i18n import check_language
from compliance.reports.registry import get_kind

if TYPE_CHECKING:
    from compliance.reports.pdf import PdfRenderer

__all__ = ["OutputFormat", "build_html", "render_report"]


class OutputFormat(StrEnum):
    """Report output formats."""

    PDF = "pdf"
    HTML = "html"


def build_html(
    kind_name: str, data: object, *, language: str, generated_at: datetime | None = None
) -> tuple[str, datetime]:
    """The report's HTML document (styles inlined, self-contained) and its creation time.

    Raises:
        UnknownReportKindError: No such kind (or not available yet).
        UnsupportedLanguageError: No catalogue for ``language``.
        ReportInputError: ``data`` is not the kind's input, or its parts do not belong together.
    """
    kind = get_kind(kind_name)
    check_language(language)
    if not isinstance(data, kind.input_type):
        raise ReportInputError(
            f"a {kind.name!r} report needs a {kind.input_type.__name__}, "
            f"not a {type(data).__name__}"
        )
    created = generated_at or kind.generated_at(data)
    context: dict[str, Any] = {
        **kind.build_view(data),
        "lang": language,
        "generated_at": created,
        "engine_version": __version__,
        "report_css": stylesheet("report.css"),
        "print_css": stylesheet("print.css"),
    }
    return render_html(kind.template, context, language=language), created


def render_report(
    kind_name: str,
    data: object,
    *,
    language: str,
    output_format: OutputFormat = OutputFormat.PDF,
    generated_at: datetime | None = None,
    renderer: PdfRenderer | None = None,
) -> bytes:
    """Render one report.

    Args:
        kind_name: Report kind (``cfp``; see :data:`compliance.reports.registry.REPORT_KINDS`).
        data: The kind's input object (e.g. :class:`~compliance.reports.cfp.CfpReportInput`).
        language: ``en`` or ``ja``.
        output_format: PDF/A-3b or a self-contained HTML document (UTF-8).
        generated_at: Creation time for the metadata; defaults to the input's provenance
            (for CFP: midnight UTC of the calculation date), never the clock.
        renderer: PDF renderer to use (default: the process-wide one, fonts loaded once).

    Raises:
        UnknownReportKindError, UnsupportedLanguageError, ReportInputError: See :func:`build_html`.
        ReportAssetError: A bundled asset is missing or a non-bundled URL was requested.
    """
    html, created = build_html(kind_name, data, language=language, generated_at=generated_at)
    if output_format is OutputFormat.HTML:
        return html.encode("utf-8")
    from compliance.reports.pdf import default_renderer

    kind = get_kind(kind_name)
    return (renderer or default_renderer()).render(
        html, attachments=kind.attachments(data), created=created
    )
