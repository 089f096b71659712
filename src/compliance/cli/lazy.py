"""A command group that imports a sub-command's module only when that command runs.

``compliance --help`` lists every command from its one-line help alone; ``compliance validate``
imports the validation code and nothing of the passport, the reports or the RMI reader. A lazy
command is named by the module and attribute of its Typer application (a single-command Typer or
a group). Typer ships its own copy of Click, so commands are handled by their attributes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, ClassVar

import typer.main
from typer._click.exceptions import UsageError
from typer.core import TyperGroup

__all__ = ["LazyCommand", "LazyGroup"]


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """Where a sub-command is defined (``module:attribute``, a Typer app) and its one-line help."""

    target: str
    help: str

    def load(self, name: str) -> Any:
        """Import the module and build the Click command of its Typer application."""
        module, _, attribute = self.target.partition(":")
        command = typer.main.get_command(getattr(importlib.import_module(module), attribute))
        command.name = name
        return command


class LazyGroup(TyperGroup):
    """A Typer group whose :attr:`lazy` commands are imported on first use, not to list them.

    Subclasses set :attr:`lazy` (name to :class:`LazyCommand`, in the order help lists them).
    """

    lazy: ClassVar[Mapping[str, LazyCommand]] = {}
    _listing: bool = False

    @contextmanager
    def _help_listing(self) -> Iterator[None]:
        self._listing = True
        try:
            yield
        finally:
            self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        """The eager commands, then the lazy ones."""
        return [*(n for n in self.commands if n not in self.lazy), *self.lazy]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command: imported now, unless help is only listing it (then its help line)."""
        loaded = self.commands.get(cmd_name)
        spec = self.lazy.get(cmd_name)
        if loaded is not None or spec is None:
            return loaded
        if self._listing:
            return typer.core.TyperCommand(cmd_name, help=spec.help, short_help=spec.help)
        command = spec.load(cmd_name)
        self.commands[cmd_name] = command
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """As Typer's, with the lazy names among the suggestions for a mistyped command."""
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in exc.message:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The group's help; its commands are listed from their help lines, none imported."""
        with self._help_listing():
            super().format_help(ctx, formatter)
