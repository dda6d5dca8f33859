"""Shared fixtures of the attendance tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

import govparts.attendance.tables  # noqa: F401 - registers the tables before the engine fixture creates them
from govparts.attendance.service import ReferenceService


@pytest.fixture
def service(engine: Engine) -> Iterator[ReferenceService]:
    """A reference service on this run's database backend."""
    return ReferenceService(engine)
