"""The Typer application behind ``govparts finance …`` (imported only when the command runs).

This module deliberately does not use ``from __future__ import annotations``: Typer reads the
parameters' ``Annotated`` metadata at run time, so the annotations must be real objects, with
``typer`` imported at module level (issue 18: string annotations naming a ``typer`` imported only
for type checking made every ``govparts finance`` command fail with ``NameError``).
"""

from pathlib import Path
from typing import Annotated

import typer

from .cli import export_beancount_command

__all__ = ["build_app"]


def build_app() -> typer.Typer:
    """A fresh ``finance`` Typer application with its commands."""
    app = typer.Typer(
        name="finance", help="Government accounting (财务).", no_args_is_help=True, add_completion=False
    )

    @app.callback()
    def finance() -> None:
        """Government accounting (财务)."""

    @app.command("export-beancount")
    def export(
        out: Annotated[Path, typer.Argument(help="the Beancount file to write")],
        db: Annotated[
            str | None, typer.Option("--db", help="database URL (default: the configured one)")
        ] = None,
        url: Annotated[str | None, typer.Option("--url", hidden=True, help="old name of --db")] = None,
        org: Annotated[str | None, typer.Option(help="only this organisation's books")] = None,
    ) -> None:
        """Export the posted books to Beancount; bean-check verifies them and their balances."""
        raise typer.Exit(export_beancount_command(out, db or url, org))

    return app
