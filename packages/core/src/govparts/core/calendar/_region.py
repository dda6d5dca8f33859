"""Region codes for calendars: GB/T 2260 administrative division codes in short or six-digit form."""

from __future__ import annotations

from ..errors import InvalidIdentifier
from ..i18n import N_

# The province-level codes of GB/T 2260-2007 (first two digits), Hong Kong and Macao included.
PROVINCES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    }
)  # fmt: skip


def normalize_region(code: str, *, field: str = "region") -> str:
    """The shortest form of a GB/T 2260 code: ``"650000"`` → ``"65"``, ``"650100"`` → ``"6501"``.

    Accepts 2, 4 or 6 digits (GB/T 2260-2007 §3: province, prefecture and county pairs); trailing
    ``00`` pairs mean "the whole unit above". Only the province pair is checked against the
    standard's list; prefecture and county pairs are taken as given. Raises
    :class:`~govparts.core.errors.InvalidIdentifier` naming ``field``.
    """
    if not isinstance(code, str):
        raise InvalidIdentifier(
            N_("{field}: expected a GB/T 2260 administrative division code as text, got {got}"),
            field=field,
            got=type(code).__name__,
        )
    text = code.strip()
    if not (text.isascii() and text.isdigit() and len(text) in (2, 4, 6)):
        raise InvalidIdentifier(
            N_("{field}: {got} is not an administrative division code; expected 2, 4 or 6 digits ({clause})"),
            field=field,
            got=code,
            clause="GB/T 2260-2007 §3",
        )
    if text[:2] not in PROVINCES:
        raise InvalidIdentifier(
            N_("{field}: {got} does not begin with a province code of {clause}"),
            field=field,
            got=code,
            clause="GB/T 2260-2007",
        )
    while len(text) > 2 and text.endswith("00"):
        text = text[:-2]
    return text


def region_chain(code: str) -> tuple[str, ...]:
    """The normalised codes from the province down to ``code``: ``"650102"`` → ``("65", "6501", "650102")``.

    A calendar for a county applies the overlays of its province, then its prefecture, then its
    own. (伊犁哈萨克自治州 administers 塔城 and 阿勒泰, but their codes are not below 6540, so an
    overlay for ``6540`` does not reach them — as GB/T 2260 codes, not administration, decide.)
    """
    return tuple(code[:n] for n in range(2, len(code) + 1, 2))
