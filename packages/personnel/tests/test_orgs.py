"""Many offices in one database: an administrative office (``11…``) and a public institution (``12…``).

The two organisations use the same unit codes, post codes, employee numbers and even the same people;
nothing one of them does changes or reveals anything of the other, and every Protocol method refuses
an actor of the other organisation before it reads or writes anything (issue 14).
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.errors import (
    GovPartsError,
    InvalidInput,
    InvalidRecord,
    OrganizationDenied,
    from_validation_error,
)
from govparts.core.security import CROSS_ORG_READ_ACTION, CROSS_ORG_READ_ROLE, Actor
from govparts.personnel.models import Organization, OrgUnit, Position
from govparts.personnel.service import PersonnelService, QuotaExceeded, ReferenceService
from govparts.personnel.synthetic import make_credit_code, make_people

pytestmark = pytest.mark.db

OFFICE = make_credit_code(random.Random(14), "650102", authority="11")
"""An administrative office (机关, GB 32100 registration authority 1, category 1)."""
INSTITUTE = make_credit_code(random.Random(14), "653101", authority="12")
"""A public institution (事业单位, registration authority 1, category 2)."""
DAY = date(2025, 3, 1)


def _officers(org: str) -> tuple[Actor, Actor]:
    clerk = Actor(id=f"hr-clerk-{org[-4:]}", name="王芳", roles=frozenset({"hr_clerk"}), org=org)
    head = Actor(id=f"hr-head-{org[-4:]}", name="艾力·吐尔逊", roles=frozenset({"hr_head"}), org=org)
    return clerk, head


CLERK_A, HEAD_A = _officers(OFFICE)
CLERK_B, HEAD_B = _officers(INSTITUTE)
AUDITOR = Actor(
    id="czj-audit-01",
    name="古丽娜尔·买买提",
    roles=frozenset({CROSS_ORG_READ_ROLE, "hr_head"}),
    org=INSTITUTE,
)
"""The institution's auditor with the cross-organisation read role (and a head's role, to show it
still cannot write)."""

COUNTED = (
    "personnel_organization",
    "personnel_org_unit",
    "personnel_quota",
    "personnel_position",
    "personnel_employee",
    "personnel_history",
    "core_outbox_event",
    "core_audit_record",
)


def _people(org: str, count: int, **kw: Any) -> list[dict[str, Any]]:
    """The same synthetic people (numbers and citizen ids) for either organisation."""
    return make_people(count, organization_credit_code=org, unit_codes=("BGS",), **kw)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one() for name in COUNTED}


def _register(service: ReferenceService, org: str, quota: int) -> None:
    _clerk, head = _officers(org)
    kind = "government" if org.startswith("11") else "public_institution"
    service.register_organization(
        head, org, Organization(credit_code=org, name=f"单位{org[-4:]}", division_code=org[2:8], kind=kind)
    )
    for code, name in (("BGS", "办公室"), ("RSK", "人事科")):
        service.add_unit(
            head,
            org,
            OrgUnit(organization_credit_code=org, unit_code=code, name=name, effective_from=date(2020, 1, 1)),
        )
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
    service.set_quota(head, org, "10", quota)


@pytest.fixture
def two(engine: Engine) -> ReferenceService:
    """Both organisations, each with units BGS and RSK, post BGS-ZR and a quota of 4 行政编制."""
    service = ReferenceService(engine)
    _register(service, OFFICE, 4)
    _register(service, INSTITUTE, 4)
    return service


def test_same_numbers_and_people_live_independently(two: ReferenceService) -> None:
    """Hires the same numbers and citizen ids in both; moving and separating in one leaves the other."""
    for row in _people(OFFICE, 2):
        two.hire(CLERK_A, OFFICE, row)
    for row in _people(INSTITUTE, 2):
        two.hire(CLERK_B, INSTITUTE, row)
    first = _people(OFFICE, 1)[0]["employee_no"]
    two.transfer(HEAD_A, OFFICE, first, "RSK", effective=DAY)
    two.separate(HEAD_A, OFFICE, first, "01", effective=date(2025, 6, 1))

    assert two.employee(HEAD_A, OFFICE, first).state == "separated"
    theirs = two.employee(HEAD_B, INSTITUTE, first)
    assert (theirs.state, theirs.record.unit_code) == ("probation", "BGS")
    assert [h.kind for h in two.history(HEAD_B, INSTITUTE, first)] == ["hire"]
    assert [h.kind for h in two.history(HEAD_A, OFFICE, first)] == ["hire", "unit", "separation"]
    assert {v.record.organization_credit_code for v in two.employees(HEAD_A, OFFICE)} == {OFFICE}
    assert two.statistics(HEAD_B, INSTITUTE, "unit_code") == {"BGS": 2}
    assert two.statistics(HEAD_A, OFFICE, "unit_code") == {"BGS": 1}
    assert [r.employee_no for r in two.export_employees(HEAD_B, INSTITUTE)] == [
        p["employee_no"] for p in _people(INSTITUTE, 2)
    ]


def test_quotas_posts_and_units_are_per_organisation(two: ReferenceService) -> None:
    """A full quota, a held post and a closed unit in one organisation do not touch the other's."""
    two.import_employees(CLERK_A, OFFICE, _people(OFFICE, 4))
    with pytest.raises(QuotaExceeded):
        two.hire(CLERK_A, OFFICE, _people(OFFICE, 1, start=10, seed=5)[0])
    number = _people(INSTITUTE, 1)[0]["employee_no"]
    two.hire(CLERK_B, INSTITUTE, _people(INSTITUTE, 1)[0])
    two.appoint(HEAD_A, OFFICE, number, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号")
    two.appoint(HEAD_B, INSTITUTE, number, "BGS-ZR", effective=DAY, document="喀人社任〔2025〕1号")
    two.close_unit(HEAD_A, OFFICE, "RSK", effective=DAY)
    two.set_quota(HEAD_B, INSTITUTE, "10", 2)

    totals = {r.establishment: (r.headcount, r.quota) for r in two.headcount(HEAD_A, OFFICE)}
    assert totals["10"] == (4, 4)
    totals = {r.establishment: (r.headcount, r.quota) for r in two.headcount(HEAD_B, INSTITUTE)}
    assert totals["10"] == (1, 2)
    holder_a = two.post_holder(HEAD_A, OFFICE, "BGS-ZR", DAY)
    holder_b = two.post_holder(HEAD_B, INSTITUTE, "BGS-ZR", DAY)
    assert holder_a is not None
    assert holder_b is not None
    assert (holder_a.organization_credit_code, holder_b.organization_credit_code) == (OFFICE, INSTITUTE)
    assert [(u.unit_code, u.effective_to) for u in two.units(HEAD_B, INSTITUTE)] == [
        ("BGS", None),
        ("RSK", None),
    ]


def test_events_name_the_organisation_and_employee_number(two: ReferenceService) -> None:
    """Every event of one organisation names it and the person's number; the other's list stays apart."""
    row = _people(OFFICE, 1)[0]
    two.hire(CLERK_A, OFFICE, row)
    two.import_employees(CLERK_A, OFFICE, _people(OFFICE, 2, start=5, seed=5))
    number = row["employee_no"]
    two.appoint(HEAD_A, OFFICE, number, "BGS-ZR", effective=DAY, document="天人社任〔2025〕3号")
    two.remove_from_post(HEAD_A, OFFICE, number, effective=DAY, document="天人社免〔2025〕1号")
    two.transfer(HEAD_A, OFFICE, number, "RSK", effective=DAY)
    two.separate(HEAD_A, OFFICE, number, "01", effective=DAY)

    published = two.published_events(HEAD_A, OFFICE)
    kinds = {e.type.split(".")[-2] for e in published}
    assert {"hired", "post_changed", "transferred", "separated", "changed"} <= kinds, kinds
    for event in published:
        data = event.data
        assert isinstance(data, dict)
        if "person" in data:
            assert data["person"]["organization_credit_code"] == OFFICE, event
            assert data["person"]["person_id"], event
        for key in ("unit", "from_unit", "to_unit"):
            if key in data:
                assert data[key]["organization_credit_code"] == OFFICE, event
    theirs = two.published_events(HEAD_B, INSTITUTE)
    assert {e.type.split(".")[-2] for e in theirs} == {"changed"}
    assert not {e.id for e in theirs} & {e.id for e in published}


def _calls(org: str, number: str) -> dict[str, Callable[[ReferenceService, Actor], object]]:
    """One call of every scoped Protocol method about ``org``'s data, by method name."""
    person = {**_people(org, 1, start=50, seed=9)[0]}
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
        "close_unit": lambda s, a: s.close_unit(a, org, "RSK", effective=DAY),
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
        "retirements_due": lambda s, a: s.retirements_due(a, org, DAY, date(2060, 1, 1)),
        "statistics": lambda s, a: s.statistics(a, org, "sex"),
        "published_events": lambda s, a: s.published_events(a, org),
        "import_employees": lambda s, a: s.import_employees(a, org, [person]),
        "export_employees": lambda s, a: s.export_employees(a, org),
        "audit_trail": lambda s, a: s.audit_trail(a, org, "employee", number),
    }


