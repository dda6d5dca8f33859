"""The personnel part's share of ``govparts demo``: the office's establishment, its people and their moves.

:data:`SCENARIO` plays the phases of :mod:`govparts.core.demo` through :class:`ReferenceService`:

``setup``
    The organisation (``ctx.office``: credit code, names in three languages, division), its twelve
    units, a head post in each (科室负责人, GB/T 12407 level 142 as in a district bureau), and the
    establishment quotas (编制数) of 行政编制, 事业编制 and 工勤人员编制 — the last one exactly as
    large as the support staff.
``staff``
    47 people of a realistic Ürümqi mix of ethnic groups (GB/T 3304-1991) imported in one batch,
    three more hired through the process (录用 → 转正 by another officer), a hire beyond the full
    工勤 quota refused, heads appointed (one post changing hands on 2023-04-10), two transfers and a
    rank promotion. Publishes :data:`~govparts.core.demo.PEOPLE`, :data:`~govparts.core.demo.LEAVER`
    and :data:`~govparts.core.demo.MANAGERS`.
``separate``
    The leaver is transferred out (调出) from 2023-04-29; separating a unit head is refused.
``report``
    Headcount by unit and establishment against the quotas, the ethnic make-up, the unit heads, and
    checks read back from the service.

Every person is invented: names are common names, citizen identity numbers are synthetic with valid
GB 11643-1999 check characters agreeing with the declared birth date and sex.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from govparts.core import codes
from govparts.core.demo import LEAVER, MANAGERS, PEOPLE
from govparts.core.errors import GuardFailed
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from .models import ESTABLISHMENT, Organization, OrgUnit, Position
from .service import IN_SERVICE, QuotaExceeded, ReferenceService
from .synthetic import XINJIANG_COUNTIES, make_citizen_id

if TYPE_CHECKING:
    from govparts.core.demo import DemoContext

__all__ = ["CLERK", "HEAD", "QUOTAS", "SCENARIO", "officers"]

CLERK = Actor(id="hr-clerk-01", name="王丽萍", unit="RSK", roles=frozenset({"hr_clerk"}))
"""The personnel clerk (人事干部) who enters hires; :func:`officers` binds them to the office."""
HEAD = Actor(id="hr-head-01", name="吐尔逊·买买提", unit="RSK", roles=frozenset({"hr_head"}))
"""The head of personnel (人事部门负责人) who confirms, appoints, moves and separates."""


def officers(ctx: DemoContext) -> tuple[Actor, Actor]:
    """The clerk and the head of personnel of ``ctx.office``: they act for that organisation only."""
    org = ctx.office.credit_code
    return CLERK.model_copy(update={"org": org}), HEAD.model_copy(update={"org": org})


ETHNIC_GROUPS = "GB/T 3304-1991"

# -- the office's people ---------------------------------------------------------------------------

# (GB/T 3304 code, sex, name in Chinese, name in Uyghur where the person is Uyghur). 19 Uyghur,
# 19 Han, 4 Kazakh, 4 Hui and one each Kyrgyz, Mongol, Xibe and Uzbek: about the mix of an Ürümqi
# district office. Invented people with common names.
_NAMES: tuple[tuple[str, str, str, str | None], ...] = (
    ("05", "1", "艾力·吐尔逊", "ئەلى تۇرسۇن"),
    ("05", "1", "艾尔肯·阿不力孜", "ئەركىن ئابلىز"),
    ("05", "1", "努尔买买提·司马义", "نۇرمەمەت ئىسمائىل"),
    ("05", "1", "伊力哈木·库尔班", "ئىلھام قۇربان"),
    ("05", "1", "阿迪力·艾山", "ئادىل ھەسەن"),
    ("05", "1", "肉孜·卡德尔", "روزى قادىر"),
    ("05", "1", "买买提江·艾买提", "مەمەتجان ئەھمەت"),
    ("05", "1", "艾克拜尔·伊明", "ئەكبەر ئىمىن"),
    ("05", "1", "塔依尔·吾守尔", "تاھىر ئوشۇر"),
    ("05", "1", "阿不都热合曼·吐尔洪", "ئابدۇرەھمان تۇرغۇن"),
    ("05", "2", "阿依古丽·买买提", "ئايگۈل مەمەت"),
    ("05", "2", "古丽娜尔·艾则孜", "گۈلنار ئەزىز"),
    ("05", "2", "热依拉·阿不都拉", "رەيلا ئابدۇللا"),
    ("05", "2", "帕提古丽·亚森", "پاتىگۈل ياسىن"),
    ("05", "2", "迪丽努尔·热合曼", "دىلنۇر رەھمان"),
    ("05", "2", "米日古丽·卡德尔", "مېھرىگۈل قادىر"),
    ("05", "2", "努尔比亚·吐尔逊", "نۇربىيە تۇرسۇن"),
    ("05", "2", "阿娜尔古丽·司马义", "ئانارگۈل ئىسمائىل"),
    ("05", "2", "再努尔·伊明", "زەينۇر ئىمىن"),
    ("01", "1", "王强", None),
    ("01", "1", "李伟", None),
    ("01", "1", "张磊", None),
    ("01", "1", "刘洋", None),
    ("01", "1", "陈建国", None),
    ("01", "1", "赵志刚", None),
    ("01", "1", "杨帆", None),
    ("01", "1", "周涛", None),
    ("01", "1", "孙浩", None),
    ("01", "1", "徐文博", None),
    ("01", "2", "王芳", None),
    ("01", "2", "李娜", None),
    ("01", "2", "张静", None),
    ("01", "2", "刘丽", None),
    ("01", "2", "陈秀英", None),
    ("01", "2", "赵敏", None),
    ("01", "2", "黄晓燕", None),
    ("01", "2", "徐婷", None),
    ("01", "2", "何春梅", None),
    ("17", "1", "叶尔兰·努尔兰", None),
    ("17", "1", "别克波拉提·加尔肯", None),
    ("17", "2", "阿依达娜·别克", None),
    ("17", "2", "古丽米拉·哈力木", None),
    ("03", "1", "马建华", None),
    ("03", "1", "马俊", None),
    ("03", "2", "马秀兰", None),
    ("03", "2", "丁玉梅", None),
    ("29", "1", "阿斯力别克·托合托逊", None),
    ("02", "2", "其其格", None),
    ("38", "1", "关新华", None),
    ("43", "2", "娜迪拉·玉素甫", None),
)

# unit code → (civil servants after the head, 事业编制 professionals, 工勤 support staff)
_STAFFING: Mapping[str, tuple[int, int, int]] = {
    "BGS": (4, 0, 0),
    "ZCFGK": (3, 0, 0),
    "RSK": (3, 0, 0),
    "CWK": (3, 0, 0),
    "ZCGLK": (2, 0, 0),
    "DAS": (0, 2, 0),
    "XXZX": (0, 4, 0),
    "ZWFWK": (3, 0, 0),
    "JCJDK": (2, 0, 0),
    "TJK": (2, 0, 0),
    "XCK": (2, 0, 0),
    "HQFWZX": (0, 0, 5),
}
"""Who works where; every unit also has a head, a civil servant (行政编制, 公务员)."""

# Hired through the process in ``staff``: (unit, establishment, category, joined on, hire type).
_HIRES: tuple[tuple[str, str, str, date, str], ...] = (
    ("BGS", "10", "11", date(2023, 3, 1), "recruitment"),
    ("XXZX", "20", "22", date(2023, 3, 20), "transfer_in"),
    ("ZWFWK", "10", "11", date(2023, 4, 3), "recruitment"),
)
QUOTAS: Mapping[str, int] = {"10": 42, "20": 8, "30": 5}
"""Establishment quotas: room left in 行政 and 事业; 工勤人员编制 exactly full with the five support staff."""

HANDOVER_POST = "ZCFGK-KZ"
"""The post that changes hands on :data:`HANDOVER_DAY` (the old head stays in the unit)."""
HANDOVER_DAY = date(2023, 4, 10)
SEPARATION_DAY = date(2023, 4, 29)
"""The leaver is transferred out (调出) from the first day of 劳动节; their last working day is 04-28."""
SEPARATION_REASON = "03"

_HEAD_TITLES = {
    "BGS": "办公室主任",
    "ZCFGK": "政策法规科科长",
    "RSK": "人事科科长",
    "CWK": "财务科科长",
    "ZCGLK": "资产管理科科长",
    "DAS": "档案室主任",
    "XXZX": "信息中心主任",
    "ZWFWK": "政务服务科科长",
    "JCJDK": "监察监督科科长",
    "TJK": "统计科科长",
    "XCK": "宣传科科长",
    "HQFWZX": "后勤服务中心主任",
}


@dataclass(frozen=True)
class _Roster:
    """The office's people as the scenario plans them (deterministic per seed)."""

    imported: tuple[dict[str, Any], ...]
    hires: tuple[dict[str, Any], ...]
    refused: dict[str, Any]
    heads: Mapping[str, str]
    """Unit code → employee number of its head (the new head for :data:`HANDOVER_POST`'s unit)."""
    former_head: str
    """Who held :data:`HANDOVER_POST` until :data:`HANDOVER_DAY`."""
    transfers: tuple[tuple[str, str], ...]
    """(employee number, new unit) of the two transfers of ``staff``."""
    promoted: str
    leaver: str


