"""Mutants of the reference implementation, each breaking one rule of the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, time
from typing import Any, ClassVar

import sqlalchemy as sa

from govparts.conformance import Mutant
from govparts.core.calendar import Day, DayKind, WorkCalendar, calendar_for
from govparts.core.security import Actor

from .._models import Enrolment, MonthClosed, OrgSettings, Punch, PunchImport, Shift
from .._service import ReferenceService, _month_range, reference_factory
from .._tables import ENROLMENT, MONTH

__all__ = ["MUTANTS"]


class _CalendarProxy:
    """A calendar that answers like the real one except where a mutant says otherwise."""

    def __init__(self, real: WorkCalendar) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _NoMakeup(_CalendarProxy):
    def days(self, start: date, end: date) -> tuple[Day, ...]:
        return tuple(
            replace(d, kind=DayKind.REST_DAY) if d.kind is DayKind.MAKEUP_WORKDAY else d
            for d in self._real.days(start, end)
        )


class _CalendarDays(_CalendarProxy):
    def workdays_between(self, start: date, end: date) -> int:
        return max(0, (end - start).days + 1)


class IgnoresMakeupWorkdays(ReferenceService):
    def calendar(self, org: str) -> WorkCalendar:
        return _NoMakeup(super().calendar(org))  # type: ignore[return-value]


class NationalCalendarOnly(ReferenceService):
    def calendar(self, org: str) -> WorkCalendar:
        return calendar_for(None)


class IgnoresOrgOverrides(ReferenceService):
    def calendar(self, org: str) -> WorkCalendar:
        return calendar_for(self.settings(org).region)


class CountsCalendarDays(ReferenceService):
    def calendar(self, org: str) -> WorkCalendar:
        return _CalendarDays(super().calendar(org))  # type: ignore[return-value]


class GraceExclusive(ReferenceService):
    def define_shift(self, actor: Actor, org: str, shift: Shift) -> Shift:
        super().define_shift(
            actor,
            org,
            shift.model_copy(update={"grace_late_minutes": max(0, shift.grace_late_minutes - 1)}),
        )
        return shift


class NoEarlyGrace(ReferenceService):
    def define_shift(self, actor: Actor, org: str, shift: Shift) -> Shift:
        super().define_shift(actor, org, shift.model_copy(update={"grace_early_minutes": 0}))
        return shift


class FirstTimetableOnly(ReferenceService):
    def define_shift(self, actor: Actor, org: str, shift: Shift) -> Shift:
        latest = max(shift.timetables, key=lambda t: t.starts_on)
        super().define_shift(actor, org, shift.model_copy(update={"timetables": (latest,)}))
        return shift


class DutyEndsAtMidnight(ReferenceService):
    def define_shift(self, actor: Actor, org: str, shift: Shift) -> Shift:
        tables = tuple(
            t.model_copy(
                update={
                    "periods": tuple(
                        p.model_copy(update={"end": time(23, 59)}) if p.end <= p.start else p
                        for p in t.periods
                    )
                }
            )
            for t in shift.timetables
        )
        super().define_shift(actor, org, shift.model_copy(update={"timetables": tables}))
        return shift


class JoinDateForService(ReferenceService):
    def enrol(self, actor: Actor, org: str, enrolment: Enrolment) -> Enrolment:
        return super().enrol(
            actor, org, enrolment.model_copy(update={"first_employment_date": enrolment.start_date})
        )


class NoBalanceCheck(ReferenceService):
    def _balance(
        self, conn: sa.Connection, org: str, person_id: str, year: int, leave_type: str, *, on: date
    ) -> Any:
        found = super()._balance(conn, org, person_id, year, leave_type, on=on)
        return found.model_copy(update={"remaining": 365})


class AllowsOverlap(ReferenceService):
    def _no_overlap(self, conn: sa.Connection, org: str, person_id: str, start: date, end: date) -> None:
        return None


class IgnoresMonthLock(ReferenceService):
    def _check_open(self, conn: sa.Connection, org: str, days: Sequence[date], field: str) -> None:
        return None


class HidesUnenrolled(ReferenceService):
    def record_punches(self, actor: Actor, org: str, punches: Sequence[Punch]) -> PunchImport:
        found = super().record_punches(actor, org, punches)
        return found.model_copy(update={"not_enrolled": (), "not_enrolled_punches": 0})


class StoresDuplicates(ReferenceService):
    _round = 0

    def record_punches(self, actor: Actor, org: str, punches: Sequence[Punch]) -> PunchImport:
        self._round += 1
        return super().record_punches(
            actor, org, [p.model_copy(update={"device": f"{p.device}#{self._round}"}) for p in punches]
        )


class SingleLevelOnly(ReferenceService):
    def configure(self, actor: Actor, org: str, settings: OrgSettings) -> OrgSettings:
        return super().configure(actor, org, settings.model_copy(update={"two_level_approval": False}))


class SickLeaveNeverCancels(ReferenceService):
    def _used(
        self, conn: sa.Connection, org: str, person_id: str, leave_type: str, year: int
    ) -> tuple[int, int, int]:
        taken, pending, covered = super()._used(conn, org, person_id, leave_type, year)
        return (taken, pending, 0) if leave_type == "sick" else (taken, pending, covered)


class NoOrganisationGate(ReferenceService):
    """Lets any actor read and change any organisation's attendance."""

    def _gate(self, actor: Actor, org: str, *, write: bool, field: str = "org") -> None:
        return None


