"""Verdicts a vendor can act on: every failure shows requirement, scenario, seed, expected, observed."""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree as ET

import pytest
from conformance_toy.conformance import CATALOGUE
from conformance_toy.service import LeaveRequest, ReferenceLeaveService

from govparts.conformance import (
    ConformanceStatement,
    Suite,
    cli,
    expect_equal,
    run_conformance,
    scenario,
    statement_to_html,
    statement_to_json,
    statement_to_junit,
    statement_to_text,
    step,
    verifies,
)
from govparts.conformance._reports import failure_facts, rerun_command
from govparts.core.errors import GuardFailed
from govparts.core.i18n import use_locale

TOY = "conformance_toy.part:PART"


@verifies("LVE-001")
def records_the_days(service: ReferenceLeaveService) -> None:
    for days in (1, 2):
        scenario(days=days, person="P-0007")
        with step("submit the request"):
            made = service.submit(person="P-0007", days=days)
        expect_equal(made.days, days, what="days recorded")


@verifies("LVE-003")
def approves_a_request(service: ReferenceLeaveService) -> None:
    made = service.submit(person="P-0008", days=1)
    scenario(month="2024-02")
    with step("approve the request"):
        service.approve(made.id)


SUITE = Suite(CATALOGUE, [records_the_days, approves_a_request])


class Broken(ReferenceLeaveService):
    """Records one day more than asked, and refuses every approval with a guard."""

    def submit(self, person: str, days: int) -> LeaveRequest:
        return super().submit(person, days + 1)

    def approve(self, request_id: str) -> LeaveRequest:
        raise GuardFailed(field="period", reason="the period is closed")


@pytest.fixture(scope="module")
def failing() -> ConformanceStatement:
    """The statement of the broken implementation, seed 4242, target named as a vendor would."""
    return run_conformance(SUITE, Broken, seed=4242, target="vendor.app:make_service")


RERUN = "govparts conformance run --part leave-toy --target vendor.app:make_service --seed 4242"


def test_the_rerun_command_names_part_target_and_seed(failing: ConformanceStatement) -> None:
    """Gives the exact command that reruns the scenarios; --reference for the reference."""
    assert rerun_command(failing) == RERUN
    reference = run_conformance(SUITE, ReferenceLeaveService, seed=3, target="reference")
    assert rerun_command(reference) == "govparts conformance run --part leave-toy --reference --seed 3"


def test_failure_facts_of_a_comparison(failing: ConformanceStatement) -> None:
    """Lists check, what, expected, observed, step, scenario, seed and rerun command of a failure."""
    outcome = failing["LVE-001"].checks[0]
    facts = {key: value for key, _, value in failure_facts(outcome, failing, "en")}
    assert facts["check"] == "records_the_days"
    assert (facts["what"], facts["expected"], facts["observed"]) == ("days recorded", "1", "2")
    assert facts["scenario"] == "days=1, person=P-0007"
    assert (facts["seed"], facts["rerun"]) == ("4242", RERUN)
    assert "step" not in facts


def test_failure_facts_of_an_exception(failing: ConformanceStatement) -> None:
    """Names the exception, its message and the step that raised it."""
    outcome = failing["LVE-003"].checks[0]
    facts = {key: value for key, _, value in failure_facts(outcome, failing, "en")}
    assert facts["exception"].startswith("GuardFailed: ")
    assert "the period is closed" in facts["exception"]
    assert facts["step"] == "approve the request"
    assert facts["scenario"] == "month=2024-02"


@pytest.mark.parametrize(
    ("locale", "expected", "observed", "statement"),
    [
        ("en", "Expected", "Observed", "A leave request of 1 to 30 days is recorded"),
        ("zh_Hans_CN", "期望值", "实际值", "提交 1 至 30 天的请假申请时"),
        ("ug_CN", "كۈتۈلگىنى", "ئەمەلىيىتى", "1 كۈندىن 30 كۈنگىچە"),
    ],
)
def test_the_text_report_shows_the_verdict_in_the_locale(
    failing: ConformanceStatement, locale: str, expected: str, observed: str, statement: str
) -> None:
    """Shows the requirement's statement, the labels in the locale, expected, observed and the rerun."""
    text = statement_to_text(failing, locale)
    assert statement in text
    assert expected in text
    assert observed in text
    assert RERUN in text
    assert "4242" in text.split("\n\n")[0]
    assert "approve the request" in text
    assert "GuardFailed" in text


def test_the_json_statement_has_structured_failures(failing: ConformanceStatement) -> None:
    """Carries what, expected, observed, scenario, seed, step, exception and rerun per failed check."""
    data = json.loads(json.dumps(statement_to_json(failing)))
    assert data["seed"] == 4242
    (check,) = next(r for r in data["requirements"] if r["id"] == "LVE-001")["checks"]
    assert {k: check[k] for k in ("what", "expected", "observed", "seed", "rerun")} == {
        "what": "days recorded",
        "expected": "1",
        "observed": "2",
        "seed": 4242,
        "rerun": RERUN,
    }
    assert check["scenario"] == {"days": 1, "person": "P-0007"}
    (raised,) = next(r for r in data["requirements"] if r["id"] == "LVE-003")["checks"]
    assert raised["exception"]["type"] == "GuardFailed"
    assert raised["exception"]["step"] == "approve the request"
    assert raised["exception"]["call"] == "service.approve()"


