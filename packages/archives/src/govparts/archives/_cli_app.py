"""The Typer application behind ``govparts archives …`` (imported only when the command runs).

This module deliberately does not use ``from __future__ import annotations``: Typer reads the
parameters' ``Annotated`` metadata at run time, so the annotations must be real objects, with
``typer`` imported at module level (issue 18). Help texts are translated in the environment's
locale (``GOVPARTS_LOCALE``) through the part's catalogs.
"""

from pathlib import Path
from typing import Annotated

import typer

from govparts.core.i18n import N_

from .cli import _, export_bag_command

__all__ = ["build_app"]


def build_app() -> typer.Typer:
    """A fresh ``archives`` Typer application with its commands."""
    app = typer.Typer(
        name="archives",
        help=_(N_("Official documents and archives (公文与档案).")),
        no_args_is_help=True,
        add_completion=False,
    )

    @app.callback()
    def archives() -> None:
        pass

    @app.command(
        "export-bag",
        help=_(
            N_(
                "Write filed items as a BagIt 1.0 archival package (RFC 8493) that bagit.py --validate "
                "accepts; OUT must not exist, and nothing is left behind on failure. The command acts "
                "as an archivist of the organisation with the clearance --clearance: a selection holding "
                "an item classified above it is refused as a whole."
            )
        ),
    )
    def export_bag(
        *,
        out: Annotated[
            Path, typer.Argument(help=_(N_("the folder of the package to write (must not exist)")))
        ],
        db: Annotated[
            str | None,
            typer.Option(
                "--db",
                help=_(
                    N_(
                        "database URL (default: GOVPARTS_DB_URL, else sqlite:///govparts-demo.db in the "
                        "working directory, the demo's database)"
                    )
                ),
            ),
        ] = None,
        url: Annotated[str | None, typer.Option("--url", hidden=True, help="old name of --db")] = None,
        org: Annotated[
            str | None,
            typer.Option(
                "--org",
                help=_(N_("unified social credit code of the organisation (needed when several have items)")),
            ),
        ] = None,
        fonds: Annotated[
            str | None, typer.Option("--fonds", help=_(N_("only items of this fonds (全宗号)")))
        ] = None,
        year: Annotated[
            int | None, typer.Option("--year", help=_(N_("only items of this year (年度)")))
        ] = None,
        item: Annotated[
            list[str] | None,
            typer.Option("--item", help=_(N_("only the item with this archival code (档号); repeatable"))),
        ] = None,
        clearance: Annotated[
            str | None,
            typer.Option(
                "--clearance",
                help=_(N_("clearance of the exporting archivist: MM, JM or UM (default: none, 非密 only)")),
            ),
        ] = None,
    ) -> None:
        raise typer.Exit(
            export_bag_command(
                out, db or url, org=org, fonds=fonds, year=year, items=item or (), clearance=clearance
            )
        )

    return app