class OneMonthCloseForAll(ReferenceService):
    """Keeps one month close for the whole database: one organisation's 月结 locks everyone's month."""

    def _closed(self, conn: sa.Connection, org: str) -> list[tuple[date, date]]:
        rows = conn.execute(sa.select(MONTH.c.year, MONTH.c.month).where(MONTH.c.state == "closed"))
        return [_month_range(r.year, r.month) for r in rows]


class PersonByNumberAlone(ReferenceService):
    """Finds a person by employee number alone, whichever organisation enrolled them."""

    def _current_row(self, conn: sa.Connection, org: str, person_id: str) -> Any:
        row = conn.execute(
            sa.select(ENROLMENT)
            .where(ENROLMENT.c.person_id == person_id)
            .order_by(ENROLMENT.c.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return super()._current_row(conn, org, person_id)
        return row


class _EveryHolidayStatutory(_CalendarProxy):
    def days(self, start: date, end: date) -> tuple[Day, ...]:
        return tuple(
            replace(d, statutory=True) if d.kind is DayKind.HOLIDAY else d
            for d in self._real.days(start, end)
        )


class MovedRestDaysAsStatutory(ReferenceService):
    """Books every day of a holiday block as statutory (the old ``holiday`` overtime of all 调休 days)."""

    def calendar(self, org: str) -> WorkCalendar:
        return _EveryHolidayStatutory(super().calendar(org))  # type: ignore[return-value]


class _Policy(ReferenceService):
    """Answers with the organisation's settings changed by ``policy``."""

    policy: ClassVar[dict[str, Any]] = {}

    def settings(self, org: str) -> OrgSettings:
        return super().settings(org).model_copy(update=self.policy)


class StatutoryOvertimeAsTimeOff(_Policy):
    policy: ClassVar[dict[str, Any]] = {"statutory_overtime_as_time_off": True}


class IgnoresRestExpiry(_Policy):
    policy: ClassVar[dict[str, Any]] = {"compensatory_rest_valid_days": 3660}


class RegionalFestivalAlwaysStatutory(_Policy):
    policy: ClassVar[dict[str, Any]] = {"regional_festival_overtime": "statutory_holiday"}


class NoRestBalanceCheck(ReferenceService):
    def _check_rest_balance(
        self, conn: sa.Connection, org: str, person_id: str, start: date, days: int
    ) -> None:
        return None


class NoRestMovesAtClose(ReferenceService):
    """Publishes the month close without the compensatory rest moves."""

    def close_month(self, actor: Actor, org: str, year: int, month: int) -> MonthClosed:
        closed = super().close_month(actor, org, year, month)
        blank = {
            f"compensatory_rest_{n}_minutes": 0
            for n in ("opening", "credited", "taken", "expired", "closing")
        }
        return closed.model_copy(
            update={"summaries": tuple(s.model_copy(update=blank) for s in closed.summaries)}
        )


def _factory(cls: type[ReferenceService]) -> Callable[[], Any]:
    @contextmanager
    def make() -> Iterator[ReferenceService]:
        with reference_factory() as reference:
            yield cls(reference.engine)

    return make


MUTANTS = [
    Mutant(
        "grace-exclusive",
        "counts the last minute of grace as late",
        _factory(GraceExclusive),
        breaks=("ATT-004",),
    ),
    Mutant(
        "no-early-grace", "ignores the grace for leaving early", _factory(NoEarlyGrace), breaks=("ATT-005",)
    ),
    Mutant(
        "ignores-makeup-workdays",
        "treats 调休 Sundays as rest days",
        _factory(IgnoresMakeupWorkdays),
        breaks=("ATT-006",),
    ),
    Mutant(
        "national-calendar-only",
        "ignores Xinjiang's regional holidays",
        _factory(NationalCalendarOnly),
        breaks=("ATT-008",),
    ),
    Mutant(
        "ignores-org-overrides",
        "ignores the organisation's own closures and worked days",
        _factory(IgnoresOrgOverrides),
        breaks=("ATT-035",),
    ),
    Mutant(
        "one-season",
        "keeps only one timetable of a seasonal shift",
        _factory(FirstTimetableOnly),
        breaks=("ATT-010",),
    ),
    Mutant(
        "duty-ends-at-midnight",
        "cuts cross-midnight duty at 23:59",
        _factory(DutyEndsAtMidnight),
        breaks=("ATT-011",),
    ),
    Mutant(
        "join-date-service",
        "counts service from the join date",
        _factory(JoinDateForService),
        breaks=("ATT-017",),
    ),
    Mutant(
        "counts-calendar-days",
        "counts annual leave in calendar days",
        _factory(CountsCalendarDays),
        breaks=("ATT-018",),
    ),
    Mutant(
        "no-balance-check",
        "grants annual leave beyond the balance",
        _factory(NoBalanceCheck),
        breaks=("ATT-019",),
    ),
    Mutant("allows-overlap", "accepts overlapping requests", _factory(AllowsOverlap), breaks=("ATT-020",)),
    Mutant("single-level-only", "ignores two-level approval", _factory(SingleLevelOnly), breaks=("ATT-022",)),
    Mutant(
        "sick-never-cancels",
        "never cancels annual leave for sick leave",
        _factory(SickLeaveNeverCancels),
        breaks=("ATT-024",),
    ),
    Mutant(
        "ignores-month-lock",
        "accepts changes to a closed month",
        _factory(IgnoresMonthLock),
        breaks=("ATT-028",),
    ),
    Mutant(
        "hides-unenrolled",
        "drops punches of people not enrolled silently",
        _factory(HidesUnenrolled),
        breaks=("ATT-002",),
    ),
    Mutant(
        "stores-duplicates",
        "stores a re-imported file again",
        _factory(StoresDuplicates),
        breaks=("ATT-001",),
    ),
    Mutant(
        "no-organisation-gate",
        "lets an actor of another organisation read and change attendance",
        _factory(NoOrganisationGate),
        breaks=("ATT-036",),
    ),
    Mutant(
        "one-month-close-for-all",
        "closes a month for every organisation in the database",
        _factory(OneMonthCloseForAll),
        breaks=("ATT-036",),
    ),
    Mutant(
        "person-by-number-alone",
        "finds a person by employee number alone, across organisations",
        _factory(PersonByNumberAlone),
        breaks=("ATT-036",),
    ),
    Mutant(
        "moved-rest-days-statutory",
        "books overtime on every day of a holiday block, moved rest days too, as statutory",
        _factory(MovedRestDaysAsStatutory),
        breaks=("ATT-037",),
    ),
    Mutant(
        "regional-festival-always-statutory",
        "ignores the organisation's class for regional festival days",
        _factory(RegionalFestivalAlwaysStatutory),
        breaks=("ATT-038",),
    ),
    Mutant(
        "statutory-overtime-as-time-off",
        "converts statutory-holiday overtime to time off",
        _factory(StatutoryOvertimeAsTimeOff),
        breaks=("ATT-039",),
    ),
    Mutant(
        "ignores-rest-expiry",
        "keeps compensatory rest credits past the organisation's validity",
        _factory(IgnoresRestExpiry),
        breaks=("ATT-040",),
    ),
    Mutant(
        "no-rest-balance-check",
        "grants compensatory rest leave beyond the balance",
        _factory(NoRestBalanceCheck),
        breaks=("ATT-040",),
    ),
    Mutant(
        "no-rest-moves-at-close",
        "closes the month without the compensatory rest moves",
        _factory(NoRestMovesAtClose),
        breaks=("ATT-041",),
    ),
]
