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
from typing import Any, ClassVar

from govparts.conformance import Mutant
from govparts.core.money import Money
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

    def create_voucher(self, actor: Actor, org: str, draft: VoucherDraft, **kw: Any) -> Voucher:
        from govparts.core.money import Money

        fixed = tuple(
            x.model_copy(update={"amount": abs(x.amount) if x.amount.fen else Money.of("0.01")})
            for x in draft.lines
        )
        return super().create_voucher(actor, org, draft.model_copy(update={"lines": fixed}), **kw)


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

    def post_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        original = self._check_period_open
        self._check_period_open = lambda *a, **k: None  # type: ignore[method-assign]
        try:
            return super().post_voucher(actor, org, voucher_id)
        finally:
            self._check_period_open = original  # type: ignore[method-assign]


class NumbersWithGaps(ReferenceService):
    """Burns a number after every posting, leaving a gap."""

    def post_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        posted = super().post_voucher(actor, org, voucher_id)
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

    def reverse_voucher(
        self, actor: Actor, org: str, voucher_id: str, on: Any, summary: str | None = None
    ) -> Voucher:
        original = self.get_voucher(actor, org, voucher_id)
        if original.reversed_by is None:
            return super().reverse_voucher(actor, org, voucher_id, on, summary)
        draft = VoucherDraft(
            org=original.org, date=on, summary="再次冲销", lines=rules.reversal_lines(original.lines)
        )
        return self.create_voucher(actor, draft.org, draft, kind="reversal")


class ClosingSkipsBudget(ReferenceService):
    """Carries forward only the financial accounts at year-end."""

    def close_year(self, actor: Actor, org: str, year: int) -> Voucher | None:
        with self.engine.connect() as conn:
            balances = {k: v for k, v in _reports.year_balances(conn, org, year).items() if k[0][0] in "45"}
        lines = rules.closing_lines(balances)
        if not lines:
            return None
        draft = VoucherDraft(org=org, date=date(year, 12, 31), summary="年末结转", lines=lines)
        return self.post_generated(actor, draft.org, draft, kind="closing")


class BooksAssetEventsTwice(ReferenceService):
    """Books an asset event every time it is delivered."""

    def receive_event(self, actor: Actor, event: Any) -> Voucher | None:
        from govparts.core import events

        real = events.mark_processed
        events.mark_processed = lambda *a, **k: True
        try:
            return super().receive_event(actor, event)
        finally:
            events.mark_processed = real


class TrialBalanceWithoutOpening(ReferenceService):
    """Shows period movements as closing balances, forgetting opening balances."""

    def trial_balance(self, actor: Actor, org: str, year: int, month: int) -> TrialBalance:
        with self.engine.connect() as conn:
            tb = _real_trial_balance(conn, org, year, month)
        rows = tuple(
            r.model_copy(update={"opening": r.opening - r.opening, "closing": r.debit - r.credit})
            for r in tb.rows
        )
        return tb.model_copy(update={"rows": rows})


class ForgetsBudgetEntries(ReferenceService):
    """Drops the budget lines of generated vouchers (reimbursements, asset purchases)."""

    def create_voucher(self, actor: Actor, org: str, draft: VoucherDraft, **kw: Any) -> Voucher:
        if kw.get("kind") == "generated":
            lines = tuple(x for x in draft.lines if rules.account_of(x.account).system == "financial")
            draft = draft.model_copy(update={"lines": lines, "exemption": "agency"})
        return super().create_voucher(actor, org, draft, **kw)


class IgnoresOrganisations(ReferenceService):
    """Lets any actor read and change any organisation's books (no organisation gate)."""

    def _gate(
        self, actor: Actor, org: str, *, write: bool, field: str = "org", entity_id: Any = None
    ) -> None:
        return None


class ClosesThePeriodForEveryone(ReferenceService):
    """Closes a month in every organisation of the database when one organisation closes it."""

    def close_period(self, actor: Actor, org: str, year: int, month: int) -> None:
        super().close_period(actor, org, year, month)
        import sqlalchemy as sa

        from ..tables import PERIOD

        with self.engine.begin() as conn:
            conn.execute(
                sa.update(PERIOD).where(PERIOD.c.year == year, PERIOD.c.month == month).values(closed=True)
            )


