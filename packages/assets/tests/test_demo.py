"""The assets part's phases of the shared demo scenario, and the older one-part demo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.assets import demo as assets_demo
from govparts.assets import tables as t
from govparts.assets.part import PART
from govparts.assets.service import ReferenceService, raise_return_tasks
from govparts.core import events
from govparts.core.db import session_scope
from govparts.core.demo import LEAVER, MANAGERS, PEOPLE, PHASES, DemoContext, make_office, run_scenario
from govparts.core.ids import citizen_id
from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

pytestmark = pytest.mark.db

_NAMES = (
    "阿依古丽·艾力",
    "王建国",
    "买买提·吐尔逊",
    "李秀英",
    "古丽娜尔·阿不都",
    "张伟",
    "努尔兰·哈斯木",
    "马红梅",
    "热依拉·吐尔逊",
    "陈刚",
    "巴合提亚尔·努尔别克",
    "韩晓东",
)


def _people(org: str) -> list[PersonRef]:
    """Synthetic staff as personnel would leave them in PEOPLE (valid citizen ids)."""
    found = []
    for i, name in enumerate(_NAMES, 1):
        body = f"650102{1970 + i:04d}0{i % 9 + 1}1{i % 10}{i:03d}"
        found.append(
            PersonRef(
                person_id=f"E{i:04d}",
                organization_credit_code=org,
                name=name,
                citizen_id=body + citizen_id.calc_check_character(body),
            )
        )
    return found


def _reader(org: str) -> Actor:
    """The office's asset keeper, acting for that office only."""
    return assets_demo.KEEPER.model_copy(update={"org": org})


def _context(engine: Engine, seed: int = 7) -> DemoContext:
    ctx = DemoContext(
        engine=engine, dispatcher=events.Dispatcher(engine), office=make_office(seed), locale="en", seed=seed
    )
    people = _people(ctx.office.credit_code)
    ctx.facts[PEOPLE] = people
    ctx.facts[LEAVER] = people[-1]
    ctx.facts[MANAGERS] = {"XXZX": people[0], "ZWFWK": people[1], "BGS": people[2], "DAS": people[3]}
    return ctx


def _separate(ctx: DemoContext) -> None:
    """What personnel's separation delivers to assets' handler: the leaver's employee.separated."""
    leaver: PersonRef = ctx.facts[LEAVER]
    with session_scope(ctx.engine) as session:
        raise_return_tasks(
            session, "evt-separated-1", {"person": leaver.model_dump(mode="json"), "reason": "调出"}
        )


def _run(ctx: DemoContext, between: dict[str, Callable[[DemoContext], None]] | None = None) -> DemoContext:
    """Run the phases in order as the runner does; ``between[phase]`` runs before that phase."""
    for phase in PHASES:
        if between and phase in between:
            between[phase](ctx)
        step = assets_demo.SCENARIO.get(phase)
        if phase == "separate":
            _separate(ctx)
        if step is not None:
            ctx.part, ctx.phase = "assets", phase
            step(ctx)
            ctx.dispatch()
    return ctx


def _failed(ctx: DemoContext) -> list[object]:
    return [c for c in ctx.checks if not c.passed]


def test_scenario_passes_every_check(engine: Engine) -> None:
    """Runs the month: opening register, purchase, transfer, return, depreciation; every check passes."""
    ctx = _run(_context(engine))
    assert not _failed(ctx), _failed(ctx)
    assert len(ctx.checks) >= 10
    service, org = ReferenceService(engine), ctx.office.credit_code
    registered = [
        e.data
        for e in service.published_events(_reader(org), org, type="cn.govparts.assets.asset.registered.v1")
    ]
    assert len(registered) == len(assets_demo.OPENING) + len(assets_demo.PURCHASES)
    leaver = ctx.facts[LEAVER]
    assert all(
        c.custodian is None or c.custodian.key != leaver.key for c in service.assets(_reader(org), org)
    )
    (table,) = ctx.tables
    assert len(table.rows) == len(assets_demo.OPENING) + len(assets_demo.PURCHASES)
    assert table.columns[0] == "Code"


def test_runs_through_the_runner_with_ug_register(engine: Engine) -> None:
    """Runs through run_scenario; without a separation the leaver's return check fails, the rest pass."""
    ctx = _context(engine, seed=11)
    ctx.locale = "ug_CN"
    run_scenario(ctx, [PART])
    failed = {(c.phase, c.name) for c in _failed(ctx)}
    # Personnel is not in this run: nobody raised the leaver's return tasks, and the report says so.
    assert ("close", "ئايرىلغۇچى ساقلاۋاتقان مۈلۈكلەرگە قايتۇرۇش ۋەزىپىسى قۇرۇلدى") in failed
    assert ("report", "ئايرىلغانلارنىڭ نامىدا مۈلۈك يوق") in failed
    assert all(phase in ("close", "report") for phase, _ in failed)
    (table,) = ctx.tables
    assert table.rtl_columns == (1, 2)
    assert any("كومپيۇتېر" in row[1] for row in table.rows)


def test_without_people_nothing_is_issued(engine: Engine) -> None:
    """Without personnel's facts the opening register stays in stock and every check still holds."""
    ctx = DemoContext(engine=engine, dispatcher=events.Dispatcher(engine), office=make_office(3), locale="en")
    run_scenario(ctx, [PART])
    assert not _failed(ctx), _failed(ctx)
    org = ctx.office.credit_code
    assert all(c.custodian is None for c in ReferenceService(engine).assets(_reader(org), org))


def test_tampered_depreciation_fails_the_check(engine: Engine) -> None:
    """A depreciation entry changed after the run makes the report's to-the-fen check fail."""

    def tamper(ctx: DemoContext) -> None:
        e = t.ENTRY.c
        with session_scope(ctx.engine) as session:
            first = session.execute(sa.select(e.id).order_by(e.id).limit(1)).scalar_one()
            session.execute(sa.update(t.ENTRY).where(e.id == first).values(amount_fen=e.amount_fen + 1))

    ctx = _run(_context(engine), {"report": tamper})
    failed = _failed(ctx)
    assert [c.name for c in failed] == ["the month's depreciation equals the per-asset schedules to the fen"]
    assert "≠" in failed[0].detail


def test_asset_kept_by_the_leaver_fails_the_check(engine: Engine) -> None:
    """If the leaver still holds an asset at the report, 'nothing held by leavers' fails."""

    def give_back_to_leaver(ctx: DemoContext) -> None:
        service, org = ReferenceService(ctx.engine), ctx.office.credit_code
        card = next(c for c in service.assets(_reader(org), org) if c.asset_code == assets_demo.LAPTOP)
        service.issue(_reader(org), org, card.id, ctx.facts[LEAVER])

    ctx = _run(_context(engine), {"report": give_back_to_leaver})
    assert [c.name for c in _failed(ctx)] == ["nothing is held by people who have left"]


def test_depreciation_total_is_the_rules_total(engine: Engine) -> None:
    """The April charge is the sum of the pure-rule schedules of the depreciable cards."""
    ctx = _run(_context(engine))
    service, org = ReferenceService(engine), ctx.office.credit_code
    cards = {c.asset_code: c for c in service.assets(_reader(org), org)}
    expected = Money.total(
        assets_demo._expected_month(a, cards[a.code].in_service or a.acquired, 2023, 4)
        for a in (*assets_demo.OPENING, *assets_demo.PURCHASES)
    )
    (april,) = [m for m in service.depreciation_totals(_reader(org), org, 2023) if m.month == 4]
    assert april.total == expected
    assert expected > Money.zero()
