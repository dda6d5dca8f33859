"""Money: exact two-place CNY amounts; floats and silent rounding refused; pydantic and JSON contract."""

from __future__ import annotations

import copy
import json
import pickle
import re
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from govparts.core.errors import GovPartsError, InvalidMoney, InvalidRecord, from_validation_error
from govparts.core.i18n import use_locale
from govparts.core.money import CURRENCY, PATTERN, Money

LIMIT = 10**18  # in fen: amounts are smaller than 10^16 yuan

fens = st.integers(min_value=-(LIMIT // 4), max_value=LIMIT // 4)
moneys = fens.map(Money.from_fen)


# --- construction -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.30", "12.30"),
        ("12.3", "12.30"),
        ("12", "12.00"),
        ("12.300", "12.30"),
        ("0001.5", "1.50"),
        ("-7.05", "-7.05"),
        ("-0", "0.00"),
        ("-0.00", "0.00"),
        ("9999999999999999.99", "9999999999999999.99"),
        (0, "0.00"),
        (12, "12.00"),
        (-3, "-3.00"),
        (Decimal("1.5"), "1.50"),
        (Decimal("1.50000"), "1.50"),
        (Decimal("-0"), "0.00"),
        (Decimal("1E+2"), "100.00"),
    ],
)
def test_accepts_exact_amounts(value: str | int | Decimal, expected: str) -> None:
    """Accepts text, whole numbers and Decimals with at most two significant places, as two-place money."""
    money = Money.of(value)
    assert str(money) == expected
    assert money.amount.as_tuple().exponent == -2
    assert Money(value) == money


def test_float_is_refused_with_a_clear_message() -> None:
    """Refuses a float with InvalidMoney saying to pass a string or Decimal."""
    with pytest.raises(InvalidMoney) as caught:
        Money.of(0.1)  # type: ignore[arg-type]
    assert caught.value.message("en") == (
        "amount: floats are not accepted for money, pass a string or Decimal"
    )
    assert caught.value.code == "invalid-money"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1.005", "more than two decimal places"),
        ("0.001", "more than two decimal places"),
        (Decimal("1.001"), "more than two decimal places"),
        (Decimal("0.125"), "more than two decimal places"),
        ("NaN", "not a finite amount"),
        ("Infinity", "not a finite amount"),
        (Decimal("NaN"), "not a finite amount"),
        (Decimal("-Infinity"), "not a finite amount"),
        (Decimal("sNaN"), "not a finite amount"),
        ("10000000000000000", "out of range"),
        ("-10000000000000000.00", "out of range"),
        (10**16, "out of range"),
        (Decimal("1E+16"), "out of range"),
        ("1,234.50", "not an amount of money"),
        ("1e3", "not an amount of money"),
        (" 12", "not an amount of money"),
        ("+5", "not an amount of money"),
        ("12.", "not an amount of money"),
        (".5", "not an amount of money"),
        ("", "not an amount of money"),
        ("１２", "not an amount of money"),
        ("¥12", "not an amount of money"),
        (True, "got bool"),
        (None, "got NoneType"),
        ([12], "got list"),
        (Fraction(1, 2), "got Fraction"),
    ],
)
def test_inexact_or_malformed_amounts_are_refused(value: object, reason: str) -> None:
    """Refuses extra places, NaN, infinities, out-of-range and malformed values without rounding."""
    with pytest.raises(InvalidMoney) as caught:
        Money.of(value, field="salary")  # type: ignore[arg-type]
    message = caught.value.message("en")
    assert message.startswith("salary: ")
    assert reason in message


def test_refusal_names_the_value_and_never_rounds() -> None:
    """Quotes the refused text and leaves no rounded amount behind."""
    with pytest.raises(InvalidMoney) as caught:
        Money.of("2.345")
    assert caught.value.details["got"] == "2.345"
    assert "'2.345'" in caught.value.message("en")


def test_money_of_money_is_itself() -> None:
    """Returns the same object when given a Money."""
    money = Money.of("1.00")
    assert Money.of(money) is money
    assert Money(money) is money


def test_construction_ignores_the_callers_decimal_context() -> None:
    """Builds and adds exactly even when the thread's decimal context has low precision."""
    with localcontext() as ctx:
        ctx.prec = 3
        big = Money.of("123456789.12")
        assert str(big + Money.of("0.01")) == "123456789.13"
        assert str(big * 3) == "370370367.36"


