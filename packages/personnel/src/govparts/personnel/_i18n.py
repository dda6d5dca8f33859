"""The personnel part's message domain (``govparts-personnel``)."""

from govparts.core import i18n

DOMAIN = i18n.domain("govparts-personnel", "govparts.personnel")
