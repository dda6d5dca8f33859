"""The reference implementation of :class:`~govparts.finance.FinanceService` on SQL tables."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from govparts.core import audit
from govparts.core.errors import (
    GuardFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from govparts.core.i18n import N_
from govparts.core.money import Money
from govparts.core.process import ProcessEngine, TransitionContext
from govparts.core.security import Actor, check_org

from . import _assets, _reports, rules
from ._chart import chart
from ._domain import DOMAIN
from ._errors import BudgetExceeded, PeriodClosed
from ._ledger import (
    AUX as _AUX,
)
from ._ledger import (
    PostingBatch,
    PostingHasher,
    add_to_balances,
    add_totals,
    bulk_insert,
    chain_record,
    db_value,
    lock_chain,
    new_id,
    new_ids,
    next_numbers,
    posting_content,
    posting_digest,
    reserve_numbers,
    write_chain,
)
from .events import ASSET_DEPRECIATED, ASSET_REGISTERED, CONSUMED, EVENT_TYPES, VOUCHER_POSTED
from .models import (
    AssetDepreciatedAsFinanceReadsIt,
    AssetDisposedAsFinanceReadsIt,
    AssetRegisteredAsFinanceReadsIt,
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
    VoucherLine,
    VoucherPosted,
)
from .processes import REIMBURSEMENT, VOUCHER
from .tables import (
    CHAIN,
    COMMITMENT,
    ENTRY,
    HEAD,
    INDICATOR,
    LINE,
    PERIOD,
    SUB_ACCOUNT,
    FinanceReimbursement,
    FinanceVoucher,
)
from .tables import (
    VOUCHER as VOUCHER_TABLE,
)

REIMBURSEMENT_TABLE: sa.Table = FinanceReimbursement.__table__  # type: ignore[attr-defined]

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

__all__ = ["ReferenceService"]

SYSTEM_ACTOR = Actor(id="system:finance", name="finance", roles=frozenset({"accountant"}))
ASSET_EVENTS_ACTOR = Actor(id="system:assets", name="assets", roles=frozenset({"reviewer", "bookkeeper"}))
"""Who reviews and posts the voucher of an asset event delivered by the dispatcher."""


def _same_org(org: str, named: str, field: str) -> None:
    """Refuse a record that names another organisation than the call's ``org``."""
    if named != org:
        raise InvalidInput(
            N_("{field}: the record names another organisation than the call"), field=field, domain=DOMAIN
        )


