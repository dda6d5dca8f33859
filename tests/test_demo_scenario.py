"""``govparts demo``: one synthetic office run through every installed part, checked from outside.

The demo checks itself; these tests check the demo: that it really ran every part on one office
(looking at the database through the parts' own services, not at the demo's words), that a fault is
reported as a failure, and that the command speaks each locale with Uyghur text kept whole.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from govparts.cli._demo import run_demo
from govparts.core import ids
from govparts.core.demo import PART_ORDER, make_office
from govparts.core.parts import iter_parts
from govparts.core.security import Actor

pytestmark = pytest.mark.db

PARTS = {p.name for p in iter_parts()}
RLI, PDI = "\u2067", "\u2069"
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, str]:
    """One demo run on SQLite for the module (the scenario takes seconds, not milliseconds)."""
    path = tmp_path_factory.mktemp("demo") / "office.db"
    url = f"sqlite:///{path}"
    return run_demo(url, "en", seed=11), url


def test_every_check_passes_and_every_part_took_part(report: tuple[object, str]) -> None:
    """Every check passes; every installed part of the story reported checks and tables."""
    result, _ = report
    failed = [(c.step, c.name, c.detail) for c in result.checks if not c.passed]  # type: ignore[attr-defined]
    assert failed == []
    by_part = {t.part for t in result.tables}  # type: ignore[attr-defined]
    assert {p for p in PART_ORDER if p in PARTS} <= by_part
    steps = " ".join(c.step for c in result.checks)  # type: ignore[attr-defined]
    for part in iter_parts():
        assert part.title_in("en") in steps


def test_the_office_has_about_fifty_people_with_valid_ids(report: tuple[object, str]) -> None:
    """About fifty people with valid citizen ids, a realistic mix of ethnic groups, one separation."""
    if "personnel" not in PARTS:
        pytest.skip("personnel is not installed")
    _, url = report
    engine = sa.create_engine(url)
    office = make_office(11)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT citizen_id, ethnic_group AS ethnicity FROM personnel_employee"
                " WHERE organization_credit_code = :org"
            ),
            {"org": office.credit_code},
        ).all()
    engine.dispose()
    assert 40 <= len(rows) <= 70
    assert all(ids.is_valid_citizen_id(r.citizen_id) for r in rows)
    groups = {r.ethnicity for r in rows}
    assert {"01", "05"} <= groups  # Han and Uyghur at least
    assert len(groups) >= 4


def test_events_flowed_between_parts(report: tuple[object, str]) -> None:
    """Consumers handled producers' events: no delivery is pending, and deliveries were made."""
    _, url = report
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        delivered = conn.execute(
            sa.text("SELECT handler_id, count(*) FROM core_event_delivery GROUP BY handler_id")
        ).all()
    engine.dispose()
    handlers = {h for h, n in delivered if n}
    if {"personnel", "attendance"} <= PARTS:
        assert any(h.startswith("attendance") for h in handlers), handlers
    if {"assets", "finance"} <= PARTS:
        assert any(h.startswith("finance") for h in handlers), handlers


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "govparts.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "ug_CN", "en"])
def test_the_command_passes_in_each_locale(locale: str, tmp_path: Path) -> None:
    """``govparts demo --locale L`` exits 0 on its default SQLite file; ug text is isolated right-to-left."""
    done = _cli("demo", "--locale", locale, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (tmp_path / "govparts-demo.db").is_file()
    verdict = {"zh_Hans_CN": "全部检查通过。", "en": "Every check passed.", "ug_CN": None}[locale]
    if verdict is not None:
        assert verdict in done.stdout
    if locale == "ug_CN":
        runs = [m for line in done.stdout.splitlines() for m in re.findall(f"{RLI}([^{PDI}]*){PDI}", line)]
        assert runs, "no Uyghur text isolated"
        # Every Arabic-script run in the output sits inside an isolate: none is left bare.
        bare = re.sub(f"{RLI}[^{PDI}]*{PDI}", "", done.stdout)
        assert not ARABIC.search(bare)


def test_json_output_is_one_document_with_checks_and_tables(tmp_path: Path) -> None:
    """``--json`` prints one JSON document: the verdict, every check and every table."""
    done = _cli("demo", "--json", "--locale", "en", "--seed", "5", cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    data = json.loads(done.stdout)
    assert data["passed"] is True
    assert data["seed"] == 5
    assert all(c["passed"] for c in data["checks"])
    assert {t["part"] for t in data["tables"]} >= {p for p in PART_ORDER if p in PARTS}


def test_the_parts_agree_on_the_office_figures(report: tuple[object, str]) -> None:
    """Read through each part's own service: the books, the asset register and the staff agree.

    Finance's fixed-asset account 1601 holds the original values of the register's fixed assets;
    its April credit to 1602 is assets' April depreciation, and 1602 holds, to the fen, the register's
    accumulated depreciation through April (the opening register brought over with what the earlier
    books had depreciated, carried by ``asset.registered``), as the demo's own check says; personnel
    employs 49 (50 hired, one left) and attendance kept the month of all 50, enrolled from
    personnel's events alone.
    """
    if not {"personnel", "attendance", "assets", "finance"} <= PARTS:
        pytest.skip("needs the four parts")
    from govparts.assets.rules import category_rule
    from govparts.assets.service import ReferenceService as Assets
    from govparts.attendance.service import ReferenceService as Attendance
    from govparts.core.db import create_engine
    from govparts.core.money import Money
    from govparts.finance.service import ReferenceService as Finance
    from govparts.personnel.service import ReferenceService as Personnel

    _, url = report
    engine = create_engine(url)
    office = make_office(11)
    try:
        clerk = Actor(id="t-reader", name="核对员", roles=frozenset({"clerk"}), org=office.credit_code)
        cards = Assets(engine).assets(clerk, office.credit_code)
        fixed = [
            c for c in cards if category_rule(c.category).asset_account == "1601" and c.state != "disposed"
        ]
        balance = Finance(engine).trial_balance(clerk, office.credit_code, 2023, 4)
        rows = {r.account: r for r in balance.rows}
        assert rows["1601"].closing == Money.total(c.original_value for c in fixed)
        totals = Assets(engine).depreciation_totals(clerk, office.credit_code, 2023)
        (april,) = [t for t in totals if t.month == 4]
        assert rows["1602"].credit == april.total
        accumulated = Money.total(
            r.amount
            for c in fixed
            for r in Assets(engine).schedule(clerk, office.credit_code, c.id)
            if (r.year, r.month) <= (2023, 4)
        )
        assert accumulated > april.total
        assert rows["1602"].closing == -accumulated
        checks = {c.id: c.passed for c in report[0].checks}  # type: ignore[attr-defined]
        assert checks["finance.ledger-equals-asset-register"] is True
        for system in ("financial", "budget"):
            sides = balance.totals(system)
            assert sides["debit"] == sides["credit"], system

        heads = [r for r in Personnel(engine).headcount(clerk, office.credit_code) if r.unit_code is None]
        assert sum(r.headcount for r in heads) == 49
        summaries = Attendance(engine).month_summaries(clerk, office.credit_code, 2023, 4)
        assert len({s.person_id for s in summaries}) == 50
    finally:
        engine.dispose()


def test_the_demo_passes_on_this_backend(db_url: str) -> None:
    """The whole demo on the test's database: SQLite here, a real PostgreSQL server under ``tox -e pg``."""
    result = run_demo(db_url, "zh_Hans_CN", seed=23)
    failed = [(c.step, c.name, c.detail) for c in result.checks if not c.passed]
    assert failed == []
    assert len(result.checks) >= 60
