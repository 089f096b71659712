"""Settings of the service, from ``COMPLIANCE_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from compliance.config import parse_size

__all__ = ["ServiceSettings"]


def _size(value: Any) -> Any:
    return parse_size(value) if isinstance(value, (str, int)) else value


class ServiceSettings(BaseSettings):
    """Service settings; every field can be set as ``COMPLIANCE_<NAME>``.

    >>> ServiceSettings(data_dir=Path("/srv/c")).url
    'sqlite:////srv/c/compliance.sqlite3'
    """

    model_config = SettingsConfigDict(env_prefix="COMPLIANCE_", extra="ignore")

    data_dir: Path = Path("compliance-data")
    """Directory of the SQLite database (default store) and the passport signing key."""
    database_url: str | None = None
    """SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``; default SQLite in data_dir."""
    max_request_size: Annotated[int, BeforeValidator(_size), Field(gt=0)] = 10 * 1024 * 1024
    """Largest request body accepted (a larger one is a 413 problem); also '10MB', '512KiB'."""
    public_base_url: str = "http://127.0.0.1:8000"
    """Base URL of the public passport pages (what the QR codes encode)."""
    token_ttl_seconds: Annotated[int, Field(gt=0, le=86400)] = 3600
    """Lifetime of an OAuth2 access token."""
    session_ttl_seconds: Annotated[int, Field(gt=0, le=30 * 86400)] = 8 * 3600
    """Lifetime of a browser session."""
    secure_cookies: bool = False
    """Mark cookies ``Secure`` (set behind HTTPS)."""
    page_size: Annotated[int, Field(gt=0, le=1000)] = 50
    """Default page size of the list endpoints (``limit`` query parameter overrides, max 1000)."""
    pact_https_only: bool = False
    """Refuse the PACT API (``/3/...``, ``/auth/token``) over plain HTTP (PACT: HTTPS only). Behind
    a TLS-terminating proxy, leave it off and let the proxy refuse HTTP."""
    pact_callback_client_id: str | None = None
    """Client id this service uses at a partner's ``/auth/token`` to deliver PACT events."""
    pact_callback_client_secret: SecretStr | None = None
    """Its secret."""
    migrate_on_start: bool = True
    """Run the Alembic migrations when the app starts."""

    @property
    def url(self) -> str:
        """The database URL in effect."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'compliance.sqlite3'}"
