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
from rich import box
from rich.cells import cell_len
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
    "CellTable",
    "Inline",
    "Isolated",
    "Output",
    "Wrapped",
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
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese may break after a clause mark (UAX #14 class CL/EX/IS of the ideographic punctuation).
_CLAUSE = re.compile("(?<=[\uff0c\u3002\uff1b\uff1a\u3001\uff01\uff1f])")
_OPENING = "\uff08\u3014\u300a\u300c\u300e\u3010\u3008\u201c\u2018("
_CLOSING = "\uff09\u3015\u300b\u300d\u300f\u3011\u3009\u201d\u2019)\uff0c\u3002\uff1b\uff1a\u3001\uff01\uff1f"
# In Chinese prose a line may end between two ideographs; opening marks stay with what follows,
# closing marks with what precedes, and a run of other characters (a number, a code) stays whole.
_PROSE_PIECE = re.compile(f"[{_OPENING}]*(?:[{_HAN}]|[^{_HAN}{_OPENING}{_CLOSING}]+)?[{_CLOSING}]*")
_NAME_DOT = "\u00b7"


def _is_prose(clause: str) -> bool:
    """Whether a line may end between the ideographs of ``clause`` (a word without spaces).

    Chinese prose and labels may (台式计算机, 零余额账户用款额度). Kept whole like any value: a
    personal name (two to four ideographs, or a transliterated name with a middle dot such as
    阿依努尔·艾合买提) and a short code with digits or Latin letters (a document number such as
    天政服发〔2023〕7号); in a long sentence only the runs of digits or letters stay whole.
    """
    han = len(re.findall(f"[{_HAN}]", clause))
    if _NAME_DOT in clause or han < 5:
        return False
    return han >= 9 or not re.search("[0-9A-Za-z]", clause)


def segments(text: str) -> list[list[tuple[str, bool]]]:
    """``text`` as lines of unbreakable pieces, each with whether a space precedes it.

    A line may end only between two pieces: at a space between words, after a Chinese clause mark,
    or between two ideographs of Chinese prose. Amounts, codes, identifiers, dates and every
    Uyghur word are single pieces, so no wrapping splits them (a terminal joins Arabic-script
    letters only within a word it prints whole).
    """
    lines: list[list[tuple[str, bool]]] = []
    for line in text.split("\n"):
        pieces: list[tuple[str, bool]] = []
        for word in line.split():
            spaced = bool(pieces)
            for clause in (part for part in _CLAUSE.split(word) if part):
                if _is_prose(clause):
                    parts = [part for part in _PROSE_PIECE.findall(clause) if part]
                else:
                    parts = [clause]
                for part in parts:
                    pieces.append((part, spaced))
                    spaced = False
        lines.append(pieces)
    return lines


def _fold(piece: str, width: int) -> list[str]:
    """``piece`` cut into chunks of at most ``width`` cells: only for a piece wider than the screen."""
    chunks, current = [], ""
    for char in piece:
        if current and cell_len(current + char) > width:
            chunks.append(current)
            current = ""
        current += char
    return [*chunks, current]


def pack(text: str, width: int) -> list[str]:
    """``text`` wrapped into lines of at most ``width`` cells, breaking only between pieces.

    A piece wider than ``width`` (a value wider than the whole screen) is the one thing cut.
    """
    out: list[str] = []
    for pieces in segments(text):
        current, used = "", 0
        for piece, spaced in pieces:
            size = cell_len(piece)
            gap = 1 if spaced and current else 0
            if current and used + gap + size > width:
                out.append(current)
                current, used, gap = "", 0, 0
            *full, last = _fold(piece, width) if size > width else [piece]
            out.extend(full)
            current += " " * gap + last
            used += gap + cell_len(last)
        out.append(current)
    return out


class Wrapped:
    """Text in a table cell, wrapped only where a line may end (see :func:`segments`).

    Its minimum width is its widest unbreakable piece, so a table that gives every column at
    least that never splits a value.
    """

    rtl = False

    def __init__(self, text: str) -> None:
        self.text = text
        lines = segments(text)
        self.minimum = max((cell_len(piece) for line in lines for piece, _ in line), default=0)
        self.maximum = max(cell_len(" ".join(line.split())) for line in text.split("\n"))

    def __str__(self) -> str:
        return self.text

    def lines(self, width: int) -> list[str]:
        """The printed lines at ``width`` cells."""
        return pack(self.text, max(width, 1))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.minimum, self.maximum).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        for line in self.lines(options.max_width):
            yield Text(line, end="\n", no_wrap=True, overflow="ignore")


class Isolated(Wrapped):
    """Right-to-left text in a table cell, isolated (RLI … PDI) line by line.

    A long cell is printed over several lines; one isolate around the whole text would then open on
    one line and close on another, leaving the middle lines bare for a terminal that reorders each
    line on its own. This renderable wraps the text itself, between words only, and isolates every
    line it prints, so each Uyghur word is printed whole inside an isolate.
    """

    rtl = True

    def __init__(self, text: str, locale: str = "ug_CN") -> None:
        super().__init__(text)
        self.plain = i18n.isolate(text, locale)
        self._open, self._close = self.plain[0], self.plain[-1]

    def __str__(self) -> str:
        return self.plain

    def lines(self, width: int) -> list[str]:
        """The printed lines at ``width`` cells, each in its own isolate (which takes no room)."""
        return [self._open + line + self._close for line in super().lines(width)]


