"""The national code lists core ships: counts, well-known codes, labels in three languages, hierarchy."""

from __future__ import annotations

import csv
import threading
import unicodedata
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from govparts.core import codes
from govparts.core.codes import Code, Coded, CodeList, _codes
from govparts.core.errors import InvalidRecord, NotFound, UnknownCode, from_validation_error

VECTORS = Path(__file__).parent / "vectors"

# The lists this test module pins; GB/T 2260 (divisions) is tested with the identifiers.
LISTS = {
    "GB/T 2261.1-2003": 4,
    "GB/T 2261.2-2003": 8,
    "GB/T 3304-1991": 58,
    "GB/T 3304-1991 字母代码": 56,
    "GB/T 4658-2006": 40,
    "GB/T 4762-1984": 13,
    "GB/T 9704-2012 密级": 3,
    "GB/T 9704-2012 紧急程度": 2,
}


def _arabic_script_only(text: str) -> bool:
    """True when ``text`` is Arabic-script letters with spaces and punctuation only, and has a letter."""
    has_letter = False
    for char in text:
        point = ord(char)
        if 0x0600 <= point <= 0x06FF or 0xFB50 <= point <= 0xFDFF or 0xFE70 <= point <= 0xFEFF:
            has_letter = has_letter or unicodedata.category(char).startswith("L")
        elif char.isspace() or unicodedata.category(char).startswith("P") or char == "\u200c":
            continue
        else:
            return False
    return has_letter


def _has_han(text: str) -> bool:
    return any("CJK UNIFIED IDEOGRAPH" in unicodedata.name(char, "") for char in text)


