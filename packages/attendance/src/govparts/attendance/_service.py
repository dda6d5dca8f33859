"""The ``AttendanceService`` protocol and its SQLModel-backed reference implementation.

The protocol speaks only published models (:mod:`._models`), core references and core's
``Actor``, so another vendor can implement it on any storage and run the conformance suite.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from govparts.conformance import Capabilities
from govparts.core import audit, events
from govparts.core.audit import TrailEntry
from govparts.core.calendar import (
    DayOverride,
    HolidayName,
    OrgOverrides,
    WorkCalendar,
    calendar_for,
    org_overrides,
)
from govparts.core.db import create_engine, metadata, session_scope
from govparts.core.errors import (
    GuardFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    from_validation_error,
)
from govparts.core.i18n import N_
from govparts.core.process import ProcessEngine, TransitionContext
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor, check_org
from govparts.core.text import check_text

from ._compute import compute_results, rest_ledger_inputs, result_from_row, summaries
from ._errors import MonthLocked
from ._i18n import DOMAIN
from ._leave_rules import (
    annual_leave_cancelled,
    annual_leave_days,
    count_leave_days,
    leave_rules,
    leave_type_rule,
    maternity_leave_days,
)
from ._models import (
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
from ._overtime_rules import compensatory_rest_ledger, credit_expires
from ._processes import BUSINESS_TRIP, LEAVE_REQUEST, MONTH_CLOSE, PUNCH_CORRECTION
from ._protocol import APPROVER_ROLE, AUDITED_ENTITIES, CLERK_ROLE, EMPLOYEE_ROLE, AttendanceService
from ._tables import (
    ASSIGNMENT,
    COMP_REST,
    ENROLMENT,
    MONTH,
    PUNCH,
    REQUEST,
    RESULT,
    SETTINGS,
    SHIFT,
    UNENROLLED,
    AttendanceMonth,
    AttendanceRequest,
)
from .events import (
    EMPLOYEE_HIRED,
    EMPLOYEE_SEPARATED,
    EMPLOYEE_TRANSFERRED,
    LEAVE_APPROVED,
    MONTH_CLOSED,
    HiredAsRead,
    SeparatedAsRead,
    TransferredAsRead,
)

__all__ = ["FEATURES", "AttendanceService", "ReferenceService", "org_calendar", "reference_factory"]

PART_VERSION = "1.0"
FEATURES: frozenset[str] = frozenset()
_ACTIVE = ("submitted", "first_approved", "approved")


def org_calendar(settings: OrgSettings, org: str = "attendance") -> WorkCalendar:
    """The organisation's working-day calendar: nation, ``settings.region`` and its own overrides.

    The three levels of :mod:`govparts.core.calendar` (issue 5): each ``calendar_overrides``
    entry decides its day over the region's and the nation's arrangement, citing its document.
    The calendar is shared with every caller asking for the same region and overrides.
    """
    return calendar_for(settings.region, _overrides_of(settings, org))


def _overrides_of(settings: OrgSettings, org: str) -> OrgOverrides | None:
    if not settings.calendar_overrides:
        return None
    return org_overrides(
        org,
        [
            DayOverride(
                entry.date,
                entry.kind,
                entry.source_doc,
                HolidayName(entry.name, entry.name_en or entry.name, entry.name_ug or entry.name),
            )
            for entry in settings.calendar_overrides
        ],
    )


def _changed_days(old: OrgSettings, new: OrgSettings) -> list[date]:
    """The days whose organisation override was added, removed or changed from ``old`` to ``new``."""
    before = {entry.date: entry for entry in old.calendar_overrides}
    after = {entry.date: entry for entry in new.calendar_overrides}
    return sorted(day for day in before.keys() | after.keys() if before.get(day) != after.get(day))


def _month_range(year: int, month: int) -> tuple[date, date]:
    if not (isinstance(month, int) and 1 <= month <= 12):
        raise InvalidInput(
            N_("{field}: a month is 1 to 12, got {got}"), field="month", got=str(month), domain=DOMAIN
        )
    first = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _insert_ignoring_duplicates(conn: sa.Connection, table: sa.Table) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING``: a concurrent import of the same punches adds them once."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing()
    return sa.insert(table)


def _final_level(entity: Any, inputs: Any, actor: Actor) -> str | None:
    if entity.levels == 2 and entity.state != "first_approved":
        return "the first level has not approved yet"
    return None


def _two_levels(entity: Any, inputs: Any, actor: Actor) -> str | None:
    return None if entity.levels == 2 else "this organisation approves in one level"


_GUARDS = {"final_level": _final_level, "two_levels": _two_levels}

SYSTEM = Actor(id="attendance-system", name="考勤系统", roles=frozenset())
"""The deployment-wide actor (no organisation) that applies settings given to the constructor."""


class ReferenceService:
    """The reference implementation on SQLModel tables (SQLite or PostgreSQL).

    Many organisations share one database: every method is scoped by ``org`` (the unified social
    credit code, GB 32100-2015) and passes :meth:`_gate` first, so an actor of another
    organisation gets :class:`~govparts.core.errors.OrganizationDenied` before anything is read or
    written (requirement ATT-036). Every write recomputes the daily results it affects in the same
    transaction; results of days no write has touched are computed when first read. A closed
    month's results are final.
    """

    features: frozenset[str] = FEATURES

    def __init__(self, engine: Engine, settings: Mapping[str, OrgSettings] | None = None) -> None:
        self.engine = engine
        self._leave = ProcessEngine(LEAVE_REQUEST, guards=_GUARDS)
        self._trip = ProcessEngine(BUSINESS_TRIP, guards=_GUARDS)
        self._correction = ProcessEngine(PUNCH_CORRECTION, guards=_GUARDS)
        self._month = ProcessEngine(MONTH_CLOSE, payloads={"close": self._month_payload})
        self._settings: dict[str, OrgSettings] = {}
        for org, given in (settings or {}).items():
            self._configure(SYSTEM, org, given)

    # -- the organisation gate ---------------------------------------------------------------------

    def _gate(self, actor: Actor, org: str, *, write: bool, field: str = "org") -> None:
        """Refuse an actor of another organisation before anything is read or written.

        :func:`~govparts.core.security.check_org`: a ``cross-org-auditor`` may read another
        organisation's attendance, recorded in the audit log in a transaction of its own; nobody
        changes another organisation's attendance. ``org`` must be a credit code's length.
        """
        if not isinstance(org, str) or not 0 < len(org) <= 18:
            raise InvalidInput(
                N_("{field}: expected an organisation's unified social credit code"),
                field=field,
                domain=DOMAIN,
            )
        check_org(
            actor, org, write=write, field=field, audit_to=self.engine, entity="attendance", entity_id=org
        )

    @staticmethod
    def _require(actor: Actor, roles: Sequence[str], operation: str) -> None:
        """Refuse an actor holding none of ``roles`` (PermissionDenied naming ``actor``; ATT-044)."""
        if not any(actor.has_role(role) for role in roles):
            raise PermissionDenied(field="actor", actor=actor.id, transition=operation, roles=list(roles))

    def _writer(self, actor: Actor, org: str, operation: str, roles: Sequence[str] = (CLERK_ROLE,)) -> None:
        """The gate of a write: the organisation first, then the role."""
        self._gate(actor, org, write=True)
        self._require(actor, roles, operation)

    # -- settings and calendar ---------------------------------------------------------------------

    def capabilities(self) -> Capabilities:
        """The part, its version and the optional features this implementation offers."""
        return Capabilities(part="attendance", version=PART_VERSION, features=self.features)

    def settings(self, org: str) -> OrgSettings:
        """The organisation's settings (defaults until configured)."""
        found = self._settings.get(org)
        if found is None:
            with self.engine.connect() as conn:
                found = self._read_settings(conn, org)
        return found

    def configure(self, actor: Actor, org: str, settings: OrgSettings) -> OrgSettings:
        """Store the organisation's settings; results of its open months are recomputed when next read.

        A change of the calendar overrides alone touches only the days it changes: their daily
        results are recomputed and the workdays of the leave and trips over them recounted; a
        change reaching into a closed month is refused (:class:`MonthLocked`, field
        ``calendar_overrides``) and nothing is written.
        """
        self._writer(actor, org, "configure")
        return self._configure(actor, org, settings)

    def _configure(self, actor: Actor, org: str, settings: OrgSettings) -> OrgSettings:
        calendar = org_calendar(settings, org)
        with self._write(org) as session:
            conn = session.connection()
            row = conn.execute(sa.select(SETTINGS.c.data).where(SETTINGS.c.org == org)).first()
            old = OrgSettings.model_validate(row.data) if row is not None else OrgSettings()
            changed = _changed_days(old, settings)
            self._check_open(conn, org, changed, "calendar_overrides")
            data = settings.model_dump(mode="json")
            if row is None:
                conn.execute(sa.insert(SETTINGS).values(org=org, data=data))
            else:
                conn.execute(sa.update(SETTINGS).where(SETTINGS.c.org == org).values(data=data))
            if old.model_copy(update={"calendar_overrides": settings.calendar_overrides}) == settings:
                self._forget_days(conn, org, changed)
            else:
                self._forget(conn, org, None, date.min)
            self._recount_requests(conn, org, calendar, changed)
            audit.append(
                conn,
                action="configure",
                entity="attendance_settings",
                entity_id=org,
                actor=actor,
                before=old.model_dump(mode="json") if row is not None else None,
                after=data,
            )
        self._settings[org] = settings
        return settings

    @contextmanager
    def _write(self, org: str) -> Iterator[Session]:
        """A write transaction, the organisation's settings loaded first.

        Results depend on the settings (zone, region, rules); reading them inside the transaction
        through a second connection would wait on SQLite's write lock held by the first.
        """
        _ = self.settings(org)
        with session_scope(self.engine) as session:
            yield session

    def _read_settings(self, conn: sa.Connection, org: str) -> OrgSettings:
        """Load the settings through ``conn`` (inside a caller's transaction; see :mod:`.exchange`)."""
        row = conn.execute(sa.select(SETTINGS.c.data).where(SETTINGS.c.org == org)).first()
        found = OrgSettings.model_validate(row.data) if row is not None else OrgSettings()
        self._settings[org] = found
        return found

    def calendar(self, org: str) -> WorkCalendar:
        """The organisation's working-day calendar: nation, region and its own overrides."""
        return org_calendar(self.settings(org), org)

    def _forget_days(self, conn: sa.Connection, org: str, days: Sequence[date]) -> None:
        """Drop the organisation's stored results of ``days`` (all in open months; recomputed when read)."""
        if days:
            conn.execute(sa.delete(RESULT).where(RESULT.c.org == org, RESULT.c.day.in_(days)))

    def _recount_requests(
        self, conn: sa.Connection, org: str, calendar: WorkCalendar, days: Sequence[date]
    ) -> None:
        """Recount the days of the organisation's active leave and trips spanning any of ``days``."""
        if not days:
            return
        rows = conn.execute(
            sa.select(
                REQUEST.c.id, REQUEST.c.kind, REQUEST.c.leave_type, REQUEST.c.start_date, REQUEST.c.end_date
            ).where(
                REQUEST.c.org == org,
                REQUEST.c.kind != "punch_correction",
                REQUEST.c.state.in_(_ACTIVE),
                REQUEST.c.start_date <= days[-1],
                REQUEST.c.end_date >= days[0],
            )
        ).all()
        for r in rows:
            if not any(r.start_date <= day <= r.end_date for day in days):
                continue
            if r.kind == "leave":
                count = count_leave_days(r.leave_type, r.start_date, r.end_date, calendar)
            else:
                count = calendar.workdays_between(r.start_date, r.end_date)
            conn.execute(sa.update(REQUEST).where(REQUEST.c.id == r.id).values(days=count))

    def zone(self, org: str) -> ZoneInfo:
        """The organisation's time zone."""
        return ZoneInfo(self.settings(org).timezone)

    def local_date(self, org: str, moment: datetime) -> date:
        """The date of ``moment`` in the organisation's zone."""
        return moment.astimezone(self.zone(org)).date()

    # -- month locks -------------------------------------------------------------------------------

    def _closed(self, conn: sa.Connection, org: str) -> list[tuple[date, date]]:
        """The organisation's closed months (a month closed by another organisation is not)."""
        rows = conn.execute(
            sa.select(MONTH.c.year, MONTH.c.month).where(MONTH.c.org == org, MONTH.c.state == "closed")
        )
        return [_month_range(r.year, r.month) for r in rows]

    def _check_open(self, conn: sa.Connection, org: str, days: Sequence[date], field: str) -> None:
        for lo, hi in self._closed(conn, org):
            for day in days:
                if lo <= day <= hi:
                    raise MonthLocked(field=field, month=f"{lo:%Y-%m}", domain=DOMAIN)

    def is_month_closed(self, actor: Actor, org: str, year: int, month: int) -> bool:
        """Whether the organisation's month is closed (月结)."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return _month_range(year, month) in self._closed(conn, org)

    def _forget(self, conn: sa.Connection, org: str, persons: Sequence[str] | None, since: date) -> None:
        """Drop the organisation's stored results of open months from ``since`` (recomputed when read)."""
        cond = [RESULT.c.org == org, RESULT.c.day >= since]
        if persons is not None:
            cond.append(RESULT.c.person_id.in_(persons))
        for lo, hi in self._closed(conn, org):
            cond.append(sa.not_(RESULT.c.day.between(lo, hi)))
        conn.execute(sa.delete(RESULT).where(*cond))

    def _shifts(self, conn: sa.Connection, org: str) -> dict[str, Shift]:
        return {
            r.code: Shift.model_validate(r.spec)
            for r in conn.execute(sa.select(SHIFT.c.code, SHIFT.c.spec).where(SHIFT.c.org == org))
        }

    def _recompute(
        self, conn: sa.Connection, org: str, persons: Sequence[str] | None, start: date, end: date
    ) -> int:
        return compute_results(
            conn,
            org=org,
            calendar=self.calendar(org),
            zone=self.zone(org),
            shifts=self._shifts(conn, org),
            start=start,
            end=end,
            persons=persons,
            frozen=self._closed(conn, org),
            regional_festival=self.settings(org).regional_festival_overtime,
        )

    def recompute(
        self, actor: Actor, org: str, start: date, end: date, persons: Sequence[str] | None = None
    ) -> int:
        """Recompute the organisation's daily results of open months from ``start`` to ``end``."""
        self._writer(actor, org, "recompute")
        with self._write(org) as session:
            return self._recompute(session.connection(), org, persons, start, end)

    # -- enrolment ---------------------------------------------------------------------------------

    @staticmethod
    def _enrolment(row: Any) -> Enrolment:
        return Enrolment(
            person=PersonRef(
                person_id=row.person_id,
                organization_credit_code=row.organization_credit_code,
                name=row.person_name,
            ),
            unit=OrgUnitRef(
                organization_credit_code=row.organization_credit_code,
                unit_code=row.unit_code,
                name=row.unit_name,
            ),
            first_employment_date=row.first_employment_date,
            start_date=row.start_date,
            end_date=row.end_date,
        )

    def _enrol_in(self, conn: sa.Connection, org: str, enrolment: Enrolment, actor: Actor) -> Enrolment:
        for field, code in (
            ("person.organization_credit_code", enrolment.person.organization_credit_code),
            ("unit.organization_credit_code", enrolment.unit.organization_credit_code),
        ):
            if code != org:
                raise InvalidInput(
                    N_("{field}: the enrolment belongs to another organisation than {org}"),
                    field=field,
                    org=org,
                    domain=DOMAIN,
                )
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
        rows = conn.execute(
            sa.select(ENROLMENT).where(
                ENROLMENT.c.organization_credit_code == org, ENROLMENT.c.person_id == pid
            )
        ).all()
        for row in rows:
            if row.start_date == enrolment.start_date:
                return self._enrolment(row)
            if (row.end_date is None or row.end_date >= enrolment.start_date) and (
                enrolment.end_date is None or enrolment.end_date >= row.start_date
            ):
                raise InvalidInput(
                    N_("{field}: {person} is already enrolled from {got}"),
                    field="start_date",
                    person=pid,
                    got=row.start_date.isoformat(),
                    domain=DOMAIN,
                )
        conn.execute(
            sa.insert(ENROLMENT).values(
                person_id=pid,
                person_name=enrolment.person.name,
                organization_credit_code=org,
                unit_code=enrolment.unit.unit_code,
                unit_name=enrolment.unit.name,
                first_employment_date=enrolment.first_employment_date,
                start_date=enrolment.start_date,
                end_date=enrolment.end_date,
            )
        )
        self._forget(conn, org, [pid], enrolment.start_date)
        audit.append(
            conn,
            action="enrol",
            entity="enrolment",
            entity_id=f"{org}/{pid}",
            actor=actor,
            after=enrolment.model_dump(mode="json"),
        )
        return enrolment

    def enrol(self, actor: Actor, org: str, enrolment: Enrolment) -> Enrolment:
        """Keep attendance of a person of ``org`` from ``start_date``; the same start again changes nothing.

        The person and unit must belong to ``org`` (InvalidInput naming
        ``person.organization_credit_code`` otherwise).
        """
        self._writer(actor, org, "enrol")
        with self._write(org) as session:
            return self._enrol_in(session.connection(), org, enrolment, actor)

    def _current_row(self, conn: sa.Connection, org: str, person_id: str) -> Any:
        row = conn.execute(
            sa.select(ENROLMENT)
            .where(ENROLMENT.c.organization_credit_code == org, ENROLMENT.c.person_id == person_id)
            .order_by(ENROLMENT.c.start_date.desc())
            .limit(1)
        ).first()
        if row is None:
            raise NotFound(field="person_id", kind="enrolment", got=person_id)
        return row

    def enrolment(self, actor: Actor, org: str, person_id: str) -> Enrolment:
        """The person's latest enrolment in ``org``; NotFound naming ``person_id`` when none there."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            return self._enrolment(self._current_row(conn, org, person_id))

    def _end_in(
        self, conn: sa.Connection, org: str, person_id: str, last_day: date, actor: Actor
    ) -> Enrolment:
        row = self._current_row(conn, org, person_id)
        if row.end_date == last_day:
            return self._enrolment(row)
        if last_day < row.start_date - timedelta(days=1):
            raise InvalidInput(
                N_("{field}: {got} is before the enrolment starts"),
                field="last_day",
                got=last_day.isoformat(),
                domain=DOMAIN,
            )
        conn.execute(sa.update(ENROLMENT).where(ENROLMENT.c.id == row.id).values(end_date=last_day))
        self._forget(conn, org, [person_id], min(last_day, row.end_date or last_day) + timedelta(days=1))
        audit.append(
            conn,
            action="end_enrolment",
            entity="enrolment",
            entity_id=f"{org}/{person_id}",
            actor=actor,
            before={"end_date": row.end_date.isoformat() if row.end_date else None},
            after={"end_date": last_day.isoformat()},
        )
        return self._enrolment(conn.execute(sa.select(ENROLMENT).where(ENROLMENT.c.id == row.id)).one())

    def end_enrolment(self, actor: Actor, org: str, person_id: str, last_day: date) -> Enrolment:
        """End the person's enrolment after ``last_day`` (separation); ending it again changes nothing."""
        self._writer(actor, org, "end_enrolment")
        with self._write(org) as session:
            return self._end_in(session.connection(), org, person_id, last_day, actor)

    def _transfer_in(
        self,
        conn: sa.Connection,
        org: str,
        person_id: str,
        unit: OrgUnitRef,
        effective: date,
        *,
        actor: Actor,
    ) -> Enrolment:
        row = self._current_row(conn, org, person_id)
        if row.start_date == effective and row.unit_code == unit.unit_code:
            return self._enrolment(row)
        if effective <= row.start_date:
            raise InvalidInput(
                N_("{field}: {got} is not after the enrolment starts"),
                field="effective_date",
                got=effective.isoformat(),
                domain=DOMAIN,
            )
        if unit.organization_credit_code != org:
            raise InvalidInput(
                N_("{field}: the enrolment belongs to another organisation than {org}"),
                field="unit.organization_credit_code",
                org=org,
                domain=DOMAIN,
            )
        conn.execute(
            sa.update(ENROLMENT)
            .where(ENROLMENT.c.id == row.id)
            .values(end_date=effective - timedelta(days=1))
        )
        moved = Enrolment(
            person=self._enrolment(row).person,
            unit=unit,
            first_employment_date=row.first_employment_date,
            start_date=effective,
            end_date=row.end_date,
        )
        audit.append(
            conn,
            action="transfer",
            entity="enrolment",
            entity_id=f"{org}/{person_id}",
            actor=actor,
            before={"unit_code": row.unit_code},
            after={"unit_code": unit.unit_code, "effective_date": effective.isoformat()},
        )
        return self._enrol_in(conn, org, moved, actor)

    def transfer(
        self, actor: Actor, org: str, person_id: str, unit: OrgUnitRef, effective_date: date
    ) -> Enrolment:
        """Move the person to ``unit`` (of ``org``) from ``effective_date``; repeating it changes nothing."""
        self._writer(actor, org, "transfer")
        with self._write(org) as session:
            return self._transfer_in(session.connection(), org, person_id, unit, effective_date, actor=actor)

    def personnel_handlers(self) -> list[events.Handler]:
        """The handler that keeps enrolment in step with the personnel events (for a core ``Dispatcher``).

        Each event touches only the organisation it names: the person's
        ``organization_credit_code`` (a person is an organisation and an employee number; the same
        number in another organisation is another person). ``employee.hired`` enrols from its
        ``effective_date`` with its ``first_employment_date``; ``employee.separated`` ends the
        enrolment on the day before its ``effective_date`` (the day the separation takes effect is no
        longer worked); ``employee.transferred`` moves the person to ``to_unit`` from
        ``effective_date``. Each is idempotent on its own (a repeated event changes nothing) besides
        the dispatcher's processed-event record. A separation of a person never enrolled is
        acknowledged and ignored.
        """

        def hired(session: Session, event: events.CloudEvent) -> None:
            data = HiredAsRead.model_validate(event.data)
            org = data.person.organization_credit_code
            self._enrol_in(
                session.connection(),
                org,
                Enrolment(
                    person=data.person,
                    unit=data.unit,
                    first_employment_date=data.first_employment_date,
                    start_date=data.effective_date,
                ),
                SYSTEM,
            )

        def separated(session: Session, event: events.CloudEvent) -> None:
            data = SeparatedAsRead.model_validate(event.data)
            org = data.person.organization_credit_code
            try:
                self._end_in(
                    session.connection(),
                    org,
                    data.person.person_id,
                    data.effective_date - timedelta(days=1),
                    SYSTEM,
                )
            except NotFound:
                return

        def transferred(session: Session, event: events.CloudEvent) -> None:
            data = TransferredAsRead.model_validate(event.data)
            org = data.person.organization_credit_code
            self._transfer_in(
                session.connection(),
                org,
                data.person.person_id,
                data.to_unit,
                data.effective_date,
                actor=SYSTEM,
            )

        by_type = {EMPLOYEE_HIRED: hired, EMPLOYEE_SEPARATED: separated, EMPLOYEE_TRANSFERRED: transferred}

        def follow(session: Session, event: events.CloudEvent) -> None:
            by_type[event.type](session, event)

        # One handler for the three types: the dispatcher keeps order per subject within a handler,
        # so a hire is always applied before the transfer and the separation that follow it.
        return [events.Handler("attendance.follow-personnel", tuple(by_type), follow)]

    # -- shifts ------------------------------------------------------------------------------------

    def define_shift(self, actor: Actor, org: str, shift: Shift) -> Shift:
        """Store (or replace) a shift of ``org``; its open months are recomputed when next read."""
        self._writer(actor, org, "define_shift")
        with self._write(org) as session:
            conn = session.connection()
            spec = shift.model_dump(mode="json")
            key = (SHIFT.c.org == org, SHIFT.c.code == shift.code)
            if conn.execute(sa.select(SHIFT.c.code).where(*key)).first() is None:
                conn.execute(sa.insert(SHIFT).values(org=org, code=shift.code, spec=spec))
            else:
                conn.execute(sa.update(SHIFT).where(*key).values(spec=spec))
                self._forget(conn, org, None, date.min)
            audit.append(
                conn,
                action="define_shift",
                entity="shift",
                entity_id=f"{org}/{shift.code}",
                actor=actor,
                after=spec,
            )
        return shift

    def assign_shift(self, actor: Actor, org: str, assignment: ShiftAssignment) -> ShiftAssignment:
        """Give a shift of ``org`` to a unit or a person from ``valid_from``; the shift must exist."""
        self._writer(actor, org, "assign_shift")
        with self._write(org) as session:
            conn = session.connection()
            found = conn.execute(
                sa.select(SHIFT.c.code).where(SHIFT.c.org == org, SHIFT.c.code == assignment.shift_code)
            ).first()
            if found is None:
                raise NotFound(field="shift_code", kind="shift", got=assignment.shift_code)
            self._check_open(conn, org, [assignment.valid_from], "valid_from")
            conn.execute(sa.insert(ASSIGNMENT).values(org=org, **assignment.model_dump()))
            persons = [assignment.person_id] if assignment.person_id else None
            self._forget(conn, org, persons, assignment.valid_from)
            audit.append(
                conn,
                action="assign_shift",
                entity="shift",
                entity_id=f"{org}/{assignment.shift_code}",
                actor=actor,
                after=assignment.model_dump(mode="json"),
            )
        return assignment

    # -- punches -----------------------------------------------------------------------------------

    def _store_punches(
        self, conn: sa.Connection, org: str, punches: Sequence[Punch], actor: Actor = SYSTEM
    ) -> PunchImport:
        zone = self.zone(org)
        unique: dict[tuple[str, datetime, str], Punch] = {}
        for p in punches:
            unique.setdefault((p.person_id, p.punched_at.astimezone(UTC), p.device), p)
        if not unique:
            return PunchImport(received=len(punches), stored=0, duplicates=len(punches))
        local = {key: key[1].astimezone(zone).date() for key in unique}
        self._check_open(conn, org, sorted(set(local.values())), "punched_at")
        persons = sorted({k[0] for k in unique})
        spans: dict[str, list[tuple[date, date | None]]] = {}
        for row in conn.execute(
            sa.select(ENROLMENT.c.person_id, ENROLMENT.c.start_date, ENROLMENT.c.end_date).where(
                ENROLMENT.c.organization_credit_code == org, ENROLMENT.c.person_id.in_(persons)
            )
        ):
            spans.setdefault(row.person_id, []).append((row.start_date, row.end_date))
        lo = min(k[1] for k in unique)
        hi = max(k[1] for k in unique)
        existing: set[tuple[str, datetime, str]] = set()
        for table in (PUNCH, UNENROLLED):
            for row in conn.execute(
                sa.select(table.c.person_id, table.c.punched_at, table.c.device).where(
                    table.c.org == org,
                    table.c.person_id.in_(persons),
                    table.c.punched_at >= lo,
                    table.c.punched_at <= hi,
                )
            ):
                existing.add((row.person_id, row.punched_at, row.device))
        enrolled: list[dict[str, Any]] = []
        stray: list[dict[str, Any]] = []
        for key, p in unique.items():
            if key in existing:
                continue
            day = local[key]
            values = {"org": org, "person_id": key[0], "punched_at": key[1], "device": key[2]}
            if any(a <= day and (b is None or day <= b) for a, b in spans.get(key[0], ())):
                enrolled.append({**values, "source": p.source})
            else:
                stray.append(values)
        if enrolled:
            conn.execute(_insert_ignoring_duplicates(conn, PUNCH), enrolled)
            touched = sorted({r["punched_at"].astimezone(zone).date() for r in enrolled})
            first = touched[0] - timedelta(days=1)  # the day before: a duty shift may end on the next day
            if not self.calendar(org).covers(first.year):
                first = touched[0]
            self._recompute(conn, org, sorted({r["person_id"] for r in enrolled}), first, touched[-1])
        if stray:
            conn.execute(_insert_ignoring_duplicates(conn, UNENROLLED), stray)
        self._audit_punches(conn, org, punches, enrolled=enrolled, stray=stray, actor=actor)
        return PunchImport(
            received=len(punches),
            stored=len(enrolled),
            duplicates=len(punches) - len(enrolled) - len(stray),
            not_enrolled=tuple(sorted({r["person_id"] for r in stray})),
            not_enrolled_punches=len(stray),
        )

    @staticmethod
    def _audit_punches(
        conn: sa.Connection,
        org: str,
        punches: Sequence[Punch],
        *,
        enrolled: Sequence[Mapping[str, Any]],
        stray: Sequence[Mapping[str, Any]],
        actor: Actor,
    ) -> None:
        """One audit record per person whose punches this batch stored or kept aside (ATT-042)."""
        received: dict[str, int] = {}
        for p in punches:
            received[p.person_id] = received.get(p.person_id, 0) + 1
        stored: dict[str, int] = {}
        for r in enrolled:
            stored[r["person_id"]] = stored.get(r["person_id"], 0) + 1
        aside: dict[str, int] = {}
        for r in stray:
            aside[r["person_id"]] = aside.get(r["person_id"], 0) + 1
        entries = [
            audit.AuditEntry(
                "record_punches",
                "punches",
                f"{org}/{person}",
                actor,
                None,
                None,
                {
                    "received": received.get(person, 0),
                    "stored": stored.get(person, 0),
                    "kept_aside": aside.get(person, 0),
                },
            )
            for person in sorted(stored.keys() | aside.keys())
        ]
        if entries:
            audit.append_many(conn, entries)

    def record_punches(self, actor: Actor, org: str, punches: Sequence[Punch]) -> PunchImport:
        """Store punches of the organisation's people (all or none); punches already stored are duplicates.

        Punches of people not enrolled in ``org`` on that day are kept aside and named in the
        result; a punch in a closed month of ``org`` refuses the whole batch (:class:`MonthLocked`).
        """
        self._writer(actor, org, "record_punches")
        with self._write(org) as session:
            return self._store_punches(session.connection(), org, list(punches), actor)

    def import_punches(
        self, actor: Actor, org: str, data: str, format: Literal["csv", "json"] = "csv"
    ) -> PunchImport:
        """Import a device file: CSV with a header ``person_id,punched_at[,device]`` or a JSON array.

        ``punched_at`` is ISO 8601 with its offset. A bad row refuses the whole file with an
        :class:`~govparts.core.errors.InvalidRecord` naming the row (1 = first data row).
        """
        self._writer(actor, org, "import_punches")
        if format == "csv":
            records: list[Any] = list(csv.DictReader(io.StringIO(data)))
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
        punches = []
        for number, record in enumerate(records, start=1):
            try:
                fields = (
                    {k: v for k, v in record.items() if k in ("person_id", "punched_at", "device") and v}
                    if isinstance(record, dict)
                    else record
                )
                punches.append(Punch.model_validate(fields))
            except ValidationError as exc:
                raise from_validation_error(exc, model="Punch", row=number) from None
        return self.record_punches(actor, org, punches)

    def unenrolled_punches(self, actor: Actor, org: str) -> list[Punch]:
        """The organisation's punches kept aside because their person was not enrolled that day."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(UNENROLLED)
                .where(UNENROLLED.c.org == org)
                .order_by(UNENROLLED.c.person_id, UNENROLLED.c.punched_at)
            )
            return [Punch(person_id=r.person_id, punched_at=r.punched_at, device=r.device) for r in rows]

    # -- results -----------------------------------------------------------------------------------

    def _fill(
        self, conn: sa.Connection, org: str, persons: Sequence[str] | None, start: date, end: date
    ) -> None:
        """Compute the results of ``org`` missing in ``start``..``end`` (complete people are skipped)."""
        query = sa.select(ENROLMENT.c.person_id, ENROLMENT.c.start_date, ENROLMENT.c.end_date).where(
            ENROLMENT.c.organization_credit_code == org,
            ENROLMENT.c.start_date <= end,
            sa.or_(ENROLMENT.c.end_date.is_(None), ENROLMENT.c.end_date >= start),
        )
        if persons is not None:
            query = query.where(ENROLMENT.c.person_id.in_(persons))
        expected: dict[str, int] = {}
        for row in conn.execute(query):
            lo, hi = max(row.start_date, start), min(row.end_date or end, end)
            expected[row.person_id] = expected.get(row.person_id, 0) + (hi - lo).days + 1
        if not expected:
            return
        count = sa.select(RESULT.c.person_id, sa.func.count()).where(
            RESULT.c.org == org, RESULT.c.day.between(start, end)
        )
        if persons is not None:
            count = count.where(RESULT.c.person_id.in_(persons))
        stored = {p: n for p, n in conn.execute(count.group_by(RESULT.c.person_id))}
        missing = [p for p, n in expected.items() if stored.get(p, 0) < n]
        if not missing:
            return
        self._recompute(
            conn, org, None if len(missing) == len(expected) and persons is None else missing, start, end
        )

    def _results(
        self, conn: sa.Connection, org: str, persons: Sequence[str] | None, start: date, end: date
    ) -> list[DailyResult]:
        query = (
            sa.select(RESULT)
            .where(RESULT.c.org == org, RESULT.c.day.between(start, end))
            .order_by(RESULT.c.person_id, RESULT.c.day)
        )
        if persons is not None:
            query = query.where(RESULT.c.person_id.in_(persons))
        return [result_from_row(r) for r in conn.execute(query).mappings()]

    def daily_results(
        self, actor: Actor, org: str, person_id: str, start: date, end: date
    ) -> list[DailyResult]:
        """The person's results in ``org`` from ``start`` to ``end`` (days enrolled only), in day order."""
        self._gate(actor, org, write=False)
        if end < start:
            raise InvalidInput(
                N_("{field}: ends {got}, before it starts"), field="end", got=end.isoformat(), domain=DOMAIN
            )
        with self._write(org) as session:
            conn = session.connection()
            self._current_row(conn, org, person_id)
            self._fill(conn, org, [person_id], start, end)
            return self._results(conn, org, [person_id], start, end)

    def month_summary(self, actor: Actor, org: str, person_id: str, year: int, month: int) -> MonthSummary:
        """The person's month in ``org`` (月度考勤汇总); NotFound naming ``person_id`` when never enrolled."""
        self._gate(actor, org, write=False)
        start, end = _month_range(year, month)
        with self._write(org) as session:
            conn = session.connection()
            unit_code = self._current_row(conn, org, person_id).unit_code
            self._fill(conn, org, [person_id], start, end)
            found = summaries(conn, org, year, month, [person_id], rest_day_minutes=self._day_minutes(org))[0]
        if found:
            return found[0]
        return MonthSummary(
            person_id=person_id,
            unit_code=unit_code,
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
        """Every person's month in ``org``, computed in bulk (missing days first), by person id."""
        self._gate(actor, org, write=False)
        start, end = _month_range(year, month)
        with self._write(org) as session:
            conn = session.connection()
            self._fill(conn, org, None, start, end)
            return summaries(conn, org, year, month, rest_day_minutes=self._day_minutes(org))[0]

    def unit_summary(self, actor: Actor, org: str, unit_code: str, year: int, month: int) -> UnitMonthSummary:
        """The month of one of the organisation's units: the days its people spent in it."""
        self._gate(actor, org, write=False)
        start, end = _month_range(year, month)
        with self._write(org) as session:
            conn = session.connection()
            self._fill(conn, org, None, start, end)
            found = [
                u
                for u in summaries(conn, org, year, month, rest_day_minutes=self._day_minutes(org))[1]
                if u.unit_code == unit_code
            ]
        if not found:
            raise NotFound(field="unit_code", kind="unit with attendance", got=unit_code)
        return found[0]

    # -- requests ----------------------------------------------------------------------------------

    @staticmethod
    def _request(row: AttendanceRequest) -> Request:
        return Request(
            id=str(row.id),
            kind=row.kind,
            person_id=row.person_id,
            state=row.state,
            leave_type=row.leave_type,
            start_date=row.start_date,
            end_date=row.end_date,
            days=row.days,
            punched_at=row.punched_at,
            reason=row.reason,
            note=row.note,
        )

    def _require_enrolled(
        self, conn: sa.Connection, org: str, person_id: str, start: date, end: date
    ) -> None:
        rows = conn.execute(
            sa.select(ENROLMENT.c.start_date, ENROLMENT.c.end_date).where(
                ENROLMENT.c.organization_credit_code == org, ENROLMENT.c.person_id == person_id
            )
        ).all()
        if not rows:
            raise NotFound(field="person_id", kind="enrolment", got=person_id)
        day = start
        while day <= end:
            if not any(a <= day and (b is None or day <= b) for a, b in rows):
                raise InvalidInput(
                    N_("{field}: {got} is not enrolled on {day}"),
                    field="person_id",
                    got=person_id,
                    day=day.isoformat(),
                    domain=DOMAIN,
                )
            day += timedelta(days=1)

    def _no_overlap(self, conn: sa.Connection, org: str, person_id: str, start: date, end: date) -> None:
        clash = conn.execute(
            sa.select(REQUEST.c.id, REQUEST.c.start_date, REQUEST.c.end_date).where(
                REQUEST.c.org == org,
                REQUEST.c.person_id == person_id,
                REQUEST.c.kind != "punch_correction",
                REQUEST.c.state.in_(_ACTIVE),
                REQUEST.c.start_date <= end,
                REQUEST.c.end_date >= start,
            )
        ).first()
        if clash is not None:
            raise GuardFailed(
                N_("{field}: overlaps request {got} ({start} to {end})"),
                field="start_date",
                guard="no_overlap",
                got=str(clash.id),
                start=clash.start_date.isoformat(),
                end=clash.end_date.isoformat(),
                domain=DOMAIN,
            )

    def _used(
        self, conn: sa.Connection, org: str, person_id: str, leave_type: str, year: int
    ) -> tuple[int, int, int]:
        """Days taken (approved), pending, and calendar days covered, of one leave type in ``year``."""
        rows = conn.execute(
            sa.select(REQUEST.c.state, REQUEST.c.days, REQUEST.c.start_date, REQUEST.c.end_date).where(
                REQUEST.c.org == org,
                REQUEST.c.person_id == person_id,
                REQUEST.c.kind == "leave",
                REQUEST.c.leave_type == leave_type,
                REQUEST.c.state.in_(_ACTIVE),
                REQUEST.c.start_date <= date(year, 12, 31),
                REQUEST.c.end_date >= date(year, 1, 1),
            )
        ).all()
        taken = sum(r.days for r in rows if r.state == "approved")
        pending = sum(r.days for r in rows if r.state != "approved")
        covered = sum((r.end_date - r.start_date).days + 1 for r in rows if r.state == "approved")
        return taken, pending, covered

    def _balance(
        self, conn: sa.Connection, org: str, person_id: str, year: int, leave_type: str, *, on: date
    ) -> LeaveBalance:
        rule = leave_type_rule(leave_type)
        row = self._current_row(conn, org, person_id)
        taken, pending, _ = self._used(conn, org, person_id, leave_type, year)
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
        _, _, sick_days = self._used(conn, org, person_id, "sick", year)
        personal_taken, _, _ = self._used(conn, org, person_id, "personal", year)
        first = row.first_employment_date
        cancelled = on >= first and annual_leave_cancelled(
            first, on, sick_leave_days=sick_days, paid_personal_leave_days=personal_taken
        )
        entitled = 0 if cancelled or on < first else annual_leave_days(first, on)
        return LeaveBalance(
            person_id=person_id,
            year=year,
            leave_type="annual",
            entitled=entitled,
            taken=taken,
            pending=pending,
            remaining=entitled - taken - pending,
            cancelled=cancelled,
            source=leave_rules().cancel_source if cancelled else leave_rules().annual_source,
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
        with self.engine.connect() as conn:
            return self._balance(conn, org, person_id, year, leave_type, on=on or date(year, 12, 31))

    # -- compensatory rest (调休假) -------------------------------------------------------------------

    def _day_minutes(self, org: str) -> int:
        return self.settings(org).compensatory_rest_day_minutes

    def _rest(self, conn: sa.Connection, org: str, person_id: str, on: date) -> CompensatoryRest:
        """The person's compensatory rest on ``on`` from the stored credits and leave."""
        minutes = self._day_minutes(org)
        credits, approved = rest_ledger_inputs(conn, org, [person_id], on, minutes)
        _, active = rest_ledger_inputs(conn, org, [person_id], on, minutes, states=_ACTIVE)
        mine = credits.get(person_id, [])
        kept = compensatory_rest_ledger(mine, approved.get(person_id, []), on)
        reserved = compensatory_rest_ledger(mine, active.get(person_id, []), on)
        return CompensatoryRest(
            person_id=person_id,
            on=on,
            credited_minutes=kept.credited,
            taken_minutes=kept.taken,
            pending_minutes=reserved.taken - kept.taken,
            expired_minutes=kept.expired,
            remaining_minutes=kept.remaining,
            available_minutes=reserved.remaining,
            next_expiry=kept.next_expiry,
            expiring_minutes=kept.expiring,
        )

    def compensatory_rest(self, actor: Actor, org: str, person_id: str, on: date) -> CompensatoryRest:
        """The person's compensatory rest (调休假) on ``on``: credited, taken, pending, expired, left."""
        self._gate(actor, org, write=False)
        with self.engine.connect() as conn:
            self._current_row(conn, org, person_id)
            return self._rest(conn, org, person_id, on)

    def grant_compensatory_rest(self, actor: Actor, org: str, person_id: str, day: date) -> CompensatoryRest:
        """Credit the overtime the person worked on ``day`` as time off (调休, 《劳动法》 Art. 44 (2)).

        Rest-day overtime only: a day without it is refused (:class:`GuardFailed` naming ``day``),
        and statutory-holiday overtime too unless ``statutory_overtime_as_time_off`` (Art. 44 (3)
        pays it at 300 %). A day is credited once; a day of a closed month is :class:`MonthLocked`.
        The credit may be taken through ``compensatory_rest_valid_days`` after ``day``. Needs the
        ``approver`` role.
        """
        self._writer(actor, org, "grant_compensatory_rest", (APPROVER_ROLE,))
        settings = self.settings(org)
        with self._write(org) as session:
            conn = session.connection()
            self._current_row(conn, org, person_id)
            self._check_open(conn, org, [day], "day")
            self._fill(conn, org, [person_id], day, day)
            found = self._results(conn, org, [person_id], day, day)
            kind = found[0].overtime_kind if found else None
            minutes = found[0].overtime_minutes if found else 0
            allowed = {"rest_day"} | (
                {"statutory_holiday"} if settings.statutory_overtime_as_time_off else set()
            )
            if kind == "statutory_holiday" and kind not in allowed:
                raise GuardFailed(
                    N_("{field}: statutory-holiday overtime on {got} is paid, not taken as rest ({source})"),
                    field="day",
                    guard="statutory_overtime_paid",
                    got=day.isoformat(),
                    source="中华人民共和国劳动法 第四十四条第（三）项",
                    domain=DOMAIN,
                )
            if kind not in allowed or not minutes:
                raise GuardFailed(
                    N_("{field}: no rest-day overtime on {got} to take as time off"),
                    field="day",
                    guard="rest_day_overtime",
                    got=day.isoformat(),
                    domain=DOMAIN,
                )
            granted = conn.execute(
                sa.select(COMP_REST.c.worked).where(
                    COMP_REST.c.org == org, COMP_REST.c.person_id == person_id, COMP_REST.c.worked == day
                )
            ).first()
            if granted is not None:
                raise GuardFailed(
                    N_("{field}: the overtime of {got} is already credited as time off"),
                    field="day",
                    guard="credited_once",
                    got=day.isoformat(),
                    domain=DOMAIN,
                )
            conn.execute(
                sa.insert(COMP_REST).values(
                    org=org,
                    person_id=person_id,
                    worked=day,
                    minutes=minutes,
                    overtime_kind=str(kind),
                    expires=credit_expires(day, settings.compensatory_rest_valid_days),
                    granted_by=actor.id,
                    granted_at=datetime.now(UTC),
                )
            )
            audit.append(
                conn,
                action="grant_compensatory_rest",
                entity="compensatory_rest",
                entity_id=f"{org}/{person_id}",
                actor=actor,
                details={"day": day.isoformat(), "minutes": minutes, "overtime_kind": str(kind)},
            )
            return self._rest(conn, org, person_id, day)

    def _check_rest_balance(
        self, conn: sa.Connection, org: str, person_id: str, start: date, days: int
    ) -> None:
        """Refuse compensatory-rest leave the credits cannot cover (naming ``days``)."""
        minutes = self._day_minutes(org)
        credits, active = rest_ledger_inputs(conn, org, [person_id], date.max, minutes, states=_ACTIVE)
        debits = [*active.get(person_id, []), (start, days * minutes)]
        after = compensatory_rest_ledger(credits.get(person_id, []), debits, date.max)
        if after.overdrawn > 0:
            available = self._rest(conn, org, person_id, start).available_minutes
            raise GuardFailed(
                N_("{field}: {got} minutes of compensatory rest asked, {available} available on {day}"),
                field="days",
                guard="compensatory_rest_balance",
                got=days * minutes,
                available=max(available, 0),
                day=start.isoformat(),
                domain=DOMAIN,
            )

    def _create_in(
        self, session: Session, engine: ProcessEngine, row: AttendanceRequest, actor: Actor
    ) -> Request:
        conn = session.connection()
        days = [row.start_date] if row.start_date else []
        if row.end_date:
            days.append(row.end_date)
        self._check_open(
            conn, row.org, days, "start_date" if row.kind != "punch_correction" else "punched_at"
        )
        engine.create(session, row, actor)
        engine.fire(session, row, "submit", actor)
        return self._request(row)

    def request_leave(self, actor: Actor, org: str, request: LeaveRequestIn) -> Request:
        """Submit leave of a person of ``org``; refused when it overlaps a request or the balance is short.

        Days are counted per the leave type's rule (workdays of the calendar, or calendar days);
        maternity leave is capped by :func:`maternity_leave_days` for the organisation's region.
        """
        self._writer(actor, org, "request_leave", (EMPLOYEE_ROLE, CLERK_ROLE))
        rule = leave_type_rule(request.leave_type)
        if request.end_date < request.start_date:
            raise InvalidInput(
                N_("{field}: the leave ends {got}, before it starts {start}"),
                field="end_date",
                got=request.end_date.isoformat(),
                start=request.start_date.isoformat(),
                domain=DOMAIN,
            )
        days = count_leave_days(request.leave_type, request.start_date, request.end_date, self.calendar(org))
        if days == 0:
            raise InvalidInput(
                N_("{field}: no working day from {start} to {got}"),
                field="end_date",
                start=request.start_date.isoformat(),
                got=request.end_date.isoformat(),
                domain=DOMAIN,
            )
        limit = rule.max_days
        if request.leave_type == "maternity":
            limit = maternity_leave_days(
                region=self.settings(org).region,
                difficult_birth=request.difficult_birth,
                babies=request.babies,
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
        if request.leave_type == "annual" and request.end_date.year != request.start_date.year:
            raise InvalidInput(
                N_("{field}: annual leave is taken within one year; split it at the year end"),
                field="end_date",
                domain=DOMAIN,
            )
        with self._write(org) as session:
            conn = session.connection()
            self._require_enrolled(conn, org, request.person_id, request.start_date, request.end_date)
            self._no_overlap(conn, org, request.person_id, request.start_date, request.end_date)
            if request.leave_type == "annual":
                balance = self._balance(
                    conn, org, request.person_id, request.start_date.year, "annual", on=request.start_date
                )
                if balance.remaining is None or days > balance.remaining:
                    raise GuardFailed(
                        N_("{field}: {got} days asked, {remaining} days of annual leave left in {year}"),
                        field="days",
                        guard="leave_balance",
                        got=days,
                        remaining=balance.remaining or 0,
                        year=request.start_date.year,
                        domain=DOMAIN,
                    )
            if request.leave_type == "compensatory_rest":
                self._check_rest_balance(conn, org, request.person_id, request.start_date, days)
            row = AttendanceRequest(
                org=org,
                kind="leave",
                person_id=request.person_id,
                leave_type=request.leave_type,
                start_date=request.start_date,
                end_date=request.end_date,
                days=days,
                reason=request.reason,
                levels=2 if self.settings(org).two_level_approval else 1,
            )
            return self._create_in(session, self._leave, row, actor)

    def request_trip(self, actor: Actor, org: str, trip: TripRequestIn) -> Request:
        """Submit a business trip (出差) or official outing (公出); refused when it overlaps a request."""
        self._writer(actor, org, "request_trip", (EMPLOYEE_ROLE, CLERK_ROLE))
        if trip.end_date < trip.start_date:
            raise InvalidInput(
                N_("{field}: ends {got}, before it starts"),
                field="end_date",
                got=trip.end_date.isoformat(),
                domain=DOMAIN,
            )
        with self._write(org) as session:
            conn = session.connection()
            self._require_enrolled(conn, org, trip.person_id, trip.start_date, trip.end_date)
            self._no_overlap(conn, org, trip.person_id, trip.start_date, trip.end_date)
            row = AttendanceRequest(
                org=org,
                kind=trip.kind,
                person_id=trip.person_id,
                start_date=trip.start_date,
                end_date=trip.end_date,
                days=self.calendar(org).workdays_between(trip.start_date, trip.end_date),
                reason=(trip.destination + " " + trip.reason).strip(),
                levels=2 if self.settings(org).two_level_approval else 1,
            )
            return self._create_in(session, self._trip, row, actor)

    def request_correction(self, actor: Actor, org: str, correction: PunchCorrectionIn) -> Request:
        """Submit a punch correction (补卡); at most ``corrections_per_month`` a person a month."""
        self._writer(actor, org, "request_correction", (EMPLOYEE_ROLE, CLERK_ROLE))
        day = self.local_date(org, correction.punched_at)
        start, end = _month_range(day.year, day.month)
        with self._write(org) as session:
            conn = session.connection()
            self._require_enrolled(conn, org, correction.person_id, day, day)
            used = conn.execute(
                sa.select(sa.func.count()).where(
                    REQUEST.c.org == org,
                    REQUEST.c.person_id == correction.person_id,
                    REQUEST.c.kind == "punch_correction",
                    REQUEST.c.state.in_(_ACTIVE),
                    REQUEST.c.start_date.between(start, end),
                )
            ).scalar_one()
            limit = self.settings(org).corrections_per_month
            if used >= limit:
                raise GuardFailed(
                    N_("{field}: {got} corrections already in {month}; at most {limit} a month"),
                    field="punched_at",
                    guard="corrections_per_month",
                    got=used,
                    month=f"{start:%Y-%m}",
                    limit=limit,
                    domain=DOMAIN,
                )
            row = AttendanceRequest(
                org=org,
                kind="punch_correction",
                person_id=correction.person_id,
                start_date=day,
                end_date=day,
                punched_at=correction.punched_at.astimezone(UTC),
                reason=correction.reason,
                levels=2 if self.settings(org).two_level_approval else 1,
            )
            return self._create_in(session, self._correction, row, actor)

    def _engine_for(self, row: AttendanceRequest) -> ProcessEngine:
        if row.kind == "leave":
            return self._leave
        if row.kind == "punch_correction":
            return self._correction
        return self._trip

    def _load(self, session: Session, org: str, request_id: str) -> AttendanceRequest:
        """The organisation's request; another organisation's is NotFound (its existence is not revealed)."""
        try:
            key = int(request_id)
        except (TypeError, ValueError):
            raise NotFound(field="request_id", kind="request", got=str(request_id)) from None
        row = session.get(AttendanceRequest, key)
        if row is None or row.org != org:
            raise NotFound(field="request_id", kind="request", got=str(request_id))
        return row

    def get_request(self, actor: Actor, org: str, request_id: str) -> Request:
        """One of the organisation's requests by id; NotFound naming ``request_id`` when it has none."""
        self._gate(actor, org, write=False)
        with Session(self.engine) as session:
            return self._request(self._load(session, org, request_id))

    def _after(self, session: Session, row: AttendanceRequest, actor: Actor) -> None:
        """Apply an approved or withdrawn request to the results (a correction adds its punch)."""
        conn = session.connection()
        assert row.start_date is not None
        assert row.end_date is not None
        if row.kind == "punch_correction" and row.state == "approved":
            assert row.punched_at is not None
            self._store_punches(
                conn,
                row.org,
                [
                    Punch(
                        person_id=row.person_id,
                        punched_at=row.punched_at,
                        device="correction",
                        source="correction",
                    )
                ],
                actor,
            )
            return
        self._recompute(conn, row.org, [row.person_id], row.start_date, row.end_date)

    def _move(
        self, org: str, request_id: str, actor: Actor, transition: str, inputs: dict[str, Any] | None = None
    ) -> Request:
        self._gate(actor, org, write=True)
        with self._write(org) as session:
            row = self._load(session, org, request_id)
            engine = self._engine_for(row)
            if transition == "approve" and row.levels == 2 and row.state == "submitted":
                transition = "approve_first"
            assert row.start_date is not None
            assert row.end_date is not None
            field = "punched_at" if row.kind == "punch_correction" else "start_date"
            self._check_open(session.connection(), org, [row.start_date, row.end_date], field)
            was = row.state
            engine.fire(session, row, transition, actor, inputs)
            session.refresh(row)
            if row.state == "approved" or (was == "approved" and row.state == "cancelled"):
                self._after(session, row, actor)
            return self._request(row)

    def approve(self, actor: Actor, org: str, request_id: str) -> Request:
        """Approve (the first level first where two levels are configured); results follow at once."""
        return self._move(org, request_id, actor, "approve")

    def reject(self, actor: Actor, org: str, request_id: str, *, note: str = "") -> Request:
        """Reject with a note (free text: NUL, control and bidi characters refused naming ``note``)."""
        self._gate(actor, org, write=True)
        check_text(note, field="note", multiline=True)
        with self._write(org) as session:
            row = self._load(session, org, request_id)
            engine = self._engine_for(row)
            engine.fire(session, row, "reject", actor, {"note": note} if note else None)
            session.refresh(row)
            if note:
                session.execute(sa.update(REQUEST).where(REQUEST.c.id == row.id).values(note=note))
                session.refresh(row)
            return self._request(row)

    def cancel(self, actor: Actor, org: str, request_id: str) -> Request:
        """Withdraw a request; an approved one stops counting at once (not in a closed month)."""
        return self._move(org, request_id, actor, "cancel")

    # -- month close -------------------------------------------------------------------------------

    def _month_payload(self, context: TransitionContext) -> MonthClosed:
        return MonthClosed.model_validate(context.entity.summary | {"closed_at": context.at.isoformat()})

    def close_month(self, actor: Actor, org: str, year: int, month: int) -> MonthClosed:
        """Close the month of ``org`` (月结): results become final, ``attendance.month.closed`` is published.

        Every later change reaching into the month in ``org`` is refused with :class:`MonthLocked`;
        the same month of another organisation stays open.
        """
        self._writer(actor, org, "close_month")
        start, end = _month_range(year, month)
        self.calendar(org).days(start, end)
        with self._write(org) as session:
            conn = session.connection()
            period = f"{year:04d}-{month:02d}"
            key = f"{org}/{period}"
            row = session.get(AttendanceMonth, key)
            if row is not None and row.state == "closed":
                raise MonthLocked(field="month", month=period, domain=DOMAIN)
            self._fill(conn, org, None, start, end)
            people, units = summaries(conn, org, year, month, rest_day_minutes=self._day_minutes(org))
            summary = {
                "org": org,
                "year": year,
                "month": month,
                "closed_by": actor.id,
                "people": len(people),
                "units": [u.model_dump(mode="json") for u in units],
                "summaries": [s.model_dump(mode="json") for s in people],
            }
            if row is None:
                row = AttendanceMonth(id=key, org=org, year=year, month=month)
                try:
                    with session.begin_nested():
                        self._month.create(session, row, actor)
                except sa.exc.IntegrityError:  # closed meanwhile by a concurrent session
                    raise MonthLocked(field="month", month=period, domain=DOMAIN) from None
            row.summary = summary
            session.flush()
            result = self._month.fire(session, row, "close", actor)
            assert result.event is not None
            closed = MonthClosed.model_validate(result.event.data)
            row.closed_at = closed.closed_at
            row.summary = closed.model_dump(mode="json")
            return closed

    # -- personnel events, audit trail, published events ------------------------------------------

    def receive_event(self, actor: Actor, event: events.CloudEvent) -> Enrolment | None:
        """Apply one personnel event to enrolment (the Protocol's form of :meth:`personnel_handlers`).

        The organisation is the person's ``organization_credit_code``; the actor is the deployment's
        system actor (no organisation) or an ``attendance_clerk`` of that organisation.
        """
        readers: dict[str, type[HiredAsRead] | type[SeparatedAsRead] | type[TransferredAsRead]] = {
            EMPLOYEE_HIRED: HiredAsRead,
            EMPLOYEE_SEPARATED: SeparatedAsRead,
            EMPLOYEE_TRANSFERRED: TransferredAsRead,
        }
        reader = readers.get(event.type)
        if reader is None:
            raise InvalidInput(
                N_("{field}: {got} is not an event attendance consumes; allowed: {allowed}"),
                field="type",
                got=str(event.type),
                allowed=sorted(readers),
                domain=DOMAIN,
            )
        try:
            data = reader.model_validate(event.data)
        except ValidationError as exc:
            raise from_validation_error(exc, model=reader.__name__) from None
        org = data.person.organization_credit_code
        self._gate(actor, org, write=True)
        if actor.org is not None:
            self._require(actor, (CLERK_ROLE,), "receive_event")
        with self._write(org) as session:
            conn = session.connection()
            person_id = data.person.person_id
            if isinstance(data, HiredAsRead):
                return self._enrol_in(
                    conn,
                    org,
                    Enrolment(
                        person=data.person,
                        unit=data.unit,
                        first_employment_date=data.first_employment_date,
                        start_date=data.effective_date,
                    ),
                    actor,
                )
            if isinstance(data, SeparatedAsRead):
                try:
                    return self._end_in(conn, org, person_id, data.effective_date - timedelta(days=1), actor)
                except NotFound:
                    return None
            return self._transfer_in(conn, org, person_id, data.to_unit, data.effective_date, actor=actor)

    def _owned(self, conn: sa.Connection, org: str, entity: str, entity_id: str) -> bool:
        """Whether ``entity_id`` names a thing of ``org`` (its id never reveals another's)."""
        if entity in ("attendance_settings", "attendance"):
            return entity_id == org
        if entity in ("leave_request", "business_trip", "punch_correction"):
            try:
                key = int(entity_id)
            except ValueError:
                return False
            found = conn.execute(sa.select(REQUEST.c.org).where(REQUEST.c.id == key)).scalar()
            return found == org
        return entity_id.startswith(f"{org}/")

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        """The audit records of one thing of ``org``, oldest first (entities: :data:`AUDITED_ENTITIES`)."""
        self._gate(actor, org, write=False)
        if entity not in AUDITED_ENTITIES:
            raise InvalidInput(
                N_("{field}: {got} is not an audited entity; allowed: {allowed}"),
                field="entity",
                got=str(entity),
                allowed=sorted(AUDITED_ENTITIES),
                domain=DOMAIN,
            )
        with self.engine.connect() as conn:
            if not self._owned(conn, org, entity, str(entity_id)):
                raise NotFound(field="entity_id", kind=entity, got=str(entity_id))
            return audit.trail(conn, entity, str(entity_id))

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[events.CloudEvent]:
        """The events published for ``org`` (month closed, leave approved), in publication order."""
        self._gate(actor, org, write=False)
        types = [t.type for t in (MONTH_CLOSED, LEAVE_APPROVED)]
        if type is not None:
            types = [t for t in types if t == type]
        if not types:
            return []
        outbox = events.OutboxEvent.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            rows = (
                conn.execute(sa.select(outbox).where(outbox.c.type.in_(types)).order_by(outbox.c.position))
                .mappings()
                .all()
            )
            leave_ids = [
                int(r["subject"].rsplit("/", 1)[1])
                for r in rows
                if r["type"] == LEAVE_APPROVED.type and r["subject"].rsplit("/", 1)[-1].isdigit()
            ]
            mine = {
                str(i)
                for (i,) in conn.execute(
                    sa.select(REQUEST.c.id).where(REQUEST.c.org == org, REQUEST.c.id.in_(leave_ids))
                )
            }
        found: list[events.CloudEvent] = []
        for r in rows:
            if r["type"] == MONTH_CLOSED.type:
                if not (isinstance(r["data"], dict) and r["data"].get("org") == org):
                    continue
            elif r["subject"].rsplit("/", 1)[-1] not in mine:
                continue
            found.append(
                events.CloudEvent.model_validate(
                    {
                        "specversion": "1.0",
                        "id": r["id"],
                        "source": r["source"],
                        "type": r["type"],
                        "time": r["time"],
                        "subject": r["subject"],
                        "datacontenttype": r["datacontenttype"],
                        "dataschema": r["dataschema"],
                        "data": r["data"],
                        **(r["extensions"] or {}),
                    }
                )
            )
        return found


@contextmanager
def reference_factory() -> Iterator[ReferenceService]:
    """A reference service on a fresh SQLite database in a temporary directory (any organisations)."""
    with tempfile.TemporaryDirectory(prefix="govparts-attendance-") as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'attendance.db'}")
        metadata.create_all(engine)
        try:
            yield ReferenceService(engine)
        finally:
            engine.dispose()
