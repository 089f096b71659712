"""The QR code data carrier (Art. 77(3), Art. 13(6)) as SVG or PNG bytes, via segno."""

from __future__ import annotations

import io

import segno

__all__ = ["qr_png", "qr_svg"]


def qr_svg(text: str, *, title: str | None = None) -> bytes:
    """SVG of a QR code (error correction M, quiet zone 4) encoding ``text``."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="svg", scale=4, title=title)
    return buffer.getvalue()


def qr_png(text: str) -> bytes:
    """PNG of a QR code (error correction M, quiet zone 4) encoding ``text``."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=8)
    return buffer.getvalue()
