"""The runner: result meanings, capability selection, isolation of checks, the statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version

import pytest
from conformance_toy import mutants
from conformance_toy.conformance import CATALOGUE, SUITE
from conformance_toy.part import PART
from conformance_toy.service import LeaveRequest, ReferenceLeaveService, make_service

from govparts.conformance import (
    Capabilities,
    Catalogue,
    CheckOutcome,
    Level,
    Requirement,
    Result,
    SkipCheck,
    Suite,
    expect_raises,
    run_conformance,
    verifies,
)
from govparts.conformance._runner import assemble_statement
from govparts.core.errors import ConfigurationError, InvalidInput, NotFound

ALL = Capabilities("leave-toy", "1.0", frozenset({"cancellation"}))
STATEMENT = {"zh_Hans_CN": "必须。", "en": "Must.", "ug_CN": "چوقۇم."}


def test_the_reference_conforms() -> None:
    """States that the reference passes every tested requirement and conforms."""
    statement = run_conformance(SUITE, make_service, target="conformance_toy.service:make_service")
    assert statement.results == {
        "LVE-001": Result.PASS,
        "LVE-002": Result.PASS,
        "LVE-003": Result.PASS,
        "LVE-004": Result.PASS,
        "LVE-005": Result.PASS,
        "LVE-006": Result.PASS,
        "LVE-007": Result.SKIP,
    }
    assert statement.conforms
    assert statement.capabilities == ALL
    assert statement.target == "conformance_toy.service:make_service"


def test_statement_names_kit_version_and_spec_hash() -> None:
    """Carries the installed kit version, the catalogue fingerprint, part and version."""
    statement = run_conformance(SUITE, make_service)
    assert statement.kit_version == version("govparts-conformance")
    assert statement.spec_hash == CATALOGUE.fingerprint()
    assert (statement.part, statement.version) == ("leave-toy", "1.0")
    assert statement.tested_at.tzinfo is not None


def test_totals_count_results_by_level() -> None:
    """Counts every level and every result, zeros included."""
    totals = run_conformance(SUITE, mutants.DropsRejectionNote).totals
    assert totals == {
        "MUST": {"pass": 4, "fail": 0, "skip": 0, "omit": 0, "error": 0},
        "SHOULD": {"pass": 0, "fail": 1, "skip": 1, "omit": 0, "error": 0},
        "MAY": {"pass": 1, "fail": 0, "skip": 0, "omit": 0, "error": 0},
    }


def test_accepts_a_part_a_suite_or_a_reference() -> None:
    """Runs the same suite given as a Part, a Suite or a 'module:attribute' string."""
    for given in (PART, SUITE, "conformance_toy.part:PART", "conformance_toy.conformance:SUITE"):
        assert run_conformance(given, make_service).results == run_conformance(SUITE, make_service).results


@pytest.mark.parametrize(
    ("mutant", "failing"),
    [
        (mutants.AcceptsZeroDays, "LVE-002"),
        (mutants.ApprovesTwice, "LVE-003"),
        (mutants.UnknownIsNone, "LVE-004"),
        (mutants.DropsRejectionNote, "LVE-005"),
        (mutants.CancelKeepsStatus, "LVE-006"),
    ],
)
def test_a_broken_rule_fails_its_requirement_only(mutant: type[ReferenceLeaveService], failing: str) -> None:
    """Fails exactly the requirement a mutant breaks and passes the rest."""
    results = run_conformance(SUITE, mutant).results
    assert results[failing] is Result.FAIL
    assert [rid for rid, result in results.items() if result is Result.FAIL] == [failing]


def test_a_failed_must_blocks_and_a_failed_should_does_not() -> None:
    """Does not conform when a MUST fails; still conforms when only a SHOULD fails."""
    assert not run_conformance(SUITE, mutants.ApprovesTwice).conforms
    should_only = run_conformance(SUITE, mutants.DropsRejectionNote)
    assert should_only["LVE-005"].result is Result.FAIL
    assert should_only.conforms


class WithoutCancellation(ReferenceLeaveService):
    features = frozenset()


def test_unclaimed_feature_is_omitted_not_skipped() -> None:
    """Omits the requirements of a feature the service does not claim, without running their checks."""
    ran: list[str] = []

    class Recording(WithoutCancellation):
        def cancel(self, request_id: str) -> LeaveRequest:
            ran.append(request_id)
            return super().cancel(request_id)

    statement = run_conformance(SUITE, Recording)
    assert statement["LVE-006"].result is Result.OMIT
    assert statement["LVE-006"].checks[0].result is Result.OMIT
    assert "cancellation" in (statement["LVE-006"].message or "")
    assert ran == []
    assert statement.conforms


def test_explicit_capabilities_override_the_declaration() -> None:
    """Uses the capabilities passed in rather than those the service declares."""
    statement = run_conformance(SUITE, make_service, capabilities={"part": "leave-toy", "version": "1.0"})
    assert statement["LVE-006"].result is Result.OMIT
    assert statement.capabilities.features == frozenset()


def test_claiming_an_unknown_feature_is_refused() -> None:
    """Refuses to run when the implementation claims a feature the catalogue does not define."""

    class Overclaiming(ReferenceLeaveService):
        features = frozenset({"cancellation", "delegation"})

    with pytest.raises(InvalidInput) as caught:
        run_conformance(SUITE, Overclaiming)
    assert caught.value.field == "capabilities.features"


def test_a_service_without_capabilities_needs_them_passed() -> None:
    """Refuses to guess capabilities for a service that cannot declare them."""

    class Silent:
        pass

    with pytest.raises(ConfigurationError) as caught:
        run_conformance(SUITE, Silent)
    assert caught.value.field == "capabilities"


def test_a_declaration_that_raises_is_a_configuration_error() -> None:
    """Reports a capabilities() that raises, and a factory that raises, as configuration errors."""

    class Broken(ReferenceLeaveService):
        def capabilities(self) -> Capabilities:
            raise RuntimeError("no declaration")

    def unbuildable() -> ReferenceLeaveService:
        raise OSError("database is down")

    with pytest.raises(ConfigurationError) as declared:
        run_conformance(SUITE, Broken)
    assert declared.value.field == "capabilities"
    with pytest.raises(ConfigurationError) as built:
        run_conformance(SUITE, unbuildable)
    assert built.value.field == "target"
    assert "database is down" in built.value.message("en")


def test_each_check_gets_a_fresh_service() -> None:
    """Calls the factory once per check (and once more for the declaration)."""
    made: list[ReferenceLeaveService] = []

    def factory() -> ReferenceLeaveService:
        made.append(ReferenceLeaveService())
        return made[-1]

    run_conformance(SUITE, factory)
    assert len(made) == len(SUITE.checks) + 1
    assert len({id(service) for service in made}) == len(made)


def test_enters_and_exits_a_context_manager_factory() -> None:
    """Enters what the factory returns when it is a context manager, and exits it after the check."""
    events: list[str] = []

    @contextmanager
    def factory() -> Iterator[ReferenceLeaveService]:
        events.append("open")
        try:
            yield ReferenceLeaveService()
        finally:
            events.append("close")

    statement = run_conformance(SUITE, factory)
    assert statement.conforms
    assert events == ["open", "close"] * (len(SUITE.checks) + 1)


def test_a_cleanup_that_raises_fails_the_check() -> None:
    """Fails a check whose service raises while being closed."""

    @contextmanager
    def factory() -> Iterator[ReferenceLeaveService]:
        yield ReferenceLeaveService()
        raise OSError("could not close the database")

    statement = run_conformance(SUITE, factory, capabilities=ALL)
    outcome = statement["LVE-001"].checks[0]
    assert outcome.result is Result.FAIL
    assert "__exit__" in (outcome.message or "")
    assert "could not close the database" in (outcome.message or "")


def test_a_factory_that_raises_fails_every_check() -> None:
    """Fails every check when the implementation cannot even be built."""

    def factory() -> ReferenceLeaveService:
        raise OSError("database is down")

    statement = run_conformance(SUITE, factory, capabilities=ALL)
    tested = [item for item in statement.requirements if item.checks]
    assert {item.result for item in tested} == {Result.FAIL}
    assert "factory() raised OSError: database is down" in (tested[0].checks[0].message or "")


def test_an_exception_from_the_implementation_is_a_failure() -> None:
    """Fails, naming the call, when the implementation raises where it should not."""

    class Crashing(ReferenceLeaveService):
        def submit(self, person: str, days: int) -> LeaveRequest:
            raise RuntimeError("disk full")

    outcome = run_conformance(SUITE, Crashing)["LVE-001"].checks[0]
    assert outcome.result is Result.FAIL
    assert outcome.message == "service.submit() raised RuntimeError: disk full"


def test_a_missing_operation_is_a_failure() -> None:
    """Fails a check that calls an operation the implementation lacks."""

    class NoCancel:
        def __init__(self) -> None:
            self._inner = ReferenceLeaveService()

        def __getattr__(self, name: str) -> object:
            if name == "cancel":
                raise AttributeError(name)
            return getattr(self._inner, name)

    outcome = run_conformance(SUITE, NoCancel)["LVE-006"].checks[0]
    assert outcome.result is Result.FAIL
    assert (outcome.message or "").startswith("service.cancel raised AttributeError")


def test_an_assertion_failure_shows_the_line() -> None:
    """Reports a bare assert with the source line it failed on."""

    @verifies("LVE-001")
    def bare(service: ReferenceLeaveService) -> None:
        assert service.submit(person="P-1", days=2).days == 3

    outcome = run_conformance(Suite(CATALOGUE, [bare]), make_service)["LVE-001"].checks[0]
    assert outcome.result is Result.FAIL
    assert 'assert service.submit(person="P-1", days=2).days == 3' in (outcome.message or "")


def test_skip_check_means_could_not_verify() -> None:
    """Skips with the check's reason, and a skipped MUST blocks conformance."""

    @verifies("LVE-001")
    def unverifiable(service: object) -> None:
        raise SkipCheck("the clock cannot be set on this implementation")

    statement = run_conformance(Suite(CATALOGUE, [unverifiable]), make_service)
    assert statement["LVE-001"].result is Result.SKIP
    assert statement["LVE-001"].detail == "the clock cannot be set on this implementation"
    assert not statement.conforms


