"""Writing checks that sweep: seeds, scenarios, steps, comparisons that say why, negative checks."""

from __future__ import annotations

import hashlib
import random

import pytest
from conformance_toy.conformance import CATALOGUE, SUITE
from conformance_toy.service import LeaveRequest, ReferenceLeaveService, make_service

from govparts.conformance import (
    Check,
    CheckFailure,
    Result,
    Suite,
    check_seed,
    expect_equal,
    expect_raises,
    expect_true,
    refuses,
    run_conformance,
    run_seed,
    scenario,
    scenario_rng,
    statement_to_json,
    step,
    verifies,
)
from govparts.core.errors import GuardFailed, InvalidInput, NotFound

DRAWN: dict[str, list[int]] = {}


@verifies("LVE-001")
def draws_days(service: ReferenceLeaveService) -> None:
    rng = scenario_rng()
    days = [rng.randint(1, 30) for _ in range(5)]
    DRAWN["draws_days"] = days
    for value in days:
        scenario(days=value)
        made = service.submit(person="P-0001", days=value)
        expect_equal(made.days, value, what="days recorded")


@verifies("LVE-002")
def draws_other_days(service: ReferenceLeaveService) -> None:
    DRAWN["draws_other_days"] = [scenario_rng().randint(1, 30) for _ in range(5)]
    with expect_raises(InvalidInput, field="days"):
        service.submit(person="P-0001", days=0)


DRAWING = Suite(CATALOGUE, [draws_days, draws_other_days])


def test_scenario_rng_is_seeded_from_the_run_seed_and_the_check() -> None:
    """Draws the same scenarios for the same seed, other ones for another seed or another check."""
    run_conformance(DRAWING, make_service, seed=7)
    first = dict(DRAWN)
    run_conformance(DRAWING, make_service, seed=7)
    assert first == DRAWN
    assert (
        first["draws_days"]
        == [random.Random(check_seed(7, "draws_days")).randint(1, 30) for _ in range(1)]
        + first["draws_days"][1:]
    )
    assert first["draws_days"] != first["draws_other_days"]
    run_conformance(DRAWING, make_service, seed=8)
    assert DRAWN["draws_days"] != first["draws_days"]


def test_check_seed_is_sha256_not_the_salted_hash() -> None:
    """Derives a check's seed from SHA-256 of the run seed and the check name (same in every process)."""
    digest = hashlib.sha256(b"govparts-conformance:42:draws_days").digest()
    assert check_seed(42, "draws_days") == int.from_bytes(digest[:8], "big") % 2**63
    assert check_seed(42, "draws_days") != check_seed(43, "draws_days")


def test_outside_a_run_the_helpers_are_plain() -> None:
    """Gives Random(0) and seed 0 outside a run; scenario and step do nothing but run the block."""
    assert scenario_rng().random() == random.Random(0).random()
    assert run_seed() == 0
    scenario(year=2024)
    with step("nothing"):
        pass
    with pytest.raises(CheckFailure) as caught:
        expect_equal(3, 4, what="days")
    assert (caught.value.what, caught.value.expected, caught.value.observed) == ("days", 4, 3)
    assert caught.value.scenario is None
    assert caught.value.step is None
    assert expect_equal(5, 5) == 5


def test_the_statement_records_the_seed_and_none_draws_a_fresh_one() -> None:
    """Records the seed given; without one draws a fresh seed, and rerunning with it repeats the draws."""
    assert run_conformance(DRAWING, make_service, seed=123).seed == 123
    fresh = run_conformance(DRAWING, make_service)
    assert isinstance(fresh.seed, int)
    assert 0 <= fresh.seed < 2**63
    drawn = dict(DRAWN)
    again = run_conformance(DRAWING, make_service, seed=fresh.seed)
    assert drawn == DRAWN
    assert again.seed == fresh.seed
    assert statement_to_json(again)["seed"] == fresh.seed


@pytest.mark.parametrize("seed", [-1, 2**63, 1.5, "7", True])
def test_a_seed_out_of_range_is_refused(seed: object) -> None:
    """Refuses a seed that is not a whole number from 0 to 2**63-1, naming the field."""
    with pytest.raises(InvalidInput) as caught:
        run_conformance(DRAWING, make_service, seed=seed)  # type: ignore[arg-type]
    assert caught.value.field == "seed"


