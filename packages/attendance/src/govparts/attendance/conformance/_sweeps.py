"""Checks that sweep and refuse (issue 16): every Protocol method, every actor, both sides of a rule.

Settings (years the calendar publishes, months, regions, time zones) are drawn with
``scenario_rng()``, so ``--seed N`` reruns the same scenarios; boundaries are deterministic (below,
at and above each limit; the first and last day of a month; the fen of a day, its seconds).
Refusals are read back through the Protocol: the entity is absent or unchanged, no audit record
and no event was added.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from govparts.conformance import (
    expect_equal,
    expect_raises,
    expect_true,
    refuses,
    scenario,
    scenario_rng,
    step,
    verifies,
)
from govparts.core.calendar import calendar_for
from govparts.core.errors import (
    GovPartsError,
    GuardFailed,
    InvalidInput,
    NotFound,
    OrganizationDenied,
    PermissionDenied,
)
from govparts.core.events import CloudEvent
from govparts.core.refs import OrgUnitRef, PersonRef
from govparts.core.security import Actor

from .._models import (
    Enrolment,
    LeaveRequestIn,
    MonthClosed,
    OrgDayOverride,
    OrgSettings,
    Punch,
    PunchCorrectionIn,
    Shift,
    ShiftAssignment,
    TripRequestIn,
)
from .._protocol import AttendanceService
from ._checks import BOSS, CLERK, DAY, ORG, OTHER, OTHER_CLERK, XJ

THIRD = "91650100MA0000002Y"
"""A third organisation in the same database (a company-form registration, category 91)."""
THIRD_CLERK = Actor(
    id="K003", name="考勤员", roles=frozenset({"employee", "attendance_clerk", "approver"}), org=THIRD
)
NOBODY = Actor(id="N001", name="访客", roles=frozenset(), org=ORG)
"""An actor of the organisation holding no attendance role."""
MONTH_CLOSED_TYPE = "cn.govparts.attendance.month.closed.v1"
LEAVE_APPROVED_TYPE = "cn.govparts.attendance.leave_request.approved.v1"
HIRED = "cn.govparts.personnel.employee.hired.v1"
SEPARATED = "cn.govparts.personnel.employee.separated.v1"
TRANSFERRED = "cn.govparts.personnel.employee.transferred.v1"
ZONES = ("Asia/Shanghai", "Asia/Urumqi")
NAMES = ("阿依古丽·买买提", "王建国", "努尔艾力·吐尔逊", "李华", "古丽娜尔·艾力", "张伟", "热依拉·阿不都")


def _unit(org: str, code: str = "BGS") -> OrgUnitRef:
    return OrgUnitRef(
        organization_credit_code=org, unit_code=code, name={"BGS": "办公室", "CWK": "财务科"}[code]
    )


def _enrolment(
    org: str, person_id: str, start: date, first: date | None = None, unit: str = "BGS"
) -> Enrolment:
    name = NAMES[sum(map(ord, person_id)) % len(NAMES)]
    return Enrolment(
        person=PersonRef(person_id=person_id, organization_credit_code=org, name=name),
        unit=_unit(org, unit),
        first_employment_date=first or date(2012, 9, 1),
        start_date=start,
    )


def _office(
    service: AttendanceService,
    org: str,
    clerk: Actor,
    *,
    people: Sequence[str] = ("E001",),
    start: date = date(2023, 1, 1),
    shift: Shift = DAY,
    **settings: Any,
) -> None:
    """An organisation with ``shift`` for unit BGS from ``start`` and ``people`` enrolled from then."""
    with step(f"set up {org}"):
        service.configure(clerk, org, OrgSettings.model_validate(settings))
        service.define_shift(clerk, org, shift)
        service.assign_shift(
            clerk, org, ShiftAssignment(shift_code=shift.code, unit_code="BGS", valid_from=start)
        )
        for person in people:
            service.enrol(clerk, org, _enrolment(org, person, start))


def _at(day: date, hh: int, mm: int = 0, ss: int = 0, zone: str = "Asia/Shanghai") -> datetime:
    return datetime.combine(day, time(hh, mm, ss), ZoneInfo(zone))


def _workdays(region: str | None, year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return [d.date for d in calendar_for(region).days(first, last) if d.kind.is_workday]


def _published_years(region: str | None) -> list[int]:
    from govparts.core.calendar import default_notices

    notices = default_notices()
    assert notices.national is not None
    years = set(notices.national.years)
    if region is not None:
        scope = notices.scopes.get(region[:2])
        if scope is not None:
            years &= set(scope.years)
    return sorted(years)


def _event(kind: str, org: str, person_id: str, data: dict[str, Any], n: int = 1) -> CloudEvent:
    return CloudEvent(
        id=f"{kind}-{org}-{person_id}-{n}",
        source="/conformance/personnel",
        type=f"cn.govparts.personnel.employee.{kind}.v1",
        subject=f"employee/{org}/{person_id}",
        data={
            "person": {"person_id": person_id, "organization_credit_code": org, "name": "王建国"},
            **data,
        },
    )


# -- what a refusal may not change -----------------------------------------------------------------


def _state(
    service: AttendanceService, org: str, clerk: Actor, persons: Sequence[str], month: tuple[int, int]
) -> Any:
    """What the Protocol shows of ``org``: enrolments, the month's results, requests' trails, events."""
    year, mon = month
    first = date(year, mon, 1)
    last = date(year + mon // 12, mon % 12 + 1, 1) - timedelta(days=1)
    seen: dict[str, Any] = {}
    for person in persons:
        try:
            seen[f"enrolment {person}"] = service.enrolment(clerk, org, person).model_dump(mode="json")
        except NotFound:
            seen[f"enrolment {person}"] = None
            continue
        seen[f"results {person}"] = [
            r.model_dump(mode="json") for r in service.daily_results(clerk, org, person, first, last)
        ]
        for entity in ("enrolment", "punches", "compensatory_rest"):
            seen[f"{entity} trail {person}"] = len(service.audit_trail(clerk, org, entity, f"{org}/{person}"))
    seen["settings trail"] = len(service.audit_trail(clerk, org, "attendance_settings", org))
    seen["shift trail"] = len(service.audit_trail(clerk, org, "shift", f"{org}/{DAY.code}"))
    seen["events"] = [e.id for e in service.published_events(clerk, org)]
    seen["unenrolled"] = [p.model_dump(mode="json") for p in service.unenrolled_punches(clerk, org)]
    seen["closed"] = service.is_month_closed(clerk, org, year, mon)
    return seen


def _unchanged(before: Any, after: Any, what: str) -> None:
    if before != after:
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        expect_equal({k: after.get(k) for k in changed}, {k: before.get(k) for k in changed}, what=what)


# -- every method, another organisation's actor ------------------------------------------------------


def _sample(org: str, request_id: str, person: str = "E001") -> dict[str, Any]:
    """One argument of each Protocol parameter name, about ``org`` and its person ``person``."""
    day = date(2023, 4, 3)
    return {
        "org": org,
        "settings": OrgSettings(region="110000"),
        "enrolment": _enrolment(org, "E009", date(2023, 6, 1)),
        "person_id": person,
        "last_day": date(2023, 4, 30),
        "unit": _unit(org, "CWK"),
        "effective_date": date(2023, 4, 17),
        "shift": DAY.model_copy(update={"code": "LATE"}),
        "assignment": ShiftAssignment(shift_code=DAY.code, person_id=person, valid_from=date(2023, 4, 1)),
        "punches": [Punch(person_id=person, punched_at=_at(day, 9))],
        "data": f"person_id,punched_at\n{person},2023-04-03T09:00:00+08:00\n",
        "start": day,
        "end": day,
        "day": date(2023, 4, 8),
        "on": day,
        "request": LeaveRequestIn(person_id=person, leave_type="personal", start_date=day, end_date=day),
        "trip": TripRequestIn(person_id=person, start_date=day, end_date=day),
        "correction": PunchCorrectionIn(person_id=person, punched_at=_at(day, 9), reason="忘记打卡"),
        "request_id": request_id,
        "year": 2023,
        "month": 4,
        "unit_code": "BGS",
        "entity": "enrolment",
        "entity_id": f"{org}/{person}",
        "event": _event("separated", org, person, {"effective_date": "2023-04-29"}),
    }


def _protocol_calls(
    service: AttendanceService, actor: Actor, sample: dict[str, Any]
) -> dict[str, Callable[[], object]]:
    """One call of every public Protocol method but ``capabilities``, generated from the Protocol itself."""
    calls: dict[str, Callable[[], object]] = {}
    for name, fn in inspect.getmembers(AttendanceService, inspect.isfunction):
        if name.startswith("_") or name == "capabilities":
            continue
        params = list(inspect.signature(fn).parameters.values())[2:]  # self, actor
        positional = [
            sample[p.name] for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
        ]
        calls[name] = functools.partial(getattr(service, name), actor, *positional)
    return calls


WRITES = (
    "configure", "enrol", "end_enrolment", "transfer", "define_shift", "assign_shift", "record_punches",
    "import_punches", "request_leave", "request_trip", "request_correction", "approve", "reject", "cancel",
    "grant_compensatory_rest", "close_month", "receive_event",
)  # fmt: skip


def _two_offices(service: AttendanceService) -> str:
    """ORG and OTHER in one database, each with its E001; a pending leave of ORG's E001; its id."""
    _office(service, ORG, CLERK, region=XJ)
    _office(service, OTHER, OTHER_CLERK, region=XJ)
    with step("record punches and a leave in ORG"):
        service.record_punches(
            CLERK, ORG, [Punch(person_id="E001", punched_at=_at(date(2023, 4, 8), h)) for h in (9, 17)]
        )
        leave = service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(
                person_id="E001",
                leave_type="personal",
                start_date=date(2023, 4, 6),
                end_date=date(2023, 4, 6),
            ),
        )
    return leave.id


