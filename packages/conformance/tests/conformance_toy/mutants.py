"""Mutants of the toy reference implementation, each breaking one rule of the catalogue."""

from __future__ import annotations

from dataclasses import replace

from govparts.conformance import Mutant

from .service import LeaveRequest, ReferenceLeaveService


class AcceptsZeroDays(ReferenceLeaveService):
    def submit(self, person: str, days: int) -> LeaveRequest:
        return super().submit(person, 1 if days == 0 else days)


class ApprovesTwice(ReferenceLeaveService):
    def approve(self, request_id: str) -> LeaveRequest:
        approved = replace(self.get(request_id), status="approved")
        self._requests[request_id] = approved
        return approved


class UnknownIsNone(ReferenceLeaveService):
    def get(self, request_id: str) -> LeaveRequest:
        return self._requests.get(request_id)  # type: ignore[return-value]


class DropsRejectionNote(ReferenceLeaveService):
    def reject(self, request_id: str, note: str) -> LeaveRequest:
        return super().reject(request_id, "")


class CancelKeepsStatus(ReferenceLeaveService):
    def cancel(self, request_id: str) -> LeaveRequest:
        return self.get(request_id)


MUTANTS = [
    Mutant(
        "accepts-zero-days", "records a request for 0 days (as 1 day)", AcceptsZeroDays, breaks=("LVE-002",)
    ),
    Mutant("approves-twice", "approves an approved request again", ApprovesTwice, breaks=("LVE-003",)),
    Mutant("unknown-is-none", "returns None for an unknown request", UnknownIsNone, breaks=("LVE-004",)),
    Mutant("drops-rejection-note", "forgets the reviewer's note", DropsRejectionNote, breaks=("LVE-005",)),
    Mutant(
        "cancel-keeps-status",
        "cancelling leaves the request submitted",
        CancelKeepsStatus,
        breaks=("LVE-006",),
    ),
]
