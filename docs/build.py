"""Build the govparts documentation site in Chinese, English and Uyghur, with warnings as errors.

Usage (from the repository root)::

    uv run --group docs python docs/build.py            # check translations, build all three sites
    uv run --group docs python docs/build.py gettext    # after editing pages: refresh docs/locale/{en,ug}

``build`` (the default) first checks that every translatable paragraph of the Chinese source has
a finished (non-empty, non-fuzzy) translation in ``docs/locale/en`` and ``docs/locale/ug``, then runs,
for each language, the command the tox environment ``docs`` runs::

    sphinx-build -W --keep-going -n -b html docs docs/_build/html/zh_CN
    sphinx-build -W --keep-going -n -b html -D language=en docs docs/_build/html/en
    sphinx-build -W --keep-going -n -b html -D language=ug docs docs/_build/html/ug

and finally checks the Uyghur pages are marked right to left (``<html dir="rtl" lang="ug">``) and
the others are not. ``gettext`` extracts the source's messages to ``docs/_build/gettext`` and merges
them into the ``.po`` files with sphinx-intl: new paragraphs arrive empty, changed ones fuzzy with the
old translation as a hint; translate them and run ``build`` again.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
BUILD = DOCS / "_build"
LOCALE = DOCS / "locale"
LANGUAGES = ("zh_CN", "en", "ug")
TRANSLATIONS = ("en", "ug")
# The catalogs of Sphinx's and furo's interface strings ("Search", "Next"…): Uyghur (neither ships it)
# and Chinese (for furo's strings, which Sphinx's zh_CN catalog lacks). They are kept by hand, since
# the gettext builder sees only a few of the theme's strings, so ``gettext`` leaves them alone.
INTERFACE_CATALOGS = frozenset({"sphinx.po"})


def sphinx_build(builder: str, out: Path, language: str | None = None) -> int:
    """Run sphinx-build on the docs with warnings as errors and nitpicky references."""
    command = [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-n", "-q", "-b", builder]
    if language and language != "zh_CN":
        command += ["-D", f"language={language}"]
    command += [str(DOCS), str(out)]
    print("$", " ".join(command[2:]), flush=True)
    return subprocess.run(command, check=False).returncode


def _read_po(path: Path) -> object:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def untranslated(pot_dir: Path) -> list[str]:
    """Every message of the ``.pot`` files in ``pot_dir`` without a finished translation in en or ug."""
    problems = []
    for pot in sorted(pot_dir.rglob("*.pot")):
        name = pot.relative_to(pot_dir).with_suffix(".po")
        if name.as_posix() in INTERFACE_CATALOGS:
            continue
        template = _read_po(pot)
        for language in TRANSLATIONS:
            po = LOCALE / language / "LC_MESSAGES" / name
            catalog = _read_po(po) if po.exists() else None
            for message in template:  # type: ignore[attr-defined]
                if not message.id:
                    continue
                found = catalog.get(message.id, message.context) if catalog is not None else None  # type: ignore[attr-defined]
                if found is None or not found.string or found.fuzzy:
                    problems.append(f"{language}/{name.as_posix()}: {message.id[:100]!r}")
    return problems


def check_translations() -> int:
    """Extract the source's messages and report every one not translated into en and ug."""
    with tempfile.TemporaryDirectory() as tmp:
        if sphinx_build("gettext", Path(tmp)):
            return 1
        problems = untranslated(Path(tmp))
    for problem in problems:
        print("untranslated:", problem)
    if problems:
        print(f"{len(problems)} untranslated message(s); run `python docs/build.py gettext` and translate")
    return 1 if problems else 0


_HTML_TAG = re.compile(r"<html\b[^>]*>")


def check_direction(out: Path) -> list[str]:
    """Every built page whose ``<html>`` tag has the wrong language or direction."""
    problems = []
    for language in LANGUAGES:
        pages = sorted((out / language).rglob("*.html"))
        if not pages:
            problems.append(f"{language}: no pages built")
        for page in pages:
            match = _HTML_TAG.search(page.read_text(encoding="utf-8"))
            tag = match.group(0) if match else ""
            rtl = 'dir="rtl"' in tag
            right_lang = f'lang="{language.replace("_", "-")}"' in tag
            if rtl != (language == "ug") or not right_lang:
                problems.append(f"{page.relative_to(out)}: {tag!r}")
    return problems


def build() -> int:
    """Check the translations, build the three sites and check their writing direction."""
    status = check_translations()
    out = BUILD / "html"
    for language in LANGUAGES:
        status |= sphinx_build("html", out / language, language)
    problems = check_direction(out)
    for problem in problems:
        print("wrong <html> tag:", problem)
    if status or problems:
        print("documentation build FAILED")
        return 1
    print(f"documentation built in {out.relative_to(DOCS.parent)}/{{{','.join(LANGUAGES)}}}")
    return 0


def gettext() -> int:
    """Extract the source's messages and merge them into docs/locale/{en,ug} with sphinx-intl."""
    pot_dir = BUILD / "gettext"
    if sphinx_build("gettext", pot_dir):
        return 1
    for name in INTERFACE_CATALOGS:
        (pot_dir / name).with_suffix(".pot").unlink(missing_ok=True)
    # Pages with nothing to translate (the generated code list pages) need no catalog.
    for pot in pot_dir.rglob("*.pot"):
        if not any(message.id for message in _read_po(pot)):  # type: ignore[attr-defined]
            pot.unlink()
    command = [sys.executable, "-m", "sphinx_intl", "update", "-p", str(pot_dir), "-d", str(LOCALE)]
    command += ["-w", "0", "-j", "1", "--no-obsolete"]
    for language in TRANSLATIONS:
        command += ["-l", language]
    print("$", " ".join(command[2:]), flush=True)
    return subprocess.run(command, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="docs/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="build", choices=["build", "gettext", "check"])
    args = parser.parse_args(argv)
    if args.command == "gettext":
        return gettext()
    if args.command == "check":
        return check_translations()
    return build()


if __name__ == "__main__":
    sys.exit(main())