@refuses("ATT-036")
def every_method_refuses_another_organisations_actor(service: AttendanceService) -> None:
    """Every Protocol method about ORG, called by OTHER's clerk (all roles): OrganizationDenied, nothing
    written, nothing of ORG's in the message."""
    request_id = _two_offices(service)
    persons = ("E001", "E009")
    before = _state(service, ORG, CLERK, persons, (2023, 4))
    theirs = _state(service, OTHER, OTHER_CLERK, persons, (2023, 4))
    calls = _protocol_calls(service, OTHER_CLERK, _sample(ORG, request_id))
    for name, call in sorted(calls.items()):
        scenario(method=name, actor=OTHER_CLERK.id, actor_org=OTHER, org=ORG)
        with expect_raises(OrganizationDenied) as caught:
            call()
        message = str(caught.value)
        for secret in ("阿依古丽", ORG, "E001"):
            expect_true(
                secret not in message,
                f"the refusal of {name} reveals nothing",
                expected="no ORG data",
                observed=message,
            )
        _unchanged(before, _state(service, ORG, CLERK, persons, (2023, 4)), f"ORG after the refused {name}")
    _unchanged(
        theirs, _state(service, OTHER, OTHER_CLERK, persons, (2023, 4)), "OTHER after the refused calls"
    )


@refuses("ATT-036")
def an_id_of_another_organisations_thing_is_not_found(service: AttendanceService) -> None:
    """ORG's request id and person through OTHER: NotFound, and OTHER's actions never touch ORG's."""
    request_id = _two_offices(service)
    before = _state(service, ORG, CLERK, ("E001",), (2023, 4))
    for name, call in (
        ("get_request", lambda: service.get_request(OTHER_CLERK, OTHER, request_id)),
        ("approve", lambda: service.approve(OTHER_CLERK, OTHER, request_id)),
        ("reject", lambda: service.reject(OTHER_CLERK, OTHER, request_id, note="x")),
        ("cancel", lambda: service.cancel(OTHER_CLERK, OTHER, request_id)),
        ("audit_trail", lambda: service.audit_trail(OTHER_CLERK, OTHER, "leave_request", request_id)),
        ("audit_trail", lambda: service.audit_trail(OTHER_CLERK, OTHER, "enrolment", f"{ORG}/E001")),
    ):
        scenario(method=name, org=OTHER, id_of=ORG)
        with expect_raises(NotFound):
            call()
    expect_equal(
        service.get_request(CLERK, ORG, request_id).state,
        "submitted",
        what="ORG's request after OTHER's tries",
    )
    with step("OTHER closes April and ends its E001"):
        service.close_month(OTHER_CLERK, OTHER, 2023, 4)
        service.end_enrolment(OTHER_CLERK, OTHER, "E001", date(2023, 5, 31))
    after = _state(service, ORG, CLERK, ("E001",), (2023, 4))
    _unchanged(before, after, "ORG after OTHER closed its month and ended its E001")


# -- roles --------------------------------------------------------------------------------------------


@refuses("ATT-044")
def writes_need_their_role(service: AttendanceService) -> None:
    """Every write by an actor of ORG without the role it needs: PermissionDenied, nothing written."""
    request_id = _two_offices(service)
    persons = ("E001", "E009")
    before = _state(service, ORG, CLERK, persons, (2023, 4))
    sample = _sample(ORG, request_id)
    lacking: dict[str, tuple[Actor, ...]] = {name: (NOBODY, BOSS) for name in WRITES}  # BOSS: approver only
    lacking.update(approve=(NOBODY, CLERK), reject=(NOBODY, CLERK), grant_compensatory_rest=(NOBODY, CLERK))
    lacking.update(cancel=(NOBODY,))
    for name in WRITES:
        for actor in lacking[name]:
            calls = _protocol_calls(service, actor, sample)
            scenario(method=name, actor=actor.id, roles=sorted(actor.roles))
            with expect_raises(PermissionDenied, field="actor"):
                calls[name]()
            _unchanged(
                before, _state(service, ORG, CLERK, persons, (2023, 4)), f"ORG after the refused {name}"
            )
    expect_equal(
        service.get_request(CLERK, ORG, request_id).state, "submitted", what="the request after refused steps"
    )


# -- audit trail --------------------------------------------------------------------------------------


def _trail(service: AttendanceService, entity: str, entity_id: str) -> list[Any]:
    return service.audit_trail(CLERK, ORG, entity, entity_id)


def _one_more(  # noqa: PLR0917 - a helper read as a sentence: entity, id, actor, what, call
    service: AttendanceService,
    entity: str,
    entity_id: str,
    actor: Actor,
    what: str,
    call: Callable[[], object],
) -> Any:
    """Run ``call``; expect one or more new records of ``entity`` ``entity_id`` by ``actor``."""
    before = len(_trail(service, entity, entity_id))
    with step(what):
        result = call()
    after = _trail(service, entity, entity_id)
    expect_true(
        len(after) > before,
        f"an audit record of {what}",
        expected=f"more than {before} records",
        observed=len(after),
    )
    expect_equal(after[-1].actor_id, actor.id, what=f"the actor of the audit record of {what}")
    expect_equal(after[-1].entity_id, entity_id, what=f"the entity id of the audit record of {what}")
    return result


def _none_more(
    service: AttendanceService, entity: str, entity_id: str, what: str, call: Callable[[], object]
) -> None:
    before = [e.seq for e in _trail(service, entity, entity_id)]
    with step(what), contextlib.suppress(GovPartsError):
        call()
    expect_equal(
        [e.seq for e in _trail(service, entity, entity_id)], before, what=f"audit records after {what}"
    )


