"""Alembic revisions of the finance part's tables (branch ``finance``), run by ``govparts.core.migrate``."""
