"""A second vendor's attendance part, on plain sqlite3, conforms and plays the demo next to ours.

``tests/vendors/attendance_sqlite3`` implements ``AttendanceService`` as another vendor would: on the
standard library's ``sqlite3``, with its own rules, knowing the reference only through the published
models, errors, message catalogue and events. Here it runs the attendance conformance suite, proves
it imports nothing of the reference implementation, and plays the shared demo scenario between the
reference personnel and finance parts, learning the office's people from personnel's events alone.
This is the project's central claim, tested.
"""

from __future__ import annotations

import ast
import csv
import inspect
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from govparts.attendance.models import (
    Enrolment,
    LeaveRequestIn,
    OrgSettings,
    Period,
    Punch,
    Shift,
    ShiftAssignment,
    Timetable,
)
from govparts.attendance.service import AttendanceService
from govparts.conformance import run_conformance
from govparts.core import events, migrate
from govparts.core.db import create_engine
from govparts.core.demo import PEOPLE, DemoContext, make_office, plan, run_scenario
from govparts.core.errors import GuardFailed, OrganizationDenied
from govparts.core.parts import Part, get_part
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

VENDORS = Path(__file__).parent / "vendors"
sys.path.insert(0, str(VENDORS))

from attendance_sqlite3 import VENDOR, SqliteAttendanceService, vendor_factory  # noqa: E402 - needs the path above
from attendance_sqlite3.demo import SERVICE  # noqa: E402
from attendance_sqlite3.part import PART  # noqa: E402

PACKAGE = VENDORS / "attendance_sqlite3"
FORBIDDEN = (
    "govparts.attendance._service",
    "govparts.attendance._compute",
    "govparts.attendance._day_rules",
    "govparts.attendance._leave_rules",
    "govparts.attendance._overtime_rules",
    "govparts.attendance._tables",
    "govparts.attendance.tables",
    "govparts.attendance.service",
    "govparts.attendance.processes",
    "govparts.attendance._processes",
)
ALLOWED_FROM_PACKAGE = {"DOMAIN", "MonthLocked", "Period", "Timetable"}
"""Names the vendor may take from ``govparts.attendance`` itself: published models, the error, the domain."""
ORG = "91650100MA0000001U"
INSTITUTE = "12650100MB00000026"
"""A public institution (事业单位) kept by the same deployment."""
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"attendance_clerk"}), org=ORG)
BJ = ZoneInfo("Asia/Shanghai")
_DAY_SHIFT = Shift(
    code="DAY", name="常日班", timetables=(Timetable(periods=(Period(start=time(9), end=time(18)),)),)
)


def test_conforms_to_the_attendance_suite() -> None:
    """Passes every MUST requirement of the published attendance suite, omitting none."""
    statement = run_conformance(
        "attendance", vendor_factory, target="attendance_sqlite3.service:vendor_factory"
    )
    totals = statement.totals
    print(f"vendor attendance conformance: {totals['MUST']} MUST, {totals['SHOULD']} SHOULD")
    failing = {r.id: (r.result.value, r.detail) for r in statement.requirements if r.result.value != "pass"}
    assert statement.conforms, failing
    assert totals["MUST"]["omit"] == 0, failing
    assert totals["MUST"]["pass"] == sum(totals["MUST"].values()) > 0


def test_offers_every_method_of_the_protocol() -> None:
    """Has each method of ``AttendanceService`` with the protocol's parameter names."""
    wanted = {
        name: list(inspect.signature(fn).parameters)
        for name, fn in inspect.getmembers(AttendanceService, inspect.isfunction)
        if not name.startswith("_")
    }
    assert wanted
    for name, params in wanted.items():
        mine = getattr(SqliteAttendanceService, name, None)
        assert mine is not None, f"missing {name}"
        assert list(inspect.signature(mine).parameters) == params, name


def _imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def test_source_imports_no_reference_code_and_no_orm() -> None:
    """Its sources import only published attendance modules, and neither SQLAlchemy nor SQLModel."""
    sources = sorted(PACKAGE.glob("*.py"))
    assert {p.name for p in sources} >= {"__init__.py", "service.py", "rules.py", "demo.py", "part.py"}
    for path in sources:
        for module, names in _imports(path):
            where = f"{path.name}: {module}"
            assert module.split(".")[0] not in ("sqlalchemy", "sqlmodel"), where
            if module == "govparts.attendance":
                assert set(names) <= ALLOWED_FROM_PACKAGE, f"{where} {names}"
            elif module.startswith("govparts.attendance."):
                assert module in ("govparts.attendance.models", "govparts.attendance.events"), where


