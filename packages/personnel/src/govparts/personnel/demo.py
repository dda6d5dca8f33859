"""The personnel part's step of ``govparts demo``: a small, realistic scenario with checked figures.

``demo(engine, locale=...)`` runs on a database that has the personnel tables (migrated) and returns
a list of checks, each ``{"name": …, "passed": bool, "detail": …}`` in the locale asked for. All
people and organisations are synthetic.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from govparts.core.errors import GuardFailed
from govparts.core.i18n import normalize_locale
from govparts.core.security import Actor

from .models import Organization, OrgUnit, Position
from .service import QuotaExceeded, ReferenceService
from .synthetic import make_citizen_id, make_credit_code, make_people

__all__ = ["demo"]

CLERK = Actor(id="hr-clerk-01", name="古丽娜尔·艾买提", unit="RSK", roles=frozenset({"hr_clerk"}))
HEAD = Actor(id="hr-head-01", name="叶尔兰·努尔兰", unit="RSK", roles=frozenset({"hr_head"}))

_NAMES = {
    "import": ("批量导入 2 名在职人员", "2 staff imported in one batch", "2 خادىم بىر تۈركۈمدە كىرگۈزۈلدى"),
    "confirm": (
        "录用后由另一名人事干部转正",
        "a hire confirmed by another officer",
        "ئىشقا ئېلىنغان كىشى باشقا خادىم تەرىپىدىن رەسمىيلەشتۈرۈلدى",
    ),
    "quota": (
        "超编录用被拒绝且未写入",
        "a hire beyond the quota is refused, nothing written",
        "تۈزۈمدىن ئاشقان ئىشقا ئېلىش رەت قىلىندى، ھېچنەرسە يېزىلمىدى",
    ),
    "post": (
        "担任职务期间不能减员",
        "no separation while holding a post",
        "ۋەزىپە ئۆتەۋاتقاندا ئايرىشقا بولمايدۇ",
    ),
    "retirement": (
        "1965 年 1 月出生的男职工 2025 年 2 月退休（60 岁 1 个月）",
        "a man born 1965-01 retires 2025-02 at 60 y 1 m",
        "1965-يىلى 1-ئايدا تۇغۇلغان ئەر 2025-يىلى 2-ئايدا پىنسىيەگە چىقىدۇ (60 ياش 1 ئاي)",
    ),
    "events": ("发出的人事事件", "personnel events published", "چىقىرىلغان كادىرلار ۋەقەلىرى"),
}


def _check(key: str, passed: bool, detail: str, locale: str) -> dict[str, Any]:
    index = {"zh_Hans_CN": 0, "en": 1, "ug_CN": 2}[normalize_locale(locale)]
    return {"name": _NAMES[key][index], "passed": passed, "detail": detail}


def demo(engine: Engine, *, locale: str = "zh_Hans_CN") -> list[dict[str, Any]]:
    """Run the scenario through :class:`ReferenceService` on ``engine``; return the checks."""
    rng = random.Random()
    service = ReferenceService(engine)
    org = make_credit_code(rng, "653101")
    service.register_organization(
        Organization(
            credit_code=org,
            name="喀什市人力资源和社会保障局",
            name_en="Kashgar City Human Resources and Social Security Bureau",
            name_ug="قەشقەر شەھەرلىك كادىرلار ۋە ئىجتىمائىي كاپالەت ئىدارىسى",
            division_code="653101",
        ),
        actor=HEAD,
    )
    for code, name in (("BGS", "办公室"), ("RSK", "人事科")):
        service.add_unit(
            OrgUnit(organization_credit_code=org, unit_code=code, name=name, effective_from=date(2020, 1, 1)),
            actor=HEAD,
        )
    service.add_position(
        Position(
            organization_credit_code=org,
            position_code="RSK-KZ",
            unit_code="RSK",
            title="人事科科长",
            post_level="141",
        ),
        actor=HEAD,
    )
    service.set_quota(org, "10", 4, actor=HEAD)
    checks = []
    people = make_people(
        3, organization_credit_code=org, unit_codes=("BGS", "RSK"), seed=rng.randrange(10**6)
    )
    report = service.import_employees(people[:2], actor=CLERK)
    checks.append(_check("import", report.written == 2 and report.rejected == 0, f"{report.written}", locale))

    elder = {
        **people[2],
        "employee_no": "E900001",
        "sex": "1",
        "birth_date": "1965-01-10",
        "citizen_id": make_citizen_id(rng, date(1965, 1, 10), "1", "653101"),
        "first_employment_date": "1984-09-01",
        "joined_on": "1990-03-01",
        "unit_code": "RSK",
    }
    service.hire(elder, actor=CLERK)
    confirmed = service.confirm(org, "E900001", actor=HEAD)
    checks.append(_check("confirm", confirmed.state == "active", confirmed.state, locale))

    service.set_quota(org, "10", 3, actor=HEAD)
    extra = make_people(
        1, organization_credit_code=org, unit_codes=("BGS",), seed=rng.randrange(10**6), start=500
    )[0]
    before = len(service.employees(org))
    try:
        service.hire(extra, actor=CLERK)
        refused = False
        detail = ""
    except QuotaExceeded as exc:
        refused = True
        detail = exc.message(locale)
    checks.append(_check("quota", refused and len(service.employees(org)) == before, detail, locale))

    service.appoint(
        org, "E900001", "RSK-KZ", effective=date(2024, 1, 1), document="喀人社任〔2024〕5号", actor=HEAD
    )
    try:
        service.separate(org, "E900001", "04", effective=date(2025, 2, 28), actor=HEAD)
        blocked, detail = False, ""
    except GuardFailed as exc:
        blocked, detail = True, exc.message(locale)
    checks.append(_check("post", blocked, detail, locale))

    due = service.retirements_due(org, date(2025, 1, 1), date(2025, 12, 31))
    figures = [
        (d.person.person_id, d.retirement_month.isoformat(), d.age_years, d.age_extra_months) for d in due
    ]
    checks.append(_check("retirement", ("E900001", "2025-02-01", 60, 1) in figures, str(figures), locale))

    kinds = sorted(
        {e.type.removeprefix("cn.govparts.personnel.").rsplit(".", 1)[0] for e in service.published_events()}
    )
    checks.append(
        _check(
            "events",
            {"employee.hired", "employee.post_changed", "orgunit.changed"} <= set(kinds),
            ", ".join(kinds),
            locale,
        )
    )
    return checks
