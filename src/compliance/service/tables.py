"""The database tables (SQLAlchemy 2 declarative); the Alembic migrations create them.

Documents are immutable versions: a ``documents`` row names a submission or questionnaire series
of one organisation; each POST adds a ``document_versions`` row (never updated) with the bytes,
their SHA-256 and the validation result. Passports likewise (``passports`` + ``passport_versions``
holding the sealed canonical bytes). ``audit_log`` is the hash chain of every write.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AccessToken",
    "ApiClient",
    "ApiKey",
    "Assignment",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Document",
    "DocumentVersion",
    "IdempotencyRecord",
    "Organisation",
    "PactFootprint",
    "PactOutbox",
    "PassportRecord",
    "PassportVersion",
    "SessionRecord",
    "User",
]

Id = String(36)
When = DateTime(timezone=True)


class Base(DeclarativeBase):
    """Declarative base of the service tables."""


class Organisation(Base):
    """A tenant: a supplier, an economic operator, an auditor, an authority or the platform."""

    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(When)


class User(Base):
    """A person who logs in with a password (browser session)."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str] = mapped_column(Id, ForeignKey("organisations.id"), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(When)


class ApiClient(Base):
    """An OAuth2 client (client-credentials grant); the secret is stored as its SHA-256."""

    __tablename__ = "api_clients"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str] = mapped_column(Id, ForeignKey("organisations.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(100), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(When)


class ApiKey(Base):
    """An API key (``X-API-Key``): a public key id and the SHA-256 of the whole key."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str] = mapped_column(Id, ForeignKey("organisations.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(When)


class AccessToken(Base):
    """An issued bearer token (stored as its SHA-256) of a client."""

    __tablename__ = "access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_pk: Mapped[str] = mapped_column(Id, ForeignKey("api_clients.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(When)


class SessionRecord(Base):
    """A browser session (the cookie holds the id; stored as its SHA-256) and its CSRF token."""

    __tablename__ = "sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(Id, ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(When)


class Assignment(Base):
    """An auditor organisation may read the data of an assigned organisation."""

    __tablename__ = "assignments"
    auditor_org_id: Mapped[str] = mapped_column(
        Id, ForeignKey("organisations.id"), primary_key=True
    )
    org_id: Mapped[str] = mapped_column(Id, ForeignKey("organisations.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(When)


class Document(Base):
    """A submission or DD questionnaire of one organisation: the series of its versions."""

    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str] = mapped_column(Id, ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    latest_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(When, index=True)
    created_by: Mapped[str] = mapped_column(String(200))


class DocumentVersion(Base):
    """One immutable version: the bytes as received and the validation result stored with it."""

    __tablename__ = "document_versions"
    document_id: Mapped[str] = mapped_column(Id, ForeignKey("documents.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    valid: Mapped[bool] = mapped_column(Boolean)
    issues: Mapped[str] = mapped_column(Text)
    """JSON list of the issues (the CLI's wire shape)."""
    summary: Mapped[str] = mapped_column(Text)
    """JSON object: headline results (CFP per kWh, DD risk level, red flags ...)."""
    as_of: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(When)
    created_by: Mapped[str] = mapped_column(String(200))


class PassportRecord(Base):
    """A passport of one organisation, found by identifier and public URL path."""

    __tablename__ = "passports"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str] = mapped_column(Id, ForeignKey("organisations.id"), index=True)
    identifier: Mapped[str] = mapped_column(String(300), unique=True)
    public_path: Mapped[str] = mapped_column(String(500), unique=True)
    latest_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(When, index=True)


class PassportVersion(Base):
    """One sealed version (canonical bytes, digest, signature inside) of a passport."""

    __tablename__ = "passport_versions"
    passport_id: Mapped[str] = mapped_column(Id, ForeignKey("passports.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    digest: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(30))
    submission_id: Mapped[str] = mapped_column(Id)
    submission_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(When)
    created_by: Mapped[str] = mapped_column(String(200))


class IdempotencyRecord(Base):
    """The response to a POST with an ``Idempotency-Key``, replayed for a retry."""

    __tablename__ = "idempotency"
    principal: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    headers: Mapped[str] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(When)


class AuditHead(Base):
    """The single row holding the chain head; every write updates it first (serialising writes)."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class AuditEntry(Base):
    """One write: who, when, what, the digest of the stored document, linked by hash."""

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("prev_hash"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    """ISO 8601 UTC text (hashed as stored)."""
    actor: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[str | None] = mapped_column(Id, nullable=True)
    action: Mapped[str] = mapped_column(String(60))
    resource: Mapped[str] = mapped_column(String(300))
    digest: Mapped[str | None] = mapped_column(String(80), nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class PactFootprint(Base):
    """A PACT ProductFootprint of an organisation, published or received.

    Published: its battery's cradle-to-gate PCF, served on ``/3/footprints``; received: a
    supplier's, uploaded or delivered by a Fulfilled event.

    The document is immutable (PACT v3 section 7.2); only ``status`` changes, to ``Deprecated``
    when a successor is published.
    """

    __tablename__ = "pact_footprints"
    __table_args__ = (UniqueConstraint("org_id", "origin", "pf_id"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str] = mapped_column(Id, ForeignKey("organisations.id"), index=True)
    origin: Mapped[str] = mapped_column(String(20), index=True)
    """``published`` or ``received``."""
    pf_id: Mapped[str] = mapped_column(String(36), index=True)
    spec_version: Mapped[str] = mapped_column(String(20))
    product_key: Mapped[str] = mapped_column(String(300), index=True)
    """The first productId, lower case: how a successor finds its predecessor."""
    status: Mapped[str] = mapped_column(String(20))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    """The footprint JSON as published or received (``status`` is the column's)."""
    submission_id: Mapped[str | None] = mapped_column(Id, nullable=True)
    submission_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(When, index=True)
    created_by: Mapped[str] = mapped_column(String(200))


class PactOutbox(Base):
    """An event the service owes a PACT partner (the answer to a request event) and its delivery."""

    __tablename__ = "pact_outbox"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    org_id: Mapped[str | None] = mapped_column(Id, nullable=True, index=True)
    request_event_id: Mapped[str] = mapped_column(String(300))
    target: Mapped[str] = mapped_column(String(2000))
    event: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20))
    """``pending``, ``delivered`` or ``failed``."""
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(When, index=True)
