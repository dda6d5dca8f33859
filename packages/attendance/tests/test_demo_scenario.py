"""The attendance part's share of the shared demo scenario, fed by personnel events alone.

The personnel part is not installed with this package, so the tests stand in for it the way another
vendor's personnel system would: they publish ``employee.hired``/``.transferred``/``.separated`` in
the published shape and set the shared facts; attendance reads nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from govparts.attendance.demo import SCENARIO
from govparts.attendance.part import PART
from govparts.attendance.service import ReferenceService
from govparts.core import events, migrate
from govparts.core.db import create_engine, session_scope
from govparts.core.demo import LEAVER, MANAGERS, PEOPLE, DemoContext, make_office, run_scenario
from govparts.core.errors import NotFound
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

pytestmark = pytest.mark.db

HIRED = "cn.govparts.personnel.employee.hired.v1"
TRANSFERRED = "cn.govparts.personnel.employee.transferred.v1"
SEPARATED = "cn.govparts.personnel.employee.separated.v1"

# (number, name, unit, joined, first employed); heads first, then the leaver, a mover and a new hire.
STAFF: tuple[tuple[str, str, str, str, str], ...] = (
    ("P01", "热依拉·阿不都拉", "BGS", "2015-03-01", "2001-07-01"),
    ("P02", "陈建国", "CWK", "2012-09-01", "1999-07-01"),
    ("P03", "关新华", "XXZX", "2018-05-01", "2004-07-01"),
    ("P04", "马秀兰", "BGS", "2019-03-01", "2010-07-01"),
    ("P05", "刘洋", "CWK", "2020-03-01", "2016-07-01"),
    ("P06", "艾力·吐尔逊", "BGS", "2016-03-01", "2006-07-01"),
    ("P07", "王芳", "BGS", "2014-03-01", "2008-07-01"),
    ("P08", "叶尔兰·努尔兰", "CWK", "2011-03-01", "2005-07-01"),
    ("P09", "帕提古丽·亚森", "CWK", "2017-03-01", "2009-07-01"),
    ("P10", "其其格", "XXZX", "2013-03-01", "2007-07-01"),
    ("P11", "张静", "XXZX", "2019-03-01", "2011-07-01"),
    ("P12", "阿娜尔古丽·司马义", "XXZX", "2023-04-03", "2023-04-03"),
)
HEADS = {"BGS": "P01", "CWK": "P02", "XXZX": "P03"}
LEAVER_NO, MOVER_NO = "P04", "P05"
ORG = make_office(7).credit_code
CLERK = Actor(id="K001", name="考勤员", roles=frozenset({"attendance_clerk"}), org=ORG)


class _AsPublished(BaseModel):
    """Any payload (the personnel part's own models are not importable in this package's tests)."""

    model_config = ConfigDict(extra="allow")


def _stand_in_types() -> None:
    for name in (HIRED, TRANSFERRED, SEPARATED):
        try:
            events.get(name)
        except NotFound:
            events.register(
                events.EventType(name, _AsPublished, {"zh_Hans_CN": name, "en": name, "ug_CN": name})
            )


@pytest.fixture
def migrated(db_url: str) -> Iterator[Engine]:
    """An engine on this test's database, brought up by the installed parts' migrations."""
    engine = create_engine(db_url)
    migrate.upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _person(ctx: DemoContext, number: str) -> PersonRef:
    name = next(s[1] for s in STAFF if s[0] == number)
    return PersonRef(person_id=number, organization_credit_code=ctx.office.credit_code, name=name)


def _unit(ctx: DemoContext, code: str) -> dict[str, Any]:
    unit = next(u for u in ctx.office.units if u.unit_code == code)
    return unit.model_dump(mode="json")


def _publish(ctx: DemoContext, name: str, number: str, data: dict[str, Any]) -> None:
    with session_scope(ctx.engine) as session:
        events.publish(
            session,
            name,
            {"person": _person(ctx, number).model_dump(mode="json"), **data},
            subject=f"employee/{number}",
        )


def _hire_staff(ctx: DemoContext, *, facts: bool = True) -> None:
    """Publish what a personnel system would in ``staff``: hires and one transfer from 2023-04-17."""
    _stand_in_types()
    for number, _, unit, joined, first in STAFF:
        _publish(
            ctx,
            HIRED,
            number,
            {
                "unit": _unit(ctx, unit),
                "effective_date": joined,
                "first_employment_date": first,
                "category": "11",
                "establishment": "10",
                "hire_type": "recruitment",
            },
        )
    _publish(
        ctx,
        TRANSFERRED,
        MOVER_NO,
        {"from_unit": _unit(ctx, "CWK"), "to_unit": _unit(ctx, "BGS"), "effective_date": "2023-04-17"},
    )
    if facts:
        ctx.facts[PEOPLE] = [_person(ctx, s[0]) for s in STAFF]
        ctx.facts[LEAVER] = _person(ctx, LEAVER_NO)
        ctx.facts[MANAGERS] = {unit: _person(ctx, number) for unit, number in HEADS.items()}


def _separate_leaver(ctx: DemoContext) -> None:
    _publish(
        ctx,
        SEPARATED,
        LEAVER_NO,
        {"unit": _unit(ctx, "BGS"), "reason": "03", "effective_date": "2023-04-29"},
    )


def _context(engine: Engine, locale: str = "en") -> DemoContext:
    return DemoContext(
        engine=engine, dispatcher=events.Dispatcher(engine), office=make_office(7), locale=locale
    )


def _run_phases(ctx: DemoContext, phases: tuple[str, ...]) -> None:
    """Call the part's phases one by one, draining the outbox after each, as the runner does."""
    for phase in phases:
        ctx.part, ctx.phase = "attendance", phase
        step = SCENARIO.get(phase)
        if step is not None:
            step(ctx)
        ctx.dispatch()


