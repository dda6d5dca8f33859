"""Checks of the archives requirements, against any ``ArchivesService``.

Every check sweeps: years and organ codes drawn with :func:`scenario_rng` (so ``--seed N`` repeats
them), both sides of each boundary (the day before, on and after an expiry; clearance one level
below, at and above a secrecy level), two organisations in one database. Refusals (``@refuses``)
read back through the Protocol that nothing was written: the listing, the published events and
the audit trail are unchanged.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from govparts.conformance import (
    SkipCheck,
    expect_equal,
    expect_raises,
    expect_true,
    refuses,
    scenario,
    scenario_rng,
    step,
)
from govparts.core.errors import (
    ClearanceInsufficient,
    GovPartsError,
    IntegrityViolation,
    InvalidInput,
    NotFound,
    OrganizationDenied,
    PermissionDenied,
    ProcessError,
)
from govparts.core.security import CROSS_ORG_READ_ROLE, Actor

from ..archival_code import parse as parse_archival_code
from ..document_number import parse as parse_document_number
from ..models import ArchivalItem, Document, DocumentDraft, IncomingDraft
from ..service import ArchivesService

ORG = "11650102MB00000013"
"""The organisation the checks act for (a synthetic government body, GB 32100 category 11)."""
OTHER_ORG = "12653101MB0000002R"
"""A second organisation in the same database (a synthetic public institution, category 12)."""
LEVELS = (None, "MM", "JM", "UM")
"""非密, 秘密, 机密, 绝密 in rising order (GB/T 9704-2012 7.2.2; 保守国家秘密法 Art. 10)."""
ROLES = (
    "drafter",
    "reviewer",
    "countersigner",
    "signer",
    "checker",
    "registrar",
    "printer",
    "issuer",
    "archivist",
    "appraiser",
    "approver",
    "clerk",
    "secretary",
    "leader",
    "handler",
    "auditor",
)


def _actor(id: str, *roles: str, clearance: str | None = "UM", org: str = ORG) -> Actor:
    return Actor(
        id=id, name=f"测试人员{id}", unit="650100-bgs", roles=frozenset(roles), clearance=clearance, org=org
    )


def _staff(org: str, clearance: str | None = "UM") -> dict[str, Actor]:
    """One actor per role of ``org``, each holding that role alone."""
    tag = "a" if org == ORG else "b"
    return {role: _actor(f"u-{tag}-{role}-{clearance}", role, clearance=clearance, org=org) for role in ROLES}


STAFF = _staff(ORG)
OTHER = _staff(OTHER_ORG)
DRAFTER = STAFF["drafter"]
DRAFTER_2 = _actor("u-drafter2", "drafter", "reviewer")
REVIEWER = STAFF["reviewer"]
COUNTERSIGNER = STAFF["countersigner"]
SIGNER = STAFF["signer"]
CHECKER = STAFF["checker"]
REGISTRAR = STAFF["registrar"]
PRINTER = STAFF["printer"]
ISSUER = STAFF["issuer"]
ARCHIVIST = STAFF["archivist"]
APPRAISER = STAFF["appraiser"]
APPROVER = _actor("u-approver", "approver", "appraiser")
CLERK = STAFF["clerk"]
SECRETARY = STAFF["secretary"]
LEADER = STAFF["leader"]
HANDLER = STAFF["handler"]
AUDITOR = STAFF["auditor"]
EVERYONE = _actor("u-all", *ROLES)
"""An actor of ``ORG`` holding every role at 绝密 (reads back what a check wrote)."""
PUBLIC = _actor("u-public", "drafter", clearance=None)
CONFIDENTIAL_ONLY = _actor("u-mm", "drafter", clearance="MM")
NO_ROLE = _actor("u-norole")
CROSS_AUDITOR = _actor("u-cross", CROSS_ORG_READ_ROLE, "auditor", org=OTHER_ORG)
ORGAN_CODES = ("新政办发", "新政发", "新财发", "新政函", "乌政办发", "天政发")


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


def _classified(level: str | None, **changes: Any) -> DocumentDraft:
    if level is None:
        return _draft(**changes)
    return _draft(secrecy=level, copy_number="000001", **changes)


def _is_document(value: object) -> Document:
    expect_true(isinstance(value, Document), "the call returns a Document", observed=type(value).__name__)
    assert isinstance(value, Document)
    return value


def _is_item(value: object) -> ArchivalItem:
    expect_true(
        isinstance(value, ArchivalItem), "the call returns an ArchivalItem", observed=type(value).__name__
    )
    assert isinstance(value, ArchivalItem)
    return value


def _people(org: str) -> dict[str, Actor]:
    return STAFF if org == ORG else OTHER


def _to_signoff(service: ArchivesService, draft: DocumentDraft, org: str = ORG) -> Document:
    p = _people(org)
    with step("draft, submit, review and sign off"):
        doc = _is_document(service.draft_outgoing(p["drafter"], org, draft))
        service.submit(p["drafter"], org, doc.id)
        service.approve_review(p["reviewer"], org, doc.id, "同意")
        return _is_document(service.sign_off(p["signer"], org, doc.id, "同意印发"))


def _to_numbered(service: ArchivesService, draft: DocumentDraft, org: str = ORG) -> Document:
    p = _people(org)
    doc = _to_signoff(service, draft, org)
    with step("check and number"):
        service.pass_check(p["checker"], org, doc.id)
        return _is_document(service.assign_number(p["registrar"], org, doc.id))


def _issue(service: ArchivesService, draft: DocumentDraft, org: str = ORG) -> Document:
    p = _people(org)
    doc = _to_numbered(service, draft, org)
    with step("print and issue"):
        service.print_copies(p["printer"], org, doc.id, 20)
        return _is_document(service.issue(p["issuer"], org, doc.id))


def _number(doc: Document) -> str:
    expect_true(bool(doc.document_number), "the document has a document number", observed=doc.document_number)
    return str(doc.document_number)


def _state(service: ArchivesService, doc_id: int, org: str = ORG) -> str:
    reader = EVERYONE if org == ORG else _actor("u-b-all", *ROLES, org=OTHER_ORG)
    return _is_document(service.get_document(reader, org, doc_id)).state


def _auditor(org: str) -> Actor:
    return AUDITOR if org == ORG else OTHER["auditor"]


def _written(service: ArchivesService, org: str = ORG) -> tuple[Any, ...]:
    """What a refused call must leave unchanged: the documents (all states and titles) and the events."""
    reader = EVERYONE if org == ORG else _actor("u-b-all", *ROLES, org=OTHER_ORG)
    docs = tuple((d.id, d.state, d.title, d.document_number) for d in service.list_documents(reader, org))
    events = tuple(e.id for e in service.published_events(_auditor(org), org))
    return docs, events


def _trail(service: ArchivesService, entity: str, entity_id: object, org: str = ORG) -> list[tuple[str, str]]:
    return [
        (t.action, t.actor_id or "") for t in service.audit_trail(_auditor(org), org, entity, str(entity_id))
    ]


def _changes(service: ArchivesService, entity: str, entity_id: object, org: str = ORG) -> list[str]:
    """The audit actions of a thing that are not reads (reads of classified data are recorded on purpose)."""
    return [a for a, _ in _trail(service, entity, entity_id, org) if not a.startswith("read")]


def _unchanged(service: ArchivesService, before: tuple[Any, ...], what: str, org: str = ORG) -> None:
    expect_equal(_written(service, org), before, what=f"documents and events after {what}")


# -- numbering (GB/T 9704-2012 7.2.5) ---------------------------------------------------------------


@refuses("ARC-001")
def allocates_numbers_as_the_standard_writes_them(service: ArchivesService) -> None:
    rng = scenario_rng()
    year = rng.randint(2001, 2030)
    organ = rng.choice(ORGAN_CODES)
    scenario(year=year, organ_code=organ)
    numbers = [
        _number(_to_numbered(service, _draft(organ_code=organ, written_on=date(year, 3, 1))))
        for _ in range(10)
    ]
    for serial in (1, 9, 10):
        expect_equal(numbers[serial - 1], f"{organ}〔{year}〕{serial}号", what=f"document number {serial}")
    for text in numbers:
        parsed = parse_document_number(text)
        expect_equal((parsed.organ_code, parsed.year), (organ, year), what="parsed organ code and year")
    before = _written(service)
    for bad in ("新政办发〔", " ", "新政 办发"):
        scenario(organ_code=bad)
        with expect_raises(InvalidInput, field="organ_code"):
            service.draft_outgoing(DRAFTER, ORG, _draft(organ_code=bad))
    _unchanged(service, before, "a refused organ code")


@refuses("ARC-002")
def numbers_run_without_gaps(service: ArchivesService) -> None:
    docs = [_to_numbered(service, _draft(organ_code="新财发")) for _ in range(4)]
    serials = [parse_document_number(_number(d)).serial for d in docs]
    expect_equal(serials, [1, 2, 3, 4], what="serials of four numbered documents")
    waiting = _to_signoff(service, _draft(organ_code="新财发"))
    service.pass_check(CHECKER, ORG, waiting.id)
    before = _written(service)
    with step("number by someone without the registrar role"):
        for someone in (PRINTER, DRAFTER, NO_ROLE):
            with expect_raises(PermissionDenied):
                service.assign_number(someone, ORG, waiting.id)
    _unchanged(service, before, "refused numbering")
    issued = service.issued_numbers(REGISTRAR, ORG, "新财发", 2025)
    expect_equal([n.serial for n in issued], [1, 2, 3, 4], what="issued serials after a refused numbering")
    expect_equal(len({n.document_id for n in issued}), 4, what="distinct documents of the issued numbers")
    expect_equal(
        _number(service.assign_number(REGISTRAR, ORG, waiting.id)), "新财发〔2025〕5号", what="next number"
    )


@refuses("ARC-003")
def keeps_a_sequence_per_organ_code_and_year(service: ArchivesService) -> None:
    rng = scenario_rng()
    year = rng.randint(2001, 2029)
    scenario(year=year)
    first = _to_numbered(service, _draft(organ_code="新政发", written_on=date(year, 12, 31)))
    other_organ = _to_numbered(service, _draft(organ_code="新政函", written_on=date(year, 6, 1)))
    other_year = _to_numbered(service, _draft(organ_code="新政发", written_on=date(year + 1, 1, 1)))
    second = _to_numbered(service, _draft(organ_code="新政发", written_on=date(year, 1, 1)))
    expect_equal(
        [_number(d) for d in (first, other_organ, other_year, second)],
        [f"新政发〔{year}〕1号", f"新政函〔{year}〕1号", f"新政发〔{year + 1}〕1号", f"新政发〔{year}〕2号"],
        what="numbers across organ codes and years (31 Dec and 1 Jan)",
    )
    waiting = _to_signoff(service, _draft(organ_code="新政发", written_on=date(year, 5, 5)))
    before = _written(service)
    with expect_raises(ProcessError):
        service.assign_number(REGISTRAR, ORG, waiting.id)
    _unchanged(service, before, "numbering before the check")
    expect_equal(len(service.issued_numbers(REGISTRAR, ORG, "新政发", year)), 2, what="numbers of the year")


@refuses("ARC-004")
def never_reuses_a_voided_number(service: ArchivesService) -> None:
    voided = _to_numbered(service, _draft(organ_code="新政办函"))
    before = _written(service)
    with expect_raises(InvalidInput, field="reason"):
        service.withdraw(SIGNER, ORG, voided.id, "")
    with expect_raises(PermissionDenied):
        service.withdraw(DRAFTER, ORG, voided.id, "内容需重新研究")
    _unchanged(service, before, "refused withdrawals")
    expect_equal(
        service.issued_numbers(REGISTRAR, ORG, "新政办函", 2025)[0].status, "allocated", what="status"
    )
    service.withdraw(SIGNER, ORG, voided.id, "内容需重新研究")
    following = _to_numbered(service, _draft(organ_code="新政办函"))
    expect_equal(_number(following), "新政办函〔2025〕2号", what="the number after a voided one")
    issued = {n.serial: n for n in service.issued_numbers(REGISTRAR, ORG, "新政办函", 2025)}
    expect_equal(
        (issued[1].status, issued[1].document_id, issued[1].void_reason, issued[2].status),
        ("voided", voided.id, "内容需重新研究", "allocated"),
        what="the register of numbers",
    )


# -- elements of a document (党政机关公文处理工作条例 Arts 8–9; GB/T 9704-2012) -----------------------


@refuses("ARC-005")
def refuses_an_unknown_kind_of_document(service: ArchivesService) -> None:
    before = _written(service)
    for bad in ("16", "00", "通知", "8"):
        scenario(doc_type=bad)
        with expect_raises(InvalidInput, field="doc_type"):
            service.draft_outgoing(DRAFTER, ORG, _draft(doc_type=bad))
        with expect_raises(InvalidInput, field="drafts[1].doc_type"):
            service.register_issued(REGISTRAR, ORG, [_draft(), _draft(doc_type=bad)])
    _unchanged(service, before, "refused kinds of document")


@refuses("ARC-006")
def drafts_every_kind_of_document(service: ArchivesService) -> None:
    before = _written(service)
    with expect_raises(PermissionDenied):
        service.draft_outgoing(NO_ROLE, ORG, _draft(doc_type="01"))
    _unchanged(service, before, "a draft by someone without the drafter role")
    for number in range(1, 16):
        scenario(doc_type=f"{number:02d}")
        doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft(doc_type=f"{number:02d}")))
        expect_equal((doc.doc_type, doc.state), (f"{number:02d}", "drafting"), what="kind and state")
    expect_equal(len(service.list_documents(DRAFTER, ORG)), 15, what="documents drafted")


@refuses("ARC-007")
def requires_a_copy_number_on_classified_documents(service: ArchivesService) -> None:
    before = _written(service)
    for level in LEVELS[1:]:
        scenario(secrecy=level)
        with expect_raises(InvalidInput, field="copy_number"):
            service.draft_outgoing(DRAFTER, ORG, _draft(secrecy=level, secrecy_period_years=5))
        with expect_raises(InvalidInput, field="drafts[0].copy_number"):
            service.register_issued(REGISTRAR, ORG, [_draft(secrecy=level), _draft()])
    _unchanged(service, before, "classified drafts without a copy number")
    made = _is_document(
        service.draft_outgoing(
            DRAFTER, ORG, _draft(secrecy="MM", secrecy_period_years=5, copy_number="000012")
        )
    )
    expect_equal(
        (made.secrecy, made.copy_number, made.secrecy_period_years), ("MM", "000012", 5), what="elements"
    )
    expect_equal(
        _is_document(service.draft_outgoing(DRAFTER, ORG, _draft())).copy_number, None, what="open copy"
    )


@refuses("ARC-008")
def refuses_a_secrecy_period_without_a_level(service: ArchivesService) -> None:
    before = _written(service)
    with expect_raises(InvalidInput, field="secrecy_period_years"):
        service.draft_outgoing(DRAFTER, ORG, _draft(secrecy_period_years=10))
    with expect_raises(InvalidInput, field="drafts[0].secrecy_period_years"):
        service.register_issued(REGISTRAR, ORG, [_draft(secrecy_period_years=1)])
    _unchanged(service, before, "a secrecy period without a level")


@refuses("ARC-009")
def accepts_only_the_two_urgencies(service: ArchivesService) -> None:
    for good in ("TJ", "JJ"):
        expect_equal(
            _is_document(service.draft_outgoing(DRAFTER, ORG, _draft(urgency=good))).urgency,
            good,
            what="urgency",
        )
    before = _written(service)
    for bad in ("PJ", "特急", "tj"):
        with expect_raises(InvalidInput, field="urgency"):
            service.draft_outgoing(DRAFTER, ORG, _draft(urgency=bad))
    _unchanged(service, before, "refused urgencies")


# -- the outgoing process (Arts 19–24) -----------------------------------------------------------------


@refuses("ARC-010")
def keeps_the_order_of_outgoing_steps(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    ahead: list[tuple[str, Callable[[], object]]] = [
        ("sign_off", lambda: service.sign_off(SIGNER, ORG, doc.id)),
        ("pass_check", lambda: service.pass_check(CHECKER, ORG, doc.id)),
        ("assign_number", lambda: service.assign_number(REGISTRAR, ORG, doc.id)),
        ("print_copies", lambda: service.print_copies(PRINTER, ORG, doc.id, 5)),
        ("issue", lambda: service.issue(ISSUER, ORG, doc.id)),
    ]
    steps: list[tuple[str, Callable[[], object]]] = [
        ("submit", lambda: service.submit(DRAFTER, ORG, doc.id)),
        ("approve_review", lambda: service.approve_review(REVIEWER, ORG, doc.id)),
        *ahead,
    ]
    expected = ["reviewing", "awaiting_signoff", "checking", "registering", "printing", "issuing", "issued"]
    for index, (name, call) in enumerate(steps):
        for later_name, later in steps[index + 1 :]:
            scenario(state=_state(service, doc.id), skipped_to=later_name)
            before = _written(service)
            with expect_raises(ProcessError):
                later()
            _unchanged(service, before, f"{later_name} out of order")
        with step(name):
            call()
        expect_equal(_state(service, doc.id), expected[index], what=f"state after {name}")


@refuses("ARC-011")
def keeps_the_drafter_from_reviewing(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER_2, ORG, _draft()))
    service.submit(DRAFTER_2, ORG, doc.id)
    before = _written(service)
    with expect_raises(PermissionDenied):
        service.approve_review(DRAFTER_2, ORG, doc.id)
    _unchanged(service, before, "the drafter's own review")
    expect_equal(
        _is_document(service.approve_review(REVIEWER, ORG, doc.id)).state, "awaiting_signoff", what="state"
    )


@refuses("ARC-012")
def lets_only_a_signer_sign_off(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    service.submit(DRAFTER, ORG, doc.id)
    service.approve_review(REVIEWER, ORG, doc.id)
    before = _written(service)
    for someone in (DRAFTER, REVIEWER, CHECKER, NO_ROLE):
        scenario(actor=someone.id)
        with expect_raises(PermissionDenied):
            service.sign_off(someone, ORG, doc.id)
    _unchanged(service, before, "sign-off by others")
    signed = _is_document(service.sign_off(SIGNER, ORG, doc.id))
    expect_equal((signed.state, signed.signer), ("checking", SIGNER.name), what="state and signer")


@refuses("ARC-013")
def returns_a_changed_document_to_the_signer(service: ArchivesService) -> None:
    doc = _to_signoff(service, _draft())
    unchanged = _is_document(service.revise(CHECKER, ORG, doc.id, title=doc.title))
    expect_equal(unchanged.state, "checking", what="state after a revision that changes nothing")
    changed = _is_document(service.revise(CHECKER, ORG, doc.id, body=doc.body + "（增加第三条）"))
    expect_equal(changed.state, "awaiting_signoff", what="state after a substantive change")
    before = _written(service)
    with expect_raises(ProcessError):
        service.pass_check(CHECKER, ORG, doc.id)
    _unchanged(service, before, "passing the check of a changed text")
    service.sign_off(SIGNER, ORG, doc.id)
    with expect_raises(InvalidInput, field="reason"):
        service.return_to_signer(CHECKER, ORG, doc.id, "")
    expect_equal(
        _is_document(service.return_to_signer(CHECKER, ORG, doc.id, "请再审阅")).state,
        "awaiting_signoff",
        what="returned",
    )
    service.sign_off(SIGNER, ORG, doc.id)
    expect_equal(_is_document(service.pass_check(CHECKER, ORG, doc.id)).state, "registering", what="state")


@refuses("ARC-014")
def countersigns_before_sign_off(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    service.submit(DRAFTER, ORG, doc.id)
    expect_equal(
        _is_document(service.request_countersign(REVIEWER, ORG, doc.id)).state, "countersigning", what="state"
    )
    before = _written(service)
    with expect_raises(ProcessError):
        service.sign_off(SIGNER, ORG, doc.id)
    with expect_raises(InvalidInput, field="opinion"):
        service.countersign(COUNTERSIGNER, ORG, doc.id, "")
    with expect_raises(PermissionDenied):
        service.countersign(REVIEWER, ORG, doc.id, "同意")
    _unchanged(service, before, "refused sign-off and countersigning")
    expect_equal(
        _is_document(service.countersign(COUNTERSIGNER, ORG, doc.id, "财政厅同意")).state,
        "awaiting_signoff",
        what="state after countersigning",
    )
    returned = _is_document(service.return_to_drafter(SIGNER, ORG, doc.id, "请补充依据"))
    expect_equal(returned.state, "drafting", what="state after return to the drafter")


# -- files ----------------------------------------------------------------------------------------------


def _digests(content: bytes) -> tuple[str, str | None]:
    sm3 = hashlib.new("sm3", content).hexdigest() if "sm3" in hashlib.algorithms_available else None
    return hashlib.sha256(content).hexdigest(), sm3


@refuses("ARC-015")
def stores_files_with_correct_digests(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    rng = scenario_rng()
    contents = [
        "关于做好防汛工作的通知\n正文……".encode(),
        b"",
        bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000))),
        "ئۇقتۇرۇش\r\n".encode(),
    ]
    for index, content in enumerate(contents):
        scenario(file=index, size=len(content))
        stored = service.attach_file(DRAFTER, ORG, doc.id, f"f{index}.bin", content, role="attachment")
        sha256, sm3 = _digests(content)
        expect_equal(stored.sha256, sha256, what="SHA-256 of the stored file")
        if sm3 is not None:
            expect_equal(stored.sm3, sm3, what="SM3 of the stored file")
        expect_equal(stored.size, len(content), what="size")
        expect_equal(service.read_file(DRAFTER, ORG, stored.id), content, what="the file read back")
    before = _written(service)
    with expect_raises(InvalidInput, field="role"):
        service.attach_file(DRAFTER, ORG, doc.id, "x.txt", b"x", role="cover")
    with expect_raises(InvalidInput, field="name"):
        service.attach_file(DRAFTER, ORG, doc.id, "../x.txt", b"x")
    with expect_raises(PermissionDenied):
        service.attach_file(SIGNER, ORG, doc.id, "x.txt", b"x")
    _unchanged(service, before, "refused files")
    expect_equal(
        len(_is_document(service.get_document(DRAFTER, ORG, doc.id)).files), len(contents), what="files"
    )


# -- secrecy (保守国家秘密法) -------------------------------------------------------------------------


def _clearances() -> Iterator[tuple[str, str | None, bool]]:
    """Every secrecy level × every clearance: (level, clearance, may read)."""
    for rank, level in enumerate(LEVELS):
        if level is None:
            continue
        for crank, clearance in enumerate(LEVELS):
            yield level, clearance, crank >= rank


@refuses("ARC-016")
def refuses_a_reader_without_clearance(service: ArchivesService) -> None:
    for level in LEVELS[1:]:
        title = f"{level}级事项的通知"
        secret = _is_document(service.draft_outgoing(DRAFTER, ORG, _classified(level, title=title)))
        for _level, clearance, allowed in (c for c in _clearances() if c[0] == level):
            reader = _actor(f"u-reader-{clearance}", "drafter", clearance=clearance)
            scenario(secrecy=level, clearance=clearance)
            if allowed:
                expect_equal(
                    _is_document(service.get_document(reader, ORG, secret.id)).title, title, what="title read"
                )
            else:
                before = _written(service)
                with expect_raises(ClearanceInsufficient) as caught:
                    service.get_document(reader, ORG, secret.id)
                expect_true(title not in str(caught.value), "the refusal does not show the title")
                _unchanged(service, before, "a refused read")


def _mixed(service: ArchivesService, level: str = "UM") -> tuple[Document, Document]:
    open_doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft(title="关于防汛物资储备的通知")))
    secret = _is_document(
        service.draft_outgoing(
            DRAFTER, ORG, _classified(level, title="关于防汛部署的保密通知", body="防汛部署方案甲")
        )
    )
    return open_doc, secret


@refuses("ARC-017")
def lists_only_what_the_reader_may_read(service: ArchivesService) -> None:
    docs: dict[str | None, Document] = {
        None: _is_document(service.draft_outgoing(DRAFTER, ORG, _draft(title="公开的通知")))
    }
    for level in LEVELS[1:]:
        docs[level] = _is_document(
            service.draft_outgoing(DRAFTER, ORG, _classified(level, title=f"{level}的通知"))
        )
    for rank, clearance in enumerate(LEVELS):
        scenario(clearance=clearance)
        reader = _actor(f"u-list-{clearance}", "drafter", clearance=clearance)
        expected = sorted(docs[level].id for level in LEVELS[: rank + 1])
        expect_equal(
            sorted(d.id for d in service.list_documents(reader, ORG)), expected, what="listed documents"
        )
        expect_equal(
            sorted(d.id for d in service.list_documents(reader, ORG, state="drafting")),
            expected,
            what="listed by state",
        )
    with expect_raises(OrganizationDenied):
        service.list_documents(OTHER["drafter"], ORG)


@refuses("ARC-018")
def searches_only_what_the_reader_may_read(service: ArchivesService) -> None:
    for level in LEVELS[1:]:
        _open_doc, secret = _mixed(service, level)
        for rank, clearance in enumerate(LEVELS):
            reader = _actor(f"u-search-{clearance}", "drafter", clearance=clearance)
            may = rank >= LEVELS.index(level)
            for text in ("防汛", "保密通知", "部署方案甲", "甲"):
                scenario(secrecy=level, clearance=clearance, text=text)
                hits = [h.id for h in service.search(reader, ORG, text)]
                expect_equal(secret.id in hits, may, what=f"the {level} document among the hits for {text!r}")
    with expect_raises(InvalidInput, field="text"):
        service.search(DRAFTER, ORG, "   ")
    with expect_raises(OrganizationDenied):
        service.search(OTHER["drafter"], ORG, "防汛")


@refuses("ARC-019")
def finds_chinese_words_in_titles_and_bodies(service: ArchivesService) -> None:
    before = _written(service)
    for bad in ("", "  ", "防\x00汛"):
        scenario(text=repr(bad))
        with expect_raises(InvalidInput, field="text"):
            service.search(DRAFTER, ORG, bad)
    _unchanged(service, before, "refused searches")
    flood = _is_document(
        service.draft_outgoing(DRAFTER, ORG, _draft(title="关于做好防汛工作的通知", body="加强堤防巡查"))
    )
    heat = _is_document(
        service.draft_outgoing(DRAFTER, ORG, _draft(title="关于冬季供暖的通知", body="保障居民供暖"))
    )
    theirs = _is_document(
        service.draft_outgoing(OTHER["drafter"], OTHER_ORG, _draft(title="关于防汛值班的通知"))
    )
    for text, expected in (
        ("防汛", [flood.id]),
        ("堤防巡查", [flood.id]),
        ("供暖", [heat.id]),
        ("汛", [flood.id]),
        ("的通知", [heat.id, flood.id]),
        ("地震", []),
        ("100%", []),
    ):
        scenario(text=text)
        expect_equal(
            sorted(h.id for h in service.search(DRAFTER, ORG, text)),
            sorted(expected),
            what=f"hits for {text!r}",
        )
    expect_equal(
        [h.id for h in service.search(OTHER["drafter"], OTHER_ORG, "防汛")],
        [theirs.id],
        what="other org's hits",
    )


@refuses("ARC-020")
def reports_expired_secrecy_periods(service: ArchivesService) -> None:
    rng = scenario_rng()
    days = [
        date(2024, 2, 29),
        date(2023, 12, 31),
        date(2024, 1, 1),
        date(rng.randint(2001, 2020), rng.randint(1, 12), rng.randint(1, 28)),
    ]
    drafts = [
        _draft(secrecy="MM", secrecy_period_years=5, copy_number=f"{i:06d}", written_on=d)
        for i, d in enumerate(days, 1)
    ]
    with step("register classified documents with their dates (bulk path)"):
        service.register_issued(REGISTRAR, ORG, drafts)
    listed = {d.title: d.id for d in service.list_documents(EVERYONE, ORG)}
    ids = sorted(d.id for d in service.list_documents(EVERYONE, ORG))
    expect_equal(len(ids), 4, what="registered documents")
    for registered_id, day in zip(ids, days, strict=True):
        try:
            end = day.replace(year=day.year + 5)
        except ValueError:
            end = date(day.year + 5, 3, 1)
        for on, expired in ((end - timedelta(days=1), False), (end, True), (end + timedelta(days=1), True)):
            scenario(classified_on=day.isoformat(), on=on.isoformat())
            found = registered_id in [d.id for d in service.expired_secrecy(EVERYONE, ORG, on)]
            expect_equal(found, expired, what="reported as expired")
            low = registered_id in [d.id for d in service.expired_secrecy(PUBLIC, ORG, on)]
            expect_equal(low, False, what="reported to a reader below clearance")
    del listed
    with expect_raises(OrganizationDenied):
        service.expired_secrecy(OTHER["drafter"], ORG, date(2040, 1, 1))


# -- incoming documents (Art. 24(二)) ----------------------------------------------------------------


def _incoming(service: ArchivesService, org: str = ORG, **changes: Any) -> Document:
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
    with step("sign for an incoming document"):
        return _is_document(service.receive_incoming(_people(org)["clerk"], org, IncomingDraft(**values)))


def _to_handling(
    service: ArchivesService, doc: Document, lead_unit: str = "安监科", due_on: date | None = None
) -> Document:
    with step("register, review, propose, instruct and assign"):
        service.register_incoming(CLERK, ORG, doc.id)
        service.pass_review(CLERK, ORG, doc.id)
        service.propose_handling(SECRETARY, ORG, doc.id, "拟请安监科办理")
        service.instruct(LEADER, ORG, doc.id, "同意，抓紧落实")
        return _is_document(service.assign_handling(SECRETARY, ORG, doc.id, lead_unit, due_on=due_on))


@refuses("ARC-021")
def signs_for_and_may_return_an_incoming_document(service: ArchivesService) -> None:
    doc = _incoming(service)
    expect_equal(doc.state, "signed_for", what="state")
    expect_true(doc.received_at is not None, "the time of signing for is recorded", observed=doc.received_at)
    expect_equal(doc.document_number, "新应急发〔2025〕8号", what="normalised document number")
    before = _written(service)
    with expect_raises(PermissionDenied):
        service.receive_incoming(
            DRAFTER, ORG, IncomingDraft(doc_type="08", title="t", body="b", sender="s", fonds="X001")
        )
    service.register_incoming(CLERK, ORG, doc.id)
    before = _written(service)
    with expect_raises(InvalidInput, field="reason"):
        service.return_to_sender(CLERK, ORG, doc.id, "")
    _unchanged(service, before, "a return without a reason")
    returned = _is_document(service.return_to_sender(CLERK, ORG, doc.id, "不属于本机关职权范围"))
    expect_equal(
        (returned.state, returned.return_reason), ("returned", "不属于本机关职权范围"), what="returned"
    )


@refuses("ARC-022")
def needs_a_deadline_for_urgent_documents(service: ArchivesService) -> None:
    for urgency in ("TJ", "JJ"):
        scenario(urgency=urgency)
        urgent = _incoming(service, urgency=urgency)
        before = _written(service)
        with expect_raises(ProcessError):
            _to_handling(service, urgent)
        expect_equal(_state(service, urgent.id), "instructed", what="state after a refused assignment")
        assigned = _is_document(
            service.assign_handling(SECRETARY, ORG, urgent.id, "安监科", due_on=date(2025, 7, 1))
        )
        expect_equal(
            (assigned.state, assigned.due_on, assigned.lead_unit),
            ("handling", date(2025, 7, 1), "安监科"),
            what="assigned",
        )
        del before
    ordinary = _incoming(service)
    with expect_raises(InvalidInput, field="lead_unit"):
        _to_handling(service, ordinary, lead_unit="")
    expect_equal(
        _state(service, ordinary.id), "instructed", what="state after an assignment without a lead unit"
    )
    expect_equal(
        _is_document(service.assign_handling(SECRETARY, ORG, ordinary.id, "安监科")).state,
        "handling",
        what="ordinary",
    )


@refuses("ARC-023")
def lists_overdue_documents_for_chasing(service: ArchivesService) -> None:
    rng = scenario_rng()
    due = date(rng.randint(2020, 2030), rng.randint(1, 12), 1) - timedelta(days=1)  # a month's last day
    scenario(due_on=due.isoformat())
    late = _to_handling(service, _incoming(service, urgency="JJ"), due_on=due)
    for on, overdue in ((due - timedelta(days=1), False), (due, False), (due + timedelta(days=1), True)):
        scenario(due_on=due.isoformat(), on=on.isoformat())
        found = [d.id for d in service.overdue_incoming(HANDLER, ORG, on)]
        expect_equal(late.id in found, overdue, what="on the chase list")
    before = _trail(service, "incoming_document", late.id)
    with expect_raises(PermissionDenied):
        service.chase(HANDLER, ORG, late.id, "请答复")
    expect_equal(
        _trail(service, "incoming_document", late.id), before, what="audit trail after a refused chase"
    )
    expect_equal(service.chase(SECRETARY, ORG, late.id, "请于本周内答复"), 1, what="chases")
    expect_equal(service.chase(SECRETARY, ORG, late.id), 2, what="chases")
    expect_equal(
        _changes(service, "incoming_document", late.id).count("chase"), 2, what="chases in the audit trail"
    )
    service.reply(HANDLER, ORG, late.id, "已处理")
    expect_equal(
        late.id in [d.id for d in service.overdue_incoming(HANDLER, ORG, due + timedelta(days=30))],
        False,
        what="replied is not overdue",
    )


@refuses("ARC-024")
def takes_an_incoming_document_through_every_step(service: ArchivesService) -> None:
    doc = _incoming(service)
    before = _written(service)
    with expect_raises(ProcessError):
        service.instruct(LEADER, ORG, doc.id, "同意")
    with expect_raises(ProcessError):
        service.submit(DRAFTER, ORG, doc.id)
    _unchanged(service, before, "steps out of order")
    doc = _to_handling(service, doc)
    service.circulate(HANDLER, ORG, doc.id, ["副厅长"])
    service.reply(HANDLER, ORG, doc.id, "已部署检查")
    closed = _is_document(service.close_handling(HANDLER, ORG, doc.id))
    expect_equal((closed.state, closed.reply), ("closed", "已部署检查"), what="closed")
    item = service.file_document(ARCHIVIST, ORG, doc.id)
    expect_equal(_state(service, doc.id), "filed", what="state after filing")
    expect_equal(parse_archival_code(item.archival_code).fonds, "X001", what="fonds")


# -- filing (DA/T 22-2015) ------------------------------------------------------------------------


@refuses("ARC-025")
def files_items_under_archival_codes(service: ArchivesService) -> None:
    rng = scenario_rng()
    year = rng.randint(2001, 2030)
    scenario(year=year)
    doc = _issue(service, _draft(doc_type="02", written_on=date(year, 12, 31)))
    before = _written(service)
    with expect_raises(PermissionDenied):
        service.file_document(CLERK, ORG, doc.id, retention="Y")
    _unchanged(service, before, "filing by a clerk")
    item = service.file_document(ARCHIVIST, ORG, doc.id, retention="Y")
    expect_equal(item.archival_code, f"X001-WS·{year}-Y-BGS-0001", what="archival code")
    parsed = parse_archival_code(item.archival_code)
    expect_equal(
        (parsed.category, parsed.year, parsed.retention, parsed.organisation),
        ("WS", year, "Y", "BGS"),
        what="parts",
    )
    plain = _issue(service, _draft(organisation=None, written_on=date(year, 1, 1)))
    expect_equal(
        service.file_document(ARCHIVIST, ORG, plain.id, retention="D10").archival_code,
        f"X001-WS·{year}-D10-0001",
        what="code",
    )


@refuses("ARC-026")
def numbers_items_within_their_class(service: ArchivesService) -> None:
    codes = []
    for retention, year in (("D30", 2025), ("D30", 2025), ("D10", 2025), ("D30", 2024), ("D30", 2025)):
        doc = _issue(service, _draft(written_on=date(year, 3, 1)))
        codes.append(service.file_document(ARCHIVIST, ORG, doc.id, retention=retention).archival_code)
    theirs = _issue(service, _draft(written_on=date(2025, 3, 1)), OTHER_ORG)
    other_code = service.file_document(
        OTHER["archivist"], OTHER_ORG, theirs.id, retention="D30"
    ).archival_code
    expect_equal(
        codes,
        [
            "X001-WS·2025-D30-BGS-0001",
            "X001-WS·2025-D30-BGS-0002",
            "X001-WS·2025-D10-BGS-0001",
            "X001-WS·2024-D30-BGS-0001",
            "X001-WS·2025-D30-BGS-0003",
        ],
        what="archival codes in order",
    )
    expect_equal(other_code, "X001-WS·2025-D30-BGS-0001", what="the other organisation's first code")
    before = _written(service)
    with expect_raises(OrganizationDenied):
        service.file_document(OTHER["archivist"], ORG, theirs.id)
    _unchanged(service, before, "filing by another organisation")


@refuses("ARC-027")
def accepts_only_the_three_retention_periods(service: ArchivesService) -> None:
    doc = _issue(service, _draft())
    before = _written(service)
    for bad in ("D5", "长期", "C", "d30", ""):
        scenario(retention=bad)
        with expect_raises(InvalidInput, field="retention"):
            service.file_document(ARCHIVIST, ORG, doc.id, retention=bad)
    _unchanged(service, before, "refused retention periods")
    for good in ("D30",):
        expect_equal(
            service.file_document(ARCHIVIST, ORG, doc.id, retention=good).retention, good, what="retention"
        )


def _old_item(
    service: ArchivesService,
    retention: str = "D10",
    year: int = 2010,
    level: str | None = None,
    org: str = ORG,
) -> ArchivalItem:
    doc = _issue(
        service, _classified(level, written_on=date(year, 5, 1), title=f"{level or '公开'}事项{year}"), org
    )
    with step("file the document"):
        return _is_item(service.file_document(_people(org)["archivist"], org, doc.id, retention=retention))


@refuses("ARC-028")
def lists_expired_items_for_appraisal(service: ArchivesService) -> None:
    rng = scenario_rng()
    year = rng.randint(2000, 2012)
    scenario(year=year)
    expired = _old_item(service, "D10", year)
    permanent = _old_item(service, "Y", year)
    young = _old_item(service, "D30", year)
    due_day = date(year + 11, 1, 1)
    for on, listed in (
        (due_day - timedelta(days=1), []),
        (due_day, [expired.id]),
        (due_day + timedelta(days=1), [expired.id]),
    ):
        scenario(year=year, on=on.isoformat())
        expect_equal(
            [i.id for i in service.items_due_for_appraisal(ARCHIVIST, ORG, on)], listed, what="items due"
        )
    before = _changes(service, "archival_item", permanent.id)
    for item in (permanent, young):
        with expect_raises(ProcessError):
            service.list_for_appraisal(ARCHIVIST, ORG, item.id)
    with expect_raises(PermissionDenied):
        service.list_for_appraisal(CLERK, ORG, expired.id)
    expect_equal(
        _changes(service, "archival_item", permanent.id), before, what="audit trail of a refused listing"
    )
    expect_equal(service.get_item(ARCHIVIST, ORG, young.id).state, "in_custody", what="state of a young item")
    expect_equal(service.list_for_appraisal(ARCHIVIST, ORG, expired.id).state, "appraisal", what="state")


@refuses("ARC-029")
def destroys_only_with_a_second_approver(service: ArchivesService) -> None:
    item = _old_item(service)
    service.list_for_appraisal(ARCHIVIST, ORG, item.id)
    service.propose_destruction(APPROVER, ORG, item.id)
    before = _changes(service, "archival_item", item.id)
    with expect_raises(PermissionDenied):
        service.approve_destruction(APPROVER, ORG, item.id)
    with expect_raises(PermissionDenied):
        service.approve_destruction(ARCHIVIST, ORG, item.id)
    expect_equal(
        _changes(service, "archival_item", item.id), before, what="audit trail after refused approvals"
    )
    expect_equal(service.destruction_register(APPROVER, ORG), [], what="destruction register after refusals")
    other = _actor("u-approver2", "approver")
    expect_equal(service.approve_destruction(other, ORG, item.id).state, "destroyed", what="state")
    register = service.destruction_register(APPROVER, ORG)
    expect_equal(
        [(e.archival_code, e.proposed_by, e.approved_by, e.title) for e in register],
        [(item.archival_code, APPROVER.id, other.id, item.title)],
        what="destruction register",
    )
    expect_equal(
        service.destruction_register(OTHER["archivist"], OTHER_ORG), [], what="the other org's register"
    )


@refuses("ARC-030")
def never_destroys_under_legal_hold(service: ArchivesService) -> None:
    item = _old_item(service)
    service.list_for_appraisal(ARCHIVIST, ORG, item.id)
    with expect_raises(InvalidInput, field="reason"):
        service.place_hold(ARCHIVIST, ORG, item.id, " ")
    expect_equal(service.place_hold(ARCHIVIST, ORG, item.id, "诉讼证据保全").legal_hold, True, what="hold")
    with expect_raises(ProcessError):
        service.propose_destruction(APPRAISER, ORG, item.id)
    service.release_hold(ARCHIVIST, ORG, item.id)
    service.propose_destruction(APPRAISER, ORG, item.id)
    service.place_hold(ARCHIVIST, ORG, item.id, "审计调阅")
    before = _changes(service, "archival_item", item.id)
    with expect_raises(ProcessError):
        service.approve_destruction(APPROVER, ORG, item.id)
    expect_equal(
        _changes(service, "archival_item", item.id), before, what="audit trail after a refused destruction"
    )
    expect_equal(service.destruction_register(APPROVER, ORG), [], what="destruction register")
    expect_equal(service.get_item(ARCHIVIST, ORG, item.id).state, "destruction_proposed", what="state")
    actions = _changes(service, "archival_item", item.id)
    expect_equal(actions.count("legal-hold"), 2, what="legal holds in the audit trail")
    expect_equal(actions.count("legal-hold-released"), 1, what="releases in the audit trail")


@refuses("ARC-031")
def keeps_an_appraised_item_longer(service: ArchivesService) -> None:
    item = _old_item(service)
    service.list_for_appraisal(ARCHIVIST, ORG, item.id)
    before = _changes(service, "archival_item", item.id)
    for bad in (0, -1):
        with expect_raises(InvalidInput, field="years"):
            service.keep_longer(APPRAISER, ORG, item.id, bad)
    expect_equal(_changes(service, "archival_item", item.id), before, what="audit trail after refused keeps")
    kept = service.keep_longer(APPRAISER, ORG, item.id, 10)
    expect_equal(kept.state, "in_custody", what="state")
    expect_true(
        kept.expires_on is not None and kept.expires_on > date.today() + timedelta(days=365 * 9),
        "the item is kept about ten more years",
        observed=kept.expires_on,
    )
    expect_equal(
        item.id in [i.id for i in service.items_due_for_appraisal(ARCHIVIST, ORG, date.today())],
        False,
        what="due",
    )


# -- packages (RFC 8493) -------------------------------------------------------------------------------


def _bag(service: ArchivesService, folder: str, level: str | None = None) -> tuple[Path, ArchivalItem, bytes]:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _classified(level)))
    body = "关于做好防汛工作的通知（正文）\r\n第二行\u3000".encode()
    service.attach_file(DRAFTER, ORG, doc.id, "正文.txt", body, role="body", media_type="text/plain")
    service.submit(DRAFTER, ORG, doc.id)
    service.approve_review(REVIEWER, ORG, doc.id)
    service.sign_off(SIGNER, ORG, doc.id)
    service.pass_check(CHECKER, ORG, doc.id)
    service.assign_number(REGISTRAR, ORG, doc.id)
    service.print_copies(PRINTER, ORG, doc.id, 3)
    service.issue(ISSUER, ORG, doc.id)
    item = _is_item(service.file_document(ARCHIVIST, ORG, doc.id))
    path = service.export_package(ARCHIVIST, ORG, [item.id], Path(folder) / "bag")
    return Path(path), item, body


@refuses("ARC-032")
def exports_a_valid_bag(service: ArchivesService) -> None:
    import bagit

    expect_equal(service.capabilities().part, "archives", what="part")
    with tempfile.TemporaryDirectory(prefix="arc-bag-") as folder:
        path, item, body = _bag(service, folder)
        bag = bagit.Bag(str(path))
        bag.validate()
        expect_true("sha256" in bag.algorithms, "the bag has a SHA-256 manifest", observed=bag.algorithms)
        lines = (path / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
        expect_true(
            any(line.startswith(hashlib.sha256(body).hexdigest()) for line in lines),
            "the body is in the manifest",
        )
        before = _trail(service, "archival_package", f"{ORG}/bag2")
        with expect_raises(PermissionDenied):
            service.export_package(CLERK, ORG, [item.id], Path(folder) / "bag2")
        expect_equal((Path(folder) / "bag2").exists(), False, what="a refused export left a folder")
        with expect_raises(InvalidInput, field="item_ids"):
            service.export_package(ARCHIVIST, ORG, [], Path(folder) / "bag2")
        expect_equal(
            _trail(service, "archival_package", f"{ORG}/bag2"), before, what="audit of refused exports"
        )
        if "sm3" not in hashlib.algorithms_available:
            raise SkipCheck("this platform's OpenSSL has no SM3")
        expect_true((path / "manifest-sm3.txt").is_file(), "the bag has manifest-sm3.txt")
        sm3 = (path / "manifest-sm3.txt").read_text(encoding="utf-8").splitlines()
        expect_true(
            any(line.startswith(hashlib.new("sm3", body).hexdigest()) for line in sm3),
            "the body is in manifest-sm3",
        )
        expect_equal(len(sm3), len(lines), what="lines of the SM3 and SHA-256 manifests")


@refuses("ARC-033")
def refuses_a_tampered_bag(service: ArchivesService) -> None:
    with tempfile.TemporaryDirectory(prefix="arc-bag-") as folder:
        path, _item, _body = _bag(service, folder)
        target = next(p for p in (path / "data").rglob("*") if p.is_file() and p.name != "metadata.json")
        original = target.read_bytes()
        name = path.name
        for tampered in (original + b"x", original[:-1], bytes([original[0] ^ 1]) + original[1:]):
            scenario(tampering=len(tampered) - len(original))
            target.write_bytes(tampered)
            with expect_raises(IntegrityViolation, field="package"):
                service.import_package(ARCHIVIST, ORG, path)
            expect_equal(
                _trail(service, "archival_package", f"{ORG}/{name}", ORG)[1:], [], what="imports recorded"
            )
        target.write_bytes(original)
        expect_true(service.import_package(ARCHIVIST, ORG, path).files >= 2, "the repaired bag is accepted")


# -- catalogue ------------------------------------------------------------------------------------------


@refuses("ARC-034")
def lists_the_filing_catalogue(service: ArchivesService) -> None:
    titles = ["关于甲事项的通知", "关于乙事项的通知", "关于丙事项的通知"]
    docs = [_issue(service, _draft(title=t, organ_code="新政办发")) for t in titles]
    for doc in docs:
        service.file_document(ARCHIVIST, ORG, doc.id, retention="D30")
    catalogue = service.filing_catalogue(ARCHIVIST, ORG, "X001", 2025)
    expect_equal([e.item_number for e in catalogue], [1, 2, 3], what="item numbers")
    expect_equal([e.title for e in catalogue], titles, what="titles")
    expect_equal(
        [e.document_number for e in catalogue], [d.document_number for d in docs], what="document numbers"
    )
    expect_equal(
        {(e.responsible, e.date) for e in catalogue},
        {("新疆维吾尔自治区人民政府办公厅", date(2025, 6, 3))},
        what="responsible and date",
    )
    expect_equal(catalogue[0].archival_code, "X001-WS·2025-D30-BGS-0001", what="first archival code")
    expect_equal(service.filing_catalogue(ARCHIVIST, ORG, "X001", 2024), [], what="another year's catalogue")
    with expect_raises(OrganizationDenied):
        service.filing_catalogue(OTHER["archivist"], ORG, "X001", 2025)


@refuses("ARC-035")
def withholds_secret_titles_from_the_catalogue(service: ArchivesService) -> None:
    for level in LEVELS[1:]:
        title = f"关于某{level}事项的决定"
        doc = _issue(service, _classified(level, title=title, organisation=level))
        service.file_document(ARCHIVIST, ORG, doc.id)
        for rank, clearance in enumerate(LEVELS):
            scenario(secrecy=level, clearance=clearance)
            reader = _actor(f"u-cat-{clearance}", "archivist", clearance=clearance)
            entries = [e for e in service.filing_catalogue(reader, ORG, "X001", 2025) if e.secrecy == level]
            expect_equal(len(entries), 1, what="catalogue rows of the item")
            may = rank >= LEVELS.index(level)
            expect_equal(entries[0].title, title if may else "", what="title shown")


@refuses("ARC-036")
def reports_an_unknown_document(service: ArchivesService) -> None:
    theirs = _is_document(service.draft_outgoing(OTHER["drafter"], OTHER_ORG, _draft(title="他单位的通知")))
    before = _written(service)
    for missing in (987654, theirs.id):
        scenario(document_id=missing)
        with expect_raises(NotFound) as caught:
            service.get_document(DRAFTER, ORG, missing)
        expect_true("他单位" not in str(caught.value), "the error does not show the other org's title")
        with expect_raises(NotFound):
            service.submit(DRAFTER, ORG, missing)
        with expect_raises(NotFound):
            service.get_item(ARCHIVIST, ORG, missing)
    _unchanged(service, before, "calls on unknown documents")
    expect_equal(_state(service, theirs.id, OTHER_ORG), "drafting", what="the other org's document")


@refuses("ARC-037")
def issues_only_numbered_and_printed_documents(service: ArchivesService) -> None:
    doc = _to_numbered(service, _draft())
    before = _written(service)
    bads: tuple[Any, ...] = (0, -3, "twenty", True, 1.5)
    for bad in bads:
        scenario(copies=repr(bad))
        with expect_raises(InvalidInput, field="copies"):
            service.print_copies(PRINTER, ORG, doc.id, bad)
    with expect_raises(ProcessError):
        service.issue(ISSUER, ORG, doc.id)
    _unchanged(service, before, "refused printing and issue")
    expect_equal(_state(service, doc.id), "printing", what="state")
    service.print_copies(PRINTER, ORG, doc.id, 1)
    issued = _is_document(service.issue(ISSUER, ORG, doc.id))
    expect_equal(
        (issued.state, issued.copies, bool(issued.document_number)), ("issued", 1, True), what="issued"
    )


@refuses("ARC-038")
def records_every_read(service: ArchivesService) -> None:
    open_doc, secret = _mixed(service)
    service.get_document(PUBLIC, ORG, open_doc.id)
    with expect_raises(ClearanceInsufficient):
        service.get_document(PUBLIC, ORG, secret.id)
    service.get_document(DRAFTER, ORG, secret.id)
    stored = service.attach_file(DRAFTER, ORG, secret.id, "正文.txt", b"secret body")
    with expect_raises(ClearanceInsufficient):
        service.read_file(CONFIDENTIAL_ONLY, ORG, stored.id)
    service.read_file(DRAFTER, ORG, stored.id)
    with expect_raises(PermissionDenied):
        service.access_log(PUBLIC, ORG, secret.id)
    reads = [(r.actor_id, r.allowed) for r in service.access_log(AUDITOR, ORG, secret.id)]
    expect_equal(
        reads,
        [
            (PUBLIC.id, False),
            (DRAFTER.id, True),
            (DRAFTER.id, True),
            (CONFIDENTIAL_ONLY.id, False),
            (DRAFTER.id, True),
        ],
        what="access log of the classified document",
    )
    expect_equal(
        [(r.actor_id, r.allowed) for r in service.access_log(AUDITOR, ORG, open_doc.id)],
        [(PUBLIC.id, True)],
        what="open log",
    )


# -- organisations -------------------------------------------------------------------------------------


@refuses("ARC-039")
def keeps_organisations_apart(service: ArchivesService) -> None:
    mine = _to_numbered(service, _draft(title="关于本单位防汛值班的通知"))
    theirs = _to_numbered(service, _draft(title="关于他单位防汛值班的通知"), OTHER_ORG)
    expect_equal(
        (_number(mine), _number(theirs)),
        ("新政办发〔2025〕1号", "新政办发〔2025〕1号"),
        what="per-org sequences",
    )
    intruder = _actor("u-intruder", *ROLES, org=OTHER_ORG)
    before = _written(service)
    trail = _trail(service, "outgoing_document", mine.id)
    for name, call in (
        ("get_document", lambda: service.get_document(intruder, ORG, mine.id)),
        ("revise", lambda: service.revise(intruder, ORG, mine.id, title="改")),
        ("print_copies", lambda: service.print_copies(intruder, ORG, mine.id, 3)),
        ("list_documents", lambda: service.list_documents(intruder, ORG)),
        ("search", lambda: service.search(intruder, ORG, "防汛")),
        ("issued_numbers", lambda: service.issued_numbers(intruder, ORG, "新政办发", 2025)),
        ("access_log", lambda: service.access_log(intruder, ORG, mine.id)),
        ("register_issued", lambda: service.register_issued(intruder, ORG, [_draft()])),
        ("draft_outgoing", lambda: service.draft_outgoing(intruder, ORG, _draft())),
    ):
        scenario(operation=name)
        with expect_raises(OrganizationDenied) as caught:
            call()
        expect_true("本单位" not in str(caught.value), "the refusal does not show the title")
    _unchanged(service, before, "calls by another organisation")
    expect_equal(_trail(service, "outgoing_document", mine.id), trail, what="audit trail after foreign calls")
    with expect_raises(NotFound):
        service.get_document(OTHER["drafter"], OTHER_ORG, mine.id)
    expect_equal(
        [n.document_id for n in service.issued_numbers(REGISTRAR, ORG, "新政办发", 2025)],
        [mine.id],
        what="numbers",
    )
    expect_equal(
        [d.id for d in service.search(OTHER["drafter"], OTHER_ORG, "防汛")], [theirs.id], what="their search"
    )


def _classified_item(service: ArchivesService, level: str) -> tuple[ArchivalItem, str]:
    title = f"关于边境防控部署的{level}通知"
    doc = _issue(service, _classified(level, title=title, written_on=date(2010, 5, 1)))
    return _is_item(service.file_document(ARCHIVIST, ORG, doc.id, retention="D10")), title


@refuses("ARC-040")
def checks_clearance_before_appraising_classified_items(service: ArchivesService) -> None:
    for level in LEVELS[1:]:
        item, title = _classified_item(service, level)
        rank = LEVELS.index(level)
        low = _actor(f"u-low-{level}", "archivist", "appraiser", "approver", clearance=LEVELS[rank - 1])
        exactly = _actor(f"u-at-{level}", "archivist", "appraiser", clearance=level)
        scenario(secrecy=level, clearance=LEVELS[rank - 1])
        before = _changes(service, "archival_item", item.id)
        for name, call in (
            (
                "place_hold",
                lambda low=low, item=item, level=level: service.place_hold(low, ORG, item.id, "诉讼证据保全"),
            ),
            ("release_hold", lambda low=low, item=item, level=level: service.release_hold(low, ORG, item.id)),
            (
                "list_for_appraisal",
                lambda low=low, item=item, level=level: service.list_for_appraisal(low, ORG, item.id),
            ),
            ("get_item", lambda low=low, item=item, level=level: service.get_item(low, ORG, item.id)),
            (
                "export_package",
                lambda low=low, item=item, level=level: service.export_package(
                    low, ORG, [item.id], Path(tempfile.gettempdir()) / f"never-{level}"
                ),
            ),
        ):
            scenario(secrecy=level, operation=name)
            with expect_raises(ClearanceInsufficient) as caught:
                call()
            expect_true(title not in str(caught.value), "the refusal does not show the title")
        expect_equal(
            _changes(service, "archival_item", item.id),
            before,
            what="audit trail after refused appraisal steps",
        )
        current = service.get_item(ARCHIVIST, ORG, item.id)
        expect_equal((current.legal_hold, current.state), (False, "in_custody"), what="item after refusals")
        expect_equal(
            service.place_hold(exactly, ORG, item.id, "诉讼证据保全").title, title, what="title at clearance"
        )
        expect_equal(service.release_hold(exactly, ORG, item.id).legal_hold, False, what="released")
        service.list_for_appraisal(exactly, ORG, item.id)
        service.propose_destruction(exactly, ORG, item.id)
        with expect_raises(ClearanceInsufficient):
            service.approve_destruction(
                _actor(f"u-low-appr-{level}", "approver", clearance=LEVELS[rank - 1]), ORG, item.id
            )
        service.approve_destruction(APPROVER, ORG, item.id)
        masked = [e for e in service.destruction_register(low, ORG) if e.archival_code == item.archival_code]
        expect_equal(
            [(e.title, e.withheld) for e in masked], [("", True)], what="register row below clearance"
        )
        shown = [
            e for e in service.destruction_register(exactly, ORG) if e.archival_code == item.archival_code
        ]
        expect_equal([e.title for e in shown], [title], what="register row at clearance")
        reads = [
            (r.actor_id, r.allowed)
            for r in service.access_log(AUDITOR, ORG, item.document_id)
            if r.actor_id == low.id
        ]
        expect_true(
            len(reads) >= 6 and not any(a for _, a in reads),
            "every refused read of the low actor is logged",
            observed=reads,
        )
    with expect_raises(PermissionDenied):
        service.destruction_register(NO_ROLE, ORG)


# -- observability, bulk paths, round trips, access control --------------------------------------------


@refuses("ARC-041")
def audits_every_change(service: ArchivesService) -> None:
    doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _draft()))
    service.attach_file(DRAFTER, ORG, doc.id, "正文.txt", b"text")
    service.revise(DRAFTER, ORG, doc.id, title="关于做好防汛工作的补充通知")
    service.submit(DRAFTER, ORG, doc.id)
    process = _trail(service, "outgoing_document", doc.id)
    expect_equal(len(process), 2, what="process records (create, submit)")
    expect_equal({a for a, _ in process[1:]}, {"transition"}, what="submit recorded as a transition")
    expect_equal([a for a, _ in process], [process[0][0], "transition"], what="process trail")
    expect_equal([x for x in process if x[1] == DRAFTER.id], process, what="actor of the records")
    document = [a for a, _ in _trail(service, "document", doc.id)]
    for action in ("attach-file", "revise"):
        expect_true(action in document, f"{action} is in the audit trail", observed=document)
    numbers = service.register_issued(REGISTRAR, ORG, [_draft(), _draft()])
    registered = [d.id for d in service.list_documents(EVERYONE, ORG, state="issued")]
    expect_equal(len(registered), len(numbers), what="registered documents")
    for doc_id in registered:
        expect_equal(
            [a for a, _ in _trail(service, "outgoing_document", doc_id)],
            ["register-issued"],
            what="bulk audit",
        )
    with expect_raises(PermissionDenied):
        service.audit_trail(DRAFTER, ORG, "outgoing_document", str(doc.id))
    with expect_raises(InvalidInput, field="entity"):
        service.audit_trail(AUDITOR, ORG, "person", str(doc.id))
    with expect_raises(NotFound):
        service.audit_trail(AUDITOR, ORG, "outgoing_document", "999999")
    with expect_raises(OrganizationDenied):
        service.audit_trail(OTHER["auditor"], ORG, "outgoing_document", str(doc.id))
    expect_equal(
        len(_trail(service, "outgoing_document", doc.id)), 2, what="trail unchanged by refused reads"
    )


@refuses("ARC-042")
def publishes_issue_and_filing(service: ArchivesService) -> None:
    secret = _issue(service, _classified("JM", title="关于机密事项的通知"))
    public = _issue(service, _draft(title="关于公开事项的通知"))
    theirs = _issue(service, _draft(title="他单位的通知"), OTHER_ORG)
    issued = service.published_events(AUDITOR, ORG, type="cn.govparts.archives.document.issued.v1")
    expect_equal(
        [e.subject for e in issued],
        [f"outgoing_document/{secret.id}", f"outgoing_document/{public.id}"],
        what="issue events",
    )
    payloads = [dict(e.data) for e in issued]
    expect_equal(
        [p.get("title") for p in payloads], [None, "关于公开事项的通知"], what="titles in the events"
    )
    expect_equal(
        [p.get("document_number") for p in payloads],
        [secret.document_number, public.document_number],
        what="numbers",
    )
    expect_true("机密事项" not in str(payloads), "no classified title in any event")
    before = _written(service)
    with expect_raises(PermissionDenied):
        service.file_document(DRAFTER, ORG, public.id)
    with expect_raises(PermissionDenied):
        service.published_events(DRAFTER, ORG)
    _unchanged(service, before, "a refused filing")
    item = service.file_document(ARCHIVIST, ORG, public.id)
    filed = service.published_events(AUDITOR, ORG, type="cn.govparts.archives.document.filed.v1")
    expect_equal(
        [(e.subject, dict(e.data).get("archival_code")) for e in filed],
        [(f"outgoing_document/{public.id}", item.archival_code)],
        what="filed events",
    )
    expect_equal(len(service.published_events(AUDITOR, ORG)), 3, what="all events of the organisation")
    expect_equal(
        [e.subject for e in service.published_events(OTHER["auditor"], OTHER_ORG)],
        [f"outgoing_document/{theirs.id}"],
        what="theirs",
    )


@refuses("ARC-043")
def registers_in_bulk_by_the_same_rules(service: ArchivesService) -> None:
    rng = scenario_rng()
    year = rng.randint(2001, 2030)
    scenario(year=year)
    single = _to_numbered(service, _draft(organ_code="新政发", written_on=date(year, 1, 1)))
    expect_equal(_number(single), f"新政发〔{year}〕1号", what="the single path's number")
    count = rng.randint(3, 12)
    drafts = [
        _draft(organ_code=("新政发" if i % 2 else "新政函"), written_on=date(year, 12, 31))
        for i in range(count)
    ]
    numbers = service.register_issued(REGISTRAR, ORG, drafts)
    odd = [n for i, n in enumerate(numbers) if i % 2]
    even = [n for i, n in enumerate(numbers) if not i % 2]
    expect_equal(
        odd,
        [f"新政发〔{year}〕{k}号" for k in range(2, 2 + len(odd))],
        what="bulk numbers after the single one",
    )
    expect_equal(
        even,
        [f"新政函〔{year}〕{k}号" for k in range(1, 1 + len(even))],
        what="bulk numbers of the other organ",
    )
    after = _to_numbered(service, _draft(organ_code="新政发", written_on=date(year, 6, 1)))
    expect_equal(
        _number(after), f"新政发〔{year}〕{2 + len(odd)}号", what="the single path after the bulk one"
    )
    before = _written(service)
    bad_batches: list[tuple[str, list[DocumentDraft]]] = [
        ("drafts[2].written_on", [_draft(), _draft(), _draft(written_on=None)]),
        ("drafts[1].urgency", [_draft(), _draft(urgency="PJ")]),
        ("drafts[0].doc_type", [_draft(doc_type="99")]),
    ]
    for field, batch in bad_batches:
        scenario(field=field)
        with expect_raises(InvalidInput, field=field):
            service.register_issued(REGISTRAR, ORG, batch)
    with expect_raises(PermissionDenied):
        service.register_issued(DRAFTER, ORG, [_draft()])
    _unchanged(service, before, "refused bulk registrations")
    expect_equal(
        [n.serial for n in service.issued_numbers(REGISTRAR, ORG, "新政发", year)],
        list(range(1, 3 + len(odd))),
        what="serials of the year without gaps",
    )


@refuses("ARC-044")
def reads_files_exactly_and_only_with_clearance(service: ArchivesService) -> None:
    rng = scenario_rng()
    for level in LEVELS:
        doc = _is_document(service.draft_outgoing(DRAFTER, ORG, _classified(level, title=f"附件{level}")))
        content = bytes(rng.randrange(256) for _ in range(rng.randint(0, 2000))) + "机密正文".encode()
        stored = service.attach_file(DRAFTER, ORG, doc.id, "正文.bin", content)
        for rank, clearance in enumerate(LEVELS):
            scenario(secrecy=level, clearance=clearance)
            reader = _actor(f"u-file-{clearance}", "drafter", clearance=clearance)
            if rank >= LEVELS.index(level):
                expect_equal(service.read_file(reader, ORG, stored.id), content, what="file read back")
            else:
                with expect_raises(ClearanceInsufficient) as caught:
                    service.read_file(reader, ORG, stored.id)
                expect_true("机密正文" not in str(caught.value), "the refusal does not show the content")
        with expect_raises(OrganizationDenied):
            service.read_file(OTHER["drafter"], ORG, stored.id)
        with expect_raises(NotFound):
            service.read_file(OTHER["drafter"], OTHER_ORG, stored.id)
        if level is not None:
            log = [(r.actor_id, r.allowed) for r in service.access_log(AUDITOR, ORG, doc.id)]
            denied = sum(1 for _, allowed in log if not allowed)
            expect_equal(denied, LEVELS.index(level), what="refused file reads in the access log")


@refuses("ARC-045")
def keeps_packages_exact_in_a_round_trip(service: ArchivesService) -> None:
    import json

    with tempfile.TemporaryDirectory(prefix="arc-bag-") as folder:
        path, item, body = _bag(service, folder)
        payload = [p for p in (path / "data").rglob("*") if p.is_file() and p.name != "metadata.json"]
        expect_true(any(p.read_bytes() == body for p in payload), "the body file is in the bag byte for byte")
        metadata = [json.loads(p.read_text(encoding="utf-8")) for p in (path / "data").rglob("metadata.json")]
        expect_equal(len(metadata), 1, what="metadata files")
        expect_equal(
            metadata[0]["档号"]["archival_code"], item.archival_code, what="archival code in the metadata"
        )
        expect_equal(metadata[0]["内容描述"]["题名"], item.title, what="title in the metadata")
        receipt = service.import_package(ARCHIVIST, ORG, path)
        expect_equal(receipt.archival_codes, [item.archival_code], what="archival codes received")
        expect_equal(
            [a for a, _ in _trail(service, "archival_package", f"{ORG}/{path.name}")],
            ["export-package", "import-package"],
            what="package trail",
        )
        with expect_raises(OrganizationDenied):
            service.import_package(ARCHIVIST, OTHER_ORG, path)
        with expect_raises(PermissionDenied):
            service.import_package(CLERK, ORG, path)
        expect_equal(
            len(_trail(service, "archival_package", f"{ORG}/{path.name}")),
            2,
            what="package trail after refusals",
        )
        with expect_raises(NotFound):
            service.export_package(OTHER["archivist"], OTHER_ORG, [item.id], Path(folder) / "theirs")


def _world(service: ArchivesService, level: str | None) -> dict[str, Any]:
    """One thing of every kind in ``ORG`` at secrecy ``level``, for calls by any actor."""
    doc = _to_signoff(service, _classified(level, title=f"待复核{level}"))
    stored = service.attach_file(
        DRAFTER, ORG, _is_document(service.draft_outgoing(DRAFTER, ORG, _classified(level))).id, "a.txt", b"a"
    )
    incoming = _to_handling(
        service, _incoming(service, title=f"收文{level}", **({"secrecy": level} if level else {}))
    )
    item = _old_item(service, "D10", 2010, level)
    return {"doc": doc, "file": stored, "incoming": incoming, "item": item}


def _every_call(
    service: ArchivesService, actor: Actor, world: dict[str, Any], folder: Path
) -> list[tuple[str, bool, Callable[[], object]]]:
    """(method, writes, call) for every method of the Protocol, with valid arguments on ``world``."""
    doc, incoming, item = world["doc"].id, world["incoming"].id, world["item"].id
    return [
        ("draft_outgoing", True, lambda: service.draft_outgoing(actor, ORG, _draft())),
        ("register_issued", True, lambda: service.register_issued(actor, ORG, [_draft()])),
        (
            "receive_incoming",
            True,
            lambda: service.receive_incoming(
                actor, ORG, IncomingDraft(doc_type="08", title="t", body="b", sender="s", fonds="X001")
            ),
        ),
        (
            "attach_file",
            True,
            lambda: service.attach_file(actor, ORG, world["file"].document_id, "b.txt", b"b"),
        ),
        ("read_file", False, lambda: service.read_file(actor, ORG, world["file"].id)),
        ("revise", True, lambda: service.revise(actor, ORG, doc, body="改")),
        ("submit", True, lambda: service.submit(actor, ORG, doc)),
        ("return_to_drafter", True, lambda: service.return_to_drafter(actor, ORG, doc, "退回")),
        ("request_countersign", True, lambda: service.request_countersign(actor, ORG, doc)),
        ("countersign", True, lambda: service.countersign(actor, ORG, doc, "同意")),
        ("approve_review", True, lambda: service.approve_review(actor, ORG, doc)),
        ("sign_off", True, lambda: service.sign_off(actor, ORG, doc)),
        ("return_to_signer", True, lambda: service.return_to_signer(actor, ORG, doc, "退回")),
        ("pass_check", True, lambda: service.pass_check(actor, ORG, doc)),
        ("assign_number", True, lambda: service.assign_number(actor, ORG, doc)),
        ("print_copies", True, lambda: service.print_copies(actor, ORG, doc, 2)),
        ("issue", True, lambda: service.issue(actor, ORG, doc)),
        ("withdraw", True, lambda: service.withdraw(actor, ORG, doc, "撤销")),
        ("register_incoming", True, lambda: service.register_incoming(actor, ORG, incoming)),
        ("pass_review", True, lambda: service.pass_review(actor, ORG, incoming)),
        ("return_to_sender", True, lambda: service.return_to_sender(actor, ORG, incoming, "退回")),
        ("propose_handling", True, lambda: service.propose_handling(actor, ORG, incoming, "拟办")),
        ("instruct", True, lambda: service.instruct(actor, ORG, incoming, "同意")),
        ("assign_handling", True, lambda: service.assign_handling(actor, ORG, incoming, "科")),
        ("circulate", True, lambda: service.circulate(actor, ORG, incoming, ["甲"])),
        ("reply", True, lambda: service.reply(actor, ORG, incoming, "答复")),
        ("close_handling", True, lambda: service.close_handling(actor, ORG, incoming)),
        ("chase", True, lambda: service.chase(actor, ORG, incoming, "催")),
        ("get_document", False, lambda: service.get_document(actor, ORG, doc)),
        ("access_log", False, lambda: service.access_log(actor, ORG, doc)),
        ("list_documents", False, lambda: service.list_documents(actor, ORG)),
        ("search", False, lambda: service.search(actor, ORG, "通知")),
        ("issued_numbers", False, lambda: service.issued_numbers(actor, ORG, "新政办发", 2010)),
        ("expired_secrecy", False, lambda: service.expired_secrecy(actor, ORG, date(2040, 1, 1))),
        ("overdue_incoming", False, lambda: service.overdue_incoming(actor, ORG, date(2040, 1, 1))),
        ("file_document", True, lambda: service.file_document(actor, ORG, doc)),
        ("get_item", False, lambda: service.get_item(actor, ORG, item)),
        ("filing_catalogue", False, lambda: service.filing_catalogue(actor, ORG, "X001", 2010)),
        (
            "items_due_for_appraisal",
            False,
            lambda: service.items_due_for_appraisal(actor, ORG, date(2040, 1, 1)),
        ),
        ("list_for_appraisal", True, lambda: service.list_for_appraisal(actor, ORG, item)),
        ("keep_longer", True, lambda: service.keep_longer(actor, ORG, item, 5)),
        ("propose_destruction", True, lambda: service.propose_destruction(actor, ORG, item)),
        ("approve_destruction", True, lambda: service.approve_destruction(actor, ORG, item)),
        ("place_hold", True, lambda: service.place_hold(actor, ORG, item, "保全")),
        ("release_hold", True, lambda: service.release_hold(actor, ORG, item)),
        ("destruction_register", False, lambda: service.destruction_register(actor, ORG)),
        (
            "export_package",
            True,
            lambda: service.export_package(actor, ORG, [item], folder / f"bag-{actor.id}"),
        ),
        ("import_package", True, lambda: service.import_package(actor, ORG, folder / "missing")),
        ("audit_trail", False, lambda: service.audit_trail(actor, ORG, "outgoing_document", str(doc))),
        ("published_events", False, lambda: service.published_events(actor, ORG)),
    ]


_ROLE_FIRST = frozenset(
    {
        "draft_outgoing",
        "register_issued",
        "receive_incoming",
        "attach_file",
        "revise",
        "return_to_signer",
        "pass_check",
        "circulate",
        "reply",
        "chase",
        "list_for_appraisal",
        "place_hold",
        "release_hold",
        "export_package",
        "import_package",
        "access_log",
        "audit_trail",
        "published_events",
        "destruction_register",
    }
)
"""Methods whose thing in :func:`_world` is in a state that allows them, so a refusal is the role's."""


