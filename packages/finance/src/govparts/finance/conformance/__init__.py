"""The finance part's requirement catalogue and conformance suite.

The checks use only the :class:`~govparts.finance.FinanceService` Protocol, so they run against any
implementation; each gets a fresh, empty service. Actors are bound to their organisation and carry
the role ids of the published process specs (``accountant``, ``reviewer``, ``bookkeeper``,
``chief_accountant``, ``budget_officer``, ``claimant``, ``approver``, ``cashier``).

Checks sweep instead of sampling: years, months and amounts are drawn with
:func:`~govparts.conformance.scenario_rng` (``--seed N`` reruns the same scenarios), boundaries are
taken on both sides (one fen below, at and above an indicator; the first and last day of a month,
29 February; the day a sub-account closes), amounts include values binary floating point cannot
hold, and several organisations share one database. A ``@refuses`` check drives something wrong
and reads back through the Protocol that nothing was written: no voucher, entry, number, event or
audit record.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from govparts.conformance import (
    Catalogue,
    Suite,
    collect_checks,
    expect_equal,
    expect_raises,
    expect_true,
    refuses,
    scenario,
    scenario_rng,
    step,
    verifies,
)
from govparts.core import events
from govparts.core.errors import (
    GovPartsError,
    InvalidInput,
    NotFound,
    OrganizationDenied,
    PermissionDenied,
    ProcessError,
)
from govparts.core.money import Money
from govparts.core.security import CROSS_ORG_READ_ROLE, Actor

from ..models import Indicator, ReimbursementClaim, SubAccount, Voucher, VoucherDraft, VoucherLine
from ..service import FinanceService

CATALOGUE = Catalogue.from_toml(Path(__file__).with_name("requirements.toml"))

ORG = "11650100MB00000117"
"""An administrative office (机关)."""
OTHER_ORG = "12650100MB0000028T"
"""A public institution (事业单位) in the same database."""
THIRD_ORG = "12650200MB0000036T"
YEARS = tuple(range(2019, 2031))
"""Years drawn from: the Government Accounting System is in force from 2019-01-01 (REFERENCE 8.1)."""
LEAP_YEARS = tuple(y for y in YEARS if calendar.isleap(y))
INEXACT = ("0.10", "0.29", "0.57", "1.15", "2.01", "4.35", "8.20", "1234567.89", "0.01", "99999.99")
"""Amounts binary floating point cannot hold exactly (0.29 * 100 is 28.999…, 1.15 is 1.149…)."""
VOUCHER_POSTED = "cn.govparts.finance.voucher.posted.v1"
REIMBURSEMENT_PAID = "cn.govparts.finance.reimbursement.paid.v1"
DISPATCHER = Actor(id="system:dispatcher", name="dispatcher", roles=frozenset())


class Staff:
    """The finance staff of one organisation, one actor per duty (bound to the organisation)."""

    def __init__(self, org: str) -> None:
        def one(duty: str, *roles: str) -> Actor:
            return Actor(id=f"{org[-5:]}-{duty}", name=duty, roles=frozenset(roles), org=org)

        self.org = org
        self.chief = one("chief", "chief_accountant", "budget_officer")
        self.preparer = one("prep", "accountant")
        self.reviewer = one("rev", "reviewer")
        self.bookkeeper = one("book", "bookkeeper")
        self.poster = one("batch", "reviewer", "bookkeeper")
        self.claimant = one("claim", "claimant")
        self.approver = one("appr", "approver")
        self.cashier = one("cash", "cashier")
        self.reader = one("reader")
        self.everyone = one(
            "all",
            "accountant",
            "reviewer",
            "bookkeeper",
            "chief_accountant",
            "budget_officer",
            "claimant",
            "approver",
            "cashier",
        )


def staff(org: str = ORG) -> Staff:
    """The staff of ``org``."""
    return Staff(org)


def _money(text: str | int) -> Money:
    return Money.from_fen(text) if isinstance(text, int) else Money.of(text)


def _line(account: str, side: str, amount: str | int | Money, **aux: Any) -> VoucherLine:
    value = amount if isinstance(amount, Money) else _money(amount)
    return VoucherLine(account=account, side=side, amount=value, **aux)


def _draft(org: str, day: date, *lines: VoucherLine, summary: str = "凭证") -> VoucherDraft:
    return VoucherDraft(org=org, date=day, summary=summary, lines=lines)


def _quota(org: str, day: date, amount: str | int | Money = "10000.00") -> VoucherDraft:
    """Receipt of an authorised-payment quota (REFERENCE §11.7): Dr 1011 / Cr 4001, Dr 8001 / Cr 6001."""
    return _draft(
        org,
        day,
        _line("1011", "debit", amount),
        _line("4001", "credit", amount),
        _line("8001", "debit", amount),
        _line("6001", "credit", amount),
        summary="收到授权支付额度",
    )


def _spend(
    org: str, day: date, amount: str | int | Money, *, project: str = "P01", econ: str = "30201"
) -> VoucherDraft:
    """An expense paid from the quota with its budget entry (平行记账)."""
    aux = {"project": project, "econ_class": econ}
    return _draft(
        org,
        day,
        _line("5001", "debit", amount, **aux),
        _line("1011", "credit", amount, **aux),
        _line("7201", "debit", amount, **aux),
        _line("8001", "credit", amount, **aux),
        summary="办公费",
    )


def _depreciation(org: str, day: date, amount: str | int | Money) -> VoucherDraft:
    return _draft(org, day, _line("5101", "debit", amount), _line("1602", "credit", amount), summary="折旧")


def _open(service: FinanceService, org: str = ORG, year: int = 2026) -> Staff:
    people = staff(org)
    with step(f"open {year} for {org}"):
        service.open_year(people.chief, org, year)
    return people


def _post(service: FinanceService, draft: VoucherDraft) -> Voucher:
    people = staff(draft.org)
    with step(f"prepare, review and post a voucher dated {draft.date}"):
        made = service.create_voucher(people.preparer, draft.org, draft)
        service.review_voucher(people.reviewer, draft.org, made.id)
        posted = service.post_voucher(people.bookkeeper, draft.org, made.id)
    expect_equal(posted.state, "posted", what="state of a voucher just posted")
    return posted


def _reviewed(service: FinanceService, draft: VoucherDraft) -> Voucher:
    people = staff(draft.org)
    with step(f"prepare and review a voucher dated {draft.date}"):
        made = service.create_voucher(people.preparer, draft.org, draft)
        return service.review_voucher(people.reviewer, draft.org, made.id)


def _indicator(
    service: FinanceService,
    org: str,
    year: int,
    amount: str | int | Money,
    control: str = "stop",
    *,
    project: str = "P01",
    econ: str = "30201",
) -> None:
    value = amount if isinstance(amount, Money) else _money(amount)
    with step(f"set the {control} indicator {project}/{econ} of {year} to {value}"):
        service.set_indicator(
            staff(org).chief,
            org,
            Indicator(org=org, year=year, project=project, econ_class=econ, amount=value, control=control),
        )


def _year(exclude_last: bool = True) -> int:
    pool = YEARS[:-1] if exclude_last else YEARS
    return scenario_rng().choice(pool)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _amount(low: int = 1, high: int = 99_999_999) -> Money:
    """An amount in fen between ``low`` and ``high``: half the time one binary floating point cannot hold."""
    rng = scenario_rng()
    inexact = [Money.of(a) for a in INEXACT if low <= Money.of(a).fen <= high]
    if inexact and rng.random() < 0.5:
        return rng.choice(inexact)
    return Money.from_fen(rng.randint(low, high))


def _snapshot(service: FinanceService, org: str, year: int, months: Sequence[int]) -> dict[str, Any]:
    """What a refused call must leave as it was: vouchers, their audit trails, events and balances."""
    chief = staff(org).chief
    vouchers = [v for m in months for v in service.vouchers(chief, org, year, m)]
    return {
        "vouchers": [(v.id, v.state, v.number, v.hash, v.reviewer, v.lines) for v in vouchers],
        "audit records": {v.id: len(service.audit_trail(chief, org, "voucher", v.id)) for v in vouchers},
        "events": [e.id for e in service.published_events(chief, org)],
        "balances": [service.trial_balance(chief, org, year, m).rows for m in months],
        "open periods": service.open_periods(chief, org),
    }


def _unchanged(
    service: FinanceService, before: dict[str, Any], org: str, year: int, months: Sequence[int]
) -> None:
    after = _snapshot(service, org, year, months)
    for key, value in before.items():
        expect_equal(after[key], value, what=f"{key} of {org} after a refused call (nothing may be written)")


def _actions(service: FinanceService, org: str, entity: str, entity_id: str) -> list[str]:
    return [e.action for e in service.audit_trail(staff(org).chief, org, entity, entity_id)]


def _accounts(voucher: Voucher) -> list[tuple[str, str, str]]:
    return sorted((x.account, x.side, str(x.amount)) for x in voucher.lines)


# -- the chart, balance and parallel recording --------------------------------------------------------


@refuses("FIN-001")
def refuses_accounts_outside_the_chart(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    month = rng.randint(1, 12)
    day = date(year, month, rng.randint(1, 28))
    before = _snapshot(service, ORG, year, [month])
    for bad in ("5701", "1999", "9001", "5601", "0000"):
        position = rng.randint(0, 1)
        lines = [_line("1002", "debit", "1.00"), _line("1001", "credit", "1.00")]
        lines[position] = lines[position].model_copy(update={"account": bad})
        scenario(year=year, month=month, account=bad, line=position)
        with (
            step("prepare a voucher with an account outside the chart"),
            expect_raises(InvalidInput, field=f"lines[{position}].account"),
        ):
            service.create_voucher(people.preparer, ORG, _draft(ORG, day, *lines))
        with step("post a batch holding such a voucher"), expect_raises(GovPartsError):
            service.post_batch(people.poster, ORG, [_draft(ORG, day, *lines)])
    _unchanged(service, before, ORG, year, [month])
    made = service.create_voucher(
        people.preparer,
        ORG,
        _draft(ORG, day, _line("1002", "debit", "1.00"), _line("1001", "credit", "1.00")),
    )
    expect_equal([x.account for x in made.lines], ["1002", "1001"], what="accounts of a valid voucher")


@refuses("FIN-002", "FIN-040")
def refuses_vouchers_unbalanced_by_one_fen(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    month = rng.randint(1, 12)
    day = date(year, month, rng.randint(1, 28))
    before = _snapshot(service, ORG, year, [month])
    for _ in range(3):
        amount = _amount(low=2)
        for system, delta in (("financial", 1), ("financial", -1), ("budget", 1), ("budget", -1)):
            scenario(year=year, month=month, amount=str(amount), system=system, off_by_fen=delta)
            off = Money.from_fen(amount.fen + delta)
            lines = list(_quota(ORG, day, amount).lines)
            index = 1 if system == "financial" else 3
            lines[index] = lines[index].model_copy(update={"amount": off})
            with step("prepare a voucher a fen out of balance"), expect_raises(InvalidInput, field="lines"):
                service.create_voucher(people.preparer, ORG, _draft(ORG, day, *lines))
            with step("post it in a batch"), expect_raises(GovPartsError):
                service.post_batch(people.poster, ORG, [_quota(ORG, day, "1.00"), _draft(ORG, day, *lines)])
    _unchanged(service, before, ORG, year, [month])
    split = _draft(
        ORG,
        day,
        _line("1002", "debit", "0.10"),
        _line("1002", "debit", "0.20"),
        _line("1001", "credit", "0.30"),
    )
    with step("prepare a voucher 0.10 + 0.20 against 0.30 (exact in fen, not in binary floating point)"):
        made = service.create_voucher(people.preparer, ORG, split)
    expect_equal([str(x.amount) for x in made.lines], ["0.10", "0.20", "0.30"], what="amounts read back")


@refuses("FIN-003")
def refuses_balancing_across_the_two_systems(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    day = date(year, scenario_rng().randint(1, 12), 10)
    before = _snapshot(service, ORG, year, [day.month])
    for debit, credit in (("5001", "8001"), ("7201", "1002"), ("1002", "6001")):
        scenario(year=year, debit=debit, credit=credit)
        with (
            step("prepare a voucher balanced only across the systems"),
            expect_raises(InvalidInput, field="lines"),
        ):
            service.create_voucher(
                people.preparer,
                ORG,
                _draft(ORG, day, _line(debit, "debit", "10.00"), _line(credit, "credit", "10.00")),
            )
    _unchanged(service, before, ORG, year, [day.month])


@refuses("FIN-004")
def refuses_zero_and_negative_amounts(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    day = date(year, rng.randint(1, 12), 3)
    before = _snapshot(service, ORG, year, [day.month])
    for amount in ("0.00", "-0.01", "-1.00", "-1234567.89"):
        position = rng.randint(0, 1)
        lines = [_line("1002", "debit", "1.00"), _line("1001", "credit", "1.00")]
        lines[position] = lines[position].model_copy(update={"amount": Money.of(amount)})
        lines[1 - position] = lines[1 - position].model_copy(update={"amount": Money.of(amount)})
        scenario(amount=amount, line=position)
        with (
            step("prepare a voucher with a zero or negative amount"),
            expect_raises(InvalidInput, field="lines[0].amount"),
        ):
            service.create_voucher(people.preparer, ORG, _draft(ORG, day, *lines))
        with step("post it in a batch"), expect_raises(GovPartsError):
            service.post_batch(people.poster, ORG, [_draft(ORG, day, *lines)])
    _unchanged(service, before, ORG, year, [day.month])
    posted = _post(service, _draft(ORG, day, _line("1002", "debit", "0.01"), _line("1001", "credit", "0.01")))
    expect_equal(str(posted.lines[0].amount), "0.01", what="the smallest amount, one fen")


@refuses("FIN-005")
def requires_the_budget_entry_of_a_budget_managed_payment(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    day = date(year, rng.randint(1, 12), rng.randint(1, 28))
    before = _snapshot(service, ORG, year, [day.month])
    for cash in ("1011", "1002", "1001", "1021", "1201"):
        for expense in ("5001", "5101"):
            amount = _amount()
            scenario(cash=cash, expense=expense, amount=str(amount))
            draft = _draft(ORG, day, _line(expense, "debit", amount), _line(cash, "credit", amount))
            with (
                step("prepare a payment without its budget entry"),
                expect_raises(GovPartsError, field="lines"),
            ):
                service.create_voucher(people.preparer, ORG, draft)
            with step("post it in a batch"), expect_raises(GovPartsError):
                service.post_batch(people.poster, ORG, [draft])
    _unchanged(service, before, ORG, year, [day.month])
    _indicator(service, ORG, year, "1000000.00")
    _post(service, _quota(ORG, day, "1000.00"))
    _post(service, _spend(ORG, day, "300.00"))


@refuses("FIN-006")
def records_a_transaction_without_cash_flow_in_financial_accounting_only(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    day = _last_day(year, month)
    amount = _amount()
    scenario(year=year, month=month, amount=str(amount))
    _post(service, _depreciation(ORG, day, amount))
    tb = service.trial_balance(people.chief, ORG, year, month)
    expect_equal(
        tb.balance_of("1602"), Money.from_fen(-amount.fen), what="balance of 1602 after depreciation"
    )
    expect_equal(tb.balance_of("5101"), amount, what="balance of 5101 after depreciation")
    expect_equal(sorted({r.system for r in tb.rows}), ["financial"], what="systems touched by depreciation")
    before = _snapshot(service, ORG, year, [month])
    with (
        step("prepare the same expense paid from the quota without a budget entry"),
        expect_raises(GovPartsError, field="lines"),
    ):
        service.create_voucher(
            people.preparer,
            ORG,
            _draft(ORG, day, _line("5101", "debit", amount), _line("1011", "credit", amount)),
        )
    _unchanged(service, before, ORG, year, [month])


@refuses("FIN-007")
def moves_funds_between_monetary_accounts_without_budget_entry(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    day = date(year, month, 1)
    amount = _amount()
    scenario(year=year, month=month, amount=str(amount))
    _post(service, _draft(ORG, day, _line("1001", "debit", amount), _line("1002", "credit", amount)))
    tb = service.trial_balance(people.chief, ORG, year, month)
    expect_equal(tb.balance_of("1001"), amount, what="cash on hand after drawing cash")
    expect_equal(tb.balance_of("1002"), Money.from_fen(-amount.fen), what="bank after drawing cash")
    before = _snapshot(service, ORG, year, [month])
    with (
        step("pay a supplier from the bank without a budget entry"),
        expect_raises(GovPartsError, field="lines"),
    ):
        service.create_voucher(
            people.preparer,
            ORG,
            _draft(ORG, day, _line("2302", "debit", amount), _line("1002", "credit", amount)),
        )
    _unchanged(service, before, ORG, year, [month])


@refuses("FIN-008", "FIN-040")
def posts_the_quota_receipt_in_both_systems(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    total = 0
    for n in range(3):
        amount = _amount()
        total += amount.fen
        scenario(year=year, month=month, receipt=n, amount=str(amount))
        _post(service, _quota(ORG, date(year, month, n + 1), amount))
    tb = service.trial_balance(people.chief, ORG, year, month)
    for code, sign in (("1011", 1), ("4001", -1), ("8001", 1), ("6001", -1)):
        expect_equal(tb.balance_of(code), Money.from_fen(sign * total), what=f"balance of {code} to the fen")
    before = _snapshot(service, ORG, year, [month])
    financial_only = _draft(ORG, date(year, month, 5), *_quota(ORG, date(year, month, 5), "5.00").lines[:2])
    with (
        step("prepare a quota receipt without its budget entry"),
        expect_raises(GovPartsError, field="lines"),
    ):
        service.create_voucher(people.preparer, ORG, financial_only)
    _unchanged(service, before, ORG, year, [month])


# -- the voucher process -----------------------------------------------------------------------------


@refuses("FIN-009", "FIN-038")
def a_preparer_never_reviews_their_own_voucher(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    day = date(year, scenario_rng().randint(1, 12), 9)
    made = service.create_voucher(people.everyone, ORG, _quota(ORG, day))
    trail = _actions(service, ORG, "voucher", made.id)
    before = _snapshot(service, ORG, year, [day.month])
    with step("the preparer reviews their own voucher"), expect_raises(ProcessError):
        service.review_voucher(people.everyone, ORG, made.id)
    _unchanged(service, before, ORG, year, [day.month])
    expect_equal(
        service.get_voucher(people.chief, ORG, made.id).state, "draft", what="state after a self-review"
    )
    expect_equal(_actions(service, ORG, "voucher", made.id), trail, what="audit trail after a refused review")
    reviewed = service.review_voucher(people.reviewer, ORG, made.id)
    expect_equal(reviewed.state, "reviewed", what="state after another person's review")
    expect_equal(reviewed.reviewer, people.reviewer.id, what="reviewer recorded")


@refuses("FIN-010")
def posts_only_reviewed_vouchers(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    day = date(year, scenario_rng().randint(1, 12), 9)
    made = service.create_voucher(people.preparer, ORG, _quota(ORG, day))
    before = _snapshot(service, ORG, year, [day.month])
    with step("post a draft"), expect_raises(ProcessError):
        service.post_voucher(people.bookkeeper, ORG, made.id)
    _unchanged(service, before, ORG, year, [day.month])
    voucher = service.get_voucher(people.chief, ORG, made.id)
    expect_equal((voucher.state, voucher.number), ("draft", None), what="state and number of the draft")


@refuses("FIN-011", "FIN-043")
def posts_only_as_bookkeeper(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    day = date(year, scenario_rng().randint(1, 12), 9)
    reviewed = _reviewed(service, _quota(ORG, day))
    before = _snapshot(service, ORG, year, [day.month])
    for who in (people.reviewer, people.preparer, people.chief, people.reader, people.cashier):
        scenario(actor=who.id, roles=sorted(who.roles))
        with step(f"post as {who.id}"), expect_raises(PermissionDenied):
            service.post_voucher(who, ORG, reviewed.id)
    _unchanged(service, before, ORG, year, [day.month])
    expect_equal(
        service.post_voucher(people.bookkeeper, ORG, reviewed.id).state,
        "posted",
        what="posted by the bookkeeper",
    )


@refuses("FIN-012")
def a_posted_voucher_never_changes(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    day = date(year, scenario_rng().randint(1, 12), 9)
    posted = _post(service, _quota(ORG, day, _amount()))
    before = _snapshot(service, ORG, year, [day.month])
    attempts: tuple[tuple[str, Callable[[], object]], ...] = (
        ("review", lambda: service.review_voucher(people.reviewer, ORG, posted.id)),
        ("withdraw the review", lambda: service.unreview_voucher(people.reviewer, ORG, posted.id)),
        ("post again", lambda: service.post_voucher(people.bookkeeper, ORG, posted.id)),
    )
    for name, attempt in attempts:
        scenario(operation=name)
        with step(f"{name} on a posted voucher"), expect_raises(ProcessError):
            attempt()
    _unchanged(service, before, ORG, year, [day.month])


@refuses("FIN-013")
def a_reversal_cancels_the_original_exactly(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    month = rng.randint(1, 11)
    _indicator(service, ORG, year, "999999999.99")
    original = _post(service, _spend(ORG, date(year, month, rng.randint(1, 28)), _amount()))
    on = date(year, month + 1, 1)
    scenario(year=year, month=month, reversal_on=on.isoformat(), amount=str(original.lines[0].amount))
    reversal = service.reverse_voucher(people.preparer, ORG, original.id, on)
    expect_equal(
        (reversal.reverses, reversal.year, reversal.month),
        (original.id, year, month + 1),
        what="reversal link and period",
    )
    service.review_voucher(people.reviewer, ORG, reversal.id)
    service.post_voucher(people.bookkeeper, ORG, reversal.id)
    expect_equal(
        service.get_voucher(people.chief, ORG, original.id).reversed_by,
        reversal.id,
        what="the original's reversed_by",
    )
    tb = service.trial_balance(people.chief, ORG, year, month + 1)
    expect_equal(
        [(r.account, str(r.closing)) for r in tb.rows if r.closing.fen],
        [],
        what="balances left after the reversal",
    )
    expect_equal(
        _accounts(service.get_voucher(people.chief, ORG, original.id)),
        _accounts(original),
        what="the original's lines",
    )
    other = _post(service, _quota(ORG, date(year, month, 2), "3.00"))
    before = _snapshot(service, ORG, year, [month, month + 1])
    with step("reverse on a day of an unopened year"), expect_raises(GovPartsError, field="date"):
        service.reverse_voucher(people.preparer, ORG, other.id, date(year + 1, 1, 1))
    _unchanged(service, before, ORG, year, [month, month + 1])


@refuses("FIN-014")
def reverses_a_voucher_only_once(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    original = _post(service, _quota(ORG, date(year, month, 2), _amount()))
    first = service.reverse_voucher(people.preparer, ORG, original.id, date(year, month, 20))
    before = _snapshot(service, ORG, year, [month])
    with (
        step("reverse again while the first reversal is a draft"),
        expect_raises(GovPartsError, field="voucher_id"),
    ):
        service.reverse_voucher(people.preparer, ORG, original.id, date(year, month, 21))
    _unchanged(service, before, ORG, year, [month])
    service.review_voucher(people.reviewer, ORG, first.id)
    service.post_voucher(people.bookkeeper, ORG, first.id)
    before = _snapshot(service, ORG, year, [month])
    with (
        step("reverse again after the first reversal is posted"),
        expect_raises(GovPartsError, field="voucher_id"),
    ):
        service.reverse_voucher(people.preparer, ORG, original.id, date(year, month, 22))
    with step("reverse the reversal"), expect_raises(GovPartsError, field="voucher_id"):
        service.reverse_voucher(people.preparer, ORG, first.id, date(year, month, 22))
    _unchanged(service, before, ORG, year, [month])


@refuses("FIN-015")
def reverses_only_posted_vouchers(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    draft = service.create_voucher(people.preparer, ORG, _quota(ORG, date(year, month, 3)))
    reviewed = _reviewed(service, _quota(ORG, date(year, month, 4)))
    before = _snapshot(service, ORG, year, [month])
    for state, voucher in (("draft", draft), ("reviewed", reviewed)):
        scenario(state=state)
        with step(f"reverse a {state} voucher"), expect_raises(GovPartsError, field="voucher_id"):
            service.reverse_voucher(people.preparer, ORG, voucher.id, date(year, month, 20))
    _unchanged(service, before, ORG, year, [month])


# -- periods -------------------------------------------------------------------------------------------


@refuses("FIN-016", "FIN-042", "FIN-037")
def never_posts_into_a_closed_month_and_only_that_month_is_closed(service: FinanceService) -> None:
    rng = scenario_rng()
    # Two scenarios in two different years, so each year has exactly one closed month.
    for year in rng.sample(YEARS[:-1], 2):
        people = _open(service, ORG, year)
        month = rng.randint(2, 11)
        scenario(year=year, closed_month=month)
        first, last = date(year, month, 1), _last_day(year, month)
        inside = [_reviewed(service, _quota(ORG, day, "1.00")) for day in (first, last)]
        before_month = _reviewed(service, _quota(ORG, _last_day(year, month - 1), "2.00"))
        after_month = _reviewed(service, _quota(ORG, date(year, month + 1, 1), "3.00"))
        service.close_period(people.chief, ORG, year, month)
        expect_equal(
            [p for p in service.open_periods(people.chief, ORG) if p[0] == year],
            [(year, m) for m in range(1, 13) if m != month],
            what="open periods after closing one month",
        )
        before = _snapshot(service, ORG, year, [month - 1, month, month + 1])
        for voucher in inside:
            scenario(date=voucher.date.isoformat())
            with step("post a reviewed voucher of the closed month"), expect_raises(GovPartsError):
                service.post_voucher(people.bookkeeper, ORG, voucher.id)
            expect_equal(
                service.get_voucher(people.chief, ORG, voucher.id).state,
                "reviewed",
                what="state after the refusal",
            )
        with step("post a batch with a voucher of the closed month"), expect_raises(GovPartsError):
            service.post_batch(
                people.poster, ORG, [_quota(ORG, date(year, month + 1, 2), "1.00"), _quota(ORG, last, "1.00")]
            )
        _unchanged(service, before, ORG, year, [month - 1, month, month + 1])
        for voucher in (before_month, after_month):
            service.post_voucher(people.bookkeeper, ORG, voucher.id)


@refuses("FIN-017", "FIN-042")
def refuses_vouchers_dated_in_a_closed_month(service: FinanceService) -> None:
    rng = scenario_rng()
    year = rng.choice(LEAP_YEARS[:-1])
    people = _open(service, ORG, year)
    month = rng.choice((2, rng.randint(1, 11)))
    original = _post(service, _quota(ORG, date(year, month, 1), _amount()))
    service.close_period(people.chief, ORG, year, month)
    before = _snapshot(service, ORG, year, [month])
    for day in (date(year, month, 1), _last_day(year, month)):
        scenario(year=year, month=month, day=day.isoformat())
        with step("prepare a voucher dated in the closed month"), expect_raises(GovPartsError, field="date"):
            service.create_voucher(people.preparer, ORG, _quota(ORG, day))
        with step("reverse into the closed month"), expect_raises(GovPartsError, field="date"):
            service.reverse_voucher(people.preparer, ORG, original.id, day)
    _unchanged(service, before, ORG, year, [month])
    expect_equal(
        service.reverse_voucher(people.preparer, ORG, original.id, date(year, month + 1, 1)).month,
        month + 1,
        what="month of a reversal dated the first day after the closed month",
    )


@refuses("FIN-018", "FIN-037")
def records_nothing_in_a_period_never_opened(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    scenario(year=year)
    before = _snapshot(service, ORG, year, [12])
    with (
        step("prepare a voucher dated 1 January of the next year"),
        expect_raises(GovPartsError, field="date"),
    ):
        service.create_voucher(people.preparer, ORG, _quota(ORG, date(year + 1, 1, 1)))
    with step("post a batch dated 1 January of the next year"), expect_raises(GovPartsError):
        service.post_batch(people.poster, ORG, [_quota(ORG, date(year + 1, 1, 1))])
    with (
        step("prepare a voucher dated 31 December of the year before"),
        expect_raises(GovPartsError, field="date"),
    ):
        service.create_voucher(people.preparer, ORG, _quota(ORG, date(year - 1, 12, 31)))
    _unchanged(service, before, ORG, year, [12])
    expect_equal(
        _post(service, _quota(ORG, date(year, 12, 31))).month, 12, what="month of a voucher dated 31 December"
    )
    expect_equal(
        len(service.post_batch(people.poster, ORG, [_quota(ORG, date(year, 1, 1))])),
        1,
        what="vouchers posted on 1 January",
    )


@refuses("FIN-042")
def places_every_voucher_in_the_month_of_its_date(service: FinanceService) -> None:
    rng = scenario_rng()
    leap = rng.choice(LEAP_YEARS[:-1])
    for org, year in ((ORG, leap), (OTHER_ORG, rng.choice([y for y in YEARS if y != leap]))):
        people = _open(service, org, year)
        days = [d for m in range(1, 13) for d in (date(year, m, 1), _last_day(year, m))]
        singles = days[::2]
        ids = {d: _post(service, _quota(org, d, "1.00")).id for d in singles}
        batch = service.post_batch(people.poster, org, [_quota(org, d, "1.00") for d in days[1::2]])
        ids.update(zip(days[1::2], batch, strict=True))
        for month in range(1, 13):
            scenario(year=year, month=month)
            listed = {v.id for v in service.vouchers(people.chief, org, year, month)}
            want = {ids[d] for d in days if d.month == month}
            expect_equal(listed, want, what=f"vouchers of {year}-{month:02d} (first and last day)")
            expect_equal(
                service.trial_balance(people.chief, org, year, month).balance_of("1011"),
                Money.from_fen(200 * month),
                what=f"closing balance of 1011 at the end of {year}-{month:02d}",
            )
        with step("close a month already closed"):
            service.close_period(people.chief, org, year, 12)
        before = _snapshot(service, org, year, [12])
        with expect_raises(GovPartsError, field="period"):
            service.close_period(people.chief, org, year, 12)
        _unchanged(service, before, org, year, [12])


@refuses("FIN-019")
def numbers_each_period_from_one_without_gaps(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    _indicator(service, ORG, year, "100.00")
    _post(service, _quota(ORG, date(year, 1, 1), "100000.00"))
    for month in sorted(rng.sample(range(2, 13), 2)):
        scenario(year=year, month=month)
        expected = 0
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.5:
                expected += 1
                voucher = _post(service, _quota(ORG, date(year, month, rng.randint(1, 28)), "1.00"))
                expect_equal(voucher.number, expected, what="number of a single posting")
            else:
                count = rng.randint(1, 3)
                ids = service.post_batch(
                    people.poster, ORG, [_quota(ORG, date(year, month, 5), "1.00") for _ in range(count)]
                )
                numbers = [service.get_voucher(people.chief, ORG, i).number for i in ids]
                expect_equal(
                    numbers, list(range(expected + 1, expected + count + 1)), what="numbers of a batch"
                )
                expected += count
            refused = _reviewed(service, _spend(ORG, date(year, month, 6), "100.01"))
            with step("a posting refused beyond the stop indicator"), expect_raises(ProcessError):
                service.post_voucher(people.bookkeeper, ORG, refused.id)
        listed = sorted(
            v.number for v in service.vouchers(people.chief, ORG, year, month) if v.number is not None
        )
        expect_equal(listed, list(range(1, expected + 1)), what=f"numbers of {year}-{month:02d}")


@refuses("FIN-020", "FIN-036")
def each_organisation_numbers_its_own_vouchers(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    orgs = (ORG, OTHER_ORG, THIRD_ORG)
    for org in orgs:
        _open(service, org, year)
    month = rng.randint(1, 12)
    counts = dict.fromkeys(orgs, 0)
    for _ in range(7):
        org = rng.choice(orgs)
        counts[org] += 1
        scenario(year=year, month=month, org=org)
        expect_equal(
            _post(service, _quota(org, date(year, month, 3), "1.00")).number,
            counts[org],
            what=f"next number of {org}",
        )
    for org in orgs:
        expect_equal(
            service.trial_balance(staff(org).chief, org, year, month).balance_of("1011"),
            Money.from_fen(100 * counts[org]),
            what=f"balance of 1011 in {org}'s own trial balance",
        )
        listed = service.vouchers(staff(org).chief, org, year, month)
        expect_equal(len(listed), counts[org], what=f"vouchers listed for {org}")
    theirs = staff(OTHER_ORG)
    mine = _reviewed(service, _quota(ORG, date(year, month, 4), "1.00"))
    before = _snapshot(service, ORG, year, [month])
    with (
        step("an actor of another organisation posts this organisation's voucher"),
        expect_raises(PermissionDenied),
    ):
        service.post_voucher(theirs.everyone, ORG, mine.id)
    _unchanged(service, before, ORG, year, [month])
    with step("another organisation closes the same month"):
        service.close_period(theirs.chief, OTHER_ORG, year, month)
    expect_true(
        (year, month) in service.open_periods(staff(ORG).chief, ORG),
        "the month stays open in this organisation",
        observed=service.open_periods(staff(ORG).chief, ORG),
    )
    expect_equal(
        service.post_voucher(staff(ORG).bookkeeper, ORG, mine.id).state, "posted", what="posting after"
    )


@refuses("FIN-021")
def chains_every_posted_voucher(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 11)
    singles = [_post(service, _quota(ORG, date(year, month, 2), _amount())) for _ in range(2)]
    batch = service.post_batch(
        people.poster, ORG, [_quota(ORG, date(year, month, 3), _amount()) for _ in range(2)]
    )
    hashes = [v.hash for v in singles] + [service.get_voucher(people.chief, ORG, i).hash for i in batch]
    expect_true(all(hashes), "every posted voucher has a hash", observed=hashes)
    expect_equal(len(set(hashes)), 4, what="distinct hashes of four vouchers")
    report = service.verify_chain(people.chief, ORG)
    expect_equal((report.ok, report.checked), (True, 4), what="chain verification (ok, checked)")
    service.close_period(people.chief, ORG, year, month)
    reviewed = _reviewed(service, _quota(ORG, date(year, month + 1, 1)))
    service.close_period(people.chief, ORG, year, month + 1)
    with step("post into a closed month"), expect_raises(GovPartsError):
        service.post_voucher(people.bookkeeper, ORG, reviewed.id)
    report = service.verify_chain(people.chief, ORG)
    expect_equal((report.ok, report.checked), (True, 4), what="chain after a refused posting")


# -- budget control --------------------------------------------------------------------------------------


@refuses("FIN-022", "FIN-040")
def a_stop_indicator_allows_exactly_what_is_left(service: FinanceService) -> None:
    rng = scenario_rng()
    # Two scenarios in two different years: a second indicator in the same year would start used up.
    for year in rng.sample(YEARS[:-1], 2):
        people = _open(service, ORG, year)
        month = rng.randint(1, 12)
        limit = _amount(low=300)
        used = Money.from_fen(rng.randint(1, limit.fen - 2))
        left = limit - used
        scenario(year=year, month=month, indicator=str(limit), used=str(used), left=str(left))
        _indicator(service, ORG, year, limit)
        _post(service, _quota(ORG, date(year, month, 1), limit + Money.of("100.00")))
        _post(service, _spend(ORG, date(year, month, 2), used))
        over = _reviewed(service, _spend(ORG, date(year, month, 3), left + Money.of("0.01")))
        before = _snapshot(service, ORG, year, [month])
        with step("post one fen beyond the indicator"), expect_raises(ProcessError) as caught:
            service.post_voucher(people.bookkeeper, ORG, over.id)
        message = caught.value.message("en") if isinstance(caught.value, GovPartsError) else ""
        expect_true(
            str(left) in message, "the error gives the amount available", expected=str(left), observed=message
        )
        with step("post a batch one fen beyond the indicator"), expect_raises(ProcessError):
            service.post_batch(
                people.poster, ORG, [_spend(ORG, date(year, month, 3), left + Money.of("0.01"))]
            )
        _unchanged(service, before, ORG, year, [month])
        exact = _post(service, _spend(ORG, date(year, month, 4), left))
        expect_equal(exact.warnings, (), what="warnings of a voucher spending exactly what is left")
        execution = service.budget_execution(people.chief, ORG, year)
        expect_equal(
            [(str(e.posted), str(e.available)) for e in execution], [(str(limit), "0.00")], what="execution"
        )
        claim = service.submit_reimbursement(people.claimant, ORG, _claim(ORG, date(year, month, 5), "0.01"))
        service.review_reimbursement(people.reviewer, ORG, claim.id)
        with step("approve a claim beyond the stop indicator"), expect_raises(ProcessError):
            service.approve_reimbursement(people.approver, ORG, claim.id)
        expect_equal(
            service.get_reimbursement(people.chief, ORG, claim.id).state, "reviewed", what="claim state"
        )


@refuses("FIN-023", "FIN-024")
def a_warn_indicator_flags_only_what_exceeds_it(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    limit = _amount(low=100)
    scenario(year=year, month=month, indicator=str(limit))
    _indicator(service, ORG, year, limit, "warn")
    _post(service, _quota(ORG, date(year, month, 1), limit + Money.of("10.00")))
    exact = _post(service, _spend(ORG, date(year, month, 2), limit))
    expect_equal(exact.warnings, (), what="warnings of a voucher spending exactly the indicator")
    over = _post(service, _spend(ORG, date(year, month, 3), "0.01"))
    expect_true(
        bool(over.warnings),
        "a voucher one fen beyond a warn indicator carries a warning",
        observed=over.warnings,
    )
    batch = service.post_batch(people.poster, ORG, [_spend(ORG, date(year, month, 4), "0.01")])
    expect_true(
        bool(service.get_voucher(people.chief, ORG, batch[0]).warnings),
        "a batch voucher beyond a warn indicator carries a warning",
    )
    other = _reviewed(service, _spend(ORG, date(year, month, 5), "1.00", project="P02"))
    before = _snapshot(service, ORG, year, [month])
    with step("spend on a project the warn indicator does not cover"), expect_raises(ProcessError):
        service.post_voucher(people.bookkeeper, ORG, other.id)
    _unchanged(service, before, ORG, year, [month])


@refuses("FIN-024", "FIN-036")
def spending_without_its_own_indicator_is_refused(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    _open(service, ORG, year + 1)
    _open(service, OTHER_ORG, year)
    month = scenario_rng().randint(1, 12)
    _indicator(service, ORG, year, "1000.00")
    _indicator(service, OTHER_ORG, year, "1000.00", project="P09")
    _post(service, _quota(ORG, date(year, month, 1), "5000.00"))
    _post(service, _quota(ORG, date(year + 1, month, 1), "5000.00"))
    cases = (
        ("another project", _spend(ORG, date(year, month, 2), "1.00", project="P02")),
        ("another economic class", _spend(ORG, date(year, month, 2), "1.00", econ="30202")),
        ("the next year", _spend(ORG, date(year + 1, month, 2), "1.00")),
        ("another organisation's project", _spend(ORG, date(year, month, 2), "1.00", project="P09")),
    )
    for what, draft in cases:
        scenario(case=what)
        reviewed = _reviewed(service, draft)
        before = _snapshot(service, ORG, draft.date.year, [month])
        with step(f"spend on {what}"), expect_raises(ProcessError):
            service.post_voucher(people.bookkeeper, ORG, reviewed.id)
        with step(f"spend on {what} in a batch"), expect_raises(ProcessError):
            service.post_batch(people.poster, ORG, [draft])
        _unchanged(service, before, ORG, draft.date.year, [month])
    expect_equal(
        _post(service, _spend(ORG, date(year, month, 3), "1000.00")).state, "posted", what="spending within"
    )


def _claim(org: str, day: date, amount: str | Money, project: str = "P01") -> ReimbursementClaim:
    return ReimbursementClaim(
        org=org,
        claimant=f"{org[-5:]}-claim",
        date=day,
        amount=amount if isinstance(amount, Money) else Money.of(amount),
        purpose="差旅费",
        project=project,
        econ_class="30201",
    )


@refuses("FIN-025")
def approved_claims_count_against_the_indicator(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    limit = _amount(low=1000)
    committed = Money.from_fen(limit.fen // 3)
    scenario(year=year, month=month, indicator=str(limit), claim=str(committed))
    _indicator(service, ORG, year, limit)
    _post(service, _quota(ORG, date(year, month, 1), limit))
    claim = service.submit_reimbursement(people.claimant, ORG, _claim(ORG, date(year, month, 20), committed))
    service.review_reimbursement(people.reviewer, ORG, claim.id)
    service.approve_reimbursement(people.approver, ORG, claim.id)
    execution = service.budget_execution(people.chief, ORG, year)
    expect_equal(
        [(str(e.committed), str(e.available)) for e in execution],
        [(str(committed), str(limit - committed))],
        what="committed and available after approving a claim",
    )
    over = _reviewed(service, _spend(ORG, date(year, month, 2), limit - committed + Money.of("0.01")))
    before = _snapshot(service, ORG, year, [month])
    with (
        step("spend one fen more than the indicator leaves beside the commitment"),
        expect_raises(ProcessError),
    ):
        service.post_voucher(people.bookkeeper, ORG, over.id)
    _unchanged(service, before, ORG, year, [month])
    expect_equal(
        _post(service, _spend(ORG, date(year, month, 3), limit - committed)).state,
        "posted",
        what="spending exactly the rest",
    )


@refuses("FIN-026", "FIN-039")
def paying_a_claim_posts_its_parallel_voucher(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    amount = _amount(low=100, high=1_000_000)
    scenario(year=year, month=month, amount=str(amount))
    _indicator(service, ORG, year, amount)
    _post(service, _quota(ORG, date(year, month, 1), amount))
    claim = service.submit_reimbursement(people.claimant, ORG, _claim(ORG, date(year, month, 20), amount))
    service.review_reimbursement(people.reviewer, ORG, claim.id)
    before = _snapshot(service, ORG, year, [month])
    with step("pay a claim that is not approved"), expect_raises(ProcessError):
        service.pay_reimbursement(people.cashier, ORG, claim.id)
    _unchanged(service, before, ORG, year, [month])
    service.approve_reimbursement(people.approver, ORG, claim.id)
    paid = service.pay_reimbursement(people.cashier, ORG, claim.id)
    expect_equal(paid.state, "paid", what="claim state after payment")
    expect_true(paid.voucher_id is not None, "a paid claim names its voucher")
    voucher = service.get_voucher(people.chief, ORG, str(paid.voucher_id))
    a = str(amount)
    expect_equal(
        _accounts(voucher),
        [("1011", "credit", a), ("5001", "debit", a), ("7201", "debit", a), ("8001", "credit", a)],
        what="lines of the payment voucher",
    )
    execution = service.budget_execution(people.chief, ORG, year)[0]
    expect_equal(
        (str(execution.posted), str(execution.committed)),
        (a, "0.00"),
        what="posted and committed after payment",
    )
    types = [e.type for e in service.published_events(people.chief, ORG)]
    expect_equal(types.count(REIMBURSEMENT_PAID), 1, what="reimbursement.paid events")
    expect_equal(types.count(VOUCHER_POSTED), 2, what="voucher.posted events (the quota and the payment)")


@refuses("FIN-027")
def the_approver_is_not_the_reviewer(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    _indicator(service, ORG, year, "1000.00")
    both = Actor(id="both", name="both", roles=frozenset({"reviewer", "approver"}), org=ORG)
    claim = service.submit_reimbursement(people.claimant, ORG, _claim(ORG, date(year, 3, 1), "100.00"))
    service.review_reimbursement(both, ORG, claim.id)
    trail = _actions(service, ORG, "reimbursement", claim.id)
    with step("the reviewer approves the claim"), expect_raises(PermissionDenied):
        service.approve_reimbursement(both, ORG, claim.id)
    expect_equal(
        _actions(service, ORG, "reimbursement", claim.id), trail, what="claim audit trail after the refusal"
    )
    expect_equal(
        service.budget_execution(people.chief, ORG, year)[0].committed, Money.zero(), what="committed"
    )
    expect_equal(
        service.approve_reimbursement(people.approver, ORG, claim.id).state,
        "approved",
        what="approved by another",
    )


@refuses("FIN-041", "FIN-043")
def withdrawn_reviews_and_rejected_claims_leave_nothing_behind(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    _indicator(service, ORG, year, "1000.00")
    reviewed = _reviewed(service, _quota(ORG, date(year, month, 2)))
    with step("withdraw a review without the reviewer role"), expect_raises(PermissionDenied):
        service.unreview_voucher(people.preparer, ORG, reviewed.id)
    back = service.unreview_voucher(people.reviewer, ORG, reviewed.id)
    expect_equal(
        (back.state, back.number, back.reviewer),
        ("draft", None, None),
        what="voucher after withdrawing its review",
    )
    expect_true("transition" in _actions(service, ORG, "voucher", reviewed.id), "the withdrawal is audited")
    draft = service.create_voucher(people.preparer, ORG, _quota(ORG, date(year, month, 3)))
    with step("withdraw the review of a draft"), expect_raises(ProcessError):
        service.unreview_voucher(people.reviewer, ORG, draft.id)
    for stage in ("submitted", "reviewed"):
        scenario(rejected_when=stage)
        claim = service.submit_reimbursement(
            people.claimant, ORG, _claim(ORG, date(year, month, 4), "400.00")
        )
        if stage == "reviewed":
            service.review_reimbursement(people.reviewer, ORG, claim.id)
        with step("reject without a reviewing or approving role"), expect_raises(PermissionDenied):
            service.reject_reimbursement(people.cashier, ORG, claim.id)
        rejected = service.reject_reimbursement(people.approver, ORG, claim.id, reason="超标准")
        expect_equal(rejected.state, "rejected", what="claim state after rejection")
        before = _snapshot(service, ORG, year, [month])
        late: tuple[tuple[str, Callable[[], object]], ...] = (
            ("approve", partial(service.approve_reimbursement, people.approver, ORG, claim.id)),
            ("pay", partial(service.pay_reimbursement, people.cashier, ORG, claim.id)),
        )
        for name, attempt in late:
            with step(f"{name} a rejected claim"), expect_raises(ProcessError):
                attempt()
        _unchanged(service, before, ORG, year, [month])
        expect_equal(
            service.budget_execution(people.chief, ORG, year)[0].committed, Money.zero(), what="committed"
        )


# -- reports ----------------------------------------------------------------------------------------------


def _history(service: FinanceService, org: str, year: int) -> dict[str, Any]:
    """Post a drawn history over several months; what the reports must show, computed here."""
    rng = scenario_rng()
    _indicator(service, org, year, "999999999.99")
    months = sorted(rng.sample(range(1, 13), 3))
    quota = _amount(low=1_000_000, high=9_999_999)
    spend = Money.from_fen(rng.randint(1, quota.fen // 4))
    asset = Money.from_fen(rng.randint(1, quota.fen // 4))
    depreciation = Money.from_fen(rng.randint(1, asset.fen))
    revenue = _amount()
    _post(service, _quota(org, date(year, months[0], 1), quota))
    _post(service, _spend(org, _last_day(year, months[0]), spend))
    _post(
        service,
        _draft(
            org,
            date(year, months[1], 1),
            _line("1601", "debit", asset),
            _line("1011", "credit", asset),
            _line("7201", "debit", asset, project="P01", econ_class="30201"),
            _line("8001", "credit", asset, project="P01", econ_class="30201"),
        ),
    )
    _post(service, _depreciation(org, _last_day(year, months[1]), depreciation))
    _post(
        service,
        _draft(
            org,
            date(year, months[2], 1),
            _line("1002", "debit", revenue),
            _line("4101", "credit", revenue),
            _line("8001", "debit", revenue),
            _line("6101", "credit", revenue),
        ),
    )
    scenario(
        year=year, months=months, quota=str(quota), spend=str(spend), asset=str(asset), revenue=str(revenue)
    )
    surplus = quota + revenue - spend - depreciation
    budget_surplus = quota + revenue - spend - asset
    return {
        "months": months,
        "surplus": surplus,
        "budget_surplus": budget_surplus,
        "assets": quota - spend - asset + asset - depreciation + revenue,
        "1011": quota - spend - asset,
        "asset": asset,
        "depreciation": depreciation,
        "revenue": revenue,
    }


@refuses("FIN-028", "FIN-040")
def the_trial_balance_balances_every_month(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    expected = _history(service, ORG, year)
    previous: dict[str, Money] = {}
    for month in range(1, 13):
        scenario(month=month)
        tb = service.trial_balance(people.chief, ORG, year, month)
        for system in ("financial", "budget"):
            totals = tb.totals(system)
            expect_equal(totals["opening"].fen, 0, what=f"{system} openings sum")
            expect_equal(totals["closing"].fen, 0, what=f"{system} closings sum")
            expect_equal(totals["debit"], totals["credit"], what=f"{system} period debits against credits")
        for row in tb.rows:
            expect_equal(row.closing, row.opening + row.debit - row.credit, what=f"closing of {row.account}")
            expect_equal(
                row.opening, previous.get(row.account, Money.zero()), what=f"opening of {row.account}"
            )
        previous = {row.account: row.closing for row in tb.rows}
    expect_equal(previous.get("1011"), expected["1011"], what="closing balance of 1011 in December")
    _open(service, ORG, year + 1)
    january = service.trial_balance(people.chief, ORG, year + 1, 1)
    expect_equal(
        january.balance_of("1011"), expected["1011"], what="1011 carried into January of the next year"
    )
    expect_equal(
        next((r.opening for r in january.rows if r.account == "1011"), Money.zero()),
        expected["1011"],
        what="opening of 1011 in January of the next year",
    )
    before = _snapshot(service, ORG, year, [12])
    with step("prepare an unbalanced voucher"), expect_raises(InvalidInput):
        service.create_voucher(
            people.preparer,
            ORG,
            _draft(ORG, date(year, 12, 1), _line("1002", "debit", "1.00"), _line("1001", "credit", "0.99")),
        )
    _unchanged(service, before, ORG, year, [12])


@refuses("FIN-029")
def the_balance_sheet_balances(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    expected = _history(service, ORG, year)
    month = expected["months"][-1]
    sheet = service.balance_sheet(people.chief, ORG, year, month)
    expect_equal(
        sheet.total_assets,
        sheet.total_liabilities + sheet.total_net_assets,
        what="assets = liabilities + net assets",
    )
    expect_equal(sheet.total_assets, expected["assets"], what="total assets")
    before = _snapshot(service, ORG, year, [month])
    with (
        step("the balance sheet of an organisation read by another's actor"),
        expect_raises(PermissionDenied),
    ):
        service.balance_sheet(staff(OTHER_ORG).chief, ORG, year, month)
    _unchanged(service, before, ORG, year, [month])


@refuses("FIN-030")
def the_reconciliation_holds_exactly(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    expected = _history(service, ORG, year)
    month = expected["months"][-1]
    rec = service.reconciliation(people.chief, ORG, year, month)
    income = service.income_statement(people.chief, ORG, year, month)
    budget = service.budget_statement(people.chief, ORG, year, month)
    expect_equal(
        service.income_statement(people.chief, ORG, year, month, from_month=month).surplus,
        expected["revenue"],
        what=f"surplus of {year}-{month:02d} alone (the revenue of that month)",
    )
    expect_equal(
        service.budget_statement(people.chief, ORG, year, month, from_month=month).surplus,
        expected["revenue"],
        what=f"budget surplus of {year}-{month:02d} alone",
    )
    expect_equal((rec.surplus, income.surplus), (expected["surplus"], expected["surplus"]), what="surplus")
    expect_equal(
        (rec.budget_surplus, budget.surplus), (expected["budget_surplus"],) * 2, what="budget surplus"
    )
    expect_equal(
        rec.surplus,
        rec.budget_surplus
        - rec.budget_revenue_not_revenue
        + rec.budget_expenditure_not_expense
        + rec.revenue_not_budget_revenue
        - rec.expense_not_budget_expenditure,
        what="reconciliation identity",
    )
    expect_equal(rec.budget_expenditure_not_expense, expected["asset"], what="budget expenditure not expense")
    expect_equal(
        rec.expense_not_budget_expenditure, expected["depreciation"], what="expense not budget expenditure"
    )
    with step("the reconciliation read by another organisation's actor"), expect_raises(PermissionDenied):
        service.reconciliation(staff(OTHER_ORG).chief, ORG, year, month)


@refuses("FIN-031", "FIN-043")
def the_year_end_carries_everything_forward(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    expected = _history(service, ORG, year)
    before = _snapshot(service, ORG, year, [12])
    with step("close the year without the chief accountant's role"), expect_raises(PermissionDenied):
        service.close_year(people.preparer, ORG, year)
    _unchanged(service, before, ORG, year, [12])
    closing = service.close_year(people.chief, ORG, year)
    expect_true(closing is not None, "the year-end closing voucher exists")
    tb = service.trial_balance(people.chief, ORG, year, 12)
    for prefix in ("4", "5", "6", "7"):
        expect_equal(tb.balance_of(prefix).fen, 0, what=f"balance of the {prefix}xxx accounts after closing")
    expect_equal(
        tb.balance_of("3001"), Money.from_fen(-expected["surplus"].fen), what="accumulated surplus 3001"
    )
    carried = tb.balance_of("81") + tb.balance_of("82") + tb.balance_of("84")
    expect_equal(
        carried, Money.from_fen(-expected["budget_surplus"].fen), what="carried-over budget balances"
    )


@verifies("FIN-035")
def the_ledger_runs_to_the_closing_balance(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    expected = _history(service, ORG, year)
    lines = service.ledger(people.chief, ORG, "1011", year)
    expect_equal(lines[-1].balance, expected["1011"], what="last running balance of 1011")
    expect_equal(
        lines[-1].balance,
        service.trial_balance(people.chief, ORG, year, 12).balance_of("1011"),
        what="ledger vs trial balance",
    )


# -- asset events --------------------------------------------------------------------------------------


def _asset_event(type_name: str, data: dict[str, Any], event_id: str) -> events.CloudEvent:
    return events.CloudEvent(
        id=event_id,
        source="urn:govparts:assets",
        type=type_name,
        time=datetime.now(UTC),
        subject="asset/A-1",
        datacontenttype="application/json",
        data=data,
    )


def _registered(org: str, day: date, amount: Money, asset: str = "A-1") -> events.CloudEvent:
    return _asset_event(
        "cn.govparts.assets.asset.registered.v1",
        {
            "asset_id": asset,
            "asset_code": f"GP-{asset}",
            "organization_credit_code": org,
            "category": "2010000",
            "name": "服务器",
            "original_value": str(amount),
            "acquisition_date": day.isoformat(),
            "acquisition_method": "purchase",
            "funding_source": "fiscal",
            "paying_account": "零余额账户用款额度",
            "in_service": day.isoformat(),
            "project": "P01",
            "econ_class": "30201",
        },
        f"evt-{org[-5:]}-{asset}-{day.isoformat()}",
    )


@refuses("FIN-032", "FIN-039")
def an_asset_registration_is_booked_once(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    month = rng.randint(1, 12)
    _indicator(service, ORG, year, "999999999.99")
    for n, day in enumerate((date(year, month, 1), _last_day(year, month))):
        amount = _amount()
        scenario(year=year, day=day.isoformat(), amount=str(amount))
        event = _registered(ORG, day, amount, asset=f"A-{n}")
        with step("deliver an asset.registered event"):
            first = service.receive_event(DISPATCHER, event)
        expect_true(first is not None, "the event is booked")
        a = str(amount)
        expect_equal(
            _accounts(first) if first else [],
            [("1011", "credit", a), ("1601", "debit", a), ("7201", "debit", a), ("8001", "credit", a)],
            what="lines of the acquisition voucher",
        )
        expect_equal((first.month if first else None), month, what="month of the acquisition voucher")
        before = _snapshot(service, ORG, year, [month])
        expect_equal(service.receive_event(DISPATCHER, event), None, what="result of a redelivery")
        _unchanged(service, before, ORG, year, [month])
    service.close_period(people.chief, ORG, year, month)
    before = _snapshot(service, ORG, year, [month])
    with step("deliver an asset.registered event dated in a closed month"), expect_raises(GovPartsError):
        service.receive_event(
            DISPATCHER, _registered(ORG, date(year, month, 2), Money.of("5.00"), asset="A-9")
        )
    _unchanged(service, before, ORG, year, [month])


@refuses("FIN-044", "FIN-040")
def an_asset_brought_over_opens_with_its_accumulated_depreciation(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    _open(service, ORG, year)
    month = rng.randint(1, 12)
    _indicator(service, ORG, year, "999999999.99")
    day = rng.choice((date(year, month, 1), _last_day(year, month)))
    cases = [("2010000", "1601", "1602"), ("ZZ01", "1701", "1702")]
    for n, (category, asset_account, accumulated_account) in enumerate(cases):
        cost = _amount(low=2)
        opening = rng.choice((Money.from_fen(1), Money.from_fen(rng.randint(1, cost.fen)), cost))
        scenario(year=year, day=day.isoformat(), category=category, cost=str(cost), opening=str(opening))
        data = {
            **_registered(ORG, day, cost, asset=f"B-{n}").data,
            "category": category,
            "opening_accumulated_depreciation": str(opening),
        }
        event = _asset_event("cn.govparts.assets.asset.registered.v1", data, f"evt-b-{n}")
        with step("deliver an asset.registered event of an asset brought over"):
            voucher = service.receive_event(DISPATCHER, event)
        expect_true(voucher is not None, "the event is booked")
        c, o = str(cost), str(opening)
        expect_equal(
            _accounts(voucher) if voucher else [],
            sorted(
                [
                    ("1011", "credit", c),
                    (asset_account, "debit", c),
                    (accumulated_account, "credit", o),
                    ("3001", "debit", o),
                    ("7201", "debit", c),
                    ("8001", "credit", c),
                ]
            ),
            what="lines of the voucher of an asset brought over",
        )
        balances = service.trial_balance(staff(ORG).chief, ORG, year, month)
        expect_equal(
            balances.balance_of(accumulated_account), -opening, what=f"balance of {accumulated_account}"
        )
    before = _snapshot(service, ORG, year, [month])
    cost = _amount(low=2)
    for n, bad in enumerate((Money.from_fen(-1), -cost, cost + Money.from_fen(1))):
        scenario(cost=str(cost), opening=str(bad))
        data = {
            **_registered(ORG, day, cost, asset=f"X-{n}").data,
            "opening_accumulated_depreciation": str(bad),
        }
        event = _asset_event("cn.govparts.assets.asset.registered.v1", data, f"evt-x-{n}")
        with (
            step("deliver an opening accumulated depreciation below zero or above the cost"),
            expect_raises(GovPartsError) as refused,
        ):
            service.receive_event(DISPATCHER, event)
        error = refused.value
        named = {
            getattr(error, "field", None),
            *(getattr(e, "field", None) for e in getattr(error, "errors", ())),
        }
        expect_true(
            "opening_accumulated_depreciation" in named,
            "the refusal names the field opening_accumulated_depreciation",
            expected="opening_accumulated_depreciation",
            observed=sorted(str(f) for f in named),
        )
    _unchanged(service, before, ORG, year, [month])


@refuses("FIN-033")
def a_depreciation_event_has_no_budget_entry(service: FinanceService) -> None:
    rng = scenario_rng()
    year = rng.choice(LEAP_YEARS[:-1])
    _open(service, ORG, year)
    month = rng.choice((2, rng.randint(1, 12)))
    first, second = _amount(), _amount()
    scenario(year=year, month=month, amounts=(str(first), str(second)))
    data = {
        "organization_credit_code": ORG,
        "year": year,
        "month": month,
        "asset_count": 2,
        "total": str(first + second),
        "totals": [
            {"debit_account": "5001", "credit_account": "1602", "amount": str(first)},
            {"debit_account": "5101", "credit_account": "1602", "amount": str(second)},
        ],
    }
    voucher = service.receive_event(
        DISPATCHER, _asset_event("cn.govparts.assets.asset.depreciated.v1", data, "evt-dep")
    )
    expect_true(voucher is not None, "the depreciation event is booked")
    got = _accounts(voucher) if voucher else []
    expect_equal(
        got,
        sorted(
            [
                ("1602", "credit", str(first + second)),
                ("5001", "debit", str(first)),
                ("5101", "debit", str(second)),
            ]
        ),
        what="lines of the depreciation voucher",
    )
    expect_equal(
        voucher.date if voucher else None, _last_day(year, month), what="date of the depreciation voucher"
    )
    before = _snapshot(service, ORG, year, [month])
    unopened = {**data, "year": year + 1}
    with step("deliver a depreciation of an unopened year"), expect_raises(GovPartsError):
        service.receive_event(
            DISPATCHER, _asset_event("cn.govparts.assets.asset.depreciated.v1", unopened, "evt-dep-2")
        )
    _unchanged(service, before, ORG, year, [month])


@refuses("FIN-033")
def a_disposal_event_writes_the_asset_off_without_budget_entry(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    _open(service, ORG, year)
    month = rng.randint(1, 12)
    value = _amount(low=200)
    accumulated = Money.from_fen(rng.randint(0, value.fen))
    day = _last_day(year, month)
    scenario(year=year, on=day.isoformat(), original_value=str(value), accumulated=str(accumulated))
    data = {
        "asset_id": "D-1",
        "asset_code": "GP-D-1",
        "organization_credit_code": ORG,
        "method": "scrapping",
        "on": day.isoformat(),
        "original_value": str(value),
        "accumulated_depreciation": str(accumulated),
        "partial": False,
        "category": "2010000",
    }
    voucher = service.receive_event(
        DISPATCHER, _asset_event("cn.govparts.assets.asset.disposed.v1", data, "evt-d-1")
    )
    expect_true(voucher is not None, "the disposal event is booked")
    want = [("1601", "credit", str(value))]
    if accumulated.fen:
        want.append(("1602", "debit", str(accumulated)))
    if (value - accumulated).fen:
        want.append(("5301", "debit", str(value - accumulated)))
    expect_equal(_accounts(voucher) if voucher else [], sorted(want), what="lines of the disposal voucher")
    before = _snapshot(service, ORG, year, [month])
    late = {**data, "on": date(year + 1, 1, 1).isoformat()}
    with step("deliver a disposal dated in an unopened year"), expect_raises(GovPartsError):
        service.receive_event(
            DISPATCHER, _asset_event("cn.govparts.assets.asset.disposed.v1", late, "evt-d-2")
        )
    _unchanged(service, before, ORG, year, [month])


# -- sub-accounts ----------------------------------------------------------------------------------------


@refuses("FIN-034", "FIN-037")
def sub_accounts_extend_the_chart_for_their_dates(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    _open(service, OTHER_ORG, year)
    month = rng.randint(2, 11)
    opened, closed = date(year, month, 1), _last_day(year, month)
    scenario(year=year, opened_on=opened.isoformat(), closed_on=closed.isoformat())
    for bad in (
        SubAccount(org=ORG, code="1002", parent="1001", name="x", opened_on=opened),
        SubAccount(org=ORG, code="100101", parent="1002", name="x", opened_on=opened),
    ):
        with (
            step(f"add the sub-account {bad.code} below {bad.parent}"),
            expect_raises(InvalidInput, field="code"),
        ):
            service.add_sub_account(people.chief, ORG, bad)
    with step("add a sub-account below an unknown parent"), expect_raises(NotFound, field="parent"):
        service.add_sub_account(
            people.chief,
            ORG,
            SubAccount(org=ORG, code="10029901", parent="100299", name="x", opened_on=opened),
        )
    sub = SubAccount(
        org=ORG, code="100201", parent="1002", name="工商银行", opened_on=opened, closed_on=closed
    )
    service.add_sub_account(people.chief, ORG, sub)
    expect_equal(
        _actions(service, ORG, "finance_account", f"{ORG}/100201"),
        ["add_sub_account"],
        what="audit of the sub-account",
    )
    for day in (opened, closed):
        _post(service, _draft(ORG, day, _line("100201", "debit", "5.00"), _line("1001", "credit", "5.00")))
    expect_equal(
        service.trial_balance(people.chief, ORG, year, month).balance_of("100201"),
        Money.of("10.00"),
        what="sub-account balance",
    )
    before = _snapshot(service, ORG, year, [month - 1, month, month + 1])
    for day in (opened - timedelta(days=1), closed + timedelta(days=1)):
        scenario(day=day.isoformat())
        draft = _draft(ORG, day, _line("100201", "debit", "5.00"), _line("1001", "credit", "5.00"))
        with (
            step("use the sub-account outside its dates"),
            expect_raises(GovPartsError, field="lines[0].account"),
        ):
            service.create_voucher(people.preparer, ORG, draft)
        with step("use it outside its dates in a batch"), expect_raises(GovPartsError):
            service.post_batch(people.poster, ORG, [draft])
    foreign = _draft(OTHER_ORG, opened, _line("100201", "debit", "5.00"), _line("1001", "credit", "5.00"))
    with step("another organisation uses this organisation's sub-account"), expect_raises(GovPartsError):
        service.create_voucher(staff(OTHER_ORG).preparer, OTHER_ORG, foreign)
    _unchanged(service, before, ORG, year, [month - 1, month, month + 1])


# -- bulk posting ----------------------------------------------------------------------------------------


@refuses("FIN-037", "FIN-038", "FIN-039")
def batch_posting_applies_the_rules_of_single_posting(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    people = _open(service, ORG, year)
    month = rng.randint(1, 11)
    _post(service, _quota(ORG, date(year, month, 1), "100000.00"))
    limit = _amount(low=200, high=500_000)
    _indicator(service, ORG, year, limit)
    first = Money.from_fen(rng.randint(1, limit.fen - 1))
    rest = limit - first
    scenario(year=year, month=month, indicator=str(limit), first=str(first), rest=str(rest))
    before = _snapshot(service, ORG, year, [month, month + 1])
    wrong = {
        "one fen beyond the stop indicator": [
            _spend(ORG, date(year, month, 2), first),
            _spend(ORG, date(year, month, 3), rest + Money.of("0.01")),
        ],
        "an unbalanced voucher": [
            _quota(ORG, date(year, month, 2), "1.00"),
            _draft(
                ORG, date(year, month, 2), _line("1002", "debit", "1.00"), _line("1001", "credit", "1.01")
            ),
        ],
        "a voucher without its budget entry": [
            _draft(ORG, date(year, month, 2), _line("5001", "debit", "1.00"), _line("1011", "credit", "1.00"))
        ],
        "a voucher of another organisation": [
            _quota(ORG, date(year, month, 2), "1.00"),
            _quota(OTHER_ORG, date(year, month, 2), "1.00"),
        ],
    }
    for what, drafts in wrong.items():
        scenario(batch=what)
        with step(f"post a batch with {what}"), expect_raises(GovPartsError):
            service.post_batch(people.poster, ORG, drafts)
    for who in (people.bookkeeper, people.reviewer, people.reader):
        with step(f"post a batch as {who.id}"), expect_raises(PermissionDenied):
            service.post_batch(who, ORG, [_quota(ORG, date(year, month, 2), "1.00")])
    _unchanged(service, before, ORG, year, [month, month + 1])
    ids = service.post_batch(
        people.poster,
        ORG,
        [_spend(ORG, date(year, month, 2), first), _spend(ORG, date(year, month + 1, 1), rest)],
    )
    expect_equal(
        [str(e.available) for e in service.budget_execution(people.chief, ORG, year)],
        ["0.00"],
        what="available after the batch",
    )
    posted = {
        e.data["voucher_id"]: e.data for e in service.published_events(people.chief, ORG, type=VOUCHER_POSTED)
    }
    for voucher_id in ids:
        voucher = service.get_voucher(people.chief, ORG, voucher_id)
        expect_equal(voucher.state, "posted", what="state of a batch voucher")
        expect_true(
            len(_actions(service, ORG, "voucher", voucher_id)) >= 1, "a batch voucher has its audit record"
        )
        event = posted.get(voucher_id, {})
        expect_equal(
            (event.get("org"), event.get("number"), event.get("year"), event.get("month")),
            (ORG, voucher.number, voucher.year, voucher.month),
            what="voucher.posted event of a batch voucher",
        )
    actors = {e.actor_id for v in ids for e in service.audit_trail(people.chief, ORG, "voucher", v)}
    expect_true(
        people.poster.id in actors,
        "the batch's audit records name its actor",
        observed=sorted(a or "" for a in actors),
    )


# -- observability -----------------------------------------------------------------------------------------


@refuses("FIN-038", "FIN-043")
def every_change_leaves_an_audit_record_and_refusals_leave_none(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    expect_true(
        len(service.audit_trail(people.chief, ORG, "finance_period", f"{ORG}/{year}")) == 1,
        "opening the year is audited",
    )
    service.close_period(people.chief, ORG, year, month)
    closing = service.audit_trail(people.chief, ORG, "finance_period", f"{ORG}/{year}-{month:02d}")
    expect_equal(
        [(e.action, e.actor_id) for e in closing],
        [("close_period", people.chief.id)],
        what="audit of closing the month",
    )
    _indicator(service, ORG, year, "10.00")
    trail = service.audit_trail(people.chief, ORG, "finance_indicator", f"{ORG}/{year}/P01/30201")
    expect_equal([e.actor_id for e in trail], [people.chief.id], what="audit of setting the indicator")
    day = date(year, month % 12 + 1, 5) if month < 12 else date(year, 1, 5)
    voucher = _post(service, _quota(ORG, day))
    actors = [e.actor_id for e in service.audit_trail(people.chief, ORG, "voucher", voucher.id)]
    expect_equal(
        actors,
        [people.preparer.id, people.reviewer.id, people.bookkeeper.id],
        what="actors of the voucher's audit records",
    )
    claim = service.submit_reimbursement(people.claimant, ORG, _claim(ORG, day, "1.00"))
    approved = service.submit_reimbursement(people.claimant, ORG, _claim(ORG, day, "1.00"))
    service.review_reimbursement(people.reviewer, ORG, approved.id)
    service.approve_reimbursement(people.approver, ORG, approved.id)
    expect_equal(
        [e.actor_id for e in service.audit_trail(people.chief, ORG, "reimbursement", approved.id)],
        [people.claimant.id, people.reviewer.id, people.approver.id],
        what="actors of the claim's audit records",
    )
    for who, name, call in (
        (people.reader, "close_period", lambda a: service.close_period(a, ORG, year, day.month)),
        (people.preparer, "open_year", lambda a: service.open_year(a, ORG, year + 1)),
        (people.preparer, "set_indicator", lambda a: _indicator_as(service, a, year)),
        (people.chief, "create_voucher", lambda a: service.create_voucher(a, ORG, _quota(ORG, day))),
        (
            people.chief,
            "submit_reimbursement",
            lambda a: service.submit_reimbursement(a, ORG, _claim(ORG, day, "1.00")),
        ),
        (
            people.preparer,
            "add_sub_account",
            lambda a: service.add_sub_account(
                a,
                ORG,
                SubAccount(org=ORG, code="100201", parent="1002", name="x", opened_on=date(year, 1, 1)),
            ),
        ),
        (people.reader, "review_reimbursement", lambda a: service.review_reimbursement(a, ORG, claim.id)),
        (people.reader, "pay_reimbursement", lambda a: service.pay_reimbursement(a, ORG, approved.id)),
    ):
        scenario(operation=name, actor=who.id)
        before = _snapshot(service, ORG, year, [day.month])
        claim_trail = _actions(service, ORG, "reimbursement", claim.id)
        with step(f"{name} without its role"), expect_raises(PermissionDenied):
            call(who)
        _unchanged(service, before, ORG, year, [day.month])
        expect_equal(
            _actions(service, ORG, "reimbursement", claim.id), claim_trail, what="claim audit after a refusal"
        )
        expect_equal(
            len(service.audit_trail(people.chief, ORG, "finance_account", f"{ORG}/100201")),
            0,
            what="sub-account audit",
        )


def _indicator_as(service: FinanceService, actor: Actor, year: int) -> None:
    service.set_indicator(
        actor, ORG, Indicator(org=ORG, year=year, project="P07", econ_class="30201", amount=Money.of("1.00"))
    )


@refuses("FIN-039", "FIN-036")
def published_events_are_each_organisations_own(service: FinanceService) -> None:
    rng = scenario_rng()
    year = _year()
    orgs = (ORG, OTHER_ORG)
    for org in orgs:
        _open(service, org, year)
    month = rng.randint(1, 12)
    posted: dict[str, list[tuple[int | None, str]]] = {org: [] for org in orgs}
    for _ in range(5):
        org = rng.choice(orgs)
        voucher = _post(service, _quota(org, date(year, month, rng.randint(1, 28)), _amount()))
        posted[org].append((voucher.number, voucher.id))
    for org in orgs:
        scenario(org=org)
        got = [
            (e.data["number"], e.data["voucher_id"])
            for e in service.published_events(staff(org).chief, org, type=VOUCHER_POSTED)
        ]
        expect_equal(got, posted[org], what=f"voucher.posted events of {org}, in order")
    reviewed = _reviewed(service, _quota(ORG, date(year, month, 2)))
    service.close_period(staff(ORG).chief, ORG, year, month)
    before = service.published_events(staff(ORG).chief, ORG)
    with step("a refused posting"), expect_raises(GovPartsError):
        service.post_voucher(staff(ORG).bookkeeper, ORG, reviewed.id)
    expect_equal(
        service.published_events(staff(ORG).chief, ORG), before, what="events after a refused posting"
    )
    with step("read another organisation's events"), expect_raises(PermissionDenied):
        service.published_events(staff(OTHER_ORG).chief, ORG)


@refuses("FIN-040")
def amounts_read_back_exactly_everywhere(service: FinanceService) -> None:
    year = _year()
    people = _open(service, ORG, year)
    month = scenario_rng().randint(1, 12)
    amounts = [Money.of(a) for a in INEXACT] + [_amount() for _ in range(3)]
    for index, amount in enumerate(amounts):
        day = date(year, month, index % 28 + 1)
        draft = _draft(ORG, day, _line("1001", "debit", amount), _line("1002", "credit", amount))
        if index % 2:
            voucher_id = service.post_batch(people.poster, ORG, [draft])[0]
        else:
            voucher_id = _post(service, draft).id
        scenario(amount=str(amount), path="batch" if index % 2 else "single")
        expect_equal(
            [str(x.amount) for x in service.get_voucher(people.chief, ORG, voucher_id).lines],
            [str(amount), str(amount)],
            what="amounts read back from the voucher",
        )
    listed = sorted(
        str(x.amount)
        for v in service.vouchers(people.chief, ORG, year, month)
        for x in v.lines
        if x.side == "debit"
    )
    expect_equal(listed, sorted(str(a) for a in amounts), what="amounts in the voucher list")
    total = Money.from_fen(sum(a.fen for a in amounts))
    expect_equal(
        service.trial_balance(people.chief, ORG, year, month).balance_of("1001"),
        total,
        what="sum of the amounts",
    )
    expect_equal(
        sorted(str(x.amount) for x in service.ledger(people.chief, ORG, "1001", year)),
        sorted(str(a) for a in amounts),
        what="amounts in the ledger",
    )
    before = _snapshot(service, ORG, year, [month])
    for debit, credit in (("0.29", "0.28"), ("1.15", "1.14"), ("4.35", "4.36")):
        with step(f"prepare {debit} against {credit}"), expect_raises(InvalidInput, field="lines"):
            service.create_voucher(
                people.preparer,
                ORG,
                _draft(
                    ORG, date(year, month, 1), _line("1001", "debit", debit), _line("1002", "credit", credit)
                ),
            )
    _unchanged(service, before, ORG, year, [month])


# -- access control ------------------------------------------------------------------------------------


def _every_call(
    service: FinanceService, org: str, year: int, ids: dict[str, str]
) -> dict[str, tuple[bool, Callable[[Actor], object]]]:
    """One call per Protocol method on ``org``'s data: (writes?, call as the given actor)."""
    day = date(year, 1, 20)
    sub = SubAccount(org=org, code="100209", parent="1002", name="建设银行", opened_on=date(year, 1, 1))
    return {
        "open_year": (True, lambda a: service.open_year(a, org, year + 1)),
        "open_periods": (False, lambda a: service.open_periods(a, org)),
        "close_period": (True, lambda a: service.close_period(a, org, year, 2)),
        "add_sub_account": (True, lambda a: service.add_sub_account(a, org, sub)),
        "create_voucher": (True, lambda a: service.create_voucher(a, org, _quota(org, day))),
        "review_voucher": (True, lambda a: service.review_voucher(a, org, ids["draft"])),
        "unreview_voucher": (True, lambda a: service.unreview_voucher(a, org, ids["reviewed"])),
        "post_voucher": (True, lambda a: service.post_voucher(a, org, ids["reviewed"])),
        "reverse_voucher": (True, lambda a: service.reverse_voucher(a, org, ids["posted"], day)),
        "get_voucher": (False, lambda a: service.get_voucher(a, org, ids["posted"])),
        "vouchers": (False, lambda a: service.vouchers(a, org, year, 1)),
        "post_batch": (True, lambda a: service.post_batch(a, org, [_quota(org, day, "1.00")])),
        "verify_chain": (False, lambda a: service.verify_chain(a, org)),
        "set_indicator": (
            True,
            lambda a: service.set_indicator(
                a,
                org,
                Indicator(org=org, year=year, project="P01", econ_class="30201", amount=Money.of("9.99")),
            ),
        ),
        "budget_execution": (False, lambda a: service.budget_execution(a, org, year)),
        "submit_reimbursement": (
            True,
            lambda a: service.submit_reimbursement(a, org, _claim(org, day, "1.00")),
        ),
        "get_reimbursement": (False, lambda a: service.get_reimbursement(a, org, ids["submitted"])),
        "review_reimbursement": (True, lambda a: service.review_reimbursement(a, org, ids["submitted"])),
        "reject_reimbursement": (True, lambda a: service.reject_reimbursement(a, org, ids["submitted"])),
        "approve_reimbursement": (
            True,
            lambda a: service.approve_reimbursement(a, org, ids["claim_reviewed"]),
        ),
        "pay_reimbursement": (True, lambda a: service.pay_reimbursement(a, org, ids["approved"])),
        "trial_balance": (False, lambda a: service.trial_balance(a, org, year, 1)),
        "balance_sheet": (False, lambda a: service.balance_sheet(a, org, year, 1)),
        "income_statement": (False, lambda a: service.income_statement(a, org, year, 1)),
        "budget_statement": (False, lambda a: service.budget_statement(a, org, year, 1)),
        "reconciliation": (False, lambda a: service.reconciliation(a, org, year, 1)),
        "ledger": (False, lambda a: service.ledger(a, org, "1011", year)),
        "close_year": (True, lambda a: service.close_year(a, org, year)),
        "receive_event": (
            True,
            lambda a: service.receive_event(a, _registered(org, day, Money.of("3.00"), asset="X-1")),
        ),
        "audit_trail": (False, lambda a: service.audit_trail(a, org, "voucher", ids["posted"])),
        "published_events": (False, lambda a: service.published_events(a, org)),
    }


