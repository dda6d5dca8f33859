"""What every command shares: the cli's messages, the common options, output as tables or JSON.

Every user-visible string of the command goes through the ``govparts-cli`` gettext domain: mark it
with ``_("...")`` (translated now, in the current locale) or ``N_("...")`` from
:mod:`govparts.core.i18n` (translated later, with ``_(text)``).
Help texts are translated once, when the command is built, in the locale of the environment
(``GOVPARTS_LOCALE``, ``LC_ALL``, ``LANG``); output is translated in the ``--locale`` asked for.

Uyghur is written right to left, and most terminals apply no bidirectional algorithm. Each table
cell holding Arabic-script text is wrapped in Unicode directional isolates (RLI … PDI, UAX #9): a
terminal that does reorder shows the Uyghur words in their right order without letting them drag the
neighbouring cells across the line, and one that does not reorder shows the logical order, with the
isolates taking no room (they are zero-width format characters). JSON output carries the text as
it is, without isolates.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from govparts.core import i18n
from govparts.core.errors import GovPartsError
from govparts.core.i18n import N_

__all__ = [
    # messages
    "DOMAIN",
    # help panels and classes
    "ARGUMENTS",
    "COMMANDS",
    "OPTIONS",
    "Command",
    "Group",
    # options every command shares
    "DbOption",
    "JsonOption",
    "LocaleOption",
    "UrlOption",
    # errors
    "database_error",
    # output
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "Output",
    "cell",
    "session",
]

DOMAIN = i18n.domain("govparts-cli", "govparts.cli")

# Exit codes: 1 the thing checked is bad (an invalid id, a broken audit chain, a failed demo check);
# 2 the input is bad (an unknown code list, an unsupported locale, a database that cannot be opened).
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def _(message: str) -> str:
    """``message`` in the current locale (the ``--locale`` of the running command, else the environment's)."""
    return DOMAIN.gettext(message)


OPTIONS = _("Options")
ARGUMENTS = _("Arguments")
COMMANDS = _("Commands")

LocaleOption = Annotated[
    str | None,
    typer.Option(
        "--locale",
        "-l",
        metavar="LOCALE",
        help=_("Language of the output: zh_Hans_CN, ug_CN or en (default: from the environment)."),
        rich_help_panel=OPTIONS,
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option(
        "--json", help=_("Print JSON on standard output instead of tables."), rich_help_panel=OPTIONS
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help=_(
            "Database URL (default: GOVPARTS_DB_URL, else sqlite:///govparts-demo.db in the working "
            "directory, the demo's database)."
        ),
        rich_help_panel=OPTIONS,
        show_default=False,
    ),
]
UrlOption = DbOption
"""The former name of :data:`DbOption`; ``--url`` stays a hidden alias of ``--db`` (see :class:`Command`)."""

_ALIASES = {"--url": "--db"}
"""Old option names accepted for one release (issue 18: one database option name, ``--db``)."""


def _aliased(params: Sequence[Any], args: list[str]) -> list[str]:
    """``args`` with each old option name of :data:`_ALIASES` replaced, where the command has the new one."""
    names = {name for param in params for name in getattr(param, "opts", ())}
    aliases = {old: new for old, new in _ALIASES.items() if new in names and old not in names}
    if not aliases:
        return args
    rewritten: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return rewritten + args[index:]
        name, sep, value = arg.partition("=")
        rewritten.append(aliases[name] + sep + value if name in aliases else arg)
    return rewritten


def _localise_help_option(option: Any) -> Any:
    if option is not None:
        option.help = _("Show this help and exit.")
        option.rich_help_panel = OPTIONS
    return option


class Command(TyperCommand):
    """A command whose ``--help`` option speaks the cli's language, taking ``--url`` for ``--db``.

    ``--url`` is not shown in help: it is kept for one release so that scripts written for it still
    run (issue 18).
    """

    def get_help_option(self, ctx: Any) -> Any:
        return _localise_help_option(super().get_help_option(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return list(super().parse_args(ctx, _aliased(self.params, args)))


class Group(TyperGroup):
    """A command group whose ``--help`` option speaks the cli's language."""

    def get_help_option(self, ctx: Any) -> Any:
        return _localise_help_option(super().get_help_option(ctx))


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


class Isolated:
    """Right-to-left text in a table cell, isolated (RLI … PDI) line by line.

    Rich wraps a long cell over several lines; one isolate around the whole text would then open on
    one line and close on another, leaving the middle lines bare for a terminal that reorders each
    line on its own. This renderable wraps the text itself and isolates every line it prints.
    """

    def __init__(self, text: str, locale: str = "ug_CN") -> None:
        self.text = Text(text)
        self.plain = i18n.isolate(text, locale)
        self._open, self._close = self.plain[0], self.plain[-1]

    def __str__(self) -> str:
        return self.plain

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        for line in self.text.wrap(console, options.max_width, overflow="fold"):
            yield Text(self._open) + line + Text(self._close)


def inline(value: object) -> Text:
    """Text to set within a line (a title, a label): taken literally, right-to-left text isolated."""
    if value is None:
        return Text("")
    text = str(value)
    return Text(i18n.isolate(text, "ug_CN") if _RTL.search(text) else text)


def cell(value: object) -> Text | Isolated:
    """A table cell: text taken literally (no Rich markup), right-to-left text isolated per line."""
    if value is None:
        return Text("")
    text = str(value)
    if _RTL.search(text):
        return Isolated(text)
    return Text(text)


def _jsonable(value: object) -> str:
    # Dates and times in ISO 8601, as in every govparts exchange format; anything else as text.
    isoformat = getattr(value, "isoformat", None)
    return str(isoformat()) if callable(isoformat) else str(value)


@dataclass
class Output:
    """Where a command writes: Rich tables for people, or JSON (``--json``) for programs."""

    locale: str
    as_json: bool
    console: Console = field(init=False)
    errors: Console = field(init=False)

    def __post_init__(self) -> None:
        # Piped output is not cut at 80 columns: a wrapped Uyghur label would be split mid-word.
        wide = None if sys.stdout.isatty() else 240
        self.console = Console(highlight=False, width=wide)
        self.errors = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 240)

    def table(
        self, title: str | Text | None, columns: Sequence[str], rows: Sequence[Sequence[object]]
    ) -> Table:
        """A Rich table with localised ``columns`` (already translated) and one row per item."""
        shown = title if isinstance(title, Text) or title is None else inline(title)
        table = Table(title=shown, title_justify="left")
        for name in columns:
            table.add_column(cell(name), overflow="fold")
        for row in rows:
            table.add_row(*(cell(v) for v in row))
        return table

    def emit(self, payload: Any, *renderables: RenderableType) -> None:
        """Print ``payload`` as JSON with ``--json``, else the renderables."""
        if self.as_json:
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=_jsonable) + "\n")
            return
        for renderable in renderables:
            self.console.print(renderable)

    def say(self, message: str) -> None:
        """Print a line of text for people (nothing with ``--json``)."""
        if not self.as_json:
            self.console.print(cell(message))

    def fail(self, err: GovPartsError, code: int = EXIT_BAD_INPUT) -> typer.Exit:
        """Report ``err`` in the locale (JSON on stdout with ``--json``, else a line on stderr)."""
        if self.as_json:
            sys.stdout.write(
                json.dumps({"error": err.to_dict(self.locale)}, ensure_ascii=False, indent=2) + "\n"
            )
        else:
            self.errors.print(
                Text(_("Error: {message}").format(message=err.message(self.locale)), style="red")
            )
        return typer.Exit(code)


def database_error(exc: BaseException, url: str | None = None, field: str = "db") -> GovPartsError | None:
    """A database error of SQLAlchemy or its driver as bad input naming ``field``; None for others.

    The message keeps the driver's first line only, identity and mobile numbers masked: the lines
    after it (and SQLAlchemy's own text) may quote the SQL and its parameters, which can hold
    personal data (issue 15.4). Nothing of the original is chained.
    """
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None or not isinstance(exc, errors.SQLAlchemyError):
        return None
    from govparts.core.errors import InvalidInput
    from govparts.core.security import mask_text

    if isinstance(exc, errors.ArgumentError):
        return InvalidInput(
            N_("{field}: {got} is not a database URL ({reason})"),
            field=field,
            got=url or "",
            reason=mask_text(_first_line(exc)),
            domain=DOMAIN,
        )
    cause = getattr(exc, "orig", None)
    return InvalidInput(
        N_("{field}: the database cannot be used ({reason})"),
        field=field,
        reason=mask_text(_first_line(cause if isinstance(cause, BaseException) else exc)),
        domain=DOMAIN,
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


@contextmanager
def session(locale: str | None, as_json: bool = False) -> Iterator[Output]:
    """Run a command body in ``locale``; a :class:`GovPartsError` (or a database error, see
    :func:`database_error`) becomes a message and exit code 2."""
    try:
        chosen = i18n.normalize_locale(locale) if locale else i18n.get_locale()
    except GovPartsError as err:
        raise Output(i18n.get_locale(), as_json).fail(err) from None
    out = Output(chosen, as_json)
    with i18n.use_locale(chosen):
        try:
            yield out
        except GovPartsError as err:
            raise out.fail(err) from None
        except Exception as exc:
            wrapped = database_error(exc)
            if wrapped is None:
                raise
            raise out.fail(wrapped) from None