def test_importing_it_loads_no_reference_module() -> None:
    """Importing every vendor module, in a fresh interpreter, loads no reference-implementation module.

    ``govparts/attendance/__init__.py`` itself re-exports the reference's pure rules, so importing
    any published attendance module loads ``_day_rules`` and ``_leave_rules``; those count only if the
    vendor adds them beyond what the published modules load alone (the source scan above shows it names
    none of them). The implementation proper (service, tables, computation) must not load at all.
    """
    probe = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(VENDORS)!r})\n"
        "def mine(): return sorted(m for m in sys.modules if m.startswith('govparts.attendance'))\n"
        "import govparts.attendance.models, govparts.attendance.events\n"
        "published = mine()\n"
        "import attendance_sqlite3, attendance_sqlite3.demo, attendance_sqlite3.part\n"
        "import attendance_sqlite3.rules, attendance_sqlite3.service\n"
        "print(json.dumps([published, mine()]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    published, loaded = (set(names) for names in json.loads(done.stdout.strip().splitlines()[-1]))
    assert "govparts.attendance.models" in loaded, loaded  # the probe really sees the part's modules
    # The published modules load none of the reference (its rules are loaded lazily), and neither does
    # the vendor.
    assert published <= loaded
    assert not published & set(FORBIDDEN), sorted(published & set(FORBIDDEN))
    assert not loaded & set(FORBIDDEN), sorted(loaded & set(FORBIDDEN))


def _event(kind: str, data: dict[str, object], event_id: str) -> events.CloudEvent:
    return events.CloudEvent.model_validate(
        {
            "id": event_id,
            "source": "urn:govparts:test",
            "type": f"cn.govparts.personnel.employee.{kind}.v1",
            "subject": "employee/E001",
            "time": "2023-04-01T00:00:00Z",
            "data": data,
        }
    )


def test_handler_applies_each_personnel_event_once(tmp_path: Path) -> None:
    """Enrols on hired, moves on transferred, ends on separated; a repeated event id changes nothing."""
    service = SqliteAttendanceService(tmp_path / "a.sqlite3")
    handler = service.personnel_handler()
    person = PersonRef(person_id="E001", organization_credit_code=ORG, name="阿依古丽·买买提").model_dump(
        mode="json"
    )
    bgs = OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室").model_dump(mode="json")
    cwk = OrgUnitRef(organization_credit_code=ORG, unit_code="CWK", name="财务科").model_dump(mode="json")
    hired = _event(
        "hired",
        {
            "person": person,
            "unit": bgs,
            "effective_date": "2023-03-01",
            "first_employment_date": "2015-03-10",
            "category": "10",  # producer fields the tolerant reader ignores
            "hire_type": "recruitment",
        },
        "ev-1",
    )
    moved = _event(
        "transferred",
        {"person": person, "from_unit": bgs, "to_unit": cwk, "effective_date": "2023-04-17"},
        "ev-2",
    )
    left = _event(
        "separated", {"person": person, "unit": cwk, "reason": "04", "effective_date": "2023-04-29"}, "ev-3"
    )
    for event in (hired, hired, moved, moved, left, left):
        handler.func(None, event)  # type: ignore[arg-type]  # the vendor ignores the session
    enrolment = service.enrolment(CLERK, ORG, "E001")
    assert (enrolment.unit.unit_code, enrolment.start_date, enrolment.end_date) == (
        "CWK",
        date(2023, 4, 17),
        date(2023, 4, 28),
    )
    assert service.processed_events(ORG) == 3
    days = service.daily_results(CLERK, ORG, "E001", date(2023, 4, 14), date(2023, 4, 30))
    assert [(d.day.day, d.unit_code) for d in days if d.day.day in (14, 17, 28)] == [
        (14, "BGS"),
        (17, "CWK"),
        (28, "CWK"),
    ]
    assert days[-1].day == date(2023, 4, 28)


