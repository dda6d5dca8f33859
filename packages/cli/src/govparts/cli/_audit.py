"""``govparts audit``: check the hash chain of the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from ._db import open_engine
from ._ui import COMMANDS, EXIT_FAILED, Command, Group, JsonOption, LocaleOption, UrlOption, _, session

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

app = typer.Typer(
    cls=Group,
    name="audit",
    help=_("The hash-chained audit log."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)

_SHOWN = (
    "seq",
    "recorded_at",
    "actor_id",
    "actor_unit",
    "action",
    "entity",
    "entity_id",
    "alg",
    "prev_hash",
    "hash",
)


def _record(engine: Engine, seq: int) -> dict[str, Any] | None:
    import sqlalchemy as sa

    import govparts.core.audit  # noqa: F401 - registers the audit tables
    from govparts.core.db import metadata

    table = metadata.tables["core_audit_record"]
    with engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.seq == seq)).mappings().first()
    if row is None:
        return None
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in row.items()}


@app.command(
    "verify",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Check the whole audit chain; exit 1 and show the first bad record."),
)
def verify(url: UrlOption = None, locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import audit

    with session(locale, as_json) as out, open_engine(url) as engine:
        report = audit.verify(engine)
        record = _record(engine, report.seq) if report.seq is not None else None
        payload = {
            "ok": report.ok,
            "checked": report.checked,
            "head_seq": report.head_seq,
            "head_hash": report.head_hash,
            "problem": report.problem.to_dict(out.locale) if report.problem else None,
            "record": record,
        }
        summary = out.table(
            _("Audit chain"),
            [_("Result"), _("Records checked"), _("Chain head")],
            [
                (
                    _("holds") if report.ok else _("broken"),
                    report.checked,
                    f"{report.head_seq} {report.head_hash}",
                )
            ],
        )
        shown: list[Any] = [summary]
        if report.problem is not None:
            shown.append(out.table(None, [_("Problem")], [(report.message(out.locale),)]))
        if record is not None:
            rows = [(key, record[key]) for key in _SHOWN if key in record]
            shown.append(out.table(_("First bad record"), [_("Field"), _("Value")], rows))
        out.emit(payload, *shown)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
