"""``compliance audit verify``: check the service's hash-chained audit trail.

Exit codes: 0 intact, 1 an entry altered, removed or reordered (or a stored document that no
longer matches its recorded digest), 2 usage error.
"""

from __future__ import annotations

import sys

import typer

from compliance.cli.service_settings import DatabaseUrl, DataDir, service_settings

__all__ = ["audit_app"]

audit_app = typer.Typer(help="The service's audit trail.", add_completion=False)


@audit_app.callback()
def _group() -> None:
    """The service's audit trail."""


@audit_app.command("verify")
def verify_command(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Verify the hash chain of the audit trail and the digests of the stored documents."""
    from compliance.service.audit import verify
    from compliance.service.database import Database

    database = Database.connect(service_settings(data_dir, database_url))
    try:
        with database.read() as session:
            result = verify(session)
    finally:
        database.dispose()
    if result.ok:
        sys.stdout.write(f"audit trail OK: {result.entries} entries\n")
        raise typer.Exit(0)
    sys.stdout.write(f"audit trail FAILED ({result.entries} entries):\n")
    for problem in result.problems:
        sys.stdout.write(f"  {problem}\n")
    raise typer.Exit(1)
