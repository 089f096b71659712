"""Settings of the edges (CLI, later the API), from ``COMPLIANCE_*`` environment variables.

Built by the edges only (never at import time); the core receives plain values.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings", "parse_size"]

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKMGT]?i?)[bB]?\s*$")
_SIZE_FACTORS = {
    "": 1,
    "k": 1000,
    "K": 1000,
    "M": 1000**2,
    "G": 1000**3,
    "T": 1000**4,
    "ki": 1024,
    "Ki": 1024,
    "Mi": 1024**2,
    "Gi": 1024**3,
    "Ti": 1024**4,
}


def parse_size(text: str | int) -> int:
    """Parse a byte size such as ``10MB``, ``512 KiB`` or ``1048576``.

    >>> parse_size("10MB"), parse_size("1 MiB"), parse_size(42)
    (10000000, 1048576, 42)
    """
    if isinstance(text, int):
        return text
    match = _SIZE_RE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a size like '10MB', '512KiB' or '1048576'")
    number, prefix = match.groups()
    return int(float(number) * _SIZE_FACTORS[prefix])


def _size(value: Any) -> int:
    return parse_size(value) if isinstance(value, (str, int)) else value


class Settings(BaseSettings):
    """Edge settings; every field can be set as ``COMPLIANCE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="COMPLIANCE_", extra="ignore")

    max_file_size: Annotated[int, BeforeValidator(_size), Field(gt=0)] = 10 * 1024 * 1024
    """Largest document accepted, in bytes (also '10MB', '512KiB')."""
    max_depth: Annotated[int, Field(gt=0, le=1000)] = 64
    """Deepest nesting accepted in a document."""
    progress_threshold: Annotated[int, Field(ge=0)] = 20
    """Show a progress bar on a terminal from this many files on."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
