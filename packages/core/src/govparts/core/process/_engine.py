"""The process engine: fires a transition in one database transaction, or changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit, events
from ..errors import (
    ConcurrentModification,
    ConfigurationError,
    GuardFailed,
    IntegrityViolation,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from ..i18n import N_
from ..security import Actor, mask_text
from ._spec import ProcessSpec, Transition
from ._tables import LOG

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

__all__ = [
    "GuardFunc",
    "PayloadBuilder",
    "ProcessEngine",
    "TransitionContext",
    "TransitionPayload",
    "TransitionResult",
    "transition_history",
]

GuardFunc = Callable[[Any, Mapping[str, Any], Actor], "str | None"]
"""A guard: ``(entity, inputs, actor) -> None`` when the rule holds, else the reason it does not.

Guards are pure: they read the entity, the inputs and the actor and return; they may also raise
:class:`~govparts.core.errors.GuardFailed` themselves (with a localisable message).
"""


class TransitionPayload(BaseModel):
    """The payload of a transition event when the part supplies no model of its own.

    Parts may publish event types with this payload (or a subclass with more fields, filled by a
    :data:`PayloadBuilder`).
    """

    process: str
    process_version: str
    entity: str
    entity_id: str
    transition: str
    from_state: str
    to_state: str
    version: int
    actor_id: str
    actor_unit: str | None = None
    inputs: dict[str, Any] = {}


@dataclass(frozen=True)
class TransitionContext:
    """What a payload builder knows about the transition being fired."""

    spec: ProcessSpec
    transition: Transition
    entity: Any
    entity_id: str
    from_state: str
    to_state: str
    version: int
    """The entity's version after the transition."""
    actor: Actor
    inputs: Mapping[str, Any]
    at: datetime

    def default_payload(self) -> dict[str, Any]:
        """The fields of :class:`TransitionPayload` for this transition."""
        return {
            "process": self.spec.id,
            "process_version": self.spec.version,
            "entity": self.spec.entity,
            "entity_id": self.entity_id,
            "transition": self.transition.name,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "version": self.version,
            "actor_id": self.actor.id,
            "actor_unit": self.actor.unit,
            "inputs": dict(self.inputs),
        }


PayloadBuilder = Callable[[TransitionContext], "BaseModel | Mapping[str, Any]"]
"""Builds the payload of the event a transition emits (validated against the event type's model)."""


@dataclass(frozen=True)
class TransitionResult:
    """What :meth:`ProcessEngine.fire` did."""

    entity: str
    entity_id: str
    transition: str
    from_state: str
    to_state: str
    version: int
    """The entity's version after the transition."""
    actor_id: str
    at: datetime
    audit_seq: int
    """Sequence number of the audit record of the transition."""
    event: events.CloudEvent | None
    """The event written to the outbox (``None`` for a transition that emits none)."""


@dataclass(frozen=True)
class _Target:
    table: sa.Table
    key: sa.ColumnElement[Any]
    key_attr: str
    entity_id: Any
    state: str
    version: int


def _target(entity: Any) -> _Target:
    try:
        instance = sa.inspect(entity)
    except sa.exc.NoInspectionAvailable:
        instance = None
    mapper = getattr(instance, "mapper", None)
    if instance is None or not isinstance(mapper, Mapper):
        raise InvalidInput(
            N_("{field}: expected a row of a table model, got {got}"),
            field="entity",
            got=type(entity).__name__,
        )
    table = mapper.local_table
    if not isinstance(table, sa.Table) or "state" not in table.c or "version" not in table.c:
        raise ConfigurationError(
            N_("{field}: table {got} needs state and version columns (derive it from Stateful)"),
            field="entity",
            got=str(getattr(table, "name", type(entity).__name__)),
        )
    if len(mapper.primary_key) != 1:
        raise ConfigurationError(
            N_("{field}: table {got} needs a single-column primary key"), field="entity", got=table.name
        )
    if instance.transient or instance.pending:
        raise InvalidInput(
            N_("{field}: the entity is not stored yet; create it with ProcessEngine.create"), field="entity"
        )
    for name in ("state", "version"):
        if instance.attrs[name].history.has_changes():
            raise InvalidInput(
                N_("{field}: only the process engine changes the state and version of an entity"), field=name
            )
    key = mapper.primary_key[0]
    key_attr = mapper.get_property_by_column(key).key
    return _Target(
        table=table,
        key=key,
        key_attr=key_attr,
        entity_id=getattr(entity, key_attr),
        state=str(entity.state),
        version=int(entity.version),
    )


