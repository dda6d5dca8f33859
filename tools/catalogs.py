"""Message catalogs of the govparts packages: extract, merge, check and compile.

Every user-visible message in govparts is an English message id marked in the code with ``N_("...")``
(or ``_("...")``). Each package has one gettext domain, ``govparts-<package>``, whose catalogs live
beside its code::

    packages/<package>/src/govparts/<package>/locale/
        messages.pot                                   template, extracted from the code
        zh_Hans_CN/LC_MESSAGES/govparts-<package>.po   Chinese (simplified)
        ug_CN/LC_MESSAGES/govparts-<package>.po        Uyghur (Arabic script)

English needs no catalog: the message ids are English.

Commands (a package is a folder name under ``packages/``; none given means every package)::

    uv run python tools/catalogs.py update core        # extract, write messages.pot, merge into the .po files
    uv run python tools/catalogs.py check core cli     # exit 1 listing every untranslated or broken message
                                                       # (also spelled ``--check``)
    uv run python tools/catalogs.py compile core       # write the .mo files in place (gitignored)

``update`` keeps every existing translation, adds new message ids with an empty translation and
keeps ids that left the code as obsolete (``#~``) entries, so a translation comes back if its id
does. A file is rewritten only when its messages change, so the headers' dates do not churn.

``check`` compares the code itself (not the last ``update``) with the catalogs and reports, for
each of ``zh_Hans_CN`` and ``ug_CN``, every message id that has no translation, a fuzzy one, a
translation whose placeholders (``{field}``, ``{got}``…) differ from the id's, or a translation with
no character of the locale's script (a Chinese translation without Han characters, a Uyghur one
without Arabic letters: an English text pasted in by mistake).

After changing a catalog, run ``compile`` (or ``uv sync --reinstall-package govparts-<package>``,
whose build hook does the same) so that the editable install serves the new translations.
"""

from __future__ import annotations

import argparse
import io
import re
import string
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "packages"
LOCALES: tuple[str, ...] = ("zh_Hans_CN", "ug_CN")
KEYWORDS = {"N_": None, "_": None}
COMMENT_TAGS = ("Translators:",)

# Characters that show a translation is written in the locale's own script.
_SCRIPT = {
    "zh_Hans_CN": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]"),
    "ug_CN": re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]"),
}
_DATE_HEADERS = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): [^"]*\\n"$', re.MULTILINE)


@dataclass(frozen=True)
class Problem:
    """One message that keeps a package's catalogs from being complete."""

    package: str
    locale: str
    msgid: str
    reason: str

    def __str__(self) -> str:
        return f"{self.package} {self.locale}: {self.reason}: {self.msgid!r}"


def domain_name(package: str) -> str:
    """The gettext domain of ``package``: ``govparts-core`` for ``core``."""
    return f"govparts-{package}"


def source_dir(package: str) -> Path:
    """The import package folder of ``package``: ``packages/core/src/govparts/core``."""
    return PACKAGES / package / "src" / "govparts" / package


def locale_dir(package: str) -> Path:
    """The ``locale`` folder of ``package``."""
    return source_dir(package) / "locale"


def po_path(package: str, locale: str) -> Path:
    """The ``.po`` catalog of ``package`` in ``locale``."""
    return locale_dir(package) / locale / "LC_MESSAGES" / f"{domain_name(package)}.po"


def all_packages() -> list[str]:
    """Every package under ``packages/`` that has an import package of its own name."""
    return sorted(p.name for p in PACKAGES.iterdir() if source_dir(p.name).is_dir())


def _version(package: str) -> str:
    import tomllib

    pyproject = PACKAGES / package / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError):
        return "0"


def _keep_directory(path: str) -> bool:
    name = Path(path).name
    return name != "__pycache__" and not name.startswith(".")


