"""WBCSD PACT (Partnership for Carbon Transparency) product footprints: import and export.

Import v2.0-2.3 and v3.0 (:func:`read_pact`), export v3.0 and v2.3 (:func:`export_pact`).
See ``docs/interop.md``.
"""

from __future__ import annotations

from compliance.exchange.pact.reader import read_pact, read_pact_data

__all__ = ["read_pact", "read_pact_data"]