def _head_post(unit_code: str) -> str:
    return f"{unit_code}-ZZ" if unit_code != "ZCFGK" else HANDOVER_POST


def _person(
    rng: random.Random,
    used: set[str],
    number: str,
    credit_code: str,
    name: tuple[str, str, str, str | None],
    *,
    unit: str,
    establishment: str,
    category: str,
    born_from: date,
    born_to: date,
    joined: date | None = None,
    hire_type: str = "recruitment",
) -> dict[str, Any]:
    ethnic, sex, zh, ug = name
    born = born_from + timedelta(days=rng.randrange((born_to - born_from).days))
    county = rng.choice(XINJIANG_COUNTIES)
    cid = make_citizen_id(rng, born, sex, county)
    while cid in used:
        cid = make_citizen_id(rng, born, sex, county)
    used.add(cid)
    first_job = min(born + timedelta(days=365 * 22 + rng.randrange(700)), date(2022, 9, 1))
    if joined is None:
        joined = min(first_job + timedelta(days=rng.randrange(365 * 6)), date(2022, 12, 1))
    elif hire_type == "recruitment":
        first_job = joined
    civil = category in ("11", "12")
    return {
        "organization_credit_code": credit_code,
        "employee_no": number,
        "name": zh,
        "name_ug": ug,
        "citizen_id": cid,
        "sex": sex,
        "birth_date": born.isoformat(),
        "ethnic_group": ethnic,
        "native_place": county,
        "political_status": rng.choice(("01", "01", "01", "13") if civil else ("01", "03", "13")),
        "education": rng.choice(("14", "21", "21", "21") if civil else ("21", "31")),
        "marital_status": "20" if born < date(1994, 1, 1) else rng.choice(("10", "20")),
        "category": category,
        "establishment": establishment,
        "unit_code": unit,
        "rank": (rng.choice(("Z11", "Z12")) if civil else None),
        "grade": None,
        "joined_on": joined.isoformat(),
        "first_employment_date": first_job.isoformat(),
        "hire_type": hire_type,
        "supervisor_no": None,
    }


