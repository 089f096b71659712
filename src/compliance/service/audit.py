"""The audit trail: an append-only, hash-chained log of every write, in the write's transaction.

Each entry records who (``actor``), when (``at``, ISO 8601 UTC), what (``action`` on
``resource``, with the organisation) and the SHA-256 ``digest`` of the stored document, if any.
Its ``entry_hash`` is the SHA-256 of the canonical JSON of those fields, its sequence number and
the previous entry's hash (``prev_hash``; 64 zeros for the first). The chain head (last sequence
number and hash) is kept in the one-row ``audit_head`` table, updated by every write: an entry
altered, removed (also the last ones) or moved is found by :func:`verify`, which also checks that
every stored document still has the digest its entry recorded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.service.tables import AuditEntry, AuditHead, DocumentVersion, PassportVersion

__all__ = ["GENESIS", "Chain", "Verification", "entry_hash", "verify"]

GENESIS = "0" * 64


def entry_hash(
    *,
    seq: int,
    at: str,
    actor: str,
    org_id: str | None,
    action: str,
    resource: str,
    digest: str | None,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry's fields."""
    content = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "orgId": org_id,
        "action": action,
        "resource": resource,
        "digest": digest,
        "prevHash": prev_hash,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Chain:
    """The chain within one write transaction: locks the head, then appends entries.

    Taking the head row ``FOR UPDATE`` serialises writers on PostgreSQL (SQLite write
    transactions are already serial: they begin ``IMMEDIATE``).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.head = session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update()
        ).scalar_one()

    def append(
        self,
        *,
        actor: str,
        org_id: str | None,
        action: str,
        resource: str,
        digest: str | None = None,
        at: datetime | None = None,
    ) -> AuditEntry:
        """Add one entry after the head and move the head to it."""
        moment = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
        seq = self.head.seq + 1
        hashed = entry_hash(
            seq=seq,
            at=moment,
            actor=actor,
            org_id=org_id,
            action=action,
            resource=resource,
            digest=digest,
            prev_hash=self.head.hash,
        )
        entry = AuditEntry(
            seq=seq,
            at=moment,
            actor=actor,
            org_id=org_id,
            action=action,
            resource=resource,
            digest=digest,
            prev_hash=self.head.hash,
            entry_hash=hashed,
        )
        self.session.add(entry)
        self.head.seq = seq
        self.head.hash = hashed
        return entry


@dataclass
class Verification:
    """The outcome of :func:`verify`: entries checked and every problem found."""

    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the chain and the stored documents are intact."""
        return not self.problems


def _document_digests(session: Session) -> dict[str, str]:
    out = {}
    for row in session.execute(
        select(DocumentVersion.document_id, DocumentVersion.version, DocumentVersion.content)
    ):
        out[f"documents/{row.document_id}/versions/{row.version}"] = (
            "sha256:" + hashlib.sha256(row.content).hexdigest()
        )
    for prow in session.execute(
        select(PassportVersion.passport_id, PassportVersion.version, PassportVersion.content)
    ):
        out[f"passports/{prow.passport_id}/versions/{prow.version}"] = (
            "sha256:" + hashlib.sha256(prow.content).hexdigest()
        )
    return out


def verify(session: Session) -> Verification:
    """Check the whole chain, the head and the digests of the stored documents."""
    result = Verification()
    previous = GENESIS
    expected_seq = 1
    recorded: dict[str, str] = {}
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        result.entries += 1
        where = f"entry {entry.seq}"
        if entry.seq != expected_seq:
            result.problems.append(
                f"{where}: expected sequence number {expected_seq} (entries removed?)"
            )
        if entry.prev_hash != previous:
            result.problems.append(f"{where}: does not link to the entry before it")
        actual = entry_hash(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            org_id=entry.org_id,
            action=entry.action,
            resource=entry.resource,
            digest=entry.digest,
            prev_hash=entry.prev_hash,
        )
        if actual != entry.entry_hash:
            result.problems.append(f"{where}: its content does not match its hash (altered)")
        if entry.digest is not None:
            recorded[entry.resource] = entry.digest
        previous = entry.entry_hash
        expected_seq = entry.seq + 1
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None:
        result.problems.append("the chain head is missing")
    elif head.seq != expected_seq - 1 or head.hash != previous:
        result.problems.append(
            f"the chain ends at entry {expected_seq - 1} but its head records entry {head.seq} "
            "(entries removed from the end?)"
        )
    stored = _document_digests(session)
    for resource, digest in stored.items():
        if resource not in recorded:
            result.problems.append(f"{resource}: stored without an audit entry")
        elif recorded[resource] != digest:
            result.problems.append(f"{resource}: the stored document does not match its digest")
    for resource in recorded.keys() - stored.keys():
        result.problems.append(f"{resource}: recorded in the audit trail but missing")
    return result
