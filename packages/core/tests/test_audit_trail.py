"""Reading back the audit records of one thing through the published TrailEntry model."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.db import session_scope
from govparts.core.security import Actor

CLERK = Actor(id="hr-clerk-01", name="王芳", unit="RSK", roles=frozenset({"hr_clerk"}))


def test_trail_returns_the_records_of_one_entity_oldest_first(engine: Engine) -> None:
    """The trail of an entity lists its records in chain order, and no other entity's."""
    with session_scope(engine) as session:
        audit.append(session, action="hire", entity="employee", entity_id="E1", actor=CLERK, after={"s": 1})
        audit.append(session, action="hire", entity="employee", entity_id="E2", actor=CLERK)
        audit.append(session, action="confirm", entity="employee", entity_id="E1", actor=CLERK)
    with session_scope(engine) as session:
        entries = audit.trail(session, "employee", "E1")
    assert [(e.action, e.entity_id, e.actor_id, e.actor_unit) for e in entries] == [
        ("hire", "E1", "hr-clerk-01", "RSK"),
        ("confirm", "E1", "hr-clerk-01", "RSK"),
    ]
    assert entries[0].seq < entries[1].seq
    assert entries[0].after == {"s": 1}
    assert entries[0].recorded_at.tzinfo is not None


def test_trail_filters_by_several_ids_and_actions(engine: Engine) -> None:
    """Several ids are read in one call, and ``actions`` keeps only the named actions."""
    with session_scope(engine) as session:
        for number in ("E1", "E2", "E3"):
            audit.append(session, action="hire", entity="employee", entity_id=number, actor=CLERK)
        audit.append(session, action="read", entity="employee", entity_id="E2", actor=CLERK)
    with session_scope(engine) as session:
        both = audit.trail(session, "employee", ["E1", "E2"])
        reads = audit.trail(session, "employee", ["E1", "E2", "E3"], actions=["read"])
        none = audit.trail(session, "document", "E1")
    assert [e.entity_id for e in both] == ["E1", "E2", "E2"]
    assert [(e.action, e.entity_id) for e in reads] == [("read", "E2")]
    assert none == []
    assert reads[0].model_dump(mode="json")["entity"] == "employee"
