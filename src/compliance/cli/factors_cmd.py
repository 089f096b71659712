"""``compliance factors import``: a factor dataset from LCA-database exports the user licenses.

``compliance factors import EXPORT.xlsx --layout ecoinvent --id ei310 --version 3.10 --licence
"ecoinvent EULA" -o ei310.yaml`` writes a dataset (``schemas/factor-dataset/1.0.0``) that
``--factors ei310.yaml`` then loads like any other (``cli/choices.py``). Every problem is a
located line (file:row:column, ``Sheet!B7``); with any error nothing is written. Exit codes: 0
written, 1 the exports have errors, 2 usage or I/O error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from compliance.cli.discovery import Target, internal_issue, read_target
from compliance.cli.fileio import atomic_write
from compliance.cli.options import MaxFileSize, max_bytes
from compliance.cli.reporters import issue_line
from compliance.cli.streams import printable, safe_text
from compliance.errors import Issue

__all__ = ["Layout", "factors_app", "run_import"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXPORT_SIZE_DEFAULT = 1024 * 1024 * 1024
"""Size limit of an export without ``--max-file-size`` (1 GiB, or the setting if larger)."""

factors_app = typer.Typer(
    name="factors",
    help="Emission-factor datasets: import exports of an LCA database you license.",
    no_args_is_help=True,
    add_completion=False,
)


@factors_app.callback()
def _group() -> None:
    """Emission-factor datasets: import exports of an LCA database you license."""


class Layout(StrEnum):
    """Export layouts (see docs/factors.md)."""

    ECOINVENT = "ecoinvent"
    OPENLCA = "openlca"


class GwpChoice(StrEnum):
    """GWP sets an imported dataset may declare."""

    AR6 = "ipcc-ar6-gwp100"
    AR5 = "ipcc-ar5-gwp100"


def run_import(
    files: Sequence[Path],
    output: Path | None,
    options: object,
    *,
    max_bytes: int,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Import the exports; write the dataset unless there are errors."""
    from compliance.cfp.factor_import import ImportOptions, import_factors

    assert isinstance(options, ImportOptions)
    stdout, stderr = safe_text(stdout), safe_text(stderr)
    inputs: list[tuple[str, bytes]] = []
    labels: dict[str, str] = {}
    for path in files:
        label = str(path)
        data = read_target(Target(label, path), max_bytes, sys.stdin.buffer)
        if isinstance(data, Issue):
            stderr.write(issue_line(label, data) + "\n")
            return EXIT_USAGE
        inputs.append((path.name, data))
        labels[path.name] = label
    if options.layout == "ecoinvent" and len(inputs) != 1:
        stderr.write("compliance factors import: the ecoinvent layout reads exactly one file\n")
        return EXIT_USAGE
    try:
        result = import_factors(inputs, options)
    except Exception as exc:  # never a traceback
        stderr.write(issue_line(str(files[0]), internal_issue(exc)) + "\n")
        return EXIT_FINDINGS
    for issue in result.issues:
        label = labels.get(str(issue.context.get("file", "")), str(files[0]))
        stderr.write(issue_line(label, issue) + "\n")
    if result.text is None or result.dataset is None:
        stderr.write(f"{', '.join(map(str, files))}: not imported (nothing written)\n")
        return EXIT_FINDINGS
    if output is None:
        stdout.write(result.text)
    else:
        try:
            atomic_write(output, printable(result.text).encode("utf-8"))
        except OSError as exc:
            stderr.write(f"{output}: cannot write: {exc.strerror}\n")
            return EXIT_USAGE
    skipped = f", {result.skipped} row(s) not imported (see warnings)" if result.skipped else ""
    stderr.write(
        f"{result.dataset.label}: {len(result.dataset.factors)} factor(s), "
        f"{result.dataset.gwp_set}{skipped}" + (f" -> {output}\n" if output is not None else "\n")
    )
    return EXIT_OK


def _indicator(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split("|"))


@factors_app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The export(s): one ecoinvent LCIA table, or openLCA result workbooks."
        ),
    ],
    layout: Annotated[Layout, typer.Option(help="The export's layout.")],
    dataset_id: Annotated[
        str, typer.Option("--id", help="Dataset id lines refer to, e.g. 'ei310-cutoff'.")
    ],
    version: Annotated[str, typer.Option(help="Dataset version, e.g. '3.10'.")],
    licence: Annotated[
        str, typer.Option(help="The terms you hold the data under (recorded in every result).")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Dataset to write \\[default: stdout].")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Dataset title.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Publisher of the data.")] = None,
    licence_url: Annotated[str | None, typer.Option(help="URL of the licence terms.")] = None,
    attribution: Annotated[str | None, typer.Option(help="Attribution text to carry.")] = None,
    database: Annotated[
        str | None, typer.Option(help="Database and system model, e.g. 'ecoinvent 3.10 cut-off'.")
    ] = None,
    indicator: Annotated[
        str | None,
        typer.Option(
            help="ecoinvent: 'method | category | indicator'; openLCA: the impact category."
        ),
    ] = None,
    gwp_set: Annotated[
        GwpChoice | None,
        typer.Option(help="Declare the GWP basis (needed when the method is not recognised)."),
    ] = None,
    max_file_size: MaxFileSize = None,
) -> None:
    """Convert LCA-database exports into a factor dataset for --factors.

    Without --max-file-size an export may be up to 1 GiB (or COMPLIANCE_MAX_FILE_SIZE if
    larger). Exit codes: 0 written, 1 the exports have errors (nothing written), 2 usage or I/O
    error.
    """
    from compliance.cfp.factor_import import ImportOptions

    options = ImportOptions(
        layout=layout.value,
        dataset_id=dataset_id,
        version=version,
        licence=licence,
        title=title,
        publisher=publisher,
        licence_url=licence_url,
        attribution=attribution,
        database=database,
        indicator=_indicator(indicator),
        gwp_set=gwp_set.value if gwp_set else None,
    )
    limit = max_bytes(ctx, max_file_size)
    if max_file_size is None:  # database exports are large; the workbook checks bound them
        limit = max(limit, EXPORT_SIZE_DEFAULT)
    code = run_import(
        files,
        output,
        options,
        max_bytes=limit,
        stdout=sys.stdout,
        stderr=sys.stderr,
    )
    raise typer.Exit(code)