def _books_of(service: FinanceService, org: str, year: int) -> dict[str, str]:
    """An organisation's year with a voucher and a claim in every state the calls need."""
    people = _open(service, org, year)
    _indicator(service, org, year, "1000.00")
    posted = _post(service, _quota(org, date(year, 1, 5), "777.77"))
    reviewed = _reviewed(service, _quota(org, date(year, 1, 6), "6.00"))
    draft = service.create_voucher(people.preparer, org, _quota(org, date(year, 1, 7), "5.00"))
    submitted = service.submit_reimbursement(people.claimant, org, _claim(org, date(year, 1, 8), "50.00"))
    claim_reviewed = service.submit_reimbursement(
        people.claimant, org, _claim(org, date(year, 1, 8), "50.00")
    )
    service.review_reimbursement(people.reviewer, org, claim_reviewed.id)
    approved = service.submit_reimbursement(people.claimant, org, _claim(org, date(year, 1, 8), "50.00"))
    service.review_reimbursement(people.reviewer, org, approved.id)
    service.approve_reimbursement(people.approver, org, approved.id)
    return {
        "posted": posted.id,
        "reviewed": reviewed.id,
        "draft": draft.id,
        "submitted": submitted.id,
        "claim_reviewed": claim_reviewed.id,
        "approved": approved.id,
    }


