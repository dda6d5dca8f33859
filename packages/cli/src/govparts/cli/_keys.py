"""``govparts keys``: SM2 key pairs for signing what an agency sends (GB/T 32918, issue 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._ui import COMMANDS, OPTIONS, Command, Group, JsonOption, LocaleOption, _, session

app = typer.Typer(
    cls=Group,
    name="keys",
    help=_("SM2 signing keys (GB/T 32918) in PEM files OpenSSL reads."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)

OutOption = Annotated[
    Path,
    typer.Option(
        "--out",
        metavar="DIR",
        help=_(
            "Folder to write private.pem (PKCS#8, readable by its owner only) and public.pem "
            "(SubjectPublicKeyInfo) into; existing key files are refused."
        ),
        rich_help_panel=OPTIONS,
        show_default=False,
        file_okay=False,
    ),
]


@app.command(
    "generate",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_(
        "Generate an SM2 key pair; give public.pem to the agencies that must trust your signatures "
        "and keep private.pem secret."
    ),
)
def generate(out: OutOption, locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    from govparts.core import signing

    with session(locale, as_json) as shown:
        key = signing.generate_key()
        private, public = signing.write_key_pair(key, out)
        payload = {
            "algorithm": key.algorithm,
            "key_id": key.key_id,
            "private_key": str(private),
            "public_key": str(public),
        }
        table = shown.table(
            _("SM2 key pair"),
            [_("Field"), _("Value")],
            [
                (_("Algorithm"), key.algorithm),
                (_("Key id"), key.key_id),
                (_("Private key"), str(private)),
                (_("Public key"), str(public)),
            ],
        )
        shown.emit(payload, table)
