"""Pure personnel rules: retirement age, service years, identity agreement, age bands, rank grades.

No I/O happens here except reading the package's own rule data (``data/retirement.toml``) once.

* Statutory retirement (法定退休年龄): :func:`statutory_retirement` follows the rule in force for the
  person's original retirement month: before 2025 the 1978 ages (men 60, women cadres 55, women
  workers 50; 国发〔1978〕104号); from 2025-01-01 the NPCSC decision of 2024-09-13 on gradually raising
  the statutory retirement age and its annex 办法 Art. 1 (1 month later for every 4 months of original
  retirement month from 2025-01, capped at 3 years; for women whose original age was 50, 1 month for
  every 2 months, capped at 5 years). The rules are data with their sources (:data:`RETIREMENT_RULES`).

  >>> from datetime import date
  >>> r = statutory_retirement(date(1965, 1, 15), "M60")
  >>> r.month.isoformat(), r.age_years, r.age_extra_months, r.delay_months
  ('2025-02-01', 60, 1, 1)

* Cumulative service years (工龄) from the date of first employment (参加工作时间): whole years.
* A citizen identity number must agree with the declared birth date and sex (GB 11643-1999 §5.3, §5.4).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from importlib.resources import files

from govparts.core.errors import InvalidInput
from govparts.core.i18n import N_
from govparts.core.ids import citizen_id as gb11643

from ._i18n import DOMAIN

__all__ = [
    "AGE_BANDS",
    "CADRE_CATEGORIES",
    "RANK_GRADES",
    "RETIREMENT_RULES",
    "Retirement",
    "RetirementGroup",
    "RetirementRule",
    "age_band",
    "age_on",
    "check_identity_agrees",
    "check_rank_grade",
    "retirement_group",
    "service_years",
    "statutory_retirement",
]

CADRE_CATEGORIES = frozenset({"11", "12", "21", "22"})
"""Staff categories counted as cadres (干部) for the original retirement age; ``23`` are workers."""

RANK_GRADES: dict[str, tuple[int, int]] = {
    "Z01": (8, 13),
    "Z02": (10, 15),
    "Z03": (11, 17),
    "Z04": (12, 18),
    "Z05": (13, 19),
    "Z06": (14, 20),
    "Z07": (15, 21),
    "Z08": (16, 22),
    "Z09": (17, 23),
    "Z10": (17, 24),
    "Z11": (18, 26),
    "Z12": (19, 27),
}
"""Grade (级别, 1 highest … 27) range of each rank, 公务员职务与职级并行规定 (2019) annex as reported by one
source (dzyyw.com; shared REFERENCE.md 11.6.5, confidence S). For Z10 四级主任科员 the source says 17–24,
a recollection 18–24: the wider range is kept so that no lawful grade is refused."""

AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("<=35", 0, 35),
    ("36-40", 36, 40),
    ("41-45", 41, 45),
    ("46-50", 46, 50),
    ("51-54", 51, 54),
    (">=55", 55, 200),
)
"""Age bands of the personnel statistics (公务员统计年报 style: 35岁及以下, 36–40 … 55岁及以上)."""


@dataclass(frozen=True)
class RetirementGroup:
    """How one group's age moves: original age, months of birth per month of delay, the cap."""

    code: str
    """``M60`` men; ``F55`` women cadres (original age 55); ``F50`` women workers (original age 50)."""
    original_age: int
    step_months: int
    """Every ``step_months`` of original retirement month after the reform start add one month; 0: none."""
    cap_months: int


@dataclass(frozen=True)
class RetirementRule:
    """One version of the statutory retirement rules, with its source."""

    id: str
    version: str
    in_force_from: date
    source: str
    groups: dict[str, RetirementGroup]
    reform_start: tuple[int, int] | None = None
    """First original retirement month (year, month) that the gradual delay applies to."""


def _load_rules() -> tuple[RetirementRule, ...]:
    text = files("govparts.personnel").joinpath("data", "retirement.toml").read_text(encoding="utf-8")
    rules = []
    for item in tomllib.loads(text)["rule"]:
        start = item.get("reform_start")
        rules.append(
            RetirementRule(
                id=item["id"],
                version=str(item["version"]),
                in_force_from=date.fromisoformat(item["in_force_from"]),
                source=item["source"],
                groups={
                    g["code"]: RetirementGroup(
                        g["code"], g["original_age"], g["step_months"], g["cap_months"]
                    )
                    for g in item["group"]
                },
                reform_start=(int(start[:4]), int(start[5:7])) if start else None,
            )
        )
    return tuple(sorted(rules, key=lambda r: r.in_force_from))


RETIREMENT_RULES: tuple[RetirementRule, ...] = _load_rules()
"""Every version of the rules, oldest first (``data/retirement.toml``)."""


@dataclass(frozen=True)
class Retirement:
    """A person's statutory retirement: the month, the age reached, the delay and the rule applied."""

    group: str
    month: date
    """First day of the month in which the person retires."""
    reached_on: date
    """The day the person reaches the statutory age (the birth day in :attr:`month`, or its last day)."""
    age_months: int
    delay_months: int
    rule_id: str

    @property
    def age_years(self) -> int:
        """Whole years of the statutory age."""
        return self.age_months // 12

    @property
    def age_extra_months(self) -> int:
        """Months beyond :attr:`age_years`."""
        return self.age_months % 12


