"""Checks of the archives requirements, against any ``ArchivesService``."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from govparts.conformance import SkipCheck, expect_raises, verifies
from govparts.core.errors import (
    ClearanceInsufficient,
    IntegrityViolation,
    InvalidInput,
    NotFound,
    OrganizationDenied,
    PermissionDenied,
    ProcessError,
)
from govparts.core.security import Actor

from ..archival_code import parse as parse_archival_code
from ..document_number import parse as parse_document_number
from ..models import Document, DocumentDraft, IncomingDraft
from ..service import ArchivesService

ORG = "11650102MB00000013"
"""The organisation the checks act for (a synthetic government body, GB 32100 category 11)."""
OTHER_ORG = "12653101MB0000002R"
"""A second organisation in the same database (a synthetic public institution, category 12)."""


def _actor(id: str, *roles: str, clearance: str | None = "UM", org: str = ORG) -> Actor:
    return Actor(
        id=id, name=f"测试人员{id}", unit="650100-bgs", roles=frozenset(roles), clearance=clearance, org=org
    )


DRAFTER = _actor("u-drafter", "drafter")
DRAFTER_2 = _actor("u-drafter2", "drafter", "reviewer")
REVIEWER = _actor("u-reviewer", "reviewer")
COUNTERSIGNER = _actor("u-countersigner", "countersigner")
SIGNER = _actor("u-signer", "signer")
CHECKER = _actor("u-checker", "checker")
REGISTRAR = _actor("u-registrar", "registrar")
PRINTER = _actor("u-printer", "printer")
ISSUER = _actor("u-issuer", "issuer")
ARCHIVIST = _actor("u-archivist", "archivist")
APPRAISER = _actor("u-appraiser", "appraiser")
APPROVER = _actor("u-approver", "approver", "appraiser")
CLERK = _actor("u-clerk", "clerk")
SECRETARY = _actor("u-secretary", "secretary")
LEADER = _actor("u-leader", "leader")
HANDLER = _actor("u-handler", "handler")
PUBLIC = _actor("u-public", "drafter", clearance=None)
CONFIDENTIAL_ONLY = _actor("u-mm", "drafter", clearance="MM")
AUDITOR = _actor("u-auditor", "auditor")


def _draft(**changes: Any) -> DocumentDraft:
    values: dict[str, Any] = {
        "doc_type": "08",
        "title": "关于做好防汛工作的通知",
        "body": "各地州市人民政府：为切实做好今年防汛工作，现将有关事项通知如下。",
        "issuing_organ": "新疆维吾尔自治区人民政府办公厅",
        "organ_code": "新政办发",
        "fonds": "X001",
        "organisation": "BGS",
        "written_on": date(2025, 6, 3),
    }
    values.update(changes)
    return DocumentDraft(**values)


def _is_document(value: object) -> Document:
    assert isinstance(value, Document), f"expected a Document, got {value!r}"
    return value


def _to_signoff(service: ArchivesService, draft: DocumentDraft) -> Document:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, draft))
    service.act(DRAFTER, doc.id, "submit")
    service.act(REVIEWER, doc.id, "approve_review", {"opinion": "同意"})
    return _is_document(service.act(SIGNER, doc.id, "sign_off", {"opinion": "同意印发"}))


def _to_numbered(service: ArchivesService, draft: DocumentDraft) -> Document:
    doc = _to_signoff(service, draft)
    service.act(CHECKER, doc.id, "pass_check")
    return _is_document(service.act(REGISTRAR, doc.id, "register_and_number"))


def _issue(service: ArchivesService, draft: DocumentDraft) -> Document:
    doc = _to_numbered(service, draft)
    service.act(PRINTER, doc.id, "print", {"copies": 20})
    return _is_document(service.act(ISSUER, doc.id, "issue"))


def _number(doc: Document) -> str:
    assert doc.document_number, f"document {doc.id} has no document number"
    return doc.document_number


@verifies("ARC-001")
def allocates_numbers_as_the_standard_writes_them(service: ArchivesService) -> None:
    numbers = [_number(_to_numbered(service, _draft())) for _ in range(10)]
    assert numbers[0] == "新政办发〔2025〕1号", numbers[0]
    assert numbers[9] == "新政办发〔2025〕10号", numbers[9]
    for text in numbers:
        parsed = parse_document_number(text)
        assert (parsed.organ_code, parsed.year) == ("新政办发", 2025), text


@verifies("ARC-002")
def numbers_run_without_gaps(service: ArchivesService) -> None:
    docs = [_to_numbered(service, _draft(organ_code="新财发")) for _ in range(4)]
    serials = [parse_document_number(_number(d)).serial for d in docs]
    assert serials == [1, 2, 3, 4], serials
    issued = service.issued_numbers(REGISTRAR, ORG, "新财发", 2025)
    assert [n.serial for n in issued] == [1, 2, 3, 4]
    assert len({n.document_id for n in issued}) == 4


@verifies("ARC-003")
def keeps_a_sequence_per_organ_code_and_year(service: ArchivesService) -> None:
    first = _to_numbered(service, _draft(organ_code="新政发"))
    other_organ = _to_numbered(service, _draft(organ_code="新政函"))
    other_year = _to_numbered(service, _draft(organ_code="新政发", written_on=date(2026, 1, 5)))
    second = _to_numbered(service, _draft(organ_code="新政发"))
    assert [_number(d) for d in (first, other_organ, other_year, second)] == [
        "新政发〔2025〕1号",
        "新政函〔2025〕1号",
        "新政发〔2026〕1号",
        "新政发〔2025〕2号",
    ]


@verifies("ARC-004")
def never_reuses_a_voided_number(service: ArchivesService) -> None:
    voided = _to_numbered(service, _draft(organ_code="新政办函"))
    service.act(SIGNER, voided.id, "withdraw", {"reason": "内容需重新研究"})
    following = _to_numbered(service, _draft(organ_code="新政办函"))
    assert _number(following) == "新政办函〔2025〕2号", following.document_number
    issued = {n.serial: n for n in service.issued_numbers(REGISTRAR, ORG, "新政办函", 2025)}
    assert issued[1].status == "voided"
    assert issued[1].document_id == voided.id
    assert issued[1].void_reason == "内容需重新研究"
    assert issued[2].status == "allocated"


@verifies("ARC-005")
def refuses_an_unknown_kind_of_document(service: ArchivesService) -> None:
    for bad in ("16", "00", "通知"):
        with expect_raises(InvalidInput, field="doc_type"):
            service.draft_outgoing(DRAFTER, ORG, _draft(doc_type=bad))
    assert service.list_documents(DRAFTER, ORG) == [], "a refused draft was recorded"


@verifies("ARC-006")
def drafts_every_kind_of_document(service: ArchivesService) -> None:
    for number in range(1, 16):
        doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft(doc_type=f"{number:02d}")))
        assert doc.doc_type == f"{number:02d}"
        assert doc.state == "drafting"
    assert len(service.list_documents(DRAFTER, ORG)) == 15


@verifies("ARC-007")
def requires_a_copy_number_on_classified_documents(service: ArchivesService) -> None:
    with expect_raises(InvalidInput, field="copy_number"):
        service.draft_outgoing(DRAFTER, ORG, _draft(secrecy="MM", secrecy_period_years=5))
    made = _is_document(
        service.draft_outgoing(
            DRAFTER, ORG, _draft(secrecy="MM", secrecy_period_years=5, copy_number="000012")
        )
    )
    assert (made.secrecy, made.copy_number, made.secrecy_period_years) == ("MM", "000012", 5)
    assert len(service.list_documents(DRAFTER, ORG)) == 1


@verifies("ARC-008")
def refuses_a_secrecy_period_without_a_level(service: ArchivesService) -> None:
    with expect_raises(InvalidInput, field="secrecy_period_years"):
        service.draft_outgoing(DRAFTER, ORG, _draft(secrecy_period_years=10))
    assert service.list_documents(DRAFTER, ORG) == []


@verifies("ARC-009")
def accepts_only_the_two_urgencies(service: ArchivesService) -> None:
    for good in ("TJ", "JJ"):
        assert _is_document(service.draft_outgoing(DRAFTER, ORG, _draft(urgency=good))).urgency == good
    with expect_raises(InvalidInput, field="urgency"):
        service.draft_outgoing(DRAFTER, ORG, _draft(urgency="PJ"))
    assert len(service.list_documents(DRAFTER, ORG)) == 2


@verifies("ARC-010")
def keeps_the_order_of_outgoing_steps(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    with expect_raises(ProcessError):
        service.act(SIGNER, doc.id, "sign_off")
    service.act(DRAFTER, doc.id, "submit")
    with expect_raises(ProcessError):
        service.act(REGISTRAR, doc.id, "register_and_number")
    service.act(REVIEWER, doc.id, "approve_review")
    with expect_raises(ProcessError):
        service.act(CHECKER, doc.id, "pass_check")
    service.act(SIGNER, doc.id, "sign_off")
    with expect_raises(ProcessError):
        service.act(PRINTER, doc.id, "print", {"copies": 5})
    service.act(CHECKER, doc.id, "pass_check")
    with expect_raises(ProcessError):
        service.act(ISSUER, doc.id, "issue")
    service.act(REGISTRAR, doc.id, "register_and_number")
    service.act(PRINTER, doc.id, "print", {"copies": 5})
    assert _is_document(service.act(ISSUER, doc.id, "issue")).state == "issued"


@verifies("ARC-011")
def keeps_the_drafter_from_reviewing(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER_2, ORG, _draft()))
    service.act(DRAFTER_2, doc.id, "submit")
    with expect_raises(PermissionDenied):
        service.act(DRAFTER_2, doc.id, "approve_review")
    assert _is_document(service.act(REVIEWER, doc.id, "approve_review")).state == "awaiting_signoff"


@verifies("ARC-012")
def lets_only_a_signer_sign_off(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    service.act(DRAFTER, doc.id, "submit")
    service.act(REVIEWER, doc.id, "approve_review")
    for someone in (DRAFTER, REVIEWER, CHECKER):
        with expect_raises(PermissionDenied):
            service.act(someone, doc.id, "sign_off")
    signed = _is_document(service.act(SIGNER, doc.id, "sign_off"))
    assert signed.state == "checking"
    assert signed.signer == SIGNER.name


@verifies("ARC-013")
def returns_a_changed_document_to_the_signer(service: ArchivesService) -> None:
    doc = _to_signoff(service, _draft())
    changed = _is_document(service.revise(CHECKER, doc.id, body=doc.body + "（增加第三条）"))
    assert changed.state == "awaiting_signoff", changed.state
    with expect_raises(ProcessError):
        service.act(CHECKER, doc.id, "pass_check")
    service.act(SIGNER, doc.id, "sign_off")
    assert _is_document(service.act(CHECKER, doc.id, "pass_check")).state == "registering"


@verifies("ARC-014")
def countersigns_before_sign_off(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    service.act(DRAFTER, doc.id, "submit")
    assert _is_document(service.act(REVIEWER, doc.id, "request_countersign")).state == "countersigning"
    with expect_raises(ProcessError):
        service.act(SIGNER, doc.id, "sign_off")
    with expect_raises(InvalidInput, field="inputs.opinion"):
        service.act(COUNTERSIGNER, doc.id, "countersign")
    assert (
        _is_document(service.act(COUNTERSIGNER, doc.id, "countersign", {"opinion": "财政厅同意"})).state
        == "awaiting_signoff"
    )


@verifies("ARC-015")
def stores_files_with_correct_digests(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    content = "关于做好防汛工作的通知\n正文……".encode()
    stored = service.attach_file(DRAFTER, doc.id, "正文.txt", content, role="body", media_type="text/plain")
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    if "sm3" in hashlib.algorithms_available:
        assert stored.sm3 == hashlib.new("sm3", content).hexdigest()
    assert service.read_file(DRAFTER, stored.id) == content
    with expect_raises(InvalidInput, field="role"):
        service.attach_file(DRAFTER, doc.id, "x.txt", b"x", role="cover")
    assert len(_is_document(service.get_document(DRAFTER, doc.id)).files) == 1


@verifies("ARC-016")
def refuses_a_reader_without_clearance(service: ArchivesService) -> None:
    secret = _is_document(
        service.draft_outgoing(DRAFTER, ORG, _draft(secrecy="JM", copy_number="000001", title="机密事项"))
    )
    with expect_raises(ClearanceInsufficient):
        service.get_document(PUBLIC, secret.id)
    with expect_raises(ClearanceInsufficient):
        service.get_document(CONFIDENTIAL_ONLY, secret.id)
    assert _is_document(service.get_document(DRAFTER, secret.id)).title == "机密事项"


def _mixed(service: ArchivesService) -> tuple[Document, Document]:
    open_doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft(title="关于防汛物资储备的通知")))
    secret = _is_document(
        service.draft_outgoing(
            DRAFTER,
            ORG,
            _draft(title="关于防汛部署的绝密通知", body="防汛部署方案", secrecy="UM", copy_number="000003"),
        )
    )
    return open_doc, secret


@verifies("ARC-017")
def lists_only_what_the_reader_may_read(service: ArchivesService) -> None:
    open_doc, secret = _mixed(service)
    for reader in (PUBLIC, CONFIDENTIAL_ONLY):
        listed = service.list_documents(reader, ORG)
        assert [d.id for d in listed] == [open_doc.id], listed
        assert all("绝密" not in d.title for d in listed)
    assert {d.id for d in service.list_documents(DRAFTER, ORG)} == {open_doc.id, secret.id}


@verifies("ARC-018")
def searches_only_what_the_reader_may_read(service: ArchivesService) -> None:
    _open_doc, secret = _mixed(service)
    for reader in (PUBLIC, CONFIDENTIAL_ONLY):
        for text in ("防汛", "绝密通知", "防汛部署方案"):
            hits = service.search(reader, ORG, text)
            assert secret.id not in [h.id for h in hits], f"{text!r} leaked a document above clearance"
    assert secret.id in [h.id for h in service.search(DRAFTER, ORG, "绝密通知")]


@verifies("ARC-019")
def finds_chinese_words_in_titles_and_bodies(service: ArchivesService) -> None:
    flood = _is_document(
        service.draft_outgoing(DRAFTER, ORG, _draft(title="关于做好防汛工作的通知", body="加强堤防巡查"))
    )
    heat = _is_document(
        service.draft_outgoing(DRAFTER, ORG, _draft(title="关于冬季供暖的通知", body="保障居民供暖"))
    )
    assert [h.id for h in service.search(DRAFTER, ORG, "防汛")] == [flood.id]
    assert [h.id for h in service.search(DRAFTER, ORG, "堤防巡查")] == [flood.id]
    assert [h.id for h in service.search(DRAFTER, ORG, "供暖")] == [heat.id]
    assert {h.id for h in service.search(DRAFTER, ORG, "的通知")} == {flood.id, heat.id}
    assert service.search(DRAFTER, ORG, "地震") == []


@verifies("ARC-020")
def reports_expired_secrecy_periods(service: ArchivesService) -> None:
    five = _is_document(
        service.draft_outgoing(
            DRAFTER, ORG, _draft(secrecy="MM", secrecy_period_years=5, copy_number="000001")
        )
    )
    ten = _is_document(
        service.draft_outgoing(
            DRAFTER, ORG, _draft(secrecy="MM", secrecy_period_years=10, copy_number="000002")
        )
    )
    assert five.classified_on is not None
    start = five.classified_on
    assert service.expired_secrecy(DRAFTER, ORG, start + timedelta(days=365 * 4)) == []
    after_six = [d.id for d in service.expired_secrecy(DRAFTER, ORG, start + timedelta(days=365 * 6))]
    assert after_six == [five.id], after_six
    assert {d.id for d in service.expired_secrecy(DRAFTER, ORG, start + timedelta(days=365 * 11))} == {
        five.id,
        ten.id,
    }


def _incoming(service: ArchivesService, **changes: Any) -> Document:
    values: dict[str, Any] = {
        "doc_type": "08",
        "title": "关于开展安全生产大检查的通知",
        "body": "请各单位认真组织开展检查。",
        "sender": "新疆维吾尔自治区应急管理厅",
        "document_number": "新应急发[2025]第08号",
        "fonds": "X001",
        "organisation": "BGS",
    }
    values.update(changes)
    return _is_document(service.receive_incoming(CLERK, ORG, IncomingDraft(**values)))


def _to_handling(service: ArchivesService, doc: Document, **assign: Any) -> Document:
    service.act(CLERK, doc.id, "register")
    service.act(CLERK, doc.id, "pass_review")
    service.act(SECRETARY, doc.id, "propose_handling", {"proposal": "拟请安监科办理"})
    service.act(LEADER, doc.id, "instruct", {"instruction": "同意，抓紧落实"})
    return _is_document(service.act(SECRETARY, doc.id, "assign", {"lead_unit": "安监科", **assign}))


@verifies("ARC-021")
def signs_for_and_may_return_an_incoming_document(service: ArchivesService) -> None:
    doc = _incoming(service)
    assert doc.state == "signed_for"
    assert doc.received_at is not None
    assert doc.document_number == "新应急发〔2025〕8号", doc.document_number
    service.act(CLERK, doc.id, "register")
    with expect_raises(InvalidInput, field="inputs.reason"):
        service.act(CLERK, doc.id, "return_to_sender")
    returned = _is_document(
        service.act(CLERK, doc.id, "return_to_sender", {"reason": "不属于本机关职权范围"})
    )
    assert returned.state == "returned"
    assert returned.return_reason == "不属于本机关职权范围"


@verifies("ARC-022")
def needs_a_deadline_for_urgent_documents(service: ArchivesService) -> None:
    urgent = _incoming(service, urgency="TJ")
    with expect_raises(ProcessError):
        _to_handling(service, urgent)
    assigned = _is_document(
        service.act(SECRETARY, urgent.id, "assign", {"lead_unit": "安监科", "due_on": "2025-07-01"})
    )
    assert assigned.state == "handling"
    assert assigned.due_on == date(2025, 7, 1)
    assert assigned.lead_unit == "安监科"
    ordinary = _incoming(service)
    with expect_raises(InvalidInput, field="inputs.lead_unit"):
        _to_handling(service, ordinary, lead_unit=None)


@verifies("ARC-023")
def lists_overdue_documents_for_chasing(service: ArchivesService) -> None:
    late = _to_handling(service, _incoming(service, urgency="JJ"), due_on="2025-07-01")
    _to_handling(service, _incoming(service, urgency="JJ"), due_on="2025-09-01")
    overdue = [d.id for d in service.overdue_incoming(HANDLER, ORG, date(2025, 8, 1))]
    assert overdue == [late.id], overdue
    assert service.chase(SECRETARY, late.id, "请于本周内答复") == 1
    assert service.chase(SECRETARY, late.id) == 2


@verifies("ARC-024")
def takes_an_incoming_document_through_every_step(service: ArchivesService) -> None:
    doc = _incoming(service)
    with expect_raises(ProcessError):
        service.act(LEADER, doc.id, "instruct", {"instruction": "同意"})
    doc = _to_handling(service, doc)
    service.act(HANDLER, doc.id, "circulate", {"readers": ["副厅长"]})
    service.act(HANDLER, doc.id, "reply", {"reply": "已部署检查"})
    closed = _is_document(service.act(HANDLER, doc.id, "close"))
    assert closed.state == "closed"
    assert closed.reply == "已部署检查"
    item = service.file_document(ARCHIVIST, doc.id)
    assert _is_document(service.get_document(ARCHIVIST, doc.id)).state == "filed"
    assert parse_archival_code(item.archival_code).fonds == "X001"


@verifies("ARC-025")
def files_items_under_archival_codes(service: ArchivesService) -> None:
    doc = _issue(service, _draft(doc_type="02"))
    item = service.file_document(ARCHIVIST, doc.id, retention="Y")
    assert item.archival_code == "X001-WS·2025-Y-BGS-0001", item.archival_code
    parsed = parse_archival_code(item.archival_code)
    assert (parsed.category, parsed.year, parsed.retention, parsed.organisation) == ("WS", 2025, "Y", "BGS")
    plain = _issue(service, _draft(organisation=None))
    assert (
        service.file_document(ARCHIVIST, plain.id, retention="D10").archival_code == "X001-WS·2025-D10-0001"
    )


@verifies("ARC-026")
def numbers_items_within_their_class(service: ArchivesService) -> None:
    codes = []
    for retention, year in (("D30", 2025), ("D30", 2025), ("D10", 2025), ("D30", 2024), ("D30", 2025)):
        doc = _issue(service, _draft(written_on=date(year, 3, 1)))
        codes.append(service.file_document(ARCHIVIST, doc.id, retention=retention).archival_code)
    assert codes == [
        "X001-WS·2025-D30-BGS-0001",
        "X001-WS·2025-D30-BGS-0002",
        "X001-WS·2025-D10-BGS-0001",
        "X001-WS·2024-D30-BGS-0001",
        "X001-WS·2025-D30-BGS-0003",
    ], codes


@verifies("ARC-027")
def accepts_only_the_three_retention_periods(service: ArchivesService) -> None:
    doc = _issue(service, _draft())
    for bad in ("D5", "长期", "C"):
        with expect_raises(InvalidInput, field="retention"):
            service.file_document(ARCHIVIST, doc.id, retention=bad)
    assert _is_document(service.get_document(ARCHIVIST, doc.id)).state == "issued", (
        "a refused filing changed the document"
    )
    assert service.file_document(ARCHIVIST, doc.id, retention="D30").retention == "D30"


def _old_item(service: ArchivesService, retention: str = "D10", year: int = 2010) -> Any:
    doc = _issue(service, _draft(written_on=date(year, 5, 1)))
    return service.file_document(ARCHIVIST, doc.id, retention=retention)


@verifies("ARC-028")
def lists_expired_items_for_appraisal(service: ArchivesService) -> None:
    expired = _old_item(service, "D10", 2010)
    permanent = _old_item(service, "Y", 2010)
    young = _old_item(service, "D30", 2010)
    due = [i.id for i in service.items_due_for_appraisal(ARCHIVIST, ORG, date(2025, 1, 1))]
    assert due == [expired.id], due
    assert service.items_due_for_appraisal(ARCHIVIST, ORG, date(2020, 12, 31)) == []
    assert service.dispose(ARCHIVIST, expired.id, "list_for_appraisal").state == "appraisal"
    for item in (permanent, young):
        with expect_raises(ProcessError):
            service.dispose(ARCHIVIST, item.id, "list_for_appraisal")


@verifies("ARC-029")
def destroys_only_with_a_second_approver(service: ArchivesService) -> None:
    item = _old_item(service)
    service.dispose(ARCHIVIST, item.id, "list_for_appraisal")
    service.dispose(APPROVER, item.id, "propose_destruction")
    with expect_raises(PermissionDenied):
        service.dispose(APPROVER, item.id, "approve_destruction")
    assert service.destruction_register(APPROVER, ORG) == []
    other = _actor("u-approver2", "approver")
    assert service.dispose(other, item.id, "approve_destruction").state == "destroyed"
    register = service.destruction_register(APPROVER, ORG)
    assert [(e.archival_code, e.proposed_by, e.approved_by) for e in register] == [
        (item.archival_code, APPROVER.id, other.id)
    ]


@verifies("ARC-030")
def never_destroys_under_legal_hold(service: ArchivesService) -> None:
    item = _old_item(service)
    service.dispose(ARCHIVIST, item.id, "list_for_appraisal")
    service.place_hold(ARCHIVIST, item.id, "诉讼证据保全")
    with expect_raises(ProcessError):
        service.dispose(APPRAISER, item.id, "propose_destruction")
    service.release_hold(ARCHIVIST, item.id)
    service.dispose(APPRAISER, item.id, "propose_destruction")
    service.place_hold(ARCHIVIST, item.id, "审计调阅")
    with expect_raises(ProcessError):
        service.dispose(APPROVER, item.id, "approve_destruction")
    assert service.destruction_register(APPROVER, ORG) == []
    assert service.get_item(ARCHIVIST, item.id).state == "destruction_proposed"


@verifies("ARC-031")
def keeps_an_appraised_item_longer(service: ArchivesService) -> None:
    item = _old_item(service)
    service.dispose(ARCHIVIST, item.id, "list_for_appraisal")
    kept = service.dispose(APPRAISER, item.id, "keep", {"years": 10})
    assert kept.state == "in_custody"
    assert kept.expires_on is not None
    assert item.expires_on is not None
    assert kept.expires_on > item.expires_on
    assert kept.expires_on > date.today()
    assert item.id not in [i.id for i in service.items_due_for_appraisal(ARCHIVIST, ORG, date.today())]


def _bag(service: ArchivesService, folder: str) -> tuple[Path, Any, bytes]:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    body = "关于做好防汛工作的通知（正文）".encode()
    service.attach_file(DRAFTER, doc.id, "正文.txt", body, role="body", media_type="text/plain")
    service.act(DRAFTER, doc.id, "submit")
    service.act(REVIEWER, doc.id, "approve_review")
    service.act(SIGNER, doc.id, "sign_off")
    service.act(CHECKER, doc.id, "pass_check")
    service.act(REGISTRAR, doc.id, "register_and_number")
    service.act(PRINTER, doc.id, "print", {"copies": 3})
    service.act(ISSUER, doc.id, "issue")
    item = service.file_document(ARCHIVIST, doc.id)
    path = service.export_package(ARCHIVIST, [item.id], Path(folder) / "bag")
    return Path(path), item, body


@verifies("ARC-032")
def exports_a_valid_bag(service: ArchivesService) -> None:
    import bagit

    with tempfile.TemporaryDirectory(prefix="arc-bag-") as folder:
        path, item, body = _bag(service, folder)
        bag = bagit.Bag(str(path))
        bag.validate()
        assert "sha256" in bag.algorithms
        lines = (path / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
        assert any(line.startswith(hashlib.sha256(body).hexdigest()) for line in lines)
        if "sm3" not in hashlib.algorithms_available:
            raise SkipCheck("this platform's OpenSSL has no SM3")
        assert (path / "manifest-sm3.txt").is_file(), "the bag has no manifest-sm3.txt"
        sm3 = (path / "manifest-sm3.txt").read_text(encoding="utf-8").splitlines()
        assert any(line.startswith(hashlib.new("sm3", body).hexdigest()) for line in sm3)
        assert len(sm3) == len(lines)
        receipt = service.import_package(ARCHIVIST, ORG, path)
        assert receipt.archival_codes == [item.archival_code]


@verifies("ARC-033")
def refuses_a_tampered_bag(service: ArchivesService) -> None:
    with tempfile.TemporaryDirectory(prefix="arc-bag-") as folder:
        path, _item, _body = _bag(service, folder)
        target = next(p for p in (path / "data").rglob("*") if p.is_file() and p.name != "metadata.json")
        target.write_bytes(target.read_bytes() + b"x")
        with expect_raises(IntegrityViolation, field="package"):
            service.import_package(ARCHIVIST, ORG, path)
        target.write_bytes(target.read_bytes()[:-1])
        assert service.import_package(ARCHIVIST, ORG, path).files >= 2


@verifies("ARC-034")
def lists_the_filing_catalogue(service: ArchivesService) -> None:
    titles = ["关于甲事项的通知", "关于乙事项的通知", "关于丙事项的通知"]
    docs = [_issue(service, _draft(title=t, organ_code="新政办发")) for t in titles]
    for doc in docs:
        service.file_document(ARCHIVIST, doc.id, retention="D30")
    catalogue = service.filing_catalogue(ARCHIVIST, ORG, "X001", 2025)
    assert [e.item_number for e in catalogue] == [1, 2, 3]
    assert [e.title for e in catalogue] == titles
    assert [e.document_number for e in catalogue] == [d.document_number for d in docs]
    assert all(
        e.responsible == "新疆维吾尔自治区人民政府办公厅" and e.date == date(2025, 6, 3) for e in catalogue
    )
    assert catalogue[0].archival_code == "X001-WS·2025-D30-BGS-0001"


@verifies("ARC-035")
def withholds_secret_titles_from_the_catalogue(service: ArchivesService) -> None:
    doc = _issue(service, _draft(title="关于某绝密事项的决定", secrecy="UM", copy_number="000001"))
    service.file_document(ARCHIVIST, doc.id)
    entries = service.filing_catalogue(PUBLIC, ORG, "X001", 2025)
    assert len(entries) == 1
    assert "绝密事项" not in entries[0].title
    assert service.filing_catalogue(ARCHIVIST, ORG, "X001", 2025)[0].title == "关于某绝密事项的决定"


@verifies("ARC-036")
def reports_an_unknown_document(service: ArchivesService) -> None:
    with expect_raises(NotFound):
        service.get_document(DRAFTER, 987654)
    with expect_raises(NotFound):
        service.act(DRAFTER, 987654, "submit")


@verifies("ARC-037")
def issues_only_numbered_and_printed_documents(service: ArchivesService) -> None:
    doc = _to_numbered(service, _draft())
    for bad in (0, -3, "twenty"):
        with expect_raises(InvalidInput, field="inputs.copies"):
            service.act(PRINTER, doc.id, "print", {"copies": bad})
    assert _is_document(service.get_document(PRINTER, doc.id)).state == "printing"
    service.act(PRINTER, doc.id, "print", {"copies": 40})
    issued = _is_document(service.act(ISSUER, doc.id, "issue"))
    assert issued.state == "issued"
    assert issued.copies == 40
    assert issued.document_number


@verifies("ARC-038")
def records_every_read(service: ArchivesService) -> None:
    open_doc, secret = _mixed(service)
    service.get_document(PUBLIC, open_doc.id)
    with expect_raises(ClearanceInsufficient):
        service.get_document(PUBLIC, secret.id)
    service.get_document(DRAFTER, secret.id)
    with expect_raises(PermissionDenied):
        service.access_log(PUBLIC, secret.id)
    reads = [(r.actor_id, r.allowed) for r in service.access_log(AUDITOR, secret.id)]
    assert reads == [(PUBLIC.id, False), (DRAFTER.id, True)], reads
    assert [(r.actor_id, r.allowed) for r in service.access_log(AUDITOR, open_doc.id)] == [(PUBLIC.id, True)]


OTHER_DRAFTER = _actor("u-other-drafter", "drafter", "reviewer", "registrar", org=OTHER_ORG)
OTHER_STAFF = {
    role: _actor(f"u-other-{role}", role, org=OTHER_ORG)
    for role in ("reviewer", "signer", "checker", "registrar", "archivist", "auditor")
}


@verifies("ARC-039")
def keeps_organisations_apart(service: ArchivesService) -> None:
    mine = _to_numbered(service, _draft(title="关于本单位防汛值班的通知"))
    theirs = _is_document(
        service.draft_outgoing(OTHER_DRAFTER, OTHER_ORG, _draft(title="关于他单位防汛值班的通知"))
    )
    service.act(OTHER_DRAFTER, theirs.id, "submit")
    service.act(OTHER_STAFF["reviewer"], theirs.id, "approve_review")
    service.act(OTHER_STAFF["signer"], theirs.id, "sign_off")
    service.act(OTHER_STAFF["checker"], theirs.id, "pass_check")
    theirs = _is_document(service.act(OTHER_STAFF["registrar"], theirs.id, "register_and_number"))
    assert _number(mine) == theirs.document_number == "新政办发〔2025〕1号", (mine, theirs.document_number)
    for call in (
        lambda: service.get_document(OTHER_DRAFTER, mine.id),
        lambda: service.revise(OTHER_DRAFTER, mine.id, title="改"),
        lambda: service.act(OTHER_STAFF["registrar"], mine.id, "register_and_number"),
        lambda: service.list_documents(OTHER_DRAFTER, ORG),
        lambda: service.search(OTHER_DRAFTER, ORG, "防汛"),
        lambda: service.issued_numbers(OTHER_DRAFTER, ORG, "新政办发", 2025),
        lambda: service.access_log(OTHER_STAFF["auditor"], mine.id),
    ):
        with expect_raises(OrganizationDenied):
            call()
    assert _is_document(service.get_document(DRAFTER, mine.id)).title == "关于本单位防汛值班的通知"
    assert [d.id for d in service.list_documents(OTHER_DRAFTER, OTHER_ORG)] == [theirs.id]
    assert [d.id for d in service.search(OTHER_DRAFTER, OTHER_ORG, "防汛")] == [theirs.id]
    assert [n.document_id for n in service.issued_numbers(REGISTRAR, ORG, "新政办发", 2025)] == [mine.id]


@verifies("ARC-040")
def checks_clearance_before_appraising_classified_items(service: ArchivesService) -> None:
    title = "关于边境防控部署的机密通知"
    doc = _issue(
        service, _draft(title=title, secrecy="JM", copy_number="000001", written_on=date(2010, 5, 1))
    )
    item = service.file_document(ARCHIVIST, doc.id, retention="D10")
    low = _actor("u-mm-archivist", "archivist", "appraiser", "approver", clearance="MM")
    exactly = _actor("u-jm-archivist", "archivist", "appraiser", clearance="JM")
    with expect_raises(ClearanceInsufficient):
        service.place_hold(low, item.id, "诉讼证据保全")
    with expect_raises(ClearanceInsufficient):
        service.dispose(low, item.id, "list_for_appraisal")
    with expect_raises(ClearanceInsufficient):
        service.get_item(low, item.id)
    assert service.get_item(ARCHIVIST, item.id).legal_hold is False
    assert service.get_item(ARCHIVIST, item.id).state == "in_custody"
    assert service.place_hold(exactly, item.id, "诉讼证据保全").title == title
    assert service.release_hold(exactly, item.id).legal_hold is False
    service.dispose(exactly, item.id, "list_for_appraisal")
    service.dispose(exactly, item.id, "propose_destruction")
    service.dispose(APPROVER, item.id, "approve_destruction")
    (masked,) = service.destruction_register(low, ORG)
    assert masked.title == "", masked
    assert masked.archival_code == item.archival_code
    assert [e.title for e in service.destruction_register(APPROVER, ORG)] == [title]
    reads = [(r.actor_id, r.allowed) for r in service.access_log(AUDITOR, doc.id) if r.actor_id == low.id]
    assert reads, "the refused reads are not in the access log"
    assert not any(allowed for _, allowed in reads), reads
