"""The toy part's service protocol and its in-memory reference implementation."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Protocol

from govparts.conformance import Capabilities
from govparts.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from govparts.core.i18n import N_

MAX_DAYS = 30


@dataclass(frozen=True)
class LeaveRequest:
    """A request for leave and where it stands."""

    id: str
    person: str
    days: int
    status: str = "submitted"
    note: str = ""


class LeaveService(Protocol):
    """What an implementation of the toy part offers."""

    def capabilities(self) -> Capabilities: ...
    def submit(self, person: str, days: int) -> LeaveRequest: ...
    def get(self, request_id: str) -> LeaveRequest: ...
    def requests(self) -> list[LeaveRequest]: ...
    def approve(self, request_id: str) -> LeaveRequest: ...
    def reject(self, request_id: str, note: str) -> LeaveRequest: ...
    def cancel(self, request_id: str) -> LeaveRequest: ...


class ReferenceLeaveService:
    """The reference implementation: requests kept in a dict, ids numbered from 1."""

    features: frozenset[str] = frozenset({"cancellation"})

    def __init__(self) -> None:
        self._requests: dict[str, LeaveRequest] = {}
        self._ids = itertools.count(1)

    def capabilities(self) -> Capabilities:
        return Capabilities(part="leave-toy", version="1.0", features=self.features)

    def submit(self, person: str, days: int) -> LeaveRequest:
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput(
                N_("{field}: must be between 1 and 30, got {got}"), field="days", got=str(days)
            )
        request = LeaveRequest(id=f"L-{next(self._ids)}", person=person, days=days)
        self._requests[request.id] = request
        return request

    def get(self, request_id: str) -> LeaveRequest:
        try:
            return self._requests[request_id]
        except KeyError:
            raise NotFound(field="request_id", kind="leave request", got=request_id) from None

    def requests(self) -> list[LeaveRequest]:
        return list(self._requests.values())

    def _move(self, request_id: str, transition: str, to: str, note: str = "") -> LeaveRequest:
        request = self.get(request_id)
        if request.status != "submitted":
            raise TransitionNotAllowed(
                field="status", transition=transition, state=request.status, allowed=["-"]
            )
        moved = replace(request, status=to, note=note)
        self._requests[request_id] = moved
        return moved

    def approve(self, request_id: str) -> LeaveRequest:
        return self._move(request_id, "approve", "approved")

    def reject(self, request_id: str, note: str) -> LeaveRequest:
        return self._move(request_id, "reject", "rejected", note)

    def cancel(self, request_id: str) -> LeaveRequest:
        return self._move(request_id, "cancel", "cancelled")


def make_service() -> ReferenceLeaveService:
    """The reference factory: a fresh, empty service."""
    return ReferenceLeaveService()
