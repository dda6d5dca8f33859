"""Two organisations in one database: an administrative office and a public institution (issue 14)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.assets.models import AssetCard, BookBalance
from govparts.assets.service import AssetService, ReferenceService
from govparts.core import audit
from govparts.core.db import metadata
from govparts.core.errors import OrganizationDenied
from govparts.core.events import CloudEvent
from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.security import CROSS_ORG_READ_ACTION, CROSS_ORG_READ_ROLE, Actor

OFFICE = "11650102MB00000114"
"""An administrative office (机关, registration category 11)."""
INSTITUTE = "12650102MB00000225"
"""A public institution (事业单位, registration category 12)."""
ROLES = frozenset({"requester", "approver", "keeper", "accountant", "department_approver", "asset_authority"})


def _staff(org: str, who: str, roles: frozenset[str] = ROLES) -> Actor:
    return Actor(id=f"{who}-{org[-4:]}", name="测试用户", roles=roles, org=org)


def _person(org: str, number: str = "E0001") -> PersonRef:
    return PersonRef(person_id=number, organization_credit_code=org, name="阿依古丽·艾力")


def _card(org: str, code: str) -> dict[str, Any]:
    return {
        "asset_code": code,
        "organization_credit_code": org,
        "category": "2010000",
        "name": "台式计算机",
        "original_value": "7200.00",
        "acquisition_date": "2024-03-01",
        "location": "301室",
    }


def _registered(service: ReferenceService, org: str, code: str, actor: Actor | None = None) -> AssetCard:
    """A card of ``org`` through request, approval, acceptance and registration (two staff: duties apart)."""
    clerk, head = actor or _staff(org, "clerk"), _staff(org, "head")
    made = service.request_acquisition(clerk, org, _card(org, code))
    service.approve_acquisition(head, org, made.id)
    service.accept(clerk, org, made.id)
    return service.register(clerk, org, made.id, date(2024, 3, 15))


def _in_use(service: ReferenceService, org: str, code: str, person: PersonRef) -> AssetCard:
    card = _registered(service, org, code)
    return service.issue(_staff(org, "clerk"), org, card.id, person)


def _counts(engine: Engine) -> dict[str, int]:
    """Rows of every table: what a refused call must leave exactly as it was."""
    with engine.connect() as conn:
        return {
            name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)
            for name, table in metadata.tables.items()
        }


DISPATCHER = Actor(id="system:dispatcher", name="事件投递", roles=frozenset({"system"}))


def _event(event_id: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(
        id=event_id,
        source="urn:govparts:personnel",
        type="cn.govparts.personnel.employee.separated.v1",
        subject="person/E0001",
        data=data,
    )


def _separated(org: str | None, number: str = "E0001", citizen_id: str | None = None) -> dict[str, Any]:
    person: dict[str, Any] = {"person_id": number, "name": "阿依古丽·艾力"}
    if org is not None:
        person["organization_credit_code"] = org
    if citizen_id is not None:
        person["citizen_id"] = citizen_id
    return {"person": person, "reason": "03", "effective_date": "2024-07-01"}


def test_the_same_codes_and_months_live_apart(service: ReferenceService) -> None:
    """Both organisations use the same asset code, custodian number and month; each sees only its own."""
    office, institute = _staff(OFFICE, "clerk"), _staff(INSTITUTE, "clerk")
    mine = _in_use(service, OFFICE, "PC-1", _person(OFFICE))
    theirs = _in_use(service, INSTITUTE, "PC-1", _person(INSTITUTE))
    assert [c.id for c in service.assets(office, OFFICE)] == [mine.id]
    assert [c.id for c in service.assets(institute, INSTITUTE)] == [theirs.id]
    first = service.run_depreciation(office, OFFICE, 2024, 3)
    assert first.created
    assert first.asset_count == 1
    assert service.charged(institute, INSTITUTE, theirs.id) == []
    assert service.depreciation_totals(institute, INSTITUTE, 2024) == []
    other = service.run_depreciation(institute, INSTITUTE, 2024, 3)
    assert other.created
    assert other.total == first.total
    assert (
        len(
            [
                e.data
                for e in service.published_events(
                    office, OFFICE, type="cn.govparts.assets.asset.depreciated.v1"
                )
            ]
        )
        == 1
    )
    assert [x.count for x in service.register_report(institute, INSTITUTE, "custodian")] == [1]


def test_a_stocktake_of_one_organisation_leaves_the_other_alone(service: ReferenceService) -> None:
    """A stock-take counts, reconciles and writes off only its own organisation's cards."""
    office, institute = _staff(OFFICE, "clerk"), _staff(INSTITUTE, "clerk")
    lost = _registered(service, OFFICE, "PC-1")
    kept = _registered(service, INSTITUTE, "PC-1")
    take = service.plan_stocktake(office, OFFICE, "年终清查")
    service.record_count(office, OFFICE, take.id, ["PC-9"], location="301室")
    found = service.reconcile(office, OFFICE, take.id)
    assert sorted((f.kind, f.asset_code, f.asset_id) for f in found) == [
        ("loss", "PC-1", lost.id),
        ("surplus", "PC-9", None),
    ]
    service.approve_findings(_staff(OFFICE, "head"), OFFICE, take.id, date(2024, 6, 30))
    assert service.get(office, OFFICE, lost.id).state == "disposed"
    assert service.get(institute, INSTITUTE, kept.id).state == "in_stock"
    assert service.disposal_register(institute, INSTITUTE) == []


