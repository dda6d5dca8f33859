"""``govparts exchange`` and ``govparts validate``: packages of the data exchange format (数据交换).

``exchange export`` writes a part's records as a package (a folder, or a zip file when the path ends
in ``.zip``); ``exchange import`` checks, validates and imports one; ``validate`` checks and
validates without touching a database. Exit codes: 0 every record valid (and imported), 1 the
package is damaged or some record is invalid or rejected, 2 bad input (a database that cannot be
used, a path that cannot be written; never a traceback).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._db import open_engine
from ._ui import (
    ARGUMENTS,
    COMMANDS,
    EXIT_FAILED,
    OPTIONS,
    Command,
    DbOption,
    Group,
    JsonOption,
    LocaleOption,
    Output,
    _,
    cell,
    session,
)

if TYPE_CHECKING:
    from govparts.core.exchange import ExchangeReport, InvalidPackage

__all__ = ["app", "validate"]

app = typer.Typer(
    cls=Group,
    name="exchange",
    help=_("Export and import packages of the data exchange format."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)

PackageArgument = Annotated[
    Path,
    typer.Argument(
        metavar="PATH",
        help=_("The package: a folder or a zip file holding manifest.json."),
        rich_help_panel=ARGUMENTS,
        show_default=False,
    ),
]


@contextmanager
def _progress(out: Output) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error (none with ``--json``), fed as ``progress(done, total)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=out.errors,
        transient=True,
        disable=out.as_json,
    ) as bar:
        task = bar.add_task(_("Records"), total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _reject_package(out: Output, err: InvalidPackage) -> typer.Exit:
    out.emit(
        {"ok": False, "package": err.field, "problems": [p.to_dict(out.locale) for p in err.problems]},
        out.table(
            _("The package is damaged or incomplete; no record was read"),
            [_("File"), _("Problem")],
            [(p.field, p.message(out.locale)) for p in err.problems],
        ),
    )
    return typer.Exit(EXIT_FAILED)


def _show(out: Output, report: ExchangeReport, *, imported: bool) -> None:
    payload = report.to_dict(out.locale)
    # Inserted and already-stored counts only for an import that was committed: a rolled-back one
    # inserted nothing (issue 15.7). Records = valid + rejected; committed: valid = inserted + stored.
    written = imported and report.written
    columns = [_("File"), _("Model"), _("Records"), _("Valid"), _("Rejected")]
    if written:
        columns += [_("Inserted"), _("Already stored")]
    rows: list[list[object]] = []
    for f in report.files:
        row: list[object] = [f.path, f.model_id, f.records, f.valid, f.rejected]
        if written:
            row += [f.inserted, f.unchanged]
        rows.append(row)
    renderables: list[Any] = [out.table(_("Package {package}").format(package=report.package), columns, rows)]
    if report.errors:
        summary_rows = [
            (
                group.code,
                group.count,
                "\n".join(
                    _("{file} line {line}: {message}").format(
                        file=f, line=line, message=e.message(out.locale)
                    )
                    for f, line, e in group.examples
                ),
            )
            for group in report.summary()
        ]
        renderables.append(
            out.table(
                _("{count} invalid record(s), by error").format(count=report.invalid_records),
                [_("Error"), _("Count"), _("Examples")],
                summary_rows,
            )
        )
    if report.reject_file:
        renderables.append(cell(_("Rejected records were written to {path}").format(path=report.reject_file)))
    if report.ok:
        verdict = _("Imported: every record is valid.") if imported else _("Every record is valid.")
    elif report.written:
        verdict = _("Imported the valid records; the others were rejected.")
    else:
        verdict = _("Nothing was written.") if imported else _("Some records are invalid.")
    renderables.append(cell(verdict))
    out.emit(payload, *renderables)


@app.command(
    "export",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Write the records of a part as an exchange package (a zip file when PATH ends in .zip)."),
)
def export(
    *,
    part: Annotated[
        str,
        typer.Option(
            "--part", metavar="PART", help=_("The part whose records to export."), rich_help_panel=OPTIONS
        ),
    ],
    out_path: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="PATH",
            help=_(
                "Where to write the package: a new zip file, or a folder that is absent or empty. "
                "Nothing is left behind when the export fails."
            ),
            rich_help_panel=OPTIONS,
        ),
    ],
    sender: Annotated[
        str,
        typer.Option(
            "--sender",
            metavar="CREDIT_CODE",
            envvar="GOVPARTS_SENDER_CREDIT_CODE",
            help=_("Unified social credit code of the sending organisation."),
            rich_help_panel=OPTIONS,
        ),
    ],
    sender_name: Annotated[
        str,
        typer.Option(
            "--sender-name",
            metavar="NAME",
            envvar="GOVPARTS_SENDER_NAME",
            help=_("Name of the sending organisation."),
            rich_help_panel=OPTIONS,
        ),
    ],
    db: DbOption = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from pydantic import ValidationError

    from govparts.core import exchange
    from govparts.core.errors import from_validation_error
    from govparts.core.parts import get_part
    from govparts.core.refs import OrganizationRef

    with session(locale, as_json) as out:
        try:
            organisation = OrganizationRef(credit_code=sender, name=sender_name)
        except ValidationError as exc:
            raise from_validation_error(exc, model="sender") from None
        chosen = get_part(part)
        with open_engine(db) as engine:
            manifest = exchange.export_package(out_path, engine, part=chosen, sender=organisation)
        out.emit(
            {"package": str(out_path), "manifest": manifest.model_dump(mode="json")},
            out.table(
                _("Package {package}").format(package=out_path),
                [_("File"), _("Model"), _("Version"), _("Records"), "SM3"],
                [(f.path, f.model_id, f.model_version, f.records, f.sm3) for f in manifest.files],
            ),
        )


@app.command(
    "import",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_(
        "Check, validate and import a package; nothing is written when any record is invalid, "
        "unless --keep-valid."
    ),
)
def import_(
    path: PackageArgument,
    keep_valid: Annotated[
        bool,
        typer.Option(
            "--keep-valid",
            help=_(
                "Import the valid records and write the rejected ones to a reject file beside the package."
            ),
            rich_help_panel=OPTIONS,
        ),
    ] = False,
    db: DbOption = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import exchange

    with session(locale, as_json) as out:
        try:
            with open_engine(db) as engine, _progress(out) as progress:
                report = exchange.import_package(path, engine, keep_valid=keep_valid, progress=progress)
        except exchange.InvalidPackage as err:
            raise _reject_package(out, err) from None
        _show(out, report, imported=True)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def validate(path: PackageArgument, locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    """Check and validate a package without importing it."""
    from govparts.core import exchange

    with session(locale, as_json) as out:
        try:
            with _progress(out) as progress:
                report = exchange.validate_package(path, progress=progress)
        except exchange.InvalidPackage as err:
            raise _reject_package(out, err) from None
        _show(out, report, imported=False)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