def test_run_seed_inside_a_check_is_the_run_seed() -> None:
    """Gives the check the run's seed."""
    seen: list[int] = []

    @verifies("LVE-001")
    def reads_seed(service: object) -> None:
        seen.append(run_seed())

    run_conformance(Suite(CATALOGUE, [reads_seed]), make_service, seed=99)
    assert seen == [99]


class ChargesOneDayMore(ReferenceLeaveService):
    def submit(self, person: str, days: int) -> LeaveRequest:
        return super().submit(person, days + 1 if days < 30 else days)


def test_expect_equal_failure_carries_what_expected_observed_scenario_seed_and_step() -> None:
    """Shows what was compared, expected and observed, the scenario, the seed and the step of a failure."""

    @verifies("LVE-001")
    def records_days(service: ReferenceLeaveService) -> None:
        scenario(person="P-0009")
        for days in (1, 2):
            scenario(days=days)
            with step("submit the request"):
                made = service.submit(person="P-0009", days=days)
                expect_equal(made.days, days, what="days recorded")

    statement = run_conformance(Suite(CATALOGUE, [records_days]), ChargesOneDayMore, seed=5)
    outcome = statement["LVE-001"].checks[0]
    assert outcome.result is Result.FAIL
    assert (outcome.what, outcome.expected, outcome.observed) == ("days recorded", "1", "2")
    assert dict(outcome.scenario or {}) == {"person": "P-0009", "days": 1}
    assert (outcome.seed, outcome.step) == (5, "submit the request")
    assert (outcome.message or "").startswith("days recorded: expected 1, observed 2")
    data = outcome.to_dict()
    assert data["scenario"] == {"person": "P-0009", "days": 1}
    assert data["seed"] == 5


class GuardsEverything(ReferenceLeaveService):
    def approve(self, request_id: str) -> LeaveRequest:
        raise GuardFailed(field="status", reason="the period is closed")


def test_an_implementation_exception_names_its_step() -> None:
    """Reports an exception the implementation raised inside a step with the step, type and message."""

    @verifies("LVE-003")
    def approves(service: ReferenceLeaveService) -> None:
        made = service.submit(person="P-0001", days=1)
        scenario(month="2024-02")
        with step("approve the request"):
            service.approve(made.id)

    outcome = run_conformance(Suite(CATALOGUE, [approves]), GuardsEverything, seed=1)["LVE-003"].checks[0]
    assert outcome.result is Result.FAIL
    assert outcome.exception is not None
    assert (outcome.exception.type, outcome.exception.step) == ("GuardFailed", "approve the request")
    assert outcome.exception.call == "service.approve()"
    assert "the period is closed" in outcome.exception.message
    assert (outcome.message or "").startswith("step 'approve the request' raised GuardFailed")
    assert dict(outcome.scenario or {}) == {"month": "2024-02"}


def test_an_exception_outside_a_step_names_the_call() -> None:
    """Names the call an implementation exception escaped when the check named no step."""

    @verifies("LVE-003")
    def approves(service: ReferenceLeaveService) -> None:
        service.approve(service.submit(person="P-0001", days=1).id)

    outcome = run_conformance(Suite(CATALOGUE, [approves]), GuardsEverything)["LVE-003"].checks[0]
    assert (outcome.message or "").startswith("service.approve() raised GuardFailed (field 'status'): ")
    assert outcome.exception is not None
    assert outcome.exception.step is None


def test_a_bare_assert_still_shows_its_text_and_step() -> None:
    """Keeps the assertion's own text and the step it failed in."""

    @verifies("LVE-001")
    def bare(service: ReferenceLeaveService) -> None:
        with step("read back"):
            assert service.requests(), "no request was recorded"

    outcome = run_conformance(Suite(CATALOGUE, [bare]), make_service)["LVE-001"].checks[0]
    assert outcome.result is Result.FAIL
    assert (outcome.message or "").startswith("no request was recorded")
    assert (outcome.location or "").startswith("test_conformance_scenario.py:")
    assert outcome.step == "read back"


