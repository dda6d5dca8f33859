"""The attendance part's requirement catalogue, conformance suite and mutants.

Run it against any ``AttendanceService``::

    govparts conformance run --part attendance --target govparts.attendance.service:reference_factory
"""

from __future__ import annotations

from pathlib import Path

from govparts.conformance import Catalogue, Suite, collect_checks

from . import _checks, _sweeps

CATALOGUE = Catalogue.from_toml(Path(__file__).with_name("requirements.toml"))
SUITE = Suite(CATALOGUE, [*collect_checks(_checks), *collect_checks(_sweeps)])

__all__ = ["CATALOGUE", "SUITE"]
