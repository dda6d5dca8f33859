"""Alembic wiring: core's branch and every installed part's branch upgrade together, once."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import sqlalchemy as sa

from govparts.core import migrate, parts
from govparts.core.db import create_engine, metadata
from govparts.core.errors import ConfigurationError, IntegrityViolation, InvalidInput

CORE_REV = "c0de00000001"
CORE_REV_2 = "c0de00000002"
PART_REV = "fa4e00000001"

SYNTHETIC_CORE = f'''
"""core things"""
import sqlalchemy as sa
from alembic import op

revision = "{CORE_REV}"
down_revision = None
branch_labels = ("core",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "probe_core_thing",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("probe_core_thing")
'''

SYNTHETIC_PART = f'''
"""fake part items"""
import sqlalchemy as sa
from alembic import op

revision = "{PART_REV}"
down_revision = None
branch_labels = ("fakepart",)
depends_on = "core"


def upgrade() -> None:
    op.create_table(
        "probe_part_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("thing_id", sa.Integer, sa.ForeignKey("probe_core_thing.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("probe_part_item")
'''

# A second core revision that rebuilds the table the part points at (SQLite: batch copy-and-move).
SYNTHETIC_CORE_2 = f'''
"""core things get a note"""
import sqlalchemy as sa
from alembic import op

revision = "{CORE_REV_2}"
down_revision = "{CORE_REV}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("probe_core_thing") as batch:
        batch.add_column(sa.Column("note", sa.String(80), nullable=True))
        batch.alter_column("name", existing_type=sa.String(40), type_=sa.String(60))


def downgrade() -> None:
    with op.batch_alter_table("probe_core_thing") as batch:
        batch.drop_column("note")
'''

# Leaves a row pointing nowhere; the run must not commit it.
ORPHAN_MAKER = f'''
"""orphan"""
from alembic import op

revision = "{CORE_REV_2}"
down_revision = "{CORE_REV}"
branch_labels = None
depends_on = "{PART_REV}"


def upgrade() -> None:
    op.execute("INSERT INTO probe_part_item (id, thing_id) VALUES (1, 999)")


def downgrade() -> None:
    op.execute("DELETE FROM probe_part_item")
'''


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def _fake_part(site: Path, revision: str | None) -> None:
    package = site / "probe_fakepart"
    _write(package, "__init__.py", '"""fake part"""\n')
    migrations = package / "migrations"
    _write(migrations, "__init__.py", '"""fake part migrations"""\n')
    if revision is not None:
        _write(migrations, "0001_fakepart.py", revision)
    _write(
        package,
        "part.py",
        """
        from govparts.core.parts import Part

        PART = Part(
            name="fakepart",
            version="0.1.0",
            title={"zh_Hans_CN": "假部件", "en": "Fake part", "ug_CN": "ساختا قىسىم"},
            migrations="probe_fakepart.migrations",
        )
        """,
    )


@pytest.fixture
def fake_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str | None], None]]:
    """Installs a fake part (package ``probe_fakepart`` on sys.path) with the revision it is given."""
    site = tmp_path / "site"
    monkeypatch.syspath_prepend(str(site))
    entry = EntryPoint(name="fakepart", value="probe_fakepart.part:PART", group=parts.ENTRY_POINT_GROUP)
    monkeypatch.setattr(parts, "entry_points", lambda group: [entry] if group == entry.group else [])
    yield lambda revision: _fake_part(site, revision)
    for name in [m for m in sys.modules if m.startswith("probe_fakepart")]:
        del sys.modules[name]


@pytest.fixture
def synthetic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_part: Callable[[str | None], None]
) -> Path:
    """A core branch in a temporary folder and a fake part whose branch depends on it."""
    core_versions = tmp_path / "core_versions"
    _write(core_versions, "0001_core.py", SYNTHETIC_CORE)
    monkeypatch.setattr(migrate, "CORE_VERSIONS", core_versions)
    fake_part(SYNTHETIC_PART)
    return tmp_path


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_applies_core_and_every_part_branch(synthetic: Path, db_url: str) -> None:
    """Applies core's branch, then the part's branch that depends on it, to an empty database."""
    assert [r.id for r in migrate.pending(db_url)] == [CORE_REV, PART_REV]
    applied = migrate.upgrade(db_url)
    assert [(r.id, r.part) for r in applied] == [(CORE_REV, "core"), (PART_REV, "fakepart")]
    assert migrate.heads() == (CORE_REV, PART_REV)
    # Alembic records the tip only: the part's revision implies the core revision it depends on.
    assert migrate.current(db_url) == (PART_REV,)
    assert migrate.pending(db_url) == []
    assert {"probe_core_thing", "probe_part_item"} <= _tables(db_url)


def test_second_upgrade_is_a_no_op(synthetic: Path, db_url: str) -> None:
    """Applies nothing and keeps the version when the database is already at every head."""
    migrate.upgrade(db_url)
    assert migrate.upgrade(db_url) == []
    assert migrate.current(db_url) == (PART_REV,)


def test_history_names_the_part_and_branch_of_each_revision(synthetic: Path) -> None:
    """Lists every revision after those it builds on, with its part, branch and dependencies."""
    history = migrate.history()
    assert [r.id for r in history] == [CORE_REV, PART_REV]
    part_rev = history[1]
    assert part_rev.part == "fakepart"
    assert part_rev.branch_labels == ("fakepart",)
    assert part_rev.depends_on == ("core",)
    assert part_rev.message == "fake part items"
    assert part_rev.is_head


def test_version_locations_are_core_and_each_part_folder(synthetic: Path) -> None:
    """Finds core's versions folder and the folder of the part's migrations package."""
    locations = migrate.version_locations()
    assert list(locations) == ["core", "fakepart"]
    assert locations["fakepart"] == synthetic / "site" / "probe_fakepart" / "migrations"


def test_part_branch_alone_brings_the_core_revision_it_depends_on(synthetic: Path, db_url: str) -> None:
    """Upgrading to the part's head applies core's revision first, because the part depends on it."""
    applied = migrate.upgrade(db_url, "fakepart@head")
    assert [r.id for r in applied] == [CORE_REV, PART_REV]


def test_unknown_target_is_refused_and_nothing_is_written(synthetic: Path, db_url: str) -> None:
    """Refuses a target no branch knows, naming the field, before touching the database."""
    with pytest.raises(InvalidInput) as caught:
        migrate.upgrade(db_url, "nopart@head")
    assert caught.value.details["got"] == "nopart@head"
    with pytest.raises(InvalidInput) as caught:
        migrate.pending(db_url, "0123456789ab")
    assert caught.value.field == "target"
    assert "alembic_version" not in _tables(db_url)


def test_database_at_a_revision_no_installed_part_provides_is_refused(
    synthetic: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names the revision of an uninstalled part instead of failing inside Alembic."""
    migrate.upgrade(db_url)
    monkeypatch.setattr(parts, "entry_points", lambda group: [])
    with pytest.raises(ConfigurationError) as caught:
        migrate.upgrade(db_url)
    assert caught.value.details["got"] == PART_REV
    assert caught.value.field == "alembic_version"


