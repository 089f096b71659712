"""``Idempotency-Key`` on POST (draft-ietf-httpapi-idempotency-key-header).

The first response to a key is stored with the hash of its request in the write's transaction;
a retry with the same key and the same request gets the stored response (and header
``Idempotent-Replayed: true``) and never writes again. The same key with a different request is
a 422 problem. Keys are scoped to the caller. The check runs again inside the write transaction
(which holds the audit chain lock), so two concurrent retries never both write.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session
from starlette.responses import Response

from compliance.service.problems import Problem, request_issue
from compliance.service.tables import IdempotencyRecord

__all__ = ["Idempotency"]

_KEPT_HEADERS = ("location", "etag", "content-type")


@dataclass(frozen=True, slots=True)
class Idempotency:
    """The key of one POST and the hash of its request."""

    principal: str
    key: str
    request_hash: str

    @classmethod
    def of(
        cls, key: str | None, principal: str, method: str, path: str, content_type: str, body: bytes
    ) -> Idempotency | None:
        """``None`` when the request has no key; a 422 problem for a malformed one."""
        if key is None:
            return None
        if not 1 <= len(key) <= 200 or not key.isprintable():
            raise Problem(
                422,
                "Idempotency-Key must be 1 to 200 printable characters",
                issues=[
                    request_issue(["header", "idempotency-key"], "1 to 200 printable characters")
                ],
            )
        digest = hashlib.sha256()
        for part in (method, path, content_type):
            digest.update(part.encode("utf-8", "replace") + b"\0")
        digest.update(body)
        return cls(principal, key, digest.hexdigest())

    def replay(self, session: Session) -> Response | None:
        """The stored response of this key, or ``None`` when the key is new."""
        row = session.get(IdempotencyRecord, (self.principal, self.key))
        if row is None:
            return None
        if row.request_hash != self.request_hash:
            raise Problem(
                422,
                "this Idempotency-Key was used for a different request",
                slug="idempotency-key-reused",
                issues=[
                    request_issue(["header", "idempotency-key"], "already used for another request")
                ],
            )
        headers = {**json.loads(row.headers), "Idempotent-Replayed": "true"}
        return Response(row.body, row.status_code, headers=headers)

    def save(self, session: Session, response: Response, now: datetime) -> None:
        """Store the response of this key (in the write transaction)."""
        headers = {k: v for k, v in response.headers.items() if k in _KEPT_HEADERS}
        session.add(
            IdempotencyRecord(
                principal=self.principal,
                key=self.key,
                request_hash=self.request_hash,
                status_code=response.status_code,
                headers=json.dumps(headers),
                body=bytes(response.body),
                created_at=now,
            )
        )
