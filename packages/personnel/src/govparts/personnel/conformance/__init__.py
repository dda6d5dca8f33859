"""The personnel part's requirement catalogue and conformance suite.

Every check talks to the implementation only through :class:`~govparts.personnel.service.PersonnelService`
and the published models; it never reads the reference implementation's tables. Each check starts
from an empty service: it registers an organisation (``11650100…``, a synthetic credit code), two
units, an establishment quota and a post, then acts as two officers (a clerk and the head of
personnel).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

from govparts.conformance import Catalogue, Suite, collect_checks, expect_raises, verifies
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


def _setup(service: PersonnelService, quota: int = 10) -> str:
    service.register_organization(
        Organization(
            credit_code=ORG,
            name="乌鲁木齐市天山区人力资源和社会保障局",
            name_en="Human Resources and Social Security Bureau of Tianshan District",
            name_ug="ئۈرۈمچى شەھىرى تەڭرىتاغ رايونلۇق كادىرلار ۋە ئىجتىمائىي كاپالەت ئىدارىسى",
            division_code="650102",
        ),
        actor=HEAD,
    )
    for code, name in (("BGS", "办公室"), ("RSK", "人事科")):
        service.add_unit(
            OrgUnit(organization_credit_code=ORG, unit_code=code, name=name, effective_from=date(2020, 1, 1)),
            actor=HEAD,
        )
    service.add_unit(
        OrgUnit(
            organization_credit_code=ORG, unit_code="DAS", name="档案室", effective_from=date(2020, 1, 1)
        ),
        actor=HEAD,
    )
    service.set_quota(ORG, "10", quota, actor=HEAD)
    service.set_quota(ORG, "30", quota, actor=HEAD)
    service.add_position(
        Position(
            organization_credit_code=ORG,
            position_code="BGS-ZR",
            unit_code="BGS",
            title="办公室主任",
            post_level="141",
        ),
        actor=HEAD,
    )
    return ORG


def _people(count: int, seed: int = 1, **overrides: Any) -> list[dict[str, Any]]:
    rows = make_people(count, organization_credit_code=ORG, unit_codes=("BGS",), seed=seed)
    return [{**row, **overrides} for row in rows]


def _person(
    sex: str, born: date, *, number: str, category: str = "11", establishment: str = "10"
) -> dict[str, Any]:
    row = _people(1, seed=born.toordinal())[0]
    row.update(
        employee_no=number,
        sex=sex,
        birth_date=born.isoformat(),
        citizen_id=make_citizen_id(random.Random(number), born, sex),
        category=category,
        establishment=establishment,
        first_employment_date=date(born.year + 20, 9, 1).isoformat(),
        joined_on=date(born.year + 22, 9, 1).isoformat(),
    )
    return row


def _fields(error: BaseException | None) -> set[str]:
    assert isinstance(error, GovPartsError), f"expected a govparts error, got {error!r}"
    found = {error.field} if error.field else set()
    for inner in getattr(error, "errors", ()):
        found |= _fields(inner)
    return found


def _hired(service: PersonnelService, row: dict[str, Any]) -> str:
    view = service.hire(row, actor=CLERK)
    return view.record.employee_no


def _events(service: PersonnelService, kind: str) -> list[dict[str, Any]]:
    return [
        e.data
        for e in service.published_events(ORG, actor=HEAD)
        if e.type == f"cn.govparts.personnel.{kind}.v1"
    ]


@verifies("PER-001")
def records_a_hire_on_probation(service: PersonnelService) -> None:
    _setup(service)
    row = _people(1)[0]
    view = service.hire(row, actor=CLERK)
    assert view.state == "probation", view.state
    assert service.employee(ORG, row["employee_no"], actor=HEAD).record.citizen_id == row["citizen_id"]
    hired = _events(service, "employee.hired")
    assert len(hired) == 1, hired
    assert hired[0]["person"]["person_id"] == row["employee_no"]
    assert hired[0]["unit"]["unit_code"] == "BGS"
    assert hired[0]["first_employment_date"] == row["first_employment_date"]


@verifies("PER-002")
def refuses_a_wrong_check_character(service: PersonnelService) -> None:
    _setup(service)
    row = _people(1)[0]
    wrong = "0" if row["citizen_id"][17] != "0" else "1"
    with expect_raises(InvalidInput) as caught:
        service.hire({**row, "citizen_id": row["citizen_id"][:17] + wrong}, actor=CLERK)
    assert "citizen_id" in _fields(caught.value), _fields(caught.value)
    assert service.employees(ORG, actor=HEAD) == [], "a refused hire was recorded"


@verifies("PER-003")
def refuses_a_birth_date_the_id_contradicts(service: PersonnelService) -> None:
    _setup(service)
    row = _people(1)[0]
    born = date.fromisoformat(row["birth_date"])
    with expect_raises(InvalidInput) as caught:
        service.hire(
            {**row, "birth_date": born.replace(day=1 if born.day != 1 else 2).isoformat()}, actor=CLERK
        )
    assert "birth_date" in _fields(caught.value), _fields(caught.value)
    assert service.employees(ORG, actor=HEAD) == []


@verifies("PER-004")
def refuses_a_sex_the_id_contradicts(service: PersonnelService) -> None:
    _setup(service)
    row = _people(1)[0]
    with expect_raises(InvalidInput) as caught:
        service.hire({**row, "sex": "2" if row["sex"] == "1" else "1"}, actor=CLERK)
    assert "sex" in _fields(caught.value), _fields(caught.value)
    assert service.employees(ORG, actor=HEAD) == []


@verifies("PER-005")
def refuses_unknown_codes(service: PersonnelService) -> None:
    _setup(service)
    row = _people(1)[0]
    for field, bad in (("ethnic_group", "57"), ("political_status", "14"), ("education", "99")):
        with expect_raises(InvalidInput) as caught:
            service.hire({**row, field: bad}, actor=CLERK)
        assert field in _fields(caught.value), (field, _fields(caught.value))
    assert service.employees(ORG, actor=HEAD) == []


@verifies("PER-006")
def refuses_a_hire_beyond_the_quota(service: PersonnelService) -> None:
    _setup(service, quota=2)
    first, second, third = _people(3)
    _hired(service, first)
    _hired(service, second)
    with expect_raises(GuardFailed, field="establishment") as caught:
        service.hire(third, actor=CLERK)
    assert isinstance(caught.value, GovPartsError)
    text = caught.value.message("en")
    assert caught.value.details.get("quota") == 2, text
    assert caught.value.details.get("occupied") == 2, text
    assert "2" in text, text
    assert len(service.employees(ORG, actor=HEAD)) == 2


@verifies("PER-007")
def reports_headcount_against_quota(service: PersonnelService) -> None:
    _setup(service, quota=5)
    for row in _people(3):
        _hired(service, row)
    rows = service.headcount(ORG, actor=HEAD)
    per_unit = {(r.unit_code, r.establishment): r.headcount for r in rows if r.unit_code is not None}
    totals = {r.establishment: (r.headcount, r.quota) for r in rows if r.unit_code is None}
    assert per_unit == {("BGS", "10"): 3}, per_unit
    assert totals["10"] == (3, 5), totals
    assert totals["30"] == (0, 5), totals


@verifies("PER-008")
def refuses_confirmation_by_the_hiring_officer(service: PersonnelService) -> None:
    _setup(service)
    both = Actor(id="hr-all-01", name="张静", roles=frozenset({"hr_clerk", "hr_head"}))
    row = _people(1)[0]
    service.hire(row, actor=both)
    with expect_raises(PermissionDenied):
        service.confirm(ORG, row["employee_no"], actor=both)
    assert service.confirm(ORG, row["employee_no"], actor=HEAD).state == "active"


@verifies("PER-009")
def records_an_appointment(service: PersonnelService) -> None:
    _setup(service)
    number = _hired(service, _people(1)[0])
    view = service.appoint(ORG, number, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号", actor=HEAD)
    assert view.position_code == "BGS-ZR"
    posts = [h for h in service.history(ORG, number, actor=HEAD) if h.kind == "post"]
    assert [(h.position_code, h.effective_from, h.document) for h in posts] == [
        ("BGS-ZR", DAY, "天人社任〔2025〕3号")
    ]
    changed = _events(service, "employee.post_changed")
    assert len(changed) == 1, changed
    assert changed[0]["position_code"] == "BGS-ZR", changed
    assert changed[0]["document"] == "天人社任〔2025〕3号"


@verifies("PER-010")
def keeps_one_holder_per_post(service: PersonnelService) -> None:
    _setup(service)
    first, second = (_hired(service, row) for row in _people(2))
    service.appoint(ORG, first, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号", actor=HEAD)
    with expect_raises(InvalidInput, field="position_code"):
        service.appoint(ORG, second, "BGS-ZR", effective=DAY, document="天人社任〔2025〕4号", actor=HEAD)
    assert service.employee(ORG, second, actor=HEAD).position_code is None


@verifies("PER-011")
def refuses_separation_while_holding_a_post(service: PersonnelService) -> None:
    _setup(service)
    number = _hired(service, _people(1)[0])
    service.appoint(ORG, number, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号", actor=HEAD)
    with expect_raises(GuardFailed):
        service.separate(ORG, number, "01", effective=date(2025, 6, 1), actor=HEAD)
    assert service.employee(ORG, number, actor=HEAD).state != "separated"
    assert _events(service, "employee.separated") == []
    service.remove_from_post(
        ORG, number, effective=date(2025, 5, 31), document="天人社免〔2025〕1号", actor=HEAD
    )
    assert service.separate(ORG, number, "01", effective=date(2025, 6, 1), actor=HEAD).state == "separated"


@verifies("PER-012")
def refuses_separation_while_having_reports(service: PersonnelService) -> None:
    _setup(service)
    boss_row, report_row = _people(2)
    boss = _hired(service, boss_row)
    _hired(service, {**report_row, "supervisor_no": boss})
    with expect_raises(GuardFailed):
        service.separate(ORG, boss, "03", effective=date(2025, 6, 1), actor=HEAD)
    assert service.employee(ORG, boss, actor=HEAD).state != "separated"
    service.separate(ORG, report_row["employee_no"], "01", effective=date(2025, 5, 1), actor=HEAD)
    assert service.separate(ORG, boss, "03", effective=date(2025, 6, 1), actor=HEAD).state == "separated"


@verifies("PER-013")
def records_the_reason_of_separation(service: PersonnelService) -> None:
    _setup(service)
    number = _hired(service, _people(1)[0])
    view = service.separate(ORG, number, "04", effective=date(2025, 6, 30), actor=HEAD)
    assert (view.state, view.separation_reason, view.separated_on) == ("separated", "04", date(2025, 6, 30))
    separated = _events(service, "employee.separated")
    assert len(separated) == 1, separated
    assert separated[0]["reason"] == "04"
    assert separated[0]["person"]["person_id"] == number
    with expect_raises(InvalidInput, field="reason"):
        service.separate(
            ORG,
            _hired(service, {**_people(1, seed=2)[0], "employee_no": "E000900"}),
            "77",
            effective=DAY,
            actor=HEAD,
        )


@verifies("PER-014")
def transfers_between_units(service: PersonnelService) -> None:
    _setup(service)
    number = _hired(service, _people(1)[0])
    view = service.transfer(ORG, number, "RSK", effective=DAY, actor=HEAD, document="天人社调〔2025〕2号")
    assert view.record.unit_code == "RSK"
    moved = _events(service, "employee.transferred")
    assert len(moved) == 1, moved
    assert (moved[0]["from_unit"]["unit_code"], moved[0]["to_unit"]["unit_code"]) == ("BGS", "RSK")
    with expect_raises(NotFound, field="unit_code"):
        service.transfer(ORG, number, "NONE", effective=DAY, actor=HEAD)


@verifies("PER-015")
def keeps_history_and_answers_who_held_a_post(service: PersonnelService) -> None:
    _setup(service)
    first, second = (_hired(service, row) for row in _people(2))
    service.appoint(ORG, first, "BGS-ZR", effective=date(2024, 1, 1), document="A号", actor=HEAD)
    before = service.history(ORG, first, actor=HEAD)
    service.remove_from_post(ORG, first, effective=date(2025, 1, 1), document="B号", actor=HEAD)
    service.appoint(ORG, second, "BGS-ZR", effective=date(2025, 1, 2), document="C号", actor=HEAD)
    service.transfer(ORG, first, "RSK", effective=date(2025, 2, 1), actor=HEAD)
    after = service.history(ORG, first, actor=HEAD)
    assert after[: len(before)] == before, "earlier history entries changed"
    assert len(after) == len(before) + 2, after
    holder = service.post_holder(ORG, "BGS-ZR", date(2024, 6, 1), actor=HEAD)
    assert holder is not None, holder
    assert holder.person_id == first, holder
    holder = service.post_holder(ORG, "BGS-ZR", date(2025, 3, 1), actor=HEAD)
    assert holder is not None, holder
    assert holder.person_id == second, holder
    assert service.post_holder(ORG, "BGS-ZR", date(2023, 6, 1), actor=HEAD) is None


@verifies("PER-016")
def applies_the_gradual_retirement_age_to_men(service: PersonnelService) -> None:
    _setup(service)
    for number, born in (
        ("M1965", date(1965, 1, 10)),
        ("M1963", date(1963, 12, 5)),
        ("M1980", date(1980, 10, 3)),
    ):
        service.hire(_person("1", born, number=number), actor=CLERK)
    due = service.retirements_due(ORG, date(2023, 1, 1), date(2050, 12, 31), actor=HEAD)
    seen = {d.person.person_id: (d.retirement_month, d.age_years, d.age_extra_months) for d in due}
    assert seen["M1965"] == (date(2025, 2, 1), 60, 1), seen
    assert seen["M1963"] == (date(2023, 12, 1), 60, 0), seen
    assert seen["M1980"] == (date(2043, 10, 1), 63, 0), seen
    only = service.retirements_due(ORG, date(2025, 2, 1), date(2025, 2, 28), actor=HEAD)
    assert [d.person.person_id for d in only] == ["M1965"], only


@verifies("PER-017")
def applies_the_gradual_retirement_age_to_women(service: PersonnelService) -> None:
    _setup(service)
    service.hire(
        _person("2", date(1976, 6, 15), number="F50", category="23", establishment="30"), actor=CLERK
    )
    service.hire(_person("2", date(1971, 4, 2), number="F55"), actor=CLERK)
    due = service.retirements_due(ORG, date(2025, 1, 1), date(2030, 12, 31), actor=HEAD)
    seen = {d.person.person_id: (d.retirement_month, d.age_years, d.age_extra_months) for d in due}
    assert seen["F50"] == (date(2027, 3, 1), 50, 9), seen
    assert seen["F55"] == (date(2026, 8, 1), 55, 4), seen


@verifies("PER-018")
def counts_service_years_from_first_employment(service: PersonnelService) -> None:
    _setup(service)
    row = _person("1", date(1985, 5, 5), number="S1985")
    first_job = date.fromisoformat(row["first_employment_date"])
    number = _hired(service, row)
    tenth = first_job.replace(year=first_job.year + 10)
    assert service.service_years(ORG, number, tenth, actor=HEAD) == 10
    assert service.service_years(ORG, number, date.fromordinal(tenth.toordinal() - 1), actor=HEAD) == 9


@verifies("PER-019")
def imports_all_or_nothing(service: PersonnelService) -> None:
    _setup(service)
    rows = _people(4)
    rows[2] = {**rows[2], "ethnic_group": "99"}
    rows[3] = {**rows[3], "birth_date": "1900-01-01"}
    with expect_raises(InvalidRecord) as caught:
        service.import_employees(rows, actor=CLERK)
    error = caught.value
    assert isinstance(error, InvalidRecord)
    by_row = {inner.row: _fields(inner) for inner in error.errors if isinstance(inner, InvalidRecord)}
    assert set(by_row) == {3, 4}, by_row
    assert "ethnic_group" in by_row[3], by_row
    assert "birth_date" in by_row[4], by_row
    assert service.employees(ORG, actor=HEAD) == []


@verifies("PER-020")
def imports_the_valid_rows_when_asked(service: PersonnelService) -> None:
    _setup(service)
    rows = _people(3)
    rows[1] = {**rows[1], "native_place": "659999"}
    report = service.import_employees(rows, actor=CLERK, keep_valid=True)
    assert (report.written, report.rejected) == (2, 1), report
    assert {(e["row"], e["field"]) for e in report.errors} == {(2, "native_place")}, report.errors
    assert [v.record.employee_no for v in service.employees(ORG, actor=HEAD)] == [
        rows[0]["employee_no"],
        rows[2]["employee_no"],
    ]


@verifies("PER-021")
def exports_what_was_imported(service: PersonnelService) -> None:
    _setup(service)
    rows = _people(5)
    service.import_employees(rows, actor=CLERK)
    exported = service.export_employees(ORG, actor=HEAD)
    assert [r.model_dump(mode="json") for r in exported] == [
        EmployeeRecord.model_validate(r).model_dump(mode="json") for r in rows
    ]
    assert any(r.name_ug for r in exported), "no Uyghur name survived the round trip"


@verifies("PER-022")
def promotes_only_upwards_within_grade_ranges(service: PersonnelService) -> None:
    _setup(service)
    row = {**_people(1)[0], "rank": "Z10", "grade": 20}
    number = _hired(service, row)
    service.confirm(ORG, number, actor=HEAD)
    with expect_raises(InvalidInput, field="rank"):
        service.promote_rank(ORG, number, "Z11", effective=DAY, document="X号", actor=HEAD)
    with expect_raises(InvalidInput, field="grade"):
        service.promote_rank(ORG, number, "Z09", effective=DAY, document="X号", actor=HEAD, grade=25)
    view = service.promote_rank(
        ORG, number, "Z09", effective=DAY, document="天人社〔2025〕9号", actor=HEAD, grade=19
    )
    assert (view.record.rank, view.record.grade) == ("Z09", 19)
    assert [h.rank for h in service.history(ORG, number, actor=HEAD) if h.kind == "rank"] == ["Z09"]


@verifies("PER-023")
def closes_only_empty_units(service: PersonnelService) -> None:
    _setup(service)
    _hired(service, _people(1)[0])
    with expect_raises(GuardFailed):
        service.close_unit(ORG, "BGS", effective=DAY, actor=HEAD)
    closed = service.close_unit(ORG, "DAS", effective=DAY, actor=HEAD)
    assert closed.effective_to == DAY
    changes = [(e["unit"]["unit_code"], e["change"]) for e in _events(service, "orgunit.changed")]
    assert ("DAS", "closed") in changes, changes
    assert ("BGS", "closed") not in changes, changes


@verifies("PER-024")
def counts_people_in_service_only(service: PersonnelService) -> None:
    _setup(service)
    rows = _people(6)
    numbers = [_hired(service, row) for row in rows]
    service.separate(ORG, numbers[0], "01", effective=DAY, actor=HEAD)
    expected: dict[str, int] = {}
    for row in rows[1:]:
        expected[row["ethnic_group"]] = expected.get(row["ethnic_group"], 0) + 1
    assert service.statistics(ORG, "ethnic_group", actor=HEAD) == dict(sorted(expected.items()))
    assert sum(service.statistics(ORG, "category", actor=HEAD).values()) == 5


@verifies("PER-025")
def reports_an_unknown_person(service: PersonnelService) -> None:
    _setup(service)
    with expect_raises(NotFound):
        service.employee(ORG, "E404404", actor=HEAD)


@verifies("PER-026")
def refuses_actors_without_the_role(service: PersonnelService) -> None:
    _setup(service)
    row = _people(1)[0]
    with expect_raises(PermissionDenied):
        service.hire(row, actor=VISITOR)
    assert service.employees(ORG, actor=HEAD) == []
    number = _hired(service, row)
    with expect_raises(PermissionDenied):
        service.appoint(ORG, number, "BGS-ZR", effective=DAY, document="X号", actor=CLERK)
    with expect_raises(PermissionDenied):
        service.separate(ORG, number, "01", effective=DAY, actor=CLERK)


@verifies("PER-027")
def keeps_organisations_apart(service: PersonnelService) -> None:
    _setup(service)
    service.register_organization(
        Organization(
            credit_code=OTHER,
            name="喀什市第一中学",
            division_code="653101",
            kind="public_institution",
        ),
        actor=OTHER_HEAD,
    )
    service.add_unit(
        OrgUnit(
            organization_credit_code=OTHER, unit_code="BGS", name="办公室", effective_from=date(2020, 1, 1)
        ),
        actor=OTHER_HEAD,
    )
    service.set_quota(OTHER, "10", 10, actor=OTHER_HEAD)
    ours = _people(2)
    theirs = [{**row, "organization_credit_code": OTHER} for row in ours]
    for row in ours:
        _hired(service, row)
    for row in theirs:
        service.hire(row, actor=OTHER_CLERK)
    number = ours[0]["employee_no"]
    service.separate(OTHER, number, "01", effective=DAY, actor=OTHER_HEAD)
    assert service.employee(ORG, number, actor=HEAD).state == "probation", "a separation crossed over"
    before = [v.model_dump() for v in service.employees(ORG, actor=HEAD)]
    events_before = len(service.published_events(ORG, actor=HEAD))
    attempts = (
        lambda: service.employee(ORG, number, actor=OTHER_HEAD),
        lambda: service.employees(ORG, actor=OTHER_HEAD),
        lambda: service.history(ORG, number, actor=OTHER_HEAD),
        lambda: service.export_employees(ORG, actor=OTHER_HEAD),
        lambda: service.hire(_people(1, seed=5)[0], actor=OTHER_CLERK),
        lambda: service.import_employees(_people(1, seed=6), actor=OTHER_CLERK),
        lambda: service.transfer(ORG, number, "RSK", effective=DAY, actor=OTHER_HEAD),
        lambda: service.separate(ORG, number, "01", effective=DAY, actor=OTHER_HEAD),
        lambda: service.set_quota(ORG, "10", 1, actor=OTHER_HEAD),
    )
    for attempt in attempts:
        with expect_raises(OrganizationDenied) as caught:
            attempt()
        assert ORG not in str(caught.value), "the refusal names the other organisation"
    assert [v.model_dump() for v in service.employees(ORG, actor=HEAD)] == before
    assert len(service.published_events(ORG, actor=HEAD)) == events_before
    assert {v.record.organization_credit_code for v in service.employees(OTHER, actor=OTHER_HEAD)} == {OTHER}


SUITE = Suite(CATALOGUE, collect_checks(globals()))
