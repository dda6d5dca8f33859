"""Overtime classes and compensatory rest (加班类别与调休假): pure rules, no I/O.

《中华人民共和国劳动法》 Art. 44 pays overtime in three classes: (1) after hours on a workday, at
least 150 % of wages; (2) on a rest day (休息日), at least 200 % unless compensatory rest (补休) is
arranged; (3) on a statutory holiday (法定休假日), at least 300 %. Which days of a holiday block are
statutory is set by 《全国年节及纪念日放假办法》 Art. 2 (13 days a year from 2025, State Council
Order No. 795); the other days off of the block are weekend days moved next to them under Art. 7
(调休) and stay rest days, and the weekend days worked for them (调休上班) are workdays. Core's
calendar marks both (:attr:`govparts.core.calendar.Day.statutory`).

Regional festivals: Art. 4 leaves minority festivals to regional governments. Xinjiang's
《新疆维吾尔自治区少数民族习惯节日放假办法》 (自治区人民政府令第174号, revised 2011-12-09) gives
肉孜节 and 古尔邦节 off to all residents, each year by its regional notice; a weekend day inside
such a block is an ordinary rest day, and a weekday off is classed by the organisation's
``regional_festival_overtime`` (default ``statutory_holiday``, see :class:`OrgSettings`), since
neither text says which rate of Art. 44 applies to it.

The 2025 Spring Festival (国办发明电〔2024〕12号): 28 January (除夕) to 4 February off, statutory
28–31 January; 1–4 February are moved rest days; Sunday 26 January is worked:

    >>> from datetime import date
    >>> from govparts.core.calendar import day_info
    >>> [overtime_class(day_info(date(2025, 1, d))).value for d in (26, 28, 31)]
    ['workday', 'statutory_holiday', 'statutory_holiday']
    >>> overtime_class(day_info(date(2025, 2, 1))).value
    'rest_day'

Compensatory rest (调休假) is a ledger of credits, each with the day worked, its minutes and the
last day it may be taken; leave of type ``compensatory_rest`` takes minutes from the credits that
expire first (:func:`compensatory_rest_ledger`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from govparts.core.calendar import Day, DayKind

from ._models import OvertimeKind

__all__ = [
    "CompensatoryRestLedger",
    "RestCredit",
    "compensatory_rest_ledger",
    "credit_expires",
    "overtime_class",
]


def overtime_class(day: Day, *, regional_festival: str = "statutory_holiday") -> OvertimeKind:
    """The class of overtime worked on ``day`` (《劳动法》 Art. 44).

    A workday or make-up workday is ``workday``; a statutory day of a holiday is
    ``statutory_holiday``; a regional holiday's weekday off is of the class ``regional_festival``
    names; every other
    day off (weekends, moved rest days, an organisation's own closure) is ``rest_day``.
    """
    if day.kind.is_workday:
        return OvertimeKind.WORKDAY
    if day.statutory:
        return OvertimeKind.STATUTORY_HOLIDAY
    if day.kind is DayKind.HOLIDAY and day.level == "region" and day.date.weekday() < 5:
        return OvertimeKind(regional_festival)
    return OvertimeKind.REST_DAY


def credit_expires(worked: date, valid_days: int) -> date:
    """The last day a credit for overtime on ``worked`` may be taken: ``valid_days`` later."""
    return worked + timedelta(days=valid_days)


@dataclass(frozen=True, slots=True)
class RestCredit:
    """Overtime credited as time off: the day worked, its minutes and the last day to take it."""

    worked: date
    minutes: int
    expires: date


@dataclass(frozen=True, slots=True)
class CompensatoryRestLedger:
    """The ledger on a day: minutes credited, taken and expired so far, and what is left.

    ``overdrawn`` is what was taken without a credit to take it from (a debit before its credits
    were earned, or beyond them); a service refuses leave that would make it positive.
    """

    credited: int
    taken: int
    expired: int
    remaining: int
    overdrawn: int
    next_expiry: date | None
    expiring: int


@dataclass(slots=True)
class _Open:
    expires: date
    left: int


def compensatory_rest_ledger(
    credits: Iterable[RestCredit], debits: Iterable[tuple[date, int]], on: date
) -> CompensatoryRestLedger:
    """Replay ``credits`` and ``debits`` (day taken, minutes) up to ``on`` inclusive.

    A credit counts from the day worked; a debit on day ``d`` takes minutes from the credits earned
    by ``d`` and not expired before ``d``, soonest expiry first. A credit expires unused the day
    after its ``expires``. ``remaining = credited − taken − expired``.
    """
    pending = sorted((c for c in credits if c.worked <= on), key=lambda c: c.worked)
    held: list[_Open] = []
    credited = taken = expired = overdrawn = 0
    i = 0

    def advance(day: date) -> None:
        nonlocal i, credited, expired
        while i < len(pending) and pending[i].worked <= day:
            credited += pending[i].minutes
            held.append(_Open(pending[i].expires, pending[i].minutes))
            i += 1
        held.sort(key=lambda entry: entry.expires)
        while held and held[0].expires < day:
            expired += held.pop(0).left

    for day, minutes in sorted(d for d in debits if d[0] <= on):
        advance(day)
        taken += minutes
        need = minutes
        while need and held:
            used = min(held[0].left, need)
            need -= used
            held[0].left -= used
            if not held[0].left:
                held.pop(0)
        overdrawn += need
    advance(on)
    first = held[0].expires if held else None
    return CompensatoryRestLedger(
        credited=credited,
        taken=taken,
        expired=expired,
        remaining=sum(entry.left for entry in held) - overdrawn,
        overdrawn=overdrawn,
        next_expiry=first,
        expiring=sum(entry.left for entry in held if entry.expires == first),
    )
