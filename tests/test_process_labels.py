"""Every state, transition and role of every installed part's processes is named in three languages.

The documentation, the state diagrams and ``govparts process`` show these labels; a missing one
would show the English id on the Chinese and Uyghur pages instead. Each label must be non-empty in
Chinese (with Chinese characters), English and Uyghur (in Arabic script).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from govparts.core.parts import iter_parts
from govparts.core.process import LocalizedText, ProcessSpec

CJK = re.compile(r"[\u4e00-\u9fff]")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff]")
PARTS = sorted(part.name for part in iter_parts() if part.processes is not None)


def _specs(part_name: str) -> list[ProcessSpec]:
    part = next(p for p in iter_parts() if p.name == part_name)
    specs = list(part.load("processes"))
    assert specs, f"{part_name} declares processes but publishes none"
    assert all(isinstance(spec, ProcessSpec) for spec in specs)
    return specs


def label_problems(label: LocalizedText | None, where: str) -> Iterator[str]:
    """What is wrong with one label: missing, empty in a language, or in the wrong script."""
    if label is None:
        yield f"{where}: no label"
        return
    for locale in ("zh_Hans_CN", "en", "ug_CN"):
        if not getattr(label, locale).strip():
            yield f"{where}: empty {locale}"
    if not CJK.search(label.zh_Hans_CN):
        yield f"{where}: zh_Hans_CN has no Chinese: {label.zh_Hans_CN!r}"
    if not ARABIC_LETTER.search(label.ug_CN):
        yield f"{where}: ug_CN has no Arabic letter: {label.ug_CN!r}"
    if not re.search(r"[A-Za-z]", label.en):
        yield f"{where}: en has no Latin letter: {label.en!r}"


def spec_problems(spec: ProcessSpec) -> Iterator[str]:
    """The label problems of every state, transition and role of ``spec``."""
    yield from label_problems(spec.title, f"{spec.id} title")
    for state in spec.states:
        yield from label_problems(state.label, f"{spec.id} state {state.id}")
    for transition in spec.transitions:
        yield from label_problems(transition.label, f"{spec.id} transition {transition.name}")
    for role in spec.roles:
        yield from label_problems(role.label, f"{spec.id} role {role.id}")


def test_parts_with_processes_are_found() -> None:
    """Finds the processes of the parts installed in the workspace."""
    assert {"archives", "assets", "attendance", "finance", "personnel"} <= set(PARTS)


@pytest.mark.parametrize("part", PARTS)
def test_every_state_transition_and_role_has_three_labels(part: str) -> None:
    """Names each state, transition and role in Chinese, English and Uyghur (Arabic script)."""
    problems = [problem for spec in _specs(part) for problem in spec_problems(spec)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("part", PARTS)
def test_diagrams_and_tables_show_labels_not_ids(part: str) -> None:
    """Draws every transition of each Chinese and Uyghur diagram with its label, never its id."""
    for spec in _specs(part):
        for locale in ("zh_Hans_CN", "ug_CN"):
            diagram = spec.to_mermaid(locale)
            for transition in spec.transitions:
                assert transition.label_in(locale) != transition.name
                label = " ".join(transition.label_in(locale).split())
                for source in transition.source:
                    assert f"{source} --> {transition.target} : {label}" in diagram, (spec.id, locale)


def test_a_missing_or_wrong_script_label_is_reported() -> None:
    """Reports an unlabelled transition, a Latin 'Uyghur' text and a Chinese label without CJK."""
    spec = ProcessSpec(
        id="demo.thing",
        version="1.0",
        title=LocalizedText(zh_Hans_CN="示例", en="Example", ug_CN="مىسال"),
        entity="thing",
        roles=[{"id": "clerk", "label": {"zh_Hans_CN": "Clerk", "en": "Clerk", "ug_CN": "خادىم"}}],
        states=[
            {"id": "open", "label": {"zh_Hans_CN": "打开", "en": "Open", "ug_CN": "ochuq"}},
            {"id": "done", "label": {"zh_Hans_CN": "完成", "en": "Done", "ug_CN": "تامام"}, "terminal": True},
        ],
        initial="open",
        transitions=[{"name": "finish", "source": ["open"], "target": "done", "roles": ["clerk"]}],
    )
    assert list(spec_problems(spec)) == [
        "demo.thing state open: ug_CN has no Arabic letter: 'ochuq'",
        "demo.thing transition finish: no label",
        "demo.thing role clerk: zh_Hans_CN has no Chinese: 'Clerk'",
    ]
