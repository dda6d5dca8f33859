"""Text fields that cannot smuggle control or bidirectional-override characters.

Names, titles and other free text cross system boundaries into databases, logs, terminals, PDFs
and other agencies' systems. Three kinds of character do harm there and never belong in such text:

* NUL (U+0000): PostgreSQL refuses it in ``text`` (and the driver's error then prints the SQL
  parameters, personal data included); C strings end at it;
* the other C0 and C1 control characters (U+0001–U+001F, U+007F–U+009F): they move terminal cursors,
  hide text in logs and break CSV and JSON Lines readers; a multi-line text (:data:`Text`) keeps
  line feed, carriage return and tab;
* the bidirectional embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069
  (Unicode UAX #9): in mixed Chinese and Uyghur text they reorder what a reader sees, so that a name
  or an amount displays as something else ("Trojan Source", CVE-2021-42574). Uyghur needs none of them:
  its letters carry their own right-to-left direction, and the display layer isolates them.

:data:`TextLine` (one line) and :data:`Text` (paragraphs) are ``Annotated[str, …]`` types for
pydantic models; :func:`check_text` is the same check for plain values. The error is an
:class:`~govparts.core.errors.InvalidInput` naming the field, the character's code point and its
position, never the text itself (it may be personal data)::

    >>> from govparts.core.errors import InvalidInput
    >>> from govparts.core.text import check_text
    >>> check_text("阿依古丽·艾力", field="name")
    '阿依古丽·艾力'
    >>> try:
    ...     check_text("Ali\\u202eeva", field="name")
    ... except InvalidInput as err:
    ...     print(err.details["character"], err.details["position"])
    U+202E 3
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from .errors import InvalidInput
from .i18n import N_

__all__ = ["FORBIDDEN_IN_LINE", "FORBIDDEN_IN_TEXT", "Text", "TextLine", "check_text"]

_BIDI = "\u202a-\u202e\u2066-\u2069"
FORBIDDEN_IN_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
"""Characters refused in a one-line text: every C0/C1 control and the bidirectional controls."""
FORBIDDEN_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
"""Characters refused in a multi-line text: as in a line, less tab, line feed and carriage return."""

_MESSAGE = N_(
    "{field}: character {character} at position {position} is not allowed in text "
    "(control or bidirectional-override character)"
)


def check_text(value: str, *, field: str = "-", multiline: bool = False) -> str:
    """Return ``value`` unchanged, or raise ``InvalidInput`` naming the first forbidden character."""
    found = (FORBIDDEN_IN_TEXT if multiline else FORBIDDEN_IN_LINE).search(value)
    if found is None:
        return value
    raise InvalidInput(_MESSAGE, field=field, character=f"U+{ord(found.group()):04X}", position=found.start())


def _line(value: str) -> str:
    return check_text(value)


def _text(value: str) -> str:
    return check_text(value, multiline=True)


TextLine = Annotated[str, AfterValidator(_line)]
"""One line of free text (a name, a title): no control or bidirectional-override character."""
Text = Annotated[str, AfterValidator(_text)]
"""Free text of several lines (a body, an opinion): as :data:`TextLine`, with tab and line breaks."""
