"""Mutants of the reference finance service, each breaking one rule of the catalogue.

Each factory builds the mutated service like :func:`~govparts.finance.service.reference_factory`
(a fresh SQLite database in a temporary folder).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from govparts.conformance import Mutant
from govparts.core.process import ProcessEngine
from govparts.core.security import Actor

from .. import _ledger, _reports, _service, rules
from .._reports import trial_balance as _real_trial_balance
from ..models import TrialBalance, Voucher, VoucherDraft
from ..processes import VOUCHER
from ..service import ReferenceService

__all__ = ["MUTANTS"]


def _factory(cls: type[ReferenceService], **options: Any) -> Callable[[], Any]:
    @contextmanager
    def make() -> Iterator[ReferenceService]:
        from govparts.core.db import create_engine, metadata

        from .. import tables  # noqa: F401 - the finance tables join the shared metadata

        with tempfile.TemporaryDirectory(prefix="govparts-finance-mutant-") as folder:
            engine = create_engine(f"sqlite:///{Path(folder) / 'finance.db'}")
            metadata.create_all(engine)
            try:
                yield cls(engine, **options)
            finally:
                engine.dispose()

    return make


class AcceptsUnbalancedBudget(ReferenceService):
    """Checks only the financial system's balance."""

    def _validate_draft(self, conn: Any, draft: VoucherDraft, *, red_ink: bool = False) -> None:
        financial = tuple(x for x in draft.lines if rules.account_of(x.account).system == "financial")
        rules.check_voucher_lines(financial or draft.lines, red_ink=red_ink)
        year, month = rules.period_of(draft.date)
        self._check_period_open(conn, draft.org, year, month)


class AcceptsZeroAmounts(ReferenceService):
    """Lets zero and negative amounts through (as the absolute value, at least one fen)."""

    def create_voucher(self, draft: VoucherDraft, actor: Actor, **kw: Any) -> Voucher:
        from govparts.core.money import Money

        fixed = tuple(
            x.model_copy(update={"amount": abs(x.amount) if x.amount.fen else Money.of("0.01")})
            for x in draft.lines
        )
        return super().create_voucher(draft.model_copy(update={"lines": fixed}), actor, **kw)


class NoParallelRecording(ReferenceService):
    """Skips the parallel-recording check."""

    def _validate_draft(self, conn: Any, draft: VoucherDraft, *, red_ink: bool = False) -> None:
        rules.check_voucher_lines(draft.lines, red_ink=red_ink)
        self._check_accounts(conn, draft.org, draft.date, draft.lines)
        year, month = rules.period_of(draft.date)
        self._check_period_open(conn, draft.org, year, month)


class SelfReview(ReferenceService):
    """Lets the preparer review their own voucher."""

    def __init__(self, engine: Any, **kw: Any) -> None:
        super().__init__(engine, **kw)
        self.vouchers_process = ProcessEngine(
            VOUCHER,
            guards={"reviewer_is_not_preparer": lambda entity, inputs, actor: None},
            payloads={"post": _service._posted_payload},
        )


class PostsIntoClosedPeriod(ReferenceService):
    """Forgets that a period was closed when posting."""

    def post_voucher(self, voucher_id: str, actor: Actor) -> Voucher:
        original = self._check_period_open
        self._check_period_open = lambda *a, **k: None  # type: ignore[method-assign]
        try:
            return super().post_voucher(voucher_id, actor)
        finally:
            self._check_period_open = original  # type: ignore[method-assign]


class NumbersWithGaps(ReferenceService):
    """Burns a number after every posting, leaving a gap."""

    def post_voucher(self, voucher_id: str, actor: Actor) -> Voucher:
        posted = super().post_voucher(voucher_id, actor)
        with self._session() as session:
            _ledger.lock_chain(session, posted.org)
            _ledger.next_numbers(session, posted.org, posted.year, posted.month, 1)
        return posted


