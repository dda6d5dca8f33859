"""Many offices in one database: a government body and a public institution keep their archives apart."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from govparts.archives import tables
from govparts.archives.models import DocumentDraft, IncomingDraft
from govparts.archives.service import ArchivesService, ReferenceService
from govparts.core import audit
from govparts.core.errors import OrganizationDenied
from govparts.core.security import CROSS_ORG_READ_ACTION, CROSS_ORG_READ_ROLE, Actor

pytestmark = pytest.mark.db

BODY = "11650102MB00000013"
"""A government body (机关, GB 32100 category 11): the tests' ORG."""
INSTITUTION = "12653101MB0000002R"
"""A public institution (事业单位, category 12) in the same database."""

ROLES = (
    *("drafter", "reviewer", "signer", "checker", "registrar", "printer", "issuer", "archivist"),
    *("appraiser", "approver", "clerk", "secretary", "leader", "handler", "auditor"),
)

NOT_SCOPED = {"capabilities": "describes the implementation, no organisation's data"}
"""Protocol methods not scoped by organisation, with the reason."""


def _staff(org: str, *extra: str, id: str = "all") -> Actor:
    return Actor(
        id=f"{id}-{org[-4:]}",
        name="阿依努尔·热合曼",
        unit="BGS",
        roles=frozenset((*ROLES, *extra)),
        clearance="UM",
        org=org,
    )


def _draft(**changes: Any) -> DocumentDraft:
    values: dict[str, Any] = {
        "doc_type": "08",
        "title": "关于做好防汛工作的通知",
        "body": "各科室：现将防汛工作有关事项通知如下。",
        "issuing_organ": "某机关",
        "organ_code": "天政数发",
        "fonds": "Z031",
        "organisation": "BGS",
        "written_on": date(2010, 5, 1),
    }
    values.update(changes)
    return DocumentDraft(**values)


def _issue(service: ReferenceService, actor: Actor, org: str, **changes: Any) -> int:
    """Take a draft of ``org`` to issued, one member of its staff per step (separation of duties)."""
    doc = service.draft_outgoing(actor, org, _draft(**changes))
    for step, inputs in (
        ("submit", None),
        ("approve_review", {"opinion": "同意"}),
        ("sign_off", None),
        ("pass_check", None),
        ("register_and_number", None),
        ("print", {"copies": 2}),
        ("issue", None),
    ):
        service.act(actor if step == "submit" else _staff(org, id=step), doc.id, step, inputs)
    return doc.id


def _counts(engine: Engine) -> dict[str, int]:
    names = [t for t in tables.__all__ if t.endswith("Row")]
    with Session(engine) as session:
        counted = {
            name: int(
                session.execute(
                    sa.select(sa.func.count()).select_from(getattr(tables, name).__table__)
                ).scalar_one()
            )
            for name in names
        }
        counted["audit"] = int(
            session.execute(sa.select(sa.func.count()).select_from(audit.AuditRecord)).scalar_one()
        )
    return counted


@pytest.fixture
def world(service: ReferenceService, tmp_path: Path) -> dict[str, Any]:
    """Org A's documents in every state the methods need, and a package of A's item."""
    a = _staff(BODY)
    issued = _issue(service, a, BODY)
    filed = _issue(service, a, BODY, title="关于归档的通知")
    item = service.file_document(a, filed)
    appraisal = service.file_document(a, _issue(service, a, BODY, title="旧通知"), retention="D10")
    service.dispose(a, appraisal.id, "list_for_appraisal")
    drafting = service.draft_outgoing(a, BODY, _draft(title="拟稿中"))
    file = service.attach_file(a, drafting.id, "正文.txt", b"text", media_type="text/plain")
    incoming = service.receive_incoming(
        a,
        BODY,
        IncomingDraft(
            doc_type="11", title="请示", sender="某中心", fonds="Z031", written_on=date(2023, 4, 3)
        ),
    )
    for step, inputs in (
        ("register", None),
        ("pass_review", None),
        ("propose_handling", {"proposal": "拟办"}),
        ("instruct", {"instruction": "同意"}),
        ("assign", {"lead_unit": "财务科", "due_on": "2023-04-28"}),
    ):
        service.act(a, incoming.id, step, inputs)
    bag = service.export_package(a, [item.id], tmp_path / "bag")
    return {
        "issued": issued,
        "item": item.id,
        "appraisal": appraisal.id,
        "drafting": drafting.id,
        "file": file.id,
        "incoming": incoming.id,
        "bag": bag,
        "tmp": tmp_path,
    }


