"""PACT error responses: ``{"code": <ErrorCode>, "message": ...}`` (PACT v3 section 5, Error)."""

from __future__ import annotations

from enum import StrEnum

import orjson
from starlette.responses import Response

__all__ = ["PactCode", "PactError", "pact_response"]


class PactCode(StrEnum):
    """The PACT v3 error codes and their HTTP statuses (interop.md section 1.5)."""

    ACCESS_DENIED = "AccessDenied"
    BAD_REQUEST = "BadRequest"
    NOT_FOUND = "NotFound"
    NOT_IMPLEMENTED = "NotImplemented"
    TOKEN_EXPIRED = "TokenExpired"
    INTERNAL_ERROR = "InternalError"

    @property
    def status(self) -> int:
        """The HTTP status of the code."""
        return {
            PactCode.ACCESS_DENIED: 403,
            PactCode.BAD_REQUEST: 400,
            PactCode.NOT_FOUND: 404,
            PactCode.NOT_IMPLEMENTED: 400,
            PactCode.TOKEN_EXPIRED: 401,
            PactCode.INTERNAL_ERROR: 500,
        }[self]


class PactError(Exception):
    """Raise in a PACT route to answer with a PACT error body."""

    def __init__(self, code: PactCode, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else code.status


def pact_response(code: PactCode, message: str, status: int | None = None) -> Response:
    """The JSON error response (a 401 names the Bearer scheme)."""
    status = status if status is not None else code.status
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status == 401 else None
    return Response(
        orjson.dumps({"code": code.value, "message": message}),
        status,
        headers=headers,
        media_type="application/json",
    )
