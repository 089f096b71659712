"""``compliance questions``: the DD catalogue as a questionnaire a person reads."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from compliance.cli.fileio import atomic_write

__all__ = ["questions_app"]

questions_app = typer.Typer(add_completion=False)


class QuestionsFormat(StrEnum):
    """Output format."""

    TEXT = "text"
    HTML = "html"
    PDF = "pdf"


class Language(StrEnum):
    """Language of the questions."""

    EN = "en"
    JA = "ja"


@questions_app.command()
def questions(
    lang: Annotated[Language, typer.Option("--lang", help="Language.")] = Language.EN,
    output_format: Annotated[
        QuestionsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = QuestionsFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (default: standard output).", show_default=False
        ),
    ] = None,
) -> None:
    """Print the DD catalogue's questions as a questionnaire (text, HTML or PDF)."""
    if output_format is QuestionsFormat.TEXT:
        from compliance.reports.questions import questions_text

        data = questions_text(lang.value).encode("utf-8")
    else:
        try:
            from compliance.reports.questions import questions_html, questions_pdf
        except ImportError as exc:  # pragma: no cover - the pdf extra is missing
            typer.echo(f"compliance questions: needs the 'pdf' extra ({exc})", err=True)
            raise typer.Exit(2) from None
        if output_format is QuestionsFormat.HTML:
            data = questions_html(lang.value).encode("utf-8")
        else:
            data = questions_pdf(lang.value)
    if output is None:
        if output_format is QuestionsFormat.PDF and sys.stdout.isatty():
            typer.echo("compliance questions: a PDF goes to a file (--output FILE.pdf)", err=True)
            raise typer.Exit(2)
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    try:
        atomic_write(output, data)
    except OSError as exc:
        typer.echo(f"compliance questions: cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(2) from None
