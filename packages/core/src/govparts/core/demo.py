"""The shared scenario of ``govparts demo``: one synthetic office, every installed part, one database.

A part takes part in the scenario by naming, in its descriptor, a mapping of phase → function::

    PART = Part(name="attendance", ..., demo="govparts.attendance.demo:SCENARIO")
    SCENARIO = {"setup": setup, "operate": operate, "close": close, "report": report}

Each function is called as ``fn(ctx)`` with the one :class:`DemoContext` of the run. The runner
(:func:`run_scenario`) calls the phases in :data:`PHASES` order; within a phase it calls the parts in
:data:`PART_ORDER` (the order of the story: people first, then their time, their assets, the money,
the paper; parts it does not know come after, by name), and after each part's phase it drains the
outbox through every handler the parts registered on ``ctx.dispatcher``, so events flow between the
parts as they would between two vendors' systems. A phase a part does not name is skipped for it.

Parts never import each other. What one part's phase leaves for another travels as events or as
core types in ``ctx.facts`` under the keys documented here (:data:`PEOPLE`, :data:`LEAVER`…); a part
that finds a fact missing (its producer is not installed) does what it can without it.

With ``govparts demo --broker`` each part runs as an agency of its own: its own process, its own
database and its own :class:`DemoContext`, the events travelling through NATS JetStream (the phases
in the same order, each run by :func:`run_step`, the closing checks by :func:`closing_checks` in every
agency). Only the :data:`SHARED_FACTS` are carried between the agencies; so a part reads another
part's data only from the events its handlers received, never from the database (another part's
tables, the outbox of events another part published) nor from another part's own facts.

The phases:

``setup``
    Every part prepares its own data for the office (``ctx.office``: the organisation with a valid
    credit code and a dozen units) and registers its event handlers on ``ctx.dispatcher``.
``staff``
    People are hired and moved (personnel); consumers learn of them through the events.
``operate``
    The month's business (``ctx.year``/``ctx.month``): attendance, purchases, documents.
``separate``
    One person leaves (personnel publishes the separation; consumers react).
``close``
    Month-end work: the return of what the leaver held, depreciation, month close, archiving.
``report``
    Every part checks its figures and adds its tables (``ctx.table``).

Checks are texts in ``ctx.locale`` with a pass/fail verdict (``ctx.check``); the run passes when every
check passed. Afterwards the runner itself checks that the audit chain holds and the outbox is drained.
All people and organisations are synthetic.

Every check and table also has a stable id that does not depend on the locale, for programs that read
the report (``govparts demo --json``): ``<part>.<slug>``, the slug given by the part (``id=``) or made
from the English text (``("借贷平衡", "the books balance", "…")`` → ``finance.the-books-balance``);
a text given already localised, with no id, is numbered within its part and phase instead
(``finance.report.2``). An id met twice in one run gets ``-2``, ``-3``… in the order of the run.
Table cells keep their kind: :class:`~govparts.core.money.Money` (also a cell already formatted
by ``Money.format`` in the run's locale, recognised by formatting it again), whole numbers and text.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .i18n import normalize_locale
from .ids import credit_code
from .money import Money
from .refs import OrganizationRef, OrgUnitRef, PersonRef

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from .events import Dispatcher
    from .parts import Part

__all__ = [
    "ASSET_REGISTER",
    "LEAVER",
    "MANAGERS",
    "OFFICE_KINDS",
    "PART_ORDER",
    "PEOPLE",
    "PHASES",
    "PHASE_TITLES",
    "SHARED_FACTS",
    "Cell",
    "DemoCheck",
    "DemoContext",
    "DemoTable",
    "Office",
    "Phase",
    "Texts",
    "closing_checks",
    "facts_from_json",
    "facts_to_json",
    "make_office",
    "order_parts",
    "plan",
    "run_scenario",
    "run_step",
    "slug",
]

PHASES: tuple[str, ...] = ("setup", "staff", "operate", "separate", "close", "report")
"""The phases of the scenario, in the order they run."""

PHASE_TITLES: Mapping[str, Mapping[str, str]] = {
    "setup": {"zh_Hans_CN": "建立单位", "en": "Setting up the office", "ug_CN": "ئورۇن قۇرۇش"},
    "staff": {
        "zh_Hans_CN": "人员入职与调动",
        "en": "Hiring and moving staff",
        "ug_CN": "خادىم قوبۇل قىلىش ۋە يۆتكەش",
    },
    "operate": {"zh_Hans_CN": "本月业务", "en": "The month's business", "ug_CN": "بۇ ئايلىق ئىشلار"},
    "separate": {"zh_Hans_CN": "人员离职", "en": "A person leaves", "ug_CN": "خادىم ئايرىلىش"},
    "close": {"zh_Hans_CN": "月末处理", "en": "Closing the month", "ug_CN": "ئاي ئاخىرىدىكى بىر تەرەپ قىلىش"},
    "report": {"zh_Hans_CN": "核对与报表", "en": "Checks and reports", "ug_CN": "تەكشۈرۈش ۋە دوكلات"},
}

PART_ORDER: tuple[str, ...] = ("personnel", "attendance", "assets", "finance", "archives")
"""The order of the parts within a phase; parts not listed run after these, by name."""

PEOPLE = "people"
"""Fact: ``list[PersonRef]`` of everyone employed after ``staff`` (set by personnel)."""
LEAVER = "leaver"
"""Fact: the ``PersonRef`` of the person who leaves in ``separate`` (chosen by personnel in ``staff``)."""
MANAGERS = "managers"
"""Fact: ``dict[str, PersonRef]`` of the head of each unit, by unit code (set by personnel)."""
ASSET_REGISTER = "asset_register"
"""Fact: ``dict[str, Money]`` of the asset register's totals per ledger account, signed debit positive
as a trial balance shows them — original values on 1601/1701, accumulated depreciation through the
month on 1602/1702 negative — for the books to be checked against (set by assets in ``report``)."""

SHARED_FACTS: Mapping[str, Any] = {
    PEOPLE: list[PersonRef],
    LEAVER: PersonRef | None,
    MANAGERS: dict[str, PersonRef],
    ASSET_REGISTER: dict[str, Money],
}
"""The facts one part leaves for others, with their types: the scenario's cast list, not business
data. When the parts run as separate agencies (``govparts demo --broker``) the runner carries these
between them as JSON (:func:`facts_to_json`); a part's own facts (keys it prefixes with its name)
stay in its process, and business data travels only as events."""

Texts = str | Sequence[str] | Mapping[str, str]
"""A text for :meth:`DemoContext.text`: already localised, ``(zh, en, ug)``, or by locale."""

Phase = Callable[["DemoContext"], None]

Cell = str | int | Money
"""A table cell as a program reads it: text (already in the locale), a whole number or an amount."""

_LOCALES = ("zh_Hans_CN", "en", "ug_CN")
_SLUG_LENGTH = 64


def slug(text: str) -> str:
    """``text`` as a lower-case ASCII kebab-case id of at most 64 characters, cut between words.

    >>> slug("Trial balance — financial accounting")
    'trial-balance-financial-accounting'
    >>> slug("the month's payment quota is received")
    'the-months-payment-quota-is-received'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain.replace("'", ""))
    kept: list[str] = []
    for word in words:
        if kept and len("-".join([*kept, word])) > _SLUG_LENGTH:
            break
        kept.append(word)
    return "-".join(kept)[:_SLUG_LENGTH]


