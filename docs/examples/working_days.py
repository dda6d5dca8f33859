"""Ask the working-day calendar about national and Xinjiang holidays."""

from datetime import date

from govparts.core import calendar
from govparts.core.errors import CalendarUnavailable

# A Sunday worked to join the 2025 Spring Festival holiday (国办发明电〔2024〕12号).
assert calendar.day_kind(date(2025, 1, 26)) == "makeup_workday"

spring = calendar.day_info(date(2025, 1, 28))
print(spring.name.label("zh_Hans_CN"), spring.name.label("ug_CN"), spring.source_doc)

# 肉孜节 2025 is a holiday in Xinjiang (65) and in every county under it, not elsewhere.
assert calendar.is_workday(date(2025, 3, 31))
assert not calendar.is_workday(date(2025, 3, 31), region="650102")

# Both ends count: 29 September to 12 October 2025 holds five working days.
assert calendar.workdays_between(date(2025, 9, 29), date(2025, 10, 12)) == 5
assert calendar.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)

# A year whose notice is not loaded is an error, never a guess from the weekday.
try:
    calendar.is_workday(date(2031, 3, 3))
except CalendarUnavailable as err:
    assert err.details["year"] == 2031
    print(err.message("en"))
