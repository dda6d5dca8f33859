"""The personnel part's share of the shared demo scenario: its checks pass, and fail on wrong data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import events, migrate
from govparts.core.db import create_engine
from govparts.core.demo import LEAVER, MANAGERS, PEOPLE, DemoContext, make_office, run_scenario
from govparts.core.ids import citizen_id
from govparts.personnel.demo import QUOTAS, SCENARIO, officers
from govparts.personnel.part import PART
from govparts.personnel.service import ReferenceService

pytestmark = pytest.mark.db

_ARABIC = range(0x0600, 0x0700)


@pytest.fixture
def migrated(db_url: str) -> Iterator[Engine]:
    """An engine on this test's database, brought up by the installed parts' migrations."""
    engine = create_engine(db_url)
    migrate.upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _context(engine: Engine, locale: str = "en", seed: int = 2023) -> DemoContext:
    return DemoContext(
        engine=engine,
        dispatcher=events.Dispatcher(engine),
        office=make_office(7),
        locale=locale,
        seed=seed,
    )


def _run_phases(ctx: DemoContext, phases: tuple[str, ...]) -> None:
    """Call the part's phases one by one, draining the outbox after each, as the runner does."""
    for phase in phases:
        ctx.part, ctx.phase = "personnel", phase
        step = SCENARIO.get(phase)
        if step is not None:
            step(ctx)
            ctx.dispatch()


def _failed(ctx: DemoContext) -> list[str]:
    return [c.name for c in ctx.checks if not c.passed]


@pytest.mark.parametrize("locale", ["en", "ug_CN"])
def test_scenario_passes_every_check(migrated: Engine, locale: str) -> None:
    """Runs setup to report through the runner; every check passes and the shared facts are set."""
    ctx = run_scenario(_context(migrated, locale), [PART])
    assert not _failed(ctx), [c for c in ctx.checks if not c.passed]
    assert len([c for c in ctx.checks if c.part == "personnel"]) == 12
    people = ctx.facts[PEOPLE]
    assert len(people) == 50
    assert all(citizen_id.is_valid(p.citizen_id) for p in people)
    assert len({p.citizen_id for p in people}) == 50
    managers = ctx.facts[MANAGERS]
    assert sorted(managers) == sorted(u.unit_code for u in ctx.office.units)
    assert ctx.facts[LEAVER].person_id not in {m.person_id for m in managers.values()}
    assert {p.organization_credit_code for p in people} == {ctx.office.credit_code}

    headcount = next(t for t in ctx.tables if t.columns[-1] in ("Total", "جەمئىي"))
    assert len(headcount.rows) == len(ctx.office.units) + 1
    assert sum(int(r[-1]) for r in headcount.rows[:-1]) == 49
    if locale == "ug_CN":
        assert headcount.rtl_columns == (0,)
        assert headcount.rows[0][0] == ctx.office.unit_names["BGS"]["ug_CN"]
        assert all(any(ord(ch) in _ARABIC for ch in c.name) for c in ctx.checks)


def test_office_people_are_a_realistic_mix(migrated: Engine) -> None:
    """Employs a Xinjiang mix of ethnic groups; every Uyghur has a name in Uyghur script, others none."""
    ctx = run_scenario(_context(migrated), [PART])
    records = ReferenceService(migrated).export_employees(officers(ctx)[1], ctx.office.credit_code)
    groups = {r.ethnic_group for r in records}
    assert {"01", "05", "17", "03", "29", "02", "38"} <= groups
    for r in records:
        if r.ethnic_group == "05":
            assert r.name_ug, r
            assert all(ord(ch) in _ARABIC or ch == " " for ch in r.name_ug), r
        else:
            assert r.name_ug is None, r
    establishments = {e: sum(1 for r in records if r.establishment == e) for e in QUOTAS}
    assert establishments["30"] == QUOTAS["30"]


def test_same_seed_same_office_people(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Draws the same people for the same seed and different ones for another seed."""
    rosters = []
    for seed in (11, 11, 12):
        engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('seed')}/demo.db")
        migrate.upgrade(engine)
        ctx = _context(engine, seed=seed)
        _run_phases(ctx, ("setup", "staff"))
        rosters.append([(p.person_id, p.name, p.citizen_id) for p in ctx.facts[PEOPLE]])
        engine.dispose()
    assert rosters[0] == rosters[1]
    assert rosters[0] != rosters[2]


def test_quota_check_fails_when_a_quota_is_overrun(migrated: Engine) -> None:
    """Reports a failed quota check when a quota was cut below its occupancy behind the service's back."""
    ctx = _context(migrated)
    _run_phases(ctx, ("setup", "staff", "separate"))
    assert not _failed(ctx)
    with migrated.begin() as conn:
        conn.execute(
            sa.text("UPDATE personnel_quota SET quota = 3 WHERE establishment = '30'"),
        )
    _run_phases(ctx, ("report",))
    assert _failed(ctx) == ["every establishment quota is respected"]


def test_headcount_check_fails_when_a_person_vanishes(migrated: Engine) -> None:
    """Reports a failed headcount when a person left the books without a separation."""
    ctx = _context(migrated)
    _run_phases(ctx, ("setup", "staff", "separate"))
    someone = ctx.facts[PEOPLE][0].person_id
    with migrated.begin() as conn:
        conn.execute(
            sa.text("UPDATE personnel_employee SET state = 'separated' WHERE employee_no = :n"),
            {"n": someone},
        )
    _run_phases(ctx, ("report",))
    assert _failed(ctx) == ["headcount equals hired − separated"]


def test_refused_head_separation_check_fails_when_heads_hold_no_post(migrated: Engine) -> None:
    """Reports a failed check when the head it tries to separate holds no post (the guard let them go)."""
    ctx = _context(migrated)
    _run_phases(ctx, ("setup", "staff"))
    head = ctx.facts[MANAGERS]["BGS"].person_id
    with migrated.begin() as conn:
        conn.execute(
            sa.text("UPDATE personnel_employee SET position_code = NULL WHERE employee_no = :n"), {"n": head}
        )
    _run_phases(ctx, ("separate",))
    assert _failed(ctx) == ["a unit head cannot leave while holding a post"]
