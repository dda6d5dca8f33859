"""SQLModel tables of the reference implementation (names prefixed ``finance_``; money as whole fen).

* ``finance_period``: the monthly periods of an organisation, open or closed.
* ``finance_sub_account``: organisations' sub-accounts below the standard chart.
* ``finance_voucher`` (:class:`~govparts.core.process.Stateful`): vouchers and where they stand.
* ``finance_voucher_line``: the lines of vouchers not yet posted (drafts may change).
* ``finance_entry``: the posted ledger, append-only (:func:`govparts.core.db.make_append_only`:
  triggers refuse UPDATE, DELETE, TRUNCATE, INSERT OR REPLACE and REPLACE); reports aggregate it in SQL.
* ``finance_chain`` / ``finance_chain_head``: the hash chain of postings per organisation; the head
  row is locked by every posting, which also serialises voucher numbering.
* ``finance_counter``: the last voucher number per organisation and period.
* ``finance_indicator`` / ``finance_commitment``: budget indicators and open commitments.
* ``finance_reimbursement`` (Stateful): reimbursement claims.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from govparts.core.db import MoneyType, UTCDateTime, make_append_only, metadata
from govparts.core.money import Money
from govparts.core.process import Stateful

__all__ = [
    "BALANCE",
    "CHAIN",
    "COMMITMENT",
    "COUNTER",
    "ENTRY",
    "HEAD",
    "INDICATOR",
    "LINE",
    "PERIOD",
    "SUB_ACCOUNT",
    "VOUCHER",
    "FinanceBalance",
    "FinanceChain",
    "FinanceChainHead",
    "FinanceCommitment",
    "FinanceCounter",
    "FinanceEntry",
    "FinanceIndicator",
    "FinancePeriod",
    "FinanceReimbursement",
    "FinanceSubAccount",
    "FinanceVoucher",
    "FinanceVoucherLine",
]


class FinancePeriod(SQLModel, table=True):
    """A monthly accounting period of an organisation (会计期间)."""

    __tablename__ = "finance_period"

    org: str = Field(primary_key=True, max_length=100)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    month: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    closed: bool = False
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: str | None = Field(default=None, max_length=100)


class FinanceSubAccount(SQLModel, table=True):
    """A sub-account (明细科目) of an organisation below a standard account."""

    __tablename__ = "finance_sub_account"

    org: str = Field(primary_key=True, max_length=100)
    code: str = Field(primary_key=True, max_length=20)
    parent: str = Field(max_length=20)
    name: str = Field(max_length=200)
    opened_on: date
    closed_on: date | None = None


class FinanceVoucher(Stateful, table=True):
    """A voucher; ``number`` and ``chain_seq`` are set when it is posted."""

    __tablename__ = "finance_voucher"
    __table_args__ = (
        # Also the index of a period's vouchers: (org, year, month) is its prefix.
        sa.UniqueConstraint("org", "year", "month", "number", name="number"),
    )

    id: str = Field(primary_key=True, max_length=40)
    org: str = Field(max_length=100)
    date: date
    year: int
    month: int
    summary: str = Field(max_length=200)
    kind: str = Field(default="normal", max_length=16)
    exemption: str | None = Field(default=None, max_length=32)
    number: int | None = None
    preparer: str = Field(max_length=100)
    reviewer: str | None = Field(default=None, max_length=100)
    poster: str | None = Field(default=None, max_length=100)
    reverses: str | None = Field(default=None, max_length=40, unique=True)
    commitment_id: str | None = Field(default=None, max_length=40)
    warnings: str = Field(default="", max_length=2000)
    hash: str | None = Field(default=None, max_length=128)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FinanceVoucherLine(SQLModel, table=True):
    """A line of a voucher not yet posted."""

    __tablename__ = "finance_voucher_line"

    voucher_id: str = Field(primary_key=True, max_length=40, foreign_key="finance_voucher.id")
    line_no: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    system: str = Field(max_length=10)
    account: str = Field(max_length=20)
    side: str = Field(max_length=6)
    amount: Money = Field(sa_type=MoneyType)
    summary: str = Field(default="", max_length=200)
    unit: str | None = Field(max_length=64, default=None, nullable=True)
    project: str | None = Field(max_length=64, default=None, nullable=True)
    func_class: str | None = Field(max_length=16, default=None, nullable=True)
    econ_class: str | None = Field(max_length=16, default=None, nullable=True)
    payee: str | None = Field(max_length=100, default=None, nullable=True)
    fund: str | None = Field(max_length=10, default=None, nullable=True)


class FinanceEntry(SQLModel, table=True):
    """A posted line (the ledger). Append-only; org and period are repeated for set-based reports."""

    __tablename__ = "finance_entry"
    __table_args__ = (
        sa.Index("ix_finance_entry_org_period_account", "org", "period", "account"),
        sa.Index("ix_finance_entry_voucher", "voucher_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    voucher_id: str = Field(max_length=40)
    line_no: int
    org: str = Field(max_length=100)
    period: int
    """``year * 100 + month``."""
    date: date
    number: int
    kind: str = Field(max_length=16)
    system: str = Field(max_length=10)
    account: str = Field(max_length=20)
    side: str = Field(max_length=6)
    amount: Money = Field(sa_type=MoneyType)
    summary: str = Field(default="", max_length=200)
    unit: str | None = Field(max_length=64, default=None, nullable=True)
    project: str | None = Field(max_length=64, default=None, nullable=True)
    func_class: str | None = Field(max_length=16, default=None, nullable=True)
    econ_class: str | None = Field(max_length=16, default=None, nullable=True)
    payee: str | None = Field(max_length=100, default=None, nullable=True)
    fund: str | None = Field(max_length=10, default=None, nullable=True)


class FinanceBalance(SQLModel, table=True):
    """Debit and credit totals (fen) per organisation, period and account, kept up to date by every
    posting in the same transaction: the trial balance reads these few rows, not the whole ledger."""

    __tablename__ = "finance_balance"

    org: str = Field(primary_key=True, max_length=100)
    period: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    account: str = Field(primary_key=True, max_length=20)
    system: str = Field(max_length=10)
    debit: int = Field(sa_type=sa.BigInteger)
    credit: int = Field(sa_type=sa.BigInteger)


class FinanceChainHead(SQLModel, table=True):
    """The head of an organisation's posting chain: last sequence number and hash."""

    __tablename__ = "finance_chain_head"

    org: str = Field(primary_key=True, max_length=100)
    seq: int = Field(sa_type=sa.BigInteger)
    hash: str = Field(max_length=128)


