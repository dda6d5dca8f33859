"""The pytest plugin, driven through pytester."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

TOY = "--govparts-conformance-part=conformance_toy.part:PART"
REFERENCE = "--govparts-conformance-target=conformance_toy.service:make_service"

VARIANTS = """
from conformance_toy.conformance import CATALOGUE, SUITE
from conformance_toy.service import ReferenceLeaveService
from govparts.conformance import SkipCheck, Suite, verifies


@verifies("LVE-001")
def cannot_tell(service):
    raise SkipCheck("no clock on this implementation")


@verifies("LVE-004")
def broken_check(service):
    raise LookupError("the check itself is wrong")


SKIPPING = Suite(CATALOGUE, [*SUITE.checks[1:3], cannot_tell])
ERRING = Suite(CATALOGUE, [*SUITE.checks[:3], broken_check])


class WithoutCancellation(ReferenceLeaveService):
    features = frozenset()
"""


@pytest.fixture
def toy(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester directory where the toy part and the variants module import; messages in English."""
    monkeypatch.setenv("GOVPARTS_LOCALE", "en")
    pytester.makepyfile(toy_variants=VARIANTS)
    pytester.syspathinsert()
    return pytester


def test_registers_prefixed_options(pytester: pytest.Pytester) -> None:
    """Lists its three options, all prefixed --govparts-conformance-, in pytest's help."""
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "govparts conformance kit:",
            "*--govparts-conformance-part=PART*",
            "*--govparts-conformance-target=MODULE:FACTORY*",
            "*--govparts-conformance-report=FILE*",
        ]
    )


def test_registers_the_verifies_marker_with_help(pytester: pytest.Pytester) -> None:
    """Registers @pytest.mark.verifies with a help text, so --strict-markers accepts it."""
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(
        ["@pytest.mark.verifies(*requirement_ids): the test verifies these govparts*"]
    )
    pytester.makepyfile('import pytest\n\n@pytest.mark.verifies("LVE-001")\ndef test_a():\n    pass\n')
    pytester.runpytest("--strict-markers").assert_outcomes(passed=1)


