"""Number, date, unit and list formatting per locale (the one place presentation rounds)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from babel import Locale
from markupsafe import Markup

from compliance.reports.filters import (
    MISSING,
    format_count,
    format_date,
    format_datetime,
    format_fixed,
    format_list_items,
    format_measure,
    format_number,
    format_percent_share,
    format_unit,
    format_w3c,
    fraction_digits,
    make_filters,
)

EN = Locale.parse("en_GB")
JA = Locale.parse("ja_JP")


@pytest.mark.parametrize(
    ("value", "digits"),
    [(0.0859173, 4), (0.118, 3), (1.0, 2), (12.345, 1), (99.96, 1), (5234.8, 0), (-0.00135, 5)],
)
def test_fraction_digits_keep_three_significant_figures(value: float, digits: int) -> None:
    assert fraction_digits(value) == digits


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0859173, "0.0859"),
        (0.08, "0.0800"),
        (6002.4, "6,002"),
        (-2449.2, "-2,449"),
        (1234567.0, "1,234,567"),
        (0.0, "0"),
        (-0.0, "0"),
        (0.000123456, "0.000123"),
    ],
)
def test_numbers_show_at_least_three_significant_figures(value: float, text: str) -> None:
    assert format_number(value, EN) == text
    assert format_number(value, JA) == text  # same symbols in both locales


def test_rounding_is_half_even_on_the_shortest_decimal() -> None:
    assert format_number(0.12345, EN) == "0.123"
    assert format_number(0.1235, EN) == "0.124"
    assert format_number(0.1225, EN) == "0.122"


def test_measures_use_cldr_units_per_locale() -> None:
    assert format_measure(8.0, "year", EN) == "8\xa0years"
    assert format_measure(8.0, "year", JA) == "8\xa0年"
    assert format_measure(1.0, "year", EN) == "1\xa0year"
    assert format_measure(160000.0, "km", EN) == "160,000\xa0km"
    assert format_measure(75.0, "kWh", JA) == "75\xa0kWh"
    assert format_measure(12.34, "kg", EN) == "12.3\xa0kg"
    assert format_measure(480.5, "kg", EN) == "480\xa0kg"  # three figures, half to even


def test_emission_measures_keep_their_zeros_and_subscript() -> None:
    text = format_measure(0.08, "kg CO2e/kWh", EN)
    assert isinstance(text, Markup)
    assert text == Markup('0.0800\xa0<span class="unit">kg CO<sub>2</sub>e/kWh</span>')
    assert format_measure(None, "kg", EN) == MISSING


def test_units_are_escaped() -> None:
    assert format_unit("<b>kg</b> CO2e") == Markup("&lt;b&gt;kg&lt;/b&gt; CO<sub>2</sub>e")


def test_percent_dates_counts_lists() -> None:
    assert format_percent_share(-0.0334694, EN) == "-3.3%"
    assert format_percent_share(1.414, JA) == "141.4%"
    assert format_percent_share(None, EN) == MISSING
    assert format_fixed(1.75, EN) == "1.75"
    assert format_count(10000, JA) == "10,000"
    assert format_date(date(2026, 11, 29), EN) == "29 November 2026"
    assert format_date(date(2026, 11, 29), JA) == "2026年11月29日"
    assert "UTC" in format_datetime(datetime(2026, 11, 29, tzinfo=UTC), EN)
    assert format_w3c(datetime(2026, 11, 29, 12, 30)) == "2026-11-29T12:30:00Z"
    assert format_list_items(["a", "b", "c"], EN) == "a, b and c"
    assert format_list_items(["自家発電", "自営線"], JA) == "自家発電、自営線"


def test_filters_handle_missing_values_and_labels() -> None:
    filters = make_filters(EN)
    assert filters["num"](None) == MISSING
    assert filters["fixed"](None) == MISSING
    assert filters["measure"](None) == MISSING
    assert filters["label"]("grid", {"grid": "Grid"}) == "Grid"
    assert filters["label"]("new-code", {"grid": "Grid"}) == "new-code"
