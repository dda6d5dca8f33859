"""The finance part in the shared demo scenario (:mod:`govparts.core.demo`), and its older one-part demo.

:data:`SCENARIO` keeps the office's books for the scenario's month (``ctx.year``/``ctx.month``):

``setup``
    the fiscal year's twelve periods are opened, budget indicators set for the projects and economic
    classes the month uses, the month's authorised-payment quota (零余额账户用款额度) received, and
    the handler of the asset events registered on ``ctx.dispatcher``: each ``asset.registered``,
    ``asset.depreciated`` or ``asset.disposed`` becomes a draft voucher prepared by the system in the
    delivery's own transaction (an asset in service before the year is brought in as an opening
    balance, Dr 1601 at cost / Cr 1602 its opening accumulated depreciation / Cr 3001 累计盈余 the
    rest, dated the first day of the year);
``operate``
    a business trip is reimbursed (报销: submit → review → approve → pay), which posts its voucher with
    the parallel budget entry; a claim beyond what its indicator has left is refused;
``close``
    the vouchers drafted from the asset events are reviewed by someone other than their preparer and
    posted; the periods up to the month are closed, and posting into the month is refused;
``report``
    the trial balance of both systems, each balanced; the acquisition vouchers match the
    ``asset.registered`` events (Dr 1601 / Cr the paying account, Dr 7101 / Cr 8001) and the
    depreciation voucher the ``asset.depreciated`` totals; the ledger's asset accounts (1601, 1602,
    1701, 1702) equal the asset register's totals to the fen (when assets left them in
    ``ctx.facts``); the voucher chain verifies.

:func:`demo` is the older self-contained demo, kept for the cross-part event tests.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import ValidationError

from govparts.core import events
from govparts.core.demo import ASSET_REGISTER, PEOPLE, DemoContext, Phase
from govparts.core.errors import from_validation_error
from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from . import _assets
from ._chart import chart
from ._errors import BudgetExceeded, PeriodClosed
from .events import ASSET_DEPRECIATED, ASSET_REGISTERED, CONSUMED
from .models import (
    AssetRegisteredAsFinanceReadsIt,
    Indicator,
    ReimbursementClaim,
    TrialBalance,
    Voucher,
    VoucherDraft,
    VoucherLine,
)
from .service import ReferenceService

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = [
    "ASSET_VOUCHERS",
    "SCENARIO",
    "asset_voucher_draft",
    "check_acquisitions",
    "check_asset_register",
    "check_depreciation",
    "staff",
]

# -- the scenario ----------------------------------------------------------------------------------

ASSET_VOUCHERS = "finance.asset-vouchers"
"""Handler id of the asset events: the id :meth:`ReferenceService.handle_asset_event` records them
under too, so an event is booked once whichever way it arrives."""

OPERATING = "XJTS-2023-YX01"
"""Project (预算项目) of the office's running costs: travel, office expenses."""
EQUIPMENT = "XJTS-2023-ZC01"
"""Project of equipment purchases; the asset vouchers are charged to it."""
CAPITAL_CLASS = "310"
"""资本性支出, the economic class of asset purchases (what assets' events are charged to)."""
TRAVEL_CLASS = "30211"
"""差旅费."""
FUNCTION = "2010301"
"""政府支出功能分类: 一般公共服务—政府办公厅（室）及相关机构事务—行政运行."""
EXPENDITURE = "7101"
"""行政支出: the office is an administrative unit (机关)."""

INDICATORS: tuple[tuple[str, str, str], ...] = (
    (OPERATING, TRAVEL_CLASS, "20000.00"),
    (OPERATING, "30201", "15000.00"),
    (EQUIPMENT, CAPITAL_CLASS, "80000.00"),
)
"""The year's budget indicators (预算指标): project, economic class, amount; all stop when exhausted."""

QUOTA = "300000.00"
"""The month's authorised-payment quota (财政授权支付额度) received on the first working day."""
TRIP = "3460.00"
"""The reimbursed trip: 赴喀什地区调研 (train, hotel, allowances)."""

