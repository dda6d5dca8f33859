"""The personnel part's requirement catalogue and conformance suite.

Every check talks to the implementation only through :class:`~govparts.personnel.service.PersonnelService`
and the published models; it never reads the reference implementation's tables. Each check starts
from an empty service: it registers an organisation (``11650100…``, a synthetic credit code), three
units, establishment quotas and a post, then acts as two officers (a clerk and the head of personnel).
A second organisation (a public institution) shares the database where a check needs it.

Checks sweep instead of sampling: boundaries are tried on both sides (a quota filled exactly and one
over it, a rank grade at both ends of its range and outside, an anniversary and the day before,
29 February, the first and last month of a window, every group's retirement cap), and the remaining
settings (birth months, people, reasons, units) are drawn with :func:`scenario_rng`, so ``--seed N``
repeats a run. A negative check (:func:`refuses`) reads the service back through the Protocol after
the refusal: the people, units, quotas, events and audit records are what they were.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from govparts.conformance import (
    Catalogue,
    Suite,
    collect_checks,
    expect_equal,
    expect_raises,
    expect_true,
    refuses,
    scenario,
    scenario_rng,
    step,
    verifies,
)
from govparts.core.errors import (
    GovPartsError,
    GuardFailed,
    InvalidInput,
    InvalidRecord,
    NotFound,
    OrganizationDenied,
    PermissionDenied,
)
from govparts.core.security import Actor

from ..models import EmployeeRecord, Organization, OrgUnit, Position
from ..rules import RANK_GRADES
from ..service import PersonnelService
from ..synthetic import make_citizen_id, make_credit_code, make_people

__all__ = ["CATALOGUE", "SUITE"]

CATALOGUE = Catalogue.from_toml(Path(__file__).with_name("requirements.toml"))

ORG = make_credit_code(random.Random(4), "650102")
CLERK = Actor(id="hr-clerk-01", name="王芳", unit="RSK", roles=frozenset({"hr_clerk"}), org=ORG)
HEAD = Actor(id="hr-head-01", name="艾力·吐尔逊", unit="RSK", roles=frozenset({"hr_head"}), org=ORG)
VISITOR = Actor(id="visitor-01", name="李伟", roles=frozenset({"reader"}), org=ORG)
DAY = date(2025, 3, 1)

OTHER = make_credit_code(random.Random(4), "653101", authority="12")
"""A second organisation in the same database: a public institution (事业单位)."""
OTHER_HEAD = HEAD.model_copy(update={"id": "hr-head-02", "org": OTHER})
OTHER_CLERK = CLERK.model_copy(update={"id": "hr-clerk-02", "org": OTHER})
AUDITOR = Actor(
    id="auditor-01",
    name="周敏",
    roles=frozenset({"cross-org-auditor", "hr_head", "hr_clerk"}),
    org=OTHER,
)
"""A cross-organisation auditor of the other organisation, holding every personnel role as well."""

UNITS = ("BGS", "RSK", "DAS")
ESTABLISHMENT_OF = {"11": "10", "12": "10", "21": "20", "22": "20", "23": "30"}
"""An establishment category that fits each staff category (the checks use these pairs)."""
HIRED = "cn.govparts.personnel.employee.hired.v1"
SEPARATED = "cn.govparts.personnel.employee.separated.v1"
POST_CHANGED = "cn.govparts.personnel.employee.post_changed.v1"
TRANSFERRED = "cn.govparts.personnel.employee.transferred.v1"
UNIT_CHANGED = "cn.govparts.personnel.orgunit.changed.v1"
BAD_CHARACTERS = ("\x00", "\x1b", "\u202e", "\u2066")


# -- set-up ----------------------------------------------------------------------------------------


def _setup(service: PersonnelService, quota: int = 10, *, org: str = ORG, head: Actor = HEAD) -> str:
    with step(f"set up organisation {org[-4:]}"):
        service.register_organization(
            head,
            org,
            Organization(
                credit_code=org,
                name="乌鲁木齐市天山区人力资源和社会保障局" if org == ORG else "喀什市第一中学",
                name_ug="ئۈرۈمچى شەھىرى تەڭرىتاغ رايونلۇق كادىرلار ۋە ئىجتىمائىي كاپالەت ئىدارىسى",
                division_code=org[2:8],
                kind="government" if org.startswith("11") else "public_institution",
            ),
        )
        for code, name in (("BGS", "办公室"), ("RSK", "人事科"), ("DAS", "档案室")):
            service.add_unit(
                head,
                org,
                OrgUnit(
                    organization_credit_code=org, unit_code=code, name=name, effective_from=date(2020, 1, 1)
                ),
            )
        for establishment in ("10", "20", "30"):
            service.set_quota(head, org, establishment, quota)
        service.add_position(
            head,
            org,
            Position(
                organization_credit_code=org,
                position_code="BGS-ZR",
                unit_code="BGS",
                title="办公室主任",
                post_level="141",
            ),
        )
    return org


def _setup_other(service: PersonnelService, quota: int = 10) -> str:
    return _setup(service, quota, org=OTHER, head=OTHER_HEAD)


def _people(
    count: int, seed: int | None = None, *, org: str = ORG, start: int = 1, **overrides: Any
) -> list[dict[str, Any]]:
    """``count`` synthetic people numbered from ``start``; without ``seed``, one seeded by ``start``."""
    rows = make_people(
        count,
        organization_credit_code=org,
        unit_codes=("BGS",),
        seed=start if seed is None else seed,
        start=start,
    )
    return [{**row, **overrides} for row in rows]


def _person(
    sex: str,
    born: date,
    *,
    number: str,
    category: str = "11",
    first_job: date | None = None,
    org: str = ORG,
) -> dict[str, Any]:
    row = _people(1, seed=born.toordinal(), org=org)[0]
    first = first_job or date(born.year + 20, 9, 1)
    row.update(
        employee_no=number,
        sex=sex,
        birth_date=born.isoformat(),
        citizen_id=make_citizen_id(random.Random(number), born, sex),
        category=category,
        establishment=ESTABLISHMENT_OF[category],
        first_employment_date=first.isoformat(),
        joined_on=(first + timedelta(days=3 * 365)).isoformat(),
    )
    return row


def _fields(error: BaseException | None) -> set[str]:
    if not isinstance(error, GovPartsError):
        return set()
    found = {error.field} if error.field else set()
    for inner in getattr(error, "errors", ()):
        found |= _fields(inner)
    return found


def _hired(service: PersonnelService, row: dict[str, Any], actor: Actor = CLERK) -> str:
    with step(f"hire {row['employee_no']}"):
        view = service.hire(actor, str(row["organization_credit_code"]), row)
    return view.record.employee_no


def _imported(service: PersonnelService, rows: list[dict[str, Any]], org: str = ORG) -> None:
    with step(f"import {len(rows)} people"):
        report = service.import_employees(CLERK if org == ORG else OTHER_CLERK, org, rows)
    expect_equal((report.written, report.rejected), (len(rows), 0), what="rows written and rejected")


def _events(service: PersonnelService, type: str, org: str = ORG) -> list[dict[str, Any]]:
    return [e.data for e in service.published_events(HEAD, org) if e.type == type]


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """The exchange record a row stands for, as JSON (what reading it back must give)."""
    return EmployeeRecord.model_validate(row).model_dump(mode="json")


def _state(service: PersonnelService, numbers: Iterable[str] = (), org: str = ORG) -> dict[str, Any]:
    """Everything the Protocol shows about ``org``: people, histories, units, quotas, events, audit."""
    head = HEAD if org == ORG else OTHER_HEAD
    numbers = sorted(set(numbers))
    trails = {
        (entity, key): [(t.seq, t.action) for t in service.audit_trail(head, org, entity, key)]
        for entity, key in (
            ("organization", org),
            ("employee_import", org),
            ("position", "BGS-ZR"),
            ("quota", "10"),
            ("org_unit", "BGS"),
            ("org_unit", "DAS"),
            *(("employee", n) for n in numbers),
        )
    }
    return {
        "employees": [v.model_dump(mode="json") for v in service.employees(head, org)],
        "histories": {n: [h.model_dump(mode="json") for h in service.history(head, org, n)] for n in numbers},
        "units": [u.model_dump(mode="json") for u in service.units(head, org)],
        "headcount": [r.model_dump(mode="json") for r in service.headcount(head, org)],
        "events": [e.id for e in service.published_events(head, org)],
        "audit": trails,
    }


def _known(service: PersonnelService, org: str = ORG) -> list[str]:
    head = HEAD if org == ORG else OTHER_HEAD
    return [v.record.employee_no for v in service.employees(head, org)]


def _nothing_written(service: PersonnelService, before: dict[str, Any], what: str, org: str = ORG) -> None:
    numbers = set(before["histories"])
    expect_equal(_state(service, numbers, org), before, what=f"{what}: the service after the refusal")


def _expected_retirement(born: date, group: str) -> tuple[date, int, int]:
    """Month, age in years and extra months of statutory retirement (REFERENCE.md 11.3.5, written anew).

    n = months from 2025-01 to the original retirement month; delay = min(n // step + 1, cap) for
    n >= 0, else 0; steps 4/4/2 and caps 36/36/60 months for men / women cadres (55) / women workers (50).
    """
    original, step_months, cap = {"M60": (60, 4, 36), "F55": (55, 4, 36), "F50": (50, 2, 60)}[group]
    year, month = born.year + original, born.month
    n = (year - 2025) * 12 + (month - 1)
    delay = 0 if n < 0 else min(n // step_months + 1, cap)
    total = month - 1 + delay
    return date(year + total // 12, total % 12 + 1, 1), original + delay // 12, delay % 12


def _some_day(rng: random.Random, year: int, month: int) -> date:
    last = ((date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)).day
    return date(year, month, rng.choice((1, rng.randint(2, last - 1), last)))


# -- hiring and identity -----------------------------------------------------------------------------


@verifies("PER-001", "PER-028", "PER-030")
def records_a_hire_on_probation(service: PersonnelService) -> None:
    expect_equal(service.capabilities().part, "personnel", what="the part the implementation claims")
    _setup(service)
    rng = scenario_rng()
    rows = _people(3, seed=rng.randrange(10_000))
    leap = date(rng.choice((1984, 1988, 1992, 1996)), 2, 29)
    rows[1].update(
        name="阿依古丽·买买提",
        name_ug="ئايگۈل مەمەت",
        sex="2",
        birth_date=leap.isoformat(),
        citizen_id=make_citizen_id(rng, leap, "2"),
        first_employment_date=date(leap.year + 20, 2, 29).isoformat(),
        joined_on=date(leap.year + 24, 2, 29).isoformat(),
    )
    rows[2].update(rank="Z10", grade=20, unit_code="RSK", supervisor_no=rows[0]["employee_no"])
    for index, row in enumerate(rows, start=1):
        scenario(person=row["employee_no"], born=row["birth_date"])
        with step(f"hire {row['employee_no']}"):
            view = service.hire(CLERK, ORG, row)
        expect_equal(view.state, "probation", what="state after a hire")
        expect_equal(view.record.model_dump(mode="json"), _record(row), what="the record the hire returns")
        stored = service.employee(HEAD, ORG, row["employee_no"])
        expect_equal(stored.record.model_dump(mode="json"), _record(row), what="the record read back")
        hired = _events(service, HIRED)
        expect_equal(len(hired), index, what="employee.hired events after each hire")
        expect_equal(hired[-1]["person"]["person_id"], row["employee_no"], what="person of employee.hired")
        expect_equal(
            hired[-1]["person"]["citizen_id"], row["citizen_id"], what="citizen id of employee.hired"
        )
        expect_equal(hired[-1]["unit"]["unit_code"], row["unit_code"], what="unit of employee.hired")
        expect_equal(
            hired[-1]["first_employment_date"],
            row["first_employment_date"],
            what="first employment in the event",
        )
        trail = service.audit_trail(HEAD, ORG, "employee", row["employee_no"])
        expect_true(trail, "the hire left an audit record", expected="at least one record", observed=trail)
        expect_equal({t.actor_id for t in trail}, {CLERK.id}, what="the actor the hire's audit records name")
    filtered = service.published_events(HEAD, ORG, type=HIRED)
    expect_equal(
        [(e.type, (e.data.get("person") or {}).get("person_id")) for e in filtered],
        [(HIRED, r["employee_no"]) for r in rows],
        what="employee.hired events filtered by type, in order",
    )


@refuses("PER-001")
def refuses_a_hire_that_clashes(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    stored = _people(1, seed=rng.randrange(10_000), start=240)[0]
    _hired(service, stored)
    fresh = _people(1, seed=rng.randrange(10_000), start=241)[0]
    before = _state(service, [stored["employee_no"]])
    for what, row, error, field in (
        (
            "the number of a stored person",
            {**fresh, "employee_no": stored["employee_no"]},
            InvalidInput,
            "employee_no",
        ),
        ("the citizen id of a stored person", {**fresh, **_identity(stored)}, InvalidInput, "citizen_id"),
        ("an unknown unit", {**fresh, "unit_code": "NONE"}, NotFound, "unit_code"),
        ("an unknown supervisor", {**fresh, "supervisor_no": "E999999"}, NotFound, "employee_no"),
        (
            "another organisation",
            {**fresh, "organization_credit_code": OTHER},
            InvalidInput,
            "organization_credit_code",
        ),
    ):
        scenario(case=what)
        with step(f"hire with {what}"), expect_raises(error) as caught:
            service.hire(CLERK, ORG, row)
        expect_true(
            field in _fields(caught.value),
            f"the refusal names {field}",
            expected=field,
            observed=sorted(_fields(caught.value)),
        )
        _nothing_written(service, before, f"a hire with {what}")


def _hire_and_import_refused(service: PersonnelService, bad: dict[str, Any], field: str, what: str) -> None:
    """Refuse ``bad`` on both paths (hire, import) naming ``field``, with nothing written."""
    before = _state(service, _known(service))
    with step(f"hire with {what}"), expect_raises((InvalidInput, InvalidRecord)) as caught:
        service.hire(CLERK, ORG, bad)
    expect_true(
        field in _fields(caught.value),
        f"the hire's refusal names {field}",
        expected=field,
        observed=sorted(_fields(caught.value)),
    )
    _nothing_written(service, before, f"hire with {what}")
    rows = [*_people(2, seed=77, start=900), bad]
    with step(f"import with {what}"), expect_raises(InvalidRecord) as caught:
        service.import_employees(CLERK, ORG, rows)
    by_row = _rows(caught.value)
    expect_equal(sorted(by_row), [3], what="rows the import rejects")
    expect_true(
        field in by_row.get(3, set()),
        f"the import's refusal names {field}",
        expected=field,
        observed=sorted(by_row.get(3, set())),
    )
    _nothing_written(service, before, f"import with {what}")


@refuses("PER-002", "PER-019", "PER-029")
def refuses_a_wrong_check_character(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    for row in _people(3, seed=rng.randrange(10_000), start=10):
        cid = row["citizen_id"]
        wrong = rng.choice([c for c in "0123456789X" if c != cid[17]])
        scenario(citizen_id=cid[:6] + "…", wrong_check=wrong)
        _hire_and_import_refused(
            service, {**row, "citizen_id": cid[:17] + wrong}, "citizen_id", "a wrong check"
        )


@refuses("PER-003", "PER-029")
def refuses_a_birth_date_the_id_contradicts(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    row = _people(1, seed=rng.randrange(10_000), start=20)[0]
    born = date.fromisoformat(row["birth_date"])
    for shift in (timedelta(days=1), timedelta(days=-1), timedelta(days=31), timedelta(days=-366)):
        declared = born + shift
        scenario(born=born.isoformat(), declared=declared.isoformat())
        _hire_and_import_refused(
            service, {**row, "birth_date": declared.isoformat()}, "birth_date", "a birth date"
        )


@refuses("PER-004", "PER-029")
def refuses_a_sex_the_id_contradicts(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    for row in _people(2, seed=rng.randrange(10_000), start=30):
        scenario(sex=row["sex"])
        _hire_and_import_refused(service, {**row, "sex": "2" if row["sex"] == "1" else "1"}, "sex", "a sex")


@refuses("PER-005", "PER-029")
def refuses_unknown_codes(service: PersonnelService) -> None:
    _setup(service)
    row = _people(1, start=40)[0]
    for field, bad in (
        ("ethnic_group", "57"),
        ("political_status", "14"),
        ("education", "99"),
        ("marital_status", "99"),
        ("category", "99"),
        ("establishment", "99"),
        ("native_place", "659999"),
        ("rank", "Z99"),
    ):
        scenario(field=field, code=bad)
        _hire_and_import_refused(service, {**row, field: bad}, field, f"{field} {bad}")
    # The last codes of the lists are accepted.
    good = {**row, "ethnic_group": "56", "political_status": "13", "employee_no": "E000041"}
    _hired(service, good)
    expect_equal(
        service.employee(HEAD, ORG, "E000041").record.ethnic_group, "56", what="ethnic group 56 kept"
    )


def _text_attempts(
    service: PersonnelService, row: dict[str, Any], number: str, bad: str
) -> list[tuple[str, Callable[[], object]]]:
    """Calls that each put ``bad`` into one text field, with the field's name."""
    return [
        ("name", lambda: service.hire(CLERK, ORG, {**row, "name": f"阿依{bad}古丽"})),
        ("name_ug", lambda: service.hire(CLERK, ORG, {**row, "name_ug": f"ئاي{bad}گۈل"})),
        ("name", lambda: service.import_employees(CLERK, ORG, [{**row, "name": f"王{bad}芳"}])),
        ("name", lambda: service.rename_unit(HEAD, ORG, "BGS", f"办{bad}公室", effective=DAY)),
        ("seconded_to", lambda: service.second(HEAD, ORG, number, f"厅{bad}", effective=DAY)),
        (
            "document",
            lambda: service.appoint(HEAD, ORG, number, "BGS-ZR", effective=DAY, document=f"任{bad}号"),
        ),
    ]


def _rows(error: BaseException | None) -> dict[int, set[str]]:
    """The fields each rejected row of an import's :class:`InvalidRecord` names, by row number."""
    return {
        e.row: _fields(e)
        for e in getattr(error, "errors", ())
        if isinstance(e, InvalidRecord) and e.row is not None
    }


@refuses("PER-035")
def refuses_control_characters_in_text(service: PersonnelService) -> None:
    _setup(service)
    number = _hired(service, _people(1, start=50)[0])
    service.confirm(HEAD, ORG, number)
    row = _people(1, start=51, seed=5)[0]
    for bad in BAD_CHARACTERS:
        scenario(character=f"U+{ord(bad):04X}")
        attempts = _text_attempts(service, row, number, bad)
        before = _state(service, [number])
        for field, attempt in attempts:
            with (
                step(f"text with U+{ord(bad):04X} in {field}"),
                expect_raises((InvalidInput, InvalidRecord)) as caught,
            ):
                attempt()
            expect_true(
                field in _fields(caught.value),
                f"the refusal names {field}",
                expected=field,
                observed=sorted(_fields(caught.value)),
            )
            message = (
                caught.value.message("en") if isinstance(caught.value, GovPartsError) else str(caught.value)
            )
            expect_true(bad not in message, "the refusal does not echo the character", observed=repr(message))
        _nothing_written(service, before, "text with a control character")


# -- establishment control --------------------------------------------------------------------------


@refuses("PER-006", "PER-007")
def refuses_a_hire_beyond_the_quota(service: PersonnelService) -> None:
    rng = scenario_rng()
    quota = rng.randint(1, 3)
    scenario(quota=quota)
    _setup(service, quota=quota)
    _setup_other(service, quota=quota)
    start = 100
    for category, establishment in (("11", "10"), (rng.choice(("21", "22")), "20"), ("23", "30")):
        scenario(category=category, establishment=establishment)
        # The other organisation fills its own quota of the category first: it takes none of ours.
        theirs = _people(
            quota,
            seed=rng.randrange(10_000),
            start=start,
            org=OTHER,
            category=category,
            establishment=establishment,
        )
        for row in theirs:
            service.hire(OTHER_CLERK, OTHER, row)
        rows = _people(
            quota + 2,
            seed=rng.randrange(10_000),
            start=start + 10,
            category=category,
            establishment=establishment,
        )
        start += 20
        numbers = [_hired(service, row) for row in rows[:quota]]  # exactly filling the quota is accepted
        before = _state(service, numbers)
        with (
            step(f"hire one over the quota of {establishment}"),
            expect_raises(GuardFailed, field="establishment") as caught,
        ):
            service.hire(CLERK, ORG, rows[quota])
        assert isinstance(caught.value, GovPartsError)
        expect_equal(caught.value.details.get("quota"), quota, what="quota shown in the refusal")
        expect_equal(caught.value.details.get("occupied"), quota, what="occupancy shown in the refusal")
        expect_true(
            str(quota) in caught.value.message("en"),
            "the message shows the quota",
            observed=caught.value.message("en"),
        )
        _nothing_written(service, before, "a hire over the quota")
        # A separation frees a place, a secondment does not.
        service.separate(HEAD, ORG, numbers[0], "01", effective=DAY)
        _hired(service, rows[quota + 1])
        if quota > 1:
            service.confirm(HEAD, ORG, numbers[1])
            service.second(HEAD, ORG, numbers[1], "自治区人社厅", effective=DAY)
        with (
            step(f"hire beyond the quota of {establishment} after the replacement"),
            expect_raises(GuardFailed, field="establishment"),
        ):
            service.hire(CLERK, ORG, rows[quota])


@verifies("PER-007", "PER-032")
def reports_headcount_against_quota(service: PersonnelService) -> None:
    rng = scenario_rng()
    quota = rng.randint(6, 9)
    scenario(quota=quota)
    _setup(service, quota=quota)
    _setup_other(service, quota=quota)
    for row in _people(3, seed=rng.randrange(10_000), start=250, org=OTHER):
        service.hire(OTHER_CLERK, OTHER, row)
    rows = _people(5, seed=rng.randrange(10_000), start=200)
    units = [rng.choice(UNITS) for _ in rows]
    for row, unit in zip(rows, units, strict=True):
        row["unit_code"] = unit
        _hired(service, row)
    seconded, separated = rows[0]["employee_no"], rows[1]["employee_no"]
    service.confirm(HEAD, ORG, seconded)
    service.second(HEAD, ORG, seconded, "自治区人社厅", effective=DAY)
    service.separate(HEAD, ORG, separated, "03", effective=DAY)
    in_service = [unit for row, unit in zip(rows, units, strict=True) if row["employee_no"] != separated]
    expected_units: dict[tuple[str, str], int] = {}
    for unit in in_service:
        expected_units[(unit, "10")] = expected_units.get((unit, "10"), 0) + 1
    report = service.headcount(HEAD, ORG)
    per_unit = {(r.unit_code, r.establishment): r.headcount for r in report if r.unit_code is not None}
    totals = {r.establishment: (r.headcount, r.quota) for r in report if r.unit_code is None}
    expect_equal(per_unit, expected_units, what="headcount per unit and category")
    expect_equal(totals.get("10"), (len(in_service), quota), what="category 10 total and quota")
    expect_equal(totals.get("30"), (0, quota), what="category 30 total and quota")


@refuses("PER-031")
def refuses_a_quota_below_occupancy(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    count = rng.randint(2, 4)
    scenario(occupied=count)
    rows = _people(count, seed=rng.randrange(10_000), start=300)
    _imported(service, rows)
    before = _state(service)
    for bad in (count - 1, -1):
        scenario(quota=bad)
        with step(f"set the quota to {bad}"), expect_raises(InvalidInput, field="quota"):
            service.set_quota(HEAD, ORG, "10", bad)
        _nothing_written(service, before, f"a quota of {bad}")
    with step("set the quota to an unknown category"), expect_raises(InvalidInput, field="establishment"):
        service.set_quota(HEAD, ORG, "99", 5)
    _nothing_written(service, before, "an unknown category")
    service.set_quota(HEAD, ORG, "10", count)
    totals = {r.establishment: r.quota for r in service.headcount(HEAD, ORG) if r.unit_code is None}
    expect_equal(totals.get("10"), count, what="a quota equal to the occupancy")
    trail = service.audit_trail(HEAD, ORG, "quota", "10")
    expect_equal(len(trail), len(before["audit"][("quota", "10")]) + 1, what="audit records of the quota")


# -- people ------------------------------------------------------------------------------------------


@refuses("PER-008")
def refuses_confirmation_by_the_hiring_officer(service: PersonnelService) -> None:
    _setup(service)
    both = Actor(id="hr-all-01", name="张静", roles=frozenset({"hr_clerk", "hr_head"}), org=ORG)
    row = _people(1, start=400)[0]
    _hired(service, row, both)
    number = row["employee_no"]
    before = _state(service, [number])
    with step("confirm by the hiring officer"), expect_raises(PermissionDenied):
        service.confirm(both, ORG, number)
    _nothing_written(service, before, "a confirmation by the hiring officer")
    expect_equal(service.confirm(HEAD, ORG, number).state, "active", what="state after a confirmation")


@refuses("PER-009")
def records_an_appointment(service: PersonnelService) -> None:
    _setup(service)
    number = _hired(service, _people(1, start=500)[0])
    before = _state(service, [number])
    for what, post, document, error, field in (
        ("an unknown post", "NONE", "天人社任〔2025〕2号", NotFound, "position_code"),
        ("no document", "BGS-ZR", "", InvalidInput, "document"),
    ):
        scenario(case=what)
        with step(f"appoint with {what}"), expect_raises(error, field=field):
            service.appoint(HEAD, ORG, number, post, effective=DAY, document=document)
        _nothing_written(service, before, f"an appointment with {what}")
    day = date(2025, 2, 28)
    view = service.appoint(HEAD, ORG, number, "BGS-ZR", effective=day, document="天人社任〔2025〕3号")
    expect_equal(view.position_code, "BGS-ZR", what="post held after the appointment")
    posts = [h for h in service.history(HEAD, ORG, number) if h.kind == "post"]
    expect_equal(
        [(h.position_code, h.effective_from, h.document) for h in posts],
        [("BGS-ZR", day, "天人社任〔2025〕3号")],
        what="post entries of the history",
    )
    changed = _events(service, POST_CHANGED)
    expect_equal(
        [(e["position_code"], e["document"]) for e in changed],
        [("BGS-ZR", "天人社任〔2025〕3号")],
        what="employee.post_changed events",
    )
    removed = service.remove_from_post(
        HEAD, ORG, number, effective=date(2025, 3, 31), document="天人社免〔2025〕1号"
    )
    expect_equal(removed.position_code, None, what="post held after the removal")
    posts = [h for h in service.history(HEAD, ORG, number) if h.kind == "post"]
    expect_equal(
        [(h.position_code, h.effective_from, h.document) for h in posts[1:]],
        [(None, date(2025, 3, 31), "天人社免〔2025〕1号")],
        what="the removal in the history",
    )
    expect_equal(
        len(_events(service, POST_CHANGED)), 2, what="employee.post_changed events after the removal"
    )


@refuses("PER-010")
def keeps_one_holder_per_post(service: PersonnelService) -> None:
    _setup(service)
    first, second, third = (_hired(service, row) for row in _people(3, start=600))
    service.transfer(HEAD, ORG, third, "RSK", effective=DAY)
    service.appoint(HEAD, ORG, first, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号")
    before = _state(service, [first, second, third])
    with step("appoint a second holder"), expect_raises(InvalidInput, field="position_code"):
        service.appoint(HEAD, ORG, second, "BGS-ZR", effective=DAY, document="天人社任〔2025〕4号")
    _nothing_written(service, before, "a second holder")
    with step("appoint someone of another unit"), expect_raises(InvalidInput, field="position_code"):
        service.appoint(HEAD, ORG, third, "BGS-ZR", effective=DAY, document="天人社任〔2025〕5号")
    _nothing_written(service, before, "a holder of another unit")
    holder = service.post_holder(HEAD, ORG, "BGS-ZR", DAY)
    expect_equal(None if holder is None else holder.person_id, first, what="the post's holder")


@refuses("PER-011")
def refuses_separation_while_holding_a_post(service: PersonnelService) -> None:
    _setup(service)
    number = _hired(service, _people(1, start=700)[0])
    service.appoint(HEAD, ORG, number, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号")
    before = _state(service, [number])
    with step("separate a post holder"), expect_raises(GuardFailed):
        service.separate(HEAD, ORG, number, "01", effective=date(2025, 6, 1))
    _nothing_written(service, before, "separation of a post holder")
    service.remove_from_post(HEAD, ORG, number, effective=date(2025, 5, 31), document="天人社免〔2025〕1号")
    expect_equal(
        service.separate(HEAD, ORG, number, "01", effective=date(2025, 6, 1)).state,
        "separated",
        what="state after separation once removed",
    )


@refuses("PER-012")
def refuses_separation_while_having_reports(service: PersonnelService) -> None:
    _setup(service)
    boss_row, report_row, other_row = _people(3, start=800)
    boss = _hired(service, boss_row)
    _hired(service, {**report_row, "supervisor_no": boss})
    _hired(service, {**other_row, "supervisor_no": boss})
    for leaving in (report_row["employee_no"], other_row["employee_no"]):
        before = _state(service, [boss])
        with step("separate a person with reports"), expect_raises(GuardFailed):
            service.separate(HEAD, ORG, boss, "03", effective=date(2025, 6, 1))
        _nothing_written(service, before, "separation with direct reports")
        service.separate(HEAD, ORG, leaving, "01", effective=date(2025, 5, 1))
    expect_equal(
        service.separate(HEAD, ORG, boss, "03", effective=date(2025, 6, 1)).state,
        "separated",
        what="state once the reports are gone",
    )


@refuses("PER-013")
def records_the_reason_of_separation(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    reasons = ["01", "02", "03", "04", "05"]
    rows = _people(len(reasons) + 1, seed=rng.randrange(10_000), start=900)
    _imported(service, rows)
    for row, reason in zip(rows, reasons, strict=False):
        number = row["employee_no"]
        day = _some_day(rng, rng.randint(2025, 2030), rng.randint(1, 12))
        scenario(reason=reason, effective=day.isoformat())
        view = service.separate(HEAD, ORG, number, reason, effective=day)
        expect_equal(
            (view.state, view.separation_reason, view.separated_on),
            ("separated", reason, day),
            what="the separation recorded",
        )
        event = _events(service, SEPARATED)[-1]
        expect_equal(
            (event["person"]["person_id"], event["reason"], event["effective_date"]),
            (number, reason, day.isoformat()),
            what="employee.separated",
        )
        stored = service.employee(HEAD, ORG, number)
        expect_equal(
            (stored.state, stored.separation_reason, stored.separated_on),
            ("separated", reason, day),
            what="the separation read back",
        )
    last = rows[-1]["employee_no"]
    before = _state(service, [last])
    for bad in ("00", "06", "77"):
        scenario(reason=bad)
        with step(f"separate for reason {bad}"), expect_raises(InvalidInput, field="reason"):
            service.separate(HEAD, ORG, last, bad, effective=DAY)
        _nothing_written(service, before, f"separation for reason {bad}")


@refuses("PER-014", "PER-033")
def transfers_between_units(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    number = _hired(service, _people(1, seed=rng.randrange(10_000), start=1000)[0])
    target = rng.choice(("RSK", "DAS"))
    scenario(to=target)
    view = service.transfer(HEAD, ORG, number, target, effective=DAY, document="天人社调〔2025〕2号")
    expect_equal(view.record.unit_code, target, what="unit after the transfer")
    moved = _events(service, TRANSFERRED)
    expect_equal(
        [(e["from_unit"]["unit_code"], e["to_unit"]["unit_code"]) for e in moved],
        [("BGS", target)],
        what="employee.transferred units",
    )
    expect_equal(
        [h.unit_code for h in service.history(HEAD, ORG, number) if h.kind == "unit"],
        [target],
        what="the transfer in the history",
    )
    service.close_unit(HEAD, ORG, "BGS", effective=DAY)
    before = _state(service, [number])
    with step("transfer to an unknown unit"), expect_raises(NotFound, field="unit_code"):
        service.transfer(HEAD, ORG, number, "NONE", effective=DAY)
    _nothing_written(service, before, "a transfer to an unknown unit")
    with step("transfer to a closed unit"), expect_raises(InvalidInput, field="unit_code"):
        service.transfer(HEAD, ORG, number, "BGS", effective=DAY)
    _nothing_written(service, before, "a transfer to a closed unit")


@refuses("PER-015")
def keeps_history_and_answers_who_held_a_post(service: PersonnelService) -> None:
    _setup(service)
    first, second = (_hired(service, row) for row in _people(2, start=1100))
    service.appoint(HEAD, ORG, first, "BGS-ZR", effective=date(2024, 2, 29), document="A号")
    before = service.history(HEAD, ORG, first)
    service.remove_from_post(HEAD, ORG, first, effective=date(2025, 1, 1), document="B号")
    service.appoint(HEAD, ORG, second, "BGS-ZR", effective=date(2025, 1, 2), document="C号")
    service.transfer(HEAD, ORG, first, "RSK", effective=date(2025, 2, 1))
    after = service.history(HEAD, ORG, first)
    expect_equal(after[: len(before)], before, what="earlier history entries")
    expect_equal(len(after), len(before) + 2, what="history entries after two changes")
    for day, holder in (
        (date(2024, 2, 28), None),
        (date(2024, 2, 29), first),
        (date(2024, 12, 31), first),
        (date(2025, 1, 1), None),
        (date(2025, 1, 2), second),
        (date(2026, 6, 1), second),
    ):
        scenario(on=day.isoformat())
        found = service.post_holder(HEAD, ORG, "BGS-ZR", day)
        expect_equal(None if found is None else found.person_id, holder, what=f"holder of BGS-ZR on {day}")
    frozen = _state(service, [first, second])
    with step("appoint to the held post"), expect_raises(InvalidInput, field="position_code"):
        service.appoint(HEAD, ORG, first, "BGS-ZR", effective=date(2026, 1, 1), document="E号")
    _nothing_written(service, frozen, "a refused appointment")
    service.remove_from_post(HEAD, ORG, second, effective=date(2026, 7, 1), document="D号")
    service.separate(HEAD, ORG, second, "01", effective=date(2026, 7, 2))
    found = service.post_holder(HEAD, ORG, "BGS-ZR", date(2026, 8, 1))
    expect_equal(found, None, what="holder after removal and separation")


@refuses("PER-022")
def promotes_only_upwards_within_grade_ranges(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    ranks = sorted(RANK_GRADES)  # Z01 is the highest rank
    start = rng.randint(4, len(ranks) - 1)
    current = ranks[start]
    _low, high = RANK_GRADES[current]
    row = {**_people(1, start=1200)[0], "rank": current, "grade": high}
    number = _hired(service, row)
    service.confirm(HEAD, ORG, number)
    higher = ranks[start - 1]
    lowest, highest = RANK_GRADES[higher]
    scenario(rank=current, to=higher)
    before = _state(service, [number])
    for rank, grade, field in (
        (current, None, "rank"),
        (ranks[min(start + 1, len(ranks) - 1)], None, "rank"),
        (higher, lowest - 1, "grade"),
        (higher, highest + 1, "grade"),
    ):
        scenario(attempt=f"{rank}/{grade}")
        with step(f"promote to {rank} grade {grade}"), expect_raises(InvalidInput, field=field):
            service.promote_rank(HEAD, ORG, number, rank, effective=DAY, document="X号", grade=grade)
        _nothing_written(service, before, f"a promotion to {rank} grade {grade}")
    grade = rng.choice((lowest, highest))
    view = service.promote_rank(
        HEAD, ORG, number, higher, effective=DAY, document="天人社〔2025〕9号", grade=grade
    )
    expect_equal(
        (view.record.rank, view.record.grade), (higher, grade), what="rank and grade after promotion"
    )
    expect_equal(
        [h.rank for h in service.history(HEAD, ORG, number) if h.kind == "rank"],
        [higher],
        what="rank entries of the history",
    )


@refuses("PER-023", "PER-033")
def closes_only_empty_units(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    rows = _people(2, seed=rng.randrange(10_000), start=1300)
    seconded = _hired(service, rows[0])
    service.confirm(HEAD, ORG, seconded)
    service.second(HEAD, ORG, seconded, "自治区人社厅", effective=DAY)
    before = _state(service, [seconded])
    with step("close a unit with a seconded member"), expect_raises(GuardFailed):
        service.close_unit(HEAD, ORG, "BGS", effective=DAY)
    _nothing_written(service, before, "closing a unit with members")
    leaver = _hired(service, {**rows[1], "unit_code": "DAS"})
    service.separate(HEAD, ORG, leaver, "01", effective=DAY)
    closed_on = _some_day(rng, 2025, rng.randint(1, 12))
    closed = service.close_unit(HEAD, ORG, "DAS", effective=closed_on)
    expect_equal(closed.effective_to, closed_on, what="closing date")
    changes = [(e["unit"]["unit_code"], e["change"]) for e in _events(service, UNIT_CHANGED)]
    expect_true(
        ("DAS", "closed") in changes and ("BGS", "closed") not in changes,
        "orgunit.changed on closing",
        expected="DAS closed, BGS not",
        observed=changes,
    )
    listed = {u.unit_code: u.effective_to for u in service.units(HEAD, ORG)}
    expect_equal(listed.get("DAS"), closed_on, what="the closed unit listed with its date")
    before = _state(service, [seconded])
    with step("hire into a closed unit"), expect_raises(InvalidInput, field="unit_code"):
        service.hire(CLERK, ORG, {**_people(1, start=1390)[0], "unit_code": "DAS"})
    with step("create a post in a closed unit"), expect_raises(InvalidInput, field="unit_code"):
        service.add_position(
            HEAD,
            ORG,
            Position(
                organization_credit_code=ORG,
                position_code="DAS-ZR",
                unit_code="DAS",
                title="档案室主任",
                post_level="142",
            ),
        )
    _nothing_written(service, before, "changes in a closed unit")


@verifies("PER-033")
def renames_units(service: PersonnelService) -> None:
    _setup(service)
    renamed = service.rename_unit(HEAD, ORG, "RSK", "组织人事科", effective=DAY)
    expect_equal(renamed.name, "组织人事科", what="the name returned")
    expect_equal(
        {u.unit_code: u.name for u in service.units(HEAD, ORG)}.get("RSK"),
        "组织人事科",
        what="the name listed",
    )
    last = _events(service, UNIT_CHANGED)[-1]
    expect_equal(
        (last["unit"]["unit_code"], last["unit"]["name"], last["change"]),
        ("RSK", "组织人事科", "renamed"),
        what="orgunit.changed of the renaming",
    )


@refuses("PER-032")
def keeps_a_seconded_persons_place(service: PersonnelService) -> None:
    _setup(service, quota=2)
    first, second = (_hired(service, row) for row in _people(2, start=1400))
    before = _state(service, [first, second])
    wrong: list[tuple[str, Callable[[], object]]] = [
        (
            "second a person on probation",
            lambda: service.second(HEAD, ORG, second, "自治区人社厅", effective=DAY),
        ),
        (
            "end a secondment that never began",
            lambda: service.end_secondment(HEAD, ORG, second, effective=DAY),
        ),
    ]
    for what, call in wrong:
        with step(what), expect_raises(GovPartsError):
            call()
        _nothing_written(service, before, what)
    service.confirm(HEAD, ORG, first)
    view = service.second(HEAD, ORG, first, "自治区人社厅", effective=DAY)
    expect_equal(
        (view.state, view.seconded_to, view.record.unit_code),
        ("seconded", "自治区人社厅", "BGS"),
        what="state, body and unit while seconded",
    )
    totals = {r.establishment: r.headcount for r in service.headcount(HEAD, ORG) if r.unit_code is None}
    expect_equal(totals.get("10"), 2, what="headcount with a seconded person")
    with (
        step("hire while the seconded person holds a place"),
        expect_raises(GuardFailed, field="establishment"),
    ):
        service.hire(CLERK, ORG, _people(1, start=1490)[0])
    back = service.end_secondment(HEAD, ORG, first, effective=date(2025, 9, 1))
    expect_equal((back.state, back.seconded_to), ("active", None), what="state after the secondment")
    kinds = [(h.kind, h.effective_from) for h in service.history(HEAD, ORG, first) if h.kind == "secondment"]
    expect_equal(
        kinds, [("secondment", DAY), ("secondment", date(2025, 9, 1))], what="secondments in the history"
    )


# -- retirement and service years ------------------------------------------------------------------


def _retirement_sweep(service: PersonnelService, people: list[tuple[str, date, str, str]]) -> None:
    """Import ``(number, born, sex, category)`` people and compare every retirement with the rule."""
    rows = [_person(sex, born, number=number, category=category) for number, born, sex, category in people]
    _imported(service, rows)
    due = service.retirements_due(HEAD, ORG, date(2010, 1, 1), date(2075, 12, 1))
    seen = {d.person.person_id: (d.retirement_month, d.age_years, d.age_extra_months) for d in due}
    for number, born, sex, category in people:
        group = "M60" if sex == "1" else ("F55" if category in ("11", "12", "21", "22") else "F50")
        scenario(person=number, born=born.isoformat(), group=group, category=category)
        expect_equal(
            seen.get(number), _expected_retirement(born, group), what="retirement month, years, months"
        )
    before = _state(service)
    with step("ask with the end before the start"), expect_raises(InvalidInput, field="end"):
        service.retirements_due(HEAD, ORG, date(2030, 1, 1), date(2029, 12, 31))
    _nothing_written(service, before, "a window ending before it starts")


@refuses("PER-016")
def applies_the_gradual_retirement_age_to_men(service: PersonnelService) -> None:
    _setup(service, quota=40)
    rng = scenario_rng()
    months = [(1964, 12), (1965, 1), (1965, 4), (1965, 5), (1976, 8), (1976, 9), (1990, 6)]
    months += [(rng.randint(1965, 1977), rng.randint(1, 12)) for _ in range(5)]
    people = [
        (f"M{n:03d}", _some_day(rng, y, m), "1", rng.choice(("11", "21", "23")))
        for n, (y, m) in enumerate(months)
    ]
    _retirement_sweep(service, people)


@refuses("PER-017")
def applies_the_gradual_retirement_age_to_women(service: PersonnelService) -> None:
    _setup(service, quota=40)
    rng = scenario_rng()
    cadres = [(1969, 12), (1970, 1), (1970, 4), (1970, 5), (1981, 8), (1981, 9), (1995, 3)]
    cadres += [(rng.randint(1970, 1982), rng.randint(1, 12)) for _ in range(4)]
    workers = [(1974, 12), (1975, 1), (1975, 2), (1975, 3), (1984, 10), (1984, 11), (1995, 12)]
    workers += [(rng.randint(1975, 1985), rng.randint(1, 12)) for _ in range(4)]
    people = [
        (f"FC{n:03d}", _some_day(rng, y, m), "2", rng.choice(("11", "12", "21", "22")))
        for n, (y, m) in enumerate(cadres)
    ]
    people += [(f"FW{n:03d}", _some_day(rng, y, m), "2", "23") for n, (y, m) in enumerate(workers)]
    _retirement_sweep(service, people)


@refuses("PER-034")
def lists_retirements_due_in_the_months_asked(service: PersonnelService) -> None:
    _setup(service, quota=20)
    rng = scenario_rng()
    year = rng.randint(2026, 2032)
    # Men born in year-60 … : their retirement months around a window of three months.
    people = []
    for n in range(8):
        born = _some_day(rng, rng.randint(1966, 1972), rng.randint(1, 12))
        people.append((f"W{n:03d}", born, "1", "11"))
    rows = [_person(sex, born, number=number, category=c) for number, born, sex, c in people]
    _imported(service, rows)
    months = {number: _expected_retirement(born, "M60")[0] for number, born, _s, _c in people}
    ordered = sorted(months.items(), key=lambda kv: (kv[1], kv[0]))
    start, end = ordered[2][1], ordered[5][1]
    leaver = ordered[3][0]
    service.separate(HEAD, ORG, leaver, "01", effective=DAY)
    scenario(year=year, start=start.isoformat(), end=end.isoformat())
    for first, last in ((start, end), (start.replace(day=15), end.replace(day=28))):
        due = service.retirements_due(HEAD, ORG, first, last)
        expected = [n for n, m in ordered if start <= m <= end and n != leaver]
        expect_equal([d.person.person_id for d in due], expected, what=f"retirements due {first} … {last}")
    before = _state(service, [leaver])
    with step("ask with the end before the start"), expect_raises(InvalidInput, field="end"):
        service.retirements_due(HEAD, ORG, end, start - timedelta(days=1))
    _nothing_written(service, before, "a window ending before it starts")


@refuses("PER-018")
def counts_service_years_from_first_employment(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    firsts = [date(2004, 2, 29), _some_day(rng, rng.randint(1990, 2015), rng.randint(1, 12))]
    for n, first in enumerate(firsts):
        born = date(first.year - 22, 6, 15)
        row = _person("1", born, number=f"S{n:03d}", first_job=first)
        number = _hired(service, row)
        joined = date.fromisoformat(row["joined_on"])
        years = rng.randint(5, 20)
        anniversary = (
            date(first.year + years, 3, 1)
            if (first.month, first.day) == (2, 29)
            else first.replace(year=first.year + years)
        )
        if (first.month, first.day) == (2, 29) and (first.year + years) % 4 == 0:
            anniversary = date(first.year + years, 2, 29)
        scenario(
            first_employment=first.isoformat(), joined=joined.isoformat(), anniversary=anniversary.isoformat()
        )
        for on, expected in (
            (anniversary, years),
            (anniversary - timedelta(days=1), years - 1),
            (first - timedelta(days=1), 0),
            (first, 0),
        ):
            expect_equal(
                service.service_years(HEAD, ORG, number, on), expected, what=f"service years on {on}"
            )
    before = _state(service)
    with step("service years of an unknown number"), expect_raises(NotFound, field="employee_no"):
        service.service_years(HEAD, ORG, "E404404", DAY)
    _nothing_written(service, before, "service years of an unknown number")


@refuses("PER-024")
def counts_people_in_service_only(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    _setup_other(service)
    _imported(service, _people(4, seed=rng.randrange(10_000), start=1550, org=OTHER), OTHER)
    rows = _people(6, seed=rng.randrange(10_000), start=1500)
    for row in rows[3:]:
        row.update(category="23", establishment="30", unit_code=rng.choice(UNITS))
    _imported(service, rows)
    leaving = rows[0]
    service.separate(HEAD, ORG, leaving["employee_no"], "01", effective=DAY)
    staying = rows[1:]
    for by in (
        "ethnic_group",
        "sex",
        "category",
        "establishment",
        "unit_code",
        "education",
        "political_status",
    ):
        expected: dict[str, int] = {}
        for row in staying:
            expected[str(row[by])] = expected.get(str(row[by]), 0) + 1
        scenario(by=by)
        expect_equal(
            service.statistics(HEAD, ORG, by), dict(sorted(expected.items())), what=f"statistics by {by}"
        )
    born = date.fromisoformat(staying[0]["birth_date"])
    birthday = (
        date(born.year + 36, 3, 1) if (born.month, born.day) == (2, 29) else born.replace(year=born.year + 36)
    )
    for on, band in ((birthday, "36-40"), (birthday - timedelta(days=1), "<=35")):
        scenario(on=on.isoformat())
        bands = service.statistics(HEAD, ORG, "age_band", on=on)
        expect_equal(sum(bands.values()), len(staying), what="people counted in age bands")
        others = _bands([r for r in staying[1:]], on)
        others[band] = others.get(band, 0) + 1
        expect_equal(bands, dict(sorted(others.items())), what=f"age bands on {on}")
    before = _state(service)
    with step("statistics by an unknown dimension"), expect_raises(InvalidInput, field="by"):
        service.statistics(HEAD, ORG, "salary")
    _nothing_written(service, before, "statistics by an unknown dimension")


def _bands(rows: list[dict[str, Any]], on: date) -> dict[str, int]:
    result: dict[str, int] = {}
    for row in rows:
        born = date.fromisoformat(row["birth_date"])
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        band = next(
            label
            for label, low, high in (
                ("<=35", 0, 35),
                ("36-40", 36, 40),
                ("41-45", 41, 45),
                ("46-50", 46, 50),
                ("51-54", 51, 54),
                (">=55", 55, 200),
            )
            if low <= age <= high
        )
        result[band] = result.get(band, 0) + 1
    return result


@refuses("PER-025")
def reports_an_unknown_person(service: PersonnelService) -> None:
    _setup(service)
    _setup_other(service)
    service.hire(OTHER_CLERK, OTHER, _people(1, org=OTHER, start=1600)[0])
    before = _state(service)
    for number in ("E404404", "E001600"):  # the second is the other organisation's
        scenario(employee_no=number)
        for name, attempt in (
            ("employee", lambda number=number: service.employee(HEAD, ORG, number)),
            ("history", lambda number=number: service.history(HEAD, ORG, number)),
            ("service_years", lambda number=number: service.service_years(HEAD, ORG, number, DAY)),
            ("confirm", lambda number=number: service.confirm(HEAD, ORG, number)),
            ("separate", lambda number=number: service.separate(HEAD, ORG, number, "01", effective=DAY)),
            ("transfer", lambda number=number: service.transfer(HEAD, ORG, number, "RSK", effective=DAY)),
        ):
            with step(f"{name} of an unknown number"), expect_raises(NotFound, field="employee_no"):
                attempt()
        _nothing_written(service, before, "calls about an unknown number")


# -- exchange ----------------------------------------------------------------------------------------


@refuses("PER-019")
def imports_all_or_nothing(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    _hired(service, _people(1, start=1700)[0])
    before = _state(service, _known(service))
    for position in (0, 2, 4):
        rows = _people(5, seed=rng.randrange(10_000), start=1710)
        rows[position] = {**rows[position], "ethnic_group": "99"}
        rows[(position + 2) % 5] = {**rows[(position + 2) % 5], "birth_date": "1900-01-01"}
        scenario(bad_rows=[position + 1, (position + 2) % 5 + 1])
        with step("import a batch with two bad rows"), expect_raises(InvalidRecord) as caught:
            service.import_employees(CLERK, ORG, rows)
        by_row = _rows(caught.value)
        expect_equal(sorted(by_row), sorted({position + 1, (position + 2) % 5 + 1}), what="rows reported")
        expect_true(
            "ethnic_group" in by_row.get(position + 1, set()), "the bad code is named", observed=by_row
        )
        _nothing_written(service, before, "an import with bad rows")


@refuses("PER-020")
def imports_the_valid_rows_when_asked(service: PersonnelService) -> None:
    _setup(service)
    rng = scenario_rng()
    before = _state(service)
    invalid = [{**row, "education": "99"} for row in _people(3, seed=rng.randrange(10_000), start=1890)]
    with step("keep the valid rows of a batch without any"):
        nothing = service.import_employees(CLERK, ORG, invalid, keep_valid=True)
    expect_equal((nothing.written, nothing.rejected), (0, 3), what="rows written and rejected, none valid")
    _nothing_written(service, before, "a kept-valid import without a valid row")
    rows = _people(5, seed=rng.randrange(10_000), start=1800)
    bad = sorted(rng.sample(range(5), 2))
    for index in bad:
        rows[index] = {**rows[index], "native_place": "659999"}
    scenario(bad_rows=[i + 1 for i in bad])
    report = service.import_employees(CLERK, ORG, rows, keep_valid=True)
    expect_equal((report.written, report.rejected), (3, 2), what="rows written and rejected")
    expect_equal(
        {(e["row"], e["field"]) for e in report.errors},
        {(i + 1, "native_place") for i in bad},
        what="errors by row and field",
    )
    expect_equal(
        _known(service), [r["employee_no"] for i, r in enumerate(rows) if i not in bad], what="people written"
    )


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    """The citizen id of ``row`` with the birth date and sex that agree with it."""
    return {
        key: row[key] for key in ("citizen_id", "birth_date", "sex", "first_employment_date", "joined_on")
    }


@refuses("PER-029")
def applies_the_hire_rules_to_every_imported_row(service: PersonnelService) -> None:
    rng = scenario_rng()
    quota = rng.randint(3, 5)
    scenario(quota=quota)
    _setup(service, quota=quota)
    service.close_unit(HEAD, ORG, "DAS", effective=DAY)
    stored = _people(1, start=1900)[0]
    _hired(service, stored)
    separated = _hired(service, _people(1, start=1901, seed=3)[0])
    service.separate(HEAD, ORG, separated, "01", effective=DAY)
    before = _state(service, _known(service))
    fresh = _people(8, seed=rng.randrange(10_000), start=1910)
    cases: list[tuple[str, list[dict[str, Any]], int, str]] = [
        (
            "number used in the database",
            [fresh[0], {**fresh[1], "employee_no": stored["employee_no"]}],
            2,
            "employee_no",
        ),
        (
            "citizen id used in the database",
            [{**fresh[1], **_identity(stored)}],
            1,
            "citizen_id",
        ),
        (
            "number twice in the batch",
            [fresh[0], {**fresh[1], "employee_no": fresh[0]["employee_no"]}],
            2,
            "employee_no",
        ),
        ("citizen id twice", [fresh[0], {**fresh[1], **_identity(fresh[0])}], 2, "citizen_id"),
        ("separated supervisor", [{**fresh[0], "supervisor_no": separated}], 1, "supervisor_no"),
        ("closed unit", [{**fresh[0], "unit_code": "DAS"}], 1, "unit_code"),
        ("unknown unit", [{**fresh[0], "unit_code": "NONE"}], 1, "unit_code"),
        (
            "another organisation",
            [{**fresh[0], "organization_credit_code": OTHER}],
            1,
            "organization_credit_code",
        ),
        ("beyond the quota", fresh[:quota], quota, "establishment"),
    ]
    for what, rows, bad_row, field in cases:
        scenario(case=what)
        with step(f"import: {what}"), expect_raises(InvalidRecord) as caught:
            service.import_employees(CLERK, ORG, rows)
        by_row = _rows(caught.value)
        expect_equal(sorted(by_row), [bad_row], what=f"rows rejected ({what})")
        expect_true(
            field in by_row.get(bad_row, set()),
            f"the rejection names {field} ({what})",
            expected=field,
            observed=by_row,
        )
        _nothing_written(service, before, f"an import with {what}")
    # Exactly filling the quota with stored people and the batch is accepted, kept-valid imports
    # refuse only the rows beyond it.
    report = service.import_employees(CLERK, ORG, fresh[:quota], keep_valid=True)
    expect_equal((report.written, report.rejected), (quota - 1, 1), what="kept-valid import at the quota")
    expect_equal(
        [(e["row"], e["field"]) for e in report.errors],
        [(quota, "establishment")],
        what="the row beyond the quota",
    )
    hired = {e["person"]["person_id"] for e in _events(service, HIRED)}
    expect_equal(
        sorted(hired & {r["employee_no"] for r in fresh}),
        sorted(r["employee_no"] for r in fresh[: quota - 1]),
        what="employee.hired events of the people the import wrote",
    )


@refuses("PER-021")
def exports_what_was_imported(service: PersonnelService) -> None:
    _setup(service)
    _setup_other(service)
    rng = scenario_rng()
    rows = _people(4, seed=rng.randrange(10_000), start=2000)
    leap = date(1992, 2, 29)
    rows[1].update(
        birth_date=leap.isoformat(),
        citizen_id=make_citizen_id(rng, leap, rows[1]["sex"]),
        first_employment_date="2014-02-28",
        joined_on="2016-02-29",
    )
    rows[2].update(rank="Z08", grade=18, hire_type="selection", supervisor_no=rows[0]["employee_no"])
    rows[3].update(name="古丽娜尔·艾买提", name_ug="گۈلنار ئەھمەت", hire_type="transfer_in")
    _imported(service, rows[:3])
    _hired(service, rows[3])
    service.hire(OTHER_CLERK, OTHER, _people(1, org=OTHER, start=2090)[0])
    exported = service.export_employees(HEAD, ORG)
    expect_equal(
        [r.model_dump(mode="json") for r in exported],
        [_record(r) for r in rows],
        what="exported records, field by field",
    )
    trail = service.audit_trail(HEAD, ORG, "employee_import", ORG)
    expect_true(
        any(t.action == "export" and t.actor_id == HEAD.id for t in trail),
        "the export is audited",
        observed=[(t.action, t.actor_id) for t in trail],
    )
    # A value that cannot be kept whole is refused, never cut short.
    long_name = {**_people(1, start=2095)[0], "name": "阿" * 201}
    before = _state(service)
    for what, call in (
        ("hire", lambda: service.hire(CLERK, ORG, long_name)),
        ("import", lambda: service.import_employees(CLERK, ORG, [long_name])),
    ):
        with step(f"{what} a 201-character name"), expect_raises((InvalidInput, InvalidRecord)) as caught:
            call()
        expect_true(
            "name" in _fields(caught.value), "the refusal names name", observed=sorted(_fields(caught.value))
        )
        _nothing_written(service, before, f"{what} of a name too long to keep")


# -- observability -----------------------------------------------------------------------------------


@refuses("PER-028")
def audits_every_change(service: PersonnelService) -> None:
    _setup(service)
    for entity, key in (("organization", ORG), ("org_unit", "BGS"), ("position", "BGS-ZR"), ("quota", "10")):
        trail = service.audit_trail(HEAD, ORG, entity, key)
        expect_true(trail, f"the set-up of {entity} {key} is audited", observed=trail)
        expect_equal({t.actor_id for t in trail}, {HEAD.id}, what=f"actor of the {entity} records")
    rows = _people(3, start=2100)
    number = _hired(service, rows[0])
    _imported(service, rows[1:])

    def count(entity: str, key: str) -> int:
        return len(service.audit_trail(HEAD, ORG, entity, key))

    expect_true(
        count("employee", rows[1]["employee_no"]) >= 1,
        "an imported person's trail shows the import",
        observed=service.audit_trail(HEAD, ORG, "employee", rows[1]["employee_no"]),
    )
    changes: list[tuple[str, str, str, Callable[[], object]]] = [
        ("confirm", "employee", number, lambda: service.confirm(HEAD, ORG, number)),
        (
            "appoint",
            "employee",
            number,
            lambda: service.appoint(
                HEAD, ORG, number, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号"
            ),
        ),
        (
            "remove",
            "employee",
            number,
            lambda: service.remove_from_post(
                HEAD, ORG, number, effective=DAY, document="天人社免〔2025〕1号"
            ),
        ),
        (
            "promote",
            "employee",
            number,
            lambda: service.promote_rank(
                HEAD, ORG, number, "Z11", effective=DAY, document="天人社〔2025〕9号"
            ),
        ),
        ("transfer", "employee", number, lambda: service.transfer(HEAD, ORG, number, "RSK", effective=DAY)),
        (
            "second",
            "employee",
            number,
            lambda: service.second(HEAD, ORG, number, "自治区人社厅", effective=DAY),
        ),
        (
            "end secondment",
            "employee",
            number,
            lambda: service.end_secondment(HEAD, ORG, number, effective=DAY),
        ),
        ("separate", "employee", number, lambda: service.separate(HEAD, ORG, number, "01", effective=DAY)),
        (
            "rename",
            "org_unit",
            "DAS",
            lambda: service.rename_unit(HEAD, ORG, "DAS", "综合档案室", effective=DAY),
        ),
        ("close", "org_unit", "DAS", lambda: service.close_unit(HEAD, ORG, "DAS", effective=DAY)),
        ("quota", "quota", "30", lambda: service.set_quota(HEAD, ORG, "30", 7)),
        ("export", "employee_import", ORG, lambda: service.export_employees(HEAD, ORG)),
        (
            "post",
            "position",
            "RSK-KZ",
            lambda: service.add_position(
                HEAD,
                ORG,
                Position(
                    organization_credit_code=ORG,
                    position_code="RSK-KZ",
                    unit_code="RSK",
                    title="人事科科长",
                    post_level="142",
                ),
            ),
        ),
    ]
    for what, entity, key, change in changes:
        scenario(change=what)
        earlier = count(entity, key)
        with step(what):
            change()
        trail = service.audit_trail(HEAD, ORG, entity, key)
        expect_equal(len(trail), earlier + 1, what=f"audit records of {entity} {key} after {what}")
        expect_equal(trail[-1].actor_id, HEAD.id, what=f"actor of the record of {what}")
    before = _state(service, _known(service))
    with step("separate again"), expect_raises(GovPartsError):
        service.separate(HEAD, ORG, number, "01", effective=DAY)
    _nothing_written(service, before, "a refused separation")


@refuses("PER-030")
def publishes_events_in_order(service: PersonnelService) -> None:
    _setup(service)
    _setup_other(service)
    number = _hired(service, _people(1, start=2200)[0])
    service.hire(OTHER_CLERK, OTHER, _people(1, org=OTHER, start=2201)[0])
    service.appoint(HEAD, ORG, number, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号")
    service.remove_from_post(HEAD, ORG, number, effective=DAY, document="天人社免〔2025〕1号")
    service.transfer(HEAD, ORG, number, "RSK", effective=DAY)
    service.separate(HEAD, ORG, number, "04", effective=DAY)
    events = service.published_events(HEAD, ORG)
    people = [e.type for e in events if e.type != UNIT_CHANGED]
    expect_equal(
        people,
        [HIRED, POST_CHANGED, POST_CHANGED, TRANSFERRED, SEPARATED],
        what="the organisation's employee events in publication order",
    )
    expect_equal(len({e.id for e in events}), len(events), what="distinct event ids")
    expect_equal(
        [e.type for e in service.published_events(HEAD, ORG, type=POST_CHANGED)],
        [POST_CHANGED, POST_CHANGED],
        what="events filtered by type",
    )
    expect_equal(
        [e.type for e in service.published_events(HEAD, ORG, type=UNIT_CHANGED)],
        [e.type for e in events if e.type == UNIT_CHANGED],
        what="orgunit.changed filtered",
    )
    theirs = service.published_events(OTHER_HEAD, OTHER)
    expect_true(
        not {e.id for e in theirs} & {e.id for e in events},
        "no event listed for both organisations",
        observed=len(theirs),
    )
    expect_equal(
        [e.type for e in theirs if e.type != UNIT_CHANGED], [HIRED], what="the other's employee events"
    )
    before = _state(service, [number])
    with step("separate a separated person"), expect_raises(GovPartsError):
        service.separate(HEAD, ORG, number, "01", effective=DAY)
    _nothing_written(service, before, "a refused separation")


# -- access control ----------------------------------------------------------------------------------


def _every_call(number: str, org: str = ORG) -> dict[str, Callable[[PersonnelService, Actor], object]]:
    """One call of every organisation-scoped Protocol method about ``org``'s data, by name."""
    person = _people(1, start=2350, seed=9, org=org)[0]
    return {
        "register_organization": lambda s, a: s.register_organization(
            a, org, Organization(credit_code=org, name="重复", division_code=org[2:8])
        ),
        "add_unit": lambda s, a: s.add_unit(
            a,
            org,
            OrgUnit(organization_credit_code=org, unit_code="XXZX", name="信息中心", effective_from=DAY),
        ),
        "rename_unit": lambda s, a: s.rename_unit(a, org, "BGS", "综合办公室", effective=DAY),
        "close_unit": lambda s, a: s.close_unit(a, org, "DAS", effective=DAY),
        "units": lambda s, a: s.units(a, org),
        "add_position": lambda s, a: s.add_position(
            a,
            org,
            Position(
                organization_credit_code=org,
                position_code="RSK-KZ",
                unit_code="RSK",
                title="人事科科长",
                post_level="142",
            ),
        ),
        "set_quota": lambda s, a: s.set_quota(a, org, "10", 9),
        "headcount": lambda s, a: s.headcount(a, org),
        "hire": lambda s, a: s.hire(a, org, person),
        "confirm": lambda s, a: s.confirm(a, org, number),
        "appoint": lambda s, a: s.appoint(a, org, number, "BGS-ZR", effective=DAY, document="X号"),
        "remove_from_post": lambda s, a: s.remove_from_post(a, org, number, effective=DAY, document="X号"),
        "transfer": lambda s, a: s.transfer(a, org, number, "RSK", effective=DAY),
        "promote_rank": lambda s, a: s.promote_rank(a, org, number, "Z11", effective=DAY, document="X号"),
        "second": lambda s, a: s.second(a, org, number, "自治区人社厅", effective=DAY),
        "end_secondment": lambda s, a: s.end_secondment(a, org, number, effective=DAY),
        "separate": lambda s, a: s.separate(a, org, number, "01", effective=DAY),
        "employee": lambda s, a: s.employee(a, org, number),
        "employees": lambda s, a: s.employees(a, org),
        "history": lambda s, a: s.history(a, org, number),
        "post_holder": lambda s, a: s.post_holder(a, org, "BGS-ZR", DAY),
        "service_years": lambda s, a: s.service_years(a, org, number, DAY),
        "retirements_due": lambda s, a: s.retirements_due(a, org, DAY, date(2070, 1, 1)),
        "statistics": lambda s, a: s.statistics(a, org, "sex"),
        "audit_trail": lambda s, a: s.audit_trail(a, org, "employee", number),
        "published_events": lambda s, a: s.published_events(a, org),
        "import_employees": lambda s, a: s.import_employees(a, org, [person]),
        "export_employees": lambda s, a: s.export_employees(a, org),
    }


READS = frozenset(
    {
        "units",
        "headcount",
        "employee",
        "employees",
        "history",
        "post_holder",
        "service_years",
        "retirements_due",
        "statistics",
        "audit_trail",
        "published_events",
        "export_employees",
    }
)
"""The scoped methods that only read (an export is audited, but changes nothing)."""
HEAD_ONLY = frozenset(_every_call("E000001")) - READS - {"hire", "import_employees"}
"""The changes only the head of personnel may make (a clerk may hire and import)."""


def _staffed(service: PersonnelService) -> str:
    _setup(service)
    _setup_other(service)
    row = _people(1, start=2300)[0]
    number = _hired(service, row)
    service.hire(OTHER_CLERK, OTHER, {**row, "organization_credit_code": OTHER})
    return number


@refuses("PER-027")
def keeps_organisations_apart(service: PersonnelService) -> None:
    number = _staffed(service)
    theirs_before = _state(service, [number], OTHER)
    service.separate(OTHER_HEAD, OTHER, number, "01", effective=DAY)
    expect_equal(
        service.employee(HEAD, ORG, number).state, "probation", what="our person after their separation"
    )
    before = _state(service, [number])
    secrets = [ORG, "乌鲁木齐市天山区", service.employee(HEAD, ORG, number).record.citizen_id]
    for name, call in _every_call(number).items():
        scenario(method=name, actor="other organisation")
        with step(f"{name} by another organisation"), expect_raises(OrganizationDenied) as caught:
            call(service, OTHER_HEAD)
        message = caught.value.message("en") if isinstance(caught.value, GovPartsError) else str(caught.value)
        expect_true(not any(s in message for s in secrets), "the refusal reveals nothing", observed=message)
        _nothing_written(service, before, f"{name} by another organisation")
    # What the office reads about itself holds nothing of the other organisation.
    for name in sorted(READS):
        scenario(method=name, actor="own officer")
        with step(f"{name} by the office's own head"):
            shown = repr(_every_call(number)[name](service, HEAD))
        expect_true(
            OTHER not in shown,
            f"{name} shows only the organisation's own data",
            expected=f"nothing of {OTHER}",
            observed=shown[:300],
        )
    expect_equal(
        len(_state(service, [number], OTHER)["employees"]),
        len(theirs_before["employees"]),
        what="the other organisation's people",
    )


@refuses("PER-027")
def lets_a_cross_org_auditor_read_only(service: PersonnelService) -> None:
    number = _staffed(service)
    calls = _every_call(number)
    for name in sorted(READS):
        scenario(method=name, actor="cross-organisation auditor")
        own = calls[name](service, HEAD)
        logged = [
            len(service.audit_trail(HEAD, ORG, e, k))
            for e, k in (
                ("organization", ORG),
                ("employee", number),
                ("position", "BGS-ZR"),
                ("employee_import", ORG),
            )
        ]
        with step(f"{name} by the auditor"):
            seen = calls[name](service, AUDITOR)
        if name not in ("audit_trail", "export_employees"):
            expect_equal(seen, own, what=f"what the auditor reads through {name}")
        after = [
            len(service.audit_trail(HEAD, ORG, e, k))
            for e, k in (
                ("organization", ORG),
                ("employee", number),
                ("position", "BGS-ZR"),
                ("employee_import", ORG),
            )
        ]
        expect_true(
            sum(after) > sum(logged),
            f"the auditor's {name} is audited",
            expected="one more record",
            observed=(logged, after),
        )
    before = _state(service, [number])
    for name in sorted(set(calls) - READS):
        scenario(method=name, actor="cross-organisation auditor")
        with step(f"{name} by the auditor"), expect_raises(OrganizationDenied):
            calls[name](service, AUDITOR)
        _nothing_written(service, before, f"{name} by the auditor")


@refuses("PER-026")
def refuses_actors_without_the_role(service: PersonnelService) -> None:
    number = _staffed(service)
    calls = _every_call(number)
    before = _state(service, [number])
    for name in sorted(set(calls) - READS):
        scenario(method=name, actor="reader")
        with step(f"{name} by a reader"), expect_raises(PermissionDenied):
            calls[name](service, VISITOR)
        _nothing_written(service, before, f"{name} by a reader")
    for name in sorted(HEAD_ONLY):
        scenario(method=name, actor="clerk")
        with step(f"{name} by a clerk"), expect_raises(PermissionDenied):
            calls[name](service, CLERK)
        _nothing_written(service, before, f"{name} by a clerk")
    for name in sorted(READS):
        scenario(method=name, actor="reader")
        with step(f"{name} by a reader of the organisation"):
            calls[name](service, VISITOR)


SUITE = Suite(CATALOGUE, collect_checks(globals()))