@verifies("ATT-042")
def every_change_leaves_an_audit_record(service: AttendanceService) -> None:
    """Each write of the Protocol adds a record of its entity naming its actor; reads of them work."""
    rng = scenario_rng()
    region = rng.choice((None, XJ))
    scenario(region=region or "national", org=ORG)
    s = OrgSettings(region=region)
    _one_more(
        service, "attendance_settings", ORG, CLERK, "configure", lambda: service.configure(CLERK, ORG, s)
    )
    shift_id = f"{ORG}/{DAY.code}"
    _one_more(
        service, "shift", shift_id, CLERK, "define_shift", lambda: service.define_shift(CLERK, ORG, DAY)
    )
    assignment = ShiftAssignment(shift_code=DAY.code, unit_code="BGS", valid_from=date(2023, 1, 1))
    _one_more(
        service,
        "shift",
        shift_id,
        CLERK,
        "assign_shift",
        lambda: service.assign_shift(CLERK, ORG, assignment),
    )
    for person in ("E001", "E002"):
        e = _enrolment(ORG, person, date(2023, 1, 1))
        _one_more(
            service,
            "enrolment",
            f"{ORG}/{person}",
            CLERK,
            f"enrol {person}",
            functools.partial(service.enrol, CLERK, ORG, e),
        )
    again = _enrolment(ORG, "E002", date(2023, 1, 1))
    _none_more(
        service, "enrolment", f"{ORG}/E002", "enrolling E002 again", lambda: service.enrol(CLERK, ORG, again)
    )
    batch = [Punch(person_id="E001", punched_at=_at(date(2025, 2, 1), h)) for h in (9, 17)]
    _one_more(
        service,
        "punches",
        f"{ORG}/E001",
        CLERK,
        "record_punches",
        lambda: service.record_punches(CLERK, ORG, batch),
    )
    _none_more(
        service,
        "punches",
        f"{ORG}/E001",
        "recording the same punches again",
        lambda: service.record_punches(CLERK, ORG, batch),
    )
    data = "person_id,punched_at\nE002,2023-04-03T09:00:00+08:00\nE002,2023-04-03T18:00:00+08:00\n"
    _one_more(
        service,
        "punches",
        f"{ORG}/E002",
        CLERK,
        "import_punches",
        lambda: service.import_punches(CLERK, ORG, data, "csv"),
    )
    _one_more(
        service,
        "punches",
        f"{ORG}/E404",
        CLERK,
        "punches of a person not enrolled",
        lambda: service.record_punches(
            CLERK, ORG, [Punch(person_id="E404", punched_at=_at(date(2023, 4, 4), 9))]
        ),
    )
    leave = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 4, 6), end_date=date(2023, 4, 6)
        ),
    )
    expect_true(_trail(service, "leave_request", leave.id), "an audit record of the submitted leave")
    _one_more(
        service, "leave_request", leave.id, BOSS, "approve", lambda: service.approve(BOSS, ORG, leave.id)
    )
    _one_more(
        service, "leave_request", leave.id, CLERK, "cancel", lambda: service.cancel(CLERK, ORG, leave.id)
    )
    trip = service.request_trip(
        CLERK, ORG, TripRequestIn(person_id="E002", start_date=date(2023, 4, 10), end_date=date(2023, 4, 11))
    )
    expect_true(_trail(service, "business_trip", trip.id), "an audit record of the submitted trip")
    _one_more(
        service,
        "business_trip",
        trip.id,
        BOSS,
        "reject",
        lambda: service.reject(BOSS, ORG, trip.id, note="另行安排"),
    )
    fix = service.request_correction(
        CLERK,
        ORG,
        PunchCorrectionIn(person_id="E002", punched_at=_at(date(2023, 4, 12), 9), reason="忘记打卡"),
    )
    expect_true(_trail(service, "punch_correction", fix.id), "an audit record of the submitted correction")
    _one_more(
        service,
        "punch_correction",
        fix.id,
        BOSS,
        "approve the correction",
        lambda: service.approve(BOSS, ORG, fix.id),
    )
    unit = _unit(ORG, "CWK")
    _one_more(
        service,
        "enrolment",
        f"{ORG}/E002",
        CLERK,
        "transfer",
        lambda: service.transfer(CLERK, ORG, "E002", unit, date(2023, 5, 15)),
    )
    _none_more(
        service,
        "enrolment",
        f"{ORG}/E002",
        "the same transfer again",
        lambda: service.transfer(CLERK, ORG, "E002", unit, date(2023, 5, 15)),
    )
    _one_more(
        service,
        "enrolment",
        f"{ORG}/E002",
        CLERK,
        "end_enrolment",
        lambda: service.end_enrolment(CLERK, ORG, "E002", date(2023, 6, 30)),
    )
    _none_more(
        service,
        "enrolment",
        f"{ORG}/E002",
        "ending it again",
        lambda: service.end_enrolment(CLERK, ORG, "E002", date(2023, 6, 30)),
    )
    _one_more(
        service,
        "compensatory_rest",
        f"{ORG}/E001",
        BOSS,
        "grant_compensatory_rest",
        lambda: service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 2, 1)),
    )
    _none_more(
        service,
        "compensatory_rest",
        f"{ORG}/E001",
        "crediting the day again",
        lambda: service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 2, 1)),
    )
    _one_more(
        service,
        "attendance_month",
        f"{ORG}/2023-03",
        CLERK,
        "close_month",
        lambda: service.close_month(CLERK, ORG, 2023, 3),
    )
    _none_more(
        service,
        "attendance_month",
        f"{ORG}/2023-03",
        "closing it again",
        lambda: service.close_month(CLERK, ORG, 2023, 3),
    )
    system = Actor(id="personnel-dispatcher", name="人事事件", roles=frozenset())
    hired = _event(
        "hired",
        ORG,
        "E003",
        {
            "unit": _unit(ORG).model_dump(mode="json"),
            "effective_date": "2023-05-04",
            "first_employment_date": "2020-07-01",
        },
    )
    _one_more(
        service,
        "enrolment",
        f"{ORG}/E003",
        system,
        "receive_event",
        lambda: service.receive_event(system, hired),
    )
    _none_more(
        service,
        "enrolment",
        f"{ORG}/E003",
        "the same event again",
        lambda: service.receive_event(system, hired),
    )
    with expect_raises(InvalidInput, field="entity"):
        service.audit_trail(CLERK, ORG, "no_such_entity", ORG)


@refuses("ATT-042")
def refused_changes_leave_no_audit_record(service: AttendanceService) -> None:
    """Refused writes (closed month, balance, statutory overtime, no role) add no audit record."""
    _office(service, ORG, CLERK, region=None)
    service.record_punches(
        CLERK, ORG, [Punch(person_id="E001", punched_at=_at(date(2025, 1, 29), h)) for h in (9, 17)]
    )
    service.close_month(CLERK, ORG, 2024, 12)
    late = [Punch(person_id="E001", punched_at=_at(date(2024, 12, 31), 9))]
    _none_more(
        service,
        "punches",
        f"{ORG}/E001",
        "punches in a closed month",
        lambda: service.record_punches(CLERK, ORG, late),
    )
    closure = OrgDayOverride(
        date=date(2024, 12, 30), kind="rest_day", name="停电", source_doc="办通〔2024〕1号"
    )
    _none_more(
        service,
        "attendance_settings",
        ORG,
        "an override in a closed month",
        lambda: service.configure(CLERK, ORG, OrgSettings(calendar_overrides=(closure,))),
    )
    _none_more(
        service,
        "compensatory_rest",
        f"{ORG}/E001",
        "crediting statutory overtime",
        lambda: service.grant_compensatory_rest(BOSS, ORG, "E001", date(2025, 1, 29)),
    )
    _none_more(
        service,
        "enrolment",
        f"{ORG}/E001",
        "a transfer by an actor without a role",
        lambda: service.transfer(NOBODY, ORG, "E001", _unit(ORG, "CWK"), date(2025, 3, 3)),
    )
    _none_more(
        service,
        "attendance_month",
        f"{ORG}/2024-12",
        "closing the month again",
        lambda: service.close_month(CLERK, ORG, 2024, 12),
    )
    _none_more(
        service,
        "shift",
        f"{ORG}/{DAY.code}",
        "an assignment into a closed month",
        lambda: service.assign_shift(
            CLERK, ORG, ShiftAssignment(shift_code=DAY.code, person_id="E001", valid_from=date(2024, 12, 1))
        ),
    )


# -- published events -----------------------------------------------------------------------------


