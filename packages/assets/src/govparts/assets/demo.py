"""The assets part in the shared demo scenario (:mod:`govparts.core.demo`), and its older one-part demo.

:data:`SCENARIO` runs the office's assets through a month (``ctx.year``/``ctx.month``):

``setup``
    the handler of ``employee.separated`` (a return task per asset the person holds) is registered,
    and the opening register (期初资产) is entered: computers, office equipment, furniture, a vehicle
    and books (not depreciated), acquired in earlier years, each through request → approval →
    acceptance → registration as brought over from the office's earlier books, which depreciated
    them until the scenario's month (``asset.registered`` carries each one's opening accumulated
    depreciation);
``staff``
    the existing assets are issued to the people personnel hired (the leaver gets a laptop and a desk);
``operate``
    a purchase: request → approval → acceptance (验收, by someone other than the approver) →
    registration (入账) paid from the zero-balance-account quota, emitting ``asset.registered``; a
    transfer between custodians; a move whose "from" is not the custodian is refused;
``close``
    the leaver's assets come back through the return tasks the separation raised; the month's
    depreciation runs (``asset.depreciated``), and running it again changes nothing;
``report``
    the asset register, whose totals per ledger account are left for the books to be checked
    against (``ctx.facts[ASSET_REGISTER]``); nothing is held by people who left; the month's
    depreciation equals, to the fen, what the depreciation rules give for each asset.

:func:`demo` is the older self-contained demo (one organisation, a computer and a car), kept for the
cross-part event tests that replay its output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from govparts.core import codes
from govparts.core.demo import ASSET_REGISTER, LEAVER, MANAGERS, PEOPLE, DemoContext, Phase
from govparts.core.errors import GovPartsError
from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from .models import AssetCard
from .rules import category_rule, depreciation_schedule
from .service import ReferenceService

__all__ = ["OPENING", "PURCHASES", "SCENARIO", "DemoAsset"]


# -- the scenario ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAsset:
    """One asset of the scenario: card data and its name in the three languages."""

    code: str
    category: str
    names: tuple[str, str, str]
    value: str
    acquired: date
    unit: str
    """Code of the office unit that uses it."""

    def life_months(self) -> int | None:
        """The useful life the card gets (the category's default), None when not depreciated."""
        rule = category_rule(self.category)
        return rule.default_months if rule.depreciated else None


_PC = ("台式计算机", "Desktop computer", "ئۈستەل كومپيۇتېرى")
_DESK = ("办公桌", "Office desk", "ئىشخانا ئۈستىلى")
OPENING: tuple[DemoAsset, ...] = (
    *(
        DemoAsset(f"TS-ZC-{i:04d}", "2010000", _PC, value, acquired, unit)
        for i, (value, acquired, unit) in enumerate(
            (
                ("5680.00", date(2019, 5, 14), "BGS"),
                ("5680.00", date(2019, 5, 14), "ZCFGK"),
                ("6120.00", date(2020, 3, 9), "RSK"),
                ("6120.00", date(2020, 3, 9), "CWK"),
                ("6350.00", date(2021, 4, 21), "ZCGLK"),
                ("6350.00", date(2021, 4, 21), "DAS"),
                ("6980.00", date(2021, 11, 2), "XXZX"),
                ("6980.00", date(2021, 11, 2), "ZWFWK"),
                ("7260.00", date(2022, 6, 17), "JCJDK"),
                ("7260.00", date(2022, 6, 17), "TJK"),
            ),
            start=1,
        )
    ),
    DemoAsset(
        "TS-ZC-0011",
        "2010000",
        ("笔记本电脑", "Laptop", "يانچۇق كومپيۇتېرى"),
        "8460.00",
        date(2021, 6, 15),
        "XCK",
    ),
    DemoAsset(
        "TS-ZC-0012",
        "2020000",
        ("激光打印机", "Laser printer", "لازېرلىق پرىنتېر"),
        "2380.00",
        date(2020, 9, 8),
        "BGS",
    ),
    DemoAsset(
        "TS-ZC-0013",
        "2020000",
        ("激光打印机", "Laser printer", "لازېرلىق پرىنتېر"),
        "2380.00",
        date(2020, 9, 8),
        "CWK",
    ),
    DemoAsset(
        "TS-ZC-0014",
        "2020000",
        ("数码复印机", "Digital copier", "رەقەملىك كۆپەيتكۈچ"),
        "23600.00",
        date(2020, 8, 25),
        "BGS",
    ),
    *(
        DemoAsset(f"TS-ZC-{i:04d}", "6", _DESK, "1850.00", acquired, unit)
        for i, (acquired, unit) in enumerate(
            (
                (date(2018, 7, 3), "BGS"),
                (date(2018, 7, 3), "RSK"),
                (date(2018, 7, 3), "CWK"),
                (date(2019, 9, 12), "XXZX"),
                (date(2019, 9, 12), "TJK"),
                (date(2021, 3, 30), "XCK"),
                (date(2021, 3, 30), "ZWFWK"),
                (date(2021, 3, 30), "JCJDK"),
            ),
            start=15,
        )
    ),
    DemoAsset(
        "TS-ZC-0023",
        "6",
        ("档案密集柜", "Archive compact shelving", "ئارخىپ زىچ جازىسى"),
        "36000.00",
        date(2020, 4, 16),
        "DAS",
    ),
    DemoAsset(
        "TS-ZC-0024",
        "2030000",
        ("公务用车（越野车）", "Official vehicle (SUV)", "ئىدارە ماشىنىسى (يولسىز يول ماشىنىسى)"),
        "186500.00",
        date(2019, 11, 20),
        "HQFWZX",
    ),
    DemoAsset(
        "TS-ZC-0025",
        "5",
        ("业务参考图书", "Reference library", "كەسپىي پايدىلىنىش كىتابلىرى"),
        "12800.00",
        date(2020, 5, 6),
        "DAS",
    ),
)
"""The office's existing assets (期初资产), acquired in earlier years; books are not depreciated."""

LAPTOP, DESK = "TS-ZC-0011", "TS-ZC-0020"
"""What the leaver holds: a laptop and a desk."""

PURCHASES: tuple[DemoAsset, ...] = (
    DemoAsset(
        "TS-ZC-0026",
        "2010000",
        ("机架式服务器", "Rack server", "جازىلىق مۇلازىمېتىر"),
        "46800.00",
        date(2023, 4, 10),
        "XXZX",
    ),
    DemoAsset(
        "TS-ZC-0027",
        "2020000",
        (
            "彩色激光多功能一体机",
            "Colour laser multifunction printer",
            "رەڭلىك لازېرلىق كۆپ ئىقتىدارلىق پرىنتېر",
        ),
        "12650.00",
        date(2023, 4, 10),
        "ZWFWK",
    ),
)
"""The month's purchase (dates are moved into ``ctx.year``/``ctx.month``), paid from the 1011 quota."""

PAYING_ACCOUNT = "零余额账户"
"""How the office pays: from its zero-balance-account quota (零余额账户用款额度, 1011)."""

REQUESTER = Actor(id="ts-xxzx-dilnur", name="迪丽努尔·吾斯曼", unit="XXZX", roles=frozenset({"requester"}))
ASSET_HEAD = Actor(id="ts-zcglk-ma", name="马建华", unit="ZCGLK", roles=frozenset({"approver", "keeper"}))
KEEPER = Actor(id="ts-zcglk-nurali", name="努尔艾力·买买提", unit="ZCGLK", roles=frozenset({"keeper"}))
ACCOUNTANT = Actor(id="ts-cwk-liu", name="刘晓燕", unit="CWK", roles=frozenset({"accountant"}))


def _as(who: Actor, org: str) -> Actor:
    """``who`` acting for the office ``org`` (each office's staff act for their own office only)."""
    return who.model_copy(update={"org": org})


def _org(ctx: DemoContext) -> str:
    return ctx.office.credit_code


def _service(ctx: DemoContext) -> ReferenceService:
    return ReferenceService(ctx.engine)


def _cards(ctx: DemoContext, service: ReferenceService) -> dict[str, AssetCard]:
    org = _org(ctx)
    return {c.asset_code: c for c in service.assets(_as(KEEPER, org), org)}


def _register(  # noqa: PLR0917 - the asset, then its dates
    service: ReferenceService,
    org: str,
    asset: DemoAsset,
    acquired: date,
    in_service: date,
    taken_over: date | None = None,
) -> None:
    card = service.request_acquisition(
        _as(REQUESTER, org),
        org,
        {
            "asset_code": asset.code,
            "organization_credit_code": org,
            "category": asset.category,
            "name": asset.names[0],
            "original_value": asset.value,
            "acquisition_date": acquired.isoformat(),
            "funding_source": "fiscal",
            "paying_account": PAYING_ACCOUNT,
            "using_unit": asset.unit,
            "location": asset.unit,
        },
    )
    service.approve_acquisition(_as(ASSET_HEAD, org), org, card.id)
    service.accept(_as(KEEPER, org), org, card.id, acceptance_record=f"验收单 {asset.code}")
    if taken_over is None:
        service.register(_as(ACCOUNTANT, org), org, card.id, in_service)
    else:
        service.register_brought_over(_as(ACCOUNTANT, org), org, card.id, in_service, taken_over)


def setup(ctx: DemoContext) -> None:
    """Register the handler of ``employee.separated`` and enter the opening register, brought over
    from earlier books that depreciated it until the scenario's month."""
    service = _service(ctx)
    service.register_handlers(ctx.dispatcher)
    taken_over = date(ctx.year, ctx.month, 1)
    for asset in OPENING:
        _register(service, _org(ctx), asset, asset.acquired, asset.acquired, taken_over)
    cards = _cards(ctx, service)
    in_stock = [c for c in cards.values() if c.state == "in_stock"]
    ctx.check(
        ("期初资产已登记入库", "the opening register is in stock", "دەسلەپكى مۈلۈكلەر ئامبارغا كىرگۈزۈلدى"),
        len(in_stock) == len(OPENING)
        and Money.total(c.original_value for c in in_stock)
        == Money.total(Money.of(a.value) for a in OPENING),
        f"{len(in_stock)}/{len(OPENING)}",
    )


def _custodians(ctx: DemoContext) -> dict[str, PersonRef]:
    """Who holds which opening asset: drawn from PEOPLE; the leaver gets the laptop and a desk."""
    people: list[PersonRef] = list(ctx.facts.get(PEOPLE) or [])
    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    managers: dict[str, PersonRef] = dict(ctx.facts.get(MANAGERS) or {})
    others = [p for p in people if leaver is None or p.key != leaver.key]
    if not others:
        return {}
    rng = ctx.random_for("assets")
    drawn = rng.sample(others, k=min(len(others), len(OPENING)))
    held: dict[str, PersonRef] = {}
    for index, asset in enumerate(OPENING):
        head = managers.get(asset.unit)
        shared = asset.category in ("5", "2020000") or asset.code == "TS-ZC-0023"
        held[asset.code] = head if shared and head is not None else drawn[index % len(drawn)]
    if leaver is not None:
        held[LAPTOP] = held[DESK] = leaver
    return held


def staff(ctx: DemoContext) -> None:
    """Issue the opening register to its custodians (领用), the leaver's laptop and desk included."""
    held = _custodians(ctx)
    if not held:
        return
    service = _service(ctx)
    org = _org(ctx)
    cards = _cards(ctx, service)
    for code, person in held.items():
        service.issue(_as(KEEPER, org), org, cards[code].id, person, using_unit=cards[code].using_unit)
    after = _cards(ctx, service)
    right = sum(1 for code, person in held.items() if after[code].custodian == person)
    ctx.check(
        (
            "期初资产已领用到人",
            "the opening register is issued to its custodians",
            "دەسلەپكى مۈلۈكلەر ساقلىغۇچىلارغا بېرىلدى",
        ),
        right == len(held),
        f"{right}/{len(held)}",
    )


def _in_month(ctx: DemoContext, day: int) -> date:
    return date(ctx.year, ctx.month, day)


def operate(ctx: DemoContext) -> None:
    """The month's purchase through its whole process, a transfer, and a refused move."""
    service = _service(ctx)
    org = _org(ctx)
    refused: list[bool] = []
    for asset in PURCHASES:
        card = service.request_acquisition(
            _as(REQUESTER, org),
            org,
            {
                "asset_code": asset.code,
                "organization_credit_code": org,
                "category": asset.category,
                "name": asset.names[0],
                "original_value": asset.value,
                "acquisition_date": _in_month(ctx, asset.acquired.day).isoformat(),
                "funding_source": "fiscal",
                "paying_account": PAYING_ACCOUNT,
                "using_unit": asset.unit,
                "location": asset.unit,
            },
        )
        service.approve_acquisition(_as(ASSET_HEAD, org), org, card.id)
        try:  # the approver also keeps assets, but may not accept what they approved
            service.accept(_as(ASSET_HEAD, org), org, card.id)
        except GovPartsError:
            refused.append(service.get(_as(ASSET_HEAD, org), org, card.id).state == "approved")
        else:
            refused.append(False)
        service.accept(_as(KEEPER, org), org, card.id, acceptance_record=f"验收单 {asset.code}")
        service.register(_as(ACCOUNTANT, org), org, card.id, _in_month(ctx, asset.acquired.day + 2))
    ctx.check(
        (
            "验收不得由批准人办理（不相容职务分离）",
            "the approver may not accept the asset (separation of duties)",
            "تەستىقلىغۇچى مۈلۈكنى تەكشۈرۈپ قوبۇل قىلالمايدۇ (ماس كەلمەيدىغان ۋەزىپىلەرنى ئايرىش)",
        ),
        bool(refused) and all(refused),
    )
    cards = _cards(ctx, service)
    bought = [cards[a.code] for a in PURCHASES]
    ctx.check(
        (
            "本月购置已入账",
            "the month's purchase is registered",
            "بۇ ئايدا سېتىۋېلىنغىنى ھېساباتقا كىرگۈزۈلدى",
        ),
        all(c.state == "in_stock" and c.in_service is not None for c in bought)
        and [c.original_value for c in bought] == [Money.of(a.value) for a in PURCHASES],
        ", ".join(f"{c.asset_code} {c.state}" for c in bought),
    )
    managers: dict[str, PersonRef] = dict(ctx.facts.get(MANAGERS) or {})
    for asset in PURCHASES:
        head = managers.get(asset.unit)
        if head is not None:
            service.issue(_as(KEEPER, org), org, cards[asset.code].id, head, using_unit=asset.unit)
    _transfer(ctx, service)


def _transfer(ctx: DemoContext, service: ReferenceService) -> None:
    org = _org(ctx)
    people: list[PersonRef] = list(ctx.facts.get(PEOPLE) or [])
    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    cards = _cards(ctx, service)
    held = [
        c
        for c in cards.values()
        if c.state == "in_use"
        and c.custodian is not None
        and (leaver is None or c.custodian.key != leaver.key)
        and c.category == "2010000"
    ]
    if len(held) < 2 or len(people) < 2:
        return
    moved = held[0]
    other = next((c for c in held if c.custodian != moved.custodian), None)
    if moved.custodian is None or other is None or other.custodian is None:
        return
    holders = {c.custodian.key for c in cards.values() if c.custodian is not None}
    unlike = [p for p in people if p.key not in (moved.custodian.key, other.custodian.key)]
    newcomer = next((p for p in unlike if p.key not in holders), unlike[0] if unlike else other.custodian)
    service.transfer(
        _as(KEEPER, _org(ctx)),
        org,
        moved.id,
        moved.custodian.person_id,
        newcomer,
        using_unit=moved.using_unit,
    )
    ctx.check(
        ("资产在保管人之间调拨", "an asset moves between custodians", "مۈلۈك ساقلىغۇچىلار ئارىسىدا يۆتكەلدى"),
        service.get(_as(KEEPER, org), org, moved.id).custodian == newcomer,
        f"{moved.asset_code}: {moved.custodian.person_id} → {newcomer.person_id}",
    )
    # The "from" named here (who just handed over ``moved``) does not hold ``other``: refused.
    try:
        service.transfer(_as(KEEPER, org), org, other.id, moved.custodian.person_id, newcomer)
    except GovPartsError as err:
        refused, detail = True, err.message(ctx.locale)
    else:
        refused, detail = False, ""
    ctx.check(
        (
            "“交出人”不是保管人的调拨被拒绝",
            "a move whose 'from' is not the custodian is refused",
            "«تاپشۇرغۇچى» ساقلىغۇچى بولمىغان يۆتكەش رەت قىلىندى",
        ),
        refused and service.get(_as(KEEPER, org), org, other.id).custodian == other.custodian,
        detail,
    )


def close(ctx: DemoContext) -> None:
    """Take back what the leaver held (their return tasks), then run the month's depreciation twice."""
    service = _service(ctx)
    org = _org(ctx)
    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    if leaver is not None:
        held = [
            c
            for c in _cards(ctx, service).values()
            if c.custodian is not None and c.custodian.key == leaver.key
        ]
        tasks = [
            t
            for t in service.return_tasks(_as(KEEPER, org), org, person_id=leaver.person_id)
            if t.status == "open"
        ]
        ctx.check(
            (
                "离职人员持有的资产已生成交回任务",
                "return tasks are raised for what the leaver holds",
                "ئايرىلغۇچى ساقلاۋاتقان مۈلۈكلەرگە قايتۇرۇش ۋەزىپىسى قۇرۇلدى",
            ),
            bool(held) and sorted(t.asset_code for t in tasks) == sorted(c.asset_code for c in held),
            f"{len(tasks)}/{len(held)}",
        )
        for task in tasks:
            service.return_asset(_as(KEEPER, org), org, task.asset_id, leaver.person_id)
        left_open = [
            t
            for t in service.return_tasks(_as(KEEPER, org), org, person_id=leaver.person_id)
            if t.status == "open"
        ]
        ctx.check(
            ("交回任务已完成", "the return tasks are done", "قايتۇرۇش ۋەزىپىلىرى تاماملاندى"),
            bool(tasks) and not left_open,
            f"{len(tasks) - len(left_open)}/{len(tasks)}",
        )
    first = service.run_depreciation(_as(ACCOUNTANT, org), org, ctx.year, ctx.month)
    again = service.run_depreciation(_as(ACCOUNTANT, org), org, ctx.year, ctx.month)
    totals = [
        t for t in service.depreciation_totals(_as(ACCOUNTANT, org), org, ctx.year) if t.month == ctx.month
    ]
    ctx.check(
        (
            "重复计提折旧不改变任何数据",
            "running the depreciation again changes nothing",
            "كونىرىشنى قايتا ھېسابلاش ھېچنېمىنى ئۆزگەرتمىدى",
        ),
        first.created
        and not again.created
        and again.total == first.total
        and again.asset_count == first.asset_count
        and [t.total for t in totals] == [first.total]
        and len(_depreciation_events(service, org, ctx.year, ctx.month)) == 1,
        f"{first.total} / {again.total}",
    )


def _depreciation_events(service: ReferenceService, org: str, year: int, month: int) -> list[dict[str, Any]]:
    return [
        e
        for e in [
            e.data
            for e in service.published_events(
                _as(ACCOUNTANT, org), org, type="cn.govparts.assets.asset.depreciated.v1"
            )
        ]
        if (e["organization_credit_code"], e["year"], e["month"]) == (org, year, month)
    ]


def _expected_month(asset: DemoAsset, in_service: date, year: int, month: int) -> Money:
    """The asset's depreciation of the month by the depreciation rules alone (no database)."""
    life = asset.life_months()
    if life is None:
        return Money.zero()
    rows = depreciation_schedule(Money.of(asset.value), life, in_service)
    return Money.total(r.amount for r in rows if (r.year, r.month) == (year, month))


def _accumulated(service: ReferenceService, card: AssetCard, year: int, month: int) -> Money:
    org = card.organization_credit_code
    rows = service.schedule(_as(ACCOUNTANT, org), org, card.id)
    return Money.total(r.amount for r in rows if (r.year, r.month) <= (year, month))


def report(ctx: DemoContext) -> None:
    """The asset register, and checks: nothing held by leavers; the month's depreciation to the fen."""
    service = _service(ctx)
    org = _org(ctx)
    cards = _cards(ctx, service)
    locale = ctx.locale
    gbt = codes.get("GB/T 14885-2010")
    names = {a.code: a.names for a in (*OPENING, *PURCHASES)}
    rows = []
    totals: dict[str, Money] = {}
    for code in sorted(cards):
        card = cards[code]
        accumulated = _accumulated(service, card, ctx.year, ctx.month)
        if card.in_service is not None and card.state != "disposed":
            asset_account = category_rule(card.category).asset_account
            totals[asset_account] = totals.get(asset_account, Money.zero()) + card.book_value
            if card.depreciable:
                account = card.accumulated_account
                totals[account] = totals.get(account, Money.zero()) - accumulated
        rows.append(
            (
                code,
                ctx.text(names.get(code, card.name)),
                gbt[card.category].label(locale),
                card.custodian.name
                if card.custodian is not None
                else ctx.text(("在库", "in stock", "ئامباردا")),
                card.book_value.format(locale),
                accumulated.format(locale),
                (card.book_value - accumulated).format(locale),
            )
        )
    ctx.table(
        ("资产登记簿", "Asset register", "مۈلۈك تىزىملىكى"),
        (
            ("资产编号", "Code", "نومۇرى"),
            ("名称", "Name", "نامى"),
            ("分类", "Category", "تۈرى"),
            ("保管人", "Custodian", "ساقلىغۇچى"),
            ("原值", "Original value", "ئەسلى قىممىتى"),
            ("累计折旧", "Accumulated depreciation", "جۇغلانما كونىرىشى"),
            ("净值", "Net value", "ساپ قىممىتى"),
        ),
        rows,
        rtl_columns=(1, 2) if locale == "ug_CN" else (),
    )
    ctx.facts[ASSET_REGISTER] = totals

    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    still = [c.asset_code for c in service.held_by_departed(_as(KEEPER, org), org)]
    if leaver is not None:
        still += [
            c.asset_code for c in cards.values() if c.custodian is not None and c.custodian.key == leaver.key
        ]
    ctx.check(
        ("离职人员名下无资产", "nothing is held by people who have left", "ئايرىلغانلارنىڭ نامىدا مۈلۈك يوق"),
        not still,
        ", ".join(sorted(set(still))),
    )

    charged = Money.zero()
    expected = Money.zero()
    wrong = []
    for asset in (*OPENING, *PURCHASES):
        found = cards.get(asset.code)
        if found is None or found.in_service is None:
            wrong.append(asset.code)
            continue
        want = _expected_month(asset, found.in_service, ctx.year, ctx.month)
        got = Money.total(
            r.amount
            for r in service.charged(_as(ACCOUNTANT, org), org, found.id)
            if (r.year, r.month) == (ctx.year, ctx.month)
        )
        expected, charged = expected + want, charged + got
        if want != got:
            wrong.append(f"{asset.code} {got}≠{want}")
    month_total = Money.total(
        t.total
        for t in service.depreciation_totals(_as(ACCOUNTANT, org), org, ctx.year)
        if t.month == ctx.month
    )
    ctx.check(
        (
            "本月折旧与逐项折旧计划相符（精确到分）",
            "the month's depreciation equals the per-asset schedules to the fen",
            "بۇ ئايلىق كونىرىش ھەر بىر مۈلۈكنىڭ پىلانىغا فېنگىچە ماس",
        ),
        not wrong and charged == expected == month_total and expected > Money.zero(),
        f"{month_total} · {expected}" + (f" · {'; '.join(wrong)}" if wrong else ""),
    )


SCENARIO: dict[str, Phase] = {
    "setup": setup,
    "staff": staff,
    "operate": operate,
    "close": close,
    "report": report,
}
"""The assets part's phases of the shared scenario (see :mod:`govparts.core.demo`)."""