def test_zero_and_fen() -> None:
    """Converts to and from whole fen and provides zero."""
    assert Money.zero() == Money.of(0)
    assert not Money.zero()
    assert Money.of("-10.50").fen == -1050
    assert Money.from_fen(1) == Money.of("0.01")
    with pytest.raises(InvalidMoney, match="out of range"):
        Money.from_fen(LIMIT)
    with pytest.raises(InvalidMoney, match="floats"):
        Money.from_fen(1.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidMoney, match="got str"):
        Money.from_fen("1")  # type: ignore[arg-type]


def test_rounded_rounds_only_when_asked() -> None:
    """Rounds a computed Decimal half up by default, or with the rounding mode asked for."""
    assert Money.rounded(Decimal("2.345")) == Money.of("2.35")
    assert Money.rounded(Decimal("-2.345")) == Money.of("-2.35")
    assert Money.rounded(Decimal("2.345"), rounding=ROUND_DOWN) == Money.of("2.34")
    assert Money.rounded("2.345") == Money.of("2.35")
    assert Money.rounded(7) == Money.of("7.00")
    with pytest.raises(InvalidMoney, match="floats"):
        Money.rounded(2.345)  # type: ignore[arg-type]
    with pytest.raises(InvalidMoney, match="not a finite"):
        Money.rounded(Decimal("NaN"))
    with pytest.raises(InvalidMoney, match="out of range"):
        Money.rounded(Decimal("1E+20"))
    with pytest.raises(InvalidMoney, match="not an amount"):
        Money.rounded("abc")


# --- arithmetic ---------------------------------------------------------------------------------


def test_addition_and_subtraction_are_exact() -> None:
    """Adds and subtracts to the fen with no binary-float error."""
    assert Money.of("0.10") + Money.of("0.20") == Money.of("0.30")
    assert Money.of("0.30") - Money.of("0.10") == Money.of("0.20")
    assert -Money.of("5.00") == Money.of("-5.00")
    assert abs(Money.of("-5.00")) == Money.of("5.00")
    assert +Money.of("5.00") == Money.of("5.00")
    assert str(-Money.zero()) == "0.00"
    assert str(Money.of("1.00") - Money.of("1.00")) == "0.00"


def test_sum_starts_from_zero() -> None:
    """Supports sum() with its integer start 0, and Money.total for long sequences."""
    amounts = [Money.of("1.10"), Money.of("2.20"), Money.of("3.30")]
    assert sum(amounts) == Money.of("6.60")
    assert sum(amounts, Money.zero()) == Money.of("6.60")
    assert Money.total(amounts) == Money.of("6.60")
    assert Money.total([]) == Money.zero()
    with pytest.raises(TypeError, match="Money only"):
        Money.total([Money.of(1), Decimal(1)])  # type: ignore[list-item]


@pytest.mark.parametrize("other", [1, Decimal("1.00"), "1.00"])
def test_adding_a_bare_number_is_a_type_error(other: object) -> None:
    """Refuses to add or subtract anything but Money (only 0 is accepted, as sum()'s start)."""
    with pytest.raises(TypeError):
        Money.of("1.00") + other  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money.of("1.00") - other  # type: ignore[operator]
    with pytest.raises(TypeError):
        other + Money.of("1.00")  # type: ignore[operator]


def test_adding_a_float_raises_invalid_money() -> None:
    """Refuses float operands with InvalidMoney rather than computing approximately."""
    for operation in (
        lambda m: m + 0.1,
        lambda m: 0.1 + m,
        lambda m: m - 0.1,
        lambda m: m * 1.5,
        lambda m: 1.5 * m,
    ):
        with pytest.raises(InvalidMoney, match="floats"):
            operation(Money.of("1.00"))


def test_result_out_of_range_is_refused() -> None:
    """Raises InvalidMoney when a sum or product leaves the range instead of rounding it."""
    big = Money.of("9999999999999999.99")
    with pytest.raises(InvalidMoney, match="out of range"):
        big + Money.of("0.01")
    with pytest.raises(InvalidMoney, match="out of range"):
        big * 2
    with pytest.raises(InvalidMoney, match="out of range"):
        big * Decimal("1.5")
    with pytest.raises(InvalidMoney, match="out of range"):
        Money.total([big, big])


