"""One write: a transaction holding the audit chain lock, idempotency, and the audit entry.

Every route that changes data calls :func:`commit`, whose ``build`` adds the rows, appends the
audit entries (same transaction) and returns the response; the response of a POST with an
``Idempotency-Key`` is stored in that transaction too. The heavy work (validation, CFP) runs
before, outside the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.responses import Response

from compliance.service.audit import Chain
from compliance.service.idempotency import Idempotency
from compliance.service.problems import Problem
from compliance.service.state import Service

__all__ = ["commit", "iso", "utc_now"]


def utc_now() -> datetime:
    """The current time (UTC), for writes outside a request (CLI commands)."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 UTC text of a stored time (SQLite returns naive datetimes: they are UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def commit(
    service: Service,
    idempotency: Idempotency | None,
    build: Callable[[Session, Chain], Response],
) -> Response:
    """Run ``build`` in a write transaction (replaying a stored idempotent response instead)."""
    if idempotency is not None:
        with service.db.read() as session:
            replay = idempotency.replay(session)
        if replay is not None:
            return replay
    for _ in range(3):
        try:
            with service.db.write() as session:
                chain = Chain(session)
                if idempotency is not None:
                    replay = idempotency.replay(session)
                    if replay is not None:
                        return replay
                response = build(session, chain)
                if idempotency is not None:
                    idempotency.save(session, response, service.now())
            return response
        except IntegrityError:
            continue  # a concurrent write took the same unique value: look again
    raise Problem(409, "the write conflicted with concurrent writes; retry it")
