"""Mutants of the reference implementation, each breaking one rule of the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from govparts.conformance import Mutant
from govparts.core.calendar import Day, DayKind, WorkCalendar, calendar_for
from govparts.core.events import CloudEvent
from govparts.core.security import Actor

from .._models import (
    DailyResult,
    Enrolment,
    LeaveRequestIn,
    MonthClosed,
    OrgSettings,
    Punch,
    PunchImport,
    Request,
    Shift,
)
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


# -- issue 16: bulk paths, access control, observability, settings, boundaries, exactness --------------


class _FileFlag(ReferenceService):
    """Knows whether the current write came through a punch file."""

    _from_file = False

    def import_punches(
        self, actor: Actor, org: str, data: str, format: Literal["csv", "json"] = "csv"
    ) -> PunchImport:
        self._from_file = True
        try:
            return super().import_punches(actor, org, data, format)
        finally:
            self._from_file = False


class FileSkipsMonthLock(_FileFlag):
    """Checks the month lock on single punches and batches, not on files."""

    def _check_open(self, conn: sa.Connection, org: str, days: Sequence[date], field: str) -> None:
        if not self._from_file:
            super()._check_open(conn, org, days, field)


class FileDropsSeconds(_FileFlag):
    """Reads a punch file's times to the minute."""

    def record_punches(self, actor: Actor, org: str, punches: Sequence[Punch]) -> PunchImport:
        if self._from_file:
            punches = [p.model_copy(update={"punched_at": p.punched_at.replace(second=0)}) for p in punches]
        return super().record_punches(actor, org, punches)


class _SkipsRole(ReferenceService):
    skipped: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def _require(cls, actor: Actor, roles: Sequence[str], operation: str) -> None:
        if operation not in cls.skipped:
            ReferenceService._require(actor, roles, operation)


class PunchesWithoutRole(_SkipsRole):
    """Lets any actor of the organisation record and import punches."""

    skipped: ClassVar[frozenset[str]] = frozenset({"record_punches", "import_punches"})


class AnyoneCreditsRest(_SkipsRole):
    """Lets an actor without the approver role credit compensatory rest."""

    skipped: ClassVar[frozenset[str]] = frozenset({"grant_compensatory_rest"})


class SettingsWithoutRole(_SkipsRole):
    """Lets any actor of the organisation change its settings, shifts and enrolment."""

    skipped: ClassVar[frozenset[str]] = frozenset(
        {"configure", "define_shift", "assign_shift", "enrol", "end_enrolment", "transfer"}
    )


class PunchesNotAudited(ReferenceService):
    """Stores punches without an audit record (the pre-issue-15 import)."""

    @staticmethod
    def _audit_punches(*args: Any, **kwargs: Any) -> None:
        return None


class TrailWithoutSettings(ReferenceService):
    """Reads back every audit record but the settings' ones."""

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[Any]:
        found = super().audit_trail(actor, org, entity, entity_id)
        return [] if entity == "attendance_settings" else found


class TrailOfAnyOrganisation(ReferenceService):
    """Serves the audit records of an id of another organisation."""

    def _owned(self, conn: sa.Connection, org: str, entity: str, entity_id: str) -> bool:
        return True


class NoLeaveApprovedEvents(ReferenceService):
    """Publishes the month close but not the approvals of leave."""

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        return [e for e in super().published_events(actor, org, type=type) if "approved" not in e.type]


class EventsOfEveryOrganisation(ReferenceService):
    """Lists the month closes of every organisation in the database."""

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        from govparts.core import events

        mine = super().published_events(actor, org, type=type)
        outbox = events.OutboxEvent.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(outbox.c.data).where(outbox.c.type.like("%month.closed%")))
            orgs = {r.data["org"] for r in rows if isinstance(r.data, dict) and r.data.get("org") != org}
        system = Actor(id="relay", name="relay", roles=frozenset())
        return mine + [e for o in sorted(orgs) for e in super().published_events(system, o, type=type)]


class MonthClosedTwice(ReferenceService):
    """Lists each month.closed event twice (a relay that republishes)."""

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        found = super().published_events(actor, org, type=type)
        return found + [e for e in found if "month.closed" in e.type]


class SeparationOnEffectiveDay(ReferenceService):
    """Ends the enrolment on the separation's effective day, not the day before."""

    def receive_event(self, actor: Actor, event: CloudEvent) -> Enrolment | None:
        if event.type.endswith("separated.v1") and isinstance(event.data, dict):
            day = date.fromisoformat(str(event.data["effective_date"])) + timedelta(days=1)
            event = event.model_copy(update={"data": {**event.data, "effective_date": day.isoformat()}})
        return super().receive_event(actor, event)


class EventsWithoutGate(ReferenceService):
    """Applies a personnel event for whoever delivers it."""

    def receive_event(self, actor: Actor, event: CloudEvent) -> Enrolment | None:
        return super().receive_event(Actor(id="anyone", name="anyone", roles=frozenset()), event)


class BeijingTimeAlways(ReferenceService):
    """Computes every organisation's days in Beijing time, whatever its zone."""

    def zone(self, org: str) -> ZoneInfo:
        return ZoneInfo("Asia/Shanghai")


class CorrectionMonthInUTC(ReferenceService):
    """Counts corrections by the month of their UTC time."""

    def local_date(self, org: str, moment: datetime) -> date:
        return moment.astimezone(UTC).date()


