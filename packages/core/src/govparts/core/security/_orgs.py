"""Many offices in one database: an actor acts for its own organisation only.

A regional deployment keeps many organisations (county agencies, bureaus, the exchange centre) in
one database. Every row, Protocol call, event and period is scoped by organisation, named by its
unified social credit code (GB 32100-2015). :func:`check_org` is the one gate every service calls
before it reads or changes an organisation's data:

* an actor bound to an organisation (``Actor.org``) acts for that organisation only; a call about
  another organisation's data raises :class:`~govparts.core.errors.OrganizationDenied`, a
  :class:`~govparts.core.errors.PermissionDenied` whose message names neither the other
  organisation's data nor whether it exists (nothing revealed);
* an actor holding :data:`CROSS_ORG_READ_ROLE` (for example a finance bureau's auditor) may *read*
  other organisations' data; every such read is recorded in the audit log
  (:data:`CROSS_ORG_READ_ACTION`). No role lets an actor *change* another organisation's data;
* an actor with no organisation (``org=None``) is a deployment-wide system actor (migrations, the
  event dispatcher, a single-office installation). A multi-office deployment binds every person's
  actor to an organisation.

    >>> from govparts.core.security import Actor, may_act_for
    >>> clerk = Actor(id="u-1", name="阿依古丽", roles={"preparer"}, org="11650102MB1234567A")
    >>> may_act_for(clerk, "11650102MB1234567A"), may_act_for(clerk, "91350100M000100Y43")
    (True, False)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import OrganizationDenied
from ._actor import Actor
from ._masking import mask_text

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

__all__ = ["CROSS_ORG_READ_ACTION", "CROSS_ORG_READ_ROLE", "check_org", "may_act_for", "may_read_org"]

CROSS_ORG_READ_ROLE = "cross-org-auditor"
"""The role that lets an actor read (never change) other organisations' data; every use is audited."""
CROSS_ORG_READ_ACTION = "read-cross-org"
"""The audit action recorded when an actor reads another organisation's data through its role."""


def may_act_for(actor: Actor, org: str | None) -> bool:
    """True when ``actor`` may change data of ``org`` (its own organisation, or a system actor)."""
    return actor.org is None or org is None or actor.org == org


def may_read_org(actor: Actor, org: str | None) -> bool:
    """True when ``actor`` may read data of ``org``: its own, or any with :data:`CROSS_ORG_READ_ROLE`."""
    return may_act_for(actor, org) or actor.has_role(CROSS_ORG_READ_ROLE)


def check_org(
    actor: Actor,
    org: str | None,
    *,
    write: bool,
    field: str = "org",
    audit_to: Engine | Session | None = None,
    entity: str = "organization",
    entity_id: str | None = None,
) -> None:
    """Allow ``actor`` to act on data of organisation ``org``, or raise ``OrganizationDenied``.

    ``write`` says whether the call changes state: changes are allowed for the actor's own
    organisation only. A read of another organisation's data through :data:`CROSS_ORG_READ_ROLE` is
    recorded in the audit log (``audit_to``: an engine, its own short transaction; a session, the
    caller's); without ``audit_to`` such a read is refused, since it could not be accounted for.
    The error names the field and the actor, never the other organisation's data.
    """
    if may_act_for(actor, org):
        return
    if not write and actor.has_role(CROSS_ORG_READ_ROLE) and audit_to is not None:
        _record(audit_to, actor, org or "", entity=entity, entity_id=entity_id or org or "")
        return
    raise OrganizationDenied(field=field, actor=mask_text(actor.id))


def _record(audit_to: Engine | Session, actor: Actor, org: str, *, entity: str, entity_id: str) -> None:
    from sqlalchemy.engine import Engine

    from .. import audit
    from ..db import session_scope

    entry = audit.AuditEntry(
        action=CROSS_ORG_READ_ACTION,
        entity=entity,
        entity_id=entity_id,
        actor=actor,
        details={"org": org, "actor_org": actor.org, "role": CROSS_ORG_READ_ROLE},
    )
    if isinstance(audit_to, Engine):
        with session_scope(audit_to) as session:
            audit.append_many(session, [entry])
    else:
        audit.append_many(audit_to, [entry])