class IgnoresCommitments(ReferenceService):
    """Counts posted expenditure only, not open commitments."""

    def _usage(self, conn: Any, ind: Any, exclude_commitment: str | None) -> tuple[int, int]:
        posted, _ = super()._usage(conn, ind, exclude_commitment)
        return posted, 0


class StopActsAsWarn(ReferenceService):
    """Treats every indicator as warn-only."""

    @staticmethod
    def _locked_indicators(conn: Any, org: str, years: Any) -> list[Any]:
        class _Warn:
            def __init__(self, row: Any) -> None:
                self.row = row

            def __getattr__(self, name: str) -> Any:
                return "warn" if name == "control" else getattr(self.row, name)

        return [_Warn(r) for r in ReferenceService._locked_indicators(conn, org, years)]


class ReversesTwice(ReferenceService):
    """Reverses a voucher again (the second reversal is a copy without the link)."""

    def reverse_voucher(self, voucher_id: str, on: Any, actor: Actor, summary: str | None = None) -> Voucher:
        original = self.get_voucher(voucher_id, actor)
        if original.reversed_by is None:
            return super().reverse_voucher(voucher_id, on, actor, summary)
        draft = VoucherDraft(
            org=original.org, date=on, summary="再次冲销", lines=rules.reversal_lines(original.lines)
        )
        return self.create_voucher(draft, actor, kind="reversal")


class ClosingSkipsBudget(ReferenceService):
    """Carries forward only the financial accounts at year-end."""

    def close_year(self, org: str, year: int, actor: Actor) -> Voucher | None:
        with self.engine.connect() as conn:
            balances = {k: v for k, v in _reports.year_balances(conn, org, year).items() if k[0][0] in "45"}
        lines = rules.closing_lines(balances)
        if not lines:
            return None
        draft = VoucherDraft(org=org, date=date(year, 12, 31), summary="年末结转", lines=lines)
        return self.post_generated(draft, actor, kind="closing")


class BooksAssetEventsTwice(ReferenceService):
    """Books an asset event every time it is delivered."""

    def handle_asset_event(self, event: Any, actor: Actor | None = None) -> Voucher | None:
        from govparts.core import events

        real = events.mark_processed
        events.mark_processed = lambda *a, **k: True
        try:
            return super().handle_asset_event(event, actor)
        finally:
            events.mark_processed = real


class TrialBalanceWithoutOpening(ReferenceService):
    """Shows period movements as closing balances, forgetting opening balances."""

    def trial_balance(self, org: str, year: int, month: int, actor: Actor) -> TrialBalance:
        with self.engine.connect() as conn:
            tb = _real_trial_balance(conn, org, year, month)
        rows = tuple(
            r.model_copy(update={"opening": r.opening - r.opening, "closing": r.debit - r.credit})
            for r in tb.rows
        )
        return tb.model_copy(update={"rows": rows})


class ForgetsBudgetEntries(ReferenceService):
    """Drops the budget lines of generated vouchers (reimbursements, asset purchases)."""

    def create_voucher(self, draft: VoucherDraft, actor: Actor, **kw: Any) -> Voucher:
        if kw.get("kind") == "generated":
            lines = tuple(x for x in draft.lines if rules.account_of(x.account).system == "financial")
            draft = draft.model_copy(update={"lines": lines, "exemption": "agency"})
        return super().create_voucher(draft, actor, **kw)


class IgnoresOrganisations(ReferenceService):
    """Lets any actor read and change any organisation's books (no organisation gate)."""

    def _gate(
        self, actor: Actor, org: str, *, write: bool, field: str = "org", entity_id: Any = None
    ) -> None:
        return None


class ClosesThePeriodForEveryone(ReferenceService):
    """Closes a month in every organisation of the database when one organisation closes it."""

    def close_period(self, org: str, year: int, month: int, actor: Actor) -> None:
        super().close_period(org, year, month, actor)
        import sqlalchemy as sa

        from ..tables import PERIOD

        with self.engine.begin() as conn:
            conn.execute(
                sa.update(PERIOD).where(PERIOD.c.year == year, PERIOD.c.month == month).values(closed=True)
            )