@verifies("ATT-043")
def published_events_are_the_organisations_own_in_order(service: AttendanceService) -> None:
    """One month.closed per closed month with close_month's payload, one approved event per final approval."""
    rng = scenario_rng()
    year = rng.choice(_published_years(XJ))
    months = sorted(rng.sample(range(1, 13), 2))
    scenario(year=year, months=months, orgs=[ORG, OTHER])
    _office(service, ORG, CLERK, region=XJ, start=date(year, 1, 1), two_level_approval=True)
    _office(service, OTHER, OTHER_CLERK, region=XJ, start=date(year, 1, 1))
    first, second = (_workdays(XJ, year, m)[3] for m in months)
    with step("submit and approve leave in two levels"):
        leave = service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(person_id="E001", leave_type="personal", start_date=second, end_date=second),
        )
        service.approve(BOSS, ORG, leave.id)
        expect_equal(
            [e.type for e in service.published_events(CLERK, ORG)],
            [],
            what="events after the first of two approvals",
        )
        with expect_raises(GovPartsError):
            service.approve(BOSS, ORG, leave.id)  # the first approver may not give the final word
        service.approve(BOSS.model_copy(update={"id": "L002"}), ORG, leave.id)
    theirs = service.request_leave(
        OTHER_CLERK,
        OTHER,
        LeaveRequestIn(person_id="E001", leave_type="personal", start_date=first, end_date=first),
    )
    service.approve(BOSS.model_copy(update={"org": OTHER, "id": "L009"}), OTHER, theirs.id)
    closed = [service.close_month(CLERK, ORG, year, m) for m in months]
    service.close_month(OTHER_CLERK, OTHER, year, months[0])
    with expect_raises(GovPartsError):
        service.close_month(CLERK, ORG, year, months[0])
    found = service.published_events(CLERK, ORG)
    expect_equal(
        sorted(e.type for e in found),
        sorted([LEAVE_APPROVED_TYPE, MONTH_CLOSED_TYPE, MONTH_CLOSED_TYPE]),
        what="the types of ORG's published events",
    )
    months_closed = [e for e in found if e.type == MONTH_CLOSED_TYPE]
    for event, want in zip(months_closed, closed, strict=True):
        got = MonthClosed.model_validate(event.data)
        expect_equal(
            (got.org, got.year, got.month), (want.org, want.year, want.month), what="the month of the event"
        )
        expect_equal(
            got.summaries, want.summaries, what=f"the summaries published for {want.year}-{want.month:02d}"
        )
    expect_equal(
        [e.id for e in service.published_events(CLERK, ORG, type=MONTH_CLOSED_TYPE)],
        [e.id for e in months_closed],
        what="ORG's month.closed events, in publication order",
    )
    expect_equal(len({e.id for e in found}), len(found), what="distinct event ids")
    theirs_events = service.published_events(OTHER_CLERK, OTHER)
    expect_equal(
        sorted(e.type for e in theirs_events),
        sorted([LEAVE_APPROVED_TYPE, MONTH_CLOSED_TYPE]),
        what="OTHER's events",
    )
    expect_equal(
        {e.id for e in theirs_events} & {e.id for e in found}, set(), what="events both organisations see"
    )


@refuses("ATT-043")
def refused_closes_and_approvals_publish_nothing(service: AttendanceService) -> None:
    """A second close, a close without the role, a self-approval and a foreign approval publish nothing."""
    _office(service, ORG, CLERK, region=None)
    leave = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(
            person_id="E001", leave_type="personal", start_date=date(2023, 5, 8), end_date=date(2023, 5, 8)
        ),
    )
    service.close_month(CLERK, ORG, 2023, 4)
    before = [e.id for e in service.published_events(CLERK, ORG)]
    self_approver = CLERK.model_copy(
        update={"roles": frozenset({"employee", "attendance_clerk", "approver"})}
    )
    for what, call in (
        ("closing April again", lambda: service.close_month(CLERK, ORG, 2023, 4)),
        ("closing May without the role", lambda: service.close_month(BOSS, ORG, 2023, 5)),
        ("approving one's own leave", lambda: service.approve(self_approver, ORG, leave.id)),
        ("approving by another organisation", lambda: service.approve(OTHER_CLERK, ORG, leave.id)),
    ):
        scenario(attempt=what)
        with expect_raises(GovPartsError):
            call()
        expect_equal(
            [e.id for e in service.published_events(CLERK, ORG)], before, what=f"events after {what}"
        )
    expect_equal(service.is_month_closed(CLERK, ORG, 2023, 5), False, what="May after a refused close")


# -- personnel events -----------------------------------------------------------------------------


@verifies("ATT-046")
def personnel_events_enrol_move_and_end_once(service: AttendanceService) -> None:
    """hired, transferred and separated on random days of a random month, each delivered twice."""
    rng = scenario_rng()
    year = rng.choice(_published_years(None))
    month = rng.randint(1, 12)
    days = _workdays(None, year, month)
    hire, move, leave = sorted(rng.sample(days[1:-1], 3))
    scenario(year=year, month=month, hired=hire, transferred=move, separated=leave)
    _office(service, ORG, CLERK, region=None, people=(), start=date(year, 1, 1))
    _office(service, OTHER, OTHER_CLERK, region=None, people=("E005",), start=date(year, 1, 1))
    system = Actor(id="personnel-dispatcher", name="人事事件", roles=frozenset())
    unit = _unit(ORG).model_dump(mode="json")
    cwk = _unit(ORG, "CWK").model_dump(mode="json")
    steps = [
        _event(
            "hired",
            ORG,
            "E005",
            {"unit": unit, "effective_date": hire.isoformat(), "first_employment_date": "2019-03-01"},
        ),
        _event("transferred", ORG, "E005", {"to_unit": cwk, "effective_date": move.isoformat()}),
        _event("separated", ORG, "E005", {"effective_date": leave.isoformat()}),
    ]
    with expect_raises(OrganizationDenied):
        service.receive_event(OTHER_CLERK, steps[0])
    with expect_raises(NotFound, field="person_id"):
        service.enrolment(CLERK, ORG, "E005")
    for event in steps:
        with step(f"deliver {event.type}"):
            service.receive_event(system, event)
        trail = [e.seq for e in service.audit_trail(CLERK, ORG, "enrolment", f"{ORG}/E005")]
        state = service.enrolment(CLERK, ORG, "E005")
        with step(f"deliver {event.type} again"):
            service.receive_event(system, event)
        expect_equal(
            service.enrolment(CLERK, ORG, "E005"), state, what=f"the enrolment after {event.type} again"
        )
        expect_equal(
            [e.seq for e in service.audit_trail(CLERK, ORG, "enrolment", f"{ORG}/E005")],
            trail,
            what="audit records after a repeated event",
        )
    ended = service.enrolment(CLERK, ORG, "E005")
    expect_equal(
        (ended.unit.unit_code, ended.start_date, ended.end_date),
        ("CWK", move, leave - timedelta(days=1)),
        what="the enrolment after the three events",
    )
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    results = service.daily_results(CLERK, ORG, "E005", first, last)
    expect_equal(
        [r.day for r in results],
        [hire + timedelta(days=i) for i in range((leave - hire).days)],
        what="the days with a result",
    )
    expect_equal({r.unit_code for r in results if r.day < move}, {"BGS"}, what="the unit before the transfer")
    expect_equal({r.unit_code for r in results if r.day >= move}, {"CWK"}, what="the unit from the transfer")
    theirs = service.enrolment(OTHER_CLERK, OTHER, "E005")
    expect_equal(
        (theirs.unit.unit_code, theirs.end_date), ("BGS", None), what="OTHER's E005 after ORG's events"
    )


# -- bulk paths -----------------------------------------------------------------------------------


def _results(  # noqa: PLR0917 - where and when the results are read
    service: AttendanceService, clerk: Actor, org: str, persons: Sequence[str], first: date, last: date
) -> dict[str, list[Any]]:
    return {
        p: [
            r.model_dump(mode="json", exclude={"unit_code"})
            for r in service.daily_results(clerk, org, p, first, last)
        ]
        for p in persons
    }