UNSCOPED = {"capabilities": "describes the implementation (part, version, features), no organisation's data"}
"""Protocol methods not scoped by organisation, each with the reason."""
READS = {
    "audit_trail",
    "units",
    "headcount",
    "employee",
    "employees",
    "history",
    "post_holder",
    "service_years",
    "retirements_due",
    "statistics",
    "published_events",
    "export_employees",
}
"""The scoped methods that only read; every other scoped method changes state."""


def _protocol_methods() -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(PersonnelService, inspect.isfunction)
        if not name.startswith("_")
    }


def test_every_protocol_method_is_covered() -> None:
    """The methods exercised below are exactly the Protocol's, less the listed unscoped ones."""
    assert set(_calls(OFFICE, "E000001")) | set(UNSCOPED) == _protocol_methods()
    assert set(_calls(OFFICE, "E000001")).isdisjoint(UNSCOPED)
    assert set(_calls(OFFICE, "E000001")) >= READS


@pytest.fixture
def staffed(two: ReferenceService) -> tuple[ReferenceService, str]:
    """Both organisations with one person (the same number) on probation."""
    row = _people(OFFICE, 1)[0]
    two.hire(CLERK_A, OFFICE, row)
    two.hire(CLERK_B, INSTITUTE, _people(INSTITUTE, 1)[0])
    return two, str(row["employee_no"])