def test_a_bug_in_the_kit_is_an_error() -> None:
    """Reports an exception raised by the check's own code as an error of the kit, not a failure."""

    @verifies("LVE-001")
    def buggy(service: ReferenceLeaveService) -> None:
        service.submit(person="P-1", days=2)
        fixtures: dict[str, int] = {}
        fixtures["missing"] += 1

    statement = run_conformance(Suite(CATALOGUE, [buggy]), make_service)
    assert statement["LVE-001"].result is Result.ERROR
    assert (statement["LVE-001"].detail or "").startswith("error in the kit: KeyError: 'missing'")
    assert not statement.conforms


def test_expect_raises_turns_a_wrong_exception_into_a_failure() -> None:
    """Fails, naming both types, when the implementation raises another exception than expected."""

    class WrongError(ReferenceLeaveService):
        def get(self, request_id: str) -> LeaveRequest:
            raise KeyError(request_id)

    outcome = run_conformance(SUITE, WrongError)["LVE-004"].checks[0]
    assert outcome.result is Result.FAIL
    assert (outcome.message or "").startswith("expected NotFound, the implementation raised KeyError")


def test_expect_raises_checks_the_field() -> None:
    """Fails when the error does not name the expected field."""

    class WrongField(ReferenceLeaveService):
        def submit(self, person: str, days: int) -> LeaveRequest:
            raise InvalidInput(field="duration", reason="out of range")

    outcome = run_conformance(SUITE, WrongField)["LVE-002"].checks[0]
    assert outcome.result is Result.FAIL
    assert "naming the field 'days', it names 'duration'" in (outcome.message or "")


