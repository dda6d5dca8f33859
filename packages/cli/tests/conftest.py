"""Fixtures of the cli tests: a runner for the ``govparts`` app and fake installed parts.

The fake parts live in one package, ``probe_part``, written once per test session into a temporary
folder: its descriptors (``PART`` and variants), a migration branch, a process, an event type and
demo steps. Each test chooses which descriptors are "installed" (the ``install`` fixture patches
the entry points of :mod:`govparts.core.parts`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from govparts.core import parts

# Test modules import their shared helpers (``cli_support``) from beside them.
TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

from cli_support import PROBE_REVISION, Run, write  # noqa: E402 - needs the path above


@pytest.fixture
def run() -> Run:
    """The ``govparts`` command, run in-process."""
    return Run()


_PART = """
from govparts.core.parts import Part

TITLE = {"zh_Hans_CN": "探针部件", "en": "Probe part", "ug_CN": "سىناق قىسمى"}

PART = Part(
    name="probe",
    version="0.1.0",
    title=TITLE,
    migrations="probe_part.migrations",
    processes="probe_part.processes:PROCESSES",
    events="probe_part.events:EVENT_TYPES",
    demo="probe_part.demo:run",
)
# The same part with a demo step that finds a failure, and one whose processes are not specs.
FAILING = Part(name="probe", version="0.1.0", title=TITLE, demo="probe_part.demo:run_failing")
BROKEN = Part(name="probe", version="0.1.0", title=TITLE, processes="probe_part.processes:NOT_SPECS")
# Two parts taking part in the office's scenario (phases), one publishing a fact the other reads.
OFFICE = Part(name="probe", version="0.1.0", title=TITLE, demo="probe_part.demo:SCENARIO")
READER = Part(
    name="reader",
    version="0.1.0",
    title={"zh_Hans_CN": "读者部件", "en": "Reader part", "ug_CN": "ئوقۇرمەن قىسمى"},
    demo="probe_part.demo:READER",
)
"""

_MIGRATION = f'''
"""probe tables"""
import sqlalchemy as sa
from alembic import op

revision = "{PROBE_REVISION}"
down_revision = None
branch_labels = ("probe",)
depends_on = None


def upgrade() -> None:
    op.create_table("probe_thing", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("probe_thing")
'''

_PROCESSES = """
from govparts.core.process import LocalizedText, ProcessSpec, Role, State, Transition


def _t(zh, en, ug):
    return LocalizedText(zh_Hans_CN=zh, en=en, ug_CN=ug)


TICKET = ProcessSpec(
    id="probe.ticket",
    version="1.0",
    title=_t("工单", "Ticket", "خىزمەت تالونى"),
    entity="ticket",
    roles=(Role(id="clerk", label=_t("办事员", "Clerk", "خىزمەتچى")),),
    states=(
        State(id="open", label=_t("办理中", "Open", "بىر تەرەپ قىلىنىۋاتىدۇ")),
        State(id="closed", label=_t("已办结", "Closed", "تاماملاندى"), terminal=True),
    ),
    initial="open",
    transitions=(
        Transition(
            name="close",
            label=_t("办结", "Close", "تاماملاش"),
            source=("open",),
            target="closed",
            roles=("clerk",),
            event="cn.govparts.probe.ticket.closed.v1",
        ),
    ),
)
PROCESSES = [TICKET]
NOT_SPECS = ["probe.ticket"]
"""

_EVENTS = """
from pydantic import BaseModel

from govparts.core.events import EventType


class TicketClosed(BaseModel):
    ticket_id: str


CLOSED = EventType(
    "cn.govparts.probe.ticket.closed.v1",
    TicketClosed,
    {"zh_Hans_CN": "工单已办结", "en": "A ticket was closed", "ug_CN": "خىزمەت تالونى تاماملاندى"},
)
EVENT_TYPES = [CLOSED]
"""

_DEMO = """
import sqlalchemy as sa