@pytest.mark.parametrize("method", sorted(set(_calls(OFFICE, "E000001"))))
def test_an_actor_of_the_other_organisation_is_refused(
    staffed: tuple[ReferenceService, str], engine: Engine, method: str
) -> None:
    """Refuses the institution's officer on the office's data, revealing nothing and writing nothing."""
    service, number = staffed
    before = _counts(engine)
    with pytest.raises(OrganizationDenied) as caught:
        _calls(OFFICE, number)[method](service, HEAD_B)
    assert OFFICE not in caught.value.message("en")
    assert caught.value.code == "organization-denied"
    assert _counts(engine) == before


@pytest.mark.parametrize("method", sorted(set(_calls(OFFICE, "E000001")) - READS))
def test_a_cross_org_auditor_can_never_write(
    staffed: tuple[ReferenceService, str], engine: Engine, method: str
) -> None:
    """Refuses every change by the cross-organisation auditor, even with a head's role; nothing written."""
    service, number = staffed
    before = _counts(engine)
    with pytest.raises(OrganizationDenied):
        _calls(OFFICE, number)[method](service, AUDITOR)
    assert _counts(engine) == before


@pytest.mark.parametrize("method", sorted(READS))
def test_a_cross_org_auditor_reads_and_the_read_is_audited(
    staffed: tuple[ReferenceService, str], engine: Engine, method: str
) -> None:
    """Lets the auditor read the office's data as its own officer sees it, and audits the read."""
    service, number = staffed
    call = _calls(OFFICE, number)[method]
    seen = call(service, HEAD_A)
    before = _counts(engine)
    assert call(service, AUDITOR) == seen
    after = _counts(engine)
    # An export is recorded as such besides the cross-organisation read.
    added = 2 if method == "export_employees" else 1
    assert after["core_audit_record"] == before["core_audit_record"] + added
    assert {k: v for k, v in after.items() if k != "core_audit_record"} == {
        k: v for k, v in before.items() if k != "core_audit_record"
    }
    with engine.connect() as conn:
        first = conn.execute(
            sa.select(audit.AuditRecord).order_by(sa.desc(audit.AuditRecord.seq)).limit(added)  # type: ignore[arg-type]
        ).all()[-1]
    assert (first.action, first.actor_id) == (CROSS_ORG_READ_ACTION, AUDITOR.id)


