"""Reference pages generated from the code: the CLI reference and the issue-code table.

Called from the `cog <https://cog.readthedocs.io/>`_ blocks in ``docs/reference/*.md``::

    cog -r docs/reference/cli.md docs/reference/issue-codes.md        # regenerate
    cog --check docs/reference/cli.md docs/reference/issue-codes.md   # CI: fail on drift

(``tests/contract/test_docs.py`` runs the check.) The CLI reference is read from the Typer
application's Click command tree, so every command, argument and option is listed with its help
text and default as the program itself defines them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from compliance.cli.main import app
from compliance.issue_codes import ISSUE_CODES


# Typer ships its own copy of Click, so commands and parameters are read by their attributes.
# The root group imports a command's module only when asked for it (``get_command``, not the
# ``commands`` dict): asking for every name loads every lazy command.
def _commands(command: Any, path: str) -> Iterator[tuple[str, Any]]:
    yield path, command
    if not hasattr(command, "list_commands"):
        return
    ctx = command.context_class(command, info_name=path)
    for name in sorted(command.list_commands(ctx)):
        yield from _commands(command.get_command(ctx, name), f"{path} {name}")


def _cell(text: str) -> str:
    # one table cell: one line, pipes escaped, Rich markup escapes ("\\[default: ...]") undone
    return " ".join(text.split()).replace("\\[", "[").replace("|", "\\|")


def _parameter_row(parameter: Any, ctx: Any) -> str | None:
    kind = parameter.param_type_name
    if kind not in ("option", "argument") or getattr(parameter, "hidden", False):
        return None
    if kind == "option":
        names = ", ".join(f"`{n}`" for n in [*parameter.opts, *parameter.secondary_opts])
    else:
        names = f"`{parameter.name.upper()}`" + ("..." if parameter.nargs == -1 else "")
    value_type = "" if getattr(parameter, "is_flag", False) else parameter.display_type(ctx)
    default = parameter.default
    default = getattr(default, "value", default)
    shown = "" if default in (None, False, (), []) else f"`{default}`"
    help_text = _cell(getattr(parameter, "help", None) or "")
    value = f"`{value_type.strip('<>')}`" if value_type else ""
    return f"| {names} | {_cell(value)} | {help_text} | {shown} |"


def cli_reference() -> str:
    """Markdown for every command: its path, help text and a table of its parameters."""
    root = typer.main.get_command(app)
    out: list[str] = []
    for path, command in _commands(root, "compliance"):
        level = "##" if path.count(" ") <= 1 else "###"
        out.append(f"{level} `{path}`\n")
        if command.help:
            out.append(command.help.strip().replace("\b\n", "") + "\n")
        ctx = command.context_class(command, info_name=path)
        rows = [row for p in command.params if (row := _parameter_row(p, ctx)) is not None]
        if rows:
            out.append("| parameter | value | meaning | default |\n|---|---|---|---|")
            out.extend(rows)
            out.append("")
    return "\n".join(out)


def issue_code_table() -> str:
    """Markdown tables of every stable issue code and its meaning, one table per layer prefix."""
    layers: dict[str, list[str]] = {}
    for code, meaning in ISSUE_CODES.items():
        layers.setdefault(code.split(".", 1)[0], []).append(f"| `{code}` | {_cell(meaning)} |")
    out: list[str] = []
    for layer, rows in layers.items():
        out += [f"## `{layer}.*`\n", "| code | meaning |", "|---|---|", *rows, ""]
    return "\n".join(out)
