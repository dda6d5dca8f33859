"""Mutation self-test and the coverage table: proving the kit itself."""

from __future__ import annotations

import pytest
from conformance_toy import mutants
from conformance_toy.conformance import CATALOGUE, SUITE
from conformance_toy.part import PART
from conformance_toy.service import LeaveRequest, ReferenceLeaveService, make_service

from govparts.conformance import (
    Catalogue,
    Level,
    Mutant,
    Requirement,
    Suite,
    check_catalogue_coverage,
    run_selftest,
    verifies,
)
from govparts.core.errors import InvalidRecord, InvalidSpec

STATEMENT = {"zh_Hans_CN": "必须。", "en": "Must.", "ug_CN": "چوقۇم."}


class SubmitsWithoutPerson(ReferenceLeaveService):
    """Keeps the person as given but forgets it on approval: no requirement covers this."""

    def approve(self, request_id: str) -> LeaveRequest:
        approved = super().approve(request_id)
        self._requests[request_id] = LeaveRequest(approved.id, "", approved.days, approved.status)
        return approved


def test_every_toy_mutant_is_killed_by_the_rule_it_breaks() -> None:
    """Kills each registered mutant through the requirement it declares it breaks."""
    report = run_selftest(PART)
    assert report.ok
    assert report.problems == ()
    assert {m.name: m.killed_by for m in report.mutants} == {
        "accepts-zero-days": ("LVE-002",),
        "approves-twice": ("LVE-003",),
        "unknown-is-none": ("LVE-004",),
        "drops-rejection-note": ("LVE-005",),
        "cancel-keeps-status": ("LVE-006",),
    }
    assert report.reference.conforms
    assert report.spec_hash == CATALOGUE.fingerprint()


def test_a_surviving_mutant_fails_the_selftest() -> None:
    """Reports a mutant no requirement kills as a survivor and fails the self-test."""
    survivor = Mutant("forgets-person-on-approval", "drops the person when approving", SubmitsWithoutPerson)
    report = run_selftest(SUITE, reference=make_service, mutants=[*mutants.MUTANTS, survivor])
    assert not report.ok
    assert [m.name for m in report.survivors] == ["forgets-person-on-approval"]
    result = report.survivors[0]
    assert (result.killed, result.killed_by, result.part) == (False, (), "leave-toy")


def test_a_mutant_killed_by_another_rule_misses_its_own() -> None:
    """Fails the self-test when a mutant is killed, but not by the requirement it declares it breaks."""
    mislabelled = Mutant("approves-twice", "approves twice", mutants.ApprovesTwice, breaks=("LVE-002",))
    report = run_selftest(SUITE, reference=make_service, mutants=[mislabelled], full=True)
    (result,) = report.mutants
    assert result.killed
    assert result.killed_by == ("LVE-003",)
    assert result.missed == ("LVE-002",)
    assert not result.ok
    assert not report.ok


def test_a_mutant_runs_only_the_checks_of_what_it_breaks_by_default() -> None:
    """Runs a mutant against the checks of its declared requirements only, and still fails a mislabel."""
    mislabelled = Mutant("approves-twice", "approves twice", mutants.ApprovesTwice, breaks=("LVE-002",))
    report = run_selftest(SUITE, reference=make_service, mutants=[mislabelled])
    (result,) = report.mutants
    ran = {o.check for item in result.statement.requirements for o in item.checks}
    assert ran == {c.name for c in SUITE.checks_for("LVE-002")}
    assert (result.killed, result.missed, result.ok, report.ok) == (False, ("LVE-002",), False, False)
    labelled = Mutant("approves-twice", "approves twice", mutants.ApprovesTwice, breaks=("LVE-003",))
    assert run_selftest(SUITE, reference=make_service, mutants=[labelled]).ok


def test_a_reference_that_fails_is_a_problem() -> None:
    """Fails the self-test when the reference itself does not pass a tested requirement."""
    report = run_selftest(SUITE, reference=mutants.DropsRejectionNote, mutants=mutants.MUTANTS)
    assert not report.ok
    assert any("does not pass LVE-005" in problem for problem in report.problems)
    killed = {m.name: m.killed for m in report.mutants}
    assert killed["drops-rejection-note"] is False


def test_a_part_without_mutants_proves_nothing() -> None:
    """Fails the self-test of a suite that registers no mutants."""
    report = run_selftest(SUITE, reference=make_service, mutants=[])
    assert not report.ok
    assert report.problems == ("part leave-toy registers no mutants: the self-test proves nothing",)