def _calls(w: dict[str, Any]) -> dict[str, tuple[bool, Callable[[ReferenceService, Actor], Any]]]:
    """Every scoped Protocol method on org A's data: (writes?, call)."""
    on = date(2030, 1, 1)
    return {
        "draft_outgoing": (True, lambda s, x: s.draft_outgoing(x, BODY, _draft())),
        "register_issued": (True, lambda s, x: s.register_issued(x, BODY, [_draft()])),
        "receive_incoming": (
            True,
            lambda s, x: s.receive_incoming(
                x, BODY, IncomingDraft(doc_type="11", title="请示", sender="某中心", fonds="Z031")
            ),
        ),
        "attach_file": (True, lambda s, x: s.attach_file(x, w["drafting"], "b.txt", b"b")),
        "read_file": (False, lambda s, x: s.read_file(x, w["file"])),
        "revise": (True, lambda s, x: s.revise(x, w["drafting"], title="改")),
        "act": (True, lambda s, x: s.act(x, w["drafting"], "submit")),
        "get_document": (False, lambda s, x: s.get_document(x, w["issued"])),
        "access_log": (False, lambda s, x: s.access_log(x, w["issued"])),
        "list_documents": (False, lambda s, x: s.list_documents(x, BODY)),
        "search": (False, lambda s, x: s.search(x, BODY, "防汛")),
        "issued_numbers": (False, lambda s, x: s.issued_numbers(x, BODY, "天政数发", 2010)),
        "expired_secrecy": (False, lambda s, x: s.expired_secrecy(x, BODY, on)),
        "overdue_incoming": (False, lambda s, x: s.overdue_incoming(x, BODY, on)),
        "chase": (True, lambda s, x: s.chase(x, w["incoming"], "请抓紧")),
        "file_document": (True, lambda s, x: s.file_document(x, w["issued"])),
        "get_item": (False, lambda s, x: s.get_item(x, w["item"])),
        "filing_catalogue": (False, lambda s, x: s.filing_catalogue(x, BODY, "Z031", 2010)),
        "items_due_for_appraisal": (False, lambda s, x: s.items_due_for_appraisal(x, BODY, on)),
        "dispose": (True, lambda s, x: s.dispose(x, w["appraisal"], "propose_destruction")),
        "place_hold": (True, lambda s, x: s.place_hold(x, w["item"], "诉讼")),
        "release_hold": (True, lambda s, x: s.release_hold(x, w["item"])),
        "destruction_register": (False, lambda s, x: s.destruction_register(x, BODY)),
        "export_package": (False, lambda s, x: s.export_package(x, [w["item"]], w["tmp"] / "out")),
        "import_package": (True, lambda s, x: s.import_package(x, BODY, w["bag"])),
    }


def _protocol_methods() -> set[str]:
    return {
        name
        for name, _ in inspect.getmembers(ArchivesService, inspect.isfunction)
        if not name.startswith("_")
    }


def test_every_protocol_method_is_covered(world: dict[str, Any]) -> None:
    """Lists every Protocol method as scoped (with a call) or not scoped (with a reason)."""
    assert set(_calls(world)) | set(NOT_SCOPED) == _protocol_methods()
    assert not set(_calls(world)) & set(NOT_SCOPED)


@pytest.mark.parametrize("method", sorted(_protocol_methods() - set(NOT_SCOPED)))
def test_refuses_an_actor_of_the_other_organisation(
    method: str, service: ReferenceService, world: dict[str, Any], engine: Engine
) -> None:
    """Refuses the institution's staff on the body's data with OrganizationDenied, writing nothing."""
    _, call = _calls(world)[method]
    before = _counts(engine)
    with pytest.raises(OrganizationDenied) as refused:
        call(service, _staff(INSTITUTION))
    assert BODY not in str(refused.value.details)
    assert _counts(engine) == before
    assert not (world["tmp"] / "out").exists()


