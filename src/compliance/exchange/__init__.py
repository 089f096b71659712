"""Data exchange with the ecosystem: supplier PCF import and product PCF export by format.

The formats are a registry (:mod:`compliance.exchange.registry`): PACT v2/v3 and Ouranos import,
PACT v3 / v2.3 and Catena-X PCF 9.0.0 export.
Pure core: bytes and documents in, documents and located issues out.
"""

from __future__ import annotations
