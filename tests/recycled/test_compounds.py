"""The compound table's element contents are the stoichiometric mass fractions of their formulas.

Atomic weights: IUPAC CIAAW standard atomic weights 2021, abridged to five significant figures
(Prohaska et al., Pure Appl. Chem. 94 (2022) 573, Table 2), with the conventional values
Li 6.94 and Pb 207.2 (Table 3). They are written here, independently of the data file, so that a
wrong weight in the file is caught.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from compliance.models import RecoveredElement
from compliance.recycled import load_recycled_ruleset

IUPAC = {
    "H": 1.008, "Li": 6.94, "C": 12.011, "O": 15.999, "Al": 26.982, "P": 30.974, "S": 32.06,
    "Ti": 47.867, "Mn": 54.938, "Fe": 55.845, "Co": 58.933, "Ni": 58.693, "Pb": 207.2,
}  # fmt: skip
SYMBOL = {
    RecoveredElement.COBALT: "Co",
    RecoveredElement.LEAD: "Pb",
    RecoveredElement.LITHIUM: "Li",
    RecoveredElement.NICKEL: "Ni",
}
TABLE = load_recycled_ruleset("1.0.0").compounds


def test_file_states_the_iupac_weights() -> None:
    assert TABLE.atomic_weights.values == IUPAC


@pytest.mark.parametrize("compound", TABLE.compounds, ids=lambda c: c.id)
def test_mass_fractions_are_stoichiometric(compound: object) -> None:
    from compliance.recycled.rulesets import Compound

    assert isinstance(compound, Compound)
    atoms = {symbol: float(Fraction(str(n))) for symbol, n in compound.formula.items()}
    molar = sum(n * IUPAC[symbol] for symbol, n in atoms.items())
    expected = {
        element: round(atoms[symbol] * IUPAC[symbol] / molar, 6)
        for element, symbol in SYMBOL.items()
        if symbol in atoms
    }
    assert compound.mass_fractions == expected


def test_known_values_by_hand() -> None:
    # NMC811 LiNi0.8Mn0.1Co0.1O2: M = 6.94 + 0.8 x 58.693 + 0.1 x 54.938 + 0.1 x 58.933
    #   + 2 x 15.999 = 97.27950 g/mol; Co = 5.8933 / 97.2795 = 0.060581
    assert TABLE.get("nmc811").mass_fractions[RecoveredElement.COBALT] == 0.060581  # type: ignore[union-attr]
    # LiFePO4: M = 6.94 + 55.845 + 30.974 + 4 x 15.999 = 157.755; Li = 6.94 / 157.755 = 0.043992
    assert TABLE.get("lfp").mass_fractions[RecoveredElement.LITHIUM] == 0.043992  # type: ignore[union-attr]
    # CoSO4.7H2O: M = 58.933 + 32.06 + 11 x 15.999 + 14 x 1.008 = 281.094; Co = 0.209656
    cobalt_sulphate = TABLE.get("cobalt-sulphate-heptahydrate")
    assert cobalt_sulphate is not None
    assert cobalt_sulphate.mass_fractions[RecoveredElement.COBALT] == 0.209656
    # PbO2: M = 207.2 + 2 x 15.999 = 239.198; Pb = 207.2 / 239.198 = 0.866228
    assert TABLE.get("lead-dioxide").mass_fractions[RecoveredElement.LEAD] == 0.866228  # type: ignore[union-attr]
