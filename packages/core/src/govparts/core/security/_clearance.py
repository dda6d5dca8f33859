"""Who may read classified material, and the audit record of every such read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ClearanceInsufficient
from ._actor import Actor
from ._levels import SecrecyLevel, secrecy_level
from ._masking import mask_text

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

__all__ = ["READ_ACTION", "READ_DENIED_ACTION", "can_read", "check_read"]

READ_ACTION = "read-classified"
"""The audit action of an allowed read of classified material."""
READ_DENIED_ACTION = "read-classified-denied"
"""The audit action of a refused read of classified material."""


def can_read(actor: Actor, level: SecrecyLevel | int | str | None) -> bool:
    """True when ``actor``'s clearance reaches ``level`` (a level, code or name; ``None``: unclassified).

    The order is 绝密 > 机密 > 秘密 > unclassified (《保守国家秘密法》, three levels of state secrets).
    """
    return actor.clearance >= secrecy_level(level)


def check_read(
    actor: Actor,
    level: SecrecyLevel | int | str | None,
    *,
    audit_to: Engine | Session,
    entity: str,
    entity_id: str,
    purpose: str | None = None,
) -> SecrecyLevel:
    """Allow ``actor`` to read classified material, or raise; either way, record the attempt.

    Every read of material at 秘密 or above is recorded in the audit log, allowed or refused: a
    refused attempt is what an auditor most needs to see. Unclassified material is not recorded.
    Refusal raises :class:`~govparts.core.errors.ClearanceInsufficient` naming the actor's clearance
    and the level.

    ``audit_to`` decides where the record goes. An engine: a short transaction of its own, committed
    before this returns or raises, so a refusal stays recorded even though the caller's work is rolled
    back (on SQLite, do not hold a write transaction on the same database while calling it). A session:
    the caller's transaction, so the read is recorded together with the work it belongs to, and only
    if that transaction commits. Returns the level read.
    """
    wanted = secrecy_level(level)
    if wanted is SecrecyLevel.NONE:
        return wanted
    allowed = actor.clearance >= wanted
    _record(audit_to, actor, wanted, allowed=allowed, entity=entity, entity_id=entity_id, purpose=purpose)
    if not allowed:
        raise ClearanceInsufficient(
            field=f"{entity}.secrecy",
            actor=mask_text(actor.id),
            clearance=actor.clearance.label(),
            level=wanted.label(),
        )
    return wanted


def _record(
    audit_to: Engine | Session,
    actor: Actor,
    level: SecrecyLevel,
    *,
    allowed: bool,
    entity: str,
    entity_id: str,
    purpose: str | None,
) -> None:
    from sqlalchemy.engine import Engine

    from .. import audit
    from ..db import session_scope

    entry = audit.AuditEntry(
        action=READ_ACTION if allowed else READ_DENIED_ACTION,
        entity=entity,
        entity_id=entity_id,
        actor=actor,
        details={
            "level": level.code,
            "clearance": actor.clearance.code,
            "allowed": allowed,
            "purpose": purpose,
        },
    )
    if isinstance(audit_to, Engine):
        with session_scope(audit_to) as session:
            audit.append_many(session, [entry])
    else:
        audit.append_many(audit_to, [entry])
