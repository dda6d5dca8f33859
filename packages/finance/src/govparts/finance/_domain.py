"""The finance part's message domain (gettext ``govparts-finance``)."""

from govparts.core import i18n

DOMAIN = i18n.domain("govparts-finance", "govparts.finance")
"""Messages of the finance part; pass ``domain=DOMAIN`` to errors raised here."""
