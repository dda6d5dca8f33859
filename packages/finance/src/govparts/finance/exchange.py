"""The finance part's adapters for the data exchange format (``govparts exchange export --part finance``).

What a regional data exchange centre (数据交换中心) passes between finance systems is the data the
ledgers of the organisations are kept against, not the ledgers themselves (those are hash-chained and
go through posting, never through an import):

* :class:`IndicatorAdapter` — budget indicators (预算指标, :class:`~govparts.finance.models.Indicator`),
  as the budget office hands them down, keyed by organisation, year, project and economic class;
* :class:`SubAccountAdapter` — the organisations' sub-accounts (明细科目,
  :class:`~govparts.finance.models.SubAccount`) below the standard chart, keyed by organisation and code.

Export writes every record in key order, the keys compared as text code point by code point on every
database (PostgreSQL with the ``"C"`` collation, SQLite by its binary default), so the same data
gives the same file whatever the database and its locale. A key that appears twice in one package
is a rejected line naming the key (``record_key``, checked by
:func:`~govparts.core.exchange.import_package` before the adapter sees the line), never merged.
Import is bulk and idempotent: one
``INSERT … ON CONFLICT DO NOTHING`` per batch (:func:`~govparts.core.exchange.insert_new`); a record
stored alike counts as unchanged, one whose key is stored with other values is a reject naming the
first differing field, and nothing is ever overwritten. Sub-accounts are checked as
:meth:`~govparts.finance.ReferenceService.add_sub_account` checks them (not a standard code, below an
account of the chart or a sub-account stored or sent before, extending its parent's code, not
closing before it opens, fitting the columns); a sub-account failing a check is a reject too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from pydantic import BaseModel, Field, ValidationError

from govparts.core.errors import GovPartsError, NotFound, from_validation_error
from govparts.core.exchange import ImportReport, insert_new

from . import rules
from ._chart import chart
from .models import Indicator, SubAccount
from .part import PART
from .tables import INDICATOR, SUB_ACCOUNT

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ADAPTERS", "IndicatorAdapter", "SubAccountAdapter"]

_CHUNK = 500


def _version(model: type[BaseModel]) -> str:
    """The model's standard version as published (its own, else the part's), as ``major.minor``."""
    version = str(getattr(model, "standard_version", None) or PART.version)
    return ".".join(version.split(".")[:2])


def _in_code_point_order(engine_or_connection: Engine | sa.Connection, columns: Sequence[Any]) -> list[Any]:
    """``ORDER BY`` terms comparing text by code point on every supported database."""
    if engine_or_connection.dialect.name == "postgresql":
        return [
            c.collate("C") if isinstance(getattr(c.type, "impl", c.type), sa.String) else c for c in columns
        ]
    return list(columns)


class IndicatorAdapter:
    """Exchanges budget indicators (预算指标) with the ``finance_indicator`` table."""

    model = Indicator
    model_id = Indicator.standard_id
    model_version = _version(Indicator)

    key = ("org", "year", "project", "econ_class")
    """The columns naming an indicator (its unique constraint)."""
    record_key = key
    """The model's key: a key repeated in one package is a rejected line (core's import path)."""

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every stored indicator (of ``org``, if given), by organisation, year, project and class."""
        names = tuple(Indicator.model_fields)
        c = INDICATOR.c
        query = sa.select(*(c[name] for name in names)).order_by(
            *_in_code_point_order(engine, [c[name] for name in self.key])
        )
        if org is not None:
            query = query.where(c.org == org)
        with engine.connect() as connection:
            for row in connection.execute(query).mappings():
                yield Indicator.model_construct(**row)

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Insert the indicators not stored yet, in bulk; compare the others (see the module docstring)."""
        rows = [dict(cast(Indicator, record).__dict__) for record in records]
        return insert_new(connection, INDICATOR, rows, key=self.key, chunk=_CHUNK)


def _width(column: sa.Column[Any]) -> int | None:
    return cast(sa.String, column.type).length


class _Widths(BaseModel):
    """The column widths a sub-account's texts must fit (PostgreSQL enforces them; SQLite would not)."""

    org: str = Field(max_length=_width(SUB_ACCOUNT.c.org))
    code: str = Field(max_length=_width(SUB_ACCOUNT.c.code))
    parent: str = Field(max_length=_width(SUB_ACCOUNT.c.parent))
    name: str = Field(max_length=_width(SUB_ACCOUNT.c.name))


