"""``govparts conformance coverage``: every method reached and refused, every MUST refused, documented."""

from __future__ import annotations

import io
import json
from typing import Protocol

import pytest
from conformance_toy import tickets
from conformance_toy.tickets import (
    CATALOGUE,
    ORG_A,
    PART,
    Ticket,
    TicketService,
    clerk,
    closes_a_ticket,
    make_service,
    refuses_an_empty_title,
    refuses_another_organisation_and_a_missing_role,
)

from govparts.conformance import (
    CheckFailure,
    Suite,
    check_coverage,
    cli,
    expect_equal,
    expect_raises,
    refuses,
    run_conformance,
    verifies,
)
from govparts.conformance._blame import recording
from govparts.conformance._reports import coverage_to_json, coverage_to_text
from govparts.core.errors import NotFound, OrganizationDenied
from govparts.core.parts import Part


def problems(report: object) -> list[str]:
    """The report's problems in English."""
    return [p.message("en") for p in report.problems]  # type: ignore[attr-defined]


def test_a_suite_in_the_convention_passes_with_its_figures() -> None:
    """Passes when every method is called and refused to a wrong actor, every MUST refused, all documented."""
    report = check_coverage(PART)
    assert problems(report) == []
    assert report.ok
    figures = dict(report.figures)
    assert {k: figures[k] for k in ("requirements", "must", "checks", "negative_checks")} == {
        "requirements": 3,
        "must": 2,
        "checks": 3,
        "negative_checks": 2,
    }
    assert (figures["methods"], figures["methods_reached"], figures["methods_refused"]) == (4, 4, 3)
    assert figures["run_seconds"] >= 0
    methods = {m.name: m for m in report.methods}
    assert methods["get_ticket"].refused_by == ("refuses_another_organisation_and_a_missing_role",)
    assert methods["capabilities"].takes_actor is False
    assert methods["open_ticket"].requirements == ("TKT-001", "TKT-002")


@refuses("TKT-002")
def refuses_a_foreign_opener(service: TicketService) -> None:
    with expect_raises(OrganizationDenied):
        service.open_ticket(clerk(tickets.ORG_B), ORG_A, "x")


def test_a_method_no_check_calls_fails() -> None:
    """Fails naming each Protocol method that no check calls (and so never refuses an actor either)."""
    suite = Suite(CATALOGUE, [refuses_an_empty_title, refuses_a_foreign_opener])
    report = check_coverage(suite, reference=make_service, protocol=TicketService)
    refusal = (
        "no check has this method refuse an actor (PermissionDenied, OrganizationDenied or "
        "ClearanceInsufficient)"
    )
    assert problems(report) == [
        "methods[get_ticket]: no check calls this Protocol method",
        f"methods[get_ticket]: {refusal}",
        "methods[close_ticket]: no check calls this Protocol method",
        f"methods[close_ticket]: {refusal}",
    ]
    assert not report.ok
    assert dict(report.figures)["methods_reached"] == 2


@refuses("TKT-002")
def refuses_only_unknown_tickets(service: TicketService) -> None:
    made = service.open_ticket(clerk(), ORG_A, "printer")
    with expect_raises(NotFound, field="ticket_id"):
        service.get_ticket(clerk(), ORG_A, "T-404")
    with expect_raises(NotFound, field="ticket_id"):
        service.close_ticket(clerk(), ORG_A, "T-404")
    expect_equal(service.get_ticket(clerk(), ORG_A, made.id).status, "open", what="status")


def test_a_method_never_refused_to_an_actor_fails() -> None:
    """Fails for each method taking an actor that no check has refuse an actor; passes once one does."""
    suite = Suite(CATALOGUE, [refuses_an_empty_title, refuses_only_unknown_tickets, closes_a_ticket])
    found = problems(check_coverage(suite, reference=make_service, protocol=TicketService))
    refusal = (
        "no check has this method refuse an actor (PermissionDenied, OrganizationDenied or "
        "ClearanceInsufficient)"
    )
    assert found == [f"methods[{name}]: {refusal}" for name in ("open_ticket", "get_ticket", "close_ticket")]

    @refuses("TKT-002")
    def refuses_a_foreign_reader(service: TicketService) -> None:
        made = service.open_ticket(clerk(), ORG_A, "printer")
        for method in (service.get_ticket, service.close_ticket):
            with expect_raises(OrganizationDenied):
                method(clerk(tickets.ORG_B), ORG_A, made.id)
        with expect_raises(OrganizationDenied):
            service.open_ticket(clerk(tickets.ORG_B), ORG_A, "x")

    fixed = Suite(CATALOGUE, [*suite.checks, refuses_a_foreign_reader])
    assert problems(check_coverage(fixed, reference=make_service, protocol=TicketService)) == []


