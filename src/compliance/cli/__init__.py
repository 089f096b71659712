"""Command line (Typer): the ``compliance`` console script."""