def test_multiplication_by_whole_number_is_exact() -> None:
    """Multiplies by a whole number exactly, on either side."""
    assert Money.of("33.33") * 3 == Money.of("99.99")
    assert 3 * Money.of("33.33") == Money.of("99.99")
    assert Money.of("5.00") * 0 == Money.zero()
    assert str(Money.of("5.00") * -0) == "0.00"
    assert str(Money.zero() * -3) == "0.00"


@pytest.mark.parametrize(
    ("amount", "factor", "expected"),
    [
        ("10.05", "0.5", "5.03"),
        ("-10.05", "0.5", "-5.03"),
        ("10.04", "0.5", "5.02"),
        ("100.00", "0.0325", "3.25"),
        ("1234.56", "0.13", "160.49"),
        ("0.01", "0.49", "0.00"),
    ],
)
def test_multiplication_by_decimal_rounds_half_up(amount: str, factor: str, expected: str) -> None:
    """Rounds a product with more than two places half up (四舍五入, halves away from zero)."""
    assert Money.of(amount) * Decimal(factor) == Money.of(expected)
    assert Decimal(factor) * Money.of(amount) == Money.of(expected)


def test_multiply_takes_another_rounding_when_asked() -> None:
    """Uses the rounding mode a caller names instead of half up."""
    assert Money.of("0.25").multiply(Decimal("0.1")) == Money.of("0.03")
    assert Money.of("0.25").multiply(Decimal("0.1"), rounding=ROUND_HALF_EVEN) == Money.of("0.02")
    assert Money.of("0.25").multiply(Decimal("0.1"), rounding=ROUND_DOWN) == Money.of("0.02")


def test_multiplication_refuses_non_numbers() -> None:
    """Refuses Money × Money, NaN factors and other types."""
    with pytest.raises(TypeError):
        Money.of("1.00") * Money.of("1.00")  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money.of("1.00") * "2"  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money.of("1.00") * True  # type: ignore[operator]
    with pytest.raises(InvalidMoney, match="not a finite"):
        Money.of("1.00") * Decimal("NaN")


# --- allocation ---------------------------------------------------------------------------------


def test_split_gives_the_odd_fen_to_the_first_parts() -> None:
    """Splits 100.00 three ways as 33.34 + 33.33 + 33.33."""
    assert Money.of("100.00").split(3) == [Money.of("33.34"), Money.of("33.33"), Money.of("33.33")]
    assert Money.of("-0.10").split(3) == [Money.of("-0.04"), Money.of("-0.03"), Money.of("-0.03")]
    assert Money.of("0.01").split(2) == [Money.of("0.01"), Money.zero()]


def test_allocate_by_largest_remainder() -> None:
    """Allocates by ratio, giving leftover fen to the largest remainders and none to zero ratios."""
    assert Money.of("10.00").allocate([1, 2]) == [Money.of("3.33"), Money.of("6.67")]
    assert Money.of("0.05").allocate([1, 1, 0, 1]) == [
        Money.of("0.02"),
        Money.of("0.02"),
        Money.zero(),
        Money.of("0.01"),
    ]
    assert Money.of("100.00").allocate([Decimal("0.7"), Decimal("0.3")]) == [
        Money.of("70.00"),
        Money.of("30.00"),
    ]
    assert Money.of("1.00").allocate([Decimal("0.333"), 1]) == [Money.of("0.25"), Money.of("0.75")]


def test_monthly_depreciation_adds_up_to_the_original_value() -> None:
    """Splits an asset's 10,000.00 over 36 months into parts that add up to it exactly."""
    months = Money.of("10000.00").split(36)
    assert len(months) == 36
    assert sum(months) == Money.of("10000.00")
    assert {str(m) for m in months} == {"277.78", "277.77"}


@pytest.mark.parametrize(
    ("ratios", "reason"),
    [
        ([], "at least one ratio"),
        ([0, 0], "all zero"),
        ([1, -1], "cannot be negative"),
        ([1, 0.5], "floats"),
        ([1, "2"], "got str"),
        ([1, True], "got bool"),
        ([Decimal("NaN")], "not a finite"),
        ("12", "at least one ratio"),
    ],
)
def test_allocate_refuses_bad_ratios(ratios: object, reason: str) -> None:
    """Refuses empty, all-zero, negative, float and non-numeric ratios, naming the ratio."""
    with pytest.raises(InvalidMoney) as caught:
        Money.of("1.00").allocate(ratios)  # type: ignore[arg-type]
    assert reason in caught.value.message("en")
    assert str(caught.value.field).startswith("ratios")