@pytest.mark.parametrize("method", sorted(_protocol_methods() - set(NOT_SCOPED)))
def test_a_cross_org_auditor_reads_audited_and_never_writes(
    method: str, service: ReferenceService, world: dict[str, Any], engine: Engine
) -> None:
    """Lets a cross-org auditor read (recorded in the audit log) and refuses every change, writing nothing."""
    writes, call = _calls(world)[method]
    auditor = _staff(INSTITUTION, CROSS_ORG_READ_ROLE, id="aud")
    if writes:
        before = _counts(engine)
        with pytest.raises(OrganizationDenied):
            call(service, auditor)
        assert _counts(engine) == before
        return
    call(service, auditor)
    with Session(engine) as session:
        actions = session.execute(
            sa.select(audit.AuditRecord.action).where(audit.AuditRecord.actor_id == auditor.id)
        ).scalars()
        assert CROSS_ORG_READ_ACTION in set(actions)


def test_sequences_are_per_organisation(service: ReferenceService, engine: Engine) -> None:
    """Numbers the same organ code and year 1, 2 in each organisation, and files both under …-0001."""
    a, b = _staff(BODY), _staff(INSTITUTION)
    first_a = _issue(service, a, BODY, written_on=date(2023, 4, 20))
    first_b = _issue(service, b, INSTITUTION, written_on=date(2023, 4, 20))
    second_a = _issue(service, a, BODY, written_on=date(2023, 4, 21))
    numbers = {
        org: [n.document_number for n in service.issued_numbers(actor, org, "天政数发", 2023)]
        for org, actor in ((BODY, a), (INSTITUTION, b))
    }
    assert numbers == {
        BODY: ["天政数发〔2023〕1号", "天政数发〔2023〕2号"],
        INSTITUTION: ["天政数发〔2023〕1号"],
    }
    codes = [service.file_document(a, first_a).archival_code, service.file_document(b, first_b).archival_code]
    assert codes == ["Z031-WS·2023-D30-BGS-0001"] * 2
    assert service.file_document(a, second_a).archival_code == "Z031-WS·2023-D30-BGS-0002"
    assert [d.id for d in service.list_documents(b, INSTITUTION)] == [first_b]
    assert [h.id for h in service.search(b, INSTITUTION, "防汛")] == [first_b]
    assert [e.archival_code for e in service.filing_catalogue(b, INSTITUTION, "Z031", 2023)] == [codes[1]]


def test_one_organisations_appraisal_leaves_the_other_alone(service: ReferenceService) -> None:
    """Destroys an item of the body; the institution's register stays empty and its item in custody."""
    a, b = _staff(BODY), _staff(INSTITUTION)
    item_a = service.file_document(a, _issue(service, a, BODY), retention="D10")
    item_b = service.file_document(b, _issue(service, b, INSTITUTION), retention="D10")
    assert [i.id for i in service.items_due_for_appraisal(b, INSTITUTION, date(2030, 1, 1))] == [item_b.id]
    approver = _staff(BODY, id="second")
    service.dispose(a, item_a.id, "list_for_appraisal")
    service.dispose(a, item_a.id, "propose_destruction")
    service.dispose(approver, item_a.id, "approve_destruction")
    assert [e.archival_code for e in service.destruction_register(a, BODY)] == [item_a.archival_code]
    assert service.destruction_register(b, INSTITUTION) == []
    assert service.get_item(b, item_b.id).state == "in_custody"


def test_refuses_an_organisation_that_is_not_a_credit_code(service: ReferenceService) -> None:
    """Refuses a draft for an organisation named by anything but a valid credit code, naming ``org``."""
    from govparts.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        service.draft_outgoing(_staff(BODY), "11650102MB00000014", _draft())
    assert caught.value.field == "org"
