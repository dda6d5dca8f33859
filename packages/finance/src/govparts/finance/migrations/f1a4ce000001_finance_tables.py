"""finance tables: periods, balances, accounts, vouchers, ledger, chain, counters, budget, claims

Revision ID: f1a4ce000001
Revises:
Create Date: 2026-11-25 20:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1a4ce000001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("finance",)
depends_on: str | Sequence[str] | None = "core"

# Written out here rather than imported: a revision must keep meaning what it meant when written.
_TIME = sa.DateTime(timezone=True)
_APPEND_ONLY = {
    "sqlite": tuple(
        f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for table in ("finance_entry", "finance_chain")
        for verb in ("UPDATE", "DELETE")
    ),
    "postgresql": tuple(
        statement
        for table in ("finance_entry", "finance_chain")
        for statement in (
            f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{table} is append-only' USING ERRCODE = 'restrict_violation'; END $$",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
        )
    ),
}


def upgrade() -> None:

    op.create_table(
        "finance_balance",
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("period", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account", sa.String(length=20), nullable=False),
        sa.Column("system", sa.String(length=10), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("org", "period", "account", name=op.f("pk_finance_balance")),
    )
    op.create_table(
        "finance_chain",
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("voucher_id", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", _TIME, nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=False),
        sa.Column("alg", sa.String(length=16), nullable=False),
        sa.Column("prev_hash", sa.String(length=128), nullable=False),
        sa.Column("hash", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("org", "seq", name=op.f("pk_finance_chain")),
        sa.UniqueConstraint("voucher_id", name=op.f("uq_finance_chain_voucher_id")),
    )
    op.create_table(
        "finance_chain_head",
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("org", name=op.f("pk_finance_chain_head")),
    )
    op.create_table(
        "finance_counter",
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("org", "year", "month", name=op.f("pk_finance_counter")),
    )
    op.create_table(
        "finance_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("voucher_id", sa.String(length=40), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("system", sa.String(length=10), nullable=False),
        sa.Column("account", sa.String(length=20), nullable=False),
        sa.Column("side", sa.String(length=6), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("project", sa.String(length=64), nullable=True),
        sa.Column("func_class", sa.String(length=16), nullable=True),
        sa.Column("econ_class", sa.String(length=16), nullable=True),
        sa.Column("payee", sa.String(length=100), nullable=True),
        sa.Column("fund", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_entry")),
    )
    op.create_index(
        "ix_finance_entry_org_period_account", "finance_entry", ["org", "period", "account"], unique=False
    )
    op.create_index("ix_finance_entry_voucher", "finance_entry", ["voucher_id"], unique=False)
    op.create_table(
        "finance_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("project", sa.String(length=64), nullable=False),
        sa.Column("econ_class", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("control", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_indicator")),
        sa.UniqueConstraint("org", "year", "project", "econ_class", name="key"),
    )
    op.create_table(
        "finance_period",
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("closed_at", _TIME, nullable=True),
        sa.Column("closed_by", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("org", "year", "month", name=op.f("pk_finance_period")),
    )
    op.create_table(
        "finance_reimbursement",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("claim", sa.String(length=4000), nullable=False),
        sa.Column("commitment_id", sa.String(length=40), nullable=True),
        sa.Column("voucher_id", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_reimbursement")),
    )
    op.create_index(op.f("ix_finance_reimbursement_state"), "finance_reimbursement", ["state"], unique=False)
    op.create_table(
        "finance_sub_account",
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("parent", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("org", "code", name=op.f("pk_finance_sub_account")),
    )
    op.create_table(
        "finance_voucher",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org", sa.String(length=100), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("exemption", sa.String(length=32), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("preparer", sa.String(length=100), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("poster", sa.String(length=100), nullable=True),
        sa.Column("reverses", sa.String(length=40), nullable=True),
        sa.Column("commitment_id", sa.String(length=40), nullable=True),
        sa.Column("warnings", sa.String(length=2000), nullable=False),
        sa.Column("hash", sa.String(length=128), nullable=True),
        sa.Column("posted_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_voucher")),
        sa.UniqueConstraint("org", "year", "month", "number", name="number"),
        sa.UniqueConstraint("reverses", name=op.f("uq_finance_voucher_reverses")),
    )
    op.create_index(
        "ix_finance_voucher_org_period", "finance_voucher", ["org", "year", "month"], unique=False
    )
    op.create_index(op.f("ix_finance_voucher_state"), "finance_voucher", ["state"], unique=False)
    op.create_table(
        "finance_commitment",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("released", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["finance_indicator.id"],
            name=op.f("fk_finance_commitment_indicator_id_finance_indicator"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_commitment")),
    )
    op.create_table(
        "finance_voucher_line",
        sa.Column("voucher_id", sa.String(length=40), nullable=False),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("system", sa.String(length=10), nullable=False),
        sa.Column("account", sa.String(length=20), nullable=False),
        sa.Column("side", sa.String(length=6), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("project", sa.String(length=64), nullable=True),
        sa.Column("func_class", sa.String(length=16), nullable=True),
        sa.Column("econ_class", sa.String(length=16), nullable=True),
        sa.Column("payee", sa.String(length=100), nullable=True),
        sa.Column("fund", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["voucher_id"],
            ["finance_voucher.id"],
            name=op.f("fk_finance_voucher_line_voucher_id_finance_voucher"),
        ),
        sa.PrimaryKeyConstraint("voucher_id", "line_no", name=op.f("pk_finance_voucher_line")),
    )
    for statement in _APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("finance_entry", "finance_chain"):
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only() CASCADE")

    op.drop_table("finance_voucher_line")
    op.drop_table("finance_commitment")
    op.drop_index(op.f("ix_finance_voucher_state"), table_name="finance_voucher")
    op.drop_index("ix_finance_voucher_org_period", table_name="finance_voucher")
    op.drop_table("finance_voucher")
    op.drop_table("finance_sub_account")
    op.drop_index(op.f("ix_finance_reimbursement_state"), table_name="finance_reimbursement")
    op.drop_table("finance_reimbursement")
    op.drop_table("finance_period")
    op.drop_table("finance_indicator")
    op.drop_index("ix_finance_entry_voucher", table_name="finance_entry")
    op.drop_index("ix_finance_entry_org_period_account", table_name="finance_entry")
    op.drop_table("finance_entry")
    op.drop_table("finance_counter")
    op.drop_table("finance_chain_head")
    op.drop_table("finance_chain")
    op.drop_table("finance_balance")
