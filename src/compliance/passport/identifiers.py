"""Identifiers and the data-carrier payload of a passport.

* Battery identifier (Art. 77(3): unique, ISO/IEC 15459): the operator's own when given; with a
  GTIN and a serial GS1 accepts, the GS1 element string ``(01)<GTIN-14>(21)<serial>`` (GS1 is an
  ISO/IEC 15459 issuing agency); otherwise a name-based ``urn:uuid`` (UUIDv5) of the
  manufacturer's name, the model and the serial number, so the same battery always gets the same
  identifier (no randomness in the core). Operators should give their own ISO/IEC 15459
  identifier or a GTIN: a renamed manufacturer would otherwise derive new identifiers.
* The serial as GS1 Application Identifier (21): at most 20 characters of GS1 AI encodable
  character set 82 (GS1 General Specifications, section 7.11, figure 7.11-1; AI (21) format
  ``N2+X..20``). A longer serial, or one with another character, cannot be a GS1 key
  qualifier: the battery is then identified by the operator's own identifier (another
  ISO/IEC 15459 scheme) or the ``urn:uuid`` above, the QR code carries the non-GS1 passport URL,
  and the GTIN stays in the identification block as the model's trade item number (the builder
  warns: ``passport.gtin-serial-unusable``).
* Passport identifier: ``urn:uuid`` (UUIDv5) of the battery identifier and the predecessors.
  Art. 77(7) gives a new passport only to a battery prepared for re-use or repurposing,
  repurposed or remanufactured, and such a battery lists its predecessor passports; a status
  change such as becoming waste is a new version of the same passport, so the status is not
  part of the identifier.
* GS1 Digital Link URI ``<base>/01/<GTIN-14>/21/<serial>`` when a GTIN and a GS1 serial are known
  (GS1 Digital Link standard 1.2 allows the brand owner's own resolver domain), else the public
  passport URL ``<base>/passports/<passport id>``; the QR code carries that URL (interop.md
  section 5).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from urllib.parse import quote

from stdnum import ean

__all__ = [
    "GS1_SERIAL_MAX",
    "NAMESPACE",
    "battery_identifier",
    "gs1_digital_link",
    "gs1_serial_problem",
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


GS1_SERIAL_MAX = 20
"""AI (21) serial number: up to 20 characters (GS1 General Specifications, AI (21), N2+X..20)."""
_CS82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
"""GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1)."""


def gs1_serial_problem(serial: str) -> str | None:
    """Why ``serial`` cannot be a GS1 AI (21) serial number, or ``None`` when it can.

    >>> gs1_serial_problem("EV80-2027-000123") is None
    True
    >>> gs1_serial_problem("A" * 21)
    'it has 21 characters; AI (21) holds at most 20'
    >>> gs1_serial_problem("SN#1")
    "'#' is not in GS1 character set 82"
    """
    if len(serial) > GS1_SERIAL_MAX:
        return f"it has {len(serial)} characters; AI (21) holds at most {GS1_SERIAL_MAX}"
    outside = sorted({c for c in serial if c not in _CS82})
    if outside:
        shown = ", ".join(repr(c) for c in outside)
        verb = "is" if len(outside) == 1 else "are"
        return f"{shown} {verb} not in GS1 character set 82"
    return None


def battery_identifier(
    *, manufacturer: str, model: str, serial: str, gtin: str | None, given: str | None
) -> str:
    """The unique identifier of one battery (see the module docstring).

    ``gtin`` is given only when ``serial`` is a GS1 serial (:func:`gs1_serial_problem`).
    """
    if given:
        return given
    if gtin:
        return f"(01){gtin}(21){serial}"
    return uuid5_urn(f"battery|{manufacturer}|{model}|{serial}")


def passport_identifier(battery: str, predecessors: Sequence[str]) -> str:
    """The passport identifier: the same for every version and status change, waste included.

    It is new for each life that Art. 77(7) gives a new passport (that life lists its
    predecessors).

    >>> first = passport_identifier("urn:x:1", [])
    >>> first == passport_identifier("urn:x:1", [])
    True
    >>> first == passport_identifier("urn:x:1", [first])
    False
    """
    return uuid5_urn(f"passport|{battery}|{','.join(sorted(predecessors))}")


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