@verifies("ATT-045", "ATT-032")
def a_file_and_a_batch_give_what_single_punches_give(service: AttendanceService) -> None:  # noqa: PLR0915
    """Three organisations, one zone and month each scenario: one at a time, a CSV file, a JSON file."""
    rng = scenario_rng()
    persons = ("E001", "E002", "E003")
    offices = ((ORG, CLERK, "single"), (OTHER, OTHER_CLERK, "csv"), (THIRD, THIRD_CLERK, "json"))
    start = date(_published_years(None)[0], 1, 1)
    for round_ in range(2):
        region = rng.choice((None, XJ))
        zone = rng.choice(ZONES)
        year = rng.choice(_published_years(region))
        month = rng.randint(1, 12)
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        days = sorted(
            {first, last, *rng.sample([first + timedelta(days=i) for i in range((last - first).days + 1)], 6)}
        )
        scenario(round=round_, region=region or "national", timezone=zone, year=year, month=month)
        punches: list[Punch] = []
        for day in days:
            for person in persons:
                hh, mm, ss = rng.choice(((8, 59, 59), (9, 5, 59), (9, 6, 0), (9, 30, 1)))
                punches.append(Punch(person_id=person, punched_at=_at(day, hh, mm, ss, zone), device="D1"))
                eh, em, es = rng.choice(((17, 54, 59), (17, 55, 0), (18, 0, 0), (23, 59, 59)))
                punches.append(Punch(person_id=person, punched_at=_at(day, eh, em, es, zone), device="D1"))
        # around midnight in UTC+8 and the organisation's zone, and a stranger's punch to the second
        punches.append(
            Punch(person_id="E002", punched_at=_at(last, 23, 59, 59, "Asia/Shanghai"), device="D2")
        )
        punches.append(Punch(person_id="E002", punched_at=_at(first, 0, 0, 1, "Asia/Shanghai"), device="D2"))
        punches.append(Punch(person_id="E404", punched_at=_at(days[1], 9, 7, 31, zone), device="D9"))
        rng.shuffle(punches)
        reports = {}
        for org, clerk, how in offices:
            if round_ == 0:
                _office(service, org, clerk, people=persons, start=start, region=region, timezone=zone)
            else:
                service.configure(clerk, org, OrgSettings(region=region, timezone=zone))
            with step(f"record in {org} ({how})"):
                if how == "single":
                    reports[how] = [service.record_punches(clerk, org, [p]) for p in punches]
                elif how == "csv":
                    text = "person_id,punched_at,device\n" + "".join(
                        f"{p.person_id},{p.punched_at.isoformat()},{p.device}\n" for p in punches
                    )
                    reports[how] = [service.import_punches(clerk, org, text, "csv")]
                else:
                    text = json.dumps(
                        [
                            {
                                "person_id": p.person_id,
                                "punched_at": p.punched_at.isoformat(),
                                "device": p.device,
                            }
                            for p in punches
                        ]
                    )
                    reports[how] = [service.import_punches(clerk, org, text, "json")]
        stored = {how: sum(r.stored for r in rs) for how, rs in reports.items()}
        strangers = {how: sorted({n for r in rs for n in r.not_enrolled}) for how, rs in reports.items()}
        expect_equal(stored["csv"], stored["single"], what="punches stored from the CSV file")
        expect_equal(stored["json"], stored["single"], what="punches stored from the JSON file")
        expect_equal(strangers["csv"], ["E404"], what="people not enrolled named by the CSV import")
        expect_equal(strangers["json"], ["E404"], what="people not enrolled named by the JSON import")
        want = _results(service, CLERK, ORG, persons, first, last)
        expect_equal(
            _results(service, OTHER_CLERK, OTHER, persons, first, last),
            want,
            what="daily results from the CSV file",
        )
        expect_equal(
            _results(service, THIRD_CLERK, THIRD, persons, first, last),
            want,
            what="daily results from the JSON file",
        )
        aside = {
            org: sorted(
                (p.person_id, p.punched_at.astimezone(ZoneInfo("UTC")).isoformat())
                for p in service.unenrolled_punches(clerk, org)
                if p.person_id == "E404"
            )
            for org, clerk, _ in offices
        }
        expect_equal(
            aside[OTHER],
            aside[ORG],
            what="the stranger's punches kept aside from the CSV file, to the second",
        )
        expect_equal(
            aside[THIRD],
            aside[ORG],
            what="the stranger's punches kept aside from the JSON file, to the second",
        )
        stranger = next(p for p in punches if p.person_id == "E404")
        expect_true(
            (stranger.person_id, stranger.punched_at.astimezone(ZoneInfo("UTC")).isoformat()) in aside[OTHER],
            "the stranger's punch time to the second",
            expected=stranger.punched_at.isoformat(),
            observed=aside[OTHER],
        )
        for org, clerk, _ in offices:
            local = _at(days[2], 9, 0, 0, zone)
            got = service.daily_results(clerk, org, "E001", days[2], days[2])
            expect_true(got and got[0].day == local.date(), f"a result for {days[2]} in {org}")


@refuses("ATT-045", "ATT-003", "ATT-028")
def one_bad_punch_refuses_the_whole_file(service: AttendanceService) -> None:
    """A punch in a closed month (in the organisation's zone) or without a zone refuses batch and file."""
    rng = scenario_rng()
    zone = rng.choice(ZONES)
    year = rng.choice(_published_years(None)[:-1])
    month = rng.randint(1, 11)
    last = date(year, month + 1, 1) - timedelta(days=1)
    nxt = last + timedelta(days=1)
    scenario(timezone=zone, closed=f"{year}-{month:02d}", last_day=last)
    _office(service, ORG, CLERK, people=("E001", "E002"), start=date(year, 1, 1), region=None, timezone=zone)
    service.close_month(CLERK, ORG, year, month)
    before = _state(service, ORG, CLERK, ("E001", "E002"), (year, month + 1))
    # 00:30 Beijing on the 1st is still the last day of the closed month in Urumqi
    edge = _at(nxt, 0, 30, 0, "Asia/Shanghai") if zone == "Asia/Urumqi" else _at(last, 23, 59, 59, zone)
    good = [Punch(person_id="E001", punched_at=_at(nxt + timedelta(days=d), 9, 1, 7, zone)) for d in range(3)]
    bad = [*good, Punch(person_id="E002", punched_at=edge)]
    text = "person_id,punched_at\n" + "".join(f"{p.person_id},{p.punched_at.isoformat()}\n" for p in bad)
    data = json.dumps([{"person_id": p.person_id, "punched_at": p.punched_at.isoformat()} for p in bad])
    naive = (
        "person_id,punched_at\n"
        + "".join(f"{p.person_id},{p.punched_at.isoformat()}\n" for p in good)
        + f"E002,{nxt.isoformat()}T09:00:00\n"
    )
    attempts: list[tuple[str, Callable[[], object], str]] = [
        ("a batch", lambda: service.record_punches(CLERK, ORG, bad), "punched_at"),
        ("a CSV file", lambda: service.import_punches(CLERK, ORG, text, "csv"), "punched_at"),
        ("a JSON file", lambda: service.import_punches(CLERK, ORG, data, "json"), "punched_at"),
    ]
    for what, call, field in attempts:
        scenario(path=what, edge=edge.isoformat())
        with expect_raises(GovPartsError) as caught:
            call()
        expect_equal(
            getattr(caught.value, "field", None), field, what=f"the field the refusal of {what} names"
        )
        _unchanged(
            before,
            _state(service, ORG, CLERK, ("E001", "E002"), (year, month + 1)),
            f"after the refused {what}",
        )
    scenario(path="a CSV file with a time without its zone")
    with expect_raises(InvalidInput):
        service.import_punches(CLERK, ORG, naive, "csv")
    _unchanged(
        before,
        _state(service, ORG, CLERK, ("E001", "E002"), (year, month + 1)),
        "after the refused file without a zone",
    )
    with step("the good punches alone"):
        expect_equal(service.record_punches(CLERK, ORG, good).stored, 3, what="good punches stored alone")


# -- month lock on every path ---------------------------------------------------------------------


@refuses("ATT-028")
def a_closed_month_refuses_every_path_into_it(service: AttendanceService) -> None:
    """Punches, files, leave, trips, corrections, approval, cancel, assignment, overrides and credits
    reaching into a closed month are refused with nothing written; the day after it is open."""
    rng = scenario_rng()
    year = rng.choice(_published_years(None)[:-1])
    month = rng.randint(1, 11)
    last = date(year, month + 1, 1) - timedelta(days=1)
    work = _workdays(None, year, month)
    nxt_work = _workdays(None, year, month + 1)
    scenario(year=year, month=month, last_day=last)
    _office(service, ORG, CLERK, people=("E001",), start=date(year, 1, 1), region=None)
    rest = next(
        d.date
        for d in calendar_for(None).days(date(year, month, 1), last)
        if not d.kind.is_workday and not d.statutory
    )
    service.record_punches(CLERK, ORG, [Punch(person_id="E001", punched_at=_at(rest, h)) for h in (9, 17)])
    pending = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(person_id="E001", leave_type="personal", start_date=work[-1], end_date=work[-1]),
    )
    approved = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(person_id="E001", leave_type="personal", start_date=work[0], end_date=work[0]),
    )
    service.approve(BOSS, ORG, approved.id)
    service.close_month(CLERK, ORG, year, month)
    before = _state(service, ORG, CLERK, ("E001",), (year, month))
    override = OrgDayOverride(date=work[1], kind="rest_day", name="停电", source_doc="办通〔2024〕1号")
    attempts: list[tuple[str, Callable[[], object]]] = [
        (
            "a punch on the last day",
            lambda: service.record_punches(
                CLERK, ORG, [Punch(person_id="E001", punched_at=_at(last, 23, 59, 59))]
            ),
        ),
        (
            "a file",
            lambda: service.import_punches(
                CLERK, ORG, f"person_id,punched_at\nE001,{last.isoformat()}T08:00:00+08:00\n", "csv"
            ),
        ),
        (
            "leave over the month end",
            lambda: service.request_leave(
                CLERK,
                ORG,
                LeaveRequestIn(
                    person_id="E001", leave_type="personal", start_date=last, end_date=nxt_work[0]
                ),
            ),
        ),
        (
            "a trip",
            lambda: service.request_trip(
                CLERK, ORG, TripRequestIn(person_id="E001", start_date=work[2], end_date=work[2])
            ),
        ),
        (
            "a correction",
            lambda: service.request_correction(
                CLERK, ORG, PunchCorrectionIn(person_id="E001", punched_at=_at(work[2], 9), reason="忘记打卡")
            ),
        ),
        ("approving a pending leave", lambda: service.approve(BOSS, ORG, pending.id)),
        ("cancelling an approved leave", lambda: service.cancel(CLERK, ORG, approved.id)),
        (
            "an assignment",
            lambda: service.assign_shift(
                CLERK, ORG, ShiftAssignment(shift_code=DAY.code, person_id="E001", valid_from=last)
            ),
        ),
        ("an override", lambda: service.configure(CLERK, ORG, OrgSettings(calendar_overrides=(override,)))),
        ("a compensatory rest credit", lambda: service.grant_compensatory_rest(BOSS, ORG, "E001", rest)),
        ("closing it again", lambda: service.close_month(CLERK, ORG, year, month)),
    ]
    for what, call in attempts:
        scenario(attempt=what)
        with expect_raises(GovPartsError):
            call()
        _unchanged(
            before, _state(service, ORG, CLERK, ("E001",), (year, month)), f"the closed month after {what}"
        )
    expect_equal(service.get_request(CLERK, ORG, pending.id).state, "submitted", what="the pending leave")
    expect_equal(service.get_request(CLERK, ORG, approved.id).state, "approved", what="the approved leave")
    with step("the first moment of the next month"):
        stored = service.record_punches(
            CLERK, ORG, [Punch(person_id="E001", punched_at=_at(last + timedelta(days=1), 0, 0, 0))]
        )
    expect_equal(stored.stored, 1, what="a punch at 00:00 of the next month")


