"""The service's web pages: sign-in, dashboard, documents, upload, the public passport page.

Server-rendered with the reports' Jinja2 environment and stylesheet (``templates/web/``), no
script and no build step. Modules: :mod:`~compliance.service.web.routes` (the page routes under
``/web``), :mod:`~compliance.service.web.passport_page` (the public passport as HTML),
:mod:`~compliance.service.web.negotiation` (``Accept`` and ``Accept-Language``),
:mod:`~compliance.service.web.rendering` and :mod:`~compliance.service.web.views`. See
``docs/web.md``.
"""