def test_expect_true_shows_expected_and_observed_when_given() -> None:
    """Fails with what, expected and observed; without them says the condition does not hold."""
    with pytest.raises(CheckFailure) as caught:
        expect_true(False, "request listed", expected=["L-1"], observed=[])
    assert str(caught.value) == "request listed: expected ['L-1'], observed []"
    with pytest.raises(CheckFailure) as bare:
        expect_true(0, "request listed")
    assert str(bare.value) == "request listed: the condition does not hold"
    expect_true(1, "holds")


def test_refuses_marks_a_negative_check_that_also_verifies() -> None:
    """Makes a check verify the requirement and count as its negative check."""

    @refuses("LVE-002")
    def refuses_zero(service: ReferenceLeaveService) -> None:
        with expect_raises(InvalidInput, field="days"):
            service.submit(person="P-0001", days=0)
        expect_equal(service.requests(), [], what="requests recorded")

    check = Check.from_function(refuses_zero)
    assert check.requirement_ids == ("LVE-002",)
    assert check.negative_ids == ("LVE-002",)
    assert check.negative
    suite = Suite(CATALOGUE, [refuses_zero, *SUITE.checks[2:]])
    assert [c.name for c in suite.negative_checks_for("LVE-002")] == ["refuses_zero"]
    assert suite.negative_checks_for("LVE-003") == ()
    assert run_conformance(suite, make_service)["LVE-002"].result is Result.PASS
    assert not Check.from_function(SUITE.checks[0].function).negative


def test_expect_raises_shows_expected_and_observed() -> None:
    """Says what was expected and what came: nothing, or the type, its field and its English message."""

    class RaisesNotFound(ReferenceLeaveService):
        def submit(self, person: str, days: int) -> LeaveRequest:
            raise NotFound(field="person", kind="person", got=person)

    @verifies("LVE-002")
    def refuses_zero(service: ReferenceLeaveService) -> None:
        with expect_raises(InvalidInput, field="days"):
            service.submit(person="P-0001", days=0)

    suite = Suite(CATALOGUE, [refuses_zero])
    wrong = run_conformance(suite, RaisesNotFound)["LVE-002"].checks[0]
    assert wrong.expected == "InvalidInput naming the field 'days'"
    assert wrong.observed is not None
    assert wrong.observed.startswith("NotFound (field 'person'): ")
    assert "P-0001" in wrong.observed

    class AcceptsZero(ReferenceLeaveService):
        def submit(self, person: str, days: int) -> LeaveRequest:
            return super().submit(person, max(days, 1))

    nothing = run_conformance(suite, AcceptsZero)["LVE-002"].checks[0]
    assert (nothing.what, nothing.observed) == ("refusal", "nothing was raised")
    assert nothing.message is not None
    assert nothing.message.startswith("expected InvalidInput naming the field 'days', but nothing was raised")


def test_the_run_and_selftest_commands_take_a_seed() -> None:
    """Records --seed in the JSON statement; the self-test runs with seed 0 unless told otherwise."""
    import io
    import json

    from govparts.conformance import cli

    out, err = io.StringIO(), io.StringIO()
    code = cli.run_command(
        "conformance_toy.part:PART",
        "conformance_toy.service:make_service",
        json_output=True,
        seed=31,
        out=out,
        err=err,
    )
    assert (code, err.getvalue()) == (0, "")
    assert json.loads(out.getvalue())["seed"] == 31
    out = io.StringIO()
    assert cli.selftest_command("conformance_toy.part:PART", json_output=True, out=out) == 0
    assert json.loads(out.getvalue())["parts"][0]["seed"] == 0
    out = io.StringIO()
    assert cli.selftest_command("conformance_toy.part:PART", seed=9, json_output=True, out=out) == 0
    assert json.loads(out.getvalue())["parts"][0]["seed"] == 9
    out = io.StringIO()
    cli.selftest_command("conformance_toy.part:PART", seed=9, locale="en", out=out)
    assert "  Seed: 9\n" in out.getvalue()