def test_is_inert_without_options(pytester: pytest.Pytester) -> None:
    """Adds no items and no summary when no part is given."""
    pytester.makepyfile("def test_a():\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "govparts conformance" not in result.stdout.str()


def test_runs_one_item_per_check(toy: pytest.Pytester) -> None:
    """Runs each check of the suite as a pytest item, writes the statement and exits 0."""
    result = toy.runpytest(TOY, REFERENCE, "--govparts-conformance-report=statement.json", "-v")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(
        [
            "*collected 6 items",
            "*govparts-conformance?leave-toy?::records_a_submitted_request PASSED*",
            "*govparts conformance*",
            "leave-toy 1.0 (sha256:*), kit *: conforms",
        ]
    )
    assert result.ret == 0
    data = json.loads((toy.path / "statement.json").read_text("utf-8"))
    assert data["conforms"] is True
    assert data["target"] == "conformance_toy.service:make_service"
    assert {r["id"]: r["result"] for r in data["requirements"]}["LVE-007"] == "skip"


def test_collect_only_lists_the_checks_without_stating(toy: pytest.Pytester) -> None:
    """Lists the checks under --collect-only and neither writes a statement nor fails the run."""
    result = toy.runpytest(TOY, REFERENCE, "--collect-only", "-q", "--govparts-conformance-report=s.json")
    result.stdout.fnmatch_lines(["govparts-conformance[[]leave-toy[]]::approves_once", "6 tests collected*"])
    assert result.ret == 0
    assert not (toy.path / "s.json").exists()


def test_a_failing_check_fails_its_item(toy: pytest.Pytester) -> None:
    """Fails the item of the broken rule, names the requirement and exits 1."""
    result = toy.runpytest(TOY, "--govparts-conformance-target=conformance_toy.mutants:ApprovesTwice")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*[[]LVE-003[]] expected TransitionNotAllowed, but nothing was raised*"])
    result.stdout.fnmatch_lines(["*does NOT conform*", "  LVE-003 fail: *"])
    assert result.ret == 1


def test_an_unclaimed_feature_is_deselected(toy: pytest.Pytester) -> None:
    """Deselects the checks of an optional feature the implementation does not claim."""
    result = toy.runpytest(
        TOY,
        "--govparts-conformance-target=toy_variants:WithoutCancellation",
        "--govparts-conformance-report=s.json",
    )
    result.assert_outcomes(passed=5, deselected=1)
    assert result.ret == 0
    results = {
        r["id"]: r["result"] for r in json.loads((toy.path / "s.json").read_text("utf-8"))["requirements"]
    }
    assert results["LVE-006"] == "omit"


def test_skip_check_is_a_pytest_skip_that_blocks(toy: pytest.Pytester) -> None:
    """Shows SkipCheck as a skip, and a skipped MUST makes the run exit 1."""
    result = toy.runpytest("--govparts-conformance-part=toy_variants:SKIPPING", REFERENCE, "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["*could not verify: no clock on this implementation*"])
    assert result.ret == 1


def test_a_kit_error_is_a_pytest_error(toy: pytest.Pytester) -> None:
    """Shows an error of the kit as an error in setup, not as a failure."""
    result = toy.runpytest("--govparts-conformance-part=toy_variants:ERRING", REFERENCE)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*[[]LVE-004[]] error in the kit: LookupError: the check itself is wrong*"])


def test_an_uncovered_must_fails_the_run_without_failing_items(toy: pytest.Pytester) -> None:
    """Exits 1 when a MUST has no check, even though every item passed."""
    result = toy.runpytest("--govparts-conformance-part=conformance_toy.leaky:UNCOVERED", REFERENCE)
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*LVE-001 skip: no check verifies this requirement*"])
    assert result.ret == 1


def test_a_deselected_check_did_not_run(toy: pytest.Pytester) -> None:
    """Counts a check deselected with -k as not verified in the statement."""
    result = toy.runpytest(TOY, REFERENCE, "-k", "not approves_once", "--govparts-conformance-report=s.json")
    result.assert_outcomes(passed=5, deselected=1)
    assert result.ret == 1
    data = json.loads((toy.path / "s.json").read_text("utf-8"))
    third = data["requirements"][2]
    assert (third["id"], third["result"], third["checks"][0]["message"]) == (
        "LVE-003",
        "skip",
        "the check did not run",
    )


def test_vendor_tests_count_toward_their_requirements(toy: pytest.Pytester) -> None:
    """Records a vendor's test marked verifies as evidence for that requirement."""
    toy.makepyfile(
        test_vendor="""
import pytest

@pytest.mark.verifies("LVE-007")
def test_retention_policy_is_thirty_years():
    assert 30 == 30

@pytest.mark.verifies("LVE-005")
def test_rejection_note_is_kept():
    assert False, "vendor found the note missing"
"""
    )
    result = toy.runpytest(TOY, REFERENCE, "--govparts-conformance-report=s.json")
    result.assert_outcomes(passed=7, failed=1)
    data = json.loads((toy.path / "s.json").read_text("utf-8"))
    by_id = {r["id"]: r for r in data["requirements"]}
    assert by_id["LVE-007"]["result"] == "pass"
    assert by_id["LVE-007"]["checks"][0]["origin"] == "vendor"
    assert by_id["LVE-007"]["checks"][0]["name"].endswith("test_retention_policy_is_thirty_years")
    assert by_id["LVE-005"]["result"] == "fail"
    assert data["conforms"] is True


def test_a_vendor_test_in_setup_error_could_not_verify(toy: pytest.Pytester) -> None:
    """Counts a vendor test whose fixture failed as could-not-verify, and a skipped one as skip."""
    toy.makepyfile(
        test_vendor="""
import pytest

@pytest.fixture
def archive():
    raise OSError("archive offline")

@pytest.mark.verifies("LVE-007")
def test_retention(archive):
    pass

@pytest.mark.verifies("LVE-001")
def test_skipped():
    pytest.skip("no data")
"""
    )
    toy.runpytest(TOY, REFERENCE, "--govparts-conformance-report=s.json")
    by_id = {r["id"]: r for r in json.loads((toy.path / "s.json").read_text("utf-8"))["requirements"]}
    assert by_id["LVE-007"]["result"] == "skip"
    assert by_id["LVE-007"]["checks"][0]["message"] == "could not verify: the test's setup failed"
    assert by_id["LVE-001"]["result"] == "skip"


def test_a_vendor_test_naming_an_unknown_requirement_is_a_usage_error(toy: pytest.Pytester) -> None:
    """Stops the run when a vendor test verifies an id the catalogue does not have."""
    toy.makepyfile(test_vendor='import pytest\n\n@pytest.mark.verifies("LVE-404")\ndef test_a():\n    pass\n')
    result = toy.runpytest(TOY, REFERENCE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*verifies LVE-404, not in the catalogue of leave-toy*"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((TOY,), "*--govparts-conformance-part and --govparts-conformance-target must be given together*"),
        ((REFERENCE,), "*must be given together*"),
        (("--govparts-conformance-report=s.json",), "*(--govparts-conformance-report needs both)*"),
        (
            (TOY, "--govparts-conformance-target=nowhere:factory"),
            "*govparts conformance: target: cannot load*",
        ),
        (("--govparts-conformance-part=no-such-part", REFERENCE), "*govparts conformance: part: no part*"),
    ],
)
def test_bad_options_are_usage_errors(toy: pytest.Pytester, args: tuple[str, ...], message: str) -> None:
    """Refuses incomplete or unloadable options with a usage error that says why."""
    result = toy.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_refuses_to_run_across_xdist_processes(toy: pytest.Pytester) -> None:
    """Refuses a conformance run split over several processes, which would each see part of it."""
    toy.makeconftest(
        "def pytest_addoption(parser):\n"
        "    parser.addoption('--numprocesses', dest='numprocesses', type=int, default=None)\n"
    )
    result = toy.runpytest(TOY, REFERENCE, "--numprocesses=2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*the conformance run needs one process*"])


def test_html_and_junit_reports_by_suffix(toy: pytest.Pytester) -> None:
    """Writes the statement as HTML or JUnit when the report file says so."""
    toy.runpytest(TOY, REFERENCE, "--govparts-conformance-report=s.html")
    toy.runpytest(TOY, REFERENCE, "--govparts-conformance-report=s.xml")
    assert "<!DOCTYPE html>" in (toy.path / "s.html").read_text("utf-8")
    assert "<testsuites" in (toy.path / "s.xml").read_text("utf-8")


def test_plugin_import_is_light() -> None:
    """Imports neither the pytest session module, Typer, pydantic, SQLAlchemy nor Babel."""
    probe = (
        "import sys, govparts.conformance.plugin; "
        "heavy = ['govparts.conformance._pytest_session', 'typer', 'pydantic', 'sqlalchemy', 'babel', "
        "'xml.etree.ElementTree']; print([m for m in heavy if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
