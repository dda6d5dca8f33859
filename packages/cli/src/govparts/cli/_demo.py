"""The steps of ``govparts demo``: real calls into core, each followed by checks of what happened.

1. migrations: every installed branch is applied to the database; nothing is left pending;
2. process: a small built-in process (a leave request) runs through the process engine: a rule
   refuses an over-long request and nothing is written; an applicant may not approve their own
   request (separation of duties); the approver approves, which writes the state, an audit record and
   an outbox event in one transaction;
3. audit: the hash chain holds and grew by exactly one record per change;
4. events: a handler drains the outbox; the approval is delivered once, and only once;
5. records: synthetic records pass or fail core's models (identifiers, code lists, money) with
   errors that name the field;
6. the office: every installed part that offers a scenario (``Part.demo`` naming a mapping of phase →
   function, see :mod:`govparts.core.demo`) runs its phases on one synthetic office — a dozen units,
   about fifty people, a month of business — with events flowing between the parts through one
   dispatcher; then the audit chain and the drained outbox are checked.

A part may instead name a single demo step, a callable (``Part(demo="govparts.x.demo:run")``)
called as ``run(engine, locale=...)`` on the migrated database; it returns an iterable of checks,
each an object or mapping with ``name`` (text in the locale), ``passed`` (bool) and optionally
``detail``. A step that takes no ``locale`` and returns a mapping of figures it has already checked
itself (raising if one is wrong) is shown as one passed check per figure. Parts never import the
cli, so the shape is all they share with it.

The built-in process keeps its requests in a scratch table of its own (``demo_leave_request``,
outside :data:`govparts.core.db.metadata` and the migrations); all personal data is invented.

Many offices in one database: each seed is its own office (its own credit code), so
``govparts demo --db URL --seed 1`` then ``--seed 2`` builds two offices side by side in one
database, and both pass. The offices a database holds are listed in the scratch table
``demo_office``; a run whose seed's office is already there refuses at once, before it writes
anything, with a message naming ``--db`` and ``--seed`` (a new seed, or a new database). Two demos
started at once on one database take turns: each run holds a lock on its database for its whole
length (a lock file beside a SQLite file, ``<file>.lock``; a session advisory lock on PostgreSQL), so
the second waits for the first, then runs on what the first left; two runs on the default file in
one folder both pass, the second replacing the first's file only after the first has finished.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from govparts.core import audit, codes, events, ids, migrate
from govparts.core.db import NAMING_CONVENTION, create_engine, session_scope
from govparts.core.demo import PHASE_TITLES, DemoContext, DemoTable, make_office, run_scenario, slug
from govparts.core.errors import (
    GovPartsError,
    GuardFailed,
    InvalidInput,
    InvalidRecord,
    PermissionDenied,
    from_validation_error,
)
from govparts.core.i18n import N_
from govparts.core.money import Money
from govparts.core.parts import Part, iter_parts
from govparts.core.process import (
    GuardRule,
    LocalizedText,
    ProcessEngine,
    ProcessSpec,
    Role,
    SeparationOfDuties,
    State,
    Transition,
    TransitionPayload,
)
from govparts.core.security import Actor, mask_citizen_id

from ._db import DEMO_DATABASE
from ._ui import DOMAIN, _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["DEFAULT_DATABASE", "REPORT_SCHEMA", "Check", "DemoReport", "report_json", "run_demo"]

DEFAULT_DATABASE = DEMO_DATABASE
"""The SQLite file the demo creates in the working directory (replaced on every run)."""

REPORT_SCHEMA = "demo-report.schema.json"
"""The JSON Schema of ``govparts demo --json``, shipped beside this module (``files(govparts.cli)``)."""

MAX_LEAVE_DAYS = 30
APPROVED = "cn.govparts.demo.leave_request.approved.v1"
HANDLER_ID = "demo.count-approvals"


@dataclass(frozen=True)
class Check:
    """One checked outcome of a step: texts in the demo's locale, ids the same in every locale."""

    step: str
    """The step's title in the locale."""
    name: str
    passed: bool
    detail: str = ""
    id: str = ""
    """The check's stable id: ``core.<step>.<slug>`` for the built-in steps, ``<part>.<slug>`` for
    a part's (see :mod:`govparts.core.demo`)."""
    step_key: str = ""
    """The step's stable key: ``core.migrations``…, ``<part>.demo`` for a part's single step,
    ``<part>.<phase>`` for a phase of the office's scenario, ``core.report`` for its closing checks."""


