"""Alembic migrations of govparts: core's revisions and the environment every part's branch runs in.

No ``alembic.ini`` is needed: :mod:`govparts.core.migrate` configures Alembic in code. The version
locations are this package's ``versions/`` folder (core's own branch, labelled ``core``) and the folder
of every installed part's ``Part.migrations`` package, so ``govparts db upgrade`` (or
``govparts.core.migrate.upgrade()``) applies every installed part's branch in one run.

A part's branch starts with a revision that has no ``down_revision``, carries the part's name as its
branch label and, when its tables point at core's, depends on core's branch::

    revision = "4f0c2a7d9b11"
    down_revision = None
    branch_labels = ("attendance",)
    depends_on = "core"

To write a part's first revision from its tables (SQLModel, sharing :data:`govparts.core.db.metadata`)::

    from alembic import command
    from govparts.core import migrate

    command.revision(
        migrate.config("sqlite:///scratch.db"), "attendance tables", autogenerate=True,
        head="base", branch_label="attendance", depends_on="core",
        version_path="packages/attendance/src/govparts/attendance/migrations",
    )

and later ones with ``head="attendance@head"``. Revisions are rendered in batch mode, so the same
file applies on SQLite and on PostgreSQL.
"""