@refuses("ARC-046", "ARC-047")
def refuses_every_operation_to_the_wrong_actor(service: ArchivesService) -> None:
    """Every method of the Protocol, called by another organisation, a cross-organisation auditor, an
    actor without a role, and (on 机密 data) an actor below the clearance: refused, nothing written."""
    world = _world(service, "JM")
    title = "待复核JM"
    low = _actor("u-low", *ROLES, clearance="MM")
    foreign = _actor("u-foreign", *ROLES, org=OTHER_ORG)
    with tempfile.TemporaryDirectory(prefix="arc-acl-") as tmp:
        folder = Path(tmp)
        for label, actor in (
            ("another organisation", foreign),
            ("cross-org auditor", CROSS_AUDITOR),
            ("no role", NO_ROLE),
            ("below clearance", low),
        ):
            before = _written(service)
            trail = _changes(service, "outgoing_document", world["doc"].id)
            for name, writes, call in _every_call(service, actor, world, folder):
                scenario(actor=label, operation=name)
                if label == "cross-org auditor" and not writes:
                    with step(f"{name} by a cross-organisation auditor"):
                        call()
                    continue
                if label == "below clearance" and name in (
                    "draft_outgoing",
                    "register_issued",
                    "receive_incoming",
                    "list_documents",
                    "search",
                    "issued_numbers",
                    "expired_secrecy",
                    "overdue_incoming",
                    "filing_catalogue",
                    "items_due_for_appraisal",
                    "destruction_register",
                    "import_package",
                    "audit_trail",
                    "published_events",
                    "access_log",
                ):
                    continue  # serve no single classified thing: ARC-017/018/035/040 check them
                if (
                    label == "no role"
                    and not writes
                    and name
                    not in (
                        "access_log",
                        "audit_trail",
                        "published_events",
                        "destruction_register",
                        "export_package",
                    )
                ):
                    continue  # reads open to every member of the organisation
                expected: type[GovPartsError] = {
                    "another organisation": OrganizationDenied,
                    "cross-org auditor": OrganizationDenied,
                    "no role": PermissionDenied if name in _ROLE_FIRST else ProcessError,
                    "below clearance": ClearanceInsufficient,
                }[label]
                with expect_raises(expected) as caught:
                    call()
                expect_true(title not in str(caught.value), "the refusal does not show the classified title")
                _unchanged(service, before, f"{name} by {label}")
                expect_equal(
                    _changes(service, "outgoing_document", world["doc"].id), trail, what=f"trail after {name}"
                )
                expect_equal(
                    (folder / f"bag-{actor.id}").exists(), False, what="a bag written by a refused export"
                )
    cross = [a for a, _ in _trail(service, "document", world["doc"].id)]
    expect_true(any("cross" in a for a in cross), "the cross-organisation read is audited", observed=cross)
