"""Business processes as data, and the engine that moves entities through them.

A :class:`ProcessSpec` is the published form of a process (流程): the states an entity of one kind
passes through, the transitions between them, which roles may perform each, the named business
rules (guards) that must hold, the inputs each needs, the event each emits, and separation of
duties ("the reviewer must not be the preparer"). It is checked as a whole when built and exports
to JSON and to a Mermaid state diagram.

A :class:`ProcessEngine` fires transitions on rows of any table model with ``state`` and
``version`` columns (derive it from :class:`Stateful`), in one database transaction: checks, then
``UPDATE … WHERE version = <read version>``, transition log, outbox event, audit record — all
committed together or not at all::

    engine = ProcessEngine(OUTGOING_DOCUMENT, guards={"has_body": has_body})
    with session_scope(db) as session:
        document = engine.create(session, Document(title="关于…的通知"), clerk)
    result = engine.fire_and_commit(db, document, "submit", clerk)
    with session_scope(db) as session:
        engine.fire(session, document, "review", reviewer, inputs={"opinion": "同意"})
"""

from ._engine import GuardFunc as GuardFunc
from ._engine import PayloadBuilder as PayloadBuilder
from ._engine import ProcessEngine as ProcessEngine
from ._engine import TransitionContext as TransitionContext
from ._engine import TransitionPayload as TransitionPayload
from ._engine import TransitionResult as TransitionResult
from ._engine import transition_history as transition_history
from ._spec import GuardRule as GuardRule
from ._spec import LocalizedText as LocalizedText
from ._spec import ProcessSpec as ProcessSpec
from ._spec import Role as Role
from ._spec import SeparationOfDuties as SeparationOfDuties
from ._spec import State as State
from ._spec import Transition as Transition
from ._tables import Stateful as Stateful
from ._tables import TransitionRecord as TransitionRecord

__all__ = [
    # the spec (data)
    "GuardRule",
    "LocalizedText",
    "ProcessSpec",
    "Role",
    "SeparationOfDuties",
    "State",
    "Transition",
    # the engine
    "GuardFunc",
    "PayloadBuilder",
    "ProcessEngine",
    "TransitionContext",
    "TransitionPayload",
    "TransitionResult",
    "transition_history",
    # tables
    "Stateful",
    "TransitionRecord",
]
