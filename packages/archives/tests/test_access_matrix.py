"""The archives Protocol's access-control matrix (issue 15.3): clearance × secrecy × role × organisation.

The rows are generated from :class:`~govparts.archives.service.ArchivesService` itself
(:func:`inspect.getmembers`): a method added to the Protocol without a row here fails
:func:`test_the_matrix_covers_every_protocol_method`. For every method, on a thing of the body (a 机密
document or item unless the method serves no single thing) in the state the method needs:

- the right role of the right organisation is allowed;
- staff of another organisation get ``OrganizationDenied``;
- a cross-organisation auditor reads (the read audited) and is refused every write;
- an actor of the organisation without a role gets ``PermissionDenied`` on writes and restricted reads;
- for methods on one classified thing, every clearance below each secrecy level (秘密, 机密, 绝密) gets
  ``ClearanceInsufficient``.

Every refusal writes nothing (row counts of every archives table, the outbox and the audit log;
a refused classified read adds only its own ``read-classified-denied`` record) and reveals nothing
(neither the classified title nor the other organisation's code is in the error).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
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
from govparts.core.db import metadata
from govparts.core.errors import ClearanceInsufficient, OrganizationDenied, PermissionDenied
from govparts.core.security import (
    CROSS_ORG_READ_ACTION,
    CROSS_ORG_READ_ROLE,
    READ_DENIED_ACTION,
    Actor,
)

pytestmark = pytest.mark.db

BODY = "11650102MB00000013"
"""The organisation whose data every call addresses (a government body, GB 32100 category 11)."""
INSTITUTION = "12653101MB0000002R"
"""Another organisation in the same database (a public institution, category 12)."""
ROLES = (
    *("drafter", "reviewer", "countersigner", "signer", "checker", "registrar", "printer", "issuer"),
    *("archivist", "appraiser", "approver", "clerk", "secretary", "leader", "handler", "auditor"),
)
LEVELS = ("MM", "JM", "UM")
"""秘密, 机密, 绝密."""
BELOW = {"MM": (None,), "JM": (None, "MM"), "UM": (None, "MM", "JM")}
"""Every clearance below each secrecy level (None: no clearance)."""
NOT_IN_MATRIX = {"capabilities": "describes the implementation; no actor, no organisation's data"}


def _actor(id: str, *roles: str, org: str = BODY, clearance: str | None = "UM") -> Actor:
    return Actor(
        id=id, name="阿依努尔·热合曼", unit="BGS", roles=frozenset(roles), clearance=clearance, org=org
    )


def _hand(step: str) -> Actor:
    """A member of the body's staff for one step of the preparation (separation of duties)."""
    return _actor(f"prep-{step}", *ROLES)


def _title(level: str | None) -> str:
    return f"绝不外泄的标题{level or '公开'}"


def _draft(level: str | None, **changes: Any) -> DocumentDraft:
    values: dict[str, Any] = {
        "doc_type": "08",
        "title": _title(level),
        "body": "正文内容。",
        "issuing_organ": "某机关",
        "organ_code": "天政数发",
        "fonds": "Z031",
        "organisation": "BGS",
        "written_on": date(2010, 5, 1),
        "secrecy": level,
        "copy_number": "000001" if level else None,
    }
    values.update(changes)
    return DocumentDraft(**values)


_OUTGOING = (
    ("drafter", lambda s, a, d: s.submit(a, BODY, d), "reviewing"),
    ("reviewer", lambda s, a, d: s.approve_review(a, BODY, d, "同意"), "awaiting_signoff"),
    ("signer", lambda s, a, d: s.sign_off(a, BODY, d), "checking"),
    ("checker", lambda s, a, d: s.pass_check(a, BODY, d), "registering"),
    ("registrar", lambda s, a, d: s.assign_number(a, BODY, d), "printing"),
    ("printer", lambda s, a, d: s.print_copies(a, BODY, d, 2), "issuing"),
    ("issuer", lambda s, a, d: s.issue(a, BODY, d), "issued"),
)
_INCOMING = (
    ("clerk", lambda s, a, d: s.register_incoming(a, BODY, d), "registered"),
    ("clerk2", lambda s, a, d: s.pass_review(a, BODY, d), "reviewed"),
    ("secretary", lambda s, a, d: s.propose_handling(a, BODY, d, "拟办"), "proposed"),
    ("leader", lambda s, a, d: s.instruct(a, BODY, d, "同意"), "instructed"),
    (
        "secretary2",
        lambda s, a, d: s.assign_handling(a, BODY, d, "财务科", due_on=date(2023, 4, 28)),
        "handling",
    ),
    ("handler", lambda s, a, d: s.reply(a, BODY, d, "已办理"), "replied"),
    ("handler2", lambda s, a, d: s.close_handling(a, BODY, d), "closed"),
)


