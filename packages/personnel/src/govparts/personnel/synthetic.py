"""Synthetic (invented) people and organisations for tests, demos and benchmarks.

Every citizen identity number has a real Xinjiang county address code (GB/T 2260) and a valid
GB 11643-1999 check character; the sequence code's parity matches the sex. Names are realistic
Uyghur, Han and Kazakh names; Uyghur people also get their name in Uyghur (Arabic script). No record
describes a real person.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from govparts.core.ids import citizen_id, credit_code

__all__ = ["XINJIANG_COUNTIES", "make_citizen_id", "make_credit_code", "make_people"]

XINJIANG_COUNTIES = (
    "650102",  # 天山区
    "650103",  # 沙依巴克区
    "650104",  # 新市区
    "650402",  # 高昌区
    "650502",  # 伊州区
    "652301",  # 昌吉市
    "652801",  # 库尔勒市
    "652901",  # 阿克苏市
    "653101",  # 喀什市
    "653201",  # 和田市
    "654002",  # 伊宁市
    "654301",  # 阿勒泰市
)
"""Real county-level GB/T 2260 codes in Xinjiang (verified against the MCA 2020 list)."""

# (Chinese, Uyghur) names by sex; Uyghur written in Arabic script.
_UYGHUR = {
    "1": (
        ("艾力·吐尔逊", "ئەلى تۇرسۇن"),
        ("买买提·艾力", "مەمەت ئەلى"),
        ("阿不都热合曼·吐尔洪", "ئابدۇراخمان تۇرغۇن"),
        ("努尔买买提·司马义", "نۇرمەمەت ئىسمائىل"),
        ("艾尔肯·阿不力孜", "ئەركىن ئابلىز"),
        ("吐尔洪·亚森", "تۇرغۇن ياسىن"),
    ),
    "2": (
        ("阿依古丽·买买提", "ئايگۈل مەمەت"),
        ("古丽娜尔·艾买提", "گۈلنار ئەھمەت"),
        ("热依拉·阿不都拉", "رەيلا ئابدۇللا"),
        ("帕提古丽·亚森", "پاتىگۈل ياسىن"),
        ("迪丽努尔·吐尔逊", "دىلنۇر تۇرسۇن"),
        ("米日古丽·卡德尔", "مېھرىگۈل قادىر"),
    ),
}
_HAN = {
    "1": ("王强", "李伟", "张磊", "刘洋", "陈建国", "赵志刚"),
    "2": ("王芳", "李娜", "张静", "刘丽", "陈秀英", "赵敏"),
}
_KAZAKH = {
    "1": ("叶尔兰·努尔兰", "别克波拉提·加尔肯", "努尔兰·阿斯哈尔"),
    "2": ("阿依达娜·别克", "古丽米拉·哈力木", "加娜尔·叶尔肯"),
}


def make_citizen_id(rng: random.Random, born: date, sex: str, county: str | None = None) -> str:
    """A valid synthetic citizen identity number for a person born on ``born`` of ``sex`` (1 or 2)."""
    address = county or rng.choice(XINJIANG_COUNTIES)
    sequence = rng.randrange(500) * 2 + (1 if sex == "1" else 0)
    body = f"{address}{born:%Y%m%d}{sequence:03d}"
    return body + citizen_id.calc_check_character(body)


def make_credit_code(rng: random.Random, division: str = "650100", authority: str = "11") -> str:
    """A valid synthetic unified social credit code (``11``: a government body, 机构编制 authority)."""
    body = authority + division + "".join(rng.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=9))
    return body + credit_code.calc_check_character(body)


def make_people(
    count: int,
    *,
    organization_credit_code: str,
    unit_codes: tuple[str, ...],
    seed: int = 11643,
    establishment: str = "10",
    category: str = "11",
    start: int = 1,
) -> list[dict[str, Any]]:
    """``count`` valid exchange records (dicts of :class:`EmployeeRecord` fields), deterministic per seed.

    Citizen identity numbers are distinct within the batch.
    """
    rng = random.Random(seed)
    people = []
    used: set[str] = set()
    for n in range(start, start + count):
        sex = rng.choice(("1", "2"))
        group = rng.random()
        name_ug: str | None = None
        if group < 0.5:
            name, name_ug = rng.choice(_UYGHUR[sex])
            ethnic = "05"
        elif group < 0.85:
            name, ethnic = rng.choice(_HAN[sex]), "01"
        else:
            name, ethnic = rng.choice(_KAZAKH[sex]), "17"
        born = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 35))
        first_job = born + timedelta(days=365 * 22 + rng.randrange(365 * 3))
        joined = first_job + timedelta(days=rng.randrange(365 * 5))
        county = rng.choice(XINJIANG_COUNTIES)
        number = make_citizen_id(rng, born, sex, county)
        while number in used:
            number = make_citizen_id(rng, born, sex, county)
        used.add(number)
        people.append(
            {
                "organization_credit_code": organization_credit_code,
                "employee_no": f"E{n:06d}",
                "name": name,
                "name_ug": name_ug,
                "citizen_id": number,
                "sex": sex,
                "birth_date": born.isoformat(),
                "ethnic_group": ethnic,
                "native_place": county,
                "political_status": rng.choice(("01", "03", "13")),
                "education": rng.choice(("14", "21", "31")),
                "marital_status": rng.choice(("10", "20")),
                "category": category,
                "establishment": establishment,
                "unit_code": rng.choice(unit_codes),
                "rank": None,
                "grade": None,
                "joined_on": joined.isoformat(),
                "first_employment_date": first_job.isoformat(),
                "hire_type": "recruitment",
                "supervisor_no": None,
            }
        )
    return people
