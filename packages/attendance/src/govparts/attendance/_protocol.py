"""The ``AttendanceService`` protocol: what any implementation of the attendance part offers.

Kept apart from the reference implementation so that a vendor can type against it (and the
conformance kit can name it) without loading SQLModel or the reference tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from govparts.conformance import Capabilities
    from govparts.core.audit import TrailEntry
    from govparts.core.events import CloudEvent
    from govparts.core.refs import OrgUnitRef
    from govparts.core.security import Actor

    from ._models import (
        CompensatoryRest,
        DailyResult,
        Enrolment,
        LeaveBalance,
        LeaveRequestIn,
        MonthClosed,
        MonthSummary,
        OrgSettings,
        Punch,
        PunchCorrectionIn,
        PunchImport,
        Request,
        Shift,
        ShiftAssignment,
        TripRequestIn,
        UnitMonthSummary,
    )

__all__ = ["AUDITED_ENTITIES", "CLERK_ROLE", "APPROVER_ROLE", "EMPLOYEE_ROLE", "AttendanceService"]

CLERK_ROLE = "attendance_clerk"
"""The role that keeps an organisation's attendance: settings, shifts, enrolment, punches, month close."""
APPROVER_ROLE = "approver"
"""The role that approves and rejects requests and credits compensatory rest."""
EMPLOYEE_ROLE = "employee"
"""The role that submits one's own requests (an attendance clerk may submit too)."""

AUDITED_ENTITIES: dict[str, str] = {
    "attendance_settings": "{org}",
    "enrolment": "{org}/{person_id}",
    "shift": "{org}/{shift_code}",
    "punches": "{org}/{person_id}",
    "compensatory_rest": "{org}/{person_id}",
    "leave_request": "{request_id}",
    "business_trip": "{request_id}",
    "punch_correction": "{request_id}",
    "attendance_month": "{org}/{YYYY-MM}",
    "attendance": "{org}",
}
"""The ``entity`` names :meth:`AttendanceService.audit_trail` knows and how each ``entity_id`` is formed."""


