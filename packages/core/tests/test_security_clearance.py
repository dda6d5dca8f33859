"""Secrecy levels, clearance checks, and the audit record of every read of classified material."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from govparts.core import audit, codes
from govparts.core.db import session_scope
from govparts.core.errors import ClearanceInsufficient, PermissionDenied, UnknownCode
from govparts.core.security import (
    READ_ACTION,
    READ_DENIED_ACTION,
    SECRECY_CODE_LIST,
    Actor,
    SecrecyLevel,
    can_read,
    check_read,
    secrecy_level,
)


def _actor(clearance: str | None = None) -> Actor:
    return Actor(id="u-3001", name="买买提·吐尔逊", unit="archives", roles={"archivist"}, clearance=clearance)


def test_orders_the_three_levels_of_state_secrets() -> None:
    """Orders 绝密 > 机密 > 秘密 > unclassified, as the Law on Guarding State Secrets ranks them."""
    levels = [secrecy_level(name) for name in ("绝密", "机密", "秘密", "非密")]
    assert levels == sorted(levels, reverse=True)
    assert levels == [
        SecrecyLevel.TOP_SECRET,
        SecrecyLevel.SECRET,
        SecrecyLevel.CONFIDENTIAL,
        SecrecyLevel.NONE,
    ]


def test_follows_the_core_code_list_from_lowest_to_highest() -> None:
    """Takes codes and labels from core's 密级 list, whose rows run from lowest to highest."""
    code_list = codes.get(SECRECY_CODE_LIST)
    assert [c.code for c in code_list] == ["MM", "JM", "UM"]
    ranked = [SecrecyLevel.CONFIDENTIAL, SecrecyLevel.SECRET, SecrecyLevel.TOP_SECRET]
    assert [level.code for level in ranked] == [c.code for c in code_list]
    assert [level.label("zh_Hans_CN") for level in ranked] == ["秘密", "机密", "绝密"]
    assert SecrecyLevel.TOP_SECRET.label("en") == "Top secret"
    assert SecrecyLevel.NONE.code is None


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("JM", SecrecyLevel.SECRET),
        ("机密", SecrecyLevel.SECRET),
        ("Secret", SecrecyLevel.SECRET),
        ("SECRET", SecrecyLevel.SECRET),
        (2, SecrecyLevel.SECRET),
        (SecrecyLevel.SECRET, SecrecyLevel.SECRET),
        (None, SecrecyLevel.NONE),
        ("", SecrecyLevel.NONE),
        ("非密", SecrecyLevel.NONE),
    ],
)
def test_reads_a_level_from_its_code_name_or_number(value: object, level: SecrecyLevel) -> None:
    """Accepts a level by code, Chinese or English name, enum name or number."""
    assert secrecy_level(value) is level  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["GK", "内部", 7, True, 1.5])
def test_refuses_what_is_not_a_secrecy_level(value: object) -> None:
    """Raises UnknownCode naming the field and the list for anything that is not a level."""
    with pytest.raises(UnknownCode) as caught:
        secrecy_level(value)  # type: ignore[arg-type]
    assert caught.value.field == "secrecy_level"
    assert SECRECY_CODE_LIST in caught.value.message("en")


def test_actor_clearance_accepts_names_and_serialises_as_the_code() -> None:
    """Reads an actor's clearance from a name and writes it out as the list's code."""
    actor = _actor("机密")
    assert actor.clearance is SecrecyLevel.SECRET
    data = json.loads(actor.model_dump_json())
    assert data["clearance"] == "JM"
    assert Actor.model_validate(data) == actor
    assert json.loads(_actor().model_dump_json())["clearance"] is None


def test_reads_are_allowed_up_to_the_clearance() -> None:
    """Lets an actor read material at or below their clearance and nothing above it."""
    actor = _actor("JM")
    assert can_read(actor, None)
    assert can_read(actor, "MM")
    assert can_read(actor, "JM")
    assert not can_read(actor, "UM")
    assert not can_read(_actor(), "秘密")


def _reads(engine: Engine) -> list[sa.Row[object]]:
    with engine.connect() as conn:
        table = audit.AuditRecord.__table__  # type: ignore[attr-defined]
        rows = conn.execute(sa.select(table).order_by(table.c.seq)).all()
        conn.rollback()
    return list(rows)


def test_an_allowed_read_of_classified_material_is_audited(engine: Engine) -> None:
    """Records who read which classified thing at which level when the read is allowed."""
    level = check_read(
        _actor("UM"), "JM", audit_to=engine, entity="document", entity_id="42", purpose="review"
    )
    assert level is SecrecyLevel.SECRET
    (row,) = _reads(engine)
    assert (row.action, row.entity, row.entity_id, row.actor_id, row.actor_unit) == (
        READ_ACTION,
        "document",
        "42",
        "u-3001",
        "archives",
    )
    assert row.details == {"level": "JM", "clearance": "UM", "allowed": True, "purpose": "review"}
    assert audit.verify(engine).ok


def test_a_refused_read_is_audited_and_raises(engine: Engine) -> None:
    """Raises ClearanceInsufficient naming both levels and records the refused attempt."""
    with pytest.raises(ClearanceInsufficient) as caught:
        check_read(_actor("MM"), "绝密", audit_to=engine, entity="document", entity_id="7")
    assert isinstance(caught.value, PermissionDenied)
    assert caught.value.field == "document.secrecy"
    message = caught.value.message("en")
    assert "u-3001" in message
    (row,) = _reads(engine)
    assert row.action == READ_DENIED_ACTION
    assert row.details["allowed"] is False
    assert row.details["level"] == "UM"


def test_a_refusal_stays_recorded_when_the_caller_rolls_back(engine: Engine) -> None:
    """Keeps the record of a refused read although the caller's own work is rolled back."""
    with pytest.raises(ClearanceInsufficient), session_scope(engine):
        check_read(_actor(), "MM", audit_to=engine, entity="document", entity_id="9")
    assert [row.action for row in _reads(engine)] == [READ_DENIED_ACTION]


def test_a_read_recorded_in_the_callers_session_commits_with_it(engine: Engine) -> None:
    """Writes the read record in the caller's transaction when given a session, so it rolls back with it."""

    def work_that_fails() -> None:
        with session_scope(engine) as session:
            check_read(_actor("JM"), "MM", audit_to=session, entity="document", entity_id="1")
            raise RuntimeError("the caller's work fails")

    with pytest.raises(RuntimeError):
        work_that_fails()
    assert _reads(engine) == []
    with session_scope(engine) as session:
        check_read(_actor("JM"), "MM", audit_to=session, entity="document", entity_id="1")
    assert [row.action for row in _reads(engine)] == [READ_ACTION]


def test_reads_of_unclassified_material_are_not_recorded(engine: Engine) -> None:
    """Leaves no audit record for reading unclassified material."""
    assert check_read(_actor(), None, audit_to=engine, entity="notice", entity_id="1") is SecrecyLevel.NONE
    assert _reads(engine) == []
