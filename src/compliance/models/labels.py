"""Human labels of document fields, from their wire names (one rule for every edge)."""

from __future__ import annotations

import re

__all__ = ["field_label", "humanize"]

_SPECIAL = {
    "bol": "BoL",
    "cas": "CAS",
    "id": "ID",
    "url": "URL",
    "eol": "EoL",
    "gtin": "GTIN",
    "soc": "SoC",
    "cfp": "CFP",
    "pcf": "PCF",
    "gwp": "GWP",
}


def humanize(token: str) -> str:
    """A label from a camelCase member name.

    >>> humanize("usableEnergyBol")
    'Usable energy BoL'
    >>> humanize("casNumber")
    'CAS number'
    >>> humanize("originalPowerCapability")
    'Original power capability'
    """
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", token).split()
    out = [_SPECIAL.get(w.lower(), w.lower()) for w in words]
    if out and out[0] == out[0].lower():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def field_label(pointer: str) -> str:
    """The label of the field a JSON Pointer names (its last member, array indices skipped).

    >>> field_label("/passport/performance/originalPowerCapability")
    'Original power capability'
    >>> field_label("/billOfMaterials/0/mass")
    'Mass'
    """
    members = [t for t in pointer.split("/") if t and not t.isdigit()]
    return humanize(members[-1]) if members else "Document"
