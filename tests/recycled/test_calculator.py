"""Hand-computed recycled-content cases (Art. 8) for an NMC, an LFP and a lead-acid battery.

Element contents (stoichiometric, rules/recycled/1.0.0/compounds.yaml, recomputed from the IUPAC
atomic weights in test_compounds.py):
  NMC811 LiNi0.8Mn0.1Co0.1O2 (M = 97.2795 g/mol): Co 0.060581, Ni 0.482675, Li 0.071341
  LFP LiFePO4 (M = 157.755 g/mol): Li 0.043992
  PbO2 (M = 239.198 g/mol): Pb 0.866228; Pb metal: Pb 1
Supplier-stated contents (assays) are named at each use. Targets: Art. 8(2) from 18 August 2031
(Co 16 %, Pb 85 %, Li 6 %, Ni 6 %), Art. 8(3) from 18 August 2036 (Co 26 %, Pb 85 %, Li 12 %,
Ni 15 %).
"""

from __future__ import annotations

from datetime import date

import pytest

from compliance.models import RecoveredElement
from compliance.recycled.result import RecycledResult, TargetCheck
from tests.recycled.conftest import LEAD_ACID, LFP, NMC, codes, compute, fresh

CO, LI, NI, PB = (
    RecoveredElement.COBALT,
    RecoveredElement.LITHIUM,
    RecoveredElement.NICKEL,
    RecoveredElement.LEAD,
)


def _target(result: RecycledResult, target: str, element: RecoveredElement) -> TargetCheck:
    return next(t for t in result.targets if t.target == target and t.element is element)


def _short(check: TargetCheck) -> float:
    """The shortfall of a missed minimum, in kg."""
    assert check.met is False
    assert check.shortfall is not None
    return check.shortfall.magnitude


def test_nmc_ev_by_hand() -> None:
    outcome = compute(NMC)
    result = outcome.result
    assert result is not None
    assert result.ruleset.id == "art8-interim"
    assert result.ruleset.version == "1.0.0"
    # cam-a: 80 kg NMC811 (compound), Co pre 0.10 + post 0.15
    #   Co = 80 x 0.060581 = 4.84648 kg; recovered 4.84648 x 0.25 = 1.21162 kg
    # cam-b: 20 kg NMC811 with assayed Co 0.058 (ICP-OES report, below the 0.060581 maximum)
    #   Co = 20 x 0.058 = 1.16 kg; post 0.05 -> 0.058 kg
    # cobalt: 1.26962 / 6.00648 = 0.211375 -> 21.1 %
    cobalt = result.element(CO)
    assert cobalt is not None
    assert cobalt.total.magnitude == pytest.approx(6.00648)
    assert cobalt.recovered == pytest.approx(1.26962)
    assert cobalt.recovered_pre.magnitude == pytest.approx(0.484648)  # 4.84648 x 0.10
    assert cobalt.recovered_post.magnitude == pytest.approx(0.726972 + 0.058)  # 4.84648 x 0.15
    assert cobalt.share == pytest.approx(1.26962 / 6.00648)
    assert cobalt.share_percent == 21.1
    # nickel: cam-a 80 x 0.482675 = 38.614 kg, post 0.05 -> 1.9307 kg
    #         cam-b assayed 0.47: 20 x 0.47 = 9.4 kg, nothing recycled
    #         1.9307 / 48.014 = 0.040211 -> 4.0 %
    nickel = result.element(NI)
    assert nickel is not None
    assert nickel.total.magnitude == pytest.approx(48.014)
    assert nickel.recovered == pytest.approx(1.9307)
    assert nickel.share_percent == 4.0
    # lithium: cam-a 80 x 0.071341 = 5.70728 kg, pre 0.04 + post 0.02 -> 0.3424368 kg
    #          cam-b 20 x 0.071341 = 1.42682 kg, recycledShare 0.10 = pre 0.05 + post 0.03
    #          + 0.02 unclassified (not counted by the ruleset) -> 1.42682 x 0.08 = 0.1141456
    #          0.4565824 / 7.1341 = 0.064 -> 6.4 %
    lithium = result.element(LI)
    assert lithium is not None
    assert lithium.total.magnitude == pytest.approx(7.1341)
    assert lithium.recovered == pytest.approx(0.4565824)
    assert lithium.recovered_unclassified.magnitude == 0
    assert lithium.share == pytest.approx(0.064)
    assert result.element(PB) is None  # graphite anode and electrolyte hold no Art. 8 element
    # Art. 8(2): Co 21.1375 - 16 = +5.1375 points, met; Ni 4.0211 - 6 = -1.9789, short by
    # 0.06 x 48.014 - 1.9307 = 0.95014 kg; Li 6.4 - 6 = +0.4, met
    co31, ni31, li31 = (_target(result, "art8-2", e) for e in (CO, NI, LI))
    assert co31.met is True
    assert co31.margin_points == pytest.approx(5.137505)
    assert _short(ni31) == pytest.approx(0.95014)
    assert li31.met is True
    assert li31.margin_points == pytest.approx(0.4)
    assert co31.in_force
    assert co31.applies_to_category
    # Art. 8(3): Co short by 0.26 x 6.00648 - 1.26962 = 0.2920648 kg; Li by
    # 0.12 x 7.1341 - 0.4565824 = 0.3995096 kg; Ni by 0.15 x 48.014 - 1.9307 = 5.2714 kg
    co36, ni36, li36 = (_target(result, "art8-3", e) for e in (CO, NI, LI))
    assert _short(co36) == pytest.approx(0.2920648)
    assert _short(li36) == pytest.approx(0.3995096)
    assert _short(ni36) == pytest.approx(5.2714)
    assert co36.in_force is False  # as of 1 September 2031
    assert co36.applies_from == date(2036, 8, 18)
    # the unclassified lithium share is reported, never silently dropped
    assert codes(outcome.issues) == [
        ("recycled.share-not-counted", "/billOfMaterials/1/composition/elements/2/recycledShare",
         "warning")
    ]  # fmt: skip
    # trace: each line names its content source and each rule
    line = cobalt.lines[1]
    assert line.content_source.startswith("stated by the supplier (ICP-OES")
    assert "compound nmc811" in cobalt.lines[0].content_source
    assert any("recovered: 1.16 kg x (0 pre + 0.05 post) = 0.058 kg" in s for s in line.steps)
    assert dict(result.rules)["counted-shares"].startswith("Art. 8(1)-(3)")
    assert result.scope.covered
    assert result.scope.documentation_from == date(2028, 8, 18)


