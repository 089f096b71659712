"""Reading and writing PACT footprints and outbox events (SQLAlchemy sessions of the service)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.service.auth import Principal
from compliance.service.tables import PactFootprint, PactOutbox

__all__ = [
    "PUBLISHED",
    "RECEIVED",
    "add_footprint",
    "document_of",
    "find_published",
    "latest_published",
    "outbox_add",
    "visible_published",
]

PUBLISHED, RECEIVED = "published", "received"


def document_of(row: PactFootprint) -> dict[str, Any]:
    """The footprint JSON with its current status."""
    document: dict[str, Any] = json.loads(row.content)
    document["status"] = row.status
    return document


def product_key(document: Mapping[str, Any]) -> str:
    """The first productId in lower case (the identity of the product across versions)."""
    ids = document.get("productIds") or [""]
    return str(ids[0]).lower()[:300]


def visible_published(session: Session, principal: Principal) -> Iterator[PactFootprint]:
    """The published footprints the caller may read, oldest first (a stable page order)."""
    query = select(PactFootprint).where(PactFootprint.origin == PUBLISHED)
    if principal.scope is not None:
        query = query.where(PactFootprint.org_id.in_(sorted(principal.scope)))
    yield from session.execute(
        query.order_by(PactFootprint.created_at, PactFootprint.pf_id)
    ).scalars()


def find_published(session: Session, principal: Principal, pf_id: str) -> PactFootprint | None:
    """A published footprint by id, if the caller may read it."""
    rows = session.execute(
        select(PactFootprint).where(
            PactFootprint.origin == PUBLISHED, PactFootprint.pf_id == pf_id.lower()
        )
    ).scalars()
    return next((r for r in rows if principal.can_read(r.org_id)), None)


def latest_published(
    session: Session, org_id: str, key: str, spec_major: str
) -> PactFootprint | None:
    """The newest Active published footprint of a product in one PACT generation."""
    rows = session.execute(
        select(PactFootprint)
        .where(
            PactFootprint.origin == PUBLISHED,
            PactFootprint.org_id == org_id,
            PactFootprint.product_key == key,
            PactFootprint.status == "Active",
        )
        .order_by(PactFootprint.created_at.desc())
    ).scalars()
    return next((r for r in rows if r.spec_version.split(".")[0] == spec_major), None)


def add_footprint(
    session: Session,
    *,
    org_id: str,
    origin: str,
    document: Mapping[str, Any],
    actor: str,
    now: datetime,
    submission: tuple[str, int] | None = None,
) -> PactFootprint:
    """Store a footprint (the caller checks it is not stored yet)."""
    row = PactFootprint(
        id=str(uuid.uuid4()),
        org_id=org_id,
        origin=origin,
        pf_id=str(document["id"]).lower(),
        spec_version=str(document["specVersion"]),
        product_key=product_key(document),
        status=str(document.get("status", "Active")),
        content=json.dumps(document, ensure_ascii=False).encode("utf-8"),
        submission_id=submission[0] if submission else None,
        submission_version=submission[1] if submission else None,
        created_at=now,
        created_by=actor,
    )
    session.add(row)
    return row


def outbox_add(
    session: Session,
    *,
    org_id: str | None,
    request_event_id: str,
    target: str,
    event: Mapping[str, Any],
    now: datetime,
) -> PactOutbox:
    """Record an event owed to a partner (before it is sent: nothing acknowledged is lost)."""
    row = PactOutbox(
        id=str(uuid.uuid4()),
        org_id=org_id,
        request_event_id=request_event_id[:300],
        target=target[:2000],
        event=json.dumps(event, ensure_ascii=False).encode("utf-8"),
        status="pending",
        attempts=0,
        last_error=None,
        created_at=now,
    )
    session.add(row)
    return row