# -- boundaries swept -------------------------------------------------------------------------------


@verifies("ATT-004", "ATT-005")
def grace_is_exact_on_both_sides_in_every_setting(service: AttendanceService) -> None:
    """For graces 0 to 15 minutes, on random workdays (first and last of the month too), in both zones:
    start+grace:59 is on time, start+grace+1 late by grace+1; end-grace on time, end-grace-1 early."""
    rng = scenario_rng()
    region = rng.choice((None, XJ))
    zone = rng.choice(ZONES)
    year = rng.choice(_published_years(region))
    month = rng.randint(1, 12)
    work = _workdays(region, year, month)
    scenario(region=region or "national", timezone=zone, year=year, month=month)
    graces = sorted({0, 1, rng.randint(2, 9), 10, 15})
    people = [f"G{g:02d}" for g in graces]
    _office(service, ORG, CLERK, people=people, start=date(year, 1, 1), region=region, timezone=zone)
    picked = sorted({work[0], work[-1], *rng.sample(work[1:-1], min(2, len(work) - 2))})
    pairs = list(zip(picked[::2], picked[1::2], strict=False))
    for grace, person in zip(graces, people, strict=True):
        shift = DAY.model_copy(
            update={"code": f"D{grace:02d}", "grace_late_minutes": grace, "grace_early_minutes": grace}
        )
        service.define_shift(CLERK, ORG, shift)
        service.assign_shift(
            CLERK, ORG, ShiftAssignment(shift_code=shift.code, person_id=person, valid_from=date(year, 1, 1))
        )
        punches = []
        for on_time, off in pairs:
            punches += [
                Punch(person_id=person, punched_at=_at(on_time, 9, grace, 59, zone)),
                Punch(person_id=person, punched_at=_at(on_time, 18, 0, 0, zone) - timedelta(minutes=grace)),
            ]
            punches += [
                Punch(person_id=person, punched_at=_at(off, 9, grace + 1, 0, zone)),
                Punch(person_id=person, punched_at=_at(off, 18, 0, 59, zone) - timedelta(minutes=grace + 1)),
            ]
        service.record_punches(CLERK, ORG, punches)
        for on_time, off in pairs:
            if on_time == off:
                continue
            scenario(grace=grace, on_time=on_time, off_by_one=off)
            (good,) = service.daily_results(CLERK, ORG, person, on_time, on_time)
            (bad,) = service.daily_results(CLERK, ORG, person, off, off)
            expect_equal(
                (good.late_minutes, good.early_minutes),
                (0, 0),
                what=f"late and early minutes at the grace of {grace}",
            )
            expect_equal(
                (bad.late_minutes, bad.early_minutes),
                (grace + 1, grace + 1),
                what=f"late and early minutes one minute past the grace of {grace}",
            )


@verifies("ATT-017")
def annual_leave_tiers_change_on_the_very_day(service: AttendanceService) -> None:
    """1, 10 and 20 years of service from random first-employment dates: the day before and the day itself."""
    rng = scenario_rng()
    _office(service, ORG, CLERK, people=(), region=None, start=date(2000, 1, 1))
    cases = []
    for n in range(6):
        first = date(rng.randint(1990, 2015), rng.randint(1, 12), rng.randint(1, 28))
        person = f"S{n:02d}"
        service.enrol(CLERK, ORG, _enrolment(ORG, person, max(first, date(2000, 1, 1)), first))
        for years, before, after in ((1, 0, 5), (10, 5, 10), (20, 10, 15)):
            day = first.replace(year=first.year + years)
            if day.year > 2035 or day < date(2000, 1, 2):
                continue
            cases += [(person, first, day - timedelta(days=1), before), (person, first, day, after)]
    for person, first, on, days in cases:
        scenario(person=person, first_employment=first, on=on)
        got = service.leave_balance(CLERK, ORG, person, on.year, leave_type="annual", on=on).entitled
        expect_equal(got, days, what=f"annual leave days on {on} for service from {first}")


@verifies("ATT-023")
def maternity_leave_caps_for_every_group(service: AttendanceService) -> None:
    """National and Xinjiang, normal and difficult birth, one and two babies: the cap and one day more."""
    _office(service, ORG, CLERK, people=("M001",), region=None, start=date(2020, 1, 1))
    _office(service, OTHER, OTHER_CLERK, people=("M001",), region=XJ, start=date(2020, 1, 1))
    start = date(2024, 3, 1)
    caps = []
    for region, org, clerk in ((None, ORG, CLERK), (XJ, OTHER, OTHER_CLERK)):
        for difficult in (False, True):
            for babies in (1, 2):
                cap = 98 + 15 * (babies - 1) + (15 if difficult else 0) + (60 if region else 0)
                caps.append((org, clerk, difficult, babies, cap))
    for org, clerk, difficult, babies, cap in caps:
        scenario(org=org, difficult_birth=difficult, babies=babies, cap=cap)
        over = LeaveRequestIn(
            person_id="M001",
            leave_type="maternity",
            start_date=start,
            end_date=start + timedelta(days=cap),
            difficult_birth=difficult,
            babies=babies,
        )
        with expect_raises(GuardFailed, field="end_date"):
            service.request_leave(clerk, org, over)
        ok = over.model_copy(update={"end_date": start + timedelta(days=cap - 1)})
        got = service.request_leave(clerk, org, ok)
        expect_equal(got.days, cap, what="maternity leave days counted")
        service.cancel(clerk, org, got.id)


@verifies("ATT-034")
def marriage_leave_three_workdays_and_not_four(service: AttendanceService) -> None:
    """3 workdays accepted, 4 refused, over a weekend and over a holiday alike."""
    rng = scenario_rng()
    year = rng.choice(_published_years(None))
    _office(service, ORG, CLERK, people=("E001",), start=date(year, 1, 1), region=None)
    work = _workdays(None, year, rng.randint(1, 12))
    i = rng.randint(0, len(work) - 5)
    scenario(year=year, start=work[i])
    with expect_raises(GuardFailed, field="end_date"):
        service.request_leave(
            CLERK,
            ORG,
            LeaveRequestIn(person_id="E001", leave_type="marriage", start_date=work[i], end_date=work[i + 3]),
        )
    got = service.request_leave(
        CLERK,
        ORG,
        LeaveRequestIn(person_id="E001", leave_type="marriage", start_date=work[i], end_date=work[i + 2]),
    )
    expect_equal(got.days, 3, what="marriage leave days")


