"""The database: engine (SQLite in WAL mode or PostgreSQL), sessions and the Alembic migrations.

SQLite write transactions begin ``IMMEDIATE`` (they take the write lock first, so two writers
queue on the busy timeout instead of one failing on a stale snapshot); read transactions begin
deferred and, in WAL mode, never wait for writers. On PostgreSQL every write first updates the
audit chain head row (:mod:`compliance.service.audit`), which serialises writers on its row lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from compliance.service.settings import ServiceSettings

__all__ = ["Database", "alembic_config", "upgrade"]

_BEGIN = "compliance_begin"


def _sqlite_hooks(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout; BEGIN emitted by us (the recipe in SQLAlchemy's docs)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver leaves transactions to us
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged commit survives power loss
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_BEGIN, "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


@dataclass
class Database:
    """The engine and session factories of one app."""

    engine: Engine
    _reader: sessionmaker[Session]
    _writer: sessionmaker[Session]

    @classmethod
    def connect(cls, settings: ServiceSettings) -> Database:
        """Open the database named by the settings (creating the data directory for SQLite)."""
        url = settings.url
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        engine = create_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            _sqlite_hooks(engine)
        writer_engine = engine.execution_options(**{_BEGIN: "IMMEDIATE"})
        return cls(
            engine,
            sessionmaker(engine, expire_on_commit=False),
            sessionmaker(writer_engine, expire_on_commit=False),
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read session; closing it ends its transaction (objects keep their loaded state)."""
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends normally, else rolled back."""
        with self._writer() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()


def alembic_config(url: str) -> Config:
    """The Alembic configuration of the packaged migrations for ``url``."""
    config = Config()
    config.set_main_option("script_location", "compliance.service:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database: Database) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    config = alembic_config(str(database.engine.url.render_as_string(hide_password=False)))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