def _reviewer_is_not_preparer(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
    if entity.preparer == actor.id:
        return "the reviewer prepared this voucher (审核人不得为制单人)"
    return None


def _precheck(process: ProcessEngine, session: Session, row: Any, transition: str, actor: Actor) -> None:
    """Let the engine refuse a transition (state, role, separation of duties) before other checks run."""
    if transition not in process.allowed(row, actor, session):
        process.fire(session, row, transition, actor)


def _posted_payload(ctx: TransitionContext) -> VoucherPosted:
    v = ctx.entity
    return VoucherPosted(
        voucher_id=v.id,
        org=v.org,
        number=v.number,
        year=v.year,
        month=v.month,
        date=v.date,
        kind=v.kind,
        hash=v.hash,
    )


def _line_tuple(line: VoucherLine, system: str) -> tuple[Any, ...]:
    return (system, line.account, line.side, line.amount.fen, *(getattr(line, n) for n in _AUX))


class ReferenceService:
    """The reference finance service on a SQLAlchemy engine (SQLite or PostgreSQL).

    ``unbudgeted`` says what happens to budget expenditure charged to a project and economic class
    with no indicator: ``"refuse"`` (the default: no account is silently unlimited) or ``"allow"``.
    """

    def __init__(self, engine: Engine, *, unbudgeted: Literal["refuse", "allow"] = "refuse") -> None:
        self.engine = engine
        self.unbudgeted = unbudgeted
        self.vouchers_process = ProcessEngine(
            VOUCHER,
            guards={"reviewer_is_not_preparer": _reviewer_is_not_preparer},
            payloads={"post": _posted_payload},
        )
        self.reimbursements_process = ProcessEngine(REIMBURSEMENT)

    def capabilities(self) -> Any:
        from govparts.conformance import Capabilities

        return Capabilities(part="finance", version="1.0", features=frozenset())

    def _session(self) -> Any:
        from govparts.core.db import session_scope

        return session_scope(self.engine)

    # -- periods and accounts ----------------------------------------------------------------------

    def open_year(self, actor: Actor, org: str, year: int) -> None:
        """Open the twelve monthly periods of ``year`` for ``org`` (existing ones are left as they are)."""
        self._gate(actor, org, write=True)
        self._require(actor, "chief_accountant", "open_year")
        with self._session() as session:
            existing = {
                int(m)
                for m in session.execute(
                    sa.select(PERIOD.c.month).where(PERIOD.c.org == org, PERIOD.c.year == year)
                ).scalars()
            }
            rows = [{"org": org, "year": year, "month": m, "closed": False} for m in range(1, 13)]
            rows = [r for r in rows if r["month"] not in existing]
            if rows:
                session.execute(sa.insert(PERIOD), rows)
            audit.append(
                session, action="open_year", entity="finance_period", entity_id=f"{org}/{year}", actor=actor
            )

    def close_period(self, actor: Actor, org: str, year: int, month: int) -> None:
        """Close a period of ``org``: nothing can be posted into it afterwards, ever (结账); the same
        period of another organisation stays open."""
        self._gate(actor, org, write=True)
        self._require(actor, "chief_accountant", "close_period")
        with self._session() as session:
            row = session.execute(
                sa.select(PERIOD.c.closed)
                .where(PERIOD.c.org == org, PERIOD.c.year == year, PERIOD.c.month == month)
                .with_for_update()
            ).first()
            if row is None or row.closed:
                raise PeriodClosed(field="period", period=f"{year}-{month:02d}", org=org)
            session.execute(
                sa.update(PERIOD)
                .where(PERIOD.c.org == org, PERIOD.c.year == year, PERIOD.c.month == month)
                .values(closed=True, closed_at=datetime.now(UTC), closed_by=actor.id)
            )
            audit.append(
                session,
                action="close_period",
                entity="finance_period",
                entity_id=f"{org}/{year}-{month:02d}",
                actor=actor,
            )

    def open_periods(self, actor: Actor, org: str) -> list[tuple[int, int]]:
        """The (year, month) periods of ``org`` open for posting."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(PERIOD.c.year, PERIOD.c.month)
                .where(PERIOD.c.org == org, PERIOD.c.closed.is_(False))
                .order_by(PERIOD.c.year, PERIOD.c.month)
            )
            return [(int(r.year), int(r.month)) for r in rows]

    def add_sub_account(self, actor: Actor, org: str, account: SubAccount) -> SubAccount:
        """Add a sub-account below a standard account; standard codes cannot be added or changed."""
        self._gate(actor, org, write=True)
        _same_org(org, account.org, "account.org")
        self._require(actor, "chief_accountant", "add_sub_account")
        from .exchange import width_problem

        problem = width_problem(account) or rules.sub_account_problem(account)
        if problem is not None:
            raise problem
        with self._session() as session:
            if account.parent not in chart():
                parent = session.execute(
                    sa.select(SUB_ACCOUNT.c.code).where(
                        SUB_ACCOUNT.c.org == account.org, SUB_ACCOUNT.c.code == account.parent
                    )
                ).first()
                if parent is None:
                    raise NotFound(field="parent", kind="account", got=account.parent)
            session.execute(sa.insert(SUB_ACCOUNT).values(**account.model_dump()))
            audit.append(
                session,
                action="add_sub_account",
                entity="finance_account",
                entity_id=f"{account.org}/{account.code}",
                actor=actor,
                after=account,
            )
        return account

    # -- vouchers ----------------------------------------------------------------------------------

    def _check_accounts(self, conn: Any, org: str, day: date, lines: Sequence[VoucherLine]) -> None:
        self._check_sub_accounts(conn, org, [("", day, lines)])

    def _check_sub_accounts(
        self, conn: Any, org: str, vouchers: Sequence[tuple[str, date, Sequence[VoucherLine]]]
    ) -> None:
        """Check that the sub-accounts used by ``(field prefix, date, lines)`` exist and are open that
        day, with one query for them all."""
        standard = chart()
        subs = {line.account for _, _, lines in vouchers for line in lines if line.account not in standard}
        if not subs:
            return
        rows = {
            r.code: r
            for r in conn.execute(
                sa.select(SUB_ACCOUNT).where(SUB_ACCOUNT.c.org == org, SUB_ACCOUNT.c.code.in_(sorted(subs)))
            )
        }
        for prefix, day, lines in vouchers:
            self._check_sub_account_lines(rows, prefix, day, lines)

    @staticmethod
    def _check_sub_account_lines(
        rows: Mapping[str, Any], prefix: str, day: date, lines: Sequence[VoucherLine]
    ) -> None:
        for index, line in enumerate(lines):
            if line.account in chart():
                continue
            row = rows.get(line.account)
            field = f"{prefix}lines[{index}].account"
            if row is None:
                raise NotFound(field=field, kind="account", got=line.account)
            if day < row.opened_on or (row.closed_on is not None and day > row.closed_on):
                raise InvalidInput(
                    N_("{field}: account {got} is not open on {day}"),
                    field=field,
                    got=line.account,
                    day=day.isoformat(),
                    domain=DOMAIN,
                )

    def _check_periods_open(self, conn: Any, org: str, periods: set[tuple[int, int]], field: str) -> None:
        """Like :meth:`_check_period_open` for several periods, with one query."""
        years = sorted({year for year, _ in periods})
        rows = conn.execute(
            sa.select(PERIOD.c.year, PERIOD.c.month, PERIOD.c.closed).where(
                PERIOD.c.org == org, PERIOD.c.year.in_(years)
            )
        )
        open_ = {(int(r.year), int(r.month)) for r in rows if not r.closed}
        shut = sorted(periods - open_)
        if shut:
            year, month = shut[0]
            raise PeriodClosed(field=field, period=f"{year}-{month:02d}", org=org)

    def _check_period_open(self, conn: Any, org: str, year: int, month: int, field: str = "date") -> None:
        row = conn.execute(
            sa.select(PERIOD.c.closed).where(
                PERIOD.c.org == org, PERIOD.c.year == year, PERIOD.c.month == month
            )
        ).first()
        if row is None or row.closed:
            raise PeriodClosed(field=field, period=f"{year}-{month:02d}", org=org)

    def _validate_draft(self, conn: Any, draft: VoucherDraft, *, red_ink: bool = False) -> None:
        rules.check_voucher_lines(draft.lines, red_ink=red_ink)
        rules.check_parallel_recording(draft.lines, draft.exemption)
        self._check_accounts(conn, draft.org, draft.date, draft.lines)
        year, month = rules.period_of(draft.date)
        self._check_period_open(conn, draft.org, year, month)

    def create_voucher(
        self,
        actor: Actor,
        org: str,
        draft: VoucherDraft,
        *,
        kind: str = "normal",
        reverses: str | None = None,
        commitment_id: str | None = None,
    ) -> Voucher:
        """Record a draft voucher (制单) after checking its lines, accounts and period."""
        self._gate(actor, org, write=True)
        _same_org(org, draft.org, "draft.org")
        self._require(actor, "accountant", "create_voucher")
        with self._session() as session:
            self._validate_draft(session, draft, red_ink=kind == "reversal")
            voucher_id = self._insert_voucher(
                session, draft=draft, actor=actor, kind=kind, reverses=reverses, commitment_id=commitment_id
            )
        return self._voucher(voucher_id)

    def _insert_voucher(
        self,
        session: Session,
        *,
        draft: VoucherDraft,
        actor: Actor,
        kind: str,
        reverses: str | None,
        commitment_id: str | None,
    ) -> str:
        year, month = rules.period_of(draft.date)
        row = FinanceVoucher(
            id=new_id(),
            org=draft.org,
            date=draft.date,
            year=year,
            month=month,
            summary=draft.summary,
            kind=kind,
            exemption=draft.exemption,
            preparer=actor.id,
            reverses=reverses,
            commitment_id=commitment_id,
        )
        self.vouchers_process.create(session, row, actor)
        session.execute(
            sa.insert(LINE),
            [
                {
                    "voucher_id": row.id,
                    "line_no": index,
                    "system": rules.account_of(line.account).system,
                    **line.model_dump(),
                }
                for index, line in enumerate(draft.lines, 1)
            ],
        )
        return row.id

    def _load(self, session: Session, voucher_id: str) -> FinanceVoucher:
        found = session.get(FinanceVoucher, voucher_id, with_for_update=True)
        if found is None:
            raise NotFound(field="voucher_id", kind="voucher", got=voucher_id)
        return found

    def review_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        """Review a draft (审核): the reviewer may not be the preparer."""
        self._gate_voucher(actor, org, voucher_id, write=True)
        with self._session() as session:
            row = self._load(session, voucher_id)
            self.vouchers_process.fire(session, row, "review", actor)
            session.execute(
                sa.update(VOUCHER_TABLE).where(VOUCHER_TABLE.c.id == voucher_id).values(reviewer=actor.id)
            )
        return self._voucher(voucher_id)

    def unreview_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        """Withdraw a review (取消审核): the voucher goes back to draft."""
        self._gate_voucher(actor, org, voucher_id, write=True)
        with self._session() as session:
            row = self._load(session, voucher_id)
            self.vouchers_process.fire(session, row, "unreview", actor)
            session.execute(
                sa.update(VOUCHER_TABLE).where(VOUCHER_TABLE.c.id == voucher_id).values(reviewer=None)
            )
        return self._voucher(voucher_id)

    def _draft_lines(self, conn: Any, voucher_id: str) -> tuple[VoucherLine, ...]:
        rows = conn.execute(sa.select(LINE).where(LINE.c.voucher_id == voucher_id).order_by(LINE.c.line_no))
        return tuple(
            VoucherLine(account=r.account, side=r.side, amount=r.amount, **{n: getattr(r, n) for n in _AUX})
            for r in rows
        )

    def post_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        """Post a reviewed voucher (记账): number it, chain it, write the ledger; all or nothing.

        Checks again what may have changed since the draft: the period is open, the accounts are
        open, the lines balance, the parallel entry is there and the budget indicators allow it.
        """
        self._gate_voucher(actor, org, voucher_id, write=True)
        with self._session() as session:
            row = self._load(session, voucher_id)
            _precheck(self.vouchers_process, session, row, "post", actor)
            lines = self._draft_lines(session, voucher_id)
            draft = VoucherDraft(
                org=row.org,
                date=row.date,
                summary=row.summary,
                lines=lines,
                exemption=row.exemption,
            )
            self._validate_draft(session, draft, red_ink=row.kind == "reversal")
            warnings = self._check_budget(session, row.org, row.year, lines, row.commitment_id)
            seq, previous = lock_chain(session, row.org)
            number = next_numbers(session, row.org, row.year, row.month, 1)
            now = datetime.now(UTC)
            alg = audit.hash_algorithm()
            content = posting_content(
                number,
                row.date.isoformat(),
                [_line_tuple(line, rules.account_of(line.account).system) for line in lines],
                alg,
            )
            record = chain_record(
                org=row.org,
                seq=seq + 1,
                voucher_id=voucher_id,
                recorded_at=now,
                actor_id=actor.id,
                alg=alg,
                prev_hash=previous,
                content=content,
            )
            write_chain(session, row.org, [record])
            session.execute(
                sa.insert(ENTRY),
                [
                    {
                        "voucher_id": voucher_id,
                        "line_no": index,
                        "org": row.org,
                        "period": row.year * 100 + row.month,
                        "date": row.date,
                        "number": number,
                        "kind": row.kind,
                        "system": rules.account_of(line.account).system,
                        **line.model_dump(),
                    }
                    for index, line in enumerate(lines, 1)
                ],
            )
            add_to_balances(
                session,
                row.org,
                [
                    (
                        row.year * 100 + row.month,
                        x.account,
                        rules.account_of(x.account).system,
                        x.side,
                        x.amount.fen,
                    )
                    for x in lines
                ],
            )
            session.execute(sa.delete(LINE).where(LINE.c.voucher_id == voucher_id))
            values = {
                "number": number,
                "hash": record["hash"],
                "poster": actor.id,
                "posted_at": now,
                "warnings": "\n".join(warnings),
            }
            session.execute(sa.update(VOUCHER_TABLE).where(VOUCHER_TABLE.c.id == voucher_id).values(**values))
            for name, value in values.items():
                set_committed_value(row, name, value)
            if row.commitment_id is not None:
                session.execute(
                    sa.update(COMMITMENT).where(COMMITMENT.c.id == row.commitment_id).values(released=True)
                )
            self.vouchers_process.fire(session, row, "post", actor)
        return self._voucher(voucher_id)

    def reverse_voucher(
        self, actor: Actor, org: str, voucher_id: str, on: date, summary: str | None = None
    ) -> Voucher:
        """Prepare the red-ink reversal (红字冲销) of a posted voucher, dated ``on`` in an open period.

        The reversal is a new draft pointing to the original (which never changes); it is reviewed
        and posted like any voucher. A voucher is reversed at most once.
        """
        self._gate_voucher(actor, org, voucher_id, write=True)
        original = self._voucher(voucher_id)
        if original.state != "posted":
            raise TransitionNotAllowed(
                N_("{field}: only a posted voucher can be reversed; {got} is {state}"),
                field="voucher_id",
                got=voucher_id,
                state=original.state,
                domain=DOMAIN,
            )
        if original.reversed_by is not None or original.kind == "reversal":
            raise GuardFailed(
                N_("{field}: voucher {got} is already reversed or is itself a reversal"),
                field="voucher_id",
                got=voucher_id,
                domain=DOMAIN,
            )
        draft = VoucherDraft(
            org=original.org,
            date=on,
            summary=summary or f"冲销 {original.year}-{original.month:02d} #{original.number}",
            lines=rules.reversal_lines(original.lines),
            exemption=original.exemption,
        )
        return self.create_voucher(actor, draft.org, draft, kind="reversal", reverses=voucher_id)

    def get_voucher(self, actor: Actor, org: str, voucher_id: str) -> Voucher:
        """The voucher ``voucher_id`` with its lines."""
        self._gate_voucher(actor, org, voucher_id, write=False)
        return self._voucher(voucher_id)

    def _voucher(self, voucher_id: str) -> Voucher:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(VOUCHER_TABLE).where(VOUCHER_TABLE.c.id == voucher_id)).first()
            if row is None:
                raise NotFound(field="voucher_id", kind="voucher", got=voucher_id)
            if row.state == "posted":
                entries = conn.execute(
                    sa.select(ENTRY).where(ENTRY.c.voucher_id == voucher_id).order_by(ENTRY.c.line_no)
                )
                lines = tuple(
                    VoucherLine(
                        account=r.account, side=r.side, amount=r.amount, **{n: getattr(r, n) for n in _AUX}
                    )
                    for r in entries
                )
            else:
                lines = self._draft_lines(conn, voucher_id)
            reversed_by = conn.execute(
                sa.select(VOUCHER_TABLE.c.id).where(VOUCHER_TABLE.c.reverses == voucher_id)
            ).scalar()
            return Voucher(
                id=row.id,
                org=row.org,
                date=row.date,
                year=row.year,
                month=row.month,
                summary=row.summary,
                state=row.state,
                kind=row.kind,
                lines=lines,
                number=row.number,
                preparer=row.preparer,
                reviewer=row.reviewer,
                poster=row.poster,
                reverses=row.reverses,
                reversed_by=reversed_by,
                exemption=row.exemption,
                warnings=tuple(w for w in row.warnings.split("\n") if w),
                hash=row.hash,
            )

    def vouchers(self, actor: Actor, org: str, year: int, month: int) -> list[Voucher]:
        """The vouchers of ``org``'s period, posted ones first in number order."""
        self._gate(actor, org, write=False, entity_id=f"{org}/{year}-{month:02d}")
        with self.engine.connect() as conn:
            ids = conn.execute(
                sa.select(VOUCHER_TABLE.c.id)
                .where(
                    VOUCHER_TABLE.c.org == org, VOUCHER_TABLE.c.year == year, VOUCHER_TABLE.c.month == month
                )
                .order_by(VOUCHER_TABLE.c.number.is_(None), VOUCHER_TABLE.c.number, VOUCHER_TABLE.c.id)
            ).scalars()
            found = list(ids)
        return [self._voucher(i) for i in found]

    def post_generated(
        self, actor: Actor, org: str, draft: VoucherDraft, *, kind: str = "generated"
    ) -> Voucher:
        """Create, review and post a voucher generated by the system from a rule (asset events,
        reimbursement payment, year-end closing), as the system actor with its own two roles.

        The generated voucher passes every check an entered one does.
        """
        self._gate(actor, org, write=True)
        _same_org(org, draft.org, "draft.org")
        preparer = self._as_system(actor, frozenset({"accountant"}), prefix="finance")
        reviewer = self._as_system(actor, frozenset({"reviewer", "bookkeeper"}))
        made = self.create_voucher(preparer, draft.org, draft, kind=kind)
        self.review_voucher(reviewer, made.org, made.id)
        return self.post_voucher(reviewer, made.org, made.id)

    # -- bulk posting --------------------------------------------------------------------------------

    def post_batch(self, actor: Actor, org: str, drafts: Sequence[VoucherDraft]) -> list[str]:
        """Post already-approved vouchers in bulk (a migration, a generated monthly run), one transaction.

        Every voucher passes the checks of :meth:`post_voucher` (balance per system, parallel
        recording, accounts, open period); the numbers are consecutive per period, each voucher is
        chained, and one audit record names the batch. Budget control is the one of
        :meth:`post_voucher`, applied to the vouchers in order (each one sees the budget the ones
        before it used): a ``stop`` indicator refuses the batch, a ``warn`` indicator leaves its
        warning on the voucher. The actor needs both the reviewer and the bookkeeper roles. Returns
        the voucher ids in order. Errors name the voucher as ``drafts[i]``; nothing is written
        unless every voucher passes.
        """
        self._gate(actor, org, write=True)
        for index, draft in enumerate(drafts):
            _same_org(org, draft.org, f"drafts[{index}].org")
        self._require(actor, "bookkeeper", "post_batch")
        self._require(actor, "reviewer", "post_batch")
        if not drafts:
            return []
        periods = {day: rules.period_of(day) for day in {d.date for d in drafts}}
        counts: dict[tuple[int, int], int] = {}
        for draft in drafts:
            key = periods[draft.date]
            counts[key] = counts.get(key, 0) + 1
        now = datetime.now(UTC)
        hasher = PostingHasher(org=org, actor_id=actor.id, recorded_at=now, alg=audit.hash_algorithm())
        ids = new_ids(len(drafts))
        with self._session() as session:
            self._check_periods_open(session, org, set(counts), field="drafts.date")
            seq, previous = lock_chain(session, org)
            first = reserve_numbers(session, org, counts)
            stored_day = {day: db_value(session, day) for day in periods}
            batch = PostingBatch(
                org=org,
                actor_id=actor.id,
                hasher=hasher,
                stored_now=db_value(session, now),
                seq=seq,
                prev_hash=previous,
            )
            for index, (voucher_id, draft) in enumerate(zip(ids, drafts, strict=True)):
                year, month = key = periods[draft.date]
                number = first[key]
                first[key] = number + 1
                batch.add(
                    index,
                    draft,
                    voucher_id=voucher_id,
                    number=number,
                    period=year * 100 + month,
                    day=stored_day[draft.date],
                )
            subs = [(f"drafts[{i}].", drafts[i].date, drafts[i].lines) for i in batch.with_sub_accounts]
            self._check_sub_accounts(session, org, subs)
            budget = [(f"drafts[{i}].lines", d.date.year, d.lines) for i, d in enumerate(drafts)]
            column = PostingBatch.VOUCHER_COLUMNS.index("warnings")
            for index, warnings in enumerate(self._budget_control(session, org, budget)):
                if warnings:
                    row = batch.vouchers[index]
                    batch.vouchers[index] = (*row[:column], "\n".join(warnings), *row[column + 1 :])
            bulk_insert(session, VOUCHER_TABLE, PostingBatch.VOUCHER_COLUMNS, batch.vouchers)
            bulk_insert(session, ENTRY, PostingBatch.ENTRY_COLUMNS, batch.entries)
            add_totals(
                session,
                org,
                {(p, a): item for p, accounts in batch.totals.items() for a, item in accounts.items()},
            )
            bulk_insert(session, CHAIN, PostingBatch.CHAIN_COLUMNS, batch.chain)
            session.execute(
                sa.update(HEAD).where(HEAD.c.org == org).values(seq=batch.seq, hash=batch.prev_hash)
            )
            audit.append(
                session,
                action="post_batch",
                entity="finance_voucher",
                entity_id=f"{org}/batch/{ids[0]}",
                actor=actor,
                details={"count": len(ids), "first": ids[0], "last": ids[-1], "lines": len(batch.entries)},
                at=now,
            )
            self._record_batch(session, actor, batch, ids, now)
        return ids

    @staticmethod
    def _record_batch(
        session: Session, actor: Actor, batch: PostingBatch, ids: Sequence[str], now: datetime
    ) -> None:
        """One audit record and one ``voucher.posted`` event per voucher of a batch, as single posting
        leaves them (ARCHITECTURE: a bulk path writes the same audit records and events)."""
        from govparts.core import events

        column = {name: i for i, name in enumerate(PostingBatch.VOUCHER_COLUMNS)}
        audit.append_many(
            session,
            [
                audit.AuditEntry(
                    "post_batch",
                    "voucher",
                    voucher_id,
                    actor,
                    None,
                    {"state": "posted", "number": row[column["number"]]},
                    {"batch": ids[0]},
                )
                for voucher_id, row in zip(ids, batch.vouchers, strict=True)
            ],
            at=now,
        )
        payloads = [
            (
                f"voucher/{row[column['id']]}",
                VoucherPosted(
                    voucher_id=row[column["id"]],
                    org=row[column["org"]],
                    number=row[column["number"]],
                    year=row[column["year"]],
                    month=row[column["month"]],
                    date=row[column["date"]],
                    kind=row[column["kind"]],
                    hash=row[column["hash"]],
                ).model_dump(mode="json"),
            )
            for row in batch.vouchers
        ]
        events.publish_batch(session, VOUCHER_POSTED, payloads, time=now)

    # -- the chain ---------------------------------------------------------------------------------

    def verify_chain(self, actor: Actor, org: str) -> ChainReport:
        """Recompute every posting hash of ``org`` from the ledger and check the links."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            previous = audit.GENESIS_HASH
            checked = 0
            chain_rows = conn.execute(sa.select(CHAIN).where(CHAIN.c.org == org).order_by(CHAIN.c.seq))
            for row in chain_rows:
                entries = conn.execute(
                    sa.select(ENTRY).where(ENTRY.c.voucher_id == row.voucher_id).order_by(ENTRY.c.line_no)
                ).all()
                if not entries:
                    return ChainReport(org=org, ok=False, checked=checked, broken_at=int(row.seq))
                tuples = [
                    (e.system, e.account, e.side, e.amount.fen, *(getattr(e, n) for n in _AUX))
                    for e in entries
                ]
                content = posting_content(
                    int(entries[0].number), entries[0].date.isoformat(), tuples, row.alg
                )
                expected = posting_digest(
                    seq=int(row.seq),
                    recorded_at=row.recorded_at,
                    actor_id=row.actor_id,
                    org=org,
                    voucher_id=row.voucher_id,
                    content=content,
                    alg=row.alg,
                    prev_hash=previous,
                )
                if row.prev_hash != previous or row.hash != expected or checked + 1 != int(row.seq):
                    return ChainReport(org=org, ok=False, checked=checked, broken_at=int(row.seq))
                previous = row.hash
                checked += 1
            return ChainReport(org=org, ok=True, checked=checked)

    # -- budget control ------------------------------------------------------------------------------

    def set_indicator(self, actor: Actor, org: str, indicator: Indicator) -> Indicator:
        """Set (or replace) the budget indicator of a project and economic class in a year."""
        self._gate(actor, org, write=True)
        _same_org(org, indicator.org, "indicator.org")
        self._require(actor, "budget_officer", "set_indicator")
        with self._session() as session:
            key = (
                (INDICATOR.c.org == indicator.org)
                & (INDICATOR.c.year == indicator.year)
                & (INDICATOR.c.project == indicator.project)
                & (INDICATOR.c.econ_class == indicator.econ_class)
            )
            values = indicator.model_dump()
            if session.execute(sa.select(INDICATOR.c.id).where(key)).first() is None:
                session.execute(sa.insert(INDICATOR).values(**values))
            else:
                session.execute(
                    sa.update(INDICATOR).where(key).values(amount=values["amount"], control=values["control"])
                )
            audit.append(
                session,
                action="set_indicator",
                entity="finance_indicator",
                entity_id=f"{indicator.org}/{indicator.year}/{indicator.project}/{indicator.econ_class}",
                actor=actor,
                after=indicator,
            )
        return indicator

    def _usage(self, conn: Any, ind: Any, exclude_commitment: str | None) -> tuple[int, int]:
        fen = sa.type_coerce(ENTRY.c.amount, sa.BigInteger)
        signed_amount = sa.case((ENTRY.c.side == "debit", fen), else_=-fen)
        posted = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(signed_amount), 0)).where(
                ENTRY.c.org == ind.org,
                ENTRY.c.period.between(ind.year * 100 + 1, ind.year * 100 + 12),
                ENTRY.c.account.like("7%"),
                ENTRY.c.project == ind.project,
                ENTRY.c.econ_class == ind.econ_class,
                ENTRY.c.kind != "closing",
            )
        ).scalar()
        query = sa.select(
            sa.func.coalesce(sa.func.sum(sa.type_coerce(COMMITMENT.c.amount, sa.BigInteger)), 0)
        ).where(COMMITMENT.c.indicator_id == ind.id, COMMITMENT.c.released.is_(False))
        if exclude_commitment is not None:
            query = query.where(COMMITMENT.c.id != exclude_commitment)
        committed = conn.execute(query).scalar()
        return int(posted), int(committed)

    def _indicator_row(self, conn: Any, org: str, year: int, project: str | None, econ: str | None) -> Any:
        return conn.execute(
            sa.select(INDICATOR)
            .where(
                INDICATOR.c.org == org,
                INDICATOR.c.year == year,
                INDICATOR.c.project == (project or ""),
                INDICATOR.c.econ_class == (econ or ""),
            )
            .with_for_update()
        ).first()

    def _check_budget(
        self,
        conn: Any,
        org: str,
        year: int,
        lines: Sequence[VoucherLine],
        commitment_id: str | None,
        *,
        field: str = "lines",
    ) -> list[str]:
        """Budget control (预算控制) of one voucher: returns warnings; raises BudgetExceeded for a stop
        indicator."""
        return self._budget_control(conn, org, [(field, year, lines)], commitment_id)[0]

    def _budget_control(
        self,
        conn: Any,
        org: str,
        vouchers: Sequence[tuple[str, int, Sequence[VoucherLine]]],
        exclude_commitment: str | None = None,
    ) -> list[list[str]]:
        """Budget control (预算控制) of ``(field, year, lines)`` vouchers posted in this order.

        The one rule of :meth:`post_voucher` and :meth:`post_batch` (财会〔2017〕25号, 预算会计: budget
        expenditure is charged against its indicator): each voucher's net budget expenditure per
        project and economic class, when positive, must fit in what its indicator has left after
        the posted ledger, the open commitments and the vouchers before it; a ``stop`` indicator
        refuses (BudgetExceeded naming the voucher's field), a ``warn`` indicator returns a warning
        for that voucher; expenditure with no indicator is refused unless ``unbudgeted="allow"``.
        Indicators are locked and read, with their usage, in three queries for the whole list.
        """
        wanted: list[dict[tuple[str | None, str | None], int]] = []
        keys: set[tuple[int, str, str]] = set()
        for _, year, lines in vouchers:
            per: dict[tuple[str | None, str | None], int] = {}
            for line in lines:
                if rules.account_of(line.account).element == "budget_expenditure":
                    key = (line.project, line.econ_class)
                    per[key] = per.get(key, 0) + rules.signed(line.side, line.amount.fen)
            wanted.append(per)
            keys |= {(year, project or "", econ or "") for project, econ in per}
        out: list[list[str]] = [[] for _ in vouchers]
        if not keys:
            return out
        years = sorted({year for year, _, _ in keys})
        indicators = {
            (int(r.year), r.project, r.econ_class): r
            for r in self._locked_indicators(conn, org, years)
            if (int(r.year), r.project, r.econ_class) in keys
        }
        used = self._usage_of(conn, org, years, indicators, exclude_commitment)
        for (field, year, _), per, warnings in zip(vouchers, wanted, out, strict=True):
            for (project, econ), fen in sorted(per.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")):
                slot = (year, project or "", econ or "")
                ind = indicators.get(slot)
                if fen > 0:
                    if ind is None and self.unbudgeted != "allow":
                        raise GuardFailed(
                            N_(
                                "{field}: no budget indicator for project {project} "
                                "and economic class {econ} in {year}"
                            ),
                            field=field,
                            project=project or "-",
                            econ=econ or "-",
                            year=year,
                            domain=DOMAIN,
                        )
                    if ind is not None:
                        available = ind.amount.fen - used[slot]
                        if fen > available:
                            label = f"{project}/{econ}"
                            if ind.control == "stop":
                                raise BudgetExceeded(
                                    field=field,
                                    amount=str(Money.from_fen(fen)),
                                    available=str(Money.from_fen(available)),
                                    indicator=label,
                                )
                            warnings.append(
                                f"budget-exceeded:{label}:{Money.from_fen(fen)}>{Money.from_fen(available)}"
                            )
                if ind is not None:
                    used[slot] += fen
        return out

    @staticmethod
    def _locked_indicators(conn: Any, org: str, years: Sequence[int]) -> list[Any]:
        """The indicators of ``org`` in ``years``, locked until the transaction ends."""
        return list(
            conn.execute(
                sa.select(INDICATOR)
                .where(INDICATOR.c.org == org, INDICATOR.c.year.in_(years))
                .order_by(INDICATOR.c.id)
                .with_for_update()
            )
        )

    @staticmethod
    def _usage_of(
        conn: Any,
        org: str,
        years: Sequence[int],
        indicators: Mapping[tuple[int, str, str], Any],
        exclude_commitment: str | None,
    ) -> dict[tuple[int, str, str], int]:
        """Posted plus committed fen of each indicator, as :meth:`_usage` counts them, in two queries."""
        used = dict.fromkeys(indicators, 0)
        if not indicators:
            return used
        fen = sa.type_coerce(ENTRY.c.amount, sa.BigInteger)
        year = (ENTRY.c.period // 100).label("year")
        posted = conn.execute(
            sa.select(
                year,
                ENTRY.c.project,
                ENTRY.c.econ_class,
                sa.func.sum(sa.case((ENTRY.c.side == "debit", fen), else_=-fen)),
            )
            .where(
                ENTRY.c.org == org,
                ENTRY.c.period.between(min(years) * 100 + 1, max(years) * 100 + 12),
                ENTRY.c.account.like("7%"),
                ENTRY.c.kind != "closing",
                ENTRY.c.project.in_(sorted({p for _, p, _ in indicators})),
            )
            .group_by(year, ENTRY.c.project, ENTRY.c.econ_class)
        )
        for y, project, econ, total in posted:
            key = (int(y), project, econ)
            if key in used:
                used[key] += int(total or 0)
        by_id = {ind.id: key for key, ind in indicators.items()}
        query = (
            sa.select(
                COMMITMENT.c.indicator_id,
                sa.func.sum(sa.type_coerce(COMMITMENT.c.amount, sa.BigInteger)),
            )
            .where(COMMITMENT.c.indicator_id.in_(sorted(by_id)), COMMITMENT.c.released.is_(False))
            .group_by(COMMITMENT.c.indicator_id)
        )
        if exclude_commitment is not None:
            query = query.where(COMMITMENT.c.id != exclude_commitment)
        for indicator_id, total in conn.execute(query):
            used[by_id[indicator_id]] += int(total or 0)
        return used

    def budget_execution(self, actor: Actor, org: str, year: int) -> list[IndicatorExecution]:
        """Execution of every indicator of ``org`` in ``year``: posted, committed, available."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            out = []
            for ind in conn.execute(
                sa.select(INDICATOR)
                .where(INDICATOR.c.org == org, INDICATOR.c.year == year)
                .order_by(INDICATOR.c.project, INDICATOR.c.econ_class)
            ):
                posted, committed = self._usage(conn, ind, None)
                indicator = Indicator(
                    org=ind.org,
                    year=ind.year,
                    project=ind.project,
                    econ_class=ind.econ_class,
                    amount=ind.amount,
                    control=ind.control,
                )
                out.append(
                    IndicatorExecution(
                        indicator=indicator,
                        posted=Money.from_fen(posted),
                        committed=Money.from_fen(committed),
                        available=rules.available_budget(
                            ind.amount, Money.from_fen(posted), Money.from_fen(committed)
                        ),
                    )
                )
            return out

    # -- reimbursement -------------------------------------------------------------------------------

    def submit_reimbursement(self, actor: Actor, org: str, claim: ReimbursementClaim) -> Reimbursement:
        """Submit a claim (报销申请)."""
        self._gate(actor, org, write=True)
        _same_org(org, claim.org, "claim.org")
        self._require(actor, "claimant", "submit_reimbursement")
        for name in ("expense_account", "budget_account", "paying_account"):
            rules.account_of(getattr(claim, name), field=name)
        with self._session() as session:
            row = FinanceReimbursement(id=new_id(), org=claim.org, claim=claim.model_dump_json())
            self.reimbursements_process.create(session, row, actor)
            return self._reimbursement(row)

    def _reimbursement(self, row: Any) -> Reimbursement:
        return Reimbursement(
            id=row.id,
            claim=ReimbursementClaim.model_validate_json(row.claim),
            state=row.state,
            voucher_id=row.voucher_id,
        )

    def get_reimbursement(self, actor: Actor, org: str, reimbursement_id: str) -> Reimbursement:
        """The claim ``reimbursement_id`` and where it stands."""
        self._gate_claim(actor, org, reimbursement_id, write=False)
        with self._session() as session:
            return self._reimbursement(self._load_claim(session, reimbursement_id))

    def _load_claim(self, session: Session, reimbursement_id: str) -> FinanceReimbursement:
        row = session.get(FinanceReimbursement, reimbursement_id, with_for_update=True)
        if row is None:
            raise NotFound(field="reimbursement_id", kind="reimbursement", got=reimbursement_id)
        return row

    def review_reimbursement(self, actor: Actor, org: str, reimbursement_id: str) -> Reimbursement:
        """Review a claim (审核)."""
        self._gate_claim(actor, org, reimbursement_id, write=True)
        with self._session() as session:
            row = self._load_claim(session, reimbursement_id)
            self.reimbursements_process.fire(session, row, "review", actor)
            return self._reimbursement(row)

    def reject_reimbursement(
        self, actor: Actor, org: str, reimbursement_id: str, reason: str = ""
    ) -> Reimbursement:
        """Reject a claim (退回)."""
        self._gate_claim(actor, org, reimbursement_id, write=True)
        with self._session() as session:
            row = self._load_claim(session, reimbursement_id)
            self.reimbursements_process.fire(session, row, "reject", actor)
            return self._reimbursement(row)

    def approve_reimbursement(self, actor: Actor, org: str, reimbursement_id: str) -> Reimbursement:
        """Approve a claim (审批): the amount is committed against its budget indicator."""
        self._gate_claim(actor, org, reimbursement_id, write=True)
        with self._session() as session:
            row = self._load_claim(session, reimbursement_id)
            _precheck(self.reimbursements_process, session, row, "approve", actor)
            claim = ReimbursementClaim.model_validate_json(row.claim)
            lines = rules.budget_lines_for_payment(
                claim.amount,
                expenditure_account=claim.budget_account,
                project=claim.project,
                econ_class=claim.econ_class,
            )
            self._check_budget(session, claim.org, claim.date.year, lines, None, field="amount")
            self.reimbursements_process.fire(session, row, "approve", actor)
            ind = self._indicator_row(session, claim.org, claim.date.year, claim.project, claim.econ_class)
            if ind is not None:
                commitment = new_id()
                session.execute(
                    sa.insert(COMMITMENT).values(id=commitment, indicator_id=ind.id, amount=claim.amount)
                )
                row.commitment_id = commitment
                session.flush()
            return self._reimbursement(row)

    def pay_reimbursement(self, actor: Actor, org: str, reimbursement_id: str) -> Reimbursement:
        """Pay an approved claim (支付): generates and posts its voucher, financial and budget entries.

        Dr expense (5001/5101) / Cr paying account (1011) and Dr budget expenditure (7xxx) / Cr 8001
        资金结存 (平行记账); posting it releases the claim's commitment.
        """
        self._gate_claim(actor, org, reimbursement_id, write=True)
        with self._session() as session:
            row = self._load_claim(session, reimbursement_id)
            _precheck(self.reimbursements_process, session, row, "pay", actor)
            claim = ReimbursementClaim.model_validate_json(row.claim)
            commitment = row.commitment_id
        draft = VoucherDraft(
            org=claim.org,
            date=claim.date,
            summary=f"报销 {claim.purpose}"[:200],
            lines=(
                VoucherLine(
                    account=claim.expense_account,
                    side="debit",
                    amount=claim.amount,
                    payee=claim.claimant,
                    project=claim.project,
                    econ_class=claim.econ_class,
                    func_class=claim.func_class,
                ),
                VoucherLine(
                    account=claim.paying_account,
                    side="credit",
                    amount=claim.amount,
                    project=claim.project,
                    econ_class=claim.econ_class,
                    func_class=claim.func_class,
                ),
                *rules.budget_lines_for_payment(
                    claim.amount,
                    expenditure_account=claim.budget_account,
                    project=claim.project,
                    econ_class=claim.econ_class,
                    func_class=claim.func_class,
                ),
            ),
        )
        preparer = self._as_system(actor, frozenset({"accountant"}), prefix="finance")
        made = self.create_voucher(preparer, draft.org, draft, kind="generated", commitment_id=commitment)
        poster = self._as_system(actor, frozenset({"reviewer", "bookkeeper"}))
        self.review_voucher(poster, made.org, made.id)
        self.post_voucher(poster, made.org, made.id)
        with self._session() as session:
            row = self._load_claim(session, reimbursement_id)
            self.reimbursements_process.fire(session, row, "pay", actor)
            row.voucher_id = made.id
            session.flush()
            return self._reimbursement(row)

    # -- asset events --------------------------------------------------------------------------------

    def receive_event(self, actor: Actor, event: Any) -> Voucher | None:
        """Turn an asset event into its voucher, once per event id (idempotent).

        ``asset.registered``: Dr 1601 (1701 for intangible assets, from the category) / Cr the paying
        account (1011, 1002, 1001, or 4001 财政拨款收入 when paid by 财政直接支付), and Dr 7201 事业支出
        (7101 for administrative units is chosen by ``expenditure_account`` in the event, default
        7201) / Cr 8001 资金结存 (6001 财政拨款预算收入 for 财政直接支付); an asset brought over from
        earlier books adds its ``opening_accumulated_depreciation`` as Dr 3001 累计盈余 / Cr 1602
        (1702 for intangibles), no budget entry (:data:`~._assets.OPENING_NET_ASSETS`); a negative
        one, or one above the cost, is refused and nothing is booked; ``asset.depreciated``: Dr the
        debit (expense) accounts / Cr the credit (accumulated) accounts assets sends, no budget entry
        (REFERENCE §11.7); ``asset.disposed``: Dr the accumulated account (1602, 1702 for
        intangibles) and 5301 资产处置费用 / Cr the asset account the event names (1601 or 1701; from
        the category when it names none), no budget entry.
        """
        from govparts.core import events

        kind = CONSUMED.get(event.type)
        if kind is None:
            return None
        data = event.data if isinstance(event.data, dict) else json.loads(event.data)
        try:
            payload = kind.model_validate(data)
        except Exception as exc:
            from pydantic import ValidationError

            from govparts.core.errors import from_validation_error

            if isinstance(exc, ValidationError):
                raise from_validation_error(exc, model=event.type) from None
            raise
        draft = self._asset_draft(event.type, payload, data)
        self._gate(actor, draft.org, write=True, field="event")
        if actor.org is not None:
            self._require(actor, "bookkeeper", "receive_event")
        with self._session() as session:
            if not events.mark_processed(session, "finance.asset-vouchers", event.id):
                return None
        who = actor if actor.org is not None else ASSET_EVENTS_ACTOR
        try:
            return self.post_generated(who, draft.org, draft)
        except Exception:
            with self._session() as session:
                from govparts.core.events import ProcessedEvent

                session.execute(
                    sa.delete(ProcessedEvent.__table__).where(  # type: ignore[attr-defined]
                        sa.column("handler_id") == "finance.asset-vouchers", sa.column("event_id") == event.id
                    )
                )
            raise

    def asset_draft(self, type_name: str, payload: Any, data: Mapping[str, Any]) -> VoucherDraft:
        """The draft voucher of an asset event already read (``payload``), as :meth:`handle_asset_event`
        books it; ``data`` may add ``project``, ``econ_class`` and ``expenditure_account``."""
        return self._asset_draft(type_name, payload, data)

    def draft_in(
        self, session: Session, draft: VoucherDraft, *, actor: Actor, kind: str = "generated"
    ) -> str:
        """Validate and store ``draft`` as a draft voucher in the caller's transaction; its id.

        For event handlers: the dispatcher runs them in the delivery's transaction, so the draft
        exists exactly when the event is marked processed. Opening a transaction of its own here
        would, on SQLite, wait on the lock the delivery holds.
        """
        self._gate(actor, draft.org, write=True)
        self._validate_draft(session, draft)
        return self._insert_voucher(
            session, draft=draft, actor=actor, kind=kind, reverses=None, commitment_id=None
        )

    def _asset_draft(self, type_name: str, payload: Any, data: Mapping[str, Any]) -> VoucherDraft:
        if type_name == ASSET_REGISTERED:
            reg: AssetRegisteredAsFinanceReadsIt = payload
            budget_account = str(data.get("expenditure_account") or "7201")
            fund = "non_fiscal" if reg.funding_source == "non_fiscal" else "fiscal"
            budget = rules.budget_lines_for_payment(
                reg.amount,
                expenditure_account=budget_account,
                project=data.get("project"),
                econ_class=data.get("econ_class") or "310",
                fund=fund,  # type: ignore[arg-type]
                summary=reg.asset_id,
                credit_account=_assets.budget_credit_of(reg.paying_account),
            )
            lines: tuple[VoucherLine, ...] = (
                VoucherLine(account=reg.account, side="debit", amount=reg.amount, summary=reg.asset_id),
                VoucherLine(
                    account=reg.paying_account, side="credit", amount=reg.amount, summary=reg.asset_id
                ),
                *_opening_lines(reg),
                *budget,
            )
            return VoucherDraft(
                org=reg.org, date=reg.date, summary=f"资产购置 {reg.asset_id}"[:200], lines=lines
            )
        if type_name == ASSET_DEPRECIATED:
            dep: AssetDepreciatedAsFinanceReadsIt = payload
            import calendar

            day = date(dep.year, dep.month, calendar.monthrange(dep.year, dep.month)[1])
            totals = [t for t in dep.totals if t.amount.fen > 0]
            credits: dict[str, Money] = {}
            for t in totals:
                credits[t.credit_account] = credits.get(t.credit_account, Money.zero()) + t.amount
            lines = (
                *(VoucherLine(account=t.debit_account, side="debit", amount=t.amount) for t in totals),
                *(VoucherLine(account=a, side="credit", amount=m) for a, m in credits.items()),
            )
            return VoucherDraft(org=dep.org, date=day, summary=f"计提折旧 {dep.period}", lines=lines)
        disp: AssetDisposedAsFinanceReadsIt = payload
        net = disp.amount - disp.accumulated_depreciation
        out = [VoucherLine(account=disp.account, side="credit", amount=disp.amount, summary=disp.asset_id)]
        if disp.accumulated_depreciation.fen > 0:
            out.append(
                VoucherLine(
                    account=disp.accumulated_account,
                    side="debit",
                    amount=disp.accumulated_depreciation,
                    summary=disp.asset_id,
                )
            )
        if net.fen > 0:
            out.append(VoucherLine(account="5301", side="debit", amount=net, summary=disp.asset_id))
        return VoucherDraft(
            org=disp.org, date=disp.date, summary=f"资产处置 {disp.asset_id}"[:200], lines=tuple(out)
        )

    # -- observability -------------------------------------------------------------------------------

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[audit.TrailEntry]:
        """The audit records of one thing of ``org``, oldest first (the names: :class:`FinanceService`).

        A voucher or claim of another organisation, or an ``entity_id`` outside ``org``'s, has none.
        """
        self._gate(actor, org, write=False, entity_id=f"{org}/audit")
        owners = {"voucher": VOUCHER_TABLE, "reimbursement": REIMBURSEMENT_TABLE}
        table = owners.get(entity)
        if table is not None:
            if not self._owned(table, org, entity_id):
                return []
        elif entity_id != org and not entity_id.startswith(f"{org}/"):
            return []
        with self.engine.connect() as conn:
            return audit.trail(conn, entity, entity_id)

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[Any]:
        """The finance events published about ``org`` (of ``type`` when given), in publication order.

        ``voucher.posted`` names its organisation; ``reimbursement.paid`` is about a claim of ``org``.
        """
        from govparts.core.db import metadata
        from govparts.core.events import CloudEvent

        outbox = metadata.tables["core_outbox_event"]
        self._gate(actor, org, write=False, entity_id=f"{org}/events")
        types = [t.type for t in EVENT_TYPES if type is None or t.type == type]
        with self.engine.connect() as conn:
            claims = {
                f"reimbursement/{i}"
                for i in conn.execute(
                    sa.select(REIMBURSEMENT_TABLE.c.id).where(REIMBURSEMENT_TABLE.c.org == org)
                ).scalars()
            }
            rows = conn.execute(
                sa.select(outbox).where(outbox.c.type.in_(types)).order_by(outbox.c.position)
            ).all()
        out = []
        for r in rows:
            data = r.data if isinstance(r.data, dict) else json.loads(r.data)
            mine = data.get("org") == org if r.type == VOUCHER_POSTED.type else r.subject in claims
            if mine:
                out.append(
                    CloudEvent(
                        id=r.id,
                        source=r.source,
                        type=r.type,
                        time=r.time,
                        subject=r.subject,
                        datacontenttype=r.datacontenttype,
                        dataschema=r.dataschema,
                        data=data,
                        **(r.extensions or {}),
                    )
                )
        return out

    # -- helpers -------------------------------------------------------------------------------------

    def _gate(
        self, actor: Actor, org: str, *, write: bool, field: str = "org", entity_id: str | None = None
    ) -> None:
        """The organisation gate every method passes before it reads or changes ``org``'s books.

        An actor of another organisation gets ``OrganizationDenied`` (nothing read, nothing written);
        a cross-organisation auditor may read, and the read is recorded in the audit log
        (:func:`govparts.core.security.check_org`; ARCHITECTURE "Many offices in one database").
        """
        check_org(
            actor,
            org,
            write=write,
            field=field,
            audit_to=None if write else self.engine,
            entity="finance",
            entity_id=entity_id or org,
        )

    def _owned(self, table: Any, org: str, key: str) -> bool:
        """True when the voucher or claim ``key`` exists and belongs to ``org``."""
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(table.c.id).where(table.c.id == key, table.c.org == org)).first()
        return found is not None

    def _gate_voucher(self, actor: Actor, org: str, voucher_id: str, *, write: bool) -> None:
        """The organisation gate, then the voucher of ``org``: another organisation's is NotFound."""
        self._gate(actor, org, write=write, field="org", entity_id=f"{org}/{voucher_id}")
        if not self._owned(VOUCHER_TABLE, org, voucher_id):
            raise NotFound(field="voucher_id", kind="voucher", got=voucher_id)

    def _gate_claim(self, actor: Actor, org: str, reimbursement_id: str, *, write: bool) -> None:
        """The organisation gate, then the claim of ``org``: another organisation's is NotFound."""
        self._gate(actor, org, write=write, field="org", entity_id=f"{org}/{reimbursement_id}")
        if not self._owned(REIMBURSEMENT_TABLE, org, reimbursement_id):
            raise NotFound(field="reimbursement_id", kind="reimbursement", got=reimbursement_id)

    @staticmethod
    def _as_system(actor: Actor, roles: frozenset[str], *, prefix: str = "") -> Actor:
        """``actor`` acting with ``roles`` for a generated step, still bound to its organisation."""
        ident = f"{SYSTEM_ACTOR.id}:{actor.id}" if prefix else actor.id
        return Actor(id=ident, name=prefix or actor.name, roles=roles, org=actor.org)

    @staticmethod
    def _require(actor: Actor, role: str, action: str) -> None:
        if not actor.has_role(role):
            raise PermissionDenied(
                N_("{field}: {action} needs the role {expected}"),
                field="actor",
                action=action,
                expected=role,
                domain=DOMAIN,
            )

    # -- reports -------------------------------------------------------------------------------------

    def trial_balance(self, actor: Actor, org: str, year: int, month: int) -> TrialBalance:
        """科目余额表 of both systems for a period."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return _reports.trial_balance(conn, org, year, month)

    def balance_sheet(self, actor: Actor, org: str, year: int, month: int) -> BalanceSheet:
        """资产负债表 at the end of a period."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return _reports.balance_sheet(conn, org, year, month)

    def income_statement(
        self, actor: Actor, org: str, year: int, month: int, from_month: int = 1
    ) -> IncomeStatement:
        """收入费用表 for months ``from_month``..``month``."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return _reports.income_statement(conn, org, year, month, from_month)

    def budget_statement(
        self, actor: Actor, org: str, year: int, month: int, from_month: int = 1
    ) -> BudgetStatement:
        """预算收入支出表 for months ``from_month``..``month``."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return _reports.budget_statement(conn, org, year, month, from_month)

    def reconciliation(
        self, actor: Actor, org: str, year: int, month: int, from_month: int = 1
    ) -> Reconciliation:
        """本期预算结余与本期盈余差异调节表 for months ``from_month``..``month``."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return _reports.reconciliation(conn, org, year, month, from_month)

    def ledger(
        self, actor: Actor, org: str, account: str, year: int, month: int | None = None
    ) -> list[LedgerLine]:
        """General ledger or sub-ledger of ``account`` with running balances."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return _reports.ledger(conn, org, account, year, month)

    def close_year(self, actor: Actor, org: str, year: int) -> Voucher | None:
        """Year-end carry-forward (年末结转): post the closing voucher dated 31 December.

        Revenue and expenses go into net assets (3301 → 3302 → 3001) and budget revenue and
        expenditure into the budget balance accounts (:func:`~govparts.finance.rules.closing_lines`).
        December must be open. Returns None when there is nothing to close.
        """
        self._gate(actor, org, write=True)
        self._require(actor, "chief_accountant", "close_year")
        with self.engine.connect() as conn:
            lines = rules.closing_lines(_reports.year_balances(conn, org, year))
        if not lines:
            return None
        draft = VoucherDraft(org=org, date=date(year, 12, 31), summary=f"{year}年末结转", lines=lines)
        return self.post_generated(actor, draft.org, draft, kind="closing")


def _opening_lines(reg: AssetRegisteredAsFinanceReadsIt) -> tuple[VoucherLine, ...]:
    """Dr 3001 累计盈余 / Cr the accumulated account with the opening accumulated depreciation of an
    asset brought over from earlier books (:data:`~._assets.OPENING_NET_ASSETS`); none when zero."""
    opening = reg.opening_accumulated_depreciation
    if opening.fen == 0:
        return ()
    credited, debited = _assets.opening_accounts(reg.account)
    return (
        VoucherLine(account=debited, side="debit", amount=opening, summary=reg.asset_id),
        VoucherLine(account=credited, side="credit", amount=opening, summary=reg.asset_id),
    )
