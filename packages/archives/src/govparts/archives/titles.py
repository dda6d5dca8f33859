"""Titles and field descriptions of the archives part's published models in the three languages.

``TITLES`` maps each standard id (the published models and the event payloads of ``events.py``) to
its title by locale and, under ``"fields"``, a description of each field by locale. The publication
(``govparts spec build``) writes them into each model's JSON Schema as ``x-i18n``. A field name
means the same thing in every model of the part unless a model's entry in ``_SPECIFIC`` says
otherwise. The terms are those of GB/T 9704-2012 (公文格式) and DA/T 22-2015 (归档文件整理规则).
"""

from __future__ import annotations

from typing import Any

__all__ = ["TITLES"]


def _t(zh: str, en: str, ug: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "en": en, "ug_CN": ug}


_MODELS: dict[str, dict[str, str]] = {
    "govparts.archives.DocumentDraft": _t("发文稿", "Outgoing document draft", "چىقىدىغان ھۆججەت لايىھەسى"),
    "govparts.archives.IncomingDraft": _t("收文登记", "Incoming document", "كىرگەن ھۆججەت تىزىملىكى"),
    "govparts.archives.FileInfo": _t("公文文件", "Stored file", "ساقلانغان ھۆججەت"),
    "govparts.archives.Document": _t("公文", "Official document", "رەسمىي ھۆججەت"),
    "govparts.archives.DocumentSignature": _t(
        "公文电子签名", "Electronic signature of a document", "ھۆججەتنىڭ ئېلېكترونلۇق ئىمزاسى"
    ),
    "govparts.archives.DocumentSummary": _t("公文摘要", "Document summary", "رەسمىي ھۆججەت خۇلاسىسى"),
    "govparts.archives.IssuedNumber": _t("发文字号", "Document number", "ھۆججەت نومۇرى"),
    "govparts.archives.ArchivalItem": _t("归档文件（件）", "Archival item", "ئارخىپقا ئېلىنغان بۆلەك"),
    "govparts.archives.CatalogueEntry": _t(
        "归档文件目录条目", "Filing catalogue entry", "ئارخىپ مۇندەرىجىسى قۇرى"
    ),
    "govparts.archives.CatalogueRecord": _t(
        "目录数据交换记录", "Catalogue exchange record", "مۇندەرىجە سانلىق مەلۇمات ئالماشتۇرۇش خاتىرىسى"
    ),
    "govparts.archives.DestructionEntry": _t(
        "销毁清册条目", "Destruction register entry", "يوقىتىش تىزىملىكى قۇرى"
    ),
    "govparts.archives.AccessRecord": _t("查阅记录", "Access record", "كۆرۈش خاتىرىسى"),
    "govparts.archives.PackageReceipt": _t(
        "归档包接收回执", "Archival package receipt", "ئارخىپ بولىقىنى تاپشۇرۇۋېلىش ھۆججىتى"
    ),
    "govparts.archives.events.DocumentIssued": _t("公文已核发", "Document issued", "ھۆججەت تارقىتىلدى"),
    "govparts.archives.events.DocumentFiled": _t("公文已归档", "Document filed", "ھۆججەت ئارخىپلاندى"),
}

