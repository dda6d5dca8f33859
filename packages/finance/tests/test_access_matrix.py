"""The access-control matrix of the finance Protocol (issue 15 item 3), generated from its methods.

Every method of :class:`~govparts.finance.FinanceService` is called by four actors: the right role of
the right organisation (allowed), an actor of another organisation holding every role
(``OrganizationDenied``), an actor of the organisation without a role (``PermissionDenied`` on
writes; reads of one's own books need no role), and a cross-organisation auditor (reads allowed and
audited, writes refused). A refused call writes nothing (every finance row, the audit log and the
outbox as they were) and its message reveals nothing of the other organisation. The finance part
holds no classified data, so there is no clearance axis.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import sqlalchemy as sa

from govparts.core.audit import AuditRecord
from govparts.core.db import metadata
from govparts.core.errors import OrganizationDenied, PermissionDenied
from govparts.core.security import CROSS_ORG_READ_ROLE, Actor
from govparts.finance import FinanceService, ReferenceService
from govparts.finance.conformance import ORG, OTHER_ORG, THIRD_ORG, _books_of, _every_call, staff

pytestmark = pytest.mark.db

YEAR = 2026
NOT_SCOPED = {"capabilities": "describes the implementation, holds no organisation's data"}
RIGHT_ROLE = {
    "open_year": "chief",
    "close_period": "chief",
    "add_sub_account": "chief",
    "set_indicator": "chief",
    "close_year": "chief",
    "create_voucher": "preparer",
    "reverse_voucher": "preparer",
    "review_voucher": "reviewer",
    "unreview_voucher": "reviewer",
    "post_voucher": "bookkeeper",
    "post_batch": "poster",
    "submit_reimbursement": "claimant",
    "review_reimbursement": "reviewer",
    "reject_reimbursement": "approver",
    "approve_reimbursement": "approver",
    "pay_reimbursement": "cashier",
    "receive_event": "bookkeeper",
}
"""The duty that may make each write; every other method reads and any actor of the organisation may."""
AUDITOR = Actor(id="bureau-audit", name="审计", roles=frozenset({CROSS_ORG_READ_ROLE}), org=THIRD_ORG)


def _protocol_methods() -> list[str]:
    return sorted(
        name for name, _ in inspect.getmembers(FinanceService, inspect.isfunction) if not name.startswith("_")
    )


METHODS = [m for m in _protocol_methods() if m not in NOT_SCOPED]


def _fingerprint(engine: sa.Engine) -> dict[str, list[Any]]:
    """Every finance row, every audit record and every outbox event."""
    tables = [t for name, t in sorted(metadata.tables.items()) if name.startswith("finance_")]
    tables += [AuditRecord.__table__, metadata.tables["core_outbox_event"]]  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return {t.name: sorted(tuple(str(v) for v in r) for r in conn.execute(sa.select(t))) for t in tables}


def _audit_head(engine: sa.Engine) -> tuple[int, str | None]:
    table = AuditRecord.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(table.c.seq, table.c.actor_id).order_by(table.c.seq.desc()).limit(1)
        ).first()
    return (0, None) if row is None else (int(row.seq), row.actor_id)


@pytest.fixture
def books(engine: sa.Engine) -> tuple[ReferenceService, dict[str, str]]:
    """Two organisations' books with a voucher and a claim in every state the calls need."""
    service = ReferenceService(engine)
    ids = _books_of(service, ORG, YEAR)
    _books_of(service, OTHER_ORG, YEAR)
    return service, ids


def test_the_matrix_covers_every_protocol_method(books: tuple[ReferenceService, dict[str, str]]) -> None:
    """Lists a call for every Protocol method, or the reason it is not scoped by organisation."""
    service, ids = books
    calls = _every_call(service, ORG, YEAR, ids)
    assert set(calls) | set(NOT_SCOPED) == set(_protocol_methods())
    assert set(RIGHT_ROLE) == {name for name, (writes, _) in calls.items() if writes}


@pytest.mark.parametrize("method", METHODS)
def test_the_right_role_of_the_organisation_may_call(
    books: tuple[ReferenceService, dict[str, str]], method: str
) -> None:
    """Allows the call to an actor of the organisation holding the method's role."""
    service, ids = books
    _, call = _every_call(service, ORG, YEAR, ids)[method]
    actor = getattr(staff(ORG), RIGHT_ROLE.get(method, "reader"))
    call(actor)


@pytest.mark.parametrize("method", METHODS)
def test_another_organisation_is_refused_and_learns_nothing(
    books: tuple[ReferenceService, dict[str, str]], method: str
) -> None:
    """Refuses an actor of another organisation holding every role; writes and reveals nothing."""
    service, ids = books
    _, call = _every_call(service, ORG, YEAR, ids)[method]
    before = _fingerprint(service.engine)
    with pytest.raises(OrganizationDenied) as caught:
        call(staff(OTHER_ORG).everyone)
    message = caught.value.message("en")
    assert ORG not in message
    assert "777.77" not in message
    assert _fingerprint(service.engine) == before


@pytest.mark.parametrize("method", METHODS)
def test_an_actor_without_a_role_may_only_read(
    books: tuple[ReferenceService, dict[str, str]], method: str
) -> None:
    """Refuses a write by an actor of the organisation without a role (nothing written); allows a read."""
    service, ids = books
    writes, call = _every_call(service, ORG, YEAR, ids)[method]
    reader = staff(ORG).reader
    if not writes:
        call(reader)
        return
    before = _fingerprint(service.engine)
    with pytest.raises(PermissionDenied):
        call(reader)
    assert _fingerprint(service.engine) == before


@pytest.mark.parametrize("method", METHODS)
def test_a_cross_organisation_auditor_reads_audited_and_never_writes(
    books: tuple[ReferenceService, dict[str, str]], method: str
) -> None:
    """Lets a cross-organisation auditor read (leaving an audit record naming them); refuses their writes."""
    service, ids = books
    writes, call = _every_call(service, ORG, YEAR, ids)[method]
    if writes:
        before = _fingerprint(service.engine)
        with pytest.raises(PermissionDenied):
            call(AUDITOR)
        assert _fingerprint(service.engine) == before
        return
    seq, _ = _audit_head(service.engine)
    call(AUDITOR)
    after, actor_id = _audit_head(service.engine)
    assert after > seq
    assert actor_id == AUDITOR.id
