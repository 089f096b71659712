"""The PACT v3 API of the service (``/3/footprints``, ``/3/events``) and the PACT uploads/exports.

See ``docs/interop.md``. :func:`install` adds the routes, the PACT error bodies and the
HTTPS-only guard to the app.
"""

from __future__ import annotations

from compliance.service.pact.install import install

__all__ = ["install"]
