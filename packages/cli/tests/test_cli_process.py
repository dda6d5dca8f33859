"""``govparts process``: the installed parts' process specs as tables, JSON and Mermaid."""

from __future__ import annotations

import json
from collections.abc import Callable

from cli_support import Run, row

RLI, PDI = "\u2067", "\u2069"


def _ticket():  # the spec the fake part publishes
    from probe_part.processes import TICKET

    return TICKET


def test_list_shows_each_installed_process(run: Run, probe_part: None) -> None:
    """Lists the part's process with its title in the locale and its size."""
    result, data = run.json("process", "list", "--locale", "ug")
    assert result.exit_code == 0, result.output
    assert data == [
        {
            "id": "probe.ticket",
            "version": "1.0",
            "part": "probe",
            "title": "خىزمەت تالونى",
            "entity": "ticket",
            "states": 2,
            "transitions": 1,
        }
    ]
    table = run("process", "list", "--locale", "ug")
    assert row(table.stdout, "probe.ticket")[1] == f"{RLI}خىزمەت تالونى{PDI}"


def test_show_json_is_the_published_spec(run: Run, probe_part: None) -> None:
    """Prints exactly the spec's published JSON with --format json and with --json."""
    published = json.loads(_ticket().to_json())
    for args in (("--format", "json"), ("--json",)):
        result = run("process", "show", "probe.ticket", *args)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == published


def test_show_mermaid_is_labelled_in_the_locale(run: Run, probe_part: None) -> None:
    """Prints the Mermaid state diagram labelled in the chosen language."""
    result = run("process", "show", "probe.ticket", "--format", "mermaid", "--locale", "ug")
    assert result.exit_code == 0
    assert result.stdout == _ticket().to_mermaid("ug_CN")
    assert "تاماملاش" in result.stdout


def test_show_table_lists_states_and_transitions(run: Run, probe_part: None) -> None:
    """Shows the states with their kind and the transitions with roles and events, localised."""
    result = run("process", "show", "probe.ticket", "--locale", "zh")
    assert result.exit_code == 0
    assert row(result.stdout, "open")[1:] == ["办理中", "初始"]
    assert row(result.stdout, "closed")[1:] == ["已办结", "终止"]
    assert row(result.stdout, "close")[1:] == [
        "办结",
        "open",
        "closed",
        "clerk",
        "",
        "cn.govparts.probe.ticket.closed.v1",
    ]


def test_unknown_process_is_refused_naming_it_and_the_installed_ones(run: Run, probe_part: None) -> None:
    """Refuses an unknown id with exit code 2, naming it and listing what is installed."""
    result = run("process", "show", "probe.nothing", "--locale", "en")
    assert result.exit_code == 2
    assert "'probe.nothing'" in result.stderr
    assert "probe.ticket" in result.stderr
    result, data = run.json("process", "show", "probe.nothing")
    assert (result.exit_code, data["error"]["field"]) == (2, "process")


def test_part_publishing_other_things_is_reported(run: Run, install: Callable[..., None]) -> None:
    """Reports a part whose processes reference is not a list of specs, naming the part."""
    install("probe_part.part:BROKEN")
    result, data = run.json("process", "list")
    assert result.exit_code == 2
    assert data["error"]["field"] == "probe.processes"


def test_no_process_installed_is_said(run: Run, install: Callable[..., None]) -> None:
    """Says that no installed part publishes a process, and gives an empty JSON list."""
    result = run("process", "list", "--locale", "zh")
    assert (result.exit_code, result.stdout.strip()) == (0, "已安装的部件都不发布业务流程。")
    assert run.json("process", "list")[1] == []