@dataclass
class DemoReport:
    """Where the demo ran and what it found."""

    database: str
    seed: int = 0
    checks: list[Check] = field(default_factory=list)
    tables: list[DemoTable] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when there was at least one check and every check passed."""
        return bool(self.checks) and all(c.passed for c in self.checks)


def _cell_json(value: object) -> object:
    if isinstance(value, Money):
        return {"amount": str(value), "currency": value.currency}
    return value


def report_json(report: DemoReport, locale: str) -> dict[str, Any]:
    """``report`` in the shape of :data:`REPORT_SCHEMA` (``govparts demo --json``).

    Ids, keys, verdicts, amounts and numbers are the same in every locale; the texts beside them
    (``step_title``, ``text``, ``detail``, ``title``, ``columns`` and text cells) are in ``locale``.
    Amounts are decimal strings with two places and their currency apart (``"5680.00"``, ``"CNY"``).
    """
    return {
        "database": report.database,
        "seed": report.seed,
        "locale": locale,
        "passed": report.passed,
        "checks": [
            {
                "id": c.id,
                "step": c.step_key,
                "step_title": c.step,
                "text": c.name,
                "passed": c.passed,
                "detail": c.detail,
            }
            for c in report.checks
        ],
        "tables": [
            {
                "key": t.key,
                "part": t.part,
                "title": t.title,
                "columns": list(t.columns),
                "rows": [[_cell_json(v) for v in row] for row in (t.values or t.rows)],
            }
            for t in report.tables
        ],
    }


# -- the built-in process ----------------------------------------------------------------------------


class _Scratch(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class LeaveRequest(_Scratch):
    """A request for days of leave (请假申请), the entity of the built-in process."""

    __tablename__ = "demo_leave_request"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    applicant: Mapped[str] = mapped_column(sa.String(100))
    days: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(64), default="")
    version: Mapped[int] = mapped_column(default=0)


class DemoOffice(_Scratch):
    """An office the demo built in this database: its credit code, and the seed and kind it came from."""

    __tablename__ = "demo_office"

    credit_code: Mapped[str] = mapped_column(sa.String(18), primary_key=True)
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    kind: Mapped[str] = mapped_column(sa.String(32))


def _text(zh: str, en: str, ug: str) -> LocalizedText:
    return LocalizedText(zh_Hans_CN=zh, en=en, ug_CN=ug)


@cache
def leave_process() -> ProcessSpec:
    """The built-in leave-request process: draft → submitted → approved or rejected."""
    return ProcessSpec(
        id="demo.leave_request",
        version="1.0",
        title=_text("请假申请", "Leave request", "رۇخسەت ئىلتىماسى"),
        entity="leave_request",
        roles=(
            Role(id="applicant", label=_text("申请人", "Applicant", "ئىلتىماس قىلغۇچى")),
            Role(id="approver", label=_text("审批人", "Approver", "تەستىقلىغۇچى")),
        ),
        guards=(
            GuardRule(
                id="days_within_limit",
                description=_text(
                    f"请假天数为 1 至 {MAX_LEAVE_DAYS} 天",
                    f"between 1 and {MAX_LEAVE_DAYS} days of leave",
                    f"رۇخسەت كۈنى 1 دىن {MAX_LEAVE_DAYS} كىچە",
                ),
            ),
        ),
        states=(
            State(id="draft", label=_text("草稿", "Draft", "ئارگىنال")),
            State(id="submitted", label=_text("已提交", "Submitted", "تاپشۇرۇلدى")),
            State(id="approved", label=_text("已批准", "Approved", "تەستىقلاندى"), terminal=True),
            State(id="rejected", label=_text("已驳回", "Rejected", "رەت قىلىندى"), terminal=True),
        ),
        initial="draft",
        transitions=(
            Transition(
                name="submit",
                label=_text("提交", "Submit", "تاپشۇرۇش"),
                source=("draft",),
                target="submitted",
                roles=("applicant",),
                guards=("days_within_limit",),
            ),
            Transition(
                name="approve",
                label=_text("批准", "Approve", "تەستىقلاش"),
                source=("submitted",),
                target="approved",
                roles=("approver",),
                inputs=("opinion",),
                event=APPROVED,
                separation_of_duties=SeparationOfDuties(differs_from=("submit",)),
            ),
            Transition(
                name="reject",
                label=_text("驳回", "Reject", "رەت قىلىش"),
                source=("submitted",),
                target="rejected",
                roles=("approver",),
                inputs=("opinion",),
                separation_of_duties=SeparationOfDuties(differs_from=("submit",)),
            ),
        ),
    )


def _days_within_limit(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
    days = int(entity.days)
    return (
        None if 1 <= days <= MAX_LEAVE_DAYS else f"{days} > {MAX_LEAVE_DAYS}" if days > 0 else f"{days} < 1"
    )


def _leave_engine() -> ProcessEngine:
    events.register(
        events.EventType(
            APPROVED,
            TransitionPayload,
            {
                "zh_Hans_CN": "请假申请已批准",
                "en": "A leave request was approved",
                "ug_CN": "رۇخسەت ئىلتىماسى تەستىقلاندى",
            },
        )
    )
    return ProcessEngine(leave_process(), guards={"days_within_limit": _days_within_limit})


# Invented people: names and numbers belong to no one.
APPLICANT = Actor(id="demo-0001", name="阿依古丽·艾力", unit="650102-hr", roles=frozenset({"applicant"}))
APPROVER = Actor(id="demo-0002", name="王建国", unit="650102-hr", roles=frozenset({"approver"}))
# The applicant acting as an approver too: separation of duties must still stop them.
APPLICANT_AS_APPROVER = APPLICANT.model_copy(update={"roles": frozenset({"applicant", "approver"})})


# -- running -----------------------------------------------------------------------------------------


class _Step:
    """Collects the checks of one step; a GovPartsError raised in it becomes a failed check."""

    def __init__(self, report: DemoReport, key: str, title: str, locale: str) -> None:
        self.report, self.key, self.title, self.locale = report, key, title, locale

    def check(self, check_id: str, name: str, passed: bool, detail: object = "") -> bool:
        """Record a check whose id is ``<step key>.<check_id>`` (numbered again if already taken)."""
        wanted = found = f"{self.key}.{check_id}"
        taken = {c.id for c in self.report.checks}
        n = 1
        while found in taken:
            n += 1
            found = f"{wanted}-{n}"
        self.report.checks.append(Check(self.title, name, bool(passed), str(detail), found, self.key))
        return bool(passed)

    @contextmanager
    def running(self) -> Iterator[_Step]:
        try:
            yield self
        except GovPartsError as err:
            self.check("ran-to-end", _("the step ran to its end"), False, err.message(self.locale))
        except sa.exc.SQLAlchemyError as exc:
            # A database without the tables the step needs (no migrations): a failed step, not a crash.
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            self.check("ran-to-end", _("the step ran to its end"), False, reason)


def _state(engine: Engine, request_id: int) -> tuple[str, int]:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(LeaveRequest.state, LeaveRequest.version).where(LeaveRequest.id == request_id)
        ).one()
    return str(row.state), int(row.version)


def _new_request(engine: Engine, process: ProcessEngine, days: int, seen: dict[str, Any]) -> LeaveRequest:
    request = LeaveRequest(applicant=APPLICANT.id, days=days)
    with session_scope(engine) as session:
        process.create(session, request, APPLICANT)
        session.expunge(request)
    seen["changes"] += 1
    return request


def _migrations(step: _Step, engine: Engine, targets: tuple[str, ...] = ("heads",)) -> None:
    """Upgrade to ``targets`` (every branch; an agency of ``demo --broker``: core's and its part's)."""
    applied = [revision for target in targets for revision in migrate.upgrade(engine, target)]
    step.check(
        "branches-applied",
        _("every installed branch is applied"),
        not any(migrate.pending(engine, target) for target in targets),
        _("{count} revision(s) applied now; database at {revisions}").format(
            count=len(applied), revisions=", ".join(migrate.current(engine)) or "-"
        ),
    )
    tables = set(sa.inspect(engine).get_table_names())
    needed = {"core_audit_record", "core_audit_head", "core_transition_log"}
    step.check(
        "tables-exist",
        _("the audit and process tables exist"),
        needed <= tables,
        ", ".join(sorted(needed - tables)),
    )
    _Scratch.metadata.create_all(engine)


def _process(step: _Step, engine: Engine, seen: dict[str, Any]) -> None:
    process = _leave_engine()
    seen["audit_before"] = audit.verify(engine).head_seq
    seen["changes"] = 0

    too_long = _new_request(engine, process, MAX_LEAVE_DAYS + 15, seen)
    try:
        process.fire_and_commit(engine, too_long, "submit", APPLICANT)
        refused, detail = False, ""
    except GuardFailed as err:
        refused, detail = True, err.message(step.locale)
    step.check(
        "over-limit-refused",
        _("a request over the limit is refused by its rule, and nothing is written"),
        refused and _state(engine, too_long.id) == ("draft", 1),
        detail,
    )

    request = _new_request(engine, process, 3, seen)
    process.fire_and_commit(engine, request, "submit", APPLICANT)
    seen["changes"] += 1
    try:
        process.fire_and_commit(engine, request, "approve", APPLICANT_AS_APPROVER, {"opinion": "同意"})
        refused, detail = False, ""
    except PermissionDenied as err:
        refused, detail = True, err.message(step.locale)
    step.check(
        "own-approval-refused",
        _("the applicant may not approve their own request"),
        refused and _state(engine, request.id) == ("submitted", 2),
        detail,
    )

    result = process.fire_and_commit(engine, request, "approve", APPROVER, {"opinion": "同意"})
    seen["changes"] += 1
    seen["event_id"] = result.event.id if result.event is not None else None
    step.check(
        "approved-together",
        _("the approver approves: new state, version, audit record and event together"),
        _state(engine, request.id) == ("approved", 3) and result.event is not None,
        _("state {state}, version {version}, audit record {seq}").format(
            state=leave_process().state(result.to_state).label.in_locale(step.locale),
            version=result.version,
            seq=result.audit_seq,
        ),
    )


def _audit(step: _Step, engine: Engine, seen: dict[str, Any]) -> None:
    report = audit.verify(engine)
    step.check("chain-holds", _("the audit chain holds"), report.ok, report.message(step.locale))
    if "audit_before" in seen:
        grown = report.head_seq - int(seen["audit_before"])
        step.check(
            "one-record-per-change",
            _("one audit record per change, none for a refusal"),
            grown == seen["changes"],
            _("{count} new record(s)").format(count=grown),
        )


def _events(step: _Step, engine: Engine, seen: dict[str, Any]) -> None:
    event_id = seen.get("event_id")
    waiting = [e["event_id"] for e in events.pending(engine)]
    step.check(
        "approval-in-outbox",
        _("the approval waits in the outbox"),
        event_id is not None and event_id in waiting,
    )
    received: list[str] = []
    dispatcher = events.Dispatcher(engine)

    @dispatcher.register(HANDLER_ID, APPROVED)
    def count_approval(session: Any, event: events.CloudEvent) -> None:
        received.append(event.id)

    first = dispatcher.run()
    second = dispatcher.run()
    step.check(
        "delivered-once",
        _("the handler receives the approval once"),
        received.count(str(event_id)) == 1 and second.delivered == 0,
        _("{delivered} delivered, {failed} failed").format(
            delivered=first.delivered, failed=len(first.failures)
        ),
    )
    left = [e for e in events.pending(engine) if e["event_id"] == event_id]
    step.check("outbox-drained", _("the outbox is drained"), not left)


class _Person(BaseModel):
    """A synthetic personnel record typed with core's identifiers, code lists and money."""

    citizen_id: ids.CitizenId
    sex: Annotated[str, codes.Coded("GB/T 2261.1")]
    ethnicity: Annotated[str, codes.Coded("GB/T 3304")]
    employer: ids.CreditCode
    monthly_salary: Money


