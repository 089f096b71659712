"""Alembic migrations of the service database (``compliance db upgrade``)."""
