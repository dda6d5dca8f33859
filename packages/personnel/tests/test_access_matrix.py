"""The access-control matrix of the personnel Protocol (issue 15 item 3), generated from its methods.

Every method of :class:`PersonnelService` (read with :mod:`inspect`, so a new method cannot be left
out) is called by each kind of actor: the officer with the right role in the right organisation
(allowed), an officer of another organisation (``OrganizationDenied``), an officer of the
organisation without a personnel role (``PermissionDenied`` on every change), and a
cross-organisation auditor (reads allowed and audited, changes refused). A refusal writes nothing
(the row counts and the head of the audit chain are unchanged) and reveals nothing (the message holds
none of the other organisation's data). Personnel holds no classified (涉密) data, so there is no
clearance dimension here: the archives matrix has it.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.errors import GovPartsError, OrganizationDenied, PermissionDenied
from govparts.core.security import CROSS_ORG_READ_ACTION, CROSS_ORG_READ_ROLE, Actor
from govparts.personnel.models import Organization, OrgUnit, Position
from govparts.personnel.service import PersonnelService, ReferenceService
from govparts.personnel.synthetic import make_credit_code, make_people

pytestmark = pytest.mark.db

OFFICE = make_credit_code(random.Random(15), "650102", authority="11")
"""The organisation whose data every call is about (a government body)."""
INSTITUTE = make_credit_code(random.Random(15), "653101", authority="12")
"""Another organisation in the same database (a public institution)."""
OFFICE_NAME = "乌鲁木齐市天山区民政局"
DAY = date(2025, 3, 1)

CLERK = Actor(id="hr-clerk-a", name="王芳", roles=frozenset({"hr_clerk"}), org=OFFICE)
HEAD = Actor(id="hr-head-a", name="艾力·吐尔逊", roles=frozenset({"hr_head"}), org=OFFICE)
READER = Actor(id="reader-a", name="李伟", roles=frozenset({"reader"}), org=OFFICE)
FOREIGN_HEAD = Actor(id="hr-head-b", name="张静", roles=frozenset({"hr_head", "hr_clerk"}), org=INSTITUTE)
AUDITOR = Actor(
    id="auditor-b",
    name="古丽娜尔·买买提",
    roles=frozenset({CROSS_ORG_READ_ROLE, "hr_head", "hr_clerk"}),
    org=INSTITUTE,
)

NUMBER = "E000001"
PERSON = make_people(1, organization_credit_code=OFFICE, unit_codes=("BGS",), seed=15)[0]
NEWCOMER = make_people(1, organization_credit_code=OFFICE, unit_codes=("BGS",), seed=16, start=50)[0]

Call = Callable[[ReferenceService, Actor], object]
CALLS: dict[str, Call] = {
    "register_organization": lambda s, a: s.register_organization(
        a, OFFICE, Organization(credit_code=OFFICE, name=OFFICE_NAME, division_code="650102")
    ),
    "add_unit": lambda s, a: s.add_unit(
        a,
        OFFICE,
        OrgUnit(organization_credit_code=OFFICE, unit_code="XXZX", name="信息中心", effective_from=DAY),
    ),
    "rename_unit": lambda s, a: s.rename_unit(a, OFFICE, "BGS", "综合办公室", effective=DAY),
    "close_unit": lambda s, a: s.close_unit(a, OFFICE, "DAS", effective=DAY),
    "units": lambda s, a: s.units(a, OFFICE),
    "add_position": lambda s, a: s.add_position(
        a,
        OFFICE,
        Position(
            organization_credit_code=OFFICE,
            position_code="RSK-KZ",
            unit_code="RSK",
            title="人事科科长",
            post_level="142",
        ),
    ),
    "set_quota": lambda s, a: s.set_quota(a, OFFICE, "10", 9),
    "headcount": lambda s, a: s.headcount(a, OFFICE),
    "hire": lambda s, a: s.hire(a, OFFICE, NEWCOMER),
    "confirm": lambda s, a: s.confirm(a, OFFICE, NUMBER),
    "appoint": lambda s, a: s.appoint(
        a, OFFICE, NUMBER, "BGS-ZR", effective=DAY, document="天民任〔2025〕1号"
    ),
    "remove_from_post": lambda s, a: s.remove_from_post(
        a, OFFICE, NUMBER, effective=DAY, document="天民免〔2025〕1号"
    ),
    "transfer": lambda s, a: s.transfer(a, OFFICE, NUMBER, "RSK", effective=DAY),
    "promote_rank": lambda s, a: s.promote_rank(
        a, OFFICE, NUMBER, "Z11", effective=DAY, document="天民〔2025〕2号"
    ),
    "second": lambda s, a: s.second(a, OFFICE, NUMBER, "自治区民政厅", effective=DAY),
    "end_secondment": lambda s, a: s.end_secondment(a, OFFICE, NUMBER, effective=DAY),
    "separate": lambda s, a: s.separate(a, OFFICE, NUMBER, "01", effective=DAY),
    "employee": lambda s, a: s.employee(a, OFFICE, NUMBER),
    "employees": lambda s, a: s.employees(a, OFFICE),
    "history": lambda s, a: s.history(a, OFFICE, NUMBER),
    "post_holder": lambda s, a: s.post_holder(a, OFFICE, "BGS-ZR", DAY),
    "service_years": lambda s, a: s.service_years(a, OFFICE, NUMBER, DAY),
    "retirements_due": lambda s, a: s.retirements_due(a, OFFICE, DAY, date(2070, 12, 1)),
    "statistics": lambda s, a: s.statistics(a, OFFICE, "ethnic_group"),
    "audit_trail": lambda s, a: s.audit_trail(a, OFFICE, "employee", NUMBER),
    "published_events": lambda s, a: s.published_events(a, OFFICE),
    "import_employees": lambda s, a: s.import_employees(a, OFFICE, [NEWCOMER]),
    "export_employees": lambda s, a: s.export_employees(a, OFFICE),
}
"""One call of every organisation-scoped Protocol method about the office's data."""
UNSCOPED = {"capabilities"}
"""Protocol methods that read no organisation's data."""
READS = {
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
"""The methods that change nothing (an export leaves an audit record of who took the data)."""
HIRING = {"hire", "import_employees"}
"""The changes a clerk may make; every other change needs the head of personnel."""


def _protocol_methods() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(PersonnelService, inspect.isfunction)
        if not name.startswith("_")
    }


