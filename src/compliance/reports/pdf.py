"""HTML -> PDF/A-3b with WeasyPrint: bundled assets only, embedded fonts, attached data.

* **Assets.** The document's base URL is :data:`ASSET_BASE`, a name under the reserved
  ``.invalid`` domain that can never resolve. :class:`BundledAssetFetcher` serves URLs under it
  from ``templates/assets/`` through :mod:`compliance.resources` and refuses every other URL
  (``http:``, ``file:``, ``data:`` ...) by raising a fatal fetching error, so a report never
  touches the network or the file system and rendering stops instead of silently dropping a
  resource. A missing bundled file (a font) stops it too: no tofu boxes.
* **Fonts.** ``pdf.css`` declares the bundled fonts; WeasyPrint embeds subsets of them
  (HarfBuzz subsetting). One :class:`PdfRenderer` keeps one ``FontConfiguration``, the colour
  profiles and the parsed stylesheet, so fonts are registered once per process and reused.
* **PDF/A-3b.** ``pdf_variant="pdf/a-3b"`` with XMP metadata and the bundled sRGB2014 profile
  as output intent (declared in ``pdf.css``: WeasyPrint's own ``srgb`` intent leaves its ICC file
  open, a ResourceWarning on every render); title, language
  and creation date come from the HTML (``<title>``, ``<html lang>``, ``dcterms.created``), which
  the templates fill from the result's provenance. Attachments are PDF/A-3 associated files
  with ``AFRelationship`` (e.g. ``Data``) and fixed dates. The file identifier is a digest of the
  content, so two renders of the same input in one environment are byte-identical.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, Attachment, URLFetcher
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcherResponse

from compliance.errors import ResourceError
from compliance.reports import kinds
from compliance.reports.errors import ReportAssetError
from compliance.resources import read_resource_bytes

__all__ = [
    "ASSET_BASE",
    "OUTPUT_INTENT",
    "PDF_VARIANT",
    "STYLESHEETS",
    "AssetRefusedError",
    "BundledAssetFetcher",
    "PdfRenderer",
    "default_renderer",
]

ASSET_BASE = "https://assets.compliance.invalid/"
"""Base URL of the bundled assets (never resolved: :class:`BundledAssetFetcher` serves it)."""

ASSET_DIR = "templates/assets/"
PDF_VARIANT = "pdf/a-3b"
STYLESHEETS = ("pdf.css",)
"""PDF-only stylesheet (fonts, output intent), parsed once per renderer; report.css and print.css
are inlined by the templates as author styles, shared with the HTML output."""
OUTPUT_INTENT = "--report-srgb"
"""The ``@color-profile`` of pdf.css used as PDF/A output intent (sRGB2014)."""


class AssetRefusedError(FatalURLFetchingError):  # type: ignore[misc]
    """WeasyPrint asked for a URL outside the bundle, or a bundled file is missing."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class BundledAssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves ``templates/assets/`` under :data:`ASSET_BASE`; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return a bundled asset, or raise :class:`AssetRefusedError`."""
        if not url.startswith(ASSET_BASE):
            raise AssetRefusedError(url, "refused: reports load only bundled assets")
        parts = urlsplit(url)
        relative = unquote(parts.path).lstrip("/")
        if parts.query or parts.fragment or not relative:
            raise AssetRefusedError(url, "refused: not a bundled asset path")
        try:
            data = read_resource_bytes(ASSET_DIR + relative)
        except ResourceError as exc:
            raise AssetRefusedError(url, f"bundled asset missing ({exc.reason})") from None
        mime = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})


