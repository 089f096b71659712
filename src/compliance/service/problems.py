"""RFC 9457 problem details (``application/problem+json``) for every error the service returns.

A problem carries the core's located :class:`~compliance.errors.Issue` objects in ``issues`` (the
CLI's wire shape: code, severity, layer, JSON Pointer, message), so a rejected document reads the
same over HTTP as on the command line. Request-level problems (a missing parameter, a wrong type)
become issues too, with a pointer into the request: ``/query/limit``, ``/header/idempotency-key``,
``/body/name``. The ``type`` of a problem is ``/problems/<slug>`` (listed in docs/service.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from compliance.errors import Issue, Layer, pointer_from_path

__all__ = [
    "PROBLEM_JSON",
    "Problem",
    "install_handlers",
    "problem_body",
    "problem_response",
    "request_issue",
]

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("compliance.service")

_SLUGS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid",
    428: "precondition-required",
    500: "internal-error",
}


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        issues: Sequence[Issue] = (),
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug or _SLUGS.get(status, "error")
        self.issues = tuple(issues)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def problem_body(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    instance: str | None = None,
    issues: Iterable[Issue] = (),
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The problem document (RFC 9457 section 3) as a dict."""
    body: dict[str, Any] = {
        "type": f"/problems/{slug or _SLUGS.get(status, 'error')}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    body["issues"] = [issue.to_dict() for issue in issues]
    body.update(extra or {})
    return body


def problem_response(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    instance: str | None = None,
    issues: Iterable[Issue] = (),
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """A ``application/problem+json`` response."""
    body = problem_body(status, detail, slug=slug, instance=instance, issues=issues, extra=extra)
    return Response(orjson.dumps(body), status, headers=headers, media_type=PROBLEM_JSON)


def request_issue(
    location: Sequence[str | int], message: str, code: str = "request.invalid"
) -> Issue:
    """An issue about the request itself, located by a pointer such as ``/query/limit``."""
    return Issue(code, pointer_from_path(location), message, layer=Layer.PARSE)


def _validation_issues(exc: RequestValidationError) -> list[Issue]:
    issues = []
    for error in exc.errors():
        location = [str(p) if not isinstance(p, int) else p for p in error.get("loc", ())]
        if location and location[0] == "header":
            location = ["header", str(location[1]).replace("_", "-").lower(), *location[2:]]
        issues.append(request_issue(location, str(error.get("msg", "invalid value"))))
    return issues


def install_handlers(app: FastAPI) -> None:
    """Answer every error (ours, HTTP, request validation, unexpected) with a problem document."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem_response(
            exc.status,
            exc.detail,
            slug=exc.slug,
            instance=request.url.path,
            issues=exc.issues,
            headers=exc.headers,
            extra=exc.extra,
        )

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem_response(
            exc.status_code,
            detail,
            instance=request.url.path,
            headers=dict(exc.headers or {}),
        )

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        issues = _validation_issues(exc)
        detail = "; ".join(f"{i.pointer or '/'}: {i.message}" for i in issues[:5])
        return problem_response(
            422, f"the request is invalid: {detail}", instance=request.url.path, issues=issues
        )

    async def on_error(request: Request, exc: Exception) -> Response:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(
            500,
            "an unexpected error occurred; it has been logged",
            instance=request.url.path,
        )

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_error)
