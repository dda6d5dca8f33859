"""Terminal tables: no value or word is broken at any width, and right-to-left text is isolated per line.

The demo tables come from ``data/demo_tables.json``, a cut of ``govparts demo --json`` in each
locale (see its ``source``): amounts, codes, dates, document numbers, Chinese and Uyghur text.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console

from govparts.cli._ui import DOMAIN, CellTable, Output, cell

RLI, PDI = "\u2067", "\u2069"
ARABIC = re.compile("[\u0600-\u06ff]")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
LONG = "ئۈرۈمچى شەھىرى تيانشان رايونلۇق ھۆكۈمەت مۇلازىمىتى ۋە سانلىق مەلۇمات باشقۇرۇش ئىدارىسى"
DEMO: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "demo_tables.json").read_text("utf-8"))
LOCALES = sorted(DEMO["locales"])
# What may stand beside a whole word in printed output: a space, a table rule, an isolate, the line's end.
EDGE = "\\s\u2502\u2503\u2066-\u2069"
DIGITS = re.compile("[0-9A-Za-z][0-9A-Za-z.,/_-]*")


def _render(width: int) -> str:
    out = Output("ug_CN", as_json=False)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None)
    console.print(out.table("جەدۋەل", ["نامى", "code"], [[LONG, "BGS"]]))
    return buffer.getvalue()


def _tables(locale: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every demo table of ``locale`` and the table of its checks, as the cli shows them."""
    found = DEMO["locales"][locale]
    shown = [(t["title"], t["columns"], t["rows"]) for t in found["tables"]]
    headers = [DOMAIN.gettext(name, locale) for name in ("Step", "Check", "Result", "Detail")]
    passed = DOMAIN.gettext("passed", locale)
    checks = [
        [step, check, passed if ok else "FAILED", detail] for step, check, ok, detail in found["checks"]
    ]
    return [*shown, (DOMAIN.gettext("Demo on {database}", locale), headers, checks)]


def _print(locale: str, width: int) -> list[str]:
    out = Output(locale, as_json=False)
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None)
    for title, columns, rows in _tables(locale):
        console.print(out.table(title, columns, rows))
    return buffer.getvalue().splitlines()


def _whole(token: str) -> re.Pattern[str]:
    return re.compile(f"(?<![^{EDGE}]){re.escape(token)}(?![^{EDGE}])")


def _values(text: str) -> list[str]:
    """The parts of a cell no line may split: words without ideographs (amounts, codes, dates,
    Uyghur and Latin words), short words with digits (document numbers such as 天政服发〔2023〕7号),
    and in Chinese prose each run of digits or Latin letters."""
    found = []
    for word in text.split():
        han = len(HAN.findall(word))
        if not han or (han < 9 and re.search("[0-9]", word)):
            found.append(word)
        else:
            found.extend(DIGITS.findall(word))
    return found


@pytest.mark.parametrize("width", [80, 40])
@pytest.mark.parametrize("locale", LOCALES)
def test_demo_tables_never_break_a_value_or_a_word(locale: str, width: int) -> None:
    """Prints each demo table within the width with every amount, code, date and word on one line."""
    lines = _print(locale, width)
    assert all(cell_len(line) <= width for line in lines), [line for line in lines if cell_len(line) > width]
    texts = [
        t
        for title, columns, rows in _tables(locale)
        for t in (title, *columns, *(c for r in rows for c in r))
    ]
    expected = Counter(token for text in texts for token in _values(str(text)))
    assert expected["¥300,000.00"] + expected["￥300,000.00"] > 0 or locale == "en"
    printed = "\n".join(lines)
    for token, count in expected.items():
        if cell_len(token) > width:  # a SHA-256 digest at 40 columns: cut, as it must be
            continue
        pattern = _whole(token)
        if DIGITS.fullmatch(token) and any(HAN.search(t) and token in t for t in texts):
            # A number inside Chinese prose (做好2023年…) stands between ideographs, not spaces.
            pattern = re.compile(f"(?<![0-9A-Za-z.,/_-]){re.escape(token)}(?![0-9A-Za-z.,/_-])")
        assert len(pattern.findall(printed)) >= count, (token, count)