_STAFF: dict[str, tuple[str, str, str | None, frozenset[str]]] = {
    "chief": ("ts-cwk-aygul", "阿依古丽·司马义", "CWK", frozenset({"chief_accountant", "budget_officer"})),
    "accountant": ("ts-cwk-wang", "王丽", "CWK", frozenset({"accountant"})),
    "reviewer": ("ts-cwk-erkin", "艾尔肯·买买提", "CWK", frozenset({"reviewer"})),
    "bookkeeper": ("ts-cwk-li", "李强", "CWK", frozenset({"bookkeeper"})),
    "director": ("ts-bgs-chen", "陈刚", "BGS", frozenset({"approver"})),
    "cashier": ("ts-cwk-ma", "马丽", "CWK", frozenset({"cashier"})),
    "asset_preparer": ("system:finance:assets", "资产凭证生成", None, frozenset({"accountant"})),
    "traveller": ("ts-zwfwk-rayila", "热依拉·吐尔逊", "ZWFWK", frozenset({"claimant"})),
}
"""The office's finance staff by duty: id, name, unit, roles. ``asset_preparer`` prepares (制单) the
vouchers drafted from asset events (the system, never a reviewer); ``traveller`` is the claimant when
personnel has hired nobody (else someone from ``PEOPLE``)."""


def staff(org: str, duty: str) -> Actor:
    """The actor of ``duty`` (a key of the office's staff) acting for the organisation ``org``."""
    ident, name, unit, roles = _STAFF[duty]
    return Actor(id=ident, name=name, unit=unit, roles=roles, org=org)


def _org(ctx: DemoContext) -> str:
    return ctx.office.credit_code


def _service(ctx: DemoContext) -> ReferenceService:
    return ReferenceService(ctx.engine)


def _line(account: str, side: str, amount: str | Money, **aux: Any) -> VoucherLine:
    return VoucherLine(account=account, side=side, amount=Money.of(amount), **aux)


def _post(service: ReferenceService, org: str, voucher_id: str) -> Voucher:
    service.review_voucher(staff(org, "reviewer"), org, voucher_id)
    return service.post_voucher(staff(org, "bookkeeper"), org, voucher_id)


def asset_voucher_draft(
    service: ReferenceService, event: events.CloudEvent, *, year: int
) -> VoucherDraft | None:
    """The draft voucher of an asset event for books that start in ``year`` (None: not an asset event).

    Purchases, depreciation and disposals follow :meth:`ReferenceService.handle_asset_event`; the
    office charges purchases to its equipment project as 行政支出 (assets does not say either). An
    asset registered before ``year`` is already owned when the books start: it comes in as an
    opening balance on the year's first day, Dr the asset account at cost / Cr its accumulated
    account (1602, 1702) with the opening accumulated depreciation the event carries / Cr 3001
    累计盈余 the net value, no budget entry (that money was spent under earlier years' budgets; see
    :data:`~._assets.OPENING_NET_ASSETS`).
    """
    model = CONSUMED.get(event.type)
    if model is None:
        return None
    raw = json.loads(event.data) if isinstance(event.data, str | bytes) else event.data
    data = dict(raw) if isinstance(raw, Mapping) else {}
    try:
        payload = model.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, model=event.type) from None
    if isinstance(payload, AssetRegisteredAsFinanceReadsIt) and payload.date.year < year:
        opening = payload.opening_accumulated_depreciation
        accumulated, net_assets = _assets.opening_accounts(payload.account)
        lines = [_line(payload.account, "debit", payload.amount, summary=payload.asset_id)]
        if opening.fen:
            lines.append(_line(accumulated, "credit", opening, summary=payload.asset_id))
        if (payload.amount - opening).fen:
            lines.append(_line(net_assets, "credit", payload.amount - opening, summary=payload.asset_id))
        return VoucherDraft(
            org=payload.org, date=date(year, 1, 1), summary=f"期初资产 {payload.asset_id}", lines=tuple(lines)
        )
    charged = {"project": EQUIPMENT, "econ_class": CAPITAL_CLASS, "expenditure_account": EXPENDITURE}
    return service.asset_draft(event.type, payload, {**data, **charged})


_RECEIVED = "finance.asset_events"
"""Fact of finance's own: the asset events its handler received, ``{event id: (type, data)}``."""


