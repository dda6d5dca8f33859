"""Alembic revisions of the personnel part (branch ``personnel``, depending on core's branch)."""
