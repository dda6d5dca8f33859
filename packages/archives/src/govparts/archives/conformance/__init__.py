"""The archives part's conformance kit: requirement catalogue, suite of checks, mutants.

The checks call only the :class:`~govparts.archives.service.ArchivesService` Protocol, so they run
against any implementation::

    from govparts.conformance import run_conformance
    assert run_conformance("archives", make_vendor_service).conforms
"""

from pathlib import Path

from govparts.conformance import Catalogue, Suite, collect_checks

from . import _checks

CATALOGUE = Catalogue.from_toml(Path(__file__).with_name("requirements.toml"))
"""The requirements (``ARC-001``…), with statements in three languages and their sources."""

SUITE = Suite(CATALOGUE, collect_checks(_checks))
"""Every check, by the requirements it verifies."""

__all__ = ["CATALOGUE", "SUITE"]
