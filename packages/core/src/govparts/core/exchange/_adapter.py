"""How a part plugs into the exchange format: the :class:`ExchangeAdapter` protocol and its helpers.

A part names its adapter (or a list of adapters, one per exchanged model) in its descriptor::

    PART = Part(..., extras={"exchange": "govparts.personnel.exchange:ADAPTERS"})

An adapter knows one published model (its class, standard id and version), yields the stored
records in a stable order for export, and writes validated records in bulk. Writing is idempotent: a
record already stored exactly so is counted as unchanged, never written twice; a record whose key is
stored with different content is a conflict, reported like an invalid record. :func:`insert_new`
does this set-based for a table keyed by some of its columns, so most adapters are a few lines.

An adapter may declare its model's key as ``record_key``, a tuple of field paths (``"person.person_id"``
reaches into a nested model)::

    class AssetCardAdapter:
        record_key = ("organization_credit_code", "asset_code")

The import path (:func:`~govparts.core.exchange.import_package`) then rejects every line of a data
file whose key an earlier line of the same file already has (:class:`DuplicateKey`, naming the last
key field), before the adapter sees it, across batches, so the first line alone goes in with
``keep_valid``. An adapter without ``record_key`` must find repeated keys itself
(:func:`insert_new` does, within the batch it is given). Whatever the adapter does, its report must
account for every record it was given (inserted + unchanged + rejected); one that does not fails the
import, which rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pydantic import BaseModel

from ..errors import ConfigurationError, GovPartsError, IntegrityViolation
from ..i18n import N_
from ..parts import Part, iter_parts

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine

__all__ = [
    "DuplicateKey",
    "ExchangeAdapter",
    "ImportReport",
    "adapters_by_model",
    "insert_new",
    "part_adapters",
    "record_key",
]

EXTRA_KEY = "exchange"
KEY_ATTRIBUTE = "record_key"


class DuplicateKey(IntegrityViolation):
    """A record whose key an earlier record of the same data file (or batch) already has."""

    code = "duplicate-key"
    default_message = N_("{field}: the key {got} appears more than once in this file")


def record_key(adapter: object) -> tuple[str, ...] | None:
    """The field paths ``adapter`` declares as its model's key (``record_key``), or None."""
    declared = getattr(adapter, KEY_ATTRIBUTE, None)
    if declared is None:
        return None
    paths = (declared,) if isinstance(declared, str) else tuple(declared)
    if not paths or not all(isinstance(p, str) and p for p in paths):
        raise ConfigurationError(
            N_("{field}: {got} is not a tuple of field paths"), field=KEY_ATTRIBUTE, got=str(declared)
        )
    return paths


@dataclass
class ImportReport:
    """What an adapter did with a batch: rows inserted, rows already stored alike, rejects by index."""

    inserted: int = 0
    unchanged: int = 0
    rejected: dict[int, list[GovPartsError]] = field(default_factory=dict)


@runtime_checkable
class ExchangeAdapter(Protocol):
    """One exchanged model of a part: its class and standard id/version, export and bulk import."""

    @property
    def model(self) -> type[BaseModel]:
        """The published pydantic model of the records."""
        ...

    @property
    def model_id(self) -> str:
        """The model's standard id (``x-standard-id``), as written in manifests."""
        ...

    @property
    def model_version(self) -> str:
        """The model's standard version, ``major.minor``."""
        ...

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every stored record, in a stable order (the same data gives the same sequence).

        ``org`` (a unified social credit code) keeps the records of that organisation only, filtered
        in the query: many offices share one database, and each sends its own data. ``None``: every
        organisation's records (a deployment-wide export).
        """
        ...

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Write ``records`` in bulk inside the caller's transaction; idempotent.

        Rejects (conflicts with stored data) are reported by index into ``records``; with
        ``keep_valid`` false the caller rolls the whole import back when there is any.
        """
        ...


def part_adapters(part: Part) -> list[ExchangeAdapter]:
    """The adapters ``part`` names in ``extras["exchange"]`` (none when it names none)."""
    found = part.load(EXTRA_KEY)
    if found is None:
        return []
    adapters = list(found) if isinstance(found, (list, tuple)) else [found]
    for adapter in adapters:
        if not isinstance(adapter, ExchangeAdapter):
            raise ConfigurationError(
                N_("{field}: {got} is not an exchange adapter"),
                field=f"{part.name}.extras.{EXTRA_KEY}",
                got=part.extras[EXTRA_KEY],
            )
    return adapters


def adapters_by_model(parts: Sequence[Part] | None = None) -> dict[str, ExchangeAdapter]:
    """Every installed part's adapters by model id."""
    return {a.model_id: a for p in (parts if parts is not None else iter_parts()) for a in part_adapters(p)}


