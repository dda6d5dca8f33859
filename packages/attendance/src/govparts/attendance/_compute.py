"""Computing daily results in bulk and summarising months (the reference implementation's engine room).

One pass for any set of people and days: enrolments, shift assignments, approved absences and the
calendar are loaded once, punches are read with one query per batch of people, days are judged in
Python on integer minutes (:mod:`._day_rules`), and results are written back with one bulk delete
and one bulk insert per batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from govparts.core.calendar import WorkCalendar

from ._day_rules import DayPlan, decide_day, plan_day
from ._leave_rules import leave_type_rule
from ._models import DailyResult, DayStatus, MonthSummary, OvertimeKind, Shift, UnitMonthSummary
from ._overtime_rules import RestCredit, compensatory_rest_ledger, overtime_class
from ._tables import ASSIGNMENT, COMP_REST, ENROLMENT, PUNCH, REQUEST, RESULT

__all__ = ["compute_results", "rest_ledger_inputs", "rest_moves", "result_from_row", "summaries"]

_BATCH = 2000
_DAY = 1440
_APPROVED = "approved"


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _local_midnight_utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


class _ShiftTable:
    """Which shift a person works on a day: person assignments first, then their unit's."""

    def __init__(self, rows: Iterable[sa.RowMapping], shifts: Mapping[str, Shift]) -> None:
        self.by_person: dict[str, list[tuple[date, date | None, str]]] = defaultdict(list)
        self.by_unit: dict[str, list[tuple[date, date | None, str]]] = defaultdict(list)
        for row in rows:
            entry = (row["valid_from"], row["valid_to"], row["shift_code"])
            if row["person_id"] is not None:
                self.by_person[row["person_id"]].append(entry)
            else:
                self.by_unit[row["unit_code"]].append(entry)
        for table in (self.by_person, self.by_unit):
            for entries in table.values():
                entries.sort(key=lambda e: e[0], reverse=True)
        self.shifts = shifts
        self._plans: dict[tuple[str, date], DayPlan] = {}

    @staticmethod
    def _pick(entries: list[tuple[date, date | None, str]] | None, day: date) -> str | None:
        if entries:
            for valid_from, valid_to, code in entries:
                if valid_from <= day and (valid_to is None or day <= valid_to):
                    return code
        return None

    def plan(self, person_id: str, unit_code: str, day: date) -> DayPlan | None:
        code = self._pick(self.by_person.get(person_id), day) or self._pick(self.by_unit.get(unit_code), day)
        if code is None:
            return None
        key = (code, day)
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = plan_day(self.shifts[code], day)
        return found


