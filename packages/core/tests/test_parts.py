"""Parts are discovered through their entry points and resolve their references lazily."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from govparts.core import parts
from govparts.core.errors import ConfigurationError, NotFound

TOY = parts.Part(
    name="toy",
    version="0.1.0",
    title={"zh_Hans_CN": "玩具", "en": "Toy", "ug_CN": "ئويۇنچۇق"},
    processes="govparts.core.i18n:SUPPORTED_LOCALES",
)


def _entry_points(value: str) -> list[EntryPoint]:
    return [EntryPoint(name="toy", value=value, group=parts.ENTRY_POINT_GROUP)]


def test_iter_parts_finds_registered_descriptors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finds a part registered under the govparts.parts entry-point group."""
    monkeypatch.setattr(parts, "entry_points", lambda group: _entry_points(f"{__name__}:TOY"))
    assert [p.name for p in parts.iter_parts()] == ["toy"]
    assert parts.get_part("toy").title_in("ug_CN") == "ئويۇنچۇق"


def test_entry_point_that_is_not_a_part_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuses an entry point naming something other than a Part."""
    monkeypatch.setattr(parts, "entry_points", lambda group: _entry_points("govparts.core.i18n:CORE"))
    with pytest.raises(ConfigurationError) as caught:
        list(parts.iter_parts())
    assert caught.value.field == parts.ENTRY_POINT_GROUP


def test_unknown_part_is_not_found() -> None:
    """Reports a part name that is not installed."""
    with pytest.raises(NotFound) as caught:
        parts.get_part("nope", parts=[TOY])
    assert caught.value.details["got"] == "nope"


def test_references_resolve_only_when_loaded() -> None:
    """Imports a referenced attribute on demand and gives None for an absent reference."""
    assert TOY.load("processes") == ("zh_Hans_CN", "ug_CN", "en")
    assert TOY.load("conformance") is None
    with pytest.raises(ConfigurationError):
        parts.load_reference("no.colon.here")