def test_keeps_each_organisation_apart(tmp_path: Path) -> None:
    """Enrols E001 of two organisations from their own events; each clerk sees only their own E001."""
    service = SqliteAttendanceService(tmp_path / "a.sqlite3")
    handler = service.personnel_handler()
    for number, org in enumerate((ORG, INSTITUTE)):
        person = PersonRef(person_id="E001", organization_credit_code=org, name=("王建国", "李华")[number])
        unit = OrgUnitRef(organization_credit_code=org, unit_code="BGS", name="办公室")
        data = {
            "person": person.model_dump(mode="json"),
            "unit": unit.model_dump(mode="json"),
            "effective_date": f"2023-0{number + 3}-01",
            "first_employment_date": "2015-03-10",
        }
        handler.func(None, _event("hired", data, f"ev-{org}"))  # type: ignore[arg-type]  # session unused
    theirs = Actor(id="K002", name="考勤员", roles=frozenset({"attendance_clerk"}), org=INSTITUTE)
    assert service.enrolment(CLERK, ORG, "E001").person.name == "王建国"
    assert service.enrolment(theirs, INSTITUTE, "E001").start_date == date(2023, 4, 1)
    service.close_month(CLERK, ORG, 2023, 3)
    assert not service.is_month_closed(theirs, INSTITUTE, 2023, 3)
    with pytest.raises(OrganizationDenied):
        service.enrolment(theirs, ORG, "E001")
    with pytest.raises(OrganizationDenied):
        service.end_enrolment(theirs, ORG, "E001", date(2023, 4, 30))
    assert service.enrolment(CLERK, ORG, "E001").end_date is None
    service.close()


@pytest.fixture
def migrated(db_url: str) -> Iterator[Engine]:
    """An engine on this test's database (SQLite or PostgreSQL), brought up by the parts' migrations."""
    engine = create_engine(db_url)
    migrate.upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _forget(ctx: DemoContext) -> None:
    """Close the vendor's database and remove it when it lives in a directory of its own (PostgreSQL runs)."""
    service = ctx.facts.get(SERVICE)
    if isinstance(service, SqliteAttendanceService):
        service.close()
        if service.path.parent.name.startswith(VENDOR):
            shutil.rmtree(service.path.parent)


def _context(engine: Engine) -> DemoContext:
    return DemoContext(
        engine=engine, dispatcher=events.Dispatcher(engine), office=make_office(7), locale="en"
    )


def _parts() -> list[Part]:
    return [get_part("personnel"), PART, get_part("finance")]


def test_demo_scenario_next_to_reference_personnel_and_finance(
    migrated: Engine, request: pytest.FixtureRequest
) -> None:
    """Every check passes, and the vendor's month covers exactly the people personnel hired (via events)."""
    ctx = run_scenario(_context(migrated), _parts())
    request.addfinalizer(lambda: _forget(ctx))
    failed = [c for c in ctx.checks if not c.passed]
    assert not failed, failed
    mine = [c for c in ctx.checks if c.part == "attendance"]
    assert len(mine) >= 10, [c.name for c in mine]
    service: SqliteAttendanceService = ctx.facts[SERVICE]
    hired = {p.person_id for p in ctx.facts[PEOPLE]}
    office = ctx.office.credit_code
    clerk = Actor(id="K001", name="考勤员", roles=frozenset({"attendance_clerk"}), org=office)
    summaries = service.month_summaries(clerk, office, ctx.year, ctx.month)
    assert hired
    assert {s.person_id for s in summaries} == hired
    assert service.is_month_closed(clerk, office, ctx.year, ctx.month)
    assert {h for h in ctx.dispatcher.handlers if h.startswith("attendance.")} == set(), (
        "the reference part ran"
    )
    assert any(t.part == "attendance" and len(t.rows) == len(ctx.office.units) + 1 for t in ctx.tables)


def test_demo_report_fails_on_tampered_results(migrated: Engine, request: pytest.FixtureRequest) -> None:
    """A closed month's stored result changed behind the service's back makes the report's check fail."""
    ctx = _context(migrated)
    request.addfinalizer(lambda: _forget(ctx))
    for part, phase, step in plan(_parts()):
        ctx.part, ctx.phase = part.name, phase
        if (part.name, phase) == ("attendance", "report"):
            service: SqliteAttendanceService = ctx.facts[SERVICE]
            late = ctx.facts["attendance-sqlite3:roles"]["late"]
            with sqlite3.connect(service.database_file(ctx.office.credit_code)) as con:
                row = con.execute(
                    "SELECT data FROM closed_result WHERE person_id = ? AND day = '2023-04-03'", (late,)
                ).fetchone()
                data = json.loads(row[0]) | {"late_minutes": 0, "status": "normal"}
                con.execute(
                    "UPDATE closed_result SET data = ? WHERE person_id = ? AND day = '2023-04-03'",
                    (json.dumps(data), late),
                )
        step(ctx)
        ctx.dispatch()
    verdicts = {c.name: c.passed for c in ctx.checks if c.part == "attendance"}
    assert verdicts["late twice, 34 minutes in all"] is False
    assert verdicts["two days of annual leave"] is True


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "ug_CN"])
def test_demo_speaks_the_locale(tmp_path: Path, locale: str) -> None:
    """Checks and tables read in the chosen locale; Uyghur unit names sit in a right-to-left column."""
    engine = create_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    migrate.upgrade(engine)
    ctx = DemoContext(
        engine=engine, dispatcher=events.Dispatcher(engine), office=make_office(3), locale=locale
    )
    run_scenario(ctx, _parts())
    units = next(t for t in ctx.tables if t.part == "attendance" and len(t.rows) == len(ctx.office.units) + 1)
    names = {row[0] for row in units.rows[:-1]}
    assert names == {ctx.office.unit_names[u.unit_code][locale] for u in ctx.office.units}
    assert (units.rtl_columns == (0,)) is (locale == "ug_CN")
    assert all(c.passed for c in ctx.checks), [c for c in ctx.checks if not c.passed]
    _forget(ctx)
    engine.dispose()