def compute_results(
    conn: sa.Connection,
    *,
    org: str,
    calendar: WorkCalendar,
    zone: ZoneInfo,
    shifts: Mapping[str, Shift],
    start: date,
    end: date,
    persons: Iterable[str] | None = None,
    frozen: Iterable[tuple[date, date]] = (),
    regional_festival: str = "statutory_holiday",
) -> int:
    """Recompute and store the results of ``persons`` of ``org`` (default: all) from ``start`` to ``end``.

    Days inside a ``frozen`` range (closed months) are left as stored. Returns the rows written.
    """
    frozen = tuple(frozen)
    days = [d for d in calendar.days(start, end) if not any(lo <= d.date <= hi for lo, hi in frozen)]
    if not days:
        return 0
    start, end = days[0].date, days[-1].date
    query = sa.select(
        ENROLMENT.c.person_id, ENROLMENT.c.unit_code, ENROLMENT.c.start_date, ENROLMENT.c.end_date
    ).where(
        ENROLMENT.c.organization_credit_code == org,
        ENROLMENT.c.start_date <= end,
        sa.or_(ENROLMENT.c.end_date.is_(None), ENROLMENT.c.end_date >= start),
    )
    wanted = None if persons is None else sorted(set(persons))
    enrolments: dict[str, list[tuple[date, date | None, str]]] = defaultdict(list)
    for batch in [None] if wanted is None else list(_chunks(wanted, _BATCH)):
        q = query if batch is None else query.where(ENROLMENT.c.person_id.in_(batch))
        for row in conn.execute(q):
            enrolments[row.person_id].append((row.start_date, row.end_date, row.unit_code))
    people = sorted(enrolments)
    table = _ShiftTable(conn.execute(sa.select(ASSIGNMENT).where(ASSIGNMENT.c.org == org)).mappings(), shifts)
    window_lo = _local_midnight_utc(start - timedelta(days=1), zone)
    window_hi = _local_midnight_utc(end + timedelta(days=2), zone)
    kinds = [(d.date, d.kind, overtime_class(d, regional_festival=regional_festival)) for d in days]
    written = 0
    for batch in _chunks(people, _BATCH):
        punches = _punch_minutes(conn, org, batch, lo=window_lo, hi=window_hi, zone=zone)
        absences = _absences(conn, org, batch, start, end)
        out: list[dict[str, Any]] = []
        for person_id in batch:
            mine = sorted(punches.get(person_id, ()))
            spans = enrolments[person_id]
            away = absences.get(person_id)
            for day, kind, off_class in kinds:
                unit = None
                for lo, hi, unit_code in spans:
                    if lo <= day and (hi is None or day <= hi):
                        unit = unit_code
                        break
                if unit is None:
                    continue
                absence = away.get(day) if away else None
                if absence is not None and not absence[2] and not kind.is_workday:
                    absence = None
                judged = decide_day(
                    day,
                    kind,
                    table.plan(person_id, unit, day),
                    mine,
                    absence[:2] if absence else None,
                    off_class=off_class,
                )
                out.append(
                    {
                        "org": org,
                        "person_id": person_id,
                        "day": day,
                        "unit_code": unit,
                        "day_kind": kind.value,
                        "due": judged.due,
                        "status": judged.status.value,
                        "shift_code": judged.shift_code,
                        "late_minutes": judged.late_minutes,
                        "early_minutes": judged.early_minutes,
                        "missing_punches": judged.missing_punches,
                        "worked_minutes": judged.worked_minutes,
                        "absent_half_days": judged.absent_half_days,
                        "leave_type": judged.leave_type,
                        "overtime_kind": judged.overtime_kind.value if judged.overtime_kind else None,
                        "overtime_minutes": judged.overtime_minutes,
                    }
                )
        conn.execute(
            sa.delete(RESULT).where(
                RESULT.c.org == org, RESULT.c.person_id.in_(batch), RESULT.c.day >= start, RESULT.c.day <= end
            )
        )
        if out:
            _insert_results(conn, out)
        written += len(out)
    return written


_COLUMNS = (
    "org",
    "person_id",
    "day",
    "unit_code",
    "day_kind",
    "due",
    "status",
    "shift_code",
    "late_minutes",
    "early_minutes",
    "missing_punches",
    "worked_minutes",
    "absent_half_days",
    "leave_type",
    "overtime_kind",
    "overtime_minutes",
)


