"""The reference service on the run's database: processes, numbering, access, search, archiving."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from govparts.archives.models import Document, DocumentDraft, IncomingDraft
from govparts.archives.service import ReferenceService
from govparts.archives.tables import ArchivalItemRow, DocumentRow, IssuedNumberRow
from govparts.core import audit
from govparts.core.errors import (
    ClearanceInsufficient,
    GuardFailed,
    InvalidInput,
    PermissionDenied,
    TransitionNotAllowed,
)
from govparts.core.events import OutboxEvent
from govparts.core.security import Actor

from .conftest import take_step

pytestmark = pytest.mark.db

ORG = "11650102MB00000013"
"""The synthetic organisation of the tests (a government body, GB 32100 category 11)."""


def _count(engine: Engine, table: Any) -> int:
    with Session(engine) as session:
        return int(session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_takes_a_document_from_draft_to_filed(
    service: ReferenceService, issue: Callable[..., Document], staff: dict[str, Actor], engine: Engine
) -> None:
    """Drafts, reviews, signs, checks, numbers, prints, issues and files a notice."""
    doc = issue()
    assert doc.state == "issued"
    assert doc.document_number == "新政办发〔2026〕1号"
    assert doc.signer == staff["signer"].name
    assert doc.sealed
    assert doc.copies == 30
    item = service.file_document(staff["archivist"], ORG, doc.id)
    assert item.archival_code == "X001-WS·2026-D30-BGS-0001"
    assert item.retention == "D30"
    assert item.expires_on == date(2057, 1, 1)
    with Session(engine) as session:
        types = session.execute(select(OutboxEvent.type).order_by(OutboxEvent.subject_seq)).scalars().all()
    assert "cn.govparts.archives.document.issued.v1" in types
    assert "cn.govparts.archives.document.filed.v1" in types
    assert audit.verify(engine).ok


def test_leaves_classified_titles_out_of_events(issue: Callable[..., Document], engine: Engine) -> None:
    """Publishes a classified document's issue without its title."""
    issue(title="关于某机密事项的通知", secrecy="JM", copy_number="000007")
    with Session(engine) as session:
        data = session.execute(
            select(OutboxEvent.data).where(OutboxEvent.type.endswith("issued.v1"))
        ).scalar_one()  # type: ignore[attr-defined]
    assert data["title"] is None
    assert data["secrecy"] == "JM"


def test_refuses_a_bad_draft_and_writes_nothing(
    service: ReferenceService,
    make_draft: Callable[..., DocumentDraft],
    staff: dict[str, Actor],
    engine: Engine,
) -> None:
    """Refuses an unknown kind, urgency or secrecy level naming the field; nothing is stored or audited."""
    before = _count(engine, audit.AuditRecord)
    for changes, field in (
        ({"doc_type": "99"}, "doc_type"),
        ({"urgency": "XX"}, "urgency"),
        ({"secrecy": "TOP"}, "secrecy_level"),
        ({"organ_code": "新政〔发"}, "organ_code"),
    ):
        with pytest.raises(InvalidInput) as caught:
            service.draft_outgoing(staff["drafter"], ORG, make_draft(**changes))
        assert caught.value.field == field
    assert _count(engine, DocumentRow) == 0
    assert _count(engine, audit.AuditRecord) == before


def test_numbers_without_gaps_after_a_refused_step(
    service: ReferenceService,
    make_draft: Callable[..., DocumentDraft],
    staff: dict[str, Actor],
    engine: Engine,
) -> None:
    """A refused registration allocates nothing: the next number is still 1."""
    doc = service.draft_outgoing(staff["drafter"], ORG, make_draft())
    with pytest.raises(TransitionNotAllowed):
        service.assign_number(staff["registrar"], ORG, doc.id)
    assert _count(engine, IssuedNumberRow) == 0
    service.submit(staff["drafter"], ORG, doc.id)
    with pytest.raises(PermissionDenied):
        service.approve_review(staff["drafter"], ORG, doc.id)
    service.approve_review(staff["reviewer"], ORG, doc.id)
    service.sign_off(staff["signer"], ORG, doc.id)
    service.pass_check(staff["checker"], ORG, doc.id)
    numbered = service.assign_number(staff["registrar"], ORG, doc.id)
    assert numbered.document_number == "新政办发〔2026〕1号"


