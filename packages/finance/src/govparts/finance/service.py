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

from govparts.core.audit import TrailEntry
from govparts.core.events import CloudEvent
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

    One convention for every method (ARCHITECTURE "Inside a part"): the acting ``actor`` first,
    then ``org``, the unified social credit code (GB 32100-2015) of the organisation whose books
    the call reads or changes. Many offices share one database: every method but
    :meth:`capabilities` refuses an ``actor`` bound to another organisation with
    ``OrganizationDenied`` before it reads or writes anything (FIN-036); a voucher, claim or other
    thing of another organisation addressed by its id is ``NotFound`` (nothing revealed). A
    ``cross-org-auditor`` may call the reading methods for another organisation; each such read
    leaves an audit record. Periods, voucher numbers, indicators and balances are per organisation.

    :meth:`audit_trail` reads back the audit records of one thing. Its ``entity`` names and their
    ``entity_id``:

    - ``voucher``: the voucher id (preparation, review, withdrawal of review, posting — single or
      in a batch);
    - ``reimbursement``: the claim id (submission, review, rejection, approval, payment);
    - ``finance_period``: ``<org>/<year>`` (opening a year) and ``<org>/<year>-<MM>`` (closing a
      month, ``MM`` two digits);
    - ``finance_account``: ``<org>/<sub-account code>``;
    - ``finance_indicator``: ``<org>/<year>/<project>/<economic class>``;
    - ``finance``: ``<org>`` or ``<org>/<voucher or claim id>``: reads by a cross-organisation
      auditor.

    :meth:`published_events` returns, in publication order, the ``voucher.posted`` events of the
    organisation's posted vouchers (one per voucher, single or batch posting) and the
    ``reimbursement.paid`` events of its claims.
    """

    def capabilities(self) -> Any:
        """What this implementation declares about itself (part, version, optional features).

        Requirements: FIN-036
        Raises:
            (none)
        """
        ...

    def open_year(self, actor: Actor, org: str, year: int) -> None:
        """Open the twelve monthly periods of ``year`` for ``org``; months already open stay as they are.

        Requirements: FIN-018, FIN-038, FIN-043, FIN-036
        Raises:
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``chief_accountant``.
        """
        ...

    def open_periods(self, actor: Actor, org: str) -> list[tuple[int, int]]:
        """The ``(year, month)`` periods of ``org`` open for posting, in order.

        Requirements: FIN-016, FIN-036, FIN-042
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def close_period(self, actor: Actor, org: str, year: int, month: int) -> None:
        """Close a month of ``org`` (结账): nothing is posted into it afterwards, ever.

        The same month of another organisation stays open (会计基础工作规范, 结账).

        Requirements: FIN-016, FIN-036, FIN-038, FIN-042, FIN-043
        Raises:
            PeriodClosed: the period is already closed or was never opened (field ``period``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``chief_accountant``.
        """
        ...

    def add_sub_account(self, actor: Actor, org: str, account: SubAccount) -> SubAccount:
        """Add a sub-account (明细科目) below a standard account or another sub-account of ``org``.

        Standard codes cannot be added or changed (财会〔2017〕25号 附录).

        Requirements: FIN-034, FIN-036, FIN-038, FIN-043
        Raises:
            InvalidInput: the code does not extend its parent, or ``account.org`` is not ``org``.
            NotFound: the parent account does not exist (field ``parent``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``chief_accountant``.
        """
        ...

    def create_voucher(self, actor: Actor, org: str, draft: VoucherDraft) -> Voucher:
        """Record a draft voucher (制单) of ``org`` after checking its lines, accounts and period.

        Requirements: FIN-001, FIN-002, FIN-003, FIN-004, FIN-005, FIN-006, FIN-007, FIN-017,
            FIN-018, FIN-034, FIN-036, FIN-038, FIN-040, FIN-042, FIN-043
        Raises:
            InvalidInput: a line is invalid or the voucher does not balance in one system (names
                the field, e.g. ``lines[1].account``), or ``draft.org`` is not ``org``.
            NotFound: a line's sub-account does not exist.
            PeriodClosed: the date falls in a closed or unopened period (field ``date``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``accountant``.
        """
        ...

    def review_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        """Review a draft voucher (审核); the reviewer may not be its preparer.

        Requirements: FIN-009, FIN-012, FIN-036, FIN-038
        Raises:
            NotFound: no voucher ``voucher_id`` in ``org``.
            TransitionNotAllowed: the voucher is not a draft.
            GuardFailed: the reviewer prepared the voucher.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``reviewer``.
        """
        ...

    def unreview_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        """Withdraw the review of a reviewed voucher (取消审核): it goes back to draft.

        Requirements: FIN-012, FIN-036, FIN-038, FIN-041
        Raises:
            NotFound: no voucher ``voucher_id`` in ``org``.
            TransitionNotAllowed: the voucher is not reviewed (a posted voucher never goes back).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``reviewer``.
        """
        ...

    def post_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        """Post a reviewed voucher (记账): number it, chain it, write the ledger; all or nothing.

        Checks again what may have changed since the draft: the period, the accounts, the balance,
        the parallel entry and the budget indicators (预算法 第十三条).

        Requirements: FIN-008, FIN-010, FIN-011, FIN-012, FIN-016, FIN-019, FIN-020, FIN-021,
            FIN-022, FIN-023, FIN-024, FIN-025, FIN-036, FIN-038, FIN-039, FIN-040, FIN-042
        Raises:
            NotFound: no voucher ``voucher_id`` in ``org``.
            TransitionNotAllowed: the voucher is not reviewed.
            PeriodClosed: its period is closed (field ``date``).
            BudgetExceeded: a stop indicator has less left than the voucher spends.
            GuardFailed: budget expenditure with no indicator.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``bookkeeper``.
        """
        ...

    def reverse_voucher(
        self, actor: Actor, org: str, voucher_id: str, on: date, summary: str | None = None
    ) -> Voucher:
        """Prepare the red-ink reversal (红字冲销) of a posted voucher, dated ``on`` in an open period.

        The reversal is a new draft pointing to the original, which never changes (会计基础工作规范,
        错账更正); a voucher is reversed at most once.

        Requirements: FIN-013, FIN-014, FIN-015, FIN-017, FIN-036, FIN-038
        Raises:
            NotFound: no voucher ``voucher_id`` in ``org``.
            TransitionNotAllowed: the voucher is not posted (field ``voucher_id``).
            GuardFailed: the voucher is already reversed or is itself a reversal.
            PeriodClosed: ``on`` falls in a closed or unopened period (field ``date``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``accountant``.
        """
        ...

    def get_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        """The voucher ``voucher_id`` of ``org`` with its lines.

        Requirements: FIN-012, FIN-019, FIN-036, FIN-040
        Raises:
            NotFound: no voucher ``voucher_id`` in ``org``.
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def vouchers(self, actor: Actor, org: str, year: int, month: int) -> list[Voucher]:
        """The vouchers of ``org`` dated in the period, posted ones first in number order.

        Requirements: FIN-019, FIN-036, FIN-037, FIN-042
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def post_batch(self, actor: Actor, org: str, drafts: Sequence[VoucherDraft]) -> list[str]:
        """Post already-approved vouchers of ``org`` in bulk, in one transaction; their ids in order.

        Every voucher passes the checks of :meth:`create_voucher` and :meth:`post_voucher` (lines,
        balance, parallel recording, accounts, open period, budget control in the vouchers'
        order); numbers are consecutive per period after the ones already used; each voucher is
        chained, audited and published. Nothing is written unless every voucher passes; errors
        name the voucher as ``drafts[i]``.

        Requirements: FIN-019, FIN-021, FIN-036, FIN-037, FIN-038, FIN-039, FIN-040, FIN-042
        Raises:
            InvalidInput: a voucher is invalid (``drafts[i]....``) or names another organisation.
            NotFound: a sub-account does not exist.
            PeriodClosed: a voucher falls in a closed or unopened period (``drafts.date``).
            BudgetExceeded: a stop indicator has less left than the vouchers spend.
            GuardFailed: budget expenditure with no indicator.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``reviewer`` or ``bookkeeper``.
        """
        ...

    def verify_chain(self, actor: Actor, org: str) -> ChainReport:
        """Recompute every posting hash of ``org`` from the ledger and check the links.

        Requirements: FIN-021, FIN-036, FIN-037
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def set_indicator(self, actor: Actor, org: str, indicator: Indicator) -> Indicator:
        """Set (or replace) the budget indicator (预算指标) of a project and economic class in a year.

        Requirements: FIN-022, FIN-023, FIN-036, FIN-038, FIN-043
        Raises:
            InvalidInput: ``indicator.org`` is not ``org``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``budget_officer``.
        """
        ...

    def budget_execution(self, actor: Actor, org: str, year: int) -> list[IndicatorExecution]:
        """Execution of every indicator of ``org`` in ``year``: posted, committed and available.

        Requirements: FIN-025, FIN-026, FIN-036, FIN-037, FIN-041
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def submit_reimbursement(self, actor: Actor, org: str, claim: ReimbursementClaim) -> Reimbursement:
        """Submit a claim (报销申请) of ``org``.

        Requirements: FIN-025, FIN-036, FIN-038, FIN-043
        Raises:
            InvalidInput: an account of the claim is unknown, or ``claim.org`` is not ``org``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``claimant``.
        """
        ...

    def get_reimbursement(self, actor: Actor, org: str, reimbursement_id: str) -> Reimbursement:
        """The claim ``reimbursement_id`` of ``org`` and where it stands.

        Requirements: FIN-036, FIN-041
        Raises:
            NotFound: no claim ``reimbursement_id`` in ``org``.
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def review_reimbursement(self, actor: Actor, org: str, reimbursement_id: str) -> Reimbursement:
        """Review a submitted claim (审核).

        Requirements: FIN-027, FIN-036, FIN-038
        Raises:
            NotFound: no claim ``reimbursement_id`` in ``org``.
            TransitionNotAllowed: the claim is not submitted.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``reviewer``.
        """
        ...

    def reject_reimbursement(
        self, actor: Actor, org: str, reimbursement_id: str, reason: str = ""
    ) -> Reimbursement:
        """Reject a claim (退回): it can no longer be approved or paid and commits no budget.

        Requirements: FIN-036, FIN-038, FIN-041
        Raises:
            NotFound: no claim ``reimbursement_id`` in ``org``.
            TransitionNotAllowed: the claim is approved or paid already.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``reviewer`` or ``approver``.
        """
        ...

    def approve_reimbursement(self, actor: Actor, org: str, reimbursement_id: str) -> Reimbursement:
        """Approve a reviewed claim (审批); its amount is committed against its budget indicator.

        Requirements: FIN-022, FIN-025, FIN-027, FIN-036, FIN-038
        Raises:
            NotFound: no claim ``reimbursement_id`` in ``org``.
            TransitionNotAllowed: the claim is not reviewed.
            BudgetExceeded: a stop indicator has less left than the claim (field ``amount``).
            GuardFailed: no indicator for the claim's project and economic class.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``approver`` or reviewed the claim.
        """
        ...

    def pay_reimbursement(self, actor: Actor, org: str, reimbursement_id: str) -> Reimbursement:
        """Pay an approved claim (支付): generates and posts its voucher, which releases the commitment.

        Dr expense / Cr paying account and Dr budget expenditure / Cr 8001 资金结存 (平行记账).

        Requirements: FIN-026, FIN-036, FIN-038, FIN-039
        Raises:
            NotFound: no claim ``reimbursement_id`` in ``org``.
            TransitionNotAllowed: the claim is not approved.
            PeriodClosed: the claim's date falls in a closed period.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``cashier``.
        """
        ...

    def trial_balance(self, actor: Actor, org: str, year: int, month: int) -> TrialBalance:
        """科目余额表 of both systems of ``org`` for a period.

        Requirements: FIN-008, FIN-028, FIN-036, FIN-040, FIN-042
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def balance_sheet(self, actor: Actor, org: str, year: int, month: int) -> BalanceSheet:
        """资产负债表 of ``org`` at the end of a period.

        Requirements: FIN-029, FIN-036
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def income_statement(
        self, actor: Actor, org: str, year: int, month: int, from_month: int = 1
    ) -> IncomeStatement:
        """收入费用表 of ``org`` for months ``from_month``..``month``.

        Requirements: FIN-030, FIN-036
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def budget_statement(
        self, actor: Actor, org: str, year: int, month: int, from_month: int = 1
    ) -> BudgetStatement:
        """预算收入支出表 of ``org`` for months ``from_month``..``month``.

        Requirements: FIN-030, FIN-036
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def reconciliation(
        self, actor: Actor, org: str, year: int, month: int, from_month: int = 1
    ) -> Reconciliation:
        """本期预算结余与本期盈余差异调节表 of ``org`` for months ``from_month``..``month``.

        Requirements: FIN-030, FIN-036
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def ledger(
        self, actor: Actor, org: str, account: str, year: int, month: int | None = None
    ) -> list[LedgerLine]:
        """General ledger or sub-ledger of ``account`` of ``org`` with running balances.

        Requirements: FIN-035, FIN-036
        Raises:
            InvalidInput: the account is unknown.
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def close_year(self, actor: Actor, org: str, year: int) -> Voucher | None:
        """Year-end carry-forward (年末结转) of ``org``: post the closing voucher dated 31 December.

        Returns None when there is nothing to carry forward.

        Requirements: FIN-031, FIN-036, FIN-043
        Raises:
            PeriodClosed: December is closed.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``chief_accountant``.
        """
        ...

    def receive_event(self, actor: Actor, event: Any) -> Voucher | None:
        """Book an asset event (registered, depreciated, disposed) of the organisation it names.

        Once per event id (at-least-once delivery); returns the posted voucher, or None for an
        event already booked or of a type finance does not consume. ``actor`` is the system actor
        that delivers (``org`` None) or an actor of the event's organisation holding ``bookkeeper``.

        Requirements: FIN-032, FIN-033, FIN-036, FIN-039
        Raises:
            InvalidInput: the event's data does not match the type's model.
            PeriodClosed: the event's date falls in a closed or unopened period.
            OrganizationDenied: the actor acts for another organisation than the event's.
            PermissionDenied: an actor of the organisation (not the system) lacks the role ``bookkeeper``.
        """
        ...

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        """The audit records of one thing of ``org``, oldest first (entity names: see the class).

        A thing of another organisation has no records here (an empty list, nothing revealed).

        Requirements: FIN-036, FIN-038
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        """The events published about ``org`` (all, or those of ``type``), in publication order.

        Requirements: FIN-036, FIN-039
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...


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