class ProcessEngine:
    """Fires the transitions of one :class:`ProcessSpec` on entities stored in SQL tables.

    ``guards`` binds each guard the spec's transitions name to a callable (:data:`GuardFunc`);
    ``payloads`` optionally binds transitions to builders of their event's payload (by default the
    payload is a :class:`TransitionPayload`). Every event type the spec names must be registered in
    the catalogue (:func:`govparts.core.events.register`) before the engine is built. ``source`` is
    the CloudEvents source of the events (default: the event type's).

    The entity is any row of a table model with ``state`` and ``version`` columns (see
    :class:`Stateful`) and a single-column primary key.
    """

    def __init__(
        self,
        spec: ProcessSpec,
        *,
        guards: Mapping[str, GuardFunc] | None = None,
        payloads: Mapping[str, PayloadBuilder] | None = None,
        source: str | None = None,
    ) -> None:
        self.spec = spec
        self.source = source
        self._guards = dict(guards or {})
        self._payloads = dict(payloads or {})
        declared = {g.id for g in spec.guards}
        needed = {g for t in spec.transitions for g in t.guards}
        if unknown := sorted(set(self._guards) - declared):
            raise ConfigurationError(
                N_("{field}: {got} is not a guard of {process} (it declares {allowed})"),
                field=f"guards.{unknown[0]}",
                got=unknown[0],
                process=spec.id,
                allowed=sorted(declared) or "-",
            )
        if unbound := sorted(needed - set(self._guards)):
            raise ConfigurationError(
                N_("{field}: guard {got} of {process} is not bound to a function"),
                field=f"guards.{unbound[0]}",
                got=unbound[0],
                process=spec.id,
            )
        emitting = {t.name: t for t in spec.transitions if t.event is not None}
        if stray := sorted(set(self._payloads) - set(emitting)):
            raise ConfigurationError(
                N_("{field}: {got} is not a transition of {process} that emits an event"),
                field=f"payloads.{stray[0]}",
                got=stray[0],
                process=spec.id,
            )
        self._event_types: dict[str, events.EventType] = {}
        for name, transition in emitting.items():
            try:
                event_type = events.get(str(transition.event))
            except NotFound:
                raise ConfigurationError(
                    N_(
                        "{field}: event type {got} is not in the catalogue; "
                        "register it before building the engine"
                    ),
                    field=f"transitions.{name}.event",
                    got=str(transition.event),
                ) from None
            if name not in self._payloads and not issubclass(event_type.payload, TransitionPayload):
                raise ConfigurationError(
                    N_("{field}: the payload of {got} is not a TransitionPayload; give a payload builder"),
                    field=f"payloads.{name}",
                    got=event_type.type,
                )
            self._event_types[name] = event_type

    def __repr__(self) -> str:
        return f"ProcessEngine({self.spec.id!r}, version={self.spec.version!r})"

    # -- asking ------------------------------------------------------------------------------------

    def allowed(self, entity: Any, actor: Actor, session: Session | sa.Connection | None = None) -> list[str]:
        """The transitions ``actor`` may fire on ``entity`` now, in spec order.

        Checks the state and the roles, and with a ``session`` also separation of duties. Guards are
        not run (they need the inputs), so a listed transition may still fail its rules.
        """
        state = str(entity.state)
        found = [t for t in self.spec.transitions_from(state) if actor.has_role(*t.roles)]
        if session is not None:
            entity_id = str(_target(entity).entity_id)
            found = [t for t in found if self._duty_conflict(session, t, entity_id, actor) is None]
        return [t.name for t in found]

    # -- firing ------------------------------------------------------------------------------------

    def fire(
        self,
        session: Session | sa.Connection,
        entity: Any,
        transition: str,
        actor: Actor,
        inputs: Mapping[str, Any] | None = None,
        *,
        expected_version: int | None = None,
    ) -> TransitionResult:
        """Fire ``transition`` on ``entity`` inside the caller's transaction.

        In order (ARCHITECTURE.md, "How a change of state happens"): the current state must allow
        the transition (else :class:`~govparts.core.errors.TransitionNotAllowed`, listing what is
        allowed now); the actor must hold one of its roles (else
        :class:`~govparts.core.errors.PermissionDenied`) and not be excluded by separation of duties
        (also PermissionDenied); the required inputs must be present and no undeclared one given
        (:class:`~govparts.core.errors.InvalidInput`; checked before the guards, which read them);
        every guard must hold (else :class:`~govparts.core.errors.GuardFailed`); and the entity must
        be unchanged since it was read (``expected_version``, default the entity's ``version``) —
        checked by the update itself, ``UPDATE … SET state, version = version + 1 WHERE id AND
        version AND state``, so two concurrent fires cannot both succeed (else
        :class:`~govparts.core.errors.ConcurrentModification`). Then the transition log, the outbox
        event and the audit record are written.

        Nothing is written until every check has passed, so a caller may catch a refusal and go on
        with its transaction. The entity's ``state`` and ``version`` are updated in memory. Row
        locks taken here (the entity's, its event subject's, the audit chain head) last until the
        caller's transaction ends.
        """
        target = _target(entity)
        entity_id = str(target.entity_id)
        read_version = target.version if expected_version is None else expected_version
        if read_version != target.version:
            raise self._concurrent(entity_id, read_version, target.version)
        move = self._transition(transition, target.state)
        self._check_actor(session, move, entity_id, actor)
        given = dict(inputs or {})
        recorded = self._check_inputs(move, given)
        self._check_guards(move, entity, given, actor)

        at = datetime.now(UTC)
        new_version = read_version + 1
        event = self._event(
            move,
            entity=entity,
            entity_id=entity_id,
            from_state=target.state,
            version=new_version,
            actor=actor,
            inputs=given,
            at=at,
        )

        updated = session.execute(
            sa.update(target.table)
            .where(
                target.key == target.entity_id,
                target.table.c.version == read_version,
                target.table.c.state == target.state,
            )
            .values(state=move.target, version=target.table.c.version + 1)
        )
        if updated.rowcount != 1:  # type: ignore[attr-defined]
            current = session.execute(
                sa.select(target.table.c.version).where(target.key == target.entity_id)
            ).scalar()
            if current is None:
                raise NotFound(field="entity", kind=self.spec.entity, got=mask_text(entity_id))
            raise self._concurrent(entity_id, read_version, int(current))
        set_committed_value(entity, "state", move.target)
        set_committed_value(entity, "version", new_version)

        if event is not None:
            events.publish_events(session, [event])
        stamp = audit.append(
            session,
            action="transition",
            entity=self.spec.entity,
            entity_id=entity_id,
            actor=actor,
            before={"state": target.state, "version": read_version},
            after={"state": move.target, "version": new_version},
            details={
                "process": self.spec.id,
                "process_version": self.spec.version,
                "transition": move.name,
                "inputs": recorded,
                "event_id": event.id if event is not None else None,
            },
            at=at,
        )
        session.execute(
            sa.insert(LOG).values(
                process=self.spec.id,
                process_version=self.spec.version,
                entity=self.spec.entity,
                entity_id=entity_id,
                transition=move.name,
                from_state=target.state,
                to_state=move.target,
                version=new_version,
                actor_id=actor.id,
                actor_unit=actor.unit,
                at=at,
                event_id=event.id if event is not None else None,
                audit_seq=stamp.seq,
            )
        )
        return TransitionResult(
            entity=self.spec.entity,
            entity_id=entity_id,
            transition=move.name,
            from_state=target.state,
            to_state=move.target,
            version=new_version,
            actor_id=actor.id,
            at=at,
            audit_seq=stamp.seq,
            event=event,
        )

    def fire_and_commit(
        self,
        engine: Engine,
        entity: Any,
        transition: str,
        actor: Actor,
        inputs: Mapping[str, Any] | None = None,
        *,
        expected_version: int | None = None,
    ) -> TransitionResult:
        """:meth:`fire` in a transaction of its own, committed before it returns (or rolled back)."""
        from ..db import session_scope

        with session_scope(engine) as session:
            return self.fire(session, entity, transition, actor, inputs, expected_version=expected_version)

    def create(
        self, session: Session, entity: Any, actor: Actor, *, details: Mapping[str, Any] | None = None
    ) -> Any:
        """Store a new ``entity`` in the process's initial state (version 1) and audit its creation.

        Inside the caller's transaction; the entity is added to ``session`` and flushed, so its
        generated id is known on return.
        """
        if entity.state not in ("", None, self.spec.initial):
            raise InvalidInput(
                N_("{field}: a new {entity} starts in {expected}, got {got}"),
                field="state",
                entity=self.spec.entity,
                expected=self.spec.initial,
                got=str(entity.state),
            )
        entity.state = self.spec.initial
        entity.version = 1
        session.add(entity)
        session.flush()
        entity_id = str(_target(entity).entity_id)
        audit.append(
            session,
            action="create",
            entity=self.spec.entity,
            entity_id=entity_id,
            actor=actor,
            after={"state": self.spec.initial, "version": 1},
            details={"process": self.spec.id, "process_version": self.spec.version, **dict(details or {})},
        )
        return entity

    # -- the checks --------------------------------------------------------------------------------

    def _transition(self, name: str, state: str) -> Transition:
        if state not in {s.id for s in self.spec.states}:
            raise IntegrityViolation(
                N_("{field}: the stored state {got} is not a state of {process}"),
                field="state",
                got=state,
                process=self.spec.id,
            )
        allowed = [t.name for t in self.spec.transitions_from(state)] or "-"
        move = next((t for t in self.spec.transitions if t.name == name), None)
        if move is None:
            raise TransitionNotAllowed(
                N_("{field}: {process} has no transition {got}; allowed now: {allowed}"),
                field="transition",
                process=self.spec.id,
                got=name,
                state=state,
                allowed=allowed,
            )
        if state not in move.source:
            raise TransitionNotAllowed(field="transition", transition=name, state=state, allowed=allowed)
        return move

    def _check_actor(
        self, session: Session | sa.Connection, move: Transition, entity_id: str, actor: Actor
    ) -> None:
        if not actor.has_role(*move.roles):
            raise PermissionDenied(
                field="actor", actor=mask_text(actor.id), transition=move.name, roles=sorted(move.roles)
            )
        earlier = self._duty_conflict(session, move, entity_id, actor)
        if earlier is not None:
            raise PermissionDenied(
                N_(
                    "{field}: {actor} may not {transition} this {entity}: they performed {earlier} on it "
                    "(separation of duties)"
                ),
                field="actor",
                actor=mask_text(actor.id),
                transition=move.name,
                entity=self.spec.entity,
                earlier=earlier,
                rule="separation-of-duties",
            )

    def _duty_conflict(
        self, session: Session | sa.Connection, move: Transition, entity_id: str, actor: Actor
    ) -> str | None:
        rule = move.separation_of_duties
        if rule is None:
            return None
        query = (
            sa.select(LOG.c.transition, LOG.c.actor_id)
            .where(
                LOG.c.entity == self.spec.entity,
                LOG.c.entity_id == entity_id,
                LOG.c.transition.in_(rule.differs_from),
            )
            .order_by(LOG.c.id.desc())
        )
        seen: set[str] = set()
        for row in session.execute(query):
            if rule.scope == "latest" and row.transition in seen:
                continue
            seen.add(row.transition)
            if row.actor_id == actor.id:
                return str(row.transition)
        return None

    def _check_inputs(self, move: Transition, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Check the inputs; return them as the JSON the audit record and the log will hold."""
        for name in move.inputs:
            value = inputs.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise InvalidInput(
                    N_("{field}: {transition} needs this input"), field=f"inputs.{name}", transition=move.name
                )
        declared = set(move.inputs) | set(move.optional_inputs)
        if undeclared := sorted(set(inputs) - declared, key=str):
            raise InvalidInput(
                N_("{field}: {transition} takes no input of this name (it takes {allowed})"),
                field=f"inputs.{undeclared[0]}",
                transition=move.name,
                allowed=sorted(declared) or "-",
            )
        from pydantic_core import PydanticSerializationError, to_jsonable_python

        recorded: dict[str, Any] = {}
        for name, value in inputs.items():
            try:
                recorded[name] = json.loads(json.dumps(to_jsonable_python(value), allow_nan=False))
            except (PydanticSerializationError, ValueError) as exc:
                raise InvalidInput(
                    N_("{field}: cannot be recorded as JSON ({reason})"),
                    field=f"inputs.{name}",
                    reason=str(exc),
                ) from None
        return recorded

    def _check_guards(self, move: Transition, entity: Any, inputs: Mapping[str, Any], actor: Actor) -> None:
        for name in move.guards:
            try:
                reason = self._guards[name](entity, inputs, actor)
            except GuardFailed as exc:
                exc.field = exc.field or move.name
                exc.details.setdefault("guard", name)
                raise
            if reason:
                raise GuardFailed(field=move.name, guard=name, reason=str(reason))

    def _event(
        self,
        move: Transition,
        *,
        entity: Any,
        entity_id: str,
        from_state: str,
        version: int,
        actor: Actor,
        inputs: Mapping[str, Any],
        at: datetime,
    ) -> events.CloudEvent | None:
        event_type = self._event_types.get(move.name)
        if event_type is None:
            return None
        context = TransitionContext(
            spec=self.spec,
            transition=move,
            entity=entity,
            entity_id=entity_id,
            from_state=from_state,
            to_state=move.target,
            version=version,
            actor=actor,
            inputs=inputs,
            at=at,
        )
        builder = self._payloads.get(move.name)
        data = builder(context) if builder is not None else context.default_payload()
        return event_type.envelope(
            data, subject=f"{self.spec.entity}/{entity_id}", source=self.source, time=at
        )

    def _concurrent(self, entity_id: str, expected: int, actual: int) -> ConcurrentModification:
        return ConcurrentModification(
            field="version",
            entity=self.spec.entity,
            entity_id=mask_text(entity_id),
            expected=expected,
            actual=actual,
        )


def transition_history(
    session: Session | sa.Connection, entity: str, entity_id: str
) -> Sequence[sa.Row[Any]]:
    """The transitions performed on one entity, oldest first (rows of ``core_transition_log``)."""
    query = sa.select(LOG).where(LOG.c.entity == entity, LOG.c.entity_id == str(entity_id)).order_by(LOG.c.id)
    return session.execute(query).all()