def test_mutants_are_tested_with_the_reference_capabilities() -> None:
    """Tests a mutant that claims fewer features against the features the reference claims."""

    class HidesCancellation(mutants.CancelKeepsStatus):
        features = frozenset()

    report = run_selftest(
        SUITE, reference=make_service, mutants=[Mutant("hides", "hides it", HidesCancellation)]
    )
    assert report.mutants[0].killed_by == ("LVE-006",)


def test_a_mutant_that_trips_the_kit_is_not_killed() -> None:
    """Counts errors of the kit on a mutant as errors, not as kills."""

    @verifies("LVE-001")
    def unguarded(service: ReferenceLeaveService) -> None:
        made = service.submit(person="P-1", days=1)
        assert made.status == "submitted"  # forgets to check that a request came back at all

    class ReturnsNothing(ReferenceLeaveService):
        def submit(self, person: str, days: int) -> LeaveRequest:
            super().submit(person, days)
            return None  # type: ignore[return-value]

    report = run_selftest(
        Suite(CATALOGUE, [unguarded]),
        reference=make_service,
        mutants=[Mutant("returns-nothing", "", ReturnsNothing)],
    )
    assert report.problems == ()
    assert report.mutants[0].errors == ("LVE-001",)
    assert not report.mutants[0].killed
    assert not report.ok


def test_rejects_inconsistent_mutant_lists() -> None:
    """Refuses duplicate mutant names and declared breaks outside the catalogue."""
    twice = [mutants.MUTANTS[0], mutants.MUTANTS[0]]
    with pytest.raises(InvalidSpec) as duplicate:
        run_selftest(SUITE, reference=make_service, mutants=twice)
    assert duplicate.value.field == "mutants"
    with pytest.raises(InvalidSpec) as unknown:
        run_selftest(
            SUITE, reference=make_service, mutants=[Mutant("x", "", make_service, breaks=("LVE-404",))]
        )
    assert unknown.value.field == "mutants[x].breaks"
    with pytest.raises(InvalidSpec) as malformed:
        Mutant("y", "", make_service, breaks=("lve-1",))
    assert malformed.value.field == "mutants[y].breaks"


def test_a_bare_suite_needs_reference_and_mutants() -> None:
    """Asks for the reference factory and mutants when given a suite instead of a part."""
    with pytest.raises(InvalidSpec) as caught:
        run_selftest(SUITE)
    assert caught.value.field == "reference"


def test_the_toy_suite_covers_its_catalogue() -> None:
    """Finds every toy MUST tested and the untested SHOULD excused by its reason."""
    report = check_catalogue_coverage(PART)
    assert report.ok
    report.raise_for_problems()
    assert {row.requirement.id: row.status for row in report.rows} == {
        "LVE-001": "tested",
        "LVE-002": "tested",
        "LVE-003": "tested",
        "LVE-004": "tested",
        "LVE-005": "tested",
        "LVE-006": "tested",
        "LVE-007": "not-tested",
    }


def _catalogue(*requirements: Requirement) -> Catalogue:
    return Catalogue("test", "1.0", requirements)


def test_a_must_without_check_or_reason_fails_coverage() -> None:
    """Fails coverage for a MUST that no check verifies and no reason excuses, naming it."""
    suite = Suite(
        _catalogue(
            Requirement("TST-001", Level.MUST, STATEMENT, "Test rules §1"),
            Requirement("TST-002", Level.SHOULD, STATEMENT, "Test rules §2"),
            Requirement("TST-003", Level.MUST, STATEMENT, "Test rules §3", not_tested_reason="audit"),
        ),
        [],
    )
    report = check_catalogue_coverage(suite)
    assert not report.ok
    assert [p.field for p in report.problems] == ["requirements[TST-001]"]
    assert [row.status for row in report.rows] == ["missing", "missing", "not-tested"]
    with pytest.raises(InvalidRecord) as caught:
        report.raise_for_problems()
    assert "TST-001" in caught.value.message("en")


def test_a_reason_beside_a_check_fails_coverage() -> None:
    """Fails coverage when a requirement claims to be untested yet a check verifies it."""

    @verifies("TST-001")
    def checks_it(service: object) -> None:
        """Checks TST-001."""

    suite = Suite(
        _catalogue(Requirement("TST-001", Level.MAY, STATEMENT, "Test rules §1", not_tested_reason="stale")),
        [checks_it],
    )
    report = check_catalogue_coverage(suite)
    assert [p.field for p in report.problems] == ["requirements[TST-001].not_tested_reason"]
    assert report.to_dict()["ok"] is False