def _writes() -> list[str]:
    return sorted(set(CALLS) - READS)


def _allowed_actor(method: str) -> Actor:
    if method in READS:
        return READER
    return CLERK if method in HIRING else HEAD


def _footprint(engine: Engine) -> dict[str, object]:
    """Row counts of every personnel table, the outbox and the audit log, and the audit chain's head."""
    tables = [t for t in sa.inspect(engine).get_table_names() if t.startswith("personnel_")]
    with engine.connect() as conn:
        counts: dict[str, object] = {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in (*sorted(tables), "core_outbox_event", "core_audit_record")
        }
        counts["audit head"] = conn.execute(sa.select(sa.func.max(audit.AuditRecord.seq))).scalar_one()  # type: ignore[arg-type]
    return counts


def _secrets(service: ReferenceService) -> list[str]:
    """Data of the office an outsider's error must never show."""
    person = service.employee(HEAD, OFFICE, NUMBER).record
    return [OFFICE, OFFICE_NAME, person.citizen_id, person.name, "办公室"]


@pytest.fixture
def office(engine: Engine) -> ReferenceService:
    """Both organisations registered; the office with units, a post, quotas and one person on probation."""
    service = ReferenceService(engine)
    for org, head, name in ((OFFICE, HEAD, OFFICE_NAME), (INSTITUTE, FOREIGN_HEAD, "喀什市第一中学")):
        service.register_organization(
            head, org, Organization(credit_code=org, name=name, division_code=org[2:8])
        )
        for code, unit in (("BGS", "办公室"), ("RSK", "人事科"), ("DAS", "档案室")):
            service.add_unit(
                head,
                org,
                OrgUnit(
                    organization_credit_code=org, unit_code=code, name=unit, effective_from=date(2020, 1, 1)
                ),
            )
        service.set_quota(head, org, "10", 5)
    service.add_position(
        HEAD,
        OFFICE,
        Position(
            organization_credit_code=OFFICE,
            position_code="BGS-ZR",
            unit_code="BGS",
            title="办公室主任",
            post_level="141",
        ),
    )
    service.hire(CLERK, OFFICE, PERSON)
    return service