def _english(texts: Texts) -> str | None:
    """The English form of ``texts``, or None for a text given already localised."""
    if isinstance(texts, str):
        return None
    if isinstance(texts, Mapping):
        found = texts.get("en")
        return str(found) if found else None
    return str(texts[_LOCALES.index("en")])


# -- the office ------------------------------------------------------------------------------------

_UNITS: tuple[tuple[str, str, str, str], ...] = (
    ("BGS", "办公室", "General Office", "ئىشخانا"),
    ("ZCFGK", "政策法规科", "Policy and Regulations Section", "سىياسەت ۋە نىزاملار بۆلۈمى"),
    ("RSK", "人事科", "Personnel Section", "كادىرلار بۆلۈمى"),
    ("CWK", "财务科", "Finance Section", "مالىيە بۆلۈمى"),
    ("ZCGLK", "资产管理科", "Asset Management Section", "مۈلۈك باشقۇرۇش بۆلۈمى"),
    ("DAS", "档案室", "Archives Office", "ئارخىپخانا"),
    ("XXZX", "信息中心", "Information Centre", "ئۇچۇر مەركىزى"),
    ("ZWFWK", "政务服务科", "Government Services Section", "ھۆكۈمەت مۇلازىمىتى بۆلۈمى"),
    ("JCJDK", "监察监督科", "Supervision Section", "نازارەت قىلىش بۆلۈمى"),
    ("TJK", "统计科", "Statistics Section", "ستاتىستىكا بۆلۈمى"),
    ("XCK", "宣传科", "Publicity Section", "تەشۋىقات بۆلۈمى"),
    ("HQFWZX", "后勤服务中心", "Logistics Service Centre", "ئارقا سەپ مۇلازىمەت مەركىزى"),
)


