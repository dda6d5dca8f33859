"""The published models of the attendance part: what crosses the ``AttendanceService`` boundary.

Every model is a frozen pydantic model with a standard id and version (``x-standard-id`` in its
JSON Schema). Times are aware datetimes (stored in UTC); dates are calendar dates in the
organisation's time zone. No storage object ever crosses the boundary.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.text import Text, TextLine

from ._i18n import DOMAIN

__all__ = [
    "CompensatoryRest",
    "DailyResult",
    "DayStatus",
    "Enrolment",
    "LeaveBalance",
    "LeaveRequestIn",
    "MonthClosed",
    "MonthSummary",
    "OrgDayOverride",
    "OrgSettings",
    "OvertimeKind",
    "Period",
    "Punch",
    "PunchCorrectionIn",
    "PunchImport",
    "Request",
    "Shift",
    "ShiftAssignment",
    "Timetable",
    "TripRequestIn",
    "UnitMonthSummary",
]


def _config(standard_id: str) -> ConfigDict:
    return ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={"x-standard-id": standard_id, "x-standard-version": "1.0"},
    )


class OrgDayOverride(BaseModel):
    """One day of the organisation's own arrangement (单位自行安排), with the document that decided it.

    ``kind`` ``rest_day`` closes a day the national and regional calendars work (a closure);
    ``workday`` works a day they rest (a Saturday or Sunday worked counts as a make-up workday).
    The organisation's word wins over the region's and the nation's for that day (the third level
    of :mod:`govparts.core.calendar`). ``name`` is the Chinese name; ``name_en`` and ``name_ug``
    default to it.
    """

    model_config = _config("govparts.attendance.OrgDayOverride")
    standard_id: ClassVar[str] = "govparts.attendance.OrgDayOverride"

    date: date
    kind: Literal["rest_day", "workday"]
    name: TextLine = Field(min_length=1, max_length=100)
    source_doc: TextLine = Field(min_length=1, max_length=200)
    name_en: TextLine = Field(default="", max_length=100)
    name_ug: TextLine = Field(default="", max_length=100)

    @field_validator("name", "source_doc")
    @classmethod
    def _text(cls, value: str, info: ValidationInfo) -> str:
        if not value.strip():
            raise InvalidInput(N_("{field}: expected non-empty text"), field=info.field_name, domain=DOMAIN)
        return value.strip()


class OrgSettings(BaseModel):
    """How an organisation keeps attendance: its calendar, time zone and approval rules.

    ``region`` is a GB/T 2260 code whose holiday overlays apply (``"650000"`` for Xinjiang: 肉孜节,
    古尔邦节); ``calendar_overrides`` are the organisation's own closures and worked days on top of
    them, each citing its document (issue 5: national arrangement + regional overlay + organisation
    overrides). ``timezone`` is the zone rules are computed in (Xinjiang offices keep Beijing time,
    Asia/Shanghai, with later hours).
    """

    model_config = _config("govparts.attendance.OrgSettings")
    standard_id: ClassVar[str] = "govparts.attendance.OrgSettings"

    region: str | None = None
    timezone: str = "Asia/Shanghai"
    two_level_approval: bool = False
    corrections_per_month: int = Field(default=3, ge=0)
    calendar_overrides: tuple[OrgDayOverride, ...] = ()
    regional_festival_overtime: Literal["statutory_holiday", "rest_day"] = "statutory_holiday"
    """The overtime class of work on a regional festival's weekday off (肉孜节, 古尔邦节 in Xinjiang).

    《全国年节及纪念日放假办法》 Art. 4 leaves minority festivals to the regional government, and
    Xinjiang's 《新疆维吾尔自治区少数民族习惯节日放假办法》 (自治区人民政府令第174号) makes them days
    off for all residents; neither says whether 《劳动法》 Art. 44 (3) (300 %) or (2) (200 %, or
    compensatory rest) applies to work on them. The default, ``statutory_holiday``, reads the
    regionally decreed day off as a 法定休假日 and so never pays less than may be owed; an
    organisation whose labour department reads it otherwise sets ``rest_day``. Weekend days inside
    a regional block are rest days either way.
    """
    compensatory_rest_valid_days: int = Field(default=365, ge=1, le=3660)
    """How long compensatory rest (调休假) credited for a day's overtime may be taken: through the
    day worked plus this many days, then it expires. No national rule sets it (Art. 44 only says
    rest-day work is paid unless compensatory rest is arranged); the default of a year keeps every
    credit usable across one turn of the year, and organisations set their own policy."""
    statutory_overtime_as_time_off: bool = False
    """Whether statutory-holiday overtime may be credited as time off. 《劳动法》 Art. 44 (3) pays
    work on a 法定休假日 at 300 % with no substitute of rest, so it is refused by default."""
    compensatory_rest_day_minutes: int = Field(default=480, ge=60, le=720)
    """Minutes of the balance one workday of compensatory rest takes: 8 hours (《国务院关于职工工作
    时间的规定》 Art. 3)."""

    @field_validator("calendar_overrides")
    @classmethod
    def _one_per_day(cls, value: tuple[OrgDayOverride, ...]) -> tuple[OrgDayOverride, ...]:
        seen: set[date] = set()
        for entry in value:
            if entry.date in seen:
                raise InvalidInput(
                    N_("{field}: {got} is given twice"),
                    field="calendar_overrides",
                    got=entry.date.isoformat(),
                    domain=DOMAIN,
                )
            seen.add(entry.date)
        return tuple(sorted(value, key=lambda entry: entry.date))

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(
                N_("{field}: {got} is not a time zone name"), field="timezone", got=value, domain=DOMAIN
            ) from None
        return value


class Enrolment(BaseModel):
    """A person kept in attendance from ``start_date`` (to ``end_date``, inclusive) in ``unit``."""

    model_config = _config("govparts.attendance.Enrolment")
    standard_id: ClassVar[str] = "govparts.attendance.Enrolment"

    person: PersonRef
    unit: OrgUnitRef
    first_employment_date: date
    start_date: date
    end_date: date | None = None


class Period(BaseModel):
    """One stretch of work; an ``end`` at or before ``start`` ends on the next day (cross-midnight)."""

    model_config = _config("govparts.attendance.Period")

    start: time
    end: time


_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class Timetable(BaseModel):
    """Working hours in force from ``starts_on`` (``"MM-DD"``) every year until the next timetable."""

    model_config = _config("govparts.attendance.Timetable")

    starts_on: str = "01-01"
    periods: tuple[Period, ...] = Field(min_length=1)

    @field_validator("starts_on")
    @classmethod
    def _month_day(cls, value: str) -> str:
        if not _MONTH_DAY.match(value):
            raise InvalidInput(
                N_("{field}: expected a month and day as MM-DD, got {got}"),
                field="starts_on",
                got=value,
                domain=DOMAIN,
            )
        return value


class Shift(BaseModel):
    """A shift (班次): its timetables and the rules that judge a day against it.

    Kinds: ``fixed`` (one period), ``split`` (periods with a long midday break, as Xinjiang offices
    keep), ``flexible`` (one wide period, ``core_start``–``core_end`` must be covered and
    ``required_minutes`` worked), ``duty`` (值班, may cross midnight, applies on holidays by default).
    Seasonal hours: several timetables, each from its ``starts_on`` date (summer from 05-01,
    winter from 10-01). Grace minutes are whole minutes: with 5 minutes' grace 09:05 is on time and
    09:06 is 6 minutes late. Punches count from ``checkin_window_minutes`` before the first start to
    ``checkout_window_minutes`` after the last end.
    """

    model_config = _config("govparts.attendance.Shift")
    standard_id: ClassVar[str] = "govparts.attendance.Shift"

    code: TextLine = Field(min_length=1, max_length=32)
    name: TextLine = Field(min_length=1, max_length=100)
    kind: Literal["fixed", "split", "flexible", "duty"] = "fixed"
    timetables: tuple[Timetable, ...] = Field(min_length=1)
    grace_late_minutes: int = Field(default=0, ge=0, le=240)
    grace_early_minutes: int = Field(default=0, ge=0, le=240)
    checkin_window_minutes: int = Field(default=120, ge=0, le=720)
    checkout_window_minutes: int = Field(default=360, ge=0, le=720)
    half_day_minutes: int | None = Field(default=None, ge=0)
    absent_below_minutes: int = Field(default=0, ge=0)
    overtime_after_minutes: int = Field(default=30, ge=1)
    applies_on_holidays: bool | None = None
    core_start: time | None = None
    core_end: time | None = None
    required_minutes: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> Shift:
        starts = [t.starts_on for t in self.timetables]
        if len(set(starts)) != len(starts):
            raise InvalidInput(
                N_("{field}: two timetables start on the same day {got}"),
                field="timetables",
                got=sorted(s for s in starts if starts.count(s) > 1)[0],
                domain=DOMAIN,
            )
        if self.kind == "flexible":
            if self.core_start is None or self.core_end is None or self.required_minutes is None:
                raise InvalidInput(
                    N_("{field}: a flexible shift needs core_start, core_end and required_minutes"),
                    field="core_start",
                    domain=DOMAIN,
                )
            if any(len(t.periods) != 1 for t in self.timetables):
                raise InvalidInput(
                    N_("{field}: a flexible shift has one period per timetable"),
                    field="timetables",
                    domain=DOMAIN,
                )
        if self.kind != "duty":
            for t in self.timetables:
                ordered = [(p.start, p.end) for p in t.periods]
                if any(p.end <= p.start for p in t.periods) or any(
                    ordered[i][1] > ordered[i + 1][0] for i in range(len(ordered) - 1)
                ):
                    raise InvalidInput(
                        N_("{field}: periods must be in order in a day (only duty shifts cross midnight)"),
                        field="timetables.periods",
                        domain=DOMAIN,
                    )
        return self

    @property
    def applies_on_rest_days(self) -> bool:
        """Whether the shift is worked on rest days and holidays (duty shifts are, unless told not)."""
        return self.applies_on_holidays if self.applies_on_holidays is not None else self.kind == "duty"

    def timetable_on(self, day: date) -> Timetable:
        """The timetable in force on ``day``: the one with the latest ``starts_on`` not after it.

        Before the earliest start of the year, the last timetable of the previous year still holds
        (winter hours from 10-01 run through to the summer start on 05-01).
        """
        key = f"{day.month:02d}-{day.day:02d}"
        ordered = sorted(self.timetables, key=lambda t: t.starts_on)
        chosen = ordered[-1]
        for t in ordered:
            if t.starts_on <= key:
                chosen = t
        return chosen


class ShiftAssignment(BaseModel):
    """A shift given to a unit or a person (person assignments win) from ``valid_from``."""

    model_config = _config("govparts.attendance.ShiftAssignment")
    standard_id: ClassVar[str] = "govparts.attendance.ShiftAssignment"

    shift_code: TextLine
    unit_code: TextLine | None = None
    person_id: TextLine | None = None
    valid_from: date
    valid_to: date | None = None

    @model_validator(mode="after")
    def _one_target(self) -> ShiftAssignment:
        if (self.unit_code is None) == (self.person_id is None):
            raise InvalidInput(
                N_("{field}: give either a unit code or a person id"), field="unit_code", domain=DOMAIN
            )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise InvalidInput(
                N_("{field}: ends {got}, before it starts"),
                field="valid_to",
                got=self.valid_to.isoformat(),
                domain=DOMAIN,
            )
        return self


class Punch(BaseModel):
    """One clock-in or clock-out (打卡) of a person; ``punched_at`` must carry its time zone."""

    model_config = _config("govparts.attendance.Punch")
    standard_id: ClassVar[str] = "govparts.attendance.Punch"

    person_id: TextLine = Field(min_length=1, max_length=64)
    punched_at: datetime
    device: TextLine = Field(default="", max_length=64)
    source: Literal["device", "manual", "correction"] = "device"

    @field_validator("punched_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(
                N_("{field}: the time must carry its time zone, got {got}"),
                field="punched_at",
                got=value.isoformat(),
                domain=DOMAIN,
            )
        return value


class PunchImport(BaseModel):
    """What an import did: punches stored, punches already present, punches of people not enrolled."""

    model_config = _config("govparts.attendance.PunchImport")

    received: int
    stored: int
    duplicates: int
    not_enrolled: tuple[str, ...] = ()
    """Person ids with punches on days they are not enrolled (kept aside, never silently dropped)."""
    not_enrolled_punches: int = 0


class DayStatus(StrEnum):
    """How a day went (日考勤结果)."""

    NORMAL = "normal"
    LATE = "late"
    LEFT_EARLY = "left_early"
    LATE_AND_LEFT_EARLY = "late_and_left_early"
    MISSING_PUNCH = "missing_punch"
    HALF_DAY_ABSENT = "half_day_absent"
    ABSENT = "absent"
    LEAVE = "leave"
    BUSINESS_TRIP = "business_trip"
    OFFICIAL_OUTING = "official_outing"
    HOLIDAY = "holiday"
    REST_DAY = "rest_day"
    UNSCHEDULED = "unscheduled"


class OvertimeKind(StrEnum):
    """The class of overtime (加班) by the day it was worked: 《劳动法》 Art. 44 pays them differently.

    ``workday``: after hours on a workday or make-up workday (调休上班), at least 150 %;
    ``rest_day``: on a weekend or a moved rest day of a holiday block (调休休息日), at least 200 %
    unless compensatory rest (补休) is arranged; ``statutory_holiday``: on a statutory day of a holiday
    (法定休假日, 《全国年节及纪念日放假办法》 Art. 2, ``Day.statutory``), at least 300 %. A regional
    festival's weekday off is classed by :attr:`OrgSettings.regional_festival_overtime`.
    """

    WORKDAY = "workday"
    REST_DAY = "rest_day"
    STATUTORY_HOLIDAY = "statutory_holiday"


class DailyResult(BaseModel):
    """The result of one person's day: recomputable from punches, shifts, calendar and approvals."""

    model_config = _config("govparts.attendance.DailyResult")
    standard_id: ClassVar[str] = "govparts.attendance.DailyResult"

    person_id: str
    day: date
    unit_code: str
    day_kind: str
    """The calendar's kind of day: ``workday``, ``makeup_workday``, ``rest_day``, ``holiday``."""
    due: bool
    """Whether the person was due at work (a workday, or a day the shift applies on)."""
    status: DayStatus
    shift_code: str | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    missing_punches: int = 0
    worked_minutes: int = 0
    absent_days: Decimal = Decimal(0)
    leave_type: str | None = None
    overtime_kind: OvertimeKind | None = None
    overtime_minutes: int = 0