def _punch_minutes(
    conn: sa.Connection, org: str, batch: Sequence[str], *, lo: datetime, hi: datetime, zone: ZoneInfo
) -> dict[str, list[int]]:
    """Each person's punches from ``lo`` to ``hi`` as local minutes (see ``_day_rules``), one query.

    On SQLite the stored text (naive UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``, as ``UTCDateTime`` writes
    it) is read as is and cut into numbers, which avoids building a datetime per punch.
    """
    found: dict[str, list[int]] = defaultdict(list)
    offsets: dict[str, int] = {}
    if conn.dialect.name == "sqlite":
        marks = ",".join("?" * len(batch))
        rows = conn.exec_driver_sql(
            f"SELECT person_id, punched_at FROM {PUNCH.name} "
            f"WHERE org = ? AND person_id IN ({marks}) AND punched_at >= ? AND punched_at < ?",
            (org, *batch, _sqlite_text(lo), _sqlite_text(hi)),
        )
        for person_id, text in rows:
            hour_key = text[:13]
            base = offsets.get(hour_key)
            if base is None:
                moment = datetime.fromisoformat(hour_key + ":00").replace(tzinfo=UTC)
                delta = moment.astimezone(zone).utcoffset()
                shift = int(delta.total_seconds()) // 60 if delta is not None else 0
                base = offsets[hour_key] = moment.toordinal() * _DAY + moment.hour * 60 + shift
            found[person_id].append(base + int(text[14:16]))
        return found
    rows = conn.execute(
        sa.select(PUNCH.c.person_id, PUNCH.c.punched_at).where(
            PUNCH.c.org == org,
            PUNCH.c.person_id.in_(batch),
            PUNCH.c.punched_at >= lo,
            PUNCH.c.punched_at < hi,
        )
    )
    for person_id, at in rows:
        local = at.astimezone(zone)
        found[person_id].append(local.toordinal() * _DAY + local.hour * 60 + local.minute)
    return found


def _sqlite_text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _insert_results(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Bulk insert of result rows; on SQLite straight through the driver (no per-row processing)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        # Two sessions may compute the same days at once (a read filling gaps while a month closes):
        # both computed them from committed data, so the later write simply replaces the earlier.
        upsert = pg_insert(RESULT)
        keys = {"org", "person_id", "day"}
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=sorted(keys),
                set_={c: upsert.excluded[c] for c in _COLUMNS if c not in keys},
            ),
            rows,
        )
        return
    if conn.dialect.name != "sqlite":
        conn.execute(sa.insert(RESULT), rows)
        return
    values = [
        tuple((r[c].isoformat() if c == "day" else int(r[c]) if c == "due" else r[c]) for c in _COLUMNS)
        for r in rows
    ]
    conn.exec_driver_sql(
        f"INSERT OR REPLACE INTO {RESULT.name} ({', '.join(_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(_COLUMNS))})",
        values,
    )


def _absences(
    conn: sa.Connection, org: str, persons: Sequence[str], start: date, end: date
) -> dict[str, dict[date, tuple[DayStatus, str | None, bool]]]:
    """Approved leave and trips by person and day: (status, leave type, counts on rest days)."""
    found: dict[str, dict[date, tuple[DayStatus, str | None, bool]]] = defaultdict(dict)
    rows = conn.execute(
        sa.select(
            REQUEST.c.person_id,
            REQUEST.c.kind,
            REQUEST.c.leave_type,
            REQUEST.c.start_date,
            REQUEST.c.end_date,
        )
        .where(
            REQUEST.c.org == org,
            REQUEST.c.person_id.in_(persons),
            REQUEST.c.state == _APPROVED,
            REQUEST.c.kind != "punch_correction",
            REQUEST.c.start_date <= end,
            REQUEST.c.end_date >= start,
        )
        .order_by(REQUEST.c.id)
    )
    for row in rows:
        if row.kind == "leave":
            entry = (
                DayStatus.LEAVE,
                row.leave_type,
                leave_type_rule(row.leave_type).counts == "calendar_days",
            )
        else:
            entry = (DayStatus(row.kind), None, False)
        day = max(row.start_date, start)
        while day <= min(row.end_date, end):
            found[row.person_id][day] = entry
            day += timedelta(days=1)
    return found


_PRESENT = {
    DayStatus.NORMAL,
    DayStatus.LATE,
    DayStatus.LEFT_EARLY,
    DayStatus.LATE_AND_LEFT_EARLY,
    DayStatus.MISSING_PUNCH,
    DayStatus.BUSINESS_TRIP,
    DayStatus.OFFICIAL_OUTING,
}