@refuses("FIN-036")
def no_organisation_reads_or_changes_another_organisations_books(service: FinanceService) -> None:
    year = _year()
    ids = _books_of(service, ORG, year)
    _books_of(service, OTHER_ORG, year)
    intruder = staff(OTHER_ORG).everyone
    auditor = Actor(
        id="bureau-audit",
        name="审计",
        roles=staff(THIRD_ORG).everyone.roles | {CROSS_ORG_READ_ROLE},
        org=THIRD_ORG,
    )
    calls = _every_call(service, ORG, year, ids)
    before = _snapshot(service, ORG, year, [1, 2])
    for name, (writes, call) in sorted(calls.items()):
        scenario(method=name, actor=intruder.id)
        with step(f"{name} on another organisation's books"), expect_raises(OrganizationDenied) as caught:
            call(intruder)
        message = caught.value.message("en") if isinstance(caught.value, GovPartsError) else ""
        expect_true(
            ORG not in message and "777.77" not in message, "the refusal reveals nothing", observed=message
        )
        if writes:
            scenario(method=name, actor=auditor.id)
            with step(f"{name} as a cross-organisation auditor"), expect_raises(PermissionDenied):
                call(auditor)
    _unchanged(service, before, ORG, year, [1, 2])
    with step("a cross-organisation auditor reads the trial balance"):
        read = service.trial_balance(auditor, ORG, year, 1)
    expect_equal(read.balance_of("1011"), Money.of("777.77"), what="balance read by the auditor")
    audited = service.audit_trail(staff(ORG).chief, ORG, "finance", ORG)
    expect_true(
        any(e.actor_id == auditor.id for e in audited), "the auditor's read is audited", observed=len(audited)
    )
    theirs = _books_of(service, THIRD_ORG, year)
    foreign: tuple[tuple[str, Callable[[], object]], ...] = (
        ("get_voucher", lambda: service.get_voucher(staff(ORG).chief, ORG, theirs["posted"])),
        ("post_voucher", lambda: service.post_voucher(staff(ORG).bookkeeper, ORG, theirs["reviewed"])),
        ("get_reimbursement", lambda: service.get_reimbursement(staff(ORG).chief, ORG, theirs["submitted"])),
    )
    for name, attempt in foreign:
        scenario(method=name, addressed="another organisation's id through this organisation")
        with step(f"{name} of another organisation's id"), expect_raises(NotFound):
            attempt()
    expect_equal(
        service.audit_trail(staff(ORG).chief, ORG, "voucher", theirs["posted"]),
        [],
        what="another organisation's audit records",
    )
    expect_equal(
        service.get_voucher(staff(THIRD_ORG).chief, THIRD_ORG, theirs["reviewed"]).state,
        "reviewed",
        what="their voucher",
    )


SUITE = Suite(CATALOGUE, collect_checks(globals()))