def test_lfp_stationary_by_hand() -> None:
    outcome = compute(LFP)
    result = outcome.result
    assert result is not None
    # lfp-1: 200 kg LiFePO4: Li = 200 x 0.043992 = 8.7984 kg; pre 0.03 + post 0.05 (mass
    #        balance, accepted) -> 8.7984 x 0.08 = 0.703872 kg
    # lfp-2: 50 kg LiFePO4: Li = 2.1996 kg; post 0.5 by book-and-claim, not an accepted chain
    #        of custody -> 0 kg (with a warning)
    # lithium: 0.703872 / 10.998 = 0.064 -> 6.4 %
    lithium = result.element(LI)
    assert lithium is not None
    assert lithium.total.magnitude == pytest.approx(10.998)
    assert lithium.recovered == pytest.approx(0.703872)
    assert lithium.share_percent == 6.4
    assert [e.element for e in result.elements] == [LI]
    # 8(2): 6.4 - 6 = +0.4 points, met; 8(3): 0.12 x 10.998 - 0.703872 = 0.615888 kg short
    assert _target(result, "art8-2", LI).met is True
    assert _short(_target(result, "art8-3", LI)) == pytest.approx(0.615888)
    # 102.4 kWh stationary (industrial) battery: above 2 kWh, covered
    assert result.scope.covered
    assert "102.4 kWh" in result.scope.reason
    custody = "/billOfMaterials/1/composition/elements/0/chainOfCustody"
    assert codes(outcome.issues) == [("recycled.custody-not-accepted", custody, "warning")]


def test_lead_acid_sli_by_hand() -> None:
    outcome = compute(LEAD_ACID)
    result = outcome.result
    assert result is not None
    # pam: 4 kg PbO2: Pb = 4 x 0.866228 = 3.464912 kg; pre 0.05 + post 0.80 -> 2.9451752 kg
    # nam: 3.5 kg sponge lead: Pb = 3.5 kg; post 0.90 -> 3.15 kg
    # grids (current collector, not an active material): outside the active-material basis
    # lead: 6.0951752 / 6.964912 = 0.875126 -> 87.5 %
    lead = result.element(PB)
    assert lead is not None
    assert lead.total.magnitude == pytest.approx(6.964912)
    assert lead.recovered == pytest.approx(6.0951752)
    assert lead.share_percent == 87.5
    assert [line.line_id for line in lead.lines] == ["pam", "nam"]
    # 85 % in both 8(2) and 8(3): +2.5126 points
    for target in ("art8-2", "art8-3"):
        check = _target(result, target, PB)
        assert check.met is True
        assert check.margin_points == pytest.approx(2.512595)
    # SLI batteries are covered whatever their energy (0.72 kWh here)
    assert result.scope.covered
    assert result.category == "sli"
    assert codes(outcome.issues) == [
        ("recycled.line-outside-basis", "/billOfMaterials/2/composition/elements/0", "info")
    ]