@dataclass
class PdfRenderer:
    """Renders HTML to PDF/A-3b, reusing one font configuration and the parsed stylesheets.

    One renderer per process (a process pool gives each worker its own); WeasyPrint's font
    configuration is not meant to be shared between threads.
    """

    fetcher: BundledAssetFetcher = field(default_factory=BundledAssetFetcher)
    font_config: Any = field(default_factory=FontConfiguration)
    color_profiles: dict[str, Any] = field(default_factory=dict)
    _stylesheets: list[Any] | None = None

    def stylesheets(self) -> list[Any]:
        """The PDF stylesheets, parsed (and their fonts registered) on first use.

        Raises:
            ReportAssetError: A stylesheet or font is missing from the bundle.
        """
        if self._stylesheets is None:
            try:
                self._stylesheets = [
                    CSS(
                        url=ASSET_BASE + name,
                        url_fetcher=self.fetcher,
                        font_config=self.font_config,
                        color_profiles=self.color_profiles,
                    )
                    for name in STYLESHEETS
                ]
            except AssetRefusedError as exc:
                raise ReportAssetError(exc.url, exc.reason) from None
        return self._stylesheets

    def layout(self, html: str) -> Any:
        """Lay ``html`` out into pages (a WeasyPrint ``Document``; tests inspect its boxes).

        Raises:
            ReportAssetError: The document asked for a non-bundled URL, or an asset is missing.
        """
        stylesheets = self.stylesheets()
        try:
            document = HTML(string=html, base_url=ASSET_BASE, url_fetcher=self.fetcher)
            return document.render(
                font_config=self.font_config,
                color_profiles=self.color_profiles,
                stylesheets=stylesheets,
                output_intent=OUTPUT_INTENT,
            )
        except AssetRefusedError as exc:
            raise ReportAssetError(exc.url, exc.reason) from None

    def render(
        self, html: str, *, attachments: Sequence[kinds.Attachment], created: datetime
    ) -> bytes:
        """The PDF/A-3b bytes of ``html`` with ``attachments`` embedded.

        Args:
            html: A complete document (title, lang and dcterms.created set by the template).
            attachments: Files to embed, dated ``created``.
            created: Creation time of the document and its attachments.

        Raises:
            ReportAssetError: The document asked for a non-bundled URL, or an asset is missing.
        """
        document = self.layout(html)
        files = [
            Attachment(
                string=item.data,
                name=item.name,
                description=item.description,
                created=created,
                modified=created,
                relationship=item.relationship,
            )
            for item in attachments
        ]
        try:
            pdf: bytes = document.write_pdf(
                pdf_variant=PDF_VARIANT,
                output_intent=OUTPUT_INTENT,
                attachments=files,
                finisher=_finish,
            )
        except AssetRefusedError as exc:
            raise ReportAssetError(exc.url, exc.reason) from None
        return pdf


def _finish(document: Any, pdf: Any) -> None:
    """WeasyPrint's finisher hook: fix what it writes before the file is serialised."""
    _list_associated_files_once(document, pdf)
    _embed_color_profiles_as_bundled(document, pdf)


def _embed_color_profiles_as_bundled(document: Any, pdf: Any) -> None:
    """Embed each bundled ICC profile byte for byte as it ships (``templates/assets/``).

    WeasyPrint writes ``PIL.ImageCms.ImageCmsProfile.tobytes()``, which LittleCMS re-serialises,
    with other bytes, once the profile's description has been read; the renderer keeps its
    parsed profiles, so from the second report of a process on the output intent changed and the
    same input gave other bytes. The bundled file is the profile the PDF/A output intent names.
    """
    streams = {obj.reference: obj for obj in pdf.objects if hasattr(obj, "stream")}
    for profile in document.color_profiles.values():
        stream = streams.get(profile.pdf_reference)
        if stream is not None and profile.src.startswith(ASSET_BASE):
            stream.stream = [read_resource_bytes(ASSET_DIR + profile.src[len(ASSET_BASE) :])]


def _list_associated_files_once(document: Any, pdf: Any) -> None:
    """Keep each attachment once in the catalog's ``/AF`` array (PDF/A-3 associated files).

    WeasyPrint 70's PDF/A step adds every attachment twice, once from the ``EmbeddedFiles``
    name tree and once from its file specification object (``weasyprint/pdf/pdfa.py``).
    """
    listed = pdf.catalog.get("AF")
    if listed is not None:
        unique = list(dict.fromkeys(listed))  # references: equal when they name one object
        listed.clear()
        listed.extend(unique)


@lru_cache(maxsize=1)
def default_renderer() -> PdfRenderer:
    """The process-wide renderer (fonts registered once, reused by every report)."""
    return PdfRenderer()
