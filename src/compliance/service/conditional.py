"""JSON responses with ETags and conditional GETs (RFC 9110 section 13), and RFC 8288 paging."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

__all__ = ["Page", "etag_of", "json_response", "link_header"]


def etag_of(body: bytes) -> str:
    """A strong ETag of a representation: a quoted SHA-256 prefix of its bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    if header.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags  # weak comparison (RFC 9110 section 13.1.2)


def json_response(
    request: Request,
    content: Any,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    media_type: str = "application/json",
    raw: bytes | None = None,
) -> Response:
    """A JSON response with its ETag; a GET whose ``If-None-Match`` matches is a 304."""
    body = raw if raw is not None else orjson.dumps(content)
    etag = etag_of(body)
    out = {"ETag": etag, **(headers or {})}
    if request.method in ("GET", "HEAD") and status == 200 and _not_modified(request, etag):
        return Response(status_code=304, headers=out)
    return Response(body, status, headers=out, media_type=media_type)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: ``offset``, ``limit`` and the ``total`` count."""

    offset: int
    limit: int
    total: int


def link_header(request: Request, page: Page) -> str:
    """The RFC 8288 ``Link`` header: first, prev, next and last pages."""
    links = []

    def url(offset: int) -> str:
        return str(request.url.include_query_params(offset=offset, limit=page.limit))

    links.append(f'<{url(0)}>; rel="first"')
    if page.offset > 0:
        links.append(f'<{url(max(0, page.offset - page.limit))}>; rel="prev"')
    if page.offset + page.limit < page.total:
        links.append(f'<{url(page.offset + page.limit)}>; rel="next"')
    last = max(0, (page.total - 1) // page.limit * page.limit) if page.total else 0
    links.append(f'<{url(last)}>; rel="last"')
    return ", ".join(links)
