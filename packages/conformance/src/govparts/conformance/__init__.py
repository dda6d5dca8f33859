"""govparts.conformance: check, requirement by requirement, that an implementation of a part conforms.

A part publishes a requirement :class:`Catalogue` and a :class:`Suite` of checks, each marked with
the requirements it :func:`verifies`. The kit runs the suite against any implementation of the part's
``<Part>Service`` protocol and returns a :class:`ConformanceStatement`: per requirement ``pass``,
``fail``, ``skip`` (could not verify; blocks), ``omit`` (an optional feature the implementation does
not claim; does not block) or ``error`` (a bug in the kit); totals by level; the kit's version; the
fingerprint of the catalogue. The implementation conforms when every MUST passes.

Three ways in:

- in a vendor's own tests: ``assert run_conformance("attendance", make_service).conforms``;
- as a pytest plugin: ``pytest --govparts-conformance-part attendance
  --govparts-conformance-target vendor.app:make_service`` (one pytest item per check);
- on the command line: ``govparts conformance run --part attendance --target vendor.app:make_service``.

:func:`run_selftest` proves the suite itself: it must kill every mutant the part registers.

Checks sweep generated scenarios: :func:`scenario_rng` is seeded from the run's seed and the check's
name, :func:`scenario` and :func:`step` say what a check is doing, :func:`expect_equal` /
:func:`expect_true` / :func:`expect_raises` fail with the expected and the observed value; a check
marked :func:`refuses` is a negative check (wrong input, actor, state or organisation refused,
nothing written). The statement records the seed; ``--seed N`` reruns the same scenarios.

The integrator signs the statement with an SM2 key (:func:`sign_statement`, ``govparts conformance
run --statement F --sign-key KEY``); anyone holding a trust file checks it with
:func:`verify_statement` (``govparts conformance verify F --trust T``).
"""

from ._blame import CallRecord as CallRecord
from ._coverage import CoverageReport as CoverageReport
from ._coverage import CoverageRow as CoverageRow
from ._coverage import MethodCoverage as MethodCoverage
from ._coverage import check_catalogue_coverage as check_catalogue_coverage
from ._coverage import check_coverage as check_coverage
from ._discovery import load_factory as load_factory
from ._discovery import load_mutants as load_mutants
from ._discovery import load_reference_factory as load_reference_factory
from ._discovery import load_suite as load_suite
from ._discovery import parts_with_suites as parts_with_suites
from ._discovery import resolve_suite as resolve_suite
from ._model import Capabilities as Capabilities
from ._model import Catalogue as Catalogue
from ._model import Level as Level
from ._model import Requirement as Requirement
from ._reports import selftest_to_json as selftest_to_json
from ._reports import statement_to_html as statement_to_html
from ._reports import statement_to_json as statement_to_json
from ._reports import statement_to_junit as statement_to_junit
from ._reports import statement_to_text as statement_to_text
from ._reports import write_statement as write_statement
from ._runner import CheckOutcome as CheckOutcome
from ._runner import ConformanceStatement as ConformanceStatement
from ._runner import RaisedException as RaisedException
from ._runner import RequirementResult as RequirementResult
from ._runner import Result as Result
from ._runner import kit_version as kit_version
from ._runner import run_check as run_check
from ._runner import run_conformance as run_conformance
from ._scenario import CheckFailure as CheckFailure
from ._scenario import check_seed as check_seed
from ._scenario import expect_equal as expect_equal
from ._scenario import expect_true as expect_true
from ._scenario import run_seed as run_seed
from ._scenario import scenario as scenario
from ._scenario import scenario_rng as scenario_rng
from ._scenario import step as step
from ._selftest import Mutant as Mutant
from ._selftest import MutantResult as MutantResult
from ._selftest import SelftestReport as SelftestReport
from ._selftest import run_selftest as run_selftest
from ._signed import SignedStatement as SignedStatement
from ._signed import read_statement as read_statement
from ._signed import sign_statement as sign_statement
from ._signed import verify_statement as verify_statement
from ._suite import Check as Check
from ._suite import SkipCheck as SkipCheck
from ._suite import Suite as Suite
from ._suite import collect_checks as collect_checks
from ._suite import expect_raises as expect_raises
from ._suite import refuses as refuses
from ._suite import verifies as verifies

__all__ = [
    # publishing requirements
    "Catalogue",
    "Level",
    "Requirement",
    # writing a suite
    "Check",
    "CheckFailure",
    "SkipCheck",
    "Suite",
    "check_seed",
    "collect_checks",
    "expect_equal",
    "expect_raises",
    "expect_true",
    "refuses",
    "run_seed",
    "scenario",
    "scenario_rng",
    "step",
    "verifies",
    # running it
    "Capabilities",
    "CallRecord",
    "CheckOutcome",
    "ConformanceStatement",
    "RaisedException",
    "RequirementResult",
    "Result",
    "kit_version",
    "run_check",
    "run_conformance",
    # proving the kit
    "CoverageReport",
    "CoverageRow",
    "MethodCoverage",
    "Mutant",
    "MutantResult",
    "SelftestReport",
    "check_catalogue_coverage",
    "check_coverage",
    "run_selftest",
    # finding a part's suite
    "load_factory",
    "load_mutants",
    "load_reference_factory",
    "load_suite",
    "parts_with_suites",
    "resolve_suite",
    # reports
    "selftest_to_json",
    "statement_to_html",
    "statement_to_json",
    "statement_to_junit",
    "statement_to_text",
    "write_statement",
    # signed statements (issue 20)
    "SignedStatement",
    "read_statement",
    "sign_statement",
    "verify_statement",
]
