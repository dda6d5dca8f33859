"""Every published model of every installed part has its title, its description and its field
descriptions in three languages.

The publication carries them as ``x-i18n``: ``title`` and ``description`` on each schema (and each model
nested in its ``$defs``), ``description`` on each property, in Chinese, English and Uyghur. This covers
the model schemas under ``schemas/`` and the event payload schemas of the AsyncAPI catalogues.
``govparts spec build`` writes a model's ``x-i18n.description`` from the ``"description"`` of its
entry in the part's titles table (``<part>/titles.py``; core's in ``govparts.core.spec._core``); the
documentation shows it on the Chinese and Uyghur pages instead of the English docstring.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from govparts.core import spec
from govparts.core.parts import Part, iter_parts
from govparts.core.spec import model_schema

LOCALES = ("zh_Hans_CN", "en", "ug_CN")
CJK = re.compile(r"[\u4e00-\u9fff]")
ARABIC = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff]")
"""An Arabic-script letter (not a digit or punctuation mark)."""
LATIN = re.compile(r"[A-Za-z]")
PARTS = sorted(part.name for part in iter_parts())


@pytest.fixture(scope="module")
def artifacts() -> list[spec.Artifact]:
    """Everything the installed parts publish (without the contributors' requirement catalogues)."""
    return spec.collect(contributors=[])


def _problems(texts: Any, where: str) -> Iterator[str]:
    """What is wrong with one three-language text: a missing locale, or a text in the wrong script."""
    if not isinstance(texts, dict):
        yield f"{where}: no texts"
        return
    for locale in LOCALES:
        if not str(texts.get(locale) or "").strip():
            yield f"{where}: no {locale}"
    if texts.get("zh_Hans_CN") and not CJK.search(texts["zh_Hans_CN"]):
        yield f"{where}: zh_Hans_CN has no Chinese: {texts['zh_Hans_CN']!r}"
    if texts.get("ug_CN") and not ARABIC.search(texts["ug_CN"]):
        yield f"{where}: ug_CN is not in Arabic script: {texts['ug_CN']!r}"
    if texts.get("en") and not LATIN.search(texts["en"]):
        yield f"{where}: en has no Latin letters: {texts['en']!r}"


def _schema_problems(schema: dict[str, Any], where: str) -> Iterator[str]:
    """Problems of a schema's title, its properties' descriptions and those of its $defs."""
    nodes = [(where, schema)] + [(f"{where}/$defs/{n}", d) for n, d in schema.get("$defs", {}).items()]
    for path, node in nodes:
        yield from _problems(node.get("x-i18n", {}).get("title"), f"{path} title")
        for name, prop in node.get("properties", {}).items():
            yield from _problems(prop.get("x-i18n", {}).get("description"), f"{path}/{name}")


def _schemas_of(artifacts: list[spec.Artifact], part: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each model schema and event payload schema ``part`` publishes, with where it is."""
    for artifact in artifacts:
        if artifact.part != part:
            continue
        for path, data in artifact.files.items():
            if artifact.kind == "schema":
                yield path, json.loads(data)
            elif artifact.kind == "events":
                for key, schema in json.loads(data)["components"]["schemas"].items():
                    yield f"{path}#{key}", schema


@pytest.mark.parametrize("part", ["core", *PARTS])
def test_every_published_schema_has_three_titles_and_described_fields(
    artifacts: list[spec.Artifact], part: str
) -> None:
    """Titles each schema, nested model and event payload, and describes each field, in three languages."""
    schemas = list(_schemas_of(artifacts, part))
    assert schemas, f"{part} publishes no schema"
    problems = [p for where, schema in schemas for p in _schema_problems(schema, where)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("part", PARTS)
def test_every_published_model_is_in_the_schema_index_with_its_title(
    artifacts: list[spec.Artifact], part: str
) -> None:
    """Lists every schema of the part in index.json with its title in three languages."""
    rows = [a for a in artifacts if a.part == part and a.kind == "schema"]
    assert rows
    problems = [p for a in rows for p in _problems(dict(a.title), a.id)]
    assert problems == [], "\n".join(problems)


def test_the_checks_catch_a_missing_or_wrong_script_text() -> None:
    """Finds a missing locale, Uyghur in Latin letters and Chinese without Chinese characters."""
    schema = {
        "x-i18n": {"title": {"zh_Hans_CN": "Leave", "en": "Leave", "ug_CN": "ruxset"}},
        "properties": {"days": {"x-i18n": {"description": {"zh_Hans_CN": "天数", "en": "Days"}}}},
    }
    assert sorted(_schema_problems(schema, "s")) == [
        "s title: ug_CN is not in Arabic script: 'ruxset'",
        "s title: zh_Hans_CN has no Chinese: 'Leave'",
        "s/days: no ug_CN",
    ]


def _description_problems(node: dict[str, Any], where: str) -> Iterator[str]:
    """What is wrong with an object schema's description: its three texts, and the plain one for tools
    that ignore ``x-i18n``."""
    yield from _problems(node.get("x-i18n", {}).get("description"), f"{where} description")
    if not str(node.get("description") or "").strip():
        yield f"{where}: no plain description for tools that ignore x-i18n"


def _is_object(node: Any) -> bool:
    return isinstance(node, dict) and (node.get("type") == "object" or "properties" in node)


def _object_description_problems(schema: dict[str, Any], where: str) -> Iterator[str]:
    """The description problems of a schema's top-level object and of each object in its ``$defs``."""
    if _is_object(schema):
        yield from _description_problems(schema, where)
    for name, definition in schema.get("$defs", {}).items():
        if _is_object(definition):
            yield from _description_problems(definition, f"{where}/$defs/{name}")


@pytest.mark.parametrize("part", ["core", *PARTS])
def test_every_published_model_is_described_in_three_languages(
    artifacts: list[spec.Artifact], part: str
) -> None:
    """Describes each published schema and each object in its $defs in Chinese, English and Uyghur."""
    schemas = list(_schemas_of(artifacts, part))
    objects = [s for _, s in schemas if _is_object(s)]
    assert objects, f"{part} publishes no object schema"
    problems = [p for where, schema in schemas for p in _object_description_problems(schema, where)]
    assert problems == [], "\n".join(problems)


def test_a_missing_description_is_reported() -> None:
    """Reports a schema without texts, a nested model whose 'Uyghur' is Latin, and one with no zh."""
    schema = {
        "type": "object",
        "properties": {},
        "$defs": {
            "Inner": {
                "type": "object",
                "description": "Inner thing",
                "x-i18n": {"description": {"zh_Hans_CN": "内部", "en": "Inner", "ug_CN": "ichki"}},
            },
            "Other": {
                "properties": {},
                "description": "Other thing",
                "x-i18n": {"description": {"en": "Other", "ug_CN": "باشقا"}},
            },
            "Code": {"type": "string"},
        },
    }
    assert list(_object_description_problems(schema, "s")) == [
        "s description: no texts",
        "s: no plain description for tools that ignore x-i18n",
        "s/$defs/Inner description: ug_CN is not in Arabic script: 'ichki'",
        "s/$defs/Other description: no zh_Hans_CN",
    ]


def test_the_description_comes_from_the_titles_table() -> None:
    """Writes a table entry's description into x-i18n.description and keeps the docstring as description."""
    from pydantic import BaseModel

    class Thing(BaseModel):
        """A thing as the docstring says."""

        name: str

    texts = {"zh_Hans_CN": "物件", "en": "Thing", "ug_CN": "نەرسە"}
    described = {"zh_Hans_CN": "一件物品", "en": "One thing", "ug_CN": "بىر نەرسە"}
    part = Part(
        name="demo",
        version="1.0.0",
        title=texts,
        extras={"titles": f"{__name__}:_DEMO_TITLES"},
    )
    _DEMO_TITLES.clear()
    _DEMO_TITLES["govparts.demo.Thing"] = {**texts, "description": described}
    schema = model_schema("govparts.demo.Thing", Thing, part=part)[0]
    assert schema["x-i18n"]["description"] == described
    assert schema["x-i18n"]["title"] == texts
    assert schema["description"] == "A thing as the docstring says."
    _DEMO_TITLES["govparts.demo.Thing"] = dict(texts)
    schema = model_schema("govparts.demo.Thing", Thing, part=part)[0]
    assert "description" not in schema["x-i18n"]
    assert list(_description_problems(schema, "Thing")) == ["Thing description: no texts"]


_DEMO_TITLES: dict[str, Any] = {}