def rest_ledger_inputs(
    conn: sa.Connection,
    org: str,
    persons: Sequence[str] | None,
    until: date,
    day_minutes: int,
    *,
    states: Sequence[str] = (_APPROVED,),
) -> tuple[dict[str, list[RestCredit]], dict[str, list[tuple[date, int]]]]:
    """Each person's compensatory-rest credits and debits up to ``until``, in two queries.

    A debit is a leave of type ``compensatory_rest`` in one of ``states``, taken on its first day,
    of ``days × day_minutes`` minutes.
    """
    c, q = COMP_REST.c, REQUEST.c
    credits: dict[str, list[RestCredit]] = defaultdict(list)
    query = sa.select(c.person_id, c.worked, c.minutes, c.expires).where(c.org == org, c.worked <= until)
    if persons is not None:
        query = query.where(c.person_id.in_(persons))
    for person_id, worked, minutes, expires in conn.execute(query):
        credits[person_id].append(RestCredit(worked, minutes, expires))
    debits: dict[str, list[tuple[date, int]]] = defaultdict(list)
    taken = sa.select(q.person_id, q.start_date, q.days).where(
        q.org == org,
        q.kind == "leave",
        q.leave_type == "compensatory_rest",
        q.state.in_(states),
        q.start_date <= until,
    )
    if persons is not None:
        taken = taken.where(q.person_id.in_(persons))
    for person_id, start, days in conn.execute(taken):
        debits[person_id].append((start, days * day_minutes))
    return credits, debits


def rest_moves(
    conn: sa.Connection,
    org: str,
    year: int,
    month: int,
    persons: Sequence[str] | None,
    *,
    day_minutes: int,
) -> dict[str, tuple[int, int, int, int, int]]:
    """Each person's compensatory rest in the month: opening, credited, taken, expired, closing."""
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    credits, debits = rest_ledger_inputs(conn, org, persons, end, day_minutes)
    moves: dict[str, tuple[int, int, int, int, int]] = {}
    for person_id in credits.keys() | debits.keys():
        mine, taken = credits.get(person_id, []), debits.get(person_id, [])
        before = compensatory_rest_ledger(mine, taken, start - timedelta(days=1))
        after = compensatory_rest_ledger(mine, taken, end)
        moves[person_id] = (
            before.remaining,
            after.credited - before.credited,
            after.taken - before.taken,
            after.expired - before.expired,
            after.remaining,
        )
    return moves