class BatchSkipsBudget(ReferenceService):
    """Posts batches without budget control (single posting still checks it)."""

    _in_batch = False

    def post_batch(self, actor: Actor, org: str, drafts: Any) -> list[str]:
        self._in_batch = True
        try:
            return super().post_batch(actor, org, drafts)
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


class BatchWithoutAuditRecords(ReferenceService):
    """Audits a batch as one record, none per voucher."""

    @staticmethod
    def _record_batch(session: Any, actor: Actor, batch: Any, ids: Any, now: Any) -> None:
        from govparts.core import events

        from ..events import VOUCHER_POSTED

        column = {name: i for i, name in enumerate(_ledger.PostingBatch.VOUCHER_COLUMNS)}
        payloads = [
            (
                f"voucher/{row[column['id']]}",
                {
                    "voucher_id": row[column["id"]],
                    "org": row[column["org"]],
                    "number": row[column["number"]],
                    "year": row[column["year"]],
                    "month": row[column["month"]],
                    "date": str(row[column["date"]])[:10],
                    "kind": row[column["kind"]],
                    "hash": row[column["hash"]],
                },
            )
            for row in batch.vouchers
        ]
        events.publish_batch(session, VOUCHER_POSTED, payloads, time=now)


class BatchWithoutEvents(ReferenceService):
    """Publishes no voucher.posted event for vouchers posted in a batch."""

    @staticmethod
    def _record_batch(session: Any, actor: Actor, batch: Any, ids: Any, now: Any) -> None:
        from govparts.core import audit

        audit.append_many(
            session,
            [audit.AuditEntry("post_batch", "voucher", i, actor, None, None, None) for i in ids],
            at=now,
        )


class FloatFen(ReferenceService):
    """Converts amounts to fen through binary floating point, truncating (0.29 becomes 0.28)."""

    def create_voucher(self, actor: Actor, org: str, draft: VoucherDraft, **kw: Any) -> Voucher:
        from govparts.core.money import Money

        lines = tuple(
            x.model_copy(update={"amount": Money.from_fen(int(float(str(x.amount)) * 100))})
            for x in draft.lines
        )
        return super().create_voucher(actor, org, draft.model_copy(update={"lines": lines}), **kw)


class _Usage(ReferenceService):
    extra: ClassVar[dict[str, int]] = {}

    def _budget_control(self, conn: Any, org: str, vouchers: Any, exclude_commitment: Any = None) -> Any:
        extra = self.extra

        def usage(conn: Any, org: str, years: Any, indicators: Any, exclude_commitment: Any) -> Any:
            used = ReferenceService._usage_of(conn, org, years, indicators, exclude_commitment)
            return {k: v + extra.get(indicators[k].control, 0) for k, v in used.items()}

        self._usage_of = usage  # type: ignore[method-assign]
        return super()._budget_control(conn, org, vouchers, exclude_commitment)


class StopRefusesAtTheLimit(_Usage):
    """Refuses spending that uses exactly what a stop indicator has left (>= instead of >)."""

    extra: ClassVar[dict[str, int]] = {"stop": 1}


class WarnsAtTheLimit(_Usage):
    """Warns on spending that uses exactly what a warn indicator has left."""

    extra: ClassVar[dict[str, int]] = {"warn": 1}


class IndicatorOfAnyYear(ReferenceService):
    """Charges spending against the indicator of the same project and class in any year."""

    @staticmethod
    def _locked_indicators(conn: Any, org: str, years: Any) -> list[Any]:
        import sqlalchemy as sa

        from ..tables import INDICATOR

        class _Any:
            def __init__(self, row: Any, year: int) -> None:
                self.row, self.year_ = row, year

            def __getattr__(self, name: str) -> Any:
                return self.year_ if name == "year" else getattr(self.row, name)

        rows = list(conn.execute(sa.select(INDICATOR).where(INDICATOR.c.org == org)))
        return [_Any(r, y) for y in years for r in rows]