def _register_handler(ctx: DemoContext, service: ReferenceService) -> None:
    year = ctx.year

    received: dict[str, tuple[str, dict[str, Any]]] = ctx.facts.setdefault(_RECEIVED, {})

    @ctx.dispatcher.register(ASSET_VOUCHERS, tuple(CONSUMED))
    def draft_asset_voucher(session: Session, event: events.CloudEvent) -> None:
        draft = asset_voucher_draft(service, event, year=year)
        if draft is not None:
            # In the delivery's transaction: the draft exists exactly when the event is marked processed.
            service.draft_in(session, draft, actor=staff(draft.org, "asset_preparer"))
        received[event.id] = (event.type, dict(event.data or {}))


def setup(ctx: DemoContext) -> None:
    """Open the year, set the indicators, receive the month's quota, register the asset-event handler."""
    service = _service(ctx)
    org = _org(ctx)
    chief = staff(org, "chief")
    service.open_year(chief, org, ctx.year)
    for project, econ, amount in INDICATORS:
        service.set_indicator(
            chief,
            org,
            Indicator(org=org, year=ctx.year, project=project, econ_class=econ, amount=Money.of(amount)),
        )
    made = service.create_voucher(
        staff(org, "accountant"),
        org,
        VoucherDraft(
            org=org,
            date=date(ctx.year, ctx.month, 3),
            summary="收到本月财政授权支付额度",
            lines=(
                _line("1011", "debit", QUOTA),
                _line("4001", "credit", QUOTA),
                _line("8001", "debit", QUOTA),
                _line("6001", "credit", QUOTA),
            ),
        ),
    )
    posted = _post(service, org, made.id)
    ctx.check(
        ("本月用款额度已到账", "the month's payment quota is received", "بۇ ئايلىق ئىشلىتىش نورمىسى كەلدى"),
        posted.state == "posted"
        and service.trial_balance(chief, org, ctx.year, ctx.month).balance_of("1011") == Money.of(QUOTA),
        posted.number,
    )
    _register_handler(ctx, service)


def _claimant(ctx: DemoContext) -> Actor:
    people: list[PersonRef] = list(ctx.facts.get(PEOPLE) or [])
    if not people:
        return staff(_org(ctx), "traveller")
    person = ctx.random_for("finance").choice(people)
    return Actor(id=person.person_id, name=person.name, roles=frozenset({"claimant"}), org=_org(ctx))


def _claim(ctx: DemoContext, claimant: Actor, amount: str, purpose: str, day: int) -> ReimbursementClaim:
    return ReimbursementClaim(
        org=_org(ctx),
        claimant=claimant.id,
        date=date(ctx.year, ctx.month, day),
        amount=Money.of(amount),
        purpose=purpose,
        project=OPERATING,
        econ_class=TRAVEL_CLASS,
        func_class=FUNCTION,
        budget_account=EXPENDITURE,
    )


def _available(service: ReferenceService, org: str, year: int, project: str, econ: str) -> Money:
    for row in service.budget_execution(staff(org, "chief"), org, year):
        if (row.indicator.project, row.indicator.econ_class) == (project, econ):
            return row.available
    return Money.zero()