def _records(step: _Step) -> None:
    # Invented: a man born 1990-03-07, registered in Urumqi's Tianshan district (650102).
    body = "65010219900307123"
    citizen = body + ids.citizen_id.calc_check_character(body)
    good = {
        "citizen_id": citizen,
        "sex": "1",
        "ethnicity": "05",
        "employer": "91350100M000100Y43",
        "monthly_salary": "8650.5",
    }
    person = _Person.model_validate(good)
    step.check(
        "valid-record-passes",
        _("a valid record passes and money keeps two places"),
        person.model_dump(mode="json")["monthly_salary"] == "8650.50",
        " · ".join(
            (
                mask_citizen_id(citizen),
                codes.get("GB/T 3304")["05"].label(step.locale),
                person.monthly_salary.format(step.locale),
            )
        ),
    )
    wrong_check = "X" if citizen[-1] != "X" else "0"
    bad = {**good, "citizen_id": citizen[:-1] + wrong_check, "sex": "3", "monthly_salary": 8650.5}
    try:
        _Person.model_validate(bad)
        fields: list[str] = []
        detail = ""
    except ValidationError as exc:
        error: InvalidRecord = from_validation_error(exc, model="Person")
        fields = sorted(e.field or "" for e in error.errors)
        detail = error.message(step.locale)
    step.check(
        "bad-record-refused",
        _("a bad record is refused, each error naming its field"),
        fields == ["citizen_id", "monthly_salary", "sex"],
        detail,
    )
    shares = Money.of("100.00").split(3)
    step.check(
        "money-divides-exactly",
        _("money divides without losing a fen"),
        Money.total(shares) == Money.of("100.00") and Money.of("0.10") + Money.of("0.20") == Money.of("0.30"),
        " + ".join(str(s) for s in shares),
    )