def test_a_leaver_of_one_organisation_raises_no_task_in_the_other(service: ReferenceService) -> None:
    """employee.separated about E0001 of one office touches only that office's cards, not its namesake's."""
    office, institute = _staff(OFFICE, "clerk"), _staff(INSTITUTE, "clerk")
    mine = _in_use(service, OFFICE, "PC-1", _person(OFFICE))
    _in_use(service, INSTITUTE, "PC-1", _person(INSTITUTE))
    tasks = service.receive_event(DISPATCHER, _event("evt-1", _separated(OFFICE)))
    assert [(x.asset_id, x.person_id) for x in tasks] == [(mine.id, "E0001")]
    assert service.return_tasks(institute, INSTITUTE) == []
    assert service.held_by_departed(institute, INSTITUTE) == []
    assert [c.id for c in service.held_by_departed(office, OFFICE)] == [mine.id]
    assert service.receive_event(DISPATCHER, _event("evt-2", _separated(None))) == []


def test_a_leaver_named_by_citizen_id_is_found_in_their_organisation_only(service: ReferenceService) -> None:
    """An event carrying the citizen id and no organisation finds the cards of that citizen only."""
    citizen = "650102198501010027"
    holder = _person(INSTITUTE).model_copy(update={"citizen_id": citizen})
    theirs = _in_use(service, INSTITUTE, "PC-1", holder)
    _in_use(service, OFFICE, "PC-1", _person(OFFICE))
    tasks = service.receive_event(DISPATCHER, _event("evt-3", _separated(None, citizen_id=citizen)))
    assert [x.asset_id for x in tasks] == [theirs.id]


# -- the gate, over every method of the Protocol -------------------------------------------------------

NOT_SCOPED = {
    "capabilities": "describes the implementation; no organisation's data",
    "receive_event": "consumes an event: scoped by the organisation the event names (tested above)",
}

Call = Callable[[ReferenceService, dict[str, str], Actor], object]