def operate(ctx: DemoContext) -> None:
    """Reimburse a business trip through its process; refuse a claim beyond its indicator."""
    service = _service(ctx)
    org = _org(ctx)
    claimant = _claimant(ctx)
    reviewer, director = staff(org, "reviewer"), staff(org, "director")
    claim = service.submit_reimbursement(
        claimant, org, _claim(ctx, claimant, TRIP, "赴喀什地区调研差旅费", 14)
    )
    service.review_reimbursement(reviewer, org, claim.id)
    service.approve_reimbursement(director, org, claim.id)
    paid = service.pay_reimbursement(staff(org, "cashier"), org, claim.id)
    amount = Money.of(TRIP)
    lines = service.get_voucher(reviewer, org, paid.voucher_id).lines if paid.voucher_id else ()
    want = {("5001", "debit"), ("1011", "credit"), (EXPENDITURE, "debit"), ("8001", "credit")}
    ctx.check(
        (
            "差旅费报销已支付并生成凭证（含预算会计分录）",
            "the trip is reimbursed with its voucher, budget entry included",
            "سەپەر خىراجىتى قايتۇرۇلۇپ ھۆججىتى چىقتى (خامچوت يازمىسى بىلەن)",
        ),
        paid.state == "paid"
        and {(x.account, x.side) for x in lines} == want
        and all(x.amount == amount for x in lines),
        ", ".join(f"{x.side[0].upper()} {x.account} {x.amount}" for x in lines),
    )
    before = _available(service, org, ctx.year, OPERATING, TRAVEL_CLASS)
    over = before + Money.of("1200.00")
    big = service.submit_reimbursement(
        claimant, org, _claim(ctx, claimant, str(over), "赴北京参加培训差旅费", 24)
    )
    service.review_reimbursement(reviewer, org, big.id)
    try:
        service.approve_reimbursement(director, org, big.id)
    except BudgetExceeded as err:
        refused, detail = True, err.message(ctx.locale)
    else:
        refused, detail = False, ""
    after = _available(service, org, ctx.year, OPERATING, TRAVEL_CLASS)
    ctx.check(
        (
            "超出预算指标的报销被拒绝",
            "a claim beyond its budget indicator is refused",
            "خامچوت كۆرسەتكۈچىدىن ئېشىپ كەتكەن چىقىم رەت قىلىندى",
        ),
        refused and after == before and service.get_reimbursement(director, org, big.id).state == "reviewed",
        detail,
    )
    service.reject_reimbursement(director, org, big.id, reason="超出预算指标")


def _drafts(service: ReferenceService, org: str, year: int, months: Iterable[int]) -> list[Voucher]:
    return [
        v
        for m in months
        for v in service.vouchers(staff(org, "reviewer"), org, year, m)
        if v.state == "draft" and v.kind == "generated"
    ]


def close(ctx: DemoContext) -> None:
    """Review and post the asset vouchers, close the periods up to the month, refuse a late posting."""
    service = _service(ctx)
    org = _org(ctx)
    months = range(1, ctx.month + 1)
    drafted = _drafts(service, org, ctx.year, months)
    posted = [_post(service, org, v.id) for v in drafted]
    ctx.check(
        (
            "资产凭证经非制单人审核后记账",
            "the asset vouchers are reviewed by someone other than their preparer and posted",
            "مۈلۈك ھۆججەتلىرى تۈزگۈچىدىن باشقا كىشى تەكشۈرۈپ ھېساباتقا ئالدى",
        ),
        all(v.state == "posted" and v.reviewer not in (None, v.preparer) for v in posted),
        f"{len(posted)}",
    )
    for month in months:
        service.close_period(staff(org, "chief"), org, ctx.year, month)
    late = VoucherDraft(
        org=org,
        date=date(ctx.year, ctx.month, calendar.monthrange(ctx.year, ctx.month)[1]),
        summary="月末补记办公用品",
        lines=(
            _line("5001", "debit", "860.00", project=OPERATING, econ_class="30201"),
            _line("1011", "credit", "860.00", project=OPERATING, econ_class="30201"),
            _line(EXPENDITURE, "debit", "860.00", project=OPERATING, econ_class="30201"),
            _line("8001", "credit", "860.00", project=OPERATING, econ_class="30201"),
        ),
    )
    count = len(service.vouchers(staff(org, "reviewer"), org, ctx.year, ctx.month))
    try:
        service.create_voucher(staff(org, "accountant"), late.org, late)
    except PeriodClosed as err:
        refused, detail = True, err.message(ctx.locale)
    else:
        refused, detail = False, ""
    ctx.check(
        (
            "已结账期间拒绝记账",
            "a closed period refuses a posting",
            "ھېسابات تاقالغان مەزگىلگە يېزىش رەت قىلىندى",
        ),
        refused and len(service.vouchers(staff(org, "reviewer"), org, ctx.year, ctx.month)) == count,
        detail,
    )


_SYSTEMS = {
    "financial": (
        "财务会计科目余额表",
        "Trial balance — financial accounting",
        "مالىيە بوغالتىرلىقى ھېسابات قالدۇق جەدۋىلى",
    ),
    "budget": (
        "预算会计科目余额表",
        "Trial balance — budget accounting",
        "خامچوت بوغالتىرلىقى ھېسابات قالدۇق جەدۋىلى",
    ),
}


