"""Alembic revisions of the assets part's tables (branch ``assets``, depending on core's)."""
