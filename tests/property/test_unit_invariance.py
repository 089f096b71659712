"""Expressing a quantity in another compatible unit never changes its canonical value (1e-12)."""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from compliance.models.quantity import QuantityField
from compliance.units import Dimension, Quantity, _exact, magnitude_in_range, resolve_unit
from compliance.validation import parse_document, validate_submission
from tests.conftest import VALID

ALTERNATIVES: dict[Dimension, list[str]] = {
    Dimension.MASS: ["kg", "g", "t", "mg", "lb", "Mt"],
    Dimension.ENERGY: ["kWh", "Wh", "MWh", "MJ", "GJ", "J", "toe"],
    Dimension.CHARGE: ["Ah", "mAh"],
    Dimension.VOLTAGE: ["V", "mV", "kV"],
    Dimension.POWER: ["W", "kW", "MW"],
    Dimension.RESISTANCE: ["ohm", "mohm", "Ω", "mΩ"],
    Dimension.LENGTH: ["km", "m", "mi", "nmi"],
    Dimension.TIME: ["year", "d", "h", "week"],
    Dimension.VOLUME: ["m3", "L", "Nm3", "gal"],
    Dimension.ITEMS: ["piece", "pcs"],
    Dimension.SPECIFIC_ENERGY: ["MJ/kg", "kWh/kg", "J/g", "GJ/t"],
    Dimension.ENERGY_PER_LENGTH: ["kWh/km", "Wh/km", "kWh/mi", "MJ/km"],
    Dimension.EMISSION: ["kg CO2e", "g CO2e", "t CO2e"],
    Dimension.EMISSION_PER_MASS: ["kg CO2e/kg", "g CO2e/kg", "t CO2e/t", "kg CO2e/t"],
    Dimension.EMISSION_PER_ENERGY: ["kg CO2e/kWh", "g CO2e/kWh", "kg CO2e/MJ", "t CO2e/GWh"],
    Dimension.EMISSION_PER_VOLUME: ["kg CO2e/m3", "kg CO2e/L", "g CO2e/Nm3"],
    Dimension.EMISSION_PER_ITEM: ["kg CO2e/piece", "g CO2e/pcs"],
    Dimension.EMISSION_PER_TRANSPORT: ["kg CO2e/tkm", "g CO2e/tkm", "kg CO2e/(t*km)"],
}


def exact_factor(source: str, target: str) -> Decimal:
    """Exact (Decimal) factor converting a magnitude in ``source`` into ``target``."""
    one = _exact.Quantity(Decimal(1), _exact.parse_units(source.replace("CO2e", " CO2e")))
    return Decimal(one.to(_exact.parse_units(target.replace("CO2e", " CO2e"))).magnitude)


def wire(value: float, unit: str, as_string: bool) -> Any:
    return f"{value!r} {unit}" if as_string else {"value": value, "unit": unit}


def test_alternatives_cover_every_dimension() -> None:
    assert set(ALTERNATIVES) == set(Dimension)


@settings(max_examples=300, deadline=None)
@given(
    dimension=st.sampled_from(list(Dimension)),
    data=st.data(),
    magnitude=st.floats(min_value=1e-6, max_value=1e9, allow_nan=False),
)
def test_field_canonical_value_is_unit_invariant(
    dimension: Dimension, data: st.DataObject, magnitude: float
) -> None:
    units = ALTERNATIVES[dimension]
    first = data.draw(st.sampled_from(units))
    second = data.draw(st.sampled_from(units))
    as_string = data.draw(st.booleans())
    field = QuantityField(dimension)
    # the canonical value must lie in the accepted range (a larger one is refused in any unit)
    assume(magnitude_in_range(resolve_unit(first).to_canonical(magnitude)))
    a = field.validate(wire(magnitude, first, as_string))
    converted = float(Decimal(repr(magnitude)) * exact_factor(first, second))
    b = field.validate(wire(converted, second, not as_string))
    assert math.isclose(a.magnitude, b.magnitude, rel_tol=1e-12, abs_tol=0.0)


def _quantities(node: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Quantity]:
    found: dict[tuple[Any, ...], Quantity] = {}
    if isinstance(node, Quantity):
        found[path] = node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found |= _quantities(getattr(node, name), (*path, name))
    elif isinstance(node, tuple):
        for index, item in enumerate(node):
            found |= _quantities(item, (*path, index))
    return found


def _set_quantity(doc: Any, model_path: tuple[Any, ...], model: Any, value: Any) -> None:
    """Replace the wire value at the document location of a model attribute path."""
    node, target = doc, model
    for step in model_path[:-1]:
        if isinstance(step, int):
            node, target = node[step], target[step]
        else:
            alias = type(target).model_fields[step].alias or step
            node, target = node[alias], getattr(target, step)
    last = model_path[-1]
    alias = type(target).model_fields[last].alias or last
    node[alias] = value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whole_document_is_unit_invariant(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(VALID))
    original = validate_submission(path.read_bytes(), name=path.name).submission
    assert original is not None
    before = _quantities(original)
    rewritten = copy.deepcopy(parse_document(path.read_bytes(), name=path.name).data)
    for model_path, quantity in before.items():
        unit = data.draw(st.sampled_from(ALTERNATIVES[quantity.dimension]))
        value = float(Decimal(repr(quantity.value)) * exact_factor(quantity.unit, unit))
        _set_quantity(rewritten, model_path, original, wire(value, unit, data.draw(st.booleans())))
    report = validate_submission(rewritten, full=True)
    assert report.ok, report.issues
    assert report.submission is not None
    after = _quantities(report.submission)
    assert after.keys() == before.keys()
    for key, quantity in before.items():
        assert math.isclose(after[key].magnitude, quantity.magnitude, rel_tol=1e-12), key