_FIELDS: dict[str, dict[str, str]] = {
    "doc_type": _t(
        "公文种类（党政机关公文处理工作条例第八条）",
        "Kind of official document (Regulations on handling official documents, Art. 8)",
        "رەسمىي ھۆججەت تۈرى (党政机关公文处理工作条例 8-ماددا)",
    ),
    "title": _t("标题", "Title", "ماۋزۇ"),
    "body": _t(
        "正文（文本形式，正文文件另附）",
        "Body text (the body file is attached separately)",
        "تېكىستى (تېكىست شەكلىدە، ئەسلى ھۆججىتى ئايرىم قوشۇلىدۇ)",
    ),
    "issuing_organ": _t("发文机关", "Issuing organ", "ھۆججەت چىقارغۇچى ئورگان"),
    "organ_code": _t(
        "发文机关代字，例如 新政发",
        "Issuing organ's code, for example 新政发",
        "ھۆججەت چىقارغۇچى ئورگان قىسقارتىلمىسى، مەسىلەن 新政发",
    ),
    "fonds": _t("全宗号（DA/T 22-2015）", "Fonds number (DA/T 22-2015)", "فوند نومۇرى (DA/T 22-2015)"),
    "organisation": _t(
        "机构（问题）代码，例如 BGS", "Organisation code, for example BGS", "ئورگان كودى، مەسىلەن BGS"
    ),
    "copy_number": _t("份号", "Copy number", "نۇسخا نومۇرى"),
    "secrecy": _t(
        "密级：秘密、机密或绝密（GB/T 9704-2012）",
        "Secrecy level: confidential, secret or top secret (GB/T 9704-2012)",
        "مەخپىيلىك دەرىجىسى: مەخپىي، ئىنتايىن مەخپىي ياكى مۇتلەق مەخپىي (GB/T 9704-2012)",
    ),
    "secrecy_period_years": _t("保密期限（年）", "Secrecy period in years", "مەخپىيلىك مۇددىتى (يىل)"),
    "urgency": _t(
        "紧急程度：加急或特急",
        "Urgency: urgent or extra urgent",
        "جىددىيلىك دەرىجىسى: جىددىي ياكى ئالاھىدە جىددىي",
    ),
    "main_recipients": _t("主送机关", "Main recipients", "ئاساسلىق تاپشۇرۇۋالغۇچى ئورگانلار"),
    "copy_to": _t("抄送机关", "Copied to", "كۆچۈرۈلمە ئەۋەتىلىدىغان ئورگانلار"),
    "attachment_notes": _t("附件说明", "Attachment notes", "قوشۇمچە ھۆججەت ئىزاھاتى"),
    "signature_organ": _t("发文机关署名", "Issuing organ's signature", "ھۆججەت چىقارغۇچى ئورگاننىڭ ئىمزاسى"),
    "written_on": _t("成文日期", "Date of writing", "يېزىلغان چېسلاسى"),
    "notes": _t("附注", "Notes", "ئىزاھات"),
    "printing_organ": _t("印发机关", "Printing organ", "بېسىپ تارقاتقۇچى ئورگان"),
    "sender": _t("来文机关", "Sending organ", "ھۆججەت ئەۋەتكۈچى ئورگان"),
    "document_number": _t("发文字号", "Document number", "ھۆججەت نومۇرى"),
    "id": _t("标识", "Identifier", "بەلگىسى"),
    "document_id": _t("公文标识", "Identifier of the document", "رەسمىي ھۆججەت بەلگىسى"),
    "role": _t(
        "文件角色：正文、附件或定稿",
        "Role: body, attachment or final draft",
        "رولى: تېكىست، قوشۇمچە ياكى ئاخىرقى نۇسخا",
    ),
    "name": _t("文件名", "File name", "ھۆججەت نامى"),
    "media_type": _t("媒体类型", "Media type", "مېدىيا تىپى"),
    "size": _t("大小（字节）", "Size in bytes", "چوڭلۇقى (بايت)"),
    "sm3": _t(
        "SM3 摘要（GB/T 32905-2016）", "SM3 digest (GB/T 32905-2016)", "SM3 خۇلاسىسى (GB/T 32905-2016)"
    ),
    "sha256": _t("SHA-256 摘要", "SHA-256 digest", "SHA-256 خۇلاسىسى"),
    "direction": _t("发文或收文", "Outgoing or incoming", "چىقىدىغان ياكى كىرگەن ھۆججەت"),
    "state": _t("状态", "State", "ھالىتى"),
    "version": _t(
        "版本号（每次变更加一）",
        "Version, raised by one at each change",
        "نەشر نومۇرى (ھەر قېتىم ئۆزگەرگەندە بىرگە ئاشىدۇ)",
    ),
    "classified_on": _t("定密日期", "Date the secrecy level was set", "مەخپىيلىك دەرىجىسى بېكىتىلگەن چېسلا"),
    "signer": _t("签发人", "Signer", "ئىمزالىغۇچى"),
    "sealed": _t("是否已用印", "Whether the seal is affixed", "تامغا بېسىلغانمۇ"),
    "printed_on": _t("印发日期", "Date of printing", "بېسىپ تارقىتىلغان چېسلا"),
    "copies": _t("印发份数", "Copies printed", "بېسىلغان نۇسخا سانى"),
    "received_at": _t("签收时间", "When it was signed for", "تاپشۇرۇۋېلىنغان ۋاقتى"),
    "lead_unit": _t("主办部门", "Lead unit", "ئاساسلىق بېجىرگۈچى بۆلۈم"),
    "assisting_units": _t("协办部门", "Assisting units", "ماسلىشىپ بېجىرگۈچى بۆلۈملەر"),
    "due_on": _t("办理时限", "Due date", "بېجىرىش مۆھلىتى"),
    "reply": _t("办理结果（答复）", "Reply", "بېجىرىش نەتىجىسى (جاۋاب)"),
    "return_reason": _t("退回理由", "Reason for returning it", "قايتۇرۇش سەۋەبى"),
    "files": _t("文件", "Files", "ھۆججەتلەر"),
    "year": _t("年度", "Year", "يىل"),
    "serial": _t("顺序号", "Serial number", "تەرتىپ نومۇرى"),
    "status": _t(
        "状态：已分配或已作废", "Status: allocated or voided", "ھالىتى: بېرىلگەن ياكى ئەمەلدىن قالدۇرۇلغان"
    ),
    "void_reason": _t("作废理由", "Why the number was voided", "ئەمەلدىن قالدۇرۇش سەۋەبى"),
    "archival_code": _t(
        "档号（DA/T 22-2015）", "Archival code (DA/T 22-2015)", "ئارخىپ نومۇرى (DA/T 22-2015)"
    ),
    "category": _t(
        "门类代码，例如 WS（文书）",
        "Records category code, for example WS (documents)",
        "ئارخىپ تۈر كودى، مەسىلەن WS (ھۆججەتلەر)",
    ),
    "retention": _t(
        "保管期限：永久、定期30年或定期10年",
        "Retention: permanent, 30 years or 10 years",
        "ساقلاش مۇددىتى: مەڭگۈلۈك، 30 يىل ياكى 10 يىل",
    ),
    "item_number": _t("件号", "Item number", "بۆلەك نومۇرى"),
    "expires_on": _t("保管期满日期", "Date the retention ends", "ساقلاش مۇددىتى توشىدىغان چېسلا"),
    "legal_hold": _t(
        "是否因法律原因暂缓销毁",
        "Whether a legal hold stops destruction",
        "قانۇنىي سەۋەب بىلەن يوقىتىش توختىتىلغانمۇ",
    ),
    "responsible": _t("责任者", "Responsible party", "مەسئۇل تەرەپ"),
    "date": _t("日期", "Date", "چېسلا"),
    "proposed_by": _t("提出销毁的人", "Who proposed the destruction", "يوقىتىشنى تەكلىپ قىلغۇچى"),
    "approved_by": _t("批准销毁的人", "Who approved the destruction", "يوقىتىشنى تەستىقلىغۇچى"),
    "destroyed_at": _t("销毁时间", "When it was destroyed", "يوقىتىلغان ۋاقتى"),
    "actor_id": _t("查阅人标识", "Identifier of the reader", "كۆرگۈچى بەلگىسى"),
    "action": _t("操作", "Action", "مەشغۇلات"),
    "allowed": _t("是否允许", "Whether it was allowed", "رۇخسەت قىلىندىمۇ"),
    "at": _t("时间", "When", "ۋاقتى"),
    "bag_name": _t("BagIt 包名", "Name of the BagIt bag", "BagIt بولىقىنىڭ نامى"),
    "archival_codes": _t(
        "包内各件的档号", "Archival codes of the items in the bag", "بولاقتىكى بۆلەكلەرنىڭ ئارخىپ نومۇرى"
    ),
    "payload_oxum": _t(
        "Payload-Oxum（字节数.文件数）", "Payload-Oxum (bytes.files)", "Payload-Oxum (بايت.ھۆججەت سانى)"
    ),
    "algorithms": _t("校验用的摘要算法", "Digest algorithms verified", "تەكشۈرۈلگەن خۇلاسە ئالگورىزملىرى"),
}

