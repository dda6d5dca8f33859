"""The finance service: the :class:`FinanceService` Protocol and its reference implementation.

A vendor implements :class:`FinanceService`; the conformance suite (``govparts.finance.conformance``)
checks any implementation through it alone. :class:`ReferenceService` is govparts' own, on SQLite or
PostgreSQL; :func:`reference_factory` builds one on a fresh SQLite database in a temporary folder.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from govparts.core.security import Actor

from ._service import ReferenceService
from .models import (
    BalanceSheet,
    BudgetStatement,
    ChainReport,
    IncomeStatement,
    Indicator,
    IndicatorExecution,
    LedgerLine,
    Reconciliation,
    Reimbursement,
    ReimbursementClaim,
    SubAccount,
    TrialBalance,
    Voucher,
    VoucherDraft,
)

__all__ = ["FinanceService", "ReferenceService", "reference_factory"]


class FinanceService(Protocol):
    """What an implementation of the finance part offers (政府会计制度, 财会〔2017〕25号).

    Many offices share one database: every method but :meth:`capabilities` is scoped by the
    organisation it names (``org``, the ``org`` of the draft, claim, indicator or sub-account, or
    the organisation of the voucher or claim id) and refuses an ``actor`` of another organisation
    with ``OrganizationDenied`` before it reads or writes anything (FIN-036). A
    ``cross-org-auditor`` may call the reading methods for another organisation; each such read
    is audited. Periods, voucher numbers, indicators and balances are per organisation.
    ``handle_asset_event`` with no actor acts as the dispatcher (a system actor) for the
    organisation the event names.
    """

    def capabilities(self) -> Any: ...
    def open_year(self, org: str, year: int, actor: Actor) -> None: ...
    def close_period(self, org: str, year: int, month: int, actor: Actor) -> None: ...
    def add_sub_account(self, account: SubAccount, actor: Actor) -> SubAccount: ...
    def create_voucher(self, draft: VoucherDraft, actor: Actor) -> Voucher: ...
    def review_voucher(self, voucher_id: str, actor: Actor) -> Voucher: ...
    def post_voucher(self, voucher_id: str, actor: Actor) -> Voucher: ...
    def reverse_voucher(
        self, voucher_id: str, on: date, actor: Actor, summary: str | None = None
    ) -> Voucher: ...
    def get_voucher(self, voucher_id: str, actor: Actor) -> Voucher: ...
    def vouchers(self, org: str, year: int, month: int, actor: Actor) -> list[Voucher]: ...
    def post_batch(self, drafts: Sequence[VoucherDraft], actor: Actor) -> list[str]: ...
    def verify_chain(self, org: str, actor: Actor) -> ChainReport: ...
    def set_indicator(self, indicator: Indicator, actor: Actor) -> Indicator: ...
    def budget_execution(self, org: str, year: int, actor: Actor) -> list[IndicatorExecution]: ...
    def submit_reimbursement(self, claim: ReimbursementClaim, actor: Actor) -> Reimbursement: ...
    def review_reimbursement(self, reimbursement_id: str, actor: Actor) -> Reimbursement: ...
    def approve_reimbursement(self, reimbursement_id: str, actor: Actor) -> Reimbursement: ...
    def pay_reimbursement(self, reimbursement_id: str, actor: Actor) -> Reimbursement: ...
    def trial_balance(self, org: str, year: int, month: int, actor: Actor) -> TrialBalance: ...
    def balance_sheet(self, org: str, year: int, month: int, actor: Actor) -> BalanceSheet: ...
    def income_statement(
        self, org: str, year: int, month: int, actor: Actor, from_month: int = 1
    ) -> IncomeStatement: ...
    def budget_statement(
        self, org: str, year: int, month: int, actor: Actor, from_month: int = 1
    ) -> BudgetStatement: ...
    def reconciliation(
        self, org: str, year: int, month: int, actor: Actor, from_month: int = 1
    ) -> Reconciliation: ...
    def ledger(
        self, org: str, account: str, year: int, actor: Actor, month: int | None = None
    ) -> list[LedgerLine]: ...
    def close_year(self, org: str, year: int, actor: Actor) -> Voucher | None: ...
    def handle_asset_event(self, event: Any, actor: Actor | None = None) -> Voucher | None: ...


@contextmanager
def reference_factory() -> Iterator[ReferenceService]:
    """A :class:`ReferenceService` on a fresh SQLite database in a temporary folder, removed afterwards."""
    from govparts.core.db import create_engine, metadata

    from . import tables  # noqa: F401 - the finance tables join the shared metadata

    with tempfile.TemporaryDirectory(prefix="govparts-finance-") as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'finance.db'}")
        metadata.create_all(engine)
        try:
            yield ReferenceService(engine)
        finally:
            engine.dispose()