def extract(package: str) -> Catalog:
    """The message template of ``package``: every ``N_``/``_`` message id in its source, with locations."""
    src = source_dir(package)
    if not src.is_dir():
        raise SystemExit(f"no package {package!r}: {src} does not exist")
    template = _new_catalog(package, None)
    found = extract_from_dir(
        src,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=_keep_directory,
    )
    base = src.parent.parent.parent
    for filename, lineno, message, comments, context in found:
        if not isinstance(message, str) or not message:
            continue
        location = (Path(src, filename).relative_to(base).as_posix(), lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def _new_catalog(package: str, locale: str | None) -> Catalog:
    language = {None: "Template", "zh_Hans_CN": "Chinese (Simplified)", "ug_CN": "Uyghur"}[locale]
    return Catalog(
        locale=locale,
        domain=domain_name(package),
        header_comment=(
            f"# {language} messages of {domain_name(package)}.\n"
            "# Copyright (C) govparts contributors\n"
            "# Distributed under the same license as govparts (Apache-2.0)."
        ),
        project=domain_name(package),
        version=_version(package),
        copyright_holder="govparts contributors",
        msgid_bugs_address="govparts contributors",
        last_translator="govparts contributors",
        language_team=f"govparts {locale}" if locale else "govparts",
        fuzzy=False,
    )


def _render(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, sort_by_file=True, include_lineno=False, ignore_obsolete=False)
    return out.getvalue()


def _write_if_changed(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` to ``path`` unless only its dates would change; True when written."""
    content = _render(catalog)
    if path.exists() and _DATE_HEADERS.sub(b"", path.read_bytes()) == _DATE_HEADERS.sub(b"", content):
        return False
    if catalog.locale is not None:
        catalog.revision_date = datetime.now(UTC)
        content = _render(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def _read(path: Path, locale: str, package: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=domain_name(package))


def update(package: str) -> list[Path]:
    """Extract ``package``'s messages and merge them into its catalogs; returns the files rewritten."""
    template = extract(package)
    changed: list[Path] = []
    pot = locale_dir(package) / "messages.pot"
    if _write_if_changed(pot, template):
        changed.append(pot)
    for locale in LOCALES:
        path = po_path(package, locale)
        if path.exists():
            catalog = _read(path, locale, package)
            # Bring obsolete entries back so a message id that returns to the code keeps its translation.
            for message in list(catalog.obsolete.values()):
                catalog[message.id] = message
            catalog.obsolete.clear()
        else:
            catalog = _new_catalog(package, locale)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.version = template.version
        if _write_if_changed(path, catalog):
            changed.append(path)
    return changed


def placeholders(text: str) -> list[str]:
    """The names of the ``str.format`` fields of ``text``, sorted, each once (``{field}`` gives ``field``).

    A translation may name a field twice or in another order, but must name the same fields.
    Raises ``ValueError`` when ``text`` is not a valid format string (an unmatched brace).
    """
    return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name is not None})


def _words(text: str) -> str:
    return re.sub(r"\{[^{}]*\}", "", text)


def check_message(package: str, locale: str, msgid: str, message: Message | None) -> list[Problem]:
    """What is wrong with the translation ``message`` of ``msgid`` (an empty list when nothing is)."""
    if message is None or not isinstance(message.string, str) or not message.string:
        return [Problem(package, locale, msgid, "untranslated")]
    if message.fuzzy:
        return [Problem(package, locale, msgid, "fuzzy translation")]
    problems = []
    translation = message.string
    try:
        if placeholders(translation) != placeholders(msgid):
            problems.append(Problem(package, locale, msgid, f"placeholders differ in {translation!r}"))
    except ValueError as exc:
        problems.append(Problem(package, locale, msgid, f"broken format string {translation!r} ({exc})"))
    if re.search(r"[A-Za-z]", _words(msgid)) and not _SCRIPT[locale].search(_words(translation)):
        problems.append(
            Problem(package, locale, msgid, f"translation {translation!r} is not in the locale's script")
        )
    return problems


def check(package: str) -> list[Problem]:
    """Every message id in ``package``'s code that lacks a sound translation in zh_Hans_CN or ug_CN."""
    template = extract(package)
    problems: list[Problem] = []
    for locale in LOCALES:
        path = po_path(package, locale)
        catalog = _read(path, locale, package) if path.exists() else None
        for message in template:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            found = catalog.get(msgid, message.context) if catalog is not None else None
            problems.extend(check_message(package, locale, msgid, found))
    return problems


def compile_catalogs(package: str) -> list[Path]:
    """Compile ``package``'s ``.po`` files to ``.mo`` beside them (as the build hook does); returns them."""
    written = []
    for po in sorted(locale_dir(package).glob("*/LC_MESSAGES/*.po")):
        catalog = _read(po, po.parent.parent.name, package)
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != out.getvalue():
            mo.write_bytes(out.getvalue())
        written.append(mo)
    return written


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _packages(names: Sequence[str]) -> list[str]:
    known = all_packages()
    for name in names:
        if name not in known:
            raise SystemExit(f"unknown package {name!r}; known: {', '.join(known)}")
    return list(names) or known


def main(argv: Iterable[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="catalogs.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "check", "compile"])
    parser.add_argument("packages", nargs="*", help="package folder names under packages/ (default: all)")
    given = list(argv) if argv is not None else sys.argv[1:]
    # ``--check`` is accepted as a spelling of the ``check`` command.
    given = ["check" if item == "--check" else item for item in given]
    args = parser.parse_args(given)
    packages = _packages(args.packages)
    if args.command == "update":
        for package in packages:
            for path in update(package):
                print(f"wrote {_shown(path)}")
        return 0
    if args.command == "compile":
        for package in packages:
            for path in compile_catalogs(package):
                print(f"compiled {_shown(path)}")
        return 0
    problems = [problem for package in packages for problem in check(package)]
    for problem in problems:
        print(problem)
    total = {package: len([m for m in extract(package) if m.id]) for package in packages}
    summary = ", ".join(f"{package}: {count} messages" for package, count in total.items())
    print(f"{len(problems)} problem(s); {summary}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
