"""The unit registry: CO2e as its own dimension, normalisation, cached exact conversions."""

from __future__ import annotations

import pint
import pytest

from compliance.errors import DimensionalityError, UndefinedUnitError, UnitError
from compliance.units import (
    Dimension,
    make_quantity,
    normalize_unit,
    parse_quantity_string,
    require_dimension,
    resolve_unit,
    ureg,
)


def test_mass_and_co2e_mass_cannot_be_added() -> None:
    with pytest.raises(pint.DimensionalityError):
        ureg.Quantity(1, "kg") + ureg.Quantity(1, "kg CO2e")


def test_co2e_ratios_convert() -> None:
    # 582 g CO2e/kWh = 0.582 kg CO2e / 3.6 MJ = 0.161666... kg CO2e/MJ
    value = ureg.Quantity(582, "g CO2e/kWh").to("kg CO2e/MJ").magnitude
    assert value == pytest.approx(0.582 / 3.6, rel=1e-15)


@pytest.mark.parametrize(
    ("unit", "dimension", "to_canonical"),
    [
        # hand-checked factors to the canonical unit of each dimension
        ("g", Dimension.MASS, 0.001),
        ("t", Dimension.MASS, 1000.0),
        ("lb", Dimension.MASS, 0.45359237),
        ("Wh", Dimension.ENERGY, 0.001),
        ("MWh", Dimension.ENERGY, 1000.0),
        ("MJ", Dimension.ENERGY, 1 / 3.6),
        ("GJ", Dimension.ENERGY, 1000 / 3.6),
        ("toe", Dimension.ENERGY, 41868 / 3.6),
        ("mAh", Dimension.CHARGE, 0.001),
        ("mi", Dimension.LENGTH, 1.609344),
        ("L", Dimension.VOLUME, 0.001),
        ("Nm3", Dimension.VOLUME, 1.0),
        ("t CO2e", Dimension.EMISSION, 1000.0),
        ("kgCO2e", Dimension.EMISSION, 1.0),
        ("kg CO2-eq", Dimension.EMISSION, 1.0),
        ("g CO2e/kWh", Dimension.EMISSION_PER_ENERGY, 0.001),
        ("kg CO2e/MJ", Dimension.EMISSION_PER_ENERGY, 3.6),
        ("kg CO2e/t", Dimension.EMISSION_PER_MASS, 0.001),
        ("t CO2e/t", Dimension.EMISSION_PER_MASS, 1.0),
        ("g CO2e/tkm", Dimension.EMISSION_PER_TRANSPORT, 0.001),
        ("kg CO2e/t·km", Dimension.EMISSION_PER_TRANSPORT, 1.0),
        ("kg CO2e/(t*km)", Dimension.EMISSION_PER_TRANSPORT, 1.0),
        ("kg CO2e/piece", Dimension.EMISSION_PER_ITEM, 1.0),
        ("kg CO2e/Nm3", Dimension.EMISSION_PER_VOLUME, 1.0),
        ("MJ/kg", Dimension.SPECIFIC_ENERGY, 1.0),
        ("year", Dimension.TIME, 1.0),
        ("pcs", Dimension.ITEMS, 1.0),
    ],
)
def test_resolution_factors(unit: str, dimension: Dimension, to_canonical: float) -> None:
    resolved = resolve_unit(unit)
    assert resolved.dimension is dimension
    assert resolved.factor == pytest.approx(to_canonical, rel=1e-15)


def test_conversions_are_single_correctly_rounded_operations() -> None:
    # 23 400 g is exactly 23.4 kg (value / 1000, not value * 0.001)
    assert make_quantity(23400, "g", (Dimension.MASS,)).magnitude == 23.4
    # 3.6 MJ is exactly 1 kWh
    assert make_quantity(3.6, "MJ", (Dimension.ENERGY,)).magnitude == 1.0
    # a per-t factor on kg amounts: 5 t CO2e/t == 5 kg CO2e/kg
    assert make_quantity(5, "t CO2e/t", (Dimension.EMISSION_PER_MASS,)).magnitude == 5.0
    assert make_quantity(5000, "kg CO2e/t", (Dimension.EMISSION_PER_MASS,)).magnitude == 5.0


