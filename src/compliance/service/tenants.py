"""Creating tenants and principals: organisations, users, OAuth2 clients, API keys, assignments.

Shared by the admin routes, ``compliance db`` and the demo seed; every function writes in the
caller's transaction and appends its audit entry. Secrets are returned once and stored hashed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.service.audit import Chain
from compliance.service.auth import API_KEY_PREFIX, Role
from compliance.service.problems import Problem
from compliance.service.security import hash_password, new_secret, sha256_hex
from compliance.service.tables import ApiClient, ApiKey, Assignment, Organisation, User

__all__ = [
    "ROLES_OF_KIND",
    "Created",
    "OrgKind",
    "assign",
    "create_api_key",
    "create_client",
    "create_organisation",
    "create_user",
]


class OrgKind(StrEnum):
    """What an organisation is."""

    SUPPLIER = "supplier"
    OPERATOR = "operator"
    """An economic operator (battery maker) placing batteries on the market."""
    AUDITOR = "auditor"
    AUTHORITY = "authority"
    PLATFORM = "platform"
    """The service's own organisation (administrators)."""


ROLES_OF_KIND: dict[OrgKind, Role] = {
    OrgKind.SUPPLIER: Role.SUPPLIER,
    OrgKind.OPERATOR: Role.OPERATOR,
    OrgKind.AUDITOR: Role.AUDITOR,
    OrgKind.AUTHORITY: Role.AUTHORITY,
    OrgKind.PLATFORM: Role.ADMIN,
}
"""The role of the users and clients of each kind of organisation."""


@dataclass(frozen=True, slots=True)
class Created:
    """A created principal and its secret (shown once)."""

    id: str
    org_id: str
    role: Role
    name: str
    secret: str | None = None


def _org(session: Session, org_id: str) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise Problem(404, f"no organisation {org_id!r}")
    return org


def create_organisation(
    session: Session, chain: Chain, actor: str, name: str, kind: OrgKind, now: datetime
) -> Organisation:
    """A new organisation (409 if the name is taken)."""
    if session.execute(select(Organisation.id).where(Organisation.name == name)).first():
        raise Problem(409, f"an organisation is already named {name!r}")
    org = Organisation(id=str(uuid.uuid4()), name=name, kind=kind.value, created_at=now)
    session.add(org)
    chain.append(
        actor=actor,
        org_id=org.id,
        action="organisation.create",
        resource=f"organisations/{org.id}",
        at=now,
    )
    return org


def create_user(
    session: Session,
    chain: Chain,
    actor: str,
    org_id: str,
    username: str,
    password: str,
    now: datetime,
) -> Created:
    """A user of the organisation, with its kind's role (409 if the username is taken)."""
    org = _org(session, org_id)
    if session.execute(select(User.id).where(User.username == username)).first():
        raise Problem(409, f"the username {username!r} is taken")
    role = ROLES_OF_KIND[OrgKind(org.kind)]
    user = User(
        id=str(uuid.uuid4()),
        org_id=org.id,
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        created_at=now,
    )
    session.add(user)
    chain.append(
        actor=actor, org_id=org.id, action="user.create", resource=f"users/{user.id}", at=now
    )
    return Created(user.id, org.id, role, username)


def create_client(
    session: Session, chain: Chain, actor: str, org_id: str, name: str, now: datetime
) -> Created:
    """An OAuth2 client of the organisation; the secret is returned once."""
    org = _org(session, org_id)
    role = ROLES_OF_KIND[OrgKind(org.kind)]
    client_id = "cc_" + uuid.uuid4().hex
    secret = new_secret()
    client = ApiClient(
        id=str(uuid.uuid4()),
        org_id=org.id,
        client_id=client_id,
        secret_hash=sha256_hex(secret),
        role=role.value,
        name=name,
        created_at=now,
    )
    session.add(client)
    chain.append(
        actor=actor, org_id=org.id, action="client.create", resource=f"clients/{client_id}", at=now
    )
    return Created(client_id, org.id, role, name, secret)


def create_api_key(
    session: Session, chain: Chain, actor: str, org_id: str, name: str, now: datetime
) -> Created:
    """An API key ``cpk_<id>_<secret>`` of the organisation; returned once, stored as SHA-256."""
    org = _org(session, org_id)
    role = ROLES_OF_KIND[OrgKind(org.kind)]
    key_id = uuid.uuid4().hex[:16]
    key = f"{API_KEY_PREFIX}{key_id}_{new_secret().replace('_', '-')}"
    session.add(
        ApiKey(
            id=str(uuid.uuid4()),
            org_id=org.id,
            key_id=key_id,
            key_hash=sha256_hex(key),
            role=role.value,
            name=name,
            created_at=now,
        )
    )
    chain.append(
        actor=actor, org_id=org.id, action="api-key.create", resource=f"api-keys/{key_id}", at=now
    )
    return Created(key_id, org.id, role, name, key)


def assign(
    session: Session, chain: Chain, actor: str, auditor_org: str, org_id: str, now: datetime
) -> None:
    """Let an auditor organisation read the data of another organisation."""
    auditor = _org(session, auditor_org)
    if auditor.kind != OrgKind.AUDITOR:
        raise Problem(422, f"{auditor.name!r} is not an auditor organisation")
    target = _org(session, org_id)
    if session.get(Assignment, (auditor.id, target.id)) is None:
        session.add(Assignment(auditor_org_id=auditor.id, org_id=target.id, created_at=now))
        chain.append(
            actor=actor,
            org_id=target.id,
            action="assignment.create",
            resource=f"organisations/{auditor.id}/assignments/{target.id}",
            at=now,
        )
