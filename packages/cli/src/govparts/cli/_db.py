"""``govparts db``: migrations of core and of every installed part; opening databases for commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_

from ._ui import COMMANDS, DOMAIN, Command, Group, JsonOption, LocaleOption, Output, UrlOption, _, session

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

app = typer.Typer(
    cls=Group,
    name="db",
    help=_("Database migrations of core and every installed part."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)


@contextmanager
def database_errors(url: str | None) -> Iterator[None]:
    """Turn a database that cannot be parsed, opened or used into bad input naming ``url``."""
    import sqlalchemy.exc

    try:
        yield
    except sqlalchemy.exc.ArgumentError as exc:
        raise InvalidInput(
            N_("{field}: {got} is not a database URL ({reason})"),
            field="url",
            got=url,
            reason=str(exc),
            domain=DOMAIN,
        ) from exc
    except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.ProgrammingError) as exc:
        raise InvalidInput(
            N_("{field}: the database cannot be used ({reason})"),
            field="url",
            reason=str(exc.orig or exc).strip(),
            domain=DOMAIN,
        ) from exc


@contextmanager
def open_engine(url: str | None) -> Iterator[Engine]:
    """An engine on ``url`` (see :func:`database_errors`), disposed of afterwards."""
    from govparts.core.db import create_engine

    with database_errors(url):
        engine = create_engine(url)
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
def upgrade(url: UrlOption = None, locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import migrate

    with session(locale, as_json) as out, open_engine(url) as engine:
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
def status(url: UrlOption = None, locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import migrate

    with session(locale, as_json) as out, open_engine(url) as engine:
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