CALLS: dict[str, Call] = {
    "request_acquisition": lambda s, ids, a: s.request_acquisition(a, OFFICE, _card(OFFICE, "PC-X")),
    "approve_acquisition": lambda s, ids, a: s.approve_acquisition(a, OFFICE, ids["requested"]),
    "accept": lambda s, ids, a: s.accept(a, OFFICE, ids["approved"]),
    "register": lambda s, ids, a: s.register(a, OFFICE, ids["accepted"], date(2024, 3, 15)),
    "issue": lambda s, ids, a: s.issue(a, OFFICE, ids["in_stock"], _person(OFFICE, "E0002")),
    "transfer": lambda s, ids, a: s.transfer(a, OFFICE, ids["in_use"], "E0001", _person(OFFICE, "E0002")),
    "return_asset": lambda s, ids, a: s.return_asset(a, OFFICE, ids["in_use"], "E0001"),
    "capitalise_repair": lambda s, ids, a: s.capitalise_repair(
        a, OFFICE, ids["in_use"], Money.of("100"), date(2024, 5, 1)
    ),
    "revalue": lambda s, ids, a: s.revalue(a, OFFICE, ids["in_use"], Money.of("100"), date(2024, 5, 1)),
    "dispose_part": lambda s, ids, a: s.dispose_part(
        a, OFFICE, ids["in_use"], "sale", Money.of("100"), date(2024, 5, 1)
    ),
    "request_disposal": lambda s, ids, a: s.request_disposal(
        a, OFFICE, ids["in_stock"], "scrapping", date(2024, 5, 1)
    ),
    "approve_disposal": lambda s, ids, a: s.approve_disposal(a, OFFICE, ids["disposal_requested"]),
    "get": lambda s, ids, a: s.get(a, OFFICE, ids["in_use"]),
    "assets": lambda s, ids, a: s.assets(a, OFFICE),
    "schedule": lambda s, ids, a: s.schedule(a, OFFICE, ids["in_use"]),
    "charged": lambda s, ids, a: s.charged(a, OFFICE, ids["in_use"]),
    "run_depreciation": lambda s, ids, a: s.run_depreciation(a, OFFICE, 2024, 4),
    "record_usage": lambda s, ids, a: s.record_usage(a, OFFICE, ids["in_use"], 2024, 4, 1),
    "return_tasks": lambda s, ids, a: s.return_tasks(a, OFFICE),
    "held_by_departed": lambda s, ids, a: s.held_by_departed(a, OFFICE),
    "register_report": lambda s, ids, a: s.register_report(a, OFFICE, "category"),
    "published_events": lambda s, ids, a: s.published_events(a, OFFICE),
    "audit_trail": lambda s, ids, a: s.audit_trail(a, OFFICE, "asset", ids["in_use"]),
    "reject_acquisition": lambda s, ids, a: s.reject_acquisition(a, OFFICE, ids["requested"]),
    "reject_disposal": lambda s, ids, a: s.reject_disposal(a, OFFICE, ids["disposal_requested"]),
    "plan_stocktake": lambda s, ids, a: s.plan_stocktake(a, OFFICE, "清查"),
    "record_count": lambda s, ids, a: s.record_count(a, OFFICE, ids["stocktake"], ["PC-1"], location="301室"),
    "reconcile": lambda s, ids, a: s.reconcile(
        a,
        OFFICE,
        ids["stocktake"],
        books=[BookBalance(account="1601", balance=Money.zero(), as_of=date(2024, 6, 30))],
    ),
    "approve_findings": lambda s, ids, a: s.approve_findings(a, OFFICE, ids["reconciled"], date(2024, 6, 30)),
    "findings": lambda s, ids, a: s.findings(a, OFFICE, ids["reconciled"]),
    "depreciation_totals": lambda s, ids, a: s.depreciation_totals(a, OFFICE, 2024),
    "disposal_register": lambda s, ids, a: s.disposal_register(a, OFFICE),
}
AUDIT = "core_audit_record"
READS = {"get", "assets", "schedule", "charged", "return_tasks", "held_by_departed", "register_report"} | {
    "published_events",
    "audit_trail",
    "findings",
    "depreciation_totals",
    "disposal_register",
}


def _protocol_methods() -> set[str]:
    return {
        name for name, _ in inspect.getmembers(AssetService, inspect.isfunction) if not name.startswith("_")
    }


def test_every_protocol_method_is_covered() -> None:
    """Every AssetService method is either called through the gate below or listed with its reason."""
    assert set(CALLS) | set(NOT_SCOPED) == _protocol_methods()
    assert not set(CALLS) & set(NOT_SCOPED)


def _office_data(service: ReferenceService) -> dict[str, str]:
    """One office's cards in every state a method needs, and a planned and a reconciled stock-take."""
    actor = _staff(OFFICE, "clerk")
    head = _staff(OFFICE, "head")
    requested = service.request_acquisition(actor, OFFICE, _card(OFFICE, "RQ-1"))
    approved = service.request_acquisition(actor, OFFICE, _card(OFFICE, "AP-1"))
    service.approve_acquisition(head, OFFICE, approved.id)
    accepted = service.request_acquisition(actor, OFFICE, _card(OFFICE, "AC-1"))
    service.approve_acquisition(head, OFFICE, accepted.id)
    service.accept(actor, OFFICE, accepted.id)
    in_stock = _registered(service, OFFICE, "ST-1")
    in_use = _in_use(service, OFFICE, "PC-1", _person(OFFICE))
    asking = _registered(service, OFFICE, "DR-1")
    service.request_disposal(actor, OFFICE, asking.id, "scrapping", date(2024, 5, 1))
    planned = service.plan_stocktake(actor, OFFICE, "清查")
    done = service.plan_stocktake(actor, OFFICE, "年终清查")
    service.record_count(actor, OFFICE, done.id, ["PC-1"], location="301室")
    service.reconcile(actor, OFFICE, done.id)
    return {
        "requested": requested.id,
        "approved": approved.id,
        "accepted": accepted.id,
        "in_stock": in_stock.id,
        "in_use": in_use.id,
        "disposal_requested": asking.id,
        "stocktake": planned.id,
        "reconciled": done.id,
    }