class LastDayOfClosedMonthOpen(ReferenceService):
    """Takes a closed month's last day as open."""

    def _check_open(self, conn: sa.Connection, org: str, days: Sequence[date], field: str) -> None:
        for lo, hi in self._closed(conn, org):
            for day in days:
                if lo <= day < hi:
                    from .._errors import MonthLocked

                    raise MonthLocked(field=field, month=f"{lo:%Y-%m}")


class AnnualTierADayLate(ReferenceService):
    """Moves annual leave to the next tier the day after the anniversary."""

    def _balance(
        self, conn: sa.Connection, org: str, person_id: str, year: int, leave_type: str, *, on: date
    ) -> Any:
        found = super()._balance(conn, org, person_id, year, leave_type, on=on - timedelta(days=1))
        return found.model_copy(update={"year": year})


class MaternityWithoutRegion(ReferenceService):
    """Caps maternity leave by the national days alone, also in Xinjiang."""

    def request_leave(self, actor: Actor, org: str, request: LeaveRequestIn) -> Request:
        if request.leave_type == "maternity" and self.settings(org).region:
            saved = self._settings[org]
            self._settings[org] = saved.model_copy(update={"region": None})
            try:
                return super().request_leave(actor, org, request)
            finally:
                self._settings[org] = saved
        return super().request_leave(actor, org, request)


class HalfDayRoundedUp(ReferenceService):
    """Reports half a day absent as a whole day."""

    def daily_results(
        self, actor: Actor, org: str, person_id: str, start: date, end: date
    ) -> list[DailyResult]:
        return [
            r.model_copy(update={"absent_days": Decimal(1)}) if r.absent_days == Decimal("0.5") else r
            for r in super().daily_results(actor, org, person_id, start, end)
        ]


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
    Mutant(
        "file-skips-month-lock",
        "stores a punch file's punches in a closed month",
        _factory(FileSkipsMonthLock),
        breaks=("ATT-045",),
    ),
    Mutant(
        "file-drops-seconds",
        "reads punch files to the minute",
        _factory(FileDropsSeconds),
        breaks=("ATT-045",),
    ),
    Mutant(
        "punches-without-role",
        "lets any actor of the organisation record punches",
        _factory(PunchesWithoutRole),
        breaks=("ATT-044",),
    ),
    Mutant(
        "anyone-credits-rest",
        "lets an actor without the approver role credit compensatory rest",
        _factory(AnyoneCreditsRest),
        breaks=("ATT-044",),
    ),
    Mutant(
        "settings-without-role",
        "lets any actor change settings, shifts and enrolment",
        _factory(SettingsWithoutRole),
        breaks=("ATT-044",),
    ),
    Mutant(
        "punches-not-audited",
        "imports punches without an audit record",
        _factory(PunchesNotAudited),
        breaks=("ATT-042",),
    ),
    Mutant(
        "trail-without-settings",
        "does not read back the settings' audit records",
        _factory(TrailWithoutSettings),
        breaks=("ATT-042",),
    ),
    Mutant(
        "trail-of-any-organisation",
        "serves the audit records of another organisation's id",
        _factory(TrailOfAnyOrganisation),
        breaks=("ATT-036",),
    ),
    Mutant(
        "no-leave-approved-events",
        "does not publish the approvals of leave",
        _factory(NoLeaveApprovedEvents),
        breaks=("ATT-043",),
    ),
    Mutant(
        "events-of-every-organisation",
        "lists other organisations' month closes",
        _factory(EventsOfEveryOrganisation),
        breaks=("ATT-043",),
    ),
    Mutant(
        "month-closed-twice", "lists each month close twice", _factory(MonthClosedTwice), breaks=("ATT-043",)
    ),
    Mutant(
        "separation-on-effective-day",
        "ends the enrolment on the separation's effective day",
        _factory(SeparationOnEffectiveDay),
        breaks=("ATT-046",),
    ),
    Mutant(
        "events-without-gate",
        "applies personnel events for an actor of another organisation",
        _factory(EventsWithoutGate),
        breaks=("ATT-046",),
    ),
    Mutant(
        "beijing-time-always",
        "computes every organisation's days in Beijing time",
        _factory(BeijingTimeAlways),
        breaks=("ATT-032",),
    ),
    Mutant(
        "correction-month-in-utc",
        "counts punch corrections by their UTC month",
        _factory(CorrectionMonthInUTC),
        breaks=("ATT-026",),
    ),
    Mutant(
        "last-day-of-closed-month-open",
        "takes a closed month's last day as open",
        _factory(LastDayOfClosedMonthOpen),
        breaks=("ATT-028",),
    ),
    Mutant(
        "annual-tier-a-day-late",
        "moves to the next annual leave tier the day after the anniversary",
        _factory(AnnualTierADayLate),
        breaks=("ATT-017",),
    ),
    Mutant(
        "maternity-without-region",
        "caps maternity leave by the national days in Xinjiang too",
        _factory(MaternityWithoutRegion),
        breaks=("ATT-023",),
    ),
    Mutant(
        "half-day-rounded-up",
        "reports half a day absent as a whole day",
        _factory(HalfDayRoundedUp),
        breaks=("ATT-014",),
    ),
]
