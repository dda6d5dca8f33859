"""Locales, the current-locale context, message catalogs and locale-aware formatting."""

from __future__ import annotations

import asyncio
import contextvars
import re
import threading
from datetime import date
from decimal import Decimal

import pytest

from govparts.core import i18n
from govparts.core.errors import GovPartsError, UnknownCode, UnsupportedLocale

HAN = re.compile(r"[\u4e00-\u9fff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
ENVIRONMENT = ("GOVPARTS_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove the locale variables of the machine running the tests."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("zh", "zh_Hans_CN"),
        ("zh-CN", "zh_Hans_CN"),
        ("zh_CN", "zh_Hans_CN"),
        ("zh_Hans_CN", "zh_Hans_CN"),
        ("zh-Hans", "zh_Hans_CN"),
        ("zh_CN.UTF-8", "zh_Hans_CN"),
        ("ug", "ug_CN"),
        ("ug_CN", "ug_CN"),
        ("ug-Arab-CN", "ug_CN"),
        ("ug_CN.UTF-8", "ug_CN"),
        ("en", "en"),
        ("en_US", "en"),
        ("en-GB", "en"),
        ("en_US.UTF-8@euro", "en"),
    ],
)
def test_normalize_locale_accepts_posix_and_bcp47_names(given: str, expected: str) -> None:
    """Maps POSIX and BCP 47 spellings of the three supported locales to their canonical names."""
    assert i18n.normalize_locale(given) == expected


@pytest.mark.parametrize("given", ["fr", "fr_FR.UTF-8", "zh_TW", "ug_Cyrl", "", "english"])
def test_normalize_locale_rejects_unsupported_locale_naming_the_field(given: str) -> None:
    """Raises UnsupportedLocale naming the field, the value and the supported locales."""
    with pytest.raises(UnsupportedLocale) as caught:
        i18n.normalize_locale(given)
    err = caught.value
    assert isinstance(err, ValueError)
    assert err.code == "unsupported-locale"
    assert err.field == "locale"
    assert err.details["got"] == given
    assert err.details["allowed"] == list(i18n.SUPPORTED_LOCALES)
    assert err.message("en").startswith(f"locale: {given!r} is not a supported locale")


def test_default_locale_is_simplified_chinese() -> None:
    """Speaks zh_Hans_CN when nothing else is set."""
    assert i18n.get_locale() == "zh_Hans_CN" == i18n.DEFAULT_LOCALE


def _fail_in_locale(locale: str, expected: str) -> None:
    with i18n.use_locale(locale):
        assert i18n.get_locale() == expected
        raise KeyError(locale)


def test_use_locale_nests_and_restores() -> None:
    """Restores the outer locale when an inner block ends, also after an exception."""
    with i18n.use_locale("ug") as outer:
        assert outer == "ug_CN"
        with i18n.use_locale("en-US") as inner:
            assert inner == i18n.get_locale() == "en"
        assert i18n.get_locale() == "ug_CN"
        with pytest.raises(KeyError):
            _fail_in_locale("zh", "zh_Hans_CN")
        assert i18n.get_locale() == "ug_CN"
        with i18n.use_locale(None) as kept:
            assert kept == "ug_CN"
    assert i18n.get_locale() == "zh_Hans_CN"


def test_use_locale_rejects_unsupported_locale_without_changing_the_current_one() -> None:
    """Leaves the current locale untouched when asked for one it does not speak."""
    with i18n.use_locale("en"):
        with pytest.raises(UnsupportedLocale), i18n.use_locale("de"):
            pass
        assert i18n.get_locale() == "en"


