"""``govparts finance …``: commands of the finance part.

The ``govparts`` command mounts the Typer application :data:`app` (entry-point group
``govparts.cli``); Typer is imported only when ``app`` is first looked up (the ``cli`` extra installs
it; :mod:`._cli_app` builds it). ``--url`` stays a hidden alias of ``--db`` for one release. The
command itself is a plain function, usable without Typer:

``govparts finance export-beancount [--db URL] [--org ORG] OUT``
    :func:`export_beancount_command`: write the posted books as Beancount (``bean-check OUT`` then
    checks them, balances included). Exit 0 on success, 2 when the database cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from govparts.core.errors import GovPartsError

__all__ = ["EXIT_OK", "EXIT_USAGE", "export_beancount_command"]

EXIT_OK = 0
EXIT_USAGE = 2


def export_beancount_command(out: Path, url: str | None = None, org: str | None = None) -> int:
    """Export the books at ``url`` (default: the configured database) to ``out``; returns the exit code."""
    from sqlalchemy.exc import SQLAlchemyError

    from ._beancount import export_beancount

    try:
        engine = _existing_database(url)
    except GovPartsError as exc:
        print(f"govparts finance export-beancount: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = export_beancount(engine, out, org=org)
    except (GovPartsError, OSError) as exc:
        print(f"govparts finance export-beancount: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as exc:
        # The driver's text after its first line may quote SQL and its parameters (issue 15.4).
        cause = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        print(f"govparts finance export-beancount: --db: {cause}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        engine.dispose()
    print(written)
    return EXIT_OK


def _existing_database(url: str | None) -> Any:
    """An engine on ``url``; a SQLite file that does not exist is an error, not a new empty database."""
    import os

    import sqlalchemy as sa

    from govparts.core.db import DEFAULT_URL, create_engine
    from govparts.core.errors import NotFound

    parsed = sa.make_url(url or os.environ.get("GOVPARTS_DB_URL") or DEFAULT_URL)
    database = parsed.database or ""
    in_file = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if in_file and not Path(database).is_file():
        raise NotFound(field="db", kind="database", got=database)
    return create_engine(parsed.render_as_string(hide_password=False))


def __getattr__(name: str) -> Any:
    if name == "app":
        from ._cli_app import build_app

        app = build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