def _field(item: Any, name: str, default: Any = None) -> Any:
    return item.get(name, default) if isinstance(item, Mapping) else getattr(item, name, default)


def _part_steps(report: DemoReport, engine: Engine, locale: str, parts: list[Part]) -> None:
    for part in parts:
        if part.demo is None:
            continue
        step = _Step(report, f"{part.name}.demo", part.title_in(locale), locale)
        try:
            run_part: Callable[..., Any] = part.load("demo")
            if isinstance(run_part, Mapping):  # a scenario: runs with the office (_office)
                continue
            takes_locale = "locale" in inspect.signature(run_part).parameters
            outcome = run_part(engine, locale=locale) if takes_locale else run_part(engine)
            if isinstance(outcome, Mapping):
                # Figures named the same in every locale: their names make the ids.
                for n, (name, figure) in enumerate(outcome.items(), start=1):
                    step.check(slug(str(name)) or str(n), str(name), True, str(figure))
                continue
            for n, item in enumerate(outcome, start=1):
                # Names in the locale: the item's own id, else its place in the step.
                step.check(
                    str(_field(item, "id", "") or n),
                    str(_field(item, "name", "")),
                    bool(_field(item, "passed")),
                    _field(item, "detail", ""),
                )
        except GovPartsError as err:
            step.check("ran-to-end", _("the step ran to its end"), False, err.message(locale))
        except Exception as exc:  # a part's own bug must show in the report, not end the demo
            step.check("ran-to-end", _("the step ran to its end"), False, f"{type(exc).__name__}: {exc}")


