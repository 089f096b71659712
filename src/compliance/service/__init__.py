"""The HTTP service (issue 16): supplier submission API, persistence, auth, tenancy, audit trail.

An edge package: routes and commands stay thin and call the core through
:mod:`compliance.pipeline`. :func:`compliance.service.app.create_app` builds the ASGI app from a
:class:`~compliance.service.settings.ServiceSettings`; ``compliance serve`` runs it with uvicorn.
See ``docs/service.md``.
"""