class UnreviewsPostedVouchers(ReferenceService):
    """Lets a posted voucher be withdrawn to reviewed (and then changed)."""

    def unreview_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        import sqlalchemy as sa

        from ..tables import VOUCHER as TABLE

        if self.get_voucher(actor, org, voucher_id).state == "posted":
            with self.engine.begin() as conn:
                conn.execute(sa.update(TABLE).where(TABLE.c.id == voucher_id).values(state="reviewed"))
            return self.get_voucher(actor, org, voucher_id)
        return super().unreview_voucher(actor, org, voucher_id)


class RejectKeepsTheClaimOpen(ReferenceService):
    """Answers a rejection as done but leaves the claim where it was."""

    def reject_reimbursement(self, actor: Actor, org: str, reimbursement_id: str, reason: str = "") -> Any:
        self._gate_claim(actor, org, reimbursement_id, write=True)
        self._require(actor, "approver", "reject") if not actor.has_role("reviewer") else None
        claim = self.get_reimbursement(actor, org, reimbursement_id)
        return claim.model_copy(update={"state": "rejected"})


class ListsMonthWithoutLastDay(ReferenceService):
    """Lists a month's vouchers up to its last day, exclusive (a UTC range ending at local midnight)."""

    def vouchers(self, actor: Actor, org: str, year: int, month: int) -> list[Voucher]:
        import calendar

        last = date(year, month, calendar.monthrange(year, month)[1])
        return [v for v in super().vouchers(actor, org, year, month) if v.date != last]


class OpensElevenMonths(ReferenceService):
    """Opens January to November only (range(1, 12))."""

    def open_year(self, actor: Actor, org: str, year: int) -> None:
        import sqlalchemy as sa

        from ..tables import PERIOD

        super().open_year(actor, org, year)
        with self.engine.begin() as conn:
            conn.execute(
                sa.delete(PERIOD).where(PERIOD.c.org == org, PERIOD.c.year == year, PERIOD.c.month == 12)
            )


class ClosesWithoutRole(ReferenceService):
    """Lets anyone of the organisation close a month."""

    def close_period(self, actor: Actor, org: str, year: int, month: int) -> None:
        chief = Actor(id=actor.id, name=actor.name, roles=actor.roles | {"chief_accountant"}, org=actor.org)
        super().close_period(chief, org, year, month)


class SetsIndicatorsWithoutRole(ReferenceService):
    """Lets anyone of the organisation set a budget indicator."""

    def set_indicator(self, actor: Actor, org: str, indicator: Any) -> Any:
        officer = Actor(id=actor.id, name=actor.name, roles=actor.roles | {"budget_officer"}, org=actor.org)
        return super().set_indicator(officer, org, indicator)


class AuditorMayWrite(ReferenceService):
    """Treats a cross-organisation auditor's writes as reads (audited, then allowed)."""

    def _gate(
        self, actor: Actor, org: str, *, write: bool, field: str = "org", entity_id: Any = None
    ) -> None:
        from govparts.core.security import CROSS_ORG_READ_ROLE

        super()._gate(
            actor,
            org,
            write=write and not actor.has_role(CROSS_ORG_READ_ROLE),
            field=field,
            entity_id=entity_id,
        )


class FindsIdsOfAnyOrganisation(ReferenceService):
    """Finds a voucher or claim by its id whatever organisation the call names."""

    def _owned(self, table: Any, org: str, key: str) -> bool:
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            return conn.execute(sa.select(table.c.id).where(table.c.id == key)).first() is not None


class PublishesEveryOrganisationsEvents(ReferenceService):
    """Returns the events of every organisation in the database."""

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[Any]:
        from govparts.core.db import metadata
        from govparts.core.events import CloudEvent

        self._gate(actor, org, write=False)
        outbox = metadata.tables["core_outbox_event"]
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(outbox).order_by(outbox.c.position)).all()
        return [
            CloudEvent(
                id=r.id,
                source=r.source,
                type=r.type,
                time=r.time,
                subject=r.subject,
                datacontenttype=r.datacontenttype,
                dataschema=r.dataschema,
                data=r.data,
            )
            for r in rows
            if type is None or r.type == type
        ]