def _trial_balance_tables(ctx: DemoContext, tb: TrialBalance) -> None:
    accounts = chart()
    for system, title in _SYSTEMS.items():
        rows = []
        for r in (r for r in tb.rows if r.system == system):
            found = accounts.get(r.account[:4])
            label = ctx.text((found.zh, found.en, found.ug)) if found is not None else r.account
            rows.append(
                (r.account, label, *(m.format(ctx.locale) for m in (r.opening, r.debit, r.credit, r.closing)))
            )
        totals = tb.totals(system)  # type: ignore[arg-type]
        rows.append(
            (
                "",
                ctx.text(("合计", "Total", "جەمئىي")),
                *(totals[n].format(ctx.locale) for n in ("opening", "debit", "credit", "closing")),
            )
        )
        ctx.table(
            title,
            (
                ("科目", "Account", "ھېسابات"),
                ("名称", "Name", "نامى"),
                ("期初余额", "Opening", "دەسلەپكى قالدۇق"),
                ("本期借方", "Debit", "دېبىت"),
                ("本期贷方", "Credit", "كرېدىت"),
                ("期末余额", "Closing", "ئاخىرقى قالدۇق"),
            ),
            rows,
            rtl_columns=(1,) if ctx.locale == "ug_CN" else (),
        )
        ctx.check(
            {
                "financial": (
                    "财务会计借贷平衡",
                    "financial accounting balances",
                    "مالىيە بوغالتىرلىقى تەڭپۇڭ",
                ),
                "budget": ("预算会计借贷平衡", "budget accounting balances", "خامچوت بوغالتىرلىقى تەڭپۇڭ"),
            }[system],
            any(r.system == system for r in tb.rows)
            and totals["debit"] == totals["credit"]
            and totals["opening"] == totals["closing"] == Money.zero(),
            f"{totals['debit']} = {totals['credit']}",
        )


def _asset_events(ctx: DemoContext, event_type: str) -> list[dict[str, Any]]:
    """This organisation's events of ``event_type`` as assets sent them: read from the outbox when
    assets shares this database, else (assets is another agency, ``govparts demo --broker``) as the
    handler received them."""
    o = events.OutboxEvent.__table__.c  # type: ignore[attr-defined]
    with ctx.engine.connect() as conn:
        found = (
            conn.execute(sa.select(o.data).where(o.type == event_type).order_by(o.position)).scalars().all()
        )
    if not found:
        received: dict[str, tuple[str, dict[str, Any]]] = ctx.facts.get(_RECEIVED, {})
        found = [data for kind, data in received.values() if kind == event_type]
    return [dict(d) for d in found if d.get("organization_credit_code") == _org(ctx)]


def check_acquisitions(ctx: DemoContext, vouchers: list[Voucher], registered: list[dict[str, Any]]) -> None:
    """Check that each asset bought this year (``registered``: the events' data) has its voucher."""
    bought = [e for e in registered if date.fromisoformat(e["acquisition_date"]).year == ctx.year]
    if not bought:
        return
    by_summary = {v.summary: v for v in vouchers}
    wrong = []
    for e in bought:
        value = Money.of(e["original_value"])
        voucher = by_summary.get(f"资产购置 {e['asset_id']}")
        lines = {(x.account, x.side): x.amount for x in voucher.lines} if voucher else {}
        paying = _assets.paying_account(e["paying_account"])
        want = {
            ("1601", "debit"): value,
            (paying, "credit"): value,
            (EXPENDITURE, "debit"): value,
            (_assets.budget_credit_of(paying), "credit"): value,
        }
        if voucher is None or voucher.state != "posted" or lines != want:
            wrong.append(f"{e['asset_code']}: {sorted(lines.items())}")
    ctx.check(
        (
            "购置凭证：借 1601 / 贷 付款账户 + 预算支出分录，金额为原值",
            "acquisition vouchers: Dr 1601 / Cr the paying account + the budget entry, at cost",
            "سېتىۋېلىش ھۆججىتى: 1601 دېبىت / تۆلەش ھېساباتى كرېدىت + خامچوت يازمىسى",
        ),
        not wrong,
        "; ".join(wrong) or f"{len(bought)}",
    )