@pytest.mark.parametrize("method", sorted(CALLS))
def test_every_method_refuses_another_organisation(service: ReferenceService, method: str) -> None:
    """An actor of the public institution calling about the office's data is refused; nothing is written."""
    ids = _office_data(service)
    before = _counts(service.engine)
    with pytest.raises(OrganizationDenied) as refused:
        CALLS[method](service, ids, _staff(INSTITUTE, "intruder"))
    assert OFFICE not in refused.value.message("en")
    assert _counts(service.engine) == before


@pytest.mark.parametrize("method", sorted(READS))
def test_a_cross_org_auditor_reads_audited(service: ReferenceService, method: str) -> None:
    """A cross-organisation auditor reads what the office's own staff see; the read is audited, once."""
    ids = _office_data(service)
    auditor = _staff(INSTITUTE, "auditor", frozenset({CROSS_ORG_READ_ROLE}))
    seen = CALLS[method](service, ids, _staff(OFFICE, "clerk"))
    before = _counts(service.engine)
    read = CALLS[method](service, ids, auditor)
    if method == "audit_trail":  # the trail read shows the auditor's own read, recorded first
        assert isinstance(read, list)
        assert [e.action for e in read[len(seen) :]] == [CROSS_ORG_READ_ACTION]
        read = read[: len(seen)]
    assert read == seen
    after = _counts(service.engine)
    assert after.pop(AUDIT) == before.pop(AUDIT) + 1
    assert after == before
    with service.engine.connect() as conn:
        last = conn.execute(
            sa.select(audit.AuditRecord).order_by(sa.desc(audit.AuditRecord.seq)).limit(1)  # type: ignore[arg-type]
        ).one()
    assert (last.action, last.actor_id) == (CROSS_ORG_READ_ACTION, auditor.id)


@pytest.mark.parametrize("method", sorted(set(CALLS) - READS))
def test_a_cross_org_auditor_never_writes(service: ReferenceService, method: str) -> None:
    """A cross-organisation auditor with every other role too is refused every change; nothing is written."""
    ids = _office_data(service)
    auditor = _staff(INSTITUTE, "auditor", ROLES | {CROSS_ORG_READ_ROLE})
    before = _counts(service.engine)
    with pytest.raises(OrganizationDenied):
        CALLS[method](service, ids, auditor)
    assert _counts(service.engine) == before


# -- free text (issue 15.4) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "台式\x00计算机"),
        ("name", "台式\u202e机算计"),
        ("specification", "i5\x1b[2J"),
        ("location", "301\u2066室"),
        ("using_unit", "办公室\x85"),
    ],
)
def test_a_card_with_control_or_bidi_characters_is_refused(
    service: ReferenceService, field: str, value: str
) -> None:
    """Refuses NUL, controls and bidi overrides in a card's text with InvalidInput naming the field."""
    from govparts.core.errors import InvalidInput

    before = _counts(service.engine)
    with pytest.raises(InvalidInput) as refused:
        service.request_acquisition(_staff(OFFICE, "clerk"), OFFICE, {**_card(OFFICE, "PC-T"), field: value})
    fields = [refused.value.field, *(getattr(e, "field", None) for e in getattr(refused.value, "errors", []))]
    assert any(str(f).endswith(field) for f in fields if f)
    assert value not in refused.value.message("en")
    assert _counts(service.engine) == before


def test_a_stocktake_name_with_nul_is_refused(service: ReferenceService) -> None:
    """Refuses a stock-take name with NUL cleanly (no database error, nothing written)."""
    from govparts.core.errors import InvalidInput

    before = _counts(service.engine)
    with pytest.raises(InvalidInput) as refused:
        service.plan_stocktake(_staff(OFFICE, "clerk"), OFFICE, "年终\x00清查")
    assert refused.value.field == "name"
    assert _counts(service.engine) == before


def test_a_custodian_that_is_not_a_person_ref_is_refused_without_echoing_it(
    service: ReferenceService,
) -> None:
    """Refuses a custodian given as a plain mapping without printing it (it may hold a citizen id)."""
    from govparts.core.errors import InvalidInput

    card = _registered(service, OFFICE, "PC-1")
    citizen = "650102198501010027"
    plain = {
        "person_id": "E0001",
        "organization_credit_code": OFFICE,
        "name": "阿依古丽",
        "citizen_id": citizen,
    }
    with pytest.raises(InvalidInput) as refused:
        service.issue(_staff(OFFICE, "clerk"), OFFICE, card.id, plain)  # type: ignore[arg-type]
    assert refused.value.field == "to_custodian"
    assert citizen not in refused.value.message("en")
    assert citizen not in str(refused.value.to_dict())
