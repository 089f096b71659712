"""The passport's QR code (Art. 77(3)) as inline SVG that is safe to put in a report.

:func:`compliance.passport.qr.qr_svg` (segno) writes the data carrier; the reports embed that
markup inline (the URL fetcher refuses ``data:`` URLs, and inline SVG is vector in the PDF too).
Even though it is our own generated markup, it is not pasted as a string: :func:`inline_svg`
parses it and rebuilds it from a whitelist of elements and attributes (``svg``, ``title``,
``desc`` and ``path`` with geometry and paint only), so no script, link, style or entity can ever
reach the document, and every text is escaped again.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markupsafe import Markup, escape

from compliance.passport.qr import qr_svg

__all__ = ["ALLOWED", "QrMarkupError", "inline_svg", "passport_qr"]

SVG_NS = "http://www.w3.org/2000/svg"
ALLOWED: dict[str, frozenset[str]] = {
    "svg": frozenset({"width", "height", "viewBox", "class"}),
    "title": frozenset(),
    "desc": frozenset(),
    "path": frozenset({"d", "transform", "stroke", "fill", "class", "stroke-width"}),
}
"""Elements kept and, per element, the attributes kept (everything else is refused)."""

_SAFE_VALUE = re.compile(r"^[A-Za-z0-9#.,\s()\-]*$")


class QrMarkupError(ValueError):
    """The QR markup holds something other than the whitelisted drawing."""


def _local(tag: str) -> str:
    if not tag.startswith("{" + SVG_NS + "}"):
        raise QrMarkupError(f"element {tag!r} outside the SVG namespace")
    return tag[len(SVG_NS) + 2 :]


def _element(node: ET.Element) -> str:
    name = _local(node.tag)
    allowed = ALLOWED.get(name)
    if allowed is None:
        raise QrMarkupError(f"element {name!r} is not allowed")
    attributes = []
    for key, value in sorted(node.attrib.items()):
        if key not in allowed or not _SAFE_VALUE.match(value):
            raise QrMarkupError(f"attribute {key}={value!r} of {name!r} is not allowed")
        attributes.append(f' {key}="{escape(value)}"')
    if name == "svg":
        attributes.insert(0, f' xmlns="{SVG_NS}" role="img"')
        if "viewBox" not in node.attrib and {"width", "height"} <= node.attrib.keys():
            # scalable by CSS: the drawing keeps its own coordinates at any displayed size
            box = f"0 0 {node.attrib['width']} {node.attrib['height']}"
            attributes.append(f' viewBox="{escape(box)}"')
    inner = str(escape(node.text or "")) if name in ("title", "desc") else ""
    inner += "".join(_element(child) for child in node)
    return f"<{name}{''.join(attributes)}>{inner}</{name}>"


def inline_svg(data: bytes) -> Markup:
    """Whitelisted, re-serialised ``<svg>`` markup of an SVG document.

    Raises:
        QrMarkupError: Not SVG, or an element or attribute outside :data:`ALLOWED`.
    """
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise QrMarkupError("document type declarations are not allowed")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise QrMarkupError(f"not well-formed: {exc}") from None
    if _local(root.tag) != "svg":
        raise QrMarkupError("the document is not an <svg>")
    return Markup(_element(root))


def passport_qr(url: str) -> Markup:
    """The QR code of a passport's public URL as inline SVG."""
    return inline_svg(qr_svg(url))