def _failed(ctx: DemoContext) -> list[str]:
    return [c.name for c in ctx.checks if not c.passed]


def _passed(ctx: DemoContext) -> list[str]:
    return [c.name for c in ctx.checks if c.passed and c.part == "attendance"]


@pytest.mark.parametrize("locale", ["en", "ug_CN"])
def test_scenario_passes_every_check(migrated: Engine, locale: str) -> None:
    """Runs the month through the runner on people known only from events; every check passes."""
    ctx = _context(migrated, locale)
    _hire_staff(ctx)
    _separate_leaver(ctx)
    run_scenario(ctx, [PART])
    assert not _failed(ctx), [c for c in ctx.checks if not c.passed]
    assert len(_passed(ctx)) == 9
    by_unit = ctx.tables[-1]
    assert [r[0] for r in by_unit.rows[:-1]] == [
        ctx.office.unit_names[u][locale] for u in ("BGS", "CWK", "XXZX")
    ]
    people, due, attended, leave, trip, late, absent = (int(c) for c in by_unit.rows[-1][1:])
    assert (people, leave, trip, late, absent) == (12, 2, 3, 4, 0)
    assert sum(int(r[1]) for r in by_unit.rows[:-1]) == 13  # the mover counts in both units
    assert attended == due - leave
    special = ctx.tables[0]
    assert [r[0] for r in special.rows] == [
        "2023-04-05",
        "2023-04-21",
        "2023-04-23",
        "2023-04-29",
        "2023-04-30",
    ]
    if locale == "ug_CN":
        assert by_unit.rtl_columns == (0,)
        assert special.rtl_columns == (1, 2)


def test_month_figures_read_back_from_the_service(migrated: Engine) -> None:
    """Leaves the month closed, the leaver enrolled to 04-28, the new hire due from 04-03, the mover moved."""
    ctx = _context(migrated)
    _hire_staff(ctx)
    _separate_leaver(ctx)
    run_scenario(ctx, [PART])
    service = ReferenceService(migrated)
    assert service.is_month_closed(CLERK, ORG, 2023, 4)
    assert service.enrolment(CLERK, ORG, LEAVER_NO).end_date == date(2023, 4, 28)
    summaries = {s.person_id: s for s in service.month_summaries(CLERK, ORG, 2023, 4)}
    assert summaries["P12"].days_due == 19  # April 2023 has 19 workdays here, all from Monday 04-03
    assert summaries[LEAVER_NO].days_due == 19  # 04-29 and 04-30 are 劳动节 days off
    assert summaries[MOVER_NO].unit_code == "BGS"
    assert sum(s.days_due - int(s.days_present) for s in summaries.values()) == 2  # the two days of leave


def test_copes_without_the_shared_facts(migrated: Engine) -> None:
    """Runs on events alone: approvals fall to the deputy, checks that need facts are left out."""
    ctx = _context(migrated)
    _hire_staff(ctx, facts=False)
    run_scenario(ctx, [PART])
    assert not _failed(ctx), [c for c in ctx.checks if not c.passed]
    assert len(_passed(ctx)) == 7


def test_nobody_published_nothing_to_report(migrated: Engine) -> None:
    """With no personnel system publishing, the month has no one and nothing fails."""
    ctx = run_scenario(_context(migrated), [PART])
    assert not _failed(ctx)
    assert [c.phase for c in ctx.checks if c.part == "attendance"] == ["setup", "close"]


def test_figures_check_fails_when_a_punch_is_lost(migrated: Engine) -> None:
    """Reports failed figures when a punch vanished from the store between the month and its close."""
    ctx = _context(migrated)
    _hire_staff(ctx)
    _run_phases(ctx, ("setup", "operate"))
    _separate_leaver(ctx)
    ctx.dispatch()
    with migrated.begin() as conn:
        punch = sa.table("attendance_punch", sa.column("id"), sa.column("person_id"))
        first = conn.execute(
            sa.select(punch.c.id).where(punch.c.person_id == "P07").order_by(punch.c.id)
        ).first()
        assert first is not None
        conn.execute(sa.delete(punch).where(punch.c.id == first.id))
    service = ReferenceService(migrated)
    assert service.settings(ORG).region == ctx.office.division_code  # read before the write transaction
    service.recompute(CLERK, ORG, date(2023, 4, 1), date(2023, 4, 30), ["P07"])
    _run_phases(ctx, ("close", "report"))
    assert _failed(ctx) == ["leave, trip, late and correction figures are what was recorded"]


def test_calendar_check_fails_for_an_office_outside_xinjiang(migrated: Engine) -> None:
    """Reports the calendar check failed when the settings name a region without 肉孜节 off."""
    ctx = _context(migrated)
    _hire_staff(ctx)
    _separate_leaver(ctx)
    _run_phases(ctx, ("setup",))
    from govparts.attendance import OrgSettings

    ReferenceService(migrated).configure(CLERK, ORG, OrgSettings(region="110000"))
    _run_phases(ctx, ("operate", "close", "report"))
    assert (
        "04-05 (Qingming) and 04-21 (Eid al-Fitr) are days off, Sunday 04-23 is a make-up workday"
        in _failed(ctx)
    )