class AuditTrailOfAnyOrganisation(ReferenceService):
    """Returns the audit records of any voucher, whatever organisation it belongs to."""

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[Any]:
        from govparts.core import audit

        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return audit.trail(conn, entity, entity_id)


class ReversalKeepsTheOriginalDate(ReferenceService):
    """Dates the reversal like the original instead of the day asked for."""

    def reverse_voucher(
        self, actor: Actor, org: str, voucher_id: str, on: Any, summary: str | None = None
    ) -> Voucher:
        original = self.get_voucher(actor, org, voucher_id)
        return super().reverse_voucher(actor, org, voucher_id, original.date, summary)


class PaymentKeepsTheCommitment(ReferenceService):
    """Pays a claim without releasing its commitment."""

    def create_voucher(self, actor: Actor, org: str, draft: VoucherDraft, **kw: Any) -> Voucher:
        kw["commitment_id"] = None
        return super().create_voucher(actor, org, draft, **kw)


class ApprovesBeyondTheBudget(ReferenceService):
    """Approves claims without budget control."""

    def _check_budget(
        self, conn: Any, org: str, year: int, lines: Any, commitment_id: Any, *, field: str = "lines"
    ) -> list[str]:
        if field == "amount":
            return []
        return super()._check_budget(conn, org, year, lines, commitment_id, field=field)


class SubAccountClosesADayEarly(ReferenceService):
    """Treats a sub-account's closing date as exclusive."""

    @staticmethod
    def _check_sub_account_lines(rows: Any, prefix: str, day: date, lines: Any) -> None:
        from datetime import timedelta

        ReferenceService._check_sub_account_lines(
            rows,
            prefix,
            day + timedelta(days=1)
            if any((row := rows.get(x.account)) is not None and row.closed_on == day for x in lines)
            else day,
            lines,
        )


class BooksEventsIntoClosedPeriods(ReferenceService):
    """Books asset events whatever the state of their period."""

    def receive_event(self, actor: Actor, event: Any) -> Voucher | None:
        original = self._check_period_open
        self._check_period_open = lambda *a, **k: None  # type: ignore[method-assign]
        try:
            return super().receive_event(actor, event)
        finally:
            self._check_period_open = original  # type: ignore[method-assign]


class DepreciationOnTheFirstDay(ReferenceService):
    """Dates the depreciation voucher on the first day of the month."""

    def post_generated(
        self, actor: Actor, org: str, draft: VoucherDraft, *, kind: str = "generated"
    ) -> Voucher:
        if draft.summary.startswith("计提折旧"):
            draft = draft.model_copy(update={"date": draft.date.replace(day=1)})
        return super().post_generated(actor, org, draft, kind=kind)


class RefusedPostingBurnsANumber(ReferenceService):
    """Takes the voucher number before budget control, so a refused posting leaves a gap."""

    def post_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        from govparts.core.errors import ProcessError

        try:
            return super().post_voucher(actor, org, voucher_id)
        except ProcessError:
            voucher = self.get_voucher(actor, org, voucher_id)
            with self._session() as session:
                _ledger.lock_chain(session, org)
                _ledger.next_numbers(session, org, voucher.year, voucher.month, 1)
            raise


class PostsAsTheSystem(ReferenceService):
    """Posts as a system bookkeeper, whoever asks."""

    def post_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        poster = Actor(id=actor.id, name=actor.name, roles=actor.roles | {"bookkeeper"}, org=actor.org)
        return super().post_voucher(poster, org, voucher_id)


class TransfersNeedBudget(ReferenceService):
    """Demands a budget entry for any voucher touching a monetary-fund account."""

    def _validate_draft(self, conn: Any, draft: VoucherDraft, *, red_ink: bool = False) -> None:
        from .._chart import BUDGET_MANAGED_CASH
        from .._errors import ParallelEntryMissing

        super()._validate_draft(conn, draft, red_ink=red_ink)
        systems = {rules.account_of(x.account).system for x in draft.lines}
        cash = sorted({x.account for x in draft.lines if x.account in BUDGET_MANAGED_CASH})
        if cash and "budget" not in systems and draft.exemption is None:
            raise ParallelEntryMissing(field="lines", accounts=cash)