def _roster(ctx: DemoContext) -> _Roster:
    """Plan the office's people from ``ctx.random_for("personnel")``: the same plan every call."""
    rng = ctx.random_for("personnel")
    credit = ctx.office.credit_code
    names = list(_NAMES)
    rng.shuffle(names)
    used: set[str] = set()
    imported: list[dict[str, Any]] = []
    heads: dict[str, str] = {}
    counter = iter(range(1, 1000))

    def add(unit: str, establishment: str, category: str, older: bool) -> str:
        number = f"E{next(counter):04d}"
        imported.append(
            _person(
                rng,
                used,
                number,
                credit,
                names.pop(),
                unit=unit,
                establishment=establishment,
                category=category,
                born_from=date(1968, 1, 1) if older else date(1975, 1, 1),
                born_to=date(1982, 12, 31) if older else date(1998, 6, 30),
            )
        )
        return number

    former_head = ""
    for unit in (u.unit_code for u in ctx.office.units):
        heads[unit] = add(unit, "10", "11", older=True)
        civil, professional, support = _STAFFING[unit]
        members = [add(unit, "10", "11", older=False) for _ in range(civil)]
        members += [add(unit, "20", "22", older=False) for _ in range(professional)]
        members += [add(unit, "30", "23", older=False) for _ in range(support)]
        if _head_post(unit) == HANDOVER_POST:
            former_head, heads[unit] = heads[unit], members[0]
    hires = tuple(
        _person(
            rng,
            used,
            f"E{next(counter):04d}",
            credit,
            names.pop(),
            unit=unit,
            establishment=establishment,
            category=category,
            born_from=date(1990, 1, 1) if hire_type == "transfer_in" else date(1998, 7, 1),
            born_to=date(1994, 12, 31) if hire_type == "transfer_in" else date(2000, 12, 31),
            joined=joined,
            hire_type=hire_type,
        )
        for unit, establishment, category, joined, hire_type in _HIRES
    )
    refused = _person(
        rng,
        used,
        "E0999",
        credit,
        ("01", "1", "张建军", None),
        unit="HQFWZX",
        establishment="30",
        category="23",
        born_from=date(1990, 1, 1),
        born_to=date(1995, 12, 31),
        joined=date(2023, 4, 3),
    )
    taken = set(heads.values()) | {former_head}
    civil_staff = [
        p["employee_no"] for p in imported if p["category"] == "11" and p["employee_no"] not in taken
    ]
    movers = rng.sample(civil_staff, 3)
    others = [u.unit_code for u in ctx.office.units]
    transfers = tuple(
        (number, rng.choice([u for u in others if u != _unit_of(imported, number)])) for number in movers[:2]
    )
    leaver = movers[2]
    promoted = next(n for n in civil_staff if n != leaver)
    for record in imported:
        if record["employee_no"] == promoted:
            record["rank"] = "Z12"  # promoted to Z11 in ``staff``
    return _Roster(tuple(imported), hires, refused, heads, former_head, transfers, promoted, leaver)


