"""The part descriptor, its conformance suite, the self-test of its mutants, and the demo."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.archives.demo import SCENARIO
from govparts.archives.service import reference_factory
from govparts.conformance import check_catalogue_coverage, run_conformance, run_selftest
from govparts.core import events
from govparts.core.demo import DemoContext, make_office, run_scenario
from govparts.core.parts import get_part


def test_descriptor_names_everything_it_publishes() -> None:
    """Loads every reference of the descriptor."""
    part = get_part("archives")
    for what in (
        "models",
        "processes",
        "events",
        "requirements",
        "conformance",
        "service_protocol",
        "reference_factory",
        "mutants",
        "demo",
    ):
        assert part.load(what) is not None, what
    assert len(part.load("processes")) == 3
    assert {e["type"] for e in events.catalogue() if e["producer"] == "archives"} == {
        "cn.govparts.archives.document.issued.v1",
        "cn.govparts.archives.document.filed.v1",
    }


def test_catalogue_is_covered() -> None:
    """Has a check for every requirement, at least 30 of them."""
    part = get_part("archives")
    check_catalogue_coverage(part).raise_for_problems()
    assert len(part.load("requirements").requirements) >= 30
    assert len(part.load("mutants")) >= 10


def test_reference_conforms() -> None:
    """Passes every requirement of its own suite."""
    statement = run_conformance("archives", reference_factory)
    failing = [
        (r.id, r.result, r.message)
        for r in statement.requirements
        if str(getattr(r.result, "value", r.result)) != "pass"
    ]
    assert statement.conforms, failing
    assert failing == []


def test_every_mutant_is_killed_by_the_rule_it_breaks() -> None:
    """Kills each mutant of the reference with the requirement it breaks."""
    report = run_selftest(get_part("archives"))
    survivors = [(m.name, m.killed_by, m.missed) for m in report.mutants if not (m.killed and not m.missed)]
    assert report.ok, survivors


def _context(engine: Engine, locale: str = "en") -> DemoContext:
    return DemoContext(
        engine=engine, dispatcher=events.Dispatcher(engine), office=make_office(7), locale=locale
    )


@pytest.mark.db
def test_demo_issues_handles_files_and_packages(engine: Engine) -> None:
    """The scenario issues a numbered notice, closes a request, files both and verifies the bag."""
    ctx = run_scenario(_context(engine), [get_part("archives")])
    failed = [(c.phase, c.name, c.detail) for c in ctx.checks if not c.passed]
    assert failed == []
    assert len([c for c in ctx.checks if c.part == "archives"]) == 8
    (register,) = ctx.tables
    assert register.title == "Document register"
    assert sorted(row[1] for row in register.rows) == ["天政数发〔2023〕1号", "天政服发〔2023〕7号"]
    assert {row[3] for row in register.rows} == {"Filed"}


@pytest.mark.db
def test_demo_reports_a_gap_in_the_numbers(engine: Engine) -> None:
    """A number voided behind the scenario's back shows as a failed check, not a pass."""
    ctx = _context(engine, "zh_Hans_CN")
    ctx.part = "archives"
    for phase in ("operate", "close"):
        ctx.phase = phase
        SCENARIO[phase](ctx)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE archives_issued_number SET serial = 2"))
    ctx.phase = "report"
    SCENARIO["report"](ctx)
    gap = next(c for c in ctx.checks if c.name == "发文号连续且无缺号")
    assert not gap.passed
