"""Every user-visible message of every package is translated, and the catalog tool works.

The first tests run ``tools/catalogs.py check`` on each package under ``packages/``: a message id
added to the code without a Chinese and a Uyghur translation (or with a translation whose
placeholders differ) fails here. The rest exercise the tool on a package built in a temporary folder,
and check the documentation site's translations.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("govparts_tools_catalogs", ROOT / "tools" / "catalogs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


catalogs = _load_tool()
PACKAGES = catalogs.all_packages()


@pytest.mark.parametrize("package", PACKAGES)
def test_every_message_is_translated(package: str) -> None:
    """Finds a sound Chinese and Uyghur translation for every message id in the package's code."""
    problems = [str(p) for p in catalogs.check(package)]
    assert not problems, (
        f"run `uv run python tools/catalogs.py update {package}`, translate, then "
        f"`uv run python tools/catalogs.py compile {package}`:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("package", PACKAGES)
def test_installed_catalogs_match_the_po_files(package: str) -> None:
    """Serves, through the installed package, exactly the translations its .po files hold."""
    from govparts.core.i18n import domain

    importlib.import_module(f"govparts.{package}")
    messages = domain(catalogs.domain_name(package), f"govparts.{package}")
    stale = []
    for locale in catalogs.LOCALES:
        path = catalogs.po_path(package, locale)
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            translated = message.id and message.string and not message.fuzzy
            if translated and messages.gettext(message.id, locale) != message.string:
                stale.append(f"{locale}: {message.id!r}")
    assert not stale, (
        f"the compiled catalogs are stale; run `uv run python tools/catalogs.py compile {package}`:\n"
        + "\n".join(stale)
    )


def test_domain_names_follow_the_package() -> None:
    """Names each package's domain govparts-<package> and finds core among the packages."""
    assert "core" in PACKAGES
    assert catalogs.domain_name("cli") == "govparts-cli"
    assert (
        catalogs.po_path("core", "ug_CN")
        .as_posix()
        .endswith("packages/core/src/govparts/core/locale/ug_CN/LC_MESSAGES/govparts-core.po")
    )


@pytest.mark.parametrize(
    ("msgid", "translation", "reason"),
    [
        ("{field}: text is too long", "", "untranslated"),
        ("{field}: text is too long", "{field}: تېكىست بەك ئۇزۇن", None),
        ("{field}: {got} is not a code of {code_list}", "{field}: {got} كود ئەمەس", "placeholders differ"),
        ("{field}: expected {expected}", "{field}: {got} بولۇشى كېرەك", "placeholders differ"),
        ("{field}: expected {expected}", "{field}: {expected بولۇشى كېرەك", "broken format string"),
        ("{field}: text is too long", "{field}: text is too long", "not in the locale's script"),
        ("{field}: {reason}", "{field}: {reason}", None),
    ],
)
def test_check_message_judges_a_uyghur_translation(msgid: str, translation: str, reason: str | None) -> None:
    """Reports missing translations, placeholder mismatches, broken braces and untranslated English."""
    problems = catalogs.check_message("core", "ug_CN", msgid, Message(msgid, translation))
    if reason is None:
        assert problems == []
    else:
        assert [reason in p.reason for p in problems] == [True]


def test_check_message_reports_fuzzy_and_absent_entries() -> None:
    """Counts a fuzzy translation and a missing entry as untranslated."""
    fuzzy = Message("{field}: text is too long", "{field}：文本太长", flags=["fuzzy"])
    assert [p.reason for p in catalogs.check_message("core", "zh_Hans_CN", fuzzy.id, fuzzy)] == [
        "fuzzy translation"
    ]
    assert [p.reason for p in catalogs.check_message("core", "zh_Hans_CN", "x {a}", None)] == ["untranslated"]
    wrong_script = Message("{field}: text is too long", "{field}: تېكىست بەك ئۇزۇن")
    assert catalogs.check_message("core", "zh_Hans_CN", wrong_script.id, wrong_script)


def test_placeholders_lists_format_fields() -> None:
    """Lists the str.format fields of a message, sorted, and rejects an unmatched brace."""
    assert catalogs.placeholders("{field}: {got} is not {expected} ({clause})") == [
        "clause",
        "expected",
        "field",
        "got",
    ]
    assert catalogs.placeholders("no fields, {{literal}} braces") == []
    assert catalogs.placeholders("{got} twice: {got}") == ["got"]
    with pytest.raises(ValueError, match="unmatched"):
        catalogs.placeholders("{field: broken")


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package ``sample`` in a temporary packages folder, with two marked messages."""
    src = tmp_path / "sample" / "src" / "govparts" / "sample"
    (src / "sub").mkdir(parents=True)
    (src / "__pycache__").mkdir()
    (tmp_path / "sample" / "pyproject.toml").write_text(
        '[project]\nname = "govparts-sample"\nversion = "1.2"\n'
    )
    (src / "_rules.py").write_text(
        "from govparts.core.i18n import N_\n"
        "A = N_('{field}: first message {got}')\n"
        "B = _('{field}: second message')\n"
        "C = N_(some_variable)\n"
        "for _ in range(2):\n    pass\n"
    )
    (src / "sub" / "more.py").write_text(
        "# Translators: the unit is a government office\nX = N_('unit {name}')\n"
    )
    (src / "__pycache__" / "junk.py").write_text("X = N_('never extracted')\n")
    monkeypatch.setattr(catalogs, "PACKAGES", tmp_path)
    return src


def _po(src: Path, locale: str) -> Path:
    return src / "locale" / locale / "LC_MESSAGES" / "govparts-sample.po"


def _read(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def test_extract_finds_marked_literals_only(sample: Path) -> None:
    """Extracts N_ and _ string literals with their file and translator comments, skipping caches."""
    template = catalogs.extract("sample")
    ids = sorted(m.id for m in template if m.id)
    assert ids == ["unit {name}", "{field}: first message {got}", "{field}: second message"]
    assert template["unit {name}"].auto_comments == ["the unit is a government office"]
    assert template["unit {name}"].locations == [("src/govparts/sample/sub/more.py", 2)]
    assert template.domain == "govparts-sample"


def test_update_creates_merges_and_keeps_translations(sample: Path) -> None:
    """Creates empty catalogs, keeps translations, marks removed ids obsolete and revives returning ones."""
    written = catalogs.update("sample")
    assert sorted(p.name for p in written) == ["govparts-sample.po", "govparts-sample.po", "messages.pot"]
    assert all(_read(_po(sample, loc)).get("unit {name}") == "" for loc in catalogs.LOCALES)
    assert len(catalogs.check("sample")) == 6

    ug = _po(sample, "ug_CN")
    ug.write_text(
        ug.read_text(encoding="utf-8").replace(
            'msgid "unit {name}"\nmsgstr ""', 'msgid "unit {name}"\nmsgstr "{name} ئورنى"'
        ),
        encoding="utf-8",
    )
    assert catalogs.update("sample") == []

    (sample / "sub" / "more.py").write_text("Y = N_('office {name}')\n")
    changed = catalogs.update("sample")
    assert ug in changed
    assert "unit {name}" not in _read(ug)
    text = ug.read_text(encoding="utf-8")
    assert '#~ msgid "unit {name}"' in text
    assert _read(ug)["office {name}"] == ""

    (sample / "sub" / "more.py").write_text("X = N_('unit {name}')\n")
    catalogs.update("sample")
    assert _read(ug)["unit {name}"] == "{name} ئورنى"
    assert not [p for p in catalogs.check("sample") if p.locale == "ug_CN" and p.msgid == "unit {name}"]


def test_check_is_clean_once_everything_is_translated(sample: Path) -> None:
    """Passes a package whose every message is translated, and compile writes loadable .mo files."""
    catalogs.update("sample")
    translations = {
        "zh_Hans_CN": {
            "{field}: first message {got}": "{field}：第一条消息 {got}",
            "{field}: second message": "{field}：第二条消息",
            "unit {name}": "单位 {name}",
        },
        "ug_CN": {
            "{field}: first message {got}": "{field}: بىرىنچى ئۇچۇر {got}",
            "{field}: second message": "{field}: ئىككىنچى ئۇچۇر",
            "unit {name}": "{name} ئورنى",
        },
    }
    for locale, table in translations.items():
        path = _po(sample, locale)
        text = path.read_text(encoding="utf-8")
        for msgid, msgstr in table.items():
            text = text.replace(f'msgid "{msgid}"\nmsgstr ""', f'msgid "{msgid}"\nmsgstr "{msgstr}"')
        path.write_text(text, encoding="utf-8")
    assert catalogs.check("sample") == []
    assert catalogs.main(["check", "sample"]) == 0

    compiled = catalogs.compile_catalogs("sample")
    assert sorted(p.parent.parent.name for p in compiled) == ["ug_CN", "zh_Hans_CN"]
    from govparts.core.i18n import Domain

    messages = Domain("govparts-sample", sample / "locale")
    assert messages.gettext("unit {name}", "ug_CN") == "{name} ئورنى"
    assert messages.gettext("unit {name}", "zh_Hans_CN") == "单位 {name}"
    assert messages.gettext("unit {name}", "en") == "unit {name}"


def test_main_check_lists_problems_and_fails(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Prints each untranslated message and exits 1; an unknown package name stops the command."""
    assert catalogs.main(["update", "sample"]) == 0
    assert catalogs.main(["check", "sample"]) == 1
    out = capsys.readouterr().out
    assert "sample ug_CN: untranslated: 'unit {name}'" in out
    assert "6 problem(s); sample: 3 messages" in out
    assert catalogs.main(["--check", "sample"]) == 1
    with pytest.raises(SystemExit, match="unknown package 'nope'"):
        catalogs.main(["check", "nope"])


DOCS_LOCALE = ROOT / "docs" / "locale"
DOCS_PO = sorted(DOCS_LOCALE.glob("*/LC_MESSAGES/**/*.po"))
# Sphinx's and furo's interface strings: English needs no catalog, Uyghur has one kept by hand.
INTERFACE = Path("LC_MESSAGES/sphinx.po")
_SCRIPT = {
    "ug": re.compile(r"[\u0600-\u06ff]"),
    "en": re.compile(r"[A-Za-z]"),
    "zh_CN": re.compile(r"[\u4e00-\u9fff]"),
}
_HAN = _SCRIPT["zh_CN"]
_FOREIGN_LETTERS = re.compile(r"[\u0400-\u04ff]")  # Cyrillic look-alikes slipped into Arabic or Latin words


def _pages(lang: str) -> set[Path]:
    root = DOCS_LOCALE / lang
    return {p.relative_to(root) for p in DOCS_PO if p.is_relative_to(root)} - {INTERFACE}


def test_documentation_has_english_and_uyghur_catalogs() -> None:
    """Finds the same page catalogs for English and Uyghur, and the Uyghur and Chinese interface catalogs."""
    assert _pages("en")
    assert _pages("en") == _pages("ug")
    assert (DOCS_LOCALE / "ug" / INTERFACE).is_file()
    assert (DOCS_LOCALE / "zh_CN" / INTERFACE).is_file()


@pytest.mark.parametrize("path", DOCS_PO, ids=lambda p: p.relative_to(DOCS_LOCALE).as_posix())
def test_documentation_translation_is_complete(path: Path) -> None:
    """Translates every paragraph of the documentation, none fuzzy, in the target language's script."""
    lang = path.relative_to(DOCS_LOCALE).parts[0]
    with path.open("rb") as handle:
        catalog = read_po(handle)
    bad = []
    for message in catalog:
        if not message.id:
            continue
        if not message.string or message.fuzzy:
            bad.append(f"untranslated: {message.id!r}")
        elif (lang == "zh_CN" or _HAN.search(message.id)) and not _SCRIPT[lang].search(message.string):
            bad.append(f"not in {lang}: {message.string!r}")
        elif _FOREIGN_LETTERS.search(message.string):
            bad.append(f"Cyrillic letter in: {message.string!r}")
        elif any(message.id.count(mark) != message.string.count(mark) for mark in ("``", "**", ":doc:`")):
            bad.append(f"markup differs (literals, bold or :doc: links): {message.string!r}")
    assert not bad, "\n".join(bad)