def test_rebuilding_a_referenced_table_keeps_its_rows_and_references(synthetic: Path, db_url: str) -> None:
    """Rebuilds a table other tables point at (batch mode on SQLite) without losing a row."""
    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO probe_core_thing (id, name) VALUES (7, 'seven')")
            conn.exec_driver_sql("INSERT INTO probe_part_item (id, thing_id) VALUES (1, 7)")
        _write(synthetic / "core_versions", "0002_core.py", SYNTHETIC_CORE_2)
        applied = migrate.upgrade(engine)
        assert [r.id for r in applied] == [CORE_REV_2]
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT t.name, t.note FROM probe_part_item i JOIN probe_core_thing t ON t.id = i.thing_id"
            ).all()
        assert rows == [("seven", None)]
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_revision_leaving_a_dangling_reference_is_rolled_back(
    synthetic: Path, db_url: str, govparts_db_backend: str
) -> None:
    """Rolls the whole run back when a revision leaves a row pointing at nothing."""
    migrate.upgrade(db_url)
    _write(synthetic / "core_versions", "0002_core.py", ORPHAN_MAKER)
    # SQLite checks references only when asked (PRAGMA foreign_key_check); PostgreSQL at once.
    sqlite = govparts_db_backend == "sqlite"
    with pytest.raises(IntegrityViolation if sqlite else sa.exc.IntegrityError) as caught:
        migrate.upgrade(db_url)
    if isinstance(caught.value, IntegrityViolation):
        assert caught.value.field == "probe_part_item"
        assert caught.value.details["parent"] == "probe_core_thing"
    assert migrate.current(db_url) == (PART_REV,)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM probe_part_item").scalar() == 0
    finally:
        engine.dispose()


