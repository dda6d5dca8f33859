"""``python -m govparts.cli``: the ``govparts`` command."""

from .app import main

main()
