"""Service settings of ``serve``, ``db`` and ``audit`` (``COMPLIANCE_*``; flags override)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from compliance.service.settings import ServiceSettings

__all__ = ["DataDir", "DatabaseUrl", "service_settings"]

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


def service_settings(data_dir: Path | None, database_url: str | None) -> ServiceSettings:
    """Settings from the environment with the flags given; a bad value exits 2 with a message."""
    overrides: dict[str, Any] = {}
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
