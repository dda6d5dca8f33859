"""The access-control matrix over every AssetService method, generated from the Protocol (issue 15 item 3).

Actors: the right roles of the organisation (allowed), an actor of another organisation with every role
(OrganizationDenied), an actor of the organisation without a role (PermissionDenied on every change), a
cross-organisation auditor (reads allowed and audited, changes refused). Every refusal leaves every
table's row count and the audit chain's head as they were, and its message shows nothing of the other
organisation. The assets part holds no classified data, so there is no clearance dimension.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.assets.conformance import INSTITUTE, OFFICE, ROLES_ALL, _every_call, _one_of_each
from govparts.assets.service import AssetService, ReferenceService
from govparts.core.db import metadata
from govparts.core.errors import OrganizationDenied, PermissionDenied
from govparts.core.security import CROSS_ORG_READ_ACTION, CROSS_ORG_READ_ROLE, Actor

pytestmark = pytest.mark.db

READS = {
    "get",
    "assets",
    "schedule",
    "charged",
    "return_tasks",
    "held_by_departed",
    "register_report",
    "findings",
    "depreciation_totals",
    "disposal_register",
    "audit_trail",
    "published_events",
}
"""Methods that change nothing; every other method taking an actor changes state."""
DELIVERY = {"receive_event"}
"""Methods a system actor calls to deliver another part's event (no business role applies)."""


def _protocol_methods() -> set[str]:
    found = set()
    for name, function in inspect.getmembers(AssetService, inspect.isfunction):
        if name.startswith("_"):
            continue
        if "actor" in inspect.signature(function).parameters:
            found.add(name)
    return found


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)
            for name, table in metadata.tables.items()
        }


def _head(engine: Engine) -> object:
    table = metadata.tables["core_audit_head"]
    with engine.connect() as conn:
        return conn.execute(sa.select(table)).all()


def _calls(service: ReferenceService, actor: Actor) -> tuple[dict[str, Callable[[], object]], dict[str, str]]:
    ids = _one_of_each(service, OFFICE)
    return _every_call(service, ids, actor, OFFICE), ids


METHODS = sorted(_protocol_methods())


def test_the_matrix_covers_every_protocol_method(service: ReferenceService) -> None:
    """Every Protocol method that takes an actor is a row of the matrix (a new method cannot be left out)."""
    calls, _ = _calls(service, Actor(id="u-all", name="测试用户", roles=frozenset(ROLES_ALL), org=OFFICE))
    assert set(calls) == _protocol_methods()
    assert _protocol_methods() >= READS | DELIVERY
    assert "capabilities" not in _protocol_methods()


@pytest.mark.parametrize("method", METHODS)
def test_the_right_roles_of_the_organisation_are_allowed(service: ReferenceService, method: str) -> None:
    """An actor of the organisation holding every asset role may call the method."""
    staff = Actor(id="u-all", name="测试用户", roles=frozenset(ROLES_ALL), org=OFFICE)
    calls, _ = _calls(service, staff)
    assert set(calls) == set(METHODS)
    calls[method]()


@pytest.mark.parametrize("method", METHODS)
def test_another_organisation_is_refused_and_nothing_written(service: ReferenceService, method: str) -> None:
    """An actor of another organisation with every role is refused; nothing is written or shown."""
    intruder = Actor(id="u-intruder", name="测试用户", roles=frozenset(ROLES_ALL), org=INSTITUTE)
    calls, _ = _calls(service, intruder)
    before, head = _counts(service.engine), _head(service.engine)
    with pytest.raises(OrganizationDenied) as refused:
        calls[method]()
    for locale in ("en", "zh_Hans_CN", "ug_CN"):
        assert OFFICE not in refused.value.message(locale)
    assert _counts(service.engine) == before
    assert _head(service.engine) == head


@pytest.mark.parametrize("method", sorted(set(METHODS) - READS - DELIVERY))
def test_no_role_is_refused_every_change_and_nothing_written(service: ReferenceService, method: str) -> None:
    """An actor of the organisation without an asset role is refused every change; nothing is written."""
    nobody = Actor(id="u-nobody", name="测试用户", roles=frozenset({"reader"}), org=OFFICE)
    calls, _ = _calls(service, nobody)
    before, head = _counts(service.engine), _head(service.engine)
    with pytest.raises(PermissionDenied):
        calls[method]()
    assert _counts(service.engine) == before
    assert _head(service.engine) == head


@pytest.mark.parametrize("method", sorted(READS))
def test_a_cross_org_auditor_reads_audited(service: ReferenceService, method: str) -> None:
    """A cross-organisation auditor reads the office's data; one audit record is left, nothing else."""
    auditor = Actor(id="u-auditor", name="测试用户", roles=frozenset({CROSS_ORG_READ_ROLE}), org=INSTITUTE)
    calls, _ = _calls(service, auditor)
    before = _counts(service.engine)
    calls[method]()
    after = _counts(service.engine)
    assert after.pop("core_audit_record") == before.pop("core_audit_record") + 1
    assert after == before
    records = metadata.tables["core_audit_record"]
    with service.engine.connect() as conn:
        last = conn.execute(sa.select(records).order_by(sa.desc(records.c.seq)).limit(1)).one()
    assert (last.action, last.actor_id) == (CROSS_ORG_READ_ACTION, auditor.id)


@pytest.mark.parametrize("method", sorted(set(METHODS) - READS))
def test_a_cross_org_auditor_never_writes(service: ReferenceService, method: str) -> None:
    """A cross-organisation auditor holding every role too is refused every change; nothing is written."""
    auditor = Actor(
        id="u-auditor", name="测试用户", roles=frozenset({CROSS_ORG_READ_ROLE, *ROLES_ALL}), org=INSTITUTE
    )
    calls, _ = _calls(service, auditor)
    before, head = _counts(service.engine), _head(service.engine)
    with pytest.raises(OrganizationDenied):
        calls[method]()
    assert _counts(service.engine) == before
    assert _head(service.engine) == head