def _unit_of(people: Sequence[Mapping[str, Any]], number: str) -> str:
    return str(next(p["unit_code"] for p in people if p["employee_no"] == number))


def _people_service(ctx: DemoContext) -> ReferenceService:
    return ReferenceService(ctx.engine)


# -- phases ----------------------------------------------------------------------------------------


def setup(ctx: DemoContext) -> None:
    """Register the organisation, its units, a head post in each and the establishment quotas."""
    service = _people_service(ctx)
    _clerk, head = officers(ctx)
    office = ctx.office
    service.register_organization(
        head,
        office.credit_code,
        Organization(
            credit_code=office.credit_code,
            name=office.names["zh_Hans_CN"],
            name_en=office.names["en"],
            name_ug=office.names["ug_CN"],
            division_code=office.division_code,
            kind="public_institution" if office.credit_code.startswith("12") else "government",
        ),
    )
    for unit in office.units:
        service.add_unit(
            head,
            office.credit_code,
            OrgUnit(
                organization_credit_code=office.credit_code,
                unit_code=unit.unit_code,
                name=unit.name,
                name_ug=office.unit_names[unit.unit_code]["ug_CN"],
                effective_from=date(2019, 3, 1),
            ),
        )
        service.add_position(
            head,
            office.credit_code,
            Position(
                organization_credit_code=office.credit_code,
                position_code=_head_post(unit.unit_code),
                unit_code=unit.unit_code,
                title=_HEAD_TITLES.get(unit.unit_code, unit.name + "负责人"),
                post_level="142",
            ),
        )
    for establishment, quota in QUOTAS.items():
        service.set_quota(head, office.credit_code, establishment, quota)
    units = service.units(head, office.credit_code)
    ctx.check(
        ("十二个内设机构已设立", "the twelve units are established", "ئون ئىككى ئىچكى ئاپپارات قۇرۇلدى"),
        [u.unit_code for u in units] == sorted(u.unit_code for u in office.units)
        and all(u.name_ug for u in units),
        len(units),
    )


