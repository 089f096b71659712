"""``compliance serve``: run the HTTP service with uvicorn (``--demo`` seeds demo data first)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.service_settings import (
    DatabaseUrl,
    DataDir,
    require_service_extra,
    service_settings,
)

__all__ = ["serve_app"]

serve_app = typer.Typer(add_completion=False)


def _examples(given: Path | None) -> Path | None:
    if given is not None:
        return given
    for candidate in (Path("examples"), Path(__file__).resolve().parents[3] / "examples"):
        if (candidate / "submissions").is_dir():
            return candidate
    return None


@serve_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(help="Seed demo organisations, users and clients; load the examples."),
    ] = False,
    examples: Annotated[
        Path | None, typer.Option(help="Examples directory for --demo [default: ./examples].")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (migrations run once, first).")
    ] = 1,
) -> None:
    """Run the HTTP service (API, persistence, auth, audit trail); --demo seeds demo data.

    OpenAPI at /openapi.json, browsable docs at /docs. Migrations run at start-up. Settings
    come from COMPLIANCE_* variables (docs/service.md).
    """
    require_service_extra("serve")
    import uvicorn

    from compliance.service.app import create_app

    # Passports and their QR codes name the public address: by default the one served here.
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    settings = service_settings(data_dir, database_url, public_base_url=f"http://{shown}:{port}")
    app = create_app(settings)
    if demo:
        from compliance.service.demo import seed_demo

        accounts, new = seed_demo(app, app.state.service, _examples(examples))
        out = sys.stdout
        out.write("Demo data " + ("seeded" if new else "already present") + "; credentials:\n")
        for a in accounts:
            out.write(
                f"  {a.organisation} ({a.kind}): user {a.username} / password {a.password}\n"
                f"    client {a.client_id} / secret {a.client_secret}\n"
                f"    API key {a.api_key}\n"
            )
            for line in a.loaded:
                out.write(f"    loaded {line}\n")
        out.flush()
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level=log_level)
        return
    # Several processes: each builds the app from the environment; the schema and the signing
    # key exist already (made above), so the workers skip the migrations.
    app.state.service.db.dispose()
    os.environ["COMPLIANCE_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        os.environ["COMPLIANCE_DATABASE_URL"] = settings.database_url
    os.environ["COMPLIANCE_MIGRATE_ON_START"] = "false"
    os.environ["COMPLIANCE_PUBLIC_BASE_URL"] = settings.public_base_url
    uvicorn.run(
        "compliance.service.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        workers=workers,
    )
