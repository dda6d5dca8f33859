"""SQLModel tables of the reference implementation (storage is an implementation detail).

Full-text search (:mod:`govparts.archives._search`): the unigrams and bigrams of each document's
title and body, kept in ``archives_document_fts``: on SQLite a contentless FTS5 table
(the ``ascii`` tokenizer over the terms' ASCII tokens, rowid = the document's id),
on PostgreSQL a table of the document's id, organisation, secrecy rank and ``text[]`` of terms
under a GIN index (neither database segments Chinese: FTS5's tokenizers and PostgreSQL's text search
have no Chinese parser, and trigrams cannot answer the one- and two-character words people search).
"""

from __future__ import annotations

import datetime as _dt
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from govparts.core.db import UTCDateTime, metadata
from govparts.core.process import Stateful

__all__ = [
    "ArchivalItemRow",
    "ChaseRow",
    "ClassCounterRow",
    "DestructionRow",
    "DocumentFileRow",
    "DocumentRow",
    "IssuedNumberRow",
    "NumberCounterRow",
    "PackageReceiptRow",
    "ReceivedCatalogueRow",
    "UTCDateTime",
]

assert metadata is SQLModel.metadata  # the shared metadata carries the naming convention

_JSON = sa.JSON(none_as_null=True)


def _json(**kw: Any) -> Any:
    return Field(default_factory=list, sa_type=_JSON, **kw)


class DocumentRow(Stateful, table=True):
    """An official document (公文), outgoing (发文) or incoming (收文), with its GB/T 9704 elements."""

    __tablename__ = "archives_document"
    __table_args__ = (
        sa.UniqueConstraint("org", "organ_code", "year", "serial"),
        sa.Index("ix_archives_document_visible", "org", "secrecy_rank", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18)
    """The unified social credit code (GB 32100-2015) of the organisation the document belongs to."""
    direction: str = Field(max_length=10)
    doc_type: str = Field(max_length=2)
    title: str = Field(max_length=500)
    body: str = Field(default="", sa_type=sa.Text)
    issuing_organ: str = Field(max_length=200)
    organ_code: str | None = Field(default=None, max_length=20)
    year: int | None = None
    serial: int | None = None
    document_number: str | None = Field(default=None, max_length=60)
    copy_number: str | None = Field(default=None, max_length=20)
    secrecy: str | None = Field(default=None, max_length=2)
    secrecy_rank: int = 0
    secrecy_period_years: int | None = None
    classified_on: date | None = None
    urgency: str | None = Field(default=None, max_length=2)
    signer: str | None = Field(default=None, max_length=100)
    main_recipients: list[str] = _json()
    attachment_notes: list[str] = _json()
    signature_organ: str | None = Field(default=None, max_length=200)
    written_on: date | None = None
    sealed: bool = False
    notes: str | None = Field(default=None, max_length=1000)
    copy_to: list[str] = _json()
    printing_organ: str | None = Field(default=None, max_length=200)
    printed_on: date | None = None
    copies: int | None = None
    sender: str | None = Field(default=None, max_length=200)
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lead_unit: str | None = Field(default=None, max_length=100)
    assisting_units: list[str] = _json()
    due_on: date | None = None
    reply: str | None = Field(default=None, sa_type=sa.Text)
    return_reason: str | None = Field(default=None, max_length=1000)
    content_digest: str = Field(default="", max_length=64)
    signed_digest: str | None = Field(default=None, max_length=64)
    signature: dict[str, Any] | None = Field(default=None, sa_type=_JSON)
    """The issuing organ's SM2 signature as ``models.DocumentSignature`` fields (None: unsigned)."""
    fonds: str = Field(max_length=4)
    organisation: str | None = Field(default=None, max_length=10)
    unit: str | None = Field(default=None, max_length=100)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(sa_type=UTCDateTime)


class DocumentFileRow(SQLModel, table=True):
    """A file of a document (body, attachment, final draft) with its fixity digests."""

    __tablename__ = "archives_document_file"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="archives_document.id", index=True)
    role: str = Field(max_length=20)
    name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int
    sm3: str | None = Field(default=None, max_length=64)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=sa.LargeBinary)
    added_at: datetime = Field(sa_type=UTCDateTime)


class NumberCounterRow(SQLModel, table=True):
    """The last serial allocated per organisation, organ code and year (the row is the allocation lock).

    Document number sequences are per organisation (GB/T 9704-2012 7.2.5: 发文机关代字、年份、发文顺序号
    of one issuing organ): two organisations in one database never share a sequence.
    """

    __tablename__ = "archives_number_counter"

    org: str = Field(primary_key=True, max_length=18)
    organ_code: str = Field(primary_key=True, max_length=20)
    year: int = Field(primary_key=True)
    last_serial: int


class IssuedNumberRow(SQLModel, table=True):
    """Every document number ever allocated: ``allocated`` or ``voided`` (never reused)."""

    __tablename__ = "archives_issued_number"
    __table_args__ = (sa.UniqueConstraint("org", "organ_code", "year", "serial"),)

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18)
    organ_code: str = Field(max_length=20)
    year: int
    serial: int
    document_number: str = Field(max_length=60)
    document_id: int = Field(foreign_key="archives_document.id", index=True)
    status: str = Field(max_length=10)
    allocated_at: datetime = Field(sa_type=UTCDateTime)
    allocated_by: str = Field(max_length=100)
    voided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voided_by: str | None = Field(default=None, max_length=100)
    void_reason: str | None = Field(default=None, max_length=1000)


