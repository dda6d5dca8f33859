"""The demo month: a national holiday, a Xinjiang festival and a make-up workday, closed at the end."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from govparts.attendance.demo import demo


def test_demo_month_figures(engine: Engine) -> None:
    """Shows 清明节, 肉孜节 and the make-up Sunday, and sums each person's month."""
    figures = demo(engine)
    assert figures["workdays"] == 19
    assert figures["special_days"] == {
        "2023-04-05": "holiday",
        "2023-04-21": "holiday",
        "2023-04-23": "makeup_workday",
        "2023-04-29": "holiday",
        "2023-04-30": "holiday",
    }
    assert figures["punches_on_reimport"] == 0
    assert figures["annual_leave_entitled_E002"] == 5
    e001, e002, e003 = (figures["summaries"][p] for p in ("E001", "E002", "E003"))
    assert (e001["days_due"], e001["days_present"], e001["late_count"]) == (19, "19", 0)
    assert (e002["late_count"], e002["late_minutes"], e002["leave_days"]) == (2, 34, {"annual": 2})
    assert e002["days_present"] == "17"
    assert (e003["business_trip_days"], e003["missing_punches"], e003["days_present"]) == (3, 0, "19")
    assert figures["month_closed"] is True