def test_part_whose_migrations_cannot_be_imported_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names the part and its missing migrations package."""
    broken = parts.Part(
        name="broken", version="0.1.0", title={"zh_Hans_CN": "坏"}, migrations="probe_no_such.migrations"
    )
    monkeypatch.setattr(parts, "iter_parts", lambda: iter([broken]))
    with pytest.raises(ConfigurationError) as caught:
        migrate.version_locations()
    assert caught.value.field == "broken.migrations"


def test_offline_sql_generation_is_refused(synthetic: Path) -> None:
    """Refuses to render SQL scripts instead of migrating a database."""
    from alembic import command

    with pytest.raises(ConfigurationError) as caught:
        command.upgrade(migrate.config("sqlite://"), "heads", sql=True)
    assert caught.value.field == "sql"


# --- core's own revisions -------------------------------------------------------------------------

_CORE_TABLES_SCRIPT = """
import govparts.core.audit, govparts.core.events, govparts.core.process
from govparts.core.db import metadata
print("\\n".join(sorted(metadata.tables)))
"""


def _core_tables() -> set[str]:
    # The tables core itself defines: what a fresh interpreter registers after importing core's
    # table-defining modules (this test process may also hold tables of other tests).
    out = subprocess.run(
        [sys.executable, "-c", _CORE_TABLES_SCRIPT], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_core_revisions_build_exactly_the_core_tables(db_url: str) -> None:
    """Upgrades an empty database to core's head and finds no difference from core's table models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import govparts.core.audit
    import govparts.core.events
    import govparts.core.process  # noqa: F401 - registers core's tables in metadata

    core_tables = _core_tables()
    assert core_tables, "core defines tables"
    applied = migrate.upgrade(db_url)
    assert applied, "core has revisions"
    assert {r.part for r in applied} >= {"core"}
    assert core_tables <= _tables(db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_object": lambda obj, name, type_, reflected, compare_to: (
                        type_ != "table" or name in core_tables
                    ),
                },
            )
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_core_revisions_upgrade_once(db_url: str) -> None:
    """Applies core's revisions once; the second run applies nothing and keeps the heads."""
    migrate.upgrade(db_url)
    recorded = migrate.current(db_url)
    assert recorded
    assert migrate.pending(db_url) == []
    assert migrate.upgrade(db_url) == []
    assert migrate.current(db_url) == recorded


ON_REAL_CORE = """
\"\"\"fake part rows pointing at audit records\"\"\"
import sqlalchemy as sa
from alembic import op

revision = "fa4e00000009"
down_revision = None
branch_labels = ("fakepart",)
depends_on = "core"


def upgrade() -> None:
    op.create_table(
        "probe_part_note",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("audit_seq", sa.BigInteger, sa.ForeignKey("core_audit_record.seq"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("probe_part_note")
"""


def test_part_branch_on_core_brings_core_first(fake_part: Callable[[str | None], None], db_url: str) -> None:
    """Applies core's real revisions before a part branch whose tables point at core's."""
    fake_part(ON_REAL_CORE)
    applied = migrate.upgrade(db_url, "fakepart@head")
    assert applied[-1].id == "fa4e00000009"
    assert {r.part for r in applied[:-1]} == {"core"}
    assert {"core_audit_record", "probe_part_note"} <= _tables(db_url)
    assert migrate.pending(db_url, "fakepart@head") == []


def test_core_revisions_apply_on_top_of_which_part_branches_grow() -> None:
    """Labels core's first revision with the branch name parts depend on."""
    core = [r for r in migrate.history() if r.part == "core"]
    assert core
    assert all(migrate.CORE_BRANCH in r.branch_labels for r in core)


# --- writing a part's revision ----------------------------------------------------------------------

_AUTHOR_SCRIPT = """
import sys
from importlib.metadata import EntryPoint
from alembic import command
from sqlmodel import Field, SQLModel
from govparts.core import migrate, parts
from govparts.core.db import MoneyType
from govparts.core.money import Money

url, site = sys.argv[1], sys.argv[2]
sys.path.insert(0, site)
entry = EntryPoint(name="fakepart", value="probe_fakepart.part:PART", group=parts.ENTRY_POINT_GROUP)
parts.entry_points = lambda group: [entry] if group == entry.group else []


class Salary(SQLModel, table=True):
    __tablename__ = "probe_author_salary"
    id: int | None = Field(default=None, primary_key=True)
    person: str = Field(max_length=100)
    amount: Money = Field(sa_type=MoneyType)


migrate.upgrade(url)
command.revision(
    migrate.config(url), "probe salaries", autogenerate=True, head="base", branch_label="fakepart",
    depends_on="core", version_path=f"{site}/probe_fakepart/migrations", rev_id="fa4e0000000a",
)
"""


def test_autogenerated_part_revision_imports_what_it_uses_and_applies(
    fake_part: Callable[[str | None], None], db_url: str, tmp_path: Path
) -> None:
    """Writes a part's first revision from its table model, importing the column types it names."""
    fake_part(None)
    site = tmp_path / "site"
    scratch = f"sqlite:///{tmp_path / 'author.db'}"
    command = [sys.executable, "-c", _AUTHOR_SCRIPT, scratch, str(site)]
    author = subprocess.run(command, check=False, capture_output=True, text=True)
    assert author.returncode == 0, author.stderr
    (written,) = (site / "probe_fakepart" / "migrations").glob("fa4e0000000a_*.py")
    text = written.read_text(encoding="utf-8")
    # Quotes depend on whether ruff was there to format the file; the value is what matters.
    assert re.search(r"""branch_labels: str \| Sequence\[str\] \| None = \(["']fakepart["'],\)""", text)
    assert "import sqlmodel.sql.sqltypes" in text
    assert "import govparts.core.db" in text
    applied = migrate.upgrade(db_url)
    assert [r.id for r in applied if r.part != "core"] == ["fa4e0000000a"]
    assert "probe_author_salary" in _tables(db_url)
