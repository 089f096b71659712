"""Service settings of ``serve``, ``db`` and ``audit`` (``COMPLIANCE_*``; flags override)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

if TYPE_CHECKING:
    from compliance.service.settings import ServiceSettings


__all__ = ["DataDir", "DatabaseUrl", "require_service_extra", "service_settings"]

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Data directory [default: COMPLIANCE_DATA_DIR or ./compliance-data]."
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy database URL [default: COMPLIANCE_DATABASE_URL, else SQLite in the data "
        "directory].",
    ),
]


def require_service_extra(command: str) -> None:
    """Exit 2 with the install command when the ``service`` extra is not installed."""
    import importlib.util

    missing = [
        name
        for name in ("fastapi", "uvicorn", "sqlalchemy", "alembic", "multipart")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        sys.stderr.write(
            f"compliance {command}: the service needs {', '.join(missing)}; install it with "
            "pip install 'compliance[service]'\n"
        )
        raise typer.Exit(2)


def service_settings(
    data_dir: Path | None, database_url: str | None, *, public_base_url: str | None = None
) -> ServiceSettings:
    """Settings from the environment with the flags given; a bad value exits 2 with a message.

    ``public_base_url`` is a default for ``COMPLIANCE_PUBLIC_BASE_URL`` (the address passports and
    their QR codes name); the environment variable wins over it.
    """
    from compliance.service.settings import ServiceSettings

    overrides: dict[str, Any] = {}
    if public_base_url is not None and "COMPLIANCE_PUBLIC_BASE_URL" not in os.environ:
        overrides["public_base_url"] = public_base_url
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    try:
        return ServiceSettings(**overrides)
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            name = "COMPLIANCE_" + "_".join(str(p) for p in error["loc"]).upper()
            sys.stderr.write(f"compliance: {name}: {error['msg']}\n")
        raise typer.Exit(2) from None