def test_an_import_naming_another_organisation_writes_nothing(two: ReferenceService, engine: Engine) -> None:
    """Refuses a batch with a row of the other organisation, by row and field; that row is never written."""
    rows = [*_people(OFFICE, 2), *_people(INSTITUTE, 1, start=9)]
    before = _counts(engine)
    with pytest.raises(OrganizationDenied):
        two.import_employees(CLERK_A, INSTITUTE, rows)
    with pytest.raises(InvalidRecord) as caught:
        two.import_employees(CLERK_A, OFFICE, rows)
    (row,) = [e for e in caught.value.errors if isinstance(e, InvalidRecord)]
    assert (row.row, [e.field for e in row.errors]) == (3, ["organization_credit_code"])
    assert _counts(engine) == before
    report = two.import_employees(CLERK_A, OFFICE, rows, keep_valid=True)
    assert (report.written, report.rejected) == (2, 1)
    assert [v.record.employee_no for v in two.employees(HEAD_B, INSTITUTE)] == []


# -- establishment control on the bulk path ----------------------------------------------------------


def test_a_bulk_hire_may_fill_the_quota_exactly(two: ReferenceService) -> None:
    """Imports up to the last place of the quota, counting who is already in service."""
    two.hire(CLERK_A, OFFICE, _people(OFFICE, 1)[0])
    report = two.import_employees(CLERK_A, OFFICE, _people(OFFICE, 3, start=2, seed=2))
    assert (report.written, report.rejected) == (3, 0)
    totals = {r.establishment: (r.headcount, r.quota) for r in two.headcount(HEAD_A, OFFICE)}
    assert totals["10"] == (4, 4)


def test_a_bulk_hire_one_over_the_quota_is_refused(two: ReferenceService, engine: Engine) -> None:
    """One person beyond the quota refuses the batch (nothing written) or, kept valid, only that row."""
    two.hire(CLERK_A, OFFICE, _people(OFFICE, 1)[0])
    batch = _people(OFFICE, 4, start=2, seed=2)
    before = _counts(engine)
    with pytest.raises(InvalidRecord) as caught:
        two.import_employees(CLERK_A, OFFICE, batch)
    (row,) = [e for e in caught.value.errors if isinstance(e, InvalidRecord)]
    assert row.row == 4
    (error,) = row.errors
    assert isinstance(error, QuotaExceeded)
    assert (error.details["quota"], error.details["occupied"]) == (4, 4)
    assert _counts(engine) == before

    report = two.import_employees(CLERK_A, OFFICE, batch, keep_valid=True)
    assert (report.written, report.rejected) == (3, 1)
    assert [(e["row"], e["code"]) for e in report.errors] == [(4, "quota-exceeded")]


def test_a_bulk_hire_counts_only_its_own_organisations_places(two: ReferenceService) -> None:
    """The other organisation's full quota neither blocks nor makes room for this one's import."""
    two.import_employees(CLERK_B, INSTITUTE, _people(INSTITUTE, 4))
    report = two.import_employees(CLERK_A, OFFICE, _people(OFFICE, 4))
    assert report.written == 4
    with pytest.raises(InvalidRecord):
        two.import_employees(CLERK_A, OFFICE, _people(OFFICE, 1, start=9, seed=3))
    with pytest.raises(InvalidRecord):
        two.import_employees(CLERK_B, INSTITUTE, _people(INSTITUTE, 1, start=9, seed=3))


