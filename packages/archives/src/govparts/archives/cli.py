"""``govparts archives …``: commands of the archives part.

The ``govparts`` command mounts the Typer application :data:`app` (entry-point group
``govparts.cli``); Typer is imported only when ``app`` is first looked up (:mod:`._cli_app` builds
it). The command itself is a plain function, usable without Typer:

``govparts archives export-bag [--db URL] [--org C] [--fonds F] [--year Y] [--item C]… [--clearance L] OUT``
    :func:`export_bag_command`: write the selected filed items of one organisation as a BagIt 1.0
    archival package (RFC 8493) at ``OUT``, which must not exist; ``bagit.py --validate OUT``
    accepts it. The database is ``--db`` (``--url`` is a hidden alias for one release), else
    ``GOVPARTS_DB_URL``, else ``govparts-demo.db`` in the working directory (what ``govparts demo``
    writes); a SQLite file that does not exist is refused, not created. Items are chosen by
    fonds (全宗号), year (年度) and archival codes (档号), all optional and combined; destroyed
    items are never exported. ``--org`` may be left out when the database's filed items belong to
    one organisation. Exit 0 on success, 2 on bad input or a refusal; on failure nothing is left
    behind.

The command acts as :data:`EXPORT_ACTOR_ID`, an archivist of the organisation being exported
(roles ``archivist``), whose clearance is ``--clearance`` (default: none, i.e. 非密 only). Every
item passes the clearance check of :meth:`~govparts.archives.service.ReferenceService.export_package`
(each read recorded in the document's access log under that actor id): a selection holding a
classified item above the clearance is refused as a whole, naming the field, and nothing is
written. Classified items are never left out silently: ask for ``--clearance JM`` (or the level
the items need) or narrow the selection.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from govparts.core.errors import GovPartsError, InvalidInput
from govparts.core.i18n import N_

from ._i18n import DOMAIN

__all__ = ["DEMO_DATABASE", "EXIT_OK", "EXIT_USAGE", "EXPORT_ACTOR_ID", "export_bag_command"]

EXIT_OK = 0
EXIT_USAGE = 2
DEMO_DATABASE = "govparts-demo.db"
"""The database used when neither ``--db`` nor ``GOVPARTS_DB_URL`` names one (the demo's)."""
EXPORT_ACTOR_ID = "govparts-cli:archives-export-bag"
"""The actor id under which ``export-bag`` reads items (what the access log and audit record show)."""


def _(message: str) -> str:
    return DOMAIN.gettext(message)


def database_url(db: str | None) -> str:
    """``db``, else ``GOVPARTS_DB_URL``, else :data:`DEMO_DATABASE` in the working directory."""
    return db or os.environ.get("GOVPARTS_DB_URL") or f"sqlite:///{Path.cwd() / DEMO_DATABASE}"


def _open(db: str | None) -> Any:
    """An engine on the database; a SQLite file that does not exist is refused, never created."""
    import sqlalchemy as sa

    from govparts.core.db import create_engine

    url = database_url(db)
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise InvalidInput(
            N_("{field}: {got} is not a database URL"), field="db", got=url, domain=DOMAIN
        ) from None
    database = parsed.database or ""
    in_file = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if in_file and not database.startswith("file:") and not Path(database).is_file():
        raise InvalidInput(
            N_("{field}: there is no database at {got}; run govparts demo or govparts db upgrade first"),
            field="db",
            got=database,
            domain=DOMAIN,
        )
    return create_engine(parsed.render_as_string(hide_password=False), hide_parameters=True)


def select_items(
    engine: Any,
    *,
    org: str | None,
    fonds: str | None,
    year: int | None,
    archival_codes: Sequence[str] = (),
) -> tuple[str, list[int]]:
    """The organisation and the ids of its filed, not destroyed, items matching every criterion given.

    Only identifiers are read here: titles and contents are read by ``export_package``, after the
    clearance check. Raises ``InvalidInput`` naming ``org`` (none given and several organisations
    have items), ``item`` (a code that is malformed or not filed) or ``selection`` (nothing matches).
    """
    import sqlalchemy as sa
    from sqlmodel import col

    from .archival_code import format as normalize_archival_code
    from .tables import ArchivalItemRow

    codes: list[str] = []
    for code in archival_codes:
        try:
            codes.append(normalize_archival_code(code))
        except InvalidInput as exc:
            raise exc.with_field("item") from None
    with engine.connect() as conn:
        if org is None:
            orgs = (
                conn.execute(
                    sa.select(col(ArchivalItemRow.org)).distinct().order_by(col(ArchivalItemRow.org))
                )
                .scalars()
                .all()
            )
            if len(orgs) > 1:
                raise InvalidInput(
                    N_("{field}: the database holds filed items of several organisations; name one"),
                    field="org",
                    domain=DOMAIN,
                )
            if not orgs:
                raise InvalidInput(
                    N_("{field}: the database holds no filed item"), field="selection", domain=DOMAIN
                )
            org = str(orgs[0])
        query = sa.select(col(ArchivalItemRow.id), col(ArchivalItemRow.archival_code)).where(
            col(ArchivalItemRow.org) == org, col(ArchivalItemRow.state) != "destroyed"
        )
        if fonds is not None:
            query = query.where(col(ArchivalItemRow.fonds) == fonds)
        if year is not None:
            query = query.where(col(ArchivalItemRow.year) == year)
        if codes:
            query = query.where(col(ArchivalItemRow.archival_code).in_(codes))
        rows = conn.execute(query.order_by(col(ArchivalItemRow.archival_code))).all()
    found = {str(code) for _id, code in rows}
    missing = [code for code in codes if code not in found]
    if missing:
        raise InvalidInput(
            N_("{field}: no filed item of the selection has the archival code {got}"),
            field="item",
            got=missing[0],
            domain=DOMAIN,
        )
    if not rows:
        raise InvalidInput(
            N_("{field}: no filed item matches the selection"), field="selection", domain=DOMAIN
        )
    return org, [int(item_id) for item_id, _code in rows]


def export_bag_command(
    out: Path,
    db: str | None = None,
    *,
    org: str | None = None,
    fonds: str | None = None,
    year: int | None = None,
    items: Sequence[str] = (),
    clearance: str | None = None,
) -> int:
    """Export the selected items of the database to a BagIt 1.0 bag at ``out``; returns the exit code.

    Messages go to standard error, the bag's path and summary to standard output, in the locale of
    the environment (``GOVPARTS_LOCALE``).
    """
    from sqlalchemy.exc import SQLAlchemyError

    from govparts.core.security import Actor

    from .service import ReferenceService

    prefix = "govparts archives export-bag"
    try:
        engine = _open(db)
    except GovPartsError as exc:
        print(f"{prefix}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        chosen_org, item_ids = select_items(engine, org=org, fonds=fonds, year=year, archival_codes=items)
        actor = Actor(
            id=EXPORT_ACTOR_ID,
            name="govparts archives export-bag",
            roles=frozenset({"archivist"}),
            clearance=clearance,
            org=chosen_org,
        )
        bag = ReferenceService(engine).export_package(actor, chosen_org, item_ids, out)
        receipt = _summary(bag)
    except (GovPartsError, FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        print(f"{prefix}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as exc:
        # The driver's text after its first line may quote SQL and its parameters (issue 15.4).
        cause = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        print(f"{prefix}: --db: {cause}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        engine.dispose()
    print(bag)
    print(_("{count} items written as a BagIt 1.0 package").format(count=len(item_ids)))
    if receipt[1]:
        print(
            _("{verified} of {signed} document signatures verified").format(
                verified=receipt[0], signed=receipt[1]
            )
        )
    return EXIT_OK


def _summary(bag: Path) -> tuple[int, int]:
    """How many signatures of the written bag verified, and how many it holds (from its metadata)."""
    import json

    verified = signed = 0
    for metadata in sorted((bag / "data").glob("*/metadata.json")):
        group = json.loads(metadata.read_text(encoding="utf-8")).get("电子签名")
        if group:
            signed += 1
            verified += bool(group["验证结果"]["verified"])
    return verified, signed


def __getattr__(name: str) -> Any:
    if name == "app":
        from ._cli_app import build_app

        app = build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
