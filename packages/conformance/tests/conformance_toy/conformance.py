"""The toy part's requirement catalogue and conformance suite."""

from __future__ import annotations

from pathlib import Path

from govparts.conformance import Catalogue, Suite, collect_checks, expect_raises, verifies
from govparts.core.errors import InvalidInput, NotFound, TransitionNotAllowed

from .service import LeaveRequest, LeaveService

CATALOGUE = Catalogue.from_toml(Path(__file__).with_name("catalogue.toml"))


def _is_request(value: object) -> LeaveRequest:
    assert isinstance(value, LeaveRequest), f"expected a LeaveRequest, got {value!r}"
    return value


@verifies("LVE-001")
def records_a_submitted_request(service: LeaveService) -> None:
    made = _is_request(service.submit(person="P-0001", days=3))
    assert (made.status, made.days, made.person) == ("submitted", 3, "P-0001")
    assert service.get(made.id) == made


@verifies("LVE-002")
def refuses_days_out_of_range(service: LeaveService) -> None:
    for days in (0, -1, 31):
        with expect_raises(InvalidInput, field="days"):
            service.submit(person="P-0001", days=days)
    assert service.requests() == [], "a refused request was recorded"


@verifies("LVE-003")
def approves_once(service: LeaveService) -> None:
    made = _is_request(service.submit(person="P-0002", days=1))
    assert _is_request(service.approve(made.id)).status == "approved"
    with expect_raises(TransitionNotAllowed):
        service.approve(made.id)


@verifies("LVE-004")
def reports_unknown_request(service: LeaveService) -> None:
    with expect_raises(NotFound):
        service.get("L-404")


@verifies("LVE-005")
def records_rejection_note(service: LeaveService) -> None:
    made = _is_request(service.submit(person="P-0003", days=2))
    rejected = _is_request(service.reject(made.id, note="overlaps the audit week"))
    assert rejected.status == "rejected"
    assert service.get(made.id).note == "overlaps the audit week"


@verifies("LVE-006")
def cancels_a_submitted_request(service: LeaveService) -> None:
    made = _is_request(service.submit(person="P-0004", days=5))
    service.cancel(made.id)
    assert service.get(made.id).status == "cancelled"


SUITE = Suite(CATALOGUE, collect_checks(globals()))
