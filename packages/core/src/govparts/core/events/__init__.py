"""Events between parts: CloudEvents envelopes, a catalogue, a transactional outbox, a dispatcher.

A part announces what happened by publishing an event in the same database transaction as the
change itself (the transactional outbox), so an event exists exactly when its change committed::

    from govparts.core import events

    HIRED = events.EventType(
        "cn.govparts.personnel.employee.hired.v1", EmployeeHired,
        {"zh_Hans_CN": "员工已入职", "en": "An employee was hired", "ug_CN": "خىزمەتچى ئىشقا ئېلىندى"},
    )
    events.register(HIRED)

    with session_scope(engine) as session:
        ...  # the change
        events.publish(session, HIRED, payload, subject=f"employee/{employee.id}")

A producer writing thousands of events of one type at once (a bulk import) hands them over as
``(subject, data)`` pairs; they are validated in one pass, numbered per subject and inserted with one
statement each, without building an envelope object per event::

    events.publish_batch(session, HIRED, [(f"employee/{id}", data) for id, data in hired])

Events about rows the transaction has just written can be built by the database itself, one per row
of a ``SELECT`` of ``subject``, ``data`` (:func:`json_object`) and ``ordinal``::

    events.publish_select(session, HIRED, sa.select(subject, events.json_object(session, ...), ordinal))

Type names read ``cn.govparts.<part>.<entity>.<event>.v<N>``; each type's payload is a published
pydantic model whose JSON Schema the catalogue gives (``govparts events list``). Other parts consume
events through handlers registered with a :class:`Dispatcher`, which delivers each committed event
at least once, in order per subject, and applies a handler's effects once by recording processed
event ids in the handler's own transaction::

    dispatcher = events.Dispatcher(engine)

    @dispatcher.register("attendance.enrol-new-employee", "cn.govparts.personnel.employee.hired.v1")
    def enrol(session, event):
        hired = EmployeeHiredAsAttendanceReadsIt.model_validate(event.data)  # a tolerant reader
        ...

    dispatcher.run()

:func:`pending` lists what is not yet delivered (``govparts events pending``).

Between systems (another agency, another vendor, the exchange centre) a :class:`Relay` publishes
the outbox to NATS JetStream (``govparts relay``) and a :class:`BrokerConsumer` feeds handlers in
another process and database from it (``govparts consume``); both need the ``nats`` extra.
"""

from ._broker import StreamSettings as StreamSettings
from ._broker import event_org as event_org
from ._broker import nats_subject as nats_subject
from ._catalogue import EventType as EventType
from ._catalogue import catalogue as catalogue
from ._catalogue import get as get
from ._catalogue import register as register
from ._catalogue import registered as registered
from ._consumer import BrokerConsumer as BrokerConsumer
from ._consumer import ConsumeReport as ConsumeReport
from ._consumer import run_consumer as run_consumer
from ._dispatcher import DeliveryFailure as DeliveryFailure
from ._dispatcher import Dispatcher as Dispatcher
from ._dispatcher import DispatchReport as DispatchReport
from ._dispatcher import Handler as Handler
from ._dispatcher import HandlerFunc as HandlerFunc
from ._dispatcher import default_backoff as default_backoff
from ._dispatcher import drop_handler as drop_handler
from ._dispatcher import pending as pending
from ._envelope import EVENT_TYPE_PATTERN as EVENT_TYPE_PATTERN
from ._envelope import CloudEvent as CloudEvent
from ._envelope import EventIdBlock as EventIdBlock
from ._envelope import EventTypeName as EventTypeName
from ._envelope import new_event_id as new_event_id
from ._envelope import new_event_ids as new_event_ids
from ._envelope import parse_event_type as parse_event_type
from ._envelope import reserve_event_ids as reserve_event_ids
from ._outbox import json_object as json_object
from ._outbox import mark_processed as mark_processed
from ._outbox import publish as publish
from ._outbox import publish_batch as publish_batch
from ._outbox import publish_events as publish_events
from ._outbox import publish_select as publish_select
from ._relay import Relay as Relay
from ._relay import RelayReport as RelayReport
from ._relay import run_relay as run_relay
from ._relay_tables import RelayAhead as RelayAhead
from ._relay_tables import RelayCursor as RelayCursor
from ._tables import EventDelivery as EventDelivery
from ._tables import EventSubscription as EventSubscription
from ._tables import OutboxEvent as OutboxEvent
from ._tables import OutboxSubject as OutboxSubject
from ._tables import ProcessedEvent as ProcessedEvent

__all__ = [
    # the envelope
    "EVENT_TYPE_PATTERN",
    "CloudEvent",
    "EventIdBlock",
    "EventTypeName",
    "new_event_id",
    "new_event_ids",
    "parse_event_type",
    "reserve_event_ids",
    # the catalogue
    "EventType",
    "catalogue",
    "get",
    "register",
    "registered",
    # publishing (the outbox)
    "publish",
    "publish_batch",
    "publish_events",
    "publish_select",
    "json_object",
    # consuming
    "DeliveryFailure",
    "DispatchReport",
    "Dispatcher",
    "Handler",
    "HandlerFunc",
    "default_backoff",
    "drop_handler",
    "mark_processed",
    "pending",
    # the broker (NATS JetStream)
    "BrokerConsumer",
    "ConsumeReport",
    "Relay",
    "RelayReport",
    "StreamSettings",
    "event_org",
    "nats_subject",
    "run_consumer",
    "run_relay",
    # tables
    "EventDelivery",
    "EventSubscription",
    "OutboxEvent",
    "OutboxSubject",
    "ProcessedEvent",
    "RelayAhead",
    "RelayCursor",
]