class FinanceChain(SQLModel, table=True):
    """One posting in the chain: its hash covers the voucher, its lines and the previous hash."""

    __tablename__ = "finance_chain"

    org: str = Field(primary_key=True, max_length=100)
    seq: int = Field(primary_key=True, sa_type=sa.BigInteger, sa_column_kwargs={"autoincrement": False})
    voucher_id: str = Field(max_length=40, unique=True)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    actor_id: str = Field(max_length=100)
    alg: str = Field(max_length=16)
    prev_hash: str = Field(max_length=128)
    hash: str = Field(max_length=128)


class FinanceCounter(SQLModel, table=True):
    """The last voucher number given in an organisation's period."""

    __tablename__ = "finance_counter"

    org: str = Field(primary_key=True, max_length=100)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    month: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = 0


class FinanceIndicator(SQLModel, table=True):
    """A budget indicator (预算指标) and its control action."""

    __tablename__ = "finance_indicator"
    __table_args__ = (sa.UniqueConstraint("org", "year", "project", "econ_class", name="key"),)

    id: int | None = Field(default=None, primary_key=True)
    org: str = Field(max_length=100)
    year: int
    project: str = Field(max_length=64)
    econ_class: str = Field(max_length=16)
    amount: Money = Field(sa_type=MoneyType)
    control: str = Field(max_length=8)


class FinanceCommitment(SQLModel, table=True):
    """An amount committed against an indicator (an approved claim) until its voucher is posted."""

    __tablename__ = "finance_commitment"

    id: str = Field(primary_key=True, max_length=40)
    indicator_id: int = Field(foreign_key="finance_indicator.id")
    amount: Money = Field(sa_type=MoneyType)
    released: bool = False


class FinanceReimbursement(Stateful, table=True):
    """A reimbursement claim (报销) moving through submit → review → approve → pay."""

    __tablename__ = "finance_reimbursement"

    id: str = Field(primary_key=True, max_length=40)
    org: str = Field(max_length=100)
    claim: str = Field(max_length=4000)
    """The claim as JSON (:class:`~govparts.finance.models.ReimbursementClaim`)."""
    commitment_id: str | None = Field(default=None, max_length=40)
    voucher_id: str | None = Field(default=None, max_length=40)


PERIOD: sa.Table = metadata.tables["finance_period"]
BALANCE: sa.Table = metadata.tables["finance_balance"]
SUB_ACCOUNT: sa.Table = metadata.tables["finance_sub_account"]
VOUCHER: sa.Table = metadata.tables["finance_voucher"]
LINE: sa.Table = metadata.tables["finance_voucher_line"]
ENTRY: sa.Table = metadata.tables["finance_entry"]
HEAD: sa.Table = metadata.tables["finance_chain_head"]
CHAIN: sa.Table = metadata.tables["finance_chain"]
COUNTER: sa.Table = metadata.tables["finance_counter"]
INDICATOR: sa.Table = metadata.tables["finance_indicator"]
COMMITMENT: sa.Table = metadata.tables["finance_commitment"]

# The posted ledger and the posting chain are append-only (core's one mechanism: triggers refuse
# UPDATE, DELETE, TRUNCATE, and on SQLite also INSERT OR REPLACE / REPLACE of a taken key).
make_append_only(ENTRY)
make_append_only(CHAIN)
