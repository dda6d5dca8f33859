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
    made = service.request_acquisition(_card(org, code), clerk)
    service.approve(made.id, head)
    service.accept(made.id, clerk)
    return service.register(made.id, clerk, date(2024, 3, 15))


def _in_use(service: ReferenceService, org: str, code: str, person: PersonRef) -> AssetCard:
    card = _registered(service, org, code)
    return service.issue(card.id, person, _staff(org, "clerk"))


def _counts(engine: Engine) -> dict[str, int]:
    """Rows of every table: what a refused call must leave exactly as it was."""
    with engine.connect() as conn:
        return {
            name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)
            for name, table in metadata.tables.items()
        }


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
    assert [c.id for c in service.assets(OFFICE, office)] == [mine.id]
    assert [c.id for c in service.assets(INSTITUTE, institute)] == [theirs.id]
    first = service.run_depreciation(OFFICE, 2024, 3, office)
    assert first.created
    assert first.asset_count == 1
    assert service.charged(theirs.id, institute) == []
    assert service.depreciation_totals(INSTITUTE, 2024, institute) == []
    other = service.run_depreciation(INSTITUTE, 2024, 3, institute)
    assert other.created
    assert other.total == first.total
    assert len(service.published(OFFICE, "cn.govparts.assets.asset.depreciated.v1", office)) == 1
    assert [x.count for x in service.register_report(INSTITUTE, "custodian", institute)] == [1]


def test_a_stocktake_of_one_organisation_leaves_the_other_alone(service: ReferenceService) -> None:
    """A stock-take counts, reconciles and writes off only its own organisation's cards."""
    office, institute = _staff(OFFICE, "clerk"), _staff(INSTITUTE, "clerk")
    lost = _registered(service, OFFICE, "PC-1")
    kept = _registered(service, INSTITUTE, "PC-1")
    take = service.plan_stocktake(OFFICE, "年终清查", office)
    service.record_count(take.id, ["PC-9"], "301室", office)
    found = service.reconcile(take.id, office)
    assert sorted((f.kind, f.asset_code, f.asset_id) for f in found) == [
        ("loss", "PC-1", lost.id),
        ("surplus", "PC-9", None),
    ]
    service.approve_findings(take.id, _staff(OFFICE, "head"), date(2024, 6, 30))
    assert service.get(lost.id, office).state == "disposed"
    assert service.get(kept.id, institute).state == "in_stock"
    assert service.disposal_register(INSTITUTE, institute) == []


def test_a_leaver_of_one_organisation_raises_no_task_in_the_other(service: ReferenceService) -> None:
    """employee.separated about E0001 of one office touches only that office's cards, not its namesake's."""
    office, institute = _staff(OFFICE, "clerk"), _staff(INSTITUTE, "clerk")
    mine = _in_use(service, OFFICE, "PC-1", _person(OFFICE))
    _in_use(service, INSTITUTE, "PC-1", _person(INSTITUTE))
    tasks = service.on_employee_separated("evt-1", _separated(OFFICE))
    assert [(x.asset_id, x.person_id) for x in tasks] == [(mine.id, "E0001")]
    assert service.return_tasks(INSTITUTE, institute) == []
    assert service.held_by_departed(INSTITUTE, institute) == []
    assert [c.id for c in service.held_by_departed(OFFICE, office)] == [mine.id]
    assert service.on_employee_separated("evt-2", _separated(None)) == []


def test_a_leaver_named_by_citizen_id_is_found_in_their_organisation_only(service: ReferenceService) -> None:
    """An event carrying the citizen id and no organisation finds the cards of that citizen only."""
    citizen = "650102198501010027"
    holder = _person(INSTITUTE).model_copy(update={"citizen_id": citizen})
    theirs = _in_use(service, INSTITUTE, "PC-1", holder)
    _in_use(service, OFFICE, "PC-1", _person(OFFICE))
    tasks = service.on_employee_separated("evt-3", _separated(None, citizen_id=citizen))
    assert [x.asset_id for x in tasks] == [theirs.id]


# -- the gate, over every method of the Protocol -------------------------------------------------------

NOT_SCOPED = {
    "capabilities": "describes the implementation; no organisation's data",
    "disposal_tier": "the approval tiers are configuration of the deployment, not an organisation's data",
    "on_employee_separated": "consumes an event: scoped by the organisation the event names (tested above)",
}

Call = Callable[[ReferenceService, dict[str, str], Actor], object]

