"""``govparts db``: migrations of core and of every installed part; opening databases for commands.

Every command that uses a database takes it as ``--db URL``, else
``GOVPARTS_DB_URL``, else ``govparts-demo.db`` in the working directory, the file ``govparts demo``
writes; ``--url`` is a hidden alias of ``--db`` for one release.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from govparts.core.errors import GovPartsError, InvalidInput
from govparts.core.i18n import N_

from ._ui import (
    COMMANDS,
    DOMAIN,
    Command,
    DbOption,
    Group,
    JsonOption,
    LocaleOption,
    Output,
    _,
    database_error,
    session,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

app = typer.Typer(
    cls=Group,
    name="db",
    help=_("Database migrations of core and every installed part."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)


DEMO_DATABASE = "govparts-demo.db"
"""The database every command uses by default: the one ``govparts demo`` writes (issue 18)."""


def database_url(db: str | None) -> str:
    """The URL a command opens: ``db``, else ``GOVPARTS_DB_URL``, else :data:`DEMO_DATABASE` in the
    working directory."""
    return db or os.environ.get("GOVPARTS_DB_URL") or f"sqlite:///{Path.cwd() / DEMO_DATABASE}"


@contextmanager
def database_errors(url: str | None) -> Iterator[None]:
    """Turn a database that cannot be parsed, opened or used into bad input naming ``--db``.

    The message keeps the driver's first line, never the SQL parameters (see
    :func:`~govparts.cli._ui.database_error`).
    """
    try:
        yield
    except GovPartsError as err:
        if err.field == "url":  # core names its parameter; the command's option is --db
            err.field = "db"
        raise
    except Exception as exc:
        wrapped = database_error(exc, url)
        if wrapped is None:
            raise
        raise wrapped from None


def _missing_sqlite_file(url: str) -> str | None:
    """The path of the SQLite file ``url`` names when that file does not exist, else None."""
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return None if Path(database).exists() else database


@contextmanager
def open_engine(db: str | None, *, create: bool = False) -> Iterator[Engine]:
    """An engine on ``db`` (see :func:`database_url` and :func:`database_errors`), disposed of afterwards.

    A SQLite file that does not exist is refused unless ``create`` (only ``db upgrade`` creates
    one): opening a mistyped path must not leave an empty database behind (issue 18). The engine
    hides SQL parameters from its error messages and logs (``hide_parameters``, issue 15.4).
    """
    from govparts.core.db import create_engine

    url = database_url(db)
    with database_errors(url):
        missing = _missing_sqlite_file(url)
        if missing is not None and not create:
            raise InvalidInput(
                N_("{field}: there is no database at {got}; run govparts demo or govparts db upgrade first"),
                field="db",
                got=missing,
                domain=DOMAIN,
            )
        engine = create_engine(url, hide_parameters=True)
        try:
            yield engine
        finally:
            engine.dispose()


def _revision_rows(revisions: list[Any]) -> list[tuple[str, str, str]]:
    return [(r.id, r.part, r.message) for r in revisions]


def _revision_json(revision: Any) -> dict[str, Any]:
    return {
        "id": revision.id,
        "part": revision.part,
        "message": revision.message,
        "down_revisions": list(revision.down_revisions),
        "depends_on": list(revision.depends_on),
        "branch_labels": list(revision.branch_labels),
        "is_head": revision.is_head,
    }


def _report(out: Output, title: str, revisions: list[Any], recorded: tuple[str, ...], empty: str) -> None:
    payload = {"revisions": [_revision_json(r) for r in revisions], "current": list(recorded)}
    if out.as_json or revisions:
        out.emit(
            payload, out.table(title, [_("Revision"), _("Part"), _("Description")], _revision_rows(revisions))
        )
    else:
        out.say(empty)


@app.command(
    "upgrade",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Apply every pending migration of core and every installed part."),
)
def upgrade(db: DbOption = None, locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import migrate

    with session(locale, as_json) as out, open_engine(db, create=True) as engine:
        applied = migrate.upgrade(engine)
        _report(
            out, _("Migrations applied"), applied, migrate.current(engine), _("The database is up to date.")
        )


@app.command(
    "status",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Show the revisions a database is at and those still to apply."),
)
def status(db: DbOption = None, locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import migrate

    with session(locale, as_json) as out, open_engine(db) as engine:
        recorded = migrate.current(engine)
        pending = migrate.pending(engine)
        if not out.as_json:
            out.say(_("Recorded revisions: {revisions}").format(revisions=", ".join(recorded) or "-"))
        _report(out, _("Pending migrations"), pending, recorded, _("The database is up to date."))


@app.command(
    "history",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("List the migrations of core and every installed part."),
)
def history(locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import migrate

    with session(locale, as_json) as out:
        revisions = migrate.history()
        rows = [
            (
                r.id,
                r.part,
                r.message,
                ", ".join(r.down_revisions + r.depends_on),
                _("yes") if r.is_head else "",
            )
            for r in revisions
        ]
        out.emit(
            [_revision_json(r) for r in revisions],
            out.table(
                _("Migrations"), [_("Revision"), _("Part"), _("Description"), _("After"), _("Head")], rows
            ),
        )
