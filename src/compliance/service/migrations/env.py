"""Alembic environment: runs the migrations on the connection the service passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from compliance.service.tables import Base

target_metadata = Base.metadata


def _run() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


# Alembic sets up its context before it runs this file; an import by anything else (pytest's
# doctest collection) finds no context and runs nothing.
if hasattr(context, "config"):
    _run()
