"""``govparts events``: the catalogue of published event types, and the events not yet delivered."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ._db import open_engine
from ._ui import COMMANDS, OPTIONS, Command, DbOption, Group, JsonOption, LocaleOption, _, session

app = typer.Typer(
    cls=Group,
    name="events",
    help=_("Event types the installed parts publish, and the transactional outbox."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)


def _description(entry: dict[str, Any], locale: str) -> str:
    texts: dict[str, str] = entry.get("description") or {}
    return texts.get(locale) or texts.get("zh_Hans_CN") or ""


@app.command(
    "list",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("List every event type: its name, producer, version and meaning."),
)
def list_types(locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import events

    with session(locale, as_json) as out:
        entries = events.catalogue()
        rows = [(e["type"], e["producer"], e["version"], _description(e, out.locale)) for e in entries]
        if entries or out.as_json:
            columns = [_("Event type"), _("Producer"), _("Version"), _("Meaning")]
            out.emit(entries, out.table(_("Event catalogue"), columns, rows))
        else:
            out.say(_("No installed part publishes events."))


@app.command(
    "pending",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("List the events in the outbox not yet delivered to every handler."),
)
def pending(
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            metavar="N",
            min=1,
            help=_("Show at most N events, the oldest first."),
            rich_help_panel=OPTIONS,
        ),
    ] = 100,
    db: DbOption = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import events

    with session(locale, as_json) as out, open_engine(db) as engine:
        found = events.pending(engine, limit=limit)
        rows = [
            (
                e["position"],
                e["type"],
                e["subject"] or "",
                e["handler_id"] or _("(not yet handed to handlers)"),
                e.get("attempts") or 0,
                e.get("last_error") or "",
            )
            for e in found
        ]
        if found or out.as_json:
            columns = [
                _("Position"),
                _("Event type"),
                _("Subject"),
                _("Handler"),
                _("Attempts"),
                _("Last error"),
            ]
            out.emit(found, out.table(_("Pending events"), columns, rows))
            if len(found) >= limit:
                out.say(
                    _("Showing the first {limit}; more may be waiting (see --limit).").format(limit=limit)
                )
        else:
            out.say(_("No event is waiting for delivery."))
