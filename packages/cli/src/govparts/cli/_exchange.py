"""``govparts exchange`` and ``govparts validate``: packages of the data exchange format (数据交换).

``exchange export`` writes a part's records as a package (a folder, or a zip file when the path ends
in ``.zip``); ``exchange import`` checks, validates and imports one; ``validate`` checks and
validates without touching a database. Exit codes: 0 every record valid (and imported), 1 the
package is damaged or some record is invalid or rejected, 2 bad input (a database that cannot be
used, a path that cannot be written; never a traceback).

Signatures (issue 20): ``exchange export --sign-key KEY`` signs the package (``manifest.sig``, SM2
over the exact bytes of ``manifest.json``; ``manifest.sig.json`` names the key); ``exchange sign``
signs a package made elsewhere. ``exchange import``, ``exchange validate`` and ``validate`` with
``--trust FILE`` check a signature the package holds, and with ``--require-signature`` refuse an
unsigned one: exit 1, nothing read, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    from govparts.core.signing import TrustList

__all__ = ["app", "validate"]

TrustOption = Annotated[
    Path | None,
    typer.Option(
        "--trust",
        metavar="FILE",
        help=_(
            "A trust file of agencies' public keys: a signed package must be signed by its sender's "
            "key, valid when the package was made."
        ),
        rich_help_panel=OPTIONS,
        show_default=False,
        dir_okay=False,
    ),
]
RequireSignatureOption = Annotated[
    bool,
    typer.Option(
        "--require-signature",
        help=_("Refuse a package that is not signed (needs --trust)."),
        rich_help_panel=OPTIONS,
    ),
]
SignKeyOption = Annotated[
    Path | None,
    typer.Option(
        "--sign-key",
        metavar="KEY",
        help=_("Sign the package with this SM2 private key (PEM, as govparts keys generate writes)."),
        rich_help_panel=OPTIONS,
        show_default=False,
        dir_okay=False,
    ),
]

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


def _trust(trust_file: Path | None, require_signature: bool) -> TrustList | None:
    """The trust file's keys; a required signature without a trust file is bad input (exit 2)."""
    from govparts.core import signing
    from govparts.core.errors import InvalidInput

    if require_signature and trust_file is None:
        raise InvalidInput(
            N_("{field}: a required signature is checked against a trust file; give --trust"),
            field="trust",
            domain=DOMAIN,
        )
    return None if trust_file is None else signing.read_trust(trust_file)


def _reject_package(out: Output, err: InvalidPackage) -> typer.Exit:
    from govparts.core.exchange import SignatureRefused

    title = (
        _("The package's signature is refused; no record was read")
        if isinstance(err, SignatureRefused)
        else _("The package is damaged or incomplete; no record was read")
    )
    out.emit(
        {
            "ok": False,
            "package": err.field,
            "code": err.code,
            "problems": [p.to_dict(out.locale) for p in err.problems],
        },
        out.table(
            title,
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
    signature = report.signature
    if signature is not None:
        if signature.signer is not None:
            signed = _("Signed by {name} ({credit_code}), key {key_id}").format(
                name=signature.signer.name,
                credit_code=signature.signer.credit_code,
                key_id=signature.signer.public_key.key_id,
            )
        else:
            signed = _("Signed, but not checked: give --trust to check the signature")
        renderables.append(cell(signed))
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
    sign_key: SignKeyOption = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            metavar="CREDIT_CODE",
            help=_(
                "Export this organisation's records only (many offices share one database); "
                "default: every organisation's."
            ),
            rich_help_panel=OPTIONS,
        ),
    ] = None,
    db: DbOption = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from pydantic import ValidationError

    from govparts.core import exchange, signing
    from govparts.core.errors import from_validation_error
    from govparts.core.parts import get_part
    from govparts.core.refs import OrganizationRef

    with session(locale, as_json) as out:
        try:
            organisation = OrganizationRef(credit_code=sender, name=sender_name)
        except ValidationError as exc:
            raise from_validation_error(exc, model="sender") from None
        chosen = get_part(part)
        key = None if sign_key is None else signing.read_private_key(sign_key)
        with open_engine(db) as engine:
            manifest = exchange.export_package(
                out_path, engine, part=chosen, sender=organisation, signer=key, org=org
            )
        shown: list[Any] = [
            out.table(
                _("Package {package}").format(package=out_path),
                [_("File"), _("Model"), _("Version"), _("Records"), "SM3"],
                [(f.path, f.model_id, f.model_version, f.records, f.sm3) for f in manifest.files],
            )
        ]
        if key is not None:
            shown.append(cell(_("Signed with key {key_id}").format(key_id=key.key_id)))
        out.emit(
            {
                "package": str(out_path),
                "manifest": manifest.model_dump(mode="json"),
                "signed_by_key": None if key is None else key.key_id,
            },
            *shown,
        )


@app.command(
    "sign",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_(
        "Sign a package made elsewhere: check it, then write manifest.sig (SM2 over manifest.json) "
        "and manifest.sig.json; a signed package is refused."
    ),
)
def sign(
    path: PackageArgument,
    key_file: Annotated[
        Path,
        typer.Option(
            "--key",
            metavar="KEY",
            help=_("The SM2 private key to sign with (PEM, as govparts keys generate writes)."),
            rich_help_panel=OPTIONS,
            show_default=False,
            dir_okay=False,
        ),
    ],
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import exchange, signing

    with session(locale, as_json) as out:
        key = signing.read_private_key(key_file)
        try:
            exchange.sign_package(path, key)
        except exchange.InvalidPackage as err:
            raise _reject_package(out, err) from None
        out.emit(
            {"package": str(path), "signed_by_key": key.key_id},
            cell(_("Signed {package} with key {key_id}").format(package=path, key_id=key.key_id)),
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
    *,
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
    trust_file: TrustOption = None,
    require_signature: RequireSignatureOption = False,
    db: DbOption = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import exchange

    with session(locale, as_json) as out:
        trust = _trust(trust_file, require_signature)
        try:
            with open_engine(db) as engine, _progress(out) as progress:
                report = exchange.import_package(
                    path,
                    engine,
                    keep_valid=keep_valid,
                    progress=progress,
                    trust=trust,
                    require_signature=require_signature,
                )
        except exchange.InvalidPackage as err:
            raise _reject_package(out, err) from None
        _show(out, report, imported=True)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


def validate(
    path: PackageArgument,
    trust_file: TrustOption = None,
    require_signature: RequireSignatureOption = False,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check and validate a package without importing it."""
    from govparts.core import exchange

    with session(locale, as_json) as out:
        trust = _trust(trust_file, require_signature)
        try:
            with _progress(out) as progress:
                report = exchange.validate_package(
                    path, progress=progress, trust=trust, require_signature=require_signature
                )
        except exchange.InvalidPackage as err:
            raise _reject_package(out, err) from None
        _show(out, report, imported=False)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)


app.command(
    "validate",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_("Check and validate an exchange package without importing it."),
)(validate)
