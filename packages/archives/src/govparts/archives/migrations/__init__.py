"""Alembic revisions of the archives part's tables (branch ``archives``), run by ``govparts.core.migrate``."""
