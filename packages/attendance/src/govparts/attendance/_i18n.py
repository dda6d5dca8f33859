"""The attendance part's message domain (``govparts-attendance``)."""

from govparts.core import i18n

DOMAIN = i18n.domain("govparts-attendance", "govparts.attendance")