class BatchSkipsBudget(ReferenceService):
    """Posts batches without budget control (single posting still checks it)."""

    _in_batch = False

    def post_batch(self, drafts: Any, actor: Actor) -> list[str]:
        self._in_batch = True
        try:
            return super().post_batch(drafts, actor)
        finally:
            self._in_batch = False

    def _budget_control(self, conn: Any, org: str, vouchers: Any, exclude_commitment: Any = None) -> Any:
        if self._in_batch:
            return [[] for _ in vouchers]
        return super()._budget_control(conn, org, vouchers, exclude_commitment)


class BatchIgnoresClosedPeriods(ReferenceService):
    """Posts batches into closed periods (single posting still refuses)."""

    def _check_periods_open(self, conn: Any, org: str, periods: Any, field: str) -> None:
        return None


MUTANTS = [
    Mutant(
        "accepts-unbalanced-budget",
        "does not balance the budget system",
        _factory(AcceptsUnbalancedBudget),
        breaks=("FIN-002",),
    ),
    Mutant(
        "accepts-zero-amounts",
        "turns zero and negative amounts into positive ones",
        _factory(AcceptsZeroAmounts),
        breaks=("FIN-004",),
    ),
    Mutant(
        "no-parallel-recording",
        "accepts a quota payment without its budget entry",
        _factory(NoParallelRecording),
        breaks=("FIN-005",),
    ),
    Mutant(
        "self-review", "lets the preparer review their own voucher", _factory(SelfReview), breaks=("FIN-009",)
    ),
    Mutant(
        "posts-into-closed-period",
        "posts into a closed period",
        _factory(PostsIntoClosedPeriod),
        breaks=("FIN-016",),
    ),
    Mutant(
        "numbers-with-gaps",
        "skips a voucher number after each posting",
        _factory(NumbersWithGaps),
        breaks=("FIN-019",),
    ),
    Mutant(
        "ignores-commitments",
        "does not count approved claims against the indicator",
        _factory(IgnoresCommitments),
        breaks=("FIN-025",),
    ),
    Mutant(
        "stop-acts-as-warn",
        "posts beyond a stop indicator with a warning",
        _factory(StopActsAsWarn),
        breaks=("FIN-022",),
    ),
    Mutant(
        "unbudgeted-allowed",
        "treats spending without an indicator as unlimited",
        _factory(ReferenceService, unbudgeted="allow"),
        breaks=("FIN-024",),
    ),
    Mutant("reverses-twice", "reverses the same voucher twice", _factory(ReversesTwice), breaks=("FIN-014",)),
    Mutant(
        "closing-skips-budget",
        "leaves budget accounts open at year-end",
        _factory(ClosingSkipsBudget),
        breaks=("FIN-031",),
    ),
    Mutant(
        "books-asset-events-twice",
        "books a redelivered asset event again",
        _factory(BooksAssetEventsTwice),
        breaks=("FIN-032",),
    ),
    Mutant(
        "trial-balance-without-opening",
        "forgets opening balances in the trial balance",
        _factory(TrialBalanceWithoutOpening),
        breaks=("FIN-028",),
    ),
    Mutant(
        "forgets-budget-entries",
        "generates vouchers without their budget entries",
        _factory(ForgetsBudgetEntries),
        breaks=("FIN-026",),
    ),
    Mutant(
        "ignores-organisations",
        "lets an actor of one organisation read and change another's books",
        _factory(IgnoresOrganisations),
        breaks=("FIN-036",),
    ),
    Mutant(
        "closes-the-period-for-everyone",
        "closes a month in every organisation when one closes it",
        _factory(ClosesThePeriodForEveryone),
        breaks=("FIN-036",),
    ),
    Mutant(
        "batch-skips-budget",
        "posts batches beyond stop indicators",
        _factory(BatchSkipsBudget),
        breaks=("FIN-037",),
    ),
    Mutant(
        "batch-ignores-closed-periods",
        "posts batches into closed periods",
        _factory(BatchIgnoresClosedPeriods),
        breaks=("FIN-037",),
    ),
]