def test_junit_failures_carry_the_verdict(failing: ConformanceStatement) -> None:
    """Puts the requirement, expected, observed, scenario, seed and rerun command in the failure's text."""
    root = ET.fromstring(statement_to_junit(failing))
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["seed"] == "4242"
    case = next(c for c in root.iter("testcase") if c.get("name") == "LVE-001")
    failure = case.find("failure")
    assert failure is not None
    body = failure.text or ""
    for piece in ("LVE-001 (MUST)", "Expected: 1", "Observed: 2", "Scenario: days=1, person=P-0007", RERUN):
        assert piece in body


@pytest.mark.parametrize(("locale", "seed_label"), [("en", "Seed"), ("ug_CN", "ئۇرۇق سان")])
def test_html_failures_carry_the_verdict(failing: ConformanceStatement, locale: str, seed_label: str) -> None:
    """Shows a failed check's facts in the HTML page, labels in the locale, values escaped."""
    html = statement_to_html(failing, locale)
    assert '<dl class="failure">' in html
    assert seed_label in html
    assert "days recorded" in html
    assert "vendor.app:make_service --seed 4242" in html
    assert "GuardFailed" in html


def test_run_reference_runs_the_parts_own_reference() -> None:
    """Runs the part's reference with --reference; refuses both or neither of --target and --reference."""
    out, err = io.StringIO(), io.StringIO()
    assert cli.run_command(TOY, None, reference=True, json_output=True, seed=1, out=out, err=err) == 0
    assert json.loads(out.getvalue())["target"] == "reference"
    for target, reference in ((None, False), ("conformance_toy.service:make_service", True)):
        out, err = io.StringIO(), io.StringIO()
        code = cli.run_command(TOY, target, reference=reference, locale="en", out=out, err=err)
        assert code == 2
        assert "give either --target or --reference" in err.getvalue()


@pytest.mark.parametrize(
    ("locale", "phrase"),
    [("en", "seed of the checks' scenarios"), ("zh_Hans_CN", "随机种子"), ("ug_CN", "ئۇرۇق سان")],
)
def test_the_commands_help_is_localised(locale: str, phrase: str) -> None:
    """Writes the run command's help in the environment's language."""
    pytest.importorskip("typer")
    from typer.testing import CliRunner

    with use_locale(locale):
        app = cli._build_app()
    result = CliRunner().invoke(app, ["run", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert phrase in result.output


@verifies("LVE-001")
def records_the_days_with_a_bare_assert(service: ReferenceLeaveService) -> None:
    made = service.submit(person="P-0009", days=3)
    assert made.days == 3, "days recorded"


@verifies("LVE-001")
def keeps_the_days_below_a_limit(service: ReferenceLeaveService) -> None:
    made = service.submit(person="P-0010", days=3)
    limit = 4
    assert made.days < limit


@verifies("LVE-001")
def calls_again_inside_the_assert(service: ReferenceLeaveService) -> None:
    assert service.submit(person="P-0011", days=3).days == 3


def test_a_bare_assert_shows_expected_and_observed() -> None:
    """Reads back both sides of a failing bare ``assert a == b`` or ``a < b`` in the check's frame."""
    suite = Suite(CATALOGUE, [records_the_days_with_a_bare_assert, keeps_the_days_below_a_limit])
    statement = run_conformance(suite, Broken, seed=7)
    first, second = statement["LVE-001"].checks
    # (pytest rewrites the asserts of this file and adds its explanation to the message)
    assert str(first.what).startswith("days recorded")
    assert (first.expected, first.observed) == ("3", "4")
    assert (second.expected, second.observed) == ("< 4", "4")


def test_a_bare_assert_with_a_call_is_not_evaluated_again() -> None:
    """Leaves a comparison that calls the implementation as its message: nothing runs twice."""
    calls: list[int] = []

    class Counting(Broken):
        def submit(self, person: str, days: int) -> LeaveRequest:
            calls.append(days)
            return super().submit(person, days)

    statement = run_conformance(Suite(CATALOGUE, [calls_again_inside_the_assert]), Counting, seed=7)
    (outcome,) = statement["LVE-001"].checks
    assert outcome.result.value == "fail"
    assert (outcome.expected, outcome.observed) == (None, None)
    assert calls == [3]


@verifies("LVE-001")
def lists_the_people_of_a_day(service: ReferenceLeaveService) -> None:
    made = [service.submit(person=p, days=1) for p in ("P-0012", "P-0013")]
    assert sorted(m.days for m in made) == [1, 1]


@verifies("LVE-001")
def refuses_nothing_extra(service: ReferenceLeaveService) -> None:
    made = service.submit(person="P-0014", days=1)
    assert not made.days > 1


def test_a_bare_assert_over_a_comprehension_or_a_condition_shows_the_values() -> None:
    """Reads back a comparison built with ``sorted`` over a generator, and a negated condition."""
    suite = Suite(CATALOGUE, [lists_the_people_of_a_day, refuses_nothing_extra])
    statement = run_conformance(suite, Broken, seed=7)
    first, second = statement["LVE-001"].checks
    assert (first.expected, first.observed) == ("[1, 1]", "[2, 2]")
    assert (second.expected, second.observed) == ("made.days > 1: a false or empty value", "True")
