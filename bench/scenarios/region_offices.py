"""region-*: many offices in one database cost per person what one office costs alone.

A regional deployment keeps many organisations in one database (ARCHITECTURE.md, "Many offices in one
database"): every key, period and query is scoped by organisation, so one office's month close or
posting must not grow with the number of offices beside it. Two scenarios, each comparing the cost
per person of ``OFFICES`` (10) offices of ``records`` people each in one database (the subject) with
one office of ``records`` people alone (the floor), in the same run, on SQLite or PostgreSQL
(``run.py --db``):

* ``region-attendance-close``: every office closes March 2025 (``close_month``: the month's daily
  results computed in bulk, the summaries, the month-closed event), from the same punches as
  ``attendance-month`` (about 47 a person);
* ``region-finance-post``: every office posts one four-line voucher a person (``post_batch`` in
  batches of 1,000: balance per system, parallel recording, open period, numbering, hash chain).

Both databases are built once, untimed, and copied before each timed run (a file copy on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so every run starts from the same state. The ratio is
the floor's cost per person over the subject's: 1.0 means a person costs the same in a region as in
an office alone; below 1, offices slow each other down.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from harness import Result, compare, copy_database, new_database, scenario

OFFICES = 10
BATCH = 1_000


def _orgs(count: int) -> tuple[str, ...]:
    from govparts.core.ids import credit_code

    bodies = [f"11650102MB{n:07d}" for n in range(count)]
    return tuple(body + credit_code.calc_check_character(body) for body in bodies)


def _per_person(result: Result, people: int) -> Result:
    """Turn ``compare``'s run-time ratio into the ratio of cost per person (subject: OFFICES x people)."""
    sub, flo = result["subject"], result["floor"]
    sub["records_per_second"] = OFFICES * people / sub["best_seconds"]
    flo["records_per_second"] = people / flo["best_seconds"]
    result["records"] = OFFICES * people
    result["ratio"] = sub["records_per_second"] / flo["records_per_second"]
    result["meets_target"] = result["target_ratio"] is None or result["ratio"] >= result["target_ratio"]
    return result


def _run(
    name: str,
    people: int,
    build: Callable[[str, tuple[str, ...]], None],
    work: Callable[[str, tuple[str, ...]], object],
    labels: tuple[str, str],
) -> Result:
    repeat = 3
    region_orgs, alone_orgs = _orgs(OFFICES), _orgs(1)
    region, alone = new_database("region"), new_database("alone")
    build(region, region_orgs)
    build(alone, alone_orgs)
    regions = [copy_database(region, "region") for _ in range(repeat)]
    alones = [copy_database(alone, "alone") for _ in range(repeat)]
    result = compare(
        name=name,
        records=people,
        subject=lambda: work(regions.pop(), region_orgs),
        floor=lambda: work(alones.pop(), alone_orgs),
        subject_label=labels[0],
        floor_label=labels[1],
        target_ratio=None,
        repeat=repeat,
        measure_memory=False,
    )
    result = _per_person(result, people)
    result["notes"] = [
        f"{OFFICES} offices x {people:,} people in one database: "
        f"{result['subject']['best_seconds']:.2f} s; one office of {people:,} alone: "
        f"{result['floor']['best_seconds']:.2f} s; per person {result['ratio']:.2f} of alone",
    ]
    return result


# -- attendance ------------------------------------------------------------------------------------


def _attendance_build(url: str, orgs: tuple[str, ...]) -> None:
    from .attendance_month import _setup

    service, _ = _setup(_attendance_build.people, url, orgs)  # type: ignore[attr-defined]
    service.engine.dispose()


def _attendance_close(url: str, orgs: tuple[str, ...]) -> object:
    from govparts.attendance import OrgSettings
    from govparts.attendance.service import ReferenceService
    from govparts.core.db import create_engine

    from .attendance_month import CLERK, MONTH, YEAR

    engine = create_engine(url)
    try:
        service = ReferenceService(engine, {org: OrgSettings(region="650000") for org in orgs})
        return [service.close_month(CLERK, org, YEAR, MONTH).people for org in orgs]
    finally:
        engine.dispose()