def test_resolution_is_cached() -> None:
    resolve_unit.cache_clear()
    resolve_unit("kg CO2e/kWh")
    resolve_unit("kg CO2e/kWh")
    info = resolve_unit.cache_info()
    assert (info.hits, info.misses) == (1, 1)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("kgCO2e", "kg CO2e"),
        ("kg CO2-eq/kWh", "kg CO2e/kWh"),
        ("kg CO2eq", "kg CO2e"),
        ("g CO₂e/kWh", "g CO2e/kWh"),
        ("kg CO2e/t·km", "kg CO2e/tkm"),
        ("kg CO2e / t km", "kg CO2e / tkm"),
        ("kW·h", "kW*h"),
        ("m³", "m**3"),
        ("  kg  ", "kg"),
    ],
)
def test_normalize_unit(raw: str, normalised: str) -> None:
    assert normalize_unit(raw) == normalised


@pytest.mark.parametrize(
    ("unit", "suggestion"),
    [("kgs", "kg"), ("kwh", "kWh"), ("KWH", "kWh"), ("CO2", "CO2e"), ("ton", "t"), ("Kg", "kg")],
)
def test_unknown_units_suggest(unit: str, suggestion: str) -> None:
    with pytest.raises(UndefinedUnitError) as info:
        resolve_unit(unit)
    assert suggestion in info.value.suggestions
    assert f"did you mean {suggestion!r}" in info.value.message


@pytest.mark.parametrize("unit", ["furlong", "slug", "parsec", "degC", "kg CO2"])
def test_units_outside_the_curated_registry_are_unknown(unit: str) -> None:
    with pytest.raises(UndefinedUnitError):
        resolve_unit(unit)


@pytest.mark.parametrize("unit", ["", "   ", "((", "5", "kg @ m"])
def test_garbage_unit_strings(unit: str) -> None:
    with pytest.raises(UnitError):
        resolve_unit(unit)


def test_wrong_dimension_names_both() -> None:
    with pytest.raises(DimensionalityError) as info:
        require_dimension("kWh", (Dimension.MASS,))
    assert "expected mass (e.g. kg)" in info.value.message
    assert "an energy" in info.value.message


def test_unknown_dimension_is_reported_raw() -> None:
    with pytest.raises(DimensionalityError) as info:
        require_dimension("kg/m3", (Dimension.MASS,))
    assert "[mass] / [length] ** 3" in info.value.message


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("23 400 g", 23400.0, "g"),
        ("23\u202f400 g", 23400.0, "g"),
        ("1 000 000 kWh", 1e6, "kWh"),
        ("0.5 kg CO2e/kWh", 0.5, "kg CO2e/kWh"),
        ("-1.5e3 kg CO2e", -1500.0, "kg CO2e"),
        (".25 t", 0.25, "t"),
        ("12kg", 12.0, "kg"),
        ("+7 V", 7.0, "V"),
    ],
)
def test_parse_quantity_string(text: str, value: float, unit: str) -> None:
    assert parse_quantity_string(text) == (value, unit)


@pytest.mark.parametrize("text", ["kg", "12", "12,5 kg", "1 2 kg", "12 kg\n5 g", ""])
def test_parse_quantity_string_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a quantity"):
        parse_quantity_string(text)


def test_quantity_to_and_wire() -> None:
    quantity = make_quantity(3600, "g", (Dimension.MASS,))
    assert quantity.to("t") == pytest.approx(0.0036, rel=1e-15)
    assert quantity.to_wire() == {"value": 3600.0, "unit": "g"}
    assert quantity.to_pint() == ureg.Quantity(3.6, "kg")
    with pytest.raises(DimensionalityError):
        quantity.to("kWh")