def retirement_group(sex: str, category: str) -> str:
    """The retirement group of a person: ``M60`` for men, ``F55`` for women cadres, ``F50`` for women workers.

    Sex is the GB/T 2261.1-2003 code (``1`` male, ``2`` female); 国发〔1978〕104号 set 55 for women cadres
    and 50 for women workers; the 2024 decision keeps those original ages as the starting points.
    """
    if sex == "1":
        return "M60"
    if sex == "2":
        return "F55" if category in CADRE_CATEGORIES else "F50"
    raise InvalidInput(
        N_("{field}: the statutory retirement age needs sex 1 or 2 (GB/T 2261.1-2003), got {got}"),
        field="sex",
        got=sex,
        domain=DOMAIN,
    )


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _month_end_day(year: int, month: int, day: int) -> date:
    next_year, next_month = _add_months(year, month, 1)
    last = (date(next_year, next_month, 1) - date(year, month, 1)).days
    return date(year, month, min(day, last))


def statutory_retirement(
    birth_date: date, group: str, rules: tuple[RetirementRule, ...] = RETIREMENT_RULES
) -> Retirement:
    """The statutory retirement of a person born on ``birth_date`` in ``group`` (``M60``/``F55``/``F50``).

    The original retirement month is the birth month plus the original age. The rule applied is the
    latest version in force on the first day of that month. Under the 2024 decision (办法 Art. 1),
    with *n* the months from the reform start (2025-01) to the original month, the delay is
    ``min(n // step + 1, cap)`` months; a person whose original month is before 2025-01 is not delayed.
    """
    latest = rules[-1]
    if group not in latest.groups:
        raise InvalidInput(
            N_("{field}: {got} is not a retirement group (expected one of {allowed})"),
            field="group",
            got=group,
            allowed=sorted(latest.groups),
            domain=DOMAIN,
        )
    original_age = latest.groups[group].original_age
    year, month = _add_months(birth_date.year, birth_date.month, original_age * 12)
    original_month = date(year, month, 1)
    rule = next((r for r in reversed(rules) if r.in_force_from <= original_month), rules[0])
    spec = rule.groups[group]
    delay = 0
    if spec.step_months and rule.reform_start is not None:
        start_index = rule.reform_start[0] * 12 + rule.reform_start[1] - 1
        n = year * 12 + month - 1 - start_index
        if n >= 0:
            delay = min(n // spec.step_months + 1, spec.cap_months)
    age_months = spec.original_age * 12 + delay
    ret_year, ret_month = _add_months(birth_date.year, birth_date.month, age_months)
    return Retirement(
        group=group,
        month=date(ret_year, ret_month, 1),
        reached_on=_month_end_day(ret_year, ret_month, birth_date.day),
        age_months=age_months,
        delay_months=delay,
        rule_id=rule.id,
    )


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on ``on`` (a person born on 29 February ages on 1 March in common years)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def service_years(first_employment_date: date, on: date) -> int:
    """Cumulative service years (工龄) from the date of first employment (参加工作时间) to ``on``.

    Whole years completed, as the paid-annual-leave rules count them (职工带薪年休假条例 Art. 3:
    "已满1年", "已满10年"): 10 full years on the tenth anniversary. Never negative.
    """
    return max(0, age_on(first_employment_date, on))


def age_band(age: int) -> str:
    """The statistics age band (:data:`AGE_BANDS`) holding ``age``."""
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    raise InvalidInput(N_("{field}: {got} is not an age"), field="age", got=str(age), domain=DOMAIN)


def check_identity_agrees(number: str, birth_date: date, sex: str, *, field: str = "citizen_id") -> None:
    """Refuse a citizen identity number that disagrees with the declared birth date or sex.

    GB 11643-1999 §5.3: digits 7–14 are the birth date; §5.4: the sequence code is odd for men and
    even for women (GB/T 2261.1 codes ``1`` and ``2``). ``number`` must already be valid; the error
    names ``birth_date`` or ``sex``, the declared field that disagrees.
    """
    number = gb11643.check_fast(number)
    try:
        encoded = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:  # pragma: no cover - check_fast has refused an impossible date already
        encoded = gb11643.get_birth_date(number)
    # A foreign permanent-resident number (first digit 9) encodes no sex we know the rule of.
    encoded_sex = None if number[0] == "9" else ("1" if int(number[16]) % 2 else "2")
    if encoded != birth_date:
        raise InvalidInput(
            N_(
                "{field}: {got} disagrees with the birth date {expected} "
                "in the citizen identity number ({clause})"
            ),
            field="birth_date",
            got=birth_date.isoformat(),
            expected=encoded.isoformat(),
            clause="GB 11643-1999 §5.3",
            domain=DOMAIN,
        )
    if encoded_sex is not None and sex != encoded_sex:
        raise InvalidInput(
            N_(
                "{field}: {got} disagrees with the sex {expected} "
                "the citizen identity number encodes ({clause})"
            ),
            field="sex",
            got=sex,
            expected=encoded_sex,
            clause="GB 11643-1999 §5.4",
            domain=DOMAIN,
        )


def check_rank_grade(rank: str, grade: int) -> None:
    """Refuse a grade (级别) outside the range of ``rank`` (:data:`RANK_GRADES`, 2019 rank rules)."""
    low, high = RANK_GRADES[rank]
    if not low <= grade <= high:
        raise InvalidInput(
            N_("{field}: grade {got} is outside the range {low}–{high} of rank {rank}"),
            field="grade",
            got=str(grade),
            low=low,
            high=high,
            rank=rank,
            domain=DOMAIN,
        )