def test_the_matrix_covers_every_protocol_method() -> None:
    """Lists a call for every Protocol method but the unscoped ones, each taking the actor then the org."""
    methods = _protocol_methods()
    assert set(CALLS) | UNSCOPED == set(methods)
    assert not set(CALLS) & UNSCOPED
    for name in CALLS:
        parameters = list(methods[name].parameters)
        assert parameters[:3] == ["self", "actor", "org"], (name, parameters)


@pytest.mark.parametrize("method", sorted(CALLS))
def test_the_right_officer_of_the_organisation_is_let_through(office: ReferenceService, method: str) -> None:
    """Lets the clerk hire and import, the head make every other change and a reader read."""
    try:
        CALLS[method](office, _allowed_actor(method))
    except PermissionDenied as exc:  # pragma: no cover - the failure this test exists to show
        pytest.fail(f"{method} refused its officer: {exc!r}")
    except GovPartsError:
        pass  # a domain rule may refuse this particular call (e.g. the office is registered already)


@pytest.mark.parametrize("method", sorted(CALLS))
def test_an_officer_of_another_organisation_is_refused(
    office: ReferenceService, engine: Engine, method: str
) -> None:
    """Refuses the other organisation's head on the office's data, writing and revealing nothing."""
    before = _footprint(engine)
    with pytest.raises(OrganizationDenied) as caught:
        CALLS[method](office, FOREIGN_HEAD)
    assert _footprint(engine) == before
    for locale in ("en", "zh_Hans_CN", "ug_CN"):
        message = caught.value.message(locale)
        assert not [s for s in _secrets(office) if s in message], message


@pytest.mark.parametrize("method", _writes())
def test_an_officer_without_a_personnel_role_may_not_change_anything(
    office: ReferenceService, engine: Engine, method: str
) -> None:
    """Refuses a reader of the office every change, and a clerk every change but hiring and importing."""
    before = _footprint(engine)
    actors = [READER] if method in HIRING else [READER, CLERK]
    for actor in actors:
        with pytest.raises(PermissionDenied) as caught:
            CALLS[method](office, actor)
        assert not isinstance(caught.value, OrganizationDenied)
        assert _footprint(engine) == before


@pytest.mark.parametrize("method", sorted(READS))
def test_the_cross_org_auditor_reads_and_every_read_is_audited(
    office: ReferenceService, engine: Engine, method: str
) -> None:
    """Lets the auditor read what the office's officer reads; the read adds an audit record naming it."""
    own = CALLS[method](office, HEAD)
    before = _footprint(engine)
    seen = CALLS[method](office, AUDITOR)
    if method != "audit_trail":
        assert seen == own
    after = _footprint(engine)
    assert after["core_audit_record"] > before["core_audit_record"]  # type: ignore[operator]
    assert {k: v for k, v in after.items() if k not in ("core_audit_record", "audit head")} == {
        k: v for k, v in before.items() if k not in ("core_audit_record", "audit head")
    }
    with engine.connect() as conn:
        actions = conn.execute(
            sa.select(audit.AuditRecord.action, audit.AuditRecord.actor_id).where(  # type: ignore[call-overload]
                audit.AuditRecord.seq > before["audit head"]  # type: ignore[arg-type,operator]
            )
        ).all()
    assert (CROSS_ORG_READ_ACTION, AUDITOR.id) in [tuple(row) for row in actions]


@pytest.mark.parametrize("method", _writes())
def test_the_cross_org_auditor_never_changes_anything(
    office: ReferenceService, engine: Engine, method: str
) -> None:
    """Refuses every change by the auditor, who holds every personnel role too; nothing is written."""
    before = _footprint(engine)
    with pytest.raises(OrganizationDenied):
        CALLS[method](office, AUDITOR)
    assert _footprint(engine) == before


def test_a_refused_call_shows_no_personal_data_of_the_office(office: ReferenceService) -> None:
    """Shows neither the name nor the citizen id of the office's person in any refusal, in any language."""
    texts: list[str] = []
    for call in CALLS.values():
        for actor in (FOREIGN_HEAD, READER):
            try:
                call(office, actor)
            except GovPartsError as exc:
                texts += [exc.message(locale) for locale in ("en", "zh_Hans_CN", "ug_CN")]
    assert texts
    person = office.employee(HEAD, OFFICE, NUMBER).record
    leaked: list[Any] = [t for t in texts if person.citizen_id in t or person.name in t]
    assert leaked == []
