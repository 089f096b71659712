"""``compliance serve --demo``: demo organisations, users, clients and the bundled examples.

Seeds (once per database) a platform admin, two suppliers, a battery maker (economic operator),
an auditor assigned to every supplier and the operator, and a market surveillance authority;
each has a user (random password), an OAuth2 client and an API key. The example submissions are
submitted by the operator (and one invalid one by the first supplier), the example DD
questionnaires by the suppliers, and the operator's valid submissions get passports. The
credentials are returned, printed by the CLI and kept in ``demo-credentials.json`` (mode 0600)
in the data directory.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from compliance.service.audit import Chain
from compliance.service.security import new_secret
from compliance.service.state import Service
from compliance.service.tables import Organisation
from compliance.service.tenants import (
    OrgKind,
    assign,
    create_api_key,
    create_client,
    create_organisation,
    create_user,
)

__all__ = ["CREDENTIALS_FILE", "DemoAccount", "seed_demo"]

CREDENTIALS_FILE = "demo-credentials.json"
_ORGS = (
    ("Demo Platform", OrgKind.PLATFORM, "admin"),
    ("Demo Cathode Supplier", OrgKind.SUPPLIER, "supplier1"),
    ("Demo Cell Supplier", OrgKind.SUPPLIER, "supplier2"),
    ("Demo Battery Maker", OrgKind.OPERATOR, "operator"),
    ("Demo Audit", OrgKind.AUDITOR, "auditor"),
    ("Demo Market Surveillance", OrgKind.AUTHORITY, "authority"),
)


@dataclass
class DemoAccount:
    """One demo organisation and its credentials."""

    organisation: str
    org_id: str
    kind: str
    username: str
    password: str
    client_id: str
    client_secret: str
    api_key: str
    loaded: list[str] = field(default_factory=list)


def _seed_accounts(service: Service) -> list[DemoAccount]:
    accounts = []
    with service.db.write() as session:
        chain = Chain(session)
        now = service.now()
        actor = "system:demo"
        for name, kind, username in _ORGS:
            org = create_organisation(session, chain, actor, name, kind, now)
            session.flush()
            password = new_secret(12)
            create_user(session, chain, actor, org.id, username, password, now)
            client = create_client(session, chain, actor, org.id, f"{name} client", now)
            key = create_api_key(session, chain, actor, org.id, f"{name} key", now)
            assert client.secret is not None
            assert key.secret is not None
            accounts.append(
                DemoAccount(
                    name,
                    org.id,
                    kind.value,
                    username,
                    password,
                    client.id,
                    client.secret,
                    key.secret,
                )
            )
        session.flush()
        auditor = next(a for a in accounts if a.kind == OrgKind.AUDITOR)
        for account in accounts:
            if account.kind in (OrgKind.SUPPLIER, OrgKind.OPERATOR):
                assign(session, chain, actor, auditor.org_id, account.org_id, now)
    return accounts


def _post(client: TestClient, account: DemoAccount, url: str, path: Path) -> dict[str, Any]:
    media = {".json": "application/json", ".yaml": "application/yaml", ".yml": "application/yaml"}
    response = client.post(
        url,
        content=path.read_bytes(),
        headers={
            "X-API-Key": account.api_key,
            "Content-Type": media.get(path.suffix, "application/octet-stream"),
            "X-Filename": path.name,
        },
    )
    body: dict[str, Any] = response.json()
    if response.status_code != 201:
        raise RuntimeError(f"demo: {path}: {response.status_code} {body.get('detail')}")
    account.loaded.append(f"{url} {path.name} -> {body.get('id')}")
    return body


def _load_examples(app: Any, accounts: list[DemoAccount], examples: Path) -> None:
    by_user = {a.username: a for a in accounts}
    operator, supplier1, supplier2 = by_user["operator"], by_user["supplier1"], by_user["supplier2"]
    with TestClient(app) as client:
        for path in sorted((examples / "submissions" / "valid").iterdir()):
            created = _post(client, operator, "/api/v1/submissions", path)
            response = client.post(
                "/api/v1/passports",
                json={"submission": created["id"]},
                headers={"X-API-Key": operator.api_key},
            )
            if response.status_code == 201:
                operator.loaded.append(f"passport {response.json()['publicPath']}")
        invalid = examples / "submissions" / "invalid" / "semantic-errors.json"
        if invalid.exists():
            _post(client, supplier1, "/api/v1/submissions", invalid)
        questionnaires = sorted((examples / "questionnaires" / "valid").iterdir())
        for index, path in enumerate(questionnaires):
            _post(client, (supplier1, supplier2)[index % 2], "/api/v1/questionnaires", path)


def seed_demo(app: Any, service: Service, examples: Path | None) -> tuple[list[DemoAccount], bool]:
    """Seed the demo data (once); ``(accounts, newly_seeded)``."""
    path = Path(service.settings.data_dir) / CREDENTIALS_FILE
    with service.db.read() as session:
        seeded = session.execute(
            select(Organisation.id).where(Organisation.name == _ORGS[0][0])
        ).first()
    if seeded is not None:
        if path.exists():
            return [DemoAccount(**item) for item in json.loads(path.read_text("utf-8"))], False
        return [], False
    accounts = _seed_accounts(service)
    if examples is not None and examples.is_dir():
        _load_examples(app, accounts, examples)
    Path(service.settings.data_dir).mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump([asdict(a) for a in accounts], handle, indent=2)
    return accounts, True