# -- free text (issue 15.4) ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\x00", "\x1b[2J", "\u202e", "\u2066"])
def test_names_refuse_control_and_bidi_characters(two: ReferenceService, engine: Engine, bad: str) -> None:
    """Refuses NUL, controls and bidi overrides in names with a clean error naming the field."""
    row = _people(OFFICE, 1)[0]
    cid = row["citizen_id"]
    before = _counts(engine)
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("name", lambda: two.hire(CLERK_A, OFFICE, {**row, "name": f"阿依{bad}古丽"})),
        ("name_ug", lambda: two.hire(CLERK_A, OFFICE, {**row, "name_ug": f"ئاي{bad}گۈل"})),
        ("name", lambda: two.import_employees(CLERK_A, OFFICE, [{**row, "name": f"王{bad}芳"}])),
        ("name", lambda: two.rename_unit(HEAD_A, OFFICE, "BGS", f"办{bad}公室", effective=DAY)),
        ("seconded_to", lambda: two.second(HEAD_A, OFFICE, "E000001", f"厅{bad}", effective=DAY)),
    ]
    for field, attempt in attempts:
        with pytest.raises((InvalidInput, InvalidRecord)) as caught:
            attempt()
        error = caught.value
        assert isinstance(error, GovPartsError)
        fields = {error.field} | {e.field for e in getattr(error, "errors", ())}
        fields |= {x.field for e in getattr(error, "errors", ()) for x in getattr(e, "errors", ())}
        assert any(f == field or f.endswith(f".{field}") for f in fields if f), (field, fields)
        text = error.message("en") + repr(error) + str(error)
        assert cid not in text
        assert "INSERT" not in text
        assert bad not in text
    assert _counts(engine) == before


@pytest.mark.parametrize("bad", ["\x00", "\x85", "\u202d", "\u2069"])
@pytest.mark.parametrize(
    ("model", "values", "field"),
    [
        (Organization, {"credit_code": OFFICE, "name": "x", "division_code": "650102"}, "name_en"),
        (Organization, {"credit_code": OFFICE, "name": "x", "division_code": "650102"}, "name_ug"),
        (OrgUnit, {"organization_credit_code": OFFICE, "unit_code": "X1", "effective_from": DAY}, "name"),
        (
            Position,
            {
                "organization_credit_code": OFFICE,
                "position_code": "P",
                "unit_code": "BGS",
                "post_level": "141",
            },
            "title",
        ),
    ],
)
def test_published_models_refuse_control_and_bidi_characters(
    model: type[BaseModel], values: dict[str, Any], field: str, bad: str
) -> None:
    """Organisation, unit and post names refuse the characters, with an error naming the field."""
    defaults = {"name": "名称", "title": "主任"}
    payload = {**{k: v for k, v in defaults.items() if k in model.model_fields}, **values, field: f"A{bad}B"}
    with pytest.raises(ValidationError) as caught:
        model.model_validate(payload)
    (error,) = from_validation_error(caught.value).errors
    assert (error.field, error.code) == (field, "invalid-input")
    assert error.details["character"] == f"U+{ord(bad):04X}"


def test_codes_with_nul_are_refused_cleanly(two: ReferenceService) -> None:
    """Refuses a NUL in an organisation, employee, unit or post code with InvalidInput (no SQL error)."""
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("org", lambda: two.employees(HEAD_B.model_copy(update={"org": None}), f"{OFFICE[:-1]}\x00")),
        ("employee_no", lambda: two.employee(HEAD_A, OFFICE, "E\x00")),
        ("employee_no", lambda: two.history(HEAD_A, OFFICE, "E\x00")),
        ("unit_code", lambda: two.close_unit(HEAD_A, OFFICE, "B\x00", effective=DAY)),
        ("position_code", lambda: two.post_holder(HEAD_A, OFFICE, "P\x00", DAY)),
    ]
    for field, attempt in attempts:
        with pytest.raises(InvalidInput) as caught:
            attempt()
        assert caught.value.field == field
