"""Data exchange with the ecosystem: supplier PCF import and product PCF export by format.

The formats are a registry (:mod:`compliance.exchange.registry`): PACT v2/v3 import and PACT v3 /
v2.3 export are registered here; other formats (Catena-X PCF, Ouranos) register the same way.
Pure core: bytes and documents in, documents and located issues out.
"""

from __future__ import annotations