class ListsEveryOrganisationsVouchers(ReferenceService):
    """Lists the vouchers of a period without filtering by organisation."""

    def vouchers(self, actor: Actor, org: str, year: int, month: int) -> list[Voucher]:
        import sqlalchemy as sa

        from ..tables import VOUCHER as TABLE

        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            ids = list(
                conn.execute(
                    sa.select(TABLE.c.id)
                    .where(TABLE.c.year == year, TABLE.c.month == month)
                    .order_by(TABLE.c.id)
                ).scalars()
            )
        return [self._voucher(i) for i in ids]


class StatementsFromJanuary(ReferenceService):
    """Ignores ``from_month``: every statement runs from January."""

    def income_statement(self, actor: Actor, org: str, year: int, month: int, from_month: int = 1) -> Any:
        return super().income_statement(actor, org, year, month, 1)


class DisposalLossAsOtherExpense(ReferenceService):
    """Books the net value of a disposed asset to 5901 其他费用 instead of 5301 资产处置费用."""

    def _asset_draft(self, type_name: str, payload: Any, data: Any) -> VoucherDraft:
        draft = super()._asset_draft(type_name, payload, data)
        lines = tuple(
            x.model_copy(update={"account": "5901"}) if x.account == "5301" else x for x in draft.lines
        )
        return draft.model_copy(update={"lines": lines})


class IgnoresTheOpeningDepreciation(ReferenceService):
    """Books an asset brought over at cost alone, dropping its opening accumulated depreciation."""

    def _asset_draft(self, type_name: str, payload: Any, data: Any) -> VoucherDraft:
        if hasattr(payload, "opening_accumulated_depreciation"):
            payload = payload.model_copy(update={"opening_accumulated_depreciation": Money.zero()})
        return super()._asset_draft(type_name, payload, data)


