"""attendance-month: one month of a large organisation's punches → daily results and monthly summaries.

10,000 people (the ``records`` argument) in 20 units of a Xinjiang organisation on the region's
calendar (March 2025: 肉孜节 on 29–31 March); four units keep split hours with four punches a day,
the others a fixed day with two (some late, some leaving early, a few missing, 2 % absent): about
440,000 punches. The subject recomputes every person-day of the month
through :meth:`ReferenceService.recompute` (one punch query per batch of 2,000 people, judged in
Python on integer minutes, one bulk delete and insert per batch) and then builds every person's
monthly summary (:meth:`ReferenceService.month_summaries`). The floor reads the same punches of the
same month from the same database with plain ``sqlite3`` (on PostgreSQL, ``run.py --db``: psycopg 3).
The issue's target is absolute: the whole month in at most 10 s with peak memory under 1 GiB; both
are reported in the notes.
"""

from __future__ import annotations

import random
import resource
import sqlite3
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from harness import Result, compare, is_postgresql, libpq_url, new_database, scenario, sqlite_path

from govparts.attendance import OrgSettings, Period, Shift, ShiftAssignment, Timetable
from govparts.attendance.service import ReferenceService
from govparts.attendance.tables import AttendanceEnrolment, AttendancePunch
from govparts.core.db import create_engine, metadata
from govparts.core.security import Actor

ORG = "91650100MA0000001U"
YEAR, MONTH = 2025, 3
BJ = ZoneInfo("Asia/Shanghai")
CLERK = Actor(id="bench-clerk", name="考勤员", roles=frozenset({"attendance_clerk"}))
"""A deployment-wide actor (no ``org``): the benchmark acts for every organisation it builds."""


def _period(h1: int, m1: int, h2: int, m2: int) -> Period:
    return Period(start=time(h1, m1), end=time(h2, m2))


def _setup(people: int, url: str, orgs: tuple[str, ...] = (ORG,)) -> tuple[ReferenceService, int]:
    """The database at ``url`` with ``people`` people in each of ``orgs`` and a month of their punches."""
    engine = create_engine(url)
    metadata.create_all(engine)
    service = ReferenceService(engine, {org: OrgSettings(region="650000") for org in orgs})
    punches: list[dict[str, object]] = []
    enrol: list[dict[str, object]] = []
    for org in orgs:
        _office(service, org, people, enrol, punches)
    with engine.begin() as conn:
        conn.execute(sa.insert(AttendanceEnrolment.__table__), enrol)  # type: ignore[attr-defined]
        conn.execute(sa.insert(AttendancePunch.__table__), punches)  # type: ignore[attr-defined]
    return service, len(punches)


def _office(
    service: ReferenceService,
    org: str,
    people: int,
    enrol: list[dict[str, object]],
    punches: list[dict[str, object]],
) -> None:
    """One organisation's shifts, people and punches (the same for every organisation)."""
    service.define_shift(
        CLERK,
        org,
        Shift(
            code="XJ",
            name="新疆作息",
            kind="split",
            timetables=(
                Timetable(
                    starts_on="05-01",
                    periods=(Period(start=time(10), end=time(14)), Period(start=time(16), end=time(20))),
                ),
                Timetable(
                    starts_on="10-01",
                    periods=(
                        Period(start=time(10), end=time(14)),
                        Period(start=time(15, 30), end=time(19, 30)),
                    ),
                ),
            ),
            grace_late_minutes=5,
            grace_early_minutes=5,
            half_day_minutes=240,
        ),
    )
    service.define_shift(
        CLERK,
        org,
        Shift(
            code="DAY",
            name="常日班",
            timetables=(Timetable(periods=(Period(start=time(10), end=time(19, 30)),)),),
            grace_late_minutes=5,
            grace_early_minutes=5,
            half_day_minutes=240,
        ),
    )
    units = [f"U{n:02d}" for n in range(20)]
    for number, unit in enumerate(units):
        code = "XJ" if number % 5 == 0 else "DAY"
        service.assign_shift(
            CLERK, org, ShiftAssignment(shift_code=code, unit_code=unit, valid_from=date(2025, 1, 1))
        )
    enrol.extend(
        {
            "person_id": f"P{n:06d}",
            "person_name": f"职工{n}",
            "organization_credit_code": org,
            "unit_code": units[n % len(units)],
            "unit_name": units[n % len(units)],
            "first_employment_date": date(1990 + n % 30, 1 + n % 12, 1),
            "start_date": date(2025, 1, 1),
            "end_date": None,
        }
        for n in range(people)
    )
    workdays = service.calendar(org).workdays_in_month(YEAR, MONTH)
    rng = random.Random(20250301)
    for n in range(people):
        pid = f"P{n:06d}"
        for day in workdays:
            roll = rng.random()
            if roll < 0.02:
                continue  # absent
            times = [time(9, 50 + rng.randrange(10)), time(14, rng.randrange(5)), time(15, 25), time(19, 31)]
            if roll < 0.10:
                times[0] = time(10, 6 + rng.randrange(30))
            elif roll < 0.13:
                times[-1] = time(19, rng.randrange(20))
            elif roll < 0.15:
                times.pop(1)
            split = n % 5 == 0
            for t in times if split else times[:: len(times) - 1]:
                punches.append(
                    {
                        "org": org,
                        "person_id": pid,
                        "punched_at": datetime.combine(day, t, BJ).astimezone(UTC),
                        "device": "GATE-1",
                    }
                )


