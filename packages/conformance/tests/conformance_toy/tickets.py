"""A toy part written in the Protocol convention (tickets of an organisation), for ``coverage``.

Every method takes the acting ``actor`` first and ``org`` second, is documented with
``Requirements:`` and ``Raises:``, and every MUST has a negative check (:func:`refuses`), so the
full coverage passes; the kit's tests take pieces away to prove each rule fails.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Protocol

from govparts.conformance import (
    Capabilities,
    Catalogue,
    Requirement,
    Suite,
    collect_checks,
    expect_equal,
    expect_raises,
    refuses,
    verifies,
)
from govparts.core.demo import make_office
from govparts.core.errors import InvalidInput, NotFound, OrganizationDenied, PermissionDenied
from govparts.core.i18n import N_
from govparts.core.parts import Part
from govparts.core.security import Actor, check_org

ORG_A = make_office(1).credit_code
ORG_B = make_office(2).credit_code
CLERK = "ticket_clerk"


@dataclass(frozen=True)
class Ticket:
    """A ticket of an organisation."""

    id: str
    org: str
    title: str
    status: str = "open"


def _statement(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


CATALOGUE = Catalogue(
    "ticket-toy",
    "1.0",
    (
        Requirement(
            "TKT-001",
            "MUST",
            _statement(
                "工单标题不能为空；空标题被拒绝且不记录任何内容。",
                "A ticket needs a title; an empty title is refused and nothing is recorded.",
                "خىزمەت بېلىتىنىڭ ماۋزۇسى بولۇشى كېرەك؛ بوش ماۋزۇ رەت قىلىنىدۇ ۋە ھېچنەرسە خاتىرىلەنمەيدۇ.",
            ),
            "Toy ticket rules 1.0 §1",
        ),
        Requirement(
            "TKT-002",
            "MUST",
            _statement(
                "只有本单位的工单管理员可以开立、查看和关闭本单位的工单。",
                "Only a ticket clerk of the organisation opens, reads and closes its tickets.",
                "پەقەت ئورۇننىڭ خىزمەت بېلىتى كاتىپىلا ئۇنىڭ بېلەتلىرىنى ئاچىدۇ، كۆرىدۇ ۋە تاقايدۇ.",
            ),
            "Toy ticket rules 1.0 §2",
        ),
        Requirement(
            "TKT-003",
            "SHOULD",
            _statement(
                "关闭的工单状态为“已关闭”。",
                "A closed ticket has the status 'closed'.",
                "تاقالغان بېلەتنىڭ ھالىتى «تاقالدى» بولىدۇ.",
            ),
            "Toy ticket rules 1.0 §3",
        ),
    ),
)


class TicketService(Protocol):
    """What an implementation of the ticket toy part offers."""

    def capabilities(self) -> Capabilities:
        """The part and version implemented.

        Requirements: TKT-002
        Raises:
            (none)
        """
        ...

    def open_ticket(self, actor: Actor, org: str, title: str) -> Ticket:
        """Open a ticket of ``org``.

        Requirements: TKT-001, TKT-002
        Raises:
            InvalidInput: the title is empty (field ``title``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``ticket_clerk``.
        """
        ...

    def get_ticket(self, actor: Actor, org: str, ticket_id: str) -> Ticket:
        """A ticket of ``org``.

        Requirements: TKT-002
        Raises:
            NotFound: no such ticket in ``org`` (field ``ticket_id``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``ticket_clerk``.
        """
        ...

    def close_ticket(self, actor: Actor, org: str, ticket_id: str) -> Ticket:
        """Close a ticket of ``org``.

        Requirements: TKT-002, TKT-003
        Raises:
            NotFound: no such ticket in ``org`` (field ``ticket_id``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``ticket_clerk``.
        """
        ...


class ReferenceTicketService:
    """The reference implementation, in memory."""

    def __init__(self) -> None:
        self._tickets: dict[str, Ticket] = {}
        self._ids = itertools.count(1)

    def capabilities(self) -> Capabilities:
        return Capabilities("ticket-toy", "1.0")

    def _allow(self, actor: Actor, org: str) -> None:
        check_org(actor, org, write=True)
        if not actor.has_role(CLERK):
            raise PermissionDenied(N_("{field}: the actor lacks the role {role}"), field="actor", role=CLERK)

    def open_ticket(self, actor: Actor, org: str, title: str) -> Ticket:
        self._allow(actor, org)
        if not title.strip():
            raise InvalidInput(N_("{field}: a title is required"), field="title")
        ticket = Ticket(f"T-{next(self._ids)}", org, title)
        self._tickets[ticket.id] = ticket
        return ticket

    def get_ticket(self, actor: Actor, org: str, ticket_id: str) -> Ticket:
        self._allow(actor, org)
        ticket = self._tickets.get(ticket_id)
        if ticket is None or ticket.org != org:
            raise NotFound(field="ticket_id", kind="ticket", got=ticket_id)
        return ticket

    def close_ticket(self, actor: Actor, org: str, ticket_id: str) -> Ticket:
        closed = replace(self.get_ticket(actor, org, ticket_id), status="closed")
        self._tickets[ticket_id] = closed
        return closed


def clerk(org: str = ORG_A, *, roles: frozenset[str] = frozenset({CLERK})) -> Actor:
    """A ticket clerk acting for ``org``."""
    return Actor(id=f"clerk-{org[-4:]}", name="阿依古丽", roles=roles, org=org)


@refuses("TKT-001")
def refuses_an_empty_title(service: TicketService) -> None:
    with expect_raises(InvalidInput, field="title"):
        service.open_ticket(clerk(), ORG_A, "  ")
    made = service.open_ticket(clerk(), ORG_A, "printer")
    expect_equal(made.id, "T-1", what="the first ticket recorded after a refusal")


@refuses("TKT-002")
def refuses_another_organisation_and_a_missing_role(service: TicketService) -> None:
    made = service.open_ticket(clerk(), ORG_A, "printer")
    with expect_raises(OrganizationDenied):
        service.open_ticket(clerk(ORG_B), ORG_A, "x")
    with expect_raises(OrganizationDenied):
        service.get_ticket(clerk(ORG_B), ORG_A, made.id)
    with expect_raises(PermissionDenied):
        service.close_ticket(clerk(roles=frozenset()), ORG_A, made.id)
    expect_equal(service.get_ticket(clerk(), ORG_A, made.id).status, "open", what="status after refusals")


@verifies("TKT-003")
def closes_a_ticket(service: TicketService) -> None:
    made = service.open_ticket(clerk(), ORG_A, "printer")
    expect_equal(service.close_ticket(clerk(), ORG_A, made.id).status, "closed", what="status")


SUITE = Suite(CATALOGUE, collect_checks(globals()))


def make_service() -> ReferenceTicketService:
    """A fresh reference service."""
    return ReferenceTicketService()


PART = Part(
    name="ticket-toy",
    version="1.0.0",
    title={"zh_Hans_CN": "工单（示例部件）", "en": "Tickets (toy part)", "ug_CN": "بېلەت (ئۈلگە بۆلەك)"},
    requirements="conformance_toy.tickets:CATALOGUE",
    conformance="conformance_toy.tickets:SUITE",
    service_protocol="conformance_toy.tickets:TicketService",
    reference_factory="conformance_toy.tickets:make_service",
)