@pytest.mark.parametrize("parts", [0, -1, 1.5, "3"])
def test_split_refuses_bad_part_counts(parts: object) -> None:
    """Refuses a number of parts that is not a whole number of at least one."""
    with pytest.raises(InvalidMoney, match="number of parts"):
        Money.of("1.00").split(parts)  # type: ignore[arg-type]


# --- comparison, hashing, immutability ----------------------------------------------------------


def test_comparisons_and_hashing() -> None:
    """Orders amounts, treats equal amounts as one set member, and is never equal to a bare number."""
    assert Money.of("1.00") < Money.of("1.01") <= Money.of("1.01") < Money.of("2")
    assert Money.of("2") > Money.of("-2") >= Money.of("-2.00")
    assert Money.of("1.00") != Money.of("1.01")
    assert len({Money.of("1"), Money.of("1.00"), Money.of(Decimal("1.000"))}) == 1
    assert Money.of("1.00") != Decimal("1.00")
    assert Money.of("0") != 0
    assert {Money.of("5"): "x"}[Money.of("5.00")] == "x"
    with pytest.raises(TypeError):
        assert Money.of("1.00") < 2  # type: ignore[operator]


def test_money_is_immutable_and_copies_are_itself() -> None:
    """Refuses attribute changes and pickles, copies and deep-copies to an equal value."""
    money = Money.of("8.80")
    with pytest.raises(AttributeError):
        money._amount = Decimal("9.99")  # type: ignore[misc]
    with pytest.raises(AttributeError):
        money.other = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        del money._amount
    assert pickle.loads(pickle.dumps(money)) == money
    assert copy.copy(money) is money
    assert copy.deepcopy([money])[0] is money
    assert money.currency == CURRENCY == "CNY"


def test_money_is_not_a_decimal() -> None:
    """Keeps Money apart from Decimal so that Decimal arithmetic cannot strip the two-place guarantee."""
    assert not isinstance(Money.of("1"), Decimal)
    assert isinstance(Money.of("1").amount, Decimal)
    with pytest.raises(TypeError):
        type("Sub", (Money,), {})


# --- text and formatting ------------------------------------------------------------------------


def test_text_forms() -> None:
    """Writes str() as plain two-place text, repr() as a constructor call, and honours format specs."""
    money = Money.of("1234.5")
    assert str(money) == "1234.50"
    assert repr(money) == "Money('1234.50')"
    assert f"{money}" == "1234.50"
    assert f"{money:,}" == "1,234.50"
    assert str(Money.of("9999999999999999.99")) == "9999999999999999.99"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("zh_Hans_CN", "¥1,234.50"), ("ug_CN", "￥1,234.50"), ("en", "CN¥1,234.50")],
)
def test_format_for_people_per_locale(locale: str, expected: str) -> None:
    """Formats with the locale's currency pattern through Babel, in the asked or current locale."""
    money = Money.of("1234.5")
    assert money.format(locale) == expected
    with use_locale(locale):
        assert money.format() == expected
    assert (-money).format(locale) == "-" + expected


# --- pydantic ------------------------------------------------------------------------------------


class _Line(BaseModel):
    account: str
    amount: Money


class _Voucher(BaseModel):
    lines: list[_Line]
    fee: Money | None = None


def test_field_accepts_text_whole_numbers_decimals_and_money() -> None:
    """Accepts str, int, Decimal and Money in Python and keeps a Money."""
    for value, expected in (
        ("12.3", "12.30"),
        (12, "12.00"),
        (Decimal("12.30"), "12.30"),
        (Money.of(1), "1.00"),
    ):
        line = _Line(account="1001", amount=value)
        assert line.amount == Money.of(expected)
        assert type(line.amount) is Money


def test_field_accepts_json_strings_and_integers() -> None:
    """Accepts a JSON string or a JSON integer."""
    assert _Line.model_validate_json('{"account": "1001", "amount": "0.1"}').amount == Money.of("0.10")
    assert _Line.model_validate_json('{"account": "1001", "amount": 7}').amount == Money.of("7.00")


@pytest.mark.parametrize("raw", ["12.5", "12.0", "1e2", "-0.5"])
def test_field_refuses_json_numbers_with_a_fraction(raw: str) -> None:
    """Refuses a JSON number with a fraction or exponent, which arrives as a float."""
    with pytest.raises(ValidationError) as caught:
        _Line.model_validate_json(f'{{"account": "1001", "amount": {raw}}}')
    [error] = from_validation_error(caught.value).errors
    assert isinstance(error, InvalidMoney)
    assert error.message("en") == "amount: floats are not accepted for money, pass a string or Decimal"