@dataclass(frozen=True)
class Office:
    """The synthetic office of the scenario: an organisation and its units, in three languages."""

    organization: OrganizationRef
    names: Mapping[str, str]
    """The organisation's name by locale."""
    division_code: str
    """GB/T 2260 county of the organisation (its calendar region)."""
    units: tuple[OrgUnitRef, ...]
    unit_names: Mapping[str, Mapping[str, str]]
    """Each unit's name by locale, by unit code."""

    @property
    def credit_code(self) -> str:
        """The organisation's unified social credit code."""
        return self.organization.credit_code


OFFICE_KINDS: Mapping[str, tuple[str, str, Mapping[str, str]]] = {
    # kind: (GB 32100 registration authority + category, GB/T 2260 county, name by locale)
    "administrative": (
        "11",  # 机构编制部门 · 机关
        "650102",
        {
            "zh_Hans_CN": "乌鲁木齐市天山区政务服务和数据管理局",
            "en": "Government Services and Data Administration of Tianshan District, Ürümqi",
            "ug_CN": "ئۈرۈمچى شەھىرى تيانشان رايونلۇق ھۆكۈمەت مۇلازىمىتى ۋە سانلىق مەلۇمات باشقۇرۇش ئىدارىسى",
        },
    ),
    "institution": (
        "12",  # 机构编制部门 · 事业单位
        "653101",
        {
            "zh_Hans_CN": "喀什市疾病预防控制中心",
            "en": "Centre for Disease Control and Prevention of Kashgar City",
            "ug_CN": "قەشقەر شەھەرلىك كېسەللىكنىڭ ئالدىنى ئېلىش ۋە كونترول قىلىش مەركىزى",
        },
    ),
}
"""The kinds of office the scenario builds: a government body (机关) and a public institution (事业单位)."""


def make_office(seed: int, kind: str = "administrative") -> Office:
    """The office for ``seed``: by default a government body (机关, GB 32100 ``11``) in Ürümqi's
    Tianshan district; ``kind="institution"`` a public institution (事业单位, ``12``) in Kashgar.

    The credit code's registration body part is drawn from ``seed`` and carries a valid GB 32100
    check character, so different seeds give different, equally valid offices.
    """
    prefix, division, names = OFFICE_KINDS[kind]
    rng = random.Random(seed)
    body = prefix + division + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=9))
    code = body + credit_code.calc_check_character(body)
    organization = OrganizationRef(credit_code=code, name=names["zh_Hans_CN"])
    units = tuple(OrgUnitRef(organization_credit_code=code, unit_code=c, name=zh) for c, zh, _, _ in _UNITS)
    unit_names = {c: {"zh_Hans_CN": zh, "en": en, "ug_CN": ug} for c, zh, en, ug in _UNITS}
    return Office(organization, dict(names), division, units, unit_names)


# -- what the phases see ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCheck:
    """One checked outcome: which part and phase, the text, the verdict, a detail, the stable id."""

    part: str
    phase: str
    name: str
    passed: bool
    detail: str = ""
    id: str = ""
    """``<part>.<slug>``, the same in every locale (see the module's docstring)."""


@dataclass(frozen=True)
class DemoTable:
    """A table a part reports (headcount, trial balance…): texts already in the locale."""

    part: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    """The cells as people read them in the locale (amounts formatted)."""
    rtl_columns: tuple[int, ...] = ()
    """Indexes of columns holding right-to-left text (Uyghur names), for the renderer to isolate."""
    key: str = ""
    """``<part>.<slug>`` of the English title, the same in every locale."""
    values: tuple[tuple[Cell, ...], ...] = ()
    """The cells as programs read them: amounts as :class:`Money`, whole numbers as ``int``."""