def _insert_skipping_stored(
    connection: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]], key: Sequence[str]
) -> int | None:
    """Bulk ``INSERT … ON CONFLICT (key) DO NOTHING``; the rows inserted, or None where not countable."""
    dialect = connection.dialect
    if not dialect.supports_sane_multi_rowcount:
        return None
    if dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement: Any = sqlite_insert(table).on_conflict_do_nothing(index_elements=list(key))
    elif dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(table).on_conflict_do_nothing(index_elements=list(key))
    else:
        return None
    count = _execute_many(connection, statement, table, rows)
    return count if count >= 0 else None


def _execute_many(
    connection: sa.Connection, statement: Any, table: sa.Table, rows: Sequence[Mapping[str, Any]]
) -> int:
    """Run ``statement`` once per row through the driver's ``executemany``; the rows it changed.

    The statement is compiled once and every value converted by its column type's bind processor
    (money to fen, dates for SQLite…), as SQLAlchemy would, but without SQLAlchemy's per-row
    parameter bookkeeping, which costs more than the insert itself on bulk loads.
    """
    dialect = connection.dialect
    names = list(rows[0])
    compiled = statement.compile(dialect=dialect, column_keys=names)
    converters = {name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names}
    columns = [(name, converters[name]) for name in names]
    params: list[Any]
    if compiled.positional:
        order = [name for name in compiled.positiontup if name in converters]
        if len(order) != len(names):
            return int(connection.execute(statement, list(rows)).rowcount)
        ordered = [(name, converters[name]) for name in order]
        params = [tuple(c(row[n]) if c else row[n] for n, c in ordered) for row in rows]
    else:
        params = [{n: c(row[n]) if c else row[n] for n, c in columns} for row in rows]
    return int(connection.exec_driver_sql(compiled.string, params).rowcount)


def _stored_rows(
    connection: sa.Connection,
    table: sa.Table,
    keys: Sequence[tuple[Any, ...]],
    key: Sequence[str],
    chunk: int,
) -> dict[tuple[Any, ...], Mapping[str, Any]]:
    import sqlalchemy as sa

    columns = [table.c[name] for name in key]
    stored: dict[tuple[Any, ...], Mapping[str, Any]] = {}
    for start in range(0, len(keys), chunk):
        wanted = keys[start : start + chunk]
        if len(columns) == 1:
            condition = columns[0].in_([k[0] for k in wanted])
        else:
            condition = sa.tuple_(*columns).in_(wanted)
        for found in connection.execute(sa.select(table).where(condition)).mappings():
            stored[tuple(found[name] for name in key)] = dict(found)
    return stored


def insert_new(
    connection: sa.Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str],
    chunk: int = 500,
) -> ImportReport:
    """Insert the ``rows`` whose ``key`` is not stored yet, in bulk; compare the others.

    ``key`` names columns with a unique constraint (the primary key, say). A row whose key is stored
    with the same values is unchanged; with other values it is rejected as an
    :class:`~govparts.core.errors.IntegrityViolation` naming the first differing column. Of two rows
    of ``rows`` with one key, the second is rejected as a :class:`DuplicateKey` (issue 15.1: one
    package must not say two things about one record), and the counts always add up:
    ``inserted + unchanged + len(rejected) == len(rows)``.

    On SQLite and PostgreSQL the rows go in with one ``INSERT … ON CONFLICT DO NOTHING``; only when
    some were skipped are the stored rows read back to tell unchanged from conflicting ones. Elsewhere
    the stored rows are read first and only the new ones inserted.
    """
    import sqlalchemy as sa

    report = ImportReport()
    if not rows:
        return report
    keys = [tuple(row[name] for name in key) for row in rows]
    first: dict[tuple[Any, ...], int] = {}
    for index, row_key in enumerate(keys):
        if first.setdefault(row_key, index) != index:
            report.rejected[index] = [DuplicateKey(field=key[-1], got="/".join(str(v) for v in row_key))]
    if report.rejected:
        positions = [index for index in range(len(rows)) if index not in report.rejected]
        inner = insert_new(connection, table, [rows[i] for i in positions], key=key, chunk=chunk)
        report.inserted, report.unchanged = inner.inserted, inner.unchanged
        report.rejected.update({positions[i]: errors for i, errors in inner.rejected.items()})
        return report
    inserted = _insert_skipping_stored(connection, table, rows, key)
    if inserted == len(rows):
        report.inserted = inserted
        return report
    stored = _stored_rows(connection, table, keys, key, chunk)
    fresh: list[Mapping[str, Any]] = []
    for index, (row_key, row) in enumerate(zip(keys, rows, strict=True)):
        before = stored.get(row_key)
        if before is None:
            fresh.append(row)
            continue
        differing = [name for name, value in row.items() if before.get(name) != value]
        if differing:
            report.rejected[index] = [
                IntegrityViolation(
                    N_("{field}: a record with key {got} is stored with another {field} ({expected})"),
                    field=differing[0],
                    got="/".join(str(v) for v in row_key),
                    expected=str(before.get(differing[0])),
                )
            ]
    if inserted is None:
        if fresh:
            connection.execute(sa.insert(table), fresh)
        inserted = len(fresh)
    report.inserted = inserted
    report.unchanged = len(rows) - inserted - len(report.rejected)
    return report
