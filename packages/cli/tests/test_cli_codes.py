"""``govparts codes``: code lists as tables and JSON, in Chinese, Uyghur and English."""

from __future__ import annotations

from cli_support import Run, row

from govparts.core import codes

RLI, PDI = "\u2067", "\u2069"


def test_list_shows_every_registered_list(run: Run) -> None:
    """Lists every code list with its title in the locale and its size."""
    result, data = run.json("codes", "list", "--locale", "en")
    assert result.exit_code == 0
    expected = codes.all_lists()
    assert [entry["id"] for entry in data] == [c.id for c in expected]
    sexes = codes.get("GB/T 2261.1")
    entry = next(entry for entry in data if entry["id"] == sexes.id)
    assert (entry["title"], entry["codes"]) == (sexes.title_in("en"), len(sexes))
    table = run("codes", "list", "--locale", "zh_Hans_CN")
    assert row(table.stdout, sexes.id)[1:4] == [sexes.title_in("zh_Hans_CN"), sexes.version, str(len(sexes))]


def test_show_labels_codes_in_uyghur_without_mangling_them(run: Run) -> None:
    """Gives the Uyghur labels exactly in JSON, and isolated but whole in the table."""
    result, data = run.json("codes", "show", "GB/T 2261.1", "--locale", "ug")
    assert result.exit_code == 0
    assert data["id"] == "GB/T 2261.1-2003"
    labels = {entry["code"]: entry["label"] for entry in data["codes"]}
    assert labels == {c.code: c.ug for c in codes.get("GB/T 2261.1")}
    assert labels["2"] == "ئايال"
    table = run("codes", "show", "GB/T 2261.1", "--locale", "ug")
    assert row(table.stdout, "2")[1] == f"{RLI}ئايال{PDI}"
    assert f"{RLI}{codes.get('GB/T 2261.1').title_in('ug_CN')}{PDI}" in table.stdout


def test_show_gives_parent_and_validity(run: Run) -> None:
    """Shows each code's parent and the period it is in force."""
    divisions = codes.get("GB/T 2260")
    child = next(c for c in divisions if c.parent is not None)
    result, data = run.json("codes", "show", divisions.id, "--locale", "zh")
    assert result.exit_code == 0
    entry = next(e for e in data["codes"] if e["code"] == child.code)
    assert entry["parent"] == child.parent
    assert entry["label"] == child.zh
    table = run("codes", "show", divisions.id, "--locale", "zh")
    cells = row(table.stdout, child.code)
    assert cells[1:3] == [child.zh, child.parent]
    former = next(c for c in divisions if c.valid_from and c.valid_to)
    assert row(table.stdout, former.code)[3] == f"{former.valid_from} – {former.valid_to}"
    always = next(c for c in divisions if not (c.valid_from or c.valid_to))
    assert row(table.stdout, always.code)[3] == "始终有效"


def test_unknown_list_is_a_localised_error_naming_it(run: Run) -> None:
    """Refuses an unknown list with exit code 2, naming it in the chosen language."""
    result = run("codes", "show", "GB/T 9999", "--locale", "ug")
    assert result.exit_code == 2
    assert "'GB/T 9999'" in result.stderr
    assert "خاتالىق" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_unknown_list_in_json_mode_prints_the_error_as_json(run: Run) -> None:
    """Prints the error as JSON on stdout with --json, with its code and field."""
    result, data = run.json("codes", "show", "GB/T 9999", "--locale", "en")
    assert result.exit_code == 2
    assert data["error"]["code"] == "not-found"
    assert data["error"]["field"] == "code_list"
    assert data["error"]["details"]["got"] == "GB/T 9999"
