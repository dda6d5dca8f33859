"""Shared fixtures of the assets tests: the reference service on the run's database backend."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

import govparts.assets.tables  # noqa: F401 - registers the tables before the engine fixture creates them
from govparts.assets.service import ReferenceService


@pytest.fixture
def service(engine: Engine) -> ReferenceService:
    """A reference service on this test's fresh database."""
    return ReferenceService(engine)
