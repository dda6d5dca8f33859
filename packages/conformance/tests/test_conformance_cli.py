"""The command-line face of the kit: exit codes, outputs, part discovery, the Typer application."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conformance_toy.part import PART
from conformance_toy.tickets import PART as TICKETS

from govparts.conformance import cli
from govparts.conformance._discovery import load_suite
from govparts.core.parts import Part

TARGET = "conformance_toy.service:make_service"
TOY = "conformance_toy.part:PART"


def run(*args: str, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run_command(*args, out=out, err=err, **options)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_run_exits_zero_when_every_must_passes() -> None:
    """Exits 0 for the reference and prints the statement."""
    code, out, err = run(TOY, TARGET, locale="en")
    assert (code, err) == (0, "")
    assert "Conforms: every MUST requirement passes" in out


def test_run_exits_one_when_a_must_fails() -> None:
    """Exits 1 for an implementation that breaks a MUST."""
    code, out, _ = run(TOY, "conformance_toy.mutants:ApprovesTwice", locale="en")
    assert code == 1
    assert "LVE-003  MUST    fail" in out


def test_run_json_lists_requirements() -> None:
    """Prints the documented JSON with id, level and result per requirement."""
    code, out, _ = run(TOY, TARGET, json_output=True)
    data = json.loads(out)
    assert code == 0
    assert data["requirements"][0] == {
        **data["requirements"][0],
        "id": "LVE-001",
        "level": "MUST",
        "result": "pass",
    }
    assert data["target"] == TARGET


def test_run_writes_junit_and_html(tmp_path: Path) -> None:
    """Writes JUnit XML and an HTML page in the locale asked for."""
    code, _, _ = run(TOY, TARGET, junit=tmp_path / "report.xml", html=tmp_path / "report.html", locale="ug")
    assert code == 0
    assert ET.parse(tmp_path / "report.xml").getroot().find("testsuite") is not None
    assert 'dir="rtl"' in (tmp_path / "report.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("part", "target", "expected"),
    [
        (TOY, "conformance_toy.service:no_such_factory", "target: cannot load"),
        (TOY, "conformance_toy.service:MAX_DAYS", "is not callable"),
        (TOY, "no_such_module:factory", "target: cannot load"),
        ("no-such-part", TARGET, "part: no part with id 'no-such-part'"),
        ("conformance_toy.service:MAX_DAYS", TARGET, "names neither a Part nor a Suite"),
    ],
)
def test_run_exits_two_when_it_cannot_start(part: str, target: str, expected: str) -> None:
    """Exits 2 with a message naming what could not be loaded."""
    code, out, err = run(part, target, locale="en")
    assert (code, out) == (2, "")
    assert expected in err


def test_run_refuses_an_unknown_locale() -> None:
    """Exits 2 for a locale govparts does not speak."""
    code, _, err = run(TOY, TARGET, locale="fr")
    assert code == 2
    assert "locale" in err


def test_run_exits_two_when_a_report_cannot_be_written(tmp_path: Path) -> None:
    """Exits 2 when the JUnit file cannot be written."""
    code, _, err = run(TOY, TARGET, junit=tmp_path / "missing" / "report.xml")
    assert code == 2
    assert "No such file or directory" in err


def test_run_imports_targets_from_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finds a vendor's module in the current directory, and leaves sys.path as it was."""
    (tmp_path / "vendor_leave_impl.py").write_text(
        "from conformance_toy.service import ReferenceLeaveService\n\n"
        "def make_service():\n    return ReferenceLeaveService()\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    before = list(sys.path)
    code, _, err = run(TOY, "vendor_leave_impl:make_service")
    assert (code, err) == (0, "")
    assert sys.path == before


def selftest(part: str | None = None, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.selftest_command(part, out=out, err=err, **options)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_selftest_json_lists_killed_mutants() -> None:
    """Exits 0 and lists every mutant with part, name, killed and killed_by."""
    code, out, _ = selftest(TOY, json_output=True)
    data = json.loads(out)
    assert code == 0
    assert [(m["part"], m["name"], m["killed"], m["killed_by"]) for m in data["mutants"]] == [
        ("leave-toy", "accepts-zero-days", True, ["LVE-002"]),
        ("leave-toy", "approves-twice", True, ["LVE-003"]),
        ("leave-toy", "unknown-is-none", True, ["LVE-004"]),
        ("leave-toy", "drops-rejection-note", True, ["LVE-005"]),
        ("leave-toy", "cancel-keeps-status", True, ["LVE-006"]),
    ]


def test_selftest_exits_one_with_a_survivor() -> None:
    """Exits 1 when a registered mutant survives."""
    code, out, _ = selftest("conformance_toy.leaky:PART", locale="en")
    assert code == 1
    assert "changes-nothing: Survived: a hole in the kit" in out


def test_selftest_of_a_bare_suite_cannot_start() -> None:
    """Exits 2 for a suite given without its part (no reference, no mutants)."""
    code, _, err = selftest("conformance_toy.conformance:SUITE", locale="en")
    assert code == 2
    assert "reference" in err


@pytest.fixture
def installed_toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The toy part registered under the govparts.parts entry-point group, as pip would install it."""
    info = tmp_path / "govparts_leave_toy-1.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: govparts-leave-toy\nVersion: 1.0.0\n", "utf-8"
    )
    (info / "entry_points.txt").write_text(f"[govparts.parts]\nleave-toy = {TOY}\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_finds_an_installed_part_by_name(installed_toy: Path) -> None:
    """Runs and self-tests a part found through the govparts.parts entry point."""
    assert run("leave-toy", TARGET)[0] == 0
    assert selftest("leave-toy")[0] == 0


def test_selftest_and_coverage_default_to_every_part_with_a_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Self-tests every installed part that publishes a suite and passes over those that do not."""
    bare = Part(name="bare", version="1.0.0", title={"zh_Hans_CN": "空"})
    monkeypatch.setattr("govparts.conformance._discovery.iter_parts", lambda: iter([bare, PART]))
    code, out, _ = selftest(json_output=True)
    assert code == 0
    assert [p["part"] for p in json.loads(out)["parts"]] == ["leave-toy"]
    monkeypatch.setattr("govparts.conformance._discovery.iter_parts", lambda: iter([bare, TICKETS]))
    out_cov, err_cov = io.StringIO(), io.StringIO()
    assert cli.coverage_command(json_output=True, out=out_cov, err=err_cov) == 0
    assert [p["part"] for p in json.loads(out_cov.getvalue())["parts"]] == ["ticket-toy"]


def test_selftest_with_no_parts_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Says that no part publishes a suite when none is installed."""
    monkeypatch.setattr("govparts.conformance._discovery.iter_parts", lambda: iter([]))
    code, out, _ = selftest(locale="en")
    assert (code, out) == (0, "No installed part publishes a conformance suite\n")


def test_coverage_exits_one_for_an_uncovered_must() -> None:
    """Exits 1 and names the MUST that has neither a check nor a reason."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.coverage_command("conformance_toy.leaky:UNCOVERED", locale="en", out=out, err=err)
    assert code == 1
    assert "requirements[LVE-001]: a MUST requirement has no check and no not_tested_reason" in out.getvalue()


def test_load_suite_checks_the_descriptor() -> None:
    """Refuses a part whose suite tests another part or another catalogue than it publishes."""
    from govparts.core.errors import ConfigurationError, InvalidSpec

    with pytest.raises(InvalidSpec) as renamed:
        load_suite(Part(name="other", version="1", title={}, conformance="conformance_toy.conformance:SUITE"))
    assert renamed.value.field == "conformance"
    with pytest.raises(InvalidSpec) as mismatched:
        load_suite(
            Part(
                name="leave-toy",
                version="1",
                title={},
                conformance="conformance_toy.conformance:SUITE",
                requirements="conformance_toy.leaky:OTHER_CATALOGUE",
            )
        )
    assert "another catalogue" in mismatched.value.message("en")
    with pytest.raises(ConfigurationError) as missing:
        load_suite(Part(name="bare", version="1", title={}))
    assert missing.value.field == "conformance"
    with pytest.raises(ConfigurationError) as wrong_type:
        load_suite(
            Part(name="leave-toy", version="1", title={}, conformance="conformance_toy.conformance:CATALOGUE")
        )
    assert wrong_type.value.field == "conformance"


def test_importing_the_cli_module_does_not_import_typer() -> None:
    """Keeps Typer out of the process until the application is looked up."""
    probe = "import sys, govparts.conformance.cli; print('typer' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
        == "False\n"
    )


class TestTyperApplication:
    """The Typer application the govparts command mounts (needs the ``cli`` extra)."""

    @pytest.fixture
    def invoke(self) -> object:
        pytest.importorskip("typer", reason="the Typer application needs govparts-conformance[cli]")
        from typer.testing import CliRunner

        runner = CliRunner()
        return lambda *args: runner.invoke(cli.app, list(args))

    def test_is_registered_for_the_govparts_command(self) -> None:
        """Registers the application under the govparts.cli entry-point group as 'conformance'."""
        from importlib.metadata import entry_points

        (entry,) = [e for e in entry_points(group="govparts.cli") if e.name == "conformance"]
        assert entry.value == "govparts.conformance.cli:app"

    def test_run_with_the_documented_flags(self, invoke: object, tmp_path: Path) -> None:
        """Runs with --part, --target, --json, --junit, --html and --locale and exits 0."""
        result = invoke(  # type: ignore[operator]
            "run",
            "--part",
            TOY,
            "--target",
            TARGET,
            "--json",
            "--junit",
            str(tmp_path / "j.xml"),
            "--html",
            str(tmp_path / "p.html"),
            "--locale",
            "ug",
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["conforms"] is True
        assert (tmp_path / "j.xml").is_file()
        assert (tmp_path / "p.html").is_file()

    def test_run_exit_code_follows_conformance(self, invoke: object) -> None:
        """Exits 1 for a target that breaks a MUST."""
        result = invoke("run", "--part", TOY, "--target", "conformance_toy.mutants:UnknownIsNone")  # type: ignore[operator]
        assert result.exit_code == 1

    def test_selftest_json(self, invoke: object) -> None:
        """Self-tests with --part and --json."""
        result = invoke("selftest", "--part", TOY, "--json")  # type: ignore[operator]
        assert result.exit_code == 0, result.output
        assert all(m["killed"] for m in json.loads(result.stdout)["mutants"])

    def test_coverage_and_help(self, invoke: object) -> None:
        """Shows the coverage table and lists the three commands in its help."""
        tickets = "conformance_toy.tickets:PART"
        assert invoke("coverage", "--part", tickets, "--locale", "en").exit_code == 0  # type: ignore[operator]
        assert invoke("coverage", "--part", TOY, "--locale", "en").exit_code == 1  # type: ignore[operator]
        help_text = invoke("--help").output  # type: ignore[operator]
        for command in ("run", "selftest", "coverage"):
            assert command in help_text

    def test_a_missing_required_flag_is_a_usage_error(self, invoke: object) -> None:
        """Exits 2 when --target is missing."""
        assert invoke("run", "--part", TOY).exit_code == 2  # type: ignore[operator]
