"""Every published model of every installed part has its title and field descriptions in three languages.

The publication carries them as ``x-i18n``: ``title`` on each schema (and each model nested in its
``$defs``), ``description`` on each property, in Chinese, English and Uyghur. This covers the model
schemas under ``schemas/`` and the event payload schemas of the AsyncAPI catalogues.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from govparts.core import spec
from govparts.core.parts import iter_parts

LOCALES = ("zh_Hans_CN", "en", "ug_CN")
CJK = re.compile(r"[\u4e00-\u9fff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
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