def _outgoing(s: ArchivesService, level: str | None, state: str) -> int:
    doc = s.draft_outgoing(_hand("drafter"), BODY, _draft(level))
    if state == "countersigning":
        s.submit(_hand("drafter"), BODY, doc.id)
        s.request_countersign(_hand("reviewer"), BODY, doc.id)
        return doc.id
    current = "drafting"
    for step, call, reached in _OUTGOING:
        if current == state:
            break
        call(s, _hand(step), doc.id)
        current = reached
    return doc.id


def _incoming(s: ArchivesService, level: str | None, state: str) -> int:
    doc = s.receive_incoming(
        _hand("clerk"),
        BODY,
        IncomingDraft(
            doc_type="11",
            title=_title(level),
            sender="某中心",
            fonds="Z031",
            secrecy=level,
            written_on=date(2010, 4, 3),
        ),
    )
    current = "signed_for"
    for step, call, reached in _INCOMING:
        if current == state:
            break
        call(s, _hand(step), doc.id)
        current = reached
    return doc.id


def _item(s: ArchivesService, level: str | None, state: str) -> int:
    """An item of 2010 kept ten years (due for appraisal), in ``state``."""
    item = s.file_document(_hand("archivist"), BODY, _outgoing(s, level, "issued"), retention="D10").id
    if state in ("appraisal", "destruction_proposed"):
        s.list_for_appraisal(_hand("archivist"), BODY, item)
    if state == "destruction_proposed":
        s.propose_destruction(_hand("appraiser"), BODY, item)
    if state == "held":
        s.place_hold(_hand("archivist"), BODY, item, "诉讼证据保全")
    return item


Call = Callable[[ArchivesService, Actor], Any]


@dataclass(frozen=True)
class Row:
    """One method of the Protocol in the matrix."""

    role: str | None
    """The role that may call it (None: every member of the organisation may)."""
    writes: bool
    """A write (refused to a cross-organisation auditor)."""
    on_one_thing: bool
    """Serves or changes one classified thing, so its clearance is checked."""
    prepare: Callable[[ArchivesService, str | None, Path], Call]
    """Make the thing the call needs at a secrecy level, in the right state; return the call."""


def _on_doc(state: str, call: Callable[[ArchivesService, Actor, int], Any]) -> Callable[..., Call]:
    def prepare(s: ArchivesService, level: str | None, folder: Path) -> Call:
        target = _outgoing(s, level, state)
        return lambda service, actor: call(service, actor, target)

    return prepare


def _on_incoming(state: str, call: Callable[[ArchivesService, Actor, int], Any]) -> Callable[..., Call]:
    def prepare(s: ArchivesService, level: str | None, folder: Path) -> Call:
        target = _incoming(s, level, state)
        return lambda service, actor: call(service, actor, target)

    return prepare


def _on_item(state: str, call: Callable[[ArchivesService, Actor, int], Any]) -> Callable[..., Call]:
    def prepare(s: ArchivesService, level: str | None, folder: Path) -> Call:
        target = _item(s, level, state)
        return lambda service, actor: call(service, actor, target)

    return prepare


def _plain(call: Call) -> Callable[..., Call]:
    def prepare(s: ArchivesService, level: str | None, folder: Path) -> Call:
        _outgoing(s, level, "issued")
        return call

    return prepare


def _on_file(s: ArchivesService, level: str | None, folder: Path) -> Call:
    doc = _outgoing(s, level, "drafting")
    stored = s.attach_file(_hand("drafter"), BODY, doc, "正文.txt", _title(level).encode())
    return lambda service, actor: service.read_file(actor, BODY, stored.id)