def _table1() -> list[dict[str, str]]:
    with (VECTORS / "gbt-3304-1991-table1.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


# --- loading and lookup -----------------------------------------------------------------------


@pytest.mark.parametrize(("list_id", "count"), LISTS.items())
def test_list_loads_with_its_count(list_id: str, count: int) -> None:
    """Loads each shipped list under its exact id with the number of codes its source gives."""
    code_list = codes.get(list_id)
    assert code_list.id == list_id
    assert len(code_list) == count
    assert code_list.owner == "govparts.core.codes"


@pytest.mark.parametrize("list_id", LISTS)
def test_list_records_source_version_and_titles(list_id: str) -> None:
    """Records a source naming the standard, a version and a title in Chinese, English and Uyghur."""
    code_list = codes.get(list_id)
    standard = list_id.split("-", maxsplit=1)[0]
    assert standard in code_list.source
    assert "onfidence" in code_list.source
    assert code_list.version in list_id
    assert _has_han(code_list.title_in("zh"))
    assert code_list.title_in("en").isascii()
    assert _arabic_script_only(code_list.title_in("ug"))


def test_get_without_year_returns_the_current_edition() -> None:
    """Answers an id without edition year with the newest registered edition."""
    assert codes.get("GB/T 3304").id == "GB/T 3304-1991"
    assert codes.get("GB/T 4658").id == "GB/T 4658-2006"
    older = CodeList(
        id="GOVPARTS-TEST 1-2001",
        title={"zh_Hans_CN": "测试", "en": "Test", "ug_CN": "سىناق"},
        version="2001",
        source="test",
        codes={"1": Code("1", "一", "One", "بىر")},
    )
    newer = CodeList(
        id="GOVPARTS-TEST 1-2011",
        title=older.title,
        version="2011",
        source="test",
        codes={"1": Code("1", "一", "One", "بىر"), "2": Code("2", "二", "Two", "ئىككى")},
    )
    codes.register(newer)
    codes.register(older)
    assert codes.get("GOVPARTS-TEST 1") is newer
    assert codes.get("GOVPARTS-TEST 1-2001") is older


def test_get_with_year_returns_that_edition() -> None:
    """Answers an exact id with exactly that list."""
    assert codes.get("GB/T 3304-1991").version == "1991"
    assert codes.get("GB/T 9704-2012 密级").id == "GB/T 9704-2012 密级"


@pytest.mark.parametrize("list_id", ["GB/T 9999", "GB/T 3304-2020", "", "gb/t 3304"])
def test_get_unknown_list_raises_not_found(list_id: str) -> None:
    """Raises NotFound (a LookupError) naming the id for a list that is not registered."""
    with pytest.raises(NotFound) as caught:
        codes.get(list_id)
    assert isinstance(caught.value, LookupError)
    assert caught.value.details["got"] == list_id
    assert caught.value.field == "code_list"


def test_concurrent_first_lookups_wait_for_the_whole_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Makes a thread that looks a list up while another is loading wait instead of failing."""
    monkeypatch.setattr(_codes, "_registry", {})
    monkeypatch.setattr(_codes, "_loaded_core", False)
    loading = threading.Event()
    real_load = _codes.load_lists

    def slow_load(package: str, folder: str = "codes") -> list[CodeList]:
        loading.set()
        threading.Event().wait(0.3)
        return real_load(package, folder)

    monkeypatch.setattr(_codes, "load_lists", slow_load)
    results: dict[str, object] = {}

    def look_up(name: str) -> None:
        try:
            results[name] = codes.get("GB/T 3304").id
        except NotFound as exc:
            results[name] = exc

    first = threading.Thread(target=look_up, args=("first",))
    first.start()
    assert loading.wait(5)
    second = threading.Thread(target=look_up, args=("second",))
    second.start()
    first.join(10)
    second.join(10)
    assert results == {"first": "GB/T 3304-1991", "second": "GB/T 3304-1991"}


# --- labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize("list_id", LISTS)
def test_every_code_has_three_labels(list_id: str) -> None:
    """Gives every code a Chinese, an English and a Uyghur label, none empty."""
    for code in codes.get(list_id):
        assert code.zh, code
        assert code.en, code
        assert code.ug, code
        assert _has_han(code.zh), code
        assert not _has_han(code.en), code
        assert not _arabic_script_only(code.en), code


@pytest.mark.parametrize("list_id", LISTS)
def test_uyghur_labels_are_arabic_script(list_id: str) -> None:
    """Writes every Uyghur label in Arabic script, with no Chinese characters and no Latin letters."""
    for code in codes.get(list_id):
        assert _arabic_script_only(code.ug), code
        assert not _has_han(code.ug), code


def test_label_follows_locale() -> None:
    """Returns the label in the asked locale."""
    uyghur = codes.get("GB/T 3304")["05"]
    assert (uyghur.label("zh"), uyghur.label("en"), uyghur.label("ug")) == ("维吾尔族", "Uygur", "ئۇيغۇر")


def test_arabic_script_check_rejects_other_scripts() -> None:
    """Recognises Chinese, Latin and mixed text as not Uyghur Arabic script (the check can fail)."""
    assert _arabic_script_only("ئۇيغۇر")
    assert not _arabic_script_only("维吾尔")
    assert not _arabic_script_only("Uyghur")
    assert not _arabic_script_only("ئۇيغۇر 族")
    assert not _arabic_script_only("")


# --- hierarchy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("list_id", LISTS)
def test_parents_exist_and_hierarchy_has_two_levels(list_id: str) -> None:
    """Points every parent at a code of the same list that is itself at the top level."""
    code_list = codes.get(list_id)
    for code in code_list:
        if code.parent is not None:
            assert code.parent in code_list
            assert code_list[code.parent].parent is None


def test_parent_missing_from_the_list_is_refused() -> None:
    """Refuses to build a list whose code names a parent that is not in it."""
    with pytest.raises(Exception, match="parent"):
        CodeList(
            id="GOVPARTS-TEST 2-2020",
            title={"zh_Hans_CN": "测试", "en": "Test", "ug_CN": "سىناق"},
            version="2020",
            source="test",
            codes={"21": Code("21", "初婚", "First marriage", "تۇنجى نىكاھ", parent="20")},
        )


# --- GB/T 3304-1991 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "zh", "en", "ug"),
    [
        ("01", "汉族", "Han", "خەنزۇ"),
        ("02", "蒙古族", "Mongol", "موڭغۇل"),
        ("03", "回族", "Hui", "خۇيزۇ"),
        ("04", "藏族", "Tibetan", "زاڭزۇ"),
        ("05", "维吾尔族", "Uygur", "ئۇيغۇر"),
        ("17", "哈萨克族", "Kazak", "قازاق"),
        ("29", "柯尔克孜族", "Kirgiz", "قىرغىز"),
        ("38", "锡伯族", "Xibe", "شىبە"),
        ("41", "塔吉克族", "Tajik", "تاجىك"),
        ("43", "乌孜别克族", "Uzbek", "ئۆزبېك"),
        ("44", "俄罗斯族", "Russ", "رۇس"),
        ("50", "塔塔尔族", "Tatar", "تاتار"),
        ("56", "基诺族", "Jino", "جىنو"),
    ],
)
def test_ethnic_group_codes(code: str, zh: str, en: str, ug: str) -> None:
    """Pins the numeric codes of GB 3304-91 with their names, romanizations and Uyghur ethnonyms."""
    entry = codes.get("GB/T 3304")[code]
    assert (entry.zh, entry.en, entry.ug) == (zh, en, ug)


def test_ethnic_groups_are_in_the_standards_order() -> None:
    """Lists the 56 nationalities as 01–56 in order, then the practice codes 97 and 98."""
    numbers = [code.code for code in codes.get("GB/T 3304")]
    assert numbers == [f"{n:02d}" for n in range(1, 57)] + ["97", "98"]


def test_practice_codes_for_other_and_foreign_origin() -> None:
    """Has 97 for other and 98 for Chinese citizens of foreign origin, and nothing at 57 or 99."""
    ethnic = codes.get("GB/T 3304")
    assert ethnic["97"].zh == "其他"
    assert ethnic["98"].zh == "外国血统中国籍人士"
    assert "57" not in ethnic
    assert "99" not in ethnic


@pytest.mark.parametrize("row", _table1(), ids=lambda row: row["alpha"])
def test_ethnic_groups_match_the_standards_table(row: dict[str, str]) -> None:
    """Agrees with every row of GB 3304-91 table 1: name, romanization, letter code and number."""
    numeric = codes.get("GB/T 3304-1991")[row["numeric"]]
    alpha = codes.get("GB/T 3304-1991 字母代码")[row["alpha"]]
    assert numeric.zh == alpha.zh == row["name"]
    # For use abroad the standard writes 朝鲜族 as Korean and 藏族 as Tibetan (its note to §4).
    expected_en = {"Chosen": "Korean", "Zang": "Tibetan"}.get(row["romanization"], row["romanization"])
    assert numeric.en == alpha.en == expected_en


def test_letter_code_list_parallels_the_numeric_list() -> None:
    """Keeps the letter-code list in the numeric order with the same labels (56 codes, no 97/98)."""
    numeric = [c for c in codes.get("GB/T 3304-1991") if c.code not in ("97", "98")]
    alpha = list(codes.get("GB/T 3304-1991 字母代码"))
    assert [(c.zh, c.en, c.ug) for c in numeric] == [(c.zh, c.en, c.ug) for c in alpha]
    assert all(len(c.code) == 2 and c.code.isupper() and c.code.isalpha() for c in alpha)
    assert [codes.get("GB/T 3304-1991 字母代码")[a].zh for a in ("UG", "SU", "UZ", "ZA")] == [
        "维吾尔族",
        "水族",
        "乌孜别克族",
        "藏族",
    ]


def test_every_ethnic_label_is_unique() -> None:
    """Gives no two nationalities the same label in any language."""
    entries = list(codes.get("GB/T 3304"))
    for attribute in ("zh", "en", "ug"):
        labels = [getattr(entry, attribute) for entry in entries]
        assert len(set(labels)) == len(labels), attribute


# --- GB/T 4658-2006 -----------------------------------------------------------------------------


def test_schooling_stages_are_the_top_level() -> None:
    """Puts the stages 10, 20, 30, 40, 60, 70, 80 and 90 at the top of GB/T 4658-2006."""
    schooling = codes.get("GB/T 4658")
    top = [code.code for code in schooling.children(None)]
    assert top == ["10", "20", "30", "40", "60", "70", "80", "90"]
    assert schooling["20"].zh == "大学本科教育"
    assert schooling["30"].zh == "大学专科教育"
    assert schooling.children("90") == []


def test_schooling_leaves_belong_to_their_stage() -> None:
    """Makes each leaf a child of the stage with the same tens digit."""
    schooling = codes.get("GB/T 4658")
    for code in schooling:
        if code.code.endswith("0"):
            assert code.parent is None
        else:
            assert code.parent == code.code[0] + "0"


def test_schooling_codes_follow_the_standard() -> None:
    """Pins the leaves of GB/T 4658-2006, including the gaps at 24–27, 50, 72 and 82."""
    schooling = codes.get("GB/T 4658")
    assert [c.code for c in schooling.children("20")] == ["21", "22", "23", "28"]
    assert [c.code for c in schooling.children("70")] == ["71", "73"]
    assert [c.code for c in schooling.children("80")] == ["81", "83"]
    assert [c.code for c in schooling.children("40")] == [str(n) for n in range(41, 50)]
    assert schooling["11"].zh == "博士研究生毕业"
    assert schooling["28"].zh == "大学普通班毕业"
    assert schooling["47"].zh == "技工学校毕业"
    assert [a.code for a in schooling.ancestors("14")] == ["10"]
    for missing in ("24", "50", "72", "82", "99"):
        assert missing not in schooling


# --- GB/T 4762-1984, GB/T 2261.x ----------------------------------------------------------------


def test_political_affiliation_codes() -> None:
    """Pins GB/T 4762-1984: 01 party member … 11 台盟, 12 non-party democrat, 13 the masses."""
    politics = codes.get("GB/T 4762")
    assert [code.code for code in politics] == [f"{n:02d}" for n in range(1, 14)]
    assert politics["01"].zh == "中国共产党党员"
    assert politics["03"].zh == "中国共产主义青年团团员"
    assert politics["11"].zh == "台湾民主自治同盟盟员"
    assert politics["12"].zh == "无党派民主人士"
    assert politics["13"].zh == "群众"


def test_marital_status_codes_and_hierarchy() -> None:
    """Pins GB/T 2261.2-2003 and puts 初婚, 再婚 and 复婚 under 已婚."""
    marital = codes.get("GB/T 2261.2")
    assert [code.code for code in marital] == ["10", "20", "21", "22", "23", "30", "40", "90"]
    assert [code.zh for code in marital.children("20")] == ["初婚", "再婚", "复婚"]
    assert marital["40"].zh == "离婚"
    assert marital["90"].zh == "未说明的婚姻状况"


def test_sex_codes() -> None:
    """Pins GB/T 2261.1-2003: 0 unknown, 1 male, 2 female, 9 not stated."""
    sex = codes.get("GB/T 2261.1")
    assert [(c.code, c.zh) for c in sex] == [
        ("0", "未知的性别"),
        ("1", "男性"),
        ("2", "女性"),
        ("9", "未说明的性别"),
    ]


# --- secrecy and urgency ------------------------------------------------------------------------


def test_secrecy_levels_rank_by_position() -> None:
    """Orders the secrecy levels 秘密 < 机密 < 绝密, so a level's position is its rank."""
    secrecy = codes.get("GB/T 9704-2012 密级")
    assert [(c.code, c.zh) for c in secrecy] == [("MM", "秘密"), ("JM", "机密"), ("UM", "绝密")]
    rank = {code.code: position for position, code in enumerate(secrecy)}
    assert rank["UM"] > rank["JM"] > rank["MM"]
    assert secrecy["UM"].en == "Top secret"


def test_urgency_levels_rank_by_position() -> None:
    """Orders the document urgency levels 加急 < 特急 and leaves the telegram scale to the note."""
    urgency = codes.get("GB/T 9704-2012 紧急程度")
    assert [(c.code, c.zh) for c in urgency] == [("JJ", "加急"), ("TJ", "特急")]
    assert "特提" in urgency.note
    assert "平急" in urgency.note


# --- pydantic fields ----------------------------------------------------------------------------


class _Staff(BaseModel):
    ethnicity: Annotated[str, Coded("GB/T 3304")]
    schooling: Annotated[str, Coded("GB/T 4658")]
    secrecy: Annotated[str, Coded("GB/T 9704-2012 密级")] | None = None


def test_coded_field_accepts_codes_of_its_list() -> None:
    """Accepts members of each field's list."""
    staff = _Staff(ethnicity="05", schooling="21", secrecy="JM")
    assert (staff.ethnicity, staff.schooling, staff.secrecy) == ("05", "21", "JM")
    assert _Staff.model_validate_json('{"ethnicity": "98", "schooling": "90"}').secrecy is None


@pytest.mark.parametrize(
    ("data", "field", "code_list"),
    [
        ({"ethnicity": "57", "schooling": "21"}, "ethnicity", "GB/T 3304-1991"),
        ({"ethnicity": "5", "schooling": "21"}, "ethnicity", "GB/T 3304-1991"),
        ({"ethnicity": "UG", "schooling": "21"}, "ethnicity", "GB/T 3304-1991"),
        ({"ethnicity": "05", "schooling": "50"}, "schooling", "GB/T 4658-2006"),
        ({"ethnicity": "05", "schooling": "21", "secrecy": "秘密"}, "secrecy", "GB/T 9704-2012 密级"),
    ],
)
def test_coded_field_rejects_unknown_code_naming_the_list(
    data: dict[str, str], field: str, code_list: str
) -> None:
    """Rejects a value outside the list with UnknownCode naming the field and the list."""
    with pytest.raises(ValidationError) as caught:
        _Staff.model_validate(data)
    record = from_validation_error(caught.value)
    assert isinstance(record, InvalidRecord)
    [error] = record.errors
    assert isinstance(error, UnknownCode)
    assert error.field == field
    assert error.details["code_list"] == code_list
    assert code_list in error.message("en")


def test_coded_field_publishes_codes_and_labels_in_json_schema() -> None:
    """Shows the list's codes, id, version and three-language labels in the field's JSON Schema."""
    schema = _Staff.model_json_schema()["properties"]["ethnicity"]
    assert schema["enum"] == [code.code for code in codes.get("GB/T 3304")]
    assert schema["x-code-list"] == "GB/T 3304-1991"
    assert schema["x-code-list-version"] == "1991"
    assert schema["x-labels"]["05"] == {"zh": "维吾尔族", "en": "Uygur", "ug": "ئۇيغۇر"}