_SPECIFIC: dict[str, dict[str, dict[str, str]]] = {
    "govparts.archives.Document": {
        "id": _t("公文标识", "Identifier of the document", "رەسمىي ھۆججەت بەلگىسى"),
        "signature": _t(
            "发文机关的电子签名（未签名时为空）",
            "The issuing organ's electronic signature, empty when unsigned",
            "چىقارغۇچى ئورگاننىڭ ئېلېكترونلۇق ئىمزاسى (ئىمزالانمىغان بولسا قۇرۇق)",
        ),
    },
    "govparts.archives.DocumentSignature": {
        "algorithm": _t(
            "签名算法：SM2 与 SM3（GB/T 32918.2-2016）",
            "Signature algorithm: SM2 with SM3 (GB/T 32918.2-2016)",
            "ئىمزا ئالگورىزمى: SM2 ۋە SM3 (GB/T 32918.2-2016)",
        ),
        "content_format": _t(
            "所签内容的规范格式及其版本",
            "The canonical content form signed, with its version",
            "ئىمزالانغان مەزمۇننىڭ ئۆلچەملىك شەكلى ۋە نەشرى",
        ),
        "key_id": _t(
            "公钥标识：签名者 DER 公钥的 SM3 值（十六进制）",
            "Key id: SM3 of the signer's DER public key, hexadecimal",
            "ئاچقۇچ بەلگىسى: ئىمزالىغۇچى DER ئاممىۋى ئاچقۇچىنىڭ SM3 قىممىتى (ئون ئالتىلىك)",
        ),
        "public_key": _t(
            "签名者公钥（PEM）", "The signer's public key (PEM)", "ئىمزالىغۇچىنىڭ ئاممىۋى ئاچقۇچى (PEM)"
        ),
        "distid": _t(
            "SM2 用户标识（GB/T 35276-2017 10.3）",
            "SM2 distinguishing identifier (GB/T 35276-2017 10.3)",
            "SM2 پەرقلەندۈرۈش بەلگىسى (GB/T 35276-2017 10.3)",
        ),
        "value": _t("签名值（DER，Base64）", "The signature, DER in base64", "ئىمزا قىممىتى (DER، base64)"),
        "signed_by": _t(
            "核发公文并加签的人员",
            "Who issued the document and so applied the signature",
            "ھۆججەتنى تارقىتىپ ئىمزا قويغۇچى",
        ),
        "signed_at": _t("签名时间（UTC）", "When it was signed (UTC)", "ئىمزالانغان ۋاقتى (UTC)"),
    },
    "govparts.archives.DocumentSummary": {
        "id": _t("公文标识", "Identifier of the document", "رەسمىي ھۆججەت بەلگىسى"),
    },
    "govparts.archives.IncomingDraft": {
        "document_number": _t(
            "来文的发文字号（规范化后）",
            "The sender's document number, normalised",
            "ئەۋەتكۈچىنىڭ ھۆججەت نومۇرى (ئۆلچەملەشتۈرۈلگەن)",
        ),
    },
    "govparts.archives.ArchivalItem": {
        "id": _t("归档文件标识", "Identifier of the item", "بۆلەك بەلگىسى"),
        "title": _t("题名", "Title", "ماۋزۇ"),
    },
    "govparts.archives.CatalogueEntry": {
        "title": _t("题名", "Title", "ماۋزۇ"),
        "document_number": _t("文号", "Document number", "ھۆججەت نومۇرى"),
        "notes": _t("备注", "Remarks", "ئىزاھات"),
    },
    "govparts.archives.CatalogueRecord": {
        "title": _t("题名（涉密文件为空）", "Title, empty when withheld", "ماۋزۇ (مەخپىي ھۆججەتتە قۇرۇق)"),
        "document_number": _t("文号", "Document number", "ھۆججەت نومۇرى"),
        "notes": _t("备注", "Remarks", "ئىزاھات"),
        "org": _t(
            "立档单位的统一社会信用代码",
            "Unified social credit code of the organisation that keeps the file",
            "ئارخىپ ساقلىغۇچى ئورۇننىڭ بىرلىككە كەلگەن ئىجتىمائىي ئىناۋەت كودى",
        ),
    },
    "govparts.archives.DestructionEntry": {
        "withheld": _t(
            "题名因读者密级不足而不显示",
            "The title is withheld: the reader's clearance is below the item's secrecy level",
            "ئوقۇرمەننىڭ مەخپىيەتلىك ھوقۇقى يېتەرلىك بولمىغاچقا ماۋزۇ كۆرسىتىلمىدى",
        ),
    },
    "govparts.archives.PackageReceipt": {
        "files": _t("包内文件数", "Files in the bag", "بولاقتىكى ھۆججەت سانى"),
        "signed_items": _t(
            "签名经验证通过的各件档号",
            "Archival codes of the items whose document signature verified",
            "ھۆججەت ئىمزاسى دەلىللەنگەن بۆلەكلەرنىڭ ئارخىپ نومۇرى",
        ),
    },
    "govparts.archives.events.DocumentIssued": {
        "title": _t(
            "标题（涉密公文不含）", "Title, left out of classified documents", "ماۋزۇ (مەخپىي ھۆججەتتە يوق)"
        ),
    },
}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "govparts.archives.DocumentDraft": _t(
        "拟稿人起草的新发文，含 GB/T 9704-2012 规定的公文要素",
        "A new outgoing document as the drafter writes it, with the elements of GB/T 9704-2012",
        "لايىھە تۈزگۈچى يازغان يېڭى چىقىدىغان ھۆججەت، GB/T 9704-2012 بەلگىلىگەن ئېلېمېنتلىرى بىلەن",
    ),
    "govparts.archives.IncomingDraft": _t(
        "签收时登记的来文",
        "An incoming document as registered when it was signed for",
        "ئىمزا بىلەن قوبۇل قىلىنغاندا تىزىملانغان كىرگەن ھۆججەت",
    ),
    "govparts.archives.FileInfo": _t(
        "公文的一个存储文件及其固定性摘要（SM3、SHA-256）",
        "A stored file of a document and its fixity digests (SM3, SHA-256)",
        "ھۆججەتنىڭ ساقلانغان بىر ھۆججىتى ۋە ئۇنىڭ مۇقىملىق خۇلاسە قىممىتى (SM3، SHA-256)",
    ),
    "govparts.archives.Document": _t(
        "公文及其要素和在办理流程中所处的环节",
        "An official document with its elements and where it stands in its process",
        "رەسمىي ھۆججەت، ئۇنىڭ ئېلېمېنتلىرى ۋە بىر تەرەپ قىلىش جەريانىدىكى ئورنى",
    ),
    "govparts.archives.DocumentSignature": _t(
        "发文机关对已核发公文的电子签名（SM2 与 SM3，GB/T 32918.2-2016）",
        "The issuing organ's electronic signature of an issued document (SM2 with SM3, GB/T 32918.2-2016)",
        "ھۆججەت تارقاتقان ئورگاننىڭ تارقىتىلغان ھۆججەتكە قويغان ئېلېكترونلۇق ئىمزاسى"
        " (SM2 ۋە SM3، GB/T 32918.2-2016)",
    ),
    "govparts.archives.DocumentSummary": _t(
        "公文列表或检索结果中的一行（只列出操作者有权查阅的公文）",
        "A line of a listing or a search hit (only documents the actor may read appear)",
        "تىزىملىك ياكى ئىزدەش نەتىجىسىدىكى بىر قۇر (پەقەت مەشغۇلاتچى كۆرۈشكە ھوقۇقلۇق ھۆججەتلەرلا چىقىدۇ)",
    ),
    "govparts.archives.IssuedNumber": _t(
        "已分配或已作废的发文字号（作废的字号不再使用）",
        "A document number as allocated or voided (a voided number is never reused)",
        "بېرىلگەن ياكى بىكار قىلىنغان ھۆججەت نومۇرى (بىكار قىلىنغان نومۇر قايتا ئىشلىتىلمەيدۇ)",
    ),
    "govparts.archives.ArchivalItem": _t(
        "按档号保管的一件归档文件（DA/T 22-2015）",
        "An item of records kept under its archival code (DA/T 22-2015)",
        "ئارخىپ نومۇرى بويىچە ساقلانغان بىر بۆلەك ئارخىپ ھۆججىتى (DA/T 22-2015)",
    ),
    "govparts.archives.CatalogueEntry": _t(
        "归档文件目录中的一行（DA/T 22-2015）",
        "A row of the filing catalogue (DA/T 22-2015)",
        "ئارخىپ ھۆججەتلىرى مۇندەرىجىسىدىكى بىر قۇر (DA/T 22-2015)",
    ),
    "govparts.archives.CatalogueRecord": _t(
        "目录数据交换中的一件档案，字段为 DA/T 22-2015 第 8 章的目录项",
        "An item of an archival catalogue as exchanged, with the catalogue columns of DA/T 22-2015 §8",
        "مۇندەرىجە سانلىق مەلۇماتى ئالماشتۇرۇشتىكى بىر بۆلەك ئارخىپ،"
        " DA/T 22-2015 نىڭ 8-بابىدىكى مۇندەرىجە تۈرلىرى بىلەن",
    ),
    "govparts.archives.DestructionEntry": _t(
        "档案销毁清册中的一行",
        "A row of the destruction register",
        "ئارخىپ يوقىتىش تىزىملىكىدىكى بىر قۇر",
    ),
    "govparts.archives.AccessRecord": _t(
        "一次查阅公文的记录（准许或拒绝），供审计查看",
        "A recorded read of a document, allowed or refused, as an auditor sees it",
        "ھۆججەتنى بىر قېتىم كۆرۈش خاتىرىسى (رۇخسەت قىلىنغان ياكى رەت قىلىنغان)، تەپتىشچى كۆرىدىغان شەكىلدە",
    ),
    "govparts.archives.PackageReceipt": _t(
        "经 BagIt 有效性和 SM3/SHA-256 固定性校验后接收的归档信息包",
        "An archival package accepted after its BagIt validity and SM3/SHA-256 fixity were verified",
        "BagIt ئىناۋەتلىكى ۋە SM3/SHA-256 مۇقىملىقى تەكشۈرۈلگەندىن كېيىن قوبۇل قىلىنغان ئارخىپ بولىقى",
    ),
    "govparts.archives.events.DocumentIssued": _t(
        "发文已核发；涉密公文不含标题",
        "An outgoing document was issued; the title is left out of classified documents",
        "چىقىدىغان ھۆججەت تارقىتىلدى؛ مەخپىي ھۆججەتنىڭ ماۋزۇسى كىرگۈزۈلمەيدۇ",
    ),
    "govparts.archives.events.DocumentFiled": _t(
        "公文已按档号作为一件归档（DA/T 22-2015）",
        "A document was filed as an item under its archival code (DA/T 22-2015)",
        "ھۆججەت ئارخىپ نومۇرى بويىچە بىر بۆلەك سۈپىتىدە ئارخىپقا ئېلىندى (DA/T 22-2015)",
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
"""Title and field descriptions of each published model, by standard id."""
