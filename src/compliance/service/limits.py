"""Request size limit (ASGI middleware): a larger body is a 413 problem, never read whole.

A ``Content-Length`` above the limit is refused before the body is read; a body without one
(chunked) is counted as it arrives and refused when it passes the limit.
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from compliance.service.problems import PROBLEM_JSON, Problem, problem_body, request_issue

__all__ = ["BodyLimit", "TooLarge"]


class TooLarge(Problem):
    """The body passed the limit while it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"the request body is larger than the limit of {limit} bytes "
            "(COMPLIANCE_MAX_REQUEST_SIZE)",
            issues=[request_issue(["body"], f"larger than {limit} bytes", "request.too-large")],
        )


class BodyLimit:
    """Refuse request bodies larger than ``limit`` bytes with a 413 problem."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, scope: Scope, send: Send, status: int, exc: Problem) -> None:
        body = orjson.dumps(
            problem_body(status, exc.detail, instance=scope.get("path"), issues=exc.issues)
        )
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with its body counted (or answer 400/413 at once)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0:
                problem = Problem(
                    400,
                    "the Content-Length header is not a number",
                    issues=[request_issue(["header", "content-length"], "not a number")],
                )
                await self._refuse(scope, send, 400, problem)
                return
            if declared > self.limit:
                await self._refuse(scope, send, 413, TooLarge(self.limit))
                return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise TooLarge(self.limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge as exc:
            if not started:
                await self._refuse(scope, send, 413, exc)
