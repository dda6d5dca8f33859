"""Repository-wide test setup.

Tests read messages in English unless they ask for a locale, whatever the developer's own ``LANG``;
tests of the other locales pass the locale explicitly (``err.message("ug_CN")``, ``use_locale``).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVPARTS_LOCALE", "en")