def _export(s: ArchivesService, level: str | None, folder: Path) -> Call:
    item = _item(s, level, "in_custody")
    return lambda service, actor: service.export_package(actor, BODY, [item], folder / f"out-{actor.id}")


def _import(s: ArchivesService, level: str | None, folder: Path) -> Call:
    bag = s.export_package(_hand("archivist"), BODY, [_item(s, None, "in_custody")], folder / "bag")
    return lambda service, actor: service.import_package(actor, BODY, bag)


def _trail(s: ArchivesService, level: str | None, folder: Path) -> Call:
    doc = _outgoing(s, level, "reviewing")
    return lambda service, actor: service.audit_trail(actor, BODY, "outgoing_document", str(doc))


ON = date(2030, 1, 1)
MATRIX: dict[str, Row] = {
    "draft_outgoing": Row(
        "drafter", True, False, _plain(lambda s, x: s.draft_outgoing(x, BODY, _draft("JM")))
    ),
    "register_issued": Row(
        "registrar", True, False, _plain(lambda s, x: s.register_issued(x, BODY, [_draft("JM")]))
    ),
    "receive_incoming": Row(
        "clerk",
        True,
        False,
        _plain(
            lambda s, x: s.receive_incoming(
                x, BODY, IncomingDraft(doc_type="11", title="请示", sender="某中心", fonds="Z031")
            )
        ),
    ),
    "attach_file": Row(
        "drafter", True, True, _on_doc("drafting", lambda s, x, d: s.attach_file(x, BODY, d, "b.txt", b"b"))
    ),
    "read_file": Row(None, False, True, _on_file),
    "revise": Row(
        "drafter", True, True, _on_doc("drafting", lambda s, x, d: s.revise(x, BODY, d, body="改"))
    ),
    "submit": Row("drafter", True, True, _on_doc("drafting", lambda s, x, d: s.submit(x, BODY, d))),
    "return_to_drafter": Row(
        "reviewer", True, True, _on_doc("reviewing", lambda s, x, d: s.return_to_drafter(x, BODY, d, "退回"))
    ),
    "request_countersign": Row(
        "reviewer", True, True, _on_doc("reviewing", lambda s, x, d: s.request_countersign(x, BODY, d))
    ),
    "countersign": Row(
        "countersigner",
        True,
        True,
        _on_doc("countersigning", lambda s, x, d: s.countersign(x, BODY, d, "同意")),
    ),
    "approve_review": Row(
        "reviewer", True, True, _on_doc("reviewing", lambda s, x, d: s.approve_review(x, BODY, d))
    ),
    "sign_off": Row(
        "signer", True, True, _on_doc("awaiting_signoff", lambda s, x, d: s.sign_off(x, BODY, d))
    ),
    "return_to_signer": Row(
        "checker", True, True, _on_doc("checking", lambda s, x, d: s.return_to_signer(x, BODY, d, "退回"))
    ),
    "pass_check": Row("checker", True, True, _on_doc("checking", lambda s, x, d: s.pass_check(x, BODY, d))),
    "assign_number": Row(
        "registrar", True, True, _on_doc("registering", lambda s, x, d: s.assign_number(x, BODY, d))
    ),
    "print_copies": Row(
        "printer", True, True, _on_doc("printing", lambda s, x, d: s.print_copies(x, BODY, d, 3))
    ),
    "issue": Row("issuer", True, True, _on_doc("issuing", lambda s, x, d: s.issue(x, BODY, d))),
    "withdraw": Row(
        "signer", True, True, _on_doc("printing", lambda s, x, d: s.withdraw(x, BODY, d, "撤销"))
    ),
    "register_incoming": Row(
        "clerk", True, True, _on_incoming("signed_for", lambda s, x, d: s.register_incoming(x, BODY, d))
    ),
    "pass_review": Row(
        "clerk", True, True, _on_incoming("registered", lambda s, x, d: s.pass_review(x, BODY, d))
    ),
    "return_to_sender": Row(
        "clerk",
        True,
        True,
        _on_incoming("registered", lambda s, x, d: s.return_to_sender(x, BODY, d, "退回")),
    ),
    "propose_handling": Row(
        "secretary",
        True,
        True,
        _on_incoming("reviewed", lambda s, x, d: s.propose_handling(x, BODY, d, "拟办")),
    ),
    "instruct": Row(
        "leader", True, True, _on_incoming("proposed", lambda s, x, d: s.instruct(x, BODY, d, "同意"))
    ),
    "assign_handling": Row(
        "secretary",
        True,
        True,
        _on_incoming("instructed", lambda s, x, d: s.assign_handling(x, BODY, d, "科")),
    ),
    "circulate": Row(
        "handler", True, True, _on_incoming("handling", lambda s, x, d: s.circulate(x, BODY, d, ["甲"]))
    ),
    "reply": Row(
        "handler", True, True, _on_incoming("handling", lambda s, x, d: s.reply(x, BODY, d, "答复"))
    ),
    "close_handling": Row(
        "handler", True, True, _on_incoming("replied", lambda s, x, d: s.close_handling(x, BODY, d))
    ),
    "chase": Row(
        "secretary", True, True, _on_incoming("handling", lambda s, x, d: s.chase(x, BODY, d, "催"))
    ),
    "get_document": Row(None, False, True, _on_doc("issued", lambda s, x, d: s.get_document(x, BODY, d))),
    "access_log": Row("auditor", False, False, _on_doc("issued", lambda s, x, d: s.access_log(x, BODY, d))),
    "list_documents": Row(None, False, False, _plain(lambda s, x: s.list_documents(x, BODY))),
    "search": Row(None, False, False, _plain(lambda s, x: s.search(x, BODY, "标题"))),
    "issued_numbers": Row(
        None, False, False, _plain(lambda s, x: s.issued_numbers(x, BODY, "天政数发", 2010))
    ),
    "expired_secrecy": Row(None, False, False, _plain(lambda s, x: s.expired_secrecy(x, BODY, ON))),
    "overdue_incoming": Row(None, False, False, _plain(lambda s, x: s.overdue_incoming(x, BODY, ON))),
    "file_document": Row(
        "archivist", True, True, _on_doc("issued", lambda s, x, d: s.file_document(x, BODY, d))
    ),
    "get_item": Row(None, False, True, _on_item("in_custody", lambda s, x, i: s.get_item(x, BODY, i))),
    "filing_catalogue": Row(
        None, False, False, _plain(lambda s, x: s.filing_catalogue(x, BODY, "Z031", 2010))
    ),
    "items_due_for_appraisal": Row(
        None, False, False, _plain(lambda s, x: s.items_due_for_appraisal(x, BODY, ON))
    ),
    "list_for_appraisal": Row(
        "archivist", True, True, _on_item("in_custody", lambda s, x, i: s.list_for_appraisal(x, BODY, i))
    ),
    "keep_longer": Row(
        "appraiser", True, True, _on_item("appraisal", lambda s, x, i: s.keep_longer(x, BODY, i, 5))
    ),
    "propose_destruction": Row(
        "appraiser", True, True, _on_item("appraisal", lambda s, x, i: s.propose_destruction(x, BODY, i))
    ),
    "approve_destruction": Row(
        "approver",
        True,
        True,
        _on_item("destruction_proposed", lambda s, x, i: s.approve_destruction(x, BODY, i)),
    ),
    "place_hold": Row(
        "archivist", True, True, _on_item("in_custody", lambda s, x, i: s.place_hold(x, BODY, i, "保全"))
    ),
    "release_hold": Row(
        "archivist", True, True, _on_item("held", lambda s, x, i: s.release_hold(x, BODY, i))
    ),
    "destruction_register": Row(
        "archivist", False, False, _plain(lambda s, x: s.destruction_register(x, BODY))
    ),
    "export_package": Row("archivist", True, True, _export),
    "import_package": Row("archivist", True, False, _import),
    "audit_trail": Row("auditor", False, False, _trail),
    "published_events": Row("auditor", False, False, _plain(lambda s, x: s.published_events(x, BODY))),
}