class AttendanceService(Protocol):
    """What an implementation of the attendance part offers (考勤服务).

    Every method but :meth:`capabilities` takes the acting ``actor`` first and, second, ``org``: the
    organisation (its unified social credit code, GB 32100-2015) whose attendance it reads or
    changes; :meth:`receive_event` takes the organisation from the event. Many offices share one
    database: a person is (``org``, person id), the same employee number in two organisations is
    two people; settings, shifts, requests and months (月结) are the organisation's own. Before it
    reads or changes anything a method refuses an actor bound to another organisation
    (``OrganizationDenied``; nothing written or revealed); a ``cross-org-auditor`` may read, audited
    (entity ``attendance``, id ``org``), and never change anything (ATT-036). An id of another
    organisation's thing is ``NotFound``. Writes need a role (ATT-044): ``attendance_clerk`` for
    settings, shifts, enrolment, punches and the month close; ``employee`` or ``attendance_clerk`` to
    submit a request; ``approver`` to approve or reject one and to credit compensatory rest.

    Every change leaves an audit record that :meth:`audit_trail` reads back (ATT-042), by
    ``entity`` and ``entity_id``:

    - ``attendance_settings``, id ``<org>``: :meth:`configure` (action ``configure``);
    - ``enrolment``, id ``<org>/<person_id>``: :meth:`enrol`, :meth:`end_enrolment`,
      :meth:`transfer` and the personnel events of :meth:`receive_event` (actions ``enrol``,
      ``end_enrolment``, ``transfer``);
    - ``shift``, id ``<org>/<shift code>``: :meth:`define_shift` (``define_shift``) and
      :meth:`assign_shift` (``assign_shift``);
    - ``punches``, id ``<org>/<person_id>``: one record per person and batch of
      :meth:`record_punches` or :meth:`import_punches` that stored or kept aside punches of that
      person (action ``record_punches``, details ``received``, ``stored``, ``kept_aside``);
    - ``compensatory_rest``, id ``<org>/<person_id>``: :meth:`grant_compensatory_rest`
      (``grant_compensatory_rest``, details ``day`` and ``minutes``);
    - ``leave_request``, ``business_trip`` (trips and outings) and ``punch_correction``, id the
      request's ``id``: ``create`` and each ``transition`` (submit, approve_first, approve, reject,
      cancel);
    - ``attendance_month``, id ``<org>/<YYYY-MM>``: ``create`` and the ``close`` transition;
    - ``attendance``, id ``<org>``: reads by a ``cross-org-auditor`` (``read-cross-org``).

    Published events (:meth:`published_events`): ``cn.govparts.attendance.month.closed.v1`` once a
    month is closed, ``cn.govparts.attendance.leave_request.approved.v1`` once leave is finally
    approved (ATT-043).
    """

    def capabilities(self) -> Capabilities:
        """The part, the version of its standard and the optional features this implementation offers.

        Requirements: ATT-036
        Raises:
            (none)
        """
        ...

    def configure(self, actor: Actor, org: str, settings: OrgSettings) -> OrgSettings:
        """Store the organisation's settings (region, time zone, approval levels, policies, overrides).

        Results of open months follow at once; a change of the calendar overrides reaching into a
        closed month is refused and nothing is written.

        Requirements: ATT-008, ATT-022, ATT-035, ATT-038, ATT-042, ATT-044
        Raises:
            InvalidInput: ``org`` is not a credit code (field ``org``).
            ProcessError: an override falls in a closed month (``MonthLocked``, field ``calendar_overrides``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def enrol(self, actor: Actor, org: str, enrolment: Enrolment) -> Enrolment:
        """Keep attendance of a person of ``org`` from ``start_date``; the same start again changes nothing.

        Requirements: ATT-030, ATT-036, ATT-042, ATT-044
        Raises:
            InvalidInput: the person or unit belongs to another organisation
                (field ``person.organization_credit_code``), the dates are inconsistent
                (``end_date``, ``first_employment_date``) or overlap an enrolment (``start_date``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def end_enrolment(self, actor: Actor, org: str, person_id: str, last_day: date) -> Enrolment:
        """End the person's enrolment after ``last_day`` (separation); ending it again changes nothing.

        Requirements: ATT-030, ATT-036, ATT-042, ATT-044
        Raises:
            InvalidInput: ``last_day`` is before the enrolment starts (field ``last_day``).
            NotFound: the person is not enrolled in ``org`` (field ``person_id``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def transfer(
        self, actor: Actor, org: str, person_id: str, unit: OrgUnitRef, effective_date: date
    ) -> Enrolment:
        """Move the person to ``unit`` (of ``org``) from ``effective_date``; repeating it changes nothing.

        Requirements: ATT-030, ATT-031, ATT-042, ATT-044
        Raises:
            InvalidInput: ``effective_date`` is not after the enrolment starts (field
                ``effective_date``), or the unit is another organisation's
                (``unit.organization_credit_code``).
            NotFound: the person is not enrolled in ``org`` (field ``person_id``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def enrolment(self, actor: Actor, org: str, person_id: str) -> Enrolment:
        """The person's latest enrolment in ``org``.

        Requirements: ATT-030, ATT-036
        Raises:
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def define_shift(self, actor: Actor, org: str, shift: Shift) -> Shift:
        """Store (or replace) a shift of ``org``; results of its open months follow.

        Requirements: ATT-004, ATT-005, ATT-009, ATT-010, ATT-011, ATT-012, ATT-042, ATT-044
        Raises:
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def assign_shift(self, actor: Actor, org: str, assignment: ShiftAssignment) -> ShiftAssignment:
        """Give a shift of ``org`` to a unit or a person from ``valid_from``.

        Requirements: ATT-009, ATT-028, ATT-042, ATT-044
        Raises:
            NotFound: ``org`` has no such shift (field ``shift_code``).
            ProcessError: ``valid_from`` is in a closed month (``MonthLocked``, field ``valid_from``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def record_punches(self, actor: Actor, org: str, punches: Sequence[Punch]) -> PunchImport:
        """Store punches of the organisation's people, all or none (govparts attendance 1.0 §4).

        Punches already stored are counted as duplicates; punches of people not enrolled in ``org``
        that day are kept aside (:meth:`unenrolled_punches`) and named in the result. The day of a
        punch is its date in the organisation's time zone.

        Requirements: ATT-001, ATT-002, ATT-016, ATT-028, ATT-032, ATT-042, ATT-044, ATT-045
        Raises:
            ProcessError: a punch falls in a closed month; the whole batch is refused
                (``MonthLocked``, field ``punched_at``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def import_punches(
        self, actor: Actor, org: str, data: str, format: Literal["csv", "json"] = "csv"
    ) -> PunchImport:
        """Import a device file (CSV ``person_id,punched_at[,device]`` or a JSON array), all or none.

        ``punched_at`` is ISO 8601 with its offset (ISO 8601-1:2019 §5.3.4). The file is judged as
        :meth:`record_punches` judges the same punches.

        Requirements: ATT-001, ATT-003, ATT-028, ATT-042, ATT-044, ATT-045
        Raises:
            InvalidInput: the file is not of its format (field ``data``) or the format is unknown
                (``format``).
            InvalidRecord: a row is invalid, e.g. a time without its zone; names the row and the
                field ``punched_at``.
            ProcessError: a punch falls in a closed month (``MonthLocked``, field ``punched_at``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def unenrolled_punches(self, actor: Actor, org: str) -> list[Punch]:
        """The organisation's punches kept aside because their person was not enrolled that day.

        Requirements: ATT-002, ATT-036
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def daily_results(
        self, actor: Actor, org: str, person_id: str, start: date, end: date
    ) -> list[DailyResult]:
        """The person's results in ``org`` from ``start`` to ``end`` (days enrolled only), in day order.

        Requirements: ATT-004, ATT-005, ATT-006, ATT-007, ATT-008, ATT-009, ATT-010, ATT-011,
            ATT-012, ATT-013, ATT-014, ATT-015, ATT-016, ATT-021, ATT-025, ATT-026, ATT-030,
            ATT-032, ATT-036, ATT-037, ATT-038
        Raises:
            InvalidInput: ``end`` is before ``start`` (field ``end``).
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def request_leave(self, actor: Actor, org: str, request: LeaveRequestIn) -> Request:
        """Submit leave of a person of ``org``, counted by its type's rule.

        Requirements: ATT-018, ATT-019, ATT-020, ATT-023, ATT-028, ATT-033, ATT-034, ATT-040, ATT-044
        Raises:
            InvalidInput: the dates are inconsistent or hold no working day (field ``end_date``);
                the person is not enrolled on a day (``person_id``).
            UnknownCode: the leave type is not in the code list (field ``leave_type``).
            GuardFailed: the days exceed the type's limit (``end_date``), the balance (``days``),
                or overlap a request (``start_date``).
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            ProcessError: a day is in a closed month (``MonthLocked``, field ``start_date``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor has neither ``employee`` nor ``attendance_clerk``.
        """
        ...

    def request_trip(self, actor: Actor, org: str, trip: TripRequestIn) -> Request:
        """Submit a business trip (出差) or official outing (公出) of a person of ``org``.

        Requirements: ATT-020, ATT-025, ATT-044
        Raises:
            InvalidInput: the trip ends before it starts (field ``end_date``).
            GuardFailed: it overlaps another request (field ``start_date``).
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            ProcessError: a day is in a closed month (``MonthLocked``, field ``start_date``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor has neither ``employee`` nor ``attendance_clerk``.
        """
        ...

    def request_correction(self, actor: Actor, org: str, correction: PunchCorrectionIn) -> Request:
        """Submit a punch correction (补卡); at most ``corrections_per_month`` a person a month.

        Requirements: ATT-026, ATT-044
        Raises:
            GuardFailed: the month's corrections are used up (field ``punched_at``).
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            ProcessError: the day is in a closed month (``MonthLocked``, field ``punched_at``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor has neither ``employee`` nor ``attendance_clerk``.
        """
        ...

    def approve(self, actor: Actor, org: str, request_id: str) -> Request:
        """Approve a request (the first level first where two levels are configured); results follow.

        Requirements: ATT-016, ATT-021, ATT-022, ATT-025, ATT-026, ATT-043, ATT-044
        Raises:
            NotFound: ``org`` has no such request (field ``request_id``).
            TransitionNotAllowed: the request is not awaiting approval.
            GuardFailed: the submitter or first approver approves again (separation of duties).
            ProcessError: the request reaches into a closed month (``MonthLocked``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``approver``.
        """
        ...

    def reject(self, actor: Actor, org: str, request_id: str, *, note: str = "") -> Request:
        """Reject a request with a note; a rejected request never counts.

        Requirements: ATT-022, ATT-042, ATT-044
        Raises:
            InvalidInput: the note holds NUL, control or bidi characters (field ``note``).
            NotFound: ``org`` has no such request (field ``request_id``).
            TransitionNotAllowed: the request is not awaiting approval.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``approver``.
        """
        ...

    def cancel(self, actor: Actor, org: str, request_id: str) -> Request:
        """Withdraw a request; an approved one stops counting at once.

        Requirements: ATT-021, ATT-028, ATT-042, ATT-044
        Raises:
            NotFound: ``org`` has no such request (field ``request_id``).
            TransitionNotAllowed: the request is already rejected or cancelled.
            ProcessError: the request reaches into a closed month (``MonthLocked``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor has none of ``employee``, ``approver``, ``attendance_clerk``.
        """
        ...

    def get_request(self, actor: Actor, org: str, request_id: str) -> Request:
        """One of the organisation's requests by id.

        Requirements: ATT-022, ATT-036
        Raises:
            NotFound: ``org`` has no such request (field ``request_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def leave_balance(
        self,
        actor: Actor,
        org: str,
        person_id: str,
        year: int,
        *,
        leave_type: str = "annual",
        on: date | None = None,
    ) -> LeaveBalance:
        """The person's ``leave_type`` leave in ``year`` (annual entitlement as on ``on``, default 31 Dec).

        Requirements: ATT-017, ATT-019, ATT-024
        Raises:
            UnknownCode: the leave type is not in the code list (field ``leave_type``).
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def grant_compensatory_rest(self, actor: Actor, org: str, person_id: str, day: date) -> CompensatoryRest:
        """Credit the person's rest-day overtime on ``day`` as time off (调休, 《劳动法》 Art. 44 (2)).

        Statutory-holiday overtime is paid (Art. 44 (3)) unless the organisation allows it.

        Requirements: ATT-039, ATT-042, ATT-044
        Raises:
            GuardFailed: no rest-day overtime on ``day``, statutory overtime, or already credited
                (field ``day``).
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            ProcessError: ``day`` is in a closed month (``MonthLocked``, field ``day``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``approver``.
        """
        ...

    def compensatory_rest(self, actor: Actor, org: str, person_id: str, on: date) -> CompensatoryRest:
        """The person's compensatory rest (调休假) on ``on``: credited, taken, pending, expired, left.

        Requirements: ATT-039, ATT-040
        Raises:
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def month_summary(self, actor: Actor, org: str, person_id: str, year: int, month: int) -> MonthSummary:
        """The person's month in ``org`` (月度考勤汇总).

        Requirements: ATT-027, ATT-041
        Raises:
            InvalidInput: ``month`` is not 1 to 12 (field ``month``).
            NotFound: the person was never enrolled in ``org`` (field ``person_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def month_summaries(self, actor: Actor, org: str, year: int, month: int) -> list[MonthSummary]:
        """Every person's month in ``org``, by person id (the bulk form of :meth:`month_summary`).

        Requirements: ATT-027, ATT-036
        Raises:
            InvalidInput: ``month`` is not 1 to 12 (field ``month``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def unit_summary(self, actor: Actor, org: str, unit_code: str, year: int, month: int) -> UnitMonthSummary:
        """The month of one of the organisation's units: the days its people spent in it.

        Requirements: ATT-031
        Raises:
            InvalidInput: ``month`` is not 1 to 12 (field ``month``).
            NotFound: no one of ``org`` was in the unit that month (field ``unit_code``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def close_month(self, actor: Actor, org: str, year: int, month: int) -> MonthClosed:
        """Close the month of ``org`` (月结): results become final, ``month.closed`` is published.

        Requirements: ATT-028, ATT-029, ATT-036, ATT-041, ATT-042, ATT-043, ATT-044
        Raises:
            InvalidInput: ``month`` is not 1 to 12 (field ``month``).
            ProcessError: the month is already closed (``MonthLocked``, field ``month``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``attendance_clerk``.
        """
        ...

    def is_month_closed(self, actor: Actor, org: str, year: int, month: int) -> bool:
        """Whether the organisation's month is closed (月结).

        Requirements: ATT-028, ATT-036
        Raises:
            InvalidInput: ``month`` is not 1 to 12 (field ``month``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def receive_event(self, actor: Actor, event: CloudEvent) -> Enrolment | None:
        """Apply a personnel event to enrolment; returns the enrolment as it stands, or None if ignored.

        ``employee.hired`` enrols from ``effective_date``; ``employee.separated`` ends the
        enrolment on the day before ``effective_date`` (a person never enrolled: None);
        ``employee.transferred`` moves the person from ``effective_date``. The organisation is the
        person's ``organization_credit_code``; each event is idempotent.

        Requirements: ATT-030, ATT-042, ATT-046
        Raises:
            InvalidInput: the event type is not one attendance consumes (field ``type``) or its
                data does not read (field ``data``).
            OrganizationDenied: the actor acts for another organisation than the event's.
            PermissionDenied: the actor is neither the deployment's system actor nor holds
                ``attendance_clerk``.
        """
        ...

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        """The audit records of one thing of ``org``, oldest first (see the class for the entities).

        Requirements: ATT-042
        Raises:
            InvalidInput: ``entity`` is not one of the entities above (field ``entity``).
            NotFound: the id names another organisation's thing (field ``entity_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        """The events published for ``org``, in publication order (only those of ``type`` if given).

        Requirements: ATT-043
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...
