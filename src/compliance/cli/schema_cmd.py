"""``compliance schema``: print a published JSON Schema bundled with this version."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

__all__ = ["schema_app"]

schema_app = typer.Typer(add_completion=False)


@schema_app.command()
def schema(
    name: Annotated[
        str, typer.Argument(help="Document kind.", show_default=True)
    ] = "supplier-submission",
) -> None:
    """Print a published JSON Schema (draft 2020-12) bundled with this version."""
    from compliance.resources import read_resource_text
    from compliance.validation.questionnaire import QUESTIONNAIRE_SCHEMA_PATH
    from compliance.validation.schema_layer import SUBMISSION_SCHEMA_PATH

    known = {
        "supplier-submission": SUBMISSION_SCHEMA_PATH,
        "dd-questionnaire": QUESTIONNAIRE_SCHEMA_PATH,
        "ruleset": "schemas/ruleset/1.0.0/schema.json",
        "factor-dataset": "schemas/factor-dataset/1.0.0/schema.json",
        "cfp-ruleset": "schemas/cfp-ruleset/1.0.0/schema.json",
        "passport": "schemas/passport/1.0.0/schema.json",
        "passport-document": "schemas/passport-document/1.0.0/schema.json",
    }
    if name not in known:
        typer.echo(
            f"compliance schema: unknown document kind {name!r}; known: {', '.join(sorted(known))}",
            err=True,
        )
        raise typer.Exit(2)
    sys.stdout.write(read_resource_text(known[name]))