CALLS: dict[str, Call] = {
    "request_acquisition": lambda s, ids, a: s.request_acquisition(_card(OFFICE, "PC-X"), a),
    "approve": lambda s, ids, a: s.approve(ids["requested"], a),
    "accept": lambda s, ids, a: s.accept(ids["approved"], a),
    "register": lambda s, ids, a: s.register(ids["accepted"], a, date(2024, 3, 15)),
    "issue": lambda s, ids, a: s.issue(ids["in_stock"], _person(OFFICE, "E0002"), a),
    "transfer": lambda s, ids, a: s.transfer(ids["in_use"], "E0001", _person(OFFICE, "E0002"), a),
    "return_asset": lambda s, ids, a: s.return_asset(ids["in_use"], "E0001", a),
    "capitalise_repair": lambda s, ids, a: s.capitalise_repair(
        ids["in_use"], Money.of("100"), date(2024, 5, 1), a
    ),
    "revalue": lambda s, ids, a: s.revalue(ids["in_use"], Money.of("100"), date(2024, 5, 1), a),
    "dispose_part": lambda s, ids, a: s.dispose_part(
        ids["in_use"], "sale", Money.of("100"), date(2024, 5, 1), a
    ),
    "request_disposal": lambda s, ids, a: s.request_disposal(
        ids["in_stock"], "scrapping", date(2024, 5, 1), a
    ),
    "approve_disposal": lambda s, ids, a: s.approve_disposal(ids["disposal_requested"], a),
    "get": lambda s, ids, a: s.get(ids["in_use"], a),
    "assets": lambda s, ids, a: s.assets(OFFICE, a),
    "schedule": lambda s, ids, a: s.schedule(ids["in_use"], a),
    "charged": lambda s, ids, a: s.charged(ids["in_use"], a),
    "run_depreciation": lambda s, ids, a: s.run_depreciation(OFFICE, 2024, 4, a),
    "record_usage": lambda s, ids, a: s.record_usage(ids["in_use"], 2024, 4, 1, a),
    "return_tasks": lambda s, ids, a: s.return_tasks(OFFICE, a),
    "held_by_departed": lambda s, ids, a: s.held_by_departed(OFFICE, a),
    "register_report": lambda s, ids, a: s.register_report(OFFICE, "category", a),
    "published": lambda s, ids, a: s.published(OFFICE, "cn.govparts.assets.asset.registered.v1", a),
    "plan_stocktake": lambda s, ids, a: s.plan_stocktake(OFFICE, "清查", a),
    "record_count": lambda s, ids, a: s.record_count(ids["stocktake"], ["PC-1"], "301室", a),
    "reconcile": lambda s, ids, a: s.reconcile(
        ids["stocktake"], a, [BookBalance(account="1601", balance=Money.zero(), as_of=date(2024, 6, 30))]
    ),
    "approve_findings": lambda s, ids, a: s.approve_findings(ids["reconciled"], a, date(2024, 6, 30)),
    "findings": lambda s, ids, a: s.findings(ids["reconciled"], a),
    "depreciation_totals": lambda s, ids, a: s.depreciation_totals(OFFICE, 2024, a),
    "disposal_register": lambda s, ids, a: s.disposal_register(OFFICE, a),
}
AUDIT = "core_audit_record"
READS = {"get", "assets", "schedule", "charged", "return_tasks", "held_by_departed", "register_report"} | {
    "published",
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
    requested = service.request_acquisition(_card(OFFICE, "RQ-1"), actor)
    approved = service.request_acquisition(_card(OFFICE, "AP-1"), actor)
    service.approve(approved.id, head)
    accepted = service.request_acquisition(_card(OFFICE, "AC-1"), actor)
    service.approve(accepted.id, head)
    service.accept(accepted.id, actor)
    in_stock = _registered(service, OFFICE, "ST-1")
    in_use = _in_use(service, OFFICE, "PC-1", _person(OFFICE))
    asking = _registered(service, OFFICE, "DR-1")
    service.request_disposal(asking.id, "scrapping", date(2024, 5, 1), actor)
    planned = service.plan_stocktake(OFFICE, "清查", actor)
    done = service.plan_stocktake(OFFICE, "年终清查", actor)
    service.record_count(done.id, ["PC-1"], "301室", actor)
    service.reconcile(done.id, actor)
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
    assert CALLS[method](service, ids, auditor) == seen
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
        service.request_acquisition({**_card(OFFICE, "PC-T"), field: value}, _staff(OFFICE, "clerk"))
    fields = [refused.value.field, *(getattr(e, "field", None) for e in getattr(refused.value, "errors", []))]
    assert any(str(f).endswith(field) for f in fields if f)
    assert value not in refused.value.message("en")
    assert _counts(service.engine) == before


def test_a_stocktake_name_with_nul_is_refused(service: ReferenceService) -> None:
    """Refuses a stock-take name with NUL cleanly (no database error, nothing written)."""
    from govparts.core.errors import InvalidInput

    before = _counts(service.engine)
    with pytest.raises(InvalidInput) as refused:
        service.plan_stocktake(OFFICE, "年终\x00清查", _staff(OFFICE, "clerk"))
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
        service.issue(card.id, plain, _staff(OFFICE, "clerk"))  # type: ignore[arg-type]
    assert refused.value.field == "to_custodian"
    assert citizen not in refused.value.message("en")
    assert citizen not in str(refused.value.to_dict())
