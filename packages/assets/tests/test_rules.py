"""Tests of the pure rules: depreciation schedules, category rules, disposal tiers, custody."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govparts.assets import (
    HistoryEvent,
    category_rule,
    check_custodian,
    depreciation_schedule,
    load_disposal_tiers,
    schedule_from_history,
)
from govparts.assets.rules import Segment, month_index, segment_amount_fen, segments_from_history
from govparts.core.errors import GuardFailed, InvalidInput, InvalidMoney
from govparts.core.money import Money

VECTORS = Path(__file__).with_name("vectors")


def _rows(name: str) -> list[dict[str, str]]:
    with (VECTORS / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_schedule_splits_evenly_when_it_can() -> None:
    """Charges 100.00 a month for 72 months on a 7,200.00 computer."""
    rows = depreciation_schedule(Money.of("7200.00"), 72, date(2024, 3, 15))
    assert len(rows) == 72
    assert {r.amount for r in rows} == {Money.of("100.00")}
    assert (rows[-1].year, rows[-1].month) == (2030, 2)


def test_schedule_starts_in_the_month_the_asset_is_added() -> None:
    """Starts with the month of the in-service date, even on its last day (当月增加，当月开始计提)."""
    rows = depreciation_schedule(Money.of("1200.00"), 12, date(2024, 1, 31))
    assert (rows[0].year, rows[0].month) == (2024, 1)
    assert (rows[-1].year, rows[-1].month) == (2024, 12)


def test_last_month_absorbs_rounding() -> None:
    """Gives 333.33, 333.33 and 333.34 for 1,000.00 over three months."""
    rows = depreciation_schedule(Money.of("1000.00"), 3, date(2024, 1, 1))
    assert [str(r.amount) for r in rows] == ["333.33", "333.33", "333.34"]


def test_rounding_up_never_overshoots() -> None:
    """Caps months at what is left when the rounded monthly amount would pass the cost."""
    rows = depreciation_schedule(Money.of("0.05"), 10, date(2024, 1, 1))
    assert sum(r.amount.fen for r in rows) == 5
    assert all(r.amount.fen == 1 for r in rows)
    assert len(rows) == 5


def test_zero_cost_has_no_schedule() -> None:
    """Returns no months for an asset of zero cost."""
    assert depreciation_schedule(Money.zero(), 12, date(2024, 1, 1)) == []


@pytest.mark.parametrize(
    ("value", "months", "field"), [("-1.00", 12, "original_value"), ("1.00", 0, "useful_life_months")]
)
def test_schedule_refuses_bad_input(value: str, months: int, field: str) -> None:
    """Refuses a negative cost or a life under one month, naming the field."""
    with pytest.raises(InvalidInput) as raised:
        depreciation_schedule(Money.of(value), months, date(2024, 1, 1))
    assert raised.value.field == field


def test_schedule_refuses_a_float() -> None:
    """Refuses a float cost (money is never a float)."""
    with pytest.raises(InvalidMoney):
        depreciation_schedule(1.5, 12, date(2024, 1, 1))  # type: ignore[arg-type]


def test_schedule_refuses_an_unknown_method() -> None:
    """Refuses a method other than straight line and units of work (政府会计准则第3号)."""
    with pytest.raises(InvalidInput) as raised:
        depreciation_schedule(Money.of("1.00"), 12, date(2024, 1, 1), method="declining")  # type: ignore[arg-type]
    assert raised.value.field == "method"


def test_units_of_work() -> None:
    """Charges in proportion to the units used and takes the rest when the units run out (工作量法)."""
    units = {(2024, 1): 100, (2024, 2): 0, (2024, 3): 250, (2024, 4): 700}
    rows = depreciation_schedule(
        Money.of("10000.00"), 1, date(2024, 1, 10), method="units_of_work", total_units=1000, units=units
    )
    assert [(r.month, str(r.amount)) for r in rows] == [(1, "1000.00"), (3, "2500.00"), (4, "6500.00")]


def test_units_of_work_needs_total_units() -> None:
    """Refuses units of work without a positive total, naming ``total_units``."""
    with pytest.raises(InvalidInput) as raised:
        depreciation_schedule(Money.of("1.00"), 1, date(2024, 1, 1), method="units_of_work")
    assert raised.value.field == "total_units"


@settings(max_examples=300, deadline=None)
@given(
    fen=st.integers(min_value=0, max_value=10**12),
    months=st.integers(min_value=1, max_value=600),
    units=st.lists(st.integers(min_value=0, max_value=10**6), min_size=0, max_size=40),
    total=st.integers(min_value=1, max_value=10**7),
)
def test_schedules_are_exact_and_never_negative(fen: int, months: int, units: list[int], total: int) -> None:
    """Adds up to the cost to the fen, never charges a negative month and never passes the cost."""
    cost = Money.from_fen(fen)
    rows = depreciation_schedule(cost, months, date(2020, 5, 1))
    assert sum(r.amount.fen for r in rows) == fen
    assert all(r.amount.fen > 0 for r in rows)
    assert len(rows) <= months
    worked = {(2020 + (4 + i) // 12, (4 + i) % 12 + 1): u for i, u in enumerate(units)}
    by_work = depreciation_schedule(
        cost, 1, date(2020, 5, 1), method="units_of_work", total_units=total, units=worked
    )
    charged = sum(r.amount.fen for r in by_work)
    assert all(r.amount.fen > 0 for r in by_work)
    assert charged <= fen
    if sum(units) >= total:
        assert charged == fen


@settings(max_examples=200, deadline=None)
@given(
    base=st.integers(min_value=0, max_value=10**10),
    months=st.integers(min_value=1, max_value=600),
)
def test_segment_formula_matches_its_cumulative_form(base: int, months: int) -> None:
    """Gives month amounts whose running total never passes the base and ends on it exactly."""
    segment = Segment(0, months, base, round(base / months))
    running = 0
    for index in range(months):
        running += segment_amount_fen(base, segment.monthly_fen, months, index)
        assert running <= base
    assert running == base


def _history() -> list[HistoryEvent]:
    return [HistoryEvent("registered", date(2024, 3, 15), Money.of("7200.00"), 72)]


def test_capitalised_repair_extends_the_life() -> None:
    """Spreads the rest plus the repair over the extended life (应用指南 一(四))."""
    rows = schedule_from_history(
        [*_history(), HistoryEvent("capitalised", date(2025, 3, 5), Money.of("1500.00"), 12)]
    )
    assert len(rows) == 84
    assert sum(r.amount.fen for r in rows) == 870000
    assert rows[11].amount == Money.of("100.00")
    assert rows[12].amount == Money.of("104.17")


def test_revaluation_spreads_the_new_value() -> None:
    """Keeps the months before a revaluation and spreads the new value over the rest of the life."""
    rows = schedule_from_history(
        [*_history(), HistoryEvent("revalued", date(2026, 3, 1), Money.of("3000.00"))]
    )
    before = [r for r in rows if (r.year, r.month) < (2026, 3)]
    assert sum(r.amount.fen for r in before) == 240000
    assert sum(r.amount.fen for r in rows) == 540000
    assert (rows[-1].year, rows[-1].month) == (2030, 2)


def test_partial_disposal_takes_its_share_of_depreciation() -> None:
    """Removes the disposed share of cost and of accumulated depreciation alike."""
    rows = schedule_from_history(
        [*_history(), HistoryEvent("partially_disposed", date(2025, 3, 1), Money.of("3600.00"))]
    )
    assert sum(r.amount.fen for r in rows) == 120000 + 300000


def test_disposal_ends_the_schedule_before_its_month() -> None:
    """Charges nothing in or after the disposal month (当月减少的固定资产，当月不再计提折旧)."""
    rows = schedule_from_history([*_history(), HistoryEvent("disposed", date(2024, 6, 1))])
    assert [(r.year, r.month) for r in rows] == [(2024, 3), (2024, 4), (2024, 5)]


def test_history_after_the_end_of_life_adds_nothing_to_depreciate() -> None:
    """Charges nothing more for a revaluation to zero after the asset is fully depreciated."""
    rows = schedule_from_history([*_history(), HistoryEvent("revalued", date(2031, 1, 1), Money.zero())])
    assert sum(r.amount.fen for r in rows) == 720000


def test_history_must_start_with_registration() -> None:
    """Refuses a history that does not begin with the registration, naming ``history``."""
    with pytest.raises(InvalidInput) as raised:
        segments_from_history([HistoryEvent("revalued", date(2024, 1, 1), Money.of("1.00"))])
    assert raised.value.field == "history"


def test_partial_disposal_cannot_exceed_cost() -> None:
    """Refuses disposing of more than the cost."""
    with pytest.raises(InvalidInput) as raised:
        schedule_from_history(
            [*_history(), HistoryEvent("partially_disposed", date(2025, 1, 1), Money.of("9000.00"))]
        )
    assert raised.value.field == "history.partially_disposed.value"


@settings(max_examples=150, deadline=None)
@given(
    fen=st.integers(min_value=1, max_value=10**9),
    months=st.integers(min_value=1, max_value=240),
    events=st.lists(
        st.tuples(
            st.sampled_from(["capitalised", "revalued", "partially_disposed"]),
            st.integers(min_value=0, max_value=300),
            st.integers(min_value=0, max_value=10**8),
            st.integers(min_value=0, max_value=60),
        ),
        max_size=5,
    ),
)
def test_histories_never_go_negative_or_past_the_cost(
    fen: int, months: int, events: list[tuple[str, int, int, int]]
) -> None:
    """Keeps every month positive and the total at most what was ever capitalised."""
    start = date(2020, 1, 1)
    history = [HistoryEvent("registered", start, Money.from_fen(fen), months)]
    ceiling = fen
    for kind, offset, drawn, extra in events:
        on = date(2020 + offset // 12, offset % 12 + 1, 1)
        value = min(drawn, fen // 2) if kind == "partially_disposed" else drawn
        if kind == "capitalised":
            ceiling += value
        if kind == "revalued":
            ceiling += value
        history.append(HistoryEvent(kind, on, Money.from_fen(value), extra))  # type: ignore[arg-type]
    try:
        rows = schedule_from_history(history)
    except InvalidInput as exc:
        # A partial disposal larger than what a revaluation left of the cost is refused: not this test's case.
        assume(exc.field != "history.partially_disposed.value")
        raise
    assert all(r.amount.fen > 0 for r in rows)
    assert sum(r.amount.fen for r in rows) <= ceiling
    periods = [month_index(r.year, r.month) for r in rows]
    assert periods == sorted(set(periods)), "a month appears twice"


@pytest.mark.parametrize("row", _rows("guide-table-1.csv"), ids=lambda r: r["category"])
def test_minimum_lives_follow_the_guide(row: dict[str, str]) -> None:
    """Holds the minimum life of 应用指南 表1 for each shipped category."""
    rule = category_rule(row["category"])
    assert rule.depreciated
    assert rule.min_months == int(row["min_years"]) * 12
    assert rule.default_months >= rule.min_months


@pytest.mark.parametrize("row", _rows("not-depreciated.csv"), ids=lambda r: r["category"])
def test_excluded_categories_are_not_depreciated(row: dict[str, str]) -> None:
    """Marks 文物和陈列品, 图书档案 and land as not depreciated."""
    assert not category_rule(row["category"]).depreciated


def test_category_rule_uses_the_longest_prefix() -> None:
    """Falls back from a class to its section and gives intangibles account 1702."""
    assert category_rule("2050000").min_months == 60
    assert category_rule("ZZ01").accumulated_account == "1702"
    assert category_rule("2010000").accumulated_account == "1602"


def test_category_rule_names_the_asset_account() -> None:
    """Keeps intangibles in 1701 无形资产 and every fixed-asset class, listed or not, in 1601 固定资产."""
    assert category_rule("ZZ01").asset_account == "1701"
    assert {category_rule(c).asset_account for c in ("1020000", "2010000", "4", "5", "6", "9999999")} == {
        "1601"
    }


def test_example_disposal_tiers() -> None:
    """Sends a disposal under 200,000 yuan to the department and one from 200,000 to the authority."""
    tiers = load_disposal_tiers()
    assert tiers.tier_for(Money.of("199999.99")).approver_role == "department_approver"
    assert tiers.tier_for(Money.of("200000.00")).approver_role == "asset_authority"
    assert tiers.roles == ("department_approver", "asset_authority")
    assert "196号" in tiers.source


def test_tier_table_must_end_unbounded(tmp_path: Path) -> None:
    """Refuses a tier table whose last tier has an upper bound."""
    path = tmp_path / "tiers.toml"
    path.write_text(
        'name = "x"\nsource = "y"\n[[tier]]\nbelow = "10.00"\napprover_role = "a"\n'
        'authority_zh = "甲"\nauthority_en = "a"\nauthority_ug = "ئا"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as raised:
        load_disposal_tiers(path)
    assert raised.value.field == "tier"


def test_custodian_check() -> None:
    """Refuses a move whose 'from' is not the current custodian, naming ``from_custodian``."""
    check_custodian("P-1", "P-1")
    with pytest.raises(GuardFailed) as raised:
        check_custodian("P-1", "P-2")
    assert raised.value.field == "from_custodian"
    assert "P-2" in raised.value.message("en")