def test_threads_do_not_share_the_current_locale() -> None:
    """Keeps each thread's locale to itself: a new thread starts from the default."""
    seen: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def speak(name: str, locale: str) -> None:
        seen[f"{name}-before"] = i18n.get_locale()
        with i18n.use_locale(locale):
            barrier.wait(timeout=5)
            seen[name] = i18n.get_locale()
            barrier.wait(timeout=5)

    with i18n.use_locale("en"):
        threads = [
            threading.Thread(target=speak, args=("a", "ug")),
            threading.Thread(target=speak, args=("b", "zh")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert i18n.get_locale() == "en"
    assert seen == {"a-before": "zh_Hans_CN", "b-before": "zh_Hans_CN", "a": "ug_CN", "b": "zh_Hans_CN"}


def test_copied_context_sees_the_locale_but_does_not_leak_changes_back() -> None:
    """Passes the locale into a copied context; a change made there stays there."""
    with i18n.use_locale("ug"):
        context = contextvars.copy_context()

    def inside() -> tuple[str, str]:
        before = i18n.get_locale()
        i18n.set_locale("en")
        return before, i18n.get_locale()

    assert context.run(inside) == ("ug_CN", "en")
    assert i18n.get_locale() == "zh_Hans_CN"


def test_concurrent_tasks_each_keep_their_locale() -> None:
    """Keeps interleaved asyncio tasks apart: each renders messages in its own locale."""
    err = UnknownCode(field="sex", got="3", code_list="GB/T 2261.1-2003")

    async def render(locale: str) -> list[str]:
        out = []
        with i18n.use_locale(locale):
            for _ in range(3):
                await asyncio.sleep(0)
                out.append(str(err))
        return out

    async def main() -> list[list[str]]:
        return list(await asyncio.gather(render("zh"), render("ug"), render("en")))

    zh, ug, en = asyncio.run(main())
    assert len(set(zh)) == len(set(ug)) == len(set(en)) == 1
    assert HAN.search(zh[0])
    assert ARABIC.search(ug[0])
    assert en[0] == "sex: '3' is not a code of GB/T 2261.1-2003"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "ug_CN.UTF-8"}, "ug_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"GOVPARTS_LOCALE": "en", "LANG": "ug_CN.UTF-8"}, "en"),
        ({"GOVPARTS_LOCALE": "ug", "LC_ALL": "en_US.UTF-8"}, "ug_CN"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "ug_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "ug_CN", "LANG": "en_US"}, "ug_CN"),
        ({"LANG": "C"}, "zh_Hans_CN"),
        ({"LANG": "POSIX"}, "zh_Hans_CN"),
        ({"LC_ALL": "C.UTF-8", "LANG": "ug_CN.UTF-8"}, "ug_CN"),
        ({"LC_ALL": "POSIX", "LANG": "en_US"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "zh_Hans_CN"),
        ({"GOVPARTS_LOCALE": "de", "LANG": "ug_CN.UTF-8"}, "ug_CN"),
    ],
)
def test_environment_chooses_the_default_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    """Takes the default from GOVPARTS_LOCALE, LC_ALL, LC_MESSAGES, then LANG, skipping C, POSIX, unknowns."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.get_locale() == expected


def test_use_locale_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prefers the locale of the enclosing use_locale block to the environment's."""
    monkeypatch.setenv("GOVPARTS_LOCALE", "ug")
    with i18n.use_locale("en"):
        assert i18n.get_locale() == "en"
    assert i18n.get_locale() == "ug_CN"


def test_direction_is_right_to_left_only_for_uyghur() -> None:
    """Reports rtl for Uyghur and ltr for Chinese and English, by argument or current locale."""
    assert i18n.direction("ug") == i18n.direction("ug_CN.UTF-8") == "rtl"
    assert i18n.direction("zh") == i18n.direction("en") == "ltr"
    assert i18n.direction() == "ltr"
    with i18n.use_locale("ug"):
        assert i18n.direction() == "rtl"
    with pytest.raises(UnsupportedLocale):
        i18n.direction("ar")


def test_isolate_wraps_text_in_directional_isolates() -> None:
    """Wraps Uyghur in RLI…PDI and Chinese or English in LRI…PDI (Unicode UAX #9 isolates)."""
    assert i18n.isolate("ئەر", "ug") == "\u2067ئەر\u2069"
    assert i18n.isolate("男性", "zh") == "\u2066男性\u2069"
    assert i18n.isolate("Male", "en") == "\u2066Male\u2069"
    with i18n.use_locale("ug"):
        assert i18n.isolate("ئايال") == "\u2067ئايال\u2069"


def test_core_catalogs_are_installed_for_chinese_and_uyghur() -> None:
    """Finds compiled core catalogs for both translated locales."""
    assert i18n.CORE.name == "govparts-core"
    assert i18n.CORE.has_catalog("zh_Hans_CN")
    assert i18n.CORE.has_catalog("ug_CN")
    assert not i18n.CORE.has_catalog("fr")


def test_error_message_differs_per_locale_and_uses_each_script() -> None:
    """Renders one error in Chinese (Han), Uyghur (Arabic script) and English, all naming field and value."""
    err = UnknownCode(field="sex", got="3", code_list="GB/T 2261.1-2003")
    zh, ug, en = (err.message(loc) for loc in ("zh_Hans_CN", "ug_CN", "en"))
    assert len({zh, ug, en}) == 3
    assert HAN.search(zh)
    assert not ARABIC.search(zh)
    assert ARABIC.search(ug)
    assert not HAN.search(ug)
    assert en == "sex: '3' is not a code of GB/T 2261.1-2003"
    for text in (zh, ug, en):
        assert text.startswith("sex")
        assert "'3'" in text
        assert "GB/T 2261.1-2003" in text


def test_error_str_follows_the_current_locale() -> None:
    """Renders str(error) in the locale current when it is read, not when it was raised."""
    err = UnsupportedLocale(field="locale", got="fr", allowed=list(i18n.SUPPORTED_LOCALES))
    with i18n.use_locale("ug"):
        assert str(err) == err.message("ug_CN")
        assert ARABIC.search(str(err))
    assert str(err) == err.message("zh_Hans_CN")
    assert HAN.search(str(err))
    assert (
        err.to_dict("en")["message"]
        == "locale: 'fr' is not a supported locale (supported: zh_Hans_CN, ug_CN, en)"
    )


def test_untranslated_message_falls_back_to_english() -> None:
    """Shows the English message id when a catalog has no translation for it."""
    err = GovPartsError("{field}: a message no catalog knows ({got})", field="x", got="1")
    assert err.message("ug_CN") == err.message("zh_Hans_CN") == "x: a message no catalog knows ('1')"


def test_domain_of_an_unknown_package_translates_nothing() -> None:
    """Returns message ids unchanged from a domain without catalogs."""
    empty = i18n.Domain("govparts-nothing", i18n.CORE.localedir)
    assert not empty.has_catalog("ug_CN")
    assert empty.gettext("{field}: a value is required", "ug_CN") == "{field}: a value is required"


def test_format_currency_in_each_locale() -> None:
    """Formats CNY with two decimals, grouping and the locale's yuan sign."""
    amount = Decimal("1234.5")
    assert i18n.format_currency(amount, locale="zh_Hans_CN") == "¥1,234.50"
    assert i18n.format_currency(amount, locale="en") == "CN¥1,234.50"
    ug = i18n.format_currency(amount, locale="ug_CN")
    assert "1,234.50" in ug
    assert re.search("[¥￥]", ug)
    with i18n.use_locale("en"):
        assert i18n.format_currency(Decimal("-0.05")) == "-CN¥0.05"


def test_format_date_in_each_locale() -> None:
    """Writes a date in each locale's own pattern: 年月日, Uyghur month names, English month names."""
    day = date(2024, 10, 1)
    assert i18n.format_date(day, locale="zh_Hans_CN") == "2024年10月1日"
    assert i18n.format_date(day, locale="en") == "Oct 1, 2024"
    assert i18n.format_date(day, locale="en", fmt="long") == "October 1, 2024"
    ug = i18n.format_date(day, locale="ug_CN", fmt="long")
    assert "ئۆكتەبىر" in ug
    assert "2024" in ug
    with i18n.use_locale("zh"):
        assert i18n.format_date(day, fmt="short") == "2024/10/1"


def test_format_decimal_in_each_locale() -> None:
    """Groups thousands and keeps every decimal digit in all three locales."""
    for locale in i18n.SUPPORTED_LOCALES:
        assert i18n.format_decimal(Decimal("1234567.891"), locale=locale) == "1,234,567.891"
    with pytest.raises(UnsupportedLocale):
        i18n.format_decimal(1, locale="xx")
