"""Masking of personal data (个人信息去标识化展示) in logs, reprs and error messages.

A citizen identity number keeps its first six characters (the address code, GB 11643-1999 §5.1) and
its last four (order code and check character), so a clerk can still tell two people apart without
the birth date; a mobile number keeps its network prefix and last four digits; a name keeps the
first character of each of its parts (the surname of a Chinese name, the initials of a Uyghur one).
Masking never raises: it is called while reporting other errors.

    >>> mask_citizen_id("650102199001011239")
    '650102********1239'
    >>> mask_phone("13912345678")
    '139****5678'
    >>> mask_text("身份证 65010219850612201X 电话 13912345678")
    '身份证 650102********201X 电话 139****5678'
"""

from __future__ import annotations

import logging
import re

__all__ = ["MaskingFilter", "mask_citizen_id", "mask_name", "mask_phone", "mask_text"]

_MASK = "*"
# 18-character numbers (GB 11643-1999) and the older 15-digit ones, not inside a longer run of digits.
_CITIZEN_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mainland mobile numbers (11 digits, 1[3-9]…), optionally written with +86 / 86.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
_NAME_SEPARATORS = re.compile(r"([\s·•・.\-]+)")


def mask_citizen_id(value: str) -> str:
    """Mask a citizen identity number, keeping the address code and the last four (three) characters.

    18 characters: ``650102********1239``; 15 digits (the pre-1999 form): ``650102******123``. Any
    other text keeps at most its last four characters.
    """
    text = value.strip()
    if len(text) == 18:
        return text[:6] + _MASK * 8 + text[-4:]
    if len(text) == 15:
        return text[:6] + _MASK * 6 + text[-3:]
    return _mask_tail(text, 4)


def mask_phone(value: str) -> str:
    """Mask a telephone number, keeping the first three and last four digits (``139****5678``)."""
    text = value.strip()
    digits = text[-11:] if len(text) > 11 and text[-11:].isdigit() else text
    prefix = text[: len(text) - len(digits)]
    if len(digits) >= 8:
        return prefix + digits[:3] + _MASK * (len(digits) - 7) + digits[-4:]
    return prefix + _mask_tail(digits, 2)


def mask_name(value: str) -> str:
    """Mask a person's name, keeping the first character of each part.

    ``张三`` → ``张*``; ``阿依古丽·艾力`` → ``阿***·艾*``; ``ئايگۈل ئەلى`` → ``ئ***** ئ***``.
    """
    parts = _NAME_SEPARATORS.split(value.strip())
    masked = []
    for part in parts:
        if not part or _NAME_SEPARATORS.fullmatch(part):
            masked.append(part)
        elif len(part) == 1:
            masked.append(part if len(parts) > 1 else _MASK)
        else:
            masked.append(part[0] + _MASK * (len(part) - 1))
    return "".join(masked)


def mask_text(text: str) -> str:
    """Mask every citizen identity number and mobile number found in free text."""
    text = _CITIZEN_ID.sub(lambda m: mask_citizen_id(m.group()), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group()), text)


def _mask_tail(text: str, keep: int) -> str:
    if len(text) <= keep:
        return _MASK * len(text)
    return _MASK * (len(text) - keep) + text[-keep:]


class MaskingFilter(logging.Filter):
    """A logging filter that masks citizen identity numbers and mobile numbers in every record.

    ``logging.getLogger("govparts").addFilter(MaskingFilter())``, or add it to a handler so every
    logger writing through it is covered. The record's message is rendered and masked once; its
    arguments are dropped so that no handler formats the unmasked values again.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        return True