@scenario(
    "attendance-month",
    description="10,000 people x one month of punches -> daily results and monthly summaries",
    default_records=10_000,
    target_ratio=None,
)
def attendance_month(records: int) -> Result:
    first = date(YEAR, MONTH, 1)
    last = date(YEAR, MONTH + 1, 1) - timedelta(days=1)
    url = new_database("attendance")
    postgresql = is_postgresql()
    service, punches = _setup(records, url)
    lo = datetime.combine(first, time(0), BJ).astimezone(UTC)
    hi = datetime.combine(last + timedelta(days=1), time(0), BJ).astimezone(UTC)
    query = "SELECT person_id, punched_at FROM attendance_punch WHERE punched_at >= {0} AND punched_at < {0}"

    def subject() -> object:
        written = service.recompute(CLERK, ORG, first, last)
        return written, service.month_summaries(CLERK, ORG, YEAR, MONTH)

    def floor() -> object:
        if postgresql:
            import psycopg

            with psycopg.connect(libpq_url(url)) as conn:
                return conn.execute(query.format("%s"), (lo, hi)).fetchall()
        text = "%Y-%m-%d %H:%M:%S.%f"  # how UTCDateTime stores a time on SQLite (naive UTC)
        with sqlite3.connect(sqlite_path(url)) as conn:
            return conn.execute(query.format("?"), (lo.strftime(text), hi.strftime(text))).fetchall()

    started = clock.perf_counter()
    written, summaries = subject()  # type: ignore[misc]
    once = clock.perf_counter() - started
    result = compare(
        name="attendance-month",
        records=records,
        subject=subject,
        floor=floor,
        subject_label="ReferenceService.recompute + month_summaries (the month's results and summaries)",
        floor_label=f"{'psycopg' if postgresql else 'sqlite3'}: SELECT the month's punches, fetchall",
        target_ratio=None,
    )
    service.engine.dispose()
    seconds = records / result["subject"]["records_per_second"]
    peak = result["subject"].get("peak_memory_bytes", 0) / 2**20
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    result["punches"] = punches
    result["daily_results"] = written
    result["meets_seconds_target"] = seconds <= 10
    result["meets_memory_target"] = rss < 1024
    result["notes"] = [
        f"{punches:,} punches, {written:,} person-days, {len(summaries):,} monthly summaries",
        f"whole month best of 3: {seconds:.2f} s (first run {once:.2f} s); target <= 10 s: "
        f"{'met' if seconds <= 10 else 'missed'}",
        f"peak traced Python memory {peak:.0f} MiB; target < 1024 MiB: {'met' if peak < 1024 else 'missed'}",
        f"peak resident set of the whole process (setup included, SQLite's own memory too): {rss:.0f} MiB",
    ]
    return result
