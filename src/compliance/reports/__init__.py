"""Reports: CFP declaration, DD audit report and passport sheet as PDF/A-3b or HTML.

An edge package (needs the ``pdf`` extra: WeasyPrint, Jinja2, Babel). Reports *format* results;
they never compute compliance values::

    from compliance.reports import CfpReportInput, render_report

    pdf = render_report("cfp", CfpReportInput(submission, result, ruleset), language="ja")

Modules: :mod:`~compliance.reports.kinds` (the extension point for new report kinds),
:mod:`~compliance.reports.registry`, :mod:`~compliance.reports.cfp`, :mod:`~compliance.reports.dd`
and :mod:`~compliance.reports.passport` (the view models of the three kinds),
:mod:`~compliance.reports.qr` (the passport's QR code as whitelisted inline SVG),
:mod:`~compliance.reports.html` (Jinja2), :mod:`~compliance.reports.filters` (all number, date
and unit formatting), :mod:`~compliance.reports.charts` (SVG), :mod:`~compliance.reports.i18n`
(gettext catalogues), :mod:`~compliance.reports.pdf` (WeasyPrint) and
:mod:`~compliance.reports.render` (the pipeline).
"""

from compliance.reports.cfp import CfpReportInput
from compliance.reports.dd import DdReportInput
from compliance.reports.errors import (
    ReportAssetError,
    ReportError,
    ReportInputError,
    UnknownReportKindError,
    UnsupportedLanguageError,
)
from compliance.reports.i18n import SUPPORTED_LANGUAGES, check_language
from compliance.reports.kinds import SourceDocument
from compliance.reports.passport import PassportSheetInput, SealInfo, sheet_input
from compliance.reports.registry import PENDING_KINDS, REPORT_KINDS, get_kind
from compliance.reports.render import OutputFormat, build_html, render_report

__all__ = [
    "PENDING_KINDS",
    "REPORT_KINDS",
    "SUPPORTED_LANGUAGES",
    "CfpReportInput",
    "DdReportInput",
    "OutputFormat",
    "PassportSheetInput",
    "ReportAssetError",
    "ReportError",
    "ReportInputError",
    "SealInfo",
    "SourceDocument",
    "UnknownReportKindError",
    "UnsupportedLanguageError",
    "build_html",
    "check_language",
    "get_kind",
    "render_report",
    "sheet_input",
]
