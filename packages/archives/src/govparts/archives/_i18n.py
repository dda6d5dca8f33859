"""The archives part's message domain (``govparts-archives``)."""

from govparts.core import i18n

DOMAIN = i18n.domain("govparts-archives", "govparts.archives")
"""Messages of errors raised by this part; catalogs under ``locale/<loc>/LC_MESSAGES``."""
