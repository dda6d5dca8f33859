"""Pure rules: retention schedule and periods, secrecy marks and periods, fixity."""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date
from pathlib import Path

import pytest

from govparts.archives.rules import (
    DOCUMENT_TYPES,
    RetentionSchedule,
    content_digest,
    default_retention_schedule,
    fixity,
    retention_expires_on,
    secrecy_expires_on,
    secrecy_mark,
)
from govparts.core import codes
from govparts.core.audit import hash_algorithm
from govparts.core.errors import InvalidInput

SM3 = tomllib.loads(
    (Path(__file__).parent / "vectors" / "gbt-32905-2016-sm3.toml").read_text(encoding="utf-8")
)


def test_lists_the_fifteen_kinds_of_document() -> None:
    """Carries the 15 kinds of 党政机关公文处理工作条例 Art. 8, in the article's order."""
    kinds = codes.get("党政机关公文处理工作条例 公文种类")
    assert list(kinds.codes) == list(DOCUMENT_TYPES)
    assert [c.zh for c in kinds] == [
        "决议",
        "决定",
        "命令（令）",
        "公报",
        "公告",
        "通告",
        "意见",
        "通知",
        "通报",
        "报告",
        "请示",
        "批复",
        "议案",
        "函",
        "纪要",
    ]
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in c.ug) for c in kinds)


def test_lists_the_three_retention_periods() -> None:
    """Carries DA/T 22-2015's retention codes Y, D30, D10."""
    assert [(c.code, c.zh) for c in codes.get("DA/T 22-2015 保管期限")] == [
        ("Y", "永久"),
        ("D30", "定期30年"),
        ("D10", "定期10年"),
    ]


def test_derives_retention_from_the_schedule() -> None:
    """Reads the shipped schedule: own decisions permanent, own letters D10, incoming D10 by default."""
    schedule = default_retention_schedule()
    assert schedule.retention_for("outgoing", "02") == "Y"
    assert schedule.retention_for("outgoing", "14") == "D10"
    assert schedule.retention_for("incoming", "08") == "D10"
    assert schedule.retention_for("incoming", "12") == "D30"


def test_refuses_a_schedule_with_an_unknown_period() -> None:
    """Refuses schedule rows with a code outside Y/D30/D10, naming the row."""
    with pytest.raises(InvalidInput) as caught:
        RetentionSchedule.from_rows([{"direction": "outgoing", "doc_type": "08", "retention": "长期"}])
    assert caught.value.field == "rows[0].retention"


@pytest.mark.parametrize(
    ("year", "retention", "expires"),
    [(2016, "D10", date(2027, 1, 1)), (2016, "D30", date(2047, 1, 1)), (2016, "Y", None)],
)
def test_counts_retention_from_the_following_year(year: int, retention: str, expires: date | None) -> None:
    """Lets a D10 item of 2016 fall due on 2027-01-01; permanent items never."""
    assert retention_expires_on(year, retention) == expires


def test_refuses_an_unknown_retention_code() -> None:
    """Refuses retention codes other than Y, D30, D10."""
    with pytest.raises(InvalidInput) as caught:
        retention_expires_on(2016, "C")
    assert caught.value.field == "retention"


def test_marks_secrecy_as_the_standard_writes_it() -> None:
    """Writes 秘密★5年, or the level alone without a period (GB/T 9704-2012 7.2.2)."""
    assert secrecy_mark("秘密", 5) == "秘密★5年"
    assert secrecy_mark("机密", None) == "机密"
    assert secrecy_mark(None, None) == ""


def test_ends_secrecy_periods() -> None:
    """Ends a period on the anniversary, 29 February on 1 March."""
    assert secrecy_expires_on(date(2020, 5, 4), 5) == date(2025, 5, 4)
    assert secrecy_expires_on(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert secrecy_expires_on(None, 5) is None


def test_computes_sm3_as_the_standard_example() -> None:
    """Gives SM3("abc") of GB/T 32905-2016 Annex A where OpenSSL offers SM3, and SHA-256 always."""
    vector = SM3["vector"][0]
    digests = fixity(vector["message"].encode())
    assert digests["sha256"] == hashlib.sha256(b"abc").hexdigest()
    if hash_algorithm() != "sm3":
        pytest.skip("this platform's OpenSSL has no SM3")
    assert digests["sm3"] == vector["sm3"]


def test_digests_change_with_the_substance() -> None:
    """Gives a different digest when the title, body or an attachment changes."""
    base = content_digest("标题", "正文", ["a"])
    assert base == content_digest("标题", "正文", ["a"])
    assert (
        len(
            {
                base,
                content_digest("标题2", "正文", ["a"]),
                content_digest("标题", "正文2", ["a"]),
                content_digest("标题", "正文", ["b"]),
                content_digest("标题正", "文", ["a"]),
            }
        )
        == 5
    )
