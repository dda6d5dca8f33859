"""The part's business processes as ``ProcessSpec`` data: outgoing, incoming, disposition.

Outgoing documents (发文) follow 党政机关公文处理工作条例 Ch. 5 (Arts 19–24: 起草、审核、签发、复核、
登记、印制、核发); incoming documents (收文) Art. 24–25 (签收、登记、初审、承办、传阅、催办、答复);
appraisal and destruction follow the 档案法 and DA/T 22-2015's retention periods.
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

__all__ = ["DISPOSITION", "INCOMING_DOCUMENT", "OUTGOING_DOCUMENT", "PROCESSES"]


def _t(zh: str, en: str, ug: str) -> LocalizedText:
    return LocalizedText(zh_Hans_CN=zh, en=en, ug_CN=ug)


def _state(id: str, zh: str, en: str, ug: str, *, terminal: bool = False) -> State:
    return State(id=id, label=_t(zh, en, ug), terminal=terminal)


def _role(id: str, zh: str, en: str, ug: str) -> Role:
    return Role(id=id, label=_t(zh, en, ug))


OUTGOING_DOCUMENT = ProcessSpec(
    id="archives.outgoing_document",
    version="1.0",
    title=_t("发文办理", "Outgoing document", "چىقىرىلىدىغان ھۆججەت بىر تەرەپ قىلىش"),
    entity="outgoing_document",
    roles=(
        _role("drafter", "拟稿人", "Drafter", "لايىھە تۈزگۈچى"),
        _role("reviewer", "审核人", "Reviewer", "تەكشۈرگۈچى"),
        _role("countersigner", "会签人", "Countersigning unit", "بىرلىكتە ئىمزالىغۇچى"),
        _role("signer", "签发人", "Signer", "ئىمزالاپ تارقاتقۇچى"),
        _role("checker", "复核人", "Checker", "قايتا تەكشۈرگۈچى"),
        _role("registrar", "登记人", "Registrar", "تىزىملىغۇچى"),
        _role("printer", "印制人", "Printer", "بېسىپ چىقارغۇچى"),
        _role("issuer", "核发人", "Issuer", "تارقاتقۇچى"),
        _role("archivist", "档案员", "Archivist", "ئارخىپچى"),
    ),
    guards=(
        GuardRule(
            id="unchanged_since_signoff",
            description=_t(
                "签发后内容未作实质性修改",
                "The substance is unchanged since sign-off",
                "ئىمزالانغاندىن كېيىن مەزمۇنى ماھىيەتلىك ئۆزگەرتىلمىگەن",
            ),
        ),
        GuardRule(
            id="has_number",
            description=_t("已编发文字号", "The document has a document number", "ھۆججەت نومۇرى بېرىلگەن"),
        ),
    ),
    states=(
        _state("drafting", "起草", "Drafting", "لايىھە تۈزۈش"),
        _state("reviewing", "审核", "In review", "تەكشۈرۈشتە"),
        _state("countersigning", "会签", "In countersigning", "بىرلىكتە ئىمزالاشتا"),
        _state("awaiting_signoff", "待签发", "Awaiting sign-off", "ئىمزا كۈتۈۋاتىدۇ"),
        _state("checking", "复核", "In check", "قايتا تەكشۈرۈشتە"),
        _state("registering", "登记编号", "Registering and numbering", "تىزىملاش ۋە نومۇر بېرىش"),
        _state("printing", "印制", "Printing", "بېسىش"),
        _state("issuing", "核发", "Issuing", "تارقىتىش"),
        _state("issued", "已发出", "Issued", "تارقىتىلدى"),
        _state("filed", "已归档", "Filed", "ئارخىپقا ئېلىندى", terminal=True),
        _state("withdrawn", "已撤销", "Withdrawn", "بىكار قىلىندى", terminal=True),
    ),
    initial="drafting",
    transitions=(
        Transition(
            name="submit",
            label=_t("送审", "Submit for review", "تەكشۈرۈشكە يوللاش"),
            source="drafting",
            target="reviewing",
            roles="drafter",
        ),
        Transition(
            name="return_to_drafter",
            label=_t("退回拟稿人", "Return to the drafter", "لايىھە تۈزگۈچىگە قايتۇرۇش"),
            source=("reviewing", "countersigning", "awaiting_signoff"),
            target="drafting",
            roles=("reviewer", "signer"),
            inputs="reason",
        ),
        Transition(
            name="request_countersign",
            label=_t("提请会签", "Request countersigning", "بىرلىكتە ئىمزالاشنى تەلەپ قىلىش"),
            source="reviewing",
            target="countersigning",
            roles="reviewer",
            separation_of_duties=SeparationOfDuties(differs_from="submit", scope="latest"),
        ),
        Transition(
            name="countersign",
            label=_t("会签", "Countersign", "بىرلىكتە ئىمزالاش"),
            source="countersigning",
            target="awaiting_signoff",
            roles="countersigner",
            inputs="opinion",
        ),
        Transition(
            name="approve_review",
            label=_t("审核通过", "Pass review", "تەكشۈرۈشتىن ئۆتكۈزۈش"),
            source="reviewing",
            target="awaiting_signoff",
            roles="reviewer",
            optional_inputs="opinion",
            separation_of_duties=SeparationOfDuties(differs_from="submit", scope="latest"),
        ),
        Transition(
            name="sign_off",
            label=_t("签发", "Sign off", "ئىمزالاش"),
            source="awaiting_signoff",
            target="checking",
            roles="signer",
            optional_inputs="opinion",
        ),
        Transition(
            name="return_to_signer",
            label=_t("退回签发人", "Return to the signer", "ئىمزالاپ تارقاتقۇچىغا قايتۇرۇش"),
            source="checking",
            target="awaiting_signoff",
            roles="checker",
            inputs="reason",
        ),
        Transition(
            name="pass_check",
            label=_t("复核通过", "Pass the check", "قايتا تەكشۈرۈشتىن ئۆتكۈزۈش"),
            source="checking",
            target="registering",
            roles="checker",
            guards="unchanged_since_signoff",
        ),
        Transition(
            name="register_and_number",
            label=_t("登记编号", "Register and number", "تىزىملاش ۋە نومۇر بېرىش"),
            source="registering",
            target="printing",
            roles="registrar",
        ),
        Transition(
            name="print",
            label=_t("印制", "Print", "بېسىپ چىقىرىش"),
            source="printing",
            target="issuing",
            roles="printer",
            inputs="copies",
        ),
        Transition(
            name="issue",
            label=_t("核发", "Issue", "تارقىتىش"),
            source="issuing",
            target="issued",
            roles="issuer",
            guards="has_number",
            event="cn.govparts.archives.document.issued.v1",
        ),
        Transition(
            name="file",
            label=_t("归档", "File in the archives", "ئارخىپقا ئېلىش"),
            source="issued",
            target="filed",
            roles="archivist",
            event="cn.govparts.archives.document.filed.v1",
        ),
        Transition(
            name="withdraw",
            label=_t("撤销", "Withdraw", "بىكار قىلىش"),
            source=("printing", "issuing"),
            target="withdrawn",
            roles="signer",
            inputs="reason",
        ),
    ),
)

INCOMING_DOCUMENT = ProcessSpec(
    id="archives.incoming_document",
    version="1.0",
    title=_t("收文办理", "Incoming document", "كىرگەن ھۆججەت بىر تەرەپ قىلىش"),
    entity="incoming_document",
    roles=(
        _role("clerk", "收文员", "Receiving clerk", "ھۆججەت قوبۇل قىلغۇچى"),
        _role("secretary", "文秘人员", "Secretary", "كاتىپ"),
        _role("leader", "领导", "Leader", "رەھبەر"),
        _role("handler", "承办人", "Handler", "بىجىرگۈچى"),
        _role("archivist", "档案员", "Archivist", "ئارخىپچى"),
    ),
    guards=(
        GuardRule(
            id="urgent_has_deadline",
            description=_t(
                "紧急公文须有办理时限",
                "An urgent document has a deadline",
                "جىددىي ھۆججەتنىڭ بىجىرىش مۆھلىتى بولۇشى كېرەك",
            ),
        ),
    ),
    states=(
        _state("signed_for", "已签收", "Signed for", "ئىمزا بىلەن قوبۇل قىلىندى"),
        _state("registered", "已登记", "Registered", "تىزىملاندى"),
        _state("reviewed", "已初审", "Reviewed", "دەسلەپكى تەكشۈرۈلدى"),
        _state("proposed", "已拟办", "Handling proposed", "بىجىرىش پىكرى بېرىلدى"),
        _state("instructed", "已批办", "Instructed", "يوليورۇق بېرىلدى"),
        _state("handling", "承办中", "Being handled", "بىجىرىلىۋاتىدۇ"),
        _state("circulating", "传阅中", "Circulating", "ئوقۇشقا تارقىتىلدى"),
        _state("replied", "已答复", "Replied", "جاۋاب بېرىلدى"),
        _state("closed", "已办结", "Closed", "بىجىرىلىپ بولدى"),
        _state("filed", "已归档", "Filed", "ئارخىپقا ئېلىندى", terminal=True),
        _state("returned", "已退回", "Returned to sender", "ئەۋەتكۈچىگە قايتۇرۇلدى", terminal=True),
    ),
    initial="signed_for",
    transitions=(
        Transition(
            name="register",
            label=_t("登记", "Register", "تىزىملاش"),
            source="signed_for",
            target="registered",
            roles="clerk",
        ),
        Transition(
            name="pass_review",
            label=_t("初审通过", "Pass the initial review", "دەسلەپكى تەكشۈرۈشتىن ئۆتكۈزۈش"),
            source="registered",
            target="reviewed",
            roles="clerk",
        ),
        Transition(
            name="return_to_sender",
            label=_t("退回来文单位", "Return to the sender", "ئەۋەتكۈچىگە قايتۇرۇش"),
            source="registered",
            target="returned",
            roles="clerk",
            inputs="reason",
        ),
        Transition(
            name="propose_handling",
            label=_t("拟办", "Propose handling", "بىجىرىش پىكرى بېرىش"),
            source="reviewed",
            target="proposed",
            roles="secretary",
            inputs="proposal",
        ),
        Transition(
            name="instruct",
            label=_t("批办", "Instruct", "يوليورۇق بېرىش"),
            source="proposed",
            target="instructed",
            roles="leader",
            inputs="instruction",
        ),
        Transition(
            name="assign",
            label=_t("交办承办", "Assign for handling", "بىجىرىشكە تاپشۇرۇش"),
            source="instructed",
            target="handling",
            roles="secretary",
            inputs="lead_unit",
            optional_inputs=("assisting_units", "due_on"),
            guards="urgent_has_deadline",
        ),
        Transition(
            name="circulate",
            label=_t("传阅", "Circulate", "ئوقۇشقا تارقىتىش"),
            source="handling",
            target="circulating",
            roles="handler",
            optional_inputs="readers",
        ),
        Transition(
            name="reply",
            label=_t("答复", "Reply", "جاۋاب بېرىش"),
            source=("handling", "circulating"),
            target="replied",
            roles="handler",
            inputs="reply",
        ),
        Transition(
            name="close",
            label=_t("办结", "Close", "بىجىرىپ تاماملاش"),
            source="replied",
            target="closed",
            roles="handler",
        ),
        Transition(
            name="file",
            label=_t("归档", "File in the archives", "ئارخىپقا ئېلىش"),
            source="closed",
            target="filed",
            roles="archivist",
            event="cn.govparts.archives.document.filed.v1",
        ),
    ),
)

DISPOSITION = ProcessSpec(
    id="archives.disposition",
    version="1.0",
    title=_t("档案鉴定与处置", "Appraisal and disposition", "ئارخىپ باھالاش ۋە بىر تەرەپ قىلىش"),
    entity="archival_item",
    roles=(
        _role("archivist", "档案员", "Archivist", "ئارخىپچى"),
        _role("appraiser", "鉴定小组", "Appraisal committee", "باھالاش گۇرۇپپىسى"),
        _role("approver", "审批领导", "Approving leader", "تەستىقلىغۇچى رەھبەر"),
    ),
    guards=(
        GuardRule(
            id="retention_expired",
            description=_t("保管期限已满", "The retention period has expired", "ساقلاش مۇددىتى توشتى"),
        ),
        GuardRule(
            id="no_legal_hold",
            description=_t("未被冻结（法律保全）", "No legal hold is in force", "قانۇنىي توختىتىش يوق"),
        ),
    ),
    states=(
        _state("in_custody", "保管中", "In custody", "ساقلىنىۋاتىدۇ"),
        _state("appraisal", "待鉴定", "Listed for appraisal", "باھالاشقا تىزىملاندى"),
        _state("destruction_proposed", "拟销毁", "Proposed for destruction", "يوقىتىشقا تەكلىپ قىلىندى"),
        _state("destroyed", "已销毁", "Destroyed", "يوقىتىلدى", terminal=True),
    ),
    initial="in_custody",
    transitions=(
        Transition(
            name="list_for_appraisal",
            label=_t("列入鉴定", "List for appraisal", "باھالاشقا تىزىملاش"),
            source="in_custody",
            target="appraisal",
            roles="archivist",
            guards="retention_expired",
        ),
        Transition(
            name="keep",
            label=_t("继续保存", "Keep", "داۋاملىق ساقلاش"),
            source=("appraisal", "destruction_proposed"),
            target="in_custody",
            roles=("appraiser", "approver"),
            inputs="years",
        ),
        Transition(
            name="propose_destruction",
            label=_t("提出销毁意见", "Propose destruction", "يوقىتىشنى تەكلىپ قىلىش"),
            source="appraisal",
            target="destruction_proposed",
            roles="appraiser",
            guards="no_legal_hold",
        ),
        Transition(
            name="approve_destruction",
            label=_t("批准销毁", "Approve destruction", "يوقىتىشنى تەستىقلاش"),
            source="destruction_proposed",
            target="destroyed",
            roles="approver",
            guards="no_legal_hold",
            separation_of_duties=SeparationOfDuties(differs_from="propose_destruction"),
        ),
    ),
)

PROCESSES: tuple[ProcessSpec, ...] = (OUTGOING_DOCUMENT, INCOMING_DOCUMENT, DISPOSITION)
"""Every process of the part (``Part.processes``)."""
