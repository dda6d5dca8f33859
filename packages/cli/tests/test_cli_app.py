"""The root of the ``govparts`` command: help, versions, installed parts, plugin sub-commands."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import EntryPoint, version
from pathlib import Path

import pytest
from cli_support import Run, row, write

from govparts.cli import _plugins


def test_help_lists_every_command(run: Run) -> None:
    """Lists the built-in commands in the top-level help."""
    result = run("--help")
    assert result.exit_code == 0
    for name in ("codes", "check-id", "parts", "db", "audit"):
        assert name in result.stdout


def test_version_shows_core_cli_and_each_part(
    run: Run, probe_part: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shows the shared version and the version of core, the cli and every part, titled in the locale."""
    monkeypatch.setenv("GOVPARTS_LOCALE", "zh_Hans_CN")
    result = run("--version")
    assert result.exit_code == 0
    # Every distribution shares one version (tests/test_workspace.py), the meta-distribution's too.
    assert result.stdout.startswith(f"govparts {version('govparts-core')}\n")
    assert row(result.stdout, "govparts-core")[1] == version("govparts-core")
    assert row(result.stdout, "govparts-cli")[1] == version("govparts-cli")
    assert row(result.stdout, "govparts-probe")[1:] == ["0.1.0", "探针部件"]


def test_parts_lists_installed_parts_with_their_titles(run: Run, probe_part: None) -> None:
    """Lists each installed part with its title in the locale and what it provides."""
    result, data = run.json("parts", "--locale", "ug")
    assert result.exit_code == 0
    assert data == [
        {
            "name": "probe",
            "version": "0.1.0",
            "title": "سىناق قىسمى",
            "provides": {
                "processes": "probe_part.processes:PROCESSES",
                "events": "probe_part.events:EVENT_TYPES",
                "demo": "probe_part.demo:run",
                "migrations": "probe_part.migrations",
            },
        }
    ]
    table = run("parts", "--locale", "zh_Hans_CN")
    assert "探针部件" in table.stdout
    assert "迁移" in table.stdout


def test_parts_says_when_none_is_installed(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Says how to install a part when none is installed, and gives an empty JSON list."""
    from govparts.core import parts

    monkeypatch.setattr(parts, "entry_points", lambda group: [])
    result = run("parts", "--locale", "en")
    assert result.exit_code == 0
    assert "pip install govparts-attendance" in result.stdout
    assert run.json("parts")[1] == []


def test_unsupported_locale_is_refused_with_exit_2(run: Run) -> None:
    """Refuses a locale govparts does not speak, naming it, with exit code 2."""
    result = run("codes", "list", "--locale", "fr")
    assert result.exit_code == 2
    assert "'fr'" in result.stderr
    assert "Traceback" not in result.output


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A distribution-less module ``probe_cli`` whose Typer app is registered as sub-command ``probe``."""
    write(
        tmp_path / "plugin" / "probe_cli.py",
        """
        import typer

        app = typer.Typer()


        @app.command()
        def hello(name: str) -> None:
            typer.echo(f"hello {name}")


        @app.command()
        def other() -> None:
            pass
        """,
    )
    monkeypatch.syspath_prepend(str(tmp_path / "plugin"))
    entries = [
        EntryPoint(name="probe", value="probe_cli:app", group=_plugins.ENTRY_POINT_GROUP),
        EntryPoint(name="broken", value="probe_cli:hello", group=_plugins.ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr(
        _plugins, "entry_points", lambda group: entries if group == _plugins.ENTRY_POINT_GROUP else []
    )
    _plugins.plugin_entry_points.cache_clear()
    yield "probe_cli"
    _plugins.plugin_entry_points.cache_clear()
    sys.modules.pop("probe_cli", None)


def test_plugin_sub_command_is_listed_without_importing_it(run: Run, plugin: str) -> None:
    """Lists an entry-point sub-command in the help without importing its module."""
    result = run("--help")
    assert result.exit_code == 0
    assert "probe" in result.stdout
    assert plugin not in sys.modules


def test_plugin_sub_command_runs_when_called(run: Run, plugin: str) -> None:
    """Imports and runs an entry-point sub-command under the entry point's name."""
    result = run("probe", "hello", "Ayşe")
    assert result.exit_code == 0, result.output
    assert result.stdout == "hello Ayşe\n"


def test_entry_point_that_is_not_a_typer_app_is_reported(
    plugin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reports an entry point that does not name a Typer app, with exit code 2 and no traceback."""
    from govparts.cli.app import main

    monkeypatch.setattr(sys, "argv", ["govparts", "broken", "--help"])
    monkeypatch.setenv("GOVPARTS_LOCALE", "en")
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "Error: govparts.cli: entry point 'probe_cli:hello' does not name a typer.Typer" in err
    assert "Traceback" not in err


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )


def test_importing_the_app_leaves_heavy_libraries_alone() -> None:
    """Imports neither SQLAlchemy, Alembic, Babel nor pydantic when the command starts."""
    out = _python(
        "import sys, govparts.cli.app; heavy = {'sqlalchemy', 'alembic', 'babel', 'pydantic'}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    ).stdout
    assert out.strip() == "[]"


def test_help_speaks_the_environment_locale() -> None:
    """Shows the help texts in Uyghur when the environment asks for Uyghur."""
    out = _python(
        "import sys; sys.argv = ['govparts', '--help']; from govparts.cli.app import main; main()",
        GOVPARTS_LOCALE="ug_CN",
        COLUMNS="200",
    )
    assert "بۇيرۇقلار" in out.stdout
    assert "ئورنىتىلغان قىسىملارنى تىزىدۇ." in out.stdout
