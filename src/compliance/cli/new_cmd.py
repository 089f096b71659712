"""``compliance new``: write a starting submission or questionnaire (YAML, JSON or Excel)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.fileio import atomic_write

__all__ = ["new_app"]

new_app = typer.Typer(add_completion=False)


class StarterKind(StrEnum):
    """What to start."""

    SUBMISSION = "submission"
    QUESTIONNAIRE = "questionnaire"


class Category(StrEnum):
    """Battery category of a submission (Art. 7(1), Art. 77(1))."""

    EV = "ev"
    LMT = "lmt"
    INDUSTRIAL = "industrial"
    STATIONARY = "stationary"


class StarterFormat(StrEnum):
    """Format of the starting file."""

    YAML = "yaml"
    JSON = "json"
    XLSX = "xlsx"


@new_app.command()
def new(
    kind: Annotated[StarterKind, typer.Argument(help="What to start.", show_default=False)],
    category: Annotated[
        Category, typer.Option(help="Battery category (submissions).")
    ] = Category.EV,
    output_format: Annotated[
        StarterFormat, typer.Option("--format", "-f", help="File format.")
    ] = StarterFormat.YAML,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (default: standard output).", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
) -> None:
    """Write a starting submission or DD questionnaire with the fields to fill.

    YAML explains every field in a comment (help, unit, Regulation source); JSON has the same
    content without comments; xlsx is the Excel template. The values to fill are null (blank in
    Excel): 'compliance validate' lists exactly those until they are filled.
    """
    from compliance.workbooks.starter import questionnaire_starter, submission_starter

    submission = kind is StarterKind.SUBMISSION
    if output_format is StarterFormat.XLSX:
        from compliance.workbooks.templates import questionnaire_workbook, submission_workbook

        data = (
            submission_workbook(category=category.value) if submission else questionnaire_workbook()
        )
        if output is None:
            typer.echo("compliance new: --format xlsx needs --output FILE.xlsx", err=True)
            raise typer.Exit(2)
        to_fill = "the yellow Value cells"
    else:
        starter = submission_starter(category.value) if submission else questionnaire_starter()
        text = starter.yaml() if output_format is StarterFormat.YAML else starter.json()
        data = text.encode("utf-8")
        to_fill = f"{len(starter.to_fill)} values (null)"
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()  # the file first, then the note on standard error
    else:
        try:
            atomic_write(output, data, exclusive=not force)
        except FileExistsError:
            typer.echo(f"compliance new: {output} exists (use --force to replace it)", err=True)
            raise typer.Exit(2) from None
        except OSError as exc:
            typer.echo(f"compliance new: cannot write {output}: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
    where = str(output) if output else "standard output"
    typer.echo(
        f"compliance new: wrote a {kind.value} to {where}; fill {to_fill}, then run "
        f"'compliance validate' to list what is still missing",
        err=True,
    )
