"""The ``govparts`` command: code lists, identifiers, processes, events, audit, database, demo.

``app`` is the Typer application; ``main`` the console script. Other distributions add sub-commands
through the ``govparts.cli`` entry-point group (see :mod:`govparts.cli._plugins`).
"""

from .app import app as app
from .app import main as main

__all__ = ["app", "main"]
