"""Sphinx extension: isolate every run of text written the other way (UAX #9, HTML ``<bdi>``).

A Uyghur page is right to left; the identifiers, codes, numbers, Latin words and Chinese names it
quotes are left to right. Left to themselves, the Unicode bidirectional algorithm lets neutral
characters between such a run and the Uyghur text take the wrong side: ``ھېسابات (AccountTotal)``
shows its brackets reversed, ``نەشرى: 0.1.0 · ھالىتى`` moves the version across the dot, and a
list of codes separated by commas comes out in the wrong order. On the Chinese and English pages the
same happens to a quoted Uyghur name.

When a page is read, and again when its references are resolved, this extension wraps each run
of the other direction in a :class:`bdi` node, written as ``<bdi>`` (an isolate whose direction
comes from its own text): on a Uyghur page, runs that begin and end with a left-to-right letter
or digit (with a sign or currency before a number and a per cent after it kept inside); on the
others, runs of Arabic-script text.
Inside inline code (isolated as a whole, left to right, by ``_static/rtl.css``) only Uyghur runs
are isolated; literal blocks and raw HTML are left alone.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

RTL_LANGUAGES = frozenset({"ug"})
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_LTR = (
    "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
)
# A left-to-right run: from its first strong character to its last, across the neutrals between
# them; a sign or currency before a number and a per cent (or degree) after it stay inside.
LTR_RUN = re.compile(f"[-+\u2212\u00a5\uffe5$\u20ac#]*[{_LTR}](?:[^{_RTL}\\n]*[{_LTR}])?[%\u2030\u00b0]*")
# A right-to-left run: words and the spaces between them, never the quotes and commas around them,
# so two Uyghur strings of a JSON record ("ئەر", "ئايال") stay in the order they are written.
RTL_RUN = re.compile(f"[{_RTL}](?:[{_RTL} ]*[{_RTL}])?")
SKIP = (nodes.literal_block, nodes.raw, nodes.math, nodes.math_block, nodes.comment)


class bdi(nodes.inline):  # noqa: N801 - docutils names node classes after their elements
    """An inline run isolated from its surroundings: ``<bdi>`` in HTML (``dir``/``lang`` optional)."""


def visit_bdi_html(translator: Any, node: bdi) -> None:
    """Open ``<bdi>`` with the node's ``dir`` and ``lang`` when it has them."""
    attributes = {key: node[key] for key in ("dir", "lang") if node.get(key)}
    translator.body.append(translator.starttag(node, "bdi", "", **attributes))


def depart_bdi_html(translator: Any, node: bdi) -> None:
    """Close ``</bdi>``."""
    translator.body.append("</bdi>")


def _pass(translator: Any, node: bdi) -> None:
    """Other writers print the run's text as it is."""


def _in_code(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.literal):
            return True
        parent = parent.parent
    return False


def _skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (*SKIP, bdi)) or "govparts-source-text" in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


def isolate_runs(doctree: nodes.Node, rtl_page: bool) -> int:
    """Wrap each run of the other direction in ``doctree``'s text in a :class:`bdi`; returns how many."""
    count = 0
    for text in list(doctree.findall(nodes.Text)):
        value = str(text)
        if text.parent is None or _skipped(text):
            continue
        # Inline code is isolated as a whole by the stylesheet; inside it only Uyghur needs isolating.
        pattern = LTR_RUN if rtl_page and not _in_code(text) else RTL_RUN
        if not pattern.search(value):
            continue
        pieces: list[nodes.Node] = []
        position = 0
        for match in pattern.finditer(value):
            if match.start() > position:
                pieces.append(nodes.Text(value[position : match.start()]))
            pieces.append(bdi("", match.group(0)))
            position = match.end()
            count += 1
        if position < len(value):
            pieces.append(nodes.Text(value[position:]))
        text.parent.replace(text, pieces)
    return count


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Isolate the runs of a page as it is read, before its titles are copied into the tables of
    contents (which are resolved after ``doctree-resolved``)."""
    if app.builder.format == "html":
        isolate_runs(doctree, (app.config.language or "") in RTL_LANGUAGES)


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Isolate the runs of text that resolving references added (link texts, generated titles)."""
    if app.builder.format == "html":
        isolate_runs(doctree, (app.config.language or "") in RTL_LANGUAGES)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the node and the pass that isolates runs."""
    app.add_node(
        bdi,
        html=(visit_bdi_html, depart_bdi_html),
        latex=(_pass, _pass),
        text=(_pass, _pass),
        man=(_pass, _pass),
        texinfo=(_pass, _pass),
    )
    # Before the table-of-contents collector (priority 500) copies the section titles.
    app.connect("doctree-read", on_doctree_read, priority=400)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
