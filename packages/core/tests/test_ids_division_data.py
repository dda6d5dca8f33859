"""The GB/T 2260 code list data: provinces, all of Xinjiang, hierarchy, history, Uyghur names, sources."""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from stdnum import numdb

from govparts.core import codes
from govparts.core.codes import Code

VECTORS = Path(__file__).parent / "vectors"
GBT_2260 = codes.get("GB/T 2260")
XINJIANG = [c for c in GBT_2260 if c.code.startswith("65")]
PROVINCES = [c for c in GBT_2260 if c.parent is None]

# Letters of the Arabic script: Arabic, Arabic Presentation Forms-A and -B.
_ARABIC = re.compile(r"^[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]$")


def _in_arabic_script(text: str) -> bool:
    letters = [ch for ch in text if unicodedata.category(ch).startswith("L")]
    return bool(letters) and all(_ARABIC.match(ch) for ch in letters)


def test_list_identity() -> None:
    """Publishes the list as GB/T 2260-2007 with the MCA list it follows and its sources."""
    assert GBT_2260.id == "GB/T 2260-2007"
    assert GBT_2260.version.startswith("MCA 2020-12")
    assert "stdnum/cn/loc.dat" in GBT_2260.source
    assert "Ministry of Civil Affairs" in GBT_2260.source


def test_every_province_level_division() -> None:
    """Holds the 34 province-level divisions, Taiwan, Hong Kong and Macao included, at the top level."""
    expected = {
        "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000",
        "320000", "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000",
        "440000", "450000", "460000", "500000", "510000", "520000", "530000", "540000", "610000",
        "620000", "630000", "640000", "650000", "710000", "810000", "820000",
    }  # fmt: skip
    assert {c.code for c in PROVINCES} == expected
    assert GBT_2260["810000"].valid_from == date(1997, 7, 1)
    assert GBT_2260["820000"].valid_from == date(1999, 12, 20)


@pytest.mark.parametrize("entry", PROVINCES + XINJIANG, ids=lambda c: c.code)
def test_names_in_three_languages(entry: Code) -> None:
    """Names every province and every Xinjiang entry in Chinese, English and Uyghur in Arabic script."""
    assert re.fullmatch(r"[\u4e00-\u9fff]+", entry.zh)
    assert re.fullmatch(r"[A-Za-zÜü' ()-]+", entry.en)
    assert _in_arabic_script(entry.ug), entry.ug


def test_xinjiang_counts() -> None:
    """Holds 186 Xinjiang codes: 125 in force now and 61 former ones."""
    assert len(XINJIANG) == 186
    assert len([c for c in XINJIANG if c.valid_to is None]) == 125
    assert len([c for c in XINJIANG if c.valid_to is not None]) == 61


def test_agrees_with_the_mca_2020_list() -> None:
    """Holds every Xinjiang row of the MCA December 2020 list, in force then, under the same name."""
    with (VECTORS / "gbt-2260-mca-202012-xinjiang.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    assert len(rows) == 121
    in_force = {c.code for c in XINJIANG if c.valid_on(date(2020, 12, 31))}
    assert in_force == {row["code"] for row in rows}
    for row in rows:
        assert GBT_2260[row["code"]].zh == row["name"]


def test_xpcc_cities_are_directly_under_the_region() -> None:
    """Lists the twelve XPCC cities 659001-659012 directly under 650000, with their years."""
    cities = [c for c in XINJIANG if c.code.startswith("6590")]
    assert [c.code for c in cities] == [f"6590{n:02d}" for n in range(1, 13)]
    assert {c.parent for c in cities} == {"650000"}
    assert GBT_2260["659011"].zh == "新星市"
    assert GBT_2260["659012"].zh == "白杨市"
    assert GBT_2260["659010"].valid_from == date(2019, 1, 1)


def test_ili_administers_tacheng_and_altay() -> None:
    """Records Ili's sub-provincial rule as data: Tacheng and Altay have Ili as parent."""
    assert GBT_2260["654200"].parent == "654000"
    assert GBT_2260["654300"].parent == "654000"
    assert [c.code for c in GBT_2260.ancestors("654201")] == ["654200", "654000", "650000"]
    assert {c.code for c in GBT_2260.children("654000")} >= {"654002", "654200", "654300", "654100"}
    assert GBT_2260["652500"].parent == "652400"


@pytest.mark.parametrize(
    ("code", "valid_to"),
    [
        ("652100", date(2015, 12, 31)),
        ("652101", date(2015, 12, 31)),
        ("652200", date(2016, 12, 31)),
        ("654100", date(2001, 12, 31)),
        ("654001", date(2001, 12, 31)),
        ("652400", date(1984, 12, 31)),
        ("652303", date(2007, 12, 31)),
        ("652923", date(2019, 12, 31)),
        ("654223", date(2021, 12, 31)),
        ("650300", date(1986, 12, 31)),
    ],
)
def test_former_codes_have_an_end(code: str, valid_to: date) -> None:
    """Keeps former codes with the last day they count as in force."""
    assert GBT_2260[code].valid_to == valid_to
    assert not GBT_2260[code].valid_on(date(valid_to.year + 1, 1, 1))


def test_successors_start_in_the_year_of_change() -> None:
    """Starts the prefecture-level cities of Turpan (2015) and Hami (2016) in their year of change."""
    assert GBT_2260["650400"].valid_from == date(2015, 1, 1)
    assert GBT_2260["650500"].valid_from == date(2016, 1, 1)


def _loc_dat_xinjiang() -> dict[str, str]:
    entries: dict[str, str] = {}
    for _length, low, _high, _props, children in numdb.get("cn/loc").prefixes:
        if low != "65":
            continue
        for length, child_low, child_high, props, _ in children:
            for number in range(int(child_low), int(child_high) + 1):
                entries["65" + f"{number:0{length}d}"] = props["county"]
    return entries


def test_agrees_with_stdnum_history() -> None:
    """Matches python-stdnum's loc.dat on every Xinjiang code, latest Chinese name and years."""
    span = re.compile(r"^\[(\d*)-(\d*)\](.*)$")
    group_names = {"市辖区", "市区", "自治区直辖县级行政单位"}
    history = _loc_dat_xinjiang()
    ours = {c.code for c in XINJIANG}
    checked = 0
    for code, names in history.items():
        first, last = span.match(names.split(",")[0]), span.match(names.split(",")[-1])
        name = last.group(3) if last else names.split(",")[-1]
        if name in group_names:
            assert code not in ours
            continue
        entry = GBT_2260[code]
        assert entry.zh == name
        assert (str(entry.valid_from.year) if entry.valid_from else "") == (first.group(1) if first else "")
        assert (str(entry.valid_to.year) if entry.valid_to else "") == (last.group(2) if last else "")
        checked += 1
    assert checked == len(ours)
