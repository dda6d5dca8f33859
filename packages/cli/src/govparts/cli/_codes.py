"""``govparts codes``: the code lists of core and of every installed part."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.text import Text

from ._ui import ARGUMENTS, COMMANDS, Command, Group, JsonOption, LocaleOption, _, cell, inline, session

app = typer.Typer(
    cls=Group,
    name="codes",
    help=_("Code lists of national standards, with labels in Chinese, Uyghur and English."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)


def _validity(code: Any) -> str:
    if code.valid_from is None and code.valid_to is None:
        return _("always")
    start = code.valid_from.isoformat() if code.valid_from else ""
    end = code.valid_to.isoformat() if code.valid_to else ""
    return f"{start} – {end}".strip()


@app.command(
    "list",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("List every code list: id, title, version and size."),
)
def list_lists(locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import codes

    with session(locale, as_json) as out:
        lists = codes.all_lists()
        payload = [
            {
                "id": c.id,
                "title": c.title_in(out.locale),
                "version": c.version,
                "codes": len(c),
                "closed": c.closed,
                "owner": c.owner,
                "source": c.source,
            }
            for c in lists
        ]
        rows = [(c.id, c.title_in(out.locale), c.version, len(c), c.owner) for c in lists]
        out.emit(
            payload,
            out.table(
                _("Code lists"), [_("Id"), _("Title"), _("Version"), _("Codes"), _("Published by")], rows
            ),
        )


@app.command(
    "show",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Show the codes of one list, labelled in the chosen language."),
)
def show(
    list_id: Annotated[
        str,
        typer.Argument(
            metavar="LIST",
            help=_("The list's id, with or without its year: 'GB/T 3304' or 'GB/T 3304-1991'."),
            rich_help_panel=ARGUMENTS,
        ),
    ],
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import codes

    with session(locale, as_json) as out:
        code_list = codes.get(list_id)
        payload = {
            "id": code_list.id,
            "title": code_list.title_in(out.locale),
            "version": code_list.version,
            "source": code_list.source,
            "closed": code_list.closed,
            "codes": [
                {
                    "code": c.code,
                    "label": c.label(out.locale),
                    "zh": c.zh,
                    "en": c.en,
                    "ug": c.ug,
                    "parent": c.parent,
                    "valid_from": c.valid_from.isoformat() if c.valid_from else None,
                    "valid_to": c.valid_to.isoformat() if c.valid_to else None,
                }
                for c in code_list
            ],
        }
        rows = [(c.code, c.label(out.locale), c.parent or "", _validity(c)) for c in code_list]
        title = Text(f"{code_list.id} ") + inline(code_list.title_in(out.locale))
        table = out.table(title, [_("Code"), _("Label"), _("Parent"), _("Validity")], rows)
        source = cell(
            _("Version {version}; source: {source}").format(
                version=code_list.version, source=code_list.source
            )
        )
        out.emit(payload, table, source)
