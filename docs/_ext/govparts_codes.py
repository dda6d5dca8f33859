"""Sphinx extension: one page per govparts code list, generated from the lists' own data.

When a build starts, the extension asks :func:`govparts.core.codes.all_lists` for every code list
(core's and each installed part's) and writes ``codes/lists/<slug>.rst`` for each; a file is
rewritten only when it changes and files of lists that no longer exist are removed. Each page
holds a single ``govparts-code-list`` directive, which renders, in the language of the build:

* the list's id and title as the page title;
* its metadata (id, title, version, source, note, whether it is closed, the distribution that ships it);
* a table of the codes with their Chinese, English and Uyghur labels, and the parent and validity
  columns when the list uses them.

The rendered nodes carry no source text, so the gettext builder does not extract them: the labels
come from the code list data in every language, not from the documentation catalogs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

FOLDER = Path("codes") / "lists"

# Labels of the rendered page, per build language (the source language is zh_CN).
LABELS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "id": "标识",
        "title": "名称",
        "version": "版本",
        "source": "来源",
        "note": "说明",
        "closed": "封闭列表",
        "closed_yes": "是：字段只接受列表中的代码",
        "closed_no": "否：列表可以扩充",
        "owner": "提供者",
        "count": "代码数",
        "code": "代码",
        "zh": "中文",
        "en": "英文",
        "ug": "维吾尔文",
        "parent": "上级代码",
        "valid_from": "启用日期",
        "valid_to": "停用日期",
        "codes": "代码",
    },
    "en": {
        "id": "Identifier",
        "title": "Title",
        "version": "Version",
        "source": "Source",
        "note": "Note",
        "closed": "Closed list",
        "closed_yes": "yes: a field accepts only the codes listed",
        "closed_no": "no: the list may be extended",
        "owner": "Provided by",
        "count": "Number of codes",
        "code": "Code",
        "zh": "Chinese",
        "en": "English",
        "ug": "Uyghur",
        "parent": "Parent code",
        "valid_from": "Valid from",
        "valid_to": "Valid until",
        "codes": "Codes",
    },
    "ug": {
        "id": "بەلگە",
        "title": "نامى",
        "version": "نەشرى",
        "source": "مەنبەسى",
        "note": "ئىزاھات",
        "closed": "يېپىق تىزىملىك",
        "closed_yes": "ھەئە: تۈر پەقەت تىزىملىكتىكى كودلارنىلا قوبۇل قىلىدۇ",
        "closed_no": "ياق: تىزىملىكنى كېڭەيتىشكە بولىدۇ",
        "owner": "تەمىنلىگۈچى",
        "count": "كود سانى",
        "code": "كود",
        "zh": "خەنزۇچە",
        "en": "ئىنگلىزچە",
        "ug": "ئۇيغۇرچە",
        "parent": "يۇقىرى دەرىجىلىك كود",
        "valid_from": "كۈچكە ئىگە بولغان كۈن",
        "valid_to": "كۈچتىن قالغان كۈن",
        "codes": "كودلار",
    },
}

# Sphinx language -> govparts locale, for the list titles.
LOCALES = {"zh_CN": "zh_Hans_CN", "en": "en", "ug": "ug_CN"}


def slug(list_id: str) -> str:
    """The file name stem of a list's page: ``gbt-2261.1-2003`` for ``GB/T 2261.1-2003``.

    Letters other than Latin ones stay (``gbt-9704-2012-密级``), so lists that differ only in a
    Chinese qualifier keep apart.
    """
    text = list_id.lower().replace("/", "")
    return re.sub(r"[^\w.]+", "-", text).strip("-")


def _untranslatable(node: nodes.Element) -> None:
    """Keep the gettext builder away: these texts come from the code list data in every language."""
    for text in node.findall(nodes.TextElement):
        text["translatable"] = False


def _language(config_language: str | None) -> str:
    return config_language if config_language in LABELS else "zh_CN"


class CodeListDirective(SphinxDirective):
    """``.. govparts-code-list:: <list id>``: the page of one code list."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        from govparts.core import codes

        code_list = codes.get(self.arguments[0])
        language = _language(self.config.language)
        label = LABELS[language]
        locale = LOCALES[language]

        section = nodes.section(ids=[nodes.make_id(slug(code_list.id))])
        section += nodes.title(text=f"{code_list.id} {code_list.title_in(locale)}")

        fields = nodes.field_list()
        rows = [
            ("id", code_list.id),
            ("title", code_list.title_in(locale)),
            ("version", code_list.version),
            ("source", code_list.source),
            ("closed", label["closed_yes"] if code_list.closed else label["closed_no"]),
            ("owner", code_list.owner),
            ("count", str(len(code_list))),
        ]
        if code_list.note:
            rows.append(("note", code_list.note))
        for key, value in rows:
            field = nodes.field()
            field += nodes.field_name(text=label[key])
            body = nodes.field_body()
            body += nodes.paragraph(text=value)
            field += body
            fields += field
        section += fields

        columns = ["code", "zh", "en", "ug"]
        for optional in ("parent", "valid_from", "valid_to"):
            if any(getattr(code, optional) is not None for code in code_list):
                columns.append(optional)
        section += self._table(code_list, columns, label)
        _untranslatable(section)
        return [section]

    def _table(self, code_list: Any, columns: list[str], label: dict[str, str]) -> nodes.table:
        table = nodes.table(classes=["govparts-code-list"])
        group = nodes.tgroup(cols=len(columns))
        table += group
        for _ in columns:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        head += self._row([label[c] for c in columns], columns)
        body = nodes.tbody()
        group += body
        for code in code_list:
            values = []
            for column in columns:
                value = getattr(code, column)
                values.append("" if value is None else str(value))
            body += self._row(values, columns)
        return table

    @staticmethod
    def _row(values: list[str], columns: list[str]) -> nodes.row:
        row = nodes.row()
        for value, column in zip(values, columns, strict=True):
            entry = nodes.entry()
            paragraph = nodes.paragraph(text=value)
            if column == "ug":
                paragraph["classes"].append("govparts-rtl")
            elif column != "zh":
                paragraph["classes"].append("govparts-ltr")
            entry += paragraph
            row += entry
        return row