@scenario(
    "region-attendance-close",
    description="10 offices x 1,000 people close a month in one database, per person vs one office alone",
    default_records=1_000,
    target_ratio=None,
)
def region_attendance_close(records: int) -> Result:
    _attendance_build.people = records  # type: ignore[attr-defined]
    return _run(
        "region-attendance-close",
        records,
        _attendance_build,
        _attendance_close,
        (
            f"close_month of each of {OFFICES} offices in one database",
            "close_month of one office alone in its database",
        ),
    )


# -- finance ---------------------------------------------------------------------------------------

_CHIEF_ROLES = frozenset({"chief_accountant", "budget_officer"})
_POSTER_ROLES = frozenset({"reviewer", "bookkeeper"})
_VOUCHER = (("5001", "debit"), ("1011", "credit"), ("7201", "debit"), ("8001", "credit"))
"""Dr 5001 业务活动费用 / Cr 1011 零余额账户用款额度, and in parallel Dr 7201 / Cr 8001 (财会〔2017〕25号)."""
_PROJECT, _ECON = "GZ", "30101"
"""The salaries' budget indicator (经济分类 30101 基本工资): budget control runs on every voucher."""


def _finance_build(url: str, orgs: tuple[str, ...]) -> None:
    import govparts.finance.tables  # noqa: F401
    from govparts.core.db import create_engine, metadata
    from govparts.core.money import Money
    from govparts.core.security import Actor
    from govparts.finance import Indicator, ReferenceService

    engine = create_engine(url)
    try:
        metadata.create_all(engine)
        service = ReferenceService(engine)
        chief = Actor(id="bench-chief", name="bench", roles=_CHIEF_ROLES)
        for org in orgs:
            service.open_year(chief, org, 2026)
            indicator = Indicator(
                org=org, year=2026, project=_PROJECT, econ_class=_ECON, amount=Money.of("100000000000.00")
            )
            service.set_indicator(chief, org, indicator)
    finally:
        engine.dispose()


def _finance_post(url: str, orgs: tuple[str, ...], people: int) -> object:
    from govparts.core.db import create_engine
    from govparts.core.money import Money
    from govparts.core.security import Actor
    from govparts.finance import ReferenceService, VoucherDraft, VoucherLine

    engine = create_engine(url)
    posted: list[Any] = []
    try:
        service = ReferenceService(engine)
        poster = Actor(id="bench-poster", name="bench", roles=_POSTER_ROLES)
        for org in orgs:
            for start in range(0, people, BATCH):
                drafts = [
                    VoucherDraft(
                        org=org,
                        date=date(2026, 3, 15),
                        summary="工资",
                        lines=tuple(
                            VoucherLine(
                                account=a,
                                side=s,  # type: ignore[arg-type]
                                amount=Money.from_fen(500_000 + n),
                                project=_PROJECT if a == "7201" else None,
                                econ_class=_ECON if a == "7201" else None,
                            )
                            for a, s in _VOUCHER
                        ),
                    )
                    for n in range(start, min(start + BATCH, people))
                ]
                posted.extend(service.post_batch(poster, org, drafts))
    finally:
        engine.dispose()
    return posted


@scenario(
    "region-finance-post",
    description="10 offices x 1,000 people post a voucher each in one database, per person vs one office",
    default_records=1_000,
    target_ratio=None,
)
def region_finance_post(records: int) -> Result:
    return _run(
        "region-finance-post",
        records,
        _finance_build,
        lambda url, orgs: _finance_post(url, orgs, records),
        (
            f"post_batch of each of {OFFICES} offices in one database (one voucher a person)",
            "post_batch of one office alone in its database",
        ),
    )
