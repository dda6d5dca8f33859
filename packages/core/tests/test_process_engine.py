"""ProcessEngine: a checked transition is written with its log, event and audit record, or not at all."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session

from govparts.core import audit, events
from govparts.core.db import session_scope
from govparts.core.errors import (
    ConcurrentModification,
    ConfigurationError,
    GovPartsError,
    GuardFailed,
    IntegrityViolation,
    InvalidInput,
    InvalidRecord,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from govparts.core.i18n import N_
from govparts.core.process import (
    ProcessEngine,
    ProcessSpec,
    Stateful,
    TransitionContext,
    TransitionPayload,
    transition_history,
)
from govparts.core.security import Actor


class EngineDocument(Stateful, table=True):
    """A governed table of the tests: an outgoing document."""

    __tablename__ = "t_process_engine_document"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    body: str = ""
    amount: int = 0


class DocumentSigned(BaseModel):
    """A part's own payload for the signing event."""

    document_id: int
    title: str
    signer: str


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


SUBMITTED = events.EventType(
    "cn.govparts.enginetest.document.submitted.v1",
    TransitionPayload,
    _t("公文已送审", "A document was submitted for review", "ھۆججەت تەكشۈرۈشكە يوللاندى"),
)
SIGNED = events.EventType(
    "cn.govparts.enginetest.document.signed.v1",
    DocumentSigned,
    _t("公文已签发", "A document was signed", "ھۆججەتكە ئىمزا قويۇلدى"),
)
events.register(SUBMITTED, SIGNED)

SPEC = ProcessSpec(
    id="enginetest.outgoing_document",
    version="1.0",
    title=_t("发文办理", "Outgoing document", "چىقىرىلىدىغان ھۆججەت"),
    entity="document",
    roles=[
        {"id": "clerk", "label": _t("拟稿人", "Drafter", "لايىھە تۈزگۈچى")},
        {"id": "reviewer", "label": _t("审核人", "Reviewer", "تەكشۈرگۈچى")},
        {"id": "leader", "label": _t("签发人", "Signer", "ئىمزا قويغۇچى")},
    ],
    guards=[
        {"id": "has_body", "description": _t("正文不能为空", "The body is not empty", "تېكىستى بوش ئەمەس")},
        {"id": "within_limit", "description": _t("金额在限额内", "Within the limit", "چەكتىن ئاشمىغان")},
    ],
    states=[
        {"id": "draft", "label": _t("拟稿", "Draft", "لايىھە")},
        {"id": "submitted", "label": _t("待审核", "Submitted", "يوللاندى")},
        {"id": "reviewed", "label": _t("已审核", "Reviewed", "تەكشۈرۈلدى")},
        {"id": "signed", "label": _t("已签发", "Signed", "ئىمزا قويۇلدى"), "terminal": True},
    ],
    initial="draft",
    transitions=[
        {
            "name": "submit",
            "source": ["draft"],
            "target": "submitted",
            "roles": ["clerk"],
            "optional_inputs": ["note"],
            "event": SUBMITTED.type,
        },
        {"name": "return_for_revision", "source": ["submitted"], "target": "draft", "roles": ["reviewer"]},
        {
            "name": "review",
            "source": ["submitted"],
            "target": "reviewed",
            "roles": ["reviewer"],
            "guards": ["has_body", "within_limit"],
            "inputs": ["opinion"],
            "separation_of_duties": {"differs_from": ["submit"]},
        },
        {
            "name": "sign",
            "source": ["reviewed"],
            "target": "signed",
            "roles": ["leader"],
            "separation_of_duties": {"differs_from": ["submit", "review"], "scope": "latest"},
            "event": SIGNED.type,
        },
    ],
)

