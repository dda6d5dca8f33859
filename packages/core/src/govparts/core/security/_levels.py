"""Secrecy levels (密级) of state secrets and their order.

The Law on Guarding State Secrets (《中华人民共和国保守国家秘密法》) divides state secrets into three
levels, 绝密 (top secret) > 机密 (secret) > 秘密 (confidential); official documents carry the level in
their 版头 (GB/T 9704-2012 §7.2.2, 密级和保密期限). Material without a level is unclassified.

The codes (``MM``, ``JM``, ``UM``) and the labels in three languages come from core's code list
``GB/T 9704-2012 密级``, whose rows run from the lowest level to the highest.
"""

from __future__ import annotations

from enum import IntEnum
from functools import cache
from typing import TYPE_CHECKING

from ..errors import UnknownCode
from ..i18n import N_, get_locale, normalize_locale

if TYPE_CHECKING:
    from ..codes import CodeList

__all__ = ["SECRECY_CODE_LIST", "SecrecyLevel", "secrecy_level"]

SECRECY_CODE_LIST = "GB/T 9704-2012 密级"

_UNCLASSIFIED = {"zh_Hans_CN": "非密", "en": "Unclassified", "ug_CN": "مەخپىي ئەمەس"}


@cache
def _code_list() -> CodeList:
    from .. import codes

    return codes.get(SECRECY_CODE_LIST)


class SecrecyLevel(IntEnum):
    """A secrecy level; higher is more secret, so levels compare with ``<`` and ``>=``.

    >>> SecrecyLevel.SECRET > SecrecyLevel.CONFIDENTIAL
    True
    >>> SecrecyLevel.TOP_SECRET.code, SecrecyLevel.TOP_SECRET.label("zh_Hans_CN")
    ('UM', '绝密')
    """

    NONE = 0
    """Unclassified (非密): no level."""
    CONFIDENTIAL = 1
    """秘密 (``MM``)."""
    SECRET = 2
    """机密 (``JM``)."""
    TOP_SECRET = 3
    """绝密 (``UM``)."""

    @property
    def code(self) -> str | None:
        """The level's code in ``GB/T 9704-2012 密级`` (``None`` for unclassified)."""
        if self is SecrecyLevel.NONE:
            return None
        return list(_code_list().codes)[self.value - 1]

    def label(self, locale: str | None = None) -> str:
        """The level's name in ``locale`` (default: the current locale)."""
        code = self.code
        if code is None:
            return _UNCLASSIFIED[normalize_locale(locale) if locale else get_locale()]
        return _code_list()[code].label(locale)


def secrecy_level(value: SecrecyLevel | int | str | None) -> SecrecyLevel:
    """The :class:`SecrecyLevel` that ``value`` names.

    Accepts a level, its number (0–3), its code (``"JM"``), its Chinese name (``"机密"``), its English
    name in the code list (``"Secret"``) or enum name (``"SECRET"``); ``None``, ``""``, ``"非密"`` and
    ``"NONE"`` mean unclassified. Anything else raises :class:`~govparts.core.errors.UnknownCode`.
    """
    if isinstance(value, SecrecyLevel):
        return value
    if value is None:
        return SecrecyLevel.NONE
    if isinstance(value, int) and not isinstance(value, bool):
        if value in SecrecyLevel._value2member_map_:
            return SecrecyLevel(value)
    elif isinstance(value, str):
        text = value.strip()
        if text in ("", "非密", "NONE"):
            return SecrecyLevel.NONE
        if text in SecrecyLevel.__members__:
            return SecrecyLevel[text]
        for rank, code in enumerate(_code_list(), start=1):
            if text in (code.code, code.zh, code.en):
                return SecrecyLevel(rank)
    raise UnknownCode(
        N_("{field}: {got} is not a secrecy level of {code_list}"),
        field="secrecy_level",
        got=str(value),
        code_list=SECRECY_CODE_LIST,
    )