@pytest.mark.parametrize("width", [80, 40])
@pytest.mark.parametrize("locale", LOCALES)
def test_every_uyghur_word_is_whole_inside_an_isolate(locale: str, width: int) -> None:
    """Prints every Uyghur word whole inside an RLI…PDI isolate that opens and closes on its line."""
    lines = _print(locale, width)
    inside: list[str] = []
    for line in lines:
        assert not ARABIC.search(re.sub(f"{RLI}[^{RLI}{PDI}]*{PDI}", "", line)), line
        assert line.count(RLI) == line.count(PDI)
        inside.extend(re.findall(f"{RLI}([^{PDI}]*){PDI}", line))
    isolated = Counter(word for text in inside for word in text.split())
    texts = [
        t
        for title, columns, rows in _tables(locale)
        for t in (title, *columns, *(c for r in rows for c in r))
    ]
    words = Counter(word for text in texts for word in str(text).split() if ARABIC.search(word))
    assert locale != "ug_CN" or words
    assert {word: count for word, count in words.items() if isolated[word] < count} == {}


def test_an_amount_column_keeps_its_amounts_whole_at_80_columns() -> None:
    """Keeps ¥186,500.00 on one line in a wide balance table that must wrap at 80 columns."""
    out = Output("zh_Hans_CN", as_json=False)
    row = [
        "1601",
        "固定资产",
        "¥186,500.00",
        "¥1,186,500.00",
        "¥0.00",
        "¥1,373,000.00",
        "2023-04-30",
        "天政服发〔2023〕7号",
    ]
    table = out.table(
        "科目余额", ["科目", "名称", "期初余额", "本期借方", "本期贷方", "期末余额", "日期", "文号"], [row]
    )
    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(table)
    printed = buffer.getvalue()
    for value in row:
        assert _whole(value).search(printed), value


@pytest.mark.parametrize(
    ("locale", "index", "width", "layout"),
    [
        ("zh_Hans_CN", 6, 80, "ruled"),  # the balance sheet of financial accounting
        ("zh_Hans_CN", 5, 80, "compact"),  # the asset register: no room for rules
        ("zh_Hans_CN", 5, 40, "blocks"),  # the asset register: one block of lines per asset
        ("ug_CN", 3, 80, "blocks"),
        ("zh_Hans_CN", -1, 40, "stacked"),  # the checks: long details under their column's name
    ],
)
def test_a_table_too_wide_for_its_values_changes_layout(
    locale: str, index: int, width: int, layout: str
) -> None:
    """Drops the rules, then prints rows as blocks, then names above values, as the terminal narrows."""
    title, columns, rows = _tables(locale)[index]
    table = Output(locale, as_json=False).table(title, columns, rows)
    assert isinstance(table, CellTable)
    assert table.layout(width)[0] == layout


def test_a_value_wider_than_the_terminal_is_the_only_thing_cut() -> None:
    """Cuts a value only when it alone is wider than the terminal, and prints all of it."""
    digest = "704862747cf5ed4d4da109db6434e73cc3f54354fb52c31512b3cce78a064c34"
    lines = cell(f"sha256 {digest}").lines(20)
    assert lines[0] == "sha256"
    assert "".join(lines[1:]) == digest
    assert all(cell_len(line) <= 20 for line in lines)


def test_a_wrapped_uyghur_cell_is_isolated_on_each_line() -> None:
    """Every printed line holding Uyghur opens and closes its own isolate; no letter is left bare."""
    text = _render(40)
    lines = [line for line in text.splitlines() if ARABIC.search(line)]
    assert len(lines) >= 4  # the cell really wrapped
    for line in lines:
        assert not ARABIC.search(re.sub(f"{RLI}[^{RLI}{PDI}]*{PDI}", "", line)), line
        assert line.count(RLI) == line.count(PDI) >= 1
    words = "".join(re.findall(f"{RLI}([^{PDI}]*){PDI}", text)).split()
    assert " ".join(w for w in words if ARABIC.search(w)).endswith(LONG.rsplit(maxsplit=1)[-1])


def test_a_cell_that_fits_is_one_isolate() -> None:
    """A short Uyghur cell prints as one isolated run; its str() is the isolated text."""
    assert str(cell("ئايگۈل")) == f"{RLI}ئايگۈل{PDI}"
    assert f"{RLI}{LONG}{PDI}" in _render(200)