OVERTIME_VECTORS = Path(__file__).parents[1] / "packages/attendance/tests/vectors/overtime-classes.csv"


def _overtime_rows() -> list[dict[str, str]]:
    lines = OVERTIME_VECTORS.read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


@pytest.mark.parametrize("region", ["", "65"])
def test_books_the_notices_days_in_their_overtime_class(tmp_path: Path, region: str) -> None:
    """Books work on each day the State Council's and Xinjiang's notices name in its Art. 44 class."""
    service = SqliteAttendanceService(tmp_path / "a.sqlite3")
    service.configure(CLERK, ORG, OrgSettings(region=region or None))
    service.define_shift(CLERK, ORG, _DAY_SHIFT)
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2022, 1, 1))
    )
    service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PersonRef(person_id="E001", organization_credit_code=ORG, name="王建国"),
            unit=OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室"),
            first_employment_date=date(2015, 3, 10),
            start_date=date(2022, 1, 1),
        ),
    )
    rows = [r for r in _overtime_rows() if r["region"] == region]
    assert rows
    for row in rows:
        day = date.fromisoformat(row["date"])
        service.record_punches(
            CLERK,
            ORG,
            [Punch(person_id="E001", punched_at=datetime.combine(day, time(h), BJ)) for h in (9, 19)],
        )
        (result,) = service.daily_results(CLERK, ORG, "E001", day, day)
        assert result.overtime_kind == row["class"], row
    service.close()


def test_credits_rest_day_overtime_and_pays_statutory_overtime(tmp_path: Path) -> None:
    """Credits the 2025 Spring Festival's moved rest day as time off, refuses its statutory day."""
    service = SqliteAttendanceService(tmp_path / "a.sqlite3")
    service.configure(CLERK, ORG, OrgSettings(compensatory_rest_valid_days=30))
    service.define_shift(CLERK, ORG, _DAY_SHIFT)
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code="DAY", unit_code="BGS", valid_from=date(2025, 1, 1))
    )
    service.enrol(
        CLERK,
        ORG,
        Enrolment(
            person=PersonRef(person_id="E001", organization_credit_code=ORG, name="王建国"),
            unit=OrgUnitRef(organization_credit_code=ORG, unit_code="BGS", name="办公室"),
            first_employment_date=date(2015, 3, 10),
            start_date=date(2025, 1, 1),
        ),
    )
    worked = (date(2025, 1, 29), date(2025, 2, 1))
    service.record_punches(
        CLERK,
        ORG,
        [
            Punch(person_id="E001", punched_at=datetime.combine(d, time(h), BJ))
            for d in worked
            for h in (9, 17)
        ],
    )
    boss = Actor(id="L001", name="科长", roles=frozenset({"approver"}), org=ORG)
    with pytest.raises(GuardFailed) as refused:
        service.grant_compensatory_rest(boss, ORG, "E001", date(2025, 1, 29))
    assert refused.value.field == "day"
    credited = service.grant_compensatory_rest(boss, ORG, "E001", date(2025, 2, 1))
    assert (credited.remaining_minutes, credited.next_expiry) == (480, date(2025, 3, 3))
    with pytest.raises(GuardFailed) as short:
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001",
                leave_type="compensatory_rest",
                start_date=date(2025, 2, 10),
                end_date=date(2025, 2, 11),
            ),
        )
    assert short.value.field == "days"
    february = service.close_month(CLERK, ORG, 2025, 2).summary_of("E001")
    assert february is not None
    assert february.compensatory_rest_credited_minutes == february.compensatory_rest_closing_minutes == 480
    march = service.month_summary(CLERK, ORG, "E001", 2025, 3)
    assert (march.compensatory_rest_expired_minutes, march.compensatory_rest_closing_minutes) == (480, 0)
    service.close()
