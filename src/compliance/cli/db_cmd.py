"""``compliance db``: migrate the service database, bootstrap the first administrator."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from compliance.cli.service_settings import DatabaseUrl, DataDir, service_settings

__all__ = ["db_app"]

db_app = typer.Typer(help="Service database: migrations and bootstrap.", add_completion=False)


@db_app.command("upgrade")
def upgrade_command(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Apply the Alembic migrations (the service also does at start-up)."""
    from compliance.service.database import Database, upgrade

    settings = service_settings(data_dir, database_url)
    database = Database.connect(settings)
    try:
        upgrade(database)
    finally:
        database.dispose()
    sys.stdout.write(f"database at the newest schema: {database.engine.url!r}\n")


@db_app.command("create-admin")
def create_admin_command(
    username: Annotated[str, typer.Argument(help="The administrator's username.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create the platform organisation (once), an admin user and an admin OAuth2 client."""
    from sqlalchemy import select

    from compliance.service.audit import Chain
    from compliance.service.database import Database, upgrade
    from compliance.service.problems import Problem
    from compliance.service.tables import Organisation
    from compliance.service.tenants import OrgKind, create_client, create_organisation, create_user
    from compliance.service.writes import utc_now

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        sys.stderr.write("compliance db create-admin: the password needs 8 characters or more\n")
        raise typer.Exit(2)
    database = Database.connect(service_settings(data_dir, database_url))
    try:
        upgrade(database)
        with database.write() as session:
            chain = Chain(session)
            now = utc_now()
            org = session.execute(
                select(Organisation).where(Organisation.kind == OrgKind.PLATFORM.value)
            ).scalar_one_or_none()
            if org is None:
                org = create_organisation(
                    session, chain, "system:cli", "Platform", OrgKind.PLATFORM, now
                )
                session.flush()
            create_user(session, chain, "system:cli", org.id, username, password, now)
            client = create_client(session, chain, "system:cli", org.id, f"{username} client", now)
    except Problem as exc:
        sys.stderr.write(f"compliance db create-admin: {exc.detail}\n")
        raise typer.Exit(1) from None
    finally:
        database.dispose()
    sys.stdout.write(
        f"admin {username} created; OAuth2 client {client.id} secret {client.secret} (shown once)\n"
    )