class LeaveRequestIn(BaseModel):
    """A request for leave (请假申请); ``days`` is counted by the service from the calendar."""

    model_config = _config("govparts.attendance.LeaveRequestIn")
    standard_id: ClassVar[str] = "govparts.attendance.LeaveRequestIn"

    person_id: TextLine
    leave_type: str
    start_date: date
    end_date: date
    reason: Text = ""
    difficult_birth: bool = False
    babies: int = Field(default=1, ge=1)


class TripRequestIn(BaseModel):
    """A business trip (出差) or an official outing (公出) for whole days."""

    model_config = _config("govparts.attendance.TripRequestIn")
    standard_id: ClassVar[str] = "govparts.attendance.TripRequestIn"

    person_id: TextLine
    kind: Literal["business_trip", "official_outing"] = "business_trip"
    start_date: date
    end_date: date
    destination: TextLine = ""
    reason: Text = ""


class PunchCorrectionIn(BaseModel):
    """A punch correction (补卡): a punch the person made but the device did not record."""

    model_config = _config("govparts.attendance.PunchCorrectionIn")
    standard_id: ClassVar[str] = "govparts.attendance.PunchCorrectionIn"

    person_id: TextLine
    punched_at: datetime
    reason: Text = Field(min_length=1)

    @field_validator("punched_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return Punch._aware(value)


class Request(BaseModel):
    """A leave, trip or correction request and where it stands in its approval process."""

    model_config = _config("govparts.attendance.Request")
    standard_id: ClassVar[str] = "govparts.attendance.Request"

    id: str
    kind: Literal["leave", "business_trip", "official_outing", "punch_correction"]
    person_id: str
    state: str
    leave_type: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    days: int = 0
    punched_at: datetime | None = None
    reason: Text = ""
    note: Text = ""


class LeaveBalance(BaseModel):
    """A person's leave of one type in one year: entitlement, taken (approved), pending, remaining."""

    model_config = _config("govparts.attendance.LeaveBalance")
    standard_id: ClassVar[str] = "govparts.attendance.LeaveBalance"

    person_id: str
    year: int
    leave_type: str
    entitled: int | None
    """``None`` where the type has no yearly entitlement (sick, personal leave)."""
    taken: int
    pending: int
    remaining: int | None
    cancelled: bool = False
    """Annual leave cancelled for the year (国务院令第514号 Art. 4)."""
    source: str = ""


class MonthSummary(BaseModel):
    """One person's month (月度考勤汇总)."""

    model_config = _config("govparts.attendance.MonthSummary")
    standard_id: ClassVar[str] = "govparts.attendance.MonthSummary"

    person_id: str
    unit_code: str
    year: int
    month: int
    days_due: int
    days_present: Decimal
    late_count: int
    late_minutes: int
    early_count: int
    early_minutes: int
    missing_punches: int
    absent_days: Decimal
    leave_days: dict[str, int] = {}
    business_trip_days: int = 0
    official_outing_days: int = 0
    overtime_minutes: dict[str, int] = {}
    """Minutes of overtime by class (:class:`OvertimeKind`): what 《劳动法》 Art. 44 pays."""
    compensatory_rest_opening_minutes: int = 0
    """Compensatory rest (调休假) left at the start of the month, in minutes."""
    compensatory_rest_credited_minutes: int = 0
    """Overtime of the month credited as time off."""
    compensatory_rest_taken_minutes: int = 0
    """Compensatory rest taken (approved leave of type ``compensatory_rest`` starting in the month)."""
    compensatory_rest_expired_minutes: int = 0
    """Credits that expired in the month unused (the organisation's ``compensatory_rest_valid_days``)."""
    compensatory_rest_closing_minutes: int = 0
    """Left at the end of the month: opening + credited − taken − expired."""


class CompensatoryRest(BaseModel):
    """A person's compensatory rest (调休假) on a day: what was credited, taken, expired and is left.

    Rest-day overtime approved as time off credits the balance by its minutes; each credit may be
    taken through ``compensatory_rest_valid_days`` after the day worked. Leave of type
    ``compensatory_rest`` takes the credits that expire first. ``remaining`` counts approved leave;
    ``available`` also sets aside the minutes of leave still pending approval.
    """

    model_config = _config("govparts.attendance.CompensatoryRest")
    standard_id: ClassVar[str] = "govparts.attendance.CompensatoryRest"

    person_id: str
    on: date
    credited_minutes: int
    taken_minutes: int
    pending_minutes: int
    expired_minutes: int
    remaining_minutes: int
    available_minutes: int
    next_expiry: date | None = None
    """The last day the soonest-expiring credit left may be taken."""
    expiring_minutes: int = 0
    """Minutes left that expire after ``next_expiry``."""


class UnitMonthSummary(BaseModel):
    """A unit's month: the sums of its people's summaries."""

    model_config = _config("govparts.attendance.UnitMonthSummary")
    standard_id: ClassVar[str] = "govparts.attendance.UnitMonthSummary"

    unit_code: str
    year: int
    month: int
    people: int
    days_due: int
    days_present: Decimal
    late_count: int
    late_minutes: int
    absent_days: Decimal
    leave_days: dict[str, int] = {}
    overtime_minutes: dict[str, int] = {}


class MonthClosed(BaseModel):
    """The payload of ``cn.govparts.attendance.month.closed.v1``: the closed month and its summaries."""

    model_config = _config("govparts.attendance.MonthClosed")
    standard_id: ClassVar[str] = "govparts.attendance.MonthClosed"

    org: str = Field(min_length=18, max_length=18)
    """The organisation whose month closed (unified social credit code, GB 32100-2015)."""
    year: int
    month: int
    closed_at: datetime
    closed_by: str
    people: int
    units: tuple[UnitMonthSummary, ...] = ()
    summaries: tuple[MonthSummary, ...] = ()

    def summary_of(self, person_id: str) -> MonthSummary | None:
        """The summary of ``person_id`` in this month, if the person was enrolled."""
        return next((s for s in self.summaries if s.person_id == person_id), None)


def dump(model: BaseModel) -> dict[str, Any]:
    """JSON-ready dict of a published model."""
    return model.model_dump(mode="json")
