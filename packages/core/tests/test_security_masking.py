"""Masking of personal data: citizen ids, phone numbers and names in text, logs and reprs."""

from __future__ import annotations

import logging

import pytest

from govparts.core.security import Actor, MaskingFilter, mask_citizen_id, mask_name, mask_phone, mask_text

# Synthetic citizen identity numbers with valid GB 11643-1999 check characters (Urumqi Tianshan
# district 650102, invented birth dates and order codes).
ID_DIGIT = "650102199001011239"
ID_X = "65010219850612201X"


def test_masks_an_eighteen_character_citizen_id_keeping_address_code_and_last_four() -> None:
    """Keeps the six-digit address code and the last four characters of an 18-character id."""
    assert mask_citizen_id("650102199001011239") == "650102********1239"
    assert mask_citizen_id(ID_X) == "650102********201X"


def test_masks_a_fifteen_digit_citizen_id_hiding_the_birth_date() -> None:
    """Hides the six-digit birth date of a pre-1999 fifteen-digit id."""
    assert mask_citizen_id("650102900101123") == "650102******123"


def test_masks_junk_without_raising() -> None:
    """Masks text of any other length down to its last four characters, never raising."""
    assert mask_citizen_id("12345") == "*2345"
    assert mask_citizen_id("123") == "***"
    assert mask_citizen_id("") == ""


def test_masks_mobile_numbers() -> None:
    """Keeps the network prefix and the last four digits of a mobile number."""
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("+8613912345678") == "+86139****5678"
    assert mask_phone("1234") == "**34"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("欧阳修文", "欧***"),
        ("阿依古丽·艾力", "阿***·艾*"),
        ("ئايگۈل ئەلى", "ئ***** ئ***"),
        ("李", "*"),
    ],
)
def test_masks_names_keeping_the_first_character_of_each_part(name: str, masked: str) -> None:
    """Keeps the first character of each part of a Chinese or Uyghur name."""
    assert mask_name(name) == masked


def test_masks_every_id_and_phone_in_free_text() -> None:
    """Finds citizen ids and mobile numbers inside running text and masks each."""
    text = f"申请人{ID_DIGIT}，电话13912345678；配偶 {ID_X}。"
    assert mask_text(text) == "申请人650102********1239，电话139****5678；配偶 650102********201X。"


def test_leaves_longer_digit_runs_and_short_numbers_alone() -> None:
    """Does not mistake part of a longer number, or a short one, for an id or a phone number."""
    account = "6222021234567890123456"
    assert mask_text(account) == account
    assert mask_text("第12号") == "第12号"


def test_logging_filter_masks_the_rendered_message(caplog: pytest.LogCaptureFixture) -> None:
    """Masks personal data in a log record's message, including its formatting arguments."""
    logger = logging.getLogger("govparts.test.masking")
    masking = MaskingFilter()
    logger.addFilter(masking)
    try:
        with caplog.at_level(logging.INFO, logger=logger.name):
            logger.info("enrolled %s, phone %s", ID_DIGIT, "13912345678")
    finally:
        logger.removeFilter(masking)
    assert caplog.messages == ["enrolled 650102********1239, phone 139****5678"]
    assert ID_DIGIT not in caplog.text


def test_logging_filter_masks_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    """Masks personal data in the traceback text of a logged exception."""
    logger = logging.getLogger("govparts.test.masking.exc")
    masking = MaskingFilter()
    logger.addFilter(masking)
    try:
        with caplog.at_level(logging.ERROR, logger=logger.name):
            try:
                raise ValueError(f"bad id {ID_DIGIT}")
            except ValueError:
                logger.exception("failed")
    finally:
        logger.removeFilter(masking)
    assert "650102********1239" in caplog.text
    assert ID_DIGIT not in caplog.text


def test_actor_repr_and_str_mask_personal_data() -> None:
    """Shows an actor in reprs and messages without their name or a citizen id used as user id."""
    actor = Actor(id=ID_DIGIT, name="阿依古丽·艾力", unit="hr", roles={"clerk"})
    assert ID_DIGIT not in repr(actor)
    assert "阿依古丽" not in repr(actor)
    assert "阿***·艾*" in repr(actor)
    assert str(actor) == "650102********1239"
