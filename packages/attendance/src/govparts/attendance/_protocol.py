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

__all__ = ["AttendanceService"]


class AttendanceService(Protocol):
    """What an implementation of the attendance part offers (考勤服务).

    Many offices share one database: every method but :meth:`capabilities` is scoped by one
    organisation, ``org`` (its unified social credit code, GB 32100-2015), and takes the acting
    ``actor``. A person is (``org``, person id): the same employee number in two organisations is
    two people; settings, shifts, requests and months (月结) are the organisation's own. Before it
    reads or changes anything a method passes :func:`govparts.core.security.check_org`: an actor
    bound to another organisation gets :class:`~govparts.core.errors.OrganizationDenied` and nothing
    is written or revealed; a ``cross-org-auditor`` may read, audited, and never change anything
    (requirement ATT-036).
    """

    def capabilities(self) -> Capabilities: ...
    def configure(self, org: str, settings: OrgSettings, *, actor: Actor) -> OrgSettings: ...
    def enrol(self, org: str, enrolment: Enrolment, *, actor: Actor) -> Enrolment: ...
    def end_enrolment(self, org: str, person_id: str, last_day: date, *, actor: Actor) -> Enrolment: ...
    def transfer(
        self, org: str, person_id: str, unit: OrgUnitRef, effective_date: date, *, actor: Actor
    ) -> Enrolment: ...
    def enrolment(self, org: str, person_id: str, *, actor: Actor) -> Enrolment: ...
    def define_shift(self, org: str, shift: Shift, *, actor: Actor) -> Shift: ...
    def assign_shift(self, org: str, assignment: ShiftAssignment, *, actor: Actor) -> ShiftAssignment: ...
    def record_punches(self, org: str, punches: Sequence[Punch], *, actor: Actor) -> PunchImport: ...
    def import_punches(
        self, org: str, data: str, format: Literal["csv", "json"] = "csv", *, actor: Actor
    ) -> PunchImport: ...
    def daily_results(
        self, org: str, person_id: str, start: date, end: date, *, actor: Actor
    ) -> list[DailyResult]: ...
    def request_leave(self, org: str, request: LeaveRequestIn, *, actor: Actor) -> Request: ...
    def request_trip(self, org: str, trip: TripRequestIn, *, actor: Actor) -> Request: ...
    def request_correction(self, org: str, correction: PunchCorrectionIn, *, actor: Actor) -> Request: ...
    def approve(self, org: str, request_id: str, *, actor: Actor) -> Request: ...
    def reject(self, org: str, request_id: str, *, actor: Actor, note: str = "") -> Request: ...
    def cancel(self, org: str, request_id: str, *, actor: Actor) -> Request: ...
    def get_request(self, org: str, request_id: str, *, actor: Actor) -> Request: ...
    def leave_balance(
        self,
        org: str,
        person_id: str,
        year: int,
        leave_type: str = "annual",
        on: date | None = None,
        *,
        actor: Actor,
    ) -> LeaveBalance: ...
    def grant_compensatory_rest(
        self, org: str, person_id: str, day: date, *, actor: Actor
    ) -> CompensatoryRest:
        """Credit the person's rest-day overtime on ``day`` as time off (调休; ATT-039).

        Refused naming ``day``: a day without rest-day overtime, statutory-holiday overtime unless
        the organisation allows it (《劳动法》 Art. 44 (3) pays it), a day already credited, a day of
        a closed month; needs the ``approver`` role.
        """
        ...

    def compensatory_rest(self, org: str, person_id: str, on: date, *, actor: Actor) -> CompensatoryRest:
        """The person's compensatory rest on ``on`` (ATT-039, ATT-040); leave of type
        ``compensatory_rest`` beyond ``available_minutes`` is refused naming ``days``."""
        ...

    def month_summary(
        self, org: str, person_id: str, year: int, month: int, *, actor: Actor
    ) -> MonthSummary: ...
    def month_summaries(self, org: str, year: int, month: int, *, actor: Actor) -> list[MonthSummary]: ...
    def unit_summary(
        self, org: str, unit_code: str, year: int, month: int, *, actor: Actor
    ) -> UnitMonthSummary: ...
    def close_month(self, org: str, year: int, month: int, *, actor: Actor) -> MonthClosed: ...
    def is_month_closed(self, org: str, year: int, month: int, *, actor: Actor) -> bool: ...
