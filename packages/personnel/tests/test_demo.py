"""The personnel demo step runs its scenario and every check passes."""

import pytest
from sqlalchemy.engine import Engine

from govparts.personnel.demo import demo

pytestmark = pytest.mark.db


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "ug_CN", "en"])
def test_demo_checks_pass(engine: Engine, locale: str) -> None:
    """Passes every check of the scenario, named in the locale asked for."""
    checks = demo(engine, locale=locale)
    assert len(checks) == 6
    assert all(c["passed"] for c in checks), checks
    if locale == "ug_CN":
        assert all(any("\u0600" <= ch <= "\u06ff" for ch in c["name"]) for c in checks)
