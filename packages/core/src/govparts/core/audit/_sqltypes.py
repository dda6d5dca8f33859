"""Column types shared by core's tables: they live in :mod:`govparts.core.db`."""

from ..db import JSON, UTCDateTime, big_id

__all__ = ["JSON", "UTCDateTime", "big_id"]