class Inline(Wrapped):
    """A line that carries its own isolates (made with :func:`inline`), wrapped between words.

    An isolate left open at the end of a printed line is closed there and opened again on the next,
    so a terminal that reorders each line on its own sees every isolate whole.
    """

    def lines(self, width: int) -> list[str]:
        """The printed lines at ``width`` cells, each with its isolates balanced."""
        out, carry = [], ""
        for printed in super().lines(width):
            line = carry + printed
            opened: list[str] = []
            for char in line:
                if char in "\u2066\u2067\u2068":
                    opened.append(char)
                elif char == "\u2069" and opened:
                    opened.pop()
            out.append(line + "\u2069" * len(opened))
            carry = "".join(opened)
        return out


def inline(value: object) -> Text:
    """Text to set within a line (a title, a label): taken literally, right-to-left text isolated."""
    if value is None:
        return Text("")
    text = str(value)
    return Text(i18n.isolate(text, "ug_CN") if _RTL.search(text) else text)


def cell(value: object) -> Wrapped:
    """A table cell: text taken literally (no Rich markup), wrapped only between words, right-to-left
    text isolated per line."""
    text = "" if value is None else str(value)
    if _RTL.search(text):
        return Isolated(text)
    return Wrapped(text)


def _fit(minimums: Sequence[int], maximums: Sequence[int], room: int) -> list[int] | None:
    """Column widths within ``room`` cells, each at least its minimum; None when they cannot fit.

    Columns get their full width when all fit; otherwise each starts at its minimum and the room
    left goes, a cell at a time, to the column that has the smallest share of its full width, so
    that no column is squeezed into a sliver while another is nearly whole.
    """
    if sum(minimums) > room:
        return None
    if sum(maximums) <= room:
        return list(maximums)
    widths = list(minimums)
    for _ in range(room - sum(minimums)):
        lacking = [i for i in range(len(widths)) if widths[i] < maximums[i]]
        widths[min(lacking, key=lambda i: widths[i] / maximums[i])] += 1
    return widths


class CellTable:
    """A table of :class:`Wrapped` cells that never breaks a value or a word.

    At print time it measures the room it has: each column gets at least its widest unbreakable
    piece (an amount, a code, an identifier, a date, a Uyghur word). It prints a ruled table when
    that fits, else a compact one (no rules, two spaces between columns); when even that does not
    fit, each row is printed as a block of ``column  value`` lines, and when two such columns do not
    fit either, as each column's name above its value.
    """

    def __init__(
        self, title: Wrapped | None, columns: Sequence[Wrapped], rows: Sequence[Sequence[Wrapped]]
    ) -> None:
        self.title = title
        self.columns = list(columns)
        self.rows = [list(row) for row in rows]

    def _ranges(self) -> tuple[list[int], list[int]]:
        cells = [
            [self.columns[i], *(row[i] for row in self.rows if i < len(row))]
            for i in range(len(self.columns))
        ]
        return [max(c.minimum for c in column) for column in cells], [
            max(1, *(c.maximum for c in column)) for column in cells
        ]

    def layout(self, width: int) -> tuple[str, list[int] | None]:
        """How the table is printed ``width`` cells wide: ``ruled``, ``compact`` (with the content
        width of each column), ``blocks`` or ``stacked`` (with None)."""
        count = len(self.columns)
        minimums, maximums = self._ranges()
        for name, extra in (("ruled", 3 * count + 1), ("compact", 2 * count - 2)):
            widths = _fit(minimums, maximums, width - extra)
            if widths is not None:
                return name, widths
        names, values = self.columns, [c for row in self.rows for c in row]
        keys = (max(n.minimum for n in names), max(n.maximum for n in names))
        shown = (max((v.minimum for v in values), default=0), max((v.maximum for v in values), default=1))
        blocks = _fit([keys[0], shown[0]], [keys[1], shown[1]], width - 2)
        return ("blocks", blocks) if blocks is not None else ("stacked", None)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        minimums, maximums = self._ranges()
        return Measurement(max(minimums, default=1), 3 * len(self.columns) + 1 + sum(maximums))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        width = options.max_width
        if self.title is not None:
            for line in self.title.lines(width):
                yield Text(line, style="italic", end="\n", no_wrap=True, overflow="ignore")
        kind, widths = self.layout(width)
        if kind in ("ruled", "compact") and widths is not None:
            if kind == "ruled":
                table = Table()
            else:
                table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
            for column, size in zip(self.columns, widths, strict=True):
                table.add_column(column, width=size)
            for row in self.rows:
                table.add_row(*row)
            yield table
            return
        yield from self._blocks(width, widths)

    def _blocks(self, width: int, sizes: list[int] | None) -> Iterator[RenderableType]:
        names = self.columns
        for number, row in enumerate(self.rows):
            if number:
                yield Text("")
            if sizes is not None:
                grid = Table.grid(padding=(0, 2, 0, 0))
                grid.add_column(width=sizes[0], style="bold")
                grid.add_column(width=sizes[1])
                for name, value in zip(names, row, strict=False):
                    grid.add_row(name, value)
                yield grid
                continue
            for name, value in zip(names, row, strict=False):
                for line in name.lines(width):
                    yield Text(line, style="bold", end="\n", no_wrap=True, overflow="ignore")
                for line in value.lines(width):
                    yield Text(line, end="\n", no_wrap=True, overflow="ignore")


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
    ) -> CellTable:
        """A table with localised ``columns`` (already translated) and one row per item.

        It never breaks a value or a word, whatever the terminal's width (see :class:`CellTable`).
        """
        if title is None:
            heading: Wrapped | None = None
        elif isinstance(title, Text):
            heading = Inline(title.plain)
        else:
            heading = cell(title)
        return CellTable(heading, [cell(name) for name in columns], [[cell(v) for v in row] for row in rows])

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
