"""Reading back what the audit log says about one thing: the published form of an audit record.

Every Protocol of a part offers ``audit_trail(actor, org, entity, entity_id)`` so that a caller
(an integrator's conformance kit, an auditor's tool) can see that a change or a classified read was
recorded, without reading the implementation's tables. :class:`TrailEntry` is the model that
crosses that boundary; :func:`trail` reads it from the reference audit table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from ._tables import RECORD

if TYPE_CHECKING:
    from sqlmodel import Session

__all__ = ["TrailEntry", "trail"]


class TrailEntry(BaseModel):
    """One audit record as a caller sees it: who did what to which thing, when, before and after.

    ``seq`` is the record's place in the hash chain (increasing, without gaps across the whole
    log); ``action`` is the transition or operation name (``hire``, ``post``, ``read-classified``…).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int
    recorded_at: datetime
    actor_id: str | None
    actor_unit: str | None = None
    action: str
    entity: str
    entity_id: str
    before: Any = None
    after: Any = None
    details: Any = None


def trail(
    bind: Session | sa.Connection,
    entity: str,
    entity_ids: str | Iterable[str],
    *,
    actions: Sequence[str] | None = None,
) -> list[TrailEntry]:
    """The audit records about ``entity`` ``entity_ids`` (one id or several), oldest first.

    ``actions`` keeps only records of those actions. One query, whatever the number of ids.
    """
    ids = [entity_ids] if isinstance(entity_ids, str) else [str(i) for i in entity_ids]
    query = sa.select(RECORD).where(RECORD.c.entity == entity, RECORD.c.entity_id.in_(ids))
    if actions is not None:
        query = query.where(RECORD.c.action.in_(list(actions)))
    rows = bind.execute(query.order_by(RECORD.c.seq)).mappings().all()
    return [
        TrailEntry(
            seq=row["seq"],
            recorded_at=row["recorded_at"],
            actor_id=row["actor_id"],
            actor_unit=row["actor_unit"],
            action=row["action"],
            entity=row["entity"],
            entity_id=row["entity_id"],
            before=row["before"],
            after=row["after"],
            details=row["details"],
        )
        for row in rows
    ]
