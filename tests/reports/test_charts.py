"""The stage chart: bars to scale from one zero line, negative values (EoL credits) to the left."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from compliance.reports.charts import Bar, bar_chart, score_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(values: list[float], labels: list[str] | None = None) -> ET.Element:
    names = labels or [f"stage {i}" for i in range(len(values))]
    bars = [Bar(n, v, f"{v:g}") for n, v in zip(names, values, strict=True)]
    svg = bar_chart(bars, title="t", caption="kg CO2e per kWh", font_family="Report Sans")
    return ET.fromstring(str(svg))


def _geometry(root: ET.Element) -> tuple[float, list[tuple[float, float, str]]]:
    zeros = {float(line.get("x1", "nan")) for line in root.iter(f"{SVG}line")}
    assert len(zeros) == 1, zeros  # one shared zero line
    rects = [
        (float(r.get("x", "nan")), float(r.get("width", "nan")), r.get("class", ""))
        for r in root.iter(f"{SVG}rect")
    ]
    return zeros.pop(), rects


def test_negative_end_of_life_is_drawn_left_of_zero_to_scale() -> None:
    values = [0.167, 0.0166, 0.00257, -0.068]
    zero, rects = _geometry(_parse(values))
    for value, (x, width, css) in zip(values, rects, strict=True):
        if value < 0:
            assert css == "negative"
            assert x + width == pytest.approx(zero, abs=0.01)
            assert x < zero
        else:
            assert css == "positive"
            assert x == pytest.approx(zero, abs=0.01)
    scale = rects[0][1] / values[0]
    for value, (_, width, _) in zip(values, rects, strict=True):
        assert width == pytest.approx(abs(value) * scale, abs=0.02)


def test_all_positive_puts_zero_at_the_left_and_all_negative_at_the_right() -> None:
    zero_pos, _ = _geometry(_parse([1.0, 2.0]))
    zero_neg, rects = _geometry(_parse([-1.0, -2.0]))
    assert zero_pos < zero_neg
    assert all(x + w == pytest.approx(zero_neg, abs=0.01) for x, w, _ in rects)


def test_all_zero_values_do_not_divide_by_zero() -> None:
    _, rects = _geometry(_parse([0.0, 0.0]))
    assert [w for _, w, _ in rects] == [0.0, 0.0]


def test_labels_are_escaped() -> None:
    root = _parse([1.0], ["<script>alert(1)</script>"])
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<script>alert(1)</script>" in texts  # parsed back as text, never as markup
    assert not list(root.iter(f"{SVG}script"))


def test_score_chart_draws_on_a_fixed_scale() -> None:
    bars = [Bar("<Air>", 96.4, "96.4"), Bar("Water", 60.0, "60.0"), Bar("Over", 130.0, "130")]
    root = ET.fromstring(str(score_chart(bars, title="t", caption="c", font_family="F")))
    widths = [float(r.get("width", "nan")) for r in root.iter(f"{SVG}rect")]
    assert widths[1] / widths[0] == pytest.approx(60.0 / 96.4)
    assert widths[2] == pytest.approx(widths[0] / 0.964)  # clipped at the scale's end (100)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<Air>" in texts  # escaped in the markup, parsed back
    assert texts[:5] == ["0", "25", "50", "75", "100"]
