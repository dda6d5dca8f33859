"""Classified items (issue 15.3): holds, appraisal and the destruction register check clearance first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from govparts.archives import tables
from govparts.archives.models import Document
from govparts.archives.service import ReferenceService
from govparts.core import audit
from govparts.core.errors import ClearanceInsufficient
from govparts.core.security import READ_ACTION, READ_DENIED_ACTION, Actor

from .conftest import take_step

pytestmark = pytest.mark.db

ORG = "11650102MB00000013"
TITLE = "关于边境防控部署的机密通知"


def _staff(id: str, clearance: str, *roles: str) -> Actor:
    return Actor(id=id, name="买买提·依明", unit="BGS", roles=frozenset(roles), clearance=clearance, org=ORG)


ALL_ROLES = ("archivist", "appraiser", "approver")


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
        counted["holds"] = int(
            session.execute(
                sa.select(sa.func.count())
                .where(sa.column("legal_hold").is_(True))
                .select_from(tables.ArchivalItemRow.__table__)
            ).scalar_one()
        )
    return counted


def _states(engine: Engine) -> list[tuple[str, bool]]:
    with Session(engine) as session:
        return [
            (str(state), bool(hold))
            for state, hold in session.execute(
                sa.select(tables.ArchivalItemRow.state, tables.ArchivalItemRow.legal_hold).order_by(
                    tables.ArchivalItemRow.id
                )
            )
        ]


@pytest.fixture
def secret_item(service: ReferenceService, issue: Callable[..., Document], staff: dict[str, Actor]) -> Any:
    """A 机密 (JM) item of 2010 kept ten years: due for appraisal, in state ``appraisal``."""
    doc = issue(title=TITLE, secrecy="JM", copy_number="000001", written_on=date(2010, 5, 1))
    item = service.file_document(staff["archivist"], ORG, doc.id, retention="D10")
    service.list_for_appraisal(staff["archivist"], ORG, item.id)
    return item


# (name, set-up steps by cleared staff, the call under test)
Step = Callable[[ReferenceService, Actor, int], Any]
CASES: dict[str, tuple[tuple[tuple[str, dict[str, Any] | None], ...], Step]] = {
    "place_hold": ((), lambda s, a, i: s.place_hold(a, ORG, i, "诉讼证据保全")),
    "release_hold": ((("hold", None),), lambda s, a, i: s.release_hold(a, ORG, i)),
    "propose_destruction": ((), lambda s, a, i: s.propose_destruction(a, ORG, i)),
    "approve_destruction": (
        (("propose_destruction", None),),
        lambda s, a, i: s.approve_destruction(a, ORG, i),
    ),
    "keep": ((), lambda s, a, i: s.keep_longer(a, ORG, i, 10)),
    "get_item": ((), lambda s, a, i: s.get_item(a, ORG, i)),
}


def _prepare(service: ReferenceService, item_id: int, steps: tuple[tuple[str, Any], ...]) -> None:
    cleared = _staff("prep", "UM", *ALL_ROLES)
    for step, inputs in steps:
        if step == "hold":
            service.place_hold(cleared, ORG, item_id, "审计调阅")
        else:
            take_step(service, cleared, item_id, step, inputs)


@pytest.mark.parametrize("case", sorted(CASES))
def test_allows_clearance_equal_to_the_level_and_records_the_read(
    case: str, service: ReferenceService, secret_item: Any, staff: dict[str, Actor]
) -> None:
    """Lets an actor cleared for exactly 机密 act on a 机密 item; the read is in the access log."""
    steps, call = CASES[case]
    _prepare(service, secret_item.id, steps)
    actor = _staff("jm-1", "JM", *ALL_ROLES)
    result = call(service, actor, secret_item.id)
    assert result.title == TITLE
    log = service.access_log(_staff("aud", "UM", "auditor"), ORG, secret_item.document_id)
    assert any(r.actor_id == "jm-1" and r.action == READ_ACTION and r.allowed for r in log)


@pytest.mark.parametrize("case", sorted(CASES))
def test_refuses_clearance_one_below_writing_and_revealing_nothing(
    case: str, service: ReferenceService, secret_item: Any, engine: Engine
) -> None:
    """Refuses a 秘密 reader: only the refusal is written (and logged), the error shows no title."""
    steps, call = CASES[case]
    _prepare(service, secret_item.id, steps)
    actor = _staff("mm-1", "MM", *ALL_ROLES)
    before, states = _counts(engine), _states(engine)
    with pytest.raises(ClearanceInsufficient) as refused:
        call(service, actor, secret_item.id)
    assert TITLE not in str(refused.value)
    assert TITLE not in repr(refused.value.details)
    after = _counts(engine)
    assert after == {**before, "audit": before["audit"] + 1}
    assert _states(engine) == states
    log = service.access_log(_staff("aud", "UM", "auditor"), ORG, secret_item.document_id)
    assert [r.allowed for r in log if r.actor_id == "mm-1"] == [False]
    assert [r.action for r in log if r.actor_id == "mm-1"] == [READ_DENIED_ACTION]


def test_destruction_register_withholds_titles_above_clearance(
    service: ReferenceService, secret_item: Any, issue: Callable[..., Document], staff: dict[str, Actor]
) -> None:
    """Keeps every row and the count, withholds the 机密 title from a 秘密 reader, and logs both reads."""
    open_doc = issue(title="关于春节值班的通知", written_on=date(2010, 6, 1))
    open_item = service.file_document(staff["archivist"], ORG, open_doc.id, retention="D10")
    proposer, approver = _staff("p-1", "UM", *ALL_ROLES), _staff("p-2", "UM", *ALL_ROLES)
    service.list_for_appraisal(proposer, ORG, open_item.id)
    for item_id in (secret_item.id, open_item.id):
        service.propose_destruction(proposer, ORG, item_id)
        service.approve_destruction(approver, ORG, item_id)
    low, high = _staff("mm-2", "MM", "archivist"), _staff("jm-2", "JM", "archivist")
    masked = service.destruction_register(low, ORG)
    assert [(e.archival_code, e.title, e.withheld) for e in masked] == [
        (secret_item.archival_code, "", True),
        (open_item.archival_code, "关于春节值班的通知", False),
    ]
    assert [e.title for e in service.destruction_register(high, ORG)] == [TITLE, "关于春节值班的通知"]
    log = service.access_log(_staff("aud", "UM", "auditor"), ORG, secret_item.document_id)
    assert [(r.actor_id, r.allowed) for r in log if r.actor_id in ("mm-2", "jm-2")] == [
        ("mm-2", False),
        ("jm-2", True),
    ]


def test_export_package_checks_clearance_before_writing(
    service: ReferenceService, secret_item: Any, tmp_path: Any
) -> None:
    """Refuses to export a 机密 item for a 秘密 reader and writes no package."""
    with pytest.raises(ClearanceInsufficient):
        service.export_package(_staff("mm-3", "MM", "archivist"), ORG, [secret_item.id], tmp_path / "bag")
    assert not (tmp_path / "bag").exists()