@pytest.mark.parametrize(
    ("change", "covered"),
    [
        ({"nominalEnergy": "1.8 kWh", "usableEnergyBol": "1.7 kWh"}, False),
        ({"externalStorageOnly": True}, False),
        ({"category": "industrial"}, True),
    ],
)
def test_industrial_scope(change: dict[str, object], covered: bool) -> None:
    doc = fresh(LFP)
    doc["battery"].update(change)
    result = compute(doc).result
    assert result is not None
    assert result.scope.covered is covered
    assert all(t.applies_to_category is covered for t in result.targets)


def test_lmt_only_from_art_8_3() -> None:
    doc = fresh(LFP)
    doc["battery"]["category"] = "lmt"
    result = compute(doc).result
    assert result is not None
    assert result.scope.covered
    assert result.scope.documentation_from is None
    assert _target(result, "art8-2", LI).applies_to_category is False
    assert _target(result, "art8-3", LI).applies_to_category is True


def test_before_2031_targets_not_in_force() -> None:
    result = compute(NMC, as_of=date(2029, 1, 1)).result
    assert result is not None
    assert not any(t.in_force for t in result.targets)


def test_share_just_below_minimum_is_not_met() -> None:
    # Li 0.0599 of one LFP line: rounds to 6.0 % but is below the 6 % minimum (compare: exact)
    doc = fresh(LFP)
    doc["billOfMaterials"] = doc["billOfMaterials"][:1]
    doc["billOfMaterials"][0]["composition"]["elements"][0].update(
        {"preConsumer": 0.0299, "postConsumer": 0.03}
    )
    result = compute(doc).result
    assert result is not None
    lithium = result.element(LI)
    assert lithium is not None
    assert lithium.share_percent == 6.0
    assert _target(result, "art8-2", LI).met is False


# Bad input: located errors, no result (never a silent zero)


def _errors(doc: dict[str, object]) -> list[tuple[str, str, str]]:
    outcome = compute(doc)
    assert outcome.result is None
    return [c for c in codes(outcome.issues) if c[2] == "error"]


def test_content_above_stoichiometric_maximum() -> None:
    doc = fresh(NMC)
    doc["billOfMaterials"][1]["composition"]["elements"][0]["massFraction"] = 0.07  # > 0.060581
    assert _errors(doc) == [
        ("recycled.content-above-stoichiometric",
         "/billOfMaterials/1/composition/elements/0/massFraction", "error")
    ]  # fmt: skip


def test_pre_plus_post_above_total() -> None:
    doc = fresh(NMC)
    doc["billOfMaterials"][1]["composition"]["elements"][2].update(
        {"recycledShare": 0.10, "preConsumer": 0.08, "postConsumer": 0.05}
    )
    assert _errors(doc) == [
        ("recycled.shares-above-total",
         "/billOfMaterials/1/composition/elements/2/preConsumer", "error")
    ]  # fmt: skip


def test_pre_plus_post_above_one() -> None:
    doc = fresh(NMC)
    doc["billOfMaterials"][0]["composition"]["elements"][0].update(
        {"preConsumer": 0.6, "postConsumer": 0.5}
    )
    assert _errors(doc) == [
        ("recycled.shares-above-total",
         "/billOfMaterials/0/composition/elements/0/preConsumer", "error")
    ]  # fmt: skip


def test_share_above_100_percent_is_a_schema_error() -> None:
    from compliance.validation import validate_submission

    doc = fresh(NMC)
    doc["billOfMaterials"][0]["composition"]["elements"][0]["postConsumer"] = 1.2
    report = validate_submission(doc)
    assert not report.ok
    assert [(i.code, i.pointer) for i in report.issues if i.severity.value == "error"] == [
        ("schema.maximum", "/billOfMaterials/0/composition/elements/0/postConsumer")
    ]


def test_active_material_without_element_data() -> None:
    doc = fresh(NMC)
    del doc["billOfMaterials"][2]["composition"]
    assert _errors(doc) == [("recycled.element-data-missing", "/billOfMaterials/2", "error")]


def test_stated_element_without_content_or_compound() -> None:
    doc = fresh(NMC)
    doc["billOfMaterials"][2]["composition"] = {"elements": [{"element": "lithium"}]}
    assert _errors(doc) == [
        ("recycled.element-data-missing", "/billOfMaterials/2/composition/elements/0", "error")
    ]


