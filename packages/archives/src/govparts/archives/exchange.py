"""The archives part's adapter for the data exchange format: the archival catalogue.

``govparts exchange export --part archives`` writes one :class:`~.models.CatalogueRecord` per item:
the items this system filed (from its documents, a classified document's title withheld) and the
records it received from other units through earlier imports, in archival-code order. Importing
stores records in ``archives_received_catalogue``: a record already known exactly so is unchanged; one
whose archival code is known with other content — received before, or an item filed here — is a
conflict, reported against the record and never written.

Archival codes are unique per organisation (``org``, the filing unit's credit code): the key of a
record is (``org``, ``archival_code``). A record without ``org`` is rejected, since it could not be
told apart from another organisation's; a key that appears twice in one package is rejected on its
second line (issue 15.1: one package must not say two things about one item), and the report's
counts add up (inserted + unchanged + rejected = records).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel

from govparts.core.errors import IntegrityViolation, InvalidInput
from govparts.core.exchange import ImportReport, insert_new
from govparts.core.i18n import N_

from ._i18n import DOMAIN
from .models import CatalogueRecord
from .tables import ArchivalItemRow, DocumentRow, ReceivedCatalogueRow

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["ADAPTERS", "CatalogueAdapter"]

_FIELDS = tuple(CatalogueRecord.model_fields)


def _table(row: type[Any]) -> sa.Table:
    table: sa.Table = row.__table__
    return table


def _own_items() -> sa.Select[Any]:
    """The catalogue of the items filed here, as rows of :class:`CatalogueRecord` fields."""
    item, doc = _table(ArchivalItemRow), _table(DocumentRow)
    return sa.select(
        item.c.org,
        item.c.archival_code,
        item.c.fonds,
        item.c.category,
        item.c.year,
        item.c.retention,
        item.c.organisation,
        item.c.item_number,
        doc.c.document_number,
        doc.c.issuing_organ.label("responsible"),
        sa.case((doc.c.secrecy.is_(None), doc.c.title), else_="").label("title"),
        doc.c.written_on,
        doc.c.received_at,
        doc.c.secrecy,
        sa.case((item.c.state == "destroyed", "已销毁"), else_=None).label("notes"),
    ).join(doc, doc.c.id == item.c.document_id)


def _own_record(row: Any) -> CatalogueRecord:
    """An own item's record: its date is the date written, else the (UTC) date received."""
    values = dict(row)
    written, received = values.pop("written_on"), values.pop("received_at")
    values["date"] = written if written is not None else received.date() if received is not None else None
    return CatalogueRecord.model_construct(**values)


class CatalogueAdapter:
    """Exchanges :class:`CatalogueRecord` records (the archival catalogue)."""

    model = CatalogueRecord
    model_id = CatalogueRecord.standard_id
    model_version = CatalogueRecord.standard_version
    record_key = ("org", "archival_code")

    def export(self, engine: Engine, *, org: str | None = None) -> Iterator[BaseModel]:
        """Every item filed here and every record received (of ``org``, if given), by archival code."""
        received = _table(ReceivedCatalogueRow)
        # Sorted here, not by the database: a PostgreSQL collation may order codes otherwise.
        query = sa.select(*(received.c[name] for name in _FIELDS))
        own = _own_items()
        if org is not None:
            query = query.where(received.c.org == org)
            own = own.where(_table(ArchivalItemRow).c.org == org)
        with engine.connect() as connection:
            records = [_own_record(row) for row in connection.execute(own).mappings()]
            records += [
                CatalogueRecord.model_construct(**row) for row in connection.execute(query).mappings()
            ]
        records.sort(key=lambda record: (record.org or "", record.archival_code))
        yield from records

    def import_records(
        self, connection: sa.Connection, records: Sequence[BaseModel], *, keep_valid: bool
    ) -> ImportReport:
        """Store the records not known yet, in bulk; compare the others (own items included)."""
        rows = [{name: getattr(record, name) for name in _FIELDS} for record in records]
        report = ImportReport()
        candidates: list[int] = []
        seen: set[tuple[str, str]] = set()
        for index, row in enumerate(rows):
            key = (row["org"], row["archival_code"])
            if row["org"] is None:
                report.rejected[index] = [
                    InvalidInput(
                        N_("{field}: a catalogue record must name its filing organisation"),
                        field="org",
                        domain=DOMAIN,
                    )
                ]
            elif key in seen:
                report.rejected[index] = [
                    IntegrityViolation(
                        N_("{field}: the key {got} appears more than once in this package"),
                        field="org/archival_code",
                        got="/".join(key),
                        domain=DOMAIN,
                    )
                ]
            else:
                seen.add(key)
                candidates.append(index)
        item = _table(ArchivalItemRow)
        own: dict[tuple[str, str], dict[str, Any]] = {}
        keys = sorted(seen)
        for start in range(0, len(keys), 500):
            query = _own_items().where(
                sa.tuple_(item.c.org, item.c.archival_code).in_(keys[start : start + 500])
            )
            for found in connection.execute(query).mappings():
                own[(found["org"], found["archival_code"])] = _own_record(found).model_dump()
        fresh: list[dict[str, Any]] = []
        positions: list[int] = []
        for index in candidates:
            row = rows[index]
            stored = own.get((row["org"], row["archival_code"]))
            if stored is None:
                fresh.append(row)
                positions.append(index)
                continue
            differing = [name for name in _FIELDS if stored.get(name) != row[name]]
            if not differing:
                report.unchanged += 1
                continue
            report.rejected[index] = [
                IntegrityViolation(
                    N_("{field}: {got} is filed here with other content"),
                    field=differing[0],
                    got=row["archival_code"],
                )
            ]
        inner = insert_new(connection, _table(ReceivedCatalogueRow), fresh, key=("org", "archival_code"))
        report.inserted += inner.inserted
        report.unchanged += inner.unchanged
        for index, errors in inner.rejected.items():
            report.rejected[positions[index]] = errors
        return report


ADAPTERS = [CatalogueAdapter()]