def test_expect_raises_leaves_kit_exceptions_alone() -> None:
    """Keeps an exception from the check's own code inside expect_raises an error of the kit."""

    @verifies("LVE-004")
    def buggy(service: object) -> None:
        with expect_raises(NotFound):
            raise TypeError("bug in the check")

    statement = run_conformance(Suite(CATALOGUE, [buggy]), make_service)
    assert statement["LVE-004"].result is Result.ERROR


def test_expect_raises_outside_a_run() -> None:
    """Works as a plain assertion helper outside the runner and keeps the exception."""
    with expect_raises((KeyError, NotFound)) as caught:
        {}["x"]
    assert isinstance(caught.value, KeyError)
    with pytest.raises(AssertionError, match="nothing was raised"), expect_raises(KeyError):
        pass
    with pytest.raises(ValueError, match="other"), expect_raises(KeyError):
        raise ValueError("other")


def outcome(result: Result, rid: str = "TST-001", name: str = "c") -> CheckOutcome:
    return CheckOutcome(check=name, requirement_ids=(rid,), result=result, origin="vendor")


TWO_CHECKS = Suite(
    Catalogue("test", "1.0", (Requirement("TST-001", Level.MUST, STATEMENT, "Test rules §1"),)), []
)


@pytest.mark.parametrize(
    ("results", "aggregate"),
    [
        ((Result.PASS, Result.PASS), Result.PASS),
        ((Result.PASS, Result.FAIL), Result.FAIL),
        ((Result.ERROR, Result.FAIL), Result.FAIL),
        ((Result.SKIP, Result.ERROR), Result.ERROR),
        ((Result.PASS, Result.SKIP), Result.SKIP),
        ((Result.OMIT, Result.OMIT), Result.OMIT),
        ((Result.OMIT, Result.PASS), Result.PASS),
    ],
)
def test_aggregates_check_results(results: tuple[Result, Result], aggregate: Result) -> None:
    """Aggregates a requirement's checks: fail, then error, then skip; all omitted is omit; else pass."""
    statement = assemble_statement(
        TWO_CHECKS, Capabilities("test", "1.0"), [outcome(r, name=f"c{i}") for i, r in enumerate(results)]
    )
    assert statement["TST-001"].result is aggregate
    assert statement.conforms is not aggregate.blocks


def test_a_check_that_did_not_run_counts_as_skip() -> None:
    """Counts a suite check with no outcome (deselected, interrupted) as not verified."""
    statement = assemble_statement(SUITE, ALL, [])
    assert statement["LVE-001"].result is Result.SKIP
    assert statement["LVE-001"].checks[0].message == "the check did not run"


def test_an_untested_must_is_skipped_with_its_reason() -> None:
    """Skips a MUST the kit does not test, quoting the reason, and so does not conform."""
    catalogue = Catalogue(
        "test",
        "1.0",
        (
            Requirement(
                "TST-001", Level.MUST, STATEMENT, "Test rules §1", not_tested_reason="needs a court order"
            ),
        ),
    )
    statement = assemble_statement(Suite(catalogue, []), Capabilities("test", "1.0"), [])
    assert statement["TST-001"].result is Result.SKIP
    assert statement["TST-001"].message == "not tested by the kit: needs a court order"
    assert not statement.conforms


def test_results_that_block() -> None:
    """Treats fail, skip and error as blocking and pass and omit as not."""
    assert {r for r in Result if r.blocks} == {Result.FAIL, Result.SKIP, Result.ERROR}
