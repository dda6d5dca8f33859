"""``govparts audit``: check the hash chain of the audit log, and keep checkpoints of it elsewhere.

A checkpoint (``govparts audit checkpoint --db URL FILE``) records the chain head at one moment; kept
outside the database it lets ``govparts audit verify --checkpoint FILE`` catch a chain rewritten with
recomputed hashes, or cut short, which the chain alone cannot show (issue 15.2).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from govparts.core.i18n import N_

from ._db import open_engine
from ._ui import (
    ARGUMENTS,
    COMMANDS,
    DOMAIN,
    EXIT_FAILED,
    OPTIONS,
    Command,
    Group,
    JsonOption,
    LocaleOption,
    Output,
    UrlOption,
    _,
    session,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from govparts.core.audit import Checkpoint

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

CheckpointOption = Annotated[
    Path | None,
    typer.Option(
        "--checkpoint",
        metavar="FILE",
        help=_("A checkpoint written by govparts audit checkpoint: the chain must still reproduce its head."),
        rich_help_panel=OPTIONS,
        show_default=False,
        dir_okay=False,
    ),
]
TrustOption = Annotated[
    Path | None,
    typer.Option(
        "--trust",
        metavar="FILE",
        help=_(
            "A trust file of agencies' public keys: the checkpoint must be signed by one of them, "
            "valid when it was taken."
        ),
        rich_help_panel=OPTIONS,
        show_default=False,
        dir_okay=False,
    ),
]
SignKeyOption = Annotated[
    Path | None,
    typer.Option(
        "--sign-key",
        metavar="KEY",
        help=_("Sign the checkpoint with this SM2 private key (PEM, as govparts keys generate writes)."),
        rich_help_panel=OPTIONS,
        show_default=False,
        dir_okay=False,
    ),
]
OutArgument = Annotated[
    Path,
    typer.Argument(
        metavar="OUT",
        help=_("The checkpoint file to write (keep it outside the database); an existing file is refused."),
        rich_help_panel=ARGUMENTS,
        show_default=False,
        dir_okay=False,
    ),
]


def _shown(value: Any) -> Any:
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _record(engine: Engine, seq: int) -> dict[str, Any] | None:
    """Record ``seq`` as stored, every value as the driver gives it: a tampered value is shown, not parsed."""
    import sqlalchemy as sa

    import govparts.core.audit  # noqa: F401 - registers the audit tables
    from govparts.core.db import metadata

    table = metadata.tables["core_audit_record"]
    raw = [sa.type_coerce(column, sa.types.NullType()).label(column.name) for column in table.c]
    with engine.connect() as conn:
        row = conn.execute(sa.select(*raw).where(table.c.seq == seq)).mappings().first()
        conn.rollback()
    if row is None:
        return None
    return {key: _shown(value) for key, value in row.items()}


def _checkpoint_json(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "alg": checkpoint.alg,
        "taken_at": checkpoint.taken_at,
        "signed_by": None if checkpoint.signature is None else checkpoint.signature.get("key_id"),
    }


def _signer(checkpoint: Checkpoint, trust_file: Path | None, out: Output) -> dict[str, Any] | None:
    """The agency that signed ``checkpoint``, checked against the trust file (exit 1 if not)."""
    from govparts.core import audit, signing
    from govparts.core.errors import IntegrityViolation

    if trust_file is None:
        return None
    trust = signing.read_trust(trust_file)
    try:
        agency = audit.check_checkpoint_signature(checkpoint, trust)
    except IntegrityViolation as err:
        raise out.fail(err, EXIT_FAILED) from None
    return {"credit_code": agency.credit_code, "name": agency.name, "key_id": agency.public_key.key_id}


@app.command(
    "verify",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Check the whole audit chain; exit 1 and show the first bad record."),
)
def verify(
    db: UrlOption = None,
    checkpoint_file: CheckpointOption = None,
    trust_file: TrustOption = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import audit
    from govparts.core.errors import InvalidInput

    with session(locale, as_json) as out:
        if trust_file is not None and checkpoint_file is None:
            raise InvalidInput(
                N_("{field}: a trust file checks a signed checkpoint; give --checkpoint too"),
                field="trust",
                domain=DOMAIN,
            )
        checkpoint = None if checkpoint_file is None else audit.read_checkpoint(checkpoint_file)
        signer = None if checkpoint is None else _signer(checkpoint, trust_file, out)
        with open_engine(db) as engine:
            report = audit.verify(engine, checkpoint=checkpoint)
            record = _record(engine, report.seq) if report.seq is not None else None
        payload = {
            "ok": report.ok,
            "checked": report.checked,
            "head_seq": report.head_seq,
            "head_hash": report.head_hash,
            "checkpoint": None if checkpoint is None else _checkpoint_json(checkpoint),
            "signed_by": signer,
            "problem": report.problem.to_dict(out.locale) if report.problem else None,
            "record": record,
        }
        columns = [_("Result"), _("Records checked"), _("Chain head")]
        cells: list[Any] = [
            _("holds") if report.ok else _("broken"),
            report.checked,
            f"{report.head_seq} {report.head_hash}",
        ]
        if checkpoint is not None:
            columns.append(_("Checkpoint"))
            cells.append(f"{checkpoint.seq} {checkpoint.hash} ({checkpoint.taken_at.isoformat()})")
        if signer is not None:
            columns.append(_("Signed by"))
            cells.append(f"{signer['name']} ({signer['credit_code']})")
        shown: list[Any] = [out.table(_("Audit chain"), columns, [cells])]
        if report.problem is not None:
            shown.append(out.table(None, [_("Problem")], [(report.message(out.locale),)]))
        if record is not None:
            rows = [(key, record[key]) for key in _SHOWN if key in record]
            shown.append(out.table(_("First bad record"), [_("Field"), _("Value")], rows))
        out.emit(payload, *shown)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a file that must not exist yet (a kept checkpoint is never overwritten)."""
    from govparts.core.errors import InvalidInput

    try:
        with path.open("xb") as file:
            file.write(data)
    except FileExistsError:
        raise InvalidInput(
            N_("{field}: {got} already exists; a checkpoint is never overwritten, choose a new file"),
            field="OUT",
            got=str(path),
            domain=DOMAIN,
        ) from None
    except OSError as exc:
        raise InvalidInput(
            N_("{field}: {got} cannot be written ({reason})"),
            field="OUT",
            got=str(path),
            reason=exc.strerror or type(exc).__name__,
            domain=DOMAIN,
        ) from None


