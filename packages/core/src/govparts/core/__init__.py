"""govparts.core: the common data model every govparts part shares.

Import the submodule you need (``govparts.core.ids``, ``.codes``, ``.money``, ``.refs``,
``.calendar``, ``.i18n``, ``.errors``, ``.db``, ``.process``, ``.events``, ``.audit``,
``.security``, ``.parts``); this package itself imports nothing, so importing a part stays cheap.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("govparts-core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
