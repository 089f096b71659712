"""Settings of the edges (CLI, later the API), from ``COMPLIANCE_*`` environment variables.

Built by the edges only, once per run (the CLI: ``compliance.cli.options.run_settings``), never
at import time and never cached for the process; the core receives plain values.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["MAX_SIZE", "Settings", "parse_size"]

MAX_SIZE = 1024**4
"""The largest size limit accepted (1 TiB): a limit is a bound on what is read into memory."""

_SIZE_RE = re.compile(r"^\s*(\d{1,20}(?:\.\d{1,20})?)\s*([kKMGT]?i?)[bB]?\s*$")
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
    """Parse a byte size such as ``10MB``, ``512 KiB``, ``1.5KiB`` or ``1048576``.

    Strict: the size must be a whole number of bytes from 1 B to :data:`MAX_SIZE`, computed
    exactly (``0.5`` or ``1.5B`` is refused, never rounded; a 400-digit number is refused, never
    overflows).

    >>> parse_size("10MB"), parse_size("1 MiB"), parse_size("1.5KiB"), parse_size(42)
    (10000000, 1048576, 1536, 42)
    >>> parse_size("0.5")
    Traceback (most recent call last):
    ...
    ValueError: '0.5' is not a whole number of bytes
    """
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a size")
    if isinstance(text, int):
        size = Fraction(text)
    else:
        match = _SIZE_RE.match(text)
        if not match:
            shown = text if len(text) <= 40 else text[:40] + "..."
            raise ValueError(f"{shown!r} is not a size like '10MB', '512KiB' or '1048576'")
        number, prefix = match.groups()
        size = Fraction(number) * _SIZE_FACTORS[prefix]
    if size.denominator != 1:
        raise ValueError(f"{text!r} is not a whole number of bytes")
    if not 1 <= size <= MAX_SIZE:
        raise ValueError(f"{text!r} is out of range: give 1 B to 1 TiB")
    return int(size)


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