def test_field_errors_name_the_nested_field() -> None:
    """Reports InvalidMoney with the full field path through from_validation_error."""
    with pytest.raises(ValidationError) as caught:
        _Voucher.model_validate(
            {"lines": [{"account": "1001", "amount": "1.00"}, {"account": "4001", "amount": 0.3}]}
        )
    record = from_validation_error(caught.value, model="Voucher")
    assert isinstance(record, InvalidRecord)
    [error] = record.errors
    assert isinstance(error, InvalidMoney)
    assert isinstance(error, GovPartsError)
    assert error.field == "lines[1].amount"
    assert error.message("en").startswith("lines[1].amount: floats are not accepted")


def test_field_error_for_extra_places_names_the_field() -> None:
    """Reports too many places with the field and the refused text."""
    with pytest.raises(ValidationError) as caught:
        _Line(account="1001", amount="1.005")
    [error] = from_validation_error(caught.value).errors
    assert isinstance(error, InvalidMoney)
    assert error.field == "amount"
    assert error.details["got"] == "1.005"


# Text shaped like the field's fast path ("1234.50": digits, a point, two digits) and its near misses,
# which must get exactly the verdict and the value of Money.of.
_NEAR_FAST_PATH = [
    "0.00",
    "1234.50",
    "0000000000000001.00",
    "9999999999999999.99",
    "09999999999999999.99",
    "10000000000000000.00",
    "-0.00",
    "-12.30",
    "+12.30",
    "12.3",
    "12.345",
    ".50",
    "5.",
    "5..00",
    "1.2.34",
    " 12.30",
    "12.30 ",
    "1_000.00",
    "1,000.00",
    "1e2.00",
    "１２.３４",
    "١٢.٣٤",
    "12.٣٤",
    "12\u00b734",
    "NaN",
    "",
]


def _field_verdict(validate: Callable[[], _Line]) -> str | None:
    try:
        amount = validate().amount
    except ValidationError as caught:
        [error] = from_validation_error(caught).errors
        assert isinstance(error, InvalidMoney)
        return None
    assert type(amount) is Money
    return repr(amount)


def _of_verdict(text: str) -> str | None:
    try:
        return repr(Money.of(text))
    except InvalidMoney:
        return None


@pytest.mark.parametrize("text", _NEAR_FAST_PATH)
def test_field_agrees_with_money_of_on_text_near_the_fast_path(text: str) -> None:
    """Accepts and refuses text in a field, from Python and from JSON, exactly as Money.of does."""
    expected = _of_verdict(text)
    assert _field_verdict(lambda: _Line(account="1001", amount=text)) == expected
    raw = json.dumps({"account": "1001", "amount": text}, ensure_ascii=False)
    assert _field_verdict(lambda: _Line.model_validate_json(raw)) == expected


class _FullPathTaken(Exception):
    """Raised by a stand-in for the general parser; pydantic lets it through unchanged."""


