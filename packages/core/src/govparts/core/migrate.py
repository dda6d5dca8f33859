"""Database migrations: core's Alembic branch and one branch per installed part, applied together.

Alembic is configured in code (no ``alembic.ini``). Its version locations are core's
``migrations/versions`` folder and the folder of every installed part's ``Part.migrations``
package; each part's first revision carries the part's name as its branch label and depends on
core's branch (``depends_on = "core"``) when its tables point at core's. :func:`upgrade` therefore
brings a database up to every installed part's head in one run::

    >>> from govparts.core import migrate
    >>> applied = migrate.upgrade("sqlite:///govparts.db")  # doctest: +SKIP
    >>> migrate.current("sqlite:///govparts.db") == migrate.heads()  # doctest: +SKIP
    True

A run is one transaction: on PostgreSQL (transactional DDL) and on SQLite alike it applies every
pending revision or none. On PostgreSQL concurrent runs queue on an advisory lock; on SQLite the
engine's ``BEGIN IMMEDIATE`` does the same. SQLite cannot alter most of a table in place, so
revisions are written in Alembic's batch mode (copy, drop, rename); foreign keys are switched off
while that happens and the whole database is checked with ``PRAGMA foreign_key_check`` before the
commit, as SQLite's own procedure for altering tables asks (https://sqlite.org/lang_altertable.html,
section 7).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import ConfigurationError, IntegrityViolation, InvalidInput
from .i18n import N_

if TYPE_CHECKING:
    from alembic.autogenerate.api import AutogenContext
    from alembic.config import Config
    from alembic.runtime.environment import OnVersionApplyFn
    from alembic.runtime.migration import MigrationContext, MigrationInfo
    from sqlalchemy.engine import Connection, Engine

__all__ = [
    # API
    "current",
    "heads",
    "history",
    "pending",
    "upgrade",
    # what it reports
    "Revision",
    # wiring
    "CORE_BRANCH",
    "CORE_VERSIONS",
    "MIGRATIONS",
    "config",
    "run_env",
    "version_locations",
]

CORE_BRANCH = "core"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
"""The folder of Alembic's environment (``env.py``, ``script.py.mako``)."""
CORE_VERSIONS = MIGRATIONS / "versions"
"""The folder of core's own branch of revisions."""

# Any fixed 64-bit number: every govparts migration run on a PostgreSQL database takes this lock.
_ADVISORY_LOCK = 0x67_6F_76_70_61_72_74_73  # "govparts"


@dataclass(frozen=True)
class Revision:
    """One migration revision, as :func:`history` and :func:`upgrade` report it."""

    id: str
    part: str
    """``core`` or the name of the installed part whose migrations folder holds the revision."""
    message: str
    down_revisions: tuple[str, ...]
    depends_on: tuple[str, ...]
    branch_labels: tuple[str, ...]
    """The branches the revision belongs to (labels are inherited from a branch's first revision)."""
    is_head: bool


def version_locations() -> dict[str, Path]:
    """The folder of every branch: ``{"core": …/migrations/versions, "<part>": <its migrations>}``."""
    from . import parts

    locations = {CORE_BRANCH: CORE_VERSIONS}
    for part in parts.iter_parts():
        if part.migrations is None:
            continue
        try:
            folder = Path(str(files(part.migrations)))
        except ModuleNotFoundError as exc:
            raise ConfigurationError(
                N_("{field}: the migrations package {got} cannot be imported ({reason})"),
                field=f"{part.name}.migrations",
                got=part.migrations,
                reason=str(exc),
            ) from exc
        locations[part.name] = folder
    return locations


def _escape(value: str) -> str:
    # Alembic keeps its options in a ConfigParser, which reads "%" as interpolation.
    return value.replace("%", "%%")


def config(url: str | Engine | None = None) -> Config:
    """An Alembic ``Config`` for every installed branch, on ``url`` (a URL or an engine).

    With no URL the database is :func:`govparts.core.db.create_engine`'s default. Pass the result to
    ``alembic.command`` functions (``revision``, ``check``…) to author or inspect migrations.
    """
    return _config(url, version_locations())


def _config(url: str | Engine | None, locations: dict[str, Path]) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", _escape(str(MIGRATIONS)))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", _escape(os.pathsep.join(str(p) for p in locations.values())))
    if find_spec("ruff") is not None:
        # New revision files come out lint-clean and formatted, like the rest of the code.
        hooks = "post_write_hooks"
        cfg.set_section_option(hooks, "hooks", "ruff_fix, ruff_format")
        for hook, options in (("ruff_fix", "check --fix --quiet"), ("ruff_format", "format --quiet")):
            cfg.set_section_option(hooks, f"{hook}.type", "module")
            cfg.set_section_option(hooks, f"{hook}.module", "ruff")
            cfg.set_section_option(hooks, f"{hook}.options", f"{options} REVISION_SCRIPT_FILENAME")
    if url is None or isinstance(url, str):
        cfg.attributes["url"] = url
    else:
        cfg.attributes["engine"] = url
    return cfg


