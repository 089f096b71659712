"""Charts as inline SVG, drawn by a small pure function (no JavaScript, no plotting library).

:func:`bar_chart` draws one horizontal bar per item from a common zero line, so a negative value
(the end-of-life credit of a carbon footprint) extends to the *left* of zero at its true scale,
and positive values to the right. Labels arrive translated and numbers already formatted by
:mod:`compliance.reports.filters`; every text is escaped here. The same SVG appears in the PDF
(WeasyPrint's SVG renderer) and in the HTML output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Bar", "bar_chart", "score_chart"]

POSITIVE = "#2f6690"
NEGATIVE = "#6a994e"
AXIS = "#444444"

_ROW = 38.0  # label line + bar + gap
_BAR = 15.0
_LABEL = 11.0  # font size of labels
_TOP = 8.0
_PAD = 72.0  # room on each side of the plot for value labels


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value (drawn to scale) and the value as formatted text."""

    label: str
    value: float
    text: str


def _f(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    caption: str,
    font_family: str,
    width: float = 640.0,
) -> Markup:
    """Horizontal bars from a shared zero line; negative values to the left, to scale.

    Args:
        bars: The items, in display order.
        title: Accessible title (``<title>``), already translated.
        caption: Axis caption under the plot (unit, sign convention), already translated.
        font_family: CSS font family list for the SVG texts.
        width: Width of the drawing in CSS px.

    Returns:
        An ``<svg>`` element.
    """
    low = min([0.0, *(b.value for b in bars)])
    high = max([0.0, *(b.value for b in bars)])
    span = (high - low) or 1.0
    plot = width - 2 * _PAD
    scale = plot / span
    zero = _PAD + (-low) * scale
    height = _TOP + _ROW * len(bars) + 24.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{_f(width)}" height="{_f(height)}" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'font-family="{escape(font_family)}" font-size="{_f(_LABEL)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        top = _TOP + index * _ROW
        bar_top = top + _LABEL + 4.0
        length = abs(bar.value) * scale
        left = zero - length if bar.value < 0 else zero
        colour = NEGATIVE if bar.value < 0 else POSITIVE
        parts.append(
            f'<text x="{_f(_PAD)}" y="{_f(top + _LABEL)}" fill="{AXIS}">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect class="{"negative" if bar.value < 0 else "positive"}" x="{_f(left)}" '
            f'y="{_f(bar_top)}" width="{_f(length)}" height="{_f(_BAR)}" fill="{colour}"/>'
        )
        parts.append(
            f'<line class="zero" x1="{_f(zero)}" y1="{_f(bar_top - 2.0)}" x2="{_f(zero)}" '
            f'y2="{_f(bar_top + _BAR + 2.0)}" stroke="{AXIS}" stroke-width="1"/>'
        )
        if bar.value < 0:
            anchor, at = "end", left - 4.0
        else:
            anchor, at = "start", left + length + 4.0
        parts.append(
            f'<text x="{_f(at)}" y="{_f(bar_top + _BAR - 3.5)}" text-anchor="{anchor}" '
            f'fill="{AXIS}">{escape(bar.text)}</text>'
        )
    bottom = _TOP + _ROW * len(bars)
    parts.append(
        f'<text x="{_f(width / 2)}" y="{_f(bottom + 16.0)}" text-anchor="middle" fill="{AXIS}">'
        f"{escape(caption)}</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))


_SCORE_ROW = 17.0
_SCORE_BAR = 11.0
_SCORE_TEXT = 9.5
_SCORE_GAP = 6.0  # between the label column, the plot and the value column


def score_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    caption: str,
    font_family: str,
    maximum: float = 100.0,
    label_width: float = 230.0,
    width: float = 640.0,
) -> Markup:
    """Compact horizontal bars on a fixed scale from 0 to ``maximum`` (scores out of 100).

    Labels sit in a column left of the plot, values right of each bar, with grid lines at every
    quarter, so that a score of 60 always looks like 60 % of the way whatever the other values.
    Values outside the scale are drawn clipped to it (their text still tells the value).

    Args:
        bars: The items, in display order (labels translated, values formatted).
        title: Accessible title (``<title>``), already translated.
        caption: Caption under the plot, already translated.
        font_family: CSS font family list for the SVG texts.
        maximum: The value at the right end of the scale.
        label_width: Width of the label column in CSS px.
        width: Width of the drawing in CSS px.

    Returns:
        An ``<svg>`` element.
    """
    left = label_width + _SCORE_GAP
    plot = width - left - 44.0  # room for the value text
    scale = plot / (maximum or 1.0)
    top = 4.0
    bottom = top + _SCORE_ROW * len(bars)
    height = bottom + 30.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart score-chart" role="img" '
        f'width="{_f(width)}" height="{_f(height)}" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'font-family="{escape(font_family)}" font-size="{_f(_SCORE_TEXT)}">',
        f"<title>{escape(title)}</title>",
    ]
    for quarter in range(5):
        x = left + plot * quarter / 4
        parts.append(
            f'<line class="grid" x1="{_f(x)}" y1="{_f(top)}" x2="{_f(x)}" y2="{_f(bottom)}" '
            f'stroke="#c9ccd3" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{_f(x)}" y="{_f(bottom + 11.0)}" text-anchor="middle" fill="{AXIS}">'
            f"{_f(maximum * quarter / 4)}</text>"
        )
    for index, bar in enumerate(bars):
        row = top + index * _SCORE_ROW
        baseline = row + (_SCORE_ROW + _SCORE_TEXT) / 2 - 1.5
        length = min(max(bar.value, 0.0), maximum) * scale
        parts.append(
            f'<text x="{_f(label_width)}" y="{_f(baseline)}" text-anchor="end" fill="{AXIS}">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<rect class="positive" x="{_f(left)}" y="{_f(row + (_SCORE_ROW - _SCORE_BAR) / 2)}" '
            f'width="{_f(length)}" height="{_f(_SCORE_BAR)}" fill="{POSITIVE}"/>'
        )
        parts.append(
            f'<text x="{_f(left + length + 4.0)}" y="{_f(baseline)}" fill="{AXIS}">'
            f"{escape(bar.text)}</text>"
        )
    parts.append(
        f'<text x="{_f(left + plot / 2)}" y="{_f(bottom + 25.0)}" text-anchor="middle" '
        f'fill="{AXIS}">{escape(caption)}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
