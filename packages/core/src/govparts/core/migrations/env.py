"""Alembic's environment script: hands the run to :func:`govparts.core.migrate.run_env`."""

from govparts.core.migrate import run_env

run_env()