def _claim_office(engine: Engine, seed: int, kind: str, database: str) -> None:
    """Record that this database holds the office of ``seed``, or refuse: it holds it already."""
    office = make_office(seed, kind)
    _Scratch.metadata.create_all(engine, tables=[DemoOffice.__table__])  # type: ignore[list-item]
    with engine.begin() as conn:
        code = DemoOffice.credit_code
        if conn.execute(sa.select(code).where(code == office.credit_code)).first() is None:
            conn.execute(sa.insert(DemoOffice).values(credit_code=office.credit_code, seed=seed, kind=kind))
            return
    raise InvalidInput(
        N_(
            "{field}: the database {database} already holds the demo office of seed {seed} ({org}); "
            "run with another --seed, or give another database with --db"
        ),
        field="seed",
        database=database,
        seed=seed,
        org=office.credit_code,
        domain=DOMAIN,
    )


@contextmanager
def _database_lock(engine: Engine, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold this database for the whole run, so that two demos on it take turns (``waiting`` is
    called once when another run holds it)."""
    if engine.dialect.name == "postgresql":
        key = sa.text("SELECT pg_try_advisory_lock(hashtext('govparts-demo'))")
        with engine.connect() as conn:
            if not conn.execute(key).scalar():
                waiting()
                conn.execute(sa.text("SELECT pg_advisory_lock(hashtext('govparts-demo'))"))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(hashtext('govparts-demo'))"))
                conn.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with _file_lock(Path(f"{database}.lock"), waiting):
        yield


@contextmanager
def _file_lock(path: Path, waiting: Callable[[], None]) -> Iterator[None]:
    with path.open("a+b") as handle:
        if sys.platform == "win32":  # pragma: no cover - the lock of the platform
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            return
        import fcntl

        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fresh_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _office(
    report: DemoReport,
    *,
    engine: Engine,
    locale: str,
    parts: list[Part],
    progress: Callable[[str, str], None] | None,
    kind: str,
) -> None:
    ctx = DemoContext(
        engine=engine,
        dispatcher=events.Dispatcher(engine),
        office=make_office(report.seed, kind),
        locale=locale,
        seed=report.seed,
    )
    run_scenario(ctx, parts, progress=progress)
    titles = {part.name: part.title_in(locale) for part in parts}
    titles["core"] = _("Audit") + " · " + _("Events")
    for c in ctx.checks:
        phase = PHASE_TITLES[c.phase][ctx.locale] if c.phase in PHASE_TITLES else c.phase
        step = titles["core"] if c.part == "core" else f"{titles.get(c.part, c.part)} · {phase}"
        report.checks.append(Check(step, c.name, c.passed, c.detail, c.id, f"{c.part}.{c.phase}"))
    report.tables.extend(ctx.tables)


def run_demo(
    url: str | None,
    locale: str,
    *,
    seed: int = 2023,
    parts: list[Part] | None = None,
    progress: Callable[[str, str], None] | None = None,
    waiting: Callable[[], None] | None = None,
    kind: str = "administrative",
) -> DemoReport:
    """Run every step on ``url`` (default: a new ``govparts-demo.db`` in the working directory).

    ``parts`` defaults to the installed parts; ``progress(part, phase)`` is called as the office's
    scenario advances (see :func:`govparts.core.demo.run_scenario`); ``kind`` is the office's kind (see
    :data:`govparts.core.demo.OFFICE_KINDS`); ``waiting()`` once if another
    demo holds the database and this run waits for it. Raises ``InvalidInput`` (field ``seed``),
    before writing anything, when the database already holds the office of ``seed``.
    """
    fresh = url is None
    if url is None:
        url = f"sqlite:///{Path.cwd() / DEFAULT_DATABASE}"
    engine = create_engine(url)
    try:
        with _database_lock(engine, waiting or (lambda: None)):
            if fresh:
                engine.dispose()
                _fresh_sqlite(Path(str(engine.url.database)))
            return _run_locked(engine, locale=locale, seed=seed, kind=kind, parts=parts, progress=progress)
    finally:
        engine.dispose()


def _steps_of_core(
    engine: Engine, targets: tuple[str, ...] = ("heads",)
) -> list[tuple[str, str, Callable[[_Step], None]]]:
    """The built-in steps: (key, untranslated title, body); migrations up to ``targets``."""
    seen: dict[str, Any] = {}
    return [
        ("core.migrations", N_("Migrations"), lambda step: _migrations(step, engine, targets)),
        ("core.process", N_("Process"), lambda step: _process(step, engine, seen)),
        ("core.audit", N_("Audit"), lambda step: _audit(step, engine, seen)),
        ("core.events", N_("Events"), lambda step: _events(step, engine, seen)),
        ("core.records", N_("Records"), _records),
    ]


def _run_locked(
    engine: Engine,
    *,
    locale: str,
    seed: int,
    kind: str,
    parts: list[Part] | None,
    progress: Callable[[str, str], None] | None,
) -> DemoReport:
    database = engine.url.render_as_string(hide_password=True)
    _claim_office(engine, seed, kind, database)
    chosen = list(iter_parts()) if parts is None else list(parts)
    report = DemoReport(database=database, seed=seed)
    for key, title, body in _steps_of_core(engine):
        step = _Step(report, key, _(title), locale)
        with step.running():
            body(step)
    _part_steps(report, engine, locale, chosen)
    _office(report, engine=engine, locale=locale, parts=chosen, progress=progress, kind=kind)
    return report


@contextmanager
def show_progress(out: Any) -> Iterator[Callable[[str, str], None] | None]:
    """A Rich progress bar on the terminal's stderr while the office's scenario runs (none when piped)."""
    if out.as_json or not out.errors.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from govparts.core.demo import plan

    parts = list(iter_parts())
    total = len(plan(parts)) + 1
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=out.errors,
        transient=True,
    ) as bar:
        task = bar.add_task(_("Preparing the database"), total=total)
        titles = {part.name: part.title_in(out.locale) for part in parts}

        def advance(part: str, phase: str) -> None:
            label = PHASE_TITLES[phase][out.locale] if phase in PHASE_TITLES else phase
            bar.update(task, advance=1, description=f"{titles.get(part, part)} · {label}")

        yield advance
