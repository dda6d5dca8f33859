"""The words of the kit's reports in the three govparts locales.

Result and level names are a small closed vocabulary, kept as data beside each other in all three
languages (like a code list) rather than as scattered message ids, so that a report in any locale
names the same five results and three levels.
"""

from __future__ import annotations

from govparts.core.i18n import get_locale, normalize_locale

__all__ = ["BCP47", "label"]

# HTML ``lang`` values of the govparts locales (BCP 47).
BCP47 = {"zh_Hans_CN": "zh-Hans-CN", "en": "en", "ug_CN": "ug-Arab-CN"}

_LABELS: dict[str, tuple[str, str, str]] = {
    # key: (zh_Hans_CN, en, ug_CN)
    "statement": ("符合性声明", "Conformance statement", "ئۆلچەمگە ئۇيغۇنلۇق باياناتى"),
    "selftest": ("变异自检", "Mutation self-test", "ئۆزگەرتىلگەن نۇسخىلار بىلەن ئۆزىنى تەكشۈرۈش"),
    "coverage": ("覆盖情况", "Coverage", "قاپلىنىش ئەھۋالى"),
    "part": ("部件", "Part", "بۆلەك"),
    "version": ("版本", "Version", "نەشرى"),
    "spec_hash": (
        "规范指纹 (SHA-256)",
        "Specification fingerprint (SHA-256)",
        "ئۆلچەمنىڭ بارماق ئىزى (SHA-256)",
    ),
    "kit_version": ("测试套件版本", "Kit version", "سىناق قورالىنىڭ نەشرى"),
    "target": ("被测实现", "Implementation tested", "سىنالغان ئەمەلىيلەشتۈرۈش"),
    "features": ("声明的可选功能", "Optional features claimed", "جاكارلانغان ئىختىيارى ئىقتىدارلار"),
    "tested_at": ("测试时间", "Tested at", "سىنالغان ۋاقىت"),
    "product": ("被测产品", "Product", "سىنالغان مەھسۇلات"),
    "profile": ("符合性范围", "Profile", "ئۇيغۇنلۇق دائىرىسى"),
    "signed_by": ("签名者", "Signed by", "ئىمزا قويغۇچى"),
    "signed_at": ("签名时间", "Signed at", "ئىمزا قويۇلغان ۋاقىت"),
    "signature_ok": (
        "签名有效：声明自签名以来未被改动",
        "Signature valid: the statement is unchanged since it was signed",
        "ئىمزا كۈچكە ئىگە: بايانات ئىمزا قويۇلغاندىن بۇيان ئۆزگەرمىگەن",
    ),
    "verdict": ("结论", "Verdict", "خۇلاسە"),
    "conforms": (
        "符合：每项“必须”要求均已通过",
        "Conforms: every MUST requirement passes",
        "ئۇيغۇن: ھەممە «چوقۇم» تەلەپلەردىن ئۆتتى",
    ),
    "does_not_conform": ("不符合", "Does not conform", "ئۇيغۇن ئەمەس"),
    "totals": ("按级别统计", "Totals by level", "دەرىجە بويىچە جەمئىي"),
    "requirement": ("要求", "Requirement", "تەلەپ"),
    "level": ("级别", "Level", "دەرىجە"),
    "result": ("结果", "Result", "نەتىجە"),
    "text": ("要求内容", "Statement", "تەلەپنىڭ مەزمۇنى"),
    "source": ("出处", "Source", "مەنبە"),
    "details": ("说明", "Details", "چۈشەندۈرۈش"),
    "none": ("无", "none", "يوق"),
    "mutant": ("变异体", "Mutant", "ئۆزگەرتىلگەن نۇسخا"),
    "killed_by": ("检出它的要求", "Killed by", "بايقىغان تەلەپلەر"),
    "survived": ("存活：套件存在漏洞", "Survived: a hole in the kit", "ساق قالدى: قورالدا بوشلۇق بار"),
    "missed": (
        "声明破坏但未检出的要求",
        "Declared broken but not caught",
        "بۇزۇلدى دېيىلگەن، ئەمما بايقالمىغان تەلەپلەر",
    ),
    "problems": ("问题", "Problems", "مەسىلىلەر"),
    "selftest_ok": ("自检通过", "Self-test passed", "ئۆزىنى تەكشۈرۈشتىن ئۆتتى"),
    "selftest_failed": ("自检未通过", "Self-test failed", "ئۆزىنى تەكشۈرۈشتىن ئۆتمىدى"),
    "no_parts": (
        "没有已安装的部件提供符合性测试套件",
        "No installed part publishes a conformance suite",
        "ئورنىتىلغان بۆلەكلەرنىڭ ھېچقايسىسىدا ئۇيغۇنلۇق سىناق يۈرۈشلۈكى يوق",
    ),
    # results
    "pass": ("通过", "pass", "ئۆتتى"),
    "fail": ("未通过", "fail", "ئۆتمىدى"),
    "skip": ("未能验证", "skip (could not verify)", "دەلىللەنمىدى"),
    "omit": ("不适用", "omit (not applicable)", "قوللىنىلمايدۇ"),
    "error": ("套件错误", "error (a bug in the kit)", "قورال خاتالىقى"),
    # levels (RFC 2119)
    "MUST": ("必须", "MUST", "چوقۇم"),
    "SHOULD": ("应当", "SHOULD", "تېگىشلىك"),
    "MAY": ("可以", "MAY", "بولىدۇ"),
}
_COLUMN = {"zh_Hans_CN": 0, "en": 1, "ug_CN": 2}


def label(key: str, locale: str | None = None) -> str:
    """The report word ``key`` in ``locale`` (default: the current locale)."""
    return _LABELS[key][_COLUMN[normalize_locale(locale) if locale else get_locale()]]
