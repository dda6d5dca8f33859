"""The ``govparts`` command: code lists, identifiers, processes, events, audit, database, demo.

Each command prints Rich tables for people or, with ``--json``, JSON on standard output and nothing
else. ``--locale`` chooses the language (zh_Hans_CN, ug_CN or en; default from the environment).
Exit codes: 0 success, 1 the thing checked failed (an invalid identifier, a broken audit chain, a
failed demo check), 2 bad input (with a localised message naming the field).

Importing this module imports Typer and Rich but not SQLAlchemy, Babel or pydantic: each command
imports what it needs when it runs, so ``govparts --help`` answers at once.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any

import typer

from govparts.core.i18n import N_

from . import _audit, _codes, _db, _events, _exchange, _keys, _process, _relay, _spec
from ._ids import check_id
from ._plugins import RootGroup
from ._ui import (
    COMMANDS,
    DOMAIN,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    OPTIONS,
    Command,
    JsonOption,
    LocaleOption,
    Output,
    _,
    cell,
    database_error,
    session,
)

__all__ = ["app", "main"]

app = typer.Typer(
    cls=RootGroup,
    name="govparts",
    help=_("Standard e-government parts: code lists, identifiers, processes, events, audit and database."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
for sub_app in (
    _codes.app,
    _process.app,
    _events.app,
    _audit.app,
    _keys.app,
    _db.app,
    _spec.app,
    _exchange.app,
):
    app.add_typer(sub_app, rich_help_panel=COMMANDS)
app.command(
    "check-id",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Tell which national identifier a value is, whether it is valid, and why not."),
)(check_id)
app.command(
    "validate",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Check and validate an exchange package without importing it."),
)(_exchange.validate)
app.command(
    "relay",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Publish the committed outbox to NATS JetStream, in order per subject."),
)(_relay.relay)
app.command(
    "consume",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Apply the events of the NATS JetStream stream to handlers in this database, each event once."),
)(_relay.consume)


def _distribution_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _versions() -> list[tuple[str, str, str]]:
    from govparts.core.parts import iter_parts

    rows = [
        ("govparts-core", _distribution_version("govparts-core") or "-", _("common data model")),
        ("govparts-cli", _distribution_version("govparts-cli") or "-", _("this command")),
    ]
    rows += [(f"govparts-{p.name}", p.version, p.title_in()) for p in iter_parts()]
    return rows


def _show_version(value: bool) -> None:
    if not value:
        return
    with session(None) as out:
        shared = _distribution_version("govparts") or _distribution_version("govparts-core") or "-"
        out.say(f"govparts {shared}")
        out.console.print(out.table(None, [_("Package"), _("Version"), _("What it is")], _versions()))
    raise typer.Exit


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help=_("Show the version of govparts and of every installed part, and exit."),
            rich_help_panel=OPTIONS,
        ),
    ] = False,
) -> None:
    pass


_PROVIDES = {
    "models": N_("models"),
    "processes": N_("processes"),
    "events": N_("events"),
    "requirements": N_("requirements"),
    "conformance": N_("conformance suite"),
    "demo": N_("demo"),
    "migrations": N_("migrations"),
    "code_lists_package": N_("code lists"),
}


@app.command("parts", cls=Command, rich_help_panel=COMMANDS, help=_("List the installed parts."))
def parts(locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core.parts import iter_parts

    with session(locale, as_json) as out:
        installed = list(iter_parts())
        payload: list[dict[str, Any]] = [
            {
                "name": p.name,
                "version": p.version,
                "title": p.title_in(out.locale),
                "provides": {key: getattr(p, key) for key in _PROVIDES if getattr(p, key)},
            }
            for p in installed
        ]
        rows = [
            (
                p.name,
                p.title_in(out.locale),
                p.version,
                ", ".join(_(label) for key, label in _PROVIDES.items() if getattr(p, key)),
            )
            for p in installed
        ]
        if installed or out.as_json:
            out.emit(
                payload,
                out.table(_("Installed parts"), [_("Name"), _("Title"), _("Version"), _("Provides")], rows),
            )
        else:
            out.say(_("No part is installed; install one, for example: pip install govparts-attendance"))


@app.command(
    "demo",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_(
        "Run the demonstration: migrate a database, build a synthetic office and run a month of its "
        "business through every installed part, and check every outcome."
    ),
)
def demo(
    *,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help=_(
                "Database to use (default: a new govparts-demo.db in the working directory, replaced). "
                "Each --seed is its own office: several seeds may share one database."
            ),
            rich_help_panel=OPTIONS,
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            metavar="N",
            help=_("Seed of the synthetic office (the same seed gives the same office and people)."),
            rich_help_panel=OPTIONS,
        ),
    ] = 2023,
    broker: Annotated[
        str | None,
        typer.Option(
            "--broker",
            metavar="URL",
            help=_(
                "Run each part as its own agency, in its own process and database, exchanging events "
                "only through this NATS JetStream server (nats://HOST:PORT)."
            ),
            rich_help_panel=OPTIONS,
            show_default=False,
        ),
    ] = None,
    workdir: Annotated[
        Path | None,
        typer.Option(
            "--workdir",
            metavar="DIR",
            help=_("With --broker: the folder of the agencies' databases (default: a temporary folder)."),
            rich_help_panel=OPTIONS,
            show_default=False,
        ),
    ] = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core.errors import InvalidInput

    from ._demo import report_json, run_demo, show_progress

    with session(locale, as_json) as out, _db.database_errors(db), show_progress(out) as progress:
        if broker is not None or workdir is not None:
            from ._demo_broker import run_broker_demo

            if broker is None or db is not None:
                raise InvalidInput(
                    N_("{field}: --workdir goes with --broker, and --db does not"),
                    field="broker" if broker is None else "db",
                    domain=DOMAIN,
                )
            report = run_broker_demo(broker, out.locale, workdir=workdir, seed=seed, progress=progress)
        else:
            report = run_demo(
                db,
                out.locale,
                seed=seed,
                progress=progress,
                waiting=lambda: out.errors.print(
                    _("Another demo is running on this database; waiting for it to finish…")
                ),
            )
    with session(locale, as_json) as out:
        payload = report_json(report, out.locale)
        rows = [(c.step, c.name, _("passed") if c.passed else _("FAILED"), c.detail) for c in report.checks]
        verdict = _("Every check passed.") if report.passed else _("Some checks failed.")
        out.emit(
            payload,
            *(out.table(t.title, t.columns, t.rows) for t in report.tables),
            out.table(
                _("Demo on {database}").format(database=report.database),
                [_("Step"), _("Check"), _("Result"), _("Detail")],
                rows,
            ),
            cell(verdict),
        )
    if not report.passed:
        raise typer.Exit(EXIT_FAILED)


def main() -> None:
    """Entry point of the ``govparts`` script."""
    from govparts.core.errors import GovPartsError
    from govparts.core.i18n import get_locale

    try:
        app()
    except GovPartsError as err:  # raised by a plugin sub-command, outside our own sessions
        Output(get_locale(), as_json=False).fail(err)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except Exception as exc:
        # A database error in a plugin sub-command: its first line, masked, never the SQL parameters.
        wrapped = database_error(exc)
        if wrapped is None:
            raise
        Output(get_locale(), as_json=False).fail(wrapped)
        raise SystemExit(EXIT_BAD_INPUT) from None
