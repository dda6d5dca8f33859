"""Money: exact amounts of Chinese yuan (CNY, 人民币), kept to the fen (分, 0.01), never a float.

Every amount that crosses a govparts boundary — a salary, a voucher line, an asset's original value —
is a :class:`Money`: a :class:`~decimal.Decimal` with exactly two decimal places, in CNY, serialised as
the string ``"1234.50"``. Amounts are exact, so a voucher whose debits equal its credits on paper
balances in the program too::

    >>> from govparts.core.money import Money
    >>> Money.of("0.10") + Money.of("0.20") == Money.of("0.30")
    True
    >>> Money.of("12.3")
    Money('12.30')
    >>> str(Money.of(12))
    '12.00'

What is refused, and why
------------------------
A binary float cannot hold 0.10 exactly, so a float is refused wherever an amount enters — there is
no "probably right" conversion::

    >>> Money.of(0.1)
    Traceback (most recent call last):
    ...
    govparts.core.errors.InvalidMoney: amount: floats are not accepted for money, pass a string or Decimal

An amount with more than two decimal places is refused rather than rounded: silent rounding is how
ledgers drift by a fen. Rounding happens only where a caller asks for it, by name (:meth:`Money.rounded`)
or where multiplication creates more places (see below)::

    >>> Money.of("1.005")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    govparts.core.errors.InvalidMoney: amount: '1.005' has more than two decimal places; ...

NaN, infinities, text such as ``"1,234.50"`` or ``"1e3"`` and amounts of 10¹⁶ yuan or more are refused
too. The bound keeps every amount inside ``NUMERIC(18, 2)`` and a signed 64-bit count of fen.

Arithmetic
----------
``+``, ``-`` and unary ``-`` take only :class:`Money` and are exact. ``sum()`` works (it starts from
the integer 0, which :class:`Money` accepts as a neutral start); :meth:`Money.total` is the faster
way to add many amounts. ``*`` takes a whole number (exact) or a :class:`~decimal.Decimal` factor: a
product with more than two places is rounded half up (``ROUND_HALF_UP``, 四舍五入: halves away from
zero), the rounding customary in Chinese bookkeeping; :meth:`Money.multiply` takes another rounding
mode when a rule prescribes one::

    >>> sum([Money.of("1.10"), Money.of("2.20")])
    Money('3.30')
    >>> Money.of("100.00") * 3
    Money('300.00')
    >>> from decimal import Decimal
    >>> Money.of("10.05") * Decimal("0.5")
    Money('5.03')

To divide an amount — a year's depreciation into months, a bonus pool among staff — use
:meth:`Money.allocate` or :meth:`Money.split`: the parts differ by at most a fen and always add up
to the whole, which repeated rounded division does not guarantee::

    >>> Money.of("100.00").split(3)
    [Money('33.34'), Money('33.33'), Money('33.33')]
    >>> Money.of("10.00").allocate([1, 2])
    [Money('3.33'), Money('6.67')]

Why a wrapper and not a ``Decimal`` subclass
--------------------------------------------
A subclass inherits Decimal's arithmetic, and ``Decimal`` mixes freely with ``int`` and returns plain
Decimals with as many places as the computation produced: ``amount * Decimal("0.333")`` would silently
stop being money, ``amount + 1`` would pass, and every result would lose the two-place guarantee.
:class:`Money` therefore *holds* a Decimal in a single slot, is immutable and hashable, and defines
only the operations that keep the guarantee; :attr:`Money.amount` gives the Decimal back for
computations that leave the world of money (ratios, statistics).

In pydantic models
------------------
A field typed ``Money`` accepts a Money, a string, a whole number or a Decimal from Python, and a
string or a whole number from JSON; it refuses floats (a JSON number with a fraction arrives as a
float), serialises to a JSON string and publishes ``{"type": "string", "pattern": …}`` as its JSON
Schema. Validation is one plain function in pydantic-core's schema, about a microsecond a value::

    >>> from pydantic import BaseModel
    >>> class Payment(BaseModel):
    ...     amount: Money
    >>> Payment.model_validate_json('{"amount": "1234.5"}').model_dump_json()
    '{"amount":"1234.50"}'

Errors raised inside validation are :class:`~govparts.core.errors.InvalidMoney`; passed through
:func:`~govparts.core.errors.from_validation_error` they name the field (``amount``).

Formatting for people goes through Babel (:func:`govparts.core.i18n.format_currency`)::

    >>> Money.of("1234.5").format("zh")
    '¥1,234.50'
    >>> Money.of("1234.5").format("en")
    'CN¥1,234.50'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
    Overflow,
)
from typing import TYPE_CHECKING, Any, ClassVar, Final, final

from .errors import InvalidMoney
from .i18n import N_, format_currency

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = [
    "CURRENCY",
    "MAX_INTEGER_DIGITS",
    "PATTERN",
    "Money",
]

CURRENCY: Final = "CNY"
"""ISO 4217 code of the only currency :class:`Money` holds."""

MAX_INTEGER_DIGITS: Final = 16
"""Amounts are smaller than 10¹⁶ yuan in absolute value: they fit ``NUMERIC(18, 2)`` and an int64 of fen."""

PATTERN: Final = r"^-?0*[0-9]{1,16}(\.[0-9]{1,2}0*)?$"
"""The form of an amount as text (also the JSON Schema ``pattern``): digits, an optional minus sign,
at most two significant decimal places (trailing zeros beyond them are allowed: ``"12.300"``)."""

_TEXT = re.compile(PATTERN[1:-1])
_DIGITS: Final = "0123456789"
_CENT: Final = Decimal("0.01")
_ZERO: Final = Decimal("0.00")
_LIMIT: Final = Decimal(10**MAX_INTEGER_DIGITS)
_INT_LIMIT: Final = 10**MAX_INTEGER_DIGITS
_FEN_LIMIT: Final = 10 ** (MAX_INTEGER_DIGITS + 2)
# Unbounded precision: additions and multiplications of finite decimals are exact in it, so no
# rounding happens before the one rounding we choose. Independent of the caller's decimal context.
_EXACT: Final = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_UP, traps=[InvalidOperation, Overflow]
)

_FLOAT = N_("{field}: floats are not accepted for money, pass a string or Decimal")
_MALFORMED = N_(
    "{field}: {got} is not an amount of money; write digits with an optional minus sign "
    "and at most two decimal places, like 1234.50"
)
_PLACES = N_(
    "{field}: {got} has more than two decimal places; money is kept to the fen (0.01) "
    "and never rounded silently"
)
_NOT_FINITE = N_("{field}: {got} is not a finite amount")
_RANGE = N_("{field}: {got} is out of range; an amount must be smaller than 10^16 yuan either way")
_TYPE = N_("{field}: expected an amount of money as text, a whole number or a Decimal, got {kind}")


@final
class Money:
    """An exact amount of CNY with exactly two decimal places; immutable and hashable.

    ``Money(value)`` and :meth:`Money.of` accept a string (``"1234.50"``), a whole number or a
    :class:`~decimal.Decimal` that has at most two significant decimal places, and raise
    :class:`~govparts.core.errors.InvalidMoney` for anything else.
    """

    __slots__ = ("_amount",)
    _amount: Decimal

    currency: ClassVar[str] = CURRENCY

    def __new__(cls, value: Money | str | int | Decimal, /) -> Money:
        if type(value) is Money:
            return value
        return _make(_to_decimal(value, "amount"))

    def __init_subclass__(cls, **kwargs: object) -> None:
        # Fast paths test ``type(x) is Money``; a subclass would slip past them.
        raise TypeError("Money cannot be subclassed; wrap it instead")

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def of(cls, value: Money | str | int | Decimal, /, *, field: str = "amount") -> Money:
        """The amount ``value``; ``field`` names it in the error if it is not exact money.

        >>> Money.of("-3.5")
        Money('-3.50')
        """
        if type(value) is Money:
            return value
        return _make(_to_decimal(value, field))

    @classmethod
    def zero(cls) -> Money:
        """0.00 yuan."""
        return _MONEY_ZERO

    @classmethod
    def from_fen(cls, fen: int, /) -> Money:
        """The amount of ``fen`` hundredths of a yuan (分): ``Money.from_fen(1050)`` is 10.50.

        >>> Money.from_fen(-1050)
        Money('-10.50')
        """
        if type(fen) is not int:
            if isinstance(fen, float):
                raise InvalidMoney(_FLOAT, field="fen")
            raise InvalidMoney(_TYPE, field="fen", kind=type(fen).__name__)
        if not -_FEN_LIMIT < fen < _FEN_LIMIT:
            raise InvalidMoney(_RANGE, field="fen", got=str(fen))
        return _make(_EXACT.scaleb(Decimal(fen), -2))

    @classmethod
    def rounded(
        cls, value: str | int | Decimal, /, *, rounding: str = ROUND_HALF_UP, field: str = "amount"
    ) -> Money:
        """``value`` rounded to the fen with ``rounding`` (a :mod:`decimal` rounding mode).

        The explicit way to turn a computed Decimal (a tax at a rate, a prorated salary) into money.

        >>> from decimal import Decimal, ROUND_DOWN
        >>> Money.rounded(Decimal("2.345"))
        Money('2.35')
        >>> Money.rounded(Decimal("2.345"), rounding=ROUND_DOWN)
        Money('2.34')
        """
        number = _to_number(value, field)
        if not -_LIMIT < number < _LIMIT:
            raise InvalidMoney(_RANGE, field=field, got=str(value))
        return _make(number.quantize(_CENT, rounding=rounding, context=_EXACT))

    @classmethod
    def total(cls, amounts: Iterable[Money], /) -> Money:
        """The exact sum of ``amounts`` (0.00 for none); faster than ``sum()`` for long sequences.

        >>> Money.total([Money.of("0.01")] * 3)
        Money('0.03')
        """
        acc = _ZERO
        add = _EXACT.add
        for item in amounts:
            if type(item) is not Money:
                raise TypeError(f"Money.total adds Money only, got {type(item).__name__}")
            acc = add(acc, item._amount)
        return _checked(acc, "total")

    # --- views --------------------------------------------------------------------------------

    @property
    def amount(self) -> Decimal:
        """The amount as a Decimal with exactly two decimal places."""
        return self._amount

    @property
    def fen(self) -> int:
        """The amount in fen (分, hundredths of a yuan), as a whole number.

        >>> Money.of("10.50").fen
        1050
        """
        return int(_EXACT.scaleb(self._amount, 2))

    def format(self, locale: str | None = None) -> str:
        """The amount as people write it in ``locale`` (default: the current locale).

        >>> Money.of("-1234.5").format("zh_Hans_CN")
        '-¥1,234.50'
        """
        return format_currency(self._amount, CURRENCY, locale)

    def __str__(self) -> str:
        return str(self._amount)

    def __repr__(self) -> str:
        return f"Money('{self._amount}')"

    def __format__(self, spec: str) -> str:
        return format(self._amount, spec)

    # --- arithmetic ---------------------------------------------------------------------------

    def __add__(self, other: Money) -> Money:
        if type(other) is Money:
            return _checked(_EXACT.add(self._amount, other._amount), "sum")
        if type(other) is int and other == 0:
            return self
        if isinstance(other, float):
            raise InvalidMoney(_FLOAT, field="operand")
        return NotImplemented

    def __radd__(self, other: int) -> Money:
        # sum() starts from the integer 0; any other left operand is a mistake.
        if type(other) is int and other == 0:
            return self
        if isinstance(other, float):
            raise InvalidMoney(_FLOAT, field="operand")
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if type(other) is Money:
            return _checked(_EXACT.subtract(self._amount, other._amount), "difference")
        if isinstance(other, float):
            raise InvalidMoney(_FLOAT, field="operand")
        return NotImplemented

    def __neg__(self) -> Money:
        return _make(_EXACT.minus(self._amount)) if self._amount else self

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return _make(_EXACT.copy_abs(self._amount))

    def multiply(self, factor: int | Decimal, *, rounding: str = ROUND_HALF_UP) -> Money:
        """``self × factor``, rounded to the fen with ``rounding`` when the product has more places.

        A whole-number factor is exact. ``*`` is this method with ``ROUND_HALF_UP``.

        >>> from decimal import Decimal, ROUND_HALF_EVEN
        >>> Money.of("0.25").multiply(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
        Money('0.02')
        """
        if type(factor) is int:
            return _checked(_EXACT.multiply(self._amount, Decimal(factor)), "product")
        number = _to_number(factor, "factor")
        product = _EXACT.multiply(self._amount, number)
        if not -_LIMIT < product < _LIMIT:
            raise InvalidMoney(_RANGE, field="product", got=str(product))
        return _make(product.quantize(_CENT, rounding=rounding, context=_EXACT))

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise InvalidMoney(_FLOAT, field="factor")
        if type(factor) is int or isinstance(factor, Decimal):
            return self.multiply(factor)
        return NotImplemented

    __rmul__ = __mul__

    def allocate(self, ratios: Sequence[int | Decimal], /) -> list[Money]:
        """Split the amount in proportion to ``ratios``; the parts add up exactly to the amount.

        Each part is the exact share rounded down to the fen; the fen left over go one each to the
        parts with the largest remainders (earlier parts first on ties), so no part differs from its
        exact share by a fen or more. Ratios are whole numbers or Decimals, zero or positive, not all
        zero; a zero ratio gets 0.00. A negative amount splits like its absolute value, negated.

        >>> Money.of("0.05").allocate([1, 1, 0, 1])
        [Money('0.02'), Money('0.02'), Money('0.00'), Money('0.01')]
        """
        weights = _integer_weights(ratios)
        whole = sum(weights)
        fen = self.fen
        negative = fen < 0
        fen = -fen if negative else fen
        shares: list[int] = []
        remainders: list[int] = []
        for weight in weights:
            share, remainder = divmod(fen * weight, whole)
            shares.append(share)
            remainders.append(remainder)
        left = fen - sum(shares)
        for index in sorted(range(len(shares)), key=lambda i: (-remainders[i], i))[:left]:
            shares[index] += 1
        return [Money.from_fen(-share if negative else share) for share in shares]

    def split(self, parts: int, /) -> list[Money]:
        """Split the amount into ``parts`` near-equal parts (the first ones carry the odd fen).

        >>> Money.of("-0.10").split(3)
        [Money('-0.04'), Money('-0.03'), Money('-0.03')]
        """
        if type(parts) is not int or parts < 1:
            raise InvalidMoney(
                N_("{field}: the number of parts must be a whole number of at least 1, got {got}"),
                field="parts",
                got=str(parts),
            )
        return self.allocate([1] * parts)

    # --- comparison ---------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if type(other) is Money:
            return self._amount == other._amount
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if type(other) is Money:
            return self._amount != other._amount
        return NotImplemented

    def __lt__(self, other: Money) -> bool:
        if type(other) is Money:
            return self._amount < other._amount
        return NotImplemented

    def __le__(self, other: Money) -> bool:
        if type(other) is Money:
            return self._amount <= other._amount
        return NotImplemented

    def __gt__(self, other: Money) -> bool:
        if type(other) is Money:
            return self._amount > other._amount
        return NotImplemented

    def __ge__(self, other: Money) -> bool:
        if type(other) is Money:
            return self._amount >= other._amount
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._amount)

    def __bool__(self) -> bool:
        return bool(self._amount)

    # --- immutability, copying, pickling --------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Money is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Money is immutable")

    def __copy__(self) -> Money:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Money:
        return self

    def __reduce__(self) -> tuple[type[Money], tuple[str]]:
        return (Money, (str(self._amount),))

    # --- pydantic -----------------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _serialize, when_used="json", return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": PATTERN,
            "description": "Amount of CNY with two decimal places, written as text (never a float)",
            "examples": ["1234.50"],
            "x-currency": CURRENCY,
        }


_set_amount = vars(Money)["_amount"].__set__  # the slot's own setter, past the immutability guard
_new = object.__new__


def _make(amount: Decimal) -> Money:
    money = _new(Money)
    _set_amount(money, amount)
    return money


_MONEY_ZERO: Final = _make(_ZERO)


def _checked(amount: Decimal, field: str) -> Money:
    """Money from an exact two-place result, or InvalidMoney if it left the range."""
    if not -_LIMIT < amount < _LIMIT:
        raise InvalidMoney(_RANGE, field=field, got=str(amount))
    return _make(amount if amount else _ZERO)


def _to_number(value: object, field: str) -> Decimal:
    """A finite Decimal from a str, int or Decimal (any number of places); floats refused."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, float):
        raise InvalidMoney(_FLOAT, field=field)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = _EXACT.create_decimal(value.strip())
        except InvalidOperation:
            raise InvalidMoney(_MALFORMED, field=field, got=value) from None
    else:
        raise InvalidMoney(_TYPE, field=field, kind=type(value).__name__)
    if not number.is_finite():
        raise InvalidMoney(_NOT_FINITE, field=field, got=str(value))
    return number


def _to_decimal(value: object, field: str) -> Decimal:
    """The two-place Decimal of an exact amount, or InvalidMoney naming ``field``."""
    kind = type(value)
    if kind is str:
        text: str = value  # type: ignore[assignment]
        if _TEXT.fullmatch(text) is None:
            raise _text_error(text, field)
        number = Decimal(text)
        if not number:
            return _ZERO
        # Already two places ("12.30"), or exactly representable with two ("12.3", "12.300").
        return number if text[-3:-2] == "." else number.quantize(_CENT, context=_EXACT)
    if kind is int:
        whole: int = value  # type: ignore[assignment]
        if not -_INT_LIMIT < whole < _INT_LIMIT:
            raise InvalidMoney(_RANGE, field=field, got=str(whole))
        return _EXACT.scaleb(Decimal(whole * 100), -2) if whole else _ZERO
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidMoney(_NOT_FINITE, field=field, got=str(value))
        if not -_LIMIT < value < _LIMIT:
            raise InvalidMoney(_RANGE, field=field, got=str(value))
        quantized = value.quantize(_CENT, context=_EXACT)
        if quantized != value:
            raise InvalidMoney(_PLACES, field=field, got=str(value))
        return quantized if quantized else _ZERO
    if isinstance(value, float):
        raise InvalidMoney(_FLOAT, field=field)
    if isinstance(value, bool):
        raise InvalidMoney(_TYPE, field=field, kind="bool")
    if isinstance(value, int):
        return _to_decimal(int(value), field)
    if isinstance(value, str):
        return _to_decimal(str(value), field)
    raise InvalidMoney(_TYPE, field=field, kind=kind.__name__)


def _text_error(text: str, field: str) -> InvalidMoney:
    """The precise reason ``text`` is not an amount (only reached when the fast pattern fails)."""
    try:
        number = _EXACT.create_decimal(text)
    except InvalidOperation:
        return InvalidMoney(_MALFORMED, field=field, got=text)
    if not number.is_finite():
        return InvalidMoney(_NOT_FINITE, field=field, got=text)
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
        return InvalidMoney(_MALFORMED, field=field, got=text)
    if not -_LIMIT < number < _LIMIT:
        return InvalidMoney(_RANGE, field=field, got=text)
    return InvalidMoney(_PLACES, field=field, got=text)


def _integer_weights(ratios: Sequence[int | Decimal]) -> list[int]:
    """``ratios`` as whole numbers in the same proportion (exactly), checked."""
    if isinstance(ratios, (str, bytes)) or not isinstance(ratios, Sequence) or not ratios:
        raise InvalidMoney(N_("{field}: give at least one ratio to allocate by"), field="ratios")
    fractions: list[tuple[int, int]] = []
    for index, ratio in enumerate(ratios):
        field = f"ratios[{index}]"
        if isinstance(ratio, bool) or not isinstance(ratio, (int, Decimal)):
            if isinstance(ratio, float):
                raise InvalidMoney(_FLOAT, field=field)
            raise InvalidMoney(
                N_("{field}: a ratio must be a whole number or a Decimal, got {kind}"),
                field=field,
                kind=type(ratio).__name__,
            )
        if isinstance(ratio, Decimal) and not ratio.is_finite():
            raise InvalidMoney(_NOT_FINITE, field=field, got=str(ratio))
        if ratio < 0:
            raise InvalidMoney(
                N_("{field}: a ratio cannot be negative, got {got}"), field=field, got=str(ratio)
            )
        fractions.append(ratio.as_integer_ratio())
    denominator = math.lcm(*(d for _, d in fractions))
    weights = [n * (denominator // d) for n, d in fractions]
    if not any(weights):
        raise InvalidMoney(N_("{field}: the ratios are all zero"), field="ratios")
    return weights


def _validate(value: Any) -> Money:
    # The common case is text such as "1234.50", how JSON carries amounts. When stripping the ASCII
    # digits off both ends leaves only the point, and the point is third from the end of 4 to 19
    # characters, the text is 1 to 16 digits, a point and two digits: an exact amount in range as it
    # stands, which Decimal reads exactly. That test costs a third of the pattern; anything else (a
    # sign, other places, junk) takes the full path, which also explains refusals.
    if type(value) is str and value.strip(_DIGITS) == "." and 3 < len(value) < 20 and value[-3] == ".":
        money = _new(Money)  # _make inlined: this runs once per value of every Money field
        _set_amount(money, Decimal(value))
        return money
    if type(value) is Money:
        return value
    money = _new(Money)
    _set_amount(money, _to_decimal(value, "value"))
    return money


def _serialize(value: Money) -> str:
    return str(value._amount)