@dataclass
class DemoContext:
    """Everything a phase of the scenario can use; one per run, shared by every part."""

    engine: Engine
    dispatcher: Dispatcher
    office: Office
    locale: str = "zh_Hans_CN"
    seed: int = 2023
    year: int = 2023
    """The scenario's month: April 2023 holds a national holiday (清明节, 04-05), a Xinjiang regional
    holiday (肉孜节, 04-21 given off) and a make-up workday (Sunday 04-23, for 劳动节)."""
    month: int = 4
    facts: dict[str, Any] = field(default_factory=dict)
    checks: list[DemoCheck] = field(default_factory=list)
    tables: list[DemoTable] = field(default_factory=list)
    part: str = ""
    """The part whose phase is running (set by the runner)."""
    phase: str = ""
    """The phase that is running (set by the runner)."""
    rng: random.Random = field(init=False)
    _ids: set[str] = field(init=False, default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self.locale = normalize_locale(self.locale)
        self.rng = random.Random(self.seed)

    def _unique(self, wanted: str) -> str:
        found, n = wanted, 1
        while found in self._ids:
            n += 1
            found = f"{wanted}-{n}"
        self._ids.add(found)
        return found

    def _id(self, texts: Texts, given: str | None, fallback: str) -> str:
        """``<part>.<given>``, else ``<part>.<slug of the English text>``, else ``<part>.<fallback>``."""
        english = _english(texts)
        tail = given or (english and slug(english)) or fallback
        return self._unique(f"{self.part}.{tail}")

    def _cell(self, value: object) -> Cell:
        if isinstance(value, Money) or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        text = str(value)
        amount = _money_in(text, self.locale)
        return text if amount is None else amount

    def _display(self, value: Cell) -> str:
        return value.format(self.locale) if isinstance(value, Money) else str(value)

    def random_for(self, part: str) -> random.Random:
        """A generator of its own for ``part``, so one part's draws do not shift another's."""
        return random.Random(f"{self.seed}:{part}")

    def text(self, texts: Texts) -> str:
        """``texts`` in the run's locale: a str as is, ``(zh, en, ug)`` by position, or a mapping."""
        if isinstance(texts, str):
            return texts
        if isinstance(texts, Mapping):
            return str(texts.get(self.locale) or texts.get("zh_Hans_CN") or next(iter(texts.values())))
        return str(texts[_LOCALES.index(self.locale)])

    def check(self, name: Texts, passed: bool, detail: object = "", *, id: str | None = None) -> bool:
        """Record a checked outcome of the running part and phase; returns ``passed``.

        ``id`` (a kebab-case slug) names the check for programs; by default the slug of the English
        text (see the module's docstring).
        """
        count = 1 + sum(1 for c in self.checks if (c.part, c.phase) == (self.part, self.phase))
        key = self._id(name, id, f"{self.phase}.{count}")
        self.checks.append(DemoCheck(self.part, self.phase, self.text(name), bool(passed), str(detail), key))
        return bool(passed)

    def table(
        self,
        title: Texts,
        columns: Sequence[Texts],
        rows: Iterable[Sequence[object]],
        *,
        rtl_columns: Sequence[int] = (),
    ) -> DemoTable:
        """Add a table to the report.

        A :class:`Money` cell is shown formatted in the locale and kept as an amount; so is a text
        cell that ``Money.format`` made in the run's locale. Whole numbers stay numbers; any other
        cell is shown and kept as ``str(cell)``.
        """
        values = tuple(tuple(self._cell(cell) for cell in row) for row in rows)
        count = 1 + sum(1 for t in self.tables if t.part == self.part)
        table = DemoTable(
            self.part,
            self.text(title),
            tuple(self.text(c) for c in columns),
            tuple(tuple(self._display(cell) for cell in row) for row in values),
            tuple(rtl_columns),
            self._id(title, None, f"table-{count}"),
            values,
        )
        self.tables.append(table)
        return table

    def dispatch(self) -> int:
        """Drain the outbox through the registered handlers; a failed delivery is a failed check."""
        report = self.dispatcher.run()
        for failure in report.failures:
            self.check(
                ("事件已送达处理程序", "an event reached its handler", "ھادىسە بىر تەرەپ قىلغۇچىغا يەتتى"),
                False,
                f"{failure.handler_id} · {failure.event_type} · {failure.error}",
                id=f"{self.phase}.event-delivered",
            )
        return report.delivered


def _money_in(text: str, locale: str) -> Money | None:
    """The amount ``text`` shows when it is exactly ``Money.format(locale)`` of it, else None.

    Every amount is formatted with its two decimal places, so its digits are the amount in fen;
    formatting that amount again must give ``text`` back, character for character.
    """
    digits = "".join(re.findall(r"[0-9]", text))
    if len(digits) < 3:
        return None
    sign = "-" if re.match(r"[^0-9]*[-\u2212]", text) else ""
    amount = Money.of(f"{sign}{digits[:-2]}.{digits[-2:]}")
    return amount if amount.format(locale) == text else None


# -- running ---------------------------------------------------------------------------------------


def order_parts(parts: Iterable[Part]) -> list[Part]:
    """``parts`` in the scenario's order (:data:`PART_ORDER`, then the others by name)."""
    rank = {name: i for i, name in enumerate(PART_ORDER)}
    return sorted(parts, key=lambda p: (rank.get(p.name, len(rank)), p.name))


def _scenario_of(part: Part) -> Mapping[str, Phase] | None:
    found = part.load("demo") if part.demo is not None else None
    return found if isinstance(found, Mapping) else None


def plan(parts: Iterable[Part]) -> list[tuple[Part, str, Phase]]:
    """The (part, phase, function) calls of a run over ``parts``, in the order they are made."""
    scenarios = [(part, s) for part in order_parts(parts) if (s := _scenario_of(part)) is not None]
    return [
        (part, phase, step)
        for phase in PHASES
        for part, scenario in scenarios
        if (step := scenario.get(phase)) is not None
    ]


_RAN_TO_END = ("该环节运行完毕", "the phase ran to its end", "بۇ باسقۇچ ئاخىرىغىچە ئىجرا بولدى")


def facts_to_json(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The :data:`SHARED_FACTS` among ``facts`` as JSON-ready data (others are left out)."""
    from pydantic import TypeAdapter

    return {
        key: TypeAdapter(kind).dump_python(facts[key], mode="json")
        for key, kind in SHARED_FACTS.items()
        if key in facts
    }


def facts_from_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """The :data:`SHARED_FACTS` read back from :func:`facts_to_json`'s data, typed again."""
    from pydantic import TypeAdapter

    return {
        key: TypeAdapter(kind).validate_python(data[key]) for key, kind in SHARED_FACTS.items() if key in data
    }


def run_step(ctx: DemoContext, part: str, phase: str, step: Phase, *, dispatch: bool = True) -> None:
    """Run one part's phase as :func:`run_scenario` does: the step, then (``dispatch``) the outbox
    drained through ``ctx.dispatcher``; an error is a failed check of that part and phase."""
    from .errors import GovPartsError

    ctx.part, ctx.phase = part, phase
    try:
        step(ctx)
        if dispatch:
            ctx.dispatch()
    except GovPartsError as err:
        ctx.check(_RAN_TO_END, False, err.message(ctx.locale), id=f"{phase}.ran-to-end")
    except Exception as exc:  # a part's own bug must show in the report, not end the demo
        ctx.check(_RAN_TO_END, False, f"{type(exc).__name__}: {exc}", id=f"{phase}.ran-to-end")


def closing_checks(ctx: DemoContext) -> None:
    """Core's closing checks of a run on ``ctx.engine``: the outbox drained through ``ctx.dispatcher``,
    then the audit chain holds (``audit-chain-holds``) and nothing waits in the outbox
    (``outbox-drained``)."""
    from . import audit, events

    ctx.part, ctx.phase = "core", "report"
    ctx.dispatch()
    verified = audit.verify(ctx.engine)
    ctx.check(
        ("审计链完整", "the audit chain holds", "تەپتىش زەنجىرى پۈتۈن"),
        verified.ok,
        verified.message(ctx.locale),
        id="audit-chain-holds",
    )
    waiting = events.pending(ctx.engine)
    ctx.check(
        ("事件发件箱已清空", "the event outbox is drained", "ھادىسە چىقىش ساندۇقى بوشىتىلدى"),
        not waiting,
        f"{len(waiting)}",
        id="outbox-drained",
    )


def run_scenario(
    ctx: DemoContext,
    parts: Iterable[Part],
    *,
    progress: Callable[[str, str], None] | None = None,
) -> DemoContext:
    """Run every phase of every part that offers a scenario, then the closing checks of core.

    ``progress(part, phase)`` is called before each part's phase (for a progress bar). An error in a
    phase is recorded as a failed check of that part and phase, and the run goes on.
    """
    for part, phase, step in plan(parts):
        if progress is not None:
            progress(part.name, phase)
        run_step(ctx, part.name, phase, step)
    if progress is not None:
        progress("core", "report")
    closing_checks(ctx)
    return ctx