@refuses("ATT-026")
def corrections_per_month_at_the_limit_and_beyond(service: AttendanceService) -> None:
    """At the organisation's limit accepted, one more refused naming punched_at; next month afresh."""
    rng = scenario_rng()
    limit = rng.randint(1, 4)
    zone = rng.choice(ZONES)
    year = rng.choice(_published_years(None))
    month = rng.randint(1, 11)
    scenario(limit=limit, timezone=zone, year=year, month=month)
    _office(
        service,
        ORG,
        CLERK,
        people=("E001",),
        start=date(year, 1, 1),
        region=None,
        timezone=zone,
        corrections_per_month=limit,
    )
    work = _workdays(None, year, month)
    last = date(year, month + 1, 1) - timedelta(days=1)
    days = [*work[: limit - 1], last]
    for day in days:
        service.request_correction(
            CLERK,
            ORG,
            PunchCorrectionIn(person_id="E001", punched_at=_at(day, 9, 0, 0, zone), reason="忘记打卡"),
        )
    with expect_raises(GuardFailed, field="punched_at"):
        service.request_correction(
            CLERK,
            ORG,
            PunchCorrectionIn(person_id="E001", punched_at=_at(work[-1], 9, 0, 0, zone), reason="忘记打卡"),
        )
    nxt = service.request_correction(
        CLERK,
        ORG,
        PunchCorrectionIn(
            person_id="E001", punched_at=_at(last + timedelta(days=1), 0, 30, 0, zone), reason="忘记打卡"
        ),
    )
    expect_equal(nxt.state, "submitted", what="a correction on the first day of the next month")


@verifies("ATT-032")
def the_day_of_a_punch_is_its_date_in_the_organisations_zone(service: AttendanceService) -> None:
    """The same instants in a Beijing-time and an Urumqi-time office (09:00–18:00 local, 5 minutes' grace)."""
    rng = scenario_rng()
    year = rng.choice(_published_years(None))
    month = rng.randint(1, 12)
    work = _workdays(None, year, month)
    day = rng.choice(work[1:])
    scenario(year=year, month=month, day=day)
    _office(
        service, ORG, CLERK, people=("E001",), start=date(year, 1, 1), region=None, timezone="Asia/Shanghai"
    )
    _office(
        service,
        OTHER,
        OTHER_CLERK,
        people=("E001",),
        start=date(year, 1, 1),
        region=None,
        timezone="Asia/Urumqi",
    )
    # 11:00 and 20:00 in Beijing are 09:00 and 18:00 in Urumqi
    instants = [_at(day, 11), _at(day, 20)]
    for org, clerk in ((ORG, CLERK), (OTHER, OTHER_CLERK)):
        service.record_punches(clerk, org, [Punch(person_id="E001", punched_at=t) for t in instants])
    (bj,) = service.daily_results(CLERK, ORG, "E001", day, day)
    (urumqi,) = service.daily_results(OTHER_CLERK, OTHER, "E001", day, day)
    expect_equal((bj.late_minutes, bj.early_minutes), (120, 0), what="late and early minutes in Beijing time")
    expect_equal(
        (urumqi.late_minutes, urumqi.early_minutes), (0, 0), what="late and early minutes in Urumqi time"
    )
    expect_equal(urumqi.worked_minutes, 540, what="minutes worked 09:00 to 18:00 Urumqi time")


@verifies("ATT-031", "ATT-030")
def people_who_move_or_leave_mid_month_count_where_they_were(service: AttendanceService) -> None:
    """A transfer and a departure on random days of random months: each unit counts its own days only."""
    rng = scenario_rng()
    region = rng.choice((None, XJ))
    years = _published_years(region)
    _office(service, ORG, CLERK, people=("E001", "E002", "E003"), start=date(years[0], 1, 1), region=region)
    service.assign_shift(
        CLERK, ORG, ShiftAssignment(shift_code=DAY.code, unit_code="CWK", valid_from=date(years[0], 1, 1))
    )
    calendar = calendar_for(region)
    for round_, year in enumerate(sorted(rng.sample(years, 2))):
        month = rng.randint(1, 12)
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        move = first + timedelta(days=rng.randint(1, (last - first).days))
        gone = first + timedelta(days=rng.randint(0, (last - first).days - 1))
        mover, leaver = f"T{round_}", f"L{round_}"
        scenario(region=region or "national", year=year, month=month, transferred=move, last_day=gone)
        for person in (mover, leaver):
            service.enrol(CLERK, ORG, _enrolment(ORG, person, date(years[0], 1, 1)))
        service.transfer(CLERK, ORG, mover, _unit(ORG, "CWK"), move)
        service.end_enrolment(CLERK, ORG, leaver, gone)
        due = [d.date for d in calendar.days(first, last) if d.kind.is_workday]
        before = sum(1 for d in due if d < move)
        after = len(due) - before
        kept = sum(1 for d in due if d <= gone)
        cwk = service.unit_summary(CLERK, ORG, "CWK", year, month)
        expect_equal((cwk.people, cwk.days_due), (1, after), what=f"CWK's people and days due from {move}")
        bgs = service.unit_summary(CLERK, ORG, "BGS", year, month)
        # E001..E003 all month, the mover before the transfer, the leaver until the last day
        expect_equal(bgs.days_due, 3 * len(due) + before + kept, what="BGS's days due")
        results = service.daily_results(CLERK, ORG, leaver, first, last)
        expect_equal(
            max(r.day for r in results) if results else None, gone, what="the leaver's last day with a result"
        )
        summary = service.month_summary(CLERK, ORG, leaver, year, month)
        expect_equal(summary.days_due, kept, what="the leaver's days due in the month")
        # the next round's people start afresh
        service.end_enrolment(CLERK, ORG, mover, last)


# -- refusals of every MUST: wrong input, wrong actor, wrong state, nothing written ------------------


def _refused_office(service: AttendanceService) -> str:
    """ORG (Xinjiang) and OTHER; ORG's E001 punched on a workday and a rest day; a pending leave."""
    request_id = _two_offices(service)
    service.record_punches(
        CLERK,
        ORG,
        [Punch(person_id="E001", punched_at=_at(date(2023, 4, 3), h, m)) for h, m in ((9, 6), (17, 30))],
    )
    return request_id


def _all_refused(
    service: AttendanceService,
    attempts: Sequence[tuple[str, type[BaseException], str | None, Callable[[], object]]],
) -> None:
    """Each attempt raises its error (naming its field) and leaves ORG and OTHER as they were."""
    persons = ("E001", "E009")
    before = _state(service, ORG, CLERK, persons, (2023, 4))
    theirs = _state(service, OTHER, OTHER_CLERK, persons, (2023, 4))
    for what, error, field, call in attempts:
        scenario(attempt=what)
        with expect_raises(error, field=field):
            call()
        _unchanged(before, _state(service, ORG, CLERK, persons, (2023, 4)), f"ORG after {what}")
    _unchanged(theirs, _state(service, OTHER, OTHER_CLERK, persons, (2023, 4)), "OTHER after the refusals")


@refuses(
    "ATT-004", "ATT-005", "ATT-006", "ATT-007", "ATT-008", "ATT-009", "ATT-010", "ATT-011", "ATT-012",
    "ATT-013", "ATT-014", "ATT-015", "ATT-016", "ATT-032", "ATT-037", "ATT-038",
)  # fmt: skip
def results_change_only_through_an_allowed_write(service: AttendanceService) -> None:
    """Shifts, calendar settings and punches changed by a wrong actor, and reads of a wrong span, are
    refused; the day's results, the settings and the audit trail stay as they were."""
    _refused_office(service)
    day = date(2023, 4, 3)
    lenient = DAY.model_copy(update={"grace_late_minutes": 30, "grace_early_minutes": 60})
    _all_refused(
        service,
        [
            (
                "a span that ends before it starts",
                InvalidInput,
                "end",
                lambda: service.daily_results(CLERK, ORG, "E001", day, day - timedelta(days=1)),
            ),
            (
                "results read by another organisation",
                OrganizationDenied,
                None,
                lambda: service.daily_results(OTHER_CLERK, ORG, "E001", day, day),
            ),
            (
                "a shift changed without the role",
                PermissionDenied,
                "actor",
                lambda: service.define_shift(NOBODY, ORG, lenient),
            ),
            (
                "a shift changed by an approver",
                PermissionDenied,
                "actor",
                lambda: service.define_shift(BOSS, ORG, lenient),
            ),
            (
                "a shift changed by another organisation",
                OrganizationDenied,
                None,
                lambda: service.define_shift(OTHER_CLERK, ORG, lenient),
            ),
            (
                "the region dropped without the role",
                PermissionDenied,
                "actor",
                lambda: service.configure(NOBODY, ORG, OrgSettings(region=None)),
            ),
            (
                "the zone moved by another organisation",
                OrganizationDenied,
                None,
                lambda: service.configure(OTHER_CLERK, ORG, OrgSettings(region=XJ, timezone="Asia/Urumqi")),
            ),
            (
                "a punch recorded without the role",
                PermissionDenied,
                "actor",
                lambda: service.record_punches(
                    NOBODY, ORG, [Punch(person_id="E001", punched_at=_at(day, 18))]
                ),
            ),
            (
                "an assignment without the role",
                PermissionDenied,
                "actor",
                lambda: service.assign_shift(
                    NOBODY, ORG, ShiftAssignment(shift_code=DAY.code, person_id="E001", valid_from=day)
                ),
            ),
        ],
    )


