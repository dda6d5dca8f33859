"""The personnel part's business processes as :class:`~govparts.core.process.ProcessSpec` data.

``personnel.employee``: hire (录用/调入/选调) → probation (试用期) → confirmed (转正, by someone other
than the hiring clerk) ⇄ seconded (借调); appointment and removal (任免), transfer (调动) and rank
promotion (晋升职级) while in service; separation (辞职/辞退/调出/退休/死亡) refused while the person
holds a post or has direct reports.

``personnel.org_unit``: a unit (内设机构) is planned, established, renamed and closed (closing refused
while people still belong to it).
"""

from __future__ import annotations

from govparts.core.process import (
    GuardRule,
    LocalizedText,
    ProcessSpec,
    Role,
    SeparationOfDuties,
    State,
    Transition,
)

from . import events as _events

__all__ = ["EMPLOYEE", "ORG_UNIT", "PROCESSES"]


def _t(zh: str, en: str, ug: str) -> LocalizedText:
    return LocalizedText(zh_Hans_CN=zh, en=en, ug_CN=ug)


_ROLES = (
    Role(id="hr_clerk", label=_t("人事干部", "HR clerk", "كادىرلار ئىشلىرى خادىمى")),
    Role(id="hr_head", label=_t("人事部门负责人", "Head of personnel", "كادىرلار ئىشلىرى مەسئۇلى")),
)
_IN_SERVICE = ("probation", "active")

EMPLOYEE = ProcessSpec(
    id="personnel.employee",
    version="1.0",
    title=_t("人员任职全过程", "Employment lifecycle", "خىزمەت ھاياتى جەريانى"),
    entity="employee",
    roles=_ROLES,
    guards=(
        GuardRule(
            id="holds_no_post",
            description=_t("不再担任任何职务", "holds no post", "ھېچقانداق ۋەزىپە ئۆتىمەيدۇ"),
        ),
        GuardRule(
            id="has_no_direct_reports",
            description=_t("没有直接下属", "has no direct reports", "بىۋاسىتە قول ئاستىدىكىسى يوق"),
        ),
    ),
    states=(
        State(id="candidate", label=_t("拟录用", "Candidate", "ئىشقا ئېلىنىش ئالدىدا")),
        State(id="probation", label=_t("试用期", "On probation", "سىناق مۇددىتىدە")),
        State(id="active", label=_t("在职", "In service", "خىزمەتتە")),
        State(id="seconded", label=_t("借调", "Seconded", "ۋاقىتلىق يۆتكەلگەن")),
        State(id="separated", label=_t("已减员", "Separated", "ئايرىلغان"), terminal=True),
    ),
    initial="candidate",
    transitions=(
        Transition(
            name="hire",
            label=_t("录用/调入", "Hire", "ئىشقا ئېلىش"),
            source=("candidate",),
            target="probation",
            roles=("hr_clerk", "hr_head"),
            event=_events.EMPLOYEE_HIRED.type,
        ),
        Transition(
            name="confirm",
            label=_t("转正", "Confirm", "رەسمىيلەشتۈرۈش"),
            source=("probation",),
            target="active",
            roles=("hr_head",),
            separation_of_duties=SeparationOfDuties(differs_from=("hire",)),
        ),
        Transition(
            name="change_post",
            label=_t("任免职务", "Appoint or remove", "ۋەزىپىگە تەيىنلەش ياكى ئېلىپ تاشلاش"),
            source=_IN_SERVICE,
            target="active",
            roles=("hr_head",),
            inputs=("document", "effective"),
            optional_inputs=("position_code",),
            event=_events.EMPLOYEE_POST_CHANGED.type,
        ),
        Transition(
            name="transfer",
            label=_t("调动", "Transfer", "يۆتكەش"),
            source=_IN_SERVICE,
            target="active",
            roles=("hr_head",),
            inputs=("unit_code", "effective"),
            optional_inputs=("document",),
            guards=("holds_no_post",),
            event=_events.EMPLOYEE_TRANSFERRED.type,
        ),
        Transition(
            name="promote_rank",
            label=_t("晋升职级", "Promote rank", "دەرىجە ئۆستۈرۈش"),
            source=("active",),
            target="active",
            roles=("hr_head",),
            inputs=("rank", "document", "effective"),
            optional_inputs=("grade",),
        ),
        Transition(
            name="second",
            label=_t("借调", "Second", "ۋاقىتلىق يۆتكەش"),
            source=("active",),
            target="seconded",
            roles=("hr_head",),
            inputs=("seconded_to", "effective"),
            optional_inputs=("document",),
        ),
        Transition(
            name="end_secondment",
            label=_t("借调结束", "End secondment", "ۋاقىتلىق يۆتكەشنى ئاخىرلاشتۇرۇش"),
            source=("seconded",),
            target="active",
            roles=("hr_head",),
            inputs=("effective",),
        ),
        Transition(
            name="separate",
            label=_t("减员", "Separate", "ئايرىش"),
            source=("probation", "active", "seconded"),
            target="separated",
            roles=("hr_head",),
            inputs=("reason", "effective"),
            guards=("holds_no_post", "has_no_direct_reports"),
            event=_events.EMPLOYEE_SEPARATED.type,
        ),
    ),
)

ORG_UNIT = ProcessSpec(
    id="personnel.org_unit",
    version="1.0",
    title=_t("内设机构设置", "Internal units", "ئىچكى ئاپپاراتلار"),
    entity="org_unit",
    roles=_ROLES,
    guards=(
        GuardRule(
            id="has_no_members",
            description=_t("机构内已无人员", "no one belongs to the unit", "ئاپپاراتتا ھېچكىم يوق"),
        ),
    ),
    states=(
        State(id="planned", label=_t("拟设立", "Planned", "پىلانلانغان")),
        State(id="active", label=_t("已设立", "Established", "قۇرۇلغان")),
        State(id="closed", label=_t("已撤销", "Closed", "ئەمەلدىن قالدۇرۇلغان"), terminal=True),
    ),
    initial="planned",
    transitions=(
        Transition(
            name="establish",
            label=_t("设立", "Establish", "قۇرۇش"),
            source=("planned",),
            target="active",
            roles=("hr_head",),
            inputs=("effective",),
            event=_events.ORGUNIT_CHANGED.type,
        ),
        Transition(
            name="rename",
            label=_t("更名", "Rename", "نامىنى ئۆزگەرتىش"),
            source=("active",),
            target="active",
            roles=("hr_head",),
            inputs=("name", "effective"),
            event=_events.ORGUNIT_CHANGED.type,
        ),
        Transition(
            name="close",
            label=_t("撤销", "Close", "ئەمەلدىن قالدۇرۇش"),
            source=("active",),
            target="closed",
            roles=("hr_head",),
            inputs=("effective",),
            guards=("has_no_members",),
            event=_events.ORGUNIT_CHANGED.type,
        ),
    ),
)

PROCESSES = (EMPLOYEE, ORG_UNIT)
"""Every process of the part."""
