"""The assets part's messages: every message id has a Chinese and a Uyghur translation."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest
from babel.messages.pofile import read_po

LOCALE = files("govparts.assets").joinpath("locale")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
SCRIPT = {"zh_Hans_CN": re.compile(r"[\u4e00-\u9fff]"), "ug_CN": re.compile(r"[\u0600-\u06ff]")}


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "ug_CN"])
def test_every_message_is_translated(locale: str) -> None:
    """Translates every message id of the template, keeping its placeholders, in the locale's script."""
    template = read_po(LOCALE.joinpath("messages.pot").open("rb"))
    catalog = read_po(LOCALE.joinpath(f"{locale}/LC_MESSAGES/govparts-assets.po").open("rb"))
    ids = [m.id for m in template if m.id]
    assert len(ids) >= 20
    for message_id in ids:
        translated = catalog.get(message_id)
        assert translated is not None, message_id
        assert translated.string, f"{locale}: {message_id} is not translated"
        assert sorted(PLACEHOLDER.findall(translated.string)) == sorted(PLACEHOLDER.findall(message_id))
        assert SCRIPT[locale].search(translated.string), (
            f"{locale}: {translated.string!r} is not in its script"
        )