def staff(ctx: DemoContext) -> None:
    """Hire the office's people, refuse a hire beyond the full quota, appoint heads, move two people."""
    service = _people_service(ctx)
    clerk, head = officers(ctx)
    credit = ctx.office.credit_code
    roster = _roster(ctx)
    report = service.import_employees(clerk, credit, roster.imported)
    ctx.check(
        ("批量导入在职人员", "staff imported in one batch", "خادىملار بىر تۈركۈمدە كىرگۈزۈلدى"),
        report.written == len(roster.imported) and report.rejected == 0,
        f"{report.written}/{len(roster.imported)}",
    )
    confirmed = []
    for record in roster.hires:
        service.hire(clerk, credit, record)
        confirmed.append(service.confirm(head, credit, record["employee_no"]).state)
    ctx.check(
        (
            "录用人员经另一名人事干部转正",
            "hires confirmed by another officer",
            "ئىشقا ئېلىنغانلار باشقا خادىم تەرىپىدىن رەسمىيلەشتۈرۈلدى",
        ),
        confirmed == ["active"] * len(roster.hires),
        ", ".join(confirmed),
    )
    _refuse_beyond_quota(ctx, service, roster)

    for unit, number in sorted(roster.heads.items()):
        if _head_post(unit) == HANDOVER_POST:
            service.appoint(
                head,
                credit,
                roster.former_head,
                HANDOVER_POST,
                effective=date(2019, 3, 1),
                document="天政数任〔2019〕2号",
            )
            service.remove_from_post(
                head, credit, roster.former_head, effective=HANDOVER_DAY, document="天政数任〔2023〕7号"
            )
            service.appoint(
                head, credit, number, HANDOVER_POST, effective=HANDOVER_DAY, document="天政数任〔2023〕7号"
            )
        else:
            service.appoint(
                head,
                credit,
                number,
                _head_post(unit),
                effective=date(2021, 6, 1),
                document="天政数任〔2021〕9号",
            )
    for number, unit in roster.transfers:
        service.transfer(
            head, credit, number, unit, effective=date(2023, 4, 17), document="天政数调〔2023〕4号"
        )
    service.promote_rank(
        head, credit, roster.promoted, "Z11", effective=date(2023, 4, 1), document="天政数任〔2023〕5号"
    )

    views = {v.record.employee_no: v for v in service.employees(head, credit)}
    moved = [views[n].record.unit_code == unit for n, unit in roster.transfers]
    ctx.check(
        ("两名人员调动到新科室", "two people transferred to new units", "ئىككى خادىم يېڭى بۆلۈمگە يۆتكەلدى"),
        moved == [True, True],
        ", ".join(f"{n}→{u}" for n, u in roster.transfers),
    )
    ctx.check(
        ("一人晋升职级", "one rank promotion", "بىر كىشىنىڭ دەرىجىسى ئۆستۈرۈلدى"),
        views[roster.promoted].record.rank == "Z11",
        f"{roster.promoted}: {views[roster.promoted].record.rank}",
    )
    in_service = [v for v in views.values() if v.state in IN_SERVICE]
    ctx.facts[PEOPLE] = [v.person for v in in_service]
    ctx.facts[LEAVER] = views[roster.leaver].person
    ctx.facts[MANAGERS] = {unit: views[number].person for unit, number in roster.heads.items()}
    leaver = views[roster.leaver]
    ctx.check(
        (
            "离职人员不担任职务",
            "the person who leaves holds no post",
            "ئايرىلىدىغان كىشى ھېچقانداق ۋەزىپە ئۆتىمەيدۇ",
        ),
        leaver.state == "active" and leaver.position_code is None,
        f"{roster.leaver}: {leaver.state}",
    )


