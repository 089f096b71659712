"""Options shared by the commands: the size limit every reading command takes, the settings.

Every command that reads a document offers ``--max-file-size`` (so the too-large message, which
suggests it, is true everywhere); its default is ``COMPLIANCE_MAX_FILE_SIZE``, else 10 MiB. Both
are parsed strictly (:func:`compliance.config.parse_size`): a bad value is a usage error (exit
2), never a traceback and never the default in disguise.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from compliance.config import Settings, parse_size

__all__ = ["MaxFileSize", "SeedOption", "max_bytes", "run_settings"]

MaxFileSize = Annotated[
    str | None,
    typer.Option(
        "--max-file-size",
        help="Refuse larger input files, e.g. 10MB or 512KiB \\[default: COMPLIANCE_MAX_FILE_SIZE "
        "or 10MiB].",
        show_default=False,
    ),
]
"""The ``--max-file-size`` option of every command that reads files."""

SeedOption = Annotated[int, typer.Option(min=0, help="Monte Carlo seed (0 or more).")]
"""The ``--seed`` option (NumPy seeds are non-negative)."""


def _load_settings() -> Settings:
    """The settings from the ``COMPLIANCE_*`` environment; a bad value exits 2 with a message."""
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            name = "COMPLIANCE_" + "_".join(str(p) for p in error["loc"]).upper()
            sys.stderr.write(f"compliance: {name}: {error['msg']}\n")
        raise typer.Exit(2) from None


def run_settings(ctx: typer.Context) -> Settings:
    """The settings of this run: read from the environment once, kept on the root context.

    Built on first use (``compliance --help`` never reads them, so a bad variable does not stop
    it) and then passed down: every command of the run sees the same object.
    """
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = _load_settings()
    return root.obj


def max_bytes(ctx: typer.Context, option: str | None) -> int:
    """The size limit: ``--max-file-size`` if given, else the setting (usage error if bad)."""
    if option is None:
        return run_settings(ctx).max_file_size
    try:
        return parse_size(option)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--max-file-size") from None
