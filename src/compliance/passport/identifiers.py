"""Identifiers and the data-carrier payload of a passport.

* Battery identifier (Art. 77(3): unique, ISO/IEC 15459): the operator's own when given; with a
  GTIN, the GS1 element string ``(01)<GTIN-14>(21)<serial>`` (GS1 is an ISO/IEC 15459 issuing
  agency); otherwise a name-based ``urn:uuid`` (UUIDv5) of the manufacturer's name, the model and
  the serial number, so the same battery always gets the same identifier (no randomness in the
  core). Operators should give their own ISO/IEC 15459 identifier or a GTIN: a renamed
  manufacturer would otherwise derive new identifiers.
* Passport identifier: ``urn:uuid`` (UUIDv5) of the battery identifier, status and predecessors:
  a repurposed battery gets a new passport, a new version keeps its identifier.
* GS1 Digital Link URI ``<base>/01/<GTIN-14>/21/<serial>`` when a GTIN is known (GS1 Digital Link
  standard 1.2 allows the brand owner's own resolver domain), else the public passport URL
  ``<base>/passports/<passport id>``; the QR code carries that URL (interop.md section 5).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import quote

from stdnum import ean

__all__ = [
    "NAMESPACE",
    "battery_identifier",
    "gs1_digital_link",
    "gtin14",
    "passport_identifier",
    "public_url",
    "uuid5_urn",
]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:compliance:battery-passport")
"""Namespace of the engine's name-based UUIDs (fixed forever: identifiers must not change)."""
_NAMESPACE_BYTES = NAMESPACE.bytes


def uuid5_urn(name: str) -> str:
    """``uuid.uuid5(NAMESPACE, name).urn``, without building a ``UUID`` object.

    RFC 9562 section 5.5: the first 16 bytes of SHA-1(namespace + name), version 5 in the high
    nibble of byte 6 and the variant bits 10 in byte 8.

    >>> uuid5_urn("battery|x") == uuid.uuid5(NAMESPACE, "battery|x").urn
    True
    """
    raw = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name.encode()).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50
    raw[8] = (raw[8] & 0x3F) | 0x80
    text = raw.hex()
    return f"urn:uuid:{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@lru_cache(maxsize=1024)
def gtin14(gtin: str) -> str | None:
    """The GTIN padded to 14 digits, or ``None`` when its check digit is wrong.

    >>> gtin14("4012345000009")
    '04012345000009'
    >>> gtin14("4012345000008") is None
    True
    """
    if not ean.is_valid(gtin):
        return None
    return gtin.zfill(14)


def battery_identifier(
    *, manufacturer: str, model: str, serial: str, gtin: str | None, given: str | None
) -> str:
    """The unique identifier of one battery (see the module docstring)."""
    if given:
        return given
    if gtin:
        return f"(01){gtin}(21){serial}"
    return uuid5_urn(f"battery|{manufacturer}|{model}|{serial}")


def passport_identifier(battery: str, status: str, predecessors: Sequence[str]) -> str:
    """The passport identifier: stable across versions, new for each repurposed life.

    >>> first = passport_identifier("urn:x:1", "original", [])
    >>> first == passport_identifier("urn:x:1", "original", [])
    True
    >>> first == passport_identifier("urn:x:1", "repurposed", [first])
    False
    """
    return uuid5_urn(f"passport|{battery}|{status}|{','.join(sorted(predecessors))}")


def gs1_digital_link(base_url: str, gtin: str, serial: str) -> str:
    """GS1 Digital Link URI for a serialised item (primary key 01, key qualifier 21).

    >>> gs1_digital_link("https://id.example.com/", "04012345000009", "SN 1")
    'https://id.example.com/01/04012345000009/21/SN%201'
    """
    return f"{base_url.rstrip('/')}/01/{gtin}/21/{quote(serial, safe='')}"


def public_url(base_url: str, passport: str) -> str:
    """URL of the public view of a passport.

    >>> public_url("https://passport.example.org", "urn:uuid:1")
    'https://passport.example.org/passports/urn%3Auuid%3A1'
    """
    return f"{base_url.rstrip('/')}/passports/{quote(passport, safe='')}"
