"""Report kinds: the extension point that maps a kind name to its template and view model.

A report kind is a template plus a pure *view-model builder* that selects (never computes)
what the template shows from one input object, the attachments embedded in the PDF, and the
default creation time (from the input's provenance, so two renders are identical). The kinds are
``cfp`` (:mod:`~compliance.reports.cfp`), ``dd`` (:mod:`~compliance.reports.dd`) and ``passport``
(:mod:`~compliance.reports.passport`). Adding a kind:

1. write ``templates/<kind>.html`` extending ``base.html`` (strings marked with ``_()``);
2. write ``compliance/reports/<kind>.py`` with its input dataclass, ``build_<kind>_view`` and a
   ``ReportKind`` instance;
3. register it in :data:`compliance.reports.registry.REPORT_KINDS` and drop it from
   ``PENDING_KINDS``; run ``scripts/update_catalogs.py`` and translate the new Japanese entries;
4. add the command-line step that reads FILE and computes the input with the library to
   ``compliance.cli.report_inputs.INPUT_BUILDERS``.

The PDF pipeline (fonts, PDF/A-3b, attachments, URL fetcher), the HTML output, the language and
format handling and the exit codes need no change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

__all__ = ["Attachment", "ReportKind", "SourceDocument"]

InputT = TypeVar("InputT")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file embedded in the PDF (PDF/A-3 associated file)."""

    name: str
    data: bytes
    description: str
    relationship: str = "Data"
    """PDF 2.0 AFRelationship: ``Data`` (the data the document shows), ``Source``, ..."""


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """The input document a report was produced from, identified by the SHA-256 of its bytes.

    Only the digest: a report never prints a path or file name of the machine that rendered it,
    so the same input rendered from two places gives the same bytes (issue 13).
    """

    sha256: str


@dataclass(frozen=True, slots=True)
class ReportKind(Generic[InputT]):
    """One kind of report.

    Attributes:
        name: The ``--kind`` value.
        title: Short English description (CLI help).
        template: Template file under ``templates/``.
        input_type: The class of the input object.
        build_view: Input -> template context (selection only; formatting happens in filters).
        attachments: Input -> files embedded in the PDF.
        generated_at: Input -> default creation time (provenance, never the clock).
    """

    name: str
    title: str
    template: str
    input_type: type[InputT]
    build_view: Callable[[InputT], Mapping[str, Any]]
    attachments: Callable[[InputT], Sequence[Attachment]]
    generated_at: Callable[[InputT], datetime]