def test_returns_a_document_changed_after_sign_off(
    service: ReferenceService,
    make_draft: Callable[..., DocumentDraft],
    staff: dict[str, Actor],
    engine: Engine,
) -> None:
    """A change at the check returns the document to the signer; the guard refuses passing it unsigned."""
    doc = service.draft_outgoing(staff["drafter"], ORG, make_draft())
    service.submit(staff["drafter"], ORG, doc.id)
    service.approve_review(staff["reviewer"], ORG, doc.id)
    service.sign_off(staff["signer"], ORG, doc.id)
    returned = service.revise(
        staff["checker"], ORG, doc.id, title="关于做好2026年春节和元宵节期间值班工作的通知"
    )
    assert returned.state == "awaiting_signoff"
    with Session(engine) as session:
        row = session.get(DocumentRow, doc.id)
        assert row is not None
        assert row.signed_digest != row.content_digest
    resigned = service.sign_off(staff["signer"], ORG, doc.id)
    assert resigned.state == "checking"
    assert service.pass_check(staff["checker"], ORG, doc.id).state == "registering"


def test_guard_refuses_an_unsigned_change(
    service: ReferenceService,
    make_draft: Callable[..., DocumentDraft],
    staff: dict[str, Actor],
    engine: Engine,
) -> None:
    """The check refuses a text that differs from what was signed, whoever changed it."""
    doc = service.draft_outgoing(staff["drafter"], ORG, make_draft())
    service.submit(staff["drafter"], ORG, doc.id)
    service.approve_review(staff["reviewer"], ORG, doc.id)
    service.sign_off(staff["signer"], ORG, doc.id)
    with Session(engine) as session, session.begin():
        session.execute(
            sa.update(DocumentRow).where(DocumentRow.id == doc.id).values(content_digest="0" * 64)
        )
    with pytest.raises(GuardFailed) as caught:
        service.pass_check(staff["checker"], ORG, doc.id)
    assert caught.value.details["guard"] == "unchanged_since_signoff"


def test_records_every_read_in_the_audit_log(
    service: ReferenceService,
    make_draft: Callable[..., DocumentDraft],
    staff: dict[str, Actor],
    make_actor: Callable[..., Actor],
    engine: Engine,
) -> None:
    """Audits allowed and refused reads of classified documents and reads of open ones."""
    secret = service.draft_outgoing(staff["drafter"], ORG, make_draft(secrecy="JM", copy_number="000001"))
    open_doc = service.draft_outgoing(staff["drafter"], ORG, make_draft())
    outsider = make_actor("x-9", "drafter", clearance="MM")
    with pytest.raises(ClearanceInsufficient) as caught:
        service.get_document(outsider, ORG, secret.id)
    assert caught.value.field == "document.secrecy"
    service.get_document(staff["archivist"], ORG, secret.id)
    service.get_document(outsider, ORG, open_doc.id)
    with Session(engine) as session:
        secret_reads = [(r.actor_id, r.action) for r in audit.history(session, "document", str(secret.id))]
        open_reads = [(r.actor_id, r.action) for r in audit.history(session, "document", str(open_doc.id))]
    assert secret_reads == [("x-9", "read-classified-denied"), ("a-1", "read-classified")]
    assert open_reads == [("x-9", "read")]


