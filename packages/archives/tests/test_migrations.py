"""The archives Alembic branch creates exactly the tables the models describe, full-text search included."""

from __future__ import annotations

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

REVISION = "3dade097c4bb"
CATALOGUE = "b7c1e2d3f4a5"


def _archives(diff: Any) -> bool:
    return "archives_" in repr(diff) and "archives_document_fts" not in repr(diff)


def test_branch_matches_the_models(db_url: str, make_draft: Any, staff: dict[str, Actor]) -> None:
    """Leaves no difference between the migrated tables and the models, and search works on the result."""
    applied = migrate.upgrade(db_url)
    assert {REVISION, CATALOGUE} <= {r.id for r in applied}
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = [d for d in compare_metadata(context, metadata) if _archives(d)]
        assert [d for d in diffs if "_trgm" not in repr(d)] == []
        service = ReferenceService(engine)
        doc = service.draft_outgoing(staff["drafter"], make_draft(title="关于加强档案安全工作的通知"))
        assert [h.id for h in service.search(staff["drafter"], "档案安全")] == [doc.id]
    finally:
        engine.dispose()


def test_branch_is_labelled_and_depends_on_core() -> None:
    """Registers the branch ``archives``, depending on core's branch."""
    revisions = migrate.history()
    ours = [r for r in revisions if r.part == "archives"]
    assert sorted(r.id for r in ours) == sorted([REVISION, CATALOGUE])
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
