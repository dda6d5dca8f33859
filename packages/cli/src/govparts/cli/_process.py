"""``govparts process``: the business processes the installed parts publish, as tables, JSON or Mermaid."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from govparts.core.errors import ConfigurationError, NotFound
from govparts.core.i18n import N_

from ._ui import (
    ARGUMENTS,
    COMMANDS,
    DOMAIN,
    OPTIONS,
    Command,
    Group,
    JsonOption,
    LocaleOption,
    _,
    inline,
    session,
)

if TYPE_CHECKING:
    from govparts.core.process import ProcessSpec

app = typer.Typer(
    cls=Group,
    name="process",
    help=_("Business processes of the installed parts: states, transitions, roles and rules."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)


class Format(StrEnum):
    """How ``process show`` prints a process."""

    table = "table"
    json = "json"
    mermaid = "mermaid"


def installed_processes() -> list[tuple[str, ProcessSpec]]:
    """Every process spec the installed parts publish (``Part.processes``), with its part, by id."""
    from govparts.core.parts import iter_parts
    from govparts.core.process import ProcessSpec

    found: list[tuple[str, ProcessSpec]] = []
    for part in iter_parts():
        published = part.load("processes")
        if published is None:
            continue
        if isinstance(published, ProcessSpec):
            items = [published]
        elif isinstance(published, Mapping):
            items = list(published.values())
        else:
            items = list(published)
        for spec in items:
            if not isinstance(spec, ProcessSpec):
                raise ConfigurationError(
                    N_("{field}: expected process specs, got {got}"),
                    field=f"{part.name}.processes",
                    got=type(spec).__name__,
                    domain=DOMAIN,
                )
            found.append((part.name, spec))
    return sorted(found, key=lambda item: item[1].id)


@app.command("list", cls=Command, rich_help_panel=COMMANDS, help=_("List every installed process."))
def list_processes(locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    with session(locale, as_json) as out:
        found = installed_processes()
        payload = [
            {
                "id": spec.id,
                "version": spec.version,
                "part": part,
                "title": spec.title.in_locale(out.locale),
                "entity": spec.entity,
                "states": len(spec.states),
                "transitions": len(spec.transitions),
            }
            for part, spec in found
        ]
        rows = [
            (
                spec.id,
                spec.title.in_locale(out.locale),
                spec.version,
                part,
                len(spec.states),
                len(spec.transitions),
            )
            for part, spec in found
        ]
        if found or out.as_json:
            columns = [_("Id"), _("Title"), _("Version"), _("Part"), _("States"), _("Transitions")]
            out.emit(payload, out.table(_("Processes"), columns, rows))
        else:
            out.say(_("No installed part publishes a process."))


@app.command(
    "show",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Show one process as tables, JSON or a Mermaid diagram."),
)
def show(
    process_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=_("The process id, such as archives.outgoing_document."),
            rich_help_panel=ARGUMENTS,
        ),
    ],
    output_format: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help=_("table, json (the published form) or mermaid."), rich_help_panel=OPTIONS
        ),
    ] = Format.table,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    chosen = Format.json if as_json else output_format
    with session(locale, chosen is Format.json) as out:
        found = dict((spec.id, spec) for _part, spec in installed_processes())
        spec = found.get(process_id)
        if spec is None:
            raise NotFound(
                N_("{field}: no installed process is called {got} (installed: {allowed})"),
                field="process",
                got=process_id,
                allowed=sorted(found) or "-",
                domain=DOMAIN,
            )
        if chosen is Format.json:
            sys.stdout.write(spec.to_json() + "\n")
            return
        if chosen is Format.mermaid:
            sys.stdout.write(spec.to_mermaid(out.locale))
            return
        loc = out.locale
        title = Text(f"{spec.id} {spec.version} ") + inline(spec.title.in_locale(loc))
        states = out.table(
            title,
            [_("State"), _("Label"), _("Kind")],
            [
                (
                    s.id,
                    s.label.in_locale(loc),
                    _("initial") if s.id == spec.initial else _("terminal") if s.terminal else "",
                )
                for s in spec.states
            ],
        )
        transitions = out.table(
            None,
            [_("Transition"), _("Label"), _("From"), _("To"), _("Roles"), _("Rules"), _("Event")],
            [
                (
                    t.name,
                    t.label_in(loc),
                    ", ".join(t.source),
                    t.target,
                    ", ".join(t.roles),
                    ", ".join(t.guards),
                    t.event or "",
                )
                for t in spec.transitions
            ],
        )
        out.emit(None, states, transitions)