def test_searches_chinese_text_without_leaking(
    service: ReferenceService,
    make_draft: Callable[..., DocumentDraft],
    staff: dict[str, Actor],
    make_actor: Callable[..., Actor],
) -> None:
    """Finds two- and many-character Chinese words; never returns what the reader may not read."""
    flood = service.draft_outgoing(
        staff["drafter"], ORG, make_draft(title="关于做好防汛抗旱工作的通知", body="加强水库巡查")
    )
    secret = service.draft_outgoing(
        staff["drafter"],
        ORG,
        make_draft(title="关于防汛物资调运的绝密通知", body="调运方案", secrecy="UM", copy_number="000001"),
    )
    reader = make_actor("x-1", "drafter", clearance=None)
    assert [h.id for h in service.search(staff["drafter"], ORG, "防汛")] == [secret.id, flood.id]
    assert [h.id for h in service.search(reader, ORG, "防汛")] == [flood.id]
    assert service.search(reader, ORG, "调运方案") == []
    assert [h.id for h in service.search(reader, ORG, "水库巡查")] == [flood.id]
    assert [h.id for h in service.search(reader, ORG, "100%")] == []
    with pytest.raises(InvalidInput):
        service.search(reader, ORG, "  ")


def test_search_follows_revisions(
    service: ReferenceService, make_draft: Callable[..., DocumentDraft], staff: dict[str, Actor]
) -> None:
    """Indexes the revised text, not the old one."""
    doc = service.draft_outgoing(staff["drafter"], ORG, make_draft(body="原有正文"))
    service.revise(staff["drafter"], ORG, doc.id, body="新的正文内容")
    assert service.search(staff["drafter"], ORG, "原有正文") == []
    assert [h.id for h in service.search(staff["drafter"], ORG, "新的正文")] == [doc.id]


def test_handles_an_incoming_document(
    service: ReferenceService, staff: dict[str, Actor], make_actor: Callable[..., Actor]
) -> None:
    """Signs for, registers, assigns with a deadline, chases, replies to, closes and files a request."""
    clerk = staff["clerk"]
    incoming = service.receive_incoming(
        clerk,
        ORG,
        IncomingDraft(
            doc_type="11",
            title="关于申请防汛经费的请示",
            body="请予批准。",
            sender="和田地区行政公署",
            document_number="和行署发（2026）第3号",
            urgency="JJ",
            fonds="X001",
            organisation="BGS",
        ),
    )
    assert incoming.document_number == "和行署发〔2026〕3号"
    assert incoming.received_at is not None
    secretary, leader = make_actor("s-2", "secretary"), make_actor("l-2", "leader")
    handler = make_actor("h-2", "handler")
    service.register_incoming(clerk, ORG, incoming.id)
    service.pass_review(clerk, ORG, incoming.id)
    service.propose_handling(secretary, ORG, incoming.id, "拟请财务处办理")
    service.instruct(leader, ORG, incoming.id, "同意")
    with pytest.raises(GuardFailed):
        service.assign_handling(secretary, ORG, incoming.id, "财务处")
    assigned = service.assign_handling(
        secretary,
        ORG,
        incoming.id,
        "财务处",
        assisting_units=["办公室"],
        due_on=date.fromisoformat("2026-02-01"),
    )
    assert assigned.assisting_units == ["办公室"]
    assert [d.id for d in service.overdue_incoming(handler, ORG, date(2026, 2, 2))] == [incoming.id]
    assert service.chase(secretary, ORG, incoming.id, "请尽快办理") == 1
    service.reply(handler, ORG, incoming.id, "已拨付")
    service.close_handling(handler, ORG, incoming.id)
    item = service.file_document(staff["archivist"], ORG, incoming.id)
    assert item.retention == "D10"
    assert item.archival_code.startswith("X001-WS·2026-D10-BGS-")


