"""Code lists as data: national standard code lists with labels in Chinese, English and Uyghur.

A code list is a CSV file (``code, zh, en, ug`` and optionally ``parent, valid_from, valid_to``)
described in a ``.toml`` file beside it by its id (``GB/T 3304-1991``), a title in three languages, a version
and its source. Parts register their own lists through their :class:`~govparts.core.parts.Part`
descriptor.

    >>> from govparts.core import codes
    >>> sex = codes.get("GB/T 2261.1")
    >>> sex.id, sex["2"].label("en")
    ('GB/T 2261.1-2003', 'Female')

A model field typed with :func:`Coded` validates membership in the list (in pydantic-core, so
millions of records stay fast), reports an unknown value as
:class:`~govparts.core.errors.UnknownCode` naming the list, and publishes the codes in its JSON
Schema::

    from typing import Annotated
    Sex = Annotated[str, codes.Coded("GB/T 2261.1")]
"""

from ._codes import Code as Code
from ._codes import Coded as Coded
from ._codes import CodeList as CodeList
from ._codes import all_lists as all_lists
from ._codes import get as get
from ._codes import load_lists as load_lists
from ._codes import register as register

__all__ = [
    # data
    "Code",
    "CodeList",
    # lookup
    "all_lists",
    "get",
    # registration
    "load_lists",
    "register",
    # typing
    "Coded",
]