class OpeningAmortisationTo1602(ReferenceService):
    """Books every opening accumulated depreciation to 1602, an intangible asset's amortisation too."""

    def _asset_draft(self, type_name: str, payload: Any, data: Any) -> VoucherDraft:
        draft = super()._asset_draft(type_name, payload, data)
        if not hasattr(payload, "opening_accumulated_depreciation"):
            return draft
        lines = tuple(
            x.model_copy(update={"account": "1602"}) if x.account == "1702" else x for x in draft.lines
        )
        return draft.model_copy(update={"lines": lines})


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
    Mutant(
        "batch-without-audit-records",
        "audits a batch once, not each voucher",
        _factory(BatchWithoutAuditRecords),
        breaks=("FIN-038",),
    ),
    Mutant(
        "batch-without-events",
        "publishes no voucher.posted for batch vouchers",
        _factory(BatchWithoutEvents),
        breaks=("FIN-039",),
    ),
    Mutant(
        "float-fen",
        "truncates amounts through binary floating point",
        _factory(FloatFen),
        breaks=("FIN-040",),
    ),
    Mutant(
        "stop-refuses-at-the-limit",
        "refuses spending exactly what is left",
        _factory(StopRefusesAtTheLimit),
        breaks=("FIN-022",),
    ),
    Mutant(
        "warns-at-the-limit",
        "warns on spending exactly what is left",
        _factory(WarnsAtTheLimit),
        breaks=("FIN-023",),
    ),
    Mutant(
        "indicator-of-any-year",
        "charges spending to another year's indicator",
        _factory(IndicatorOfAnyYear),
        breaks=("FIN-024",),
    ),
    Mutant(
        "unreviews-posted-vouchers",
        "withdraws the review of a posted voucher",
        _factory(UnreviewsPostedVouchers),
        breaks=("FIN-012",),
    ),
    Mutant(
        "reject-keeps-the-claim-open",
        "answers a rejection but keeps the claim approvable",
        _factory(RejectKeepsTheClaimOpen),
        breaks=("FIN-041",),
    ),
    Mutant(
        "lists-month-without-last-day",
        "leaves the last day out of a month's voucher list",
        _factory(ListsMonthWithoutLastDay),
        breaks=("FIN-042",),
    ),
    Mutant(
        "opens-eleven-months",
        "opens January to November only",
        _factory(OpensElevenMonths),
        breaks=("FIN-018",),
    ),
    Mutant(
        "closes-without-role", "lets anyone close a month", _factory(ClosesWithoutRole), breaks=("FIN-043",)
    ),
    Mutant(
        "sets-indicators-without-role",
        "lets anyone set an indicator",
        _factory(SetsIndicatorsWithoutRole),
        breaks=("FIN-043",),
    ),
    Mutant(
        "auditor-may-write",
        "lets a cross-organisation auditor write",
        _factory(AuditorMayWrite),
        breaks=("FIN-036",),
    ),
    Mutant(
        "finds-ids-of-any-organisation",
        "finds another organisation's voucher by id",
        _factory(FindsIdsOfAnyOrganisation),
        breaks=("FIN-036",),
    ),
    Mutant(
        "publishes-every-organisations-events",
        "returns other organisations' events",
        _factory(PublishesEveryOrganisationsEvents),
        breaks=("FIN-039",),
    ),
    Mutant(
        "audit-trail-of-any-organisation",
        "returns other organisations' audit records",
        _factory(AuditTrailOfAnyOrganisation),
        breaks=("FIN-036",),
    ),
    Mutant(
        "reversal-keeps-the-original-date",
        "dates a reversal like its original",
        _factory(ReversalKeepsTheOriginalDate),
        breaks=("FIN-013",),
    ),
    Mutant(
        "payment-keeps-the-commitment",
        "pays a claim without releasing its commitment",
        _factory(PaymentKeepsTheCommitment),
        breaks=("FIN-026",),
    ),
    Mutant(
        "approves-beyond-the-budget",
        "approves claims without budget control",
        _factory(ApprovesBeyondTheBudget),
        breaks=("FIN-022",),
    ),
    Mutant(
        "sub-account-closes-a-day-early",
        "refuses a sub-account on its closing day",
        _factory(SubAccountClosesADayEarly),
        breaks=("FIN-034",),
    ),
    Mutant(
        "books-events-into-closed-periods",
        "books asset events into closed months",
        _factory(BooksEventsIntoClosedPeriods),
        breaks=("FIN-032",),
    ),
    Mutant(
        "depreciation-on-the-first-day",
        "dates depreciation on the first of the month",
        _factory(DepreciationOnTheFirstDay),
        breaks=("FIN-033",),
    ),
    Mutant(
        "refused-posting-burns-a-number",
        "leaves a numbering gap after a refused posting",
        _factory(RefusedPostingBurnsANumber),
        breaks=("FIN-019",),
    ),
    Mutant(
        "posts-as-the-system",
        "posts for anyone as a system bookkeeper",
        _factory(PostsAsTheSystem),
        breaks=("FIN-011",),
    ),
    Mutant(
        "transfers-need-budget",
        "demands a budget entry for transfers between funds",
        _factory(TransfersNeedBudget),
        breaks=("FIN-007",),
    ),
    Mutant(
        "lists-every-organisations-vouchers",
        "lists a period's vouchers of every organisation",
        _factory(ListsEveryOrganisationsVouchers),
        breaks=("FIN-036",),
    ),
    Mutant(
        "statements-from-january",
        "ignores from_month in the income statement",
        _factory(StatementsFromJanuary),
        breaks=("FIN-030",),
    ),
    Mutant(
        "disposal-loss-as-other-expense",
        "books a disposal's net value to 5901",
        _factory(DisposalLossAsOtherExpense),
        breaks=("FIN-033",),
    ),
    Mutant(
        "ignores-the-opening-depreciation",
        "books an asset brought over at cost, without its opening accumulated depreciation",
        _factory(IgnoresTheOpeningDepreciation),
        breaks=("FIN-044",),
    ),
    Mutant(
        "opening-amortisation-to-1602",
        "books an intangible asset's opening amortisation to 1602",
        _factory(OpeningAmortisationTo1602),
        breaks=("FIN-044",),
    ),
]
