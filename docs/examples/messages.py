"""One error, read in three languages; the current locale follows the code that reads it."""

from datetime import date
from decimal import Decimal

from govparts.core import i18n
from govparts.core.errors import UnknownCode

err = UnknownCode(field="sex", got="3", code_list="GB/T 2261.1-2003")
assert err.code == "unknown-code"
for locale in i18n.SUPPORTED_LOCALES:
    print(locale, i18n.direction(locale), err.message(locale))

# str() uses the locale current when the message is read: a context variable, so each
# request, thread or asyncio task may speak its own language.
with i18n.use_locale("ug"):
    assert str(err) == err.message("ug_CN")
    assert i18n.direction() == "rtl"

# For clients: a stable code, the field, the localised message and structured details.
assert err.to_dict("en") == {
    "code": "unknown-code",
    "field": "sex",
    "message": "sex: '3' is not a code of GB/T 2261.1-2003",
    "details": {"got": "3", "code_list": "GB/T 2261.1-2003"},
}

# Numbers, money and dates in each locale's own conventions (Babel, CLDR).
assert i18n.format_currency(Decimal("1234.5"), locale="zh") == "¥1,234.50"
assert i18n.format_date(date(2024, 10, 1), locale="zh") == "2024年10月1日"
print(i18n.format_date(date(2024, 10, 1), locale="ug", fmt="long"))

# A Uyghur label inside a left-to-right line keeps its order when isolated (Unicode UAX #9).
print("sex=" + i18n.isolate("ئايال", "ug"))