def test_appraises_keeps_and_destroys(
    service: ReferenceService,
    issue: Callable[..., Document],
    staff: dict[str, Actor],
    make_actor: Callable[..., Actor],
    engine: Engine,
) -> None:
    """Lists an expired item, refuses destruction under hold, destroys after a second approval."""
    doc = issue(written_on=date(2012, 3, 1), doc_type="14")
    item = service.file_document(staff["archivist"], ORG, doc.id)
    assert item.retention == "D10"
    assert item.expires_on == date(2023, 1, 1)
    assert [i.id for i in service.items_due_for_appraisal(staff["archivist"], ORG, date(2024, 1, 1))] == [
        item.id
    ]
    appraiser, approver = make_actor("ap-1", "appraiser"), make_actor("ok-1", "approver")
    service.list_for_appraisal(staff["archivist"], ORG, item.id)
    service.propose_destruction(appraiser, ORG, item.id)
    service.place_hold(staff["archivist"], ORG, item.id, "信访案件调查")
    with pytest.raises(GuardFailed):
        service.approve_destruction(approver, ORG, item.id)
    with pytest.raises(InvalidInput):
        service.place_hold(staff["archivist"], ORG, item.id, " ")
    service.release_hold(staff["archivist"], ORG, item.id)
    assert service.approve_destruction(approver, ORG, item.id).state == "destroyed"
    assert [e.archival_code for e in service.destruction_register(staff["archivist"], ORG)] == [
        item.archival_code
    ]
    assert service.filing_catalogue(staff["archivist"], ORG, "X001", 2012)[0].notes == "已销毁"
    with Session(engine) as session:
        assert session.get(ArchivalItemRow, item.id) is not None


def test_withdrawal_voids_the_number(
    service: ReferenceService, make_draft: Callable[..., DocumentDraft], staff: dict[str, Actor]
) -> None:
    """Withdrawing a numbered document voids its number, and the next document gets the next serial."""
    doc = service.draft_outgoing(staff["drafter"], ORG, make_draft())
    for who, step in (
        ("drafter", "submit"),
        ("reviewer", "approve_review"),
        ("signer", "sign_off"),
        ("checker", "pass_check"),
        ("registrar", "register_and_number"),
    ):
        doc = take_step(service, staff[who], doc.id, step)
    service.withdraw(staff["signer"], ORG, doc.id, "政策调整")
    numbers = service.issued_numbers(staff["registrar"], ORG, "新政办发", 2026)
    assert [(n.serial, n.status, n.void_reason) for n in numbers] == [(1, "voided", "政策调整")]


def test_registers_issued_documents_in_bulk(
    service: ReferenceService,
    issue: Callable[..., Document],
    make_draft: Callable[..., DocumentDraft],
    staff: dict[str, Actor],
    engine: Engine,
) -> None:
    """Numbers a batch after the interactive numbers, per organ code and year, with one audit record each."""
    issue()
    drafts = [
        make_draft(title=f"关于第{i}批项目的通知", organ_code=organ)
        for i, organ in enumerate(["新政办发", "新财发", "新政办发"])
    ]
    before = _count(engine, audit.AuditRecord)
    numbers = service.register_issued(staff["registrar"], ORG, drafts)
    assert numbers == ["新政办发〔2026〕2号", "新财发〔2026〕1号", "新政办发〔2026〕3号"]
    assert _count(engine, audit.AuditRecord) == before + 3
    assert [h.document_number for h in service.search(staff["drafter"], ORG, "第1批项目")] == [
        "新财发〔2026〕1号"
    ]
    assert [n.serial for n in service.issued_numbers(staff["registrar"], ORG, "新政办发", 2026)] == [1, 2, 3]


def test_refuses_a_bad_batch_whole(
    service: ReferenceService,
    make_draft: Callable[..., DocumentDraft],
    staff: dict[str, Actor],
    engine: Engine,
) -> None:
    """Refuses the whole batch when one draft is bad, naming its index; nothing is numbered."""
    drafts = [make_draft(), make_draft(doc_type="99"), make_draft()]
    with pytest.raises(InvalidInput) as caught:
        service.register_issued(staff["registrar"], ORG, drafts)
    assert caught.value.field == "drafts[1].doc_type"
    with pytest.raises(PermissionDenied):
        service.register_issued(staff["drafter"], ORG, [make_draft()])
    assert _count(engine, DocumentRow) == 0
    assert service.issued_numbers(staff["registrar"], ORG, "新政办发", 2026) == []
