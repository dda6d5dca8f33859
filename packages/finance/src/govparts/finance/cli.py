"""``govparts finance …``: commands of the finance part.

The ``govparts`` command mounts the Typer application :data:`app` (entry-point group
``govparts.cli``); Typer is imported only when ``app`` is first looked up (the ``cli`` extra installs
it). The command itself is a plain function, usable without Typer:

``govparts finance export-beancount [--url URL] [--org ORG] OUT``
    :func:`export_beancount_command`: write the posted books as Beancount (``bean-check OUT`` then
    checks them, balances included). Exit 0 on success, 2 when the database cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from govparts.core.errors import GovPartsError

if TYPE_CHECKING:
    import typer

__all__ = ["EXIT_OK", "EXIT_USAGE", "export_beancount_command"]

EXIT_OK = 0
EXIT_USAGE = 2


def export_beancount_command(out: Path, url: str | None = None, org: str | None = None) -> int:
    """Export the books at ``url`` (default: the configured database) to ``out``; returns the exit code."""
    from sqlalchemy.exc import SQLAlchemyError

    from govparts.core.db import create_engine

    from ._beancount import export_beancount

    engine = create_engine(url)
    try:
        written = export_beancount(engine, out, org=org)
    except (GovPartsError, SQLAlchemyError, OSError) as exc:
        print(f"govparts finance export-beancount: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        engine.dispose()
    print(written)
    return EXIT_OK


def _build_app() -> typer.Typer:
    import typer

    app = typer.Typer(
        name="finance", help="Government accounting (财务).", no_args_is_help=True, add_completion=False
    )

    @app.command("export-beancount")
    def export(
        out: Annotated[Path, typer.Argument(help="the Beancount file to write")],
        url: Annotated[str | None, typer.Option(help="database URL (default: the configured one)")] = None,
        org: Annotated[str | None, typer.Option(help="only this organisation's books")] = None,
    ) -> None:
        """Export the posted books to Beancount; bean-check verifies them and their balances."""
        raise typer.Exit(export_beancount_command(out, url, org))

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        app = _build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
