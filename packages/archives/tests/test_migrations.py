"""The archives Alembic branch creates exactly the tables the models describe, full-text search included."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import govparts.archives.tables  # noqa: F401 - the models compared against
from govparts.archives.service import ReferenceService
from govparts.core import migrate
from govparts.core.db import create_engine, metadata
from govparts.core.security import Actor

pytestmark = pytest.mark.db

ORG = "11650102MB00000013"
"""The synthetic organisation of the tests (a government body, GB 32100 category 11)."""

REVISION = "3dade097c4bb"
CATALOGUE = "b7c1e2d3f4a5"
ORGS = "c9e4a1b2d3f5"
SIGNATURE = "d4f7a2c9e1b6"
SEARCH = "e8b3c5d7f9a1"


def _archives(diff: Any) -> bool:
    return "archives_" in repr(diff) and "archives_document_fts" not in repr(diff)


def test_branch_matches_the_models(db_url: str, make_draft: Any, staff: dict[str, Actor]) -> None:
    """Leaves no difference between the migrated tables and the models, and search works on the result."""
    applied = migrate.upgrade(db_url)
    assert {REVISION, CATALOGUE, ORGS, SIGNATURE, SEARCH} <= {r.id for r in applied}
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, metadata) if _archives(d)]
        assert [d for d in diffs if "_trgm" not in repr(d)] == []
        service = ReferenceService(engine)
        doc = service.draft_outgoing(staff["drafter"], ORG, make_draft(title="关于加强档案安全工作的通知"))
        assert [h.id for h in service.search(staff["drafter"], ORG, "档案安全")] == [doc.id]
        assert [h.id for h in service.search(staff["drafter"], ORG, "档")] == [doc.id]
    finally:
        engine.dispose()


def test_branch_is_labelled_and_depends_on_core() -> None:
    """Registers the branch ``archives``, depending on core's branch."""
    revisions = migrate.history()
    ours = [r for r in revisions if r.part == "archives"]
    assert sorted(r.id for r in ours) == sorted([REVISION, CATALOGUE, ORGS, SIGNATURE, SEARCH])
    first = next(r for r in ours if r.id == REVISION)
    assert first.branch_labels == ("archives",)
    assert first.depends_on == ("core",)


def test_downgrade_removes_the_tables(db_url: str) -> None:
    """Removes every archives table, the full-text table included, on the way down."""
    from alembic import command

    migrate.upgrade(db_url)
    command.downgrade(migrate.config(db_url), "archives@base")
    engine = sa.create_engine(db_url)
    try:
        names = sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    assert [n for n in names if n.startswith("archives_")] == []


def test_carries_a_database_over_to_organisations(db_url: str) -> None:
    """Keeps the rows of the previous head (org ''), and lets two organisations then share organ codes."""
    from alembic import command

    command.upgrade(migrate.config(db_url), "core@head")
    command.upgrade(migrate.config(db_url), CATALOGUE)
    engine = sa.create_engine(db_url)
    now = datetime(2026, 1, 20, 8, tzinfo=UTC)
    try:
        with engine.begin() as conn:
            old = sa.Table("archives_document", sa.MetaData(), autoload_with=conn)
            conn.execute(
                old.insert().values(
                    id=1, state="issued", version=1, direction="outgoing", doc_type="08", title="旧通知",
                    body="", issuing_organ="旧机关", organ_code="新政发", year=2025, serial=1,
                    document_number="新政发〔2025〕1号", secrecy_rank=0, main_recipients=[],
                    attachment_notes=[], sealed=True, copy_to=[], assisting_units=[], content_digest="",
                    fonds="X001", created_by="u", created_at=now,
                )
            )  # fmt: skip
            conn.execute(
                sa.text(
                    "INSERT INTO archives_number_counter (organ_code, year, last_serial) "
                    "VALUES ('新政发', 2025, 1)"
                )
            )
        command.upgrade(migrate.config(db_url), ORGS)
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT org, title FROM archives_document")).all() == [("", "旧通知")]
            assert conn.execute(sa.text("SELECT org, last_serial FROM archives_number_counter")).all() == [
                ("", 1)
            ]
            conn.execute(
                sa.text(
                    "INSERT INTO archives_number_counter (org, organ_code, year, last_serial) "
                    "VALUES (:org, '新政发', 2025, 1)"
                ),
                {"org": ORG},
            )
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO archives_number_counter (org, organ_code, year, last_serial) "
                    "VALUES (:org, '新政发', 2025, 2)"
                ),
                {"org": ORG},
            )
    finally:
        engine.dispose()