from govparts.core.money import Money


def run(engine, *, locale):
    with engine.connect() as conn:
        found = sa.inspect(conn).has_table("probe_thing")
    yield {"name": "probe table migrated", "passed": found, "detail": locale}


def run_failing(engine, *, locale):
    yield {"name": "probe finds a fault", "passed": False, "detail": "on purpose"}


def staff(ctx):
    ctx.facts["probe.people"] = ["阿依古丽·艾力", "王建国"]


def report(ctx):
    ctx.check(("机构有信用代码", "the office has a credit code", "ئورۇننىڭ ئىناۋەت كودى بار"),
              len(ctx.office.credit_code) == 18, ctx.office.credit_code)
    ctx.table(("人员", "People", "خادىملار"), [("姓名", "Name", "ئىسمى")],
              [[name] for name in ctx.facts["probe.people"]] + [["ئايگۈل"]], rtl_columns=[0])
    if ctx.seed in (6, 16):  # figures: an amount formatted by the part, one given as Money, counts, dates
        ctx.table(
            ("科目余额", "Account balances", "ھېسابات قالدۇقى"),
            [("科目", "Account", "ھېسابات"), ("名称", "Name", "نامى"), ("余额", "Balance", "قالدۇق"),
             ("笔数", "Entries", "سانى"), ("日期", "Date", "چېسلا")],
            [
                ["1011", ctx.text(("零余额账户用款额度", "Zero-balance account quota", "نۆل قالدۇقلۇق")),
                 Money.of("237090").format(ctx.locale), 3, "2023-04-30"],
                ["6001", ctx.text(("财政拨款预算收入", "Appropriation revenue", "ئاجراتما كىرىمى")),
                 Money.of("-300000"), 1, "2023-04-03"],
            ],
        )
        balanced = ("借贷平衡", "the books balance", "ھېسابات تەڭپۇڭ")
        ctx.check(balanced, True, Money.of("5680").format(ctx.locale))
        ctx.check(balanced, True, "again")
        ctx.check(ctx.text(("已本地化", "already localised", "يەرلىكلەشتۈرۈلگەن")), True)
        ctx.check(("有编号", "has an id", "نومۇرى بار"), True, id="named-by-the-part")


def read(ctx):
    seen = ctx.facts.get("probe.people", [])
    ctx.check(("读到人员", "people read", "خادىملار ئوقۇلدى"), len(seen) == 2, len(seen))
    if ctx.seed == 13:
        raise RuntimeError("seed 13 is unlucky")


SCENARIO = {"staff": staff, "report": report}
READER = {"operate": read}
"""


@pytest.fixture(scope="session")
def probe_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the package ``probe_part`` (the fake parts), written once."""
    site = tmp_path_factory.mktemp("site")
    package = site / "probe_part"
    write(package / "__init__.py", '"""probe part"""\n')
    write(package / "part.py", _PART)
    write(package / "migrations" / "__init__.py", '"""probe migrations"""\n')
    write(package / "migrations" / "0001_probe.py", _MIGRATION)
    write(package / "processes.py", _PROCESSES)
    write(package / "events.py", _EVENTS)
    write(package / "demo.py", _DEMO)
    return site


@pytest.fixture
def install(probe_site: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``install("probe_part.part:PART", …)`` makes those descriptors the installed parts."""
    monkeypatch.syspath_prepend(str(probe_site))

    def installed(*references: str) -> None:
        entries = [EntryPoint(name="probe", value=ref, group=parts.ENTRY_POINT_GROUP) for ref in references]
        monkeypatch.setattr(
            parts, "entry_points", lambda group: entries if group == parts.ENTRY_POINT_GROUP else []
        )

    installed()
    return installed


@pytest.fixture
def probe_part(install: Callable[..., None]) -> None:
    """The fake part ``probe`` installed, with its migrations, process, event type and demo step."""
    install("probe_part.part:PART")
