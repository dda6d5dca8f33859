"""The assets part's adapter for the data exchange format (``govparts exchange export --part assets``).

:data:`ADAPTERS` exchanges the published asset card (:class:`~govparts.assets.models.AssetCard`,
资产卡片) with the reference implementation's tables:

* **export** writes every card of every organisation by card number (``id``, an integer: the same
  order on SQLite and PostgreSQL, whatever their collations), as
  :meth:`~govparts.assets.service.ReferenceService.get` shows it;
* **import** writes the cards in bulk, keyed by organisation and asset code, keeping each card's
  ``id`` (other parts' events and vouchers name assets by it). One ``INSERT … ON CONFLICT DO
  NOTHING`` per batch: a card stored alike is unchanged, one stored with other values — or whose
  ``id`` is another card's, or is not this implementation's (a whole number) — is a reject, so an
  import is idempotent and never overwrites. The state and version are taken as sent: an import
  moves data, it does not replay the life cycle.
* a key (organisation and asset code) given more than once in one package is a reject from its
  second line on, naming the key, whether the lines agree or not and whether or not they fall in the
  same batch: a package never says two things about one card, and the first line is never merged with
  a later one (issue 15.1). So ``valid = inserted + unchanged`` and every line is counted once.

A card carries its registration but not the events after it, nor the depreciation already charged.
So an imported card that is depreciated by straight line (年限平均法), in the books and still at its
original value gets its registration history and depreciation segment back, and monthly runs go on
charging it exactly as before. A card whose value changed after registration (a capitalised repair,
a revaluation, a partial disposal) or that is depreciated by units of work (工作量法, whose charge
depends on all usage so far) is imported without a segment: monthly runs do not charge it until its
history is recorded again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from pydantic import BaseModel

from govparts.core.errors import IntegrityViolation, InvalidInput
from govparts.core.exchange import ImportReport
from govparts.core.i18n import N_
from govparts.core.refs import PersonRef

from . import tables as t
from .models import AssetCard
from .rules import DOMAIN, HistoryEvent, segments_from_history

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ADAPTERS", "AssetCardAdapter"]

_KEY = ("organization_credit_code", "asset_code")
_FIELDS = tuple(name for name in AssetCard.model_fields if name not in {"id", "custodian"})
_BOOK_STATES = ("in_stock", "in_use", "disposal_requested")
_CHUNK = 500
_SEEN: WeakKeyDictionary[sa.Transaction, set[tuple[str, str]]] = WeakKeyDictionary()
"""The card keys an import has given so far, per transaction (an import is one transaction)."""


class AssetCardAdapter:
    """Exchanges :class:`~govparts.assets.models.AssetCard` records with the ``assets_asset`` table."""

    model = AssetCard
    model_id = AssetCard.standard_id
    model_version = AssetCard.standard_version

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every stored card (of ``org``, if given), by card number."""
        a = t.ASSET.c
        query = sa.select(a.id, a.custodian, *(a[name] for name in _FIELDS)).order_by(a.id)
        if org is not None:
            query = query.where(a.organization_credit_code == org)
        with engine.connect() as connection:
            for row in connection.execute(query).mappings():
                data = {name: row[name] for name in _FIELDS}
                data["attachments"] = tuple(row["attachments"] or ())
                custodian = row["custodian"]
                yield AssetCard.model_construct(
                    id=str(row["id"]),
                    custodian=PersonRef.model_validate(custodian) if custodian else None,
                    **data,
                )

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Insert the cards not stored yet in bulk; compare the others (see the module docstring)."""
        report = ImportReport()
        candidates: list[tuple[int, dict[str, Any]]] = []
        for index, record in enumerate(records):
            card = cast(AssetCard, record)
            number = _card_number(card.id)
            if number is None:
                report.rejected[index] = [
                    InvalidInput(
                        N_("{field}: must be a card number of this implementation (whole number), got {got}"),
                        field="id",
                        got=card.id,
                        domain=DOMAIN,
                    )
                ]
                continue
            candidates.append((index, _row(card, number)))
        candidates = _first_of_each_key(connection, candidates, report)
        kept = self._without_taken_ids(connection, candidates, report)
        if not kept:
            return report
        inserted = _insert_new(connection, [row for _, row in kept])
        skipped = [(index, row) for index, row in kept if row["id"] not in inserted]
        self._compare(connection, skipped, report)
        report.inserted = len(inserted)
        report.unchanged = len(skipped) - sum(1 for index, _ in skipped if index in report.rejected)
        _restore_segments(connection, [row for _, row in kept if row["id"] in inserted])
        if inserted and connection.dialect.name == "postgresql":
            # Cards came with their numbers: move the id sequence past them for the cards to come.
            connection.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('assets_asset', 'id'),"
                    " (SELECT max(id) FROM assets_asset))"
                )
            )
        return report

    @staticmethod
    def _without_taken_ids(
        connection: sa.Connection, candidates: list[tuple[int, dict[str, Any]]], report: ImportReport
    ) -> list[tuple[int, dict[str, Any]]]:
        """The candidates whose id is free or already their own; the others are rejected."""
        a = t.ASSET.c
        owner: dict[int, tuple[str, str]] = {}
        ids = [row["id"] for _, row in candidates]
        for start in range(0, len(ids), _CHUNK):
            found = connection.execute(
                sa.select(a.id, a.organization_credit_code, a.asset_code).where(
                    a.id.in_(ids[start : start + _CHUNK])
                )
            )
            owner.update({number: (org, code) for number, org, code in found})
        kept = []
        for index, row in candidates:
            key = (row["organization_credit_code"], row["asset_code"])
            taken = owner.setdefault(row["id"], key)
            if taken != key:
                report.rejected[index] = [
                    IntegrityViolation(
                        N_("{field}: card number {got} is already the number of {expected}"),
                        field="id",
                        got=str(row["id"]),
                        expected="/".join(taken),
                        domain=DOMAIN,
                    )
                ]
                continue
            kept.append((index, row))
        return kept

    @staticmethod
    def _compare(
        connection: sa.Connection, skipped: list[tuple[int, dict[str, Any]]], report: ImportReport
    ) -> None:
        """Reject each skipped card whose stored card differs, naming the first differing field."""
        if not skipped:
            return
        a = t.ASSET.c
        columns = [a[name] for name in skipped[0][1]]
        keys = [(row["organization_credit_code"], row["asset_code"]) for _, row in skipped]
        stored: dict[tuple[str, str], sa.RowMapping] = {}
        for start in range(0, len(keys), _CHUNK):
            condition = sa.tuple_(a.organization_credit_code, a.asset_code).in_(keys[start : start + _CHUNK])
            for found in connection.execute(sa.select(*columns).where(condition)).mappings():
                stored[(found["organization_credit_code"], found["asset_code"])] = found
        for (index, row), key in zip(skipped, keys, strict=True):
            before = stored[key]
            differing = [name for name, value in row.items() if before[name] != value]
            if differing:
                report.rejected[index] = [
                    IntegrityViolation(
                        N_("{field}: a record with key {got} is stored with another {field} ({expected})"),
                        field=differing[0],
                        got="/".join(key),
                        expected=str(before[differing[0]]),
                    )
                ]


def _first_of_each_key(
    connection: sa.Connection, candidates: list[tuple[int, dict[str, Any]]], report: ImportReport
) -> list[tuple[int, dict[str, Any]]]:
    """The candidates whose key this import has not seen yet; a key seen before is a reject.

    Keys are remembered for the connection's transaction, so a repeat in a later batch of the same
    import is caught too; without a transaction, within this batch only.
    """
    transaction = connection.get_transaction()
    seen = _SEEN.setdefault(transaction, set()) if transaction is not None else set()
    kept = []
    for index, row in candidates:
        key = (row["organization_credit_code"], row["asset_code"])
        if key in seen:
            report.rejected[index] = [
                IntegrityViolation(
                    N_("{field}: the key {got} appears more than once in this package"),
                    field="asset_code",
                    got="/".join(key),
                    domain=DOMAIN,
                )
            ]
            continue
        seen.add(key)
        kept.append((index, row))
    return kept


def _card_number(card_id: str) -> int | None:
    """The stored id of a card id written by this implementation (canonical decimal), else None."""
    if not card_id.isdigit() or card_id != str(int(card_id)) or int(card_id) < 1:
        return None
    return int(card_id)


def _row(card: AssetCard, number: int) -> dict[str, Any]:
    data = card.model_dump(include=set(_FIELDS))
    data["attachments"] = list(card.attachments)
    custodian = card.custodian
    data["custodian"] = custodian.model_dump(mode="json") if custodian is not None else None
    data["custodian_id"] = custodian.person_id if custodian is not None else None
    data["id"] = number
    return data


def _insert_new(connection: sa.Connection, rows: list[dict[str, Any]]) -> set[int]:
    """Insert ``rows`` skipping keys already stored (``ON CONFLICT DO NOTHING``); the ids inserted.

    The engines of :func:`govparts.core.db.create_engine` are SQLite or PostgreSQL; both skip and return
    the inserted ids in one statement per batch.
    """
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(t.ASSET)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(t.ASSET)
    statement = statement.on_conflict_do_nothing(index_elements=list(_KEY)).returning(t.ASSET.c.id)
    return {int(number) for number in connection.execute(statement, rows).scalars()}


def _restore_segments(connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Give freshly imported straight-line cards at their original value their registration history."""
    history: list[dict[str, Any]] = []
    segments: list[dict[str, Any]] = []
    for row in rows:
        if not (
            row["depreciable"]
            and row["depreciation_method"] == "straight_line"
            and row["state"] in _BOOK_STATES
            and row["in_service"] is not None
            and row["useful_life_months"]
            and row["book_value"] == row["original_value"]
        ):
            continue
        registered = HistoryEvent(
            "registered", row["in_service"], row["original_value"], row["useful_life_months"]
        )
        segment = segments_from_history([registered])[-1]
        history.append(
            {
                "asset_id": row["id"],
                "kind": registered.kind,
                "on": registered.on,
                "value": registered.value,
                "life_months": registered.life_months,
                "accumulated_fen": 0,
            }
        )
        segments.append(
            {
                "number": row["id"],
                "start": segment.start,
                "months": segment.months,
                "base": segment.base_fen,
                "monthly": segment.monthly_fen,
            }
        )
    if not history:
        return
    connection.execute(sa.insert(t.HISTORY), history)
    connection.execute(
        sa.update(t.ASSET)
        .where(t.ASSET.c.id == sa.bindparam("number"))
        .values(
            seg_start=sa.bindparam("start"),
            seg_months=sa.bindparam("months"),
            seg_base_fen=sa.bindparam("base"),
            seg_monthly_fen=sa.bindparam("monthly"),
        ),
        segments,
    )


ADAPTERS: list[AssetCardAdapter] = [AssetCardAdapter()]
"""The assets part's exchanged models: the asset card."""