@app.command(
    "checkpoint",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_(
        "Verify the audit chain and write a checkpoint of its head (sequence, hash, algorithm, time) "
        "to keep outside the database."
    ),
)
def checkpoint(
    out_file: OutArgument,
    db: UrlOption = None,
    sign_key: SignKeyOption = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import audit, signing
    from govparts.core.errors import IntegrityViolation

    with session(locale, as_json) as out:
        key = None if sign_key is None else signing.read_private_key(sign_key)
        with open_engine(db) as engine:
            try:
                taken = audit.take_checkpoint(engine)
            except IntegrityViolation as err:
                raise out.fail(err, EXIT_FAILED) from None
        if key is not None:
            taken = audit.sign_checkpoint(taken, key)
        _write_new(out_file, taken.to_json())
        payload = {**_checkpoint_json(taken), "file": str(out_file)}
        table = out.table(
            _("Audit checkpoint"),
            [_("Field"), _("Value")],
            [
                (_("Sequence number"), taken.seq),
                (_("Hash"), taken.hash),
                (_("Algorithm"), taken.alg),
                (_("Taken at"), taken.taken_at.isoformat()),
                (_("Signed by key"), "" if key is None else key.key_id),
                (_("File"), str(out_file)),
            ],
        )
        out.emit(payload, table)
