"""Alembic revisions of the attendance part's tables (branch ``attendance``)."""
