"""Clear names of the chemistry codes (Annex VI Part A(7); Battery Pass ``clearName``).

Cathode/anode naming as in DIN DKE SPEC 99100 6.5.1 examples and common industry usage; used
when the submission gives no ``chemistryDescription`` of its own.
"""

from __future__ import annotations

from compliance.models import Chemistry

__all__ = ["clear_name"]

_NAMES = {
    Chemistry.NMC111: "Lithium nickel manganese cobalt oxide (Ni:Mn:Co 1:1:1) / graphite",
    Chemistry.NMC532: "Lithium nickel manganese cobalt oxide (Ni:Mn:Co 5:3:2) / graphite",
    Chemistry.NMC622: "Lithium nickel manganese cobalt oxide (Ni:Mn:Co 6:2:2) / graphite",
    Chemistry.NMC811: "Lithium nickel manganese cobalt oxide (Ni:Mn:Co 8:1:1) / graphite",
    Chemistry.NMCA: "Lithium nickel manganese cobalt aluminium oxide / graphite",
    Chemistry.NCA: "Lithium nickel cobalt aluminium oxide / graphite",
    Chemistry.LFP: "Lithium iron phosphate / graphite",
    Chemistry.LMFP: "Lithium manganese iron phosphate / graphite",
    Chemistry.LMO: "Lithium manganese oxide / graphite",
    Chemistry.LCO: "Lithium cobalt oxide / graphite",
    Chemistry.LTO: "Lithium titanate anode",
    Chemistry.SODIUM_ION: "Sodium-ion",
    Chemistry.NIMH: "Nickel-metal hydride",
    Chemistry.LEAD_ACID: "Lead-acid",
    Chemistry.OTHER: "Other chemistry (see the chemistry description)",
}


def clear_name(code: Chemistry) -> str:
    """The clear name of a chemistry code.

    >>> clear_name(Chemistry.LFP)
    'Lithium iron phosphate / graphite'
    """
    return _NAMES[code]
