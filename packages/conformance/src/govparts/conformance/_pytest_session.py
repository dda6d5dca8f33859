"""The conformance run inside a pytest session (imported by the plugin only when a part is given)."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from govparts.core.errors import GovPartsError

from ._discovery import load_factory, resolve_suite
from ._model import Level
from ._reports import write_statement
from ._runner import (
    CheckOutcome,
    ConformanceStatement,
    Result,
    assemble_statement,
    check_run_seed,
    declared_capabilities,
    omitted,
    run_check,
)
from ._scenario import fresh_seed
from ._suite import Check

__all__ = ["ConformanceCollector", "ConformanceItem", "ConformanceSession"]


class ConformanceCollector(pytest.Collector):
    """The parent of the suite's items: ``govparts-conformance[<part>]``, one item per check."""

    def __init__(self, *, run: ConformanceSession, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run = run

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return [
            ConformanceItem.from_parent(self, name=check.name, check=check, run=self.run)
            for check in self.run.suite.checks
        ]


class ConformanceItem(pytest.Item):
    """One check of the suite, run against a fresh service from the target's factory."""

    def __init__(self, *, check: Check, run: ConformanceSession, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.run = run
        self.outcome: CheckOutcome | None = None
        self.user_properties.append(("govparts_requirements", " ".join(check.requirement_ids)))

    def setup(self) -> None:
        self.outcome = run_check(self.check, self.run.factory, seed=self.run.seed)
        self.run.outcomes.append(self.outcome)
        if self.outcome.result is Result.ERROR:
            pytest.fail(f"[{', '.join(self.check.requirement_ids)}] {self.outcome.message}", pytrace=False)

    def runtest(self) -> None:
        assert self.outcome is not None
        label = ", ".join(self.check.requirement_ids)
        if self.outcome.result is Result.FAIL:
            facts = self.outcome.scenario, self.outcome.expected, self.outcome.observed
            lines = [f"[{label}] {self.outcome.message}"]
            lines += [
                f"  {name}: {value}"
                for name, value in (
                    ("expected", facts[1]),
                    ("observed", facts[2]),
                    ("step", self.outcome.step),
                    ("scenario", ", ".join(f"{k}={v}" for k, v in dict(facts[0] or {}).items())),
                    ("seed", f"{self.run.seed} (rerun with --govparts-conformance-seed {self.run.seed})"),
                )
                if value
            ]
            pytest.fail("\n".join(lines), pytrace=False)
        if self.outcome.result is Result.SKIP:
            pytest.skip(f"[{label}] could not verify: {self.outcome.message}")

    def reportinfo(self) -> tuple[Path | str, int | None, str]:
        code = getattr(self.check.function, "__code__", None)
        where = (Path(code.co_filename), code.co_firstlineno - 1) if code is not None else (self.path, None)
        return *where, f"{self.name} verifies {', '.join(self.check.requirement_ids)}"


class ConformanceSession:
    """Adds the suite's checks to the session, collects outcomes and states the result at the end."""

    NAME = "govparts-conformance-session"

    def __init__(
        self, config: pytest.Config, part: str, target: str, report: str | None, seed: int | None = None
    ) -> None:
        self.config = config
        self.target = target
        self.report = Path(report) if report else None
        try:
            self.seed = fresh_seed() if seed is None else check_run_seed(seed, "--govparts-conformance-seed")
            self.suite = resolve_suite(part)
            self.factory = load_factory(target)
            self.capabilities = declared_capabilities(self.suite.catalogue, self.factory)
        except GovPartsError as exc:
            raise pytest.UsageError(f"govparts conformance: {exc.message()}") from exc
        self.outcomes: list[CheckOutcome] = []
        self.vendor_tests: dict[str, tuple[str, ...]] = {}
        self.vendor_results: dict[str, tuple[Result, str | None]] = {}
        self.statement: ConformanceStatement | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        for item in items:
            ids = tuple(rid for marker in item.iter_markers("verifies") for rid in marker.args)
            if not ids:
                continue
            unknown = [rid for rid in ids if rid not in self.suite.catalogue]
            if unknown:
                raise pytest.UsageError(
                    f"{item.nodeid}: verifies {', '.join(unknown)}, not in the catalogue of {self.suite.part}"
                )
            self.vendor_tests[item.nodeid] = ids
        name = f"govparts-conformance[{self.suite.part}]"
        collector = ConformanceCollector.from_parent(session, name=name, nodeid=name, run=self)
        collected = collector.collect()
        # Reported like any collector's result, so that pytest counts the items it collected.
        config.hook.pytest_collectreport(report=pytest.CollectReport(name, "passed", None, collected))
        runnable: list[pytest.Item] = []
        left_out: list[pytest.Item] = []
        for node in collected:
            if not isinstance(node, ConformanceItem):
                continue
            if node.check.feature is None or node.check.feature in self.capabilities.features:
                runnable.append(node)
            else:
                self.outcomes.append(omitted(node.check))
                left_out.append(node)
        items.extend(runnable)
        if left_out:
            config.hook.pytest_deselected(items=left_out)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if item.nodeid in self.vendor_tests:
            self._record_vendor(item.nodeid, report)
        return report

    def _record_vendor(self, nodeid: str, report: pytest.TestReport) -> None:
        previous = self.vendor_results.get(nodeid)
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self.vendor_results[nodeid] = (Result.SKIP, reason)
        elif report.failed and report.when == "setup":
            self.vendor_results[nodeid] = (Result.SKIP, "could not verify: the test's setup failed")
        elif report.failed:
            self.vendor_results[nodeid] = (Result.FAIL, f"the test failed in {report.when}")
        elif report.when == "call" and previous is None:
            self.vendor_results[nodeid] = (Result.PASS, None)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.config.option.collectonly:
            return
        vendor = [
            CheckOutcome(nodeid, self.vendor_tests[nodeid], result, message, origin="vendor")
            for nodeid, (result, message) in self.vendor_results.items()
        ]
        self.statement = assemble_statement(
            self.suite, self.capabilities, [*self.outcomes, *vendor], target=self.target, seed=self.seed
        )
        if self.report is not None:
            write_statement(self.statement, self.report)
        if not self.statement.conforms and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        statement = self.statement
        if statement is None:
            return
        terminalreporter.section("govparts conformance")
        verdict = "conforms" if statement.conforms else "does NOT conform"
        tested = f"{statement.part} {statement.version} ({statement.spec_hash})"
        terminalreporter.write_line(f"{tested}, kit {statement.kit_version}: {verdict}")
        seed = statement.seed
        terminalreporter.write_line(f"  seed {seed} (rerun with --govparts-conformance-seed {seed})")
        for level, counts in statement.totals.items():
            terminalreporter.write_line(
                f"  {level:<6} " + ", ".join(f"{count} {name}" for name, count in counts.items() if count)
            )
        for item in statement.requirements:
            if item.level is Level.MUST and item.result.blocks:
                terminalreporter.write_line(f"  {item.id} {item.result.value}: {item.detail or '-'}")
        if self.report is not None:
            terminalreporter.write_line(f"statement written to {self.report}")