def check_depreciation(ctx: DemoContext, vouchers: list[Voucher], depreciated: list[dict[str, Any]]) -> None:
    """Check that the month's depreciation vouchers book exactly the ``depreciated`` events' totals."""
    runs = [e for e in depreciated if (e["year"], e["month"]) == (ctx.year, ctx.month)]
    if not runs:
        return
    sent: dict[str, Money] = {}
    for run in runs:
        for t in run["totals"]:
            sent[t["debit_account"]] = sent.get(t["debit_account"], Money.zero()) + Money.of(t["amount"])
            sent[t["credit_account"]] = sent.get(t["credit_account"], Money.zero()) - Money.of(t["amount"])
    booked: dict[str, Money] = {}
    period = f"{ctx.year:04d}-{ctx.month:02d}"
    found = [v for v in vouchers if v.summary == f"计提折旧 {period}" and v.state == "posted"]
    for v in found:
        for x in v.lines:
            signed = x.amount if x.side == "debit" else -x.amount
            booked[x.account] = booked.get(x.account, Money.zero()) + signed
    total = Money.total(Money.of(e["total"]) for e in runs)
    ctx.check(
        (
            "折旧凭证等于资产折旧事件合计",
            "the depreciation voucher equals the asset.depreciated totals",
            "كونىرىش ھۆججىتى كونىرىش ھادىسىسىنىڭ جەمئىيگە تەڭ",
        ),
        len(found) == len(runs) and booked == sent,
        f"{total}",
    )


REGISTER_ACCOUNTS = frozenset({"1601", "1602", "1701", "1702"})
"""The accounts of the assets the register keeps: 固定资产, 累计折旧, 无形资产, 累计摊销."""


def check_asset_register(ctx: DemoContext, balances: TrialBalance) -> None:
    """Check that the ledger's asset accounts hold, to the fen, the asset register's totals that
    assets left in ``ctx.facts`` (nothing to check when no assets part took part)."""
    register: Mapping[str, Money] | None = ctx.facts.get(ASSET_REGISTER)
    if not register:
        return
    # Every account of the register, and any asset account the books use that the register lacks.
    accounts = sorted(set(register) | (REGISTER_ACCOUNTS & _used(balances)))
    shown = [(a, balances.balance_of(a), register.get(a, Money.zero())) for a in accounts]
    wrong = [f"{a} {books}≠{cards}" for a, books, cards in shown if books != cards]
    ctx.check(
        (
            "总账资产科目余额与资产登记簿一致（精确到分）",
            "the ledger's asset accounts equal the asset register to the fen",
            "دەپتەردىكى مۈلۈك ھېساباتلىرى مۈلۈك تىزىملىكىگە فېنگىچە ماس",
        ),
        not wrong,
        "; ".join(wrong) or " · ".join(f"{a} {books}" for a, books, _ in shown),
        id="ledger-equals-asset-register",
    )


def _used(balances: TrialBalance) -> set[str]:
    """The standard accounts (first four digits) the trial balance has a row of."""
    return {r.account[:4] for r in balances.rows}


def report(ctx: DemoContext) -> None:
    """Both trial balances as tables and their checks; the asset vouchers against the asset events;
    the ledger's asset accounts against the asset register."""
    service = _service(ctx)
    org = _org(ctx)
    chief = staff(org, "chief")
    balances = service.trial_balance(chief, org, ctx.year, ctx.month)
    _trial_balance_tables(ctx, balances)
    vouchers = [v for m in range(1, ctx.month + 1) for v in service.vouchers(chief, org, ctx.year, m)]
    check_acquisitions(ctx, vouchers, _asset_events(ctx, ASSET_REGISTERED))
    check_depreciation(ctx, vouchers, _asset_events(ctx, ASSET_DEPRECIATED))
    check_asset_register(ctx, balances)
    chain = service.verify_chain(chief, org)
    ctx.check(
        ("凭证链完整", "the voucher chain verifies", "ھۆججەت زەنجىرى دەلىللەندى"),
        chain.ok and chain.checked == sum(1 for v in vouchers if v.state == "posted"),
        f"{chain.checked}",
    )


SCENARIO: dict[str, Phase] = {"setup": setup, "operate": operate, "close": close, "report": report}
"""The finance part's phases of the shared scenario (see :mod:`govparts.core.demo`)."""