@refuses(
    "ATT-017", "ATT-018", "ATT-019", "ATT-020", "ATT-021", "ATT-022", "ATT-023", "ATT-024", "ATT-025",
    "ATT-033", "ATT-034", "ATT-039", "ATT-040",
)  # fmt: skip
def leave_and_approval_refuse_wrong_input_and_wrong_actors(service: AttendanceService) -> None:
    """Leave, trips and approvals with wrong input, by the wrong role or organisation, are refused and
    record nothing: no request, no balance moved, no audit record."""
    request_id = _refused_office(service)
    day = date(2023, 4, 10)

    def leave(kind: str = "annual", start: date = day, end: date = day, **more: Any) -> LeaveRequestIn:
        return LeaveRequestIn(person_id="E001", leave_type=kind, start_date=start, end_date=end, **more)

    balance = service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="annual", on=day)
    _all_refused(
        service,
        [
            (
                "leave that ends before it starts",
                InvalidInput,
                "end_date",
                lambda: service.request_leave(CLERK, ORG, leave(end=day - timedelta(days=1))),
            ),
            (
                "annual leave over a weekend alone",
                InvalidInput,
                "end_date",
                lambda: service.request_leave(
                    CLERK, ORG, leave(start=date(2023, 4, 8), end=date(2023, 4, 9))
                ),
            ),
            (
                "an unknown leave type",
                InvalidInput,
                "leave_type",
                lambda: service.request_leave(CLERK, ORG, leave("sabbatical")),
            ),
            (
                "an unknown leave type's balance",
                InvalidInput,
                "leave_type",
                lambda: service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="sabbatical"),
            ),
            (
                "annual leave beyond the balance",
                GuardFailed,
                "days",
                lambda: service.request_leave(CLERK, ORG, leave(end=date(2023, 5, 31))),
            ),
            (
                "leave overlapping the pending leave",
                GuardFailed,
                "start_date",
                lambda: service.request_leave(CLERK, ORG, leave("sick", date(2023, 4, 6), date(2023, 4, 6))),
            ),
            (
                "marriage leave of four workdays",
                GuardFailed,
                "end_date",
                lambda: service.request_leave(CLERK, ORG, leave("marriage", day, date(2023, 4, 13))),
            ),
            (
                "maternity leave of 159 days in Xinjiang",
                GuardFailed,
                "end_date",
                lambda: service.request_leave(CLERK, ORG, leave("maternity", day, day + timedelta(days=158))),
            ),
            (
                "compensatory rest without credit",
                GuardFailed,
                "days",
                lambda: service.request_leave(CLERK, ORG, leave("compensatory_rest")),
            ),
            (
                "a trip that ends before it starts",
                InvalidInput,
                "end_date",
                lambda: service.request_trip(
                    CLERK,
                    ORG,
                    TripRequestIn(person_id="E001", start_date=day, end_date=day - timedelta(days=1)),
                ),
            ),
            (
                "leave submitted by an approver only",
                PermissionDenied,
                "actor",
                lambda: service.request_leave(BOSS, ORG, leave("personal")),
            ),
            (
                "leave submitted by another organisation",
                OrganizationDenied,
                None,
                lambda: service.request_leave(OTHER_CLERK, ORG, leave("personal")),
            ),
            (
                "an approval by the clerk",
                PermissionDenied,
                None,
                lambda: service.approve(CLERK, ORG, request_id),
            ),
            (
                "an approval by another organisation",
                OrganizationDenied,
                None,
                lambda: service.approve(OTHER_CLERK, ORG, request_id),
            ),
            (
                "a credit of a workday without overtime",
                GuardFailed,
                "day",
                lambda: service.grant_compensatory_rest(BOSS, ORG, "E001", day),
            ),
            (
                "a credit by the clerk",
                PermissionDenied,
                "actor",
                lambda: service.grant_compensatory_rest(CLERK, ORG, "E001", date(2023, 4, 8)),
            ),
        ],
    )
    expect_equal(
        service.leave_balance(CLERK, ORG, "E001", 2023, leave_type="annual", on=day),
        balance,
        what="the annual balance after the refusals",
    )
    expect_equal(
        service.get_request(CLERK, ORG, request_id).state,
        "submitted",
        what="the pending leave after the refusals",
    )


@refuses("ATT-001", "ATT-002", "ATT-027", "ATT-029", "ATT-030", "ATT-031", "ATT-041", "ATT-046")
def imports_enrolment_and_months_refuse_wrong_input_and_wrong_actors(service: AttendanceService) -> None:
    """Files, enrolments, personnel events and month closes with wrong input, by the wrong role or
    organisation, are refused; no punch, enrolment, month close or event is written."""
    _refused_office(service)
    data = "person_id,punched_at\nE001,2023-04-04T09:00:00+08:00\nE404,2023-04-04T09:00:00+08:00\n"
    system = Actor(id="personnel-dispatcher", name="人事事件", roles=frozenset())
    foreign_hire = _event(
        "hired",
        ORG,
        "E009",
        {
            "unit": _unit(ORG).model_dump(mode="json"),
            "effective_date": "2023-04-03",
            "first_employment_date": "2020-07-01",
        },
    )
    odd = foreign_hire.model_copy(update={"type": "cn.govparts.personnel.employee.promoted.v1"})
    _all_refused(
        service,
        [
            (
                "a file imported by another organisation",
                OrganizationDenied,
                None,
                lambda: service.import_punches(OTHER_CLERK, ORG, data, "csv"),
            ),
            (
                "a file imported without the role",
                PermissionDenied,
                "actor",
                lambda: service.import_punches(NOBODY, ORG, data, "csv"),
            ),
            (
                "a file with a bad row",
                InvalidInput,
                None,
                lambda: service.import_punches(CLERK, ORG, data + "E001,yesterday\n", "csv"),
            ),
            (
                "a file of an unknown format",
                InvalidInput,
                "format",
                lambda: service.import_punches(CLERK, ORG, data, "xml"),  # type: ignore[arg-type]
            ),
            (
                "a stranger's punches without the role",
                PermissionDenied,
                "actor",
                lambda: service.record_punches(
                    NOBODY, ORG, [Punch(person_id="E404", punched_at=_at(date(2023, 4, 4), 9))]
                ),
            ),
            (
                "an enrolment of another organisation's person",
                InvalidInput,
                "person.organization_credit_code",
                lambda: service.enrol(CLERK, ORG, _enrolment(OTHER, "E009", date(2023, 4, 3))),
            ),
            (
                "a transfer not after the start",
                InvalidInput,
                "effective_date",
                lambda: service.transfer(CLERK, ORG, "E001", _unit(ORG, "CWK"), date(2023, 1, 1)),
            ),
            (
                "an enrolment ended before it starts",
                InvalidInput,
                "last_day",
                lambda: service.end_enrolment(CLERK, ORG, "E001", date(2022, 6, 30)),
            ),
            (
                "a personnel event delivered by another organisation",
                OrganizationDenied,
                None,
                lambda: service.receive_event(OTHER_CLERK, foreign_hire),
            ),
            (
                "a personnel event attendance does not consume",
                InvalidInput,
                "type",
                lambda: service.receive_event(system, odd),
            ),
            (
                "a month of 13",
                InvalidInput,
                "month",
                lambda: service.month_summary(CLERK, ORG, "E001", 2023, 13),
            ),
            (
                "a unit nobody was in",
                NotFound,
                "unit_code",
                lambda: service.unit_summary(CLERK, ORG, "XXX", 2023, 4),
            ),
            (
                "a month closed by an approver",
                PermissionDenied,
                "actor",
                lambda: service.close_month(BOSS, ORG, 2023, 4),
            ),
            (
                "a month closed by another organisation",
                OrganizationDenied,
                None,
                lambda: service.close_month(OTHER_CLERK, ORG, 2023, 4),
            ),
            (
                "summaries read by another organisation",
                OrganizationDenied,
                None,
                lambda: service.month_summaries(OTHER_CLERK, ORG, 2023, 4),
            ),
        ],
    )