class SubAccountAdapter:
    """Exchanges organisations' sub-accounts (明细科目) with the ``finance_sub_account`` table."""

    model = SubAccount
    model_id = "govparts.finance.SubAccount"
    model_version = _version(SubAccount)

    key = ("org", "code")
    """The columns naming a sub-account (its primary key)."""
    record_key = key
    """The model's key: a key repeated in one package is a rejected line (core's import path)."""

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every stored sub-account (of ``org``, if given), by organisation and code (a parent before
        the accounts below it)."""
        names = tuple(SubAccount.model_fields)
        c = SUB_ACCOUNT.c
        query = sa.select(*(c[name] for name in names)).order_by(
            *_in_code_point_order(engine, [c.org, c.code])
        )
        if org is not None:
            query = query.where(c.org == org)
        with engine.connect() as connection:
            for row in connection.execute(query).mappings():
                yield SubAccount.model_construct(**row)

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Check the sub-accounts, insert those not stored yet in bulk, compare the others."""
        accounts = [cast(SubAccount, record) for record in records]
        report = ImportReport()
        for index, account in enumerate(accounts):
            problem = _own_problem(account)
            if problem is not None:
                report.rejected[index] = [problem]
        known = _stored_parents(connection, [a for i, a in enumerate(accounts) if i not in report.rejected])
        # Parents are shorter than the accounts below them: in that order a parent sent in this batch
        # is known (or rejected) before its children are looked at.
        for index in sorted(range(len(accounts)), key=lambda i: (len(accounts[i].code), i)):
            if index in report.rejected:
                continue
            account = accounts[index]
            if account.parent not in chart() and (account.org, account.parent) not in known:
                report.rejected[index] = [NotFound(field="parent", kind="account", got=account.parent)]
                continue
            known.add((account.org, account.code))
        kept = [index for index in range(len(accounts)) if index not in report.rejected]
        written = insert_new(
            connection,
            SUB_ACCOUNT,
            [accounts[index].model_dump() for index in kept],
            key=self.key,
            chunk=_CHUNK,
        )
        report.inserted, report.unchanged = written.inserted, written.unchanged
        for position, errors in written.rejected.items():
            report.rejected[kept[position]] = errors
        report.rejected = dict(sorted(report.rejected.items()))
        return report


def _own_problem(account: SubAccount) -> GovPartsError | None:
    """What is wrong with ``account`` by itself (its parent's existence aside), or None."""
    return width_problem(account) or rules.sub_account_problem(account)


def width_problem(account: SubAccount) -> GovPartsError | None:
    """A text of ``account`` longer than its column (PostgreSQL would refuse it unnamed), or None."""
    try:
        _Widths.model_validate(account.model_dump(include=set(_Widths.model_fields)))
    except ValidationError as exc:
        return from_validation_error(exc).errors[0]
    return None


def _stored_parents(connection: sa.Connection, accounts: Sequence[SubAccount]) -> set[tuple[str, str]]:
    """The (organisation, code) of the parents of ``accounts`` that are stored sub-accounts."""
    wanted = sorted({(a.org, a.parent) for a in accounts if a.parent not in chart()})
    found: set[tuple[str, str]] = set()
    c = SUB_ACCOUNT.c
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        query = sa.select(c.org, c.code).where(sa.tuple_(c.org, c.code).in_(chunk))
        found.update((str(org), str(code)) for org, code in connection.execute(query))
    return found


ADAPTERS: list[Any] = [IndicatorAdapter(), SubAccountAdapter()]
"""The finance part's exchanged models: budget indicators, then sub-accounts."""