def test_field_reads_plain_two_place_text_without_the_full_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads "digits.dd" text in a field without the general parser, which the bulk load relies on."""
    from govparts.core import money

    def full_path(value: object, field: str) -> Decimal:
        raise _FullPathTaken(value)

    monkeypatch.setattr(money, "_to_decimal", full_path)
    for text in ("0.00", "0.05", "1234.50", "9999999999999999.99"):
        raw = json.dumps({"account": "1001", "amount": text})
        assert _Line.model_validate_json(raw).amount.amount == Decimal(text)
    with pytest.raises(_FullPathTaken):
        _Line(account="1001", amount="12.3")


def test_field_fast_path_keeps_the_exact_amount() -> None:
    """Keeps a two-place amount read on the fast path exact, with two places, in any decimal context."""
    with localcontext() as context:
        context.prec = 3
        line = _Line.model_validate_json('{"account": "1001", "amount": "9999999999999999.99"}')
    assert line.amount.amount.as_tuple().exponent == -2
    assert str(line.amount) == "9999999999999999.99"
    assert line.amount.fen == 999999999999999999


@given(
    st.one_of(
        st.from_regex(r"[0-9]{1,18}\.[0-9]{2}", fullmatch=True),
        st.text(alphabet="0123456789.-+_ e\u0663\uff11", max_size=22),
    )
)
def test_field_agrees_with_money_of_on_generated_text(text: str) -> None:
    """Gives every generated text the verdict and the value of Money.of."""
    assert _field_verdict(lambda: _Line(account="1001", amount=text)) == _of_verdict(text)


def test_json_round_trip_writes_strings() -> None:
    """Serialises Money as a JSON string and reads it back equal; Python dumps keep Money."""
    voucher = _Voucher(lines=[_Line(account="1001", amount="1234.5")], fee=None)
    text = voucher.model_dump_json()
    assert json.loads(text) == {"lines": [{"account": "1001", "amount": "1234.50"}], "fee": None}
    assert _Voucher.model_validate_json(text) == voucher
    assert voucher.model_dump()["lines"][0]["amount"] == Money.of("1234.50")
    assert voucher.model_dump(mode="json")["lines"][0]["amount"] == "1234.50"


def test_json_schema_is_a_string_with_a_pattern() -> None:
    """Publishes Money in JSON Schema as a string with the amount pattern and the currency."""
    schema = _Line.model_json_schema()["properties"]["amount"]
    assert schema["type"] == "string"
    assert schema["pattern"] == PATTERN
    assert schema["x-currency"] == "CNY"
    for example in schema["examples"]:
        assert re.fullmatch(PATTERN, example)
        Money.of(example)


# --- properties ----------------------------------------------------------------------------------


@given(moneys, moneys, moneys)
def test_addition_is_associative_commutative_and_exact(a: Money, b: Money, c: Money) -> None:
    """Adds associatively and commutatively, equal to exact integer arithmetic on fen."""
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert (a + b).fen == a.fen + b.fen
    assert (a - b) + b == a
    assert Money.total([a, b, c]) == sum([a, b, c])


@given(moneys, st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40))
def test_allocate_sums_exactly_and_stays_within_a_fen(total: Money, ratios: list[int]) -> None:
    """Allocates parts that add up exactly to the total, each within one fen of its exact share."""
    if not any(ratios):
        ratios = [*ratios, 1]
    parts = total.allocate(ratios)
    assert len(parts) == len(ratios)
    assert sum(parts, Money.zero()) == total
    whole = sum(ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        exact = Fraction(total.fen * ratio, whole)
        assert abs(part.fen - exact) < 1
        if ratio == 0:
            assert part == Money.zero()


@given(moneys, st.integers(min_value=1, max_value=500))
def test_split_parts_differ_by_at_most_a_fen(total: Money, count: int) -> None:
    """Splits into parts that add up to the total and differ from each other by at most a fen."""
    parts = total.split(count)
    assert sum(parts, Money.zero()) == total
    assert max(p.fen for p in parts) - min(p.fen for p in parts) <= 1


@given(moneys)
def test_text_and_fen_round_trip(money: Money) -> None:
    """Reads back its own text, its fen and its JSON form unchanged."""
    assert Money.of(str(money)) == money
    assert Money.from_fen(money.fen) == money
    assert re.fullmatch(PATTERN, str(money))
    line = _Line(account="1001", amount=money)
    assert _Line.model_validate_json(line.model_dump_json()) == line


@given(st.from_regex(r"-?[0-9]{1,18}(\.[0-9]{0,4})?", fullmatch=True))
def test_schema_pattern_agrees_with_validation(text: str) -> None:
    """Accepts a text exactly when the published JSON Schema pattern matches it."""
    try:
        Money.of(text)
    except InvalidMoney:
        accepted = False
    else:
        accepted = True
    assert accepted == bool(re.fullmatch(PATTERN, text))


@given(moneys, st.decimals(min_value=-1000, max_value=1000, places=6, allow_nan=False))
def test_decimal_product_is_the_half_up_rounding_of_the_exact_product(money: Money, factor: Decimal) -> None:
    """Multiplies by a Decimal to the exact product rounded half up to the fen."""
    exact = Fraction(money.amount) * Fraction(factor)
    if abs(exact) >= 10**16:
        with pytest.raises(InvalidMoney):
            money * factor
        return
    fen_exact = exact * 100
    magnitude = abs(fen_exact)
    rounded = int(magnitude) + (1 if magnitude - int(magnitude) >= Fraction(1, 2) else 0)
    assert (money * factor).fen == (rounded if fen_exact >= 0 else -rounded)
