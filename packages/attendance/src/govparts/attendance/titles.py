"""Titles and field descriptions of the attendance part's published models in the three languages.

``TITLES`` maps each standard id (the published models, the event payload ``MonthClosed`` and the
models nested in them: ``Period``, ``Timetable``, ``DayStatus``, ``OvertimeKind``) to its title by
locale and, under ``"fields"``, a description of each field by locale. The publication
(``govparts spec build``) writes them into each model's JSON Schema as ``x-i18n``. A field name
means the same thing in every model of the part unless a model's entry in ``_SPECIFIC`` says
otherwise.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TITLES"]


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


_MODELS: dict[str, dict[str, str]] = {
    "govparts.attendance.OrgDayOverride": _t(
        "单位自行安排的日期", "Organisation's own day arrangement", "ئورۇن ئۆزى ئورۇنلاشتۇرغان كۈن"
    ),
    "govparts.attendance.OrgSettings": _t("单位考勤设置", "Attendance settings", "ئىشقا كېلىش تەڭشىكى"),
    "govparts.attendance.Enrolment": _t("考勤登记", "Attendance enrolment", "ئىشقا كېلىش تىزىملىكى"),
    "govparts.attendance.Period": _t("工作时段", "Work period", "خىزمەت ۋاقىت بۆلىكى"),
    "govparts.attendance.Timetable": _t("作息时间表", "Timetable", "ئىش-ئارام ۋاقىت جەدۋىلى"),
    "govparts.attendance.Shift": _t("班次", "Shift", "نۆۋەت"),
    "govparts.attendance.ShiftAssignment": _t("排班", "Shift assignment", "نۆۋەت ئورۇنلاشتۇرۇش"),
    "govparts.attendance.Punch": _t("打卡记录", "Punch", "ئىمزا خاتىرىسى"),
    "govparts.attendance.PunchImport": _t("打卡导入结果", "Punch import", "ئىمزا كىرگۈزۈش نەتىجىسى"),
    "govparts.attendance.DayStatus": _t("日考勤结果", "Status of the day", "كۈندىلىك ئىشقا كېلىش نەتىجىسى"),
    "govparts.attendance.OvertimeKind": _t(
        "加班类别（《劳动法》第四十四条）",
        "Class of overtime (Labour Law Art. 44)",
        "قوشۇمچە ئىشلەش تۈرى (ئەمگەك قانۇنى 44-ماددا)",
    ),
    "govparts.attendance.DailyResult": _t("日考勤结果", "Daily result", "كۈندىلىك ئىشقا كېلىش نەتىجىسى"),
    "govparts.attendance.LeaveRequestIn": _t("请假申请", "Leave request", "رۇخسەت ئىلتىماسى"),
    "govparts.attendance.TripRequestIn": _t(
        "出差与公出申请", "Business trip or outing request", "سەپەر ۋە ئىش بىلەن چىقىش ئىلتىماسى"
    ),
    "govparts.attendance.PunchCorrectionIn": _t("补卡申请", "Punch correction", "ئىمزانى تولۇقلاش ئىلتىماسى"),
    "govparts.attendance.Request": _t("考勤申请", "Attendance request", "ئىشقا كېلىش ئىلتىماسى"),
    "govparts.attendance.LeaveBalance": _t("假期余额", "Leave balance", "رۇخسەت قالدۇقى"),
    "govparts.attendance.MonthSummary": _t(
        "月度考勤汇总", "Monthly attendance summary", "ئايلىق ئىشقا كېلىش ھېساباتى"
    ),
    "govparts.attendance.UnitMonthSummary": _t(
        "内设机构月度考勤汇总",
        "Monthly attendance summary of a unit",
        "ئىچكى ئاپپاراتنىڭ ئايلىق ئىشقا كېلىش ھېساباتى",
    ),
    "govparts.attendance.MonthClosed": _t(
        "考勤月结", "Attendance month closed", "ئايلىق ئىشقا كېلىش يېپىلدى"
    ),
    "govparts.attendance.CompensatoryRest": _t(
        "调休假余额", "Compensatory rest balance", "ئالماشتۇرۇپ دەم ئېلىش قالدۇقى"
    ),
}

_FIELDS: dict[str, dict[str, str]] = {
    "person_id": _t("人员编号", "Person number", "خادىم نومۇرى"),
    "person": _t("人员", "The person", "خادىم"),
    "unit": _t("所在内设机构", "Unit the person belongs to", "تەۋە ئىچكى ئاپپارات"),
    "unit_code": _t("内设机构代码", "Code of the unit", "ئىچكى ئاپپارات كودى"),
    "first_employment_date": _t(
        "参加工作时间（决定年休假天数）",
        "Date of first employment, which sets the annual leave",
        "تۇنجى ئىشقا چىققان ۋاقىت (يىللىق دەم ئېلىش كۈنىنى بەلگىلەيدۇ)",
    ),
    "start_date": _t("开始日期", "First day", "باشلىنىش ۋاقتى"),
    "end_date": _t("结束日期（含）", "Last day, inclusive", "ئاخىرلىشىش ۋاقتى (ئۆز ئىچىگە ئالىدۇ)"),
    "date": _t("日期", "Date", "چېسلا"),
    "kind": _t("类别", "Kind", "تۈرى"),
    "name": _t("名称", "Name", "نامى"),
    "name_en": _t("英文名称", "Name in English", "ئىنگلىزچە نامى"),
    "name_ug": _t("维吾尔文名称", "Name in Uyghur", "ئۇيغۇرچە نامى"),
    "source_doc": _t("依据的文件", "Document that decided it", "ئاساس قىلىنغان ھۆججەت"),
    "region": _t(
        "地区（GB/T 2260 代码，决定适用的地方节假日）",
        "Region (GB/T 2260 code), which sets the regional holidays that apply",
        "رايون (GB/T 2260 كودى، قوللىنىلىدىغان يەرلىك بايراملارنى بەلگىلەيدۇ)",
    ),
    "timezone": _t("时区", "Time zone", "ۋاقىت رايونى"),
    "two_level_approval": _t(
        "是否两级审批", "Whether requests need two levels of approval", "ئىككى دەرىجىلىك تەستىقلاش كېرەكمۇ"
    ),
    "corrections_per_month": _t(
        "每月补卡次数上限", "Punch corrections allowed a month", "ئايدا ئىمزا تولۇقلاشقا بولىدىغان قېتىم سانى"
    ),
    "calendar_overrides": _t(
        "单位自行安排的日期", "The organisation's own day arrangements", "ئورۇن ئۆزى ئورۇنلاشتۇرغان كۈنلەر"
    ),
    "start": _t("开始时间", "Start", "باشلىنىش ۋاقتى"),
    "end": _t(
        "结束时间（不晚于开始时间则为次日）",
        "End; at or before the start it is on the next day",
        "ئاخىرلىشىش ۋاقتى (باشلىنىش ۋاقتىدىن كېچىكمىسە ئەتىسى)",
    ),
    "starts_on": _t(
        "每年起用日期（月-日）", "Day it starts every year (MM-DD)", "ھەر يىلى قوللىنىلىدىغان كۈن (ئاي-كۈن)"
    ),
    "periods": _t("工作时段", "Work periods", "خىزمەت ۋاقىت بۆلەكلىرى"),
    "code": _t("班次代码", "Code of the shift", "نۆۋەت كودى"),
    "timetables": _t(
        "作息时间表（可按季节）",
        "Timetables, seasonal where needed",
        "ئىش-ئارام ۋاقىت جەدۋەللىرى (پەسىلگە قاراپ)",
    ),
    "grace_late_minutes": _t(
        "迟到宽限分钟数", "Minutes of grace before a late arrival", "كېچىكىشكە كەڭچىلىك قىلىنىدىغان مىنۇت"
    ),
    "grace_early_minutes": _t(
        "早退宽限分钟数",
        "Minutes of grace before an early departure",
        "بالدۇر كېتىشكە كەڭچىلىك قىلىنىدىغان مىنۇت",
    ),
    "checkin_window_minutes": _t(
        "上班前多少分钟起的打卡有效",
        "Minutes before the first start from which punches count",
        "ئىش باشلىنىشتىن قانچە مىنۇت بۇرۇنقى ئىمزا ئىناۋەتلىك",
    ),
    "checkout_window_minutes": _t(
        "下班后多少分钟内的打卡有效",
        "Minutes after the last end up to which punches count",
        "ئىش ئاخىرلاشقاندىن قانچە مىنۇت كېيىنگىچە ئىمزا ئىناۋەتلىك",
    ),
    "half_day_minutes": _t(
        "缺勤超过多少分钟计半天缺勤",
        "Minutes missed from which half a day is absent",
        "قانچە مىنۇتتىن ئاشسا يېرىم كۈن كەلمىگەن ھېسابلىنىدۇ",
    ),
    "absent_below_minutes": _t(
        "工作不足多少分钟计全天缺勤",
        "Minutes worked below which the whole day is absent",
        "قانچە مىنۇتقا يەتمىسە پۈتۈن كۈن كەلمىگەن ھېسابلىنىدۇ",
    ),
    "overtime_after_minutes": _t(
        "超过多少分钟起计加班",
        "Minutes beyond the shift from which overtime counts",
        "قانچە مىنۇتتىن ئاشسا قوشۇمچە ئىشلەش ھېسابلىنىدۇ",
    ),
    "applies_on_holidays": _t(
        "节假日和休息日是否适用",
        "Whether the shift applies on rest days and holidays",
        "دەم ئېلىش كۈنى ۋە بايراملاردىمۇ قوللىنىلامدۇ",
    ),
    "core_start": _t(
        "弹性班次核心时段开始",
        "Start of the core hours (flexible shift)",
        "ئاساسىي ۋاقىتنىڭ باشلىنىشى (ئەركىن نۆۋەت)",
    ),
    "core_end": _t(
        "弹性班次核心时段结束",
        "End of the core hours (flexible shift)",
        "ئاساسىي ۋاقىتنىڭ ئاخىرلىشىشى (ئەركىن نۆۋەت)",
    ),
    "required_minutes": _t(
        "弹性班次每天应工作分钟数",
        "Minutes to work a day (flexible shift)",
        "كۈندە ئىشلەشكە تېگىشلىك مىنۇت (ئەركىن نۆۋەت)",
    ),
    "shift_code": _t("班次代码", "Code of the shift", "نۆۋەت كودى"),
    "valid_from": _t("生效日期", "Valid from", "كۈچكە ئىگە بولغان ۋاقىت"),
    "valid_to": _t("失效日期", "Valid until", "كۈچتىن قالغان ۋاقىت"),
    "punched_at": _t(
        "打卡时间（带时区）", "Time of the punch, with its time zone", "ئىمزا ۋاقتى (ۋاقىت رايونى بىلەن)"
    ),
    "device": _t("考勤设备", "Attendance device", "ئىمزا ئۈسكۈنىسى"),
    "source": _t("来源", "Source", "مەنبە"),
    "received": _t("收到的打卡数", "Punches received", "تاپشۇرۇۋېلىنغان ئىمزا سانى"),
    "stored": _t("存入的打卡数", "Punches stored", "ساقلانغان ئىمزا سانى"),
    "duplicates": _t("已存在的重复打卡数", "Punches already present", "ئاللىقاچان بار بولغان ئىمزا سانى"),
    "not_enrolled": _t(
        "当天未登记考勤的人员编号",
        "Person numbers with punches on days they are not enrolled",
        "شۇ كۈنى ئىشقا كېلىشكە تىزىملانمىغان خادىملارنىڭ نومۇرى",
    ),
    "not_enrolled_punches": _t(
        "未登记人员的打卡数", "Punches of people not enrolled", "تىزىملانمىغان خادىملارنىڭ ئىمزا سانى"
    ),
    "day": _t("日期", "Day", "كۈن"),
    "day_kind": _t(
        "日历上的日期类别：工作日、调休上班日、休息日或节假日",
        "The calendar's kind of day: workday, make-up workday, rest day or holiday",
        "كالېنداردىكى كۈن تۈرى: خىزمەت كۈنى، ئالماشتۇرۇلغان خىزمەت كۈنى، دەم ئېلىش كۈنى ياكى بايرام",
    ),
    "due": _t("当天是否应出勤", "Whether the person was due at work", "شۇ كۈنى ئىشقا كېلىشى كېرەكمۇ"),
    "status": _t("日考勤结果", "How the day went", "كۈندىلىك ئىشقا كېلىش نەتىجىسى"),
    "late_minutes": _t("迟到分钟数", "Minutes late", "كېچىككەن مىنۇت"),
    "early_minutes": _t("早退分钟数", "Minutes left early", "بالدۇر كەتكەن مىنۇت"),
    "missing_punches": _t("缺卡次数", "Missing punches", "كەم ئىمزا سانى"),
    "worked_minutes": _t("工作分钟数", "Minutes worked", "ئىشلىگەن مىنۇت"),
    "absent_days": _t("缺勤天数", "Days absent", "كەلمىگەن كۈن سانى"),
    "leave_type": _t("假期类别", "Leave type", "رۇخسەت تۈرى"),
    "overtime_kind": _t(
        "加班类别：工作日、休息日或法定休假日",
        "Class of overtime: workday, rest day or statutory holiday",
        "قوشۇمچە ئىشلەش تۈرى: خىزمەت كۈنى، دەم ئېلىش كۈنى ياكى قانۇنىي بايرام",
    ),
    "overtime_minutes": _t("加班分钟数", "Minutes of overtime", "قوشۇمچە ئىشلىگەن مىنۇت"),
    "regional_festival_overtime": _t(
        "地区民族节日（肉孜节、古尔邦节）工作日放假期间加班的类别",
        "Overtime class of work on a regional festival's weekday off (Eid al-Fitr, Eid al-Adha)",
        "رايون خاراكتېرلىك مىللىي بايرام (روزا ھېيت، قۇربان ھېيت) دەم ئېلىش كۈنىدىكى قوشۇمچە ئىش تۈرى",
    ),
    "compensatory_rest_valid_days": _t(
        "调休额度自加班之日起的有效天数",
        "Days after the day worked during which compensatory rest may be taken",
        "قوشۇمچە ئىشلىگەن كۈندىن باشلاپ ئالماشتۇرۇپ دەم ئېلىشقا بولىدىغان كۈن سانى",
    ),
    "statutory_overtime_as_time_off": _t(
        "是否允许法定休假日加班转为调休（默认否，依法支付工资）",
        "Whether statutory-holiday overtime may be taken as time off (no by default: it is paid)",
        "قانۇنىي بايرامدىكى قوشۇمچە ئىشنى دەم ئېلىشقا ئالماشتۇرۇشقا بولامدۇ (ياق: ھەق تۆلىنىدۇ)",
    ),
    "compensatory_rest_day_minutes": _t(
        "一天调休假扣减的分钟数",
        "Minutes of the balance one day of compensatory rest takes",
        "بىر كۈنلۈك ئالماشتۇرۇپ دەم ئېلىش قالدۇقتىن كېمەيتىدىغان مىنۇت",
    ),
    "compensatory_rest_opening_minutes": _t(
        "月初调休余额（分钟）",
        "Compensatory rest left at the start of the month (minutes)",
        "ئاي بېشىدىكى ئالماشتۇرۇپ دەم ئېلىش قالدۇقى (مىنۇت)",
    ),
    "compensatory_rest_credited_minutes": _t(
        "本月转为调休的加班（分钟）",
        "Overtime of the month credited as time off (minutes)",
        "بۇ ئايدا دەم ئېلىشقا ئالماشتۇرۇلغان قوشۇمچە ئىش (مىنۇت)",
    ),
    "compensatory_rest_taken_minutes": _t(
        "本月使用的调休（分钟）",
        "Compensatory rest taken in the month (minutes)",
        "بۇ ئايدا ئىشلىتىلگەن ئالماشتۇرۇپ دەم ئېلىش (مىنۇت)",
    ),
    "compensatory_rest_expired_minutes": _t(
        "本月过期未用的调休（分钟）",
        "Compensatory rest that expired unused in the month (minutes)",
        "بۇ ئايدا ئىشلىتىلمەي ۋاقتى ئۆتكەن ئالماشتۇرۇپ دەم ئېلىش (مىنۇت)",
    ),
    "compensatory_rest_closing_minutes": _t(
        "月末调休余额（分钟）",
        "Compensatory rest left at the end of the month (minutes)",
        "ئاي ئاخىرىدىكى ئالماشتۇرۇپ دەم ئېلىش قالدۇقى (مىنۇت)",
    ),
    "on": _t("截至日期", "The day the balance is taken on", "قالدۇق ھېسابلانغان كۈن"),
    "credited_minutes": _t("累计转入的调休（分钟）", "Minutes credited", "قوشۇلغان مىنۇت"),
    "taken_minutes": _t(
        "已批准使用的调休（分钟）", "Minutes taken (approved)", "ئىشلىتىلگەن مىنۇت (تەستىقلانغان)"
    ),
    "pending_minutes": _t("待批准的调休（分钟）", "Minutes pending approval", "تەستىق كۈتۈۋاتقان مىنۇت"),
    "expired_minutes": _t(
        "过期未用的调休（分钟）", "Minutes expired unused", "ئىشلىتىلمەي ۋاقتى ئۆتكەن مىنۇت"
    ),
    "remaining_minutes": _t("剩余调休（分钟）", "Minutes left", "قالغان مىنۇت"),
    "available_minutes": _t(
        "扣除待批准申请后可用的调休（分钟）",
        "Minutes left after the requests pending approval",
        "تەستىق كۈتۈۋاتقان ئىلتىماسلاردىن كېيىن ئىشلىتىشكە بولىدىغان مىنۇت",
    ),
    "next_expiry": _t(
        "最早到期额度的最后可用日",
        "Last day of the soonest-expiring credit",
        "ئەڭ بالدۇر ۋاقتى توشىدىغان قالدۇقنىڭ ئاخىرقى كۈنى",
    ),
    "expiring_minutes": _t(
        "该日后到期的分钟数", "Minutes that expire after that day", "شۇ كۈندىن كېيىن ۋاقتى ئۆتىدىغان مىنۇت"
    ),
    "reason": _t("事由", "Reason", "سەۋەبى"),
    "difficult_birth": _t(
        "是否难产（增加产假）",
        "Difficult birth (more maternity leave)",
        "قىيىن تۇغۇت (تۇغۇت رۇخسىتى كۆپىيىدۇ)",
    ),
    "babies": _t(
        "婴儿数（多胞胎增加产假）",
        "Babies born (multiple births add maternity leave)",
        "بوۋاق سانى (كۆپ بوۋاق تۇغۇلسا تۇغۇت رۇخسىتى كۆپىيىدۇ)",
    ),
    "destination": _t("目的地", "Destination", "بارىدىغان جاي"),
    "id": _t("申请编号", "Number of the request", "ئىلتىماس نومۇرى"),
    "state": _t("审批状态", "State of the approval", "تەستىقلاش ھالىتى"),
    "days": _t(
        "天数（按工作日历计）",
        "Days, counted on the working-day calendar",
        "كۈن سانى (خىزمەت كۈنى كالېندارى بويىچە)",
    ),
    "note": _t("审批意见", "Approver's note", "تەستىقلىغۇچىنىڭ پىكرى"),
    "year": _t("年度", "Year", "يىل"),
    "month": _t("月份", "Month", "ئاي"),
    "entitled": _t(
        "全年应享天数（无年度额度的假期为空）",
        "Days entitled in the year; empty for types without a yearly entitlement",
        "يىللىق بەھرىلىنىدىغان كۈن (يىللىق چەكلىمىسى يوق رۇخسەتتە قۇرۇق)",
    ),
    "taken": _t("已休天数（已批准）", "Days taken (approved)", "ئېلىنغان كۈن (تەستىقلانغان)"),
    "pending": _t("待审批天数", "Days awaiting approval", "تەستىقلىنىشنى كۈتۈۋاتقان كۈن"),
    "remaining": _t("剩余天数", "Days remaining", "قالغان كۈن"),
    "cancelled": _t(
        "当年年休假是否取消（国务院令第514号第四条）",
        "Annual leave cancelled for the year (State Council Decree 514, Art. 4)",
        "شۇ يىللىق دەم ئېلىش بىكار قىلىندىمۇ (گوۋۇيۈەننىڭ 514-نومۇرلۇق بۇيرۇقى 4-ماددا)",
    ),
    "days_due": _t("应出勤天数", "Days due at work", "ئىشقا كېلىشكە تېگىشلىك كۈن سانى"),
    "days_present": _t("实际出勤天数", "Days present", "ئەمەلىي ئىشقا كەلگەن كۈن سانى"),
    "late_count": _t("迟到次数", "Late arrivals", "كېچىككەن قېتىم سانى"),
    "early_count": _t("早退次数", "Early departures", "بالدۇر كەتكەن قېتىم سانى"),
    "leave_days": _t("各类假期天数", "Days of leave by type", "تۈرلەر بويىچە رۇخسەت كۈنى"),
    "business_trip_days": _t("出差天数", "Days on business trips", "سەپەر كۈنى"),
    "official_outing_days": _t("公出天数", "Days on official outings", "ئىش بىلەن سىرتقا چىققان كۈن"),
    "people": _t("人数", "Number of people", "ئادەم سانى"),
    "closed_at": _t("月结时间", "When the month was closed", "ئاي يېپىلغان ۋاقىت"),
    "closed_by": _t("月结操作者", "Who closed the month", "ئاينى ياپقان كىشى"),
    "units": _t("各内设机构的月度汇总", "Summaries of the units", "ئىچكى ئاپپاراتلارنىڭ ئايلىق ھېساباتى"),
    "summaries": _t("每个人的月度汇总", "Summaries of the people", "ھەر بىر خادىمنىڭ ئايلىق ھېساباتى"),
}

_SPECIFIC: dict[str, dict[str, dict[str, str]]] = {
    "govparts.attendance.OrgDayOverride": {
        "kind": _t(
            "安排：休息日或工作日",
            "Arrangement: rest day or workday",
            "ئورۇنلاشتۇرۇش: دەم ئېلىش كۈنى ياكى خىزمەت كۈنى",
        ),
        "name": _t(
            "名称（例如 单位运动会）", "Name (for example the sports day)", "نامى (مەسىلەن تەنتەربىيە كۈنى)"
        ),
    },
    "govparts.attendance.Shift": {
        "name": _t("班次名称", "Name of the shift", "نۆۋەت نامى"),
        "kind": _t(
            "班次类型：固定、分段、弹性或值班",
            "Kind: fixed, split, flexible or duty",
            "تۈرى: مۇقىم، بۆلەكلىك، ئەركىن ياكى نۆۋەتچىلىك",
        ),
    },
    "govparts.attendance.ShiftAssignment": {
        "unit_code": _t(
            "排给的内设机构代码", "Code of the unit given the shift", "نۆۋەت بېرىلگەن ئىچكى ئاپپارات كودى"
        ),
        "person_id": _t(
            "排给的人员编号（优先于内设机构）",
            "Person given the shift (wins over the unit)",
            "نۆۋەت بېرىلگەن خادىم نومۇرى (ئىچكى ئاپپاراتتىن ئالدىنقى ئورۇندا)",
        ),
    },
    "govparts.attendance.Punch": {
        "source": _t(
            "来源：设备、手工录入或补卡",
            "Source: device, manual entry or correction",
            "مەنبە: ئۈسكۈنە، قولدا كىرگۈزۈش ياكى تولۇقلاش",
        ),
    },
    "govparts.attendance.TripRequestIn": {
        "kind": _t("出差或公出", "Business trip or official outing", "سەپەر ياكى ئىش بىلەن سىرتقا چىقىش"),
    },
    "govparts.attendance.PunchCorrectionIn": {
        "punched_at": _t(
            "漏记的打卡时间（带时区）",
            "Time of the unrecorded punch, with its time zone",
            "خاتىرىلەنمىگەن ئىمزا ۋاقتى (ۋاقىت رايونى بىلەن)",
        ),
    },
    "govparts.attendance.Request": {
        "kind": _t(
            "申请类别：请假、出差、公出或补卡",
            "Kind: leave, business trip, official outing or punch correction",
            "تۈرى: رۇخسەت، سەپەر، ئىش بىلەن چىقىش ياكى ئىمزا تولۇقلاش",
        ),
        "punched_at": _t("补卡的打卡时间", "Time of the corrected punch", "تولۇقلانغان ئىمزا ۋاقتى"),
    },
    "govparts.attendance.LeaveBalance": {
        "source": _t(
            "额度依据的规定", "Rule the entitlement comes from", "بەھرىلىنىش ئاساس قىلغان بەلگىلىمە"
        ),
    },
    "govparts.attendance.MonthSummary": {
        "overtime_minutes": _t(
            "各类加班分钟数", "Minutes of overtime by class", "تۈرلەر بويىچە قوشۇمچە ئىشلىگەن مىنۇت"
        ),
    },
    "govparts.attendance.UnitMonthSummary": {
        "overtime_minutes": _t(
            "各类加班分钟数", "Minutes of overtime by class", "تۈرلەر بويىچە قوشۇمچە ئىشلىگەن مىنۇت"
        ),
        "people": _t("参加考勤的人数", "People kept in attendance", "ئىشقا كېلىشكە تىزىملانغان ئادەم سانى"),
    },
    "govparts.attendance.MonthClosed": {
        "people": _t("参加考勤的人数", "People kept in attendance", "ئىشقا كېلىشكە تىزىملانغان ئادەم سانى"),
        "org": _t(
            "月结单位的统一社会信用代码",
            "Unified social credit code of the organisation whose month closed",
            "ئېيى يېپىلغان ئورۇننىڭ بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى",
        ),
    },
}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "govparts.attendance.OrgDayOverride": _t(
        "单位自行安排的一天，附作出该安排的文件",
        "One day of the organisation's own arrangement, with the document that decided it",
        "ئورۇن ئۆزى ئورۇنلاشتۇرغان بىر كۈن، بۇنى بەلگىلىگەن ھۆججەت بىلەن",
    ),
    "govparts.attendance.OrgSettings": _t(
        "单位的考勤方式：日历、时区和审批规则",
        "How an organisation keeps attendance: its calendar, time zone and approval rules",
        "ئورۇننىڭ ئىشقا كېلىشنى باشقۇرۇش ئۇسۇلى: كالېندارى، ۋاقىت رايونى ۋە تەستىقلاش قائىدىسى",
    ),
    "govparts.attendance.Enrolment": _t(
        "人员自起始日期（至截止日期，含当日）在某内设机构参加考勤",
        "A person kept in attendance in a unit from a start date to an end date, inclusive",
        "خادىمنىڭ باشلىنىش كۈنىدىن ئاخىرلىشىش كۈنىگىچە (شۇ كۈننى ئۆز"
        " ئىچىگە ئالىدۇ) بىر ئىچكى ئاپپاراتتا ئىشقا كېلىشى خاتىرىلىنىدۇ",
    ),
    "govparts.attendance.Period": _t(
        "一段工作时间；结束时间不晚于开始时间的，结束于次日（跨零点）",
        "One stretch of work; an end at or before the start ends on the next day (across midnight)",
        "بىر بۆلەك خىزمەت ۋاقتى؛ ئاخىرلىشىش ۋاقتى باشلىنىش ۋاقتىدىن"
        " كېيىن بولمىسا ئەتىسى ئاخىرلىشىدۇ (يېرىم كېچىدىن ئۆتىدۇ)",
    ),
    "govparts.attendance.Timetable": _t(
        "每年自某月某日起施行、直至下一张作息时间表的工作时间",
        "Working hours in force every year from a month and day until the next timetable",
        "ھەر يىلى مەلۇم ئاي-كۈندىن باشلاپ كېيىنكى جەدۋەلگىچە كۈچكە ئىگە خىزمەت ۋاقتى",
    ),
    "govparts.attendance.Shift": _t(
        "班次：其作息时间表及据以判定每日考勤的规则",
        "A shift: its timetables and the rules that judge a day against it",
        "نۆۋەت: ئۇنىڭ ۋاقىت جەدۋەللىرى ۋە كۈندىلىك ئىشقا كېلىشنى باھالايدىغان قائىدىلىرى",
    ),
    "govparts.attendance.ShiftAssignment": _t(
        "自生效日期起为内设机构或人员安排的班次（按人员安排优先）",
        "A shift given to a unit or a person from a date; a person's assignment wins",
        "مەلۇم كۈندىن باشلاپ ئىچكى ئاپپارات ياكى خادىمغا ئورۇنلاشتۇرۇلغان"
        " نۆۋەت (خادىمغا ئورۇنلاشتۇرۇلغىنى ئالدىنقى ئورۇندا)",
    ),
    "govparts.attendance.Punch": _t(
        "人员的一次上班或下班打卡；打卡时间须带时区",
        "One clock-in or clock-out of a person; the time must carry its time zone",
        "خادىمنىڭ بىر قېتىملىق ئىشقا كېلىش ياكى ئىشتىن چۈشۈش ئىمزاسى؛ ۋاقتىدا ۋاقىت رايونى بولۇشى كېرەك",
    ),
    "govparts.attendance.PunchImport": _t(
        "一次打卡导入的结果：已保存、已存在和未参加考勤人员的打卡数",
        "What an import did: punches stored, already present, and of people not enrolled",
        "بىر قېتىملىق كىرگۈزۈشنىڭ نەتىجىسى: ساقلانغان، ئىلگىرى"
        " بار ۋە ئىشقا كېلىشكە تىزىملانمىغان خادىملارنىڭ ئىمزالىرى",
    ),
    "govparts.attendance.DayStatus": _t(
        "一天的考勤结果类别",
        "How a day went",
        "بىر كۈنلۈك ئىشقا كېلىش نەتىجىسىنىڭ تۈرى",
    ),
    "govparts.attendance.OvertimeKind": _t(
        "按加班日期区分的加班类别，《劳动法》第四十四条规定不同的报酬",
        "The class of overtime by the day it was worked; Labour Law Art. 44 pays them differently",
        "قوشۇمچە ئىشلىگەن كۈن بويىچە ئايرىلغان تۈرى؛ ئەمگەك قانۇنى 44-ماددىدا ئىش ھەققى ئوخشىمايدۇ",
    ),
    "govparts.attendance.DailyResult": _t(
        "一个人一天的考勤结果，可由打卡、班次、日历和审批重新计算",
        "The result of one person's day, recomputable from punches, shifts, calendar and approvals",
        "بىر خادىمنىڭ بىر كۈنلۈك نەتىجىسى، ئىمزا، نۆۋەت، كالېندار ۋە تەستىقلاردىن قايتا ھېسابلىغىلى بولىدۇ",
    ),
    "govparts.attendance.LeaveRequestIn": _t(
        "请假申请；请假天数由服务按日历计算",
        "A request for leave; the service counts its days from the calendar",
        "رۇخسەت ئىلتىماسى؛ كۈن سانىنى مۇلازىمەت كالېندار بويىچە ھېسابلايدۇ",
    ),
    "govparts.attendance.TripRequestIn": _t(
        "按整日计的出差或公出申请",
        "A business trip or an official outing, for whole days",
        "پۈتۈن كۈن بويىچە ھېسابلىنىدىغان سەپەر ياكى ئىش بىلەن چىقىش ئىلتىماسى",
    ),
    "govparts.attendance.PunchCorrectionIn": _t(
        "补卡申请：本人打过卡但设备未记录",
        "A punch correction: a punch the person made but the device did not record",
        "ئىمزانى تولۇقلاش ئىلتىماسى: خادىم ئىمزا قويغان، ئەمما ئۈسكۈنە خاتىرىلىمىگەن",
    ),
    "govparts.attendance.Request": _t(
        "请假、出差或补卡申请及其在审批流程中所处的环节",
        "A leave, trip or correction request and where it stands in its approval process",
        "رۇخسەت، سەپەر ياكى ئىمزا تولۇقلاش ئىلتىماسى ۋە ئۇنىڭ تەستىقلاش جەريانىدىكى ئورنى",
    ),
    "govparts.attendance.LeaveBalance": _t(
        "一个人一年内某类假期的应休、已休（已批准）、待批和剩余天数",
        "A person's leave of one type in one year: entitlement, taken, pending and remaining",
        "بىر خادىمنىڭ بىر يىلدىكى مەلۇم تۈردىكى رۇخسىتى:"
        " تېگىشلىك، ئېلىنغان، تەستىق كۈتۈۋاتقان ۋە قالغان كۈنلىرى",
    ),
    "govparts.attendance.MonthSummary": _t(
        "一个人一个月的考勤汇总",
        "One person's attendance over one month",
        "بىر خادىمنىڭ بىر ئايلىق ئىشقا كېلىش ھېساباتى",
    ),
    "govparts.attendance.UnitMonthSummary": _t(
        "一个内设机构一个月的考勤汇总：其人员汇总之和",
        "A unit's month: the sums of its people's summaries",
        "بىر ئىچكى ئاپپاراتنىڭ ئايلىق ھېساباتى: خادىملىرى ھېساباتلىرىنىڭ يىغىندىسى",
    ),
    "govparts.attendance.MonthClosed": _t(
        "考勤月结事件的内容：已结的月份及其汇总",
        "Payload of the event: the closed month and its summaries",
        "ھادىسە مەزمۇنى: يېپىلغان ئاي ۋە ئۇنىڭ ھېساباتلىرى",
    ),
    "govparts.attendance.CompensatoryRest": _t(
        "一个人某日的调休假：已计入、已休、已过期和剩余",
        "A person's compensatory rest on a day: credited, taken, expired and left",
        "بىر خادىمنىڭ مەلۇم كۈندىكى ئالماشتۇرۇپ دەم ئېلىشى: قوشۇلغان، ئېلىنغان، ۋاقتى ئۆتكەن ۋە قالغىنى",
    ),
}
"""What each published model is, in the three languages (``x-i18n.description`` of its schema)."""

TITLES: dict[str, dict[str, Any]] = {
    standard_id: {
        **title,
        "description": _DESCRIPTIONS[standard_id],
        "fields": {**_FIELDS, **_SPECIFIC.get(standard_id, {})},
    }
    for standard_id, title in _MODELS.items()
}
"""Title and field descriptions of each published model (and of the models nested in them)."""
