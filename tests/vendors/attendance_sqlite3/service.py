"""A second vendor's ``AttendanceService`` on the standard library's ``sqlite3``.

Written against the published contract only: the models of :mod:`govparts.attendance.models`, the
error classes the protocol names (core errors and :class:`govparts.attendance.MonthLocked`), the
message ids of the part's catalogue (``domain=DOMAIN``, so errors read in Chinese and Uyghur too)
and core's calendar. Storage, computation and approval are this module's own.

Daily results of open months are computed when read, from punches, shifts, the calendar and the
approved requests, so a write shows at once with nothing to keep in step. Closing a month stores
its results and they are final from then on.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError

from govparts.attendance import DOMAIN, MonthLocked
from govparts.attendance.events import LEAVE_APPROVED, MONTH_CLOSED
from govparts.attendance.models import (
    CompensatoryRest,
    DailyResult,
    Enrolment,
    LeaveBalance,
    LeaveRequestIn,
    MonthClosed,
    MonthSummary,
    OrgSettings,
    Punch,
    PunchCorrectionIn,
    PunchImport,
    Request,
    Shift,
    ShiftAssignment,
    TripRequestIn,
    UnitMonthSummary,
)
from govparts.conformance import Capabilities
from govparts.core import events
from govparts.core.audit import TrailEntry
from govparts.core.calendar import (
    DayKind,
    DayOverride,
    HolidayName,
    WorkCalendar,
    calendar_for,
    org_overrides,
)
from govparts.core.errors import (
    GuardFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
    UnknownCode,
    from_validation_error,
)
from govparts.core.i18n import N_
from govparts.core.ids import credit_code
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor, check_org

from . import rules

__all__ = ["VENDOR", "SqliteAttendanceService", "vendor_factory"]

VENDOR = "attendance-sqlite3"
"""This implementation's name (in handler ids and its capabilities' eyes)."""

_SCHEMA = Path(__file__).with_name("schema.sql").read_text("utf-8")
_ACTIVE = ("submitted", "first_approved", "approved")
_HIRED = "cn.govparts.personnel.employee.hired.v1"
_SEPARATED = "cn.govparts.personnel.employee.separated.v1"
_TRANSFERRED = "cn.govparts.personnel.employee.transferred.v1"


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    if not (isinstance(month, int) and 1 <= month <= 12):
        raise InvalidInput(
            N_("{field}: a month is 1 to 12, got {got}"), field="month", got=str(month), domain=DOMAIN
        )
    first = date(year, month, 1)
    return first, date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _dates(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


class _Span(BaseModel):
    """One enrolment row as the service works with it."""

    model_config = ConfigDict(frozen=True)

    id: int
    person: PersonRef
    unit: OrgUnitRef
    first_employment: date
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def enrolment(self) -> Enrolment:
        return Enrolment(
            person=self.person,
            unit=self.unit,
            first_employment_date=self.first_employment,
            start_date=self.start,
            end_date=self.end,
        )


# -- the personnel events, as this vendor reads them (tolerant readers) ----------------------------


class _Hire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    person: PersonRef
    unit: OrgUnitRef
    effective_date: date
    first_employment_date: date


class _Move(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    person: PersonRef
    to_unit: OrgUnitRef
    effective_date: date


class _Leaving(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    person: PersonRef
    effective_date: date


class SqliteAttendanceService:
    """``AttendanceService`` through ``sqlite3`` only: one SQLite file per organisation, beside ``path``.

    Many offices, one deployment: this vendor keeps each organisation (its unified social credit
    code, GB 32100-2015) in a database of its own (``<stem>.<org><suffix>`` next to ``path``), so
    enrolments, requests, settings and closed months (月结) of one organisation can never meet
    another's. Every method passes core's ``check_org`` first: an actor of another organisation is
    refused (``OrganizationDenied``). Its own append-only audit log (one per organisation's file)
    records every change; it does not record reads, so a cross-organisation auditor's read, which
    must be audited, is refused as well.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._cons: dict[str, sqlite3.Connection] = {}
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close the database connections."""
        with self._lock:
            for con in self._cons.values():
                con.close()
            self._cons.clear()

    @staticmethod
    def _gate(actor: Actor, org: str, *, write: bool) -> None:
        """Core's organisation gate, and ``org`` a valid credit code (it names a file)."""
        if not isinstance(org, str) or not credit_code.is_valid(org):
            raise InvalidInput(
                N_("{field}: expected an organisation's unified social credit code"),
                field="org",
                domain=DOMAIN,
            )
        check_org(actor, org, write=write)

    @classmethod
    def _writer(cls, actor: Actor, org: str, operation: str, *roles: str) -> None:
        """The organisation's gate, then the role a write needs (``attendance_clerk`` by default)."""
        cls._gate(actor, org, write=True)
        needed = list(roles or ("attendance_clerk",))
        if not actor.has_role(*needed):
            raise PermissionDenied(field="actor", actor=actor.id, transition=operation, roles=needed)

    @staticmethod
    def _audit(
        con: sqlite3.Connection, actor: Actor | str, action: str, entity: str, entity_id: str, **details: Any
    ) -> None:
        """Append one record to the organisation's audit log (in the caller's transaction)."""
        con.execute(
            "INSERT INTO audit_log (recorded_at, actor_id, action, entity, entity_id, details) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                datetime.now(UTC).isoformat(),
                actor if isinstance(actor, str) else actor.id,
                action,
                entity,
                entity_id,
                json.dumps(details, default=str, ensure_ascii=False),
            ),
        )

    @staticmethod
    def _publish(con: sqlite3.Connection, event: events.CloudEvent) -> None:
        con.execute("INSERT INTO published_event (envelope) VALUES (?)", (event.model_dump_json(),))

    def database_file(self, org: str) -> Path:
        """The file that keeps the organisation's attendance."""
        return self.path.with_name(f"{self.path.stem}.{org}{self.path.suffix}")

    def _connection(self, org: str) -> sqlite3.Connection:
        """The organisation's database, created on first use (one connection for the service's life)."""
        if not credit_code.is_valid(org):
            raise InvalidInput(
                N_("{field}: expected an organisation's unified social credit code"),
                field="org",
                domain=DOMAIN,
            )
        con = self._cons.get(org)
        if con is None:
            file = self.database_file(org)
            # one connection per organisation: opening and closing one per call costs a checkpoint
            con = sqlite3.connect(file, timeout=30, isolation_level=None, check_same_thread=False)
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
            con.execute("PRAGMA foreign_keys = ON")
            con.executescript(f"BEGIN; {_SCHEMA} COMMIT;")
            self._cons[org] = con
        return con

    @contextmanager
    def _write(self, org: str) -> Iterator[sqlite3.Connection]:
        """One transaction on the organisation's database: committed at the end, rolled back on error."""
        with self._lock:
            con = self._connection(org)
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # -- capabilities and settings -----------------------------------------------------------------

    def capabilities(self) -> Capabilities:
        """The part and version implemented; no optional feature is claimed."""
        return Capabilities(part="attendance", version="1.0", features=frozenset())

    def _settings(self, con: sqlite3.Connection) -> OrgSettings:
        row = con.execute("SELECT data FROM settings WHERE id = 1").fetchone()
        return OrgSettings.model_validate_json(row[0]) if row else OrgSettings()

    def settings(self, org: str) -> OrgSettings:
        """The organisation's settings (defaults until configured)."""
        with self._write(org) as con:
            return self._settings(con)

    @staticmethod
    def _calendar_of(settings: OrgSettings) -> WorkCalendar:
        """Nation, ``settings.region`` and the organisation's own days, through core's calendar."""
        own = None
        if settings.calendar_overrides:
            own = org_overrides(
                VENDOR,
                [
                    DayOverride(
                        o.date,
                        o.kind,
                        o.source_doc,
                        HolidayName(o.name, o.name_en or o.name, o.name_ug or o.name),
                    )
                    for o in settings.calendar_overrides
                ],
            )
        return calendar_for(settings.region, own)

    def calendar(self, org: str) -> WorkCalendar:
        """The organisation's working-day calendar."""
        return self._calendar_of(self.settings(org))

    def configure(self, actor: Actor, org: str, settings: OrgSettings) -> OrgSettings:
        """Store the settings; leave and trip days are recounted on the new calendar.

        A change of the organisation's own days reaching into a closed month is refused
        (:class:`MonthLocked` naming ``calendar_overrides``) and nothing is written.
        """
        self._writer(actor, org, "configure")
        with self._write(org) as con:
            old = self._settings(con)
            before = {o.date: o for o in old.calendar_overrides}
            after = {o.date: o for o in settings.calendar_overrides}
            changed = [d for d in before.keys() | after.keys() if before.get(d) != after.get(d)]
            self._refuse_closed(con, changed, "calendar_overrides")
            con.execute(
                "INSERT INTO settings (id, data) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                (settings.model_dump_json(),),
            )
            self._recount(con, self._calendar_of(settings))
            self._audit(
                con, actor, "configure", "attendance_settings", org, after=settings.model_dump(mode="json")
            )
        return settings

    def _recount(self, con: sqlite3.Connection, calendar: WorkCalendar) -> None:
        """Count again the days of every active leave and trip outside closed months."""
        closed = self._closed_months(con)
        rows = con.execute(
            "SELECT id, kind, leave_type, start_date, end_date FROM request "
            "WHERE kind != 'punch_correction' AND state IN (?, ?, ?)",
            _ACTIVE,
        ).fetchall()
        for rid, kind, leave_type, start, end in rows:
            lo, hi = date.fromisoformat(start), date.fromisoformat(end)
            if any(_in_closed(d, closed) for d in (lo, hi)):
                continue
            days = self._count(kind, leave_type, lo, hi, calendar)
            con.execute("UPDATE request SET days = ? WHERE id = ?", (days, rid))

    @staticmethod
    def _count(kind: str, leave_type: str | None, start: date, end: date, calendar: WorkCalendar) -> int:
        if kind == "leave" and leave_type is not None and rules.LEAVE_TYPE_RULES[leave_type].calendar_days:
            return (end - start).days + 1
        return calendar.workdays_between(start, end)

    # -- closed months -----------------------------------------------------------------------------

    @staticmethod
    def _closed_months(con: sqlite3.Connection) -> set[str]:
        return {row[0] for row in con.execute("SELECT key FROM closed_month")}

    def _refuse_closed(self, con: sqlite3.Connection, days: Sequence[date], field: str) -> None:
        closed = self._closed_months(con)
        for day in sorted(days):
            if _in_closed(day, closed):
                raise MonthLocked(field=field, month=f"{day:%Y-%m}", domain=DOMAIN)

    def is_month_closed(self, actor: Actor, org: str, year: int, month: int) -> bool:
        """Whether the month is closed (月结)."""
        self._gate(actor, org, write=False)
        _month_bounds(year, month)
        with self._write(org) as con:
            return f"{year:04d}-{month:02d}" in self._closed_months(con)

    # -- enrolment ---------------------------------------------------------------------------------

    @staticmethod
    def _spans(con: sqlite3.Connection, person_id: str) -> list[_Span]:
        rows = con.execute(
            "SELECT id, person, unit, first_employment, start_date, end_date FROM enrolment "
            "WHERE person_id = ? ORDER BY start_date",
            (person_id,),
        ).fetchall()
        return [_span(row) for row in rows]

    def _latest(self, con: sqlite3.Connection, person_id: str) -> _Span:
        spans = self._spans(con, person_id)
        if not spans:
            raise NotFound(field="person_id", kind="enrolment", got=person_id)
        return spans[-1]

    def _enrol(self, con: sqlite3.Connection, enrolment: Enrolment) -> Enrolment:
        if enrolment.end_date is not None and enrolment.end_date < enrolment.start_date:
            raise InvalidInput(
                N_("{field}: ends {got}, before it starts"),
                field="end_date",
                got=enrolment.end_date.isoformat(),
                domain=DOMAIN,
            )
        if enrolment.first_employment_date > enrolment.start_date:
            raise InvalidInput(
                N_("{field}: first employment {got} is after the enrolment starts"),
                field="first_employment_date",
                got=enrolment.first_employment_date.isoformat(),
                domain=DOMAIN,
            )
        pid = enrolment.person.person_id
        for span in self._spans(con, pid):
            if span.start == enrolment.start_date:
                return span.enrolment()
            if (span.end is None or span.end >= enrolment.start_date) and (
                enrolment.end_date is None or enrolment.end_date >= span.start
            ):
                raise InvalidInput(
                    N_("{field}: {person} is already enrolled from {got}"),
                    field="start_date",
                    person=pid,
                    got=span.start.isoformat(),
                    domain=DOMAIN,
                )
        con.execute(
            "INSERT INTO enrolment (person_id, person, unit, unit_code, first_employment, start_date, "
            "end_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                pid,
                enrolment.person.model_dump_json(),
                enrolment.unit.model_dump_json(),
                enrolment.unit.unit_code,
                enrolment.first_employment_date.isoformat(),
                enrolment.start_date.isoformat(),
                _iso(enrolment.end_date),
            ),
        )
        return enrolment

    def enrol(self, actor: Actor, org: str, enrolment: Enrolment) -> Enrolment:
        """Keep attendance of a person from ``start_date``; the same start again changes nothing."""
        self._writer(actor, org, "enrol")
        if enrolment.person.organization_credit_code != org:
            raise InvalidInput(
                N_("{field}: the enrolment belongs to another organisation than {org}"),
                field="person.organization_credit_code",
                org=org,
                domain=DOMAIN,
            )
        with self._write(org) as con:
            before = con.total_changes
            done = self._enrol(con, enrolment)
            if con.total_changes != before:
                self._audit(con, actor, "enrol", "enrolment", f"{org}/{enrolment.person.person_id}")
            return done

    def enrolment(self, actor: Actor, org: str, person_id: str) -> Enrolment:
        """The person's latest enrolment; NotFound naming ``person_id`` when never enrolled."""
        self._gate(actor, org, write=False)
        with self._write(org) as con:
            return self._latest(con, person_id).enrolment()

    def _end(self, con: sqlite3.Connection, person_id: str, last_day: date) -> Enrolment:
        span = self._latest(con, person_id)
        if span.end == last_day:
            return span.enrolment()
        if last_day < span.start - timedelta(days=1):
            raise InvalidInput(
                N_("{field}: {got} is before the enrolment starts"),
                field="last_day",
                got=last_day.isoformat(),
                domain=DOMAIN,
            )
        con.execute("UPDATE enrolment SET end_date = ? WHERE id = ?", (last_day.isoformat(), span.id))
        return span.model_copy(update={"end": last_day}).enrolment()

    def end_enrolment(self, actor: Actor, org: str, person_id: str, last_day: date) -> Enrolment:
        """End the enrolment after ``last_day`` (separation); ending it again changes nothing."""
        self._writer(actor, org, "end_enrolment")
        with self._write(org) as con:
            before = con.total_changes
            done = self._end(con, person_id, last_day)
            if con.total_changes != before:
                self._audit(con, actor, "end_enrolment", "enrolment", f"{org}/{person_id}", last_day=last_day)
            return done

    def _transfer(
        self, con: sqlite3.Connection, person_id: str, unit: OrgUnitRef, effective: date
    ) -> Enrolment:
        span = self._latest(con, person_id)
        if span.start == effective and span.unit.unit_code == unit.unit_code:
            return span.enrolment()
        if effective <= span.start:
            raise InvalidInput(
                N_("{field}: {got} is not after the enrolment starts"),
                field="effective_date",
                got=effective.isoformat(),
                domain=DOMAIN,
            )
        con.execute(
            "UPDATE enrolment SET end_date = ? WHERE id = ?",
            ((effective - timedelta(days=1)).isoformat(), span.id),
        )
        return self._enrol(
            con,
            Enrolment(
                person=span.person,
                unit=unit,
                first_employment_date=span.first_employment,
                start_date=effective,
                end_date=span.end,
            ),
        )

    def transfer(
        self, actor: Actor, org: str, person_id: str, unit: OrgUnitRef, effective_date: date
    ) -> Enrolment:
        """Move the person to ``unit`` from ``effective_date``; repeating it changes nothing."""
        self._writer(actor, org, "transfer")
        with self._write(org) as con:
            before = con.total_changes
            done = self._transfer(con, person_id, unit, effective_date)
            if con.total_changes != before:
                self._audit(con, actor, "transfer", "enrolment", f"{org}/{person_id}", unit=unit.unit_code)
            return done

    # -- following personnel -----------------------------------------------------------------------

    def personnel_handler(self, handler_id: str = f"{VENDOR}.follow-personnel") -> events.Handler:
        """A core ``Handler`` keeping enrolment in step with personnel's hired/transferred/separated.

        It reads each event with this vendor's own tolerant models and writes to this vendor's
        database, not to the session it is given; the event id is recorded in the same sqlite3
        transaction, so an event delivered twice changes nothing the second time.
        """

        def follow(session: object, event: events.CloudEvent) -> None:
            self._apply(VENDOR, event)

        # one handler for the three types: the dispatcher keeps a subject's events in order per handler
        return events.Handler(handler_id, (_HIRED, _SEPARATED, _TRANSFERRED), follow)

    def _apply(self, actor_id: str, event: events.CloudEvent) -> Enrolment | None:
        """Apply one personnel event once (its id is recorded with the change); the enrolment after it."""
        if event.type not in (_HIRED, _SEPARATED, _TRANSFERRED):
            raise InvalidInput(
                N_("{field}: {got} is not an event attendance consumes; allowed: {allowed}"),
                field="type",
                got=str(event.type),
                allowed=sorted((_HIRED, _SEPARATED, _TRANSFERRED)),
                domain=DOMAIN,
            )
        try:
            org = _Leaving.model_validate(event.data).person.organization_credit_code
        except ValidationError as exc:
            raise from_validation_error(exc, model="CloudEvent.data") from None
        with self._write(org) as con:
            seen = con.execute(
                "INSERT INTO processed_event (event_id, event_type) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (event.id, event.type),
            )
            before = con.total_changes
            result: Enrolment | None
            if event.type == _HIRED:
                hire = _Hire.model_validate(event.data)
                pid = hire.person.person_id
                result = (
                    self._enrol(
                        con,
                        Enrolment(
                            person=hire.person,
                            unit=hire.unit,
                            first_employment_date=hire.first_employment_date,
                            start_date=hire.effective_date,
                        ),
                    )
                    if seen.rowcount
                    else self._latest(con, pid).enrolment()
                )
                action = "enrol"
            elif event.type == _TRANSFERRED:
                move = _Move.model_validate(event.data)
                pid = move.person.person_id
                result = (
                    self._transfer(con, pid, move.to_unit, move.effective_date)
                    if seen.rowcount
                    else self._latest(con, pid).enrolment()
                )
                action = "transfer"
            else:
                leaving = _Leaving.model_validate(event.data)
                pid = leaving.person.person_id
                action = "end_enrolment"
                if not self._spans(con, pid):
                    result = None
                elif seen.rowcount:
                    # the day the separation takes effect is no longer worked
                    result = self._end(con, pid, leaving.effective_date - timedelta(days=1))
                else:
                    result = self._latest(con, pid).enrolment()
            if con.total_changes != before:
                self._audit(con, actor_id, action, "enrolment", f"{org}/{pid}", event_id=event.id)
            return result

    def receive_event(self, actor: Actor, event: events.CloudEvent) -> Enrolment | None:
        """Apply a personnel event (hired, transferred, separated) to the organisation it names."""
        try:
            org = _Leaving.model_validate(event.data).person.organization_credit_code
        except ValidationError as exc:
            raise from_validation_error(exc, model="CloudEvent.data") from None
        self._gate(actor, org, write=True)
        if actor.org is not None and not actor.has_role("attendance_clerk"):
            raise PermissionDenied(
                field="actor", actor=actor.id, transition="receive_event", roles=["attendance_clerk"]
            )
        return self._apply(actor.id, event)

    def processed_events(self, org: str) -> int:
        """How many personnel events about ``org`` this service has applied."""
        with self._write(org) as con:
            return int(con.execute("SELECT count(*) FROM processed_event").fetchone()[0])

    # -- shifts ------------------------------------------------------------------------------------

    def define_shift(self, actor: Actor, org: str, shift: Shift) -> Shift:
        """Store or replace a shift."""
        self._writer(actor, org, "define_shift")
        with self._write(org) as con:
            con.execute(
                "INSERT INTO shift (code, spec) VALUES (?, ?) "
                "ON CONFLICT (code) DO UPDATE SET spec = excluded.spec",
                (shift.code, shift.model_dump_json()),
            )
            self._audit(con, actor, "define_shift", "shift", f"{org}/{shift.code}")
        return shift

    def assign_shift(self, actor: Actor, org: str, assignment: ShiftAssignment) -> ShiftAssignment:
        """Give a shift to a unit or a person from ``valid_from``; the shift must exist."""
        self._writer(actor, org, "assign_shift")
        with self._write(org) as con:
            if con.execute("SELECT 1 FROM shift WHERE code = ?", (assignment.shift_code,)).fetchone() is None:
                raise NotFound(field="shift_code", kind="shift", got=assignment.shift_code)
            self._refuse_closed(con, [assignment.valid_from], "valid_from")
            con.execute(
                "INSERT INTO shift_assignment (shift_code, unit_code, person_id, valid_from, valid_to) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    assignment.shift_code,
                    assignment.unit_code,
                    assignment.person_id,
                    assignment.valid_from.isoformat(),
                    _iso(assignment.valid_to),
                ),
            )
            self._audit(con, actor, "assign_shift", "shift", f"{org}/{assignment.shift_code}")
        return assignment

    # -- punches -----------------------------------------------------------------------------------

    def _store(
        self, con: sqlite3.Connection, punches: Sequence[Punch], org: str, actor_id: str
    ) -> PunchImport:
        zone = ZoneInfo(self._settings(con).timezone)
        batch: dict[tuple[str, str, str], tuple[Punch, date]] = {}
        for p in punches:
            key = (p.person_id, _utc_text(p.punched_at), p.device)
            batch.setdefault(key, (p, p.punched_at.astimezone(zone).date()))
        self._refuse_closed(con, sorted({d for _, d in batch.values()}), "punched_at")
        spans: dict[str, list[_Span]] = {pid: self._spans(con, pid) for pid in {k[0] for k in batch}}
        kept: list[tuple[str, str, str, str]] = []
        aside: list[tuple[str, str, str]] = []
        for key, (p, day) in batch.items():
            if any(s.covers(day) for s in spans[key[0]]):
                kept.append((*key, p.source))
            else:
                aside.append(key)
        stored = max(
            con.executemany(
                "INSERT INTO punch (person_id, at_utc, device, source) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                kept,
            ).rowcount,
            0,
        )
        strangers: set[str] = set()
        strays = 0
        for key in aside:
            added = con.execute(
                "INSERT INTO stray_punch (person_id, at_utc, device) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                key,
            )
            if added.rowcount == 1:
                strangers.add(key[0])
                strays += 1
        if stored or strays:
            for person in sorted({k[0] for k in kept} | strangers):
                self._audit(
                    con, actor_id, "record_punches", "punches", f"{org}/{person}", received=len(punches)
                )
        return PunchImport(
            received=len(punches),
            stored=stored,
            duplicates=len(punches) - stored - strays,
            not_enrolled=tuple(sorted(strangers)),
            not_enrolled_punches=strays,
        )

    def record_punches(self, actor: Actor, org: str, punches: Sequence[Punch]) -> PunchImport:
        """Store punches, all or none; ones already stored count as duplicates.

        Punches of people not enrolled that day are kept aside and named in the result; a punch in
        a closed month refuses the whole batch (:class:`MonthLocked`).
        """
        self._writer(actor, org, "record_punches")
        with self._write(org) as con:
            return self._store(con, list(punches), org, actor.id)

    def import_punches(
        self, actor: Actor, org: str, data: str, format: Literal["csv", "json"] = "csv"
    ) -> PunchImport:
        """Import a device file: CSV ``person_id,punched_at[,device]`` or a JSON array of punches.

        A bad row refuses the whole file with an :class:`~govparts.core.errors.InvalidRecord` naming
        the row (1 = the first data row).
        """
        self._writer(actor, org, "import_punches")
        records: list[Any]
        if format == "csv":
            records = list(csv.DictReader(io.StringIO(data)))
        elif format == "json":
            try:
                records = json.loads(data)
            except json.JSONDecodeError as exc:
                raise InvalidInput(
                    N_("{field}: not valid JSON ({got})"), field="data", got=exc.msg, domain=DOMAIN
                ) from None
            if not isinstance(records, list):
                raise InvalidInput(
                    N_("{field}: expected a JSON array of punches"), field="data", domain=DOMAIN
                )
        else:
            raise InvalidInput(
                N_("{field}: {got} is not a punch file format; allowed: {allowed}"),
                field="format",
                got=str(format),
                allowed=["csv", "json"],
                domain=DOMAIN,
            )
        punches: list[Punch] = []
        for row, record in enumerate(records, start=1):
            fields = (
                {k: v for k, v in record.items() if k in ("person_id", "punched_at", "device") and v}
                if isinstance(record, dict)
                else record
            )
            try:
                punches.append(Punch.model_validate(fields))
            except ValidationError as exc:
                raise from_validation_error(exc, model="Punch", row=row) from None
        return self.record_punches(actor, org, punches)

    def unenrolled_punches(self, actor: Actor, org: str) -> list[Punch]:
        """The punches kept aside because their person was not enrolled that day."""
        self._gate(actor, org, write=False)
        with self._write(org) as con:
            rows = con.execute("SELECT person_id, at_utc, device FROM stray_punch ORDER BY person_id, at_utc")
            return [Punch(person_id=p, punched_at=datetime.fromisoformat(t), device=d) for p, t, d in rows]

    # -- computing results -------------------------------------------------------------------------

    def _compute(
        self, con: sqlite3.Connection, persons: Sequence[str] | None, start: date, end: date
    ) -> list[DailyResult]:
        """Results of ``persons`` (default: everyone enrolled), ``start`` to ``end``, by person and day."""
        query = (
            "SELECT id, person, unit, first_employment, start_date, end_date, person_id FROM enrolment "
            "WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?)"
        )
        args: list[Any] = [end.isoformat(), start.isoformat()]
        if persons is not None:
            query += f" AND person_id IN ({','.join('?' * len(persons))})"
            args += list(persons)
        spans: dict[str, list[_Span]] = defaultdict(list)
        for row in con.execute(query, args):
            spans[row[6]].append(_span(row))
        if not spans:
            return []
        people = sorted(spans)
        marks = ",".join("?" * len(people))
        closed = self._closed_months(con)
        frozen: dict[tuple[str, date], DailyResult] = {}
        if closed:
            for pid, day, data in con.execute(
                f"SELECT person_id, day, data FROM closed_result WHERE person_id IN ({marks}) "
                "AND day BETWEEN ? AND ?",
                (*people, start.isoformat(), end.isoformat()),
            ):
                frozen[(pid, date.fromisoformat(day))] = DailyResult.model_validate_json(data)
        open_days = [d for d in _dates(start, end) if not _in_closed(d, closed)]
        kinds: dict[date, DayKind] = {}
        classes: dict[date, str] = {}
        if open_days:
            settings = self._settings(con)
            calendar = self._calendar_of(settings)
            for info in calendar.days(open_days[0], open_days[-1]):
                kinds[info.date] = info.kind
                classes[info.date] = rules.overtime_class_of(info, settings.regional_festival_overtime)
            zone = ZoneInfo(settings.timezone)
            plan_of = self._planner(con)
            punches = self._punch_minutes(con, people, open_days[0], open_days[-1], zone)
            away = self._away(con, people, open_days[0], open_days[-1])
        results: list[DailyResult] = []
        for pid in people:
            for day in _dates(start, end):
                span = next((s for s in spans[pid] if s.covers(day)), None)
                if span is None:
                    continue
                if day not in kinds:
                    found = frozen.get((pid, day))
                    if found is not None:
                        results.append(found)
                    continue
                kind = kinds[day]
                absence = away.get((pid, day))
                if absence is not None and not absence[2] and not kind.is_workday:
                    absence = None
                judged = rules.judge_day(
                    day,
                    kind,
                    plan_of(pid, span.unit.unit_code, day),
                    punches.get(pid, ()),
                    absence[:2] if absence else None,
                    off_kind=classes[day],
                )
                results.append(judged.as_result(pid, day, span.unit.unit_code, kind))
        return results

    def _planner(self, con: sqlite3.Connection) -> Callable[[str, str, date], rules.Workplan | None]:
        """Which shift a person works on a day: their own assignment first, then their unit's."""
        shifts = {
            code: Shift.model_validate_json(spec)
            for code, spec in con.execute("SELECT code, spec FROM shift")
        }
        mine: dict[str, list[tuple[date, date | None, str]]] = defaultdict(list)
        units: dict[str, list[tuple[date, date | None, str]]] = defaultdict(list)
        for code, unit, person, valid_from, valid_to in con.execute(
            "SELECT shift_code, unit_code, person_id, valid_from, valid_to FROM shift_assignment ORDER BY id"
        ):
            entry = (date.fromisoformat(valid_from), _day(valid_to), code)
            (mine[person] if person is not None else units[unit]).append(entry)
        for table in (mine, units):
            for entries in table.values():
                entries.sort(key=lambda e: e[0], reverse=True)
        laid: dict[tuple[str, date], rules.Workplan] = {}

        def pick(entries: list[tuple[date, date | None, str]], day: date) -> str | None:
            return next((c for lo, hi, c in entries if lo <= day and (hi is None or day <= hi)), None)

        def plan(person_id: str, unit_code: str, day: date) -> rules.Workplan | None:
            code = pick(mine.get(person_id, []), day) or pick(units.get(unit_code, []), day)
            if code is None:
                return None
            if (code, day) not in laid:
                laid[(code, day)] = rules.lay_shift(shifts[code], day)
            return laid[(code, day)]

        return plan

    @staticmethod
    def _punch_minutes(
        con: sqlite3.Connection, people: Sequence[str], start: date, end: date, zone: ZoneInfo
    ) -> dict[str, list[int]]:
        """Punches from the day before ``start`` to the day after ``end`` (duty shifts cross midnight)."""
        lo = datetime.combine(start - timedelta(days=1), time(0), zone)
        hi = datetime.combine(end + timedelta(days=2), time(0), zone)
        found: dict[str, list[int]] = defaultdict(list)
        rows = con.execute(
            f"SELECT person_id, at_utc FROM punch WHERE person_id IN ({','.join('?' * len(people))}) "
            "AND at_utc >= ? AND at_utc < ? ORDER BY person_id, at_utc",
            (*people, _utc_text(lo), _utc_text(hi)),
        )
        for pid, at in rows:
            found[pid].append(rules.minutes(datetime.fromisoformat(at), zone))
        return found

    @staticmethod
    def _away(
        con: sqlite3.Connection, people: Sequence[str], start: date, end: date
    ) -> dict[tuple[str, date], tuple[str, str | None, bool]]:
        """Approved leave and trips by (person, day): status, leave type, counts on days off too."""
        found: dict[tuple[str, date], tuple[str, str | None, bool]] = {}
        rows = con.execute(
            f"SELECT person_id, kind, leave_type, start_date, end_date FROM request "
            f"WHERE person_id IN ({','.join('?' * len(people))}) AND state = 'approved' "
            "AND kind != 'punch_correction' AND start_date <= ? AND end_date >= ? ORDER BY id",
            (*people, end.isoformat(), start.isoformat()),
        )
        for pid, kind, leave_type, lo, hi in rows:
            if kind == "leave":
                entry = ("leave", leave_type, rules.LEAVE_TYPE_RULES[leave_type].calendar_days)
            else:
                entry = (kind, None, False)
            for day in _dates(max(date.fromisoformat(lo), start), min(date.fromisoformat(hi), end)):
                found[(pid, day)] = entry
        return found

    def daily_results(
        self, actor: Actor, org: str, person_id: str, start: date, end: date
    ) -> list[DailyResult]:
        """The person's results from ``start`` to ``end`` (days enrolled only), in day order."""
        self._gate(actor, org, write=False)
        if end < start:
            raise InvalidInput(
                N_("{field}: ends {got}, before it starts"), field="end", got=end.isoformat(), domain=DOMAIN
            )
        with self._write(org) as con:
            self._latest(con, person_id)
            return self._compute(con, [person_id], start, end)

    def month_summary(self, actor: Actor, org: str, person_id: str, year: int, month: int) -> MonthSummary:
        """The person's month (月度考勤汇总); NotFound naming ``person_id`` when never enrolled."""
        self._gate(actor, org, write=False)
        start, end = _month_bounds(year, month)
        with self._write(org) as con:
            latest = self._latest(con, person_id)
            found, _ = rules.summarise(self._compute(con, [person_id], start, end), year, month)
            found = self._with_moves(con, found, year, month)
        if found:
            return found[0]
        return MonthSummary(
            person_id=person_id,
            unit_code=latest.unit.unit_code,
            year=year,
            month=month,
            days_due=0,
            days_present=Decimal(0),
            late_count=0,
            late_minutes=0,
            early_count=0,
            early_minutes=0,
            missing_punches=0,
            absent_days=Decimal(0),
        )

    def month_summaries(self, actor: Actor, org: str, year: int, month: int) -> list[MonthSummary]:
        """Every enrolled person's month, by person id."""
        self._gate(actor, org, write=False)
        start, end = _month_bounds(year, month)
        with self._write(org) as con:
            return self._with_moves(
                con, rules.summarise(self._compute(con, None, start, end), year, month)[0], year, month
            )

    def unit_summary(self, actor: Actor, org: str, unit_code: str, year: int, month: int) -> UnitMonthSummary:
        """The unit's month: the days its people spent in it."""
        self._gate(actor, org, write=False)
        start, end = _month_bounds(year, month)
        with self._write(org) as con:
            members = [
                row[0]
                for row in con.execute(
                    "SELECT DISTINCT person_id FROM enrolment WHERE unit_code = ? AND start_date <= ? "
                    "AND (end_date IS NULL OR end_date >= ?)",
                    (unit_code, end.isoformat(), start.isoformat()),
                )
            ]
            units = (
                rules.summarise(self._compute(con, members, start, end), year, month)[1] if members else []
            )
        found = next((u for u in units if u.unit_code == unit_code), None)
        if found is None:
            raise NotFound(field="unit_code", kind="unit with attendance", got=unit_code)
        return found

    # -- requests ----------------------------------------------------------------------------------

    def _require_enrolled(self, con: sqlite3.Connection, person_id: str, start: date, end: date) -> None:
        spans = self._spans(con, person_id)
        if not spans:
            raise NotFound(field="person_id", kind="enrolment", got=person_id)
        for day in _dates(start, end):
            if not any(s.covers(day) for s in spans):
                raise InvalidInput(
                    N_("{field}: {got} is not enrolled on {day}"),
                    field="person_id",
                    got=person_id,
                    day=day.isoformat(),
                    domain=DOMAIN,
                )

    @staticmethod
    def _no_overlap(con: sqlite3.Connection, person_id: str, start: date, end: date) -> None:
        clash = con.execute(
            "SELECT id, start_date, end_date FROM request WHERE person_id = ? AND kind != 'punch_correction' "
            "AND state IN (?, ?, ?) AND start_date <= ? AND end_date >= ? ORDER BY id LIMIT 1",
            (person_id, *_ACTIVE, end.isoformat(), start.isoformat()),
        ).fetchone()
        if clash is not None:
            raise GuardFailed(
                N_("{field}: overlaps request {got} ({start} to {end})"),
                field="start_date",
                guard="no_overlap",
                got=str(clash[0]),
                start=clash[1],
                end=clash[2],
                domain=DOMAIN,
            )

    @staticmethod
    def _submit(actor: Actor) -> None:
        if not actor.has_role("employee", "attendance_clerk"):
            raise PermissionDenied(
                field="actor", actor=actor.id, transition="submit", roles=["employee", "attendance_clerk"]
            )

    def _insert(self, con: sqlite3.Connection, actor: Actor, **values: Any) -> Request:
        self._submit(actor)
        levels = 2 if self._settings(con).two_level_approval else 1
        row = {
            "state": "submitted",
            "leave_type": None,
            "days": 0,
            "punched_at": None,
            "reason": "",
            **values,
            "levels": levels,
            "submitted_by": actor.id,
        }
        cur = con.execute(
            f"INSERT INTO request ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            [v.isoformat() if isinstance(v, date) else v for v in row.values()],
        )
        assert cur.lastrowid is not None
        self._audit(con, actor, "submit", _ENTITY[row["kind"]], str(cur.lastrowid))
        return self._request(con, str(cur.lastrowid))

    def _used(
        self, con: sqlite3.Connection, person_id: str, leave_type: str, year: int
    ) -> tuple[int, int, int]:
        """Days approved, days pending, and calendar days covered by approved leave of a type in ``year``."""
        taken = pending = covered = 0
        for state, days, lo, hi in con.execute(
            "SELECT state, days, start_date, end_date FROM request WHERE person_id = ? AND kind = 'leave' "
            "AND leave_type = ? AND state IN (?, ?, ?) AND start_date <= ? AND end_date >= ?",
            (person_id, leave_type, *_ACTIVE, f"{year:04d}-12-31", f"{year:04d}-01-01"),
        ):
            if state == "approved":
                taken += days
                covered += (date.fromisoformat(hi) - date.fromisoformat(lo)).days + 1
            else:
                pending += days
        return taken, pending, covered

    def _balance(
        self, con: sqlite3.Connection, person_id: str, year: int, leave_type: str, on: date
    ) -> LeaveBalance:
        rule = _leave_rule(leave_type)
        first = self._latest(con, person_id).first_employment
        taken, pending, _ = self._used(con, person_id, leave_type, year)
        if leave_type != "annual":
            return LeaveBalance(
                person_id=person_id,
                year=year,
                leave_type=leave_type,
                entitled=None,
                taken=taken,
                pending=pending,
                remaining=None,
                source=rule.source,
            )
        _, _, sick = self._used(con, person_id, "sick", year)
        personal, _, _ = self._used(con, person_id, "personal", year)
        cancelled = on >= first and rules.annual_leave_is_cancelled(
            first, on, sick_calendar_days=sick, personal_days=personal
        )
        entitled = 0 if cancelled else rules.annual_entitlement(first, on)
        return LeaveBalance(
            person_id=person_id,
            year=year,
            leave_type="annual",
            entitled=entitled,
            taken=taken,
            pending=pending,
            remaining=entitled - taken - pending,
            cancelled=cancelled,
            source="职工带薪年休假条例（国务院令第514号）第四条" if cancelled else rule.source,
        )

    def leave_balance(
        self,
        actor: Actor,
        org: str,
        person_id: str,
        year: int,
        *,
        leave_type: str = "annual",
        on: date | None = None,
    ) -> LeaveBalance:
        """The person's ``leave_type`` leave in ``year`` (annual entitlement as on ``on``, default 31 Dec)."""
        self._gate(actor, org, write=False)
        with self._write(org) as con:
            return self._balance(con, person_id, year, leave_type, on or date(year, 12, 31))

    # -- compensatory rest (调休假) -------------------------------------------------------------------

    @staticmethod
    def _rest_inputs(
        con: sqlite3.Connection, person_id: str, day_minutes: int
    ) -> tuple[list[tuple[date, int, date]], list[tuple[date, int]], list[tuple[date, int]]]:
        """The person's credits, approved debits and pending debits (minutes on the leave's first day)."""
        credits = [
            (date.fromisoformat(w), m, date.fromisoformat(last))
            for w, m, last in con.execute(
                "SELECT worked, minutes, last_day FROM rest_credit WHERE person_id = ?", (person_id,)
            )
        ]
        approved: list[tuple[date, int]] = []
        pending: list[tuple[date, int]] = []
        for state, start, days in con.execute(
            "SELECT state, start_date, days FROM request WHERE person_id = ? AND kind = 'leave' "
            "AND leave_type = 'compensatory_rest' AND state IN (?, ?, ?)",
            (person_id, *_ACTIVE),
        ):
            (approved if state == "approved" else pending).append(
                (date.fromisoformat(start), days * day_minutes)
            )
        return credits, approved, pending

    def _rest(self, con: sqlite3.Connection, person_id: str, on: date) -> CompensatoryRest:
        credits, approved, pending = self._rest_inputs(
            con, person_id, self._settings(con).compensatory_rest_day_minutes
        )
        kept = rules.rest_balance(credits, approved, on)
        held = rules.rest_balance(credits, approved + pending, on)
        return CompensatoryRest(
            person_id=person_id,
            on=on,
            credited_minutes=kept.credited,
            taken_minutes=kept.taken,
            pending_minutes=held.taken - kept.taken,
            expired_minutes=kept.expired,
            remaining_minutes=kept.left,
            available_minutes=held.left,
            next_expiry=kept.next_expiry,
            expiring_minutes=kept.expiring,
        )

    def compensatory_rest(self, actor: Actor, org: str, person_id: str, on: date) -> CompensatoryRest:
        """The person's compensatory rest on ``on``."""
        self._gate(actor, org, write=False)
        with self._write(org) as con:
            self._latest(con, person_id)
            return self._rest(con, person_id, on)

    def grant_compensatory_rest(self, actor: Actor, org: str, person_id: str, day: date) -> CompensatoryRest:
        """Credit the rest-day overtime of ``day`` as time off (劳动法 Art. 44 (2)); statutory-holiday
        overtime is paid (Art. 44 (3)) unless the organisation allows it; once a day; open months only."""
        self._writer(actor, org, "grant_compensatory_rest", "approver")
        with self._write(org) as con:
            self._latest(con, person_id)
            self._refuse_closed(con, [day], "day")
            settings = self._settings(con)
            found = self._compute(con, [person_id], day, day)
            kind = found[0].overtime_kind.value if found and found[0].overtime_kind else None
            minutes = found[0].overtime_minutes if found else 0
            if kind == "statutory_holiday" and not settings.statutory_overtime_as_time_off:
                raise GuardFailed(
                    N_("{field}: statutory-holiday overtime on {got} is paid, not taken as rest ({source})"),
                    field="day",
                    guard="statutory_overtime_paid",
                    got=day.isoformat(),
                    source="中华人民共和国劳动法 第四十四条第（三）项",
                    domain=DOMAIN,
                )
            if kind not in ("rest_day", "statutory_holiday") or not minutes:
                raise GuardFailed(
                    N_("{field}: no rest-day overtime on {got} to take as time off"),
                    field="day",
                    guard="rest_day_overtime",
                    got=day.isoformat(),
                    domain=DOMAIN,
                )
            try:
                con.execute(
                    "INSERT INTO rest_credit (person_id, worked, minutes, kind, last_day, granted_by) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        person_id,
                        day.isoformat(),
                        minutes,
                        kind,
                        (day + timedelta(days=settings.compensatory_rest_valid_days)).isoformat(),
                        actor.id,
                    ),
                )
            except sqlite3.IntegrityError:
                raise GuardFailed(
                    N_("{field}: the overtime of {got} is already credited as time off"),
                    field="day",
                    guard="credited_once",
                    got=day.isoformat(),
                    domain=DOMAIN,
                ) from None
            self._audit(
                con,
                actor,
                "grant_compensatory_rest",
                "compensatory_rest",
                f"{org}/{person_id}",
                day=day,
                minutes=minutes,
            )
            return self._rest(con, person_id, day)

    def _with_moves(
        self, con: sqlite3.Connection, people: Sequence[MonthSummary], year: int, month: int
    ) -> list[MonthSummary]:
        """The summaries with each person's compensatory rest moves of the month."""
        first, last = _month_bounds(year, month)
        day_minutes = self._settings(con).compensatory_rest_day_minutes
        out = []
        for summary in people:
            credits, approved, _ = self._rest_inputs(con, summary.person_id, day_minutes)
            before = rules.rest_balance(credits, approved, first - timedelta(days=1))
            after = rules.rest_balance(credits, approved, last)
            out.append(
                summary.model_copy(
                    update={
                        "compensatory_rest_opening_minutes": before.left,
                        "compensatory_rest_credited_minutes": after.credited - before.credited,
                        "compensatory_rest_taken_minutes": after.taken - before.taken,
                        "compensatory_rest_expired_minutes": after.expired - before.expired,
                        "compensatory_rest_closing_minutes": after.left,
                    }
                )
            )
        return out

    def request_leave(self, actor: Actor, org: str, request: LeaveRequestIn) -> Request:
        """Submit leave; refused when it overlaps another request, exceeds its cap or the balance."""
        self._gate(actor, org, write=True)
        rule = _leave_rule(request.leave_type)
        start, end = request.start_date, request.end_date
        if end < start:
            raise InvalidInput(
                N_("{field}: the leave ends {got}, before it starts {start}"),
                field="end_date",
                got=end.isoformat(),
                start=start.isoformat(),
                domain=DOMAIN,
            )
        with self._write(org) as con:
            settings = self._settings(con)
            days = self._count("leave", request.leave_type, start, end, self._calendar_of(settings))
            if days == 0:
                raise InvalidInput(
                    N_("{field}: no working day from {start} to {got}"),
                    field="end_date",
                    start=start.isoformat(),
                    got=end.isoformat(),
                    domain=DOMAIN,
                )
            limit = rule.max_days
            if request.leave_type == "maternity":
                limit = rules.maternity_limit(
                    settings.region, difficult_birth=request.difficult_birth, babies=request.babies
                )
            if limit is not None and days > limit:
                raise GuardFailed(
                    N_("{field}: {got} days exceed the {limit} days allowed ({source})"),
                    field="end_date",
                    guard="leave_limit",
                    got=days,
                    limit=limit,
                    source=rule.source,
                    domain=DOMAIN,
                )
            if request.leave_type == "annual" and end.year != start.year:
                raise InvalidInput(
                    N_("{field}: annual leave is taken within one year; split it at the year end"),
                    field="end_date",
                    domain=DOMAIN,
                )
            self._refuse_closed(con, [start, end], "start_date")
            self._require_enrolled(con, request.person_id, start, end)
            self._no_overlap(con, request.person_id, start, end)
            if request.leave_type == "annual":
                balance = self._balance(con, request.person_id, start.year, "annual", start)
                if balance.remaining is None or days > balance.remaining:
                    raise GuardFailed(
                        N_("{field}: {got} days asked, {remaining} days of annual leave left in {year}"),
                        field="days",
                        guard="leave_balance",
                        got=days,
                        remaining=balance.remaining or 0,
                        year=start.year,
                        domain=DOMAIN,
                    )
            if request.leave_type == "compensatory_rest":
                per_day = settings.compensatory_rest_day_minutes
                credits, approved, pending = self._rest_inputs(con, request.person_id, per_day)
                asked = days * per_day
                after = rules.rest_balance(credits, [*approved, *pending, (start, asked)], date.max)
                if after.short > 0:
                    raise GuardFailed(
                        N_(
                            "{field}: {got} minutes of compensatory rest asked, {available} available on {day}"  # noqa: E501 - the catalogue's message id
                        ),
                        field="days",
                        guard="compensatory_rest_balance",
                        got=asked,
                        available=max(0, rules.rest_balance(credits, approved + pending, start).left),
                        day=start.isoformat(),
                        domain=DOMAIN,
                    )
            return self._insert(
                con,
                actor,
                kind="leave",
                person_id=request.person_id,
                leave_type=request.leave_type,
                start_date=start,
                end_date=end,
                days=days,
                reason=request.reason,
            )

    def request_trip(self, actor: Actor, org: str, trip: TripRequestIn) -> Request:
        """Submit a business trip (出差) or an official outing (公出); refused when it overlaps a request."""
        self._gate(actor, org, write=True)
        if trip.end_date < trip.start_date:
            raise InvalidInput(
                N_("{field}: ends {got}, before it starts"),
                field="end_date",
                got=trip.end_date.isoformat(),
                domain=DOMAIN,
            )
        with self._write(org) as con:
            self._refuse_closed(con, [trip.start_date, trip.end_date], "start_date")
            self._require_enrolled(con, trip.person_id, trip.start_date, trip.end_date)
            self._no_overlap(con, trip.person_id, trip.start_date, trip.end_date)
            calendar = self._calendar_of(self._settings(con))
            return self._insert(
                con,
                actor,
                kind=trip.kind,
                person_id=trip.person_id,
                start_date=trip.start_date,
                end_date=trip.end_date,
                days=calendar.workdays_between(trip.start_date, trip.end_date),
                reason=f"{trip.destination} {trip.reason}".strip(),
            )

    def request_correction(self, actor: Actor, org: str, correction: PunchCorrectionIn) -> Request:
        """Submit a punch correction (补卡); at most ``corrections_per_month`` a person a month."""
        self._gate(actor, org, write=True)
        with self._write(org) as con:
            settings = self._settings(con)
            day = correction.punched_at.astimezone(ZoneInfo(settings.timezone)).date()
            first, last = _month_bounds(day.year, day.month)
            self._refuse_closed(con, [day], "punched_at")
            self._require_enrolled(con, correction.person_id, day, day)
            used = con.execute(
                "SELECT count(*) FROM request WHERE person_id = ? AND kind = 'punch_correction' "
                "AND state IN (?, ?, ?) AND start_date BETWEEN ? AND ?",
                (correction.person_id, *_ACTIVE, first.isoformat(), last.isoformat()),
            ).fetchone()[0]
            if used >= settings.corrections_per_month:
                raise GuardFailed(
                    N_("{field}: {got} corrections already in {month}; at most {limit} a month"),
                    field="punched_at",
                    guard="corrections_per_month",
                    got=used,
                    month=f"{first:%Y-%m}",
                    limit=settings.corrections_per_month,
                    domain=DOMAIN,
                )
            return self._insert(
                con,
                actor,
                kind="punch_correction",
                person_id=correction.person_id,
                start_date=day,
                end_date=day,
                punched_at=_utc_text(correction.punched_at),
                reason=correction.reason,
            )

    def _row(self, con: sqlite3.Connection, request_id: str) -> sqlite3.Row:
        try:
            key = int(request_id)
        except (TypeError, ValueError):
            raise NotFound(field="request_id", kind="request", got=str(request_id)) from None
        cursor = con.cursor()
        cursor.row_factory = sqlite3.Row
        row: sqlite3.Row | None = cursor.execute("SELECT * FROM request WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise NotFound(field="request_id", kind="request", got=str(request_id))
        return row

    def _request(self, con: sqlite3.Connection, request_id: str) -> Request:
        row = self._row(con, request_id)
        return Request(
            id=str(row["id"]),
            kind=row["kind"],
            person_id=row["person_id"],
            state=row["state"],
            leave_type=row["leave_type"],
            start_date=_day(row["start_date"]),
            end_date=_day(row["end_date"]),
            days=row["days"],
            punched_at=datetime.fromisoformat(row["punched_at"]) if row["punched_at"] else None,
            reason=row["reason"],
            note=row["note"],
        )

    def get_request(self, actor: Actor, org: str, request_id: str) -> Request:
        """A request by id; NotFound naming ``request_id`` when there is none."""
        self._gate(actor, org, write=False)
        with self._write(org) as con:
            return self._request(con, request_id)

    def _move(self, org: str, request_id: str, actor: Actor, transition: str, note: str = "") -> Request:
        """Fire ``approve``, ``reject`` or ``cancel`` on a request (the approval process of §7.4)."""
        self._gate(actor, org, write=True)
        with self._write(org) as con:
            row = self._row(con, request_id)
            state = row["state"]
            sources = {"approve": ("submitted", "first_approved"), "reject": ("submitted", "first_approved")}
            allowed = sources.get(transition, _ACTIVE)
            if state not in allowed:
                raise TransitionNotAllowed(
                    field="state", transition=transition, state=state, allowed=_allowed_in(state)
                )
            roles = ["approver"] if transition != "cancel" else ["employee", "approver", "attendance_clerk"]
            if not actor.has_role(*roles):
                raise PermissionDenied(field="actor", actor=actor.id, transition=transition, roles=roles)
            if transition == "approve" and actor.id in (row["submitted_by"], row["first_approved_by"]):
                # separation of duties: the submitter and the first approver do not give the final word
                raise PermissionDenied(
                    N_("{field}: {actor} may not {transition}; it needs one of the roles {roles}"),
                    field="actor",
                    actor=actor.id,
                    transition=transition,
                    roles=roles,
                )
            lo, hi = date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"])
            if transition != "reject":
                self._refuse_closed(
                    con, [lo, hi], "punched_at" if row["kind"] == "punch_correction" else "start_date"
                )
            entity = _ENTITY[row["kind"]]
            if transition == "approve" and row["levels"] == 2 and state == "submitted":
                con.execute(
                    "UPDATE request SET state = 'first_approved', first_approved_by = ? WHERE id = ?",
                    (actor.id, row["id"]),
                )
                self._audit(con, actor, "approve_first", entity, str(row["id"]), state="first_approved")
            else:
                target = {"approve": "approved", "reject": "rejected", "cancel": "cancelled"}[transition]
                con.execute(
                    "UPDATE request SET state = ?, note = CASE WHEN ? != '' THEN ? ELSE note END "
                    "WHERE id = ?",
                    (target, note, note, row["id"]),
                )
                self._audit(con, actor, transition, entity, str(row["id"]), state=target)
                if target == "approved" and row["kind"] == "leave":
                    self._publish(
                        con,
                        LEAVE_APPROVED.envelope(
                            {
                                "process": "attendance.leave_request",
                                "process_version": "1.0",
                                "entity": "leave_request",
                                "entity_id": str(row["id"]),
                                "transition": "approve",
                                "from_state": state,
                                "to_state": "approved",
                                "version": 1,
                                "actor_id": actor.id,
                                "actor_unit": actor.unit,
                                "inputs": {},
                            },
                            subject=f"leave_request/{row['id']}",
                            source=f"/{VENDOR}/{org}",
                        ),
                    )
                if target == "approved" and row["kind"] == "punch_correction":
                    self._store(
                        con,
                        [
                            Punch(
                                person_id=row["person_id"],
                                punched_at=datetime.fromisoformat(row["punched_at"]),
                                device="correction",
                                source="correction",
                            )
                        ],
                        org,
                        actor.id,
                    )
            return self._request(con, str(row["id"]))

    def approve(self, actor: Actor, org: str, request_id: str) -> Request:
        """Approve (the first level first where two levels are configured); results follow at once."""
        return self._move(org, request_id, actor, "approve")

    def reject(self, actor: Actor, org: str, request_id: str, *, note: str = "") -> Request:
        """Reject with a note."""
        return self._move(org, request_id, actor, "reject", note)

    def cancel(self, actor: Actor, org: str, request_id: str) -> Request:
        """Withdraw a request; an approved one stops counting at once (not in a closed month)."""
        return self._move(org, request_id, actor, "cancel")

    # -- month close -------------------------------------------------------------------------------

    def close_month(self, actor: Actor, org: str, year: int, month: int) -> MonthClosed:
        """Close the month (月结): its results become final and its summaries are returned.

        The returned :class:`MonthClosed` is the payload of ``cn.govparts.attendance.month.closed.v1``;
        publishing it is the caller's business (this service has no outbox of its own).
        """
        self._writer(actor, org, "close_month")
        start, end = _month_bounds(year, month)
        key = f"{year:04d}-{month:02d}"
        with self._write(org) as con:
            if key in self._closed_months(con):
                raise MonthLocked(field="month", month=key, domain=DOMAIN)
            results = self._compute(con, None, start, end)
            people, units = rules.summarise(results, year, month)
            people = self._with_moves(con, people, year, month)
            closed = MonthClosed(
                org=org,
                year=year,
                month=month,
                closed_at=datetime.now(UTC),
                closed_by=actor.id,
                people=len(people),
                units=tuple(units),
                summaries=tuple(people),
            )
            con.executemany(
                "INSERT INTO closed_result (person_id, day, data) VALUES (?, ?, ?)",
                [(r.person_id, r.day.isoformat(), r.model_dump_json()) for r in results],
            )
            con.execute(
                "INSERT INTO closed_month (key, payload) VALUES (?, ?)", (key, closed.model_dump_json())
            )
            self._audit(con, actor, "close", "attendance_month", f"{org}/{key}", people=len(people))
            self._publish(
                con,
                MONTH_CLOSED.envelope(
                    closed, subject=f"attendance_month/{org}/{key}", source=f"/{VENDOR}/{org}"
                ),
            )
            return closed

    # -- observability -------------------------------------------------------------------------------

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        """The records of this organisation's audit log about one thing, oldest first."""
        self._gate(actor, org, write=False)
        if entity not in _AUDITED:
            raise InvalidInput(
                N_("{field}: {got} is not an audited entity; allowed: {allowed}"),
                field="entity",
                got=str(entity),
                allowed=sorted(_AUDITED),
                domain=DOMAIN,
            )
        with self._write(org) as con:
            if entity in ("attendance_settings", "attendance"):
                mine = entity_id == org
            elif entity in _ENTITY.values():
                mine = (
                    entity_id.isdigit()
                    and con.execute("SELECT 1 FROM request WHERE id = ?", (int(entity_id),)).fetchone()
                    is not None
                )
            else:
                mine = entity_id.startswith(f"{org}/")
            if not mine:
                raise NotFound(field="entity_id", kind=entity, got=str(entity_id))
            rows = con.execute(
                "SELECT seq, recorded_at, actor_id, action, entity, entity_id, details FROM audit_log "
                "WHERE entity = ? AND entity_id = ? ORDER BY seq",
                (entity, entity_id),
            ).fetchall()
        return [
            TrailEntry(
                seq=r[0],
                recorded_at=datetime.fromisoformat(r[1]),
                actor_id=r[2],
                action=r[3],
                entity=r[4],
                entity_id=r[5],
                details=json.loads(r[6]) if r[6] else None,
            )
            for r in rows
        ]

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[events.CloudEvent]:
        """The events this organisation's attendance published, in publication order."""
        self._gate(actor, org, write=False)
        with self._write(org) as con:
            rows = con.execute("SELECT envelope FROM published_event ORDER BY position").fetchall()
        found = [events.CloudEvent.model_validate_json(r[0]) for r in rows]
        return [e for e in found if type is None or e.type == type]


_ENTITY = {
    "leave": "leave_request",
    "business_trip": "business_trip",
    "official_outing": "business_trip",
    "punch_correction": "punch_correction",
}
_AUDITED = {
    "attendance_settings",
    "enrolment",
    "shift",
    "punches",
    "compensatory_rest",
    "leave_request",
    "business_trip",
    "punch_correction",
    "attendance_month",
    "attendance",
}


def _in_closed(day: date, closed: set[str]) -> bool:
    return f"{day.year:04d}-{day.month:02d}" in closed


def _span(row: Sequence[Any]) -> _Span:
    return _Span(
        id=row[0],
        person=PersonRef.model_validate_json(row[1]),
        unit=OrgUnitRef.model_validate_json(row[2]),
        first_employment=date.fromisoformat(row[3]),
        start=date.fromisoformat(row[4]),
        end=_day(row[5]),
    )


def _leave_rule(leave_type: str) -> rules.LeaveTypeRule:
    try:
        return rules.LEAVE_TYPE_RULES[leave_type]
    except KeyError:
        raise UnknownCode(
            N_("{field}: {got} is not a leave type; allowed: {allowed}"),
            field="leave_type",
            got=str(leave_type),
            allowed=list(rules.LEAVE_TYPE_RULES),
            domain=DOMAIN,
        ) from None


def _allowed_in(state: str) -> list[str]:
    if state in ("submitted", "first_approved"):
        return ["approve", "reject", "cancel"]
    return ["cancel"] if state == "approved" else []


@contextmanager
def vendor_factory() -> Iterator[SqliteAttendanceService]:
    """A fresh service on its own SQLite file in a temporary directory (the conformance factory)."""
    with tempfile.TemporaryDirectory(prefix="vendor-attendance-") as tmp:
        service = SqliteAttendanceService(Path(tmp) / "attendance.db")
        try:
            yield service
        finally:
            service.close()