def _refuse_beyond_quota(ctx: DemoContext, service: ReferenceService, roster: _Roster) -> None:
    clerk, head = officers(ctx)
    credit = ctx.office.credit_code
    before = len(service.employees(head, credit))
    occupied = sum(1 for p in roster.imported if p["establishment"] == "30")
    try:
        service.hire(clerk, credit, roster.refused)
    except QuotaExceeded as exc:
        message = exc.message(ctx.locale)
        passed = str(QUOTAS["30"]) in message and str(occupied) in message
        detail = message
    else:
        passed, detail = False, "hired"
    after = len(service.employees(head, credit))
    ctx.check(
        (
            "工勤编制已满，超编录用被拒绝且未写入",
            "a hire beyond the full support-staff quota is refused, nothing written",
            "ئىشچى-خىزمەتچى تۈزۈمى تولغان، ئاشقان ئىشقا ئېلىش رەت قىلىندى، ھېچنەرسە يېزىلمىدى",
        ),
        passed and after == before,
        detail,
    )


def separate(ctx: DemoContext) -> None:
    """The leaver is transferred out (调出); separating a unit head is refused while they hold a post."""
    service = _people_service(ctx)
    _clerk, head = officers(ctx)
    credit = ctx.office.credit_code
    leaver: PersonRef | None = ctx.facts.get(LEAVER)
    if leaver is None:
        leaver = service.employee(head, credit, _roster(ctx).leaver).person
    view = service.separate(head, credit, leaver.person_id, SEPARATION_REASON, effective=SEPARATION_DAY)
    ctx.check(
        ("一人调出减员", "one person transferred out", "بىر كىشى يۆتكىلىپ چىقتى"),
        view.state == "separated" and view.separated_on == SEPARATION_DAY,
        f"{leaver.person_id}: {view.state} {view.separated_on}",
    )
    managers: Mapping[str, PersonRef] = ctx.facts.get(MANAGERS) or {}
    bgs = managers.get("BGS") or service.employee(head, credit, _roster(ctx).heads["BGS"]).person
    try:
        service.separate(head, credit, bgs.person_id, "01", effective=SEPARATION_DAY)
    except GuardFailed as exc:
        refused, detail = True, exc.message(ctx.locale)
    else:
        refused, detail = False, "separated"
    still = service.employee(head, credit, bgs.person_id)
    ctx.check(
        (
            "科室负责人在任期间不能减员",
            "a unit head cannot leave while holding a post",
            "بۆلۈم مەسئۇلى ۋەزىپە ئۆتەۋاتقاندا ئايرىلالمايدۇ",
        ),
        refused and still.state in IN_SERVICE and still.position_code is not None,
        detail,
    )


def _label(list_id: str, code: str, locale: str) -> str:
    found = codes.get(list_id)
    return found[code].label(locale) if code in found else code


