"""The assets part's Alembic revisions build exactly the tables its models describe."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import govparts.assets.tables  # noqa: F401 - registers the part's tables in metadata
from govparts.core import migrate
from govparts.core.db import create_engine, metadata


def test_revisions_build_the_part_tables(db_url: str) -> None:
    """Upgrades an empty database to every head and finds no difference from the assets tables."""
    applied = migrate.upgrade(db_url)
    assert "assets" in {r.part for r in applied}
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_object": lambda obj, name, type_, reflected, compare_to: (
                        type_ != "table" or str(name).startswith("assets_")
                    ),
                    "include_name": lambda name, type_, parent: (
                        type_ != "table" or str(name).startswith("assets_")
                    ),
                },
            )
            diff = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert diff == []
    assert migrate.pending(db_url) == []


def test_revisions_follow_each_other_on_the_assets_branch() -> None:
    """Chains the tables, usage and book revisions on the ``assets`` branch, the last as its head."""
    ours = [r for r in migrate.history() if r.part == "assets"]
    by_id = {r.id: r for r in ours}
    assert set(by_id) == {"a55e7a000001", "a55e7a000002", "a55e7a000003", "a55e7a000004"}
    assert by_id["a55e7a000002"].down_revisions == ("a55e7a000001",)
    assert by_id["a55e7a000003"].down_revisions == ("a55e7a000002",)
    assert by_id["a55e7a000004"].down_revisions == ("a55e7a000003",)
    assert [r.id for r in ours if r.is_head] == ["a55e7a000004"]
    assert "assets" in by_id["a55e7a000004"].branch_labels


def test_usage_revision_upgrades_the_first_and_downgrades_back(db_url: str) -> None:
    """Adds ``total_units`` and ``assets_usage`` to a database at the first revision, and removes them."""
    from alembic import command

    migrate.upgrade(db_url, "a55e7a000001")
    applied = migrate.upgrade(db_url, "a55e7a000002")
    assert [r.id for r in applied if r.part == "assets"] == ["a55e7a000002"]
    command.downgrade(migrate.config(db_url), "a55e7a000001")
    engine = create_engine(db_url)
    try:
        inspector = sa.inspect(engine)
        names = inspector.get_table_names()
        columns = {c["name"] for c in inspector.get_columns("assets_asset")}
    finally:
        engine.dispose()
    assert "assets_usage" not in names
    assert "total_units" not in columns
    assert "assets_history" in names


def _reflected(conn: sa.Connection, name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), autoload_with=conn)


ASSET_ROW = {
    "id": 1,
    "asset_code": "PC-1",
    "organization_credit_code": "91350100M000100Y43",
    "category": "2010000",
    "name": "台式计算机",
    "specification": "",
    "quantity": 1,
    "unit_of_measure": "台",
    "original_value": 720000,
    "book_value": 720000,
    "acquisition_date": date(2024, 3, 1),
    "acquisition_method": "purchase",
    "funding_source": "fiscal",
    "paying_account": "",
    "using_unit": "",
    "location": "",
    "depreciation_method": "straight_line",
    "measured_at_nominal": False,
    "non_depreciable": False,
    "depreciable": True,
    "expense_account": "5001",
    "accumulated_account": "1602",
    "attachments": [],
    "seg_start": 0,
    "seg_months": 0,
    "seg_base_fen": 0,
    "seg_monthly_fen": 0,
    "state": "in_stock",
    "version": 1,
}


def test_book_revision_keeps_history_and_downgrades_back(db_url: str) -> None:
    """Fills the new history column with 0 for rows already there and removes the new columns again."""
    from alembic import command

    migrate.upgrade(db_url, "a55e7a000002")
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            asset = sa.Table(
                "assets_asset", sa.MetaData(), sa.Column("attachments", sa.JSON), autoload_with=conn
            )
            conn.execute(sa.insert(asset), [ASSET_ROW])
            history = {"asset_id": 1, "kind": "registered", "on": date(2024, 3, 15), "value": 720000}
            conn.execute(sa.insert(_reflected(conn, "assets_history")), [{**history, "life_months": 72}])
        applied = migrate.upgrade(db_url, "a55e7a000003")
        assert [r.id for r in applied if r.part == "assets"] == ["a55e7a000003"]
        with engine.begin() as conn:
            stored = conn.execute(sa.select(_reflected(conn, "assets_history").c.accumulated_fen))
            assert stored.scalars().all() == [0]
            take = {"id": 1, "organization_credit_code": "91350100M000100Y43", "name": "年终清查"}
            conn.execute(
                sa.insert(_reflected(conn, "assets_stocktake")),
                [{**take, "planned_on": date(2024, 6, 1), "state": "reconciled", "version": 2}],
            )
            finding = {"stocktake_id": 1, "kind": "book_difference", "asset_code": "", "book_location": ""}
            conn.execute(
                sa.insert(_reflected(conn, "assets_stocktake_finding")),
                [{**finding, "counted_location": "", "book_value": 100, "status": "open", "account": "1601"}],
            )
        command.downgrade(migrate.config(db_url), "a55e7a000002")
        inspector = sa.inspect(engine)
        history_columns = {c["name"] for c in inspector.get_columns("assets_history")}
        finding_columns = {c["name"] for c in inspector.get_columns("assets_stocktake_finding")}
        with engine.begin() as conn:
            kept = conn.execute(sa.text("SELECT count(*) FROM assets_history")).scalar()
    finally:
        engine.dispose()
    assert "accumulated_fen" not in history_columns
    assert not {"account", "card_total", "ledger_balance", "as_of"} & finding_columns
    assert kept == 1


def test_organisation_revision_fills_custodians_and_return_tasks(db_url: str) -> None:
    """Fills a card's custodian organisation and citizen id and a return task's person org, and back."""
    from alembic import command

    org, elsewhere = "91350100M000100Y43", "12650102MB00000225"
    custodian = {
        "person_id": "P-0001",
        "organization_credit_code": elsewhere,
        "name": "阿依古丽·艾力",
        "citizen_id": "650102198501010027",
    }
    migrate.upgrade(db_url, "a55e7a000003")
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            asset = sa.Table(
                "assets_asset", sa.MetaData(), sa.Column("custodian", sa.JSON), autoload_with=conn
            )
            conn.execute(
                sa.insert(asset),
                [
                    {**ASSET_ROW, "state": "in_use", "custodian_id": "P-0001", "custodian": custodian},
                    {**ASSET_ROW, "id": 2, "asset_code": "PC-2", "custodian_id": None, "custodian": None},
                ],
            )
            task = {"reason": "03", "status": "open", "event_id": "evt-1"}
            conn.execute(
                sa.insert(_reflected(conn, "assets_return_task")),
                [
                    {**task, "asset_id": 1, "person_id": "P-0001"},
                    {**task, "asset_id": 2, "person_id": "P-0009"},
                ],
            )
        applied = migrate.upgrade(db_url)
        assert [r.id for r in applied if r.part == "assets"] == ["a55e7a000004"]
        with engine.begin() as conn:
            a = _reflected(conn, "assets_asset").c
            cards = conn.execute(
                sa.select(a.id, a.custodian_org, a.custodian_citizen_id).order_by(a.id)
            ).all()
            r = _reflected(conn, "assets_return_task").c
            tasks = conn.execute(sa.select(r.asset_id, r.person_org).order_by(r.asset_id)).all()
        command.downgrade(migrate.config(db_url), "a55e7a000003")
        columns = {c["name"] for c in sa.inspect(engine).get_columns("assets_asset")}
    finally:
        engine.dispose()
    assert [tuple(x) for x in cards] == [(1, elsewhere, "650102198501010027"), (2, None, None)]
    assert [tuple(x) for x in tasks] == [(1, elsewhere), (2, org)]
    assert not {"custodian_org", "custodian_citizen_id"} & columns