class ChaseRow(SQLModel, table=True):
    """A chase (催办) of an overdue incoming document."""

    __tablename__ = "archives_chase"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="archives_document.id", index=True)
    chased_by: str = Field(max_length=100)
    chased_at: datetime = Field(sa_type=UTCDateTime)
    note: str | None = Field(default=None, max_length=1000)


class ClassCounterRow(SQLModel, table=True):
    """The last item number per lowest class (fonds, category, year, retention, organisation), per org."""

    __tablename__ = "archives_class_counter"

    org: str = Field(primary_key=True, max_length=18)
    fonds: str = Field(primary_key=True, max_length=4)
    category: str = Field(primary_key=True, max_length=2)
    year: int = Field(primary_key=True)
    retention: str = Field(primary_key=True, max_length=3)
    organisation: str = Field(primary_key=True, max_length=10)
    last_item: int


class ArchivalItemRow(Stateful, table=True):
    """An item (件) of records filed per DA/T 22-2015, under its archival code."""

    __tablename__ = "archives_item"
    __table_args__ = (sa.UniqueConstraint("org", "archival_code"),)

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18)
    document_id: int = Field(foreign_key="archives_document.id", unique=True)
    archival_code: str = Field(max_length=60)
    fonds: str = Field(max_length=4)
    category: str = Field(max_length=2)
    year: int
    retention: str = Field(max_length=3)
    organisation: str | None = Field(default=None, max_length=10)
    item_number: int
    title: str = Field(max_length=500)
    secrecy_rank: int = 0
    expires_on: date | None = None
    legal_hold: bool = False
    hold_reason: str | None = Field(default=None, max_length=1000)
    filed_at: datetime = Field(sa_type=UTCDateTime)


class DestructionRow(SQLModel, table=True):
    """The destruction register (销毁清册): one row per destroyed item."""

    __tablename__ = "archives_destruction"

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18, index=True)
    item_id: int = Field(foreign_key="archives_item.id", unique=True)
    archival_code: str = Field(max_length=60)
    title: str = Field(max_length=500)
    retention: str = Field(max_length=3)
    proposed_by: str = Field(max_length=100)
    approved_by: str = Field(max_length=100)
    destroyed_at: datetime = Field(sa_type=UTCDateTime)


class PackageReceiptRow(SQLModel, table=True):
    """An archival package (BagIt bag) accepted on import after its fixity was verified."""

    __tablename__ = "archives_package_receipt"

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=18, index=True)
    bag_name: str = Field(max_length=255)
    archival_codes: list[str] = _json()
    files: int
    payload_oxum: str = Field(max_length=60)
    accepted_by: str = Field(max_length=100)
    accepted_at: datetime = Field(sa_type=UTCDateTime)


DOCUMENT: sa.Table = metadata.tables["archives_document"]
ISSUED_NUMBER: sa.Table = metadata.tables["archives_issued_number"]
NUMBER_COUNTER: sa.Table = metadata.tables["archives_number_counter"]
CLASS_COUNTER: sa.Table = metadata.tables["archives_class_counter"]

_FTS_SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS archives_document_fts "
    "USING fts5(terms, content='', columnsize=0, tokenize='ascii')"
)
_FTS_POSTGRESQL = (
    "CREATE TABLE IF NOT EXISTS archives_document_fts ("
    "id BIGINT PRIMARY KEY REFERENCES archives_document (id) ON DELETE CASCADE, "
    "org VARCHAR(18) NOT NULL, secrecy_rank INTEGER NOT NULL, terms TEXT[] NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_archives_document_fts_terms ON archives_document_fts USING gin (terms) "
    "WITH (gin_pending_list_limit = 256)",
    "CREATE INDEX IF NOT EXISTS ix_archives_document_fts_org_id ON archives_document_fts (org, id)",
)
FULL_TEXT_DDL: dict[str, tuple[str, ...]] = {"sqlite": (_FTS_SQLITE,), "postgresql": _FTS_POSTGRESQL}
"""The dialect-specific full-text DDL (also run by the part's migration)."""


def _ddl(statement: str, dialect: str) -> Any:
    ddl: Any = sa.DDL(statement)  # type: ignore[no-untyped-call]  # SQLAlchemy leaves DDL() unannotated
    return ddl.execute_if(dialect=dialect)


sa.event.listen(DOCUMENT, "after_create", _ddl(_FTS_SQLITE, "sqlite"))
for _statement in _FTS_POSTGRESQL:
    sa.event.listen(DOCUMENT, "after_create", _ddl(_statement, "postgresql"))
for _dialect in ("sqlite", "postgresql"):
    sa.event.listen(DOCUMENT, "before_drop", _ddl("DROP TABLE IF EXISTS archives_document_fts", _dialect))


class ReceivedCatalogueRow(SQLModel, table=True):
    """A catalogue record received through the data exchange (an item filed by another unit)."""

    __tablename__ = "archives_received_catalogue"

    org: str = Field(primary_key=True, max_length=18)
    archival_code: str = Field(primary_key=True, max_length=60)
    fonds: str = Field(max_length=4)
    category: str = Field(max_length=2)
    year: int
    retention: str = Field(max_length=3)
    organisation: str | None = Field(default=None, max_length=10)
    item_number: int
    document_number: str | None = Field(default=None, max_length=60)
    responsible: str = Field(max_length=200)
    title: str = Field(max_length=500)
    date: _dt.date | None = None
    secrecy: str | None = Field(default=None, max_length=2)
    notes: str | None = Field(default=None, max_length=1000)
