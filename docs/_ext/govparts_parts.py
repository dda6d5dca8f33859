"""Sphinx extension: one page per published part, generated from its ``Part`` descriptor.

When a build starts, the extension writes ``parts/<name>.rst`` for core and for every installed part
(found with :func:`govparts.core.parts.iter_parts`); a file is rewritten only when it changes, and
the pages of parts no longer installed are removed. Each page holds one ``govparts-part`` directive,
which renders in the language of the build, from the same code that ``govparts spec build``
publishes (:mod:`govparts.core.spec`):

* an overview: the part's title, version, distribution and what it publishes;
* its models: for each, its standard id, version and status, its description, and a table of its
  fields with their types, whether they are required, their code lists (linked to the code list's
  page) and their descriptions; descriptions come from the schema's ``x-i18n`` texts in the page's
  language, else as written in English, marked ``lang="en"`` (a model's introduced as the English
  original on the Chinese and Uyghur pages);
* its golden corpus: each example record and the verdict a conforming validator must reach;
* its processes, each with its state diagram drawn by Graphviz (SVG), its states (id, label, initial
  or terminal) and its transitions; a transition without a label is shown by its id, in italics in
  the diagram (a note under it says so) and followed by "no label" in the table;
* its events: type, description and payload fields;
* its requirements, with the checks of the conformance kit that verify each (when it is installed).

Like the code list pages, the rendered nodes carry no source text: titles, labels and statements come
from the parts' data in each language, so the gettext builder does not extract them.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from govparts_bidi import bdi
from govparts_codes import slug as code_list_slug
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.ext.graphviz import graphviz
from sphinx.util.docutils import SphinxDirective

FOLDER = Path("parts")

LABELS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "overview": "概览",
        "name": "名称",
        "version": "版本",
        "distribution": "发行包",
        "publishes": "发布内容",
        "models": "数据模型",
        "standard_id": "标准标识",
        "status": "状态",
        "field": "字段",
        "type": "类型",
        "required": "必填",
        "yes": "是",
        "no": "否",
        "rules": "约束与代码表",
        "description": "说明",
        "golden": "黄金样例",
        "model": "模型",
        "record": "记录",
        "verdict": "结论",
        "valid": "有效",
        "invalid": "无效",
        "processes": "业务流程",
        "transition": "转换",
        "source": "起始状态",
        "target": "目标状态",
        "roles": "角色",
        "events": "事件",
        "event_type": "事件类型",
        "payload": "载荷字段",
        "requirements": "要求",
        "level": "级别",
        "statement": "内容",
        "checks": "检查",
        "not_tested": "未测试：",
        "none": "本部件没有发布此类内容。",
        "schema": "JSON Schema",
        "code_list": "代码表",
        "conformance": "一致性检查",
        "code_lists_package": "代码表",
        "draft": "草案",
        "stable": "正式",
        "deprecated": "已废弃",
        "states": "状态",
        "state_id": "标识",
        "kind": "类别",
        "initial": "初始状态",
        "terminal": "终止状态",
        "intermediate": "-",
        "no_label": "（无本语言名称，显示其标识）",
        "fallback_note": "图中斜体的转换没有本语言的名称，以其标识显示。",
        "english_original": "英文原文：",
    },
    "en": {
        "overview": "Overview",
        "name": "Name",
        "version": "Version",
        "distribution": "Distribution",
        "publishes": "Publishes",
        "models": "Models",
        "standard_id": "Standard id",
        "status": "Status",
        "field": "Field",
        "type": "Type",
        "required": "Required",
        "yes": "yes",
        "no": "no",
        "rules": "Constraints and code lists",
        "description": "Description",
        "golden": "Golden corpus",
        "model": "Model",
        "record": "Record",
        "verdict": "Verdict",
        "valid": "valid",
        "invalid": "invalid",
        "processes": "Processes",
        "transition": "Transition",
        "source": "From",
        "target": "To",
        "roles": "Roles",
        "events": "Events",
        "event_type": "Event type",
        "payload": "Payload fields",
        "requirements": "Requirements",
        "level": "Level",
        "statement": "Statement",
        "checks": "Checks",
        "not_tested": "not tested: ",
        "none": "This part publishes nothing of this kind.",
        "schema": "JSON Schema",
        "code_list": "code list",
        "conformance": "conformance checks",
        "code_lists_package": "code lists",
        "draft": "draft",
        "stable": "stable",
        "deprecated": "deprecated",
        "states": "States",
        "state_id": "Id",
        "kind": "Kind",
        "initial": "initial",
        "terminal": "terminal",
        "intermediate": "-",
        "no_label": "(no label; its id is shown)",
        "fallback_note": "Transitions in italics in the diagram have no label and are shown by their id.",
        "english_original": "",
    },
    "ug": {
        "overview": "ئومۇمىي بايان",
        "name": "نامى",
        "version": "نەشرى",
        "distribution": "تارقىتىش بوغچىسى",
        "publishes": "ئېلان قىلىدىغانلىرى",
        "models": "سانلىق مەلۇمات مودېللىرى",
        "standard_id": "ئۆلچەم بەلگىسى",
        "status": "ھالىتى",
        "field": "خانە",
        "type": "تىپى",
        "required": "مەجبۇرىي",
        "yes": "ھەئە",
        "no": "ياق",
        "rules": "چەكلىمە ۋە كود جەدۋىلى",
        "description": "چۈشەندۈرۈش",
        "golden": "ئۆلچەملىك مىساللار",
        "model": "مودېل",
        "record": "خاتىرە",
        "verdict": "ھۆكۈم",
        "valid": "ئىناۋەتلىك",
        "invalid": "ئىناۋەتسىز",
        "processes": "ئىش جەريانلىرى",
        "transition": "ئۆتۈش",
        "source": "باشلىنىش ھالىتى",
        "target": "نىشان ھالىتى",
        "roles": "روللار",
        "events": "ۋەقەلەر",
        "event_type": "ۋەقە تىپى",
        "payload": "يۈك خانىلىرى",
        "requirements": "تەلەپلەر",
        "level": "دەرىجىسى",
        "statement": "مەزمۇنى",
        "checks": "تەكشۈرۈشلەر",
        "not_tested": "سىنالمىغان: ",
        "none": "بۇ زاپچاس بۇ خىلدىكى مەزمۇننى ئېلان قىلمايدۇ.",
        "schema": "JSON Schema",
        "code_list": "كود جەدۋىلى",
        "conformance": "ماسلىق تەكشۈرۈشى",
        "code_lists_package": "كود جەدۋەللىرى",
        "draft": "لايىھە",
        "stable": "رەسمىي",
        "deprecated": "ئەمەلدىن قالدۇرۇلغان",
        "states": "ھالەتلەر",
        "state_id": "كىملىكى",
        "kind": "تۈرى",
        "initial": "دەسلەپكى ھالەت",
        "terminal": "ئاخىرقى ھالەت",
        "intermediate": "-",
        "no_label": "(بۇ تىلدا نامى يوق، كىملىكى كۆرسىتىلدى)",
        "fallback_note": (
            "سىخېمىدىكى يانتۇ خەتلىك ئۆتۈشلەرنىڭ بۇ تىلدا نامى يوق، ئۇلار كىملىكى بىلەن كۆرسىتىلدى."
        ),
        "english_original": "ئىنگلىزچە ئەسلى تېكىست: ",
    },
}

LOCALES = {"zh_CN": "zh_Hans_CN", "en": "en", "ug": "ug_CN"}
FONTS = "Noto Sans CJK SC, Noto Naskh Arabic, sans-serif"


def _language(config_language: str | None) -> str:
    return config_language if config_language in LABELS else "zh_CN"


def _untranslatable(node: nodes.Element) -> None:
    # Not inline nodes: Sphinx takes an inline node marked (un)translatable for a placeholder of a
    # translation and moves its text to the end of its parent.
    for text in node.findall(nodes.TextElement):
        if not isinstance(text, nodes.inline):
            text["translatable"] = False


def all_parts() -> list[Any]:
    """Core's own descriptor followed by every installed part's, in name order."""
    from govparts.core.parts import iter_parts
    from govparts.core.spec import core_part

    return [core_part(), *iter_parts()]


def _section(title: str, key: str) -> nodes.section:
    section = nodes.section(ids=[nodes.make_id(f"part-{key}")])
    section += nodes.title(text=title)
    return section


def _table(header: list[str], rows: list[list[nodes.Node | str]], classes: str) -> nodes.table:
    table = nodes.table(classes=[classes])
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    group += head
    head += _row(header)
    body = nodes.tbody()
    group += body
    for values in rows:
        body += _row(values)
    return table


def _row(values: list[Any]) -> nodes.row:
    row = nodes.row()
    for value in values:
        entry = nodes.entry()
        if isinstance(value, nodes.Node):
            entry += value if isinstance(value, nodes.paragraph) else nodes.paragraph("", "", value)
        else:
            entry += nodes.paragraph(text=str(value))
        row += entry
    return row


def _literal(text: str) -> nodes.literal:
    return nodes.literal(text=text)


def _comma(locale: str) -> str:
    """The separator of a list in ``locale``: 、 in Chinese, the Arabic comma ، in Uyghur."""
    return {"zh_Hans_CN": "、", "ug_CN": "، "}.get(locale, ", ")


def _source_text(text: str, introduced_by: str = "") -> nodes.paragraph:
    """A text as written in the code, in English: marked ``lang="en"`` and set in its own direction,
    after ``introduced_by`` (in the page's language) when given."""
    intro = [nodes.emphasis(introduced_by, introduced_by)] if introduced_by else []
    return nodes.paragraph(
        "", "", *intro, bdi("", text, lang="en", dir="ltr"), classes=["govparts-source-text"]
    )


def _type_of(schema: dict[str, Any], root: dict[str, Any]) -> str:
    """A short reading of a JSON Schema type: ``string``, ``array of X``, ``A | null``…"""
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return name
    if "anyOf" in schema:
        return " | ".join(_type_of(option, root) for option in schema["anyOf"])
    kind = schema.get("type")
    if kind == "array":
        return f"array<{_type_of(schema.get('items', {}), root)}>"
    if isinstance(kind, list):
        return " | ".join(str(k) for k in kind)
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind or "any")