class _Branches:
    """The installed branches as Alembic sees them, read once per API call."""

    def __init__(self, url: str | Engine | None = None) -> None:
        from alembic.script import ScriptDirectory

        self.locations = version_locations()
        self.config = _config(url, self.locations)
        self.script = ScriptDirectory.from_config(self.config)

    def revisions(self) -> dict[str, Revision]:
        owners = {location.resolve(): name for name, location in self.locations.items()}
        found = [
            Revision(
                id=sc.revision,
                part=owners.get(Path(sc.path).resolve().parent, CORE_BRANCH),
                message=(sc.doc or "").strip(),
                down_revisions=_tuple(sc.down_revision),
                depends_on=_tuple(sc.dependencies),
                branch_labels=tuple(sorted(sc.branch_labels)),
                is_head=sc.is_head,
            )
            for sc in self.script.walk_revisions()
        ]
        return {r.id: r for r in reversed(found)}

    def plan(self, at: tuple[str, ...], target: str) -> list[str]:
        """The revisions an upgrade from ``at`` to ``target`` runs, in order."""
        from alembic.script.revision import RevisionError
        from alembic.util import CommandError

        known = {sc.revision for sc in self.script.walk_revisions()}
        for revision in at:
            if revision not in known:
                raise ConfigurationError(
                    N_(
                        "{field}: the database is at revision {got}, which no installed part provides; "
                        "install the part whose migrations created it"
                    ),
                    field="alembic_version",
                    got=revision,
                )
        try:
            # The walk Alembic's own upgrade plans with (dependencies included), base first.
            steps = list(self.script.iterate_revisions(target, at, implicit_base=True))
        except (CommandError, RevisionError) as exc:
            raise InvalidInput(
                N_("{field}: {got} is not a known revision or branch ({reason})"),
                field="target",
                got=target,
                reason=str(exc),
            ) from exc
        return [sc.revision for sc in reversed(steps)]


def _tuple(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def history() -> list[Revision]:
    """Every revision of every installed branch, each after the revisions it builds on."""
    return list(_Branches().revisions().values())


def heads() -> tuple[str, ...]:
    """The head revision of every installed branch, sorted."""
    return tuple(sorted(_Branches().script.get_heads()))


@contextmanager
def _connect(url: str | Engine | None) -> Iterator[Connection]:
    from sqlalchemy.engine import Engine

    from .db import create_engine

    engine = url if isinstance(url, Engine) else create_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        if engine is not url:
            engine.dispose()


def current(url: str | Engine | None = None) -> tuple[str, ...]:
    """The revisions recorded in the database at ``url``, sorted (empty when it was never migrated).

    Alembic records only the tips: a revision that a recorded one builds on or depends on is
    applied but not listed. Ask :func:`pending` whether the database is up to date.
    """
    from alembic.runtime.migration import MigrationContext

    with _connect(url) as connection:
        return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


def pending(url: str | Engine | None = None, target: str = "heads") -> list[Revision]:
    """The revisions :func:`upgrade` to ``target`` would apply to the database at ``url``, in order."""
    branches = _Branches(url)
    revisions = branches.revisions()
    return [revisions[r] for r in branches.plan(current(url), target)]


def upgrade(url: str | Engine | None = None, target: str = "heads") -> list[Revision]:
    """Bring the database at ``url`` up to ``target`` (default: every branch's head).

    Returns the revisions applied, in the order they ran (empty when the database was up to date).
    Raises :class:`~govparts.core.errors.InvalidInput` for a target no branch knows and
    :class:`~govparts.core.errors.ConfigurationError` when the database is at a revision that no
    installed part provides (a part was uninstalled); in both cases nothing is written. A run whose
    revisions leave a row pointing at a missing one is rolled back whole: on SQLite with
    :class:`~govparts.core.errors.IntegrityViolation` naming the table, on PostgreSQL with the
    database's own ``IntegrityError``.
    """
    from alembic import command

    branches = _Branches(url)
    branches.plan(current(url), target)
    applied: list[str] = []
    branches.config.attributes["on_version_apply"] = applied.append
    command.upgrade(branches.config, target)
    revisions = branches.revisions()
    return [revisions[r] for r in applied]


def _include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    # Parts share one database: a table this process has not imported belongs to someone else and
    # is never proposed for dropping.
    return not (type_ == "table" and reflected and compare_to is None)


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> Literal[False]:
    # Column types from outside SQLAlchemy (SQLModel's AutoString, govparts' own TypeDecorators)
    # render with their module path; the revision must then import that module.
    module = type(obj).__module__
    if type_ == "type" and not module.startswith("sqlalchemy"):
        autogen_context.imports.add(f"import {module}")
    return False


def _record_applied(sink: Callable[[str], None]) -> OnVersionApplyFn:
    def on_version_apply(
        ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
    ) -> None:
        if step.is_upgrade and not step.is_stamp and step.up_revision_id is not None:
            sink(step.up_revision_id)

    return on_version_apply


def run_env() -> None:
    """Run the migrations Alembic's current context asks for (called by ``migrations/env.py``)."""
    from alembic import context

    from .db import metadata

    if context.is_offline_mode():
        raise ConfigurationError(
            N_("{field}: offline (SQL script) migrations are not supported; run them on a database"),
            field="sql",
        )
    cfg = context.config
    sink = cfg.attributes.get("on_version_apply")
    with _connect(cfg.attributes.get("engine") or cfg.attributes.get("url")) as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK})")
                context.configure(
                    connection=connection,
                    target_metadata=metadata,
                    render_as_batch=True,
                    compare_type=True,
                    include_object=_include_object,
                    render_item=_render_item,
                    on_version_apply=_record_applied(sink) if sink is not None else None,
                )
                with context.begin_transaction():
                    context.run_migrations()
                if sqlite:
                    _check_foreign_keys(connection)
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise IntegrityViolation(
            N_("{field}: after migrating, row {rowid} of {table} points at a missing row of {parent}"),
            field=str(table),
            table=str(table),
            rowid=str(rowid),
            parent=str(parent),
            count=len(broken),
        )