def report(ctx: DemoContext) -> None:
    """Headcount against the quotas, the ethnic make-up, the unit heads; checks read back from the service."""
    service = _people_service(ctx)
    _clerk, head = officers(ctx)
    credit = ctx.office.credit_code
    roster = _roster(ctx)
    locale = ctx.locale
    rows = service.headcount(head, credit)
    per_unit = {(r.unit_code, r.establishment): r.headcount for r in rows if r.unit_code is not None}
    totals = {r.establishment: r for r in rows if r.unit_code is None}
    kinds = sorted(QUOTAS)
    table = []
    for unit in ctx.office.units:
        counts = [per_unit.get((unit.unit_code, k), 0) for k in kinds]
        table.append([ctx.office.unit_names[unit.unit_code][locale], *counts, sum(counts)])
    table.append(
        [
            ctx.text(("编制数（已用/核定）", "quota (occupied/set)", "تۈزۈم سانى (ئىشلىتىلگەن/بېكىتىلگەن)")),
            *(f"{totals[k].headcount}/{totals[k].quota}" if k in totals else "0/-" for k in kinds),
            sum(t.headcount for t in totals.values()),
        ]
    )
    ctx.table(
        (
            "各科室实有人数与编制",
            "Headcount by unit and establishment",
            "بۆلۈملەر بويىچە ئادەم سانى ۋە تۈزۈم",
        ),
        [
            ("科室", "Unit", "بۆلۈم"),
            *(_label(ESTABLISHMENT, k, locale) for k in kinds),
            ("合计", "Total", "جەمئىي"),
        ],
        table,
        rtl_columns=(0,) if locale == "ug_CN" else (),
    )

    by_group = service.statistics(head, credit, "ethnic_group")
    people = sum(by_group.values())
    ctx.table(
        ("民族构成", "Ethnic groups (GB/T 3304-1991)", "مىللەت تەركىبى"),
        [("民族", "Ethnic group", "مىللەت"), ("人数", "People", "ئادەم سانى"), ("占比", "Share", "نىسبىتى")],
        [
            [_label(ETHNIC_GROUPS, code, locale), n, f"{n / people:.0%}"]
            for code, n in sorted(by_group.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        rtl_columns=(0,) if locale == "ug_CN" else (),
    )

    views = {v.record.employee_no: v for v in service.employees(head, credit)}
    ctx.table(
        ("科室负责人", "Unit heads", "بۆلۈم مەسئۇللىرى"),
        [
            ("科室", "Unit", "بۆلۈم"),
            ("姓名", "Name", "ئىسمى"),
            ("维吾尔文姓名", "Name in Uyghur", "ئۇيغۇرچە ئىسمى"),
            ("民族", "Ethnic group", "مىللەت"),
        ],
        [
            [
                ctx.office.unit_names[unit.unit_code][locale],
                views[n].record.name,
                views[n].record.name_ug or "",
                _label(ETHNIC_GROUPS, views[n].record.ethnic_group, locale),
            ]
            for unit in ctx.office.units
            if (n := roster.heads[unit.unit_code]) in views
        ],
        rtl_columns=(0, 2) if locale == "ug_CN" else (2,),
    )

    hired = len(roster.imported) + len(roster.hires)
    separated = sum(1 for v in views.values() if v.state == "separated")
    counted = sum(t.headcount for t in totals.values())
    ctx.check(
        (
            "在职人数 = 录用 − 减员",
            "headcount equals hired − separated",
            "خىزمەتتىكىلەر = ئىشقا ئېلىنغان − ئايرىلغان",
        ),
        counted == hired - separated == hired - 1 and len(views) == hired,
        f"{counted} = {hired} − {separated}",
    )
    over = [
        f"{k}: {t.headcount}/{t.quota}"
        for k, t in sorted(totals.items())
        if t.quota is None or t.headcount > t.quota
    ]
    ctx.check(
        ("各类编制均未超编", "every establishment quota is respected", "ھەر بىر تۈزۈم سانىدىن ئېشىپ كەتمىدى"),
        not over and set(totals) == set(QUOTAS),
        "; ".join(over) or ", ".join(f"{k}: {t.headcount}/{t.quota}" for k, t in sorted(totals.items())),
    )
    on_15th = service.post_holder(head, credit, HANDOVER_POST, date(2023, 4, 15))
    on_1st = service.post_holder(head, credit, HANDOVER_POST, date(2023, 4, 1))
    ctx.check(
        (
            f"履历可查：2023-04-15 谁任 {HANDOVER_POST}",
            f"the history tells who held {HANDOVER_POST} on 2023-04-15",
            f"تارىختىن 2023-04-15 دە {HANDOVER_POST} نى كىم ئۆتىگەنلىكى بىلىنىدۇ",
        ),
        on_15th is not None
        and on_15th.person_id == roster.heads["ZCFGK"]
        and on_1st is not None
        and on_1st.person_id == roster.former_head,
        f"04-01: {on_1st.person_id if on_1st else '-'}; 04-15: {on_15th.person_id if on_15th else '-'}",
    )


SCENARIO: dict[str, Callable[[DemoContext], None]] = {
    "setup": setup,
    "staff": staff,
    "separate": separate,
    "report": report,
}
"""The personnel part's phases of the shared scenario (:func:`govparts.core.demo.run_scenario`)."""