def _code_lists(schema: Any) -> list[str]:
    found: list[str] = []
    if isinstance(schema, dict):
        if isinstance(schema.get("x-code-list"), str):
            found.append(schema["x-code-list"])
        for value in schema.values():
            found.extend(_code_lists(value))
    elif isinstance(schema, list):
        for value in schema:
            found.extend(_code_lists(value))
    return found


def _rules(schema: dict[str, Any]) -> list[str]:
    rules = []
    for key in (
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ):
        if key in schema:
            rules.append(f"{key}={schema[key]}")
    for option in schema.get("anyOf", []):
        if isinstance(option, dict):
            rules.extend(_rules(option))
    return rules


class PartDirective(SphinxDirective):
    """``.. govparts-part:: <name>``: the page of one part (``core`` for core's own models)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        part = next(p for p in all_parts() if p.name == name)
        language = _language(self.config.language)
        self.label = LABELS[language]
        self.locale = LOCALES[language]
        page = nodes.section(ids=[nodes.make_id(f"part-{name}")])
        page += nodes.title(text=f"{part.title_in(self.locale)} ({name})")
        page += self._overview(part)
        models = self._models(part)
        page += models
        page += self._golden(part)
        page += self._processes(part)
        page += self._events(part)
        page += self._requirements(part)
        _untranslatable(page)
        return [page]

    def _overview(self, part: Any) -> nodes.section:
        label = self.label
        section = _section(label["overview"], f"{part.name}-overview")
        provided = [
            key
            for key in ("models", "processes", "events", "requirements", "conformance", "code_lists_package")
            if getattr(part, key)
        ]
        fields = nodes.field_list()
        for key, value in (
            ("name", part.name),
            ("version", part.version),
            ("distribution", f"govparts-{part.name}"),
            ("publishes", _comma(self.locale).join(label[key] for key in provided)),
        ):
            field = nodes.field()
            field += nodes.field_name(text=label[key])
            body = nodes.field_body()
            body += nodes.paragraph(text=value)
            field += body
            fields += field
        section += fields
        return section

    def _description(self, field_schema: dict[str, Any]) -> nodes.paragraph:
        """A field's description in the page's language (``x-i18n``), else as written, marked English."""
        texts = field_schema.get("x-i18n", {}).get("description", {})
        localised = texts.get(self.locale) if isinstance(texts, dict) else None
        if localised:
            return nodes.paragraph(text=str(localised).replace("\n", " "))
        written = str(field_schema.get("description", "")).split("\n\n", 1)[0].replace("\n", " ")
        return _source_text(written) if written else nodes.paragraph(text="-")

    def _model_description(self, schema: dict[str, Any]) -> list[nodes.paragraph]:
        """The model's description in the page's language (``x-i18n``), else as written in English,
        introduced as the English original on the Chinese and Uyghur pages."""
        texts = schema.get("x-i18n", {}).get("description", {})
        localised = texts.get(self.locale) if isinstance(texts, dict) else None
        if localised:
            return [nodes.paragraph(text=str(localised).split("\n\n", 1)[0].replace("\n", " "))]
        description = str(schema.get("description", "")).strip()
        if not description:
            return []
        written = description.split("\n\n", 1)[0].replace("\n", " ")
        return [_source_text(written, introduced_by=self.label["english_original"])]

    def _transition_label(self, transition: Any) -> nodes.Node | str:
        """The transition's label in the page's language; without one, its id, saying so."""
        if transition.label is not None:
            return str(transition.label_in(self.locale))
        return nodes.paragraph(
            "",
            "",
            _literal(transition.name),
            nodes.Text(" "),
            nodes.inline(text=self.label["no_label"], classes=["govparts-no-label"]),
        )

    def _states(self, spec: Any) -> nodes.table:
        """Each state's id beside its label in the page's language, and whether it starts or ends."""
        rows: list[list[nodes.Node | str]] = []
        for state in spec.states:
            kind = "initial" if state.id == spec.initial else "terminal" if state.terminal else "intermediate"
            rows.append([_literal(state.id), state.label.in_locale(self.locale), self.label[kind]])
        header = [self.label["state_id"], self.label["name"], self.label["kind"]]
        return _table(header, rows, "govparts-states")

    def _code_list_link(self, list_id: str) -> nodes.Node:
        return addnodes.pending_xref(
            "",
            nodes.inline(text=list_id),
            refdomain="std",
            reftype="doc",
            reftarget=f"/codes/lists/{code_list_slug(list_id)}",
            refexplicit=True,
            refdoc=self.env.docname,
        )

    def _models(self, part: Any) -> nodes.section:
        from govparts.core import codes
        from govparts.core.spec import model_schema, published_models

        label = self.label
        section = _section(label["models"], f"{part.name}-models")
        models = published_models(part)
        if not models:
            section += nodes.paragraph(text=label["none"])
        known = {c.id for c in codes.all_lists()}
        for standard_id, model in models.items():
            schema, version, status = model_schema(standard_id, model, part=part)
            titles = schema.get("x-i18n", {}).get("title", {})
            title = titles.get(self.locale) or schema.get("title", standard_id)
            name = standard_id.rsplit(".", 1)[-1]
            sub = _section(title if title == name else f"{title} ({name})", f"model-{standard_id}")
            facts = nodes.paragraph()
            facts += nodes.Text(f"{label['standard_id']}: ")
            facts += _literal(standard_id)
            shown_status = label.get(status, status)
            facts += nodes.Text(f" · {label['version']}: {version} · {label['status']}: {shown_status} · ")
            facts += _literal(schema["$id"])
            sub += facts
            sub += self._model_description(schema)
            properties = schema.get("properties")
            if isinstance(properties, dict):
                required = set(schema.get("required", []))
                rows: list[list[nodes.Node | str]] = []
                for field_name, field_schema in properties.items():
                    rules = nodes.paragraph()
                    for list_id in _code_lists(field_schema):
                        if list_id in known:
                            rules += nodes.Text(f"{label['code_list']} ")
                            rules += self._code_list_link(list_id)
                            rules += nodes.Text(" ")
                    extra = _rules(field_schema)
                    if extra:
                        rules += _literal(", ".join(extra))
                    rows.append(
                        [
                            _literal(field_name),
                            _literal(_type_of(field_schema, schema)),
                            label["yes"] if field_name in required else label["no"],
                            rules,
                            self._description(field_schema),
                        ]
                    )
                header = [
                    label["field"],
                    label["type"],
                    label["required"],
                    label["rules"],
                    label["description"],
                ]
                sub += _table(header, rows, "govparts-model-fields")
            else:
                sub += nodes.paragraph(
                    "",
                    "",
                    _literal(_type_of(schema, schema)),
                    nodes.Text(" "),
                    *([_literal(", ".join(_rules(schema)))] if _rules(schema) else []),
                )
            section += sub
        return section

    def _golden(self, part: Any) -> nodes.section:
        from govparts.core.spec import golden_cases

        label = self.label
        section = _section(label["golden"], f"{part.name}-golden")
        cases = golden_cases(part)
        if not cases:
            section += nodes.paragraph(text=label["none"])
            return section
        rows: list[list[nodes.Node | str]] = []
        for case in cases:
            record = json.dumps(case["record"], ensure_ascii=False, sort_keys=True)
            if case.get("valid"):
                verdict = label["valid"]
            else:
                verdict = f"{label['invalid']}: {case.get('error_code')} @ {case.get('field', '-')}"
            rows.append([_literal(str(case["model"]).rsplit(".", 1)[-1]), _literal(record), verdict])
        section += _table([label["model"], label["record"], label["verdict"]], rows, "govparts-golden")
        return section

    def _processes(self, part: Any) -> nodes.section:
        label = self.label
        section = _section(label["processes"], f"{part.name}-processes")
        published = part.load("processes") if part.processes else None
        specs = list(published.values()) if isinstance(published, dict) else list(published or [])
        if not specs:
            section += nodes.paragraph(text=label["none"])
        for spec in sorted(specs, key=lambda s: s.id):
            sub = _section(
                f"{spec.title.in_locale(self.locale)} ({spec.id} {spec.version})", f"process-{spec.id}"
            )
            diagram = graphviz()
            diagram["code"] = self._dot(spec)
            diagram["options"] = {"docname": self.env.docname}
            diagram["alt"] = spec.title.in_locale(self.locale)  # read out in the page's language
            diagram["classes"] = ["govparts-state-diagram"]
            sub += diagram
            if any(t.label is None for t in spec.transitions):
                sub += nodes.paragraph(text=label["fallback_note"], classes=["govparts-fallback-note"])
            sub += self._states(spec)
            states = {state.id: state.label.in_locale(self.locale) for state in spec.states}
            comma = _comma(self.locale)
            rows: list[list[nodes.Node | str]] = [
                [
                    _literal(t.name),
                    self._transition_label(t),
                    comma.join(states.get(source, source) for source in t.source),
                    states.get(t.target, t.target),
                    _literal(", ".join(t.roles)) if t.roles else "-",
                ]
                for t in spec.transitions
            ]
            header = [label["transition"], label["name"], label["source"], label["target"], label["roles"]]
            sub += _table(header, rows, "govparts-transitions")
            section += sub
        return section

    def _dot(self, spec: Any) -> str:
        """The state diagram in the DOT language, labelled in the page's language."""

        def quote(text: str) -> str:
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

        direction = "RL" if self.locale == "ug_CN" else "LR"
        lines = [
            "digraph process {",
            f"  rankdir={direction};",
            f'  node [shape=box, style="rounded", fontname="{FONTS}"];',
            f'  edge [fontname="{FONTS}", fontsize=10];',
            '  "__start" [shape=point, label=""];',
            f"  __start -> {quote(spec.initial)};",
        ]
        for state in spec.states:
            shape = ", peripheries=2" if state.terminal else ""
            lines.append(f"  {quote(state.id)} [label={quote(state.label.in_locale(self.locale))}{shape}];")
        # Transitions that leave a state unchanged (a transfer, a revaluation) share one loop on it
        # with their names one per line: dot stacks separate self-loops on the same side of a
        # node and sets their labels over one another and over the loops.
        # A transition without a label is drawn by its id in italics (the page's note says so).
        loops: dict[str, list[str]] = {}
        for transition in spec.transitions:
            shown = (
                html.escape(transition.label_in(self.locale))
                if transition.label is not None
                else f"<I>{html.escape(transition.name)}</I>"
            )
            for source in transition.source:
                if source == transition.target:
                    loops.setdefault(source, []).append(shown)
                else:
                    lines.append(f"  {quote(source)} -> {quote(transition.target)} [label=<{shown}>];")
        for state, labels in loops.items():
            lines.append(f"  {quote(state)} -> {quote(state)} [label=<{'<BR/>'.join(labels)}>];")
        lines.append("}")
        return "\n".join(lines)

    def _events(self, part: Any) -> nodes.section:
        from govparts.core.events._catalogue import _event_types_of

        label = self.label
        section = _section(label["events"], f"{part.name}-events")
        published = part.load("events") if part.events else None
        event_types = sorted(_event_types_of(published, part.name), key=lambda e: e.type) if published else []
        if not event_types:
            section += nodes.paragraph(text=label["none"])
            return section
        rows: list[list[nodes.Node | str]] = []
        for event_type in event_types:
            schema = event_type.json_schema()
            fields = ", ".join(schema.get("properties", {}))
            rows.append([_literal(event_type.type), event_type.description_in(self.locale), _literal(fields)])
        section += _table(
            [label["event_type"], label["description"], label["payload"]], rows, "govparts-events"
        )
        return section

    def _requirements(self, part: Any) -> nodes.section:
        label = self.label
        section = _section(label["requirements"], f"{part.name}-requirements")
        catalogue = part.load("requirements") if part.requirements else None
        if catalogue is None:
            section += nodes.paragraph(text=label["none"])
            return section
        checks: dict[str, tuple[str, ...]] = {}
        try:
            from govparts.conformance import check_catalogue_coverage
        except ImportError:  # the kit is not installed: the statements without their checks
            pass
        else:
            checks = {row.requirement.id: row.checks for row in check_catalogue_coverage(part).rows}
        rows: list[list[nodes.Node | str]] = []
        for requirement in catalogue:
            verified = checks.get(requirement.id, ())
            if verified:
                shown: nodes.Node | str = _literal(", ".join(verified))
            elif requirement.not_tested_reason:
                shown = label["not_tested"] + requirement.not_tested_reason
            else:
                shown = "-"
            rows.append(
                [
                    _literal(requirement.id),
                    requirement.level.value,
                    requirement.statement_in(self.locale),
                    requirement.source,
                    shown,
                ]
            )
        header = [label["standard_id"], label["level"], label["statement"], label["source"], label["checks"]]
        section += _table(header, rows, "govparts-requirements")
        return section


def write_pages(app: Sphinx) -> None:
    """Write one source page per published part; remove the pages of parts no longer installed."""
    folder = Path(app.srcdir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {
        f"{part.name}.rst": (
            ".. Generated by docs/_ext/govparts_parts.py from the part's descriptor; do not edit.\n\n"
            f".. govparts-part:: {part.name}\n"
        )
        for part in all_parts()
    }
    for path in folder.glob("*.rst"):
        if path.name not in wanted and path.name != "index.rst":
            path.unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive and the page generator."""
    app.setup_extension("sphinx.ext.graphviz")
    app.setup_extension("govparts_bidi")
    app.add_directive("govparts-part", PartDirective)
    app.connect("builder-inited", write_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
