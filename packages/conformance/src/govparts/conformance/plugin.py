"""pytest plugin of the govparts conformance kit (entry point ``pytest11``: ``govparts-conformance``).

Installing the kit registers this plugin; by itself it only registers the ``verifies`` marker and
its options, and imports nothing beyond pytest and the kit's own small modules. Given a part and a
target, it adds one pytest item per check of the part's suite::

    pytest --govparts-conformance-part attendance \\
           --govparts-conformance-target vendor.app:make_service \\
           --govparts-conformance-report conformance.html

Options:

``--govparts-conformance-part PART``
    an installed part's name, or ``module:attribute`` of a ``Part`` or ``Suite``.
``--govparts-conformance-target MODULE:FACTORY``
    the factory of the implementation to test (called once per check).
``--govparts-conformance-report FILE``
    write the conformance statement at the end: ``.json``, ``.xml`` (JUnit) or ``.html``.
``--govparts-conformance-seed N``
    seed the checks' scenarios with N (default: a fresh seed, printed and recorded in the statement).

How results show in pytest: pass and fail as usual; skip (could not verify) as a skip; omit (an
optional feature not claimed) as a deselected item; error (a bug in the kit) as an error in setup.
The vendor's own tests marked ``@pytest.mark.verifies("ATT-012")`` count toward those requirements
(origin ``vendor`` in the statement): that is how a requirement the kit cannot test gets verified.
When the implementation does not conform, the run's exit status is 1 even if no item failed (a
MUST with no passing check is enough). A conformance run needs one process (no pytest-xdist).
"""

from __future__ import annotations

import pytest

VERIFIES_HELP = (
    "verifies(*requirement_ids): the test verifies these govparts requirements (ids such as ATT-012); "
    "during a conformance run (--govparts-conformance-part) its outcome counts toward them"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("govparts-conformance", "govparts conformance kit")
    group.addoption(
        "--govparts-conformance-part",
        metavar="PART",
        default=None,
        help="run this part's conformance suite (an installed part's name, or module:attribute of a Part)",
    )
    group.addoption(
        "--govparts-conformance-target",
        metavar="MODULE:FACTORY",
        default=None,
        help="factory returning the implementation to test, e.g. vendor.app:make_service",
    )
    group.addoption(
        "--govparts-conformance-report",
        metavar="FILE",
        default=None,
        help="write the conformance statement to FILE: .json, .xml (JUnit) or .html",
    )
    group.addoption(
        "--govparts-conformance-seed",
        metavar="N",
        default=None,
        type=int,
        help="seed of the checks' scenarios (default: a fresh seed, recorded in the statement)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", VERIFIES_HELP)
    part = config.getoption("govparts_conformance_part")
    target = config.getoption("govparts_conformance_target")
    report = config.getoption("govparts_conformance_report")
    seed = config.getoption("govparts_conformance_seed")
    if part is None and target is None and report is None and seed is None:
        return
    if part is None or target is None:
        raise pytest.UsageError(
            "--govparts-conformance-part and --govparts-conformance-target must be given together"
            + (" (--govparts-conformance-report needs both)" if report is not None else "")
            + (" (--govparts-conformance-seed needs both)" if seed is not None else "")
        )
    if getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
        # Each pytest-xdist process would state conformance from its share of the checks alone.
        raise pytest.UsageError("the conformance run needs one process: run it without pytest-xdist (-n)")
    from ._pytest_session import ConformanceSession

    session = ConformanceSession(config, part, target, report, seed)
    config.pluginmanager.register(session, ConformanceSession.NAME)
