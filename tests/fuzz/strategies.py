"""Hypothesis strategies that generate and mutate documents the way an attacker or a careless
supplier would: wrong types, magnitudes at the float limits, adversarial unit strings, unicode
(lone surrogates included), structural damage (deleted keys, multiplied lists, deep nesting) and
raw byte damage of the encoded file.

Mutations start from the bundled valid examples, so most generated documents get past parsing
and the schema and reach the calculators, which is where "validated, then crashed" defects live.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import yaml
from hypothesis import strategies as st

from compliance.units import QUANTITY_STRING_PATTERN

Path = tuple[str | int, ...]

_QUANTITY_RE = re.compile(QUANTITY_STRING_PATTERN)

# Magnitudes where float arithmetic breaks: overflow, subnormals, the I-JSON integer limit, and the
# edges of the validated quantity range.
EXTREME_NUMBERS: list[int | float] = [
    0,
    -0.0,
    1e-320,
    5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e-16,
    1e-15,
    1e15,
    1.0000000000000002e15,
    1e16,
    1e28,
    1e300,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    2**53 - 1,
    2**53,
    2**64,
    -(2**63),
    10**400,
]
_NUMBER_TEXTS = [
    "1e308",
    "1.7976931348623157e308",
    "1e-320",
    "4.9e-324",
    "1e15",
    "1e-15",
    "9999999999999999",
    "1e28",
    "0",
    "-0",
    "1" * 400,
    "1" * 5000,
]
ADVERSARIAL_UNITS = [
    "kg**99999999999999999999",
    "kg*10**400",
    "kg*10**-400",
    "kg*10**300",
    "kg/10**300",
    "kg**-1000",
    "1e308 kg",
    "1e-320 Wh/km",
    "a" * 40 + "!",
    "kg" + " kg" * 60,
    "kg/" * 40 + "kg",
    "(" * 50 + "kg" + ")" * 50,
    "kg^99999999999",
    "kWh/(1e-300 km)",
    "kWh/(1e300 km)",
    "g CO2e/kWh" + " " * 150,
    "kg\u00b5",
    "Ω" * 30,
    "kg,m",
    "kg@m",
    "k\ud800g",
    "CO2e" * 30,
]
_PLAIN_UNITS = ["kg", "g", "t", "kWh", "Wh", "MJ", "km", "year", "kg CO2e/kg", "g CO2e/kWh", "V"]


def _quantity_text(number: str, unit: str, blanks: str) -> str:
    return f"{number}{blanks}{unit}"


texts = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3).map(
        lambda s: "x" + s
    ),
    st.sampled_from(
        [
            "\ud800",
            "\udfff",
            "\u0000",
            "\u202e",
            "\ufeff",
            " " * 60_000,
            "a@" + "." * 60_000 + "@",
            "1 x" + " " * 60_000 + "y",
            "1 " + "a" * 28 + "!",
            "x" * 5000,
        ]
    ),
)
quantity_texts = st.one_of(
    st.builds(
        _quantity_text,
        st.sampled_from(_NUMBER_TEXTS),
        st.sampled_from(_PLAIN_UNITS + ADVERSARIAL_UNITS),
        st.sampled_from([" ", "", "\u00a0", " " * 200]),
    ),
    st.builds(
        _quantity_text,
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.sampled_from(_PLAIN_UNITS),
        st.just(" "),
    ),
)
numbers = st.one_of(
    st.sampled_from(EXTREME_NUMBERS),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, quantity_texts)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(["value", "unit", "id", "source", "x"]), children, max_size=3
        ),
    ),
    max_leaves=5,
)


def paths(node: Any, prefix: Path = ()) -> list[Path]:
    """Every path in a JSON document (the root excluded)."""
    found: list[Path] = []
    if isinstance(node, dict):
        for key, child in node.items():
            found.append((*prefix, key))
            found += paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.append((*prefix, index))
            found += paths(child, (*prefix, index))
    return found


def _parent(document: Any, path: Path) -> Any:
    node = document
    for token in path[:-1]:
        node = node[token]
    return node


def _quantity_paths(document: Any) -> list[Path]:
    return [
        p
        for p in paths(document)
        if isinstance(v := _parent(document, p)[p[-1]], str) and _QUANTITY_RE.search(v)
    ]


# Numbers a valid document may hold at the edges of what validation accepts (the quantity range is
# 1e-15..1e15 in the canonical unit; a unit such as g or t moves it by 1e3): stressed documents
# mostly validate and then push the calculators, exports and reports to their limits.
EDGE_NUMBERS = [
    "0",
    "1e-15",
    "1e-12",
    "1e-9",
    "0.001",
    "1e6",
    "1e9",
    "1e12",
    "1e15",
    "999999999999999",
]
EDGE_PLAIN = [
    0,
    0.0,
    1e-15,
    1e-300,
    0.5,
    1,
    1.0,
    10000,
    1e15,
    9007199254740991,
    1.7976931348623157e308,
]

HOSTILE = ("replace", "rescale", "rescale", "unit", "delete", "multiply", "nest", "rename")
"""Mutations that mostly make a document invalid (each must be refused with located issues)."""
STRESS = ("edge", "edge", "edge", "edge-plain", "multiply")
"""Mutations that mostly keep a document valid while pushing magnitudes to the edges."""


@st.composite
def mutated(
    draw: st.DrawFn, documents: list[Any], kinds: tuple[str, ...] = HOSTILE, most: int = 4
) -> Any:
    """One of ``documents`` with one to ``most`` mutations of the given ``kinds`` applied."""
    document = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(1, most))):
        all_paths = paths(document)
        if not all_paths:
            break
        kind = draw(st.sampled_from(kinds))
        if kind == "edge-plain":
            numeric = [p for p in all_paths if _is_number(_parent(document, p)[p[-1]])]
            if numeric:
                path = draw(st.sampled_from(numeric))
                _parent(document, path)[path[-1]] = draw(st.sampled_from(EDGE_PLAIN))
            continue
        if kind in ("rescale", "unit", "edge"):
            targets = _quantity_paths(document)
            if targets:
                path = draw(st.sampled_from(targets))
                parent = _parent(document, path)
                match = _QUANTITY_RE.search(parent[path[-1]])
                assert match is not None
                number, unit = match.group(1), match.group(2)
                if kind == "edge":
                    number = draw(st.sampled_from(EDGE_NUMBERS))
                elif kind == "rescale":
                    number = draw(
                        st.sampled_from(_NUMBER_TEXTS + [repr(x) for x in EXTREME_NUMBERS])
                    )
                else:
                    unit = draw(st.sampled_from(ADVERSARIAL_UNITS))
                parent[path[-1]] = draw(
                    st.sampled_from(
                        [f"{number} {unit}", {"value": _as_number(number), "unit": unit}]
                    )
                )
                continue
        path = draw(st.sampled_from(all_paths))
        parent = _parent(document, path)
        if kind == "delete":
            del parent[path[-1]]
        elif kind == "multiply" and isinstance(parent[path[-1]], list) and parent[path[-1]]:
            parent[path[-1]] = parent[path[-1]] * draw(st.integers(2, 50))
        elif kind == "nest":
            value: Any = parent[path[-1]]
            for _ in range(draw(st.sampled_from([1, 63, 64, 65, 70]))):
                value = [value]
            parent[path[-1]] = value
        elif kind == "rename" and isinstance(parent, dict):
            parent[draw(texts)] = parent.pop(path[-1])
        else:
            parent[path[-1]] = draw(values)
    return document


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _as_number(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


@st.composite
def encoded(
    draw: st.DrawFn, documents: list[Any], kinds: tuple[str, ...] = HOSTILE, most: int = 4
) -> tuple[bytes, str]:
    """A mutated document as file bytes and a file name (JSON, YAML, or damaged bytes)."""
    document = draw(mutated(documents, kinds, most))
    forms = ["json", "json", "json", "yaml", "bytes"] if kinds == HOSTILE else ["json", "yaml"]
    form = draw(st.sampled_from(forms))
    data = json.dumps(document, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if form == "yaml":
        try:
            return yaml.safe_dump(document, allow_unicode=True).encode("utf-8"), "fuzz.yaml"
        except (yaml.YAMLError, UnicodeEncodeError):
            return data, "fuzz.json"
    if form == "bytes" and data:
        position = draw(st.integers(0, len(data) - 1))
        damage = draw(st.sampled_from([b"", b"\x00", b"\xff", b"\xed\xa0\x80", b"{", b"]", b"\\"]))
        data = data[:position] + damage + data[position + 1 :]
    return data, "fuzz.json"