def summaries(
    conn: sa.Connection,
    org: str,
    year: int,
    month: int,
    persons: Sequence[str] | None = None,
    *,
    rest_day_minutes: int = 480,
) -> tuple[list[MonthSummary], list[UnitMonthSummary]]:
    """The organisation's people's and units' months from the stored results, in SQL (three grouped queries).

    The same figures as :func:`summarise` and :func:`summarise_units`: days due and present (half
    a day for ``half_day_absent``), late and early counts and minutes, missing punches, absences,
    trips, outings, leave days by type and overtime minutes by class; and each person's
    compensatory rest moves (:func:`rest_moves`). A person's unit is the unit of their last day in
    the month.
    """
    r = RESULT.c
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    where = [r.org == org, r.day.between(start, end)]
    if persons is not None:
        where.append(r.person_id.in_(persons))
    due = r.due.is_(True)
    present = sa.case(
        (sa.and_(due, r.status.in_([s.value for s in _PRESENT])), 2),
        (sa.and_(due, r.status == DayStatus.HALF_DAY_ABSENT.value), 1),
        else_=0,
    )

    def count(cond: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
        return sa.func.sum(sa.case((cond, 1), else_=0))

    main = conn.execute(
        sa.select(
            r.person_id,
            r.unit_code,
            sa.func.max(r.day),
            count(due),
            sa.func.sum(present),
            count(r.late_minutes > 0),
            sa.func.sum(r.late_minutes),
            count(r.early_minutes > 0),
            sa.func.sum(r.early_minutes),
            sa.func.sum(r.missing_punches),
            sa.func.sum(sa.case((due, r.absent_half_days), else_=0)),
            count(r.status == DayStatus.BUSINESS_TRIP.value),
            count(r.status == DayStatus.OFFICIAL_OUTING.value),
        )
        .where(*where)
        .group_by(r.person_id, r.unit_code)
    ).all()
    leave: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for person_id, unit_code, kind, days in conn.execute(
        sa.select(r.person_id, r.unit_code, r.leave_type, sa.func.count())
        .where(*where, r.status == DayStatus.LEAVE.value, r.leave_type.is_not(None))
        .group_by(r.person_id, r.unit_code, r.leave_type)
    ):
        leave[(person_id, unit_code)][kind] = int(days)
    overtime: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for person_id, unit_code, kind, minutes in conn.execute(
        sa.select(r.person_id, r.unit_code, r.overtime_kind, sa.func.sum(r.overtime_minutes))
        .where(*where, r.overtime_kind.is_not(None))
        .group_by(r.person_id, r.unit_code, r.overtime_kind)
    ):
        overtime[(person_id, unit_code)][kind] = int(minutes)
    people: dict[str, list[Any]] = {}
    units: dict[str, list[Any]] = {}
    for row in main:
        key = (row[0], row[1])
        figures = [int(v or 0) for v in row[3:]]
        for table, name, with_unit in ((people, row[0], True), (units, row[1], False)):
            entry = table.get(name)
            if entry is None:
                entry = table[name] = [row[1], row[2], [0] * len(figures), {}, {}, set()]
            if with_unit and row[2] > entry[1]:
                entry[0], entry[1] = row[1], row[2]
            entry[2] = [a + b for a, b in zip(entry[2], figures, strict=True)]
            for target, source in ((entry[3], leave.get(key, {})), (entry[4], overtime.get(key, {}))):
                for k, v in source.items():
                    target[k] = target.get(k, 0) + v
            entry[5].add(row[0])
    moves = rest_moves(conn, org, year, month, persons, day_minutes=rest_day_minutes)
    person_summaries = [
        MonthSummary(
            person_id=pid,
            unit_code=e[0],
            year=year,
            month=month,
            days_due=e[2][0],
            days_present=Decimal(e[2][1]) / 2,
            late_count=e[2][2],
            late_minutes=e[2][3],
            early_count=e[2][4],
            early_minutes=e[2][5],
            missing_punches=e[2][6],
            absent_days=Decimal(e[2][7]) / 2,
            business_trip_days=e[2][8],
            official_outing_days=e[2][9],
            leave_days=e[3],
            overtime_minutes=e[4],
            **_moves(moves.get(pid)),
        )
        for pid, e in sorted(people.items())
    ]
    unit_summaries = [
        UnitMonthSummary(
            unit_code=code,
            year=year,
            month=month,
            people=len(e[5]),
            days_due=e[2][0],
            days_present=Decimal(e[2][1]) / 2,
            late_count=e[2][2],
            late_minutes=e[2][3],
            absent_days=Decimal(e[2][7]) / 2,
            leave_days=e[3],
            overtime_minutes=e[4],
        )
        for code, e in sorted(units.items())
    ]
    return person_summaries, unit_summaries


def _moves(found: tuple[int, int, int, int, int] | None) -> dict[str, int]:
    names = ("opening", "credited", "taken", "expired", "closing")
    return {f"compensatory_rest_{n}_minutes": v for n, v in zip(names, found or (0,) * 5, strict=True)}


def result_from_row(row: sa.RowMapping) -> DailyResult:
    """A stored result row as the published model."""
    return DailyResult(
        person_id=row["person_id"],
        day=row["day"],
        unit_code=row["unit_code"],
        day_kind=row["day_kind"],
        due=bool(row["due"]),
        status=DayStatus(row["status"]),
        shift_code=row["shift_code"],
        late_minutes=row["late_minutes"],
        early_minutes=row["early_minutes"],
        missing_punches=row["missing_punches"],
        worked_minutes=row["worked_minutes"],
        absent_days=Decimal(row["absent_half_days"]) / 2,
        leave_type=row["leave_type"],
        overtime_kind=OvertimeKind(row["overtime_kind"]) if row["overtime_kind"] else None,
        overtime_minutes=row["overtime_minutes"],
    )