def test_a_must_without_a_negative_check_fails() -> None:
    """Fails a MUST whose checks are all positive (@verifies), naming it; @refuses satisfies it."""

    @verifies("TKT-001")
    def opens_a_ticket(service: TicketService) -> None:
        expect_equal(service.open_ticket(clerk(), ORG_A, "printer").title, "printer", what="title")

    suite = Suite(
        CATALOGUE, [opens_a_ticket, refuses_another_organisation_and_a_missing_role, closes_a_ticket]
    )
    report = check_coverage(suite, reference=make_service, protocol=TicketService)
    assert problems(report) == ["requirements[TKT-001]: a MUST requirement has no negative check (@refuses)"]
    rows = {row.requirement.id: row for row in report.rows}
    assert rows["TKT-001"].negative_checks == ()
    assert rows["TKT-002"].negative_checks == ("refuses_another_organisation_and_a_missing_role",)


class BadlyDocumented(Protocol):
    """The ticket Protocol with docstrings out of the convention."""

    def capabilities(self) -> object:
        """The part.

        Requirements: TKT-002
        Raises:
            (none)
        """
        ...

    def open_ticket(self, actor: object, org: str, title: str) -> Ticket:
        """Open a ticket.

        Requirements: TKT-001, TKT-099
        Raises:
            InvalidInput: the title is empty.
            TitleMissing: never a govparts error.
        """
        ...

    def get_ticket(self, actor: object, org: str, ticket_id: str) -> Ticket:
        """A ticket."""
        ...

    def close_ticket(self, actor: object, org: str, ticket_id: str) -> Ticket:
        """Close a ticket.

        Requirements: TKT-003
        Raises:
            NotFound: no such ticket.
        """
        ...


def test_docstrings_out_of_the_convention_fail() -> None:
    """Fails a docstring without Requirements or Raises, naming unknown ids and error classes."""
    report = check_coverage(tickets.SUITE, reference=make_service, protocol=BadlyDocumented)
    assert problems(report) == [
        "methods[open_ticket]: 'Requirements:' names 'TKT-099', which is not in the catalogue",
        "methods[open_ticket]: 'Raises:' names 'TitleMissing', which is not a govparts error class",
        "methods[get_ticket]: the docstring has no 'Requirements:' line",
        "methods[get_ticket]: the docstring has no 'Raises:' section",
    ]
    documented = {m.name: m.documented for m in report.methods}
    assert documented == {
        "capabilities": True,
        "open_ticket": False,
        "get_ticket": False,
        "close_ticket": True,
    }


def test_a_part_without_a_protocol_fails() -> None:
    """Fails a part descriptor that names no service Protocol: its methods cannot be covered."""
    bare = Part(
        name="ticket-toy",
        version="1.0.0",
        title={"en": "Tickets"},
        conformance="conformance_toy.tickets:SUITE",
        requirements="conformance_toy.tickets:CATALOGUE",
        reference_factory="conformance_toy.tickets:make_service",
    )
    assert problems(check_coverage(bare)) == [
        "service_protocol: the part names no service_protocol, so its methods cannot be covered"
    ]


def test_the_proxy_records_check_method_outcome_and_actor() -> None:
    """Records each call's check, method, exception type and actor argument while recording."""
    with recording() as calls:
        run_conformance(
            Suite(CATALOGUE, [refuses_another_organisation_and_a_missing_role]), make_service, seed=0
        )
    refused = [c for c in calls if c.raised is not None]
    assert [(c.method, c.exception_type) for c in refused] == [
        ("open_ticket", "OrganizationDenied"),
        ("get_ticket", "OrganizationDenied"),
        ("close_ticket", "PermissionDenied"),
    ]
    assert refused[0].check == "refuses_another_organisation_and_a_missing_role"
    assert refused[0].has_actor
    assert getattr(refused[0].actor, "org", None) == tickets.ORG_B
    assert all(c.raised is None for c in calls if c not in refused)
    with recording() as none:
        pass
    assert none == []


def test_the_coverage_command_prints_the_table_and_exits_by_the_rules() -> None:
    """Prints methods and figures, exits 0 for the ticket toy and 1 for the leave toy; JSON has both."""
    out, err = io.StringIO(), io.StringIO()
    assert cli.coverage_command("conformance_toy.tickets:PART", locale="en", out=out, err=err) == 0
    text = out.getvalue()
    assert "methods reached: 4/4" in text
    assert "negative checks: 2" in text
    assert "close_ticket" in text
    out = io.StringIO()
    assert cli.coverage_command("conformance_toy.part:PART", json_output=True, out=out) == 1
    data = json.loads(out.getvalue())
    (part,) = data["parts"]
    assert part["figures"]["methods_reached"] == 7
    assert "requirements[LVE-002]: a MUST requirement has no negative check (@refuses)" in part["problems"]
    assert {m["name"] for m in part["methods"]} >= {"submit", "approve", "cancel"}


@pytest.mark.parametrize(("locale", "word"), [("zh_Hans_CN", "否定检查"), ("ug_CN", "رەت قىلىش")])
def test_the_coverage_table_speaks_the_locale(locale: str, word: str) -> None:
    """Labels the figures in Chinese and Uyghur."""
    assert word in coverage_to_text(check_coverage(PART), locale)
    assert coverage_to_json([check_coverage(PART)])["ok"] is True


def test_check_failure_is_an_assertion_error() -> None:
    """Lets a bare pytest catch a CheckFailure as an AssertionError."""
    with pytest.raises(AssertionError):
        raise CheckFailure("x", 1, 2)