CLERK = Actor(id="u-clerk-1", name="阿依努尔·卡德尔", unit="office", roles={"clerk"})
CLERK_2 = Actor(id="u-clerk-2", name="王芳", unit="office", roles={"clerk"})
REVIEWER = Actor(id="u-reviewer", name="艾尔肯·吐尔洪", unit="office", roles={"reviewer"})
LEADER = Actor(id="u-leader", name="李明", unit="office", roles={"leader"})
# One person holding every role: only separation of duties stops them.
EVERYONE = Actor(id="u-all", name="张伟", unit="office", roles={"clerk", "reviewer", "leader"})


def has_body(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
    return None if entity.body.strip() else "the document has no body"


def within_limit(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
    if entity.amount > 10_000:
        raise GuardFailed(
            N_("{field}: {amount} is above the limit of {limit}"), amount=entity.amount, limit=10_000
        )
    return None


def signed_payload(context: TransitionContext) -> DocumentSigned:
    return DocumentSigned(
        document_id=int(context.entity_id), title=context.entity.title, signer=context.actor.id
    )


@pytest.fixture
def process() -> ProcessEngine:
    return ProcessEngine(
        SPEC, guards={"has_body": has_body, "within_limit": within_limit}, payloads={"sign": signed_payload}
    )


@pytest.fixture
def document(engine: Engine, process: ProcessEngine) -> EngineDocument:
    """A stored draft with a body."""
    with session_scope(engine) as session:
        doc: EngineDocument = process.create(
            session, EngineDocument(title="关于春节放假的通知", body="正文"), CLERK
        )
    return doc


def _snapshot(engine: Engine) -> dict[str, Any]:
    """Everything a transition writes: entity rows, audit records, outbox events, transition log."""
    table = EngineDocument.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        found = {
            "entities": conn.execute(
                sa.select(table.c.id, table.c.state, table.c.version).order_by(table.c.id)
            ).all(),
            "audit": conn.execute(sa.select(sa.func.count()).select_from(audit.AuditRecord)).scalar(),
            "outbox": conn.execute(sa.select(sa.func.count()).select_from(events.OutboxEvent)).scalar(),
            "log": conn.execute(
                sa.select(sa.func.count()).select_from(sa.table("core_transition_log"))
            ).scalar(),
        }
        conn.rollback()
    return found


def _refused(
    engine: Engine,
    process: ProcessEngine,
    entity: Any,
    transition: str,
    actor: Actor,
    *,
    inputs: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> GovPartsError:
    before = _snapshot(engine)
    with pytest.raises(GovPartsError) as caught:
        process.fire_and_commit(engine, entity, transition, actor, inputs, expected_version=expected_version)
    assert _snapshot(engine) == before, "a refused transition wrote something"
    return caught.value


def test_create_stores_the_entity_in_the_initial_state(engine: Engine, document: EngineDocument) -> None:
    """Stores a new entity in the initial state at version 1 and audits its creation."""
    assert (document.state, document.version) == ("draft", 1)
    with engine.connect() as conn:
        (record,) = audit.history(conn, "document", str(document.id))
    assert (record.action, record.actor_id, record.after) == (
        "create",
        CLERK.id,
        {"state": "draft", "version": 1},
    )


def test_create_refuses_an_entity_in_another_state(engine: Engine, process: ProcessEngine) -> None:
    """Refuses to create an entity that claims a state other than the initial one."""
    with pytest.raises(InvalidInput) as caught, session_scope(engine) as session:
        process.create(session, EngineDocument(title="x", state="signed"), CLERK)
    assert caught.value.field == "state"
    assert _snapshot(engine)["entities"] == []


def test_fire_writes_state_log_event_and_audit_together(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Moves the entity and writes the transition log, the outbox event and the audit record."""
    result = process.fire_and_commit(engine, document, "submit", CLERK, {"note": "请审核"})
    assert (result.from_state, result.to_state, result.version, result.actor_id) == (
        "draft",
        "submitted",
        2,
        CLERK.id,
    )
    assert (document.state, document.version) == ("submitted", 2)
    assert _snapshot(engine)["entities"] == [(document.id, "submitted", 2)]

    assert result.event is not None
    assert result.event.type == SUBMITTED.type
    assert result.event.subject == f"document/{document.id}"
    payload = SUBMITTED.parse(result.event)
    assert isinstance(payload, TransitionPayload)
    assert (payload.from_state, payload.to_state, payload.version, payload.inputs) == (
        "draft",
        "submitted",
        2,
        {"note": "请审核"},
    )
    with engine.connect() as conn:
        outbox = conn.execute(sa.select(events.OutboxEvent.__table__)).mappings().one()  # type: ignore[attr-defined]
        records = audit.history(conn, "document", str(document.id))
        (logged,) = transition_history(conn, "document", str(document.id))
    assert (outbox["id"], outbox["subject"], outbox["subject_seq"]) == (
        result.event.id,
        f"document/{document.id}",
        1,
    )
    assert outbox["data"] == result.event.data
    transition_record = records[-1]
    assert transition_record.seq == result.audit_seq
    assert transition_record.before == {"state": "draft", "version": 1}
    assert transition_record.after == {"state": "submitted", "version": 2}
    assert transition_record.details["transition"] == "submit"
    assert transition_record.details["event_id"] == result.event.id
    assert (logged.transition, logged.actor_id, logged.audit_seq, logged.event_id) == (
        "submit",
        CLERK.id,
        result.audit_seq,
        result.event.id,
    )
    assert audit.verify(engine).ok


def test_a_payload_builder_fills_the_parts_own_event_model(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Builds the event payload with the part's builder and validates it against the event type."""
    process.fire_and_commit(engine, document, "submit", CLERK)
    process.fire_and_commit(engine, document, "review", REVIEWER, {"opinion": "同意"})
    result = process.fire_and_commit(engine, document, "sign", LEADER)
    assert result.event is not None
    assert result.event.data == {
        "document_id": document.id,
        "title": "关于春节放假的通知",
        "signer": LEADER.id,
    }
    assert result.event.dataschema == SIGNED.dataschema
    assert (document.state, document.version) == ("signed", 4)


def test_a_transition_without_event_writes_none(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Writes no outbox event for a transition that names none, but still audits and logs it."""
    process.fire_and_commit(engine, document, "submit", CLERK)
    before = _snapshot(engine)
    result = process.fire_and_commit(engine, document, "return_for_revision", REVIEWER)
    after = _snapshot(engine)
    assert result.event is None
    assert after["outbox"] == before["outbox"]
    assert (after["audit"], after["log"]) == (before["audit"] + 1, before["log"] + 1)


def test_refuses_a_transition_the_state_does_not_allow(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Raises TransitionNotAllowed listing what the current state allows, and writes nothing."""
    error = _refused(engine, process, document, "sign", LEADER)
    assert isinstance(error, TransitionNotAllowed)
    assert error.details["state"] == "draft"
    assert error.details["allowed"] == ["submit"]
    assert "allowed now: submit" in error.message("en")


def test_refuses_an_unknown_transition(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Raises TransitionNotAllowed for a transition the process does not have."""
    error = _refused(engine, process, document, "publish", CLERK)
    assert isinstance(error, TransitionNotAllowed)
    assert error.details["got"] == "publish"


def test_refuses_an_actor_without_a_permitted_role(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Raises PermissionDenied naming the roles the transition needs, and writes nothing."""
    error = _refused(engine, process, document, "submit", REVIEWER)
    assert isinstance(error, PermissionDenied)
    assert error.details["roles"] == ["clerk"]
    assert error.field == "actor"


def test_separation_of_duties_keeps_the_preparer_from_reviewing(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Refuses the reviewer who submitted the document, though they hold the reviewer role."""
    process.fire_and_commit(engine, document, "submit", EVERYONE)
    error = _refused(engine, process, document, "review", EVERYONE, inputs={"opinion": "同意"})
    assert isinstance(error, PermissionDenied)
    assert error.details["rule"] == "separation-of-duties"
    assert error.details["earlier"] == "submit"
    process.fire_and_commit(engine, document, "review", REVIEWER, {"opinion": "同意"})


def test_separation_of_duties_any_counts_every_earlier_preparer(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """With scope "any", refuses someone who prepared an earlier round, though another resubmitted."""
    process.fire_and_commit(engine, document, "submit", EVERYONE)
    process.fire_and_commit(engine, document, "return_for_revision", REVIEWER)
    process.fire_and_commit(engine, document, "submit", CLERK_2)
    error = _refused(engine, process, document, "review", EVERYONE, inputs={"opinion": "同意"})
    assert isinstance(error, PermissionDenied)


def test_separation_of_duties_latest_counts_only_the_latest_performers(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """With scope "latest", excludes the latest submitter and reviewer but not an earlier submitter."""
    process.fire_and_commit(engine, document, "submit", EVERYONE)
    process.fire_and_commit(engine, document, "return_for_revision", REVIEWER)
    process.fire_and_commit(engine, document, "submit", CLERK_2)
    process.fire_and_commit(engine, document, "review", REVIEWER, {"opinion": "同意"})
    latest_submitter = CLERK_2.model_copy(update={"roles": frozenset({"leader"})})
    latest_reviewer = REVIEWER.model_copy(update={"roles": frozenset({"leader"})})
    for excluded in (latest_submitter, latest_reviewer):
        assert isinstance(_refused(engine, process, document, "sign", excluded), PermissionDenied)
    assert process.fire_and_commit(engine, document, "sign", EVERYONE).to_state == "signed"


def test_refuses_missing_and_undeclared_inputs(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Names a missing required input and an input the transition does not take; writes nothing."""
    process.fire_and_commit(engine, document, "submit", CLERK)
    missing = _refused(engine, process, document, "review", REVIEWER, inputs={"opinion": ""})
    assert isinstance(missing, InvalidInput)
    assert missing.field == "inputs.opinion"
    extra = _refused(engine, process, document, "review", REVIEWER, inputs={"opinion": "同意", "grade": "A"})
    assert isinstance(extra, InvalidInput)
    assert extra.field == "inputs.grade"
    assert extra.details["allowed"] == ["opinion"]


def test_refuses_inputs_that_cannot_be_recorded(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Refuses an input value that cannot be stored as JSON in the audit log, before writing."""
    for value in (object(), float("nan")):
        error = _refused(engine, process, document, "submit", CLERK, inputs={"note": value})
        assert isinstance(error, InvalidInput)
        assert error.field == "inputs.note"


def test_guards_see_the_inputs_as_given_and_the_audit_keeps_them_as_json(
    engine: Engine, document: EngineDocument
) -> None:
    """Hands guards the caller's input values and records them in the audit log as JSON."""
    seen: list[Any] = []

    def remember(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> None:
        seen.append(inputs["opinion"])

    process = ProcessEngine(
        SPEC, guards={"has_body": remember, "within_limit": within_limit}, payloads={"sign": signed_payload}
    )
    process.fire_and_commit(engine, document, "submit", CLERK)
    result = process.fire_and_commit(engine, document, "review", REVIEWER, {"opinion": Decimal("1.50")})
    assert seen == [Decimal("1.50")]
    with engine.connect() as conn:
        record = audit.history(conn, "document", str(document.id))[-1]
    assert record.seq == result.audit_seq
    assert record.details["inputs"] == {"opinion": "1.50"}


def test_a_guard_returning_a_reason_refuses_the_transition(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Raises GuardFailed naming the rule and the reason the guard gave, and writes nothing."""
    process.fire_and_commit(engine, document, "submit", CLERK)
    table = EngineDocument.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(sa.update(table).values(body="  "))
    with Session(engine) as session:
        fresh = session.get(EngineDocument, document.id)
    error = _refused(engine, process, fresh, "review", REVIEWER, inputs={"opinion": "同意"})
    assert isinstance(error, GuardFailed)
    assert error.details == {"guard": "has_body", "reason": "the document has no body"}
    assert error.field == "review"
    assert "has_body" in error.message("en")


def test_a_guard_may_raise_its_own_guard_failed(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Passes on the GuardFailed a guard raises, naming the guard and the transition."""
    process.fire_and_commit(engine, document, "submit", CLERK)
    table = EngineDocument.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(sa.update(table).values(amount=20_000))
    with Session(engine) as session:
        fresh = session.get(EngineDocument, document.id)
    error = _refused(engine, process, fresh, "review", REVIEWER, inputs={"opinion": "同意"})
    assert isinstance(error, GuardFailed)
    assert error.details["guard"] == "within_limit"
    assert error.field == "review"
    assert "20000 is above the limit of 10000" in error.message("en")


def test_a_stale_entity_raises_concurrent_modification(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Refuses a transition on an entity read before someone else moved it, and writes nothing."""
    with Session(engine, expire_on_commit=False) as session:
        stale = session.get(EngineDocument, document.id)
    process.fire_and_commit(engine, document, "submit", CLERK)
    process.fire_and_commit(engine, document, "return_for_revision", REVIEWER)
    assert stale is not None
    assert (stale.state, stale.version) == ("draft", 1)
    error = _refused(engine, process, stale, "submit", CLERK)
    assert isinstance(error, ConcurrentModification)
    assert (error.details["expected"], error.details["actual"]) == (1, 3)
    assert error.field == "version"


def test_an_expected_version_from_the_client_is_checked(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Refuses a transition when the version the client read differs from the entity's."""
    error = _refused(engine, process, document, "submit", CLERK, expected_version=0)
    assert isinstance(error, ConcurrentModification)
    process.fire_and_commit(engine, document, "submit", CLERK, expected_version=1)


def test_refuses_an_entity_whose_state_was_changed_in_memory(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Refuses an entity whose state was set by hand instead of through the engine."""
    before = _snapshot(engine)
    with Session(engine) as session:
        loaded = session.get(EngineDocument, document.id)
        assert loaded is not None
        loaded.state = "reviewed"
        with pytest.raises(InvalidInput) as caught:
            process.fire(session, loaded, "sign", LEADER)
        session.rollback()
    assert caught.value.field == "state"
    assert _snapshot(engine) == before


def test_refuses_an_entity_that_is_not_stored(engine: Engine, process: ProcessEngine) -> None:
    """Refuses to fire on an entity that was never created."""
    error = _refused(engine, process, EngineDocument(title="x", state="draft", version=1), "submit", CLERK)
    assert isinstance(error, InvalidInput)
    assert error.field == "entity"


def test_refuses_an_entity_deleted_meanwhile(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Raises NotFound for an entity whose row was deleted after it was read."""
    table = EngineDocument.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(sa.delete(table))
    error = _refused(engine, process, document, "submit", CLERK)
    assert isinstance(error, NotFound)


def test_refuses_a_stored_state_the_process_does_not_know(engine: Engine, process: ProcessEngine) -> None:
    """Raises IntegrityViolation for a row whose stored state is not a state of the process."""
    with session_scope(engine) as session:
        session.add(EngineDocument(title="x", state="lost", version=1))
    with Session(engine) as session:
        odd = session.scalars(sa.select(EngineDocument)).one()
    error = _refused(engine, process, odd, "submit", CLERK)
    assert isinstance(error, IntegrityViolation)
    assert error.field == "state"


def test_an_invalid_payload_writes_nothing(engine: Engine, document: EngineDocument) -> None:
    """Refuses a transition whose payload builder produces data the event type rejects."""
    broken = ProcessEngine(
        SPEC,
        guards={"has_body": has_body, "within_limit": within_limit},
        payloads={"sign": lambda context: {"document_id": "not a number", "title": "x", "signer": "y"}},
    )
    broken.fire_and_commit(engine, document, "submit", CLERK)
    broken.fire_and_commit(engine, document, "review", REVIEWER, {"opinion": "同意"})
    error = _refused(engine, broken, document, "sign", LEADER)
    assert isinstance(error, InvalidRecord)
    assert error.errors[0].field == "document_id"


def test_a_refusal_leaves_the_callers_transaction_usable(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Lets a caller catch a refusal and go on; only what succeeded is committed."""
    with session_scope(engine) as session:
        with pytest.raises(PermissionDenied):
            process.fire(session, document, "submit", REVIEWER)
        process.fire(session, document, "submit", CLERK)
    snapshot = _snapshot(engine)
    assert snapshot["entities"] == [(document.id, "submitted", 2)]
    assert (snapshot["outbox"], snapshot["log"]) == (1, 1)
    assert audit.verify(engine).ok


def test_a_failure_after_firing_rolls_everything_back(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Writes nothing at all when the caller's transaction fails after the transition."""
    before = _snapshot(engine)

    def work_that_fails() -> None:
        with session_scope(engine) as session:
            process.fire(session, document, "submit", CLERK)
            raise RuntimeError("the caller's own work fails")

    with pytest.raises(RuntimeError):
        work_that_fails()
    assert _snapshot(engine) == before


def test_allowed_lists_what_the_actor_may_do_now(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Lists what the state and the actor's roles allow; with a session, separation of duties too."""
    assert process.allowed(document, CLERK) == ["submit"]
    assert process.allowed(document, REVIEWER) == []
    process.fire_and_commit(engine, document, "submit", EVERYONE)
    assert process.allowed(document, EVERYONE) == ["return_for_revision", "review"]
    with Session(engine) as session:
        assert process.allowed(document, EVERYONE, session) == ["return_for_revision"]
        assert process.allowed(document, REVIEWER, session) == ["return_for_revision", "review"]


def test_events_of_one_entity_are_numbered_in_order(
    engine: Engine, process: ProcessEngine, document: EngineDocument
) -> None:
    """Numbers the events of one subject 1, 2, 3 in the order of the transitions."""
    for _ in range(3):
        process.fire_and_commit(engine, document, "submit", CLERK)
        process.fire_and_commit(engine, document, "return_for_revision", REVIEWER)
    with engine.connect() as conn:
        table = events.OutboxEvent.__table__  # type: ignore[attr-defined]
        seqs = conn.execute(sa.select(table.c.subject_seq).order_by(table.c.position)).scalars().all()
    assert seqs == [1, 2, 3]


def test_the_engine_checks_its_bindings() -> None:
    """Refuses unbound or unknown guards, unregistered event types and payloads that need a builder."""
    with pytest.raises(ConfigurationError) as caught:
        ProcessEngine(SPEC, guards={"has_body": has_body}, payloads={"sign": signed_payload})
    assert caught.value.field == "guards.within_limit"
    with pytest.raises(ConfigurationError) as caught:
        ProcessEngine(
            SPEC,
            guards={"has_body": has_body, "within_limit": within_limit, "has_seal": has_body},
            payloads={"sign": signed_payload},
        )
    assert caught.value.field == "guards.has_seal"
    with pytest.raises(ConfigurationError) as caught:
        ProcessEngine(SPEC, guards={"has_body": has_body, "within_limit": within_limit})
    assert caught.value.field == "payloads.sign"
    with pytest.raises(ConfigurationError) as caught:
        ProcessEngine(
            SPEC,
            guards={"has_body": has_body, "within_limit": within_limit},
            payloads={"sign": signed_payload, "review": signed_payload},
        )
    assert caught.value.field == "payloads.review"
    unregistered = SPEC.model_copy(
        update={
            "transitions": (
                SPEC.transitions[0].model_copy(update={"event": "cn.govparts.enginetest.document.lost.v1"}),
                *SPEC.transitions[1:],
            )
        }
    )
    with pytest.raises(ConfigurationError) as caught:
        ProcessEngine(unregistered, guards={"has_body": has_body, "within_limit": within_limit})
    assert caught.value.field == "transitions.submit.event"