def _protocol_methods() -> set[str]:
    return {n for n, _ in inspect.getmembers(ArchivesService, inspect.isfunction) if not n.startswith("_")}


def _counts(engine: Engine) -> dict[str, int]:
    """Rows of every archives table, the outbox and the audit log."""
    names = [t for t in tables.__all__ if t.endswith("Row")]
    counted: dict[str, int] = {}
    with Session(engine) as session:
        for name in names:
            table = getattr(tables, name).__table__
            counted[name] = int(session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
        outbox = metadata.tables["core_outbox_event"]
        counted["outbox"] = int(session.execute(sa.select(sa.func.count()).select_from(outbox)).scalar_one())
    return counted


def _audit_after(engine: Engine, seq: int) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.execute(
            sa.select(audit.AuditRecord.action, audit.AuditRecord.details).where(audit.AuditRecord.seq > seq)
        ).all()
    return [(str(action), str(details)) for action, details in rows]


def _audit_head(engine: Engine) -> int:
    with Session(engine) as session:
        return int(
            session.execute(sa.select(sa.func.coalesce(sa.func.max(audit.AuditRecord.seq), 0))).scalar_one()
        )


def _refused(
    engine: Engine,
    call: Call,
    service: ReferenceService,
    actor: Actor,
    expected: type[PermissionDenied],
    *,
    reads_logged: bool = False,
) -> None:
    """The call is refused with ``expected``; nothing is written and nothing revealed."""
    before, head = _counts(engine), _audit_head(engine)
    with pytest.raises(expected) as refused:
        call(service, actor)
    shown = f"{refused.value} {refused.value.details}"
    for secret in (*(_title(level) for level in (None, *LEVELS)), INSTITUTION if actor.org == BODY else BODY):
        assert secret not in shown
    assert _counts(engine) == before
    added = _audit_after(engine, head)
    allowed = {READ_DENIED_ACTION} if reads_logged else set()
    assert {action for action, _ in added} <= allowed, added
    assert not any(_title(level) in details for _, details in added for level in LEVELS)


def test_the_matrix_covers_every_protocol_method() -> None:
    """Has a row for every Protocol method but capabilities, so a new method cannot be left out."""
    assert set(MATRIX) | set(NOT_IN_MATRIX) == _protocol_methods()
    assert not set(MATRIX) & set(NOT_IN_MATRIX)


@pytest.mark.parametrize("method", sorted(MATRIX))
def test_the_right_role_of_the_organisation_is_allowed(
    method: str, service: ReferenceService, tmp_path: Path
) -> None:
    """Lets an actor of the organisation with the method's role and clearance 绝密 call it on 机密 data."""
    row = MATRIX[method]
    call = row.prepare(service, "JM", tmp_path)
    roles = () if row.role is None else (row.role,)
    call(service, _actor(f"right-{method}", *roles))


@pytest.mark.parametrize("method", sorted(MATRIX))
def test_other_organisations_and_missing_roles_are_refused(
    method: str, service: ReferenceService, engine: Engine, tmp_path: Path
) -> None:
    """Refuses another organisation, a cross-org auditor's writes and a member without the role."""
    row = MATRIX[method]
    call = row.prepare(service, "JM", tmp_path)
    _refused(engine, call, service, _actor("foreign", *ROLES, org=INSTITUTION), OrganizationDenied)

    auditor = _actor("cross", CROSS_ORG_READ_ROLE, *ROLES, org=INSTITUTION)
    if row.writes:
        _refused(engine, call, service, auditor, OrganizationDenied)
    else:
        head = _audit_head(engine)
        call(service, auditor)
        assert CROSS_ORG_READ_ACTION in {action for action, _ in _audit_after(engine, head)}

    nobody = _actor("nobody")
    if row.role is not None:
        _refused(engine, call, service, nobody, PermissionDenied)
    else:
        call(service, nobody)


CLASSIFIED = sorted(name for name, row in MATRIX.items() if row.on_one_thing)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("method", CLASSIFIED)
def test_every_clearance_below_the_secrecy_level_is_refused(
    method: str, level: str, service: ReferenceService, engine: Engine, tmp_path: Path
) -> None:
    """Refuses every clearance below 秘密, 机密 and 绝密 with ClearanceInsufficient, logging the read."""
    row = MATRIX[method]
    call = row.prepare(service, level, tmp_path)
    for clearance in BELOW[level]:
        low = _actor(f"low-{clearance}", *ROLES, clearance=clearance)
        _refused(engine, call, service, low, ClearanceInsufficient, reads_logged=True)
    at = _actor(f"at-{level}", *(() if row.role is None else (row.role,)), clearance=level)
    call(service, at)