def test_documents_issued_before_signatures_read_as_unsigned(db_url: str, staff: dict[str, Actor]) -> None:
    """Keeps a document issued before the signature revision, which then reads back unsigned."""
    from alembic import command

    command.upgrade(migrate.config(db_url), "core@head")
    command.upgrade(migrate.config(db_url), ORGS)
    engine = sa.create_engine(db_url)
    now = datetime(2026, 1, 20, 8, tzinfo=UTC)
    try:
        with engine.begin() as conn:
            old = sa.Table("archives_document", sa.MetaData(), autoload_with=conn)
            conn.execute(
                old.insert().values(
                    id=1, org=ORG, state="issued", version=1, direction="outgoing", doc_type="08",
                    title="旧通知", body="", issuing_organ="旧机关", organ_code="新政发", year=2025,
                    serial=1, document_number="新政发〔2025〕1号", secrecy_rank=0, main_recipients=[],
                    attachment_notes=[], sealed=True, copy_to=[], assisting_units=[], content_digest="",
                    fonds="X001", created_by="u", created_at=now,
                )
            )  # fmt: skip
        command.upgrade(migrate.config(db_url), SIGNATURE)
        document = ReferenceService(engine).get_document(staff["reviewer"], ORG, 1)
        assert (document.title, document.signature) == ("旧通知", None)
    finally:
        engine.dispose()


def test_search_revision_indexes_the_stored_documents(db_url: str, staff: dict[str, Actor]) -> None:
    """Indexes the documents stored before it (one, two and four characters, above clearance withheld);
    its downgrade brings the trigram index back with them."""
    from alembic import command

    command.upgrade(migrate.config(db_url), "core@head")
    command.upgrade(migrate.config(db_url), SIGNATURE)
    engine = sa.create_engine(db_url)
    now = datetime(2026, 1, 20, 8, tzinfo=UTC)
    try:
        with engine.begin() as conn:
            old = sa.Table("archives_document", sa.MetaData(), autoload_with=conn)
            for id, title, rank in (
                (1, "关于防汛工作的通知", 0),
                (2, "防汛物资调运的请示", 2),
                (3, "ئارخىپ QR码", 0),
            ):
                conn.execute(
                    old.insert().values(
                        id=id, org=ORG, state="issued", version=1, direction="outgoing", doc_type="08",
                        title=title, body="正文", issuing_organ="旧机关", organ_code="新政发", year=2025,
                        serial=id, document_number=f"新政发〔2025〕{id}号", secrecy_rank=rank,
                        main_recipients=[], attachment_notes=[], sealed=True, copy_to=[],
                        assisting_units=[], content_digest="", fonds="X001", created_by="u",
                        created_at=now,
                    )
                )  # fmt: skip
            if engine.dialect.name == "sqlite":
                conn.execute(
                    sa.text(
                        "INSERT INTO archives_document_fts (rowid, title, body) "
                        "SELECT id, title, body FROM archives_document"
                    )
                )
        command.upgrade(migrate.config(db_url), SEARCH)
        service = ReferenceService(engine)
        reader = Actor(id="m-0", name="阿依古丽", roles=frozenset({"drafter"}), clearance=None, org=ORG)
        cleared = Actor(id="m-1", name="古丽娜尔", roles=frozenset({"drafter"}), clearance="JM", org=ORG)
        assert [h.id for h in service.search(reader, ORG, "防")] == [1]
        assert [h.id for h in service.search(cleared, ORG, "防汛")] == [2, 1]
        assert [h.id for h in service.search(reader, ORG, "防汛工作")] == [1]
        assert [h.id for h in service.search(reader, ORG, "qr码")] == [3]
        assert [h.id for h in service.search(reader, ORG, "ئارخىپ")] == [3]
        assert service.search(reader, ORG, "通告") == []
        command.downgrade(migrate.config(db_url), SIGNATURE)
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                found = conn.execute(
                    sa.text("SELECT rowid FROM archives_document_fts WHERE archives_document_fts MATCH :q"),
                    {"q": '"防汛工作"'},
                ).all()
                assert found == [(1,)]
            else:
                indexes = {i["name"] for i in sa.inspect(conn).get_indexes("archives_document")}
                assert {"ix_archives_document_title_trgm", "ix_archives_document_body_trgm"} <= indexes
                assert not sa.inspect(conn).has_table("archives_document_fts")
    finally:
        engine.dispose()