class CodeListsDirective(SphinxDirective):
    """``.. govparts-code-lists::``: a table of every code list, each linked to its page."""

    def run(self) -> list[nodes.Node]:
        from govparts.core import codes

        language = _language(self.config.language)
        label = LABELS[language]
        locale = LOCALES[language]
        columns = ["id", "title", "version", "count"]
        table = nodes.table(classes=["govparts-code-lists"])
        group = nodes.tgroup(cols=len(columns))
        table += group
        for _ in columns:
            group += nodes.colspec(colwidth=1)
        head = nodes.thead()
        group += head
        head += CodeListDirective._row([label[c] for c in columns], ["zh"] * len(columns))
        body = nodes.tbody()
        group += body
        for code_list in codes.all_lists():
            row = CodeListDirective._row(
                ["", code_list.title_in(locale), code_list.version, str(len(code_list))],
                ["code", "zh", "code", "code"],
            )
            link = addnodes.pending_xref(
                "",
                nodes.inline(text=code_list.id),
                refdomain="std",
                reftype="doc",
                reftarget=f"/{(FOLDER / slug(code_list.id)).as_posix()}",
                refexplicit=True,
                refdoc=self.env.docname,
            )
            row[0][0] += link
            body += row
        _untranslatable(table)
        return [table]


def write_pages(app: Sphinx) -> None:
    """Write one source page per registered code list, and remove the pages of lists that are gone."""
    from govparts.core import codes

    folder = Path(app.srcdir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, str] = {}
    for code_list in codes.all_lists():
        wanted[f"{slug(code_list.id)}.rst"] = (
            ".. Generated by docs/_ext/govparts_codes.py from the code list's data; do not edit.\n\n"
            f".. govparts-code-list:: {code_list.id}\n"
        )
    for path in folder.glob("*.rst"):
        if path.name not in wanted:
            path.unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive and the page generator."""
    app.add_directive("govparts-code-list", CodeListDirective)
    app.add_directive("govparts-code-lists", CodeListsDirective)
    app.connect("builder-inited", write_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