def test_unknown_compound_and_unsourced_content() -> None:
    doc = fresh(NMC)
    doc["billOfMaterials"][2]["composition"]["compound"] = "nmc9-0.5-0.5"
    del doc["billOfMaterials"][1]["composition"]["elements"][0]["massFractionSource"]
    assert _errors(doc) == [
        ("recycled.content-source-missing",
         "/billOfMaterials/1/composition/elements/0/massFraction", "error"),
        ("recycled.compound-unknown", "/billOfMaterials/2/composition/compound", "error"),
    ]  # fmt: skip


def test_element_not_in_compound() -> None:
    doc = fresh(LFP)
    doc["billOfMaterials"][0]["composition"]["elements"].append(
        {"element": "cobalt", "massFraction": 0.01, "massFractionSource": "assay (synthetic)"}
    )
    assert _errors(doc) == [
        ("recycled.element-not-in-compound",
         "/billOfMaterials/0/composition/elements/1/element", "error")
    ]  # fmt: skip


def test_unevidenced_share_is_counted_with_a_warning() -> None:
    doc = fresh(LEAD_ACID)
    del doc["billOfMaterials"][1]["composition"]["elements"][0]["evidence"]
    outcome = compute(doc)
    assert outcome.result is not None
    lead = outcome.result.element(PB)
    assert lead is not None
    assert lead.recovered == pytest.approx(6.0951752)
    assert (
        "recycled.evidence-missing",
        "/billOfMaterials/1/composition/elements/0",
        "warning",
    ) in codes(outcome.issues)


def test_battery_without_art8_elements_is_not_covered() -> None:
    # a sodium-ion-like battery: only a graphite anode declared among the active materials
    doc = fresh(LFP)
    doc["billOfMaterials"] = doc["billOfMaterials"][2:]
    result = compute(doc).result
    assert result is not None
    assert result.elements == ()
    assert result.targets == ()
    assert result.scope.covered is False
    assert result.scope.reason.startswith("no cobalt, lead, lithium or nickel")


def _with_purchased_cells(active_materials: list[dict[str, object]] | None) -> dict[str, object]:
    """The LFP system built from purchased cells: no active material in its own BOM."""
    doc = fresh(LFP)
    doc["billOfMaterials"] = [
        {
            "id": "housing",
            "material": "Steel housing",
            "category": "pack-housing",
            "mass": "100 kg",
            "emissionFactor": {"value": "2 kg CO2e/kg", "source": "synthetic test value"},
        }
    ]
    cells: dict[str, object] = {
        "id": "cells",
        "name": "LFP prismatic cells",
        "supplier": {"name": "Cell maker C", "country": "CN"},
        "process": "cell-manufacture",
        "amount": "96 piece",
        "footprint": {"value": "30 kg CO2e/piece", "source": "synthetic test value"},
    }
    if active_materials is not None:
        cells["activeMaterials"] = active_materials
    doc["purchasedComponents"] = [cells]
    return doc


def test_active_materials_inside_purchased_cells() -> None:
    doc = _with_purchased_cells(
        [
            {
                "id": "cells.cathode",
                "material": "LFP in the purchased cells",
                "category": "cathode-active-material",
                "mass": "250 kg",
                "composition": {
                    "compound": "lfp",
                    "elements": [
                        {"element": "lithium", "preConsumer": 0.02, "postConsumer": 0.05,
                         "evidence": "cell maker's recycled-content statement (synthetic)"}
                    ],
                },
            },
            {
                "id": "cells.anode",
                "material": "Graphite in the purchased cells",
                "category": "anode-active-material",
                "mass": "110 kg",
                "composition": {"compound": "graphite"},
            },
        ]
    )  # fmt: skip
    outcome = compute(doc)
    result = outcome.result
    assert result is not None, codes(outcome.issues)
    # 250 kg LiFePO4: Li = 250 x 0.043992 = 10.998 kg; 0.07 recovered -> 0.76986 kg -> 7.0 %
    lithium = result.element(LI)
    assert lithium is not None
    assert lithium.total.magnitude == pytest.approx(10.998)
    assert lithium.recovered == pytest.approx(0.76986)
    assert lithium.share_percent == 7.0
    assert lithium.lines[0].pointer == "/purchasedComponents/0/activeMaterials/0"


def test_purchased_cells_without_active_materials() -> None:
    outcome = compute(_with_purchased_cells(None))
    assert outcome.result is None
    assert [c for c in codes(outcome.issues) if c[2] == "error"] == [
        ("recycled.element-data-missing", "/purchasedComponents/0", "error"),
        ("recycled.element-data-missing", "/billOfMaterials", "error"),
    ]
